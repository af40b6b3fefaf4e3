/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `db update` against a real HTTP server on 127.0.0.1 (our own small
 * server, tests/realdata/vulndb_mirror_server.py) serving the shared feeds
 * in the mirror layout (symlinks into ../shared/data/vulndb, made at run
 * time): a full update, a conditional re-update (304s), and the failures
 * that must leave the old DB working: a connection dropped half-way, a 503
 * that stays, a SHA256SUMS mismatch, no server at all.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dd/vulndb.h"
#include "dd_test.h"

static pid_t server_pid = -1;
static char mirror[4200], dbpath[4200], cache[4200], logpath[4200], url[128];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (dd_test_run(cmd, NULL) != 0) {
		dd_test_fail(__FILE__, __LINE__, "command failed: %s", cmd);
		dd_test_abort();
	}
}

static void make_mirror(void)
{
	const char *vdb = dd_test_shared("vulndb");
	if (access("/usr/bin/python3", X_OK) != 0)
		dd_test_skip("/usr/bin/python3 is absent");
	snprintf(mirror, sizeof mirror, "%s/mirror", dd_test_tmpdir());
	snprintf(dbpath, sizeof dbpath, "%s/data/vuln.db", dd_test_tmpdir());
	snprintf(cache, sizeof cache, "%s/data/cache", dd_test_tmpdir());
	snprintf(logpath, sizeof logpath, "%s/requests.log", dd_test_tmpdir());
	sh("mkdir -p '%s/osv/Go' '%s/nvd'", mirror, mirror);
	sh("ln -s '%s/alpine-secdb' '%s/alpine-secdb'", vdb, mirror);
	sh("ln -s '%s/debian-security-tracker' '%s/debian-security-tracker'", vdb, mirror);
	sh("ln -s '%s/kev.json' '%s/kev.json'", vdb, mirror);
	sh("ln -s '%s/nvd/records.jsonl.gz' '%s/nvd/records.jsonl.gz'", vdb, mirror);
	sh("ln -s '%s/nvd/records-vulnlist.jsonl.gz' '%s/nvd/records-vulnlist.jsonl.gz'", vdb, mirror);
	/* The Go OSV export as this mirror's osv/Go/all.zip (format is detected
	 * by content: it is a tar.gz). */
	sh("ln -s '%s/osv-go/golang-vulndb-osv.tar.gz' '%s/osv/Go/all.zip'", vdb, mirror);
}

static void stop_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
		server_pid = -1;
	}
}

/* Starts the server with extra arguments; waits for its port file. */
static void start_server(const char *extra)
{
	stop_server();
	char portfile[4300];
	snprintf(portfile, sizeof portfile, "%s/port", dd_test_tmpdir());
	unlink(portfile);
	const char *src = getenv("DD_SOURCE_DIR");
	char script[4200];
	snprintf(script, sizeof script, "%s/tests/realdata/vulndb_mirror_server.py", src ? src : ".");
	pid_t pid = fork();
	if (pid == 0) {
		char cmd[20000];
		snprintf(cmd, sizeof cmd, "exec /usr/bin/python3 '%s' '%s' '%s' '%s' %s", script, mirror, portfile,
			 logpath, extra ? extra : "");
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	server_pid = pid;
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			int port = 0;
			if (fscanf(f, "%d", &port) == 1 && port > 0) {
				fclose(f);
				snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
				return;
			}
			fclose(f);
		}
		usleep(50000);
	}
	stop_server();
	dd_test_fail(__FILE__, __LINE__, "the mirror server did not start");
	dd_test_abort();
}

static const char *const some[] = { "alpine-secdb", "debian-dsa", "nvd", "kev", "osv" };

static dd_code update(const char *const *sources, size_t n, struct dd_vulndb_update_result *res,
		      struct dd_err *err)
{
	struct dd_vulndb_update_opts o = {
		.db_path = dbpath, .cache_dir = cache, .mirror = url, .sources = sources, .nsources = n,
		.retries = 2, .retry_delay_ms = 10, .timeout_s = 60,
	};
	return dd_vulndb_update(&o, res, err);
}

static int64_t kev_count(void)
{
	struct dd_vulndb *db;
	struct dd_err err;
	if (dd_vulndb_open(dbpath, &db, &err) != DD_OK) {
		dd_test_fail(__FILE__, __LINE__, "the database does not open: %s", err.msg);
		return -1;
	}
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_info info;
	int64_t n = dd_vulndb_info(db, a, &info, &err) == DD_OK ? info.kev : -1;
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
	return n;
}

static int count_in_log(const char *needle)
{
	char *out = NULL;
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "grep -c -- '%s' '%s' || true", needle, logpath);
	dd_test_run(cmd, &out);
	int n = out ? (int)strtol(out, NULL, 10) : 0;
	free(out);
	return n;
}

