/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vulnerability DB schema and its writer. Every row an importer makes
 * goes through here (prepared statements, one transaction per import run,
 * opened by vdb_import.c). The schema is version DD_VULNDB_SCHEMA and is
 * documented table by table in docs/internals/vulndb.md: change both, and
 * the version, together. Readers are in vdb_read.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>


#include "util/path.h"
#include "vulndb/vdb.h"

const char vdb_schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
	"CREATE TABLE sources(name TEXT PRIMARY KEY, location TEXT, imported_at TEXT,\n"
	"  records INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0);\n"
	"CREATE TABLE advisories(id INTEGER PRIMARY KEY, vid TEXT NOT NULL UNIQUE,\n"
	"  summary TEXT, details TEXT, published TEXT, modified TEXT, withdrawn TEXT);\n"
	"CREATE TABLE aliases(adv INTEGER NOT NULL, alias TEXT NOT NULL, source TEXT NOT NULL,\n"
	"  UNIQUE(adv, alias, source));\n"
	"CREATE INDEX aliases_by_alias ON aliases(alias);\n"
	"CREATE TABLE refs(adv INTEGER NOT NULL, source TEXT NOT NULL, type TEXT, url TEXT NOT NULL);\n"
	"CREATE INDEX refs_by_adv ON refs(adv, source);\n"
	"CREATE TABLE affected(id INTEGER PRIMARY KEY, adv INTEGER NOT NULL, source TEXT NOT NULL,\n"
	"  namespace TEXT NOT NULL, package TEXT NOT NULL, pkg_key TEXT NOT NULL, purl TEXT,\n"
	"  status TEXT NOT NULL, fixed TEXT, severity TEXT, ranges TEXT, versions TEXT,\n"
	"  ecosystem_specific TEXT, database_specific TEXT);\n"
	"CREATE INDEX affected_by_pkg ON affected(namespace, pkg_key, adv);\n"
	"CREATE INDEX affected_by_adv ON affected(adv, source);\n"
	"CREATE INDEX affected_by_source ON affected(source, pkg_key);\n"
	"CREATE TABLE severities(adv INTEGER NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL,\n"
	"  version TEXT, vector TEXT, score REAL, rating TEXT);\n"
	"CREATE INDEX severities_by_adv ON severities(adv, source);\n"
	"CREATE TABLE cwes(adv INTEGER NOT NULL, source TEXT NOT NULL, cwe TEXT NOT NULL,\n"
	"  UNIQUE(adv, source, cwe));\n"
	"CREATE TABLE kev(cve TEXT PRIMARY KEY, date_added TEXT, due_date TEXT,\n"
	"  ransomware INTEGER NOT NULL DEFAULT 0, vendor TEXT, product TEXT, name TEXT,\n"
	"  action TEXT, notes TEXT);\n"
	"CREATE TABLE epss(cve TEXT PRIMARY KEY, score REAL NOT NULL, percentile REAL NOT NULL,\n"
	"  date TEXT);\n"
	/* Derived, rebuilt by every import (vdb_index.c): what scans read. */
	"CREATE TABLE match_index(namespace TEXT NOT NULL, pkg_key TEXT NOT NULL,\n"
	"  entries BLOB NOT NULL, PRIMARY KEY(namespace, pkg_key)) WITHOUT ROWID;\n"
	"CREATE TABLE match_filter(id INTEGER PRIMARY KEY CHECK (id = 1), bits BLOB NOT NULL);\n"
	"CREATE TABLE advisory_view(vid TEXT PRIMARY KEY, adv INTEGER NOT NULL, view BLOB NOT NULL)\n"
	"  WITHOUT ROWID;\n";

