/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vulnerability database: one SQLite file (vuln.db) built from feeds
 * (OSV, Alpine secdb, Debian security tracker and DSA/DLA lists, NVD, CISA
 * KEV, EPSS) by `drydock db import|update`, and read by the matcher.
 *
 * Two sides:
 *   - building: dd_vulndb_import() (files, directories, archives; format
 *     detected) and dd_vulndb_update() (download, rebuild beside the old
 *     file, rename in);
 *   - reading: dd_vulndb_open() read-only, then dd_vulndb_each_affected()
 *     per (namespace, package) and dd_vulndb_advisory() per id.
 *
 * Versions and ranges are stored as the feeds give them (strings); this
 * module never compares versions: that is include/dd/version.h's job, done
 * by the matcher. The schema is documented in docs/internals/vulndb.md and
 * versioned by DD_VULNDB_SCHEMA; a reader refuses any other version with
 * DD_ESCHEMA and a message saying to run `drydock db update`.
 *
 * Threads: one struct dd_vulndb per thread (SQLite connections are not
 * shared). Several processes may read one file while another imports into
 * it (SQLite locking; an import is one transaction).
 */
#ifndef DD_VULNDB_H
#define DD_VULNDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/arena.h"
#include "dd/err.h"

/* The schema this build reads and writes (meta.schema_version). */
#define DD_VULNDB_SCHEMA 2

struct dd_vulndb;
struct dd_arena;

/* ---------------------------------------------------------------- paths -- */

/* The database path: $DRYDOCK_DB, else $XDG_DATA_HOME/drydock/vuln.db, else
 * $HOME/.local/share/drydock/vuln.db. Returns a malloc'd string (free()),
 * or NULL with err set when neither XDG_DATA_HOME nor HOME is set. */
char *dd_vulndb_default_path(struct dd_err *err);

/* ------------------------------------------------------------- reading -- */

/* Opens an existing database read-only. Cheap: one query of the meta table
 * (no full-table work), well under the 5 ms budget. Errors: DD_ENOTFOUND (no
 * file: "run 'drydock db update'"), DD_ESCHEMA (unknown schema version),
 * DD_EDB (not a SQLite file or corrupt). */
dd_code dd_vulndb_open(const char *path, struct dd_vulndb **out, struct dd_err *err);
void dd_vulndb_close(struct dd_vulndb *db); /* NULL is fine */

/* What the feed says about a package in a namespace. */
enum dd_vulndb_status {
	DD_VULNDB_RANGES = 0,      /* OSV: affected per ranges[] / versions[] */
	DD_VULNDB_FIXED,           /* distro: affected below `fixed` */
	DD_VULNDB_AFFECTED,        /* distro: affected, no fix yet (open/unfixed/postponed) */
	DD_VULNDB_NOT_AFFECTED,    /* distro: not affected (Debian fixed_version "0") */
	DD_VULNDB_WONT_FIX,        /* distro: will not fix (Debian no-dsa "ignored") */
	DD_VULNDB_END_OF_LIFE,     /* distro release out of support for this package */
	DD_VULNDB_UNDETERMINED     /* Debian "undetermined": not yet triaged */
};
/* "ranges", "fixed", "affected", "not-affected", "will-not-fix",
 * "end-of-life", "undetermined" (the words stored in the DB). */
const char *dd_vulndb_status_name(enum dd_vulndb_status s);

/* OSV range events (https://ossf.github.io/osv-schema/#affectedrangesevents-fields). */
enum dd_vulndb_event_kind {
	DD_VULNDB_INTRODUCED,
	DD_VULNDB_FIXED_AT,
	DD_VULNDB_LAST_AFFECTED,
	DD_VULNDB_LIMIT
};

struct dd_vulndb_event {
	enum dd_vulndb_event_kind kind;
	const char *version; /* "0" for introduced means "all versions" (OSV) */
};

