/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The version scheme table and the public API of include/dd/version.h:
 * scheme lookup (by name, OSV ecosystem, purl type), the checked entry
 * points that add the scheme name to error messages, the generic "OP V"
 * clause evaluator and OSV range evaluation. The comparators themselves are
 * one file per scheme (<scheme>_version.c); docs/internals/version.md has
 * the overview.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "version/version_scheme.h"

/* One line per scheme. */
static const struct dd_version_scheme *const schemes[] = {
	&dd_version_apk,  &dd_version_composer, &dd_version_dpkg, &dd_version_gem,
	&dd_version_go,   &dd_version_maven,    &dd_version_npm,  &dd_version_nuget,
	&dd_version_pep440, &dd_version_rpm,    &dd_version_semver,
};

#define NSCHEMES (sizeof schemes / sizeof *schemes)

const struct dd_version_scheme *dd_version_scheme_at(size_t i)
{
	return i < NSCHEMES ? schemes[i] : NULL;
}

const struct dd_version_scheme *dd_version_scheme_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < NSCHEMES; i++)
		if (strcmp(schemes[i]->name, name) == 0)
			return schemes[i];
	return NULL;
}

const char *dd_version_scheme_name(const struct dd_version_scheme *s)
{
	return s->name;
}

const char *dd_version_scheme_summary(const struct dd_version_scheme *s)
{
	return s->summary;
}

struct name_map {
	const char *key;
	const struct dd_version_scheme *scheme;
};

/* OSV ecosystem names: https://ossf.github.io/osv-schema/#affectedpackage-field
 * (the list of defined ecosystems). Packagist is compared as Composer does
 * (composer_version.c); NuGet by NuGet's own SemVer rules (4 parts,
 * case-insensitive prerelease); crates.io by SemVer 2.0.0 precedence, which
 * is what Cargo orders by. */
static const struct name_map ecosystems[] = {
	{ "AlmaLinux", &dd_version_rpm },   { "Alpine", &dd_version_apk },
	{ "Chainguard", &dd_version_apk },  { "Debian", &dd_version_dpkg },
	{ "Go", &dd_version_go },           { "Mageia", &dd_version_rpm },
	{ "Maven", &dd_version_maven },     { "NuGet", &dd_version_nuget },
	{ "Packagist", &dd_version_composer }, { "PyPI", &dd_version_pep440 },
	{ "Red Hat", &dd_version_rpm },     { "Rocky Linux", &dd_version_rpm },
	{ "RubyGems", &dd_version_gem },    { "SUSE", &dd_version_rpm },
	{ "Ubuntu", &dd_version_dpkg },     { "Wolfi", &dd_version_apk },
	{ "crates.io", &dd_version_semver }, { "npm", &dd_version_npm },
	{ "openSUSE", &dd_version_rpm },    { "openEuler", &dd_version_rpm },
};

const struct dd_version_scheme *dd_version_scheme_for_ecosystem(const char *eco)
{
	if (!eco)
		return NULL;
	/* "Debian:12", "Alpine:v3.19", "Ubuntu:Pro:22.04:LTS": the release is
	 * after the first ':' and does not change the ordering. */
	size_t n = strcspn(eco, ":");
	for (size_t i = 0; i < sizeof ecosystems / sizeof *ecosystems; i++)
		if (strlen(ecosystems[i].key) == n && memcmp(ecosystems[i].key, eco, n) == 0)
			return ecosystems[i].scheme;
	return NULL;
}

/* purl types: https://github.com/package-url/purl-spec (PURL-TYPES.rst). */
static const struct name_map purl_types[] = {
	{ "alpm", NULL },                 { "apk", &dd_version_apk },
	{ "cargo", &dd_version_semver },  { "composer", &dd_version_composer },
	{ "deb", &dd_version_dpkg },      { "gem", &dd_version_gem },
	{ "golang", &dd_version_go },     { "maven", &dd_version_maven },
	{ "npm", &dd_version_npm },       { "nuget", &dd_version_nuget },
	{ "pypi", &dd_version_pep440 },   { "rpm", &dd_version_rpm },
};

