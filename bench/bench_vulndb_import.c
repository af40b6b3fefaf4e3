/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vulnerability DB benchmarks on the shared feeds (../shared/data/vulndb,
 * or $DD_SHARED_DATA, or argv[1] = the shared data dir):
 *   - import time and DB size per feed and for all of them, as a ratio to
 *     the time it takes only to read (decompress, unpack) the same bytes
 *     with libarchive in the same run;
 *   - DB open time (dd_vulndb_open + close) against a bare sqlite3 open of
 *     the same file, and against the 5 ms budget;
 *   - lookups: dd_vulndb_each_affected for 10,000 (namespace, package)
 *     pairs, the matcher's load for a 10,000-package SBOM.
 * Prints ratios; never asserts times (STYLE.md §6).
 */
#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dd/vulndb.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads every byte of every member (the I/O + decompression baseline). */
static unsigned long long read_all(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	unsigned long long total = 0;
	if (S_ISDIR(st.st_mode)) {
		char cmd[8192];
		snprintf(cmd, sizeof cmd, "find '%s' -type f ! -name '.*' | sort", path);
		FILE *p = popen(cmd, "r");
		char line[4096];
		while (p && fgets(line, sizeof line, p)) {
			line[strcspn(line, "\n")] = '\0';
			total += read_all(line);
		}
		if (p)
			pclose(p);
		return total;
	}
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_raw(a);
	static char buf[1 << 16];
	if (archive_read_open_filename(a, path, 1 << 16) == ARCHIVE_OK) {
		struct archive_entry *e;
		while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
			la_ssize_t n;
			while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
				total += (unsigned long long)n;
		}
	}
	archive_read_free(a);
	return total;
}

static long long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

struct feed {
	const char *name, *rel;
};

static const struct feed feeds[] = {
	{ "alpine-secdb (all)", "vulndb/alpine-secdb" },
	{ "alpine-secdb-final", "vulndb/alpine-secdb-final" },
	{ "debian DSA+DLA", "vulndb/debian-security-tracker" },
	{ "kev", "vulndb/kev.json" },
	{ "nvd api 2.0", "vulndb/nvd/records.jsonl.gz" },
	{ "nvd 1.1", "vulndb/nvd/records-vulnlist.jsonl.gz" },
	{ "osv go (tar.gz)", "vulndb/osv-go/golang-vulndb-osv.tar.gz" },
	{ "osv pypi (yaml tar.gz)", "vulndb/osv-pypi/pypa-advisory-database-vulns.tar.gz" },
	{ "osv npm (ghsa)", "vulndb/osv-npm/github-advisory-database-npm-osv.tar.gz" },
	{ "everything", "vulndb" },
};

struct lookup_count {
	unsigned long rows;
};

static int count_fn(const struct dd_vulndb_affected *a, void *ud)
{
	(void)a;
	((struct lookup_count *)ud)->rows++;
	return 0;
}

