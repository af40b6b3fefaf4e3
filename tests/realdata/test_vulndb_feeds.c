/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every importer against the real feeds in ../shared/data/vulndb (read by
 * path, never copied): record counts per feed and specific records looked
 * up through the public API, the way the matcher will.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/vulndb.h"
#include "dd_test.h"

static char db_path[4200];

static struct dd_vulndb_import_stats import1(const char *rel)
{
	struct dd_vulndb_import_stats st;
	struct dd_err err;
	snprintf(db_path, sizeof db_path, "%s/vuln.db", dd_test_tmpdir());
	const char *path = dd_test_shared(rel);
	const char *paths[] = { path };
	dd_code rc = dd_vulndb_import(db_path, paths, 1, DD_VULNDB_CREATE, &st, &err);
	if (rc != DD_OK) {
		dd_test_fail(__FILE__, __LINE__, "import %s: %s", rel, err.msg);
		dd_test_abort();
	}
	return st;
}

static struct dd_vulndb *open_db(void)
{
	struct dd_vulndb *db;
	struct dd_err err;
	dd_code rc = dd_vulndb_open(db_path, &db, &err);
	if (rc != DD_OK) {
		dd_test_fail(__FILE__, __LINE__, "open: %s", err.msg);
		dd_test_abort();
	}
	return db;
}

static unsigned long long records_of(const struct dd_vulndb_import_stats *st, const char *imp)
{
	for (size_t i = 0; i < st->nper; i++)
		if (strcmp(st->per[i].importer, imp) == 0)
			return st->per[i].records;
	return 0;
}

/* Collects affected rows into a text list "ADV status fixed|...". */
struct collect {
	char text[65536];
	size_t n;
	const char *want_adv;
	struct dd_vulndb_affected copy; /* of want_adv's first row (strings not kept) */
	char ranges[1024];
	bool found;
};

static int collect_fn(const struct dd_vulndb_affected *a, void *ud)
{
	struct collect *c = ud;
	size_t left = sizeof c->text - strlen(c->text);
	snprintf(c->text + strlen(c->text), left, "%s %s %s|", a->advisory, dd_vulndb_status_name(a->status),
		 a->fixed ? a->fixed : "-");
	c->n++;
	if (c->want_adv && !c->found && strcmp(a->advisory, c->want_adv) == 0) {
		c->found = true;
		c->copy = *a;
		c->ranges[0] = '\0';
		for (size_t r = 0; r < a->nranges; r++) {
			size_t l = strlen(c->ranges);
			snprintf(c->ranges + l, sizeof c->ranges - l, "%s:", a->ranges[r].type ? a->ranges[r].type : "?");
			for (size_t e = 0; e < a->ranges[r].nevents; e++) {
				static const char *const k[] = { "introduced", "fixed", "last_affected", "limit" };
				l = strlen(c->ranges);
				snprintf(c->ranges + l, sizeof c->ranges - l, "%s=%s,", k[a->ranges[r].events[e].kind],
					 a->ranges[r].events[e].version);
			}
			l = strlen(c->ranges);
			snprintf(c->ranges + l, sizeof c->ranges - l, ";");
		}
		c->copy.advisory = c->copy.source = c->copy.namespace_ = c->copy.package = c->copy.purl = NULL;
		c->copy.fixed = c->copy.severity = c->copy.ecosystem_specific = c->copy.database_specific = NULL;
		c->copy.ranges = NULL;
		c->copy.versions = NULL;
	}
	return 0;
}

static struct collect *lookup(struct dd_vulndb *db, const char *ns, const char *pkg, const char *adv)
{
	static struct collect c;
	memset(&c, 0, sizeof c);
	c.want_adv = adv;
	struct dd_err err;
	dd_code rc = dd_vulndb_each_affected(db, ns, pkg, collect_fn, &c, &err);
	if (rc != DD_OK)
		dd_test_fail(__FILE__, __LINE__, "lookup %s %s: %s", ns, pkg, err.msg);
	return &c;
}

