/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Python versions (PEP 440, now the "Version specifiers" specification at
 * packaging.python.org) as pypa/packaging reads, normalises and orders
 * them: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spellings
 * PEP 440 normalises (alpha, beta, c, pre, preview, rev, r, implicit "-N"
 * post releases, "_"/"-"/"." separators, a leading "v", case, blanks).
 * Order (packaging's _cmpkey): epoch, release without trailing zeros,
 * pre-release (a dev-only release sorts before every pre-release), post,
 * dev, then local segments (numbers above strings). Numbers are unbounded
 * (compared as digit strings).
 *
 * Specifiers are packaging 26's, evaluated as with prereleases=True (a
 * pre-release is never excluded just for being one): ~= == != <= >= < >
 * === and ==/!= with ".*", comma-separated clauses all holding. The "<V"
 * and ">V" exclusions of PEP 440 (no pre-release of V under "<V", no
 * post-release or local of V over ">V") follow packaging's range engine.
 */
#include <string.h>

#include "version/version_scheme.h"

struct pv {
	const char *epoch;   /* digits, or NULL */
	size_t epochn;
	const char *rel;     /* "1.2.3" (digits and dots) */
	size_t reln;
	int pre;             /* 0 none, 1 a, 2 b, 3 rc */
	const char *pren;    /* digits; NULL = 0 */
	size_t prenn;
	bool post;
	const char *postn;
	size_t postnn;
	bool dev;
	const char *devn;
	size_t devnn;
	const char *local;   /* raw local text, or NULL */
	size_t localn;
	bool wildcard;       /* trailing ".*" (specifiers only) */
};

static bool sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static bool word(const char **pp, const char *end, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(end - *pp) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (dd_v_tolower((unsigned char)(*pp)[i]) != (unsigned char)w[i])
			return false;
	*pp += n;
	return true;
}

static void digits(const char **pp, const char *end, const char **s, size_t *n)
{
	*s = *pp;
	while (*pp < end && dd_v_digit((unsigned char)**pp))
		(*pp)++;
	*n = (size_t)(*pp - *s);
	if (*n == 0)
		*s = NULL;
}

/* Optional separator, then optional number (regex "[-_.]?[0-9]*"); a
 * separator not followed by anything useful is still consumed, as the
 * regex allows ("1.0a." is valid). */
static void sep_num(const char **pp, const char *end, const char **s, size_t *n)
{
	if (*pp < end && sep(**pp) && *pp + 1 <= end)
		(*pp)++;
	digits(pp, end, s, n);
}

static const char *parse(const char *s, size_t n, bool allow_wild, struct pv *v)
{
	const char *p = s, *end = s + n;
	memset(v, 0, sizeof *v);
	if (memchr(s, '\0', n))
		return "contains a NUL byte";
	dd_v_trim(&p, &end);
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	const char *d;
	size_t dn;
	digits(&p, end, &d, &dn);
	if (!d)
		return "expected a release number";
	if (p < end && *p == '!') {
		v->epoch = d;
		v->epochn = dn;
		p++;
		digits(&p, end, &d, &dn);
		if (!d)
			return "expected a release number after the epoch";
	}
	v->rel = d;
	while (p + 1 < end && p[0] == '.' && dd_v_digit((unsigned char)p[1])) {
		p++;
		digits(&p, end, &d, &dn);
	}
	v->reln = (size_t)(p - v->rel);
	if (allow_wild && end - p == 2 && p[0] == '.' && p[1] == '*') {
		v->wildcard = true;
		return NULL;
	}
	/* pre-release */
	const char *q = p;
	if (q < end && sep(*q))
		q++;
	static const struct {
		const char *w;
		int kind;
	} pres[] = { { "alpha", 1 }, { "a", 1 },   { "beta", 2 }, { "b", 2 },
		     { "preview", 3 }, { "pre", 3 }, { "c", 3 },    { "rc", 3 } };
	for (size_t i = 0; i < sizeof pres / sizeof *pres; i++) {
		const char *t = q;
		if (word(&t, end, pres[i].w)) {
			v->pre = pres[i].kind;
			p = t;
			sep_num(&p, end, &v->pren, &v->prenn);
			break;
		}
	}
	/* post-release: "-N" or [sep](post|rev|r)[sep][N] */
	if (p + 1 < end && p[0] == '-' && dd_v_digit((unsigned char)p[1])) {
		p++;
		v->post = true;
		digits(&p, end, &v->postn, &v->postnn);
	} else {
		q = p;
		if (q < end && sep(*q))
			q++;
		if (word(&q, end, "post") || word(&q, end, "rev") || word(&q, end, "r")) {
			/* "r" must not be the start of "rc" here: rc was tried above. */
			v->post = true;
			p = q;
			sep_num(&p, end, &v->postn, &v->postnn);
		}
	}
	q = p;
	if (q < end && sep(*q))
		q++;
	if (word(&q, end, "dev")) {
		v->dev = true;
		p = q;
		sep_num(&p, end, &v->devn, &v->devnn);
	}
	if (p < end && *p == '+') {
		p++;
		v->local = p;
		for (;;) {
			const char *t = p;
			while (p < end && dd_v_alnum((unsigned char)*p))
				p++;
			if (p == t)
				return "empty local version segment";
			if (p + 1 < end && sep(*p) && dd_v_alnum((unsigned char)p[1])) {
				p++;
				continue;
			}
			break;
		}
		v->localn = (size_t)(p - v->local);
	}
	if (p != end)
		return "not a PEP 440 version";
	return NULL;
}

