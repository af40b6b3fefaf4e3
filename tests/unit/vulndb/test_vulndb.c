/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vulnerability DB with hand-written fixtures (written at run time):
 * each importer's mapping, malformed records, transactions, the schema
 * check, the lookup API, CVSS scores, namespaces and package name keys.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dd/vulndb.h"
#include "dd_test.h"
#include "util/alloc.h"
#include "vulndb/vdb.h"

static char dbp[4200];

static const char *db(void)
{
	snprintf(dbp, sizeof dbp, "%s/vuln.db", dd_test_tmpdir());
	return dbp;
}

static struct dd_vulndb_import_stats imp(const char *name, const char *text)
{
	struct dd_vulndb_import_stats st;
	struct dd_err err;
	const char *p = dd_test_write(name, text, strlen(text));
	char path[8192];
	snprintf(path, sizeof path, "%s", p);
	const char *paths[] = { path };
	dd_code rc = dd_vulndb_import(db(), paths, 1, DD_VULNDB_CREATE, &st, &err);
	if (rc != DD_OK) {
		dd_test_fail(__FILE__, __LINE__, "import %s: %s", name, err.msg);
		dd_test_abort();
	}
	return st;
}

static struct dd_vulndb *open_db(void)
{
	struct dd_vulndb *d;
	struct dd_err err;
	dd_code rc = dd_vulndb_open(db(), &d, &err);
	if (rc != DD_OK) {
		dd_test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		dd_test_abort();
	}
	return d;
}

struct rows {
	char text[8192];
	int n;
};

static int row_fn(const struct dd_vulndb_affected *a, void *ud)
{
	struct rows *r = ud;
	size_t l = strlen(r->text);
	snprintf(r->text + l, sizeof r->text - l, "%s %s %s %s %s|", a->advisory, a->source,
		 dd_vulndb_status_name(a->status), a->fixed ? a->fixed : "-", a->severity ? a->severity : "-");
	r->n++;
	return 0;
}

static const char *rows_of(struct dd_vulndb *d, const char *ns, const char *pkg)
{
	static struct rows r;
	memset(&r, 0, sizeof r);
	struct dd_err err;
	if (dd_vulndb_each_affected(d, ns, pkg, row_fn, &r, &err) != DD_OK)
		dd_test_fail(__FILE__, __LINE__, "lookup: %s", err.msg);
	return r.text;
}

/* The tracker's JSON export, written by hand after Debian's description of
 * the format: every status and the urgency and nodsa fields. */
static const char tracker_json[] =
	"{\n"
	" \"libxml2\": {\n"
	"  \"CVE-2022-0001\": {\"description\": \"heap overflow in xmlParse\", \"scope\": \"remote\",\n"
	"   \"debianbug\": 100001, \"releases\": {\n"
	"    \"bullseye\": {\"status\": \"resolved\", \"repositories\": {\"bullseye\": \"2.9.10+dfsg-6.7+deb11u4\"},\n"
	"                 \"fixed_version\": \"2.9.10+dfsg-6.7+deb11u4\", \"urgency\": \"medium\"},\n"
	"    \"bookworm\": {\"status\": \"resolved\", \"repositories\": {\"bookworm\": \"2.9.14+dfsg-1.3\"},\n"
	"                 \"fixed_version\": \"0\", \"urgency\": \"unimportant\"},\n"
	"    \"buster\": {\"status\": \"open\", \"repositories\": {\"buster\": \"2.9.4+dfsg1-7+deb10u4\"},\n"
	"               \"urgency\": \"low\", \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"ignored\"},\n"
	"    \"sid\": {\"status\": \"open\", \"repositories\": {\"sid\": \"2.9.14+dfsg-1.3\"},\n"
	"            \"urgency\": \"not yet assigned\"}}},\n"
	"  \"CVE-2022-0002\": {\"description\": \"still being looked at\", \"scope\": \"local\", \"releases\": {\n"
	"    \"bullseye\": {\"status\": \"undetermined\", \"repositories\": {\"bullseye\": \"2.9.10+dfsg-6.7\"},\n"
	"                 \"urgency\": \"not yet assigned\"},\n"
	"    \"buster\": {\"status\": \"open\", \"repositories\": {\"buster\": \"2.9.4\"}, \"urgency\": \"low\",\n"
	"               \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"postponed\"},\n"
	"    \"stretch\": {\"status\": \"open\", \"repositories\": {\"stretch\": \"2.9.4\"},\n"
	"                \"urgency\": \"end-of-life\"}}},\n"
	"  \"TEMP-0000000-ABCDEF\": {\"description\": \"no CVE yet\", \"releases\": {\n"
	"    \"bullseye\": {\"status\": \"open\", \"repositories\": {\"bullseye\": \"2.9.10\"}, \"urgency\": \"low\"}}},\n"
	"  \"CVE-2022-0003\": {\"description\": \"malformed: no releases\"}\n"
	" },\n"
	" \"broken\": [1, 2],\n"
	" \"zlib\": {\"CVE-2018-25032\": {\"description\": \"deflate bug\", \"releases\": {\n"
	"    \"bullseye\": {\"status\": \"resolved\", \"fixed_version\": \"1:1.2.11.dfsg-2+deb11u1\",\n"
	"                 \"urgency\": \"high\", \"repositories\": {}}}}}\n"
	"}\n";

