/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of src/version/ through include/dd/version.h: hand-written
 * cases per scheme (the upstream vectors run in
 * tests/realdata/test_version_vectors.c), the properties every comparator
 * must have on random samples from each grammar (antisymmetry,
 * reflexivity, transitivity over a sorted sample, parse -> print -> parse
 * stability), errors and limits, scheme lookup, and OSV range evaluation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/version.h"
#include "dd_test.h"
#include "util/alloc.h"
#include "vgen.h"

static int cmp(const char *scheme, const char *a, const char *b)
{
	int c = 9;
	struct dd_err err = { 0 };
	dd_code rc = dd_version_compare(scheme, a, b, &c, &err);
	if (rc != DD_OK)
		dd_test_fail(__FILE__, __LINE__, "%s [%s] [%s]: %s", scheme, a, b, err.msg);
	return c;
}

static bool sat(const char *scheme, const char *v, const char *r)
{
	bool ok = false;
	struct dd_err err = { 0 };
	dd_code rc = dd_version_satisfies(scheme, v, r, &ok, &err);
	if (rc != DD_OK)
		dd_test_fail(__FILE__, __LINE__, "%s [%s] [%s]: %s", scheme, v, r, err.msg);
	return ok;
}

static dd_code invalid(const char *scheme, const char *v, char *msg, size_t cap)
{
	struct dd_err err = { 0 };
	const struct dd_version_scheme *s = dd_version_scheme_find(scheme);
	dd_code rc = dd_version_check(s, v, strlen(v), &err);
	snprintf(msg, cap, "%s", err.msg);
	return rc;
}

DD_TEST(issue_examples)
{
	EXPECT_EQ_INT(cmp("dpkg", "1:2.3~rc1-1", "2.3-1"), 1);
	EXPECT_EQ_INT(cmp("dpkg", "2.3~rc1-1", "2.3-1"), -1);
	EXPECT_EQ_INT(cmp("apk", "1.1.1d-r2", "1.1.1d_p1-r0"), -1);
	EXPECT_EQ_INT(cmp("semver", "1.0.0-rc.1+build", "1.0.0"), -1);
	EXPECT_EQ_INT(cmp("pep440", "2!1.0.post1.dev3", "1.0"), 1);
}

DD_TEST(per_scheme_cases)
{
	EXPECT_EQ_INT(cmp("dpkg", "1.0", "1.0-0"), 0);
	EXPECT_EQ_INT(cmp("dpkg", "1.0~~", "1.0~"), -1);
	EXPECT_EQ_INT(cmp("dpkg", "1.0+b1", "1.0"), 1);
	EXPECT_EQ_INT(cmp("dpkg", "1.09", "1.9"), 0);
	EXPECT_EQ_INT(cmp("rpm", "1.0^git1-1", "1.0-1"), 1);
	EXPECT_EQ_INT(cmp("rpm", "1.0~rc1-1", "1.0-1"), -1);
	EXPECT_EQ_INT(cmp("rpm", "2:1.0-1", "1:9.9-9"), 1);
	EXPECT_EQ_INT(cmp("rpm", "1.0-1.el8", "1.0"), 0); /* one side has no release */
	EXPECT_EQ_INT(cmp("apk", "1.2.3_rc1-r0", "1.2.3-r0"), -1);
	EXPECT_EQ_INT(cmp("apk", "1.2.3_p1", "1.2.3"), 1);
	EXPECT_EQ_INT(cmp("apk", "1.2.3a", "1.2.3"), 1);
	EXPECT_EQ_INT(cmp("semver", "1.0.0-alpha.1", "1.0.0-alpha.beta"), -1);
	EXPECT_EQ_INT(cmp("semver", "1.0.0+a", "1.0.0+b"), 0);
	EXPECT_EQ_INT(cmp("npm", "v1.2.3", "=1.2.3"), 0);
	EXPECT_EQ_INT(cmp("nuget", "1.0", "1.0.0.0"), 0);
	EXPECT_EQ_INT(cmp("nuget", "1.0.0-BETA", "1.0.0-beta"), 0);
	EXPECT_EQ_INT(cmp("pep440", "1.0.dev1", "1.0a1"), -1);
	EXPECT_EQ_INT(cmp("pep440", "1.0+local.1", "1.0"), 1);
	EXPECT_EQ_INT(cmp("pep440", "1.0-1", "1.0.post1"), 0);
	EXPECT_EQ_INT(cmp("maven", "1.0-alpha-1", "1.0-alpha1"), 0);
	EXPECT_EQ_INT(cmp("maven", "1.0-SNAPSHOT", "1.0"), -1);
	EXPECT_EQ_INT(cmp("maven", "1.0.RELEASE", "1.0"), 0);
	EXPECT_EQ_INT(cmp("maven", "1.0-sp1", "1.0"), 1);
	EXPECT_EQ_INT(cmp("gem", "1.0.a", "1.0"), -1);
	EXPECT_EQ_INT(cmp("gem", "1.0.0", "1"), 0);
	EXPECT_EQ_INT(cmp("go", "v1.2.3+incompatible", "v1.2.3"), 0);
	EXPECT_EQ_INT(cmp("go", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), 1);
	EXPECT_EQ_INT(cmp("go", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), -1);
	EXPECT_EQ_INT(cmp("go", "bad", "v0.0.0"), -1); /* x/mod: invalid below valid */
	EXPECT_EQ_INT(cmp("composer", "1.0.0-RC1", "1.0.0-beta2"), 1);
	EXPECT_EQ_INT(cmp("composer", "1.0-patch1", "1.0"), 1);
	EXPECT_EQ_INT(cmp("composer", "v1.0-dev", "1.0"), -1);
}

