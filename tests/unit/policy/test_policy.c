/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/: the handbook's bands at their edges, the score source order,
 * unscored findings, named business-impact rules from YAML, the SLA
 * calendar (weekends, holidays) and the injectable clock.
 */
#include <stdlib.h>

#include "dd/policy.h"
#include "dd_test.h"
#include "util/alloc.h"

static int64_t T(const char *s)
{
	int64_t t = 0;
	dd_time_parse(s, &t, NULL);
	return t;
}

static struct dd_policy *def(void)
{
	struct dd_policy *p = NULL;
	struct dd_err err;
	if (dd_policy_default(&p, &err) != DD_OK)
		dd_test_fail(__FILE__, __LINE__, "default policy: %s", err.msg);
	return p;
}

static enum dd_priority prio(const struct dd_policy *p, double score, const struct dd_impact *im,
			     struct dd_assessment *as)
{
	struct dd_assess_in in = { .vuln = "CVE-1", .package = "musl", .score = score,
				   .score_source = "nvd 3.1", .epss = -1, .impact = im };
	dd_policy_assess(p, &in, as);
	return as->priority;
}

DD_TEST(handbook_bands_at_their_edges)
{
	struct dd_policy *p = def();
	ASSERT_TRUE(p);
	struct dd_assessment as;
	static const struct { double score; enum dd_priority want; } cases[] = {
		{ 10.0, DD_PRIO_P1 }, { 9.0, DD_PRIO_P1 }, { 8.9, DD_PRIO_P2 }, { 7.0, DD_PRIO_P2 },
		{ 6.9, DD_PRIO_P3 },  { 0.0, DD_PRIO_P3 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		EXPECT_EQ_INT(prio(p, cases[i].score, NULL, &as), cases[i].want);
	prio(p, 9.8, NULL, &as);
	EXPECT_STR_EQ(as.why, "cvss 9.8 (nvd 3.1) >= 9.0: P1 (immediate)");
	EXPECT_EQ_INT(prio(p, -1, NULL, &as), DD_PRIO_P2);
	EXPECT_TRUE(as.unscored);
	EXPECT_STR_EQ(as.why, "unscored: default P2");
	EXPECT_STR_EQ(dd_policy_band_label(p, DD_PRIO_P3), "monitor");
	dd_policy_free(p);
}

DD_TEST(score_source_order_nvd31_first_then_v4_v30_v2_vendor)
{
	struct dd_policy *p = def();
	struct dd_cvss cv[] = {
		{ "ghsa", "3.1", NULL, 5.0 }, { "nvd", "2.0", NULL, 4.3 }, { "nvd", "3.0", NULL, 7.5 },
		{ "nvd", "4.0", NULL, 8.7 }, { "nvd", "3.1", NULL, 9.8 },
	};
	struct dd_finding f = { .score = -1 };
	double score;
	const char *src;
	for (size_t n = 5; n >= 1; n--) {
		f.cvss = cv;
		f.ncvss = n;
		dd_policy_pick_score(p, &f, &score, &src);
		static const double want[] = { 0, 5.0, 4.3, 7.5, 8.7, 9.8 };
		EXPECT_TRUE(score == want[n]);
	}
	f.ncvss = 0;
	dd_policy_pick_score(p, &f, &score, &src);
	EXPECT_TRUE(score == -1 && src == NULL);
	dd_policy_free(p);
}

DD_TEST(business_impact_rules_are_named_in_why)
{
	struct dd_policy *p = def();
	struct dd_impact im;
	dd_impact_init(&im);
	im.criticality = 5;
	im.exposure = DD_EXPOSURE_INTERNET;
	struct dd_assessment as;
	EXPECT_EQ_INT(prio(p, 7.5, &im, &as), DD_PRIO_P1);
	EXPECT_TRUE(strstr(as.why, "rule critical-internet-facing: P2->P1") != NULL);
	im.criticality = 4;
	EXPECT_EQ_INT(prio(p, 7.5, &im, &as), DD_PRIO_P2);
	im.exposure = DD_EXPOSURE_ISOLATED;
	EXPECT_EQ_INT(prio(p, 9.5, &im, &as), DD_PRIO_P2);
	EXPECT_EQ_INT(prio(p, 5.0, &im, &as), DD_PRIO_P3); /* already the lowest */

	struct dd_assess_in in = { .vuln = "CVE-1", .score = 4.0, .epss = 0.5, .impact = &im };
	im.exposure = DD_EXPOSURE_INTERNAL;
	dd_policy_assess(p, &in, &as);
	EXPECT_EQ_INT(as.priority, DD_PRIO_P2);
	EXPECT_TRUE(strstr(as.why, "rule epss-high: P3->P2") != NULL);
	in.kev = true;
	dd_policy_assess(p, &in, &as);
	EXPECT_EQ_INT(as.priority, DD_PRIO_P1);
	in.kev = false;
	in.vex_status = "not_affected";
	dd_policy_assess(p, &in, &as);
	EXPECT_EQ_INT(as.action, DD_ASSESS_CLOSE);
	EXPECT_STR_EQ(as.action_rule, "vex-not-affected");
	in.vex_status = NULL;
	in.verification = "not_reproduced";
	dd_policy_assess(p, &in, &as);
	EXPECT_EQ_INT(as.action, DD_ASSESS_CLOSE);
	EXPECT_STR_EQ(as.action_rule, "verification-not-reproduced");
	in.verification = NULL;
	in.exception_active = true;
	dd_policy_assess(p, &in, &as);
	EXPECT_EQ_INT(as.action, DD_ASSESS_SUPPRESS);
	dd_policy_free(p);
}

DD_TEST(yaml_replaces_parts_and_keeps_defaults)
{
	static const char y[] =
		"bands:\n  P1: {min: 9.5, label: now}\n"
		"unscored: P3\n"
		"sla: {P1: 1, P2: none}\n"
		"holidays: [2026-03-03]\n"
		"rules:\n"
		"  - name: crown-jewels\n"
		"    when: {sensitivity: restricted, package: 'open*'}\n"
		"    then: set P1\n";
	struct dd_policy *p;
	struct dd_err err;
	ASSERT_OK(dd_policy_parse(y, sizeof y - 1, "p.yml", &p, &err), &err);
	struct dd_assessment as;
	EXPECT_EQ_INT(prio(p, 9.4, NULL, &as), DD_PRIO_P2);
	EXPECT_STR_EQ(dd_policy_band_label(p, DD_PRIO_P1), "now");
	EXPECT_EQ_INT(prio(p, -1, NULL, &as), DD_PRIO_P3);
	EXPECT_EQ_INT(dd_policy_sla_days(p, DD_PRIO_P1, NULL), 1);
	EXPECT_EQ_INT(dd_policy_sla_days(p, DD_PRIO_P2, NULL), DD_SLA_NONE);
	struct dd_impact im;
	dd_impact_init(&im);
	im.sensitivity = "restricted";
	struct dd_assess_in in = { .package = "openssl", .score = 2.0, .epss = -1, .impact = &im };
	dd_policy_assess(p, &in, &as);
	EXPECT_EQ_INT(as.priority, DD_PRIO_P1);
	EXPECT_TRUE(strstr(as.why, "rule crown-jewels: P3->P1") != NULL);
	in.package = "musl";
	dd_policy_assess(p, &in, &as);
	EXPECT_EQ_INT(as.priority, DD_PRIO_P3);
	/* Mon 03-02 + 1 working day, Tue 03-03 a holiday: Wed 03-04. */
	EXPECT_EQ_INT(dd_policy_due(p, T("2026-03-02T10:00:00Z"), 1), T("2026-03-04T23:59:59Z"));
	/* The asset's SLA override wins. */
	im.sla_days[1] = 5;
	EXPECT_EQ_INT(dd_policy_sla_days(p, DD_PRIO_P1, &im), 5);
	dd_policy_free(p);
}

DD_TEST(yaml_errors_name_file_and_line)
{
	static const struct { const char *y, *msg; } bad[] = {
		{ "bands:\n  P4: 3\n", "p.yml: line 2: expected P1, P2 or P3" },
		{ "bands: {P1: 11}\n", "p.yml: line 1: number out of range" },
		{ "rules:\n  - name: x\n    when: {colour: red}\n    then: raise\n",
		  "p.yml: line 3: rule: unknown condition" },
		{ "rules:\n  - when: {kev: true}\n    then: raise\n", "p.yml: line 2: rule: a name is required" },
		{ "rules:\n  - name: x\n    then: explode\n",
		  "p.yml: line 3: rule: then is raise, lower, set P1..P3, close or suppress" },
		{ "sla: {P1: -3}\n", "p.yml: line 1: integer out of range" },
		{ "holidays: [tomorrow]\n", "p.yml: line 1: holidays: expected YYYY-MM-DD" },
		{ "bands: [\n", "p.yml: line 2:" },
		{ "colour: red\n", "p.yml: line 1: unknown key" },
		{ "- a\n", "p.yml: line 1: expected a mapping at the top" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct dd_policy *p = NULL;
		struct dd_err err;
		EXPECT_EQ_INT(dd_policy_parse(bad[i].y, strlen(bad[i].y), "p.yml", &p, &err), DD_EINVAL);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			dd_test_fail(__FILE__, __LINE__, "case %zu: '%s' does not start with '%s'", i,
				     err.msg, bad[i].msg);
		EXPECT_TRUE(p == NULL);
	}
}

DD_TEST(working_days_skip_weekends)
{
	struct dd_policy *p = def();
	/* Fri 2026-03-06 + 3 working days = Wed 03-11. */
	EXPECT_EQ_INT(dd_policy_due(p, T("2026-03-06T18:00:00Z"), 3), T("2026-03-11T23:59:59Z"));
	/* Sat + 1 = Mon. */
	EXPECT_EQ_INT(dd_policy_due(p, T("2026-03-07T08:00:00Z"), 1), T("2026-03-09T23:59:59Z"));
	EXPECT_EQ_INT(dd_policy_due(p, T("2026-03-07T08:00:00Z"), DD_SLA_NONE), 0);
	EXPECT_EQ_INT(dd_policy_working_days(p, T("2026-03-02T10:00:00Z"), T("2026-03-05T09:00:00Z")), 3);
	EXPECT_EQ_INT(dd_policy_working_days(p, T("2026-03-06T10:00:00Z"), T("2026-03-09T09:00:00Z")), 1);
	EXPECT_EQ_INT(dd_policy_working_days(p, T("2026-03-02T10:00:00Z"), T("2026-03-02T19:00:00Z")), 0);
	EXPECT_EQ_INT(dd_policy_working_days(p, T("2026-03-02T00:00:00Z"), T("2026-04-02T00:00:00Z")), 23);
	/* The O(1) count agrees with counting day by day over a long span. */
	for (int span = 0; span < 60; span++) {
		int64_t a = T("2026-01-01T12:00:00Z"), b = a + (int64_t)span * 86400;
		long slow = 0;
		for (int64_t d = a + 86400; d <= b; d += 86400)
			slow += dd_policy_is_working_day(p, d);
		EXPECT_EQ_INT(dd_policy_working_days(p, a, b), slow);
	}
	dd_policy_free(p);
}

DD_TEST(clock_injected_by_environment)
{
	setenv("DRYDOCK_NOW", "2026-03-02T10:00:00Z", 1);
	EXPECT_EQ_INT(dd_clock_now(), T("2026-03-02T10:00:00Z"));
	setenv("DRYDOCK_NOW", "2026-03-02", 1);
	EXPECT_EQ_INT(dd_clock_now(), T("2026-03-02T00:00:00Z"));
	setenv("DRYDOCK_NOW", "1772445600", 1);
	EXPECT_EQ_INT(dd_clock_now(), 1772445600);
	unsetenv("DRYDOCK_NOW");
	EXPECT_TRUE(dd_clock_now() > T("2024-01-01"));
	int64_t t;
	struct dd_err err;
	ASSERT_OK(dd_time_parse("2026-03-02T12:00:00+02:00", &t, &err), &err);
	EXPECT_EQ_INT(t, T("2026-03-02T10:00:00Z"));
	EXPECT_EQ_INT(dd_time_parse("2026-13-02", &t, &err), DD_EINVAL);
	EXPECT_EQ_INT(dd_time_parse("yesterday", &t, &err), DD_EINVAL);
	char buf[32];
	EXPECT_STR_EQ(dd_time_format(T("2026-03-02T10:00:00Z"), buf, sizeof buf), "2026-03-02T10:00:00Z");
}

/* Every allocation of a parse failing in turn: DD_ENOMEM or success, never
 * a crash or a leak (the ASan build checks the leaks). */
DD_TEST(out_of_memory_at_each_allocation)
{
	static const char y[] = "holidays: [2026-12-25, 2027-01-01]\nrules:\n  - name: a\n    then: raise\n";
	int ok = 0;
	for (unsigned long n = 1; n < 64; n++) {
		struct dd_policy *p = NULL;
		struct dd_err err;
		dd_alloc_fail_at(n);
		dd_code rc = dd_policy_parse(y, sizeof y - 1, "p.yml", &p, &err);
		dd_alloc_fail_at(0);
		EXPECT_TRUE(rc == DD_OK || rc == DD_ENOMEM);
		if (rc == DD_OK) {
			ok++;
			dd_policy_free(p);
		}
	}
	EXPECT_TRUE(ok > 0);
}