/* i-th release component (0-based), "0" past the end. */
struct relit {
	const char *p, *end;
};

static bool rel_next(struct relit *it, const char **s, size_t *n)
{
	if (it->p >= it->end) {
		*s = "0";
		*n = 1;
		return false;
	}
	const char *d = memchr(it->p, '.', (size_t)(it->end - it->p));
	if (!d)
		d = it->end;
	*s = it->p;
	*n = (size_t)(d - it->p);
	it->p = d < it->end ? d + 1 : it->end;
	return true;
}

static int rel_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct relit x = { a, a + an }, y = { b, b + bn };
	for (;;) {
		const char *s, *t;
		size_t sn, tn;
		bool mx = rel_next(&x, &s, &sn), my = rel_next(&y, &t, &tn);
		if (!mx && !my)
			return 0;
		int r = dd_version_numcmp(s, sn, t, tn);
		if (r)
			return r;
	}
}

static int num_or0(const char *a, size_t an, const char *b, size_t bn)
{
	return dd_version_numcmp(a ? a : "0", a ? an : 1, b ? b : "0", b ? bn : 1);
}

/* Local segments: numbers above strings, strings case-insensitively. */
static int local_cmp(const struct pv *x, const struct pv *y)
{
	if (!x->local && !y->local)
		return 0;
	if (!x->local)
		return -1;
	if (!y->local)
		return 1;
	const char *a = x->local, *ae = a + x->localn, *b = y->local, *be = b + y->localn;
	for (;;) {
		if (a >= ae && b >= be)
			return 0;
		if (a >= ae)
			return -1;
		if (b >= be)
			return 1;
		const char *as = a, *bs = b;
		while (a < ae && !sep(*a))
			a++;
		while (b < be && !sep(*b))
			b++;
		bool ad = true, bd = true;
		for (const char *t = as; t < a; t++)
			ad = ad && dd_v_digit((unsigned char)*t);
		for (const char *t = bs; t < b; t++)
			bd = bd && dd_v_digit((unsigned char)*t);
		int r;
		if (ad && bd)
			r = dd_version_numcmp(as, (size_t)(a - as), bs, (size_t)(b - bs));
		else if (ad != bd)
			r = ad ? 1 : -1;
		else
			r = dd_version_casecmp(as, (size_t)(a - as), bs, (size_t)(b - bs));
		if (r)
			return r;
		if (a < ae)
			a++;
		if (b < be)
			b++;
	}
}

/* packaging's _cmpkey order; with_local false compares public versions. */
static int pv_cmp(const struct pv *x, const struct pv *y, bool with_local)
{
	int r = num_or0(x->epoch, x->epochn, y->epoch, y->epochn);
	if (r)
		return r;
	r = rel_cmp(x->rel, x->reln, y->rel, y->reln);
	if (r)
		return r;
	/* pre: dev-only releases first (-inf), no pre (+inf) */
	int xk = x->pre ? 1 : (!x->post && x->dev) ? 0 : 2;
	int yk = y->pre ? 1 : (!y->post && y->dev) ? 0 : 2;
	if (xk != yk)
		return xk < yk ? -1 : 1;
	if (xk == 1) {
		if (x->pre != y->pre)
			return x->pre < y->pre ? -1 : 1;
		r = num_or0(x->pren, x->prenn, y->pren, y->prenn);
		if (r)
			return r;
	}
	if (x->post != y->post)
		return x->post ? 1 : -1;
	if (x->post) {
		r = num_or0(x->postn, x->postnn, y->postn, y->postnn);
		if (r)
			return r;
	}
	if (x->dev != y->dev)
		return x->dev ? -1 : 1;
	if (x->dev) {
		r = num_or0(x->devn, x->devnn, y->devn, y->devnn);
		if (r)
			return r;
	}
	return with_local ? local_cmp(x, y) : 0;
}