DD_TEST(debian_tracker_statuses)
{
	struct dd_vulndb_import_stats st = imp("debian.json", tracker_json);
	EXPECT_EQ_INT(st.records, 2);
	EXPECT_EQ_INT(st.skipped, 2); /* CVE-2022-0003 and "broken" */
	EXPECT_EQ_INT(st.per[0].files, 1);
	EXPECT_STR_EQ(st.per[0].importer, "debian-tracker");
	struct dd_vulndb *d = open_db();
	EXPECT_STR_EQ(rows_of(d, "debian:11", "libxml2"),
		      "CVE-2022-0001 debian-tracker fixed 2.9.10+dfsg-6.7+deb11u4 medium|"
		      "CVE-2022-0002 debian-tracker undetermined - -|"
		      "TEMP-0000000-ABCDEF debian-tracker affected - low|");
	EXPECT_STR_EQ(rows_of(d, "debian:12", "libxml2"), "CVE-2022-0001 debian-tracker not-affected - unimportant|");
	EXPECT_STR_EQ(rows_of(d, "debian:10", "libxml2"),
		      "CVE-2022-0001 debian-tracker will-not-fix - low|"
		      "CVE-2022-0002 debian-tracker affected - low|");
	EXPECT_STR_EQ(rows_of(d, "debian:9", "libxml2"), "CVE-2022-0002 debian-tracker end-of-life - end-of-life|");
	EXPECT_STR_EQ(rows_of(d, "debian:unstable", "libxml2"), "CVE-2022-0001 debian-tracker affected - -|");
	EXPECT_STR_EQ(rows_of(d, "debian:11", "zlib"), "CVE-2018-25032 debian-tracker fixed 1:1.2.11.dfsg-2+deb11u1 high|");
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(d, "CVE-2022-0001", a, &adv, &err), &err);
	EXPECT_STR_EQ(adv.summary, "heap overflow in xmlParse");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(d);

	/* A newer export replaces what the old one said about the package. */
	imp("debian2.json", "{\"libxml2\": {\"CVE-2022-0002\": {\"releases\": {\"bullseye\": {\"status\": "
			    "\"resolved\", \"fixed_version\": \"2.9.10+dfsg-6.7+deb11u5\", \"urgency\": \"low\"}}}}}");
	d = open_db();
	EXPECT_STR_EQ(rows_of(d, "debian:11", "libxml2"), "CVE-2022-0002 debian-tracker fixed 2.9.10+dfsg-6.7+deb11u5 low|");
	EXPECT_STR_EQ(rows_of(d, "debian:11", "zlib"), "CVE-2018-25032 debian-tracker fixed 1:1.2.11.dfsg-2+deb11u1 high|");
	dd_vulndb_close(d);
}

static const char dsa_list[] =
	"[29 Mar 2023] DSA-9001-1 libfoo - security update\n"
	"\t{CVE-2023-0001 CVE-2023-0002}\n"
	"\t[bullseye] - libfoo 1.2-3+deb11u1\n"
	"\t[buster] - libfoo <end-of-life> (unsupported)\n"
	"\tNOTE: text\n"
	"[28 Mar 2023] DSA-9000-2 libfoo - regression update\n"
	"\t[bullseye] - libfoo 1.2-3+deb11u2\n"
	"[garbage header\n"
	"        [jessie] - bar <not-affected> (Vulnerable code not present)\n"
	"[01 Jan 2010] DSA-1000-1 bar - security update\n"
	"        {CVE-2009-0001}\n"
	"        [lenny] - bar <not-affected> (Vulnerable code not present)\n"
	"        [etch] - bar 1.0-1etch1\n";

