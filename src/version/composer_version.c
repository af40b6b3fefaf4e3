/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packagist (Composer) versions. Composer normalises a version
 * (composer/semver VersionParser::normalize) and then orders normalised
 * strings with PHP's version_compare() (Comparator). We do both:
 *   [v]N[.N[.N[.N]]] padded to four numbers (1.0 == 1.0.0.0), then an
 *   optional stability suffix [._-](stable|alpha|a|beta|b|RC|rc|patch|pl|p)
 *   with optional numbers, then an optional [.-]dev.
 * PHP's order for the suffix parts: unknown words < dev < alpha = a <
 * beta = b < RC = rc < a number < pl = p (= patch); a missing part equals
 * a number when the other side's next part is a word (so 1.0 > 1.0-beta1,
 * 1.0 < 1.0-patch1, 1.0 > 1.0-dev). Branch versions ("dev-main") are not
 * ordered by Composer and are reported invalid here. Date versions and
 * "x" wildcards are constraint syntax, not versions.
 */
#include <string.h>

#include "version/version_scheme.h"

struct cv {
	const char *num[4];
	size_t numn[4];
	const char *suf; /* suffix text after the numbers, may be empty */
	size_t sufn;
};

static bool word_ci(const char *p, const char *end, const char *w, const char **out)
{
	size_t n = strlen(w);
	if ((size_t)(end - p) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (dd_v_tolower((unsigned char)p[i]) != (unsigned char)w[i])
			return false;
	*out = p + n;
	return true;
}

static const char *parse(const char *s, size_t n, struct cv *v)
{
	const char *p = s, *end = s + n;
	memset(v, 0, sizeof *v);
	if (memchr(s, '\0', n))
		return "contains a NUL byte";
	dd_v_trim(&p, &end);
	if (end - p >= 4 && dd_version_casecmp(p, 4, "dev-", 4) == 0)
		return "a branch (dev-*) has no version order";
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	for (int i = 0; i < 4; i++) {
		if (i > 0) {
			if (!(p + 1 < end && *p == '.' && dd_v_digit((unsigned char)p[1])))
				break;
			p++;
		}
		const char *d = p;
		while (p < end && dd_v_digit((unsigned char)*p))
			p++;
		if (p == d)
			return "expected a number";
		v->num[i] = d;
		v->numn[i] = (size_t)(p - d);
	}
	for (int i = 0; i < 4; i++)
		if (!v->num[i]) {
			v->num[i] = "0";
			v->numn[i] = 1;
		}
	v->suf = p;
	const char *q = p;
	if (q < end && (*q == '.' || *q == '_' || *q == '-'))
		q++;
	static const char *const stab[] = { "stable", "alpha", "beta", "patch", "pl", "rc",
					    "a", "b", "p" };
	const char *t = q;
	for (size_t i = 0; i < sizeof stab / sizeof *stab; i++)
		if (word_ci(q, end, stab[i], &t))
			break;
	if (t != q) {
		q = t;
		for (;;) {
			const char *u = q;
			if (u < end && (*u == '.' || *u == '-'))
				u++;
			if (u < end && dd_v_digit((unsigned char)*u)) {
				while (u < end && dd_v_digit((unsigned char)*u))
					u++;
				q = u;
				continue;
			}
			break;
		}
		p = q;
	}
	q = p;
	if (q < end && (*q == '.' || *q == '-'))
		q++;
	if (word_ci(q, end, "dev", &t))
		p = t;
	if (p != end)
		return "not a Composer version";
	v->sufn = (size_t)(end - v->suf);
	return NULL;
}

/* PHP version_compare's special forms. */
static int special(const char *s, size_t n)
{
	static const struct {
		const char *f;
		int o;
	} forms[] = { { "dev", 0 }, { "alpha", 1 }, { "a", 1 },  { "beta", 2 }, { "b", 2 },
		      { "RC", 3 },  { "rc", 3 },    { "#", 4 },  { "pl", 5 },   { "p", 5 } };
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		size_t fl = strlen(forms[i].f);
		if (n >= fl && memcmp(s, forms[i].f, fl) == 0)
			return forms[i].o;
	}
	return -6;
}

