/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the store tests and the store benchmark: a real PostgreSQL
 * started on 127.0.0.1 in a temporary directory (initdb + pg_ctl, as the
 * postgres user when we are root, via runuser), one fresh database per test,
 * and synthetic scan results built in memory (the real-image version comes
 * with the scanner). STORE_TEST(name) defines a test body that takes a store
 * URL and registers it twice: name_sqlite and name_postgres.
 *
 * Header-only (static functions) because each tests/unit/<mod>/test_*.c is
 * its own executable.
 */
#ifndef DD_STORE_FIXTURE_H
#define DD_STORE_FIXTURE_H

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dd/policy.h"
#include "dd/scan.h"
#include "dd/store.h"
#include "util/arena.h"

#ifndef DD_PG_BIN
#define DD_PG_BIN "/usr/lib/postgresql/15/bin"
#endif

static char fx_pg_dir[256];
static int fx_pg_port;
static char fx_pg_skip[1024];
static int fx_pg_dbs;

/* DD_PG_BIN in the environment overrides the PostgreSQL binaries' folder. */
static const char *fx_pg_bin(void)
{
	const char *e = getenv("DD_PG_BIN");
	return e && *e ? e : DD_PG_BIN;
}

static int fx_sh(const char *cmd)
{
	int rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void fx_pg_stop(void)
{
	if (!fx_pg_dir[0])
		return;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s%s/pg_ctl -D %s/data -m immediate stop >/dev/null 2>&1",
		 geteuid() == 0 ? "runuser -u postgres -- " : "", fx_pg_bin(), fx_pg_dir);
	fx_sh(cmd);
	snprintf(cmd, sizeof cmd, "rm -rf %s", fx_pg_dir);
	fx_sh(cmd);
	fx_pg_dir[0] = 0;
}

static int fx_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	return ntohs(a.sin_port);
}

/* Starts the server once per process; "" on success, else why not. */
static const char *fx_pg_start(void)
{
	if (fx_pg_port || fx_pg_skip[0])
		return fx_pg_skip;
	char cmd[2048];
	char initdb[512], pgctl[512];
	snprintf(initdb, sizeof initdb, "%s/initdb", fx_pg_bin());
	snprintf(pgctl, sizeof pgctl, "%s/pg_ctl", fx_pg_bin());
	if (access(initdb, X_OK) != 0 || access(pgctl, X_OK) != 0) {
		snprintf(fx_pg_skip, sizeof fx_pg_skip,
			 "PostgreSQL binaries absent (%s): install the postgresql package", initdb);
		return fx_pg_skip;
	}
	bool root = geteuid() == 0;
	snprintf(fx_pg_dir, sizeof fx_pg_dir, "/tmp/dd-pg-XXXXXX");
	if (!mkdtemp(fx_pg_dir)) {
		snprintf(fx_pg_skip, sizeof fx_pg_skip, "cannot create a temp dir");
		fx_pg_dir[0] = 0;
		return fx_pg_skip;
	}
	if (root) {
		struct passwd *pw = getpwnam("postgres");
		if (!pw || chown(fx_pg_dir, pw->pw_uid, pw->pw_gid) != 0) {
			snprintf(fx_pg_skip, sizeof fx_pg_skip, "running as root and no postgres user");
			return fx_pg_skip;
		}
	}
	const char *as = root ? "runuser -u postgres -- " : "";
	snprintf(cmd, sizeof cmd,
		 "%s%s/initdb -D %s/data -U postgres --auth=trust -E UTF8 --no-sync >%s/initdb.log 2>&1",
		 as, fx_pg_bin(), fx_pg_dir, fx_pg_dir);
	if (fx_sh(cmd) != 0) {
		fprintf(stderr, "initdb failed: see %s/initdb.log\n", fx_pg_dir);
		return "initdb failed";
	}
	for (int attempt = 0; attempt < 5; attempt++) {
		int port = fx_free_port();
		snprintf(cmd, sizeof cmd,
			 "%s%s/pg_ctl -D %s/data -l %s/log -w -t 60 -o \"-c listen_addresses=127.0.0.1"
			 " -p %d -c unix_socket_directories=%s -c fsync=off -c max_connections=50\""
			 " start >/dev/null 2>&1",
			 as, fx_pg_bin(), fx_pg_dir, fx_pg_dir, port, fx_pg_dir);
		if (port && fx_sh(cmd) == 0) {
			fx_pg_port = port;
			atexit(fx_pg_stop);
			return "";
		}
	}
	return "pg_ctl start failed";
}