DD_TEST(dsa_list_entries)
{
	struct dd_vulndb_import_stats st = imp("DSA-list", dsa_list);
	EXPECT_EQ_INT(st.records, 3);
	EXPECT_EQ_INT(st.skipped, 1);
	struct dd_vulndb *d = open_db();
	EXPECT_STR_EQ(rows_of(d, "debian:11", "libfoo"),
		      "CVE-2023-0001 debian-dsa fixed 1.2-3+deb11u1 -|CVE-2023-0002 debian-dsa fixed 1.2-3+deb11u1 -|"
		      "DSA-9000-2 debian-dsa fixed 1.2-3+deb11u2 -|");
	EXPECT_STR_EQ(rows_of(d, "debian:10", "libfoo"),
		      "CVE-2023-0001 debian-dsa end-of-life - -|CVE-2023-0002 debian-dsa end-of-life - -|");
	EXPECT_STR_EQ(rows_of(d, "debian:5", "bar"), "CVE-2009-0001 debian-dsa not-affected - -|");
	EXPECT_STR_EQ(rows_of(d, "debian:4", "bar"), "CVE-2009-0001 debian-dsa fixed 1.0-1etch1 -|");
	dd_vulndb_close(d);
}

DD_TEST(dsa_list_gzip_by_content)
{
	const char *p = dd_test_write("DLA-list", dsa_list, strlen(dsa_list));
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "gzip -n -f '%s'", p);
	ASSERT_EQ_INT(dd_test_run(cmd, NULL), 0);
	char gz[8300];
	snprintf(gz, sizeof gz, "%s/DLA-list.gz", dd_test_tmpdir());
	const char *paths[] = { gz };
	struct dd_vulndb_import_stats st;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_import(db(), paths, 1, DD_VULNDB_CREATE, &st, &err), &err);
	EXPECT_EQ_INT(st.records, 3);
}

DD_TEST(alpine_secdb_mapping)
{
	struct dd_vulndb_import_stats st =
		imp("v3.10/main.json",
		    "{\"distroversion\": \"v3.10\", \"reponame\": \"main\", \"packages\": [\n"
		    " {\"pkg\": {\"name\": \"musl\", \"secfixes\": {\"1.1.22-r3\": [\"CVE-2019-14697\"],\n"
		    "   \"0\": [\"CVE-2016-0001\"], \"1.1.20-r5\": [\"CVE-2019-0001 CVE-2019-0002\", \"XSA-123 comment\"]}}},\n"
		    " {\"pkg\": {\"secfixes\": {}}},\n"
		    " {\"pkg\": {\"name\": \"zlib\", \"secfixes\": null}},\n"
		    " {\"pkg\": {\"name\": \"bad\", \"secfixes\": [1]}}]}");
	EXPECT_EQ_INT(st.records, 2);
	EXPECT_EQ_INT(st.skipped, 2);
	struct dd_vulndb *d = open_db();
	EXPECT_STR_EQ(rows_of(d, "alpine:v3.10", "musl"),
		      "CVE-2016-0001 alpine-secdb not-affected - -|CVE-2019-0001 alpine-secdb fixed 1.1.20-r5 -|"
		      "CVE-2019-0002 alpine-secdb fixed 1.1.20-r5 -|CVE-2019-14697 alpine-secdb fixed 1.1.22-r3 -|"
		      "XSA-123 alpine-secdb fixed 1.1.20-r5 -|");
	dd_vulndb_close(d);
}

