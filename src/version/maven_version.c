/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Maven versions, ordered as Maven 4's ComparableVersion orders them
 * (org.apache.maven.artifact.versioning; the algorithm is described in its
 * class documentation and in the Maven "POM reference", Version Order
 * Specification). The version is lower-cased and split into a tree of
 * items: numbers (int < long < big by digit count, as Maven types them),
 * qualifiers (alpha < beta < milestone < rc = cr < snapshot < "" = ga =
 * final = release < sp < anything else, alphabetically), "combinations"
 * (a letter run followed by digits: a1 = alpha-1, b1, m1, rc-1 = rc1) and
 * sub-lists opened by '-' and by letter/digit transitions. Trailing "null"
 * items (0, "") are removed per list, as Maven normalises. Strings compare
 * in UTF-16 code-unit order, as Java's String.compareTo does.
 *
 * Deliberate differences, none reachable with ASCII versions: Java
 * lower-cases every script, we lower-case ASCII, Latin-1, Greek and
 * Cyrillic; Java's Character.isDigit also treats non-ASCII digits as
 * digits after '-' inside a combination, we only ASCII digits. Invalid
 * UTF-8 is rejected (Java would never see such a String).
 *
 * Ranges are Maven's VersionRange: "[1.0,2.0)", "(,1.0]", "[1.0]",
 * unions "[1,2),[3,4)", and a bare version (a "soft" requirement, which
 * contains every version).
 *
 * Parsing builds the item tree in a fixed array on the stack (at most
 * MAX_NODES items; more is DD_ELIMIT): compare never allocates.
 */
#include <string.h>

#include "version/version_scheme.h"

#define MAX_NODES 256

enum itype { IT_INT, IT_LONG, IT_BIG, IT_STR, IT_LIST, IT_COMB };

struct node {
	enum itype type;
	int next;  /* next sibling or -1 */
	int first; /* list: first child or -1; comb: the digit-part node */
	const char *s; /* number digits (leading zeros stripped) or string */
	size_t n;
	int qual; /* string / comb string part: 0..6 known rank, 7 other */
};

struct mtree {
	struct node nd[MAX_NODES];
	int nn;
	bool overflow;
	char low[DD_VERSION_MAX_BYTES];
};

/* ---- UTF-8 helpers ---------------------------------------------------- */

/* Decodes one code point; 0 length on invalid UTF-8. */
static size_t u8dec(const unsigned char *p, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
	if (c >= 0xf5 || len == 0 || len > n)
		return 0;
	uint32_t v = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Lower-cases in place where the UTF-8 length does not change. */
static void lower2(unsigned char *p)
{
	uint32_t cp = ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f), lc = cp;
	if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) || (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) ||
	    (cp >= 0x410 && cp <= 0x42f))
		lc = cp + 0x20;
	else if (cp >= 0x400 && cp <= 0x40f)
		lc = cp + 0x50;
	else if (cp >= 0x386 && cp <= 0x38f)
		lc = cp == 0x386 ? 0x3ac : cp <= 0x38a ? cp + 0x25 : cp == 0x38c ? 0x3cc : cp + 0x3f;
	if (lc != cp && (lc >> 11) == 0 && lc >= 0x80) {
		p[0] = (unsigned char)(0xc0 | (lc >> 6));
		p[1] = (unsigned char)(0x80 | (lc & 0x3f));
	}
}

/* Compares two UTF-8 strings in UTF-16 code-unit order. */
static int u16cmp(const char *a, size_t an, const char *b, size_t bn)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	size_t i = 0, j = 0;
	while (i < an && j < bn) {
		uint32_t ca = 0, cb = 0;
		size_t la = u8dec(x + i, an - i, &ca), lb = u8dec(y + j, bn - j, &cb);
		if (la == 0 || lb == 0)
			return dd_version_bytecmp(a + i, an - i, b + j, bn - j);
		if (ca != cb) {
			uint32_t ua = ca >= 0x10000 ? 0xd800 + ((ca - 0x10000) >> 10) : ca;
			uint32_t ub = cb >= 0x10000 ? 0xd800 + ((cb - 0x10000) >> 10) : cb;
			if (ua != ub)
				return ua < ub ? -1 : 1;
			return ca < cb ? -1 : 1; /* same high surrogate: low decides */
		}
		i += la;
		j += lb;
	}
	return i < an ? 1 : j < bn ? -1 : 0;
}