static dd_code pep_check(const char *s, size_t n, struct dd_err *err)
{
	struct pv v;
	const char *why = parse(s, n, false, &v);
	return why ? dd_version_bad(err, s, n, "%s", why) : DD_OK;
}

static dd_code pep_compare(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			   int *cmp, struct dd_err *err)
{
	struct pv x, y;
	const char *why = parse(a, an, false, &x);
	if (why)
		return dd_version_bad(err, a, an, "%s", why);
	why = parse(b, bn, false, &y);
	if (why)
		return dd_version_bad(err, b, bn, "%s", why);
	*cmp = pv_cmp(&x, &y, true);
	return DD_OK;
}

static void put_num(struct dd_vout *o, const char *s, size_t n)
{
	if (!s) {
		dd_vout_putc(o, '0');
		return;
	}
	while (n > 1 && *s == '0')
		s++, n--;
	dd_vout_put(o, s, n);
}

static void put_public(struct dd_vout *o, const struct pv *v)
{
	if (v->epoch && dd_version_numcmp(v->epoch, v->epochn, "0", 1) != 0) {
		put_num(o, v->epoch, v->epochn);
		dd_vout_putc(o, '!');
	}
	struct relit it = { v->rel, v->rel + v->reln };
	const char *s;
	size_t sn;
	bool firstc = true;
	while (it.p < it.end && rel_next(&it, &s, &sn)) {
		if (!firstc)
			dd_vout_putc(o, '.');
		firstc = false;
		put_num(o, s, sn);
	}
	if (v->pre) {
		dd_vout_puts(o, v->pre == 1 ? "a" : v->pre == 2 ? "b" : "rc");
		put_num(o, v->pren, v->prenn);
	}
	if (v->post) {
		dd_vout_puts(o, ".post");
		put_num(o, v->postn, v->postnn);
	}
	if (v->dev) {
		dd_vout_puts(o, ".dev");
		put_num(o, v->devn, v->devnn);
	}
}

static dd_code pep_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	struct pv v;
	const char *why = parse(s, n, false, &v);
	if (why)
		return dd_version_bad(err, s, n, "%s", why);
	put_public(o, &v);
	if (v.local) {
		dd_vout_putc(o, '+');
		const char *p = v.local, *e = v.local + v.localn;
		while (p < e) {
			const char *t = p;
			while (t < e && !sep(*t))
				t++;
			bool dig = true;
			for (const char *u = p; u < t; u++)
				dig = dig && dd_v_digit((unsigned char)*u);
			if (dig) {
				put_num(o, p, (size_t)(t - p));
			} else {
				for (const char *u = p; u < t; u++)
					dd_vout_putc(o, (char)dd_v_tolower((unsigned char)*u));
			}
			if (t < e)
				dd_vout_putc(o, '.');
			p = t < e ? t + 1 : e;
		}
	}
	return DD_OK;
}

/* Same epoch, same release (trailing zeros ignored) and same pre-release:
 * packaging's "family" of V for the > and == boundaries. */
static bool same_erp(const struct pv *x, const struct pv *v)
{
	if (num_or0(x->epoch, x->epochn, v->epoch, v->epochn) != 0)
		return false;
	if (rel_cmp(x->rel, x->reln, v->rel, v->reln) != 0)
		return false;
	if (x->pre != v->pre)
		return false;
	return !x->pre || num_or0(x->pren, x->prenn, v->pren, v->prenn) == 0;
}

/* x's release, truncated or zero-padded to the length of pattern's, equals
 * pattern's (used by ".*" and "~="); with upto, x's prefix <= pattern's. */
static int prefix_cmp(const struct pv *x, const char *pat, size_t patn)
{
	struct relit xi = { x->rel, x->rel + x->reln }, pi = { pat, pat + patn };
	const char *s, *t;
	size_t sn, tn;
	while (rel_next(&pi, &t, &tn)) {
		rel_next(&xi, &s, &sn);
		int r = dd_version_numcmp(s, sn, t, tn);
		if (r)
			return r;
	}
	return 0;
}