DD_TEST(osv_record_mapping)
{
	imp("GHSA-aaaa-bbbb-cccc.json",
	    "{\"schema_version\": \"1.4.0\", \"id\": \"GHSA-aaaa-bbbb-cccc\", \"modified\": \"2024-01-02T00:00:00Z\",\n"
	    " \"published\": \"2024-01-01T00:00:00Z\", \"aliases\": [\"CVE-2024-0001\"], \"summary\": \"Prototype pollution\",\n"
	    " \"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],\n"
	    " \"affected\": [\n"
	    "  {\"package\": {\"ecosystem\": \"npm\", \"name\": \"left-pad\", \"purl\": \"pkg:npm/left-pad\"},\n"
	    "   \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"fixed\": \"1.3.0\"}, {\"introduced\": \"0\"}]}]},\n"
	    "  {\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"Foo_Bar.baz\"}, \"versions\": [\"1.0\", \"1.1\"]},\n"
	    "  {\"package\": {\"ecosystem\": \"Alpine:v3.16\", \"name\": \"musl\"},\n"
	    "   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"last_affected\": \"1.2\"}]}]},\n"
	    "  {\"package\": {\"ecosystem\": \"Ubuntu:22.04:LTS\", \"name\": \"zlib\"},\n"
	    "   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.2.11\"}]}]},\n"
	    "  {\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"zlib\"},\n"
	    "   \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"limit\": \"9\"}]}]}\n"
	    " ], \"database_specific\": {\"severity\": \"CRITICAL\", \"cwe_ids\": [\"CWE-1321\"]}}");
	struct dd_vulndb *d = open_db();
	EXPECT_STR_EQ(rows_of(d, "npm", "left-pad"), "GHSA-aaaa-bbbb-cccc osv ranges 1.3.0 -|");
	EXPECT_STR_EQ(rows_of(d, "PyPI", "foo-bar-baz"), "GHSA-aaaa-bbbb-cccc osv ranges - -|");
	EXPECT_STR_EQ(rows_of(d, "PyPI", "FOO.BAR__Baz"), "GHSA-aaaa-bbbb-cccc osv ranges - -|");
	EXPECT_STR_EQ(rows_of(d, "alpine:v3.16", "musl"), "GHSA-aaaa-bbbb-cccc osv ranges - -|");
	EXPECT_STR_EQ(rows_of(d, "ubuntu:22.04", "zlib"), "GHSA-aaaa-bbbb-cccc osv ranges 1.2.11 -|");
	EXPECT_STR_EQ(rows_of(d, "debian:12", "zlib"), "GHSA-aaaa-bbbb-cccc osv ranges - -|");
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(d, "CVE-2024-0001", a, &adv, &err), &err);
	EXPECT_STR_EQ(adv.id, "GHSA-aaaa-bbbb-cccc");
	EXPECT_STR_EQ(adv.summary, "Prototype pollution");
	ASSERT_EQ_INT(adv.nseverities, 2);
	bool cvss = false, vendor = false;
	for (size_t i = 0; i < adv.nseverities; i++) {
		if (strcmp(adv.severities[i].type, "CVSS_V3") == 0) {
			cvss = true;
			EXPECT_STR_EQ(adv.severities[i].version, "3.1");
			EXPECT_TRUE(adv.severities[i].score > 9.79 && adv.severities[i].score < 9.81);
		}
		if (strcmp(adv.severities[i].type, "vendor") == 0)
			vendor = strcmp(adv.severities[i].rating, "CRITICAL") == 0;
	}
	EXPECT_TRUE(cvss && vendor);
	ASSERT_EQ_INT(adv.ncwes, 1);
	EXPECT_STR_EQ(adv.cwes[0], "CWE-1321");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(d);
}

struct ev {
	char text[512];
};

static int ev_fn(const struct dd_vulndb_affected *a, void *ud)
{
	struct ev *e = ud;
	for (size_t r = 0; r < a->nranges; r++)
		for (size_t i = 0; i < a->ranges[r].nevents; i++) {
			size_t l = strlen(e->text);
			snprintf(e->text + l, sizeof e->text - l, "%d=%s,", (int)a->ranges[r].events[i].kind,
				 a->ranges[r].events[i].version);
		}
	for (size_t i = 0; i < a->nversions; i++) {
		size_t l = strlen(e->text);
		snprintf(e->text + l, sizeof e->text - l, "v%s,", a->versions[i]);
	}
	return 0;
}

DD_TEST(osv_events_keep_feed_order_and_kinds)
{
	imp("x.json", "{\"id\": \"OSV-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [\n"
		      "{\"package\": {\"ecosystem\": \"crates.io\", \"name\": \"c\"}, \"versions\": [\"0.1.0\"],\n"
		      " \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"fixed\": \"2\"}, {\"introduced\": \"1\"},\n"
		      "   {\"last_affected\": \"3\"}, {\"limit\": \"4\"}, {\"unknown\": \"5\"}]}]}]}");
	struct dd_vulndb *d = open_db();
	struct ev e = { "" };
	struct dd_err err;
	ASSERT_OK(dd_vulndb_each_affected(d, "crates.io", "c", ev_fn, &e, &err), &err);
	EXPECT_STR_EQ(e.text, "1=2,0=1,2=3,3=4,v0.1.0,");
	dd_vulndb_close(d);
}

