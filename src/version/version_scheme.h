/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The version scheme plug-in shape (STYLE.md §1): each
 * src/version/<scheme>_version.c defines one `const struct
 * dd_version_scheme`, listed once in version.c's table. Schemes see
 * pointer + length views; they never allocate in compare and keep parsed
 * parts as views into the caller's string. Shared helpers for all schemes
 * (error text, the canonical-form writer, "OP V, OP V" clause lists) live
 * here too.
 */
#ifndef DD_VERSION_SCHEME_H
#define DD_VERSION_SCHEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/version.h"

/* Writes a canonical form into a caller buffer, remembering overflow. */
struct dd_vout {
	char *p;
	size_t cap, len;
	bool overflow;
};

void dd_vout_put(struct dd_vout *o, const char *s, size_t n);
void dd_vout_putc(struct dd_vout *o, char c);
void dd_vout_puts(struct dd_vout *o, const char *s);
void dd_vout_putu(struct dd_vout *o, unsigned long long v);

struct dd_version_scheme {
	const char *name;
	const char *summary;
	/* DD_OK or DD_EINVAL with the reason (via dd_version_bad). */
	dd_code (*check)(const char *s, size_t n, struct dd_err *err);
	/* Sign of a - b; both validated (or tolerated as the tool does). */
	dd_code (*compare)(const char *a, size_t an, const char *b, size_t bn, unsigned flags,
			   int *cmp, struct dd_err *err);
	dd_code (*canonical)(const char *s, size_t n, struct dd_vout *out, struct dd_err *err);
	dd_code (*satisfies)(const char *v, size_t vn, const char *r, size_t rn, unsigned flags,
			     bool *ok, struct dd_err *err);
	/* Optional fast path for dd_version_parse / _compare_parsed. */
	dd_code (*parse)(const char *s, size_t n, struct dd_version_parsed *p,
			 struct dd_err *err);
	int (*compare_parsed)(const struct dd_version_parsed *a, const struct dd_version_parsed *b);
};

extern const struct dd_version_scheme dd_version_dpkg, dd_version_apk, dd_version_rpm,
	dd_version_semver, dd_version_npm, dd_version_nuget, dd_version_pep440,
	dd_version_maven, dd_version_gem, dd_version_go, dd_version_composer;

/* Sets DD_EINVAL with `"<version, escaped, cut at 64 bytes>": <reason>`. */
dd_code dd_version_bad(struct dd_err *err, const char *s, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Generic constraint lists for schemes without a range syntax of their own
 * (dpkg, rpm, go, nuget, composer): clauses "OP V" separated by "," (all
 * must hold) and alternatives separated by "||". OP is one of < <= = == !=
 * >= > and dpkg's << >>; a bare V means "= V". */
/* Internal flag for dd_version_clauses_satisfy: dpkg's obsolete "<" and
 * ">" mean "<=" and ">=" (deb-control(5), dpkg --compare-versions). */
#define DD_VERSION_CLAUSES_DPKG (1u << 30)

dd_code dd_version_clauses_satisfy(const struct dd_version_scheme *s, const char *v, size_t vn,
				   const char *r, size_t rn, unsigned flags, bool *ok,
				   struct dd_err *err);

/* Small character helpers: locale-free, for bytes. */
static inline bool dd_v_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool dd_v_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline bool dd_v_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline bool dd_v_alpha(unsigned char c) { return dd_v_lower(c) || dd_v_upper(c); }
static inline bool dd_v_alnum(unsigned char c) { return dd_v_alpha(c) || dd_v_digit(c); }
static inline bool dd_v_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
/* Narrows [*p, *end) to its content without leading and trailing white space. */
static inline void dd_v_trim(const char **p, const char **end)
{
	while (*p < *end && dd_v_space((unsigned char)**p))
		(*p)++;
	while (*end > *p && dd_v_space((unsigned char)(*end)[-1]))
		(*end)--;
}
static inline unsigned char dd_v_tolower(unsigned char c)
{
	return dd_v_upper(c) ? (unsigned char)(c + 32) : c;
}

/* Compares two digit strings as unbounded non-negative integers (leading
 * zeros ignored), so no component can overflow. */
/* Dotted identifiers [0-9A-Za-z-]+ (SemVer §9/§10 pre-release and build,
 * also Go's): advances *pp past them; strict_numeric refuses numeric ones
 * with a leading zero. False with *why at an empty identifier. */
bool dd_version_idents(const char **pp, const char *end, bool strict_numeric, const char **why);

int dd_version_numcmp(const char *a, size_t an, const char *b, size_t bn);
/* Case-insensitive (ASCII) byte comparison, shorter first on a tie. */
int dd_version_casecmp(const char *a, size_t an, const char *b, size_t bn);
/* Plain byte comparison, shorter first on a tie. */
int dd_version_bytecmp(const char *a, size_t an, const char *b, size_t bn);

#define DD_SIGN(x) (((x) > 0) - ((x) < 0))

#endif
