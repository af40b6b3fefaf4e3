/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store on both backends (STORE_TEST runs each body on SQLite and on a
 * real PostgreSQL started on 127.0.0.1): migrations, the finding lifecycle
 * of saves (new, still open, fixed verified by rescan, reintroduced, kept
 * open when not assessed), triage, verification, exceptions, VEX, KB drafts,
 * scan diffs, metrics with an injected clock, two processes saving the same
 * asset at once, and a save killed with SIGKILL before its commit.
 */
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "dd_test.h"
#include "store/backend.h"
#include "store_fixture.h"

static int dd_store_row_i64_test(void *ud, int nc, const char *const *v)
{
	*(int64_t *)ud = nc > 0 && v[0] ? strtoll(v[0], NULL, 10) : 0;
	return 1;
}

static int64_t T(const char *s)
{
	int64_t t = 0;
	struct dd_err err;
	if (dd_time_parse(s, &t, &err) != DD_OK)
		dd_test_fail(__FILE__, __LINE__, "bad time %s", s);
	return t;
}

static struct dd_store *open_store(const char *url)
{
	struct dd_store *s = NULL;
	struct dd_err err;
	ASSERT_OK(dd_store_open(url, &s, &err), &err);
	return s;
}

/* Scan 1 of "web": musl CVE-A 9.8, busybox CVE-B 7.5, openssl CVE-C unscored. */
static struct dd_scan_result *scan1(void)
{
	struct dd_scan_result *r = fx_result("sha256:1111", "docker-archive:web-1.tar");
	fx_pkg(r, "busybox", "1.30.1-r2");
	fx_pkg(r, "musl", "1.1.22-r2");
	fx_pkg(r, "openssl", "1.1.1c-r0");
	fx_vuln(r, "musl", "CVE-2019-14697", 9.8, "1.1.22-r3");
	fx_vuln(r, "busybox", "CVE-2018-20679", 7.5, "1.30.1-r3");
	fx_vuln(r, "openssl", "CVE-2019-1547", -1, "1.1.1d-r0");
	return r;
}

/* Scan 2: musl upgraded (CVE-A gone), busybox still vulnerable, openssl's
 * feed not assessed (its finding absent but must stay open), a new CVE-D. */
static struct dd_scan_result *scan2(void)
{
	struct dd_scan_result *r = fx_result("sha256:2222", "docker-archive:web-2.tar");
	fx_pkg(r, "busybox", "1.30.1-r2");
	fx_pkg(r, "musl", "1.1.22-r3");
	fx_pkg(r, "openssl", "1.1.1c-r0");
	fx_pkg(r, "zlib", "1.2.11-r1");
	fx_vuln(r, "busybox", "CVE-2018-20679", 7.5, "1.30.1-r3");
	fx_vuln(r, "zlib", "CVE-2018-25032", 7.5, "1.2.12-r0");
	fx_not_assessed(r, "openssl", "the openssl advisory feed failed to load");
	return r;
}

static struct dd_finding_row *find(struct dd_store *s, struct dd_arena *a, const char *vuln)
{
	struct dd_finding_filter f = { .vuln = vuln };
	struct dd_finding_row *rows;
	size_t n;
	struct dd_err err;
	if (dd_store_list_findings(s, &f, a, &rows, &n, &err) != DD_OK || n != 1)
		return NULL;
	return rows;
}

