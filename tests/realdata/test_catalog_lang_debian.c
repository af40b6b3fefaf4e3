/* SPDX-License-Identifier: Apache-2.0 */
/*
 * images/debian-bookworm-minbase: Go binaries and Python distributions in
 * a Debian image, and the ownership rule. The dpkg cataloger lives on
 * another branch, so the test stands in for it: every
 * var/lib/dpkg/info/PKG.list of the final filesystem becomes a deb package
 * whose files are that list (what dpkg -L prints).
 *   - /usr/bin/age and /usr/bin/age-keygen: go1.19.8, GOPATH builds (no
 *     modules), owned by the Debian package age, still matched (no
 *     DD_PKG_OWNED_BY_OS);
 *   - /usr/sbin/gosu: whited out in layer 3, not reported;
 *   - dist-packages: certifi, chardet, charset_normalizer, idna, six,
 *     urllib3, all owned by their python3-* packages, so all marked
 *     DD_PKG_OWNED_BY_OS; requests, hidden by the opaque directory, absent.
 */
#include "catalog_lang_image.h"
#include "catalog/ownership.h"

static bool want_dpkg_list(const char *path, size_t len)
{
	return dd_lang_ends_with(path, len, ".list") &&
	       strncmp(path, "var/lib/dpkg/info/", 18) == 0;
}

struct lists {
	struct dd_sbom *s;
};

static int add_list(const struct dd_fs_file *f, void *ud)
{
	struct lists *l = ud;
	size_t len = strlen(f->path);
	if (f->type != DD_FS_REG || !f->data || !want_dpkg_list(f->path, len))
		return 0;
	char name[256];
	const char *b = dd_lang_basename(f->path);
	size_t bl = strlen(b) - 5;
	const char *colon = memchr(b, ':', bl);
	if (colon)
		bl = (size_t)(colon - b);
	snprintf(name, sizeof name, "%.*s", (int)bl, b);
	const char **files = calloc(f->size / 2 + 1, sizeof *files);
	char *copy = strndup((const char *)f->data, f->size);
	size_t nf = 0, pos = 0, ll;
	const char *line;
	while (dd_lang_next_line((const unsigned char *)copy, f->size, &pos, &line, &ll)) {
		((char *)line)[ll] = '\0';
		if (ll)
			files[nf++] = line;
	}
	struct dd_package p = { .type = "deb", .namespace_ = "debian", .name = name,
				.cataloger = "test-dpkg-list", .location = f->path,
				.layer = f->layer, .files = files, .nfiles = nf };
	struct dd_err err;
	dd_sbom_add(l->s, &p, &err);
	free(copy);
	free(files);
	return 0;
}

DD_TEST(debian_go_binaries_and_python_ownership)
{
	extra_want = want_dpkg_list;
	int nl;
	struct dd_fs *fs = load_docker_archive("images/debian-bookworm-minbase.docker.tar.gz", &nl);
	EXPECT_EQ_INT(nl, 3);
	struct dd_sbom *s = dd_sbom_new();
	s->image.transport = "docker-archive";
	struct lists l = { s };
	dd_fs_each(fs, add_list, &l);
	size_t ndeb = s->npkgs;
	EXPECT_EQ_INT(ndeb, 131); /* final dpkg database: curl purged */
	struct dd_err err;
	ASSERT_OK(dd_catalog_run(fs, s, false, &err), &err);
	dd_sbom_sort(s);

	size_t go = 0, py = 0;
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[i];
		if (!strcmp(p->type, "golang")) {
			go++;
			EXPECT_STR_EQ(p->name, "stdlib");
			EXPECT_STR_EQ(p->version, "1.19.8");
			EXPECT_STR_EQ(p->owner, "age");
			EXPECT_TRUE(!(p->flags & DD_PKG_OWNED_BY_OS));
			EXPECT_TRUE(!strcmp(p->location, "usr/bin/age") ||
				    !strcmp(p->location, "usr/bin/age-keygen"));
		} else if (!strcmp(p->type, "pypi")) {
			py++;
			EXPECT_TRUE(p->owner != NULL);
			EXPECT_TRUE(p->flags & DD_PKG_OWNED_BY_OS);
			EXPECT_EQ_INT(p->layer, 2);
		}
	}
	EXPECT_EQ_INT(go, 2);
	EXPECT_EQ_INT(py, 6);
	EXPECT_PKG(s, "pypi", "certifi", "2022.9.24");
	EXPECT_PKG(s, "pypi", "chardet", "5.1.0");
	EXPECT_PKG(s, "pypi", "charset-normalizer", "3.0.1");
	EXPECT_PKG(s, "pypi", "idna", "3.3");
	EXPECT_PKG(s, "pypi", "six", "1.16.0");
	EXPECT_PKG(s, "pypi", "urllib3", "1.26.12");
	EXPECT_TRUE(find_pkg(s, "pypi", "requests", NULL) == NULL);
	const struct dd_package *u = find_pkg(s, "pypi", "urllib3", NULL);
	ASSERT_TRUE(u != NULL);
	EXPECT_STR_EQ(u->owner, "python3-urllib3");
	for (size_t i = 0; i < s->npkgs; i++)
		EXPECT_TRUE(strstr(s->pkgs[i].location, "gosu") == NULL ||
			    !strcmp(s->pkgs[i].type, "deb"));
	if (go != 2 || py != 6)
		for (size_t i = 0; i < s->npkgs; i++)
			if (strcmp(s->pkgs[i].type, "deb"))
				fprintf(stderr, "  %s %s %s %s owner=%s\n", s->pkgs[i].type,
					s->pkgs[i].name, s->pkgs[i].version, s->pkgs[i].location,
					s->pkgs[i].owner ? s->pkgs[i].owner : "-");
	dd_sbom_free(s);
	dd_fs_free(fs);
	extra_want = NULL;
}

/* A dir: scan of a site-packages tree no OS package owns: every
 * distribution is reported and left to be matched against PyPI. */
DD_TEST(unowned_site_packages_dir_scan)
{
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/python/syft-dist-name.METADATA",
		   "venv/lib/python3.11/site-packages/Pygments-2.6.1.dist-info/METADATA", 0);
	put_shared(fs, "pkgdb/python/syft-egg-name.PKG-INFO",
		   "venv/lib/python3.11/site-packages/requests-2.22.0.egg-info/PKG-INFO", 0);
	struct dd_sbom *s = run_catalogers(fs, "dir");
	EXPECT_EQ_INT(s->npkgs, 2);
	for (size_t i = 0; i < s->npkgs; i++) {
		EXPECT_TRUE(s->pkgs[i].owner == NULL);
		EXPECT_EQ_INT(s->pkgs[i].flags & DD_PKG_OWNED_BY_OS, 0);
	}
	dd_sbom_free(s);
	dd_fs_free(fs);
}