/* A fresh database for one test; the URL in a static buffer. */
__attribute__((unused)) static const char *fx_pg_url(void)
{
	const char *why = fx_pg_start();
	if (why[0])
		return NULL;
	static char url[256];
	char admin[256], sql[128];
	snprintf(admin, sizeof admin, "postgresql://postgres@127.0.0.1:%d/postgres", fx_pg_port);
	snprintf(sql, sizeof sql, "CREATE DATABASE t%d_%d", (int)getpid(), ++fx_pg_dbs);
	PGconn *c = PQconnectdb(admin);
	PGresult *r = c ? PQexec(c, sql) : NULL;
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "create database: %s\n", c ? PQerrorMessage(c) : "no connection");
	PQclear(r);
	PQfinish(c);
	if (!ok)
		return NULL;
	snprintf(url, sizeof url, "postgresql://postgres@127.0.0.1:%d/t%d_%d", fx_pg_port,
		 (int)getpid(), fx_pg_dbs);
	return url;
}

#define STORE_TEST(name)                                                                  \
	static void name##_body(const char *url);                                         \
	DD_TEST(name##_sqlite)                                                            \
	{                                                                                 \
		static char url[4200];                                                    \
		snprintf(url, sizeof url, "%s/store.db", dd_test_tmpdir());               \
		name##_body(url);                                                         \
	}                                                                                 \
	DD_TEST(name##_postgres)                                                          \
	{                                                                                 \
		const char *url = fx_pg_url();                                            \
		if (!url)                                                                 \
			dd_test_skip("%s", fx_pg_skip[0] ? fx_pg_skip : "PostgreSQL did not start"); \
		name##_body(url);                                                         \
	}                                                                                 \
	static void name##_body(const char *url)

/* ---- synthetic scan results --------------------------------------------- */

#define FX_MAX_FINDINGS 4096

static struct dd_scan_result *fx_result(const char *digest, const char *ref)
{
	struct dd_scan_result *r = calloc(1, sizeof *r);
	r->sbom = dd_sbom_new();
	r->arena = dd_arena_new(0);
	r->sbom->image.transport = "docker-archive";
	r->sbom->image.reference = dd_arena_strdup(r->arena, ref ? ref : "docker-archive:app.tar");
	r->sbom->image.config_digest = dd_arena_strdup(r->arena, digest);
	r->sbom->distro.id = "alpine";
	r->sbom->distro.version_id = "3.10.9";
	r->findings = dd_arena_alloc(r->arena, FX_MAX_FINDINGS * sizeof *r->findings);
	r->cap = FX_MAX_FINDINGS;
	return r;
}

static void fx_pkg(struct dd_scan_result *r, const char *name, const char *version)
{
	struct dd_package p = { 0 };
	p.type = "apk";
	p.namespace_ = "alpine";
	p.name = name;
	p.version = version;
	p.purl = dd_arena_printf(r->arena, "pkg:apk/alpine/%s@%s?arch=x86_64", name, version);
	p.location = "lib/apk/db/installed";
	p.layer = 0;
	dd_sbom_add(r->sbom, &p, NULL);
}

/* score < 0: unscored. */
__attribute__((unused)) static struct dd_finding *fx_vuln(struct dd_scan_result *r, const char *pkg, const char *vuln,
				  double score, const char *fixed)
{
	size_t idx = (size_t)-1;
	for (size_t i = 0; i < r->sbom->npkgs; i++)
		if (strcmp(r->sbom->pkgs[i].name, pkg) == 0)
			idx = i;
	if (idx == (size_t)-1 || r->nfindings >= r->cap)
		return NULL;
	struct dd_finding *f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof *f);
	f->id = dd_arena_strdup(r->arena, vuln);
	f->pkg = idx;
	f->installed = r->sbom->pkgs[idx].version;
	f->fixed = fixed ? dd_arena_strdup(r->arena, fixed) : NULL;
	f->state = fixed ? DD_FIX_FIXED : DD_FIX_NOT_FIXED;
	f->namespace_ = "alpine:v3.10";
	f->data_source = "alpine-secdb";
	f->epss = -1;
	f->epss_percentile = -1;
	f->score = -1;
	if (score >= 0) {
		f->cvss = dd_arena_alloc(r->arena, sizeof *f->cvss);
		f->cvss[0].source = "nvd";
		f->cvss[0].version = "3.1";
		f->cvss[0].vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
		f->cvss[0].score = score;
		f->ncvss = 1;
		f->severity = dd_severity_from_score(score);
	}
	f->vendor_severity = "medium";
	return f;
}

__attribute__((unused)) static void fx_not_assessed(struct dd_scan_result *r, const char *what, const char *why)
{
	struct dd_not_assessed *na = dd_arena_alloc(r->arena, (r->nnot_assessed + 1) * sizeof *na);
	if (r->nnot_assessed)
		memcpy(na, r->not_assessed, r->nnot_assessed * sizeof *na);
	na[r->nnot_assessed].what = dd_arena_strdup(r->arena, what);
	na[r->nnot_assessed].why = dd_arena_strdup(r->arena, why);
	r->not_assessed = na;
	r->nnot_assessed++;
}

static void fx_free(struct dd_scan_result *r)
{
	if (!r)
		return;
	dd_sbom_free(r->sbom);
	dd_arena_free(r->arena);
	free(r);
}

#endif