DD_TEST(ranges)
{
	EXPECT_TRUE(sat("npm", "1.4.2", "^1.2 ^1"));
	EXPECT_TRUE(!sat("npm", "1.2.3-beta", "<=1.2.3"));
	EXPECT_TRUE(sat("semver", "1.2.3", "1.2.3 - 2.0.0"));
	EXPECT_TRUE(sat("pep440", "2.0.1", "~=2.0"));
	EXPECT_TRUE(!sat("pep440", "3.0", "~=2.0"));
	EXPECT_TRUE(sat("pep440", "1.2.5", "==1.2.*"));
	EXPECT_TRUE(!sat("pep440", "1.0.post1", ">1.0"));
	EXPECT_TRUE(!sat("pep440", "1.0rc1", "<1.0"));
	EXPECT_TRUE(sat("maven", "1.5", "[1.0,2.0),[3.0,)"));
	EXPECT_TRUE(sat("maven", "3.5", "[1.0,2.0),[3.0,)"));
	EXPECT_TRUE(!sat("maven", "2.5", "[1.0,2.0),[3.0,)"));
	EXPECT_TRUE(sat("gem", "2.0.1", "~> 2.0"));
	EXPECT_TRUE(!sat("gem", "3.0", "~> 2.0"));
	EXPECT_TRUE(sat("dpkg", "1.2-1", ">= 1.0, << 2"));
	EXPECT_TRUE(sat("dpkg", "2", "< 2")); /* obsolete dpkg "<" is "<=" */
	EXPECT_TRUE(!sat("dpkg", "2", "<< 2"));
	EXPECT_TRUE(!sat("rpm", "2", "< 2"));
	EXPECT_TRUE(sat("rpm", "1.2-1.el8", "< 1.3 || > 5"));
	EXPECT_TRUE(sat("go", "v1.2.3", ">= v1.2.0, < v1.3.0"));
	EXPECT_TRUE(sat("apk", "1.2.3-r1", "<1.2.4"));
	EXPECT_TRUE(!sat("apk", "1.2.3-r1", "!~1.2"));
}

