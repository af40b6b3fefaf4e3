/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The matcher against small feeds written by hand: distro fixed versions
 * compared with the distro's scheme and matched through the source package,
 * Debian tracker states, OSV ranges, aliases folded into one finding,
 * withdrawn advisories, Go advisories limited to other systems, npm names
 * compared exactly, coverage warnings for namespaces with no data.
 */
#include "dd/scan.h"
#include "dd/vulndb.h"
#include "dd_test.h"
#include "util/arena.h"

static const char *import(const char *name, const char *text)
{
	static char db[4096];
	snprintf(db, sizeof db, "%s/vuln.db", dd_test_tmpdir());
	const char *path = dd_test_write(name, text, strlen(text));
	struct dd_err err;
	const char *paths[] = { path };
	ASSERT_OK(dd_vulndb_import(db, paths, 1, DD_VULNDB_CREATE, NULL, &err), &err);
	return db;
}

static void add(struct dd_sbom *s, const char *type, const char *ns, const char *name,
		const char *version, const char *src, const char *srcver, unsigned flags)
{
	struct dd_package p = { .type = type, .namespace_ = ns, .name = name, .version = version,
				.source_name = src, .source_version = srcver, .layer = 0,
				.flags = flags };
	struct dd_err err;
	ASSERT_OK(dd_sbom_add(s, &p, &err), &err);
}

static const struct dd_finding *find(const struct dd_scan_result *r, const char *pkg,
				     const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->sbom->pkgs[r->findings[i].pkg].name, pkg) &&
		    !strcmp(r->findings[i].id, id))
			return &r->findings[i];
	return NULL;
}

static bool warned(const struct dd_scan_result *r, const char *needle)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		if (strstr(r->warnings[i], needle))
			return true;
	return false;
}

DD_TEST(alpine_secdb_by_origin_with_apk_ordering)
{
	const char *db = import("main.json",
		"{\"distroversion\":\"v3.10\",\"reponame\":\"main\",\"packages\":["
		"{\"pkg\":{\"name\":\"musl\",\"secfixes\":{\"1.1.22-r3\":[\"CVE-2019-14697\"],"
		"\"1.1.22-r4\":[\"CVE-2020-28928\"]}}},"
		"{\"pkg\":{\"name\":\"openssl\",\"secfixes\":{\"1.1.1d-r3\":[\"CVE-2019-1551\"],"
		"\"1.1.1a-r0\":[\"CVE-2018-0734 CVE-2018-0735\"]}}}]}");
	struct dd_sbom *s = dd_sbom_new();
	s->distro.id = "alpine";
	s->distro.version_id = "3.10.4";
	add(s, "apk", "alpine", "musl", "1.1.22-r3", "musl", NULL, 0);
	add(s, "apk", "alpine", "musl-utils", "1.1.22-r3", "musl", NULL, 0);
	add(s, "apk", "alpine", "libcrypto1.1", "1.1.1d-r2", "openssl", NULL, 0);
	setenv("DRYDOCK_NOW", "2020-02-01", 1);
	struct dd_scan_opts o = { .db_path = db };
	struct dd_scan_result *r;
	struct dd_err err;
	ASSERT_OK(dd_scan_sbom_take(s, &o, &r, &err), &err);
	/* musl 1.1.22-r3 is fixed for 14697, not for 28928; both binaries of
	 * the origin are reported. */
	EXPECT_TRUE(!find(r, "musl", "CVE-2019-14697"));
	const struct dd_finding *f = find(r, "musl", "CVE-2020-28928");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->fixed, "1.1.22-r4");
	EXPECT_STR_EQ(f->installed, "1.1.22-r3");
	EXPECT_STR_EQ(f->namespace_, "alpine:v3.10");
	EXPECT_EQ_INT(f->state, DD_FIX_FIXED);
	EXPECT_TRUE(find(r, "musl-utils", "CVE-2020-28928") != NULL);
	/* 1.1.1d-r2 < 1.1.1d-r3 (apk ordering) and > 1.1.1a-r0 */
	EXPECT_TRUE(find(r, "libcrypto1.1", "CVE-2019-1551") != NULL);
	EXPECT_TRUE(!find(r, "libcrypto1.1", "CVE-2018-0734"));
	EXPECT_EQ_INT(r->nfindings, 3);
	/* before its end of life: no warning */
	EXPECT_TRUE(!warned(r, "end of life"));
	dd_scan_result_free(r);

	setenv("DRYDOCK_NOW", "2026-11-26", 1);
	s = dd_sbom_new();
	s->distro.id = "alpine";
	s->distro.version_id = "3.10.4";
	add(s, "apk", "alpine", "musl", "1.1.22-r4", "musl", NULL, 0);
	ASSERT_OK(dd_scan_sbom_take(s, &o, &r, &err), &err);
	EXPECT_EQ_INT(r->nfindings, 0);
	EXPECT_TRUE(warned(r, "alpine 3.10.4 reached end of life on 2021-05-01"));
	dd_scan_result_free(r);
	unsetenv("DRYDOCK_NOW");
}

