/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Store benchmark (issue 7): populate 2,000 assets x 500 findings (1,000,000
 * findings), then time
 *   - recording 1,000 rescans x 500 findings (10% churn: 50 fixed, 50 new),
 *   - `findings list` for one asset (open findings in remediation order),
 *   - `metrics` over all 1,000,000 findings,
 * on SQLite (a file in /tmp) and, with --postgres, on a PostgreSQL started on
 * 127.0.0.1 by the benchmark itself. Baselines measured in the same run: a
 * bare indexed SELECT of the asset's finding ids (for list) and a bare
 * streamed scan of the columns metrics reads (for metrics); ratios are
 * printed against them and against the targets (list <= 50 ms, metrics
 * <= 2 s on SQLite).
 *
 *   bench_store [--postgres] [--assets N] [--rescans N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <time.h>

#include "../tests/unit/store/store_fixture.h"
#include "store/store_impl.h"

#define PER_SCAN 500
#define PKGS 100

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Scan `gen` of asset `k`: vulnerabilities gen*50 .. gen*50+499, so each
 * rescan fixes the 50 lowest and adds 50 new ones. */
static struct dd_scan_result *make(int k, int gen)
{
	char dg[64], name[32], ver[16], vuln[48];
	snprintf(dg, sizeof dg, "sha256:%08x%08x", k, gen);
	struct dd_scan_result *r = fx_result(dg, "oci:bench:latest");
	for (int p = 0; p < PKGS; p++) {
		snprintf(name, sizeof name, "pkg%03d", p);
		snprintf(ver, sizeof ver, "1.%d", gen);
		fx_pkg(r, name, ver);
	}
	for (int i = 0; i < PER_SCAN; i++) {
		int v = gen * 50 + i;
		snprintf(name, sizeof name, "pkg%03d", v % PKGS);
		snprintf(vuln, sizeof vuln, "CVE-2026-%06d", v);
		double score = (v % 13 == 0) ? -1 : 3.0 + (double)(v % 70) / 10.0;
		struct dd_finding *f = fx_vuln(r, name, vuln, score, NULL);
		if (f && v % 97 == 0)
			f->kev = true;
	}
	return r;
}

/* This process's CPU time: on a shared machine wall time includes waiting
 * for a core, CPU time does not (the PostgreSQL server's is not counted). */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int noop(void *ud, int nc, const char *const *v)
{
	(void)nc;
	(void)v;
	(*(long *)ud)++;
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return v[n / 2];
}

static int run(const char *label, const char *url, int nassets, int nrescans)
{
	struct dd_store *s;
	struct dd_err err;
	if (dd_store_open(url, &s, &err) != DD_OK) {
		fprintf(stderr, "%s: %s\n", label, err.msg);
		return 1;
	}
	int64_t t0 = 1767225600; /* 2026-01-01 */
	printf("== %s (%s)\n", label, dd_store_backend(s));
	double a = now_s(), ca = cpu_s();
	for (int k = 0; k < nassets; k++) {
		char asset[32];
		snprintf(asset, sizeof asset, "asset%04d", k);
		struct dd_scan_result *r = make(k, 0);
		struct dd_save_opts o = { .asset = asset, .now = t0 + k * 60 };
		if (dd_store_save_scan(s, r, &o, NULL, &err) != DD_OK) {
			fprintf(stderr, "populate: %s\n", err.msg);
			return 1;
		}
		fx_free(r);
		if ((k + 1) % 500 == 0) {
			printf("   populated %d assets (%d findings), %.1f s\n", k + 1, (k + 1) * PER_SCAN,
			       now_s() - a);
			fflush(stdout);
		}
	}
	double populate = now_s() - a, pcpu = cpu_s() - ca;
	printf("populate: %d first scans x %d findings = %d findings in %.1f s (%.1f ms/scan,"
	       " client CPU %.1f ms/scan)\n",
	       nassets, PER_SCAN, nassets * PER_SCAN, populate, 1000 * populate / nassets,
	       1000 * pcpu / nassets);

	a = now_s();
	ca = cpu_s();
	for (int i = 0; i < nrescans; i++) {
		char asset[32];
		int k = i % nassets;
		snprintf(asset, sizeof asset, "asset%04d", k);
		struct dd_scan_result *r = make(k, 1 + i / nassets);
		struct dd_save_opts o = { .asset = asset, .now = t0 + 86400 * 3 + i * 60 };
		if (dd_store_save_scan(s, r, &o, NULL, &err) != DD_OK) {
			fprintf(stderr, "rescan: %s\n", err.msg);
			return 1;
		}
		fx_free(r);
	}
	double rescans = now_s() - a, rcpu = cpu_s() - ca;
	printf("record: %d rescans x %d findings in %.1f s: %.1f ms/scan, %.0f findings/s"
	       " (client CPU %.1f ms/scan)\n",
	       nrescans, PER_SCAN, rescans, 1000 * rescans / nrescans,
	       (double)nrescans * PER_SCAN / rescans, 1000 * rcpu / nrescans);

	/* findings list for one asset, the CLI's default query. */
	struct dd_arena *ar;
	double lt[21], bt[21];
	size_t n = 0;
	for (int i = 0; i < 21; i++) {
		ar = dd_arena_new(0);
		struct dd_finding_filter f = { .asset = "asset0007", .order = DD_ORDER_PRIORITY,
					       .open_only = true, .now = t0 + 86400 * 30 };
		struct dd_finding_row *rows;
		a = now_s();
		if (dd_store_list_findings(s, &f, ar, &rows, &n, &err) != DD_OK) {
			fprintf(stderr, "list: %s\n", err.msg);
			return 1;
		}
		lt[i] = now_s() - a;
		dd_arena_free(ar);
		long cnt = 0;
		struct dd_sqlv p[] = { SQLV_TEXT("asset0007") };
		a = now_s();
		st_q(s, "SELECT f.id FROM findings f JOIN assets a ON a.id = f.asset_id WHERE a.name = $1",
		     p, 1, noop, &cnt, &err);
		bt[i] = now_s() - a;
	}
	double lm = median(lt, 21), lb = median(bt, 21);
	printf("findings list (one asset, %zu open rows): median %.2f ms; baseline bare SELECT %.2f ms"
	       " (x%.1f); target 50 ms (%.2f of target)\n",
	       n, 1000 * lm, 1000 * lb, lm / lb, lm / 0.050);

	double mt[3], mb[3];
	long total = 0;
	for (int i = 0; i < 3; i++) {
		ar = dd_arena_new(0);
		struct dd_metrics m;
		a = now_s();
		if (dd_store_metrics(s, NULL, 0, t0 + 86400 * 30, ar, &m, &err) != DD_OK) {
			fprintf(stderr, "metrics: %s\n", err.msg);
			return 1;
		}
		mt[i] = now_s() - a;
		if (i == 0)
			printf("   metrics: %ld open, %ld fixed P1 (MTTR %.2f wd), %ld scans\n",
			       m.open_total, m.closed[1], m.mttr[1], m.scans);
		dd_arena_free(ar);
		total = 0;
		a = now_s();
		st_q(s, "SELECT f.priority, f.state, f.first_seen, f.closed_at, f.due, a.name,"
			" f.reintroduced FROM findings f JOIN assets a ON a.id = f.asset_id",
		     NULL, 0, noop, &total, &err);
		mb[i] = now_s() - a;
	}
	double mm = median(mt, 3), mbm = median(mb, 3);
	printf("metrics over %ld findings: median %.2f s; baseline bare scan %.2f s (x%.2f);"
	       " target 2 s (%.2f of target)\n",
	       total, mm, mbm, mm / mbm, mm / 2.0);
	dd_store_close(s);
	return 0;
}

/* Interrupted: exit() so atexit stops the PostgreSQL server we started. */
static void on_signal(int sig)
{
	(void)sig;
	exit(1);
}

int main(int argc, char **argv)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	bool pg = false;
	int nassets = 2000, nrescans = 1000;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--postgres") == 0)
			pg = true;
		else if (strcmp(argv[i], "--assets") == 0 && i + 1 < argc)
			nassets = (int)strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--rescans") == 0 && i + 1 < argc)
			nrescans = (int)strtol(argv[++i], NULL, 10);
	}
	if (nassets < 1 || nrescans < 1)
		return 2;
	char path[] = "/tmp/dd-bench-XXXXXX";
	if (!mkdtemp(path))
		return 1;
	char url[256];
	snprintf(url, sizeof url, "%s/store.db", path);
	int rc = run("SQLite", url, nassets, nrescans);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", path);
	fx_sh(cmd);
	if (pg && rc == 0) {
		const char *pu = fx_pg_url();
		if (!pu) {
			printf("PostgreSQL: skipped: %s\n", fx_pg_skip[0] ? fx_pg_skip : "did not start");
			return 0;
		}
		rc = run("PostgreSQL", pu, nassets, nrescans);
	}
	return rc;
}
