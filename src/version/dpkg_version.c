/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debian versions: [epoch:]upstream[-revision] (deb-version(7), Debian
 * Policy §5.6.12), ordered as dpkg orders them. Parsing follows what
 * `dpkg --compare-versions` accepts: hard errors (empty, embedded space,
 * bad or empty epoch, nothing after the colon, empty upstream or revision)
 * are DD_EINVAL; the cases dpkg only warns about (upstream not starting with
 * a digit, characters outside [A-Za-z0-9.+~-:] / [A-Za-z0-9.+~]) are
 * accepted and compared as dpkg compares them, because real packages carry
 * such versions and dpkg installs them. A NUL byte is always invalid (dpkg
 * cannot even see past it). Differential test against libdpkg:
 * tests/unit/version/test_version_diff.c.
 */
#include <limits.h>
#include <string.h>

#include "version/version_scheme.h"

struct dpkg_v {
	unsigned long epoch;
	const char *up, *rev; /* views; rev is empty when absent */
	size_t upn, revn;
};

/* Byte classes for the single parsing pass. */
enum { C_SPACE = 1, C_NUL = 2, C_COLON = 4, C_HYPHEN = 8 };

static const unsigned char cls[256] = {
	[0] = C_NUL, [' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE,
	['\v'] = C_SPACE, ['\f'] = C_SPACE, [':'] = C_COLON, ['-'] = C_HYPHEN,
};

static dd_code parse(const char *s, size_t n, struct dpkg_v *v, struct dd_err *err)
{
	const char *p = s, *end = s + n;
	/* dpkg skips leading blanks and allows trailing ones. */
	while (p < end && cls[(unsigned char)*p] == C_SPACE)
		p++;
	const char *colon = NULL, *hy = NULL, *blank = NULL;
	for (const char *t = p; t < end; t++) {
		unsigned char c = cls[(unsigned char)*t];
		if (__builtin_expect(c == 0, 1))
			continue;
		if (c == C_NUL)
			return dd_version_bad(err, s, n, "contains a NUL byte");
		if (c == C_SPACE) {
			if (!blank)
				blank = t;
		} else if (blank) {
			return dd_version_bad(err, s, n, "version string has embedded spaces");
		} else if (c == C_COLON) {
			if (!colon)
				colon = t;
		} else {
			hy = t;
		}
	}
	if (blank) {
		for (const char *t = blank; t < end; t++)
			if (cls[(unsigned char)*t] != C_SPACE)
				return dd_version_bad(err, s, n, "version string has embedded spaces");
		end = blank;
	}
	if (p == end)
		return dd_version_bad(err, s, n, "version string is empty");
	v->epoch = 0;
	if (colon) {
		/* dpkg reads the epoch with strtol: optional sign, digits. */
		const char *e = p;
		bool neg = false;
		if (e < colon && (*e == '+' || *e == '-'))
			neg = *e++ == '-';
		if (e == colon) {
			if (p == colon)
				return dd_version_bad(err, s, n, "epoch in version is empty");
			return dd_version_bad(err, s, n, "epoch in version is not number");
		}
		unsigned long ep = 0;
		for (; e < colon; e++) {
			if (!dd_v_digit((unsigned char)*e))
				return dd_version_bad(err, s, n, "epoch in version is not number");
			ep = ep * 10 + (unsigned long)(*e - '0');
			if (ep > INT_MAX)
				return dd_version_bad(err, s, n, "epoch in version is too big");
		}
		if (neg && ep > 0)
			return dd_version_bad(err, s, n, "epoch in version is negative");
		v->epoch = ep;
		p = colon + 1;
		if (p == end)
			return dd_version_bad(err, s, n, "nothing after colon in version number");
		if (hy && hy < p)
			hy = NULL; /* a '-' inside the epoch was refused above */
	}
	v->up = p;
	if (hy) {
		v->upn = (size_t)(hy - p);
		v->rev = hy + 1;
		v->revn = (size_t)(end - hy - 1);
		if (v->revn == 0)
			return dd_version_bad(err, s, n, "revision number is empty");
	} else {
		v->upn = (size_t)(end - p);
		v->rev = end;
		v->revn = 0;
	}
	if (v->upn == 0)
		return dd_version_bad(err, s, n, "version number is empty");
	return DD_OK;
}

/* dpkg's order of one character: '~' before the end, the end before
 * letters, letters before everything else. dpkg indexes with a plain
 * (signed) char, so bytes >= 0x80 land below 256 + '!'; we do the same. */
static short order_tab[256];

__attribute__((constructor)) static void init_order(void)
{
	for (int c = 0; c < 256; c++) {
		if (dd_v_digit((unsigned char)c))
			order_tab[c] = 0;
		else if (dd_v_alpha((unsigned char)c))
			order_tab[c] = (short)c;
		else if (c == '~')
			order_tab[c] = -1;
		else
			order_tab[c] = (short)((signed char)c + 256);
	}
}

static inline int order(const char *p, const char *end)
{
	return p == end ? 0 : order_tab[(unsigned char)*p];
}

static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
	/* Skip the common prefix, backing up to the start of a digit run: up
	 * to there every step of the loop below compares equal. */
	size_t k = 0, m = an < bn ? an : bn;
	while (k < m && a[k] == b[k])
		k++;
	if (k == an && k == bn)
		return 0;
	while (k > 0 && dd_v_digit((unsigned char)a[k - 1]))
		k--;
	const char *ae = a + an, *be = b + bn;
	a += k;
	b += k;
	while (a < ae || b < be) {
		int first_diff = 0;
		while ((a < ae && !dd_v_digit((unsigned char)*a)) ||
		       (b < be && !dd_v_digit((unsigned char)*b))) {
			int ac = order(a, ae), bc = order(b, be);
			if (ac != bc)
				return ac < bc ? -1 : 1;
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && b < be && dd_v_digit((unsigned char)*a) &&
		       dd_v_digit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && dd_v_digit((unsigned char)*a))
			return 1;
		if (b < be && dd_v_digit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff < 0 ? -1 : 1;
	}
	return 0;
}

static dd_code dpkg_check(const char *s, size_t n, struct dd_err *err)
{
	struct dpkg_v v;
	return parse(s, n, &v, err);
}

static dd_code dpkg_compare(const char *a, size_t an, const char *b, size_t bn,
			    unsigned flags, int *cmp, struct dd_err *err)
{
	struct dpkg_v x, y;
	dd_code rc = parse(a, an, &x, err);
	if (rc == DD_OK)
		rc = parse(b, bn, &y, err);
	if (rc != DD_OK)
		return rc;
	if (x.epoch != y.epoch) {
		*cmp = x.epoch < y.epoch ? -1 : 1;
		return DD_OK;
	}
	int r = verrevcmp(x.up, x.upn, y.up, y.upn);
	if (r == 0)
		r = verrevcmp(x.rev, x.revn, y.rev, y.revn);
	*cmp = r;
	return DD_OK;
}

static dd_code dpkg_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	struct dpkg_v v;
	dd_code rc = parse(s, n, &v, err);
	if (rc != DD_OK)
		return rc;
	/* An epoch stays when the upstream part holds a colon: without it the
	 * colon would be read as the epoch separator. */
	if (v.epoch || memchr(v.up, ':', v.upn)) {
		dd_vout_putu(o, v.epoch);
		dd_vout_putc(o, ':');
	}
	dd_vout_put(o, v.up, v.upn);
	if (v.revn) {
		dd_vout_putc(o, '-');
		dd_vout_put(o, v.rev, v.revn);
	}
	return DD_OK;
}

