/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk cataloger (catalog/apk_installed.c): fields, files from F/R lines,
 * purls with the Alpine point release, malformed records, layers.
 */
#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "dd_test.h"
#include "os_test_util.h"
#include "util/alloc.h"

static const char db[] =
	"C:Q1abc=\nP:musl\nV:1.1.22-r3\nA:x86_64\nS:1\nI:2\nT:the musl c library\nL:MIT\n"
	"o:musl\nm:Someone\nt:1\nc:abc\nF:lib\nR:libc.musl-x86_64.so.1\na:0:0:777\nZ:Q1x=\n"
	"R:ld-musl-x86_64.so.1\nF:usr/bin\nR:ldd\n\n"
	"P:libssl1.1\nV:1.1.1d-r2\nA:x86_64\nL:OpenSSL\no:openssl\nF:usr/lib\nR:libssl.so.1.1\n";

DD_TEST(fields_files_purl)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/alpine-release", "3.10.4\n", 0);
	os_put(fs, "etc/os-release", "ID=alpine\nVERSION_ID=3.10.4\n", 0);
	os_put(fs, "lib/apk/db/installed", db, 0);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 2);
	EXPECT_EQ_INT(s->nwarnings, 0);
	const struct dd_package *p = &s->pkgs[0];
	EXPECT_STR_EQ(p->name, "libssl1.1");
	EXPECT_STR_EQ(p->source_name, "openssl");
	EXPECT_STR_EQ(p->source_version, "1.1.1d-r2");
	EXPECT_STR_EQ(p->license, "OpenSSL");
	EXPECT_STR_EQ(p->purl, "pkg:apk/alpine/libssl1.1@1.1.1d-r2?arch=x86_64&distro=alpine-3.10.4&upstream=openssl");
	p = &s->pkgs[1];
	EXPECT_STR_EQ(p->name, "musl");
	EXPECT_STR_EQ(p->type, "apk");
	EXPECT_STR_EQ(p->namespace_, "alpine");
	EXPECT_STR_EQ(p->version, "1.1.22-r3");
	EXPECT_STR_EQ(p->arch, "x86_64");
	EXPECT_STR_EQ(p->license, "MIT");
	EXPECT_STR_EQ(p->location, "lib/apk/db/installed");
	EXPECT_STR_EQ(p->purl, "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4");
	ASSERT_EQ_INT(p->nfiles, 3);
	EXPECT_STR_EQ(p->files[0], "lib/libc.musl-x86_64.so.1");
	EXPECT_STR_EQ(p->files[1], "lib/ld-musl-x86_64.so.1");
	EXPECT_STR_EQ(p->files[2], "usr/bin/ldd");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(malformed_records)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "lib/apk/db/installed",
	       "this is a corrupt db\nP:x\nV:1\n\n"     /* 1: bad line, whole record out */
	       "P:nover\nA:x86_64\n\n"                  /* 5 */
	       "P:ok\nV:2\nR:topfile\nF:../../etc\nR:passwd\n\n" /* 8 */
	       "\n\nV:1\n",                             /* 16: no name */
	       0);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 1);
	EXPECT_STR_EQ(s->pkgs[0].name, "ok");
	ASSERT_EQ_INT(s->pkgs[0].nfiles, 2);
	EXPECT_STR_EQ(s->pkgs[0].files[0], "topfile");
	EXPECT_STR_EQ(s->pkgs[0].files[1], "etc/passwd"); /* clamped at the root */
	EXPECT_TRUE(s->pkgs[0].purl && !strstr(s->pkgs[0].purl, "distro="));
	static const char *const want[] = {
		"lib/apk/db/installed: line 1: not an \"X:value\" line, record skipped",
		"lib/apk/db/installed: line 5: record without a valid P: and V:, skipped",
		"lib/apk/db/installed: line 16: record without a valid P: and V:, skipped",
	};
	ASSERT_EQ_INT(s->nwarnings, 3);
	for (size_t i = 0; i < 3; i++)
		EXPECT_STR_EQ(s->warnings[i], want[i]);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(path_expansion_is_bounded)
{
	/* One long F: line and many short R: lines. */
	size_t n = 200000;
	char *text = dd_malloc(n + 8192);
	size_t o = (size_t)snprintf(text, 8192, "P:x\nV:1\nF:");
	memset(text + o, 'd', 3000);
	o += 3000;
	text[o++] = '\n';
	while (o + 5 < n) {
		memcpy(text + o, "R:a\n", 4);
		o += 4;
	}
	text[o] = '\0';
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "lib/apk/db/installed", text, 0);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 1);
	size_t bytes = 0;
	for (size_t i = 0; i < s->pkgs[0].nfiles; i++)
		bytes += strlen(s->pkgs[0].files[i]) + 2;
	EXPECT_TRUE(bytes <= 16 * o + (1u << 20));
	EXPECT_EQ_INT(s->nwarnings, 1);
	dd_sbom_free(s);
	dd_fs_free(fs);
	free(text);
}

DD_TEST(layers)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "lib/apk/db/installed", "P:a\nV:1\n\nP:b\nV:1\n", 0);
	os_put(fs, "lib/apk/db/installed", "P:a\nV:1\n\nP:b\nV:2\n\nP:c\nV:1\n", 1);
	struct dd_sbom *s = os_run(fs);
	ASSERT_EQ_INT(s->npkgs, 3);
	EXPECT_EQ_INT(s->pkgs[0].layer, 0);
	EXPECT_EQ_INT(s->pkgs[1].layer, 1);
	EXPECT_EQ_INT(s->pkgs[2].layer, 1);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(out_of_memory_at_each_allocation)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/alpine-release", "3.10.4\n", 0);
	os_put(fs, "lib/apk/db/installed", db, 0);
	os_put(fs, "lib/apk/db/installed", db, 1);
	os_expect_every_allocation_failure(fs, 2000);
	dd_fs_free(fs);
}
