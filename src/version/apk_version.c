/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alpine versions, ordered as apk-tools 3 orders them (the grammar in its
 * test/unit/version.data and apk-spec(5)):
 *   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}
 * with suffixes _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git <
 * _hg < _p. A component after the first with a leading zero compares as a
 * string (Gentoo's rule; apk 2.x differed here, see
 * ../shared/data/versions/README.md). Numbers compare as unbounded integers
 * (apk wraps at 2^64; no real version gets there).
 *
 * apk itself compares strings that fail validation token by token up to
 * the first bad token ("1.0 < 1.0bc"), and `apk version -t` prints that
 * answer. We do the same so our order is apk's, and dd_version_check()
 * still reports such strings as invalid with the reason.
 */
#include <string.h>

#include "version/version_scheme.h"

enum tok {
	T_INITIAL_DIGIT,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_COMMIT_HASH,
	T_REVISION_NO,
	T_END,
	T_INVALID,
};

/* Suffix ranks: below S_NONE sorts before the bare version. */
enum { S_INVALID = -1, S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE, S_CVS, S_SVN, S_GIT, S_HG, S_P };

struct tstate {
	enum tok tok;
	int suffix;
	const char *val;
	size_t valn;
	const char *p, *end;
	const char *why; /* for check */
};

static int suffix_rank(const char *s, size_t n)
{
	static const struct {
		const char *name;
		int rank;
	} sfx[] = { { "alpha", S_ALPHA }, { "beta", S_BETA }, { "pre", S_PRE }, { "rc", S_RC },
		    { "cvs", S_CVS },     { "svn", S_SVN },   { "git", S_GIT }, { "hg", S_HG },
		    { "p", S_P } };
	for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++)
		if (strlen(sfx[i].name) == n && memcmp(sfx[i].name, s, n) == 0)
			return sfx[i].rank;
	return S_INVALID;
}

static void digits(struct tstate *t)
{
	t->val = t->p;
	while (t->p < t->end && dd_v_digit((unsigned char)*t->p))
		t->p++;
	t->valn = (size_t)(t->p - t->val);
	if (t->valn == 0) {
		t->tok = T_INVALID;
		t->why = "expected a number";
	}
}

static void first(struct tstate *t, const char *s, size_t n)
{
	t->p = s;
	t->end = s + n;
	t->why = NULL;
	t->tok = T_INITIAL_DIGIT;
	digits(t);
	if (t->tok == T_INVALID)
		t->why = "does not start with a digit";
}

static void next(struct tstate *t)
{
	if (t->p == t->end) {
		t->tok = T_END;
		return;
	}
	unsigned char c = (unsigned char)*t->p;
	if (dd_v_lower(c)) {
		if (t->tok > T_DIGIT)
			goto invalid;
		t->val = t->p++;
		t->valn = 1;
		t->tok = T_LETTER;
		return;
	}
	if (c == '.' || dd_v_digit(c)) {
		if (c == '.') {
			if (t->tok > T_DIGIT)
				goto invalid;
			t->p++;
		}
		if (t->tok == T_INITIAL_DIGIT || t->tok == T_DIGIT)
			t->tok = T_DIGIT;
		else if (t->tok == T_SUFFIX)
			t->tok = T_SUFFIX_NO;
		else
			goto invalid;
		digits(t);
		return;
	}
	if (c == '_') {
		if (t->tok > T_SUFFIX_NO)
			goto invalid;
		t->p++;
		t->val = t->p;
		while (t->p < t->end && dd_v_lower((unsigned char)*t->p))
			t->p++;
		t->valn = (size_t)(t->p - t->val);
		t->suffix = suffix_rank(t->val, t->valn);
		if (t->suffix == S_INVALID) {
			t->tok = T_INVALID;
			t->why = "unknown _suffix";
			return;
		}
		t->tok = T_SUFFIX;
		return;
	}
	if (c == '~') {
		if (t->tok >= T_COMMIT_HASH)
			goto invalid;
		t->p++;
		t->val = t->p;
		while (t->p < t->end &&
		       (dd_v_digit((unsigned char)*t->p) || (*t->p >= 'a' && *t->p <= 'f')))
			t->p++;
		t->valn = (size_t)(t->p - t->val);
		if (t->valn == 0)
			goto invalid;
		t->tok = T_COMMIT_HASH;
		return;
	}
	if (c == '-') {
		if (t->tok >= T_REVISION_NO)
			goto invalid;
		if (t->end - t->p < 2 || t->p[1] != 'r')
			goto invalid;
		t->p += 2;
		t->tok = T_REVISION_NO;
		digits(t);
		return;
	}
invalid:
	t->tok = T_INVALID;
	t->why = "unexpected character or misplaced part";
}