const struct dd_version_scheme *dd_version_scheme_for_purl_type(const char *type)
{
	if (!type)
		return NULL;
	for (size_t i = 0; i < sizeof purl_types / sizeof *purl_types; i++)
		if (strcasecmp(purl_types[i].key, type) == 0)
			return purl_types[i].scheme;
	return NULL;
}

/* ---- helpers shared by the schemes ----------------------------------- */

dd_code dd_version_bad(struct dd_err *err, const char *s, size_t n, const char *fmt, ...)
{
	if (!err)
		return DD_EINVAL;
	char shown[80];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 5 < sizeof shown; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			k += (size_t)snprintf(shown + k, sizeof shown - k, "\\x%02x", c);
		else
			shown[k++] = (char)c;
		if (i + 1 < n && k + 5 >= sizeof shown - 3) {
			memcpy(shown + k, "...", 3);
			k += 3;
			break;
		}
	}
	shown[k] = '\0';
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return dd_err_set(err, DD_EINVAL, "\"%s\": %s", shown, why);
}

void dd_vout_put(struct dd_vout *o, const char *s, size_t n)
{
	if (o->overflow || o->len + n >= o->cap) {
		o->overflow = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

void dd_vout_putc(struct dd_vout *o, char c)
{
	dd_vout_put(o, &c, 1);
}

void dd_vout_puts(struct dd_vout *o, const char *s)
{
	dd_vout_put(o, s, strlen(s));
}

void dd_vout_putu(struct dd_vout *o, unsigned long long v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%llu", v);
	dd_vout_put(o, b, (size_t)n);
}

int dd_version_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	while (an > 0 && *a == '0')
		a++, an--;
	while (bn > 0 && *b == '0')
		b++, bn--;
	if (an != bn)
		return an < bn ? -1 : 1;
	int r = an ? memcmp(a, b, an) : 0;
	return DD_SIGN(r);
}

int dd_version_casecmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	for (size_t i = 0; i < n; i++) {
		unsigned char x = dd_v_tolower((unsigned char)a[i]);
		unsigned char y = dd_v_tolower((unsigned char)b[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return an == bn ? 0 : an < bn ? -1 : 1;
}

int dd_version_bytecmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int r = n ? memcmp(a, b, n) : 0;
	if (r)
		return DD_SIGN(r);
	return an == bn ? 0 : an < bn ? -1 : 1;
}

/* ---- the checked API ------------------------------------------------- */

static dd_code too_long(const struct dd_version_scheme *s, size_t n, struct dd_err *err)
{
	return dd_err_set(err, DD_ELIMIT, "%s version: %zu bytes, more than the limit of %d",
			  s->name, n, DD_VERSION_MAX_BYTES);
}

dd_code dd_version_compare_n(const struct dd_version_scheme *s, const char *a, size_t an,
			     const char *b, size_t bn, unsigned flags, int *cmp,
			     struct dd_err *err)
{
	if (an > DD_VERSION_MAX_BYTES || bn > DD_VERSION_MAX_BYTES)
		return too_long(s, an > bn ? an : bn, err);
	dd_code rc = s->compare(a, an, b, bn, flags, cmp, err);
	if (rc != DD_OK)
		dd_err_prefix(err, "%s version ", s->name);
	return rc;
}

dd_code dd_version_compare(const char *scheme, const char *a, const char *b, int *cmp,
			   struct dd_err *err)
{
	const struct dd_version_scheme *s = dd_version_scheme_find(scheme);
	if (!s)
		return dd_err_set(err, DD_ENOTFOUND, "unknown version scheme '%s'", scheme);
	return dd_version_compare_n(s, a, strlen(a), b, strlen(b), 0, cmp, err);
}

dd_code dd_version_check(const struct dd_version_scheme *s, const char *v, size_t n,
			 struct dd_err *err)
{
	if (n > DD_VERSION_MAX_BYTES)
		return too_long(s, n, err);
	dd_code rc = s->check(v, n, err);
	if (rc != DD_OK)
		dd_err_prefix(err, "%s version ", s->name);
	return rc;
}

dd_code dd_version_parse(const struct dd_version_scheme *s, const char *v, size_t n,
			 struct dd_version_parsed *out, struct dd_err *err)
{
	memset(out, 0, sizeof *out);
	out->scheme = s;
	out->str = v;
	out->len = n;
	if (n > DD_VERSION_MAX_BYTES)
		return too_long(s, n, err);
	dd_code rc = s->parse ? s->parse(v, n, out, err) : s->check(v, n, err);
	if (rc != DD_OK)
		dd_err_prefix(err, "%s version ", s->name);
	return rc;
}

int dd_version_compare_parsed(const struct dd_version_parsed *a,
			      const struct dd_version_parsed *b)
{
	const struct dd_version_scheme *s = a->scheme;
	if (s->compare_parsed)
		return s->compare_parsed(a, b);
	int c = 0;
	s->compare(a->str, a->len, b->str, b->len, 0, &c, NULL);
	return c;
}

dd_code dd_version_canonical(const struct dd_version_scheme *s, const char *v, size_t n,
			     char *out, size_t cap, struct dd_err *err)
{
	if (n > DD_VERSION_MAX_BYTES)
		return too_long(s, n, err);
	if (cap == 0)
		return dd_err_set(err, DD_ELIMIT, "no room for the canonical version");
	struct dd_vout o = { out, cap, 0, false };
	out[0] = '\0';
	dd_code rc = s->canonical(v, n, &o, err);
	if (rc != DD_OK)
		return dd_err_prefix(err, "%s version ", s->name);
	if (o.overflow)
		return dd_err_set(err, DD_ELIMIT, "canonical %s version longer than %zu bytes",
				  s->name, cap - 1);
	return DD_OK;
}

dd_code dd_version_satisfies_n(const struct dd_version_scheme *s, const char *v, size_t vn,
			       const char *range, size_t rn, unsigned flags, bool *ok,
			       struct dd_err *err)
{
	if (vn > DD_VERSION_MAX_BYTES || rn > DD_VERSION_MAX_BYTES)
		return too_long(s, vn > rn ? vn : rn, err);
	bool res = false;
	dd_code rc = s->satisfies(v, vn, range, rn, flags, &res, err);
	if (rc != DD_OK)
		return dd_err_prefix(err, "%s ", s->name);
	*ok = res;
	return DD_OK;
}

dd_code dd_version_satisfies(const char *scheme, const char *version, const char *range,
			     bool *ok, struct dd_err *err)
{
	const struct dd_version_scheme *s = dd_version_scheme_find(scheme);
	if (!s)
		return dd_err_set(err, DD_ENOTFOUND, "unknown version scheme '%s'", scheme);
	return dd_version_satisfies_n(s, version, strlen(version), range, strlen(range), 0, ok,
				      err);
}

/* ---- "OP V, OP V || OP V" for schemes without their own syntax ------- */

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && dd_v_space((unsigned char)*p))
		p++;
	return p;
}