struct dd_vulndb_range {
	const char *type;   /* "ECOSYSTEM", "SEMVER", "GIT" */
	const char *repo;   /* GIT ranges only, else NULL */
	/* In the feed's order. OSV does not promise sorted events: sort them with
	 * the ecosystem's comparator before evaluating (OSV schema, "evaluation"). */
	const struct dd_vulndb_event *events;
	size_t nevents;
};

/* One affected entry. Every pointer is borrowed and lives until the callback
 * returns; copy what you keep. */
struct dd_vulndb_affected {
	const char *advisory;       /* the advisory id: "CVE-2019-14697", "GHSA-…", "GO-…" */
	const char *source;         /* importer: "osv", "alpine-secdb", "debian-tracker", "debian-dsa", "debian-dla" */
	const char *namespace_;     /* "alpine:v3.10", "debian:11", "npm", "PyPI", "Go" */
	const char *package;        /* as the feed names it (Debian/Alpine: the source package) */
	const char *purl;           /* OSV package.purl, may be NULL */
	enum dd_vulndb_status status;
	/* Distro rows: the fixed version (NULL when none). OSV rows: every fixed
	 * event of the ranges, ", "-joined, for display only. */
	const char *fixed;
	const char *severity;       /* vendor rating for this package: Debian urgency; may be NULL */
	const struct dd_vulndb_range *ranges; /* distro FIXED rows get one synthesized ECOSYSTEM range [0, fixed) */
	size_t nranges;
	const char *const *versions; /* OSV affected[].versions, explicit versions */
	size_t nversions;
	const char *ecosystem_specific; /* JSON text (Go: imports[].path/goos/symbols), may be NULL */
	const char *database_specific;  /* JSON text, may be NULL */
	bool withdrawn;             /* the advisory is withdrawn: do not report it */
};

/* Return 0 to continue, non-zero to stop (that value is not an error). */
typedef int (*dd_vulndb_affected_fn)(const struct dd_vulndb_affected *a, void *ud);

/* Calls fn for every affected entry of `package` in `namespace_`, grouped
 * by advisory (in the DB's advisory order, which is stable for a given file
 * but is not the order of the ids: sort findings yourself), entries of one
 * advisory in feed order. One seek in the derived match_index table (schema
 * 2, docs/internals/vulndb.md): a few µs per package (bench/bench_scan.c).
 * Names are compared as the ecosystem does: PyPI by its PEP 503
 * normalised form, NuGet and Packagist case-insensitively, everything else
 * exactly (npm and Go are case-sensitive). Namespaces are exact strings
 * ("alpine:v3.10"; see dd_vulndb_namespace_for_distro()). A malformed
 * entry in a corrupt file is skipped with a warning in the log naming its
 * advisory; a broken row is DD_EDB naming it. */
dd_code dd_vulndb_each_affected(struct dd_vulndb *db, const char *namespace_, const char *package,
				dd_vulndb_affected_fn fn, void *ud, struct dd_err *err);

/* Wraps many lookups (one scan) in one read transaction: SQLite then takes
 * its file lock and checks the file for changes once, not per query, which
 * makes each lookup several times cheaper (bench/bench_vulndb_import.c).
 * While a batch is open, `db import` into the same file waits; `db update`
 * (rename) is not affected. Every begin needs an end; nesting is counted. */
dd_code dd_vulndb_batch_begin(struct dd_vulndb *db, struct dd_err *err);
void dd_vulndb_batch_end(struct dd_vulndb *db);

/* True when the DB holds at least one affected entry in the namespace (for
 * "debian 13 has no feed in the DB" warnings). */
bool dd_vulndb_has_namespace(struct dd_vulndb *db, const char *namespace_);

/* The namespace of a distro release as stored: ("alpine", "3.10.4") →
 * "alpine:v3.10"; ("debian", "11") or codename "bullseye" → "debian:11";
 * ("ubuntu", "22.04") → "ubuntu:22.04"; ("rhel"|"rocky"|"almalinux"|"centos",
 * "9.3") → "<id>:9". Writes into buf; false when id is unknown or buf too small. */
bool dd_vulndb_namespace_for_distro(const char *id, const char *version_id, const char *codename,
				    char *buf, size_t n);