DD_TEST(alpine_secdb_v310_json)
{
	struct dd_vulndb_import_stats st = import1("vulndb/alpine-secdb/v3.10/main.json");
	EXPECT_EQ_INT(records_of(&st, "alpine-secdb"), 166);
	EXPECT_EQ_INT(st.skipped, 0);
	struct dd_vulndb *db = open_db();
	struct collect *c = lookup(db, "alpine:v3.10", "musl", "CVE-2019-14697");
	EXPECT_TRUE(c->found);
	EXPECT_TRUE(strstr(c->text, "CVE-2019-14697 fixed 1.1.22-r3|") != NULL);
	EXPECT_EQ_INT(c->copy.status, DD_VULNDB_FIXED);
	EXPECT_STR_EQ(c->ranges, "ECOSYSTEM:introduced=0,fixed=1.1.22-r3,;");
	/* Namespaces are exact: nothing under another branch. */
	EXPECT_EQ_INT(lookup(db, "alpine:v3.9", "musl", NULL)->n, 0);
	EXPECT_TRUE(dd_vulndb_has_namespace(db, "alpine:v3.10"));
	EXPECT_TRUE(!dd_vulndb_has_namespace(db, "alpine:v3.11"));
	dd_vulndb_close(db);
}

DD_TEST(alpine_secdb_yaml_matches_json)
{
	struct dd_vulndb_import_stats st = import1("vulndb/alpine-secdb/v3.10/main.yaml");
	EXPECT_EQ_INT(records_of(&st, "alpine-secdb"), 166);
	struct dd_vulndb *db = open_db();
	struct collect *c = lookup(db, "alpine:v3.10", "musl", "CVE-2019-14697");
	EXPECT_TRUE(strstr(c->text, "CVE-2019-14697 fixed 1.1.22-r3|") != NULL);
	dd_vulndb_close(db);
}

DD_TEST(alpine_secdb_all_branches)
{
	struct dd_vulndb_import_stats st = import1("vulndb/alpine-secdb");
	/* v3.3 ... v3.10, main + community, JSON and YAML of each. */
	EXPECT_EQ_INT(st.per[0].files, 32);
	EXPECT_EQ_INT(st.skipped, 0);
	struct dd_vulndb *db = open_db();
	for (int minor = 3; minor <= 10; minor++) {
		char ns[32];
		snprintf(ns, sizeof ns, "alpine:v3.%d", minor);
		EXPECT_TRUE(dd_vulndb_has_namespace(db, ns));
	}
	dd_vulndb_close(db);
}

DD_TEST(alpine_secdb_final)
{
	import1("vulndb/alpine-secdb-final/v3.10/main.json");
	struct dd_vulndb *db = open_db();
	struct collect *c = lookup(db, "alpine:v3.10", "musl", "CVE-2020-28928");
	EXPECT_TRUE(strstr(c->text, "CVE-2020-28928 fixed 1.1.22-r4|") != NULL);
	EXPECT_EQ_INT(c->n, 3);
	EXPECT_EQ_INT(lookup(db, "alpine:v3.10", "openssl", NULL)->n, 14);
	EXPECT_EQ_INT(lookup(db, "alpine:v3.10", "busybox", NULL)->n, 7);
	EXPECT_EQ_INT(lookup(db, "alpine:v3.10", "apk-tools", NULL)->n, 4);
	dd_vulndb_close(db);
}

DD_TEST(kev_catalog)
{
	struct dd_vulndb_import_stats st = import1("vulndb/kev.json");
	EXPECT_EQ_INT(records_of(&st, "kev"), 1404);
	EXPECT_EQ_INT(st.skipped, 0);
	struct dd_vulndb *db = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(db, "CVE-2021-44228", a, &adv, &err), &err);
	EXPECT_TRUE(adv.kev);
	EXPECT_STR_EQ(adv.kev_added, "2021-12-10");
	EXPECT_STR_EQ(adv.kev_due, "2021-12-24");
	EXPECT_TRUE(adv.kev_ransomware);
	EXPECT_EQ_INT(dd_vulndb_advisory(db, "CVE-1999-99999", a, &adv, &err), DD_ENOTFOUND);
	struct dd_vulndb_info info;
	ASSERT_OK(dd_vulndb_info(db, a, &info, &err), &err);
	EXPECT_EQ_INT(info.kev, 1404);
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
}

