/* SPDX-License-Identifier: Apache-2.0 */
/* requirements*.txt, poetry.lock, uv.lock, Pipfile.lock (python_lock.c). */
#include "lang_test_util.h"

DD_TEST(requirements_pins_only)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "requirements.txt");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_python_lock(S("# comment\n"
					      "-r base.txt\n"
					      "--index-url https://x\n"
					      "Django==4.2.1\n"
					      "requests[socks] == 2.31.0 ; python_version >= \"3.8\"\n"
					      "urllib3==1.26.18 \\\n    --hash=sha256:abc\n"
					      "flask>=2.0\n"
					      "six==1.*\n"
					      "attrs==23.1.0, !=23.1.1\n"
					      "pkg===1.0-local\n"
					      "-e git+https://x/y.git#egg=z\n"),
					    "requirements-dev.txt", &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 4);
	EXPECT_HAS(sb, "django", "4.2.1");
	EXPECT_HAS(sb, "requests", "2.31.0");
	EXPECT_HAS(sb, "urllib3", "1.26.18");
	EXPECT_HAS(sb, "pkg", "1.0-local");
	dd_sbom_free(sb);
}

DD_TEST(poetry_and_uv)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "poetry.lock");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_python_lock(S("[[package]]\nname = \"Click\"\nversion = \"8.1.3\"\n"
					      "category = \"main\"\n\n[package.dependencies]\n"
					      "colorama = {version = \"*\"}\n\n"
					      "[[package]]\nname = \"pytest\"\nversion = \"7.0.0\"\n"
					      "category = \"dev\"\n\n[metadata]\nlock-version = \"1.1\"\n"),
					    "poetry.lock", &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "click", "8.1.3");
	EXPECT_TRUE(pkg(sb, "pytest", "7.0.0")->flags & DD_PKG_DEV);
	EXPECT_TRUE(!(pkg(sb, "click", NULL)->flags & DD_PKG_DEV));
	dd_sbom_free(sb);
	sb = new_sbom(&s, "uv.lock");
	ASSERT_OK(dd_lang_parse_python_lock(S("version = 1\n\n[[package]]\nname = \"anyio\"\n"
					      "version = \"4.4.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
					      "[[package.wheels]]\nurl = \"x\"\n\n"
					      "[[package]]\nname = \"idna\"\nversion = \"3.7\"\n"),
					    "uv.lock", &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "anyio", "4.4.0");
	EXPECT_HAS(sb, "idna", "3.7");
	dd_sbom_free(sb);
}

DD_TEST(pipfile_lock)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "Pipfile.lock");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_python_lock(S("{\"_meta\":{},\"default\":{\"Jinja2\":{\"version\":\"==3.1.2\"}},"
					      "\"develop\":{\"black\":{\"version\":\"==23.1.0\"}}}"),
					    "Pipfile.lock", &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "jinja2", "3.1.2");
	EXPECT_TRUE(pkg(sb, "black", "23.1.0")->flags & DD_PKG_DEV);
	EXPECT_EQ_INT(dd_lang_parse_python_lock(S("{"), "Pipfile.lock", &s, &err), DD_EINVAL);
	dd_sbom_free(sb);
}