enum {
	S_ADV_UPSERT,
	S_ADV_ROW,
	S_DEL_ALIASES,
	S_DEL_REFS,
	S_DEL_SEV,
	S_DEL_CWES,
	S_DEL_AFF,
	S_ALIAS,
	S_REF,
	S_AFF,
	S_CLEAR_PKG,
	S_CLEAR_PKG_PREFIX,
	S_CLEAR_SOURCE,
	S_SEV,
	S_CWE,
	S_KEV,
	S_EPSS,
	S_SOURCE,
	S_META,
	S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_ADV_UPSERT] =
		"INSERT INTO advisories(vid, summary, details, published, modified, withdrawn)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(vid) DO UPDATE SET"
		" summary = coalesce(excluded.summary, summary),"
		" details = coalesce(excluded.details, details),"
		" published = coalesce(excluded.published, published),"
		" modified = coalesce(excluded.modified, modified),"
		" withdrawn = coalesce(excluded.withdrawn, withdrawn) RETURNING id",
	[S_ADV_ROW] = "INSERT INTO advisories(vid) VALUES(?1) ON CONFLICT(vid) DO UPDATE SET vid = vid"
		      " RETURNING id",
	[S_DEL_ALIASES] = "DELETE FROM aliases WHERE adv = ?1 AND source = ?2",
	[S_DEL_REFS] = "DELETE FROM refs WHERE adv = ?1 AND source = ?2",
	[S_DEL_SEV] = "DELETE FROM severities WHERE adv = ?1 AND source = ?2",
	[S_DEL_CWES] = "DELETE FROM cwes WHERE adv = ?1 AND source = ?2",
	[S_DEL_AFF] = "DELETE FROM affected WHERE adv = ?1 AND source = ?2",
	[S_ALIAS] = "INSERT OR IGNORE INTO aliases(adv, alias, source) VALUES(?1, ?2, ?3)",
	[S_REF] = "INSERT INTO refs(adv, source, type, url) VALUES(?1, ?2, ?3, ?4)",
	[S_AFF] = "INSERT INTO affected(adv, source, namespace, package, pkg_key, purl, status, fixed,"
		  " severity, ranges, versions, ecosystem_specific, database_specific)"
		  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[S_CLEAR_PKG] = "DELETE FROM affected WHERE source = ?1 AND pkg_key = ?2 AND namespace = ?3",
	[S_CLEAR_PKG_PREFIX] = "DELETE FROM affected WHERE source = ?1 AND pkg_key = ?2"
			       " AND substr(namespace, 1, length(?3)) = ?3",
	[S_CLEAR_SOURCE] = "DELETE FROM affected WHERE source = ?1",
	[S_SEV] = "INSERT INTO severities(adv, source, type, version, vector, score, rating)"
		  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_CWE] = "INSERT OR IGNORE INTO cwes(adv, source, cwe) VALUES(?1, ?2, ?3)",
	[S_KEV] = "INSERT OR REPLACE INTO kev(cve, date_added, due_date, ransomware, vendor, product,"
		  " name, action, notes) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_EPSS] = "INSERT OR REPLACE INTO epss(cve, score, percentile, date) VALUES(?1, ?2, ?3, ?4)",
	[S_SOURCE] = "INSERT INTO sources(name, location, imported_at, records, skipped)"
		     " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO UPDATE SET"
		     " location = excluded.location, imported_at = excluded.imported_at,"
		     " records = records + excluded.records, skipped = skipped + excluded.skipped",
	[S_META] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
};

void vdb_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static dd_code db_fail(struct vdb *w, struct dd_err *err, const char *what)
{
	return dd_err_set(err, DD_EDB, "%s: %s", what, sqlite3_errmsg(w->db));
}

dd_code vdb_exec(struct vdb *w, const char *sql, struct dd_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(w->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		dd_code rc = dd_err_set(err, DD_EDB, "%s", msg ? msg : sqlite3_errmsg(w->db));
		sqlite3_free(msg);
		return rc;
	}
	return DD_OK;
}

dd_code vdb_check_schema(sqlite3 *db, const char *path, struct dd_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(st);
		return dd_err_set(err, DD_ESCHEMA,
				  "%s is not a drydock vulnerability database (%s); run 'drydock db update'"
				  " or import feeds with 'drydock db import' into a new file",
				  path, sqlite3_errmsg(db));
	}
	int v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v != DD_VULNDB_SCHEMA)
		return dd_err_set(err, DD_ESCHEMA,
				  "%s has schema version %d; this drydock knows version %d: run"
				  " 'drydock db update' to rebuild it (or use a drydock matching the DB)",
				  path, v, DD_VULNDB_SCHEMA);
	return DD_OK;
}

