/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SemVer 2.0.0 (https://semver.org, §9-§11 precedence) as node-semver 7
 * implements it, which is what npm, GitHub advisories and OSV "SEMVER"
 * ranges mean by it:
 *   semver  node-semver's strict parser: [v]MAJOR.MINOR.PATCH[-pre][+build],
 *           no leading zeros in numbers, surrounding blanks trimmed
 *   npm     node-semver's loose parser: any of "v", "=" and blanks in front,
 *           leading zeros allowed, the "-" before a prerelease optional
 *   nuget   NuGet's rules: 1 to 4 numeric parts (missing ones are 0), the
 *           prerelease compared case-insensitively, build metadata ignored
 * Ranges (semver, npm) follow node-semver's Range: "||" alternatives of
 * space-separated comparators, with "^", "~"/"~>", X-ranges ("1.x", "*"),
 * hyphen ranges "A - B" and the includePrerelease option
 * (DD_VERSION_INCLUDE_PRERELEASE). node-semver's satisfies() answers false
 * for an invalid version or range; we report DD_EINVAL instead, with why.
 * Numbers are limited to 2^53-1 as node-semver limits them
 * (Number.MAX_SAFE_INTEGER); identifiers are views, nothing is allocated.
 */
#include <string.h>

#include "version/version_scheme.h"

#define MAX_SAFE 9007199254740991ull

enum mode { M_STRICT, M_LOOSE, M_NUGET };

struct sv {
	uint64_t num[4];     /* major, minor, patch (NuGet: + revision) */
	const char *pre;     /* dotted identifiers without the "-", or NULL */
	size_t pren;
	const char *build;   /* without the "+", or NULL */
	size_t buildn;
	bool major_zero_text; /* the major was written exactly "0" */
	bool minor_zero_text;
};

static bool idchar(unsigned char c)
{
	return dd_v_alnum(c) || c == '-';
}

/* Reads a number; strict forbids leading zeros. Returns false on none. */
static bool number(const char **pp, const char *end, bool strict, uint64_t *out,
		   const char **why)
{
	const char *p = *pp;
	if (p >= end || !dd_v_digit((unsigned char)*p)) {
		*why = "expected a number";
		return false;
	}
	if (strict && *p == '0' && p + 1 < end && dd_v_digit((unsigned char)p[1])) {
		*why = "number with a leading zero";
		return false;
	}
	uint64_t v = 0;
	for (; p < end && dd_v_digit((unsigned char)*p); p++) {
		if (v > MAX_SAFE / 10 + 1) {
			*why = "number larger than 2^53-1";
			return false;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > MAX_SAFE) {
		*why = "number larger than 2^53-1";
		return false;
	}
	*out = v;
	*pp = p;
	return true;
}

bool dd_version_idents(const char **pp, const char *end, bool strict_numeric, const char **why)
{
	const char *p = *pp;
	for (;;) {
		const char *s = p;
		bool alldig = true;
		while (p < end && idchar((unsigned char)*p)) {
			if (!dd_v_digit((unsigned char)*p))
				alldig = false;
			p++;
		}
		if (p == s) {
			*why = "empty identifier";
			return false;
		}
		if (strict_numeric && alldig && *s == '0' && p - s > 1) {
			*why = "numeric identifier with a leading zero";
			return false;
		}
		if (p < end && *p == '.') {
			p++;
			continue;
		}
		break;
	}
	*pp = p;
	return true;
}

static dd_code parse(const char *s, size_t n, enum mode m, struct sv *v, struct dd_err *err)
{
	const char *p = s, *end = s + n, *why = NULL;
	memset(v, 0, sizeof *v);
	if (n > 256)
		return dd_version_bad(err, s, n, "longer than 256 characters");
	dd_v_trim(&p, &end);
	if (m == M_LOOSE) {
		while (p < end && (*p == 'v' || *p == '=' || dd_v_space((unsigned char)*p)))
			p++;
	} else if (p < end && *p == 'v' && m == M_STRICT) {
		p++;
	}
	int parts = m == M_NUGET ? 4 : 3;
	int i;
	for (i = 0; i < parts; i++) {
		if (i > 0) {
			if (p >= end || *p != '.') {
				if (m == M_NUGET)
					break;
				return dd_version_bad(err, s, n, "needs MAJOR.MINOR.PATCH");
			}
			p++;
		}
		const char *start = p;
		if (!number(&p, end, m == M_STRICT, &v->num[i], &why))
			return dd_version_bad(err, s, n, "%s at offset %zu", why,
					      (size_t)(p - s));
		if (i == 0)
			v->major_zero_text = p - start == 1 && *start == '0';
		if (i == 1)
			v->minor_zero_text = p - start == 1 && *start == '0';
	}
	if (p < end && (*p == '-' || (m == M_LOOSE && idchar((unsigned char)*p)))) {
		if (*p == '-')
			p++;
		v->pre = p;
		if (!dd_version_idents(&p, end, m == M_STRICT, &why))
			return dd_version_bad(err, s, n, "prerelease: %s", why);
		v->pren = (size_t)(p - v->pre);
	}
	if (p < end && *p == '+') {
		p++;
		v->build = p;
		if (!dd_version_idents(&p, end, false, &why))
			return dd_version_bad(err, s, n, "build metadata: %s", why);
		v->buildn = (size_t)(p - v->build);
	}
	if (p != end)
		return dd_version_bad(err, s, n, "unexpected character at offset %zu",
				      (size_t)(p - s));
	return DD_OK;
}

/* node-semver compareIdentifiers: numeric < alphanumeric, numbers by
 * value, strings by code unit (ASCII here); nuget: case-insensitive. */
static int ident_cmp(const char *a, size_t an, const char *b, size_t bn, bool nocase)
{
	bool ad = an > 0, bd = bn > 0;
	for (size_t i = 0; i < an && ad; i++)
		ad = dd_v_digit((unsigned char)a[i]);
	for (size_t i = 0; i < bn && bd; i++)
		bd = dd_v_digit((unsigned char)b[i]);
	if (ad && bd)
		return dd_version_numcmp(a, an, b, bn);
	if (ad)
		return -1;
	if (bd)
		return 1;
	return nocase ? dd_version_casecmp(a, an, b, bn) : dd_version_bytecmp(a, an, b, bn);
}

/* Walks dotted lists; returns the first difference. A shorter list that is
 * a prefix sorts first. */
static int list_cmp(const char *a, size_t an, const char *b, size_t bn, bool nocase,
		    bool first_only)
{
	const char *ae = a + an, *be = b + bn;
	const char *x = a, *y = b;
	for (;;) {
		if (x >= ae && y >= be)
			return 0;
		if (y >= be)
			return 1;
		if (x >= ae)
			return -1;
		const char *xe = memchr(x, '.', (size_t)(ae - x));
		const char *ye = memchr(y, '.', (size_t)(be - y));
		if (!xe)
			xe = ae;
		if (!ye)
			ye = be;
		int r = ident_cmp(x, (size_t)(xe - x), y, (size_t)(ye - y), nocase);
		/* compareBuild returns on the first unequal-by-text pair, even
		 * when the identifiers are numerically equal ("01" vs "1"). */
		bool same_text = xe - x == ye - y && memcmp(x, y, (size_t)(xe - x)) == 0;
		if (r != 0 || (first_only && !same_text))
			return r;
		x = xe < ae ? xe + 1 : ae;
		y = ye < be ? ye + 1 : be;
	}
}

static int sv_cmp(const struct sv *a, const struct sv *b, enum mode m, unsigned flags)
{
	for (int i = 0; i < 4; i++)
		if (a->num[i] != b->num[i])
			return a->num[i] < b->num[i] ? -1 : 1;
	if (a->pre && !b->pre)
		return -1;
	if (!a->pre && b->pre)
		return 1;
	if (a->pre) {
		int r = list_cmp(a->pre, a->pren, b->pre, b->pren, m == M_NUGET, false);
		if (r)
			return r;
	}
	if ((flags & DD_VERSION_COMPARE_BUILD) && m != M_NUGET) {
		if (!a->build && !b->build)
			return 0;
		if (!b->build)
			return 1;
		if (!a->build)
			return -1;
		return list_cmp(a->build, a->buildn, b->build, b->buildn, false, true);
	}
	return 0;
}

static dd_code cmp_mode(enum mode m, const char *a, size_t an, const char *b, size_t bn,
			unsigned flags, int *cmp, struct dd_err *err)
{
	struct sv x, y;
	dd_code rc = parse(a, an, m, &x, err);
	if (rc == DD_OK)
		rc = parse(b, bn, m, &y, err);
	if (rc != DD_OK)
		return rc;
	*cmp = sv_cmp(&x, &y, m, flags);
	return DD_OK;
}

static dd_code canon_mode(enum mode m, const char *s, size_t n, struct dd_vout *o,
			  struct dd_err *err)
{
	struct sv v;
	dd_code rc = parse(s, n, m, &v, err);
	if (rc != DD_OK)
		return rc;
	int parts = 3;
	if (m == M_NUGET && v.num[3])
		parts = 4;
	for (int i = 0; i < parts; i++) {
		if (i)
			dd_vout_putc(o, '.');
		dd_vout_putu(o, v.num[i]);
	}
	if (v.pre) {
		dd_vout_putc(o, '-');
		/* Loose numeric identifiers lose their leading zeros (node-semver
		 * stores them as numbers). */
		const char *p = v.pre, *e = v.pre + v.pren;
		while (p < e) {
			const char *q = memchr(p, '.', (size_t)(e - p));
			if (!q)
				q = e;
			bool dig = true;
			for (const char *t = p; t < q; t++)
				dig = dig && dd_v_digit((unsigned char)*t);
			const char *t = p;
			if (dig)
				while (q - t > 1 && *t == '0')
					t++;
			dd_vout_put(o, t, (size_t)(q - t));
			if (q < e)
				dd_vout_putc(o, '.');
			p = q < e ? q + 1 : e;
		}
	}
	if (v.build && m != M_NUGET) {
		dd_vout_putc(o, '+');
		dd_vout_put(o, v.build, v.buildn);
	}
	return DD_OK;
}

/* ---- node-semver ranges ----------------------------------------------- */

enum op { OP_ANY, OP_LT, OP_LE, OP_EQ, OP_GE, OP_GT };

struct comparator {
	enum op op;
	struct sv v; /* v.pre may point at the static "0" */
};

#define MAX_COMPS 64

struct cset {
	struct comparator c[MAX_COMPS];
	int n;
	bool null_set;
};

static const char zero_pre[] = "0";

static bool is_x(const char *p, size_t n)
{
	return n == 0 || (n == 1 && (*p == 'x' || *p == 'X' || *p == '*'));
}

/* XRANGEPLAIN: [v=\s]*ID(.ID(.ID(PRE)?(BUILD)?)?)? where ID is a number,
 * x, X or *. Must consume [p, end) exactly. */
struct xr {
	const char *id[3];
	size_t idn[3];
	const char *pre;
	size_t pren;
	const char *text; /* from the first ID on */
	size_t textn;
};

static bool xrange_plain(const char *p, const char *end, bool loose, struct xr *x)
{
	memset(x, 0, sizeof *x);
	while (p < end && (*p == 'v' || *p == '=' || dd_v_space((unsigned char)*p)))
		p++;
	x->text = p;
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (p >= end || *p != '.')
				break;
			p++;
		}
		const char *s = p;
		if (p < end && (*p == 'x' || *p == 'X' || *p == '*')) {
			p++;
		} else {
			while (p < end && dd_v_digit((unsigned char)*p))
				p++;
			if (p == s)
				return false;
			if (!loose && *s == '0' && p - s > 1)
				return false;
		}
		x->id[i] = s;
		x->idn[i] = (size_t)(p - s);
		if (i == 2 && p < end) {
			const char *why;
			if (*p == '-' || (loose && idchar((unsigned char)*p))) {
				if (*p == '-')
					p++;
				x->pre = p;
				if (!dd_version_idents(&p, end, !loose, &why))
					return false;
				x->pren = (size_t)(p - x->pre);
			}
			if (p < end && *p == '+') {
				p++;
				if (!dd_version_idents(&p, end, false, &why))
					return false;
			}
		}
	}
	x->textn = (size_t)(end - x->text);
	return p == end;
}