DD_TEST(debian_tracker_states_through_source_package)
{
	const char *db = import("tracker.json",
		"{\"openssl\":{"
		"\"CVE-2023-0001\":{\"releases\":{\"bullseye\":{\"status\":\"resolved\","
		"\"fixed_version\":\"1.1.1n-0+deb11u4\",\"urgency\":\"medium\"}}},"
		"\"CVE-2023-0002\":{\"releases\":{\"bullseye\":{\"status\":\"open\","
		"\"urgency\":\"low\"}}},"
		"\"CVE-2023-0003\":{\"releases\":{\"bullseye\":{\"status\":\"resolved\","
		"\"fixed_version\":\"0\",\"urgency\":\"unimportant\"}}},"
		"\"CVE-2023-0004\":{\"releases\":{\"bullseye\":{\"status\":\"resolved\","
		"\"fixed_version\":\"1.1.1n-0+deb11u3\",\"urgency\":\"high\"}}}}}");
	struct dd_sbom *s = dd_sbom_new();
	s->distro.id = "debian";
	s->distro.version_id = "11";
	s->distro.codename = "bullseye";
	/* libssl1.1 is built from openssl; the binary version differs from
	 * the source version here on purpose (binNMU-style). */
	add(s, "deb", "debian", "libssl1.1", "1.1.1n-0+deb11u3+b1", "openssl", "1.1.1n-0+deb11u3", 0);
	struct dd_scan_opts o = { .db_path = db };
	struct dd_scan_result *r;
	struct dd_err err;
	ASSERT_OK(dd_scan_sbom_take(s, &o, &r, &err), &err);
	const struct dd_finding *f = find(r, "libssl1.1", "CVE-2023-0001");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->fixed, "1.1.1n-0+deb11u4");
	EXPECT_STR_EQ(f->installed, "1.1.1n-0+deb11u3");
	EXPECT_STR_EQ(f->vendor_severity, "medium");
	f = find(r, "libssl1.1", "CVE-2023-0002");
	ASSERT_TRUE(f);
	EXPECT_TRUE(f->fixed == NULL);
	EXPECT_EQ_INT(f->state, DD_FIX_NOT_FIXED);
	EXPECT_TRUE(!find(r, "libssl1.1", "CVE-2023-0003")); /* not affected */
	EXPECT_TRUE(!find(r, "libssl1.1", "CVE-2023-0004")); /* fixed at this version */
	EXPECT_EQ_INT(r->nfindings, 2);
	dd_scan_result_free(r);

	/* --ignore-unfixed drops the open one */
	s = dd_sbom_new();
	s->distro.id = "debian";
	s->distro.version_id = "11";
	add(s, "deb", "debian", "libssl1.1", "1.1.1n-0+deb11u3", "openssl", NULL, 0);
	o.ignore_unfixed = true;
	ASSERT_OK(dd_scan_sbom_take(s, &o, &r, &err), &err);
	EXPECT_EQ_INT(r->nfindings, 1);
	dd_scan_result_free(r);
}

#define OSV(id, aliases, extra, pkg, eco, events)                                         \
	"{\"id\":\"" id "\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":" aliases     \
	extra ",\"affected\":[{\"package\":{\"ecosystem\":\"" eco "\",\"name\":\"" pkg "\"}," \
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":" events "}]}]}"