STORE_TEST(migrations_upgrade_keeps_rows_and_newer_refused)
{
	struct dd_store *s = open_store(url);
	EXPECT_EQ_INT(dd_store_schema_version(s), 2);
	struct dd_scan_result *r = scan1();
	struct dd_save_opts o = { .asset = "web", .now = 1772445600 };
	struct dd_err err;
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	fx_free(r);
	dd_store_close(s);
	/* Make it a version-1 store (as drydock 0.1 wrote it); opening it
	 * applies migration 2 and keeps every row. */
	bool pg = strncmp(url, "postgres", 8) == 0;
	const char *down = "DROP INDEX findings_metrics; DELETE FROM schema_migrations WHERE version = 2";
	if (pg) {
		PGconn *c = PQconnectdb(url);
		PQclear(PQexec(c, down));
		PQfinish(c);
	} else {
		sqlite3 *db;
		ASSERT_TRUE(sqlite3_open(url, &db) == SQLITE_OK);
		sqlite3_exec(db, down, NULL, NULL, NULL);
		sqlite3_close(db);
	}
	s = open_store(url);
	EXPECT_EQ_INT(dd_store_schema_version(s), 2);
	struct dd_arena *a = dd_arena_new(0);
	struct dd_finding_row *rows;
	size_t n;
	ASSERT_OK(dd_store_list_findings(s, NULL, a, &rows, &n, &err), &err);
	EXPECT_EQ_INT(n, 3);
	dd_arena_free(a);
	dd_store_close(s);
	/* A store from a newer drydock is refused, not misread. */
	static const char sql[] = "INSERT INTO schema_migrations VALUES (99, 0)";
	if (pg) {
		PGconn *c = PQconnectdb(url);
		PQclear(PQexec(c, sql));
		PQfinish(c);
	} else {
		sqlite3 *db;
		ASSERT_TRUE(sqlite3_open(url, &db) == SQLITE_OK);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
		sqlite3_close(db);
	}
	EXPECT_EQ_INT(dd_store_open(url, &s, &err), DD_ESCHEMA);
	EXPECT_TRUE(strstr(err.msg, "newer") != NULL);
}