static bool xnum(const struct xr *x, int i, uint64_t *out)
{
	const char *why;
	const char *p = x->id[i];
	return number(&p, x->id[i] + x->idn[i], false, out, &why);
}

static bool add(struct cset *cs, enum op op, uint64_t M, uint64_t m, uint64_t p,
		const char *pre, size_t pren)
{
	if (cs->n >= MAX_COMPS)
		return false;
	struct comparator *c = &cs->c[cs->n++];
	memset(c, 0, sizeof *c);
	c->op = op;
	c->v.num[0] = M;
	c->v.num[1] = m;
	c->v.num[2] = p;
	c->v.pre = pre;
	c->v.pren = pren;
	if (op == OP_LT && M == 0 && m == 0 && p == 0 && pre == zero_pre)
		cs->null_set = true;
	return true;
}

/* Parses one whitespace-free comparator token into cs. Returns false if
 * node-semver would reject it. */
static bool token(struct cset *cs, const char *p, const char *end, bool loose, bool incpre)
{
	const char *zp = incpre ? zero_pre : NULL;
	size_t zn = incpre ? 1 : 0;
	struct xr x;
	uint64_t M = 0, m = 0, pt = 0;
	if (p < end && *p == '^') {
		if (!xrange_plain(p + 1, end, loose, &x))
			return false;
		if (is_x(x.id[0], x.idn[0]))
			return add(cs, OP_ANY, 0, 0, 0, NULL, 0);
		if (!xnum(&x, 0, &M))
			return false;
		bool M0 = x.idn[0] == 1 && x.id[0][0] == '0';
		if (is_x(x.id[1], x.idn[1]))
			return add(cs, OP_GE, M, 0, 0, zp, zn) &&
			       add(cs, OP_LT, M + 1, 0, 0, zero_pre, 1);
		if (!xnum(&x, 1, &m))
			return false;
		bool m0 = x.idn[1] == 1 && x.id[1][0] == '0';
		if (is_x(x.id[2], x.idn[2])) {
			if (M0)
				return add(cs, OP_GE, M, m, 0, zp, zn) &&
				       add(cs, OP_LT, M, m + 1, 0, zero_pre, 1);
			return add(cs, OP_GE, M, m, 0, zp, zn) &&
			       add(cs, OP_LT, M + 1, 0, 0, zero_pre, 1);
		}
		if (!xnum(&x, 2, &pt))
			return false;
		/* node-semver >= 7.6 adds no "-0" here even with
		 * includePrerelease: ^0.0.3 does not take 0.0.3-alpha. */
		const char *lp = x.pre;
		size_t ln = x.pren;
		if (M0 && m0)
			return add(cs, OP_GE, M, m, pt, lp, ln) &&
			       add(cs, OP_LT, M, m, pt + 1, zero_pre, 1);
		if (M0)
			return add(cs, OP_GE, M, m, pt, lp, ln) &&
			       add(cs, OP_LT, M, m + 1, 0, zero_pre, 1);
		return add(cs, OP_GE, M, m, pt, lp, ln) && add(cs, OP_LT, M + 1, 0, 0, zero_pre, 1);
	}
	if (p < end && *p == '~') {
		const char *q = p + 1;
		if (q < end && *q == '>')
			q++;
		if (!xrange_plain(q, end, loose, &x))
			return false;
		if (is_x(x.id[0], x.idn[0]))
			return add(cs, OP_ANY, 0, 0, 0, NULL, 0);
		if (!xnum(&x, 0, &M))
			return false;
		if (is_x(x.id[1], x.idn[1]))
			return add(cs, OP_GE, M, 0, 0, zp, zn) &&
			       add(cs, OP_LT, M + 1, 0, 0, zero_pre, 1);
		if (!xnum(&x, 1, &m))
			return false;
		if (is_x(x.id[2], x.idn[2]))
			return add(cs, OP_GE, M, m, 0, zp, zn) &&
			       add(cs, OP_LT, M, m + 1, 0, zero_pre, 1);
		if (!xnum(&x, 2, &pt))
			return false;
		return add(cs, OP_GE, M, m, pt, x.pre, x.pren) &&
		       add(cs, OP_LT, M, m + 1, 0, zero_pre, 1);
	}
	/* X-range or plain comparator: GTLT \s* XRANGEPLAIN. */
	const char *q = p;
	enum op op = OP_EQ;
	if (q < end && (*q == '<' || *q == '>')) {
		op = *q == '<' ? OP_LT : OP_GT;
		q++;
		if (q < end && *q == '=') {
			op = op == OP_LT ? OP_LE : OP_GE;
			q++;
		}
	} else if (q < end && *q == '=') {
		q++;
	}
	if (!xrange_plain(q, end, loose, &x))
		return false;
	bool xM = is_x(x.id[0], x.idn[0]);
	bool xm = xM || is_x(x.id[1], x.idn[1]);
	bool xp = xm || is_x(x.id[2], x.idn[2]);
	if (!xp) {
		/* A full version: node-semver's Comparator parses the text, so
		 * strict mode allows only a "v" between operator and number. */
		if (!loose) {
			const char *t = q;
			if (t < end && *t == 'v')
				t++;
			if (t != x.text)
				return false;
		}
		struct sv v;
		if (parse(x.text, x.textn, loose ? M_LOOSE : M_STRICT, &v, NULL) != DD_OK)
			return false;
		if (cs->n >= MAX_COMPS)
			return false;
		cs->c[cs->n].op = op;
		cs->c[cs->n].v = v;
		cs->n++;
		return true;
	}
	if (x.pre)
		return false; /* node-semver cannot write a prerelease on an X-range */
	if (xM) {
		if (op == OP_LT || op == OP_GT) {
			cs->null_set = true;
			return add(cs, OP_LT, 0, 0, 0, zero_pre, 1);
		}
		return add(cs, OP_ANY, 0, 0, 0, NULL, 0);
	}
	if (!xnum(&x, 0, &M))
		return false;
	if (!xm && !xnum(&x, 1, &m))
		return false;
	if (op != OP_EQ) {
		const char *pr = zp;
		size_t prn = zn;
		if (xm)
			m = 0;
		pt = 0;
		if (op == OP_GT) {
			op = OP_GE;
			if (xm)
				M++, m = 0;
			else
				m++;
		} else if (op == OP_LE) {
			op = OP_LT;
			if (xm)
				M++;
			else
				m++;
		}
		if (op == OP_LT)
			pr = zero_pre, prn = 1;
		return add(cs, op, M, m, pt, pr, prn);
	}
	if (xm)
		return add(cs, OP_GE, M, 0, 0, zp, zn) && add(cs, OP_LT, M + 1, 0, 0, zero_pre, 1);
	return add(cs, OP_GE, M, m, 0, zp, zn) && add(cs, OP_LT, M, m + 1, 0, zero_pre, 1);
}

