/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal pieces of the matcher shared by its files: which feed namespace
 * and name a package is looked up under, and the distro end-of-life table.
 * The public entry points are in include/dd/scan.h.
 */
#ifndef DD_MATCH_H
#define DD_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dd/sbom.h"
#include "dd/version.h"

/* How one package is looked up in the vulnerability DB. */
struct dd_match_key {
	char namespace_[64];   /* "alpine:v3.10", "debian:12", "npm", "PyPI", "Go" */
	char name[512];        /* source package for distros; full name for ecosystems */
	const char *version;   /* the version compared (source version for dpkg) */
	const struct dd_version_scheme *scheme;
	bool os;               /* a distro package (feed: the distro's own) */
};

/* Fills *k for package p of an image with distro d. False when the package
 * is not matched at all (an interpreted language package owned by an OS
 * package, an unknown type, a distro we have no namespace for); *why then
 * says which, for the coverage warning (may be NULL). */
bool dd_match_key_for(const struct dd_package *p, const struct dd_distro *d,
		      struct dd_match_key *k, const char **why);

struct dd_vulndb;
struct dd_scan_result;

/* Matches r->sbom's packages against db into r->findings (sorted), adding
 * coverage and end-of-life warnings and flagging unassessed packages. */
dd_code dd_scan_match(struct dd_vulndb *db, struct dd_scan_result *r, struct dd_err *err);

/* End of all free security support (LTS included) for a distro release, as
 * "YYYY-MM-DD", or NULL when unknown. */
const char *dd_match_eol_date(const char *distro_id, const char *version_id);

#endif