static dd_code prepare_all(struct vdb *w, struct dd_err *err)
{
	for (int i = 0; i < S_COUNT; i++)
		if (sqlite3_prepare_v3(w->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) !=
		    SQLITE_OK)
			return db_fail(w, err, "preparing statements");
	return DD_OK;
}

static dd_code ensure_schema(struct vdb *w, const char *path, struct dd_err *err)
{
	sqlite3_stmt *st = NULL;
	int tables = 0;
	if (sqlite3_prepare_v2(w->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		tables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (tables > 0)
		return vdb_check_schema(w->db, path, err);
	dd_code rc = vdb_exec(w, vdb_schema_sql, err);
	if (rc)
		return rc;
	char now[32], ver[16];
	vdb_now(now);
	snprintf(ver, sizeof ver, "%d", DD_VULNDB_SCHEMA);
	if ((rc = prepare_all(w, err)) != DD_OK)
		return rc;
	if ((rc = vdb_set_meta(w, "schema_version", ver, err)) != DD_OK)
		return rc;
	return vdb_set_meta(w, "built_at", now, err);
}

dd_code vdb_attach(sqlite3 *db, struct vdb *w, struct dd_err *err)
{
	memset(w, 0, sizeof *w);
	w->db = db;
	dd_code rc = ensure_schema(w, "database", err);
	if (rc == DD_OK && !w->st[0])
		rc = prepare_all(w, err);
	return rc;
}

dd_code vdb_open_rw(const char *path, unsigned flags, struct vdb *w, struct dd_err *err)
{
	memset(w, 0, sizeof *w);
	/* A new DB in a data directory that does not exist yet (a first
	 * `drydock db import` on a fresh machine): make the directory. */
	const char *slash = strrchr(path, '/');
	if ((flags & DD_VULNDB_CREATE) && slash && slash != path) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
		dd_code rc = dd_path_mkdirs(dir, err);
		if (rc)
			return rc;
	}
	int oflags = SQLITE_OPEN_READWRITE | ((flags & DD_VULNDB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &w->db, oflags, NULL) != SQLITE_OK) {
		dd_code rc = dd_err_set(err, (flags & DD_VULNDB_CREATE) ? DD_EDB : DD_ENOTFOUND,
					"%s: cannot open the vulnerability database: %s", path,
					w->db ? sqlite3_errmsg(w->db) : "out of memory");
		sqlite3_close(w->db);
		w->db = NULL;
		return rc;
	}
	sqlite3_busy_timeout(w->db, 10000);
	dd_code rc = vdb_exec(w, (flags & DD_VULNDB_FAST)
				     ? "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
				     : "PRAGMA cache_size=-65536;",
			      err);
	if (rc == DD_OK)
		rc = ensure_schema(w, path, err);
	if (rc == DD_OK && !w->st[0])
		rc = prepare_all(w, err);
	if (rc)
		vdb_close(w);
	return rc;
}

void vdb_close(struct vdb *w)
{
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(w->st[i]);
	memset(w->st, 0, sizeof w->st);
	sqlite3_close(w->db);
	w->db = NULL;
}

/* Binds NULL for a NULL or empty string. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static dd_code run(struct vdb *w, int which, struct dd_err *err)
{
	sqlite3_stmt *st = w->st[which];
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return db_fail(w, err, "writing the vulnerability database");
	return DD_OK;
}

static dd_code run_id(struct vdb *w, int which, int64_t *id, struct dd_err *err)
{
	sqlite3_stmt *st = w->st[which];
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_ROW)
		return db_fail(w, err, "writing an advisory");
	return DD_OK;
}

dd_code vdb_advisory_row(struct vdb *w, const char *id, int64_t *adv, struct dd_err *err)
{
	bind_text(w->st[S_ADV_ROW], 1, id);
	return run_id(w, S_ADV_ROW, adv, err);
}

dd_code vdb_put_alias(struct vdb *w, int64_t adv, const char *source, const char *alias, struct dd_err *err)
{
	if (!alias || !*alias)
		return DD_OK;
	sqlite3_stmt *st = w->st[S_ALIAS];
	sqlite3_bind_int64(st, 1, adv);
	bind_text(st, 2, alias);
	bind_text(st, 3, source);
	return run(w, S_ALIAS, err);
}

dd_code vdb_clear_advisory(struct vdb *w, int64_t adv, const char *source, struct dd_err *err)
{
	static const int dels[] = { S_DEL_ALIASES, S_DEL_REFS, S_DEL_SEV, S_DEL_CWES, S_DEL_AFF };
	dd_code rc = DD_OK;
	for (size_t i = 0; i < sizeof dels / sizeof *dels && rc == DD_OK; i++) {
		sqlite3_bind_int64(w->st[dels[i]], 1, adv);
		bind_text(w->st[dels[i]], 2, source);
		rc = run(w, dels[i], err);
	}
	return rc;
}

dd_code vdb_put_advisory(struct vdb *w, const char *source, const struct vdb_advisory *a, bool replace,
			 int64_t *adv, struct dd_err *err)
{
	sqlite3_stmt *st = w->st[S_ADV_UPSERT];
	bind_text(st, 1, a->id);
	bind_text(st, 2, a->summary);
	bind_text(st, 3, a->details);
	bind_text(st, 4, a->published);
	bind_text(st, 5, a->modified);
	bind_text(st, 6, a->withdrawn);
	dd_code rc = run_id(w, S_ADV_UPSERT, adv, err);
	if (rc)
		return rc;
	if (replace)
		rc = vdb_clear_advisory(w, *adv, source, err);
	for (size_t i = 0; i < a->naliases && rc == DD_OK; i++)
		if (a->aliases[i] && strcmp(a->aliases[i], a->id) != 0)
			rc = vdb_put_alias(w, *adv, source, a->aliases[i], err);
	for (size_t i = 0; i < a->nrefs && rc == DD_OK; i++) {
		if (!a->refs[i].url)
			continue;
		st = w->st[S_REF];
		sqlite3_bind_int64(st, 1, *adv);
		bind_text(st, 2, source);
		bind_text(st, 3, a->refs[i].type);
		bind_text(st, 4, a->refs[i].url);
		rc = run(w, S_REF, err);
	}
	return rc;
}

const char *dd_vulndb_status_name(enum dd_vulndb_status s)
{
	switch (s) {
	case DD_VULNDB_RANGES: return "ranges";
	case DD_VULNDB_FIXED: return "fixed";
	case DD_VULNDB_AFFECTED: return "affected";
	case DD_VULNDB_NOT_AFFECTED: return "not-affected";
	case DD_VULNDB_WONT_FIX: return "will-not-fix";
	case DD_VULNDB_END_OF_LIFE: return "end-of-life";
	case DD_VULNDB_UNDETERMINED: return "undetermined";
	}
	return "undetermined";
}

/* PEP 503: lowercase, runs of "-", "_", "." become one "-". NuGet and
 * Packagist names are case-insensitive (nuget.org, packagist.org). */
const char *vdb_package_key(const char *ns, const char *name, char *buf, size_t n)
{
	size_t o = 0;
	bool pypi = ns && strcmp(ns, "PyPI") == 0;
	bool fold = pypi || (ns && (strcmp(ns, "NuGet") == 0 || strcmp(ns, "Packagist") == 0));
	if (!n)
		return buf;
	for (const char *p = name ? name : ""; *p && o + 1 < n; p++) {
		char c = *p;
		if (pypi && (c == '-' || c == '_' || c == '.')) {
			while (p[1] == '-' || p[1] == '_' || p[1] == '.')
				p++;
			c = '-';
		}
		buf[o++] = fold ? (char)tolower((unsigned char)c) : c;
	}
	buf[o] = '\0';
	return buf;
}

dd_code vdb_put_affected(struct vdb *w, int64_t adv, const char *source, const struct vdb_affected *a,
			 struct dd_err *err)
{
	char key[512];
	sqlite3_stmt *st = w->st[S_AFF];
	sqlite3_bind_int64(st, 1, adv);
	bind_text(st, 2, source);
	sqlite3_bind_text(st, 3, a->namespace_ ? a->namespace_ : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, a->package ? a->package : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, vdb_package_key(a->namespace_, a->package, key, sizeof key), -1,
			  SQLITE_TRANSIENT);
	bind_text(st, 6, a->purl);
	sqlite3_bind_text(st, 7, dd_vulndb_status_name(a->status), -1, SQLITE_STATIC);
	bind_text(st, 8, a->fixed);
	bind_text(st, 9, a->severity);
	bind_text(st, 10, a->ranges);
	bind_text(st, 11, a->versions);
	bind_text(st, 12, a->ecosystem_specific);
	bind_text(st, 13, a->database_specific);
	return run(w, S_AFF, err);
}

dd_code vdb_clear_package(struct vdb *w, const char *source, const char *ns, const char *ns_prefix,
			  const char *package, struct dd_err *err)
{
	char key[512];
	int which = ns ? S_CLEAR_PKG : S_CLEAR_PKG_PREFIX;
	sqlite3_stmt *st = w->st[which];
	bind_text(st, 1, source);
	sqlite3_bind_text(st, 2, vdb_package_key(ns ? ns : ns_prefix, package, key, sizeof key), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, ns ? ns : ns_prefix, -1, SQLITE_TRANSIENT);
	return run(w, which, err);
}

dd_code vdb_clear_source(struct vdb *w, const char *source, struct dd_err *err)
{
	bind_text(w->st[S_CLEAR_SOURCE], 1, source);
	return run(w, S_CLEAR_SOURCE, err);
}

dd_code vdb_put_severity(struct vdb *w, int64_t adv, const char *source, const char *type,
			 const char *version, const char *vector, double score, const char *rating,
			 struct dd_err *err)
{
	sqlite3_stmt *st = w->st[S_SEV];
	sqlite3_bind_int64(st, 1, adv);
	bind_text(st, 2, source);
	bind_text(st, 3, type);
	bind_text(st, 4, version);
	bind_text(st, 5, vector);
	if (score >= 0)
		sqlite3_bind_double(st, 6, score);
	else
		sqlite3_bind_null(st, 6);
	bind_text(st, 7, rating);
	return run(w, S_SEV, err);
}

dd_code vdb_put_cwe(struct vdb *w, int64_t adv, const char *source, const char *cwe, struct dd_err *err)
{
	sqlite3_stmt *st = w->st[S_CWE];
	sqlite3_bind_int64(st, 1, adv);
	bind_text(st, 2, source);
	bind_text(st, 3, cwe);
	return run(w, S_CWE, err);
}

dd_code vdb_put_kev(struct vdb *w, const struct vdb_kev *k, struct dd_err *err)
{
	sqlite3_stmt *st = w->st[S_KEV];
	bind_text(st, 1, k->cve);
	bind_text(st, 2, k->added);
	bind_text(st, 3, k->due);
	sqlite3_bind_int(st, 4, k->ransomware);
	bind_text(st, 5, k->vendor);
	bind_text(st, 6, k->product);
	bind_text(st, 7, k->name);
	bind_text(st, 8, k->action);
	bind_text(st, 9, k->notes);
	return run(w, S_KEV, err);
}

dd_code vdb_put_epss(struct vdb *w, const char *cve, double score, double pct, const char *date,
		     struct dd_err *err)
{
	sqlite3_stmt *st = w->st[S_EPSS];
	bind_text(st, 1, cve);
	sqlite3_bind_double(st, 2, score);
	sqlite3_bind_double(st, 3, pct);
	bind_text(st, 4, date);
	return run(w, S_EPSS, err);
}

dd_code vdb_note_source(struct vdb *w, const char *source, const char *location, uint64_t records,
			uint64_t skipped, struct dd_err *err)
{
	char now[32];
	vdb_now(now);
	sqlite3_stmt *st = w->st[S_SOURCE];
	bind_text(st, 1, source);
	bind_text(st, 2, location);
	bind_text(st, 3, now);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)records);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)skipped);
	return run(w, S_SOURCE, err);
}

dd_code vdb_set_meta(struct vdb *w, const char *key, const char *value, struct dd_err *err)
{
	sqlite3_stmt *st = w->st[S_META];
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return run(w, S_META, err);
}