/* "A - B" with both sides XRANGEPLAIN. */
static bool hyphen(struct cset *cs, const char *p, const char *end, bool loose, bool incpre)
{
	const char *dash = NULL;
	for (const char *t = p; t + 2 < end; t++)
		if (dd_v_space((unsigned char)t[0]) && t[1] == '-' && dd_v_space((unsigned char)t[2])) {
			dash = t;
			break;
		}
	if (!dash)
		return false;
	const char *ae = dash, *bs = dash + 2;
	while (ae > p && dd_v_space((unsigned char)ae[-1]))
		ae--;
	while (bs < end && dd_v_space((unsigned char)*bs))
		bs++;
	struct xr a, b;
	if (!xrange_plain(p, ae, loose, &a) || !xrange_plain(bs, end, loose, &b))
		return false;
	/* From here on node-semver has matched: errors are real errors. */
	const char *zp = incpre ? zero_pre : NULL;
	size_t zn = incpre ? 1 : 0;
	uint64_t M = 0, m = 0, pt = 0;
	cs->n = -1; /* "invalid" unless we finish */
	int n0 = 0;
	struct cset tmp;
	tmp.n = 0;
	tmp.null_set = false;
	bool ok = true;
	if (!is_x(a.id[0], a.idn[0])) {
		ok = xnum(&a, 0, &M);
		if (ok && is_x(a.id[1], a.idn[1]))
			ok = add(&tmp, OP_GE, M, 0, 0, zp, zn);
		else if (ok && (ok = xnum(&a, 1, &m)) && is_x(a.id[2], a.idn[2]))
			ok = add(&tmp, OP_GE, M, m, 0, zp, zn);
		else if (ok) {
			struct sv v;
			ok = parse(a.text, a.textn, loose ? M_LOOSE : M_STRICT, &v, NULL) == DD_OK;
			if (ok && !v.pre && incpre) {
				v.pre = zero_pre;
				v.pren = 1;
			}
			if (ok) {
				tmp.c[tmp.n].op = OP_GE;
				tmp.c[tmp.n].v = v;
				tmp.n++;
			}
		}
	}
	if (ok && !is_x(b.id[0], b.idn[0])) {
		ok = xnum(&b, 0, &M);
		if (ok && is_x(b.id[1], b.idn[1]))
			ok = add(&tmp, OP_LT, M + 1, 0, 0, zero_pre, 1);
		else if (ok && (ok = xnum(&b, 1, &m)) && is_x(b.id[2], b.idn[2]))
			ok = add(&tmp, OP_LT, M, m + 1, 0, zero_pre, 1);
		else if (ok) {
			struct sv v;
			ok = parse(b.text, b.textn, loose ? M_LOOSE : M_STRICT, &v, NULL) == DD_OK;
			if (ok && !v.pre && incpre) {
				ok = add(&tmp, OP_LT, v.num[0], v.num[1], v.num[2] + 1, zero_pre, 1);
			} else if (ok) {
				tmp.c[tmp.n].op = OP_LE;
				tmp.c[tmp.n].v = v;
				tmp.n++;
			}
		}
	}
	(void)pt;
	(void)n0;
	if (!ok)
		return true; /* matched but invalid: cs->n stays -1 */
	*cs = tmp;
	return true;
}

