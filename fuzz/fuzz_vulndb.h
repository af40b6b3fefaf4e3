/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared body of the importer fuzz targets (fuzz/fuzz_import_*.c): imports
 * the input with one importer into an in-memory DB and checks what must
 * hold for any input: the import never fails for bad data (only a database
 * or memory failure may stop it), the DB passes SQLite's integrity check,
 * every affected row names a namespace, a package and a known status, every
 * stored ranges/versions column is a JSON array, no more rows were
 * written than records were counted, and the derived tables built at the
 * end of an import (vdb_index.c) decode without a fault, with no more
 * match_index entries than affected rows.
 */
#ifndef DD_FUZZ_VULNDB_H
#define DD_FUZZ_VULNDB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "vulndb/vdb.h"

struct fuzz_mem {
	const uint8_t *p;
	size_t n, off;
};

static dd_code fuzz_read(void *ud, void *buf, size_t cap, size_t *got, struct dd_err *err)
{
	(void)err;
	struct fuzz_mem *m = ud;
	size_t k = m->n - m->off;
	if (k > cap)
		k = cap;
	/* Odd chunk sizes exercise records split across reads. */
	if (k > 777)
		k = 777;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	*got = k;
	return DD_OK;
}

static int64_t fuzz_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void fuzz_check_json_arrays(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT ranges, versions FROM affected", -1, &s, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < 2; i++) {
			const char *t = (const char *)sqlite3_column_text(s, i);
			if (!t)
				continue;
			struct dd_arena *a = dd_arena_new(0);
			struct dd_err err;
			struct fj *n = fj_parse(a, t, strlen(t), &err);
			if (!fj_is(n, FJ_ARR)) {
				fprintf(stderr, "stored column is not a JSON array: %s\n", t);
				abort();
			}
			dd_arena_free(a);
		}
	}
	sqlite3_finalize(s);
}

static void fuzz_check_derived(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int64_t entries = 0;
	if (sqlite3_prepare_v2(db, "SELECT entries FROM match_index", -1, &s, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct vdb_entries it;
		if (vdb_entries_open(&it, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0)))
			abort();
		struct dd_arena *a = dd_arena_new(0);
		struct dd_vulndb_affected row;
		int k;
		while ((k = vdb_entries_next(&it, a, &row)) != 0) {
			if (k != 1) {
				fprintf(stderr, "match_index entry does not decode\n");
				abort();
			}
			entries++;
		}
		dd_arena_free(a);
	}
	sqlite3_finalize(s);
	if (entries > fuzz_count(db, "SELECT count(*) FROM affected"))
		abort();
	if (sqlite3_prepare_v2(db, "SELECT view FROM advisory_view", -1, &s, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct dd_arena *a = dd_arena_new(0);
		struct dd_vulndb_advisory v;
		if (vdb_view_decode(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), a, &v))
			abort();
		dd_arena_free(a);
	}
	sqlite3_finalize(s);
}

static int fuzz_import(const char *importer, const char *name, const uint8_t *data, size_t size)
{
	sqlite3 *db = NULL;
	struct vdb w;
	struct dd_err err;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || vdb_attach(db, &w, &err) != DD_OK ||
	    vdb_exec(&w, "BEGIN", &err) != DD_OK)
		abort();
	struct dd_vulndb_import_stats st;
	memset(&st, 0, sizeof st);
	struct vdb_ctx c = { .w = &w, .location = name, .stats = &st };
	struct fuzz_mem m = { data, size, 0 };
	struct vdb_input in = { name, data, size < 8192 ? size : 8192, fuzz_read, &m };
	const struct vdb_importer *imp = importer ? vdb_importer_find(importer) : NULL;
	dd_code rc = vdb_import_stream(&c, imp, &in, &err);
	if (rc != DD_OK) {
		fprintf(stderr, "import failed on bad input: %s\n", err.msg);
		abort();
	}
	if (vdb_build_index(&w, &err) != DD_OK) {
		fprintf(stderr, "building the derived tables failed: %s\n", err.msg);
		abort();
	}
	if (vdb_exec(&w, "COMMIT", &err) != DD_OK)
		abort();
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
		abort();
	sqlite3_finalize(s);
	if (fuzz_count(db, "SELECT count(*) FROM affected WHERE namespace = '' OR package = '' OR status NOT IN"
			   " ('ranges','fixed','affected','not-affected','will-not-fix','end-of-life','undetermined')") != 0)
		abort();
	if (fuzz_count(db, "SELECT count(*) FROM advisories WHERE vid = ''") != 0)
		abort();
	if ((uint64_t)fuzz_count(db, "SELECT count(*) FROM kev") > st.records ||
	    (uint64_t)fuzz_count(db, "SELECT count(*) FROM epss") > st.records)
		abort();
	if (st.records == 0 && fuzz_count(db, "SELECT count(*) FROM affected") != 0)
		abort();
	fuzz_check_json_arrays(db);
	fuzz_check_derived(db);
	vdb_close(&w);
	return 0;
}

#endif