STORE_TEST(lifecycle_new_still_open_fixed_reintroduced)
{
	struct dd_store *s = open_store(url);
	struct dd_err err;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_asset as = { .name = "web", .owner = "alice", .team = "payments" };
	dd_impact_init(&as.impact);
	as.impact.criticality = 4;
	ASSERT_OK(dd_store_put_asset(s, &as, NULL, &err), &err);

	struct dd_scan_result *r = scan1();
	struct dd_save_summary sum;
	struct dd_save_opts o = { .asset = "web", .now = T("2026-03-02T10:00:00Z"), .who = "ci" };
	ASSERT_OK(dd_store_save_scan(s, r, &o, &sum, &err), &err);
	EXPECT_EQ_INT(sum.new_, 3);
	EXPECT_EQ_INT(sum.fixed, 0);
	EXPECT_EQ_INT(sum.by_priority[1], 1);
	EXPECT_EQ_INT(sum.by_priority[2], 2);
	int64_t scan_a = sum.scan_id;
	fx_free(r);

	struct dd_finding_row *f = find(s, a, "CVE-2019-14697");
	ASSERT_TRUE(f);
	EXPECT_EQ_INT(f->priority, DD_PRIO_P1);
	EXPECT_STR_EQ(f->state, "open");
	EXPECT_STR_EQ(f->cvss_rating, "CRITICAL");
	EXPECT_STR_EQ(f->vendor_rating, "medium");
	EXPECT_STR_EQ(f->score_source, "nvd 3.1");
	EXPECT_TRUE(strstr(f->why, "cvss 9.8 (nvd 3.1) >= 9.0: P1") != NULL);
	EXPECT_EQ_INT(f->due, T("2026-03-05T23:59:59Z")); /* Mon + 3 working days */
	f = find(s, a, "CVE-2018-20679");
	ASSERT_TRUE(f);
	EXPECT_EQ_INT(f->priority, DD_PRIO_P2);
	EXPECT_EQ_INT(f->due, T("2026-03-11T23:59:59Z")); /* + 7 working days */
	f = find(s, a, "CVE-2019-1547");
	ASSERT_TRUE(f);
	EXPECT_TRUE(f->unscored);
	EXPECT_EQ_INT(f->priority, DD_PRIO_P2);

	r = scan2();
	o.now = T("2026-03-05T12:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, &sum, &err), &err);
	int64_t scan_b = sum.scan_id;
	EXPECT_EQ_INT(sum.new_, 1);
	EXPECT_EQ_INT(sum.still_open, 1);
	EXPECT_EQ_INT(sum.fixed, 1);
	EXPECT_EQ_INT(sum.not_assessed, 1);
	EXPECT_EQ_INT(sum.kb_drafts, 1);
	fx_free(r);

	f = find(s, a, "CVE-2019-14697");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->state, "fixed");
	EXPECT_EQ_INT(f->fixed_scan, scan_b);
	EXPECT_STR_EQ(f->fix_evidence, "sha256:2222");
	EXPECT_EQ_INT(f->closed_at, T("2026-03-05T12:00:00Z"));
	struct dd_event_row *ev;
	size_t nev;
	ASSERT_OK(dd_store_list_events(s, f->id, a, &ev, &nev, &err), &err);
	ASSERT_EQ_INT(nev, 2);
	EXPECT_STR_EQ(ev[0].kind, "new");
	EXPECT_STR_EQ(ev[1].kind, "fixed");
	EXPECT_STR_EQ(ev[1].who, "ci");
	EXPECT_TRUE(strstr(ev[1].why, "verified by rescan") && strstr(ev[1].why, "sha256:2222"));

	f = find(s, a, "CVE-2019-1547");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->state, "open"); /* not assessed: never closed */
	ASSERT_OK(dd_store_list_events(s, f->id, a, &ev, &nev, &err), &err);
	ASSERT_EQ_INT(nev, 2);
	EXPECT_STR_EQ(ev[1].kind, "not-assessed");
	EXPECT_TRUE(strstr(ev[1].why, "feed failed to load") != NULL);

	struct dd_kb_entry *kb;
	size_t nkb;
	ASSERT_OK(dd_store_kb_search(s, NULL, "CVE-2019-14697", NULL, a, &kb, &nkb, &err), &err);
	ASSERT_EQ_INT(nkb, 1);
	EXPECT_STR_EQ(kb[0].kind, "draft");
	EXPECT_STR_EQ(kb[0].fixed_version, "1.1.22-r3");
	EXPECT_TRUE(strstr(kb[0].title, "1.1.22-r2 -> 1.1.22-r3") != NULL);
	EXPECT_EQ_INT(kb[0].scan_to, scan_b);
	ASSERT_OK(dd_store_kb_search(s, "MUSL", NULL, NULL, a, &kb, &nkb, &err), &err);
	EXPECT_EQ_INT(nkb, 1);

	/* Scan diff: musl changed, zlib added; CVE-A gone, CVE-D new. */
	struct dd_diff_row *d;
	size_t nd;
	ASSERT_OK(dd_store_diff_scans(s, scan_a, scan_b, a, &d, &nd, &err), &err);
	int pk_changed = 0, pk_added = 0, v_added = 0, v_removed = 0;
	for (size_t i = 0; i < nd; i++) {
		if (!d[i].vulnerability && d[i].kind == DD_DIFF_CHANGED && strstr(d[i].name, "musl"))
			pk_changed++;
		if (!d[i].vulnerability && d[i].kind == DD_DIFF_ADDED && strstr(d[i].name, "zlib"))
			pk_added++;
		if (d[i].vulnerability && d[i].kind == DD_DIFF_ADDED)
			v_added++;
		if (d[i].vulnerability && d[i].kind == DD_DIFF_REMOVED)
			v_removed++;
	}
	EXPECT_EQ_INT(pk_changed, 1);
	EXPECT_EQ_INT(pk_added, 1);
	EXPECT_EQ_INT(v_added, 1);
	EXPECT_EQ_INT(v_removed, 2); /* CVE-A fixed; CVE-C not in scan 2 (not assessed) */

	/* Scan 3 brings the old musl back: reintroduced. */
	r = scan1();
	o.now = T("2026-03-09T09:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, &sum, &err), &err);
	EXPECT_EQ_INT(sum.reintroduced, 1);
	fx_free(r);
	f = find(s, a, "CVE-2019-14697");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->state, "open");
	EXPECT_EQ_INT(f->reintroduced, 1);
	EXPECT_EQ_INT(f->closed_at, 0);
	EXPECT_EQ_INT(f->fixed_scan, 0);
	/* zlib is gone in scan 3: fixed. */
	f = find(s, a, "CVE-2018-25032");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->state, "fixed");

	struct dd_scan_row *sc;
	size_t nsc;
	ASSERT_OK(dd_store_list_scans(s, "web", 0, a, &sc, &nsc, &err), &err);
	EXPECT_EQ_INT(nsc, 3);
	struct dd_scan_row one;
	ASSERT_OK(dd_store_get_scan(s, scan_b, a, &one, &err), &err);
	EXPECT_TRUE(one.sbom_json && strstr(one.sbom_json, "\"zlib\"") != NULL);
	EXPECT_TRUE(one.warnings && strstr(one.warnings, "not assessed: openssl") != NULL);
	dd_arena_free(a);
	dd_store_close(s);
}

