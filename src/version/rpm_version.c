/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RPM versions: [epoch:]version[-release], compared as rpm 4.18 compares
 * them (rpmvercmp in rpmio/rpmvercmp.c, rpmverCmp in lib/rpmver.c; the
 * algorithm is described in rpm's docs/manual/dependencies.md and in
 * tests/rpmvercmp.at). Segments are maximal runs of ASCII digits or ASCII
 * letters; everything else separates them, except '~' (sorts before
 * anything, even the end) and '^' (sorts after the end, before anything
 * else). Digit runs compare numerically of any length; a digit run beats a
 * letter run. The epoch defaults to 0; the release is compared only when
 * both sides have one (rpm.ver/rpmverCmp). rpm itself accepts any string;
 * we reject only what cannot be an EVR: empty, a NUL byte, an empty version
 * part, a non-numeric epoch. Differential test against rpm.labelCompare:
 * tests/unit/version/test_version_diff.c.
 */
#include <string.h>

#include "version/version_scheme.h"

struct rpm_v {
	const char *e, *v, *r; /* e NULL: no epoch; r NULL: no release */
	size_t en, vn, rn;
};

static dd_code parse(const char *s, size_t n, struct rpm_v *v, struct dd_err *err)
{
	if (n == 0)
		return dd_version_bad(err, s, n, "empty version");
	if (memchr(s, '\0', n))
		return dd_version_bad(err, s, n, "contains a NUL byte");
	const char *end = s + n, *p = s;
	while (p < end && dd_v_digit((unsigned char)*p))
		p++;
	v->e = NULL;
	v->en = 0;
	if (p < end && *p == ':') {
		v->e = s;
		v->en = (size_t)(p - s); /* ":1.0" is epoch 0, as rpm reads it */
		p++;
	} else {
		p = s;
	}
	const char *hy = NULL;
	for (const char *t = end; t > p; t--)
		if (t[-1] == '-') {
			hy = t - 1;
			break;
		}
	v->v = p;
	v->vn = (size_t)((hy ? hy : end) - p);
	v->r = hy ? hy + 1 : NULL;
	v->rn = hy ? (size_t)(end - hy - 1) : 0;
	if (v->vn == 0)
		return dd_version_bad(err, s, n, "empty version part");
	if (memchr(v->v, ':', v->vn))
		return dd_version_bad(err, s, n, "epoch is not a number");
	return DD_OK;
}

/* rpmvercmp over views. */
static int rpmvercmp_n(const char *a, size_t an, const char *b, size_t bn)
{
	/* rpm's own shortcut, extended: skip the common prefix back to the
	 * start of its last alphanumeric run, a segment boundary. */
	size_t k = 0, m = an < bn ? an : bn;
	while (k < m && a[k] == b[k])
		k++;
	if (k == an && k == bn)
		return 0;
	while (k > 0 && dd_v_alnum((unsigned char)a[k - 1]))
		k--;
	const char *ae = a + an, *be = b + bn;
	a += k;
	b += k;
	while (a < ae || b < be) {
		while (a < ae && !dd_v_alnum((unsigned char)*a) && *a != '~' && *a != '^')
			a++;
		while (b < be && !dd_v_alnum((unsigned char)*b) && *b != '~' && *b != '^')
			b++;
		bool at = a < ae, bt = b < be;
		if ((at && *a == '~') || (bt && *b == '~')) {
			if (!at || *a != '~')
				return 1;
			if (!bt || *b != '~')
				return -1;
			a++, b++;
			continue;
		}
		if ((at && *a == '^') || (bt && *b == '^')) {
			if (!at)
				return -1;
			if (!bt)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++, b++;
			continue;
		}
		if (!(at && bt))
			break;
		const char *sa = a, *sb = b;
		bool isnum = dd_v_digit((unsigned char)*a);
		if (isnum) {
			while (sa < ae && dd_v_digit((unsigned char)*sa))
				sa++;
			while (sb < be && dd_v_digit((unsigned char)*sb))
				sb++;
		} else {
			while (sa < ae && dd_v_alpha((unsigned char)*sa))
				sa++;
			while (sb < be && dd_v_alpha((unsigned char)*sb))
				sb++;
		}
		if (sb == b)
			return isnum ? 1 : -1;
		int r = isnum ? dd_version_numcmp(a, (size_t)(sa - a), b, (size_t)(sb - b))
			      : dd_version_bytecmp(a, (size_t)(sa - a), b, (size_t)(sb - b));
		if (r)
			return r;
		a = sa;
		b = sb;
	}
	if (a >= ae && b >= be)
		return 0;
	return a >= ae ? -1 : 1;
}

