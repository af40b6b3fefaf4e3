/* SPDX-License-Identifier: Apache-2.0 */
/* Distribution detection (catalog/distro.c) on hand-built filesystems. */
#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "dd_test.h"
#include "os_test_util.h"
#include "util/arena.h"

static void link_(struct dd_fs *fs, const char *path, const char *target)
{
	struct dd_err err;
	struct dd_fs_file f = { .path = path, .type = DD_FS_SYMLINK, .link = target };
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
}

DD_TEST(os_release_symlink_and_debian_point_version)
{
	struct dd_fs *fs = dd_fs_new();
	link_(fs, "etc/os-release", "../usr/lib/os-release");
	os_put(fs, "usr/lib/os-release",
	       "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
	       "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n", 0);
	os_put(fs, "etc/debian_version", "12.15\n", 0);
	struct dd_sbom *s = os_run(fs);
	EXPECT_STR_EQ(s->distro.id, "debian");
	EXPECT_STR_EQ(s->distro.version_id, "12");
	EXPECT_STR_EQ(s->distro.version, "12.15");
	EXPECT_STR_EQ(s->distro.codename, "bookworm");
	EXPECT_STR_EQ(s->distro.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	EXPECT_EQ_INT(s->nwarnings, 0);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(ubuntu_keeps_debian_version_out)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/os-release", "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\n"
				     "VERSION_CODENAME=jammy\n", 0);
	os_put(fs, "etc/debian_version", "bookworm/sid\n", 0);
	struct dd_sbom *s = os_run(fs);
	EXPECT_STR_EQ(s->distro.id, "ubuntu");
	EXPECT_STR_EQ(s->distro.id_like, "debian");
	EXPECT_STR_EQ(s->distro.version_id, "22.04");
	EXPECT_TRUE(s->distro.version == NULL);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(alpine_release_gives_point_version)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.10\n", 0);
	os_put(fs, "etc/alpine-release", "3.10.4\n", 0);
	struct dd_sbom *s = os_run(fs);
	EXPECT_STR_EQ(s->distro.id, "alpine");
	EXPECT_STR_EQ(s->distro.version_id, "3.10.4");
	dd_sbom_free(s);
	dd_fs_free(fs);

	/* No os-release at all: alpine-release alone. */
	fs = dd_fs_new();
	os_put(fs, "etc/alpine-release", "3.10.4", 0);
	s = os_run(fs);
	EXPECT_STR_EQ(s->distro.id, "alpine");
	EXPECT_STR_EQ(s->distro.version_id, "3.10.4");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(debian_version_only)
{
	struct dd_fs *fs = dd_fs_new();
	os_put(fs, "etc/debian_version", "9.13\n", 0);
	struct dd_sbom *s = os_run(fs);
	EXPECT_STR_EQ(s->distro.id, "debian");
	EXPECT_STR_EQ(s->distro.version_id, "9");
	EXPECT_STR_EQ(s->distro.version, "9.13");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(redhat_release_and_friends)
{
	static const struct { const char *file, *text, *id, *version, *codename; } cases[] = {
		{ "etc/centos-release", "CentOS release 6.10 (Final)\n", "centos", "6.10", "Final" },
		{ "etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n", "centos",
		  "7.9.2009", "Core" },
		{ "etc/redhat-release", "Red Hat Enterprise Linux Server release 6.10 (Santiago)",
		  "rhel", "6.10", "Santiago" },
		{ "etc/rocky-release", "Rocky Linux release 8.9 (Green Obsidian)\n", "rocky", "8.9",
		  "Green Obsidian" },
		{ "etc/almalinux-release", "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n",
		  "almalinux", "9.3", "Shamrock Pampas Cat" },
		{ "etc/fedora-release", "Fedora release 39 (Thirty Nine)\n", "fedora", "39",
		  "Thirty Nine" },
		{ "etc/oracle-release", "Oracle Linux Server release 7.9\n", "ol", "7.9", NULL },
		{ "etc/system-release", "Amazon Linux AMI release 2018.03\n", "amzn", "2018.03",
		  NULL },
		{ "etc/SuSE-release", "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\n",
		  "sles", "11", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dd_fs *fs = dd_fs_new();
		os_put(fs, cases[i].file, cases[i].text, 0);
		struct dd_sbom *s = os_run(fs);
		EXPECT_STR_EQ(s->distro.id, cases[i].id);
		EXPECT_STR_EQ(s->distro.version_id, cases[i].version);
		if (cases[i].codename)
			EXPECT_STR_EQ(s->distro.codename, cases[i].codename);
		else
			EXPECT_TRUE(s->distro.codename == NULL);
		EXPECT_TRUE(s->distro.pretty_name != NULL);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
}

DD_TEST(os_release_quoting_and_bad_lines)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_sbom *s = dd_sbom_new();
	struct dd_distro d = { 0 };
	struct dd_err err;
	const char *text = "# comment\n  ID='ubu'ntu\nVERSION_ID=\"22.04\\\"x\\$\"\r\n"
			   "PRETTY_NAME=Ubuntu\\ 22.04\nnot a line\nID_LIKE=\"open\nVERSION=\n";
	ASSERT_OK(dd_os_release_parse("etc/os-release", (const unsigned char *)text, strlen(text),
				      &d, a, s, &err), &err);
	EXPECT_STR_EQ(d.id, "ubuntu");
	EXPECT_STR_EQ(d.version_id, "22.04\"x$");
	EXPECT_STR_EQ(d.pretty_name, "Ubuntu 22.04");
	EXPECT_TRUE(d.id_like == NULL);
	EXPECT_TRUE(d.version == NULL);
	ASSERT_EQ_INT(s->nwarnings, 2);
	EXPECT_STR_EQ(s->warnings[0], "etc/os-release: line 5: not KEY=VALUE, ignored");
	EXPECT_STR_EQ(s->warnings[1], "etc/os-release: line 6: unterminated quote, ignored");
	dd_sbom_free(s);
	dd_arena_free(a);
}

DD_TEST(symlink_loop_is_a_warning)
{
	struct dd_fs *fs = dd_fs_new();
	link_(fs, "etc/os-release", "os-release2");
	link_(fs, "etc/os-release2", "os-release");
	os_put(fs, "usr/lib/os-release", "ID=debian\nVERSION_ID=12\n", 0);
	struct dd_sbom *s = os_run(fs);
	EXPECT_STR_EQ(s->distro.id, "debian");
	EXPECT_TRUE(s->nwarnings >= 1);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(empty_image_has_no_distro)
{
	struct dd_fs *fs = dd_fs_new();
	struct dd_sbom *s = os_run(fs);
	EXPECT_TRUE(s->distro.id == NULL);
	EXPECT_EQ_INT(s->npkgs, 0);
	EXPECT_EQ_INT(s->nwarnings, 0);
	dd_sbom_free(s);
	dd_fs_free(fs);
}