static dd_code one_spec(const struct pv *x, const char *xs, size_t xn, const char *p,
			const char *end, bool *ok, struct dd_err *err)
{
	const char *sp = p;
	dd_v_trim(&p, &end);
	const char *op = p;
	while (p < end && *p && strchr("~=!<>", *p))
		p++;
	size_t opn = (size_t)(p - op);
	while (p < end && dd_v_space((unsigned char)*p))
		p++;
#define OPIS(s) (opn == strlen(s) && memcmp(op, s, opn) == 0)
	if (OPIS("===")) {
		/* Arbitrary equality: the strings, case-insensitively. */
		const char *a = xs, *ae = xs + xn;
		while (a < ae && dd_v_space((unsigned char)*a))
			a++;
		while (ae > a && dd_v_space((unsigned char)ae[-1]))
			ae--;
		*ok = dd_version_casecmp(a, (size_t)(ae - a), p, (size_t)(end - p)) == 0;
		return DD_OK;
	}
	bool eq = OPIS("=="), ne = OPIS("!=");
	if (!(eq || ne || OPIS("~=") || OPIS("<=") || OPIS(">=") || OPIS("<") || OPIS(">")))
		return dd_version_bad(err, sp, (size_t)(end - sp),
				      "specifier needs one of ~= == != <= >= < > ===");
	struct pv v;
	const char *why = parse(p, (size_t)(end - p), eq || ne, &v);
	if (why)
		return dd_version_bad(err, sp, (size_t)(end - sp), "%s", why);
	/* The specifier grammar allows no blanks inside the version. */
	for (const char *t = p; t < end; t++)
		if (dd_v_space((unsigned char)*t))
			return dd_version_bad(err, sp, (size_t)(end - sp), "blank in version");
	if (v.local && !(eq || ne))
		return dd_version_bad(err, sp, (size_t)(end - sp),
				      "a local version is allowed only with == and !=");
	if (eq || ne) {
		bool m;
		if (v.wildcard) {
			m = num_or0(x->epoch, x->epochn, v.epoch, v.epochn) == 0 &&
			    prefix_cmp(x, v.rel, v.reln) == 0;
		} else if (v.local) {
			m = pv_cmp(x, &v, true) == 0;
		} else {
			m = pv_cmp(x, &v, false) == 0;
		}
		*ok = eq ? m : !m;
		return DD_OK;
	}
	if (OPIS("~=")) {
		if (!memchr(v.rel, '.', v.reln))
			return dd_version_bad(err, sp, (size_t)(end - sp),
					      "~= needs at least two release numbers");
		/* >= V and below the next prefix: 1.4.5 -> [1.4.5, 1.5.dev0) */
		const char *lastdot = v.rel + v.reln;
		while (lastdot[-1] != '.')
			lastdot--;
		size_t pn = (size_t)(lastdot - 1 - v.rel);
		int e = num_or0(x->epoch, x->epochn, v.epoch, v.epochn);
		*ok = pv_cmp(x, &v, true) >= 0 && (e < 0 || (e == 0 && prefix_cmp(x, v.rel, pn) <= 0));
		return DD_OK;
	}
	if (OPIS(">=")) {
		*ok = pv_cmp(x, &v, true) >= 0;
		return DD_OK;
	}
	if (OPIS("<=")) {
		*ok = pv_cmp(x, &v, false) <= 0;
		return DD_OK;
	}
	if (OPIS("<")) {
		if (!v.pre && !v.dev) {
			/* <V excludes V's pre-releases: compare with V.dev0. */
			v.dev = true;
			v.devn = NULL;
		}
		*ok = pv_cmp(x, &v, true) < 0;
		return DD_OK;
	}
	/* ">" */
	if (v.dev || v.post) {
		/* The next real version after V.devN / V.postN: anything above V
		 * that is not V+local. */
		*ok = pv_cmp(x, &v, true) > 0 && pv_cmp(x, &v, false) != 0;
		return DD_OK;
	}
	*ok = pv_cmp(x, &v, true) > 0 && !same_erp(x, &v);
	return DD_OK;
#undef OPIS
}

static dd_code pep_satisfies(const char *vs, size_t vn, const char *r, size_t rn,
			     unsigned flags, bool *ok, struct dd_err *err)
{
	struct pv x;
	const char *why = parse(vs, vn, false, &x);
	if (why)
		return dd_version_bad(err, vs, vn, "%s", why);
	bool all = true;
	const char *p = r, *end = r + rn;
	while (p <= end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			c = end;
		const char *t = p;
		while (t < c && dd_v_space((unsigned char)*t))
			t++;
		if (t < c) {
			bool one = false;
			dd_code rc = one_spec(&x, vs, vn, p, c, &one, err);
			if (rc != DD_OK)
				return rc;
			all = all && one;
		}
		if (c == end)
			break;
		p = c + 1;
	}
	*ok = all;
	return DD_OK;
}

const struct dd_version_scheme dd_version_pep440 = {
	.name = "pep440",
	.summary = "Python PEP 440 versions and specifiers (pypa/packaging rules)",
	.check = pep_check,
	.compare = pep_compare,
	.canonical = pep_canonical,
	.satisfies = pep_satisfies,
};
