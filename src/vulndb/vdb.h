/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the vulnerability DB module: the schema, the writer importers call
 * and the importer plug-in table. Importers never write SQL themselves;
 * they fill the small structs below and the writer (vdb_write.c) turns them
 * into rows, so the schema lives in one place (docs/internals/vulndb.md).
 */
#ifndef DD_VDB_H
#define DD_VDB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/vulndb.h"
#include "util/buf.h"
#include "vulndb/feed_json.h"

/* ----------------------------------------------------------- the writer -- */

struct vdb {
	sqlite3 *db;
	sqlite3_stmt *st[24];
};

/* Opens (creating the schema if the file is new) for writing. */
dd_code vdb_open_rw(const char *path, unsigned flags, struct vdb *w, struct dd_err *err);
/* Wraps an existing handle (tests, fuzzing): creates the schema if needed. */
dd_code vdb_attach(sqlite3 *db, struct vdb *w, struct dd_err *err);
void vdb_close(struct vdb *w);
dd_code vdb_exec(struct vdb *w, const char *sql, struct dd_err *err);
/* Checks meta.schema_version: DD_ESCHEMA when another version. */
dd_code vdb_check_schema(sqlite3 *db, const char *path, struct dd_err *err);
extern const char vdb_schema_sql[];

struct vdb_ref {
	const char *type, *url;
};

struct vdb_advisory {
	const char *id;
	const char *summary, *details, *published, *modified, *withdrawn;
	const char *const *aliases;
	size_t naliases;
	const struct vdb_ref *refs;
	size_t nrefs;
};

/* Upserts the advisory row; a non-NULL field replaces the stored one.
 * replace: first delete what `source` said about it before (aliases,
 * references, severities, CWEs, affected rows), for feeds where one record
 * carries the whole advisory (OSV, NVD). */
dd_code vdb_put_advisory(struct vdb *w, const char *source, const struct vdb_advisory *a,
			 bool replace, int64_t *adv, struct dd_err *err);
/* The rowid of advisory `id`, creating a bare row when absent. */
dd_code vdb_advisory_row(struct vdb *w, const char *id, int64_t *adv, struct dd_err *err);
dd_code vdb_put_alias(struct vdb *w, int64_t adv, const char *source, const char *alias,
		      struct dd_err *err);

struct vdb_affected {
	const char *namespace_, *package, *purl;
	enum dd_vulndb_status status;
	const char *fixed, *severity;
	const char *ranges;      /* OSV-shaped JSON array text, may be NULL */
	const char *versions;    /* JSON array of strings, may be NULL */
	const char *ecosystem_specific, *database_specific; /* JSON text */
};
dd_code vdb_put_affected(struct vdb *w, int64_t adv, const char *source, const struct vdb_affected *a,
			 struct dd_err *err);
/* Deletes what `source` said about `package` in `namespace_` (NULL: every
 * namespace starting with ns_prefix), for per-package feeds. */
dd_code vdb_clear_package(struct vdb *w, const char *source, const char *ns, const char *ns_prefix,
			  const char *package, struct dd_err *err);
/* Deletes every affected row of the source (whole-file snapshot feeds). */
dd_code vdb_clear_source(struct vdb *w, const char *source, struct dd_err *err);

dd_code vdb_put_severity(struct vdb *w, int64_t adv, const char *source, const char *type,
			 const char *version, const char *vector, double score, const char *rating,
			 struct dd_err *err);
dd_code vdb_put_cwe(struct vdb *w, int64_t adv, const char *source, const char *cwe, struct dd_err *err);

struct vdb_kev {
	const char *cve, *added, *due, *vendor, *product, *name, *action, *notes;
	bool ransomware;
};
dd_code vdb_put_kev(struct vdb *w, const struct vdb_kev *k, struct dd_err *err);
dd_code vdb_put_epss(struct vdb *w, const char *cve, double score, double pct, const char *date,
		     struct dd_err *err);

/* Adds counts to the sources table row and sets its location and time. */
dd_code vdb_note_source(struct vdb *w, const char *source, const char *location, uint64_t records,
			uint64_t skipped, struct dd_err *err);
dd_code vdb_set_meta(struct vdb *w, const char *key, const char *value, struct dd_err *err);

/* The PyPI/NuGet/Packagist name key (see dd_vulndb_each_affected). Writes
 * into buf (NUL-terminated); returns buf. */
const char *vdb_package_key(const char *ns, const char *name, char *buf, size_t n);

/* "YYYY-MM-DDTHH:MM:SSZ" now. */
void vdb_now(char out[32]);

/* --------------------------------------------------------- importers -- */

/* One input stream (a file, an archive member or a buffer). */
struct vdb_input {
	const char *name;        /* for probing and messages: "osv-go/GO-2020-0001.json" */
	const unsigned char *head; /* the first bytes, for probing */
	size_t nhead;
	fj_read_fn read;         /* the whole stream, from its first byte */
	void *ud;
};

/* One import run: the writer, counts and the warning helper. */
struct vdb_ctx {
	struct vdb *w;
	const char *location;    /* the file or URL the user named */
	const char *file;        /* the current stream's name */
	uint64_t records, skipped; /* of the current stream */
	struct dd_vulndb_import_stats *stats;
	void *importer_state;
};

