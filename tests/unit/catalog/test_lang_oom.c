/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Out of memory in the language catalogers (STYLE.md §6): a filesystem
 * view with one file of most formats is cataloged again and again, with
 * the Nth allocation failing each time (util/alloc.h hook). Every run must
 * end with DD_OK or DD_ENOMEM, never crash or leak (the ASan build checks
 * leaks), and the run without failures finds every package.
 */
#include <zlib.h>

#include "catalog/catalog.h"
#include "lang_test_util.h"
#include "util/alloc.h"

static void put(struct dd_fs *fs, const char *path, const void *d, size_t n)
{
	struct dd_err err;
	struct dd_fs_file f = { .path = path, .type = DD_FS_REG, .data = d, .size = n };
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
}

#define PUTS(fs, path, str) put(fs, path, str, strlen(str))

static struct dd_fs *build(void)
{
	struct dd_fs *fs = dd_fs_new();
	PUTS(fs, "usr/lib/python3/site-packages/a-1.dist-info/METADATA", "Name: a\nVersion: 1\n");
	PUTS(fs, "app/node_modules/b/package.json", "{\"name\":\"b\",\"version\":\"2.0.0\"}");
	PUTS(fs, "app/node_modules/.package-lock.json",
	     "{\"packages\":{\"node_modules/b\":{\"version\":\"2.0.0\",\"dev\":true}}}");
	PUTS(fs, "app/package.json", "{\"name\":\"app\",\"version\":\"1.0.0\"}");
	PUTS(fs, "src/package-lock.json", "{\"lockfileVersion\":1,\"dependencies\":{\"c\":{\"version\":\"3\"}}}");
	PUTS(fs, "src/Cargo.lock", "[[package]]\nname = \"d\"\nversion = \"4\"\n");
	PUTS(fs, "src/go.mod", "module m\ngo 1.16\nrequire e.org/e v1.0.0\n");
	PUTS(fs, "src/go.sum", "f.org/f v1.0.0 h1:x=\n");
	PUTS(fs, "src/Gemfile.lock", "GEM\n  specs:\n    g (5)\n");
	PUTS(fs, "src/composer.lock", "{\"packages\":[{\"name\":\"h/h\",\"version\":\"6\"}]}");
	PUTS(fs, "src/yarn.lock", "i@^7:\n  version \"7.0.0\"\n");
	PUTS(fs, "src/pnpm-lock.yaml", "lockfileVersion: '6.0'\npackages:\n  /j@8.0.0:\n    dev: false\n");
	PUTS(fs, "src/requirements.txt", "k==9\n");
	PUTS(fs, "src/poetry.lock", "[[package]]\nname = \"l\"\nversion = \"10\"\n");
	PUTS(fs, "var/lib/gems/3.1.0/specifications/m-11.gemspec", "s.name = \"m\"\ns.version = \"11\"\n");
	PUTS(fs, "app/App.deps.json", "{\"libraries\":{\"N/12\":{\"type\":\"package\"}}}");
	PUTS(fs, "app/vendor/composer/installed.json", "[{\"name\":\"o/o\",\"version\":\"13\"}]");
	unsigned char z[256];
	uLongf zl = sizeof z;
	const char *audit = "{\"packages\":[{\"name\":\"p\",\"version\":\"14\"}]}";
	compress(z, &zl, (const Bytef *)audit, strlen(audit));
	struct elf_sec secs[] = { { ".dep-v0", 0, z, zl } };
	size_t n;
	unsigned char *elf = make_elf(1, 0, secs, 1, &n);
	put(fs, "usr/bin/rusty", elf, n);
	free(elf);
	return fs;
}

DD_TEST(every_allocation_fails_once)
{
	struct dd_fs *fs = build();
	struct dd_err err;
	struct dd_sbom *s = dd_sbom_new();
	s->image.transport = "dir";
	dd_alloc_fail_at(0);
	unsigned long before = dd_alloc_count();
	ASSERT_OK(dd_catalog_run(fs, s, false, &err), &err);
	unsigned long total = dd_alloc_count() - before;
	EXPECT_EQ_INT(s->npkgs, 17);
	if (s->npkgs != 17)
		for (size_t i = 0; i < s->npkgs; i++)
			fprintf(stderr, "  %s %s\n", s->pkgs[i].name, s->pkgs[i].location);
	dd_sbom_free(s);
	size_t nomem = 0;
	for (unsigned long i = 1; i <= total + 5; i++) {
		s = dd_sbom_new();
		ASSERT_TRUE(s != NULL);
		s->image.transport = "dir";
		dd_alloc_fail_at(i);
		dd_code rc = dd_catalog_run(fs, s, false, &err);
		dd_alloc_fail_at(0);
		EXPECT_TRUE(rc == DD_OK || rc == DD_ENOMEM);
		nomem += rc == DD_ENOMEM;
		dd_sbom_free(s);
	}
	EXPECT_TRUE(nomem > 0);
	fprintf(stderr, "  %lu allocations, %zu runs ended in DD_ENOMEM\n", total, nomem);
	dd_fs_free(fs);
}