struct dd_vulndb_severity {
	const char *source;   /* "nvd", "osv", "ghsa", "debian", ... (who gave it) */
	const char *type;     /* "CVSS_V2", "CVSS_V3", "CVSS_V4", "vendor" */
	const char *version;  /* "2.0", "3.0", "3.1", "4.0"; NULL for vendor */
	const char *vector;   /* NULL for vendor ratings */
	double score;         /* -1 when unknown */
	const char *rating;   /* "HIGH", "moderate", "low" ... as given; may be NULL */
	const char *advisory; /* the id it is stored under (the CVE for NVD data) */
};

struct dd_vulndb_reference {
	const char *type; /* OSV reference type ("ADVISORY", "WEB", ...) or NULL */
	const char *url;
};

/* An advisory merged with everything known under its aliases. Strings and
 * arrays live in the arena passed to dd_vulndb_advisory(). */
struct dd_vulndb_advisory {
	const char *id;            /* as stored */
	const char *summary, *details;
	const char *published, *modified, *withdrawn; /* RFC 3339 as given; NULL when absent */
	const char **aliases;      /* every other id: its own aliases plus advisories naming it */
	size_t naliases;
	struct dd_vulndb_severity *severities; /* from the advisory and its aliases, every source */
	size_t nseverities;
	const char **cwes;         /* "CWE-79", deduplicated */
	size_t ncwes;
	struct dd_vulndb_reference *references;
	size_t nreferences;
	bool kev;                  /* any id (itself or an alias) is in CISA KEV */
	const char *kev_cve, *kev_added, *kev_due; /* "YYYY-MM-DD" */
	bool kev_ransomware;       /* knownRansomwareCampaignUse == "Known" */
	double epss, epss_percentile; /* -1 when unknown */
	const char *epss_date;
};

/* Looks up `id` as an advisory id (its merged view is stored at import: one
 * query), else as an alias of one (so "CVE-X" finds
 * a GHSA record that lists it). Enrichment follows aliases one step: NVD
 * CVSS/CWE stored under CVE-X are returned for GHSA-Y aliasing CVE-X, and KEV
 * and EPSS for any CVE among the ids. An id known only to KEV/EPSS still
 * returns DD_OK with those fields. DD_ENOTFOUND when nothing at all is known. */
dd_code dd_vulndb_advisory(struct dd_vulndb *db, const char *id, struct dd_arena *arena,
			   struct dd_vulndb_advisory *out, struct dd_err *err);


/* Days since an RFC 3339 UTC time ("2026-11-26T18:00:00Z"), -1 when it does
 * not parse. For "the DB is N days old" warnings. */
double dd_vulndb_age_days(const char *rfc3339);

/* One imported source. */
struct dd_vulndb_source {
	const char *name;        /* "osv", "alpine-secdb", "nvd", "kev", "epss", ... */
	const char *location;    /* last file or URL imported */
	const char *imported_at; /* RFC 3339 UTC */
	int64_t records;         /* records imported (cumulative over files) */
	int64_t skipped;         /* malformed records skipped */
};

struct dd_vulndb_info {
	int schema;
	const char *built_at;    /* RFC 3339 UTC: when the file was created */
	const char *updated_at;  /* last import or update */
	int64_t advisories, affected, kev, epss;
	struct dd_vulndb_source *sources;
	size_t nsources;
};

/* Metadata and counts (counts are COUNT(*) queries: call it for status, not
 * on every scan; dd_vulndb_built_at() is the cheap one). */
dd_code dd_vulndb_info(struct dd_vulndb *db, struct dd_arena *arena, struct dd_vulndb_info *out,
		       struct dd_err *err);
/* The built time read at open (borrowed, lives with db). */
const char *dd_vulndb_built_at(const struct dd_vulndb *db);

/* ------------------------------------------------------------- building -- */

/* Per-importer counts of one import run. */
struct dd_vulndb_import_count {
	char importer[24];
	uint64_t files, records, skipped;
};