static dd_code one_clause(const struct dd_version_scheme *s, const char *v, size_t vn,
			  const char *p, const char *end, unsigned flags, bool *ok,
			  struct dd_err *err)
{
	p = skip_space(p, end);
	while (end > p && dd_v_space((unsigned char)end[-1]))
		end--;
	const char *op = p;
	while (p < end && strchr("<>=!", *p) && *p)
		p++;
	size_t opn = (size_t)(p - op);
	p = skip_space(p, end);
	if (p == end)
		return dd_version_bad(err, op, (size_t)(end - op), "constraint without a version");
	int want; /* bit 0: less, bit 1: equal, bit 2: greater */
	if (opn == 0 || (opn == 1 && op[0] == '=') || (opn == 2 && !memcmp(op, "==", 2)))
		want = 2;
	else if (opn == 2 && !memcmp(op, "!=", 2))
		want = 5;
	else if (opn == 1 && op[0] == '<' && (flags & DD_VERSION_CLAUSES_DPKG))
		want = 3;
	else if (opn == 1 && op[0] == '>' && (flags & DD_VERSION_CLAUSES_DPKG))
		want = 6;
	else if ((opn == 1 && op[0] == '<') || (opn == 2 && !memcmp(op, "<<", 2)))
		want = 1;
	else if (opn == 2 && !memcmp(op, "<=", 2))
		want = 3;
	else if ((opn == 1 && op[0] == '>') || (opn == 2 && !memcmp(op, ">>", 2)))
		want = 4;
	else if (opn == 2 && !memcmp(op, ">=", 2))
		want = 6;
	else
		return dd_version_bad(err, op, (size_t)(end - op), "unknown operator");
	int c;
	dd_code rc = s->compare(v, vn, p, (size_t)(end - p), flags & ~DD_VERSION_CLAUSES_DPKG, &c,
				err);
	if (rc != DD_OK)
		return rc;
	*ok = (want & (c < 0 ? 1 : c == 0 ? 2 : 4)) != 0;
	return DD_OK;
}

