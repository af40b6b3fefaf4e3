/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store's backend plug-in table (STYLE.md §1: name, probe, work
 * functions, free). A backend runs SQL: the store logic (store.c) is written
 * once in the SQL both SQLite (>= 3.35: RETURNING, ON CONFLICT) and
 * PostgreSQL accept, with $1..$N parameters, and asks the backend only for
 * the few dialect differences (column types in migrations, row locks).
 * Values cross the table as text or NULL, the way libpq delivers them, and
 * rows arrive through a callback so a million-row metrics pass never
 * materialises.
 */
#ifndef DD_STORE_BACKEND_H
#define DD_STORE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "dd/err.h"

enum dd_sqlv_type { DD_SQLV_NULL, DD_SQLV_INT, DD_SQLV_REAL, DD_SQLV_TEXT };

struct dd_sqlv {
	enum dd_sqlv_type t;
	int64_t i;
	double d;
	const char *s;  /* NUL-terminated */
};

#define SQLV_NULL ((struct dd_sqlv){ .t = DD_SQLV_NULL })
#define SQLV_INT(x) ((struct dd_sqlv){ .t = DD_SQLV_INT, .i = (int64_t)(x) })
#define SQLV_REAL(x) ((struct dd_sqlv){ .t = DD_SQLV_REAL, .d = (double)(x) })
#define SQLV_TEXT(x) ((struct dd_sqlv){ .t = (x) ? DD_SQLV_TEXT : DD_SQLV_NULL, .s = (x) })

/* Called once per row; vals[i] is NULL for SQL NULL. Non-zero stops. */
typedef int (*dd_row_fn)(void *ud, int ncols, const char *const *vals);

struct dd_store_backend {
	const char *name;
	bool (*probe)(const char *url);
	dd_code (*open)(const char *url, void **conn, struct dd_err *err);
	void (*close)(void *conn);
	/* write: take the write lock now (SQLite BEGIN IMMEDIATE). */
	dd_code (*begin)(void *conn, bool write, struct dd_err *err);
	dd_code (*commit)(void *conn, struct dd_err *err);
	void (*rollback)(void *conn);
	/* Runs one statement. Backends keep prepared statements, keyed by the
	 * SQL text, for the few dozen statements the store uses. */
	dd_code (*exec)(void *conn, const char *sql, const struct dd_sqlv *params, int n,
			dd_row_fn fn, void *ud, struct dd_err *err);
	/* Runs a script without parameters (migrations). */
	dd_code (*script)(void *conn, const char *sql, struct dd_err *err);
	/* Dialect: column types for migrations, and " FOR UPDATE" or "". */
	const char *id_type, *int_type, *real_type, *for_update;
};

extern const struct dd_store_backend dd_store_sqlite;
extern const struct dd_store_backend dd_store_postgres;

#endif