static bool comp_test(const struct comparator *c, const struct sv *v)
{
	if (c->op == OP_ANY)
		return true;
	int r = sv_cmp(v, &c->v, M_STRICT, 0);
	switch (c->op) {
	case OP_LT: return r < 0;
	case OP_LE: return r <= 0;
	case OP_EQ: return r == 0;
	case OP_GE: return r >= 0;
	case OP_GT: return r > 0;
	default: return true;
	}
}

static bool set_test(const struct cset *cs, const struct sv *v, bool incpre)
{
	for (int i = 0; i < cs->n; i++)
		if (!comp_test(&cs->c[i], v))
			return false;
	if (v->pre && !incpre) {
		/* A prerelease matches only if some comparator names the same
		 * [major, minor, patch] with a prerelease (node-semver testSet). */
		for (int i = 0; i < cs->n; i++) {
			const struct comparator *c = &cs->c[i];
			if (c->op == OP_ANY || !c->v.pre)
				continue;
			if (c->v.num[0] == v->num[0] && c->v.num[1] == v->num[1] &&
			    c->v.num[2] == v->num[2])
				return true;
		}
		return false;
	}
	return true;
}

/* Parses one "||" alternative into cs: 0 invalid, 1 ok, 2 nothing left
 * (loose mode dropped every comparator; node-semver removes the set). */