dd_code dd_version_clauses_satisfy(const struct dd_version_scheme *s, const char *v, size_t vn,
				   const char *r, size_t rn, unsigned flags, bool *ok,
				   struct dd_err *err)
{
	dd_code rc = s->check(v, vn, err);
	if (rc != DD_OK)
		return rc;
	const char *p = r, *end = r + rn;
	if (skip_space(p, end) == end)
		return dd_version_bad(err, r, rn, "empty constraint");
	bool any = false;
	while (p <= end) {
		const char *alt = p;
		while (alt + 1 < end && !(alt[0] == '|' && alt[1] == '|'))
			alt++;
		if (alt + 1 >= end)
			alt = end;
		bool all = true;
		for (const char *q = p; q < alt;) {
			const char *c = memchr(q, ',', (size_t)(alt - q));
			if (!c)
				c = alt;
			bool one = false;
			rc = one_clause(s, v, vn, q, c, flags, &one, err);
			if (rc != DD_OK)
				return rc;
			all = all && one;
			q = c + 1;
			if (c == alt)
				break;
		}
		any = any || all;
		if (alt == end)
			break;
		p = alt + 2;
	}
	*ok = any;
	return DD_OK;
}

/* ---- OSV ------------------------------------------------------------- */

static dd_code event_cmp(const struct dd_version_scheme *s, const char *v, size_t vn,
			 const struct dd_osv_event *e, int *c, struct dd_err *err)
{
	/* "introduced": "0" is below every version (OSV schema). */
	if (e->kind == DD_OSV_INTRODUCED && strcmp(e->version, "0") == 0) {
		*c = 1;
		return DD_OK;
	}
	dd_code rc = dd_version_compare_n(s, v, vn, e->version, strlen(e->version), 0, c, err);
	if (rc != DD_OK)
		dd_err_prefix(err, "OSV event: ");
	return rc;
}

/* Event position order: (version, rank) with fixed/limit at rank 0 beating
 * introduced at rank 0 on a tie, and last_affected just above its version. */
