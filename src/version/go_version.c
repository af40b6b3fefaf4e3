/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go module versions, as golang.org/x/mod/semver orders them (Go modules
 * reference, "Versions"): vMAJOR[.MINOR[.PATCH[-pre][+build]]], the "v"
 * required, shorthands v1 and v1.2 meaning v1.0.0 and v1.2.0 (without
 * prerelease or build), no leading zeros. Build metadata, including
 * "+incompatible", is ignored by the ordering. Pseudo-versions
 * (v0.0.0-20191109021931-daa7c04131f5, vX.Y.(Z+1)-0.yyyymmddhhmmss-hash)
 * are ordinary prereleases and therefore sort below the release they
 * precede and in commit-time order among themselves.
 *
 * x/mod's Compare orders invalid strings below every valid one and equal to
 * each other; `go` uses that order, so our compare does too, and
 * dd_version_check() reports them invalid with the reason. OSV Go
 * advisories use "SEMVER" ranges without the "v", which the OSV evaluator
 * compares with the semver scheme, not this one.
 */
#include <string.h>

#include "version/version_scheme.h"

struct gov {
	const char *num[3];
	size_t numn[3];
	const char *pre;
	size_t pren;
	const char *build;
	size_t buildn;
	int parts; /* 1, 2 or 3 as written */
};

static bool num(const char **pp, const char *end, const char **s, size_t *n)
{
	const char *p = *pp;
	if (p >= end || !dd_v_digit((unsigned char)*p))
		return false;
	*s = p;
	while (p < end && dd_v_digit((unsigned char)*p))
		p++;
	*n = (size_t)(p - *s);
	if (**s == '0' && *n > 1)
		return false;
	*pp = p;
	return true;
}

static const char *parse(const char *s, size_t n, struct gov *v)
{
	const char *p = s, *end = s + n, *why;
	memset(v, 0, sizeof *v);
	static const char zero[] = "0";
	if (p >= end || *p != 'v')
		return "must start with \"v\"";
	p++;
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (p == end)
				break;
			if (*p != '.')
				break;
			p++;
		}
		if (!num(&p, end, &v->num[i], &v->numn[i]))
			return "expected a number without leading zeros";
		v->parts = i + 1;
	}
	for (int i = v->parts; i < 3; i++) {
		v->num[i] = zero;
		v->numn[i] = 1;
	}
	if (p < end && *p == '-') {
		if (v->parts < 3)
			return "a prerelease needs MAJOR.MINOR.PATCH";
		v->pre = ++p;
		if (!dd_version_idents(&p, end, true, &why))
			return "bad prerelease identifier";
		v->pren = (size_t)(p - v->pre);
	}
	if (p < end && *p == '+') {
		if (v->parts < 3)
			return "build metadata needs MAJOR.MINOR.PATCH";
		v->build = ++p;
		if (!dd_version_idents(&p, end, false, &why))
			return "bad build identifier";
		v->buildn = (size_t)(p - v->build);
	}
	if (p != end)
		return "unexpected character";
	return NULL;
}

static int ident_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	bool ad = true, bd = true;
	for (size_t i = 0; i < an; i++)
		ad = ad && dd_v_digit((unsigned char)a[i]);
	for (size_t i = 0; i < bn; i++)
		bd = bd && dd_v_digit((unsigned char)b[i]);
	if (ad && bd)
		return dd_version_numcmp(a, an, b, bn);
	if (ad)
		return -1;
	if (bd)
		return 1;
	return dd_version_bytecmp(a, an, b, bn);
}

static int pre_cmp(const struct gov *x, const struct gov *y)
{
	if (!x->pre && !y->pre)
		return 0;
	if (!x->pre)
		return 1;
	if (!y->pre)
		return -1;
	const char *a = x->pre, *ae = a + x->pren, *b = y->pre, *be = b + y->pren;
	for (;;) {
		if (a >= ae && b >= be)
			return 0;
		if (a >= ae)
			return -1;
		if (b >= be)
			return 1;
		const char *ad = memchr(a, '.', (size_t)(ae - a)), *bd = memchr(b, '.', (size_t)(be - b));
		if (!ad)
			ad = ae;
		if (!bd)
			bd = be;
		int r = ident_cmp(a, (size_t)(ad - a), b, (size_t)(bd - b));
		if (r)
			return r;
		a = ad < ae ? ad + 1 : ae;
		b = bd < be ? bd + 1 : be;
	}
}

static dd_code go_check(const char *s, size_t n, struct dd_err *err)
{
	struct gov v;
	const char *why = parse(s, n, &v);
	return why ? dd_version_bad(err, s, n, "%s", why) : DD_OK;
}

static dd_code go_compare(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			  int *cmp, struct dd_err *err)
{
	struct gov x, y;
	bool xa = parse(a, an, &x) == NULL, ya = parse(b, bn, &y) == NULL;
	if (!xa || !ya) {
		*cmp = xa == ya ? 0 : xa ? 1 : -1;
		return DD_OK;
	}
	int r = 0;
	for (int i = 0; i < 3 && r == 0; i++)
		r = dd_version_numcmp(x.num[i], x.numn[i], y.num[i], y.numn[i]);
	if (r == 0)
		r = pre_cmp(&x, &y);
	*cmp = r;
	return DD_OK;
}

static dd_code go_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	struct gov v;
	const char *why = parse(s, n, &v);
	if (why)
		return dd_version_bad(err, s, n, "%s", why);
	dd_vout_putc(o, 'v');
	for (int i = 0; i < 3; i++) {
		if (i)
			dd_vout_putc(o, '.');
		dd_vout_put(o, v.num[i], v.numn[i]);
	}
	if (v.pre) {
		dd_vout_putc(o, '-');
		dd_vout_put(o, v.pre, v.pren);
	}
	/* x/mod Canonical drops build metadata but keeps "+incompatible",
	 * which is part of a module version's identity. */
	if (v.build && v.buildn == 12 && memcmp(v.build, "incompatible", 12) == 0)
		dd_vout_puts(o, "+incompatible");
	return DD_OK;
}

static dd_code go_satisfies(const char *v, size_t vn, const char *r, size_t rn, unsigned flags,
			    bool *ok, struct dd_err *err)
{
	return dd_version_clauses_satisfy(&dd_version_go, v, vn, r, rn, flags, ok, err);
}

const struct dd_version_scheme dd_version_go = {
	.name = "go",
	.summary = "Go module versions (v prefix, +incompatible, pseudo-versions)",
	.check = go_check,
	.compare = go_compare,
	.canonical = go_canonical,
	.satisfies = go_satisfies,
};
