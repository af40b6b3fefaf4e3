/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RubyGems versions and requirements, as Gem::Version and Gem::Requirement
 * (rubygems lib/rubygems/version.rb, requirement.rb) define them. A version
 * matches /\A\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z/;
 * blank means "0"; each "-" reads as ".pre.". Segments are runs of digits
 * (numbers) or letters (strings); ordering uses the canonical segments:
 * trailing zeros dropped from the numeric prefix and from the rest, then
 * position by position with missing = 0, a string below a number, strings
 * byte-wise. A version with a letter is a prerelease.
 *
 * Requirements: "OP V" clauses joined by "," (all must hold), OP one of
 * = != > < >= <= ~> (none means =). "~> V" is ">= V" and "< V.bump":
 * drop trailing string segments, drop the last segment if more than one
 * remains, add one to the last (~> 1.4.4 is < 1.5; ~> 1 is < 2), with the
 * candidate's release (string segments dropped) compared to the bump.
 */
#include <string.h>

#include "version/version_scheme.h"

struct gv {
	const char *s; /* trimmed text, "" for blank */
	size_t n;
};

/* One segment: digits or letters; '-' counts as ".pre." (a "pre" string). */
struct seg {
	bool num;
	const char *s;
	size_t n;
};

static const char *parse(const char *s, size_t n, struct gv *v)
{
	const char *p = s, *end = s + n;
	if (memchr(s, '\0', n))
		return "contains a NUL byte";
	dd_v_trim(&p, &end);
	v->s = p;
	v->n = (size_t)(end - p);
	if (p == end)
		return NULL;
	const char *q = p;
	if (!dd_v_digit((unsigned char)*q))
		return "must start with a digit";
	while (q < end && dd_v_digit((unsigned char)*q))
		q++;
	while (q + 1 < end && *q == '.' && dd_v_alnum((unsigned char)q[1])) {
		q++;
		while (q < end && dd_v_alnum((unsigned char)*q))
			q++;
	}
	if (q < end && *q == '-') {
		for (;;) {
			q++;
			const char *t = q;
			while (q < end && (dd_v_alnum((unsigned char)*q) || *q == '-'))
				q++;
			if (q == t)
				return "empty prerelease part";
			if (q < end && *q == '.')
				continue;
			break;
		}
	}
	if (q != end)
		return "malformed version number string";
	return NULL;
}

/* Splits into segments (at most cap); returns the count. "-" yields a
 * "pre" string segment, as Gem::Version's gsub("-", ".pre.") does. */
static size_t segments(const struct gv *v, struct seg *out, size_t cap)
{
	size_t k = 0;
	const char *p = v->s, *end = v->s + v->n;
	if (v->n == 0) {
		out[0] = (struct seg){ true, "0", 1 };
		return 1;
	}
	while (p < end && k < cap) {
		if (*p == '-') {
			out[k++] = (struct seg){ false, "pre", 3 };
			p++;
			continue;
		}
		if (dd_v_digit((unsigned char)*p)) {
			const char *s = p;
			while (p < end && dd_v_digit((unsigned char)*p))
				p++;
			out[k++] = (struct seg){ true, s, (size_t)(p - s) };
		} else if (dd_v_alpha((unsigned char)*p)) {
			const char *s = p;
			while (p < end && dd_v_alpha((unsigned char)*p))
				p++;
			out[k++] = (struct seg){ false, s, (size_t)(p - s) };
		} else {
			p++;
		}
	}
	return k;
}

static bool seg_zero(const struct seg *s)
{
	return s->num && dd_version_numcmp(s->s, s->n, "0", 1) == 0;
}

/* canonical_segments: drop trailing zeros of the numeric prefix and of the
 * string part separately. */
static size_t canonical(struct seg *s, size_t k)
{
	size_t first_str = 0;
	while (first_str < k && s[first_str].num)
		first_str++;
	size_t a = first_str;
	while (a > 0 && seg_zero(&s[a - 1]))
		a--;
	size_t b = k;
	while (b > first_str && seg_zero(&s[b - 1]))
		b--;
	if (a != first_str)
		memmove(s + a, s + first_str, (b - first_str) * sizeof *s);
	return a + (b - first_str);
}

#define MAX_SEGS 128

static int seg_list_cmp(const struct seg *x, size_t xk, const struct seg *y, size_t yk)
{
	static const struct seg zero = { true, "0", 1 };
	size_t lim = xk > yk ? xk : yk;
	for (size_t i = 0; i < lim; i++) {
		const struct seg *l = i < xk ? &x[i] : &zero, *r = i < yk ? &y[i] : &zero;
		if (l->num && r->num) {
			int c = dd_version_numcmp(l->s, l->n, r->s, r->n);
			if (c)
				return c;
		} else if (l->num != r->num) {
			return l->num ? 1 : -1;
		} else {
			int c = dd_version_bytecmp(l->s, l->n, r->s, r->n);
			if (c)
				return c;
		}
	}
	return 0;
}

static dd_code gv_cmp(const struct gv *a, const struct gv *b, int *out, struct dd_err *err)
{
	struct seg x[MAX_SEGS], y[MAX_SEGS];
	size_t xk = segments(a, x, MAX_SEGS), yk = segments(b, y, MAX_SEGS);
	if (xk == MAX_SEGS || yk == MAX_SEGS)
		return dd_err_set(err, DD_ELIMIT, "gem version with %d or more segments", MAX_SEGS);
	xk = canonical(x, xk);
	yk = canonical(y, yk);
	*out = seg_list_cmp(x, xk, y, yk);
	return DD_OK;
}

