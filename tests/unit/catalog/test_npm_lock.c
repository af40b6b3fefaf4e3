/* SPDX-License-Identifier: Apache-2.0 */
/* package-lock.json v1/v2/v3 (npm_lock.c), yarn.lock and pnpm-lock.yaml. */
#include "lang_test_util.h"

DD_TEST(lock_v1_nested_and_dev)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "package-lock.json");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_npm_lock(S("{\"lockfileVersion\":1,\"dependencies\":{"
					   "\"a\":{\"version\":\"1.0.0\",\"dependencies\":{\"b\":{\"version\":\"2.0.0\"}}},"
					   "\"@s/c\":{\"version\":\"3.0.0\",\"dev\":true}}}"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 3);
	EXPECT_HAS(sb, "b", "2.0.0");
	const struct dd_package *c = pkg(sb, "@s/c", "3.0.0");
	ASSERT_TRUE(c != NULL);
	EXPECT_TRUE(c->flags & DD_PKG_DEV);
	EXPECT_STR_EQ(c->namespace_, "@s");
	EXPECT_STR_EQ(c->purl, "pkg:npm/%40s/c@3.0.0");
	dd_sbom_free(sb);
}

DD_TEST(lock_v3_packages_win)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "package-lock.json");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_npm_lock(S("{\"lockfileVersion\":3,\"packages\":{"
					   "\"\":{\"name\":\"app\",\"version\":\"1.0.0\"},"
					   "\"node_modules/x\":{\"version\":\"1.1.0\",\"dev\":true},"
					   "\"node_modules/x/node_modules/@a/y\":{\"version\":\"0.1.0\"},"
					   "\"packages/ws\":{\"name\":\"ws-pkg\",\"version\":\"0.0.1\"}},"
					   "\"dependencies\":{\"ignored\":{\"version\":\"9\"}}}"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 3);
	EXPECT_TRUE(pkg(sb, "x", "1.1.0")->flags & DD_PKG_DEV);
	EXPECT_HAS(sb, "@a/y", "0.1.0");
	EXPECT_HAS(sb, "ws-pkg", "0.0.1");
	EXPECT_EQ_INT(dd_lang_parse_npm_lock(S("[1,2]"), &s, &err), DD_EINVAL);
	dd_sbom_free(sb);
}

DD_TEST(json_depth_limit)
{
	char deep[400];
	memset(deep, '[', sizeof deep);
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "x");
	struct dd_err err;
	EXPECT_EQ_INT(dd_lang_parse_npm_lock((const unsigned char *)deep, sizeof deep, &s, &err),
		      DD_ELIMIT);
	dd_sbom_free(sb);
}

DD_TEST(yarn_classic_and_berry)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "yarn.lock");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_yarn_lock(S("# yarn lockfile v1\n\n\n"
					    "\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n"
					    "  version \"7.12.13\"\n  resolved \"https://x\"\n\n"
					    "lodash@^4.17.15, lodash@^4.17.19:\n  version \"4.17.21\"\n"
					    "  dependencies:\n    version \"0\"\n"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "@babel/code-frame", "7.12.13");
	EXPECT_HAS(sb, "lodash", "4.17.21");
	dd_sbom_free(sb);
	sb = new_sbom(&s, "yarn.lock");
	ASSERT_OK(dd_lang_parse_yarn_lock(S("__metadata:\n  version: 6\n  cacheKey: 8\n\n"
					    "\"@types/node@npm:*, @types/node@npm:^18\":\n"
					    "  version: 18.11.9\n  resolution: \"@types/node@npm:18.11.9\"\n\n"
					    "\"app@workspace:.\":\n  version: 0.0.0-use.local\n\n"
					    "\"ms@npm:2.1.2\":\n  version: 2.1.2\n"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "@types/node", "18.11.9");
	EXPECT_HAS(sb, "ms", "2.1.2");
	dd_sbom_free(sb);
}

DD_TEST(pnpm_v5_v6_v9)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "pnpm-lock.yaml");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_pnpm_lock(S("lockfileVersion: 5.4\npackages:\n"
					    "  /ms/2.1.3:\n    dev: false\n"
					    "  /@babel/core/7.20.0_supports-color@8.0.0:\n    dev: true\n"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "ms", "2.1.3");
	EXPECT_TRUE(pkg(sb, "@babel/core", "7.20.0")->flags & DD_PKG_DEV);
	dd_sbom_free(sb);
	sb = new_sbom(&s, "pnpm-lock.yaml");
	ASSERT_OK(dd_lang_parse_pnpm_lock(S("lockfileVersion: '6.0'\npackages:\n"
					    "  /debug@4.3.4(supports-color@8.1.1):\n    dev: false\n"
					    "  /@types/node@18.0.0:\n    dev: true\n"), &s, &err), &err);
	EXPECT_HAS(sb, "debug", "4.3.4");
	EXPECT_HAS(sb, "@types/node", "18.0.0");
	dd_sbom_free(sb);
	sb = new_sbom(&s, "pnpm-lock.yaml");
	ASSERT_OK(dd_lang_parse_pnpm_lock(S("lockfileVersion: '9.0'\npackages:\n"
					    "  ms@2.1.3:\n    resolution: {integrity: x}\n"
					    "  '@scope/p@1.0.0':\n    resolution: {integrity: y}\n"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "@scope/p", "1.0.0");
	EXPECT_EQ_INT(dd_lang_parse_pnpm_lock(S("a: [\n"), &s, &err), DD_EINVAL);
	dd_sbom_free(sb);
}