static dd_code eval_range(const struct dd_version_scheme *s, const char *v, size_t vn,
			  const struct dd_osv_range *r, bool *affected, const char **fixed,
			  struct dd_err *err)
{
	const struct dd_osv_event *best = NULL;
	const struct dd_osv_event *next_fix = NULL;
	*affected = false;
	*fixed = NULL;
	for (size_t i = 0; i < r->nevents; i++) {
		const struct dd_osv_event *e = &r->events[i];
		if (!e->version)
			return dd_err_set(err, DD_EINVAL, "OSV event without a version");
		int c;
		dd_code rc = event_cmp(s, v, vn, e, &c, err);
		if (rc != DD_OK)
			return rc;
		if (e->kind == DD_OSV_LIMIT) {
			if (c >= 0)
				return DD_OK; /* at or past the limit: outside this range */
			continue;
		}
		bool applies = e->kind == DD_OSV_LAST_AFFECTED ? c > 0 : c >= 0;
		if (!applies) {
			if (e->kind == DD_OSV_FIXED) {
				int d = -1;
				if (next_fix) {
					rc = dd_version_compare_n(s, e->version, strlen(e->version),
								  next_fix->version,
								  strlen(next_fix->version), 0, &d, err);
					if (rc != DD_OK)
						return rc;
				}
				if (d < 0)
					next_fix = e;
			}
			continue;
		}
		if (!best) {
			best = e;
			continue;
		}
		/* Which applicable event sits higher? */
		int d;
		if (best->kind == DD_OSV_INTRODUCED && strcmp(best->version, "0") == 0)
			d = 1;
		else if (e->kind == DD_OSV_INTRODUCED && strcmp(e->version, "0") == 0)
			d = -1;
		else {
			rc = dd_version_compare_n(s, e->version, strlen(e->version), best->version,
						  strlen(best->version), 0, &d, err);
			if (rc != DD_OK)
				return rc;
		}
		if (d == 0) {
			int re = e->kind == DD_OSV_LAST_AFFECTED ? 1 : 0;
			int rb = best->kind == DD_OSV_LAST_AFFECTED ? 1 : 0;
			d = re - rb;
			if (d == 0 && e->kind == DD_OSV_FIXED)
				d = 1;
		}
		if (d > 0)
			best = e;
	}
	if (best && best->kind == DD_OSV_INTRODUCED) {
		*affected = true;
		*fixed = next_fix ? next_fix->version : NULL;
	}
	return DD_OK;
}

static bool s_check_quiet(const struct dd_version_scheme *s, const char *v)
{
	size_t n = strlen(v);
	return n > DD_VERSION_MAX_BYTES || s->check(v, n, NULL) != DD_OK;
}

dd_code dd_version_osv_affected(const struct dd_version_scheme *scheme, const char *installed,
				const struct dd_osv_affected *a, struct dd_osv_verdict *out,
				struct dd_err *err)
{
	out->affected = false;
	out->fixed = NULL;
	out->git_ignored = false;
	size_t vn = strlen(installed);
	bool checked_eco = false, checked_semver = false;
	for (size_t i = 0; i < a->nranges; i++) {
		const struct dd_osv_range *r = &a->ranges[i];
		const struct dd_version_scheme *s = scheme;
		if (r->type == DD_OSV_RANGE_GIT) {
			out->git_ignored = true;
			continue;
		}
		if (r->type == DD_OSV_RANGE_SEMVER) {
			s = &dd_version_semver;
			if (!checked_semver) {
				dd_code rc = dd_version_check(s, installed, vn, err);
				if (rc != DD_OK)
					return rc;
				checked_semver = true;
			}
		} else {
			if (!s)
				return dd_err_set(err, DD_EUNSUPPORTED,
						  "no version scheme for this ecosystem");
			if (!checked_eco) {
				dd_code rc = dd_version_check(s, installed, vn, err);
				if (rc != DD_OK)
					return rc;
				checked_eco = true;
			}
		}
		bool hit;
		const char *fixed;
		dd_code rc = eval_range(s, installed, vn, r, &hit, &fixed, err);
		if (rc != DD_OK)
			return rc;
		if (hit && !out->affected) {
			out->affected = true;
			out->fixed = fixed;
		}
	}
	if (!out->affected && a->nversions > 0) {
		if (!scheme)
			return dd_err_set(err, DD_EUNSUPPORTED, "no version scheme for this ecosystem");
		if (!checked_eco) {
			dd_code rc = dd_version_check(scheme, installed, vn, err);
			if (rc != DD_OK)
				return rc;
		}
		for (size_t i = 0; i < a->nversions; i++) {
			int c;
			const char *lv = a->versions[i];
			/* The list comes from the feed as-is: an entry our scheme
			 * rejects cannot equal a valid installed version. */
			if (s_check_quiet(scheme, lv))
				continue;
			dd_code rc = dd_version_compare_n(scheme, installed, vn, lv, strlen(lv), 0, &c,
							  err);
			if (rc != DD_OK)
				return rc;
			if (c == 0) {
				out->affected = true;
				break;
			}
		}
	}
	return DD_OK;
}