int main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : getenv("DD_SHARED_DATA");
	if (!root || !*root)
		root = "../shared/data";
	char tmpl[] = "/tmp/dd-bench-vulndb-XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	char db[4200], everything_db[4200];
	snprintf(everything_db, sizeof everything_db, "%s/everything.db", tmpl);
	printf("%-24s %9s %9s %10s %10s %8s %9s\n", "feed", "records", "read ms", "import ms", "ratio", "MB/s",
	       "DB KiB");
	for (size_t i = 0; i < sizeof feeds / sizeof *feeds; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", root, feeds[i].rel);
		if (access(path, R_OK) != 0) {
			printf("%-24s skipped: %s is absent\n", feeds[i].name, path);
			continue;
		}
		double t0 = now();
		unsigned long long bytes = read_all(path);
		double t_read = now() - t0;
		snprintf(db, sizeof db, "%s/%zu.db", tmpl, i);
		const char *paths[] = { path };
		struct dd_vulndb_import_stats st;
		struct dd_err err;
		/* As `db update` builds: a new file, no journal. */
		t0 = now();
		dd_code rc = dd_vulndb_import(db, paths, 1, DD_VULNDB_CREATE | DD_VULNDB_FAST, &st, &err);
		double t_imp = now() - t0;
		if (rc != DD_OK) {
			printf("%-24s import failed: %s\n", feeds[i].name, err.msg);
			continue;
		}
		printf("%-24s %9llu %9.1f %10.1f %9.1fx %8.1f %9lld\n", feeds[i].name, (unsigned long long)st.records,
		       t_read * 1e3, t_imp * 1e3, t_imp / (t_read > 0 ? t_read : 1e-9), bytes / 1e6 / t_imp,
		       file_size(db) / 1024);
		if (strcmp(feeds[i].rel, "vulndb") == 0)
			rename(db, everything_db);
		else
			unlink(db);
	}
	/* `db import` into an existing file with a journal (the default mode). */
	{
		char path[4096];
		snprintf(path, sizeof path, "%s/vulndb", root);
		snprintf(db, sizeof db, "%s/journal.db", tmpl);
		const char *paths[] = { path };
		struct dd_vulndb_import_stats st;
		struct dd_err err;
		double t0 = now();
		if (access(path, R_OK) == 0 && dd_vulndb_import(db, paths, 1, DD_VULNDB_CREATE, &st, &err) == DD_OK)
			printf("%-24s %9llu %9s %10.1f   (journaled, fsync at commit)\n", "everything, db import",
			       (unsigned long long)st.records, "", (now() - t0) * 1e3);
		unlink(db);
	}
	if (access(everything_db, R_OK) != 0) {
		printf("no DB to time opens and lookups on\n");
		return 0;
	}

	/* Open: dd_vulndb_open (stat, open read-only, schema + built_at query). */
	enum { OPENS = 2000 };
	double t0 = now();
	for (int i = 0; i < OPENS; i++) {
		sqlite3 *s;
		sqlite3_open_v2(everything_db, &s, SQLITE_OPEN_READONLY, NULL);
		sqlite3_close(s);
	}
	double bare = (now() - t0) / OPENS;
	t0 = now();
	for (int i = 0; i < OPENS; i++) {
		struct dd_vulndb *v;
		struct dd_err err;
		if (dd_vulndb_open(everything_db, &v, &err) != DD_OK) {
			printf("open failed: %s\n", err.msg);
			return 1;
		}
		dd_vulndb_close(v);
	}
	double opened = (now() - t0) / OPENS;
	printf("\nDB open (all feeds, %lld KiB): %.1f us per dd_vulndb_open+close; bare sqlite3 open %.1f us;"
	       " ratio %.2fx; %.4f of the 5 ms budget\n",
	       file_size(everything_db) / 1024, opened * 1e6, bare * 1e6, opened / bare, opened / 0.005);

	/* Lookups: 10,000 pairs cycling over real names, found and not found. */
	static const char *const pairs[][2] = {
		{ "alpine:v3.10", "musl" },    { "alpine:v3.10", "openssl" }, { "alpine:v3.10", "busybox" },
		{ "debian:11", "openssl" },    { "debian:10", "linux" },      { "Go", "stdlib" },
		{ "PyPI", "Django" },          { "npm", "lodash" },           { "npm", "no-such-package" },
		{ "debian:12", "coreutils" },
	};
	struct dd_vulndb *v;
	struct dd_err err;
	dd_vulndb_open(everything_db, &v, &err);
	struct lookup_count c = { 0 };
	enum { LOOKUPS = 10000 };
	t0 = now();
	for (int i = 0; i < LOOKUPS; i++) {
		const char *const *p = pairs[i % (sizeof pairs / sizeof *pairs)];
		dd_vulndb_each_affected(v, p[0], p[1], count_fn, &c, &err);
	}
	double t_look = now() - t0;
	/* Baseline: the same number of indexed point queries with no row work. */
	sqlite3 *s;
	sqlite3_open_v2(everything_db, &s, SQLITE_OPEN_READONLY, NULL);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(s, "SELECT count(*) FROM affected WHERE namespace = ?1 AND pkg_key = ?2", -1, &q, NULL);
	t0 = now();
	for (int i = 0; i < LOOKUPS; i++) {
		const char *const *p = pairs[i % (sizeof pairs / sizeof *pairs)];
		sqlite3_bind_text(q, 1, p[0], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, p[1], -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_reset(q);
	}
	double t_base = now() - t0;
	sqlite3_finalize(q);
	sqlite3_close(s);
	dd_vulndb_close(v);
	printf("lookups: %d each_affected calls, %lu rows, %.1f ms (%.1f us each); bare indexed count %.1f ms;"
	       " ratio %.1fx\n",
	       LOOKUPS, c.rows, t_look * 1e3, t_look / LOOKUPS * 1e6, t_base * 1e3, t_look / t_base);
	unlink(everything_db);
	rmdir(tmpl);
	return 0;
}
