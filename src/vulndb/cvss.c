/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CVSS base scores from vectors, for feeds that give only the vector (OSV
 * "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/..."}]). Formulas
 * and constants: CVSS v3.1 specification §7 and Appendix A (Roundup), CVSS
 * v2 guide §3.2.1. v3.0 vectors use the v3.1 Roundup, which differs from
 * v3.0's only in floating-point edge cases. CVSS v4.0 scores come from a
 * lookup of macro-vectors rather than a formula: not computed (-1), the
 * vector is still stored.
 */
#include <math.h>
#include <string.h>

#include "vulndb/vdb.h"

/* The value of metric `m` in a "/"-separated vector, or 0. */
static char metric(const char *vec, const char *m)
{
	size_t ml = strlen(m);
	for (const char *p = vec; p && *p;) {
		if (strncmp(p, m, ml) == 0 && p[ml] == ':' && p[ml + 1])
			return (p[ml + 2] == '/' || p[ml + 2] == '\0') ? p[ml + 1] : 0;
		p = strchr(p, '/');
		if (p)
			p++;
	}
	return 0;
}

static double roundup(double x)
{
	long i = lround(x * 100000);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000) + 1) / 10.0;
}

static double cia3(char v)
{
	return v == 'H' ? 0.56 : v == 'L' ? 0.22 : v == 'N' ? 0 : -1;
}

static double v3(const char *vec)
{
	char av = metric(vec, "AV"), ac = metric(vec, "AC"), pr = metric(vec, "PR"), ui = metric(vec, "UI"),
	     s = metric(vec, "S");
	double c = cia3(metric(vec, "C")), i = cia3(metric(vec, "I")), a = cia3(metric(vec, "A"));
	if (c < 0 || i < 0 || a < 0 || (s != 'U' && s != 'C'))
		return -1;
	bool changed = s == 'C';
	double dav = av == 'N' ? 0.85 : av == 'A' ? 0.62 : av == 'L' ? 0.55 : av == 'P' ? 0.2 : -1;
	double dac = ac == 'L' ? 0.77 : ac == 'H' ? 0.44 : -1;
	double dpr = pr == 'N' ? 0.85 : pr == 'L' ? (changed ? 0.68 : 0.62) : pr == 'H' ? (changed ? 0.5 : 0.27) : -1;
	double dui = ui == 'N' ? 0.85 : ui == 'R' ? 0.62 : -1;
	if (dav < 0 || dac < 0 || dpr < 0 || dui < 0)
		return -1;
	double iss = 1 - (1 - c) * (1 - i) * (1 - a);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * dav * dac * dpr * dui;
	if (impact <= 0)
		return 0;
	double base = changed ? 1.08 * (impact + expl) : impact + expl;
	return roundup(base < 10 ? base : 10);
}

static double cia2(char v)
{
	return v == 'N' ? 0 : v == 'P' ? 0.275 : v == 'C' ? 0.660 : -1;
}

static double v2(const char *vec)
{
	char av = metric(vec, "AV"), ac = metric(vec, "AC"), au = metric(vec, "Au");
	double c = cia2(metric(vec, "C")), i = cia2(metric(vec, "I")), a = cia2(metric(vec, "A"));
	double dav = av == 'L' ? 0.395 : av == 'A' ? 0.646 : av == 'N' ? 1.0 : -1;
	double dac = ac == 'H' ? 0.35 : ac == 'M' ? 0.61 : ac == 'L' ? 0.71 : -1;
	double dau = au == 'M' ? 0.45 : au == 'S' ? 0.56 : au == 'N' ? 0.704 : -1;
	if (c < 0 || i < 0 || a < 0 || dav < 0 || dac < 0 || dau < 0)
		return -1;
	double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
	double expl = 20 * dav * dac * dau;
	double f = impact == 0 ? 0 : 1.176;
	double base = (0.6 * impact + 0.4 * expl - 1.5) * f;
	return round(base * 10) / 10;
}

double vdb_cvss_score(const char *vec)
{
	if (!vec)
		return -1;
	if (strncmp(vec, "CVSS:3.0/", 9) == 0 || strncmp(vec, "CVSS:3.1/", 9) == 0)
		return v3(vec + 9);
	if (strncmp(vec, "CVSS:", 5) == 0)
		return -1;
	if (strncmp(vec, "(", 1) == 0)
		vec++; /* some feeds wrap v2 vectors in parentheses */
	return v2(vec);
}