static int parse_set(struct cset *cs, const char *p, const char *end, bool loose, bool incpre,
		     char *store)
{
	cs->n = 0;
	cs->null_set = false;
	dd_v_trim(&p, &end);
	if (hyphen(cs, p, end, loose, incpre))
		return cs->n >= 0 ? 1 : 0;
	cs->n = 0;
	bool dropped = false;
	while (p < end) {
		while (p < end && dd_v_space((unsigned char)*p))
			p++;
		if (p == end)
			break;
		/* Tokens are copied (operator glued to its version, build
		 * stripped) into store, one after the other: comparators keep
		 * views into them until the set has been tested. */
		char *buf = store;
		size_t bn = 0;
		/* An operator alone ("> 1.2", "~ 1", "^ 1") joins the next word,
		 * as node-semver's comparator/tilde/caret trimming does. */
		while (p < end && *p && strchr("<>=~^", *p))
			buf[bn++] = *p++;
		if (bn > 0)
			while (p < end && dd_v_space((unsigned char)*p))
				p++;
		while (p < end && !dd_v_space((unsigned char)*p))
			buf[bn++] = *p++;
		/* node-semver drops build metadata from comparators. */
		for (size_t i = 0; i + 1 < bn; i++)
			if (buf[i] == '+' && idchar((unsigned char)buf[i + 1])) {
				size_t j = i + 1;
				while (j < bn && (idchar((unsigned char)buf[j]) ||
						  (buf[j] == '.' && j + 1 < bn &&
						   idchar((unsigned char)buf[j + 1]))))
					j++;
				memmove(buf + i, buf + j, bn - j);
				bn -= j - i;
				break;
			}
		store += bn;
		int before = cs->n;
		bool was_null = cs->null_set;
		if (!token(cs, buf, buf + bn, loose, incpre)) {
			/* node-semver's loose mode drops comparators it cannot
			 * read; strict mode rejects the range. */
			if (!loose)
				return 0;
			cs->n = before;
			cs->null_set = was_null;
			dropped = true;
		}
	}
	if (cs->n == 0) {
		if (dropped)
			return 2;
		add(cs, OP_ANY, 0, 0, 0, NULL, 0);
	}
	return 1;
}

