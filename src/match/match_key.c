/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which feed a package is matched against, under which name and version.
 *
 * Distro packages match only their distro's own feed (Alpine secdb, the
 * Debian tracker, ...), never NVD CPEs: distributions backport fixes without
 * changing the upstream version, so a CPE match on "openssl 1.1.1d" would
 * report what Alpine already patched. The key is the *source* package, as
 * the distro feeds are written: dpkg `Source:` and its version, apk origin,
 * rpm source rpm. Language packages match OSV records of their ecosystem.
 */
#include <ctype.h>

#include "dd/vulndb.h"
#include "match/match.h"

/* purl type -> OSV ecosystem name (https://ossf.github.io/osv-schema/#affectedpackage-field). */
static const struct {
	const char *type, *ecosystem;
} ecosystems[] = {
	{ "npm", "npm" },         { "pypi", "PyPI" },      { "golang", "Go" },
	{ "maven", "Maven" },     { "cargo", "crates.io" }, { "gem", "RubyGems" },
	{ "composer", "Packagist" }, { "nuget", "NuGet" },
};

static bool put(char *dst, size_t cap, const char *a, const char *sep, const char *b)
{
	int n = snprintf(dst, cap, "%s%s%s", a ? a : "", a && *a && b ? sep : "", b ? b : "");
	return n >= 0 && (size_t)n < cap;
}

/* Go versions in OSV are SemVer without the "v" (modules) or "go" (the
 * toolchain) prefix: "v1.2.3" and "go1.20.4" are compared as "1.2.3" and
 * "1.20.4" (OSV Go ecosystem, go.dev/security/vuln/database). */
static const char *go_version(const char *v)
{
	if (v[0] == 'v' && isdigit((unsigned char)v[1]))
		return v + 1;
	if (v[0] == 'g' && v[1] == 'o' && isdigit((unsigned char)v[2]))
		return v + 2;
	return v;
}

bool dd_match_key_for(const struct dd_package *p, const struct dd_distro *d,
		      struct dd_match_key *k, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	memset(k, 0, sizeof *k);
	if (!p->type || !p->name || !p->version) {
		*why = "no name or version";
		return false;
	}
	const char *type = p->type;
	if (!strcmp(type, "deb") || !strcmp(type, "apk") || !strcmp(type, "rpm")) {
		k->os = true;
		if (!d || !d->id ||
		    !dd_vulndb_namespace_for_distro(d->id, d->version_id, d->codename, k->namespace_,
						    sizeof k->namespace_)) {
			*why = "distribution unknown";
			return false;
		}
		const char *scheme = !strcmp(type, "deb") ? "dpkg" : type;
		k->scheme = dd_version_scheme_find(scheme);
		const char *name = p->source_name && *p->source_name ? p->source_name : p->name;
		/* dpkg: a binary built from an older source upload records
		 * `Source: src (ver)`; the tracker's fixed versions are source
		 * versions. apk and rpm binaries carry their source's version. */
		k->version = !strcmp(type, "deb") && p->source_version && *p->source_version
				     ? p->source_version
				     : p->version;
		return k->scheme && put(k->name, sizeof k->name, name, "", NULL);
	}
	if (p->flags & DD_PKG_OWNED_BY_OS) {
		*why = "owned by an OS package";
		return false;
	}
	const char *eco = NULL;
	for (size_t i = 0; i < sizeof ecosystems / sizeof *ecosystems; i++)
		if (!strcmp(type, ecosystems[i].type))
			eco = ecosystems[i].ecosystem;
	if (!eco) {
		*why = "no feed for this package type";
		return false;
	}
	put(k->namespace_, sizeof k->namespace_, eco, "", NULL);
	k->scheme = dd_version_scheme_for_purl_type(type);
	k->version = p->version;
	bool ok;
	if (!strcmp(type, "golang")) {
		/* The catalogers keep a module's whole path in name. */
		ok = put(k->name, sizeof k->name, p->name, "", NULL);
		k->version = go_version(p->version);
	} else if (!strcmp(type, "maven")) {
		ok = put(k->name, sizeof k->name, p->namespace_, ":", p->name);
	} else if (!strcmp(type, "npm") || !strcmp(type, "composer")) {
		ok = put(k->name, sizeof k->name, p->namespace_, "/", p->name);
	} else {
		ok = put(k->name, sizeof k->name, p->name, "", NULL);
	}
	if (!k->scheme) {
		*why = "no version scheme for this package type";
		return false;
	}
	return ok;
}

/*
 * End of free security support, LTS included (after it the feed gets no new
 * fixes and an empty result means nothing). Dates from the distributions'
 * release pages: alpinelinux.org/releases, wiki.debian.org/LTS,
 * ubuntu.com/about/release-cycle (standard support; ESM needs a contract).
 */
static const struct {
	const char *id, *version, *eol;
} eol_table[] = {
	{ "alpine", "3.10", "2021-05-01" }, { "alpine", "3.11", "2021-11-01" },
	{ "alpine", "3.12", "2022-05-01" }, { "alpine", "3.13", "2022-11-01" },
	{ "alpine", "3.14", "2023-05-01" }, { "alpine", "3.15", "2023-11-01" },
	{ "alpine", "3.16", "2024-05-23" }, { "alpine", "3.17", "2024-11-22" },
	{ "alpine", "3.18", "2025-05-09" }, { "alpine", "3.19", "2025-11-01" },
	{ "alpine", "3.20", "2026-04-01" }, { "alpine", "3.21", "2026-11-01" },
	{ "alpine", "3.22", "2027-05-01" },
	{ "debian", "8", "2020-06-30" },    { "debian", "9", "2022-06-30" },
	{ "debian", "10", "2024-06-30" },   { "debian", "11", "2026-08-31" },
	{ "debian", "12", "2028-06-30" },
	{ "ubuntu", "16.04", "2021-04-30" }, { "ubuntu", "18.04", "2023-05-31" },
	{ "ubuntu", "20.04", "2025-05-29" }, { "ubuntu", "22.04", "2027-06-01" },
	{ "ubuntu", "24.04", "2029-05-31" },
};

const char *dd_match_eol_date(const char *id, const char *version_id)
{
	if (!id || !version_id)
		return NULL;
	char rel[16];
	size_t n = strlen(version_id);
	if (!strcmp(id, "alpine")) {
		/* 3.10.4 -> 3.10 */
		const char *dot = strchr(version_id, '.');
		dot = dot ? strchr(dot + 1, '.') : NULL;
		n = dot ? (size_t)(dot - version_id) : n;
	} else if (!strcmp(id, "debian")) {
		n = strcspn(version_id, ".");
	}
	if (n >= sizeof rel)
		return NULL;
	memcpy(rel, version_id, n);
	rel[n] = '\0';
	for (size_t i = 0; i < sizeof eol_table / sizeof *eol_table; i++)
		if (!strcmp(eol_table[i].id, id) && !strcmp(eol_table[i].version, rel))
			return eol_table[i].eol;
	return NULL;
}
