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