static dd_code rpm_check(const char *s, size_t n, struct dd_err *err)
{
	struct rpm_v v;
	return parse(s, n, &v, err);
}

static dd_code rpm_compare(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			   int *cmp, struct dd_err *err)
{
	struct rpm_v x, y;
	dd_code rc = parse(a, an, &x, err);
	if (rc == DD_OK)
		rc = parse(b, bn, &y, err);
	if (rc != DD_OK)
		return rc;
	int r = dd_version_numcmp(x.e ? x.e : "0", x.e ? x.en : 1, y.e ? y.e : "0",
				  y.e ? y.en : 1);
	if (r == 0)
		r = rpmvercmp_n(x.v, x.vn, y.v, y.vn);
	if (r == 0 && x.r && y.r)
		r = rpmvercmp_n(x.r, x.rn, y.r, y.rn);
	*cmp = r;
	return DD_OK;
}

static dd_code rpm_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	struct rpm_v v;
	dd_code rc = parse(s, n, &v, err);
	if (rc != DD_OK)
		return rc;
	size_t en = v.en;
	const char *e = v.e;
	while (en > 0 && *e == '0')
		e++, en--;
	if (en) {
		dd_vout_put(o, e, en);
		dd_vout_putc(o, ':');
	}
	dd_vout_put(o, v.v, v.vn);
	if (v.r) {
		dd_vout_putc(o, '-');
		dd_vout_put(o, v.r, v.rn);
	}
	return DD_OK;
}

static dd_code rpm_satisfies(const char *v, size_t vn, const char *r, size_t rn, unsigned flags,
			     bool *ok, struct dd_err *err)
{
	return dd_version_clauses_satisfy(&dd_version_rpm, v, vn, r, rn, flags, ok, err);
}

static dd_code rpm_parse(const char *s, size_t n, struct dd_version_parsed *p,
			 struct dd_err *err)
{
	struct rpm_v v;
	dd_code rc = parse(s, n, &v, err);
	if (rc != DD_OK)
		return rc;
	const char *part[3] = { v.e, v.v, v.r };
	size_t len[3] = { v.en, v.vn, v.rn };
	for (int i = 0; i < 3; i++) {
		p->part_present[i] = part[i] != NULL;
		p->part_off[i] = part[i] ? (size_t)(part[i] - s) : 0;
		p->part_len[i] = len[i];
	}
	return DD_OK;
}

static int rpm_compare_parsed(const struct dd_version_parsed *a,
			      const struct dd_version_parsed *b)
{
	const char *ae = a->part_present[0] ? a->str + a->part_off[0] : "0";
	const char *be = b->part_present[0] ? b->str + b->part_off[0] : "0";
	int r = dd_version_numcmp(ae, a->part_present[0] ? a->part_len[0] : 1, be,
				  b->part_present[0] ? b->part_len[0] : 1);
	if (r == 0)
		r = rpmvercmp_n(a->str + a->part_off[1], a->part_len[1], b->str + b->part_off[1],
				b->part_len[1]);
	if (r == 0 && a->part_present[2] && b->part_present[2])
		r = rpmvercmp_n(a->str + a->part_off[2], a->part_len[2], b->str + b->part_off[2],
				b->part_len[2]);
	return r;
}

const struct dd_version_scheme dd_version_rpm = {
	.parse = rpm_parse,
	.compare_parsed = rpm_compare_parsed,
	.name = "rpm",
	.summary = "RPM [epoch:]version[-release], rpmvercmp with ~ and ^",
	.check = rpm_check,
	.compare = rpm_compare,
	.canonical = rpm_canonical,
	.satisfies = rpm_satisfies,
};
