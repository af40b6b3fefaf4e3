/* SPDX-License-Identifier: Apache-2.0 */
/* Installed npm packages (npm_package.c): which package.json files are
 * packages, the project manifest, dev flags from the hidden lockfile. */
#include "lang_test_util.h"

static void put(struct dd_fs *fs, const char *path, const char *json)
{
	struct dd_err err;
	struct dd_fs_file f = { .path = path, .type = DD_FS_REG, .layer = 1,
				.data = (const unsigned char *)json, .size = strlen(json) };
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
}

DD_TEST(installed_tree)
{
	struct dd_fs *fs = dd_fs_new();
	put(fs, "srv/app/package.json", "{\"name\":\"my-app\",\"version\":\"2.0.0\"}");
	put(fs, "srv/app/node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"1.0.0\"}");
	put(fs, "srv/app/node_modules/a/lib/package.json", "{\"type\":\"module\"}");
	put(fs, "srv/app/node_modules/@s/b/package.json", "{\"name\":\"@s/b\",\"version\":\"0.2.0\"}");
	put(fs, "srv/app/node_modules/a/node_modules/c/package.json",
	    "{\"name\":\"c\",\"version\":\"3.0.0\"}");
	put(fs, "srv/app/node_modules/.bin/package.json", "{\"name\":\"no\",\"version\":\"0\"}");
	put(fs, "srv/app/node_modules/broken/package.json", "{\"name\":");
	put(fs, "srv/app/node_modules/.package-lock.json",
	    "{\"lockfileVersion\":3,\"packages\":{\"node_modules/@s/b\":{\"version\":\"0.2.0\",\"dev\":true}}}");
	put(fs, "srv/other/package.json", "{\"name\":\"not-a-project\",\"version\":\"1.0.0\"}");
	struct dd_sbom *sb = dd_sbom_new();
	struct dd_err err;
	ASSERT_OK(dd_catalog_run(fs, sb, false, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 4);
	EXPECT_HAS(sb, "a", "1.0.0");
	EXPECT_HAS(sb, "c", "3.0.0");
	EXPECT_HAS(sb, "my-app", "2.0.0");
	const struct dd_package *b = pkg(sb, "@s/b", "0.2.0");
	ASSERT_TRUE(b != NULL);
	EXPECT_TRUE(b->flags & DD_PKG_DEV);
	EXPECT_TRUE(!(pkg(sb, "a", NULL)->flags & DD_PKG_DEV));
	EXPECT_STR_EQ(pkg(sb, "my-app", NULL)->cataloger, "npm-app");
	EXPECT_STR_EQ(b->cataloger, "npm-package");
	EXPECT_EQ_INT(b->layer, 1);
	EXPECT_EQ_INT(sb->nwarnings, 1); /* the broken package.json, named */
	if (sb->nwarnings)
		EXPECT_TRUE(strstr(sb->warnings[0], "node_modules/broken/package.json") != NULL);
	dd_sbom_free(sb);
	dd_fs_free(fs);
}

/* What the image keeps of a package.json (dd_catalog_reduce, npm-package's
 * reduce) reads to the same package, or the same error, as the file. */
DD_TEST(kept_form_reads_the_same)
{
	static const char *const docs[] = {
		("{\n  \"name\": \"left-pad\",\n  \"version\": \"1.3.0\",\n"
		 "  \"description\": \"String left pad\",\n"
		 "  \"scripts\": {\"test\": \"node test\"},\n  \"keywords\": [\"leftpad\", \"pad\"],\n"
		 "  \"dependencies\": {}, \"private\": false, \"n\": -1.5e3, \"x\": null\n}\n"),
		("{\"name\":\"@scope/pkg\",\"version\":\"0.0.1-beta.2\","
		 "\"description\":\"a longer text than the kept form\"}"),
		"{\"version\":\"1.0.0\",\"description\":\"no name: the same warning from either form\"}",
		"{\"name\":\"only-name\",\"description\":\"no version at all, which npm allows for a project\"}",
		"{\"name\":\"esc\\u0061ped\",\"version\":\"1.0.0\"}",     /* yajl's: kept whole */
		"{\"name\":\"caf\xc3\xa9\",\"version\":\"1.0.0\",\"x\":\"y\"}", /* not ASCII: kept whole */
		"{\"name\":\"broken\",\"version\":\"1.0.0\",",               /* an error: kept whole */
		"{\"name\":\"a\",\"version\":\"1\"}",                        /* no smaller: kept whole */
		"{\"name\":\"first\",\"name\":\"second\",\"version\":\"2\",\"padding\":\"............\"}",
	};
	static const bool reduced[] = { true, true, true, true, false, false, false, false, true };
	dd_catalog_set npm = dd_catalog_named("npm-package");
	ASSERT_TRUE(dd_catalog_reduces(npm));
	EXPECT_TRUE(!dd_catalog_reduces(0));
	for (size_t k = 0; k < sizeof docs / sizeof *docs; k++) {
		const unsigned char *d = (const unsigned char *)docs[k], *out;
		size_t n = strlen(docs[k]), outlen;
		struct dd_arena *a = dd_arena_new(0);
		struct dd_err err, e1, e2;
		struct dd_bytes b = dd_bytes_mem(d, n);
		ASSERT_OK(dd_catalog_reduce(npm, false, "node_modules/x/package.json", &b, a, &out,
					    &outlen, &err),
			  &err);
		EXPECT_EQ_INT(out != d, reduced[k]);
		struct dd_lang_sink s1, s2;
		struct dd_sbom *whole = new_sbom(&s1, "node_modules/x/package.json");
		struct dd_sbom *kept = new_sbom(&s2, "node_modules/x/package.json");
		dd_err_clear(&e1);
		dd_err_clear(&e2);
		dd_code r1 = dd_lang_parse_npm_package(d, n, false, &s1, &e1);
		dd_code r2 = dd_lang_parse_npm_package(out, outlen, false, &s2, &e2);
		EXPECT_EQ_INT(r1, r2);
		EXPECT_STR_EQ(e1.msg, e2.msg);
		EXPECT_EQ_INT(whole->npkgs, kept->npkgs);
		for (size_t i = 0; i < whole->npkgs && i < kept->npkgs; i++) {
			EXPECT_STR_EQ(whole->pkgs[i].name, kept->pkgs[i].name);
			EXPECT_STR_EQ(whole->pkgs[i].purl, kept->pkgs[i].purl);
		}
		dd_sbom_free(whole);
		dd_sbom_free(kept);
		dd_arena_free(a);
	}
}

/* The same result, error message and package from the reader and from
 * yajl alone. */
static void expect_as_yajl(const char *doc, size_t n)
{
	struct dd_lang_sink s1, s2;
	struct dd_sbom *fast = new_sbom(&s1, "node_modules/x/package.json");
	struct dd_sbom *yajl = new_sbom(&s2, "node_modules/x/package.json");
	struct dd_err e1, e2;
	dd_err_clear(&e1);
	dd_err_clear(&e2);
	dd_code r1 = dd_lang_parse_npm_package((const unsigned char *)doc, n, false, &s1, &e1);
	dd_code r2 = dd_lang_parse_npm_package_yajl((const unsigned char *)doc, n, false, &s2, &e2);
	EXPECT_EQ_INT(r1, r2);
	EXPECT_STR_EQ(e1.msg, e2.msg);
	EXPECT_EQ_INT(fast->npkgs, yajl->npkgs);
	if (fast->npkgs == 1 && yajl->npkgs == 1) {
		EXPECT_STR_EQ(fast->pkgs[0].purl, yajl->pkgs[0].purl);
		EXPECT_STR_EQ(fast->pkgs[0].version ? fast->pkgs[0].version : "-",
			      yajl->pkgs[0].version ? yajl->pkgs[0].version : "-");
	}
	dd_sbom_free(fast);
	dd_sbom_free(yajl);
}

/* The reader takes 64 bytes at a time: each piece of syntax whose reading
 * depends on the bytes before it (escapes, runs of backslashes, \u and its
 * digits, the quotes of a string, a key, a scalar, CR, tab, a byte it
 * leaves to yajl) is put at every offset across two block boundaries. The
 * result must be yajl's; and the valid pieces must be read by the two
 * passes themselves (the reducer keeps a smaller form only then), not left
 * to yajl, which would hide a slow path behind the same result. */
DD_TEST(two_pass_reader_at_every_block_offset)
{
	static const struct {
		const char *s;
		bool fast;
	} pieces[] = {
		{ "\"d\":\"a\\\"b\"", true },        { "\"d\":\"a\\\\\"", true },
		{ "\"d\":\"a\\\\\\\"b\"", true },   { "\"d\":\"\\u00e9\"", true },
		{ "\"d\":\"\\u00g9\"", false },        { "\"d\":\"\\x\"", false },
		{ "\"version\":\"1.2.3\"", true },     { "\"version\":\"1\\n\"", false },
		{ "\"n\":-12.5e+3", true },            { "\"t\":true", true },
		{ "\"f\":fals", false },               { "\"z\":null", true },
		{ "\"a\":[1,{},[],\"s\"]", true },     { "\r\n\t\"k\":\"v\"", true },
		{ "\"k\":\"caf\xc3\xa9\"", false },     { "\"k\":\"\x01\"", false },
		{ "\"k\"\x0b:1", false },              { "\"k\":\"v\"", true },
		{ "\"unterminated", false },
	};
	dd_catalog_set npm = dd_catalog_named("npm-package");
	char doc[512];
	for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
		for (size_t pad = 0; pad < 140; pad++) {
			/* {"name":"x","p":"<pad>",<piece>} */
			static const char dots[] =
				"................................................................"
				"................................................................"
				"................";
			int n = snprintf(doc, sizeof doc, "{\"name\":\"x\",\"p\":\"%.*s\",%s}",
					 (int)pad, dots, pieces[p].s);
			ASSERT_TRUE(n > 0 && (size_t)n < sizeof doc);
			expect_as_yajl(doc, (size_t)n);
			struct dd_arena *a = dd_arena_new(0);
			const unsigned char *out;
			size_t outlen;
			struct dd_err err;
			struct dd_bytes b = dd_bytes_mem((const unsigned char *)doc, (size_t)n);
			ASSERT_OK(dd_catalog_reduce(npm, false, "node_modules/x/package.json", &b, a,
						    &out, &outlen, &err),
				  &err);
			if ((out != (const unsigned char *)doc) != pieces[p].fast)
				dd_test_fail(__FILE__, __LINE__,
					     "piece %zu at pad %zu: %s by the two passes", p, pad,
					     pieces[p].fast ? "not read" : "read");
			dd_arena_free(a);
		}
	}
}