DD_TEST(invalid_versions_say_why)
{
	char msg[256];
	EXPECT_EQ_INT(invalid("dpkg", "1:", msg, sizeof msg), DD_EINVAL);
	EXPECT_TRUE(strstr(msg, "nothing after colon") != NULL);
	EXPECT_EQ_INT(invalid("dpkg", "1.0 2", msg, sizeof msg), DD_EINVAL);
	EXPECT_TRUE(strstr(msg, "embedded spaces") != NULL);
	EXPECT_EQ_INT(invalid("dpkg", "a1.0", msg, sizeof msg), DD_OK); /* dpkg: a warning */
	EXPECT_EQ_INT(invalid("pep440", "1.0-beta-x", msg, sizeof msg), DD_EINVAL);
	EXPECT_EQ_INT(invalid("semver", "1.2", msg, sizeof msg), DD_EINVAL);
	EXPECT_EQ_INT(invalid("semver", "01.2.3", msg, sizeof msg), DD_EINVAL);
	EXPECT_EQ_INT(invalid("npm", "01.2.3", msg, sizeof msg), DD_OK);
	EXPECT_EQ_INT(invalid("go", "1.2.3", msg, sizeof msg), DD_EINVAL);
	EXPECT_TRUE(strstr(msg, "\"v\"") != NULL);
	EXPECT_EQ_INT(invalid("apk", "1.0bc", msg, sizeof msg), DD_EINVAL);
	EXPECT_EQ_INT(invalid("gem", "1.0-", msg, sizeof msg), DD_EINVAL);
	EXPECT_EQ_INT(invalid("maven", "1.0\xff", msg, sizeof msg), DD_EINVAL);
	EXPECT_EQ_INT(invalid("rpm", "", msg, sizeof msg), DD_EINVAL);
	EXPECT_EQ_INT(invalid("composer", "dev-main", msg, sizeof msg), DD_EINVAL);
	/* Compare reports the invalid side and never falls back to strcmp. */
	int c = 7;
	struct dd_err err = { 0 };
	EXPECT_EQ_INT(dd_version_compare("pep440", "1.0", "junk", &c, &err), DD_EINVAL);
	EXPECT_EQ_INT(c, 7);
	EXPECT_TRUE(strstr(err.msg, "pep440 version \"junk\"") != NULL);
	EXPECT_EQ_INT(dd_version_compare("nope", "1", "2", &c, &err), DD_ENOTFOUND);
}

DD_TEST(nul_bytes_and_views)
{
	static const char *const schemes[] = { "dpkg", "rpm", "pep440", "semver", "npm", "nuget",
					       "maven", "gem", "composer" };
	const char with_nul[] = "1.0\0" "2";
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		const struct dd_version_scheme *s = dd_version_scheme_find(schemes[i]);
		struct dd_err err = { 0 };
		int c = 0;
		EXPECT_EQ_INT(dd_version_compare_n(s, with_nul, 5, "1.0", 3, 0, &c, &err), DD_EINVAL);
		/* a view into a longer buffer: only n bytes count */
		EXPECT_EQ_INT(dd_version_compare_n(s, "1.0.0XYZ", 5, "1.0.0", 5, 0, &c, &err), DD_OK);
		EXPECT_EQ_INT(c, 0);
	}
}

DD_TEST(limits)
{
	static char big[DD_VERSION_MAX_BYTES + 2];
	memset(big, '1', sizeof big - 1);
	struct dd_err err = { 0 };
	int c;
	EXPECT_EQ_INT(dd_version_compare("dpkg", big, "1", &c, &err), DD_ELIMIT);
	char out[4];
	const struct dd_version_scheme *s = dd_version_scheme_find("pep440");
	EXPECT_EQ_INT(dd_version_canonical(s, "1.2.3.4", 7, out, sizeof out, &err), DD_ELIMIT);
	/* Maven's item tree is bounded: "1.1.1..." with 600 items. */
	char m[DD_VERSION_MAX_BYTES];
	size_t k = 0;
	for (int i = 0; i < 400 && k + 2 < sizeof m; i++) {
		m[k++] = 'a';
		m[k++] = i % 2 ? '.' : '1';
	}
	m[k] = '\0';
	dd_code rc = dd_version_compare("maven", m, "1", &c, &err);
	EXPECT_TRUE(rc == DD_ELIMIT || rc == DD_OK);
}

DD_TEST(compare_does_not_allocate)
{
	struct vgen g = { 42 };
	static const char *const schemes[] = { "dpkg", "rpm", "apk", "semver", "npm", "nuget",
					       "pep440", "maven", "gem", "go", "composer" };
	dd_alloc_fail_at(0);
	unsigned long before = dd_alloc_count();
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		const struct dd_version_scheme *s = dd_version_scheme_find(schemes[i]);
		for (int j = 0; j < 200; j++) {
			char a[128], b[128];
			vg_any(&g, schemes[i], a, sizeof a);
			vg_any(&g, schemes[i], b, sizeof b);
			int c;
			dd_version_compare_n(s, a, strlen(a), b, strlen(b), 0, &c, NULL);
		}
	}
	EXPECT_EQ_INT(dd_alloc_count(), before);
}

