/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A scan result: the SBOM of an image and the vulnerabilities matched to its
 * packages. Built by the matcher (src/match/), written by src/report/,
 * recorded by src/store/. All strings live in the result's arena.
 */
#ifndef DD_SCAN_H
#define DD_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/sbom.h"

/* Qualitative severity on the CVSS v3 scale (None 0, Low 0.1-3.9, Medium
 * 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0), or the vendor's word mapped to
 * it when there is no score. The handbook's P1/P2/P3 bands are policy, not
 * this (src/policy/). */
enum dd_severity {
	DD_SEV_UNKNOWN = 0,
	DD_SEV_NONE,
	DD_SEV_LOW,
	DD_SEV_MEDIUM,
	DD_SEV_HIGH,
	DD_SEV_CRITICAL
};

/* What the feed says about the installed version. */
enum dd_fix_state {
	DD_FIX_FIXED,        /* a fixed version exists (finding.fixed) */
	DD_FIX_NOT_FIXED,    /* affected, no fix yet (open / unfixed) */
	DD_FIX_WONT_FIX,     /* the vendor will not fix */
	DD_FIX_END_OF_LIFE   /* the distro release is end-of-life */
};

struct dd_cvss {
	const char *source;   /* "nvd", "ghsa", "redhat", ... */
	const char *version;  /* "2.0", "3.0", "3.1", "4.0" */
	const char *vector;
	double score;
};

struct dd_finding {
	const char *id;              /* primary id: the CVE when there is one */
	const char **aliases;        /* every other id: GHSA, PYSEC, GO, DSA, ... */
	size_t naliases;
	const char *summary;
	size_t pkg;                  /* index into result->sbom->pkgs */
	const char *installed;       /* the version that was compared */
	const char *fixed;           /* fixed version, NULL when none */
	enum dd_fix_state state;
	const char *namespace_;      /* the feed namespace that matched: "alpine:v3.10", "npm" */
	const char *data_source;     /* importer that supplied the record: "alpine-secdb", "osv" */
	struct dd_cvss *cvss;        /* every score we have, every source */
	size_t ncvss;
	double score;                /* the score that decides severity, -1 = none */
	const char *score_source;    /* which dd_cvss set it, e.g. "nvd 3.1" */
	enum dd_severity severity;
	const char *vendor_severity; /* the vendor's own word: Debian urgency, GHSA, Alpine */
	const char **cwes;
	size_t ncwes;
	bool kev;                    /* CISA Known Exploited Vulnerabilities */
	const char *kev_added, *kev_due;
	bool kev_ransomware;
	double epss, epss_percentile; /* -1 = unknown */
	const char *published, *modified;
	const char **references;
	size_t nreferences;
	const char *suppressed;      /* NULL, or why: "ignore-file: ...", "vex: not_affected ..." */
};

/* Something the scan could not assess (no feed for the distro release in the
 * DB, a layer that failed to read, a cataloger error). what is a package
 * name, a purl (without version), a feed namespace ("alpine:v3.10"), or "*"
 * for the whole image. The store never closes a finding as fixed when its
 * package or namespace is named here: absence is not proof of a fix. */
struct dd_not_assessed {
	const char *what;
	const char *why;
};

struct dd_scan_result {
	struct dd_sbom *sbom;         /* owned */
	struct dd_finding *findings;  /* sorted: package, then id */
	size_t nfindings, cap;
	const char **warnings;        /* the matcher's: "the vulnerability DB has no data for
				       * debian:13"; the image's are in sbom->warnings */
	size_t nwarnings, wcap;
	const char *db_built;         /* when the vulnerability DB was built */
	const char *scanned_at;       /* RFC 3339 UTC */
	struct dd_not_assessed *not_assessed; /* see above; in the arena */
	size_t nnot_assessed;
	struct dd_arena *arena;
};

/* Options of a scan. Zeroed means defaults. */
struct dd_scan_opts {
	const char *db_path;      /* NULL: $DRYDOCK_DB or the data dir's vuln.db */
	bool ignore_unfixed;      /* drop findings that have no fixed version */
};

/* Drops the findings that have no fixed version (what ignore_unfixed does
 * at the end of a scan): for a caller that records the whole result first,
 * since a recorded scan closes the findings it no longer has. */
void dd_scan_drop_unfixed(struct dd_scan_result *r);

/* Reads IMAGE (see dd_sbom_from_image), matches its packages against the
 * vulnerability DB and returns the findings, sorted. The DB is opened
 * read-only; an unknown schema is DD_ESCHEMA, a missing DB DD_ENOTFOUND,
 * both with a message saying what to run. */
dd_code dd_scan_image(const char *image, const struct dd_image_opts *iopts,
		      const struct dd_scan_opts *opts, struct dd_scan_result **out,
		      struct dd_err *err);
/* The same from an SBOM already built; takes over sbom (freed with the
 * result, or on failure). */
dd_code dd_scan_sbom_take(struct dd_sbom *sbom, const struct dd_scan_opts *opts,
			  struct dd_scan_result **out, struct dd_err *err);
void dd_scan_result_free(struct dd_scan_result *r);
/* Adds a warning to the result (copied). */
void dd_scan_warn(struct dd_scan_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *dd_severity_name(enum dd_severity s);  /* "CRITICAL", "HIGH", ... */
enum dd_severity dd_severity_from_score(double score);
/* Parses "critical", "High", "moderate" (GHSA), ... ; DD_SEV_UNKNOWN otherwise. */
enum dd_severity dd_severity_parse(const char *word);

#endif