/* Bug: npm-package's reducer took node_modules/.package-lock.json, which
 * only it wants, for a package.json and kept {"name","version"} of it, so
 * every image and dir: scan lost the dev flags it holds. The lockfiles are
 * kept whole; checked on the reducer and through a whole dir: scan. */
DD_TEST(hidden_lockfile_kept_whole)
{
	static const char lock[] =
		"{\"name\":\"app\",\"version\":\"1.0.0\",\"lockfileVersion\":3,\"packages\":{"
		"\"node_modules/a\":{\"version\":\"1.0.0\",\"dev\":true},"
		"\"node_modules/b\":{\"version\":\"2.0.0\"}}}";
	dd_catalog_set npm = dd_catalog_named("npm-package");
	static const char *const paths[] = { "app/node_modules/.package-lock.json",
					     "app/package-lock.json" };
	for (size_t k = 0; k < 2; k++) {
		struct dd_arena *a = dd_arena_new(0);
		const unsigned char *out;
		size_t outlen;
		struct dd_err err;
		struct dd_bytes b = dd_bytes_mem((const unsigned char *)lock, strlen(lock));
		ASSERT_OK(dd_catalog_reduce(npm, false, paths[k], &b, a, &out, &outlen, &err), &err);
		EXPECT_TRUE(out == (const unsigned char *)lock && outlen == strlen(lock));
		dd_arena_free(a);
	}

	static const char app[] = "{\"name\":\"app\",\"version\":\"1.0.0\"}",
			  a_json[] = "{\"name\":\"a\",\"version\":\"1.0.0\",\"description\":\"dev\"}",
			  b_json[] = "{\"name\":\"b\",\"version\":\"2.0.0\",\"description\":\"prod\"}";
	dd_test_write("rootfs/app/package.json", app, strlen(app));
	dd_test_write("rootfs/app/node_modules/.package-lock.json", lock, strlen(lock));
	dd_test_write("rootfs/app/node_modules/a/package.json", a_json, strlen(a_json));
	dd_test_write("rootfs/app/node_modules/b/package.json", b_json, strlen(b_json));
	char image[4300];
	snprintf(image, sizeof image, "dir:%s/rootfs", dd_test_tmpdir());
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE };
	struct dd_sbom *s;
	struct dd_err err;
	ASSERT_OK(dd_sbom_from_image(image, &o, &s, &err), &err);
	const struct dd_package *a = pkg(s, "a", "1.0.0"), *b = pkg(s, "b", "2.0.0");
	ASSERT_TRUE(a != NULL && b != NULL);
	EXPECT_TRUE(a->flags & DD_PKG_DEV);
	EXPECT_TRUE(!(b->flags & DD_PKG_DEV));
	dd_sbom_free(s);
}