DD_TEST(parsed_compare_matches_string_compare)
{
	static const char *const schemes[] = { "dpkg", "rpm", "apk", "semver", "npm", "nuget",
					       "pep440", "maven", "gem", "go", "composer" };
	struct vgen g = { 99 };
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		const struct dd_version_scheme *s = dd_version_scheme_find(schemes[i]);
		for (int j = 0; j < 2000; j++) {
			char a[128], b[128];
			vg_any(&g, schemes[i], a, sizeof a);
			vg_any(&g, schemes[i], b, sizeof b);
			struct dd_version_parsed pa, pb;
			struct dd_err err = { 0 };
			ASSERT_OK(dd_version_parse(s, a, strlen(a), &pa, &err), &err);
			ASSERT_OK(dd_version_parse(s, b, strlen(b), &pb, &err), &err);
			int c1 = 9;
			ASSERT_OK(dd_version_compare_n(s, a, strlen(a), b, strlen(b), 0, &c1, &err), &err);
			int c2 = dd_version_compare_parsed(&pa, &pb);
			if (c1 != c2)
				dd_test_fail(__FILE__, __LINE__, "%s [%s] [%s]: %d vs parsed %d",
					     schemes[i], a, b, c1, c2);
		}
	}
	struct dd_version_parsed p;
	struct dd_err err = { 0 };
	EXPECT_EQ_INT(dd_version_parse(dd_version_scheme_find("dpkg"), "1:", 2, &p, &err),
		      DD_EINVAL);
}

/* ---- properties on random samples ----------------------------------- */

#define SAMPLE 300

static const struct dd_version_scheme *cur;

static int qcmp(const void *x, const void *y)
{
	const char *a = x, *b = y;
	int c = 0;
	dd_version_compare_n(cur, a, strlen(a), b, strlen(b), 0, &c, NULL);
	return c;
}

static void properties(const char *scheme, uint64_t seed)
{
	static char v[SAMPLE][128];
	struct vgen g = { seed };
	cur = dd_version_scheme_find(scheme);
	ASSERT_TRUE(cur != NULL);
	for (int i = 0; i < SAMPLE; i++) {
		vg_any(&g, scheme, v[i], sizeof v[i]);
		struct dd_err err = { 0 };
		if (dd_version_check(cur, v[i], strlen(v[i]), &err) != DD_OK)
			dd_test_fail(__FILE__, __LINE__, "%s: generated [%s] invalid: %s", scheme,
				     v[i], err.msg);
	}
	unsigned bad = 0;
	/* antisymmetry and reflexivity on every pair */
	for (int i = 0; i < SAMPLE; i++)
		for (int j = i; j < SAMPLE; j++) {
			int ab = qcmp(v[i], v[j]), ba = qcmp(v[j], v[i]);
			if ((ab != -ba || (i == j && ab != 0)) && bad++ < 5)
				dd_test_fail(__FILE__, __LINE__, "%s: [%s] vs [%s]: %d / %d", scheme,
					     v[i], v[j], ab, ba);
		}
	/* transitivity: after sorting, every earlier element is <= every later */
	qsort(v, SAMPLE, sizeof v[0], qcmp);
	for (int i = 0; i < SAMPLE; i++)
		for (int j = i + 1; j < SAMPLE; j++)
			if (qcmp(v[i], v[j]) > 0 && bad++ < 5)
				dd_test_fail(__FILE__, __LINE__, "%s: sorted [%s] > later [%s]", scheme,
					     v[i], v[j]);
	/* parse -> print -> parse: equal, and printing is idempotent */
	for (int i = 0; i < SAMPLE; i++) {
		char c1[256], c2[256];
		struct dd_err err = { 0 };
		if (dd_version_canonical(cur, v[i], strlen(v[i]), c1, sizeof c1, &err) != DD_OK ||
		    dd_version_canonical(cur, c1, strlen(c1), c2, sizeof c2, &err) != DD_OK) {
			if (bad++ < 5)
				dd_test_fail(__FILE__, __LINE__, "%s: [%s]: %s", scheme, v[i], err.msg);
			continue;
		}
		if ((strcmp(c1, c2) != 0 || qcmp(v[i], c1) != 0) && bad++ < 5)
			dd_test_fail(__FILE__, __LINE__, "%s: [%s] -> [%s] -> [%s]", scheme, v[i], c1,
				     c2);
	}
	EXPECT_EQ_INT(bad, 0);
}