DD_TEST(osv_yaml_record)
{
	struct dd_vulndb_import_stats st =
		imp("PYSEC-2099-1.yaml", "id: PYSEC-2099-1\nmodified: 2024-01-01T00:00:00Z\naliases:\n- CVE-2099-1\n"
					 "affected:\n- package:\n    name: Jinja2\n    ecosystem: PyPI\n  ranges:\n"
					 "  - type: ECOSYSTEM\n    events:\n    - introduced: \"0\"\n    - fixed: 2.0\n");
	EXPECT_EQ_INT(st.records, 1);
	struct dd_vulndb *d = open_db();
	EXPECT_STR_EQ(rows_of(d, "PyPI", "jinja2"), "PYSEC-2099-1 osv ranges 2.0 -|");
	dd_vulndb_close(d);
}

DD_TEST(malformed_records_are_counted_not_fatal)
{
	struct dd_vulndb_import_stats st =
		imp("osv.json", "[{\"id\": \"OSV-1\", \"modified\": \"x\", \"affected\": []},\n"
				" {\"modified\": \"no id\"}, 42, {\"id\": \"OSV-2\", \"affected\": {}},\n"
				" {\"id\": \"OSV-3\", \"modified\": \"x\"}]");
	EXPECT_EQ_INT(st.records, 2);
	EXPECT_EQ_INT(st.skipped, 3);
	/* A file broken half-way keeps what came before it, and the run goes on. */
	st = imp("kev.json", "{\"catalogVersion\": \"1\", \"vulnerabilities\": [\n"
			     "{\"cveID\": \"CVE-2020-0001\", \"dateAdded\": \"2021-11-03\", \"dueDate\": \"2022-05-03\",\n"
			     " \"knownRansomwareCampaignUse\": \"Unknown\"},\n"
			     "{\"cveID\": \"nope\", \"dateAdded\": \"2021-11-03\"},\n"
			     "{\"cveID\": \"CVE-2020-0002\", \"dateAdded\": \"yesterday\"},\n"
			     "{\"cveID\": \"CVE-2020-0003\", \"dateAdded\": \"2021-11-03\"}, {\"cve");
	EXPECT_EQ_INT(st.records, 2);
	EXPECT_EQ_INT(st.skipped, 2);
	EXPECT_EQ_INT(st.files_failed, 1);
	struct dd_vulndb *d = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(d, "CVE-2020-0001", a, &adv, &err), &err);
	EXPECT_TRUE(adv.kev);
	EXPECT_TRUE(!adv.kev_ransomware);
	EXPECT_STR_EQ(adv.kev_due, "2022-05-03");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(d);
}

static const char epss_csv[] = "#model_version:v2023.03.01,score_date:2024-05-01T00:00:00+0000\n"
			       "cve,epss,percentile\n"
			       "CVE-2021-44228,0.97565,0.99996\n"
			       "CVE-2020-0001,0.00043,0.0912\n"
			       "CVE-2020-0002,1.5,0.5\n"
			       "junk\n"
			       "CVE-2020-0003,0.1,0.2\r\n";

DD_TEST(epss_csv_plain_and_gzip)
{
	struct dd_vulndb_import_stats st = imp("epss.csv", epss_csv);
	EXPECT_EQ_INT(st.records, 3);
	EXPECT_EQ_INT(st.skipped, 2);
	const char *p = dd_test_write("e2/epss_scores-2024-05-01.csv", epss_csv, strlen(epss_csv));
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "gzip -n -f '%s'", p);
	ASSERT_EQ_INT(dd_test_run(cmd, NULL), 0);
	char gz[8300];
	snprintf(gz, sizeof gz, "%s/e2/epss_scores-2024-05-01.csv.gz", dd_test_tmpdir());
	const char *paths[] = { gz };
	struct dd_err err;
	ASSERT_OK(dd_vulndb_import(db(), paths, 1, DD_VULNDB_CREATE, &st, &err), &err);
	EXPECT_EQ_INT(st.records, 3);
	struct dd_vulndb *d = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	ASSERT_OK(dd_vulndb_advisory(d, "CVE-2021-44228", a, &adv, &err), &err);
	EXPECT_TRUE(adv.epss > 0.975 && adv.epss < 0.976);
	EXPECT_TRUE(adv.epss_percentile > 0.9999);
	EXPECT_STR_EQ(adv.epss_date, "2024-05-01");
	struct dd_vulndb_info info;
	ASSERT_OK(dd_vulndb_info(d, a, &info, &err), &err);
	EXPECT_EQ_INT(info.epss, 3); /* a snapshot replaces, not adds */
	dd_vulndb_arena_free(a);
	dd_vulndb_close(d);
}

