/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PostgreSQL store backend (libpq), for stores shared by several
 * machines (DESIGN.md: "past one machine"). Statements are prepared once per
 * connection (PQprepare, named s<N>) and run with PQexecPrepared; every
 * parameter travels as text with its type left for the server to infer, so
 * the store's SQL never compares an untyped parameter with NULL.
 * Transactions are READ COMMITTED; saves of one asset are serialised by the
 * store with SELECT ... FOR UPDATE on the asset row. A killed client's open
 * transaction is rolled back by the server when the connection drops.
 *
 * Inside a transaction, statements whose rows nobody reads (INSERTs of
 * events, links, packages; UPDATEs) are sent in libpq's pipeline mode
 * (https://www.postgresql.org/docs/15/libpq-pipeline-mode.html) and their
 * results collected at the next statement that returns rows, at COMMIT, or
 * every PIPELINE_MAX statements: a save of 500 findings then costs a few
 * round trips instead of ~1,500. An error in a pipelined statement aborts
 * the rest of the pipeline and is reported by the flush, so the save still
 * fails as a whole and is rolled back.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "util/alloc.h"
#include "util/map.h"

#define MAX_PARAMS 64
#define MAX_COLS 64
#define STMT_CACHE_MAX 256
/* Pipelined statements before results are collected: the results of a
 * thousand small commands fit the socket buffers, so neither side blocks. */
#define PIPELINE_MAX 1000

struct pg {
	PGconn *db;
	struct dd_map stmts; /* sql -> (void *)(intptr_t)number */
	long next;
	int pending;         /* statements sent in pipeline mode, results unread */
};

static bool pg_probe(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs ("relation already exists, skipping") are not errors */
}

static dd_code pg_fail(struct pg *c, PGresult *r, struct dd_err *err, const char *what)
{
	const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(c->db);
	char msg[200];
	snprintf(msg, sizeof msg, "%s", m && *m ? m : "unknown error");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = 0;
	PQclear(r);
	return dd_err_set(err, DD_EDB, "postgres: %s: %s", what, msg);
}

/* Collects the results of pipelined statements; the first error wins. */
static dd_code flush(struct pg *c, struct dd_err *err)
{
	if (PQpipelineStatus(c->db) == PQ_PIPELINE_OFF)
		return DD_OK;
	dd_code rc = DD_OK;
	if (!PQpipelineSync(c->db)) {
		rc = pg_fail(c, NULL, err, "pipeline sync");
		c->pending = 0;
		return rc;
	}
	/* Read to the sync point even after an error: the connection is
	 * unusable until every pipelined result has been consumed. */
	for (;;) {
		PGresult *r = PQgetResult(c->db);
		if (!r) {
			if (PQstatus(c->db) != CONNECTION_OK) {
				if (rc == DD_OK)
					rc = pg_fail(c, NULL, err, "pipeline");
				break;
			}
			continue; /* the end of one statement's results */
		}
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (st == PGRES_FATAL_ERROR && rc == DD_OK) {
			rc = pg_fail(c, r, err, "exec");
			continue;
		}
		PQclear(r);
	}
	c->pending = 0;
	if (!PQexitPipelineMode(c->db) && rc == DD_OK)
		rc = pg_fail(c, NULL, err, "leaving pipeline mode");
	return rc;
}

static void pg_close(void *conn)
{
	struct pg *c = conn;
	if (!c)
		return;
	dd_map_release(&c->stmts);
	PQfinish(c->db);
	free(c);
}

static dd_code pg_script(void *conn, const char *sql, struct dd_err *err)
{
	struct pg *c = conn;
	dd_code frc = flush(c, err);
	if (frc)
		return frc;
	PGresult *r = PQexec(c->db, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return pg_fail(c, r, err, "exec");
	PQclear(r);
	return DD_OK;
}

static dd_code pg_open(const char *url, void **out, struct dd_err *err)
{
	struct pg *c = dd_calloc(1, sizeof *c);
	if (!c)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_map_init(&c->stmts);
	c->db = PQconnectdb(url);
	if (!c->db || PQstatus(c->db) != CONNECTION_OK) {
		dd_code rc = pg_fail(c, NULL, err, "connect");
		pg_close(c);
		return rc;
	}
	PQsetNoticeProcessor(c->db, quiet, NULL);
	dd_code rc = pg_script(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'", err);
	if (rc) {
		pg_close(c);
		return rc;
	}
	*out = c;
	return DD_OK;
}

static dd_code pg_begin(void *conn, bool write, struct dd_err *err)
{
	(void)write;
	return pg_script(conn, "BEGIN", err);
}

static dd_code pg_commit(void *conn, struct dd_err *err)
{
	return pg_script(conn, "COMMIT", err);
}

static void pg_rollback(void *conn)
{
	struct pg *c = conn;
	flush(c, NULL);
	if (PQtransactionStatus(c->db) != PQTRANS_IDLE)
		PQclear(PQexec(c->db, "ROLLBACK"));
}

static dd_code pg_exec(void *conn, const char *sql, const struct dd_sqlv *params, int n,
		       dd_row_fn fn, void *ud, struct dd_err *err)
{
	struct pg *c = conn;
	if (n > MAX_PARAMS)
		return dd_err_set(err, DD_EUSAGE, "postgres: too many parameters");
	char nums[MAX_PARAMS][32];
	const char *vals[MAX_PARAMS];
	for (int i = 0; i < n; i++) {
		switch (params[i].t) {
		case DD_SQLV_NULL: vals[i] = NULL; break;
		case DD_SQLV_INT:
			snprintf(nums[i], sizeof nums[i], "%lld", (long long)params[i].i);
			vals[i] = nums[i];
			break;
		case DD_SQLV_REAL:
			snprintf(nums[i], sizeof nums[i], "%.17g", params[i].d);
			vals[i] = nums[i];
			break;
		case DD_SQLV_TEXT: vals[i] = params[i].s; break;
		}
	}
	size_t klen = strlen(sql);
	intptr_t num = (intptr_t)dd_map_get(&c->stmts, sql, klen);
	char name[32];
	PGresult *r;
	/* Pipeline: a prepared statement nobody reads rows from, inside a
	 * transaction. */
	bool in_tx = c->pending > 0 || PQtransactionStatus(c->db) == PQTRANS_INTRANS;
	if (!fn && num && in_tx) {
		if (PQpipelineStatus(c->db) == PQ_PIPELINE_OFF && !PQenterPipelineMode(c->db))
			return pg_fail(c, NULL, err, "entering pipeline mode");
		snprintf(name, sizeof name, "s%ld", (long)num);
		if (!PQsendQueryPrepared(c->db, name, n, vals, NULL, NULL, 0))
			return pg_fail(c, NULL, err, "send");
		if (++c->pending >= PIPELINE_MAX)
			return flush(c, err);
		return DD_OK;
	}
	dd_code frc = flush(c, err);
	if (frc)
		return frc;
	if (num == 0 && c->stmts.count < STMT_CACHE_MAX) {
		num = ++c->next;
		snprintf(name, sizeof name, "s%ld", (long)num);
		r = PQprepare(c->db, name, sql, n, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return pg_fail(c, r, err, "prepare");
		PQclear(r);
		if (dd_map_put(&c->stmts, sql, klen, (void *)num, NULL, err))
			return DD_ENOMEM;
	}
	if (num) {
		snprintf(name, sizeof name, "s%ld", (long)num);
		r = PQexecPrepared(c->db, name, n, vals, NULL, NULL, 0);
	} else {
		r = PQexecParams(c->db, sql, n, NULL, vals, NULL, NULL, 0);
	}
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return pg_fail(c, r, err, "exec");
	if (fn && s == PGRES_TUPLES_OK) {
		int rows = PQntuples(r), nc = PQnfields(r);
		if (nc > MAX_COLS)
			nc = MAX_COLS;
		const char *row[MAX_COLS];
		for (int i = 0; i < rows; i++) {
			for (int j = 0; j < nc; j++)
				row[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
			if (fn(ud, nc, row))
				break;
		}
	}
	PQclear(r);
	return DD_OK;
}

const struct dd_store_backend dd_store_postgres = {
	.name = "postgres",
	.probe = pg_probe,
	.open = pg_open,
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.exec = pg_exec,
	.script = pg_script,
	.id_type = "BIGSERIAL PRIMARY KEY",
	.int_type = "BIGINT",
	.real_type = "DOUBLE PRECISION",
	.for_update = " FOR UPDATE",
};
