/* SPDX-License-Identifier: Apache-2.0 */
/*
 * images/node-app: the npm catalogers against `npm ls --all --json`
 * (node-app.expected-npm-ls.json, 58 installed packages), on the image's
 * package-lock.json (a dir: scan) and on the installed tree unpacked from
 * the image at test time, where the esbuild Go binary must show up too.
 */
#include "catalog_lang_image.h"

struct expect {
	char name[128], version[64];
};

static size_t collect(const struct dd_json *deps, struct expect *out, size_t n, size_t cap)
{
	dd_json_each(d, dd_json_as(deps, DD_JSON_OBJECT)) {
		const char *v = dd_json_str(d, "version");
		if (v) { /* {} = optional platform package, not installed */
			bool dup = false;
			for (size_t k = 0; k < n; k++)
				dup |= !strcmp(out[k].name, d->key) &&
				       !strcmp(out[k].version, v);
			if (!dup && n < cap) {
				snprintf(out[n].name, sizeof out[n].name, "%s", d->key);
				snprintf(out[n].version, sizeof out[n].version, "%s", v);
				n++;
			}
		}
		n = collect(dd_json_get(d, "dependencies"), out, n, cap);
	}
	return n;
}

static size_t load_expected(struct expect *out, size_t cap)
{
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 1 << 20);
	ASSERT_OK(dd_buf_read_file(&b, dd_test_shared("images/node-app.expected-npm-ls.json"), &err),
		  &err);
	struct dd_json_doc doc;
	ASSERT_OK(dd_json_doc_parse(&doc, b.data, b.len, &err), &err);
	size_t n = collect(dd_json_get(doc.root, "dependencies"), out, 0, cap);
	dd_json_doc_release(&doc);
	dd_buf_release(&b);
	return n;
}

DD_TEST(node_app_package_lock_dir_scan)
{
	struct expect exp[256];
	size_t ne = load_expected(exp, 256);
	EXPECT_EQ_INT(ne, 58);
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "images/node-app.package-lock.json", "app/package-lock.json", 0);
	put_shared(fs, "images/node-app.package.json", "app/package.json", 0);
	struct dd_sbom *s = run_catalogers(fs, "dir");
	/* 58 installed + 21 optional @esbuild/<os>-<arch> npm records but
	 * does not install on linux-x64. */
	EXPECT_EQ_INT(count_type(s, "npm"), 79);
	for (size_t i = 0; i < ne; i++)
		EXPECT_PKG(s, "npm", exp[i].name, exp[i].version);
	const struct dd_package *p = find_pkg(s, "npm", "@esbuild/linux-x64", "0.17.19");
	ASSERT_TRUE(p != NULL);
	EXPECT_STR_EQ(p->purl, "pkg:npm/%40esbuild/linux-x64@0.17.19");
	EXPECT_STR_EQ(p->location, "app/package-lock.json");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(node_app_image_installed_tree)
{
	struct expect exp[256];
	size_t ne = load_expected(exp, 256);
	int nl;
	struct dd_fs *fs = load_docker_archive("images/node-app.docker.tar.gz", &nl);
	EXPECT_EQ_INT(nl, 2);
	struct dd_sbom *s = run_catalogers(fs, "docker-archive");
	size_t inst = 0, app = 0;
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[i];
		if (!strcmp(p->cataloger, "npm-package")) {
			inst++;
			EXPECT_EQ_INT(p->layer, 1);
		}
		app += !strcmp(p->cataloger, "npm-app");
	}
	EXPECT_EQ_INT(inst, 58);
	EXPECT_EQ_INT(app, 1);
	for (size_t i = 0; i < ne; i++)
		EXPECT_PKG(s, "npm", exp[i].name, exp[i].version);
	EXPECT_PKG(s, "npm", "node-app", "1.0.0");
	/* The nested copy keeps its own version and location. */
	const struct dd_package *ms = find_pkg(s, "npm", "ms", "2.1.1");
	ASSERT_TRUE(ms != NULL);
	EXPECT_STR_EQ(ms->location, "app/node_modules/send/node_modules/ms/package.json");
	/* Lockfile not read outside dir: scans: no duplicates. */
	EXPECT_EQ_INT(count_type(s, "npm"), 59);
	/* The esbuild binary: module mode, go1.20.4, one dependency. */
	EXPECT_EQ_INT(count_type(s, "golang"), 3);
	EXPECT_PKG(s, "golang", "stdlib", "1.20.4");
	EXPECT_PKG(s, "golang", "github.com/evanw/esbuild", "(devel)");
	EXPECT_PKG(s, "golang", "golang.org/x/sys", "v0.0.0-20220715151400-c0bba94af5f8");
	const struct dd_package *g = find_pkg(s, "golang", "stdlib", NULL);
	ASSERT_TRUE(g != NULL);
	EXPECT_STR_EQ(g->location, "app/node_modules/@esbuild/linux-x64/bin/esbuild");
	if (s->npkgs != 62)
		dump(s);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

/* A dir: scan of the installed project, where both package-lock.json and
 * node_modules are read: each installed package is reported once, as
 * installed (the lockfile's copy is folded into it, declared.c), and the
 * lockfile adds only the 21 optional @esbuild packages for other
 * platforms, which are not installed. */
DD_TEST(node_app_dir_scan_reports_installed_packages_once)
{
	struct expect exp[256];
	size_t ne = load_expected(exp, 256);
	int nl;
	struct dd_fs *fs = load_docker_archive("images/node-app.docker.tar.gz", &nl);
	struct dd_sbom *s = run_catalogers(fs, "dir");
	size_t inst = 0, lock = 0;
	for (size_t i = 0; i < s->npkgs; i++) {
		inst += !strcmp(s->pkgs[i].cataloger, "npm-package");
		lock += !strcmp(s->pkgs[i].cataloger, "npm-lock");
	}
	EXPECT_EQ_INT(inst, 58);
	EXPECT_EQ_INT(lock, 21);
	for (size_t i = 0; i < ne; i++) {
		size_t n = 0;
		for (size_t k = 0; k < s->npkgs; k++)
			n += !strcmp(s->pkgs[k].type, "npm") && !strcmp(s->pkgs[k].name, exp[i].name) &&
			     !strcmp(s->pkgs[k].version, exp[i].version);
		if (n != 1)
			dd_test_fail(__FILE__, __LINE__, "%s@%s reported %zu times", exp[i].name,
				     exp[i].version, n);
	}
	const struct dd_package *p = find_pkg(s, "npm", "@esbuild/darwin-arm64", NULL);
	ASSERT_TRUE(p != NULL);
	EXPECT_STR_EQ(p->location, "app/package-lock.json");
	dd_sbom_free(s);
	dd_fs_free(fs);
}
