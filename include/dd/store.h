/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The findings store: drydock's memory between scans (handbook §2.1 "every
 * scan is recorded", §2.3.3 fix verification and knowledge base, §4 figures).
 * One API, two backends behind one function table (src/store/backend.h):
 * SQLite (default, a file in the data dir) and PostgreSQL (a postgres:// or
 * postgresql:// URL). Both get the same versioned, additive migrations on
 * open. docs/internals/store.md has the schema and the finding lifecycle.
 *
 * Threads: a struct dd_store is one connection; use one per thread.
 * Processes: any number may open the same store; saves of the same asset are
 * serialised (SQLite: BEGIN IMMEDIATE + busy timeout; PostgreSQL: a row lock
 * on the asset), and a save is one transaction, so a killed process leaves
 * the store as it was before that save.
 *
 * Memory: list/get functions put rows and their strings in a caller's arena
 * (dd_arena_new() / dd_arena_free(), include/dd/arena.h).
 * Times are seconds since the epoch, UTC; 0 = unset.
 */
#ifndef DD_STORE_H
#define DD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dd/arena.h"
#include "dd/err.h"
#include "dd/policy.h"
#include "dd/scan.h"
#include "dd/suppress.h"

struct dd_store;
struct dd_arena;


/* The default location: $DRYDOCK_STORE, else $XDG_DATA_HOME/drydock/store.db,
 * else ~/.local/share/drydock/store.db. Creates the directory. */
dd_code dd_store_default_url(char *buf, size_t n, struct dd_err *err);

/* url: a path (SQLite) or postgres://... ; NULL = dd_store_default_url.
 * Applies pending migrations. DD_ESCHEMA when the store is newer than us. */
dd_code dd_store_open(const char *url, struct dd_store **out, struct dd_err *err);
void dd_store_close(struct dd_store *s);
const char *dd_store_backend(const struct dd_store *s); /* "sqlite" / "postgres" */
int dd_store_schema_version(struct dd_store *s);
/* The policy used for saves, lists and metrics (default: the handbook's).
 * The store does not take ownership; p must outlive its use. */
void dd_store_set_policy(struct dd_store *s, const struct dd_policy *p);
const struct dd_policy *dd_store_policy(const struct dd_store *s);

/* ---- assets -------------------------------------------------------------- */

struct dd_asset {
	int64_t id;
	const char *name;
	const char *images;         /* image references, comma separated */
	const char *owner, *team;
	const char *scan_frequency; /* "weekly", "monthly", "daily" */
	struct dd_impact impact;
	int64_t created;
	int64_t last_scan;          /* time of the newest scan, 0 = never */
	long nscans, nopen;         /* filled by list/get */
};

/* Creates or updates by name; *id may be NULL. */
dd_code dd_store_put_asset(struct dd_store *s, const struct dd_asset *a, int64_t *id,
			   struct dd_err *err);
/* DD_ENOTFOUND when there is no such asset. */
dd_code dd_store_get_asset(struct dd_store *s, const char *name, struct dd_arena *ar,
			   struct dd_asset *out, struct dd_err *err);
dd_code dd_store_list_assets(struct dd_store *s, struct dd_arena *ar, struct dd_asset **out,
			     size_t *n, struct dd_err *err);

/* ---- saving a scan ------------------------------------------------------- */

struct dd_save_opts {
	const char *asset;          /* required; created (default impact) when new */
	const char *who;            /* recorded in events; default "drydock" */
	int64_t now;                /* 0 = dd_clock_now() */
	double duration;            /* seconds the scan took */
	const char *db_version;     /* vulnerability DB version; default result->db_built */
	/* Test hook: called inside the transaction after every write and
	 * before COMMIT (the SIGKILL-mid-save test stops here). */
	void (*before_commit)(void *ud);
	void *ud;
};

struct dd_save_summary {
	int64_t scan_id;
	size_t findings;            /* in the result */
	size_t new_, still_open, fixed, reintroduced;
	size_t not_assessed;        /* open findings kept open: package not assessed */
	size_t closed_by_policy, kb_drafts;
	size_t by_priority[DD_PRIO_COUNT];
};

/* Records result as a scan of opts->asset and updates that asset's findings
 * in one transaction:
 *  - a (package, vulnerability) not seen before: new, state open;
 *  - seen before and open/triaged: still open, last seen updated;
 *  - seen before and fixed: reintroduced (reopened, counted);
 *  - open but absent from this scan: fixed, verified by rescan N, with the
 *    image digest as evidence, and a knowledge-base draft of what changed
 *    for that package between the two SBOMs;
 *  - ... unless result->not_assessed names its package, purl, namespace or
 *    "*": then it stays open and an event says why.
 * Priorities and due dates come from the store's policy and the asset's
 * business impact. */
dd_code dd_store_save_scan(struct dd_store *s, const struct dd_scan_result *result,
			   const struct dd_save_opts *opts, struct dd_save_summary *sum,
			   struct dd_err *err);

/* ---- scans --------------------------------------------------------------- */

struct dd_scan_row {
	int64_t id;
	const char *asset;
	const char *image_ref, *image_digest;
	int64_t at;
	double duration;
	const char *db_version;
	long npackages, nfindings;
	long by_priority[DD_PRIO_COUNT];
	long new_, fixed;
	const char *sbom_json;      /* only from dd_store_get_scan */
	const char *warnings;       /* newline separated */
};

/* asset NULL = all; newest first; limit 0 = all. */
dd_code dd_store_list_scans(struct dd_store *s, const char *asset, size_t limit,
			    struct dd_arena *ar, struct dd_scan_row **out, size_t *n,
			    struct dd_err *err);
dd_code dd_store_get_scan(struct dd_store *s, int64_t id, struct dd_arena *ar,
			  struct dd_scan_row *out, struct dd_err *err);

enum dd_diff_kind { DD_DIFF_ADDED, DD_DIFF_REMOVED, DD_DIFF_CHANGED };
struct dd_diff_row {
	enum dd_diff_kind kind;
	bool vulnerability;         /* false: a package row; true: a finding row */
	const char *name;           /* package key, or "vuln package" */
	const char *from, *to;      /* versions (NULL when absent) */
};
dd_code dd_store_diff_scans(struct dd_store *s, int64_t a, int64_t b, struct dd_arena *ar,
			    struct dd_diff_row **out, size_t *n, struct dd_err *err);

/* ---- findings ------------------------------------------------------------ */

/* States. open and confirmed are "open"; risk_accepted is suppressed while
 * its exception lasts; fixed, false_positive and not_affected are closed. */
#define DD_STATE_OPEN "open"
#define DD_STATE_CONFIRMED "confirmed"
#define DD_STATE_FIXED "fixed"
#define DD_STATE_FALSE_POSITIVE "false_positive"
#define DD_STATE_NOT_AFFECTED "not_affected"
#define DD_STATE_RISK_ACCEPTED "risk_accepted"
bool dd_store_state_valid(const char *state);
bool dd_store_state_open(const char *state);

struct dd_finding_row {
	int64_t id;
	const char *asset;
	int criticality;
	const char *exposure;
	const char *vuln, *aliases, *summary;
	const char *pkg_key, *package, *pkg_type, *purl, *installed, *fixed_version;
	const char *namespace_;
	const char *state;
	enum dd_priority priority;
	bool unscored;
	double score;               /* -1 none */
	const char *score_source;
	const char *cvss_rating;    /* CVSS v3 qualitative: CRITICAL, HIGH, ... */
	const char *vendor_rating;
	bool kev;
	double epss;
	const char *why;
	int64_t first_seen, last_seen, due, closed_at;
	int64_t first_scan, last_scan, fixed_scan;
	const char *fix_evidence;   /* image digest of the verifying rescan */
	long reintroduced;
	bool overdue;               /* open past its due date at the list's "now" */
};

enum dd_order { DD_ORDER_ID = 0, DD_ORDER_PRIORITY };

struct dd_finding_filter {
	const char *asset, *state, *package, *vuln;
	enum dd_priority priority;  /* 0 = any */
	bool overdue;
	bool open_only;             /* open, confirmed, risk_accepted */
	int64_t id;                 /* 0 = any */
	enum dd_order order;        /* PRIORITY: band, criticality, score, age */
	size_t limit;               /* 0 = all */
	int64_t now;                /* 0 = dd_clock_now(); decides overdue */
};

dd_code dd_store_list_findings(struct dd_store *s, const struct dd_finding_filter *f,
			       struct dd_arena *ar, struct dd_finding_row **out, size_t *n,
			       struct dd_err *err);

struct dd_event_row {
	int64_t id, finding_id, scan_id;
	int64_t at;
	const char *who, *kind, *from_state, *to_state, *why;
};
dd_code dd_store_list_events(struct dd_store *s, int64_t finding_id, struct dd_arena *ar,
			     struct dd_event_row **out, size_t *n, struct dd_err *err);

/* Triage (findings triage): state is confirmed, false_positive, not_affected,
 * risk_accepted (expires required: an exception until then) or open. */
dd_code dd_store_triage(struct dd_store *s, int64_t finding_id, const char *state,
			const char *reason, const char *who, int64_t expires, int64_t now,
			struct dd_err *err);

/* Verification (handbook §2.2.3): result is "reproduced" or "not_reproduced";
 * evidence (may be NULL) is kept with its sha256. The finding is reassessed:
 * by default reproduced confirms and raises, not_reproduced closes as
 * not_affected. */
struct dd_verification {
	int64_t id, finding_id, at;
	const char *who, *result, *conditions, *evidence_name, *evidence, *evidence_sha256;
};
dd_code dd_store_verify(struct dd_store *s, int64_t finding_id, const char *result,
			const char *conditions, const char *evidence_name, const char *evidence,
			size_t evidence_len, const char *who, int64_t now, struct dd_err *err);
dd_code dd_store_list_verifications(struct dd_store *s, int64_t finding_id, struct dd_arena *ar,
				    struct dd_verification **out, size_t *n, struct dd_err *err);

/* ---- knowledge base ------------------------------------------------------ */

struct dd_kb_entry {
	int64_t id;
	const char *vuln, *package;     /* either may be NULL */
	const char *title, *fixed_version, *base_image, *steps, *refs;
	const char *kind;               /* "manual" or "draft" (auto, from a rescan) */
	const char *asset;
	int64_t finding_id, scan_from, scan_to, created;
};
dd_code dd_store_kb_add(struct dd_store *s, const struct dd_kb_entry *e, int64_t now,
			int64_t *id, struct dd_err *err);
dd_code dd_store_kb_get(struct dd_store *s, int64_t id, struct dd_arena *ar,
			struct dd_kb_entry *out, struct dd_err *err);
/* Case-insensitive substring of vuln, package, title or steps; vuln and
 * package (may be NULL) also match exactly for findings show. */
dd_code dd_store_kb_search(struct dd_store *s, const char *text, const char *vuln,
			   const char *package, struct dd_arena *ar, struct dd_kb_entry **out,
			   size_t *n, struct dd_err *err);

/* ---- VEX ----------------------------------------------------------------- */

/* Records statements and applies them to matching findings (not_affected
 * closes as not_affected; affected confirms) with events by who/source. */
dd_code dd_store_vex_apply(struct dd_store *s, const struct dd_vex_stmt *st, size_t n,
			   const char *source, const char *who, int64_t now, size_t *applied,
			   struct dd_err *err);
/* Writes every triage decision (not_affected, false_positive, fixed,
 * confirmed/open as affected) for asset (NULL = all) as an OpenVEX document. */
dd_code dd_store_vex_export(struct dd_store *s, const char *asset, const char *author,
			    int64_t now, FILE *out, struct dd_err *err);

/* ---- metrics and reports ------------------------------------------------- */

struct dd_month_row {
	const char *asset;
	char month[8];              /* "2026-03" */
	long scans;
	double p1_per_scan;
};

#define DD_AGE_BUCKETS 4        /* 0-7, 8-30, 31-90, > 90 days */
struct dd_metrics {
	int64_t now, since;
	struct dd_month_row *months;
	size_t nmonths;
	long open[DD_PRIO_COUNT][DD_AGE_BUCKETS];
	long open_total, overdue;
	long closed[DD_PRIO_COUNT];         /* fixed, for MTTR */
	double mttr[DD_PRIO_COUNT];         /* working days, -1 = none closed */
	int sla_target[DD_PRIO_COUNT];      /* working days, DD_SLA_NONE */
	long sla_met[DD_PRIO_COUNT], sla_total[DD_PRIO_COUNT];
	double sla_pct[DD_PRIO_COUNT];      /* -1 = nothing with a deadline closed */
	long reintroductions;
	long scans;
	double p1_per_scan;
	/* For the HTML report: open findings per priority at the end of each
	 * month of the period, and the assets with the most open findings. */
	struct { char month[8]; long open[DD_PRIO_COUNT]; } *trend;
	size_t ntrend;
	struct { const char *asset; long open[DD_PRIO_COUNT]; } *top;
	size_t ntop;
};

/* asset NULL = all; since 0 = everything. */
dd_code dd_store_metrics(struct dd_store *s, const char *asset, int64_t since, int64_t now,
			 struct dd_arena *ar, struct dd_metrics *out, struct dd_err *err);

/* Scan records (docs/cli/scans.md): a scan result as JSON, for results made
 * elsewhere. On DD_OK *out is the caller's, freed with dd_scan_record_free. */
dd_code dd_scan_record_parse(const char *data, size_t len, const char *name,
			     struct dd_scan_result **out, struct dd_err *err);
void dd_scan_record_free(struct dd_scan_result *r);

/* The scan result's SBOM as JSON text (what dd_store_save_scan records). */
dd_code dd_store_sbom_json(const struct dd_sbom *sbom, char **out, size_t *len,
			   struct dd_err *err);

#endif