static dd_code range_test(const char *v, size_t vn, const char *r, size_t rn, bool loose,
			  unsigned flags, bool *ok, struct dd_err *err)
{
	bool incpre = (flags & DD_VERSION_INCLUDE_PRERELEASE) != 0;
	struct sv ver;
	dd_code rc = parse(v, vn, loose ? M_LOOSE : M_STRICT, &ver, err);
	if (rc != DD_OK)
		return rc;
	if (memchr(r, '\0', rn))
		return dd_version_bad(err, r, rn, "range contains a NUL byte");
	struct cset cs;
	char store[DD_VERSION_MAX_BYTES + 1]; /* a set's tokens never exceed the range */
	const char *p = r, *end = r + rn;
	int nsets = 0;
	bool any_hit = false, anyset_seen = false, anyset_hit = false;
	bool first_hit = false, all_null = true;
	while (p <= end) {
		const char *alt = p;
		while (alt + 1 < end && !(alt[0] == '|' && alt[1] == '|'))
			alt++;
		if (alt + 1 >= end)
			alt = end;
		int ps = parse_set(&cs, p, alt, loose, incpre, store);
		if (ps == 0)
			return dd_version_bad(err, r, rn, "invalid range (near \"%.*s\")",
					      (int)(alt - p > 40 ? 40 : alt - p), p);
		if (ps == 2) {
			if (alt == end)
				break;
			p = alt + 2;
			continue;
		}
		bool hit = !cs.null_set && set_test(&cs, &ver, incpre);
		if (nsets == 0)
			first_hit = hit;
		nsets++;
		if (!cs.null_set) {
			all_null = false;
			any_hit = any_hit || hit;
			bool only_any = true;
			for (int i = 0; i < cs.n; i++)
				only_any = only_any && cs.c[i].op == OP_ANY;
			if (only_any && !anyset_seen) {
				anyset_seen = true;
				anyset_hit = hit;
			}
		}
		if (alt == end)
			break;
		p = alt + 2;
	}
	/* node-semver Range: with several sets, null sets are dropped and a
	 * set that is just "*" replaces all the others. */
	if (nsets == 0)
		return dd_version_bad(err, r, rn, "no valid comparator in range");
	if (nsets == 1 || all_null)
		*ok = first_hit;
	else if (anyset_seen)
		*ok = anyset_hit;
	else
		*ok = any_hit;
	return DD_OK;
}