DD_TEST(nvd_api_page_and_rejected)
{
	struct dd_vulndb_import_stats st = imp(
		"page.json",
		"{\"resultsPerPage\": 2, \"startIndex\": 0, \"totalResults\": 2, \"format\": \"NVD_CVE\",\n"
		" \"version\": \"2.0\", \"vulnerabilities\": [\n"
		" {\"cve\": {\"id\": \"CVE-2024-1000\", \"published\": \"2024-01-01T00:00:00.000\",\n"
		"  \"lastModified\": \"2024-02-01T00:00:00.000\", \"vulnStatus\": \"Analyzed\",\n"
		"  \"descriptions\": [{\"lang\": \"es\", \"value\": \"hola\"}, {\"lang\": \"en\", \"value\": \"hello\"}],\n"
		"  \"metrics\": {\"cvssMetricV40\": [{\"source\": \"cna@example.org\", \"type\": \"Secondary\",\n"
		"     \"cvssData\": {\"version\": \"4.0\", \"vectorString\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\",\n"
		"      \"baseScore\": 9.3, \"baseSeverity\": \"CRITICAL\"}}],\n"
		"   \"cvssMetricV31\": [{\"source\": \"nvd@nist.gov\", \"type\": \"Primary\", \"cvssData\": {\"version\": \"3.1\",\n"
		"      \"vectorString\": \"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N\", \"baseScore\": 5.5,\n"
		"      \"baseSeverity\": \"MEDIUM\"}}]},\n"
		"  \"weaknesses\": [{\"description\": [{\"lang\": \"en\", \"value\": \"NVD-CWE-noinfo\"},\n"
		"     {\"lang\": \"en\", \"value\": \"CWE-125\"}]}]}},\n"
		" {\"cve\": {\"id\": \"CVE-2024-1001\", \"vulnStatus\": \"Rejected\", \"lastModified\": \"2024-03-01T00:00:00.000\"}},\n"
		" {\"cve\": {\"id\": \"GHSA-not-a-cve\"}}]}");
	EXPECT_EQ_INT(st.records, 2);
	EXPECT_EQ_INT(st.skipped, 1);
	struct dd_vulndb *d = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(d, "CVE-2024-1000", a, &adv, &err), &err);
	EXPECT_STR_EQ(adv.summary, "hello");
	ASSERT_EQ_INT(adv.nseverities, 2);
	EXPECT_STR_EQ(adv.severities[0].source, "nvd");
	EXPECT_STR_EQ(adv.severities[1].source, "nvd-cna");
	EXPECT_STR_EQ(adv.severities[1].version, "4.0");
	EXPECT_TRUE(adv.severities[1].score > 9.29 && adv.severities[1].score < 9.31);
	ASSERT_EQ_INT(adv.ncwes, 1);
	EXPECT_STR_EQ(adv.cwes[0], "CWE-125");
	ASSERT_OK(dd_vulndb_advisory(d, "CVE-2024-1001", a, &adv, &err), &err);
	EXPECT_STR_EQ(adv.withdrawn, "2024-03-01T00:00:00.000");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(d);
}

DD_TEST(unknown_files_and_archives)
{
	imp("dir/README.md", "# nothing to see\n");
	const char *k = dd_test_write("dir/sub/kev.json",
				      "{\"catalogVersion\": \"1\", \"vulnerabilities\": [{\"cveID\": \"CVE-2020-0001\","
				      " \"dateAdded\": \"2021-11-03\"}]}",
				      strlen("{\"catalogVersion\": \"1\", \"vulnerabilities\": [{\"cveID\": \"CVE-2020-0001\","
					     " \"dateAdded\": \"2021-11-03\"}]}"));
	(void)k;
	dd_test_write("dir/empty.json", "", 0);
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "cd '%s' && tar czf feeds.tar.gz dir && (command -v zip >/dev/null || exit 0)",
		 dd_test_tmpdir());
	ASSERT_EQ_INT(dd_test_run(cmd, NULL), 0);
	char dir[8300], tgz[8300];
	snprintf(dir, sizeof dir, "%s/dir", dd_test_tmpdir());
	snprintf(tgz, sizeof tgz, "%s/feeds.tar.gz", dd_test_tmpdir());
	const char *paths[] = { dir, tgz };
	struct dd_vulndb_import_stats st;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_import(db(), paths, 2, DD_VULNDB_CREATE, &st, &err), &err);
	EXPECT_EQ_INT(st.records, 2);
	EXPECT_EQ_INT(st.files_unrecognised, 3); /* README.md twice, the empty member */
	const char *missing[] = { "/nonexistent/feed.json" };
	EXPECT_EQ_INT(dd_vulndb_import(db(), missing, 1, DD_VULNDB_CREATE, &st, &err), DD_ENOTFOUND);
}

