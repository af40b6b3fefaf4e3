/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile-image corpus: tests/tools/make-hostile-images writes every
 * case into this test's temporary directory with the expected result;
 * each must end in that code with a message naming the image (and the
 * layer and entry where there is one), without a crash or unbounded
 * growth. Well-formed cases check overlay semantics in all four formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "dd_test.h"
#include "image/image.h"
#include "image/layer.h"
#include "util/path.h"

static uint32_t want_path(void *ud, const char *p, size_t n)
{
	(void)ud;
	return dd_path_match("var/lib/dpkg/**", p, n) || dd_path_match("etc/**", p, n) ||
	       dd_path_match("usr/lib/os-release", p, n);
}

static uint32_t want_elf(void *ud, const unsigned char *h, size_t n)
{
	(void)ud;
	return n >= 4 && !memcmp(h, "\177ELF", 4);
}

static const struct dd_fs_wants wants = { .path = want_path, .magic = want_elf, .fingerprint = "hostile-v1" };

static char warnings[4096];
static bool warm_pass;

static void on_warn(void *ud, const char *msg)
{
	(void)ud;
	size_t l = strlen(warnings);
	snprintf(warnings + l, sizeof warnings - l, "%s\n", msg);
}

static const char *code_name(dd_code c)
{
	switch (c) {
	case DD_OK: return "OK";
	case DD_EINVAL: return "EINVAL";
	case DD_ELIMIT: return "ELIMIT";
	case DD_EUNSUPPORTED: return "EUNSUPPORTED";
	case DD_ENOTFOUND: return "ENOTFOUND";
	case DD_EIO: return "EIO";
	case DD_ENOMEM: return "ENOMEM";
	case DD_EDIGEST: return "EDIGEST";
	default: return "other";
	}
}

static const char *generate(bool many)
{
	static char dir[4200];
	snprintf(dir, sizeof dir, "%s/h", dd_test_tmpdir());
	const char *src = getenv("DD_SOURCE_DIR");
	char cmd[8600];
	snprintf(cmd, sizeof cmd, "%s/tests/tools/make-hostile-images %s%s", src ? src : ".", dir,
		 many ? " --many" : "");
	int st = dd_test_run(cmd, NULL);
	if (st != 0) {
		dd_test_fail(__FILE__, __LINE__, "%s exited %d", cmd, st);
		dd_test_abort();
	}
	return dir;
}

static void check_overlay(const struct dd_fs *fs, const char *name)
{
	const struct dd_fs_file *f = dd_fs_lookup(fs, "var/lib/dpkg/status");
	ASSERT_TRUE(f && f->data);
	EXPECT_EQ_INT(f->layer, 1);
	EXPECT_TRUE(memmem(f->data, f->size, "Package: b", 10) != NULL);
	ASSERT_TRUE(f->lower && f->lower->layer == 0);
	EXPECT_TRUE(dd_fs_lookup(fs, "usr/bin/tool") == NULL);          /* whiteout */
	f = dd_fs_lookup(fs, "usr/bin/keep");
	EXPECT_TRUE(f && f->data && f->size == 68);
	f = dd_fs_lookup(fs, "usr/bin/hard");                            /* hard link */
	EXPECT_TRUE(f && f->data && f->size == 68 && !memcmp(f->data + 64, "keep", 4));
	EXPECT_TRUE(dd_fs_lookup(fs, "opt/app/lib/x.so") == NULL);      /* opaque */
	EXPECT_TRUE(dd_fs_lookup(fs, "opt/app/lib/y.so") == NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "opt/app/lib/z.so") != NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "usr/bin/replaced") == NULL);      /* shadowed by non-ELF */
	EXPECT_TRUE(dd_fs_lookup(fs, "srv/d/inner.so") == NULL);        /* dir became a file */
	EXPECT_TRUE(dd_fs_lookup(fs, "var/lib/dpkg/status-old") != NULL);
	struct dd_err err;
	dd_err_clear(&err);
	f = dd_fs_resolve(fs, "/etc/os-release", &err);
	ASSERT_TRUE(f != NULL);
	EXPECT_STR_EQ(f->path, "usr/lib/os-release");
	EXPECT_TRUE(f->data && memmem(f->data, f->size, "VERSION_ID=2", 12));
	if (dd_fs_lookup(fs, "usr/bin/tool"))
		dd_test_fail(__FILE__, __LINE__, "%s: the whiteout was not applied", name);
}

