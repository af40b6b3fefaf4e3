/* SPDX-License-Identifier: Apache-2.0 */
/* go.mod and go.sum (go_mod.c). */
#include "lang_test_util.h"

DD_TEST(require_and_replace)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "go.mod");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_go_mod(S("module example.com/app\n\ngo 1.21\n\n"
					 "require github.com/a/b v1.2.3\n"
					 "require (\n\tgolang.org/x/text v0.3.7 // indirect\n"
					 "\tgithub.com/old/x v1.0.0\n\tgithub.com/local/y v0.1.0\n)\n"
					 "replace github.com/old/x => github.com/new/x v1.0.1\n"
					 "replace (\n\tgithub.com/local/y => ../y\n)\n"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 4);
	EXPECT_HAS(sb, "github.com/a/b", "v1.2.3");
	EXPECT_HAS(sb, "golang.org/x/text", "v0.3.7");
	EXPECT_HAS(sb, "github.com/new/x", "v1.0.1");
	EXPECT_HAS(sb, "github.com/local/y", "v0.1.0");
	EXPECT_STR_EQ(pkg(sb, "github.com/a/b", NULL)->purl, "pkg:golang/github.com/a/b@v1.2.3");
	dd_sbom_free(sb);
}

DD_TEST(go_sum_fills_pre_1_17)
{
	struct dd_fs *fs = dd_fs_new();
	struct dd_err err;
	const char *mod = "module m\ngo 1.16\nrequire github.com/a/b v1.2.3\n";
	const char *sum = "github.com/a/b v1.2.3 h1:x=\ngithub.com/a/b v1.2.3/go.mod h1:y=\n"
			  "github.com/c/d v1.9.0/go.mod h1:z=\ngithub.com/c/d v1.10.0 h1:w=\n";
	struct dd_fs_file f1 = { .path = "src/go.mod", .type = DD_FS_REG,
				 .data = (const unsigned char *)mod, .size = strlen(mod) };
	struct dd_fs_file f2 = { .path = "src/go.sum", .type = DD_FS_REG,
				 .data = (const unsigned char *)sum, .size = strlen(sum) };
	ASSERT_OK(dd_fs_put(fs, &f1, &err), &err);
	ASSERT_OK(dd_fs_put(fs, &f2, &err), &err);
	struct dd_sbom *sb = dd_sbom_new();
	sb->image.transport = "dir";
	ASSERT_OK(dd_catalog_run(fs, sb, false, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "github.com/a/b", "v1.2.3");
	EXPECT_HAS(sb, "github.com/c/d", "v1.10.0");
	dd_sbom_free(sb);
	dd_fs_free(fs);
}