DD_TEST(osv_ranges_aliases_withdrawn_and_exact_npm_names)
{
	/* Written as a JSON lines file would not be OSV; one directory of files. */
	dd_test_write("osv/GHSA-aaaa.json",
		      OSV("GHSA-aaaa", "[\"CVE-2020-0001\"]", "", "lodash", "npm",
			  "[{\"introduced\":\"0\"},{\"fixed\":\"4.17.19\"}]"),
		      strlen(OSV("GHSA-aaaa", "[\"CVE-2020-0001\"]", "", "lodash", "npm",
				 "[{\"introduced\":\"0\"},{\"fixed\":\"4.17.19\"}]")));
	static const char b[] = OSV("GHSA-bbbb", "[\"CVE-2020-0001\"]", "", "lodash", "npm",
				    "[{\"fixed\":\"4.17.20\"},{\"introduced\":\"4.0.0\"}]");
	dd_test_write("osv/GHSA-bbbb.json", b, strlen(b));
	static const char w[] = OSV("GHSA-wwww", "[]", ",\"withdrawn\":\"2024-02-01T00:00:00Z\"",
				    "lodash", "npm", "[{\"introduced\":\"0\"}]");
	dd_test_write("osv/GHSA-wwww.json", w, strlen(w));
	static const char cap[] = OSV("GHSA-cccc", "[]", "", "Lodash", "npm", "[{\"introduced\":\"0\"}]");
	dd_test_write("osv/GHSA-cccc.json", cap, strlen(cap));
	static const char go[] =
		"{\"id\":\"GO-2023-0001\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{"
		"\"package\":{\"ecosystem\":\"Go\",\"name\":\"stdlib\"},\"ranges\":[{\"type\":\"SEMVER\","
		"\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.20.5\"}]}],"
		"\"ecosystem_specific\":{\"imports\":[{\"path\":\"os\",\"goos\":[\"windows\"]}]}}]}";
	dd_test_write("osv/GO-2023-0001.json", go, strlen(go));
	static const char go2[] =
		"{\"id\":\"GO-2023-0002\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{"
		"\"package\":{\"ecosystem\":\"Go\",\"name\":\"stdlib\"},\"ranges\":[{\"type\":\"SEMVER\","
		"\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.20.6\"}]}],"
		"\"ecosystem_specific\":{\"imports\":[{\"path\":\"net/http\"}]}}]}";
	dd_test_write("osv/GO-2023-0002.json", go2, strlen(go2));
	char dir[4096], dbp[4096];
	snprintf(dir, sizeof dir, "%s/osv", dd_test_tmpdir());
	snprintf(dbp, sizeof dbp, "%s/vuln.db", dd_test_tmpdir());
	struct dd_err err;
	const char *paths[] = { dir };
	ASSERT_OK(dd_vulndb_import(dbp, paths, 1, DD_VULNDB_CREATE, NULL, &err), &err);

	struct dd_sbom *s = dd_sbom_new();
	add(s, "npm", NULL, "lodash", "4.17.15", NULL, NULL, 0);
	add(s, "golang", NULL, "stdlib", "1.20.4", NULL, NULL, 0);
	add(s, "pypi", NULL, "urllib3", "1.26.0", NULL, NULL, DD_PKG_OWNED_BY_OS);
	add(s, "pypi", NULL, "requests", "2.0.0", NULL, NULL, 0);
	struct dd_scan_opts o = { .db_path = dbp };
	struct dd_scan_result *r;
	ASSERT_OK(dd_scan_sbom_take(s, &o, &r, &err), &err);
	/* two GHSAs for one CVE: one finding, named by the CVE, the later fix */
	const struct dd_finding *f = find(r, "lodash", "CVE-2020-0001");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->fixed, "4.17.20");
	ASSERT_EQ_INT(f->naliases, 2);
	EXPECT_STR_EQ(f->aliases[0], "GHSA-aaaa");
	EXPECT_STR_EQ(f->aliases[1], "GHSA-bbbb");
	EXPECT_TRUE(!find(r, "lodash", "GHSA-wwww")); /* withdrawn */
	EXPECT_TRUE(!find(r, "lodash", "GHSA-cccc")); /* names "Lodash" */
	/* Windows-only Go advisory skipped for a linux image */
	EXPECT_TRUE(!find(r, "stdlib", "GO-2023-0001"));
	f = find(r, "stdlib", "GO-2023-0002");
	ASSERT_TRUE(f);
	EXPECT_STR_EQ(f->fixed, "1.20.6");
	EXPECT_EQ_INT(r->nfindings, 2);
	/* urllib3 is owned by an OS package: not matched; PyPI has no data */
	EXPECT_TRUE(warned(r, "no data for PyPI"));
	EXPECT_TRUE(r->sbom->pkgs[3].flags & DD_PKG_UNASSESSED);   /* requests */
	EXPECT_TRUE(!(r->sbom->pkgs[2].flags & DD_PKG_UNASSESSED)); /* urllib3: its OS package decides */
	dd_scan_result_free(r);
}

DD_TEST(missing_db_says_what_to_run)
{
	struct dd_sbom *s = dd_sbom_new();
	char dbp[4096];
	snprintf(dbp, sizeof dbp, "%s/none.db", dd_test_tmpdir());
	struct dd_scan_opts o = { .db_path = dbp };
	struct dd_scan_result *r;
	struct dd_err err;
	EXPECT_EQ_INT(dd_scan_sbom_take(s, &o, &r, &err), DD_ENOTFOUND);
	EXPECT_TRUE(strstr(err.msg, "drydock db") != NULL);
}
