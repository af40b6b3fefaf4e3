/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Version comparison for every ecosystem the matcher handles, and OSV range
 * evaluation on top of it. One comparator per scheme (src/version/
 * <scheme>_version.c) behind one table; this header is how the matcher,
 * importers and the CLI (`drydock vercmp`) reach them. Design, per-scheme
 * rules and the places where we follow an ecosystem tool's tolerance are in
 * docs/internals/version.md.
 *
 * Schemes (dd_version_scheme_find names):
 *   dpkg    Debian/Ubuntu: [epoch:]upstream[-revision], as dpkg does it
 *   apk     Alpine: apk-tools v3 ordering; constraints "<", "<=", "=", ">=",
 *           ">", "~", "<~", ">~", a leading "!" negates
 *   rpm     [epoch:]version[-release], rpmvercmp incl. "~" and "^"
 *   semver  SemVer 2.0.0 precedence with node-semver's strict parser and
 *           node-semver ranges ("^ ~ x * || - >= <")
 *   npm     the same with node-semver's loose parser (what npm installs)
 *   nuget   NuGet: 1-4 numeric parts, case-insensitive prerelease
 *   pep440  Python: normalisation, epochs, pre/post/dev, local; specifiers
 *   maven   Maven 4 ComparableVersion; ranges "[1.0,2.0)" (unions with ",")
 *   gem     RubyGems Gem::Version; requirements incl. "~>"
 *   go      Go modules: semver with "v", "+incompatible", pseudo-versions
 *   composer Packagist: PHP version_compare after Composer normalisation
 *
 * Inputs are NUL-terminated C strings in the convenience functions and
 * pointer + length (may hold NULs, which every scheme rejects) in the _n
 * forms. Nothing here allocates or keeps a pointer to its input; every
 * function is thread-safe. An invalid version is DD_EINVAL with the reason in
 * err ("dpkg version \"1:\": nothing after the epoch colon"); it is never
 * compared as a plain string. A version longer than DD_VERSION_MAX_BYTES is
 * DD_ELIMIT. The exceptions are schemes whose own tool orders invalid
 * strings (apk, go): their compare follows the tool, while
 * dd_version_check() still reports the string as invalid.
 */
#ifndef DD_VERSION_H
#define DD_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/err.h"

/* Longest version or range string accepted (real ones are < 100 bytes; the
 * longest Debian versions are ~80). Longer is DD_ELIMIT, never a crash. */
#define DD_VERSION_MAX_BYTES 1024

struct dd_version_scheme;

enum dd_version_flags {
	/* npm/semver ranges: a prerelease version may match any comparator
	 * set, not only one naming the same [major, minor, patch]
	 * (node-semver's includePrerelease option). */
	DD_VERSION_INCLUDE_PRERELEASE = 1u << 0,
	/* semver/npm compare: after precedence, order by build metadata
	 * (node-semver's compareBuild, used by its sort). */
	DD_VERSION_COMPARE_BUILD = 1u << 1,
};

/* Scheme by name ("dpkg", "pep440", ...); NULL if unknown. */
const struct dd_version_scheme *dd_version_scheme_find(const char *name);
/* The table, for listing: NULL past the end. */
const struct dd_version_scheme *dd_version_scheme_at(size_t i);
const char *dd_version_scheme_name(const struct dd_version_scheme *s);
const char *dd_version_scheme_summary(const struct dd_version_scheme *s);

/* OSV "ecosystem" field (the part before ':' is used, so "Debian:12" and
 * "Alpine:v3.19" work) → scheme; NULL if we have none. */
const struct dd_version_scheme *dd_version_scheme_for_ecosystem(const char *ecosystem);
/* purl type ("deb", "apk", "rpm", "npm", "pypi", "golang", "maven", "gem",
 * "cargo", "nuget", "composer") → scheme; NULL if we have none. */
const struct dd_version_scheme *dd_version_scheme_for_purl_type(const char *type);

/* Sign of a - b in *cmp: -1, 0 or 1. DD_EINVAL names the invalid version,
 * DD_ENOTFOUND an unknown scheme name. Does not allocate. */
dd_code dd_version_compare(const char *scheme, const char *a, const char *b, int *cmp,
			   struct dd_err *err);
dd_code dd_version_compare_n(const struct dd_version_scheme *s, const char *a, size_t an,
			     const char *b, size_t bn, unsigned flags, int *cmp,
			     struct dd_err *err);