struct dd_vulndb_import_stats {
	uint64_t files_seen, files_unrecognised, files_failed;
	uint64_t records, skipped;  /* totals */
	struct dd_vulndb_import_count per[16];
	size_t nper;
};

enum dd_vulndb_import_flags {
	DD_VULNDB_CREATE = 1u << 0,  /* create the file when it is absent */
	DD_VULNDB_FAST = 1u << 1     /* no journal/fsync: only for a new file that
				      * is discarded on failure (update does this) */
};

/* Imports every path (file, directory recursed in name order, tar/zip
 * archive, gzip file) into the DB at db_path, as one transaction: either
 * all of it lands or, on a database error, none. Each stream's format is
 * detected by its name and first bytes. Malformed records are skipped and
 * counted (a warning naming the file and record goes to the log); an
 * unreadable file is a warning too. Returns DD_OK when the transaction
 * committed, even with skipped records; stats may be NULL. An existing
 * database with another schema version: DD_ESCHEMA. Importing a feed again
 * replaces what that feed said before about the same records. */
dd_code dd_vulndb_import(const char *db_path, const char *const *paths, size_t npaths,
			 unsigned flags, struct dd_vulndb_import_stats *stats, struct dd_err *err);

/* Imports from memory with one named importer ("osv", "alpine-secdb",
 * "debian-tracker", "debian-dsa", "nvd", "kev", "epss"; NULL: detect) into
 * an open writable SQLite handle. For fuzzing and tests; `name` is the file
 * name used for detection and messages. */
dd_code dd_vulndb_import_buffer(const char *db_path, const char *importer, const char *name,
				const void *data, size_t n, struct dd_vulndb_import_stats *stats,
				struct dd_err *err);

/* The importers' names, NULL-terminated. */
const char *const *dd_vulndb_importers(void);

/* --------------------------------------------------------------- update -- */

struct dd_vulndb_update_opts {
	const char *db_path;    /* required */
	const char *cache_dir;  /* downloads + ETag/Last-Modified; NULL: <db dir>/cache */
	const char *mirror;     /* base URL with the mirror layout (docs/cli/db.md); NULL: upstream */
	const char *const *sources; /* names to update; NULL: all */
	size_t nsources;
	unsigned retries;       /* extra attempts per file; backoff doubles from retry_delay_ms */
	unsigned retry_delay_ms;
	long timeout_s;         /* per transfer; 0: 600 */
	/* The NVD API 2.0 base URL when not on a mirror (tests point it at a
	 * local server); NULL: https://services.nvd.nist.gov/rest/json/cves/2.0.
	 * nvd_pause_ms: between pages; 0: 6000, or 600 with $NVD_API_KEY. */
	const char *nvd_api_url;
	unsigned nvd_pause_ms;
};

struct dd_vulndb_update_result {
	unsigned downloaded, not_modified, missing; /* files: fetched, 304, 404 */
	struct dd_vulndb_import_stats import;
	bool kept_old;          /* the update failed and the previous DB is untouched */
};

/* Downloads each source's files (conditional requests, retries with
 * backoff, size check, SHA256SUMS check when the server publishes one), then
 * builds a new DB beside db_path from the downloads and renames it over
 * db_path. A file the server does not have (404) is skipped with a warning;
 * any other failure stops the update before the rename: the previous DB is
 * left as it was (res->kept_old) and err says what failed. */
dd_code dd_vulndb_update(const struct dd_vulndb_update_opts *opts,
			 struct dd_vulndb_update_result *res, struct dd_err *err);

/* A source the updater knows: its name and the files it fetches. */
struct dd_vulndb_feed_file {
	const char *path;   /* path below --mirror (the mirror layout) */
	const char *url;    /* the real upstream location */
};
struct dd_vulndb_feed {
	const char *name;
	const char *description;
	const struct dd_vulndb_feed_file *files;
	size_t nfiles;
};
/* The built-in list (docs/cli/db.md prints the same). */
const struct dd_vulndb_feed *dd_vulndb_feeds(size_t *n);

#endif
