/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The read side of the vulnerability DB: what the matcher and `db status`
 * use (include/dd/vulndb.h). Opening is one query (schema version and
 * built time), so a scan pays well under the 5 ms budget; statements are
 * prepared on first use. Scans read the derived tables vdb_index.c builds
 * at import: a package's entries are one match_index blob, an advisory's
 * merged enrichment one advisory_view blob; the query path that computes
 * that view (vdb_advisory_merged) stays here, for ids that are only
 * aliases and for the builder.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dd/log.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"
#include "vulndb/vdb.h"

struct dd_vulndb {
	sqlite3 *db;
	bool borrowed; /* vdb_reader_borrow: the connection is not ours */
	sqlite3_stmt *aff, *has_ns;
	sqlite3_stmt *q[8]; /* dd_vulndb_advisory's, prepared on first use */
	int batch;
	char built_at[40];
	/* match_filter, loaded by the first lookup: 0 not yet, 1 loaded, 2 the
	 * DB has none (every lookup seeks) */
	int filter_state;
	unsigned char *filter_blob;
	struct vdb_filter filter;
};

char *dd_vulndb_default_path(struct dd_err *err)
{
	const char *env = getenv("DRYDOCK_DB");
	char buf[4096];
	if (env && *env) {
		snprintf(buf, sizeof buf, "%s", env);
	} else if ((env = getenv("XDG_DATA_HOME")) && *env) {
		snprintf(buf, sizeof buf, "%s/drydock/vuln.db", env);
	} else if ((env = getenv("HOME")) && *env) {
		snprintf(buf, sizeof buf, "%s/.local/share/drydock/vuln.db", env);
	} else {
		dd_err_set(err, DD_EUSAGE, "no data directory: set XDG_DATA_HOME or HOME, or pass --db PATH");
		return NULL;
	}
	char *p = dd_strndup(buf, strlen(buf));
	if (!p)
		dd_err_set(err, DD_ENOMEM, "out of memory");
	return p;
}

dd_code dd_vulndb_open(const char *path, struct dd_vulndb **out, struct dd_err *err)
{
	*out = NULL;
	struct stat st;
	if (stat(path, &st) != 0)
		return dd_err_set(err, DD_ENOTFOUND,
				  "no vulnerability database at %s: run 'drydock db update' (or 'drydock db"
				  " import FEED...')",
				  path);
	struct dd_vulndb *db = dd_calloc(1, sizeof *db);
	if (!db)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = DD_OK;
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = dd_err_set(err, DD_EDB, "%s: %s", path, db->db ? sqlite3_errmsg(db->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->db, 5000);
	if ((rc = vdb_check_schema(db->db, path, err)) != DD_OK)
		goto fail;
	/* Read pages straight from the OS page cache instead of copying each
	 * into SQLite's own cache with pread(2): a scan is a fresh connection
	 * whose cache starts cold, and copying pages was ~10 % of matching
	 * (bench/bench_scan.c). SQLite maps at most this much; larger files
	 * read the rest with pread (https://sqlite.org/mmap.html). */
	sqlite3_exec(db->db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db->db, "SELECT value FROM meta WHERE key = 'built_at'", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(db->built_at, sizeof db->built_at, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	*out = db;
	return DD_OK;
fail:
	dd_vulndb_close(db);
	return rc;
}

void dd_vulndb_close(struct dd_vulndb *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->aff);
	sqlite3_finalize(db->has_ns);
	for (size_t i = 0; i < sizeof db->q / sizeof *db->q; i++)
		sqlite3_finalize(db->q[i]);
	if (db->batch > 0)
		sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
	if (!db->borrowed)
		sqlite3_close(db->db);
	free(db->filter_blob);
	free(db);
}

struct dd_vulndb *vdb_reader_borrow(sqlite3 *conn)
{
	struct dd_vulndb *db = dd_calloc(1, sizeof *db);
	if (db) {
		db->db = conn;
		db->borrowed = true;
	}
	return db;
}

void vdb_reader_release(struct dd_vulndb *db)
{
	dd_vulndb_close(db);
}

const char *dd_vulndb_built_at(const struct dd_vulndb *db)
{
	return db && db->built_at[0] ? db->built_at : NULL;
}

static const char *col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* Loads match_filter once per connection (a few bytes per key: 40 KiB
 * for the shared feeds). */
static dd_code load_filter(struct dd_vulndb *db, struct dd_err *err)
{
	sqlite3_stmt *s = NULL;
	dd_code rc = DD_OK;
	db->filter_state = 2;
	if (sqlite3_prepare_v2(db->db, "SELECT bits FROM match_filter WHERE id = 1", -1, &s, NULL) != SQLITE_OK)
		return dd_err_set(err, DD_EDB, "vulnerability DB lookup: %s", sqlite3_errmsg(db->db));
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		const void *b = sqlite3_column_blob(s, 0);
		if (n > DD_LIMIT_VDB_INDEX_BYTES || !b) {
			rc = dd_err_set(err, DD_EDB, "vulnerability DB: match_filter is corrupt; run 'drydock db"
					" update' to rebuild the DB");
		} else if (!(db->filter_blob = dd_malloc(n))) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		} else {
			memcpy(db->filter_blob, b, n);
			if (vdb_filter_open(&db->filter, db->filter_blob, n) != DD_OK)
				rc = dd_err_set(err, DD_EDB, "vulnerability DB: match_filter is corrupt; run"
						" 'drydock db update' to rebuild the DB");
			else
				db->filter_state = 1;
		}
	} else if (r != SQLITE_DONE) {
		rc = dd_err_set(err, DD_EDB, "vulnerability DB lookup: %s", sqlite3_errmsg(db->db));
	}
	sqlite3_finalize(s);
	return rc;
}