static dd_code gem_check(const char *s, size_t n, struct dd_err *err)
{
	struct gv v;
	const char *why = parse(s, n, &v);
	return why ? dd_version_bad(err, s, n, "%s", why) : DD_OK;
}

static dd_code gem_compare(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			   int *cmp, struct dd_err *err)
{
	struct gv x, y;
	const char *why = parse(a, an, &x);
	if (why)
		return dd_version_bad(err, a, an, "%s", why);
	why = parse(b, bn, &y);
	if (why)
		return dd_version_bad(err, b, bn, "%s", why);
	return gv_cmp(&x, &y, cmp, err);
}

static dd_code gem_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	struct gv v;
	const char *why = parse(s, n, &v);
	if (why)
		return dd_version_bad(err, s, n, "%s", why);
	if (v.n == 0)
		dd_vout_putc(o, '0');
	else
		dd_vout_put(o, v.s, v.n);
	return DD_OK;
}

/* v.release < r.bump, for "~>". */
static dd_code approx_upper(const struct gv *v, const struct gv *r, bool *below, struct dd_err *err)
{
	struct seg rs[MAX_SEGS], vs[MAX_SEGS];
	size_t rk = segments(r, rs, MAX_SEGS), vk = segments(v, vs, MAX_SEGS);
	if (rk == MAX_SEGS || vk == MAX_SEGS)
		return dd_err_set(err, DD_ELIMIT, "gem version with %d or more segments", MAX_SEGS);
	/* bump: drop everything from the first string segment on, then the
	 * last segment if more than one remains, then add one to the last. */
	size_t k = 0;
	while (k < rk && rs[k].num)
		k++;
	if (k > 1)
		k--;
	if (k == 0)
		return dd_version_bad(err, r->s, r->n, "~> needs a leading number");
	char buf[DD_VERSION_MAX_BYTES + 2];
	const struct seg *last = &rs[k - 1];
	size_t n = last->n;
	memcpy(buf + 1, last->s, n);
	size_t i = n;
	while (i > 0 && buf[i] == '9')
		buf[i--] = '0';
	const char *bs = buf + 1;
	size_t bn = n;
	if (i == 0) {
		buf[0] = '1';
		bs = buf;
		bn = n + 1;
	} else {
		buf[i]++;
	}
	rs[k - 1] = (struct seg){ true, bs, bn };
	rk = canonical(rs, k);
	/* release: v without its string segments (a prerelease is cut at the
	 * first string). */
	size_t vr = 0;
	while (vr < vk && vs[vr].num)
		vr++;
	vk = canonical(vs, vr);
	*below = seg_list_cmp(vs, vk, rs, rk) < 0;
	return DD_OK;
}

static dd_code one_req(const struct gv *v, const char *p, const char *end, bool *ok,
		       struct dd_err *err)
{
	const char *sp = p;
	while (p < end && dd_v_space((unsigned char)*p))
		p++;
	const char *op = p;
	while (p < end && *p && strchr("=!<>~", *p))
		p++;
	size_t opn = (size_t)(p - op);
#define OPIS(s) (opn == strlen(s) && memcmp(op, s, opn) == 0)
	int want;
	if (opn == 0 || OPIS("="))
		want = 2;
	else if (OPIS("!="))
		want = 5;
	else if (OPIS(">"))
		want = 4;
	else if (OPIS("<"))
		want = 1;
	else if (OPIS(">="))
		want = 6;
	else if (OPIS("<="))
		want = 3;
	else if (OPIS("~>"))
		want = 8;
	else
		return dd_version_bad(err, sp, (size_t)(end - sp), "unknown requirement operator");
#undef OPIS
	struct gv r;
	const char *why = parse(p, (size_t)(end - p), &r);
	if (why)
		return dd_version_bad(err, sp, (size_t)(end - sp), "%s", why);
	if (r.n == 0 && opn > 0)
		return dd_version_bad(err, sp, (size_t)(end - sp), "operator without a version");
	int c;
	dd_code rc = gv_cmp(v, &r, &c, err);
	if (rc != DD_OK)
		return rc;
	if (want == 8) {
		bool below = false;
		if (c < 0) {
			*ok = false;
			return DD_OK;
		}
		rc = approx_upper(v, &r, &below, err);
		if (rc != DD_OK)
			return rc;
		*ok = below;
		return DD_OK;
	}
	*ok = (want & (c < 0 ? 1 : c == 0 ? 2 : 4)) != 0;
	return DD_OK;
}

static dd_code gem_satisfies(const char *vs, size_t vn, const char *r, size_t rn,
			     unsigned flags, bool *ok, struct dd_err *err)
{
	struct gv v;
	const char *why = parse(vs, vn, &v);
	if (why)
		return dd_version_bad(err, vs, vn, "%s", why);
	const char *p = r, *end = r + rn;
	bool all = true;
	const char *t = p;
	while (t < end && dd_v_space((unsigned char)*t))
		t++;
	if (t == end) {
		/* Gem::Requirement.default is ">= 0": everything. */
		*ok = true;
		return DD_OK;
	}
	while (p <= end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			c = end;
		bool one = false;
		dd_code rc = one_req(&v, p, c, &one, err);
		if (rc != DD_OK)
			return rc;
		all = all && one;
		if (c == end)
			break;
		p = c + 1;
	}
	*ok = all;
	return DD_OK;
}

const struct dd_version_scheme dd_version_gem = {
	.name = "gem",
	.summary = "RubyGems Gem::Version; requirements with ~>",
	.check = gem_check,
	.compare = gem_compare,
	.canonical = gem_canonical,
	.satisfies = gem_satisfies,
};