/* Next canonical part: a run of digits or of other non-separators. */
static bool part(const char **pp, const char *end, const char **s, size_t *n)
{
	const char *p = *pp;
	while (p < end && (*p == '.' || *p == '-' || *p == '_' || *p == '+'))
		p++;
	if (p >= end)
		return false;
	*s = p;
	bool dig = dd_v_digit((unsigned char)*p);
	while (p < end && *p != '.' && *p != '-' && *p != '_' && *p != '+' &&
	       dd_v_digit((unsigned char)*p) == dig)
		p++;
	*n = (size_t)(p - *s);
	*pp = p;
	return true;
}

static int suffix_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *p = a, *pe = a + an, *q = b, *qe = b + bn;
	const char *x, *y;
	size_t xn, yn;
	for (;;) {
		bool hx = part(&p, pe, &x, &xn), hy = part(&q, qe, &y, &yn);
		if (!hx && !hy)
			return 0;
		if (!hy)
			return dd_v_digit((unsigned char)*x) ? 1 : DD_SIGN(special(x, xn) - 4);
		if (!hx)
			return dd_v_digit((unsigned char)*y) ? -1 : DD_SIGN(4 - special(y, yn));
		bool dx = dd_v_digit((unsigned char)*x), dy = dd_v_digit((unsigned char)*y);
		int r;
		if (dx && dy)
			r = dd_version_numcmp(x, xn, y, yn);
		else if (!dx && !dy)
			r = DD_SIGN(special(x, xn) - special(y, yn));
		else
			r = dx ? DD_SIGN(4 - special(y, yn)) : DD_SIGN(special(x, xn) - 4);
		if (r)
			return r;
	}
}

static int cv_cmp(const struct cv *x, const struct cv *y)
{
	for (int i = 0; i < 4; i++) {
		int r = dd_version_numcmp(x->num[i], x->numn[i], y->num[i], y->numn[i]);
		if (r)
			return r;
	}
	/* Composer writes the stability lower-case except RC; compare the
	 * suffix words case-insensitively by mapping to PHP's forms. */
	char a[DD_VERSION_MAX_BYTES], b[DD_VERSION_MAX_BYTES];
	size_t an = x->sufn < sizeof a ? x->sufn : sizeof a, bn = y->sufn < sizeof b ? y->sufn : sizeof b;
	for (size_t i = 0; i < an; i++)
		a[i] = (char)dd_v_tolower((unsigned char)x->suf[i]);
	for (size_t i = 0; i < bn; i++)
		b[i] = (char)dd_v_tolower((unsigned char)y->suf[i]);
	return suffix_cmp(a, an, b, bn);
}

static dd_code comp_check(const char *s, size_t n, struct dd_err *err)
{
	struct cv v;
	const char *why = parse(s, n, &v);
	return why ? dd_version_bad(err, s, n, "%s", why) : DD_OK;
}

static dd_code comp_compare(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			    int *cmp, struct dd_err *err)
{
	struct cv x, y;
	const char *why = parse(a, an, &x);
	if (why)
		return dd_version_bad(err, a, an, "%s", why);
	why = parse(b, bn, &y);
	if (why)
		return dd_version_bad(err, b, bn, "%s", why);
	*cmp = cv_cmp(&x, &y);
	return DD_OK;
}

static dd_code comp_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	struct cv v;
	const char *why = parse(s, n, &v);
	if (why)
		return dd_version_bad(err, s, n, "%s", why);
	for (int i = 0; i < 4; i++) {
		if (i)
			dd_vout_putc(o, '.');
		const char *d = v.num[i];
		size_t dn = v.numn[i];
		while (dn > 1 && *d == '0')
			d++, dn--;
		dd_vout_put(o, d, dn);
	}
	for (size_t i = 0; i < v.sufn; i++)
		dd_vout_putc(o, (char)dd_v_tolower((unsigned char)v.suf[i]));
	return DD_OK;
}

static dd_code comp_satisfies(const char *v, size_t vn, const char *r, size_t rn,
			      unsigned flags, bool *ok, struct dd_err *err)
{
	return dd_version_clauses_satisfy(&dd_version_composer, v, vn, r, rn, flags, ok, err);
}

const struct dd_version_scheme dd_version_composer = {
	.name = "composer",
	.summary = "Packagist/Composer: normalised to 4 numbers, PHP version_compare",
	.check = comp_check,
	.compare = comp_compare,
	.canonical = comp_canonical,
	.satisfies = comp_satisfies,
};