/* ---- the three schemes ------------------------------------------------ */

#define SCHEME_FUNCS(tag, mode)                                                        \
	static dd_code tag##_check(const char *s, size_t n, struct dd_err *err)          \
	{                                                                                \
		struct sv v;                                                             \
		return parse(s, n, mode, &v, err);                                       \
	}                                                                                \
	static dd_code tag##_compare(const char *a, size_t an, const char *b, size_t bn, \
				     unsigned flags, int *cmp, struct dd_err *err)       \
	{                                                                                \
		return cmp_mode(mode, a, an, b, bn, flags, cmp, err);                    \
	}                                                                                \
	static dd_code tag##_canonical(const char *s, size_t n, struct dd_vout *o,       \
				       struct dd_err *err)                               \
	{                                                                                \
		return canon_mode(mode, s, n, o, err);                                   \
	}

SCHEME_FUNCS(strict, M_STRICT)
SCHEME_FUNCS(loose, M_LOOSE)
SCHEME_FUNCS(nuget, M_NUGET)

static dd_code strict_satisfies(const char *v, size_t vn, const char *r, size_t rn,
				unsigned flags, bool *ok, struct dd_err *err)
{
	return range_test(v, vn, r, rn, false, flags, ok, err);
}

static dd_code loose_satisfies(const char *v, size_t vn, const char *r, size_t rn,
			       unsigned flags, bool *ok, struct dd_err *err)
{
	return range_test(v, vn, r, rn, true, flags, ok, err);
}

static dd_code nuget_satisfies(const char *v, size_t vn, const char *r, size_t rn,
			       unsigned flags, bool *ok, struct dd_err *err)
{
	return dd_version_clauses_satisfy(&dd_version_nuget, v, vn, r, rn, flags, ok, err);
}

const struct dd_version_scheme dd_version_semver = {
	.name = "semver",
	.summary = "SemVer 2.0.0, node-semver strict parsing; npm range syntax",
	.check = strict_check,
	.compare = strict_compare,
	.canonical = strict_canonical,
	.satisfies = strict_satisfies,
};

const struct dd_version_scheme dd_version_npm = {
	.name = "npm",
	.summary = "SemVer as npm reads it (node-semver loose); npm range syntax",
	.check = loose_check,
	.compare = loose_compare,
	.canonical = loose_canonical,
	.satisfies = loose_satisfies,
};

const struct dd_version_scheme dd_version_nuget = {
	.name = "nuget",
	.summary = "NuGet versions: 1-4 numeric parts, case-insensitive prerelease",
	.check = nuget_check,
	.compare = nuget_compare,
	.canonical = nuget_canonical,
	.satisfies = nuget_satisfies,
};
