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

struct pg {
	PGconn *db;
	struct dd_map stmts; /* sql -> (void *)(intptr_t)number */
	long next;
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