STORE_TEST(priority_order_business_impact_kev)
{
	struct dd_store *s = open_store(url);
	struct dd_err err;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_asset as = { .name = "edge" };
	dd_impact_init(&as.impact);
	as.impact.criticality = 5;
	as.impact.exposure = DD_EXPOSURE_INTERNET;
	ASSERT_OK(dd_store_put_asset(s, &as, NULL, &err), &err);
	struct dd_asset lab = { .name = "lab" };
	dd_impact_init(&lab.impact);
	lab.impact.exposure = DD_EXPOSURE_ISOLATED;
	ASSERT_OK(dd_store_put_asset(s, &lab, NULL, &err), &err);

	struct dd_scan_result *r = fx_result("sha256:e1", NULL);
	fx_pkg(r, "busybox", "1.0");
	fx_pkg(r, "musl", "1.0");
	fx_vuln(r, "busybox", "CVE-1", 7.5, NULL);      /* P2 -> raised to P1 */
	struct dd_finding *k = fx_vuln(r, "musl", "CVE-2", 5.0, NULL);
	k->kev = true;                                   /* P3 -> raised P2 -> KEV P1 */
	struct dd_save_opts o = { .asset = "edge", .now = T("2026-03-02T10:00:00Z") };
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	o.asset = "lab";
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	fx_free(r);

	struct dd_finding_filter flt = { .order = DD_ORDER_PRIORITY, .now = o.now };
	struct dd_finding_row *rows;
	size_t n;
	ASSERT_OK(dd_store_list_findings(s, &flt, a, &rows, &n, &err), &err);
	ASSERT_EQ_INT(n, 4);
	/* P1s first; among them edge (criticality 5) before lab (3). */
	EXPECT_EQ_INT(rows[0].priority, DD_PRIO_P1);
	EXPECT_STR_EQ(rows[0].asset, "edge");
	EXPECT_STR_EQ(rows[0].vuln, "CVE-1"); /* higher score first */
	EXPECT_TRUE(strstr(rows[0].why, "rule critical-internet-facing: P2->P1") != NULL);
	EXPECT_EQ_INT(rows[1].priority, DD_PRIO_P1);
	EXPECT_STR_EQ(rows[1].vuln, "CVE-2");
	EXPECT_TRUE(strstr(rows[1].why, "rule kev: P2->P1") != NULL);
	EXPECT_EQ_INT(rows[2].priority, DD_PRIO_P1); /* lab's KEV stays P1 */
	EXPECT_STR_EQ(rows[2].asset, "lab");
	EXPECT_EQ_INT(rows[3].priority, DD_PRIO_P3); /* lab: CVE-1 P2 lowered (isolated) */
	EXPECT_TRUE(strstr(rows[3].why, "rule isolated: P2->P3") != NULL);
	EXPECT_EQ_INT(rows[3].due, 0);               /* P3: no SLA */
	dd_arena_free(a);
	dd_store_close(s);
}

