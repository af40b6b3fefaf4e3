/* SPDX-License-Identifier: Apache-2.0 */
/* Composer installed.json v1/v2 and composer.lock (composer.c); .NET
 * deps.json (dotnet_deps.c). */
#include "lang_test_util.h"

DD_TEST(installed_v1_v2_and_lock)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "vendor/composer/installed.json");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_composer(S("[{\"name\":\"monolog/monolog\",\"version\":\"1.25.1\"}]"), &s, &err), &err);
	ASSERT_OK(dd_lang_parse_composer(S("{\"packages\":[{\"name\":\"a/b\",\"version\":\"v2.0.0\"},"
					   "{\"name\":\"c/d\",\"version\":\"1.0.0\"}],\"dev\":true,"
					   "\"dev-package-names\":[\"c/d\"]}"), &s, &err), &err);
	ASSERT_OK(dd_lang_parse_composer(S("{\"packages\":[],\"packages-dev\":[{\"name\":\"e/f\",\"version\":\"3\"}]}"),
					 &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 4);
	EXPECT_STR_EQ(pkg(sb, "monolog/monolog", NULL)->purl, "pkg:composer/monolog/monolog@1.25.1");
	EXPECT_TRUE(!(pkg(sb, "a/b", NULL)->flags & DD_PKG_DEV));
	EXPECT_TRUE(pkg(sb, "c/d", NULL)->flags & DD_PKG_DEV);
	EXPECT_TRUE(pkg(sb, "e/f", NULL)->flags & DD_PKG_DEV);
	EXPECT_EQ_INT(dd_lang_parse_composer(S("\"x\""), &s, &err), DD_EINVAL);
	dd_sbom_free(sb);
}

DD_TEST(dotnet_deps_packages_only)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "app/App.deps.json");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_dotnet_deps(S("{\"runtimeTarget\":{\"name\":\".NETCoreApp,Version=v6.0\"},"
					      "\"libraries\":{\"App/1.0.0\":{\"type\":\"project\"},"
					      "\"Newtonsoft.Json/13.0.1\":{\"type\":\"package\",\"sha512\":\"x\"},"
					      "\"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/6.0.5\":{\"type\":\"runtimepack\"}}}"),
					    &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_STR_EQ(pkg(sb, "Newtonsoft.Json", "13.0.1")->purl, "pkg:nuget/Newtonsoft.Json@13.0.1");
	dd_sbom_free(sb);
}