/* A version parsed once for many comparisons (a package's installed
 * version against every advisory that names the package). It keeps views
 * into the caller's string, which must outlive it; the fields after
 * `len` are the scheme's own. Comparing two parsed versions cannot fail
 * and skips validation: dpkg and rpm compare from the stored parts, the
 * other schemes re-read the strings. */
struct dd_version_parsed {
	const struct dd_version_scheme *scheme;
	const char *str;
	size_t len;
	unsigned long long epoch;
	size_t part_off[3], part_len[3];
	unsigned char part_present[3];
};

dd_code dd_version_parse(const struct dd_version_scheme *s, const char *v, size_t n,
			 struct dd_version_parsed *out, struct dd_err *err);
/* Sign of a - b; a and b must come from dd_version_parse with the same
 * scheme and flags 0 semantics. Does not allocate. */
int dd_version_compare_parsed(const struct dd_version_parsed *a,
			      const struct dd_version_parsed *b);

/* DD_OK if v is a valid version of the scheme, else DD_EINVAL and why. For
 * dpkg, strings dpkg accepts with a warning are DD_OK (see the docs). */
dd_code dd_version_check(const struct dd_version_scheme *s, const char *v, size_t n,
			 struct dd_err *err);

/* The canonical form (dpkg drops a zero epoch, pep440 normalises, go
 * expands v1 to v1.0.0 ...), NUL-terminated in out[cap]. Two versions that
 * compare equal need not print the same (maven "1.0" and "1"), but
 * parse(print(v)) always compares equal to v. DD_ELIMIT if cap is short. */
dd_code dd_version_canonical(const struct dd_version_scheme *s, const char *v, size_t n,
			     char *out, size_t cap, struct dd_err *err);

/* Whether version satisfies range in the scheme's own range syntax (see the
 * list above; dpkg and rpm take "OP V" clauses separated by ","). *ok is
 * set only on DD_OK; an invalid version or range is DD_EINVAL. */
dd_code dd_version_satisfies(const char *scheme, const char *version, const char *range,
			     bool *ok, struct dd_err *err);
dd_code dd_version_satisfies_n(const struct dd_version_scheme *s, const char *v, size_t vn,
			       const char *range, size_t rn, unsigned flags, bool *ok,
			       struct dd_err *err);

/* ---- OSV affected ranges (https://ossf.github.io/osv-schema/) -----------
 * An importer stores these plain structs (strings it owns, e.g. from an
 * arena); the matcher evaluates them against an installed version. */
enum dd_osv_event_kind {
	DD_OSV_INTRODUCED,    /* "0" means from the beginning */
	DD_OSV_FIXED,         /* first version no longer affected */
	DD_OSV_LAST_AFFECTED, /* last version still affected */
	DD_OSV_LIMIT,         /* versions at or above are outside the range */
};

enum dd_osv_range_type {
	DD_OSV_RANGE_ECOSYSTEM, /* compared with the ecosystem's scheme */
	DD_OSV_RANGE_SEMVER,    /* compared as SemVer 2.0.0 ("semver"), any ecosystem */
	DD_OSV_RANGE_GIT,       /* commit hashes: ignored (see dd_osv_verdict) */
};

struct dd_osv_event {
	enum dd_osv_event_kind kind;
	const char *version;
};

struct dd_osv_range {
	enum dd_osv_range_type type;
	const struct dd_osv_event *events;
	size_t nevents;
};

struct dd_osv_affected {
	const struct dd_osv_range *ranges;
	size_t nranges;
	const char *const *versions; /* the explicit "versions" list */
	size_t nversions;
};

struct dd_osv_verdict {
	bool affected;
	/* When affected through a range: the lowest "fixed" event above the
	 * installed version in that range (borrowed from the events), or NULL
	 * when there is none (last_affected, or no fix yet). */
	const char *fixed;
	/* GIT ranges were present and skipped: commit ranges need the
	 * repository history, which a scanner of installed packages lacks. */
	bool git_ignored;
};

/* Evaluates the OSV algorithm ("Evaluation" in the schema): a range affects
 * v when the greatest event at or below v (introduced, fixed: v >= event;
 * last_affected: v > event, i.e. just above it) is an "introduced", and no
 * limit is <= v. Ties at one version: fixed wins over introduced. Any range
 * or an equal entry of versions (compared in the scheme) makes v affected.
 * An invalid installed version is DD_EINVAL; an invalid event version is
 * DD_EINVAL naming it (the feed is broken: say so, never guess). */
dd_code dd_version_osv_affected(const struct dd_version_scheme *ecosystem_scheme,
				const char *installed, const struct dd_osv_affected *a,
				struct dd_osv_verdict *out, struct dd_err *err);

#endif
