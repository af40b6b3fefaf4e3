/* SPDX-License-Identifier: Apache-2.0 */
/* The ownership rule (ownership.c): interpreted packages owned by an OS
 * package are marked and not matched; Go/Rust binaries keep identity. */
#include "catalog/ownership.h"
#include "lang_test_util.h"

static void add(struct dd_sbom *s, const char *type, const char *name, const char *loc,
		const char **files, size_t nf)
{
	struct dd_package p = { .type = type, .name = name, .location = loc, .files = files,
				.nfiles = nf };
	struct dd_err err;
	ASSERT_OK(dd_sbom_add(s, &p, &err), &err);
}

DD_TEST(rule)
{
	struct dd_sbom *s = dd_sbom_new();
	const char *urllib3[] = { "/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info",
				  "/usr/lib/python3/dist-packages/urllib3/__init__.py" };
	const char *age[] = { "/usr/bin/age", "/usr/share/doc/age/copyright" };
	const char *libfoo[] = { "/usr/share/java/foo.jar" };
	const char *oldbin[] = { "/bin/tool" };
	add(s, "deb", "python3-urllib3", "var/lib/dpkg/status", urllib3, 2);
	add(s, "deb", "age", "var/lib/dpkg/status", age, 2);
	add(s, "deb", "libfoo-java", "var/lib/dpkg/status", libfoo, 1);
	add(s, "apk", "tool", "lib/apk/db/installed", oldbin, 1);
	add(s, "pypi", "urllib3", "usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO", NULL, 0);
	add(s, "pypi", "mine", "usr/local/lib/python3.11/site-packages/mine-1.0.dist-info/METADATA", NULL, 0);
	add(s, "golang", "stdlib", "usr/bin/age", NULL, 0);
	add(s, "maven", "g:foo", "usr/share/java/foo.jar:lib/inner.jar", NULL, 0);
	add(s, "cargo", "x", "usr/bin/tool", NULL, 0); /* merged /usr */
	struct dd_err err;
	ASSERT_OK(dd_catalog_ownership(s, &err), &err);
	EXPECT_STR_EQ(s->pkgs[4].owner, "python3-urllib3");
	EXPECT_TRUE(s->pkgs[4].flags & DD_PKG_OWNED_BY_OS);
	EXPECT_TRUE(s->pkgs[5].owner == NULL);
	EXPECT_EQ_INT(s->pkgs[5].flags, 0);
	EXPECT_STR_EQ(s->pkgs[6].owner, "age");
	EXPECT_EQ_INT(s->pkgs[6].flags & DD_PKG_OWNED_BY_OS, 0);
	EXPECT_STR_EQ(s->pkgs[7].owner, "libfoo-java");
	EXPECT_TRUE(s->pkgs[7].flags & DD_PKG_OWNED_BY_OS);
	EXPECT_STR_EQ(s->pkgs[8].owner, "tool");
	EXPECT_EQ_INT(s->pkgs[8].flags & DD_PKG_OWNED_BY_OS, 0);
	for (size_t i = 0; i < 4; i++)
		EXPECT_TRUE(s->pkgs[i].owner == NULL);
	dd_sbom_free(s);
}