dd_code dd_vulndb_each_affected(struct dd_vulndb *db, const char *ns, const char *package,
				dd_vulndb_affected_fn fn, void *ud, struct dd_err *err)
{
	/* One seek: the package's entries are one blob of match_index, in
	 * (advisory, feed) order, built at import (vdb_index.c). */
	if (!db->aff &&
	    sqlite3_prepare_v3(db->db, "SELECT entries FROM match_index WHERE namespace = ?1 AND pkg_key = ?2",
			       -1, SQLITE_PREPARE_PERSISTENT, &db->aff, NULL) != SQLITE_OK)
		return dd_err_set(err, DD_EDB, "vulnerability DB lookup: %s", sqlite3_errmsg(db->db));
	char key[512];
	vdb_package_key(ns, package, key, sizeof key);
	dd_code frc = db->filter_state ? DD_OK : load_filter(db, err);
	if (frc)
		return frc;
	if (db->filter_state == 1 && !vdb_filter_may_have(&db->filter, vdb_filter_hash(ns, key)))
		return DD_OK; /* no feed names this package */
	/* Both strings outlive the statement's use: it is reset before we
	 * return, so SQLite need not copy them (SQLITE_STATIC). */
	sqlite3_bind_text(db->aff, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(db->aff, 2, key, -1, SQLITE_STATIC);
	dd_code rc = DD_OK;
	int r = sqlite3_step(db->aff);
	if (r == SQLITE_DONE) {
		sqlite3_reset(db->aff);
		return DD_OK;
	}
	if (r != SQLITE_ROW) {
		rc = dd_err_set(err, DD_EDB, "vulnerability DB lookup: %s", sqlite3_errmsg(db->db));
		sqlite3_reset(db->aff);
		return rc;
	}
	/* The blob stays valid until the statement is reset; one arena per
	 * call holds the range arrays (a package's entries are bounded: the
	 * largest, Debian's linux, has a few thousand). */
	const void *blob = sqlite3_column_blob(db->aff, 0);
	size_t n = (size_t)sqlite3_column_bytes(db->aff, 0);
	struct vdb_entries it;
	struct dd_arena *a = dd_arena_new(0);
	if (!a) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	} else if (vdb_entries_open(&it, blob, n) != DD_OK) {
		rc = dd_err_set(err, DD_EDB, "vulnerability DB: match_index row %s/%s is corrupt; run 'drydock db"
			       " update' to rebuild the DB", ns, key);
	} else {
		struct dd_vulndb_affected row;
		int k;
		while ((k = vdb_entries_next(&it, a, &row)) != 0) {
			if (dd_arena_status(a) == DD_ENOMEM) {
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
				break;
			}
			if (k == -1) {
				rc = dd_err_set(err, DD_EDB, "vulnerability DB: match_index row %s/%s is corrupt;"
					       " run 'drydock db update' to rebuild the DB", ns, key);
				break;
			}
			if (k == -2) {
				dd_log(DD_LOG_WARN, "vulnerability DB: match_index row %s/%s: entry of %s is"
				       " corrupt; entry skipped", ns, key, row.advisory ? row.advisory : "?");
				continue;
			}
			row.namespace_ = ns;
			if (fn(&row, ud) != 0)
				break;
		}
	}
	dd_arena_free(a);
	sqlite3_reset(db->aff);
	return rc;
}