DD_TEST(update_from_local_mirror_then_conditional)
{
	make_mirror();
	start_server(NULL);
	struct dd_vulndb_update_result res;
	struct dd_err err;
	dd_code rc = update(some, 5, &res, &err);
	stop_server();
	ASSERT_OK(rc, &err);
	/* 8 branches × main + community, DSA + DLA, 2 NVD files, KEV, Go. */
	EXPECT_EQ_INT(res.downloaded, 16 + 2 + 2 + 1 + 1);
	EXPECT_TRUE(res.missing > 0); /* newer Alpine branches, other OSV ecosystems */
	EXPECT_EQ_INT(res.import.files_failed, 0);
	EXPECT_EQ_INT(kev_count(), 1404);
	struct dd_vulndb *db;
	ASSERT_OK(dd_vulndb_open(dbpath, &db, &err), &err);
	EXPECT_TRUE(dd_vulndb_has_namespace(db, "alpine:v3.10"));
	EXPECT_TRUE(dd_vulndb_has_namespace(db, "debian:11"));
	EXPECT_TRUE(dd_vulndb_has_namespace(db, "Go"));
	dd_vulndb_close(db);

	/* Again: every file is answered 304 from the ETag, the DB is rebuilt
	 * from the cache. */
	start_server(NULL);
	rc = update(some, 5, &res, &err);
	stop_server();
	ASSERT_OK(rc, &err);
	EXPECT_EQ_INT(res.downloaded, 0);
	EXPECT_EQ_INT(res.not_modified, 22);
	EXPECT_EQ_INT(count_in_log(" 304"), 22);
	EXPECT_EQ_INT(kev_count(), 1404);
	/* No temporary file is left beside the DB. */
	char tmp[4300];
	snprintf(tmp, sizeof tmp, "%s.new", dbpath);
	EXPECT_TRUE(access(tmp, F_OK) != 0);
}

DD_TEST(dropped_connection_keeps_old_db)
{
	make_mirror();
	start_server(NULL);
	struct dd_vulndb_update_result res;
	struct dd_err err;
	const char *kev_only[] = { "kev" };
	ASSERT_OK(update(kev_only, 1, &res, &err), &err);
	stop_server();
	EXPECT_EQ_INT(kev_count(), 1404);
	/* The cached copy must not help: drop the cache so the file is fetched. */
	sh("rm -rf '%s'%s", cache, "");
	start_server("--drop kev.json");
	const char *two[] = { "kev", "nvd" };
	dd_code rc = update(two, 2, &res, &err);
	stop_server();
	EXPECT_EQ_INT(rc, DD_ENET);
	EXPECT_TRUE(res.kept_old);
	EXPECT_TRUE(strstr(err.msg, "kev.json") != NULL);
	/* 1 try + 2 retries, all cut short. */
	EXPECT_EQ_INT(count_in_log("GET /kev.json 200"), 1 + 3);
	EXPECT_EQ_INT(kev_count(), 1404);
	char part[4300];
	snprintf(part, sizeof part, "%s/kev.json.part", cache);
	EXPECT_TRUE(access(part, F_OK) != 0);
}

DD_TEST(server_errors_and_no_server_keep_old_db)
{
	make_mirror();
	start_server(NULL);
	struct dd_vulndb_update_result res;
	struct dd_err err;
	const char *kev_only[] = { "kev" };
	ASSERT_OK(update(kev_only, 1, &res, &err), &err);
	stop_server();
	start_server("--fail kev.json");
	EXPECT_EQ_INT(update(kev_only, 1, &res, &err), DD_ENET);
	EXPECT_TRUE(strstr(err.msg, "HTTP 503") != NULL);
	EXPECT_TRUE(res.kept_old);
	stop_server();
	EXPECT_EQ_INT(kev_count(), 1404);
	/* Nothing listening any more. */
	EXPECT_EQ_INT(update(kev_only, 1, &res, &err), DD_ENET);
	EXPECT_TRUE(res.kept_old);
	EXPECT_EQ_INT(kev_count(), 1404);
	/* An unknown source name is a usage error before any transfer. */
	const char *bad[] = { "nope" };
	EXPECT_EQ_INT(update(bad, 1, &res, &err), DD_EUSAGE);
}

DD_TEST(checksum_mismatch_keeps_old_db)
{
	make_mirror();
	start_server(NULL);
	struct dd_vulndb_update_result res;
	struct dd_err err;
	const char *kev_only[] = { "kev" };
	ASSERT_OK(update(kev_only, 1, &res, &err), &err);
	/* A right sum passes... */
	sh("cd '%s' && sha256sum kev.json > SHA256SUMS%s", mirror, "");
	sh("rm -rf '%s'%s", cache, "");
	ASSERT_OK(update(kev_only, 1, &res, &err), &err);
	EXPECT_EQ_INT(res.downloaded, 1);
	/* ...a wrong one stops the update. */
	sh("cd '%s' && printf '%%064d  kev.json\\n' 0 > SHA256SUMS%s", mirror, "");
	sh("rm -rf '%s'%s", cache, "");
	EXPECT_EQ_INT(update(kev_only, 1, &res, &err), DD_EDIGEST);
	EXPECT_TRUE(res.kept_old);
	stop_server();
	EXPECT_EQ_INT(kev_count(), 1404);
}