static void check_case(const char *name, const char *ref, const char *want_code, const char *text,
		       const char *opts, const char *cache)
{
	struct dd_image_opts o = { .cache_dir = cache };
	char platform[64] = "";
	const char *pl = strstr(opts, "platform=");
	if (pl) {
		snprintf(platform, sizeof platform, "%s", pl + 9);
		o.platform = platform;
	}
	const char *ib = strstr(opts, "image_bytes=");
	if (ib) {
		struct dd_image_limits l = *dd_image_limits_get();
		l.image_bytes = strtoull(ib + 12, NULL, 10);
		dd_image_limits_set(&l);
	}
	warnings[0] = '\0';
	struct dd_err err;
	dd_err_clear(&err);
	struct dd_image *img = NULL;
	struct dd_fs *fs = NULL;
	dd_code rc = dd_image_open(ref, &o, &img, &err);
	if (!rc)
		rc = dd_image_load_fs(img, &wants, on_warn, NULL, &fs, &err);
	dd_image_limits_set(NULL);
	if (strcmp(code_name(rc), want_code) != 0) {
		dd_test_fail(__FILE__, __LINE__, "%s: expected %s, got %s: %s", name, want_code,
			     code_name(rc), err.msg);
	} else if (rc) {
		if (!strstr(err.msg, text))
			dd_test_fail(__FILE__, __LINE__, "%s: message lacks \"%s\": %s", name, text, err.msg);
		/* every error names the image */
		const char *base = strrchr(ref, '/');
		if (!strstr(err.msg, base ? base + 1 : ref))
			dd_test_fail(__FILE__, __LINE__, "%s: message does not name the image: %s", name, err.msg);
	}
	if (!rc) {
		const struct dd_image_info *info = dd_image_info(img);
		if (!strncmp(name, "overlay", 7))
			check_overlay(fs, name);
		if (!strcmp(name, "escape_paths")) {
			const struct dd_fs_file *f = dd_fs_lookup(fs, "etc/passwd");
			EXPECT_TRUE(f && f->data && memmem(f->data, f->size, "image", 5));
			f = dd_fs_lookup(fs, "var/lib/dpkg/status");
			EXPECT_TRUE(f && f->data && !memcmp(f->data, "Package: abs", 12));
			EXPECT_TRUE(dd_fs_lookup(fs, "var/lib/dpkg/status.d/x") != NULL);
			if (!warm_pass) { /* a cached layer has no warnings to repeat */
				EXPECT_TRUE(strstr(warnings, "leaves the image root") != NULL);
				EXPECT_TRUE(strstr(warnings, "layer 1/1") != NULL);
			}
		}
		if (!strcmp(name, "symlink_loop")) {
			dd_err_clear(&err);
			EXPECT_TRUE(dd_fs_resolve(fs, "etc/os-release", &err) == NULL);
			EXPECT_EQ_INT(err.code, DD_ELIMIT);
			dd_err_clear(&err);
			EXPECT_TRUE(dd_fs_resolve(fs, "x/a/b", &err) == NULL);
			EXPECT_TRUE(err.code == DD_ELIMIT);
		}
		if (!strcmp(name, "zero_layers"))
			EXPECT_EQ_INT(dd_fs_count(fs), 0);
		if (!strcmp(name, "multi_default"))
			EXPECT_STR_EQ(info->arch, "amd64");
		if (!strcmp(name, "multi_arm64") || !strcmp(name, "multi_by_digest"))
			EXPECT_STR_EQ(info->arch, "arm64");
		if (!strcmp(name, "many")) {
			struct dd_image_stats st;
			dd_image_stats(img, &st);
			EXPECT_EQ_INT(st.entries, 1000000);
			EXPECT_EQ_INT(dd_fs_count(fs), 0);
		}
	}
	dd_fs_free(fs);
	dd_image_close(img);
}

static void run_all(const char *dir, bool only_many)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/cases.tsv", dir);
	FILE *f = fopen(path, "r");
	ASSERT_TRUE(f != NULL);
	char line[8192];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *fields[5] = { "", "", "", "", "" };
		int k = 0;
		for (char *t = line; k < 5; k++) {
			fields[k] = t;
			char *tab = strchr(t, '\t');
			if (!tab)
				break;
			*tab = '\0';
			t = tab + 1;
		}
		bool is_many = strstr(fields[4], "many") != NULL;
		if (is_many != only_many)
			continue;
		char cache[4300];
		snprintf(cache, sizeof cache, "%s/cache", dd_test_tmpdir());
		warm_pass = false;
		check_case(fields[0], fields[1], fields[2], fields[3], fields[4], cache);
		/* The same case again, warm: cached layers must agree. */
		warm_pass = true;
		check_case(fields[0], fields[1], fields[2], fields[3], fields[4], cache);
		n++;
	}
	fclose(f);
	EXPECT_TRUE(n > 0);
}

DD_TEST(hostile_corpus)
{
	run_all(generate(false), false);
}

DD_TEST(a_million_tiny_entries)
{
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	run_all(generate(true), true);
	getrusage(RUSAGE_SELF, &after);
	/* Growth of the peak, not a timing: the layer's path-hash set is
	 * 8 bytes per entry; nothing else grows with the entry count. */
	printf("peak RSS grew by %ld KiB\n", after.ru_maxrss - before.ru_maxrss);
}
