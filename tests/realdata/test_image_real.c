/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Real images from ../shared/data/images (see its README): alpine-310 as a
 * legacy docker-archive, and the 3-layer Debian bookworm image as a gzipped
 * skopeo docker-archive and as an oci-archive, which must give the same
 * merged view: dpkg status from layer 3, gosu deleted by a whiteout, the
 * requests egg-info hidden by the opaque dist-packages directory.
 */
#include <stdlib.h>

#include "dd_test.h"
#include "image/image.h"
#include "util/path.h"

static uint32_t debian_path(void *ud, const char *p, size_t n)
{
	(void)ud;
	return dd_path_match("var/lib/dpkg/**", p, n) ||
	       dd_path_match("usr/lib/python3/dist-packages/**", p, n) ||
	       dd_path_match("etc/os-release", p, n) || dd_path_match("usr/lib/os-release", p, n) ||
	       dd_path_match("lib/apk/db/installed", p, n) || dd_path_match("etc/alpine-release", p, n);
}

static uint32_t elf(void *ud, const unsigned char *h, size_t n)
{
	(void)ud;
	return n >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
}

static const struct dd_fs_wants wants = { .path = debian_path, .magic = elf, .fingerprint = "test-realdata-v1" };

static struct dd_fs *load(const char *ref, unsigned flags, struct dd_image **imgp)
{
	struct dd_image_opts o = { .flags = flags, .cache_dir = dd_test_tmpdir() };
	struct dd_image *img;
	struct dd_err err;
	dd_err_clear(&err);
	dd_code rc = dd_image_open(ref, &o, &img, &err);
	if (rc) {
		dd_test_fail(__FILE__, __LINE__, "open %s: %s", ref, err.msg);
		dd_test_abort();
	}
	struct dd_fs *fs = NULL;
	rc = dd_image_load_fs(img, &wants, NULL, NULL, &fs, &err);
	if (rc) {
		dd_test_fail(__FILE__, __LINE__, "load %s: %s", ref, err.msg);
		dd_test_abort();
	}
	if (imgp)
		*imgp = img;
	else
		dd_image_close(img);
	return fs;
}

DD_TEST(alpine_docker_archive_one_layer)
{
	char ref[4200];
	snprintf(ref, sizeof ref, "docker-archive:%s", dd_test_shared("images/alpine-310.docker.tar.gz"));
	struct dd_image *img;
	struct dd_fs *fs = load(ref, 0, &img);
	const struct dd_image_info *info = dd_image_info(img);
	ASSERT_EQ_INT(info->nlayers, 1);
	EXPECT_STR_EQ(info->layers[0].diff_id,
		      "sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028");
	EXPECT_STR_EQ(info->config_digest,
		      "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e");
	EXPECT_STR_EQ(info->name, "alpine:3.10");
	EXPECT_STR_EQ(info->os, "linux");
	EXPECT_STR_EQ(info->arch, "amd64");
	const struct dd_fs_file *f = dd_fs_lookup(fs, "etc/alpine-release");
	ASSERT_TRUE(f && f->data);
	EXPECT_TRUE(f->size >= 6 && !memcmp(f->data, "3.10.4", 6));
	f = dd_fs_lookup(fs, "lib/apk/db/installed");
	ASSERT_TRUE(f && f->data && f->size > 1000);
	/* busybox is ELF, kept by magic */
	f = dd_fs_lookup(fs, "bin/busybox");
	EXPECT_TRUE(f && f->data && f->size > 4 && !memcmp(f->data, "\177ELF", 4));
	/* Alpine 3.10's /etc/os-release is a plain file; lib/libc.musl*.so.1
	 * is a symlink to ld-musl, resolved inside the image. */
	struct dd_err err;
	dd_err_clear(&err);
	f = dd_fs_resolve(fs, "/etc/os-release", &err);
	ASSERT_TRUE(f != NULL);
	EXPECT_STR_EQ(f->path, "etc/os-release");
	f = dd_fs_resolve(fs, "/lib/libc.musl-x86_64.so.1", &err);
	ASSERT_TRUE(f != NULL);
	EXPECT_STR_EQ(f->path, "lib/ld-musl-x86_64.so.1");
	EXPECT_TRUE(f->data != NULL);
	/* also reachable as a bare path (probed) */
	dd_fs_free(fs);
	dd_image_close(img);
	fs = load(dd_test_shared("images/alpine-310.docker.tar.gz"), DD_IMAGE_NO_CACHE, &img);
	EXPECT_STR_EQ(dd_image_info(img)->transport, "docker-archive");
	dd_fs_free(fs);
	dd_image_close(img);
}