/* ---- items -------------------------------------------------------------- */

static int qual_rank(const char *s, size_t n)
{
	static const char *const q[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };
	for (int i = 0; i < 7; i++)
		if (strlen(q[i]) == n && memcmp(q[i], s, n) == 0)
			return i;
	if ((n == 2 && !memcmp(s, "ga", 2)) || (n == 5 && !memcmp(s, "final", 5)) ||
	    (n == 7 && !memcmp(s, "release", 7)))
		return 5;
	return 7;
}

static int new_node(struct mtree *t, enum itype type)
{
	if (t->nn >= MAX_NODES) {
		t->overflow = true;
		return -1;
	}
	int i = t->nn++;
	memset(&t->nd[i], 0, sizeof t->nd[i]);
	t->nd[i].type = type;
	t->nd[i].next = -1;
	t->nd[i].first = -1;
	return i;
}

static void set_string(struct node *nd, const char *s, size_t n, bool followed_by_digit)
{
	if (followed_by_digit && n == 1) {
		if (*s == 'a')
			s = "alpha", n = 5;
		else if (*s == 'b')
			s = "beta", n = 4;
		else if (*s == 'm')
			s = "milestone", n = 9;
	}
	if (n == 2 && !memcmp(s, "cr", 2))
		s = "rc";
	nd->s = s;
	nd->n = n;
	nd->qual = qual_rank(s, n);
}

static int number_node(struct mtree *t, const char *s, size_t n)
{
	/* Maven strips leading zeros unless the number is all zeros, and
	 * types it by the remaining length: <= 9 int, <= 18 long, else big. */
	size_t k = 0;
	while (k < n && s[k] == '0')
		k++;
	if (k < n)
		s += k, n -= k;
	if (n == 0)
		s = "0", n = 1;
	int i = new_node(t, n <= 9 ? IT_INT : n <= 18 ? IT_LONG : IT_BIG);
	if (i >= 0) {
		t->nd[i].s = s;
		t->nd[i].n = n;
	}
	return i;
}

static int item(struct mtree *t, bool comb, bool digit, const char *s, size_t n)
{
	if (comb) {
		size_t k = 0;
		while (k < n && !dd_v_digit((unsigned char)s[k]))
			k++;
		size_t sn = k;
		if (sn > 0 && s[sn - 1] == '-')
			sn--;
		int i = new_node(t, IT_COMB);
		if (i < 0)
			return -1;
		set_string(&t->nd[i], s, sn, true);
		/* the digit part: the rest, '-' removed (there is none left) */
		int d = number_node(t, s + k, n - k);
		t->nd[i].first = d;
		return d < 0 ? -1 : i;
	}
	if (digit)
		return number_node(t, s, n);
	int i = new_node(t, IT_STR);
	if (i >= 0)
		set_string(&t->nd[i], s, n, false);
	return i;
}

static bool is_null(const struct mtree *t, int i)
{
	const struct node *nd = &t->nd[i];
	switch (nd->type) {
	case IT_INT:
	case IT_LONG:
	case IT_BIG:
		return dd_version_numcmp(nd->s, nd->n, "0", 1) == 0;
	case IT_STR:
		return nd->n == 0;
	case IT_LIST:
		return nd->first < 0;
	default:
		return false;
	}
}

/* Appends child c to list l (tracking the tail in last[]). */
static void append(struct mtree *t, int l, int c, int *tail)
{
	if (c < 0)
		return;
	if (t->nd[l].first < 0)
		t->nd[l].first = c;
	else
		t->nd[tail[l]].next = c;
	tail[l] = c;
}

static void normalize(struct mtree *t, int l)
{
	int kids[MAX_NODES], k = 0;
	for (int c = t->nd[l].first; c >= 0; c = t->nd[c].next)
		kids[k++] = c;
	for (int i = k - 1; i >= 0; i--) {
		if (!is_null(t, kids[i]))
			continue;
		bool drop = false;
		if (i == k - 1 || t->nd[kids[i + 1]].type == IT_STR) {
			drop = true;
		} else if (t->nd[kids[i + 1]].type == IT_LIST) {
			int f = t->nd[kids[i + 1]].first;
			if (f >= 0 && (t->nd[f].type == IT_COMB || t->nd[f].type == IT_STR))
				drop = true;
		}
		if (drop) {
			memmove(kids + i, kids + i + 1, (size_t)(k - i - 1) * sizeof *kids);
			k--;
		}
	}
	t->nd[l].first = k ? kids[0] : -1;
	for (int i = 0; i < k; i++)
		t->nd[kids[i]].next = i + 1 < k ? kids[i + 1] : -1;
}