static const struct dd_vulndb_severity *find_sev(const struct dd_vulndb_advisory *adv, const char *source,
						 const char *version)
{
	for (size_t i = 0; i < adv->nseverities; i++)
		if (strcmp(adv->severities[i].source, source) == 0 && adv->severities[i].version &&
		    strcmp(adv->severities[i].version, version) == 0)
			return &adv->severities[i];
	return NULL;
}

DD_TEST(nvd_api20_records)
{
	struct dd_vulndb_import_stats st = import1("vulndb/nvd/records.jsonl.gz");
	EXPECT_EQ_INT(records_of(&st, "nvd"), 19);
	EXPECT_EQ_INT(st.skipped, 0);
	struct dd_vulndb *db = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(db, "CVE-2019-14697", a, &adv, &err), &err);
	const struct dd_vulndb_severity *s = find_sev(&adv, "nvd", "3.1");
	ASSERT_TRUE(s != NULL);
	EXPECT_STR_EQ(s->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	EXPECT_TRUE(s->score > 9.79 && s->score < 9.81);
	EXPECT_STR_EQ(s->rating, "CRITICAL");
	s = find_sev(&adv, "nvd", "2.0");
	ASSERT_TRUE(s != NULL);
	EXPECT_STR_EQ(s->vector, "AV:N/AC:L/Au:N/C:P/I:P/A:P");
	ASSERT_EQ_INT(adv.ncwes, 1);
	EXPECT_STR_EQ(adv.cwes[0], "CWE-787");
	EXPECT_TRUE(adv.summary != NULL);
	EXPECT_TRUE(adv.nreferences > 0);
	/* CVE-2016-8859 has only a v3.0 metric. */
	ASSERT_OK(dd_vulndb_advisory(db, "CVE-2016-8859", a, &adv, &err), &err);
	s = find_sev(&adv, "nvd", "3.0");
	ASSERT_TRUE(s != NULL);
	EXPECT_STR_EQ(s->vector, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
}

DD_TEST(nvd_legacy_11_records)
{
	struct dd_vulndb_import_stats st = import1("vulndb/nvd/records-vulnlist.jsonl.gz");
	EXPECT_EQ_INT(records_of(&st, "nvd"), 24);
	EXPECT_EQ_INT(st.skipped, 0);
	struct dd_vulndb *db = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(db, "CVE-2020-7598", a, &adv, &err), &err);
	const struct dd_vulndb_severity *s = find_sev(&adv, "nvd", "3.1");
	ASSERT_TRUE(s != NULL);
	EXPECT_STR_EQ(s->vector, "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L");
	EXPECT_TRUE(s->score > 5.59 && s->score < 5.61);
	ASSERT_EQ_INT(adv.ncwes, 1);
	EXPECT_STR_EQ(adv.cwes[0], "CWE-1321");
	EXPECT_STR_EQ(adv.published, "2020-03-11T23:15Z");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
}

DD_TEST(osv_go_archive)
{
	struct dd_vulndb_import_stats st = import1("vulndb/osv-go/golang-vulndb-osv.tar.gz");
	EXPECT_EQ_INT(records_of(&st, "osv"), 4291);
	EXPECT_EQ_INT(st.skipped, 0);
	struct dd_vulndb *db = open_db();
	struct collect *c = lookup(db, "Go", "stdlib", "GO-2022-0493");
	ASSERT_TRUE(c->found);
	EXPECT_EQ_INT(c->copy.status, DD_VULNDB_RANGES);
	EXPECT_STR_EQ(c->ranges, "SEMVER:introduced=0,fixed=1.17.10,introduced=1.18.0-0,fixed=1.18.2,;");
	c = lookup(db, "Go", "golang.org/x/sys", "GO-2022-0493");
	ASSERT_TRUE(c->found);
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(db, "GO-2022-0493", a, &adv, &err), &err);
	EXPECT_EQ_INT(adv.naliases, 2);
	EXPECT_STR_EQ(adv.aliases[0], "CVE-2022-29526");
	EXPECT_STR_EQ(adv.aliases[1], "GHSA-p782-xgp4-8hr8");
	/* By alias: the CVE finds the Go record. */
	ASSERT_OK(dd_vulndb_advisory(db, "CVE-2022-29526", a, &adv, &err), &err);
	EXPECT_STR_EQ(adv.id, "GO-2022-0493");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
}