dd_code dd_vulndb_batch_begin(struct dd_vulndb *db, struct dd_err *err)
{
	if (db->batch++ > 0)
		return DD_OK;
	/* BEGIN alone takes no lock; the first read does, and keeps it. */
	if (sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		db->batch = 0;
		return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
	}
	return DD_OK;
}

void dd_vulndb_batch_end(struct dd_vulndb *db)
{
	if (db->batch > 0 && --db->batch == 0)
		sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
}

bool dd_vulndb_has_namespace(struct dd_vulndb *db, const char *ns)
{
	if (!db->has_ns && sqlite3_prepare_v3(db->db, "SELECT 1 FROM match_index WHERE namespace = ?1 LIMIT 1", -1,
					      SQLITE_PREPARE_PERSISTENT, &db->has_ns, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(db->has_ns, 1, ns, -1, SQLITE_TRANSIENT);
	bool yes = sqlite3_step(db->has_ns) == SQLITE_ROW;
	sqlite3_reset(db->has_ns);
	return yes;
}

bool dd_vulndb_namespace_for_distro(const char *id, const char *version_id, const char *codename,
				    char *buf, size_t n)
{
	if (!id || !n)
		return false;
	const char *v = version_id ? version_id : "";
	int w = -1;
	if (strcmp(id, "alpine") == 0) {
		/* 3.10.4 → v3.10; "edge" and 3.x_alpha → edge */
		size_t major = strspn(v, "0123456789");
		if (!major || v[major] != '.')
			w = snprintf(buf, n, "alpine:edge");
		else {
			size_t minor = strspn(v + major + 1, "0123456789");
			w = snprintf(buf, n, "alpine:v%.*s", (int)(major + 1 + minor), v);
		}
	} else if (strcmp(id, "debian") == 0) {
		const char *num = codename ? vdb_debian_release(codename) : NULL;
		if (!num && *v)
			w = snprintf(buf, n, "debian:%.*s", (int)strspn(v, "0123456789"), v);
		else if (num)
			w = snprintf(buf, n, "debian:%s", num);
	} else if (strcmp(id, "ubuntu") == 0 && *v) {
		w = snprintf(buf, n, "ubuntu:%s", v);
	} else if ((strcmp(id, "rhel") == 0 || strcmp(id, "rocky") == 0 || strcmp(id, "almalinux") == 0 ||
		    strcmp(id, "centos") == 0) && *v) {
		w = snprintf(buf, n, "%s:%.*s", id, (int)strspn(v, "0123456789"), v);
	}
	return w > 0 && (size_t)w < n;
}

/* ------------------------------------------------------------ advisory -- */

struct strv {
	const char **v;
	size_t n, cap;
};

static bool strv_add(struct dd_arena *a, struct strv *s, const char *str)
{
	if (!str)
		return true;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return true;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8;
		const char **nv = dd_arena_alloc(a, nc * sizeof *nv);
		if (!nv)
			return false;
		if (s->n)
			memcpy(nv, s->v, s->n * sizeof *nv);
		s->v = nv;
		s->cap = nc;
	}
	const char *copy = dd_arena_strdup(a, str);
	if (!copy)
		return false;
	s->v[s->n++] = copy;
	return true;
}

static sqlite3_stmt *prep(struct dd_vulndb *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db->db, sql, -1, &s, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* dd_vulndb_advisory runs for every finding: keep its statements. */
static sqlite3_stmt *cached(struct dd_vulndb *db, int i, const char *sql)
{
	if (!db->q[i] &&
	    sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->q[i], NULL) != SQLITE_OK) {
		sqlite3_finalize(db->q[i]);
		db->q[i] = NULL;
	}
	return db->q[i];
}

static void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

dd_code vdb_advisory_merged(struct dd_vulndb *db, const char *id, struct dd_arena *a,
			    struct dd_vulndb_advisory *out, struct dd_err *err)
{
	memset(out, 0, sizeof *out);
	out->epss = out->epss_percentile = -1;
	dd_code rc = DD_OK;
	bool found = false;
	int64_t self = -1;
	struct strv ids = { 0 }, cwes = { 0 };
	/* The advisory itself, else the advisory that lists `id` as an alias. */
	sqlite3_stmt *s = cached(db, 0, "SELECT id, vid, summary, details, published, modified, withdrawn"
				   " FROM advisories WHERE vid = ?1 UNION ALL"
				   " SELECT v.id, v.vid, v.summary, v.details, v.published, v.modified, v.withdrawn"
				   " FROM aliases x JOIN advisories v ON v.id = x.adv WHERE x.alias = ?1 LIMIT 1");
	if (!s)
		return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		found = true;
		self = sqlite3_column_int64(s, 0);
		out->id = dd_arena_strdup(a, col(s, 1));
		out->summary = dd_arena_strdup(a, col(s, 2));
		out->details = dd_arena_strdup(a, col(s, 3));
		out->published = dd_arena_strdup(a, col(s, 4));
		out->modified = dd_arena_strdup(a, col(s, 5));
		out->withdrawn = dd_arena_strdup(a, col(s, 6));
	} else {
		out->id = dd_arena_strdup(a, id);
	}
	done(s);
	if (!out->id) /* the arena failed: not an advisory without an id */
		return dd_err_set(err, DD_ENOMEM, "vulnerability DB: out of memory reading %s", id);
	/* Related ids: its aliases, and advisories naming it (or `id`) as an alias. */
	strv_add(a, &ids, out->id);
	if (strcmp(id, out->id) != 0)
		strv_add(a, &ids, id);
	if (self >= 0) {
		s = cached(db, 1, "SELECT alias FROM aliases WHERE adv = ?1 UNION"
			     " SELECT v.vid FROM aliases x JOIN advisories v ON v.id = x.adv"
			     " WHERE x.alias = ?2 ORDER BY 1");
		if (!s)
			return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
		sqlite3_bind_int64(s, 1, self);
		sqlite3_bind_text(s, 2, out->id, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(s) == SQLITE_ROW)
			strv_add(a, &ids, col(s, 0));
		done(s);
	}
	/* Severities, CWEs, references of every related advisory. */
	size_t scap = 0;
	struct strv refs_seen = { 0 };
	for (size_t i = 0; i < ids.n && rc == DD_OK; i++) {
		s = cached(db, 2, "SELECT s.source, s.type, s.version, s.vector, s.score, s.rating, v.vid"
			     " FROM severities s JOIN advisories v ON v.id = s.adv WHERE v.vid = ?1"
			     " ORDER BY s.source, s.type DESC, s.version DESC");
		if (!s)
			return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
		sqlite3_bind_text(s, 1, ids.v[i], -1, SQLITE_TRANSIENT);
		while (sqlite3_step(s) == SQLITE_ROW) {
			found = true;
			if (out->nseverities == scap) {
				size_t nc = scap ? scap * 2 : 8;
				struct dd_vulndb_severity *nv = dd_arena_alloc(a, nc * sizeof *nv);
				if (!nv) {
					rc = DD_ENOMEM;
					break;
				}
				if (out->nseverities)
					memcpy(nv, out->severities, out->nseverities * sizeof *nv);
				out->severities = nv;
				scap = nc;
			}
			struct dd_vulndb_severity *sv = &out->severities[out->nseverities++];
			sv->source = dd_arena_strdup(a, col(s, 0));
			sv->type = dd_arena_strdup(a, col(s, 1));
			sv->version = dd_arena_strdup(a, col(s, 2));
			sv->vector = dd_arena_strdup(a, col(s, 3));
			sv->score = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 4);
			sv->rating = dd_arena_strdup(a, col(s, 5));
			sv->advisory = dd_arena_strdup(a, col(s, 6));
		}
		done(s);
		s = cached(db, 3, "SELECT c.cwe FROM cwes c JOIN advisories v ON v.id = c.adv WHERE v.vid = ?1"
			     " ORDER BY c.cwe");
		if (!s)
			return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
		sqlite3_bind_text(s, 1, ids.v[i], -1, SQLITE_TRANSIENT);
		while (sqlite3_step(s) == SQLITE_ROW)
			if (!strv_add(a, &cwes, col(s, 0)))
				rc = DD_ENOMEM;
		done(s);
	}
	if (self >= 0 && rc == DD_OK) {
		s = cached(db, 4, "SELECT type, url FROM refs WHERE adv = ?1 ORDER BY rowid");
		if (!s)
			return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
		sqlite3_bind_int64(s, 1, self);
		size_t cap = 0;
		while (sqlite3_step(s) == SQLITE_ROW && rc == DD_OK) {
			const char *url = col(s, 1);
			size_t before = refs_seen.n;
			if (!strv_add(a, &refs_seen, url)) {
				rc = DD_ENOMEM;
				break;
			}
			if (refs_seen.n == before)
				continue; /* the same URL from two sources */
			if (out->nreferences == cap) {
				size_t nc = cap ? cap * 2 : 8;
				struct dd_vulndb_reference *nv = dd_arena_alloc(a, nc * sizeof *nv);
				if (!nv) {
					rc = DD_ENOMEM;
					break;
				}
				if (out->nreferences)
					memcpy(nv, out->references, out->nreferences * sizeof *nv);
				out->references = nv;
				cap = nc;
			}
			out->references[out->nreferences++] =
				(struct dd_vulndb_reference){ dd_arena_strdup(a, col(s, 0)), refs_seen.v[before] };
		}
		done(s);
	}
	/* KEV and EPSS for every CVE among the ids. */
	for (size_t i = 0; i < ids.n && rc == DD_OK; i++) {
		if (strncmp(ids.v[i], "CVE-", 4) != 0)
			continue;
		s = cached(db, 5, "SELECT date_added, due_date, ransomware FROM kev WHERE cve = ?1");
		if (!s)
			return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
		sqlite3_bind_text(s, 1, ids.v[i], -1, SQLITE_TRANSIENT);
		if (!out->kev && sqlite3_step(s) == SQLITE_ROW) {
			found = true;
			out->kev = true;
			out->kev_cve = ids.v[i];
			out->kev_added = dd_arena_strdup(a, col(s, 0));
			out->kev_due = dd_arena_strdup(a, col(s, 1));
			out->kev_ransomware = sqlite3_column_int(s, 2) != 0;
		}
		done(s);
		s = cached(db, 6, "SELECT score, percentile, date FROM epss WHERE cve = ?1");
		if (!s)
			return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
		sqlite3_bind_text(s, 1, ids.v[i], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_double(s, 0) > out->epss) {
			found = true;
			out->epss = sqlite3_column_double(s, 0);
			out->epss_percentile = sqlite3_column_double(s, 1);
			out->epss_date = dd_arena_strdup(a, col(s, 2));
		}
		done(s);
	}
	if (rc == DD_OK && dd_arena_status(a) != DD_OK)
		rc = dd_arena_status(a);
	if (rc != DD_OK)
		return dd_err_set(err, rc, "vulnerability DB: out of memory reading %s", id);
	out->aliases = ids.n > 1 ? ids.v + 1 : NULL;
	out->naliases = ids.n > 1 ? ids.n - 1 : 0;
	out->cwes = cwes.v;
	out->ncwes = cwes.n;
	if (!found)
		return dd_err_set(err, DD_ENOTFOUND, "%s: not in the vulnerability database", id);
	return DD_OK;
}

