/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpm's SQLite package database, rpmdb.sqlite (rpm >= 4.16: Fedora 33+,
 * RHEL 9, CBL-Mariner): table Packages(hnum INTEGER PRIMARY KEY, blob BLOB),
 * one header blob per row (rpm's lib/backend/sqlite.c).
 *
 * Nothing is written to disk: the bytes are handed to SQLite with
 * sqlite3_deserialize() on a private copy, read-only. A database left in WAL
 * mode (header bytes 18/19 = 2) cannot be opened from memory, so the copy
 * is switched to the rollback journal format; changes still in a -wal file
 * are not seen (rpm checkpoints on close, so a built image has none).
 * The file is untrusted: SQLITE_DBCONFIG_DEFENSIVE is on and the schema is
 * not trusted (no functions or views run from it).
 */
#include <sqlite3.h>
#include <stdio.h>

#include "catalog/os_pkgdb.h"

dd_code dd_rpm_sqlite_each(const char *path, const unsigned char *data, size_t n,
			   dd_rpm_blob_fn fn, void *ud, struct dd_sbom *warn, struct dd_err *err)
{
	static const char magic[16] = "SQLite format 3";
	if (n < 100 || memcmp(data, magic, 16) != 0)
		return dd_err_set(err, DD_EINVAL, "%s: not an SQLite database", path);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	dd_code rc = DD_OK;
	unsigned char *copy = sqlite3_malloc64(n);
	if (!copy)
		return dd_err_set(err, DD_ENOMEM, "out of memory copying %s", path);
	memcpy(copy, data, n);
	if (copy[18] == 2)
		copy[18] = 1;
	if (copy[19] == 2)
		copy[19] = 1;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_free(copy);
		rc = dd_err_set(err, DD_ENOMEM, "%s: sqlite3_open: %s", path,
				db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	/* FREEONCLOSE: SQLite owns copy from here, even on failure. */
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)n, (sqlite3_int64)n,
				SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE) !=
	    SQLITE_OK) {
		rc = dd_err_set(err, DD_EDB, "%s: cannot load database: %s", path,
				sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &st,
			       NULL) != SQLITE_OK) {
		rc = dd_err_set(err, DD_EDB, "%s: no readable Packages table: %s", path,
				sqlite3_errmsg(db));
		goto out;
	}
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		char where[64];
		snprintf(where, sizeof where, "hnum %lld", (long long)sqlite3_column_int64(st, 0));
		const unsigned char *blob = sqlite3_column_blob(st, 1);
		int len = sqlite3_column_bytes(st, 1);
		if (!blob || len <= 0) {
			if (warn)
				dd_sbom_warn(warn, "%s: %s: empty blob, skipped", path, where);
			continue;
		}
		if ((rc = fn(blob, (size_t)len, where, ud)))
			goto out;
	}
	if (s != SQLITE_DONE) {
		/* A corrupt page part-way: keep what was read, warn. */
		if (s == SQLITE_NOMEM)
			rc = dd_err_set(err, DD_ENOMEM, "%s: out of memory", path);
		else if (warn)
			dd_sbom_warn(warn, "%s: reading Packages stopped: %s", path,
				     sqlite3_errmsg(db));
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}
