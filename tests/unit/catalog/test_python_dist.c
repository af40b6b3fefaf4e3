/* SPDX-License-Identifier: Apache-2.0 */
/* Python core metadata (python_dist.c) and the PEP 503 name. */
#include "lang_test_util.h"

DD_TEST(metadata_headers_only)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "usr/lib/python3/site-packages/Foo_Bar-1.0.dist-info/METADATA");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_python_meta(S("Metadata-Version: 2.1\r\nname:  Foo_Bar.baz \r\n"
					      "Version: 1.0rc1\r\nSummary: x\r\n\r\n"
					      "Name: not-this\nVersion: 9\n"), &s, &err), &err);
	ASSERT_EQ_INT(sb->npkgs, 1);
	EXPECT_STR_EQ(sb->pkgs[0].name, "foo-bar-baz");
	EXPECT_STR_EQ(sb->pkgs[0].version, "1.0rc1");
	EXPECT_STR_EQ(sb->pkgs[0].purl, "pkg:pypi/foo-bar-baz@1.0rc1");
	EXPECT_EQ_INT(dd_lang_parse_python_meta(S("Version: 1\n"), &s, &err), DD_EINVAL);
	EXPECT_EQ_INT(dd_lang_parse_python_meta(S(""), &s, &err), DD_EINVAL);
	dd_sbom_free(sb);
}

DD_TEST(pep503)
{
	char out[64];
	EXPECT_STR_EQ(dd_lang_pep503("Friendly-Bard", strlen("Friendly-Bard"), out, sizeof out), "friendly-bard");
	EXPECT_STR_EQ(dd_lang_pep503("FRIENDLY-BARD", strlen("FRIENDLY-BARD"), out, sizeof out), "friendly-bard");
	EXPECT_STR_EQ(dd_lang_pep503("friendly.bard", strlen("friendly.bard"), out, sizeof out), "friendly-bard");
	EXPECT_STR_EQ(dd_lang_pep503("friendly_bard", strlen("friendly_bard"), out, sizeof out), "friendly-bard");
	EXPECT_STR_EQ(dd_lang_pep503("friendly--bard", strlen("friendly--bard"), out, sizeof out), "friendly-bard");
	EXPECT_STR_EQ(dd_lang_pep503("FrIeNdLy-._.-bArD", strlen("FrIeNdLy-._.-bArD"), out, sizeof out), "friendly-bard");
	EXPECT_STR_EQ(dd_lang_pep503("abc", strlen("abc"), out, 3), "ab");
}

DD_TEST(cataloger_paths)
{
	struct dd_fs *fs = dd_fs_new();
	struct dd_err err;
	const char *meta = "Name: six\nVersion: 1.16.0\n";
	const char *paths[] = {
		"usr/lib/python3/dist-packages/six-1.16.0.egg-info",          /* file form */
		"usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
		"opt/x/site-packages/six-1.16.0.egg-info/PKG-INFO",
		"home/six-1.16.0.dist-info/METADATA",                         /* not installed */
		"usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD",
	};
	for (size_t i = 0; i < 5; i++) {
		struct dd_fs_file f = { .path = paths[i], .type = DD_FS_REG,
					.data = (const unsigned char *)meta, .size = strlen(meta) };
		ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
	}
	struct dd_sbom *sb = dd_sbom_new();
	ASSERT_OK(dd_catalog_run(fs, sb, false, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 3);
	dd_sbom_free(sb);
	/* os_only skips language catalogers. */
	sb = dd_sbom_new();
	ASSERT_OK(dd_catalog_run(fs, sb, true, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 0);
	dd_sbom_free(sb);
	dd_fs_free(fs);
}

/* What the image keeps of core metadata is the headers through the empty
 * line (python_dist.c's reducer): it reads to the same package, and the
 * long description after it is not kept. */
DD_TEST(kept_form_is_the_headers)
{
	static const struct {
		const char *doc;
		size_t kept; /* 0: kept whole */
	} cases[] = {
		{ "Metadata-Version: 2.1\r\nName: Foo\r\nVersion: 1.0\r\n\r\n# Foo\r\n\r\nLong text\r\n", 50 },
		{ "Name: foo\nVersion: 2\n\nName: not-this\nVersion: 9\n", 22 },
		{ "Name: foo\nVersion: 2\n", 0 },         /* no body */
		{ "Name: foo\nVersion: 2\n\n", 0 },       /* nothing after the empty line */
		{ "\nName: foo\nVersion: 2\n", 1 },       /* empty first line: no headers */
		{ "Version: 2\n\nName: late\n", 12 },     /* the error stays the error */
	};
	dd_catalog_set py = dd_catalog_named("python-dist");
	ASSERT_TRUE(dd_catalog_reduces(py));
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const unsigned char *d = (const unsigned char *)cases[i].doc, *out;
		size_t n = strlen(cases[i].doc), outlen;
		struct dd_arena *a = dd_arena_new(0);
		struct dd_bytes b = dd_bytes_mem(d, n);
		struct dd_err err, e1, e2;
		ASSERT_OK(dd_catalog_reduce(py, false, "usr/lib/python3/site-packages/foo-1.0.dist-info/METADATA",
					    &b, a, &out, &outlen, &err),
			  &err);
		EXPECT_EQ_INT(out == d ? 0 : outlen, cases[i].kept);
		struct dd_lang_sink s1, s2;
		struct dd_sbom *whole = new_sbom(&s1, "m"), *kept = new_sbom(&s2, "m");
		dd_code r1 = dd_lang_parse_python_meta(d, n, &s1, &e1);
		dd_code r2 = dd_lang_parse_python_meta(out, outlen, &s2, &e2);
		EXPECT_EQ_INT(r1, r2);
		EXPECT_EQ_INT(whole->npkgs, kept->npkgs);
		if (whole->npkgs == 1 && kept->npkgs == 1) {
			EXPECT_STR_EQ(whole->pkgs[0].name, kept->pkgs[0].name);
			EXPECT_STR_EQ(whole->pkgs[0].version, kept->pkgs[0].version);
		}
		dd_sbom_free(whole);
		dd_sbom_free(kept);
		dd_arena_free(a);
	}
}