DD_TEST(schema_version_is_checked)
{
	imp("kev.json", "{\"catalogVersion\": \"1\", \"vulnerabilities\": []}");
	struct dd_vulndb *d;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_open(db(), &d, &err), &err);
	EXPECT_TRUE(dd_vulndb_built_at(d) != NULL);
	dd_vulndb_close(d);
	sqlite3 *s;
	ASSERT_EQ_INT(sqlite3_open(db(), &s), SQLITE_OK);
	ASSERT_EQ_INT(sqlite3_exec(s, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", 0, 0, 0), SQLITE_OK);
	sqlite3_close(s);
	EXPECT_EQ_INT(dd_vulndb_open(db(), &d, &err), DD_ESCHEMA);
	EXPECT_TRUE(strstr(err.msg, "schema version 99") != NULL);
	EXPECT_TRUE(strstr(err.msg, "drydock db update") != NULL);
	/* Importing into it is refused too. */
	const char *p = dd_test_write("k2.json", "{\"catalogVersion\": \"1\", \"vulnerabilities\": []}", 46);
	const char *paths[] = { p };
	EXPECT_EQ_INT(dd_vulndb_import(db(), paths, 1, DD_VULNDB_CREATE, NULL, &err), DD_ESCHEMA);
	/* Not a SQLite file at all. */
	const char *junk = dd_test_write("junk.db", "hello", 5);
	EXPECT_TRUE(dd_vulndb_open(junk, &d, &err) != DD_OK);
	char absent[8300];
	snprintf(absent, sizeof absent, "%s/none.db", dd_test_tmpdir());
	EXPECT_EQ_INT(dd_vulndb_open(absent, &d, &err), DD_ENOTFOUND);
	EXPECT_TRUE(strstr(err.msg, "drydock db update") != NULL);
}

DD_TEST(failed_import_leaves_db_unchanged)
{
	imp("kev.json", "{\"catalogVersion\": \"1\", \"vulnerabilities\": [{\"cveID\": \"CVE-2020-0001\","
			" \"dateAdded\": \"2021-11-03\"}]}");
	/* An allocation failure in the middle of a second import: DD_ENOMEM,
	 * and the first import's data is all still there, nothing of the second. */
	const char *p = dd_test_write("osv.json", "[{\"id\": \"OSV-1\", \"affected\": [{\"package\": {\"ecosystem\":"
				      " \"npm\", \"name\": \"a\"}, \"versions\": [\"1\"]}]}]",
				      strlen("[{\"id\": \"OSV-1\", \"affected\": [{\"package\": {\"ecosystem\":"
					     " \"npm\", \"name\": \"a\"}, \"versions\": [\"1\"]}]}]"));
	const char *paths[] = { p };
	int failures = 0;
	for (unsigned long n = 1; n < 400; n++) {
		struct dd_err err;
		dd_alloc_fail_at(n);
		dd_code rc = dd_vulndb_import(db(), paths, 1, 0, NULL, &err);
		dd_alloc_fail_at(0);
		if (rc == DD_OK)
			break;
		if (rc != DD_ENOMEM)
			dd_test_fail(__FILE__, __LINE__, "allocation %lu: %s", n, err.msg);
		failures++;
		struct dd_vulndb *d = open_db();
		EXPECT_TRUE(rows_of(d, "npm", "a")[0] == '\0');
		struct dd_arena *a = dd_vulndb_arena_new();
		struct dd_vulndb_advisory adv;
		EXPECT_EQ_INT(dd_vulndb_advisory(d, "CVE-2020-0001", a, &adv, &err), DD_OK);
		dd_vulndb_arena_free(a);
		dd_vulndb_close(d);
	}
	EXPECT_TRUE(failures > 0);
	struct dd_vulndb *d = open_db();
	EXPECT_STR_EQ(rows_of(d, "npm", "a"), "OSV-1 osv ranges - -|");
	dd_vulndb_close(d);
}

DD_TEST(cvss_scores)
{
	EXPECT_TRUE(vdb_cvss_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8);
	EXPECT_TRUE(vdb_cvss_score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L") == 5.6);
	EXPECT_TRUE(vdb_cvss_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N") == 6.1);
	EXPECT_TRUE(vdb_cvss_score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N") == 5.5);
	EXPECT_TRUE(vdb_cvss_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H") == 10.0);
	EXPECT_TRUE(vdb_cvss_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == 0.0);
	EXPECT_TRUE(vdb_cvss_score("AV:N/AC:L/Au:N/C:P/I:P/A:P") == 7.5);
	EXPECT_TRUE(vdb_cvss_score("AV:N/AC:M/Au:N/C:P/I:P/A:P") == 6.8);
	EXPECT_TRUE(vdb_cvss_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") < 0);
	EXPECT_TRUE(vdb_cvss_score("CVSS:3.1/AV:X/AC:L") < 0);
	EXPECT_TRUE(vdb_cvss_score("garbage") < 0);
}

DD_TEST(namespaces_for_distros)
{
	char b[64];
	EXPECT_TRUE(dd_vulndb_namespace_for_distro("alpine", "3.10.4", NULL, b, sizeof b));
	EXPECT_STR_EQ(b, "alpine:v3.10");
	EXPECT_TRUE(dd_vulndb_namespace_for_distro("alpine", "3.21_alpha20240807", NULL, b, sizeof b));
	EXPECT_STR_EQ(b, "alpine:v3.21");
	EXPECT_TRUE(dd_vulndb_namespace_for_distro("debian", NULL, "bullseye", b, sizeof b));
	EXPECT_STR_EQ(b, "debian:11");
	EXPECT_TRUE(dd_vulndb_namespace_for_distro("debian", "12", "bookworm", b, sizeof b));
	EXPECT_STR_EQ(b, "debian:12");
	EXPECT_TRUE(dd_vulndb_namespace_for_distro("ubuntu", "22.04", "jammy", b, sizeof b));
	EXPECT_STR_EQ(b, "ubuntu:22.04");
	EXPECT_TRUE(dd_vulndb_namespace_for_distro("rocky", "9.3", NULL, b, sizeof b));
	EXPECT_STR_EQ(b, "rocky:9");
	EXPECT_TRUE(!dd_vulndb_namespace_for_distro("plan9", "4", NULL, b, sizeof b));
	EXPECT_TRUE(!dd_vulndb_namespace_for_distro("alpine", "3.10.4", NULL, b, 4));
}

DD_TEST(default_path_and_age)
{
	setenv("DRYDOCK_DB", "/x/y.db", 1);
	struct dd_err err;
	char *p = dd_vulndb_default_path(&err);
	EXPECT_STR_EQ(p, "/x/y.db");
	free(p);
	unsetenv("DRYDOCK_DB");
	setenv("XDG_DATA_HOME", "/data", 1);
	p = dd_vulndb_default_path(&err);
	EXPECT_STR_EQ(p, "/data/drydock/vuln.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	p = dd_vulndb_default_path(&err);
	EXPECT_STR_EQ(p, "/home/u/.local/share/drydock/vuln.db");
	free(p);
	EXPECT_TRUE(dd_vulndb_age_days("2000-01-01T00:00:00Z") > 9000);
	EXPECT_TRUE(dd_vulndb_age_days("yesterday") < 0);
}

DD_TEST(importer_names_and_buffer_import)
{
	const char *const *names = dd_vulndb_importers();
	int n = 0;
	while (names[n])
		n++;
	EXPECT_EQ_INT(n, 7);
	struct dd_vulndb_import_stats st;
	struct dd_err err;
	const char *kev = "{\"catalogVersion\": \"1\", \"vulnerabilities\": [{\"cveID\": \"CVE-2020-0001\","
			  " \"dateAdded\": \"2021-11-03\"}]}";
	ASSERT_OK(dd_vulndb_import_buffer(db(), "kev", "kev.json", kev, strlen(kev), &st, &err), &err);
	EXPECT_EQ_INT(st.records, 1);
	ASSERT_OK(dd_vulndb_import_buffer(db(), NULL, "kev.json", kev, strlen(kev), &st, &err), &err);
	EXPECT_EQ_INT(st.records, 1);
	EXPECT_EQ_INT(dd_vulndb_import_buffer(db(), "nope", "x", kev, 1, &st, &err), DD_EUSAGE);
}