static void check_debian(const struct dd_fs *fs)
{
	const struct dd_fs_file *st = dd_fs_lookup(fs, "var/lib/dpkg/status");
	ASSERT_TRUE(st && st->data);
	EXPECT_EQ_INT(st->layer, 2);
	ASSERT_TRUE(st->lower != NULL);
	EXPECT_EQ_INT(st->lower->layer, 1);
	ASSERT_TRUE(st->lower->lower != NULL);
	EXPECT_EQ_INT(st->lower->lower->layer, 0);
	EXPECT_TRUE(!memmem(st->data, st->size, "\nPackage: curl\n", 15));
	EXPECT_TRUE(memmem(st->lower->data, st->lower->size, "\nPackage: curl\n", 15) != NULL);
	/* whiteouts */
	EXPECT_TRUE(dd_fs_lookup(fs, "usr/sbin/gosu") == NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "usr/bin/curl") == NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "var/lib/dpkg/info/curl.list") == NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "var/lib/dpkg/info/libcurl4:amd64.list") != NULL);
	/* the opaque directory */
	int n_requests = 0, n_urllib3 = 0;
	struct dd_err err;
	(void)err;
	struct counts { int *r, *u; } c = { &n_requests, &n_urllib3 };
	int cb(const struct dd_fs_file *f, void *ud);
	dd_fs_each(fs, cb, &c);
	EXPECT_EQ_INT(n_requests, 0);
	EXPECT_TRUE(n_urllib3 > 0);
	const struct dd_fs_file *age = dd_fs_lookup(fs, "usr/bin/age");
	EXPECT_TRUE(age && age->data && age->layer == 1);
	const struct dd_fs_file *osr = dd_fs_resolve(fs, "etc/os-release", &err);
	EXPECT_TRUE(osr && osr->data && memmem(osr->data, osr->size, "bookworm", 8));
}

int cb(const struct dd_fs_file *f, void *ud);
int cb(const struct dd_fs_file *f, void *ud)
{
	int **c = ud;
	if (!strncmp(f->path, "usr/lib/python3/dist-packages/requests", 38))
		(*c[0])++;
	if (!strncmp(f->path, "usr/lib/python3/dist-packages/urllib3", 37))
		(*c[1])++;
	return 0;
}

static int cmp_each(const struct dd_fs_file *f, void *ud)
{
	const struct dd_fs *other = ud;
	const struct dd_fs_file *g = dd_fs_lookup(other, f->path);
	if (!g || g->type != f->type || g->size != f->size || g->layer != f->layer ||
	    (f->data && (!g->data || memcmp(f->data, g->data, f->size))) ||
	    (f->link && (!g->link || strcmp(f->link, g->link)))) {
		dd_test_fail(__FILE__, __LINE__, "%s differs between the two formats", f->path);
		return 1;
	}
	return 0;
}

DD_TEST(debian_docker_and_oci_agree)
{
	char r1[4200], r2[4200];
	snprintf(r1, sizeof r1, "docker-archive:%s",
		 dd_test_shared("images/debian-bookworm-minbase.docker.tar.gz"));
	snprintf(r2, sizeof r2, "oci-archive:%s", dd_test_shared("images/debian-bookworm-minbase.oci.tar"));
	struct dd_image *i1, *i2;
	struct dd_fs *a = load(r1, 0, &i1);
	struct dd_fs *b = load(r2, 0, &i2);
	check_debian(a);
	check_debian(b);
	EXPECT_EQ_INT(dd_fs_count(a), dd_fs_count(b));
	EXPECT_EQ_INT(dd_fs_each(a, cmp_each, b), 0);
	EXPECT_EQ_INT(dd_fs_each(b, cmp_each, a), 0);
	EXPECT_STR_EQ(dd_image_info(i1)->config_digest, dd_image_info(i2)->config_digest);
	EXPECT_STR_EQ(dd_image_info(i2)->manifest_digest,
		      "sha256:4dd7dc811273960724d455a941801cdbc69224aef6b67b4098db01a8478efd80");
	EXPECT_STR_EQ(dd_image_info(i2)->name, "bookworm-minbase");
	EXPECT_EQ_INT(dd_image_info(i1)->nlayers, 3);
	EXPECT_STR_EQ(dd_image_info(i2)->layers[2].digest,
		      "sha256:af626e468075e673f04412e539209d26b3544d7a8a82788e0761412cbfb4a870");
	dd_fs_free(a);
	dd_fs_free(b);
	dd_image_close(i1);
	dd_image_close(i2);
}