static dd_code build(struct mtree *t, const char *src, size_t n, struct dd_err *err)
{
	t->nn = 0;
	t->overflow = false;
	if (n > sizeof t->low)
		return dd_version_bad(err, src, n, "too long");
	/* Validate UTF-8 and lower-case. */
	memcpy(t->low, src, n);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = u8dec((const unsigned char *)t->low + i, n - i, &cp);
		if (l == 0)
			return dd_version_bad(err, src, n, "not valid UTF-8 at offset %zu", i);
		if (cp == 0)
			return dd_version_bad(err, src, n, "contains a NUL byte");
		if (l == 1)
			t->low[i] = (char)dd_v_tolower((unsigned char)t->low[i]);
		else if (l == 2)
			lower2((unsigned char *)t->low + i);
		i += l;
	}
	const char *v = t->low;
	int tail[MAX_NODES];
	int stack[MAX_NODES], sp = 0;
	int root = new_node(t, IT_LIST), list = root;
	stack[sp++] = root;
	bool is_digit = false, is_comb = false;
	size_t start = 0;
#define NEWLIST()                                                   \
	do {                                                        \
		int nl_ = new_node(t, IT_LIST);                     \
		if (nl_ < 0)                                        \
			goto overflow;                              \
		append(t, list, nl_, tail);                         \
		list = nl_;                                         \
		stack[sp++] = nl_;                                  \
	} while (0)
#define ADD(x)                                                      \
	do {                                                        \
		int it_ = (x);                                      \
		if (it_ < 0)                                        \
			goto overflow;                              \
		append(t, list, it_, tail);                         \
	} while (0)
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c == '.') {
			if (i == start)
				ADD(number_node(t, "0", 1));
			else
				ADD(item(t, is_comb, is_digit, v + start, i - start));
			is_comb = false;
			start = i + 1;
		} else if (c == '-') {
			if (i == start) {
				ADD(number_node(t, "0", 1));
			} else {
				/* X-1 is read as X1 */
				if (!is_digit && i != n - 1 && dd_v_digit((unsigned char)v[i + 1])) {
					is_comb = true;
					continue;
				}
				ADD(item(t, is_comb, is_digit, v + start, i - start));
			}
			start = i + 1;
			if (t->nd[list].first >= 0)
				NEWLIST();
			is_comb = false;
		} else if (dd_v_digit((unsigned char)c)) {
			if (!is_digit && i > start) {
				is_comb = true;
				if (t->nd[list].first >= 0)
					NEWLIST();
			}
			is_digit = true;
		} else {
			if (is_digit && i > start) {
				ADD(item(t, is_comb, true, v + start, i - start));
				start = i;
				NEWLIST();
				is_comb = false;
			}
			is_digit = false;
		}
	}
	if (n > start) {
		/* 1.0.0.X1 < 1.0.0-X2: a trailing .X is read as -X */
		if (!is_digit && t->nd[list].first >= 0)
			NEWLIST();
		ADD(item(t, is_comb, is_digit, v + start, n - start));
	}
	while (sp > 0)
		normalize(t, stack[--sp]);
	return DD_OK;
overflow:
	return dd_err_set(err, DD_ELIMIT, "maven version with more than %d items", MAX_NODES);
#undef NEWLIST
#undef ADD
}

/* ---- comparison (ComparableVersion.*Item.compareTo) -------------------- */

static int num_rank(enum itype t)
{
	return t == IT_INT ? 0 : t == IT_LONG ? 1 : 2;
}

static bool is_num(enum itype t)
{
	return t == IT_INT || t == IT_LONG || t == IT_BIG;
}

/* comparableQualifier(a) vs comparableQualifier(b) */
static int qual_cmp(int qa, const char *a, size_t an, int qb, const char *b, size_t bn)
{
	if (qa != qb)
		return qa < qb ? -1 : 1;
	if (qa == 7)
		return u16cmp(a, an, b, bn);
	return 0;
}

static int cmp(const struct mtree *ta, int a, const struct mtree *tb, int b);