static int token_cmp(const struct tstate *a, const struct tstate *b)
{
	switch (a->tok) {
	case T_DIGIT:
		if (a->val[0] == '0' || b->val[0] == '0')
			return dd_version_bytecmp(a->val, a->valn, b->val, b->valn);
		/* fall through */
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		return dd_version_numcmp(a->val, a->valn, b->val, b->valn);
	case T_LETTER:
		return DD_SIGN((int)(unsigned char)a->val[0] - (int)(unsigned char)b->val[0]);
	case T_SUFFIX:
		return DD_SIGN(a->suffix - b->suffix);
	default:
		return dd_version_bytecmp(a->val, a->valn, b->val, b->valn);
	}
}

/* fuzzy: b is a prefix pattern ("~3.6" matches 3.6.9). */
static int apk_cmp(const char *a, size_t an, const char *b, size_t bn, bool fuzzy)
{
	struct tstate ta, tb;
	for (first(&ta, a, an), first(&tb, b, bn); ta.tok == tb.tok && ta.tok < T_END;
	     next(&ta), next(&tb)) {
		int r = token_cmp(&ta, &tb);
		if (r)
			return r;
	}
	if (ta.tok == tb.tok)
		return 0;
	if (tb.tok == T_END && fuzzy)
		return 0;
	if (ta.tok == T_SUFFIX && ta.suffix < S_NONE)
		return -1;
	if (tb.tok == T_SUFFIX && tb.suffix < S_NONE)
		return 1;
	if (ta.tok > tb.tok)
		return -1;
	if (tb.tok > ta.tok)
		return 1;
	return 0;
}

static dd_code apk_check(const char *s, size_t n, struct dd_err *err)
{
	struct tstate t;
	for (first(&t, s, n); t.tok < T_END; next(&t))
		;
	if (t.tok == T_END)
		return DD_OK;
	return dd_version_bad(err, s, n, "%s at offset %zu", t.why ? t.why : "invalid",
			      (size_t)(t.p - s));
}

static dd_code apk_compare(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			   int *cmp, struct dd_err *err)
{
	*cmp = apk_cmp(a, an, b, bn, false);
	return DD_OK;
}

static dd_code apk_canonical(const char *s, size_t n, struct dd_vout *o, struct dd_err *err)
{
	dd_code rc = apk_check(s, n, err);
	if (rc == DD_OK)
		dd_vout_put(o, s, n);
	return rc;
}

/* apk dependency constraints (apk-world(5)): "<", "<=", "=", ">=", ">",
 * "~" (fuzzy: the version starts with the given components), "<~", ">~";
 * a leading "!" negates ("conflicts"). */
static dd_code apk_satisfies(const char *v, size_t vn, const char *r, size_t rn, unsigned flags,
			     bool *ok, struct dd_err *err)
{
	const char *p = r, *end = r + rn;
	bool neg = false;
	if (p < end && *p == '!')
		neg = true, p++;
	int mask = 0; /* 1 less, 2 equal, 4 greater, 8 fuzzy */
	for (; p < end && strchr("<>=~", *p) && *p; p++)
		mask |= *p == '<' ? 1 : *p == '=' ? 2 : *p == '>' ? 4 : (8 | 2);
	if (mask == 0)
		return dd_version_bad(err, r, rn, "constraint needs an operator (< <= = >= > ~)");
	/* apk matches constraints on any strings (its compare tolerates
	 * invalid versions, see above), so we do not reject them here. */
	if (p == end)
		return dd_version_bad(err, r, rn, "constraint without a version");
	int c = apk_cmp(v, vn, p, (size_t)(end - p), (mask & 8) != 0);
	bool m = (mask & (c < 0 ? 1 : c == 0 ? 2 : 4)) != 0;
	*ok = neg ? !m : m;
	return DD_OK;
}

const struct dd_version_scheme dd_version_apk = {
	.name = "apk",
	.summary = "Alpine apk-tools v3 versions (_alpha.._p suffixes, ~hash, -rN)",
	.check = apk_check,
	.compare = apk_compare,
	.canonical = apk_canonical,
	.satisfies = apk_satisfies,
};
