/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SQLite store backend (the default: one file in the data directory).
 * WAL mode so readers (findings list, metrics) never block a saving scan;
 * a busy timeout so two processes saving at once wait for each other instead
 * of failing; writes start with BEGIN IMMEDIATE so the write lock is taken
 * before anything is read (a deferred transaction that upgrades later can
 * fail with SQLITE_BUSY_SNAPSHOT in WAL mode without waiting: see
 * https://www.sqlite.org/isolation.html and the busy-handler notes of
 * sqlite3_busy_timeout). synchronous=NORMAL is durable against a killed
 * process, which is what the store promises; power loss may drop the last
 * committed saves but never corrupts (https://www.sqlite.org/wal.html).
 *
 * Parameters are written $1..$N in the store's SQL; SQLite reads "$1" as a
 * named parameter and sqlite3_bind_parameter_index finds it by that name.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/backend.h"
#include "util/alloc.h"
#include "util/map.h"

/* Statements the store uses are a few dozen; dynamic list queries add a
 * handful per filter combination. Past this many, statements are not kept. */
#define STMT_CACHE_MAX 256
#define MAX_COLS 64

/* 30 s: a save of 500 findings takes milliseconds; a waiting writer only
 * gives up when another process is really stuck. */
#define BUSY_TIMEOUT_MS 30000

struct sq {
	sqlite3 *db;
	struct dd_map stmts;
};

static bool sq_probe(const char *url)
{
	return strncmp(url, "postgres://", 11) != 0 && strncmp(url, "postgresql://", 13) != 0;
}

static dd_code sq_err(struct sq *c, struct dd_err *err, const char *what)
{
	return dd_err_set(err, DD_EDB, "sqlite: %s: %s", what, sqlite3_errmsg(c->db));
}

static void sq_close(void *conn)
{
	struct sq *c = conn;
	if (!c)
		return;
	const struct dd_map_slot *slot;
	for (size_t it = 0; dd_map_next(&c->stmts, &it, &slot);)
		sqlite3_finalize(slot->value);
	dd_map_release(&c->stmts);
	sqlite3_close_v2(c->db);
	free(c);
}

static dd_code sq_script(void *conn, const char *sql, struct dd_err *err)
{
	struct sq *c = conn;
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		dd_code rc = dd_err_set(err, DD_EDB, "sqlite: %s", msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return rc;
	}
	return DD_OK;
}

static dd_code sq_open(const char *url, void **out, struct dd_err *err)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	struct sq *c = dd_calloc(1, sizeof *c);
	if (!c)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_map_init(&c->stmts);
	if (sqlite3_open_v2(url, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		dd_code rc = dd_err_set(err, DD_EDB, "sqlite: %s: %s", url,
					c->db ? sqlite3_errmsg(c->db) : "cannot open");
		sq_close(c);
		return rc;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	dd_code rc = sq_script(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			       "PRAGMA foreign_keys=ON;", err);
	if (rc) {
		dd_err_prefix(err, "%s: ", url);
		sq_close(c);
		return rc;
	}
	*out = c;
	return DD_OK;
}

static dd_code sq_begin(void *conn, bool write, struct dd_err *err)
{
	return sq_script(conn, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static dd_code sq_commit(void *conn, struct dd_err *err)
{
	return sq_script(conn, "COMMIT", err);
}

static void sq_rollback(void *conn)
{
	struct sq *c = conn;
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static dd_code sq_exec(void *conn, const char *sql, const struct dd_sqlv *params, int n,
		       dd_row_fn fn, void *ud, struct dd_err *err)
{
	struct sq *c = conn;
	size_t klen = strlen(sql);
	sqlite3_stmt *st = dd_map_get(&c->stmts, sql, klen);
	bool cached = st != NULL;
	if (!st) {
		if (sqlite3_prepare_v3(c->db, sql, (int)klen + 1, SQLITE_PREPARE_PERSISTENT, &st,
				       NULL) != SQLITE_OK)
			return sq_err(c, err, "prepare");
		if (c->stmts.count < STMT_CACHE_MAX &&
		    dd_map_put(&c->stmts, sql, klen, st, NULL, NULL) == DD_OK)
			cached = true;
	}
	dd_code rc = DD_OK;
	for (int i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof name, "$%d", i + 1);
		int idx = sqlite3_bind_parameter_index(st, name);
		if (idx == 0)
			continue; /* a parameter this statement does not use */
		int r = SQLITE_OK;
		switch (params[i].t) {
		case DD_SQLV_NULL: r = sqlite3_bind_null(st, idx); break;
		case DD_SQLV_INT: r = sqlite3_bind_int64(st, idx, params[i].i); break;
		case DD_SQLV_REAL: r = sqlite3_bind_double(st, idx, params[i].d); break;
		case DD_SQLV_TEXT:
			r = sqlite3_bind_text(st, idx, params[i].s, -1, SQLITE_STATIC);
			break;
		}
		if (r != SQLITE_OK) {
			rc = sq_err(c, err, "bind");
			goto out;
		}
	}
	for (;;) {
		int r = sqlite3_step(st);
		if (r == SQLITE_DONE)
			break;
		if (r != SQLITE_ROW) {
			rc = sq_err(c, err, "step");
			break;
		}
		if (!fn)
			continue;
		int nc = sqlite3_column_count(st);
		if (nc > MAX_COLS)
			nc = MAX_COLS;
		const char *vals[MAX_COLS];
		for (int i = 0; i < nc; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if (fn(ud, nc, vals))
			break;
	}
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (!cached)
		sqlite3_finalize(st);
	return rc;
}

const struct dd_store_backend dd_store_sqlite = {
	.name = "sqlite",
	.probe = sq_probe,
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.exec = sq_exec,
	.script = sq_script,
	.id_type = "INTEGER PRIMARY KEY",
	.int_type = "INTEGER",
	.real_type = "REAL",
	.for_update = "",
};
