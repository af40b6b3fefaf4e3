/* SPDX-License-Identifier: Apache-2.0 */
/* The declared-and-installed fold (declared.c): a package a lockfile
 * declares is reported once when the same project has it installed. */
#include "catalog/declared.h"
#include "lang_test_util.h"

static void add(struct dd_sbom *s, const char *cataloger, const char *type, const char *name,
		const char *version, const char *loc, unsigned flags)
{
	struct dd_package p = { .type = type, .name = name, .version = version, .location = loc,
				.cataloger = cataloger, .flags = flags };
	struct dd_err err;
	ASSERT_OK(dd_sbom_add(s, &p, &err), &err);
}

static const struct dd_package *at(const struct dd_sbom *s, const char *cataloger,
				   const char *name, const char *version)
{
	for (size_t i = 0; i < s->npkgs; i++)
		if (!strcmp(s->pkgs[i].cataloger, cataloger) && !strcmp(s->pkgs[i].name, name) &&
		    !strcmp(s->pkgs[i].version, version))
			return &s->pkgs[i];
	return NULL;
}

DD_TEST(lockfile_and_installed_tree_report_once)
{
	struct dd_sbom *s = dd_sbom_new();
	/* Installed below the lockfile's directory: folded, dev flag kept. */
	add(s, "npm-lock", "npm", "axios", "0.21.0", "app/package-lock.json", DD_PKG_DEV);
	add(s, "npm-package", "npm", "axios", "0.21.0", "app/node_modules/axios/package.json", 0);
	/* Out of sync: the lockfile says one version, another is installed. */
	add(s, "npm-lock", "npm", "lodash", "4.17.21", "app/package-lock.json", 0);
	add(s, "npm-package", "npm", "lodash", "4.17.20", "app/node_modules/lodash/package.json", 0);
	/* Declared, not installed (an optional package for another platform). */
	add(s, "npm-lock", "npm", "@esbuild/darwin-arm64", "0.17.19", "app/package-lock.json", 0);
	/* Installed in another project: not a twin. */
	add(s, "npm-lock", "npm", "ms", "2.1.3", "web/package-lock.json", 0);
	add(s, "npm-package", "npm", "ms", "2.1.3", "app/node_modules/ms/package.json", 0);
	/* A lockfile at the root covers the whole tree; nested copies too. */
	add(s, "yarn-lock", "npm", "debug", "2.6.9", "yarn.lock", 0);
	add(s, "npm-package", "npm", "debug", "2.6.9", "app/node_modules/x/node_modules/debug/package.json", 0);
	/* A virtualenv inside the project; an OS package is never a twin. */
	add(s, "python-lock", "pypi", "requests", "2.31.0", "proj/poetry.lock", 0);
	add(s, "python-dist", "pypi", "requests", "2.31.0",
	    "proj/.venv/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA", 0);
	add(s, "python-lock", "pypi", "six", "1.16.0", "proj/poetry.lock", 0);
	add(s, "dpkg", "deb", "six", "1.16.0", "var/lib/dpkg/status", 0);
	/* go.mod and a binary built in the module's directory. */
	add(s, "go-mod", "golang", "golang.org/x/net", "v0.17.0", "svc/go.mod", 0);
	add(s, "go-binary", "golang", "golang.org/x/net", "v0.17.0", "svc/bin/server", 0);
	struct dd_err err;
	ASSERT_OK(dd_catalog_fold_declared(s, &err), &err);
	EXPECT_EQ_INT(s->npkgs, 11);
	EXPECT_TRUE(at(s, "npm-lock", "axios", "0.21.0") == NULL);
	const struct dd_package *p = at(s, "npm-package", "axios", "0.21.0");
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ_INT(p->flags, DD_PKG_DEV);
	EXPECT_TRUE(at(s, "npm-lock", "lodash", "4.17.21") && at(s, "npm-package", "lodash", "4.17.20"));
	EXPECT_TRUE(at(s, "npm-lock", "@esbuild/darwin-arm64", "0.17.19") != NULL);
	EXPECT_TRUE(at(s, "npm-lock", "ms", "2.1.3") && at(s, "npm-package", "ms", "2.1.3"));
	EXPECT_TRUE(at(s, "yarn-lock", "debug", "2.6.9") == NULL);
	EXPECT_TRUE(at(s, "python-lock", "requests", "2.31.0") == NULL);
	EXPECT_TRUE(at(s, "python-dist", "requests", "2.31.0") != NULL);
	EXPECT_TRUE(at(s, "python-lock", "six", "1.16.0") != NULL);
	EXPECT_TRUE(at(s, "go-mod", "golang.org/x/net", "v0.17.0") == NULL);
	/* Order kept: the SBOM is sorted later, but nothing else moves. */
	EXPECT_STR_EQ(s->pkgs[0].name, "axios");
	EXPECT_STR_EQ(s->pkgs[s->npkgs - 1].cataloger, "go-binary");
	dd_sbom_free(s);
}