/* An advisory id (not an alias) has its merged view stored at import
 * (advisory_view): one query instead of ~10. Anything else (an alias, a
 * CVE known only to KEV or EPSS) takes the query path. */
dd_code dd_vulndb_advisory(struct dd_vulndb *db, const char *id, struct dd_arena *a,
			   struct dd_vulndb_advisory *out, struct dd_err *err)
{
	sqlite3_stmt *s = cached(db, 7, "SELECT v.vid, v.summary, v.details, v.published, v.modified,"
				   " v.withdrawn, w.view FROM advisory_view w JOIN advisories v ON v.id = w.adv"
				   " WHERE w.vid = ?1");
	if (!s)
		return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC); /* reset (done) before we return */
	if (sqlite3_step(s) != SQLITE_ROW) {
		done(s);
		return vdb_advisory_merged(db, id, a, out, err);
	}
	memset(out, 0, sizeof *out);
	dd_code rc = vdb_view_decode(sqlite3_column_blob(s, 6), (size_t)sqlite3_column_bytes(s, 6), a, out);
	out->id = dd_arena_strdup(a, col(s, 0));
	out->summary = dd_arena_strdup(a, col(s, 1));
	out->details = dd_arena_strdup(a, col(s, 2));
	out->published = dd_arena_strdup(a, col(s, 3));
	out->modified = dd_arena_strdup(a, col(s, 4));
	out->withdrawn = dd_arena_strdup(a, col(s, 5));
	done(s);
	if (rc == DD_OK && dd_arena_status(a) != DD_OK)
		rc = DD_ENOMEM;
	if (rc == DD_ENOMEM)
		return dd_err_set(err, rc, "vulnerability DB: out of memory reading %s", id);
	if (rc)
		return dd_err_set(err, DD_EDB, "vulnerability DB: advisory_view of %s is corrupt; run 'drydock db"
				  " update' to rebuild the DB", id);
	return DD_OK;
}