DD_TEST(properties_dpkg) { properties("dpkg", 1); }
DD_TEST(properties_rpm) { properties("rpm", 2); }
DD_TEST(properties_apk) { properties("apk", 3); }
DD_TEST(properties_semver) { properties("semver", 4); }
DD_TEST(properties_npm) { properties("npm", 5); }
DD_TEST(properties_nuget) { properties("nuget", 6); }
DD_TEST(properties_pep440) { properties("pep440", 7); }
DD_TEST(properties_maven) { properties("maven", 8); }
DD_TEST(properties_gem) { properties("gem", 9); }
DD_TEST(properties_go) { properties("go", 10); }
DD_TEST(properties_composer) { properties("composer", 11); }

/* ---- lookup --------------------------------------------------------- */

DD_TEST(scheme_lookup)
{
	static const char *const eco[][2] = {
		{ "Alpine:v3.19", "apk" }, { "Debian:12", "dpkg" },   { "Ubuntu", "dpkg" },
		{ "Rocky Linux:9", "rpm" }, { "AlmaLinux", "rpm" },   { "Red Hat", "rpm" },
		{ "PyPI", "pep440" },      { "npm", "npm" },          { "Go", "go" },
		{ "Maven", "maven" },      { "RubyGems", "gem" },     { "crates.io", "semver" },
		{ "Packagist", "composer" }, { "NuGet", "nuget" },
	};
	for (size_t i = 0; i < sizeof eco / sizeof *eco; i++) {
		const struct dd_version_scheme *s = dd_version_scheme_for_ecosystem(eco[i][0]);
		ASSERT_TRUE(s != NULL);
		EXPECT_STR_EQ(dd_version_scheme_name(s), eco[i][1]);
	}
	EXPECT_TRUE(dd_version_scheme_for_ecosystem("Hex") == NULL);
	EXPECT_STR_EQ(dd_version_scheme_name(dd_version_scheme_for_purl_type("deb")), "dpkg");
	EXPECT_STR_EQ(dd_version_scheme_name(dd_version_scheme_for_purl_type("golang")), "go");
	EXPECT_STR_EQ(dd_version_scheme_name(dd_version_scheme_for_purl_type("pypi")), "pep440");
	size_t n = 0;
	while (dd_version_scheme_at(n))
		n++;
	EXPECT_EQ_INT(n, 11);
}

/* ---- OSV ---------------------------------------------------------------- */

static struct dd_osv_verdict osv(const char *scheme, const char *installed,
				 const struct dd_osv_range *r, size_t nr, const char *const *vers,
				 size_t nv, dd_code want)
{
	struct dd_osv_affected a = { r, nr, vers, nv };
	struct dd_osv_verdict out;
	struct dd_err err = { 0 };
	dd_code rc = dd_version_osv_affected(dd_version_scheme_find(scheme), installed, &a, &out,
					     &err);
	if (rc != want)
		dd_test_fail(__FILE__, __LINE__, "%s %s: rc %d, want %d (%s)", scheme, installed, rc,
			     want, err.msg);
	return out;
}

DD_TEST(osv_introduced_fixed)
{
	const struct dd_osv_event ev[] = { { DD_OSV_INTRODUCED, "0" }, { DD_OSV_FIXED, "1.2.3-1" },
					   { DD_OSV_INTRODUCED, "2.0-1" }, { DD_OSV_FIXED, "2.0-3" } };
	const struct dd_osv_range r = { DD_OSV_RANGE_ECOSYSTEM, ev, 4 };
	struct dd_osv_verdict v = osv("dpkg", "1.2.2-5", &r, 1, NULL, 0, DD_OK);
	EXPECT_TRUE(v.affected);
	EXPECT_STR_EQ(v.fixed, "1.2.3-1");
	EXPECT_TRUE(!osv("dpkg", "1.2.3-1", &r, 1, NULL, 0, DD_OK).affected);
	EXPECT_TRUE(!osv("dpkg", "1.9", &r, 1, NULL, 0, DD_OK).affected);
	v = osv("dpkg", "2.0-2", &r, 1, NULL, 0, DD_OK);
	EXPECT_TRUE(v.affected);
	EXPECT_STR_EQ(v.fixed, "2.0-3");
	EXPECT_TRUE(!osv("dpkg", "2.0-3", &r, 1, NULL, 0, DD_OK).affected);
	/* events in any order give the same answer */
	const struct dd_osv_event rev[] = { ev[3], ev[1], ev[2], ev[0] };
	const struct dd_osv_range r2 = { DD_OSV_RANGE_ECOSYSTEM, rev, 4 };
	EXPECT_TRUE(osv("dpkg", "2.0-2", &r2, 1, NULL, 0, DD_OK).affected);
	EXPECT_TRUE(!osv("dpkg", "1.5", &r2, 1, NULL, 0, DD_OK).affected);
}