/* Item a compared with "null" (a missing item). */
static int cmp_null(const struct mtree *t, int a)
{
	const struct node *x = &t->nd[a];
	switch (x->type) {
	case IT_INT:
	case IT_LONG:
	case IT_BIG:
		return is_null(t, a) ? 0 : 1;
	case IT_STR:
	case IT_COMB:
		return x->qual < 5 ? -1 : x->qual == 5 ? 0 : 1;
	case IT_LIST:
		for (int c = x->first; c >= 0; c = t->nd[c].next) {
			int r = cmp_null(t, c);
			if (r)
				return r;
		}
		return 0;
	}
	return 0;
}

static int cmp(const struct mtree *ta, int a, const struct mtree *tb, int b)
{
	if (b < 0)
		return cmp_null(ta, a);
	const struct node *x = &ta->nd[a], *y = &tb->nd[b];
	if (is_num(x->type)) {
		if (is_num(y->type)) {
			if (x->type != y->type)
				return num_rank(x->type) < num_rank(y->type) ? -1 : 1;
			return dd_version_numcmp(x->s, x->n, y->s, y->n);
		}
		return 1;
	}
	switch (x->type) {
	case IT_STR:
		if (is_num(y->type) || y->type == IT_LIST)
			return -1;
		if (y->type == IT_STR)
			return qual_cmp(x->qual, x->s, x->n, y->qual, y->s, y->n);
		/* vs combination: by its string part; equal means less */
		{
			int r = qual_cmp(x->qual, x->s, x->n, y->qual, y->s, y->n);
			return r ? r : -1;
		}
	case IT_COMB:
		if (is_num(y->type) || y->type == IT_LIST)
			return -1;
		{
			int r = qual_cmp(x->qual, x->s, x->n, y->qual, y->s, y->n);
			if (y->type == IT_STR)
				return r ? r : 1;
			return r ? r : cmp(ta, x->first, tb, y->first);
		}
	case IT_LIST:
		if (is_num(y->type))
			return -1;
		if (y->type != IT_LIST)
			return 1;
		{
			int l = x->first, r = y->first;
			while (l >= 0 || r >= 0) {
				int res = l < 0 ? -cmp_null(tb, r) : cmp(ta, l, tb, r);
				if (res)
					return res;
				if (l >= 0)
					l = ta->nd[l].next;
				if (r >= 0)
					r = tb->nd[r].next;
			}
			return 0;
		}
	default:
		return 0;
	}
}

static dd_code mvn_check(const char *s, size_t n, struct dd_err *err)
{
	struct mtree t;
	return build(&t, s, n, err);
}

static dd_code mvn_compare(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			   int *out, struct dd_err *err)
{
	struct mtree x, y;
	dd_code rc = build(&x, a, an, err);
	if (rc == DD_OK)
		rc = build(&y, b, bn, err);
	if (rc != DD_OK)
		return rc;
	int r = cmp(&x, 0, &y, 0);
	*out = DD_SIGN(r);
	return DD_OK;
}

/* Prints the item tree so that it reads back as the same tree (Maven's
 * getCanonical() does not always: see the two fixes below). *dot_tail is
 * set when the last thing printed is a qualifier joined with '.', which
 * Maven would read back as a new sub-list ("1.sp" is 1-sp). */
static void print(const struct mtree *t, int i, struct dd_vout *o, bool *dot_tail)
{
	const struct node *x = &t->nd[i];
	switch (x->type) {
	case IT_LIST: {
		bool firstc = true;
		for (int c = x->first; c >= 0; c = t->nd[c].next) {
			bool leaf = t->nd[c].type != IT_LIST;
			if (!firstc)
				dd_vout_putc(o, leaf ? '.' : '-');
			else if (!leaf)
				dd_vout_puts(o, "0-"); /* Maven prints nothing here; "0-"
						       * reads back as the same list */
			print(t, c, o, dot_tail);
			if (leaf)
				*dot_tail = !firstc && (t->nd[c].type == IT_STR ||
							t->nd[c].type == IT_COMB);
			firstc = false;
		}
		break;
	}
	case IT_COMB:
		dd_vout_put(o, x->s, x->n);
		print(t, x->first, o, dot_tail);
		break;
	default:
		dd_vout_put(o, x->s, x->n);
	}
}