/* ---------------------------------------------------------------- info -- */

static int64_t count(struct dd_vulndb *db, const char *sql)
{
	sqlite3_stmt *s = prep(db, sql);
	int64_t n = -1;
	if (s && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

dd_code dd_vulndb_info(struct dd_vulndb *db, struct dd_arena *a, struct dd_vulndb_info *out,
		       struct dd_err *err)
{
	memset(out, 0, sizeof *out);
	out->schema = DD_VULNDB_SCHEMA;
	out->built_at = dd_arena_strdup(a, db->built_at[0] ? db->built_at : NULL);
	sqlite3_stmt *s = prep(db, "SELECT value FROM meta WHERE key = 'updated_at'");
	if (s && sqlite3_step(s) == SQLITE_ROW)
		out->updated_at = dd_arena_strdup(a, col(s, 0));
	sqlite3_finalize(s);
	out->advisories = count(db, "SELECT count(*) FROM advisories");
	out->affected = count(db, "SELECT count(*) FROM affected");
	out->kev = count(db, "SELECT count(*) FROM kev");
	out->epss = count(db, "SELECT count(*) FROM epss");
	int64_t n = count(db, "SELECT count(*) FROM sources");
	if (n > 0) {
		out->sources = dd_arena_alloc(a, (size_t)n * sizeof *out->sources);
		s = prep(db, "SELECT name, location, imported_at, records, skipped FROM sources ORDER BY name");
		while (s && out->sources && out->nsources < (size_t)n && sqlite3_step(s) == SQLITE_ROW) {
			struct dd_vulndb_source *src = &out->sources[out->nsources++];
			src->name = dd_arena_strdup(a, col(s, 0));
			src->location = dd_arena_strdup(a, col(s, 1));
			src->imported_at = dd_arena_strdup(a, col(s, 2));
			src->records = sqlite3_column_int64(s, 3);
			src->skipped = sqlite3_column_int64(s, 4);
		}
		sqlite3_finalize(s);
	}
	if (dd_arena_status(a) != DD_OK)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	if (out->advisories < 0)
		return dd_err_set(err, DD_EDB, "vulnerability DB: %s", sqlite3_errmsg(db->db));
	return DD_OK;
}

double dd_vulndb_age_days(const char *t)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (!t || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			 &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t then = timegm(&tm);
	if (then == (time_t)-1)
		return -1;
	return difftime(time(NULL), then) / 86400.0;
}