static int eco_fn(const struct dd_vulndb_affected *a, void *ud)
{
	if (strcmp(a->advisory, "GO-2022-0493") == 0 && a->ecosystem_specific)
		*(int *)ud = strstr(a->ecosystem_specific, "\"Faccessat\"") != NULL;
	return 0;
}

DD_TEST(osv_go_ecosystem_specific_kept)
{
	import1("vulndb/osv-go/golang-vulndb-osv.tar.gz");
	struct dd_vulndb *db = open_db();
	int has = 0;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_each_affected(db, "Go", "stdlib", eco_fn, &has, &err), &err);
	EXPECT_TRUE(has);
	dd_vulndb_close(db);
}

static int versions_fn(const struct dd_vulndb_affected *a, void *ud)
{
	if (strcmp(a->advisory, "PYSEC-2014-8") == 0) {
		int *n = ud;
		*n = (int)a->nversions;
		if (a->nversions && strcmp(a->versions[0], "2.0") != 0)
			*n = -1;
	}
	return 0;
}

DD_TEST(osv_pypi_yaml_archive)
{
	struct dd_vulndb_import_stats st = import1("vulndb/osv-pypi/pypa-advisory-database-vulns.tar.gz");
	EXPECT_EQ_INT(records_of(&st, "osv"), 2661);
	/* PYSEC-2022-15 (loguru) names a package with no ranges or versions. */
	EXPECT_EQ_INT(st.skipped, 1);
	EXPECT_EQ_INT(st.files_unrecognised, 1); /* .id-allocator */
	struct dd_vulndb *db = open_db();
	int nver = 0;
	struct dd_err err;
	/* PEP 503: "Jinja2" and "jinja2" are one project. */
	ASSERT_OK(dd_vulndb_each_affected(db, "PyPI", "Jinja2", versions_fn, &nver, &err), &err);
	EXPECT_EQ_INT(nver, 19);
	dd_vulndb_close(db);
}

DD_TEST(osv_npm_ghsa)
{
	struct dd_vulndb_import_stats st = import1("vulndb/osv-npm/github-advisory-database-npm-osv.tar.gz");
	EXPECT_EQ_INT(records_of(&st, "osv"), 59);
	struct dd_vulndb *db = open_db();
	/* npm names are case-sensitive: GHSA-8hc4-vh64-cxmj names "Axios". */
	EXPECT_TRUE(strstr(lookup(db, "npm", "axios", NULL)->text, "GHSA-8hc4-vh64-cxmj") == NULL);
	EXPECT_TRUE(strstr(lookup(db, "npm", "Axios", NULL)->text, "GHSA-8hc4-vh64-cxmj") != NULL);
	struct collect *c = lookup(db, "npm", "minimist", "GHSA-7fhm-mqm4-2wp7");
	ASSERT_TRUE(c->found);
	EXPECT_TRUE(c->copy.withdrawn);
	/* Only npm entries under npm; the NuGet jQuery entry is its own namespace. */
	EXPECT_TRUE(lookup(db, "NuGet", "jquery", NULL)->n > 0);
	/* last_affected events survive. */
	c = lookup(db, "npm", "follow-redirects", "GHSA-29mw-wpgm-hmr9");
	dd_vulndb_close(db);
}