DD_TEST(osv_last_affected_limit_versions_git)
{
	const struct dd_osv_event la[] = { { DD_OSV_INTRODUCED, "1.0" },
					   { DD_OSV_LAST_AFFECTED, "1.4" } };
	const struct dd_osv_range r = { DD_OSV_RANGE_ECOSYSTEM, la, 2 };
	struct dd_osv_verdict v = osv("pep440", "1.4", &r, 1, NULL, 0, DD_OK);
	EXPECT_TRUE(v.affected);
	EXPECT_TRUE(v.fixed == NULL);
	EXPECT_TRUE(!osv("pep440", "1.4.post1", &r, 1, NULL, 0, DD_OK).affected);
	EXPECT_TRUE(!osv("pep440", "0.9", &r, 1, NULL, 0, DD_OK).affected);

	const struct dd_osv_event lim[] = { { DD_OSV_INTRODUCED, "0" }, { DD_OSV_LIMIT, "2.0.0" } };
	const struct dd_osv_range rl = { DD_OSV_RANGE_SEMVER, lim, 2 };
	EXPECT_TRUE(osv("go", "1.9.0", &rl, 1, NULL, 0, DD_OK).affected);
	EXPECT_TRUE(!osv("go", "2.0.0", &rl, 1, NULL, 0, DD_OK).affected);

	const char *const list[] = { "1.0.1", "1.0.3" };
	EXPECT_TRUE(osv("npm", "1.0.3", NULL, 0, list, 2, DD_OK).affected);
	EXPECT_TRUE(!osv("npm", "1.0.2", NULL, 0, list, 2, DD_OK).affected);

	const struct dd_osv_event git[] = { { DD_OSV_INTRODUCED, "abc123" },
					    { DD_OSV_FIXED, "def456" } };
	const struct dd_osv_range rg = { DD_OSV_RANGE_GIT, git, 2 };
	v = osv("npm", "1.0.2", &rg, 1, NULL, 0, DD_OK);
	EXPECT_TRUE(!v.affected);
	EXPECT_TRUE(v.git_ignored);

	/* An invalid installed or event version is an error, not a guess. */
	osv("pep440", "not a version", &r, 1, NULL, 0, DD_EINVAL);
	const struct dd_osv_event badev[] = { { DD_OSV_INTRODUCED, "0" }, { DD_OSV_FIXED, "junk!" } };
	const struct dd_osv_range rb = { DD_OSV_RANGE_ECOSYSTEM, badev, 2 };
	osv("pep440", "1.0", &rb, 1, NULL, 0, DD_EINVAL);
	/* SEMVER ranges on a Go module: versions without the "v" */
	const struct dd_osv_event gv[] = { { DD_OSV_INTRODUCED, "0" }, { DD_OSV_FIXED, "0.3.3" } };
	const struct dd_osv_range rs = { DD_OSV_RANGE_SEMVER, gv, 2 };
	EXPECT_TRUE(osv("go", "0.3.2", &rs, 1, NULL, 0, DD_OK).affected);
	EXPECT_TRUE(osv("go", "v0.3.2", &rs, 1, NULL, 0, DD_OK).affected);
}

DD_TEST(osv_fixed_equal_introduced_is_empty)
{
	const struct dd_osv_event ev[] = { { DD_OSV_INTRODUCED, "1.0.0" }, { DD_OSV_FIXED, "1.0.0" } };
	const struct dd_osv_range r = { DD_OSV_RANGE_SEMVER, ev, 2 };
	EXPECT_TRUE(!osv("npm", "1.0.0", &r, 1, NULL, 0, DD_OK).affected);
}
