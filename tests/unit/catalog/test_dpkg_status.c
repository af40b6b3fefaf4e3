/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpkg cataloger (catalog/dpkg_status.c): package states, Source forms,
 * status.d, file lists, layer attribution over lower versions of the
 * status file, purls, malformed stanzas, out-of-memory at every allocation.
 */
#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "dd_test.h"
#include "os_test_util.h"
#include "util/alloc.h"

static const struct dd_package *find(const struct dd_sbom *s, const char *name)
{
	for (size_t i = 0; i < s->npkgs; i++)
		if (strcmp(s->pkgs[i].name, name) == 0)
			return &s->pkgs[i];
	return NULL;
}

DD_TEST(status_states)
{
	static const struct { const char *status; int present; } cases[] = {
		{ "install ok installed", 1 },      { "hold ok installed", 1 },
		{ "install ok half-installed", 1 }, { "install reinstreq half-installed", 1 },
		{ "install ok unpacked", 1 },       { "install ok half-configured", 1 },
		{ "install ok triggers-awaited", 1 }, { "install ok triggers-pending", 1 },
		{ "deinstall ok installed", 1 },    { "purge ok not-installed", 0 },
		{ "deinstall ok config-files", 0 }, { "unknown ok not-installed", 0 },
		{ "install ok", -1 },               { "install ok installed extra", -1 },
		{ "install maybe installed", -1 },  { "want ok installed", -1 },
		{ "install ok gone", -1 },          { "", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		EXPECT_EQ_INT(dd_dpkg_status_present(cases[i].status, strlen(cases[i].status)),
			      cases[i].present);
}

DD_TEST(fields_source_and_purl)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", 0);
	os_put(fs, "var/lib/dpkg/status",
	       "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
	       "Source: glibc\nVersion: 2.36-9+deb12u10\nDescription: GNU C Library\n"
	       " continuation: not a field\n\n"
	       "package: libfoo1\nSTATUS: install ok installed\narchitecture: arm64\n"
	       "Source: foo (1.2-3)\nVersion: 1.2-3+b1\n\n"
	       "Package: adduser\nStatus: install ok installed\nArchitecture: all\nVersion: 3.134\n\n"
	       "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
	       "Package: half\nStatus: install reinstreq half-installed\nVersion: 2\n",
	       0);
	os_put(fs, "var/lib/dpkg/info/libc6:amd64.list", "/.\n/usr\n/usr/lib/x86_64-linux-gnu/libc.so.6\n", 0);
	os_put(fs, "var/lib/dpkg/info/adduser.list", "/.\n/usr/sbin/adduser\n", 0);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 4);
	EXPECT_EQ_INT(s->nwarnings, 0);

	const struct dd_package *p = find(s, "libc6");
	ASSERT_TRUE(p);
	EXPECT_STR_EQ(p->type, "deb");
	EXPECT_STR_EQ(p->namespace_, "debian");
	EXPECT_STR_EQ(p->arch, "amd64");
	EXPECT_STR_EQ(p->source_name, "glibc");
	EXPECT_STR_EQ(p->source_version, "2.36-9+deb12u10");
	EXPECT_STR_EQ(p->purl, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12&upstream=glibc");
	EXPECT_STR_EQ(p->location, "var/lib/dpkg/status");
	EXPECT_STR_EQ(p->cataloger, "dpkg");
	EXPECT_EQ_INT(p->layer, 0);
	ASSERT_EQ_INT(p->nfiles, 2);
	EXPECT_STR_EQ(p->files[0], "usr");
	EXPECT_STR_EQ(p->files[1], "usr/lib/x86_64-linux-gnu/libc.so.6");

	p = find(s, "libfoo1");
	ASSERT_TRUE(p);
	EXPECT_STR_EQ(p->source_name, "foo");
	EXPECT_STR_EQ(p->source_version, "1.2-3");
	EXPECT_STR_EQ(p->purl, "pkg:deb/debian/libfoo1@1.2-3%2Bb1?arch=arm64&distro=debian-12&upstream=foo%401.2-3");
	EXPECT_EQ_INT(p->nfiles, 0);

	p = find(s, "adduser");
	ASSERT_TRUE(p);
	EXPECT_STR_EQ(p->source_name, "adduser");
	EXPECT_STR_EQ(p->source_version, "3.134");
	EXPECT_STR_EQ(p->purl, "pkg:deb/debian/adduser@3.134?arch=all&distro=debian-12");
	EXPECT_EQ_INT(p->nfiles, 1);

	EXPECT_TRUE(find(s, "gone") == NULL);
	p = find(s, "half");
	ASSERT_TRUE(p);
	EXPECT_TRUE(p->arch == NULL);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(malformed_stanzas_are_skipped_with_line_numbers)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "var/lib/dpkg/status",
	       "Package:\nStatus: install ok installed\nVersion: 1\n\n"               /* 1 */
	       "Package: ok1\nStatus: install ok installed\nVersion: 1\n\n"           /* 5 */
	       "Package: nover\nStatus: install ok installed\n\n"                      /* 9 */
	       "Package: badstatus\nStatus: install ok maybe\nVersion: 1\n\n"         /* 12 */
	       "Package: nostatus\nVersion: 1\n\n"                                     /* 16 */
	       "Package: stub\n\n"                                                     /* 19 */
	       "Package: badline\nthis is not a field\nVersion: 1\n\n"                /* 21 */
	       "Package: badsrc\nStatus: install ok installed\nVersion: 1\nSource: x (1\n\n" /* 25 */
	       "  \t\n"
	       "Package: two words\nStatus: install ok installed\nVersion: 1\n\n"     /* 31 */
	       "Package: ok2\r\nStatus: install ok installed\r\nVersion: 2\r\n",      /* 35 */
	       0);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 2);
	EXPECT_STR_EQ(s->pkgs[0].name, "ok1");
	EXPECT_STR_EQ(s->pkgs[1].name, "ok2");
	EXPECT_STR_EQ(s->pkgs[1].version, "2");
	static const char *const want[] = {
		"var/lib/dpkg/status: line 1: stanza without a package name, skipped",
		"var/lib/dpkg/status: line 9: package nover has no valid Version, skipped",
		"var/lib/dpkg/status: line 12: package badstatus: bad Status \"install ok maybe\", skipped",
		"var/lib/dpkg/status: line 16: package nostatus has no Status field, skipped",
		"var/lib/dpkg/status: line 22: not a \"Field: value\" line, stanza skipped",
		"var/lib/dpkg/status: line 25: package badsrc: bad Source field, skipped",
		"var/lib/dpkg/status: line 31: bad package name, skipped",
	};
	ASSERT_EQ_INT(s->nwarnings, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < s->nwarnings; i++)
		EXPECT_STR_EQ(s->warnings[i], want[i]);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(status_d_distroless)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/os-release", "ID=debian\nVERSION_ID=\"11\"\n", 0);
	os_put(fs, "var/lib/dpkg/status.d/libssl1.1",
	       "Package: libssl1.1\nVersion: 1.1.1n-0+deb11u5\nArchitecture: amd64\nSource: openssl\n", 0);
	os_put(fs, "var/lib/dpkg/status.d/libssl1.1.md5sums", "abc  usr/lib/libssl.so.1.1\n", 0);
	os_put(fs, "var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 11.1\n"
					         "Status: install ok installed\n", 1);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 2);
	EXPECT_STR_EQ(s->pkgs[0].name, "base-files");
	EXPECT_STR_EQ(s->pkgs[0].location, "var/lib/dpkg/status.d/base");
	EXPECT_EQ_INT(s->pkgs[0].layer, 1);
	EXPECT_STR_EQ(s->pkgs[1].name, "libssl1.1");
	EXPECT_STR_EQ(s->pkgs[1].purl, "pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u5?arch=amd64&distro=debian-11&upstream=openssl");
	EXPECT_EQ_INT(s->nwarnings, 0);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