/* "<file>: record <n> (<id>): <why>" as a warning, counted as skipped. */
void vdb_skip(struct vdb_ctx *c, unsigned long index, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct vdb_importer {
	const char *name;
	/* 0 = not mine; higher wins. `name` is the stream name (may be ""). */
	int (*probe)(const char *name, const unsigned char *head, size_t n);
	/* Imports one stream. Record-level problems are vdb_skip()ped; the
	 * return is an error only for what stops this stream (syntax error
	 * of the whole document, I/O) or the run (DD_EDB, DD_ENOMEM). */
	dd_code (*import)(struct vdb_ctx *c, const struct vdb_input *in, struct dd_err *err);
};

extern const struct vdb_importer vdb_import_osv, vdb_import_alpine, vdb_import_debian_tracker,
	vdb_import_debian_dsa, vdb_import_nvd, vdb_import_kev, vdb_import_epss;

/* The table (importers.c), NULL-terminated. */
extern const struct vdb_importer *const vdb_importers[];
const struct vdb_importer *vdb_importer_find(const char *name);
const struct vdb_importer *vdb_importer_probe(const char *name, const unsigned char *head, size_t n);

/* Imports one stream with `imp` (NULL: probe) and counts it in stats. */
dd_code vdb_import_stream(struct vdb_ctx *c, const struct vdb_importer *imp, const struct vdb_input *in,
			  struct dd_err *err);

/* Calls fn for each line (no "\n", no trailing "\r"; NUL-terminated,
 * may hold NULs), numbered from 1. A line longer than DD_LIMIT_LINE_BYTES
 * arrives as line == NULL. A last call with no == 0 marks the end. */
typedef dd_code (*vdb_line_fn)(void *ud, unsigned long no, const char *line, size_t len,
			       struct dd_err *err);
dd_code vdb_lines(const struct vdb_input *in, vdb_line_fn fn, void *ud, struct dd_err *err);
/* Deletes what `source` said about advisory `adv` (aliases, references,
 * severities, CWEs, affected rows). */
dd_code vdb_clear_advisory(struct vdb *w, int64_t adv, const char *source, struct dd_err *err);

/* Helpers shared by importers. */
bool vdb_head_has(const unsigned char *head, size_t n, const char *needle);
bool vdb_name_ends(const char *name, const char *suffix);
/* The Debian release number for a codename ("bullseye" → "11"), NULL if unknown. */
const char *vdb_debian_release(const char *codename);
/* Synthesized OSV range JSON for a distro fix: [{"type":"ECOSYSTEM","events":
 * [{"introduced":"0"},{"fixed":F}]}] (or without the fixed event). */
dd_code vdb_range_fixed(struct dd_buf *b, const char *fixed, struct dd_err *err);
/* ------------------------------------- derived tables (vdb_index.c) -- */

/* Rebuilds match_index and advisory_view from the other tables; run by
 * every import just before its COMMIT (schema 2, docs/internals/vulndb.md). */
dd_code vdb_build_index(struct vdb *w, struct dd_err *err);

/* One entry of a match_index blob appended to b (the entry body, without
 * its length prefix), and a blob framed from `count` length-prefixed
 * bodies. For the builder and the fuzz target's round trip. */
dd_code vdb_entry_encode(struct dd_buf *b, const struct dd_vulndb_affected *a, struct dd_err *err);
dd_code vdb_entries_frame(struct dd_buf *out, const struct dd_buf *body, size_t count, struct dd_err *err);

/* Walks a match_index blob (untrusted: a DB file may be corrupt). open:
 * DD_EDB when the header is wrong. next: 1 an entry (strings point into
 * the blob, arrays come from `a`), 0 the end, -1 the framing is broken
 * (stop: the rest is unreadable), -2 this entry is malformed (skip it;
 * out->advisory is set when it was readable). */
struct vdb_entries {
	const unsigned char *p, *end;
	size_t left;
};
dd_code vdb_entries_open(struct vdb_entries *it, const void *blob, size_t n);
int vdb_entries_next(struct vdb_entries *it, struct dd_arena *a, struct dd_vulndb_affected *out);

/* An advisory_view blob: the merged fields of struct dd_vulndb_advisory
 * (not id, summary, details, published, modified, withdrawn: those are
 * the advisories row). decode copies strings into a; DD_EDB when the blob
 * is malformed, DD_ENOMEM. */
dd_code vdb_view_encode(struct dd_buf *b, const struct dd_vulndb_advisory *v, struct dd_err *err);
dd_code vdb_view_decode(const void *blob, size_t n, struct dd_arena *a, struct dd_vulndb_advisory *v);

/* match_filter: a Bloom filter of match_index's (namespace, pkg_key)
 * keys. build: from the keys' vdb_filter_hash values. open: DD_EDB when the
 * blob is malformed (views into it, which must outlive f). may_have: false
 * means the key is certainly absent. */
struct vdb_filter {
	const unsigned char *bits;
	uint64_t mask;
	unsigned probes;
};
uint64_t vdb_filter_hash(const char *ns, const char *key);
dd_code vdb_filter_build(struct dd_buf *out, const uint64_t *hashes, size_t n, struct dd_err *err);
dd_code vdb_filter_open(struct vdb_filter *f, const void *blob, size_t n);
bool vdb_filter_may_have(const struct vdb_filter *f, uint64_t h);

/* A reader on a connection someone else owns (the import's), for
 * vdb_advisory_merged; release finalises its statements only. */
struct dd_vulndb *vdb_reader_borrow(sqlite3 *db);
void vdb_reader_release(struct dd_vulndb *db);
/* dd_vulndb_advisory computed from the normalised tables (no view). */
dd_code vdb_advisory_merged(struct dd_vulndb *db, const char *id, struct dd_arena *arena,
			    struct dd_vulndb_advisory *out, struct dd_err *err);

/* CVSS v3.x / v2 base score from a vector, -1 when not computable. */
double vdb_cvss_score(const char *vector);

#endif