static dd_code dpkg_satisfies(const char *v, size_t vn, const char *r, size_t rn,
			      unsigned flags, bool *ok, struct dd_err *err)
{
	return dd_version_clauses_satisfy(&dd_version_dpkg, v, vn, r, rn,
					  flags | DD_VERSION_CLAUSES_DPKG, ok, err);
}

static dd_code dpkg_parse(const char *s, size_t n, struct dd_version_parsed *p,
			  struct dd_err *err)
{
	struct dpkg_v v;
	dd_code rc = parse(s, n, &v, err);
	if (rc != DD_OK)
		return rc;
	p->epoch = v.epoch;
	p->part_off[0] = (size_t)(v.up - s);
	p->part_len[0] = v.upn;
	p->part_off[1] = (size_t)(v.rev - s);
	p->part_len[1] = v.revn;
	return DD_OK;
}

static int dpkg_compare_parsed(const struct dd_version_parsed *a,
			       const struct dd_version_parsed *b)
{
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	int r = verrevcmp(a->str + a->part_off[0], a->part_len[0], b->str + b->part_off[0],
			  b->part_len[0]);
	if (r == 0)
		r = verrevcmp(a->str + a->part_off[1], a->part_len[1], b->str + b->part_off[1],
			      b->part_len[1]);
	return r;
}

const struct dd_version_scheme dd_version_dpkg = {
	.parse = dpkg_parse,
	.compare_parsed = dpkg_compare_parsed,
	.name = "dpkg",
	.summary = "Debian/Ubuntu [epoch:]upstream[-revision], as dpkg orders them",
	.check = dpkg_check,
	.compare = dpkg_compare,
	.canonical = dpkg_canonical,
	.satisfies = dpkg_satisfies,
};