/* Layer 0 installs a 1.0 and b 1.0; layer 1 upgrades b and adds c;
 * layer 2 rewrites the file (touching nothing we compare) and removes
 * nothing; layer 3 adds d. Each package names the lowest layer of the
 * unbroken run of status versions that still have it at its version. */
DD_TEST(layer_of_current_version)
{
#define PKG(n, v) "Package: " n "\nStatus: install ok installed\nVersion: " v "\n\n"
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "var/lib/dpkg/status", PKG("a", "1.0") PKG("b", "1.0") PKG("e", "1"), 0);
	os_put(fs, "var/lib/dpkg/status", PKG("a", "1.0") PKG("b", "2.0") PKG("c", "1.0"), 1);
	os_put(fs, "var/lib/dpkg/status", PKG("c", "1.0") PKG("b", "2.0") PKG("a", "1.0") PKG("e", "1"), 2);
	os_put(fs, "var/lib/dpkg/status", PKG("a", "1.0") PKG("b", "2.0") PKG("c", "1.0") PKG("d", "1") PKG("e", "1"), 3);
#undef PKG
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 5);
	EXPECT_EQ_INT(find(s, "a")->layer, 0);
	EXPECT_EQ_INT(find(s, "b")->layer, 1);
	EXPECT_EQ_INT(find(s, "c")->layer, 1);
	EXPECT_EQ_INT(find(s, "d")->layer, 3);
	EXPECT_EQ_INT(find(s, "e")->layer, 2); /* removed in 1, back in 2 */
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(symlinked_status_and_missing_database)
{
	struct dd_fs *fs = dd_fs_new();
	struct dd_fs_file l = { .path = "var/lib/dpkg", .type = DD_FS_SYMLINK, .link = "/opt/dpkg" };
	struct dd_err err;
	ASSERT_OK(dd_fs_put(fs, &l, &err), &err);
	os_put(fs, "opt/dpkg/status", "Package: x\nStatus: install ok installed\nVersion: 1\n", 0);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 1);
	EXPECT_STR_EQ(s->pkgs[0].location, "opt/dpkg/status");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(wants_paths)
{
	extern const struct dd_cataloger dd_cataloger_dpkg;
	const struct dd_cataloger *c = &dd_cataloger_dpkg;
#define W(p) c->wants_path(p, strlen(p))
	EXPECT_TRUE(W("var/lib/dpkg/status"));
	EXPECT_TRUE(W("var/lib/dpkg/status.d/libc6"));
	EXPECT_TRUE(W("var/lib/dpkg/info/libc6:amd64.list"));
	EXPECT_TRUE(!W("var/lib/dpkg/status-old"));
	EXPECT_TRUE(!W("var/lib/dpkg/info/libc6.md5sums"));
	EXPECT_TRUE(!W("usr/var/lib/dpkg/status"));
#undef W
}

/* Every allocation of a catalog run fails once in turn: the result is
 * DD_OK or DD_ENOMEM, never a crash or a leak (ASan build). */
DD_TEST(out_of_memory_at_each_allocation)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/os-release", "ID=debian\nVERSION_ID=12\n", 0);
	os_put(fs, "var/lib/dpkg/status", "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
				          "Package: b\nStatus: install ok installed\nVersion: 1\nSource: c (2)\n", 0);
	os_put(fs, "var/lib/dpkg/status", "Package: a\nStatus: install ok installed\nVersion: 1\n", 1);
	os_put(fs, "var/lib/dpkg/info/a.list", "/.\n/bin/a\n", 0);
	os_expect_every_allocation_failure(fs, 2000);
	dd_fs_free(fs);
}