DD_TEST(enrichment_ghsa_by_nvd_alias)
{
	struct dd_err err;
	struct dd_vulndb_import_stats st;
	snprintf(db_path, sizeof db_path, "%s/vuln.db", dd_test_tmpdir());
	const char *paths[] = { dd_test_shared("vulndb/osv-npm/GHSA-vh95-rmgr-6w4m.json"),
				dd_test_shared("vulndb/nvd/records-vulnlist.jsonl.gz"),
				dd_test_shared("vulndb/kev.json") };
	ASSERT_OK(dd_vulndb_import(db_path, paths, 3, DD_VULNDB_CREATE, &st, &err), &err);
	struct dd_vulndb *db = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	ASSERT_OK(dd_vulndb_advisory(db, "GHSA-vh95-rmgr-6w4m", a, &adv, &err), &err);
	bool alias = false;
	for (size_t i = 0; i < adv.naliases; i++)
		alias |= strcmp(adv.aliases[i], "CVE-2020-7598") == 0;
	EXPECT_TRUE(alias);
	const struct dd_vulndb_severity *s = find_sev(&adv, "nvd", "3.1");
	ASSERT_TRUE(s != NULL);
	EXPECT_STR_EQ(s->advisory, "CVE-2020-7598");
	EXPECT_STR_EQ(s->vector, "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L");
	/* GitHub's own rating is kept too. */
	bool vendor = false;
	for (size_t i = 0; i < adv.nseverities; i++)
		vendor |= strcmp(adv.severities[i].type, "vendor") == 0 && adv.severities[i].rating != NULL;
	EXPECT_TRUE(vendor);
	bool cwe = false;
	for (size_t i = 0; i < adv.ncwes; i++)
		cwe |= strcmp(adv.cwes[i], "CWE-1321") == 0;
	EXPECT_TRUE(cwe);
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
}

DD_TEST(debian_dsa_dla_lists)
{
	struct dd_vulndb_import_stats st = import1("vulndb/debian-security-tracker");
	EXPECT_EQ_INT(records_of(&st, "debian-dsa"), 5406 + 3534);
	EXPECT_EQ_INT(st.skipped, 0);
	struct dd_vulndb *db = open_db();
	struct collect *c = lookup(db, "debian:11", "xorg-server", "CVE-2023-1393");
	ASSERT_TRUE(c->found);
	EXPECT_TRUE(strstr(c->text, "CVE-2023-1393 fixed 2:1.20.11-1+deb11u6|") != NULL);
	/* DLA: buster is debian:10. */
	c = lookup(db, "debian:10", "systemd", "CVE-2023-26604");
	EXPECT_TRUE(strstr(c->text, "CVE-2023-26604 fixed 241-7~deb10u9|") != NULL);
	/* <end-of-life> lines. */
	c = lookup(db, "debian:8", "virtualbox", NULL);
	EXPECT_TRUE(strstr(c->text, "end-of-life") != NULL);
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_advisory adv;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_advisory(db, "CVE-2023-1393", a, &adv, &err), &err);
	bool dsa = false;
	for (size_t i = 0; i < adv.naliases; i++)
		dsa |= strcmp(adv.aliases[i], "DSA-5380-1") == 0;
	EXPECT_TRUE(dsa);
	ASSERT_OK(dd_vulndb_advisory(db, "DSA-5380-1", a, &adv, &err), &err);
	EXPECT_STR_EQ(adv.published, "2023-03-29");
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
}

DD_TEST(everything_at_once_and_reimport_is_stable)
{
	struct dd_vulndb_import_stats st = import1("vulndb");
	EXPECT_EQ_INT(st.files_failed, 0);
	struct dd_vulndb *db = open_db();
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_info i1, i2;
	struct dd_err err;
	ASSERT_OK(dd_vulndb_info(db, a, &i1, &err), &err);
	dd_vulndb_close(db);
	import1("vulndb");
	db = open_db();
	ASSERT_OK(dd_vulndb_info(db, a, &i2, &err), &err);
	/* Importing the same feeds again replaces, never duplicates. */
	EXPECT_EQ_INT(i1.advisories, i2.advisories);
	EXPECT_EQ_INT(i1.affected, i2.affected);
	EXPECT_EQ_INT(i1.kev, i2.kev);
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
}