STORE_TEST(triage_verify_exception_vex)
{
	struct dd_store *s = open_store(url);
	struct dd_err err;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_scan_result *r = scan1();
	struct dd_save_opts o = { .asset = "web", .now = T("2026-03-02T10:00:00Z") };
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);

	struct dd_finding_row *f = find(s, a, "CVE-2018-20679");
	ASSERT_TRUE(f);
	int64_t busy = f->id;
	/* Verification: reproduced confirms and raises one band. */
	ASSERT_OK(dd_store_verify(s, busy, "reproduced", "default config, port 80 open", "poc.log",
				  "uid=0(root)\n", 12, "bob", T("2026-03-02T11:00:00Z"), &err), &err);
	f = find(s, a, "CVE-2018-20679");
	EXPECT_STR_EQ(f->state, "confirmed");
	EXPECT_EQ_INT(f->priority, DD_PRIO_P1);
	EXPECT_TRUE(strstr(f->why, "verification-reproduced") != NULL);
	struct dd_verification *v;
	size_t nv;
	ASSERT_OK(dd_store_list_verifications(s, busy, a, &v, &nv, &err), &err);
	ASSERT_EQ_INT(nv, 1);
	EXPECT_STR_EQ(v[0].conditions, "default config, port 80 open");
	EXPECT_TRUE(v[0].evidence_sha256 && strncmp(v[0].evidence_sha256, "sha256:", 7) == 0);

	/* Not reproduced closes as not_affected. */
	f = find(s, a, "CVE-2019-14697");
	ASSERT_OK(dd_store_verify(s, f->id, "not_reproduced", "musl not reachable", NULL, NULL, 0,
				  "bob", T("2026-03-02T12:00:00Z"), &err), &err);
	f = find(s, a, "CVE-2019-14697");
	EXPECT_STR_EQ(f->state, "not_affected");

	/* Risk acceptance until 03-04; the scan of 03-05 reopens it. */
	f = find(s, a, "CVE-2019-1547");
	EXPECT_EQ_INT(dd_store_triage(s, f->id, "risk_accepted", "compensating WAF", "carol", 0,
				      T("2026-03-02T12:00:00Z"), &err), DD_EUSAGE);
	ASSERT_OK(dd_store_triage(s, f->id, "risk_accepted", "compensating WAF", "carol",
				  T("2026-03-04T00:00:00Z"), T("2026-03-02T12:00:00Z"), &err), &err);
	o.now = T("2026-03-03T10:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	f = find(s, a, "CVE-2019-1547");
	EXPECT_STR_EQ(f->state, "risk_accepted");
	EXPECT_TRUE(strstr(f->why, "exception-active") != NULL);
	o.now = T("2026-03-05T10:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	f = find(s, a, "CVE-2019-1547");
	EXPECT_STR_EQ(f->state, "open");
	/* The verified-not-reproduced finding stays closed when seen again. */
	f = find(s, a, "CVE-2019-14697");
	EXPECT_STR_EQ(f->state, "not_affected");

	/* VEX import closes; export carries the decisions. */
	struct dd_vex_stmt st = { .vuln = "CVE-2019-1547", .product = "pkg:apk/alpine/openssl",
				  .status = "not_affected",
				  .justification = "vulnerable_code_not_in_execute_path" };
	size_t applied = 0;
	ASSERT_OK(dd_store_vex_apply(s, &st, 1, "vendor.vex.json", "dave", o.now, &applied, &err),
		  &err);
	EXPECT_EQ_INT(applied, 1);
	f = find(s, a, "CVE-2019-1547");
	EXPECT_STR_EQ(f->state, "not_affected");
	EXPECT_TRUE(strstr(f->why, "vex-not-affected") != NULL);
	/* Kept for later scans too. */
	o.now = T("2026-03-06T10:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	f = find(s, a, "CVE-2019-1547");
	EXPECT_STR_EQ(f->state, "not_affected");

	char path[4300];
	snprintf(path, sizeof path, "%s/out.vex.json", dd_test_tmpdir());
	FILE *out = fopen(path, "w");
	ASSERT_TRUE(out);
	ASSERT_OK(dd_store_vex_export(s, NULL, "drydock test", o.now, out, &err), &err);
	fclose(out);
	char *text = NULL;
	char cmd[4400];
	snprintf(cmd, sizeof cmd, "cat %s", path);
	dd_test_run(cmd, &text);
	ASSERT_TRUE(text);
	EXPECT_TRUE(strstr(text, "https://openvex.dev/ns/v0.2.0") != NULL);
	EXPECT_TRUE(strstr(text, "vulnerable_code_not_in_execute_path") != NULL);
	/* Round trip: our own export parses. */
	struct dd_vex_stmt *back;
	size_t nback;
	ASSERT_OK(dd_vex_parse(text, strlen(text), path, a, &back, &nback, &err), &err);
	EXPECT_EQ_INT(nback, 3); /* two not_affected + one confirmed (affected) */
	free(text);
	fx_free(r);
	dd_arena_free(a);
	dd_store_close(s);
}

STORE_TEST(metrics_mttr_sla_with_injected_clock)
{
	struct dd_store *s = open_store(url);
	struct dd_err err;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_scan_result *r = scan1();
	struct dd_save_opts o = { .asset = "web", .now = T("2026-03-02T10:00:00Z") };
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	fx_free(r);
	r = scan2();
	o.now = T("2026-03-05T12:00:00Z"); /* Thursday: 3 working days later */
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	fx_free(r);
	/* Busybox fixed on 03-13 (9 working days > 7: SLA missed). */
	r = fx_result("sha256:3333", NULL);
	fx_pkg(r, "busybox", "1.30.1-r3");
	fx_pkg(r, "musl", "1.1.22-r3");
	fx_pkg(r, "zlib", "1.2.11-r1");
	fx_pkg(r, "openssl", "1.1.1c-r0");
	fx_vuln(r, "zlib", "CVE-2018-25032", 7.5, "1.2.12-r0");
	fx_vuln(r, "openssl", "CVE-2019-1547", -1, "1.1.1d-r0");
	o.now = T("2026-03-13T09:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	fx_free(r);

	struct dd_metrics m;
	ASSERT_OK(dd_store_metrics(s, NULL, 0, T("2026-03-20T00:00:00Z"), a, &m, &err), &err);
	EXPECT_EQ_INT(m.scans, 3);
	EXPECT_EQ_INT(m.nmonths, 1);
	EXPECT_STR_EQ(m.months[0].month, "2026-03");
	EXPECT_EQ_INT(m.months[0].scans, 3);
	EXPECT_TRUE(m.p1_per_scan > 0.33 && m.p1_per_scan < 0.34); /* 1 P1 in 3 scans */
	EXPECT_EQ_INT(m.closed[1], 1);
	EXPECT_TRUE(m.mttr[1] == 3.0);
	EXPECT_EQ_INT(m.closed[2], 1);
	EXPECT_TRUE(m.mttr[2] == 9.0);
	EXPECT_TRUE(m.sla_pct[1] == 100.0);
	EXPECT_TRUE(m.sla_pct[2] == 0.0);
	EXPECT_EQ_INT(m.sla_target[1], 3);
	EXPECT_EQ_INT(m.sla_target[3], DD_SLA_NONE);
	EXPECT_EQ_INT(m.open_total, 2); /* zlib (P2) and openssl (unscored P2) */
	EXPECT_EQ_INT(m.open[2][1], 2); /* aged 8-30 days on 03-20 */
	EXPECT_EQ_INT(m.overdue, 2);
	EXPECT_EQ_INT(m.ntop, 1);
	EXPECT_EQ_INT(m.top[0].open[2], 2);
	dd_arena_free(a);
	dd_store_close(s);
}

/* ---- two processes, one asset ---------------------------------------------- */

static int child_saves(const char *url, int who, int rounds)
{
	struct dd_store *s;
	struct dd_err err;
	if (dd_store_open(url, &s, &err) != DD_OK) {
		fprintf(stderr, "child %d: %s\n", who, err.msg);
		return 1;
	}
	for (int i = 0; i < rounds; i++) {
		char dg[64];
		snprintf(dg, sizeof dg, "sha256:%d-%d", who, i);
		struct dd_scan_result *r = fx_result(dg, NULL);
		fx_pkg(r, "musl", "1.0");
		fx_pkg(r, "busybox", "1.0");
		/* Shared findings both see every time, and one per process. */
		fx_vuln(r, "musl", "CVE-SHARED-1", 9.1, NULL);
		fx_vuln(r, "busybox", "CVE-SHARED-2", 7.1, NULL);
		char own[32];
		snprintf(own, sizeof own, "CVE-OWN-%d", who);
		fx_vuln(r, "musl", own, 5.0, NULL);
		struct dd_save_opts o = { .asset = "shared", .now = 1770000000 + i };
		dd_code rc = dd_store_save_scan(s, r, &o, NULL, &err);
		fx_free(r);
		if (rc) {
			fprintf(stderr, "child %d round %d: %s\n", who, i, err.msg);
			dd_store_close(s);
			return 1;
		}
	}
	dd_store_close(s);
	return 0;
}

STORE_TEST(two_processes_save_same_asset)
{
	/* Create the schema first so both children race on saves only; a
	 * third check below races two fresh opens as well. */
	struct dd_store *s = open_store(url);
	dd_store_close(s);
	const int rounds = 15;
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		ASSERT_TRUE(kids[k] >= 0);
		if (kids[k] == 0)
			_exit(child_saves(url, k, rounds));
	}
	for (int k = 0; k < 2; k++) {
		int st = 0;
		waitpid(kids[k], &st, 0);
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	s = open_store(url);
	struct dd_err err;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_scan_row *sc;
	size_t nsc;
	ASSERT_OK(dd_store_list_scans(s, "shared", 0, a, &sc, &nsc, &err), &err);
	EXPECT_EQ_INT(nsc, 2 * rounds);
	struct dd_finding_filter f = { .asset = "shared" };
	struct dd_finding_row *rows;
	size_t n;
	ASSERT_OK(dd_store_list_findings(s, &f, a, &rows, &n, &err), &err);
	EXPECT_EQ_INT(n, 4); /* two shared + one per process, no duplicates */
	/* Each process's own finding was fixed and reintroduced as the saves
	 * interleaved, but every one of them is accounted for. */
	for (size_t i = 0; i < n; i++)
		EXPECT_TRUE(strcmp(rows[i].state, "open") == 0 || strcmp(rows[i].state, "fixed") == 0);
	dd_arena_free(a);
	dd_store_close(s);
}

/* ---- SIGKILL in the middle of a save ---------------------------------------- */

static int kill_pipe[2];

static void stop_here(void *ud)
{
	(void)ud;
	char c = 'x';
	if (write(kill_pipe[1], &c, 1) != 1)
		_exit(3);
	for (;;)
		pause(); /* the parent kills us here, before COMMIT */
}

STORE_TEST(sigkill_mid_save_leaves_store_as_before)
{
	struct dd_store *s = open_store(url);
	struct dd_err err;
	struct dd_scan_result *r = scan1();
	struct dd_save_opts o = { .asset = "web", .now = T("2026-03-02T10:00:00Z") };
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	fx_free(r);
	struct dd_arena *a = dd_arena_new(0);
	struct dd_finding_row *before;
	size_t nbefore;
	struct dd_finding_filter f = { .asset = "web" };
	ASSERT_OK(dd_store_list_findings(s, &f, a, &before, &nbefore, &err), &err);
	dd_store_close(s);

	ASSERT_TRUE(pipe(kill_pipe) == 0);
	pid_t kid = fork();
	ASSERT_TRUE(kid >= 0);
	if (kid == 0) {
		struct dd_store *cs;
		struct dd_err cerr;
		if (dd_store_open(url, &cs, &cerr) != DD_OK)
			_exit(1);
		struct dd_scan_result *r2 = scan2();
		struct dd_save_opts o2 = { .asset = "web", .now = T("2026-03-05T12:00:00Z"),
					   .before_commit = stop_here };
		dd_store_save_scan(cs, r2, &o2, NULL, &cerr);
		_exit(2);
	}
	char c;
	ASSERT_EQ_INT(read(kill_pipe[0], &c, 1), 1);
	kill(kid, SIGKILL);
	int st = 0;
	waitpid(kid, &st, 0);
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(kill_pipe[0]);
	close(kill_pipe[1]);

	s = open_store(url);
	struct dd_scan_row *sc;
	size_t nsc;
	ASSERT_OK(dd_store_list_scans(s, "web", 0, a, &sc, &nsc, &err), &err);
	EXPECT_EQ_INT(nsc, 1);
	struct dd_finding_row *after;
	size_t nafter;
	ASSERT_OK(dd_store_list_findings(s, &f, a, &after, &nafter, &err), &err);
	ASSERT_EQ_INT(nafter, nbefore);
	for (size_t i = 0; i < nafter; i++) {
		EXPECT_STR_EQ(after[i].state, before[i].state);
		EXPECT_EQ_INT(after[i].last_seen, before[i].last_seen);
	}
	struct dd_kb_entry *kb;
	size_t nkb;
	ASSERT_OK(dd_store_kb_search(s, "", NULL, NULL, a, &kb, &nkb, &err), &err);
	EXPECT_EQ_INT(nkb, 0);
	/* And the store still takes saves (no lock left behind). */
	r = scan2();
	o.now = T("2026-03-05T12:00:00Z");
	struct dd_save_summary sum;
	ASSERT_OK(dd_store_save_scan(s, r, &o, &sum, &err), &err);
	EXPECT_EQ_INT(sum.fixed, 1);
	fx_free(r);
	dd_arena_free(a);
	dd_store_close(s);
}

DD_TEST(default_url_from_environment)
{
	char buf[4200];
	struct dd_err err;
	setenv("DRYDOCK_STORE", "/tmp/x/store.db", 1);
	ASSERT_OK(dd_store_default_url(buf, sizeof buf, &err), &err);
	EXPECT_STR_EQ(buf, "/tmp/x/store.db");
	unsetenv("DRYDOCK_STORE");
	char xdg[4200];
	snprintf(xdg, sizeof xdg, "%s/xdg", dd_test_tmpdir());
	setenv("XDG_DATA_HOME", xdg, 1);
	ASSERT_OK(dd_store_default_url(buf, sizeof buf, &err), &err);
	char want[4300];
	snprintf(want, sizeof want, "%s/drydock/store.db", xdg);
	EXPECT_STR_EQ(buf, want);
	unsetenv("XDG_DATA_HOME");
}

STORE_TEST(namespace_or_whole_image_not_assessed_closes_nothing)
{
	struct dd_store *s = open_store(url);
	struct dd_err err;
	struct dd_scan_result *r = scan1();
	struct dd_save_opts o = { .asset = "web", .now = T("2026-03-02T10:00:00Z") };
	ASSERT_OK(dd_store_save_scan(s, r, &o, NULL, &err), &err);
	fx_free(r);
	/* A rescan with no findings at all: the alpine feed was missing. */
	r = fx_result("sha256:empty", NULL);
	fx_pkg(r, "musl", "1.1.22-r2");
	fx_not_assessed(r, "alpine:v3.10", "no alpine 3.10 feed in the DB");
	struct dd_save_summary sum;
	o.now = T("2026-03-03T10:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, &sum, &err), &err);
	EXPECT_EQ_INT(sum.fixed, 0);
	EXPECT_EQ_INT(sum.not_assessed, 3);
	fx_free(r);
	/* A layer failed to read: "*" keeps everything open too. */
	r = fx_result("sha256:broken", NULL);
	fx_not_assessed(r, "*", "layer 2: unexpected end of gzip stream");
	o.now = T("2026-03-04T10:00:00Z");
	ASSERT_OK(dd_store_save_scan(s, r, &o, &sum, &err), &err);
	EXPECT_EQ_INT(sum.fixed, 0);
	EXPECT_EQ_INT(sum.not_assessed, 3);
	fx_free(r);
	dd_store_close(s);
}

/* The PostgreSQL backend pipelines statements whose rows nobody reads; an
 * error among them must still fail the transaction, and the connection
 * must stay usable. */
DD_TEST(postgres_pipelined_error_fails_the_transaction)
{
	const char *url = fx_pg_url();
	if (!url)
		dd_test_skip("%s", fx_pg_skip[0] ? fx_pg_skip : "PostgreSQL did not start");
	const struct dd_store_backend *be = &dd_store_postgres;
	void *c;
	struct dd_err err;
	ASSERT_OK(be->open(url, &c, &err), &err);
	ASSERT_OK(be->script(c, "CREATE TABLE t (x BIGINT UNIQUE)", &err), &err);
	static const char ins[] = "INSERT INTO t (x) VALUES ($1)";
	struct dd_sqlv one[] = { SQLV_INT(1) }, two[] = { SQLV_INT(2) };
	ASSERT_OK(be->exec(c, ins, one, 1, NULL, NULL, &err), &err); /* prepares it */
	ASSERT_OK(be->begin(c, true, &err), &err);
	ASSERT_OK(be->exec(c, ins, two, 1, NULL, NULL, &err), &err);  /* pipelined */
	ASSERT_OK(be->exec(c, ins, one, 1, NULL, NULL, &err), &err);  /* pipelined, fails */
	EXPECT_EQ_INT(be->commit(c, &err), DD_EDB);
	EXPECT_TRUE(strstr(err.msg, "duplicate key") != NULL);
	be->rollback(c);
	int64_t n = 0;
	ASSERT_OK(be->exec(c, "SELECT COUNT(*) FROM t", NULL, 0, dd_store_row_i64_test, &n, &err), &err);
	EXPECT_EQ_INT(n, 1);
	be->close(c);
}