static dd_code mvn_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	struct mtree t;
	dd_code rc = build(&t, s, n, err);
	if (rc == DD_OK) {
		bool dot_tail = false;
		print(&t, 0, o, &dot_tail);
		if (dot_tail)
			dd_vout_putc(o, '-'); /* keeps a trailing ".sp" in its list */
	}
	return rc;
}

/* ---- ranges (VersionRange.createFromVersionSpec) -------------------- */

static const char *trim(const char **p, const char *end)
{
	while (*p < end && dd_v_space((unsigned char)**p))
		(*p)++;
	while (end > *p && dd_v_space((unsigned char)end[-1]))
		end--;
	return end;
}

static dd_code restriction(const char *v, size_t vn, const char *s, const char *e, bool *ok,
			   struct dd_err *err)
{
	bool lo_inc = *s == '[', hi_inc = e[-1] == ']';
	const char *p = s + 1, *end = e - 1;
	end = trim(&p, end);
	const char *comma = memchr(p, ',', (size_t)(end - p));
	int c;
	dd_code rc;
	if (!comma) {
		if (!lo_inc || !hi_inc)
			return dd_version_bad(err, s, (size_t)(e - s),
					      "a single version must be surrounded by []");
		rc = mvn_compare(v, vn, p, (size_t)(end - p), 0, &c, err);
		if (rc == DD_OK)
			*ok = c == 0;
		return rc;
	}
	const char *lo = p, *loe = comma, *hi = comma + 1, *hie = end;
	loe = trim(&lo, loe);
	hie = trim(&hi, hie);
	if (memchr(hi, ',', (size_t)(hie - hi)))
		return dd_version_bad(err, s, (size_t)(e - s), "more than one ',' in a range");
	if (lo < loe && hi < hie) {
		rc = mvn_compare(lo, (size_t)(loe - lo), hi, (size_t)(hie - hi), 0, &c, err);
		if (rc != DD_OK)
			return rc;
		if (c > 0 || (c == 0 && !(lo_inc && hi_inc)))
			return dd_version_bad(err, s, (size_t)(e - s),
					      "range defies version ordering");
	}
	*ok = true;
	if (lo < loe) {
		rc = mvn_compare(lo, (size_t)(loe - lo), v, vn, 0, &c, err);
		if (rc != DD_OK)
			return rc;
		if (c > 0 || (c == 0 && !lo_inc))
			*ok = false;
	}
	if (*ok && hi < hie) {
		rc = mvn_compare(hi, (size_t)(hie - hi), v, vn, 0, &c, err);
		if (rc != DD_OK)
			return rc;
		if (c < 0 || (c == 0 && !hi_inc))
			*ok = false;
	}
	return DD_OK;
}

static dd_code mvn_satisfies(const char *v, size_t vn, const char *r, size_t rn,
			     unsigned flags, bool *ok, struct dd_err *err)
{
	dd_code rc = mvn_check(v, vn, err);
	if (rc != DD_OK)
		return rc;
	const char *p = r, *end = r + rn;
	end = trim(&p, end);
	bool any = false, seen = false;
	while (p < end && (*p == '[' || *p == '(')) {
		const char *close = p;
		while (close < end && *close != ']' && *close != ')')
			close++;
		if (close == end)
			return dd_version_bad(err, r, rn, "unbounded range");
		bool one = false;
		rc = restriction(v, vn, p, close + 1, &one, err);
		if (rc != DD_OK)
			return rc;
		any = any || one;
		seen = true;
		p = close + 1;
		while (p < end && dd_v_space((unsigned char)*p))
			p++;
		if (p < end && *p == ',') {
			p++;
			while (p < end && dd_v_space((unsigned char)*p))
				p++;
		}
	}
	if (p < end) {
		if (seen)
			return dd_version_bad(err, r, rn,
					      "only fully-qualified sets allowed with several ranges");
		/* A bare version is a recommendation, not a restriction. */
		rc = mvn_check(p, (size_t)(end - p), err);
		if (rc != DD_OK)
			return rc;
		*ok = true;
		return DD_OK;
	}
	if (!seen)
		return dd_version_bad(err, r, rn, "empty range");
	*ok = any;
	return DD_OK;
}

const struct dd_version_scheme dd_version_maven = {
	.name = "maven",
	.summary = "Maven 4 ComparableVersion order; ranges [1.0,2.0)",
	.check = mvn_check,
	.compare = mvn_compare,
	.canonical = mvn_canonical,
	.satisfies = mvn_satisfies,
};