DD_TEST(debian_warm_rescan_uses_cache)
{
	char r1[4200];
	snprintf(r1, sizeof r1, "docker-archive:%s",
		 dd_test_shared("images/debian-bookworm-minbase.docker.tar.gz"));
	struct dd_image *img;
	struct dd_fs *cold = load(r1, 0, &img);
	struct dd_image_stats st;
	dd_image_stats(img, &st);
	EXPECT_EQ_INT(st.layers_read, 3);
	EXPECT_EQ_INT(st.layers_cached, 0);
	dd_image_close(img);
	struct dd_fs *warm = load(r1, 0, &img);
	dd_image_stats(img, &st);
	EXPECT_EQ_INT(st.layers_read, 0);
	EXPECT_EQ_INT(st.layers_cached, 3);
	EXPECT_EQ_INT(dd_fs_each(cold, cmp_each, warm), 0);
	EXPECT_EQ_INT(dd_fs_count(cold), dd_fs_count(warm));
	check_debian(warm);
	dd_image_close(img);
	dd_fs_free(cold);
	dd_fs_free(warm);
	/* The OCI archive shares the diff_ids: all three layers come from
	 * the cache the docker-archive filled. */
	char r2[4200];
	snprintf(r2, sizeof r2, "oci-archive:%s", dd_test_shared("images/debian-bookworm-minbase.oci.tar"));
	struct dd_fs *o = load(r2, 0, &img);
	dd_image_stats(img, &st);
	EXPECT_EQ_INT(st.layers_cached, 3);
	check_debian(o);
	dd_fs_free(o);
	dd_image_close(img);
}

DD_TEST(node_app_shares_the_alpine_layer)
{
	char r1[4200], r2[4200];
	snprintf(r1, sizeof r1, "docker-archive:%s", dd_test_shared("images/alpine-310.docker.tar.gz"));
	snprintf(r2, sizeof r2, "docker-archive:%s", dd_test_shared("images/node-app.docker.tar.gz"));
	struct dd_image *img;
	struct dd_fs *fs = load(r1, 0, &img);
	dd_fs_free(fs);
	dd_image_close(img);
	fs = load(r2, 0, &img);
	struct dd_image_stats st;
	dd_image_stats(img, &st);
	const struct dd_image_info *info = dd_image_info(img);
	ASSERT_EQ_INT(info->nlayers, 2);
	EXPECT_STR_EQ(info->layers[1].diff_id,
		      "sha256:9735b1ffb3b4bf30f943a824007aa79ad43109c9450b30325e01eb8ee9229c97");
	/* The gzipped archive is read in one pass; skopeo names the alpine
	 * layer by its diff_id, which alpine-310 put in the cache, so only the
	 * /app layer is walked. The rescan walks neither. */
	EXPECT_EQ_INT(st.layers_read, 1);
	EXPECT_EQ_INT(st.layers_cached, 1);
	dd_fs_free(fs);
	dd_image_close(img);
	fs = load(r2, 0, &img);
	dd_image_stats(img, &st);
	EXPECT_EQ_INT(st.layers_cached, 2);
	EXPECT_EQ_INT(st.layers_read, 0);
	/* the esbuild Go binary is kept by its ELF magic */
	const struct dd_fs_file *f = dd_fs_lookup(fs, "app/node_modules/@esbuild/linux-x64/bin/esbuild");
	EXPECT_TRUE(f && f->data && f->layer == 1);
	EXPECT_TRUE(dd_fs_lookup(fs, "lib/apk/db/installed") != NULL);
	dd_fs_free(fs);
	dd_image_close(img);
}

DD_TEST(debian_oci_layout_directory)
{
	/* The same layout unpacked (at test time, into the test's tmpdir):
	 * oci:DIR:TAG and the bare directory (probed) give the same view. */
	const char *tar = dd_test_shared("images/debian-bookworm-minbase.oci.tar");
	char cmd[8600], dir[4200], ref[4300];
	snprintf(dir, sizeof dir, "%s/layout", dd_test_tmpdir());
	snprintf(cmd, sizeof cmd, "mkdir -p %s && tar -C %s -xf %s", dir, dir, tar);
	ASSERT_EQ_INT(dd_test_run(cmd, NULL), 0);
	snprintf(ref, sizeof ref, "oci:%s:bookworm-minbase", dir);
	struct dd_image *img;
	struct dd_fs *fs = load(ref, DD_IMAGE_NO_CACHE, &img);
	check_debian(fs);
	EXPECT_STR_EQ(dd_image_info(img)->name, "bookworm-minbase");
	EXPECT_EQ_INT(dd_image_info(img)->nlayers, 3);
	dd_image_close(img);
	struct dd_fs *bare = load(dir, DD_IMAGE_NO_CACHE, &img);
	EXPECT_STR_EQ(dd_image_info(img)->transport, "oci");
	EXPECT_EQ_INT(dd_fs_each(fs, cmp_each, bare), 0);
	dd_image_close(img);
	dd_fs_free(fs);
	dd_fs_free(bare);
}