DD_TEST(nothing_declared_nothing_moves)
{
	struct dd_sbom *s = dd_sbom_new();
	add(s, "npm-package", "npm", "a", "1.0.0", "node_modules/a/package.json", 0);
	add(s, "npm-package", "npm", "a", "1.0.0", "x/node_modules/a/package.json", 0);
	struct dd_err err;
	ASSERT_OK(dd_catalog_fold_declared(s, &err), &err);
	EXPECT_EQ_INT(s->npkgs, 2);
	dd_sbom_free(s);
}

/* The fold knows the declaring catalogers by name. Every cataloger that
 * reports something in a dir: scan and nothing in an image scan (the
 * lockfile readers) must be in that list, or its packages would be
 * reported beside their installed copies again. One small lockfile of
 * each kind. */
DD_TEST(every_lockfile_cataloger_is_known_to_the_fold)
{
	static const struct {
		const char *path, *text;
	} files[] = {
		{ "p/package-lock.json", "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"p\"},"
					 "\"node_modules/a\":{\"version\":\"1.0.0\"}}}" },
		{ "p/yarn.lock", "a@^1.0.0:\n  version \"1.0.0\"\n" },
		{ "p/pnpm-lock.yaml", "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0:\n"
				      "    resolution: {integrity: sha512-x}\n" },
		{ "p/requirements.txt", "a==1.0.0\n" },
		{ "p/Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0.0)\n\n"
				    "PLATFORMS\n  ruby\n" },
		{ "p/composer.lock", "{\"packages\":[{\"name\":\"v/a\",\"version\":\"1.0.0\"}]}" },
		{ "p/Cargo.lock", "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n" },
		{ "p/go.mod", "module example.com/p\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n" },
	};
	struct dd_fs *fs = dd_fs_new();
	struct dd_err err;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		struct dd_fs_file f = { .path = files[i].path, .type = DD_FS_REG,
					.data = (const unsigned char *)files[i].text,
					.size = strlen(files[i].text) };
		ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
	}
	struct dd_sbom *dir = dd_sbom_new(), *img = dd_sbom_new();
	dir->image.transport = "dir";
	img->image.transport = "docker-archive";
	ASSERT_OK(dd_catalog_run(fs, dir, false, &err), &err);
	ASSERT_OK(dd_catalog_run(fs, img, false, &err), &err);
	EXPECT_EQ_INT(img->npkgs, 0);
	/* Each file gave a package, so each lockfile cataloger was seen. */
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		bool seen = false;
		for (size_t k = 0; k < dir->npkgs; k++)
			seen |= !strcmp(dir->pkgs[k].location, files[i].path);
		if (!seen)
			dd_test_fail(__FILE__, __LINE__, "%s: no package", files[i].path);
	}
	for (size_t k = 0; k < dir->npkgs; k++)
		if (!dd_catalog_declares(dir->pkgs[k].cataloger))
			dd_test_fail(__FILE__, __LINE__, "%s (%s) is not known to declared.c",
				     dir->pkgs[k].cataloger, dir->pkgs[k].location);
	dd_sbom_free(dir);
	dd_sbom_free(img);
	dd_fs_free(fs);
}
