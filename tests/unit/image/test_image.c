/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of image/: the JSON tree, OCI/Docker manifest parsing and
 * platform selection, the outer tar index, the layer reader (tars written
 * here with libarchive's writer: pax and GNU long names, hard links),
 * the layer cache and its damage handling, the merged view, the dir:
 * source (host symlinks are never followed) and dd_sbom_from_image with
 * the cataloger list as it is (possibly empty).
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dd/registry.h"
#include "dd/sbom.h"
#include "dd_test.h"
#include "image/image.h"
#include "util/json.h"
#include "image/layer.h"
#include "image/oci_manifest.h"
#include "image/tar_index.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/path.h"

/* ---- helpers ---------------------------------------------------------------- */

struct wtar {
	struct archive *a;
	size_t used;
	unsigned char *buf;
	size_t cap;
};

static void tar_begin_gz(struct wtar *w, int format, bool gz)
{
	w->cap = 16 << 20; /* the helper test writes more than its ring holds */
	w->buf = malloc(w->cap);
	w->a = archive_write_new();
	archive_write_set_format(w->a, format);
	if (gz)
		archive_write_add_filter_gzip(w->a);
	archive_write_set_bytes_in_last_block(w->a, 1);
	ASSERT_TRUE(archive_write_open_memory(w->a, w->buf, w->cap, &w->used) == ARCHIVE_OK);
}

static void tar_begin(struct wtar *w, int format)
{
	tar_begin_gz(w, format, false);
}

static void tar_add(struct wtar *w, const char *name, int type, const char *data, const char *link)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	if (link && type == 0) {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_hardlink(e, link);
		archive_entry_set_size(e, 0);
	} else {
		archive_entry_set_filetype(e, (mode_t)type);
		if (link)
			archive_entry_set_symlink(e, link);
		archive_entry_set_size(e, data ? (la_int64_t)strlen(data) : 0);
	}
	ASSERT_TRUE(archive_write_header(w->a, e) == ARCHIVE_OK);
	if (data && !link)
		archive_write_data(w->a, data, strlen(data));
	archive_entry_free(e);
}

static size_t tar_end(struct wtar *w)
{
	archive_write_close(w->a);
	archive_write_free(w->a);
	return w->used;
}

static uint32_t want_path(void *ud, const char *p, size_t n)
{
	(void)ud;
	return dd_path_match("var/lib/dpkg/**", p, n) || dd_path_match("etc/**", p, n);
}

static const struct dd_fs_wants wants = { .path = want_path, .fingerprint = "unit-v1" };

static dd_code read_layer(const unsigned char *p, size_t n, const char *expect_diff,
			  struct dd_layer **out, struct dd_err *err)
{
	struct dd_blob_mem m;
	struct dd_blob_stream s;
	dd_blob_stream_mem(&m, p, n, &s);
	_Atomic uint64_t kept = 0, total = 0;
	struct dd_layer_opts o = { .wants = &wants, .expect_diff = expect_diff, .kept_total = &kept,
				   .image_total = &total };
	return dd_layer_read_blob(&s, &o, out, err);
}

static const struct dd_layer_ent *ent(const struct dd_layer *l, const char *path)
{
	for (size_t i = 0; i < l->nents; i++)
		if (!strcmp(l->ents[i].f.path, path))
			return &l->ents[i];
	return NULL;
}

/* ---- JSON ------------------------------------------------------------------- */

DD_TEST(json_tree)
{
	struct dd_arena *a = dd_arena_new(0);
	const struct dd_json *j;
	struct dd_err err;
	const char doc[] = "{\"a\": [1, 2, {\"b\": \"x\"}], \"n\": 12345678901, \"t\": true, \"a\": \"dup\"}";
	ASSERT_OK(dd_json_parse(doc, sizeof doc - 1, a, &j, &err), &err);
	EXPECT_STR_EQ(dd_json_str(j, "a"), "dup"); /* last duplicate wins */
	uint64_t n;
	EXPECT_TRUE(dd_json_u64(j, "n", &n) && n == 12345678901ull);
	EXPECT_TRUE(!dd_json_u64(j, "t", &n));
	EXPECT_EQ_INT(dd_json_parse("{\"a\":", 5, a, &j, &err), DD_EINVAL);
	EXPECT_TRUE(strstr(err.msg, "invalid JSON") != NULL);
	EXPECT_EQ_INT(dd_json_parse("", 0, a, &j, &err), DD_EINVAL);
	char deep[300];
	memset(deep, '[', 150);
	memset(deep + 150, ']', 150);
	EXPECT_EQ_INT(dd_json_parse(deep, 300, a, &j, &err), DD_ELIMIT);
	dd_arena_free(a);
}

/* ---- manifests ---------------------------------------------------------------- */

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

DD_TEST(oci_manifest_parse)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_err err;
	const char *m = "{\"schemaVersion\":2,\"mediaType\":\"" DD_MT_DOCKER_MANIFEST "\","
			"\"config\":{\"mediaType\":\"x\",\"digest\":\"" D1 "\",\"size\":7},"
			"\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
			"\"digest\":\"" D2 "\",\"size\":99}]}";
	struct dd_oci_manifest man;
	ASSERT_OK(dd_oci_parse_manifest(m, strlen(m), a, &man, &err), &err);
	EXPECT_EQ_INT(man.nlayers, 1);
	EXPECT_STR_EQ(man.layers[0].digest, D2);
	EXPECT_EQ_INT(man.layers[0].size, 99);
	EXPECT_EQ_INT(dd_oci_kind_of(m, strlen(m), NULL), DD_OCI_KIND_MANIFEST);
	const char *bad = "{\"config\":{\"digest\":\"sha256:xyz\",\"size\":1},\"layers\":[]}";
	EXPECT_EQ_INT(dd_oci_parse_manifest(bad, strlen(bad), a, &man, &err), DD_EINVAL);
	EXPECT_TRUE(strstr(err.msg, "malformed digest") != NULL);
	const char *c = "{\"architecture\":\"arm\",\"variant\":\"v7\",\"os\":\"linux\","
			"\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D1 "\",\"" D2 "\"]},"
			"\"history\":[{\"created_by\":\"a\"},{\"created_by\":\"env\",\"empty_layer\":true},"
			"{\"created_by\":\"b\"}]}";
	struct dd_oci_config cfg;
	ASSERT_OK(dd_oci_parse_config(c, strlen(c), a, &cfg, &err), &err);
	EXPECT_EQ_INT(cfg.ndiff_ids, 2);
	EXPECT_STR_EQ(cfg.created_by[1], "b");
	EXPECT_STR_EQ(cfg.platform.variant, "v7");
	struct dd_oci_platform p;
	ASSERT_OK(dd_oci_platform_parse("linux/aarch64", a, &p, &err), &err);
	EXPECT_STR_EQ(p.arch, "arm64");
	EXPECT_EQ_INT(dd_oci_platform_parse("linux", a, &p, &err), DD_EUSAGE);
	ASSERT_OK(dd_oci_platform_parse(NULL, a, &p, &err), &err);
	EXPECT_STR_EQ(p.arch, "amd64");
	const char *dm = "[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"a/layer.tar\"]}]";
	struct dd_docker_manifest d;
	ASSERT_OK(dd_docker_parse_manifest(dm, strlen(dm), a, &d, &err), &err);
	EXPECT_EQ_INT(d.nlayers, 1);
	EXPECT_EQ_INT(d.nrepo_tags, 0);
	dd_arena_free(a);
}

/* ---- outer tar index ------------------------------------------------------------ */

DD_TEST(tar_index_long_names)
{
	char longname[300];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	memcpy(longname, "dir/", 4);
	int formats[] = { ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_TAR_GNUTAR };
	for (int f = 0; f < 2; f++) {
		struct wtar w;
		tar_begin(&w, formats[f]);
		tar_add(&w, "manifest.json", AE_IFREG, "[1]", NULL);
		tar_add(&w, longname, AE_IFREG, "long", NULL);
		tar_add(&w, "link", AE_IFLNK, NULL, longname);
		size_t n = tar_end(&w);
		struct dd_blob_mem m = { (const unsigned char *)w.buf, n, 0 };
		struct dd_tar_index ix;
		struct dd_err err;
		ASSERT_OK(dd_tar_index_build(dd_blob_mem_pread, &m, n, &ix, &err), &err);
		const struct dd_tar_member *t = dd_tar_index_find(&ix, "link");
		ASSERT_TRUE(t != NULL);
		EXPECT_STR_EQ(t->name, longname);
		EXPECT_EQ_INT(t->size, 4);
		EXPECT_TRUE(!memcmp(w.buf + t->off, "long", 4));
		dd_tar_index_release(&ix);
		/* a header that lies about its size */
		struct dd_tar_index bad;
		EXPECT_TRUE(dd_tar_index_build(dd_blob_mem_pread, &m, n - 1024 - 700, &bad, &err) != DD_OK);
		free(w.buf);
	}
}

/* ---- layers ------------------------------------------------------------------- */

DD_TEST(layer_read_and_hard_links)
{
	struct wtar w;
	tar_begin(&w, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	tar_add(&w, "etc/", AE_IFDIR, NULL, NULL);
	tar_add(&w, "etc/passwd", AE_IFREG, "root:x:0:0\n", NULL);
	tar_add(&w, "var/lib/dpkg/status", AE_IFREG, "Package: a\n", NULL);
	tar_add(&w, "etc/passwd-link", 0, NULL, "etc/passwd");
	tar_add(&w, "usr/share/x", AE_IFREG, "not wanted", NULL);
	tar_add(&w, "etc/.wh.shadow", AE_IFREG, "", NULL);
	tar_add(&w, "opt/.wh..wh..opq", AE_IFREG, "", NULL);
	tar_add(&w, "etc/os-release", AE_IFLNK, NULL, "../usr/lib/os-release");
	size_t n = tar_end(&w);
	struct dd_layer *l = NULL;
	struct dd_err err;
	ASSERT_OK(read_layer(w.buf, n, NULL, &l, &err), &err);
	const struct dd_layer_ent *e = ent(l, "etc/passwd-link");
	ASSERT_TRUE(e && e->f.data && e->f.size == 11);
	EXPECT_TRUE(!memcmp(e->f.data, "root:x", 6));
	EXPECT_TRUE(ent(l, "usr/share/x") == NULL);
	EXPECT_EQ_INT(dd_layer_has(l, "usr/share/x", 11), 1);
	EXPECT_EQ_INT(dd_layer_has(l, "etc", 3), 2);
	EXPECT_EQ_INT(l->nwh, 1);
	EXPECT_STR_EQ(l->whiteouts[0], "etc/shadow");
	EXPECT_EQ_INT(l->nopq, 1);
	EXPECT_STR_EQ(l->opaques[0], "opt");
	e = ent(l, "etc/os-release");
	ASSERT_TRUE(e && e->type == DD_LENT_SYMLINK);
	EXPECT_STR_EQ(e->f.link, "../usr/lib/os-release");
	EXPECT_STR_EQ(l->compression, "none");
	char diff[DD_DIGEST_STR];
	dd_sha256_buf(w.buf, n, diff, &err);
	EXPECT_STR_EQ(l->diff_id, diff);
	/* round trip through the cache encoding */
	struct dd_buf b;
	dd_buf_init(&b, 0);
	ASSERT_OK(dd_layer_encode(l, &b, &err), &err);
	struct dd_layer *c = NULL;
	ASSERT_OK(dd_layer_decode(b.data, b.len, &c, &err), &err);
	EXPECT_EQ_INT(c->nents, l->nents);
	EXPECT_EQ_INT(c->nseen, l->nseen);
	EXPECT_EQ_INT(dd_layer_has(c, "usr/share/x", 11), 1);
	e = ent(c, "var/lib/dpkg/status");
	EXPECT_TRUE(e && e->f.data && !memcmp(e->f.data, "Package: a\n", 11));
	/* every single-byte damage is caught by the checksum */
	for (size_t i = 0; i < b.len; i += 7) {
		b.data[i] ^= 0x20;
		struct dd_layer *bad = NULL;
		EXPECT_TRUE(dd_layer_decode(b.data, b.len, &bad, &err) != DD_OK);
		dd_layer_free(bad);
		b.data[i] ^= 0x20;
	}
	/* and truncation */
	struct dd_layer *bad = NULL;
	EXPECT_TRUE(dd_layer_decode(b.data, b.len / 2, &bad, &err) != DD_OK);
	dd_buf_release(&b);
	dd_layer_free(c);
	dd_layer_free(l);
	/* the wrong diff_id */
	EXPECT_EQ_INT(read_layer(w.buf, n, D1, &l, &err), DD_EDIGEST);
	EXPECT_TRUE(strstr(err.msg, "diff_id mismatch") != NULL);
	/* an empty blob is an empty layer (Go's archive/tar reads it so) */
	ASSERT_OK(read_layer((const unsigned char *)"", 0, NULL, &l, &err), &err);
	EXPECT_EQ_INT(l->nents, 0);
	dd_layer_free(l);
	/* garbage that is not a tar */
	EXPECT_EQ_INT(read_layer((const unsigned char *)"hello, world", 12, NULL, &l, &err), DD_EINVAL);
	free(w.buf);
}

/* ---- the layer cache on disk ---------------------------------------------------- */

static void corrupt_dir(const char *dir)
{
	DIR *d = opendir(dir);
	ASSERT_TRUE(d != NULL);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[4300];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		int fd = open(p, O_RDWR);
		ASSERT_TRUE(fd >= 0);
		char c;
		ASSERT_TRUE(pread(fd, &c, 1, 40) == 1);
		c ^= 0x55;
		ASSERT_TRUE(pwrite(fd, &c, 1, 40) == 1);
		close(fd);
	}
	closedir(d);
}

static int nwarn;
static void count_warn(void *ud, const char *msg)
{
	(void)ud;
	if (strstr(msg, "reading the layer again"))
		nwarn++;
}

static void write_docker_archive(const char *path, bool gz)
{
	struct wtar lw;
	tar_begin(&lw, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	tar_add(&lw, "etc/os-release", AE_IFREG, "ID=unit\n", NULL);
	tar_add(&lw, "var/lib/dpkg/status", AE_IFREG, "Package: unit\n", NULL);
	tar_add(&lw, "etc/r/reduced", AE_IFREG, "first\nsecond\n", NULL); /* helper_wants reduces it */
	size_t ln = tar_end(&lw);
	char diff[DD_DIGEST_STR], cfgd[DD_DIGEST_STR];
	struct dd_err err;
	dd_sha256_buf(lw.buf, ln, diff, &err);
	char cfg[512], man[512], cfgname[128];
	snprintf(cfg, sizeof cfg, "{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}", diff);
	dd_sha256_buf(cfg, strlen(cfg), cfgd, &err);
	snprintf(cfgname, sizeof cfgname, "%s.json", cfgd + 7);
	snprintf(man, sizeof man, "[{\"Config\":\"%s\",\"RepoTags\":[\"unit:1\"],\"Layers\":[\"%.12s.tar\"]}]",
		 cfgname, diff + 7);
	char lname[64];
	snprintf(lname, sizeof lname, "%.12s.tar", diff + 7);
	struct wtar w;
	tar_begin_gz(&w, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, gz);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, lname);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)ln);
	archive_write_header(w.a, e);
	archive_write_data(w.a, lw.buf, ln);
	archive_entry_free(e);
	tar_add(&w, cfgname, AE_IFREG, cfg, NULL);
	tar_add(&w, "manifest.json", AE_IFREG, man, NULL);
	size_t n = tar_end(&w);
	FILE *f = fopen(path, "wb");
	ASSERT_TRUE(f && fwrite(w.buf, 1, n, f) == n);
	fclose(f);
	free(w.buf);
	free(lw.buf);
}

static struct dd_fs *load_ref(const char *ref, const char *cache, struct dd_image_stats *st)
{
	struct dd_image_opts o = { .cache_dir = cache };
	struct dd_image *img;
	struct dd_fs *fs;
	struct dd_err err;
	ASSERT_OK(dd_image_open_lazy(ref, &o, &img, &err), &err);
	ASSERT_OK(dd_image_load_fs(img, &wants, count_warn, NULL, &fs, &err), &err);
	dd_image_stats(img, st);
	EXPECT_EQ_INT(dd_image_info(img)->nlayers, 1);
	EXPECT_STR_EQ(dd_image_info(img)->name, "unit:1");
	dd_image_close(img);
	return fs;
}

DD_TEST(cache_damage_is_a_warning)
{
	for (int gz = 0; gz < 2; gz++) {
		char img[4200], cache[4200], layers[4300];
		snprintf(img, sizeof img, "docker-archive:%s/unit%d.tar", dd_test_tmpdir(), gz);
		snprintf(cache, sizeof cache, "%s/cache%d", dd_test_tmpdir(), gz);
		snprintf(layers, sizeof layers, "%s/layers", cache);
		write_docker_archive(img + 15, gz);
		struct dd_image_stats st;
		struct dd_fs *fs = load_ref(img, cache, &st);
		EXPECT_EQ_INT(st.layers_read, 1);
		dd_fs_free(fs);
		fs = load_ref(img, cache, &st);
		EXPECT_EQ_INT(st.layers_cached, 1);
		EXPECT_EQ_INT(st.layers_read, 0);
		dd_fs_free(fs);
		corrupt_dir(layers);
		nwarn = 0;
		fs = load_ref(img, cache, &st);
		EXPECT_EQ_INT(nwarn, 1);
		EXPECT_EQ_INT(st.layers_read, 1);
		const struct dd_fs_file *f = dd_fs_lookup(fs, "var/lib/dpkg/status");
		EXPECT_TRUE(f && f->data && !memcmp(f->data, "Package: unit", 13));
		dd_fs_free(fs);
		/* rebuilt: the next run is warm again */
		fs = load_ref(img, cache, &st);
		EXPECT_EQ_INT(st.layers_cached, 1);
		dd_fs_free(fs);
		if (gz) {
			/* the archive record too: damage means one more pass */
			char arch[4300];
			snprintf(arch, sizeof arch, "%s/archives", cache);
			corrupt_dir(arch);
			fs = load_ref(img, cache, &st);
			EXPECT_EQ_INT(st.layers_read, 1);
			dd_fs_free(fs);
			fs = load_ref(img, cache, &st); /* record rewritten */
			EXPECT_EQ_INT(st.layers_cached, 1);
			EXPECT_EQ_INT(st.layers_read, 0);
			dd_fs_free(fs);
		}
	}
}

/* ---- the merged view --------------------------------------------------------- */

DD_TEST(fs_overlay_and_resolve)
{
	struct dd_fs *fs = dd_fs_new();
	struct dd_err err;
	struct dd_fs_file f = { .path = "a/b/c", .type = DD_FS_REG, .layer = 0 };
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
	f.path = "a/x";
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
	struct dd_fs_file l = { .path = "link", .type = DD_FS_SYMLINK, .link = "/a/b", .layer = 0 };
	ASSERT_OK(dd_fs_put(fs, &l, &err), &err);
	const struct dd_fs_file *r = dd_fs_resolve(fs, "link/c", &err);
	ASSERT_TRUE(r != NULL);
	EXPECT_STR_EQ(r->path, "a/b/c");
	struct dd_fs_file up = { .path = "a/b/c", .type = DD_FS_REG, .layer = 1 };
	ASSERT_OK(dd_fs_put(fs, &up, &err), &err);
	r = dd_fs_lookup(fs, "a/b/c");
	ASSERT_TRUE(r && r->layer == 1 && r->lower && r->lower->layer == 0);
	dd_fs_opaque(fs, "a", 2);
	EXPECT_EQ_INT(dd_fs_count(fs), 1);
	struct dd_fs_file g = { .path = "d/e", .type = DD_FS_REG, .layer = 3 };
	ASSERT_OK(dd_fs_put(fs, &g, &err), &err);
	struct dd_fs_file h = { .path = "d", .type = DD_FS_REG, .layer = 4 };
	ASSERT_OK(dd_fs_put(fs, &h, &err), &err); /* a file replacing a directory */
	EXPECT_TRUE(dd_fs_lookup(fs, "d/e") == NULL);
	dd_fs_remove(fs, "d");
	EXPECT_EQ_INT(dd_fs_count(fs), 1);
	/* a million whiteouts of paths with nothing below are cheap */
	char p[32];
	for (int i = 0; i < 200000; i++) {
		snprintf(p, sizeof p, "w/%d", i);
		dd_fs_remove(fs, p);
	}
	dd_fs_free(fs);
}

/* The last layer's entries skip the maps (dd_fs_put_top): lookups, counts,
 * path order and lower versions must be what dd_fs_put_entry gives. */
DD_TEST(fs_top_layer)
{
	struct dd_fs *fs = dd_fs_new();
	struct dd_err err;
	struct dd_fs_file low[] = {
		{ .path = "a/keep", .type = DD_FS_REG },
		{ .path = "a/over", .type = DD_FS_REG },
		{ .path = "d", .type = DD_FS_DIR },
		{ .path = "d/gone", .type = DD_FS_REG },
		{ .path = "d/sub/gone", .type = DD_FS_REG },
		{ .path = "dir", .type = DD_FS_DIR },
	};
	for (size_t i = 0; i < sizeof low / sizeof *low; i++)
		ASSERT_OK(dd_fs_put(fs, &low[i], &err), &err);
	struct dd_fs_file top[] = {
		{ .path = "z/new", .type = DD_FS_REG, .layer = 1 },
		{ .path = "a/over", .type = DD_FS_REG, .layer = 1 },
		{ .path = "d", .type = DD_FS_REG, .layer = 1 },   /* a file replacing a directory */
		{ .path = "dir", .type = DD_FS_DIR, .layer = 1 }, /* a directory over a directory */
		{ .path = "ln", .type = DD_FS_SYMLINK, .link = "a", .layer = 1 },
		{ .path = "a-b", .type = DD_FS_REG, .layer = 1 },
	};
	for (size_t i = 0; i < sizeof top / sizeof *top; i++)
		ASSERT_OK(dd_fs_put_top(fs, &top[i], NULL, &err), &err);
	EXPECT_TRUE(dd_fs_lookup(fs, "z/new") == NULL); /* not before the seal */
	EXPECT_EQ_INT(dd_fs_count(fs), 1); /* what the map still has: a/keep */
	ASSERT_OK(dd_fs_seal(fs, &err), &err);
	const struct dd_fs_file *r = dd_fs_lookup(fs, "a/over");
	ASSERT_TRUE(r && r->layer == 1 && r->lower && r->lower->layer == 0);
	EXPECT_TRUE(dd_fs_lookup(fs, "d/gone") == NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "d/sub/gone") == NULL);
	r = dd_fs_lookup(fs, "dir");
	ASSERT_TRUE(r && r->layer == 1 && r->lower && r->lower->type == DD_FS_DIR);
	r = dd_fs_resolve(fs, "ln/keep", &err);
	ASSERT_TRUE(r != NULL);
	EXPECT_STR_EQ(r->path, "a/keep");
	static const char *const want[] = { "a-b", "a/keep", "a/over", "d", "dir", "ln", "z/new" };
	size_t n = 0;
	const struct dd_fs_file **v = dd_fs_sorted(fs, &n);
	ASSERT_TRUE(v != NULL);
	EXPECT_EQ_INT(n, sizeof want / sizeof *want);
	EXPECT_EQ_INT(dd_fs_count(fs), sizeof want / sizeof *want);
	for (size_t i = 0; i < n && i < sizeof want / sizeof *want; i++)
		EXPECT_STR_EQ(v[i]->path, want[i]);
	free(v);
	dd_fs_free(fs);
}

/* ---- a file the magic accepts, read by range --------------------------------- */

/* A 1 MiB file in memory, read the way rootfs_dir.c reads: read for the
 * first bytes, pread for the rest. `ends` makes the file end early there
 * (truncated while being read); `deny` fails every pread with EACCES. */
struct range_file {
	const unsigned char *d;
	size_t n, pos, ends, preads;
	bool deny;
};

static ssize_t range_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	(void)err;
	struct range_file *f = ud;
	size_t k = f->n - f->pos < n ? f->n - f->pos : n;
	memcpy(buf, f->d + f->pos, k);
	f->pos += k;
	return (ssize_t)k;
}

static ssize_t range_pread(void *ud, void *buf, size_t n, uint64_t off, struct dd_err *err)
{
	struct range_file *f = ud;
	if (f->deny) {
		errno = EACCES;
		return dd_err_sys(err, DD_EIO, "open"), -1;
	}
	size_t end = f->ends ? f->ends : f->n;
	if (off >= end)
		return 0;
	size_t k = end - off < n ? end - (size_t)off : n;
	memcpy(buf, f->d + off, k);
	f->preads += k;
	return (ssize_t)k;
}

static uint32_t range_magic(void *ud, const unsigned char *h, size_t n)
{
	(void)ud;
	return n >= 5 && !memcmp(h, "MAGIC", 5);
}

/* Keeps 16 bytes at 1000 and 16 at 500000; "greedy" asks for the whole
 * file four times over. */
static dd_code range_reduce(void *ud, uint32_t tag, bool by_magic, const char *path,
			    const struct dd_bytes *b, struct dd_arena *a, const unsigned char **out,
			    size_t *outlen, struct dd_err *err)
{
	(void)tag, (void)by_magic, (void)err;
	*out = NULL;
	*outlen = 0;
	if (strstr(path, "greedy")) {
		for (uint64_t i = 0; i < 4; i++)
			if (!dd_bytes_at(b, i, b->n - i))
				return DD_OK;
	}
	const unsigned char *p = dd_bytes_at(b, 1000, 16), *q = dd_bytes_at(b, 500000, 16);
	unsigned char *k = dd_arena_alloc(a, 32);
	if (!p || !q || !k)
		return DD_OK;
	memcpy(k, p, 16);
	memcpy(k + 16, q, 16);
	*out = k;
	*outlen = 32;
	return DD_OK;
}

static char range_warning[512];

static void range_warn(void *ud, const char *msg)
{
	(void)ud;
	snprintf(range_warning, sizeof range_warning, "%s", msg);
}

DD_TEST(layer_reads_magic_files_by_range)
{
	size_t n = 1u << 20;
	unsigned char *d = malloc(n);
	ASSERT_TRUE(d != NULL);
	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)(i * 7 + (i >> 8));
	memcpy(d, "MAGIC", 5);
	static const struct dd_fs_wants w = { .path = want_path, .magic = range_magic,
					      .reduce = range_reduce };
	_Atomic uint64_t kept = 0, total = 0;
	struct dd_layer_opts o = { .wants = &w, .kept_total = &kept, .image_total = &total,
				   .warn = range_warn };
	struct dd_layer *l = dd_layer_new();
	struct dd_err err;
	ASSERT_TRUE(l != NULL);
	/* Only the two ranges are read past the first bytes. */
	struct range_file f = { .d = d, .n = n };
	struct dd_layer_reader rd = { .read = range_read, .pread = range_pread, .ud = &f };
	ASSERT_OK(dd_layer_add_file(l, &o, "usr/bin/prog", 0755, n, &rd, &err), &err);
	EXPECT_EQ_INT(f.preads, 32);
	const struct dd_layer_ent *e = ent(l, "usr/bin/prog");
	ASSERT_TRUE(e && e->f.size == 32);
	EXPECT_TRUE(!memcmp(e->f.data, d + 1000, 16) && !memcmp(e->f.data + 16, d + 500000, 16));
	/* Truncated while being read: an error naming the file and the place. */
	f = (struct range_file){ .d = d, .n = n, .ends = 400000 };
	EXPECT_EQ_INT(dd_layer_add_file(l, &o, "usr/bin/cut", 0755, n, &rd, &err), DD_EINVAL);
	EXPECT_TRUE(strstr(err.msg, "usr/bin/cut") && strstr(err.msg, "offset 500000") &&
		    strstr(err.msg, "ends early"));
	/* Not allowed to read: a warning, as for a whole read. */
	f = (struct range_file){ .d = d, .n = n, .deny = true };
	ASSERT_OK(dd_layer_add_file(l, &o, "usr/bin/denied", 0755, n, &rd, &err), &err);
	EXPECT_TRUE(ent(l, "usr/bin/denied") == NULL);
	EXPECT_TRUE(strstr(range_warning, "usr/bin/denied") && strstr(range_warning, "not read"));
	/* Asking for more than twice the file in all: a warning, not kept. */
	f = (struct range_file){ .d = d, .n = n };
	ASSERT_OK(dd_layer_add_file(l, &o, "usr/bin/greedy", 0755, n, &rd, &err), &err);
	EXPECT_TRUE(ent(l, "usr/bin/greedy") == NULL);
	EXPECT_TRUE(strstr(range_warning, "usr/bin/greedy") &&
		    strstr(range_warning, "more than twice the file"));
	/* Without pread (a tar stream) the same is kept from the whole file. */
	f = (struct range_file){ .d = d, .n = n };
	struct dd_layer_reader seq = { .read = range_read, .ud = &f };
	ASSERT_OK(dd_layer_add_file(l, &o, "usr/bin/streamed", 0755, n, &seq, &err), &err);
	e = ent(l, "usr/bin/streamed");
	ASSERT_TRUE(e && e->f.size == 32);
	EXPECT_TRUE(!memcmp(e->f.data, d + 1000, 16) && !memcmp(e->f.data + 16, d + 500000, 16));
	EXPECT_EQ_INT(f.preads, 0);
	dd_layer_free(l);
	free(d);
}

/* ---- dir: never follows a host symlink -------------------------------------------- */

DD_TEST(dir_source_stays_inside)
{
	char root[4200], p[4300];
	snprintf(root, sizeof root, "%s/rootfs", dd_test_tmpdir());
	snprintf(p, sizeof p, "%s/etc", root);
	ASSERT_TRUE(mkdir(root, 0755) == 0 && mkdir(p, 0755) == 0);
	dd_test_write("rootfs/etc/os-release", "ID=dir\n", 7);
	dd_test_write("secret", "host secret\n", 12);
	snprintf(p, sizeof p, "%s/etc/passwd", root);
	ASSERT_TRUE(symlink("/etc/passwd", p) == 0); /* absolute: the image's own /etc/passwd */
	char target[4300];
	snprintf(target, sizeof target, "%s/secret", dd_test_tmpdir());
	snprintf(p, sizeof p, "%s/etc/shadow", root);
	ASSERT_TRUE(symlink(target, p) == 0);
	snprintf(p, sizeof p, "%s/etc/hostdir", root);
	ASSERT_TRUE(symlink(dd_test_tmpdir(), p) == 0);
	/* A fifo where a cataloger wants a file by name is never opened: an
	 * open would wait for a writer. */
	dd_test_write("rootfs/usr/lib/.keep", "", 0);
	snprintf(p, sizeof p, "%s/usr/lib/os-release", root);
	ASSERT_TRUE(mkfifo(p, 0644) == 0);
	char ref[4300];
	snprintf(ref, sizeof ref, "dir:%s", root);
	struct dd_image *img;
	struct dd_fs *fs;
	struct dd_err err;
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE };
	ASSERT_OK(dd_image_open(ref, &o, &img, &err), &err);
	ASSERT_OK(dd_image_load_fs(img, &wants, NULL, NULL, &fs, &err), &err);
	const struct dd_fs_file *f = dd_fs_lookup(fs, "etc/os-release");
	EXPECT_TRUE(f && f->data && !memcmp(f->data, "ID=dir", 6));
	f = dd_fs_lookup(fs, "etc/shadow");
	ASSERT_TRUE(f != NULL);
	EXPECT_EQ_INT(f->type, DD_FS_SYMLINK);
	EXPECT_TRUE(f->data == NULL);
	EXPECT_TRUE(dd_fs_resolve(fs, "etc/shadow", &err) == NULL);
	EXPECT_TRUE(dd_fs_resolve(fs, "etc/passwd", &err) == NULL);
	EXPECT_TRUE(dd_fs_resolve(fs, "etc/hostdir/secret", &err) == NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "etc/hostdir/secret") == NULL);
	EXPECT_TRUE(dd_fs_lookup(fs, "usr/lib/os-release") == NULL);
	dd_fs_free(fs);
	dd_image_close(img);
	/* a bare directory path is probed as dir: */
	ASSERT_OK(dd_image_open(root, &o, &img, &err), &err);
	EXPECT_STR_EQ(dd_image_info(img)->transport, "dir");
	dd_image_close(img);
}

/* A file or directory the user may not read, in a dir: tree, is a warning
 * and the scan goes on (each failed the scan before). As root the test
 * drops to nobody in a child process, since root reads every file. */
static int scan_unreadable(const char *root)
{
	char ref[4300];
	snprintf(ref, sizeof ref, "dir:%s", root);
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE };
	struct dd_sbom *s;
	struct dd_err err;
	if (dd_sbom_from_image(ref, &o, &s, &err)) {
		fprintf(stderr, "scan failed: %s\n", err.msg);
		return 1;
	}
	int bad = !(s->distro.id && !strcmp(s->distro.id, "alpine"));
	bool file = false, dir = false, search = false;
	for (size_t i = 0; i < s->nwarnings; i++) {
		file |= strstr(s->warnings[i], "etc/shadow") && strstr(s->warnings[i], "not read");
		dir |= strstr(s->warnings[i], "entry root:") && strstr(s->warnings[i], "not read");
		search |= strstr(s->warnings[i], "entry srv/data: stat:") &&
			  strstr(s->warnings[i], "not read");
	}
	dd_sbom_free(s);
	return bad || !file || !dir || !search;
}

DD_TEST(dir_unreadable_entry_is_a_warning)
{
	char root[4200], home[4300];
	snprintf(root, sizeof root, "%s/rootfs", dd_test_tmpdir());
	snprintf(home, sizeof home, "%s/root", root);
	dd_test_write("rootfs/etc/os-release", "ID=alpine\nVERSION_ID=3.19.0\n", 28);
	ASSERT_TRUE(chmod(dd_test_write("rootfs/etc/shadow", "root:*:1::::::\n", 15), 0) == 0);
	dd_test_write("rootfs/root/.ash_history", "ls\n", 3);
	ASSERT_TRUE(chmod(home, 0) == 0);
	/* Listed but not searchable: its entries cannot be looked at. */
	char srv[4300];
	snprintf(srv, sizeof srv, "%s/srv", root);
	dd_test_write("rootfs/srv/data", "x", 1);
	ASSERT_TRUE(chmod(srv, 0444) == 0);
	if (geteuid() != 0) {
		EXPECT_EQ_INT(scan_unreadable(root), 0);
	} else {
		ASSERT_TRUE(chmod(dd_test_tmpdir(), 0755) == 0);
		pid_t pid = fork();
		ASSERT_TRUE(pid >= 0);
		if (pid == 0)
			_exit(setgid(65534) || setuid(65534) ? 2 : scan_unreadable(root));
		int status;
		ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ_INT(WEXITSTATUS(status), 0);
	}
	ASSERT_TRUE(chmod(home, 0700) == 0 && chmod(srv, 0755) == 0); /* for the harness */
}

/* A file system of the kernel's mounted inside the tree (dir:/ has /proc
 * and /sys) is not walked: dir:/ failed on a /proc link root may not
 * read. Needs root and mount(2); skipped, saying so, without them. */
DD_TEST(dir_does_not_walk_kernel_file_systems)
{
	char root[4200], proc[4300], ref[4300];
	snprintf(root, sizeof root, "%s/rootfs", dd_test_tmpdir());
	snprintf(proc, sizeof proc, "%s/proc", root);
	snprintf(ref, sizeof ref, "dir:%s", root);
	dd_test_write("rootfs/etc/os-release", "ID=alpine\nVERSION_ID=3.19.0\n", 28);
	ASSERT_TRUE(mkdir(proc, 0555) == 0);
	if (mount("proc", proc, "proc", 0, NULL) != 0)
		dd_test_skip("mount proc: %s", strerror(errno));
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE };
	struct dd_sbom *s = NULL;
	struct dd_err err;
	dd_code rc = dd_sbom_from_image(ref, &o, &s, &err);
	umount(proc);
	ASSERT_OK(rc, &err);
	EXPECT_STR_EQ(s->distro.id, "alpine");
	for (size_t i = 0; i < s->nwarnings; i++)
		EXPECT_TRUE(strstr(s->warnings[i], "proc/") == NULL);
	dd_sbom_free(s);
}

/* ---- the dir: source's helper thread ---------------------------------------- */

/* Wanted by path: etc/; reduced to the first line: etc/r/. */
static uint32_t helper_want(void *ud, const char *p, size_t n)
{
	(void)ud;
	return dd_path_match("etc/r/**", p, n) ? 2 : dd_path_match("etc/**", p, n) ? 1 : 0;
}

/* Sniffed: a file that starts with MAGIC, reduced to bytes 100-109, read
 * by range where the source can. */
static uint32_t helper_magic(void *ud, const unsigned char *head, size_t n)
{
	(void)ud;
	return n >= 5 && !memcmp(head, "MAGIC", 5) ? 4 : 0;
}

static bool helper_reduces(void *ud, uint32_t tag)
{
	(void)ud;
	return tag == 2;
}

/* What the reducer does to the tree first, at its first file: the tree
 * changing under the scan after the walk listed it. The helper takes no
 * job before the walk ends as long as there are fewer than its first
 * batch (PUBLISH_FIRST, 16), so the walk has seen every file by then. */
static void (*helper_meddle)(const char *reducing);

static dd_code first_line(void *ud, uint32_t tag, bool by_magic, const char *path,
			  const struct dd_bytes *b, struct dd_arena *a, const unsigned char **out,
			  size_t *outlen, struct dd_err *err)
{
	(void)ud;
	if (by_magic) {
		const unsigned char *r = tag == 4 ? dd_bytes_at(b, 100, 10) : NULL;
		*out = r ? dd_arena_memdup(a, r, 10) : NULL;
		*outlen = 10;
		return r && !*out ? dd_err_set(err, DD_ENOMEM, "out of memory") : DD_OK;
	}
	if (helper_meddle)
		helper_meddle(path);
	helper_meddle = NULL;
	const unsigned char *nl = memchr(b->d, '\n', b->n);
	*outlen = nl ? (size_t)(nl - b->d) : b->n;
	if (!(*out = dd_arena_memdup(a, b->d, *outlen)))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return DD_OK;
}

static const struct dd_fs_wants helper_wants = {
	.path = helper_want, .magic = helper_magic, .reduce = first_line, .reduces = helper_reduces,
	.fingerprint = "unit-helper-v1"
};

static char helper_warned[512];

static void helper_warn(void *ud, const char *msg)
{
	(void)ud;
	if (!helper_warned[0])
		snprintf(helper_warned, sizeof helper_warned, "%s", msg);
}

static dd_code load_dir(const char *root, unsigned threads, struct dd_fs **fs, struct dd_err *err)
{
	char ref[4300];
	snprintf(ref, sizeof ref, "dir:%s", root);
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE, .threads = threads };
	struct dd_image *img;
	dd_code rc = dd_image_open(ref, &o, &img, err);
	if (!rc)
		rc = dd_image_load_fs(img, &helper_wants, helper_warn, NULL, fs, err);
	if (!rc || img)
		dd_image_close(img);
	return rc;
}

static void need_two_cpus(void)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		dd_test_skip("one CPU: the dir: source reads every file on the walk's thread");
}

/* 3000 files wanted by path, kept whole or reduced (more than a batch and
 * a block of the helper's jobs), an empty one among them, and 200 for the
 * magic, half of which it takes: the helper keeps what the walk alone
 * keeps (threads = 1). */
DD_TEST(dir_helper_keeps_what_the_walk_keeps)
{
	need_two_cpus();
	char root[4200], rel[64], body[64];
	snprintf(root, sizeof root, "%s/rootfs", dd_test_tmpdir());
	for (int i = 0; i < 3000; i++) {
		snprintf(rel, sizeof rel, "rootfs/etc/%s/f%04d", i % 2 ? "r" : "w", i);
		int n = snprintf(body, sizeof body, "first %d\nsecond %d\n", i, i);
		dd_test_write(rel, body, (size_t)n);
	}
	dd_test_write("rootfs/etc/r/empty", "", 0);
	unsigned char bin[300];
	for (int i = 0; i < 200; i++) {
		for (size_t k = 0; k < sizeof bin; k++)
			bin[k] = (unsigned char)(i + k);
		memcpy(bin, i % 2 ? "MAGIC" : "OTHER", 5);
		snprintf(rel, sizeof rel, "rootfs/usr/bin/m%03d", i);
		dd_test_write(rel, bin, sizeof bin);
	}
	dd_test_write("rootfs/usr/bin/not-wanted", "x", 1);
	struct dd_fs *with, *alone;
	struct dd_err err;
	ASSERT_OK(load_dir(root, 0, &with, &err), &err);
	ASSERT_OK(load_dir(root, 1, &alone, &err), &err);
	for (int i = 0; i < 3000; i++) {
		snprintf(rel, sizeof rel, "etc/%s/f%04d", i % 2 ? "r" : "w", i);
		const struct dd_fs_file *a = dd_fs_lookup(with, rel), *b = dd_fs_lookup(alone, rel);
		ASSERT_TRUE(a && b && a->data && b->data);
		EXPECT_EQ_INT(a->size, b->size);
		EXPECT_TRUE(a->size == b->size && !memcmp(a->data, b->data, a->size));
		EXPECT_EQ_INT(a->size, (size_t)snprintf(body, sizeof body,
							i % 2 ? "first %d" : "first %d\nsecond %d\n", i, i));
	}
	for (int i = 0; i < 200; i++) {
		snprintf(rel, sizeof rel, "usr/bin/m%03d", i);
		const struct dd_fs_file *a = dd_fs_lookup(with, rel), *b = dd_fs_lookup(alone, rel);
		EXPECT_TRUE(!a == !(i % 2) && !b == !(i % 2));
		if (a && b) {
			EXPECT_EQ_INT(a->size, 10);
			EXPECT_EQ_INT(a->tag, 4);
			EXPECT_TRUE(a->data[0] == (unsigned char)(i + 100) && a->size == b->size &&
				    !memcmp(a->data, b->data, 10));
		}
	}
	const struct dd_fs_file *e = dd_fs_lookup(with, "etc/r/empty");
	EXPECT_TRUE(e && e->size == 0);
	EXPECT_TRUE(dd_fs_lookup(with, "usr/bin/not-wanted") == NULL); /* not kept */
	dd_fs_free(with);
	dd_fs_free(alone);
}

/* An archive layer read with the helper thread (o.helper) and without:
 * the same entries, kept alike. 3,000 reduced files of 1.5 KiB (more than
 * the helper's ring of contents holds at once, so it wraps), one too big
 * for the ring, a hard link to a reduced file, a path given twice, a
 * file kept whole, one the magic takes. */
static dd_code read_helper_layer(const unsigned char *p, size_t n, bool helper,
				 struct dd_layer **out, struct dd_err *err)
{
	struct dd_blob_mem m;
	struct dd_blob_stream s;
	dd_blob_stream_mem(&m, p, n, &s);
	static _Atomic uint64_t kept, total;
	kept = total = 0;
	struct dd_layer_opts o = { .wants = &helper_wants, .kept_total = &kept,
				   .image_total = &total, .helper = helper };
	return dd_layer_read_blob(&s, &o, out, err);
}

DD_TEST(layer_helper_keeps_what_the_stream_keeps)
{
	need_two_cpus();
	static char body[80 << 10];
	struct wtar w;
	tar_begin(&w, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	for (int i = 0; i < 3000; i++) {
		char name[64];
		int k = snprintf(body, sizeof body, "first %d\n", i);
		memset(body + k, 'a' + i % 26, 1500);
		body[k + 1500] = '\0';
		snprintf(name, sizeof name, "etc/r/f%04d", i);
		tar_add(&w, name, AE_IFREG, body, NULL);
	}
	memset(body, 'b', sizeof body - 1);
	body[sizeof body - 1] = '\0';
	tar_add(&w, "etc/r/big", AE_IFREG, body, NULL);
	tar_add(&w, "etc/r/link", 0, NULL, "etc/r/f0001");
	tar_add(&w, "etc/r/dup", AE_IFREG, "one\nx", NULL);
	tar_add(&w, "etc/r/dup", AE_IFREG, "two\ny", NULL);
	tar_add(&w, "etc/w/whole", AE_IFREG, "kept\nwhole\n", NULL);
	memset(body, 'c', 200);
	memcpy(body, "MAGIC", 5);
	body[200] = '\0';
	tar_add(&w, "usr/bin/m", AE_IFREG, body, NULL);
	size_t n = tar_end(&w);
	struct dd_layer *with = NULL, *alone = NULL;
	struct dd_err err;
	ASSERT_OK(read_helper_layer(w.buf, n, true, &with, &err), &err);
	ASSERT_OK(read_helper_layer(w.buf, n, false, &alone, &err), &err);
	EXPECT_EQ_INT(with->nents, alone->nents);
	EXPECT_EQ_INT(with->kept_bytes, alone->kept_bytes);
	for (size_t i = 0; i < alone->nents; i++) {
		const struct dd_layer_ent *b = &alone->ents[i], *a = ent(with, b->f.path);
		ASSERT_TRUE(a != NULL);
		EXPECT_EQ_INT(a->type, b->type);
		EXPECT_EQ_INT(a->f.tag, b->f.tag);
		EXPECT_EQ_INT(a->f.size, b->f.size);
		EXPECT_TRUE(!a->f.data == !b->f.data);
		if (a->f.data && b->f.data && a->f.size == b->f.size && memcmp(a->f.data, b->f.data, a->f.size))
			dd_test_fail(__FILE__, __LINE__, "%s: other content", b->f.path);
	}
	const struct dd_layer_ent *e = ent(with, "etc/r/link");
	ASSERT_TRUE(e && e->f.data);
	EXPECT_TRUE(e->f.size == 7 && !memcmp(e->f.data, "first 1", 7));
	e = ent(with, "etc/r/dup");
	ASSERT_TRUE(e && e->f.data);
	EXPECT_TRUE(e->f.size == 3 && !memcmp(e->f.data, "two", 3));
	e = ent(with, "etc/r/big");
	EXPECT_TRUE(e && e->f.size == sizeof body - 1); /* first line: all of it */
	dd_layer_free(with);
	dd_layer_free(alone);
	free(w.buf);
}

static char meddle_root[4200];

/* Each of etc/r/{a,b,c} but the one being reduced: how many that is. */
static int meddle_each(const char *reducing, int (*fn)(const char *path))
{
	int n = 0;
	for (const char *f = "abc"; *f; f++) {
		char p[4300], rel[16];
		snprintf(rel, sizeof rel, "etc/r/%c", *f);
		snprintf(p, sizeof p, "%s/%s", meddle_root, rel);
		if (strcmp(reducing, rel) != 0 && fn(p) != 0)
			abort();
		n++;
	}
	return n;
}

static int grow(const char *p)
{
	return truncate(p, 4096);
}

static void meddle_remove(const char *reducing)
{
	meddle_each(reducing, unlink);
}

static void meddle_grow(const char *reducing)
{
	meddle_each(reducing, grow);
}

/* etc/r/d1 and etc/r/d2, unless reducing a file in one, swapped for links
 * to a directory outside the root */
static void meddle_swap(const char *reducing)
{
	for (int d = 1; d <= 2; d++) {
		char p[4300], q[4400], rel[16];
		snprintf(rel, sizeof rel, "etc/r/d%d/", d);
		if (!strncmp(reducing, rel, strlen(rel)))
			continue;
		snprintf(p, sizeof p, "%s/etc/r/d%d", meddle_root, d);
		snprintf(q, sizeof q, "%s.old", p);
		if (rename(p, q) != 0 || symlink(dd_test_tmpdir(), p) != 0)
			abort();
	}
}

static dd_code meddled(void (*how)(const char *), struct dd_fs **fs, struct dd_err *err)
{
	snprintf(meddle_root, sizeof meddle_root, "%s/m", dd_test_tmpdir());
	char cmd[4400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", meddle_root);
	if (system(cmd) != 0)
		abort();
	dd_test_write("m/etc/r/a", "a\n", 2);
	dd_test_write("m/etc/r/b", "b\n", 2);
	dd_test_write("m/etc/r/c", "c\n", 2);
	if (how == meddle_swap) {
		dd_test_write("m/etc/r/d1/secret", "inside\n", 7);
		dd_test_write("m/etc/r/d2/secret", "inside\n", 7);
		dd_test_write("secret", "outside\n", 8); /* where a swapped one leads */
	}
	helper_meddle = how;
	helper_warned[0] = '\0';
	dd_code rc = load_dir(meddle_root, 0, fs, err);
	helper_meddle = NULL;
	return rc;
}

static int kept_of_abc(const struct dd_fs *fs)
{
	int n = 0;
	n += dd_fs_lookup(fs, "etc/r/a") != NULL;
	n += dd_fs_lookup(fs, "etc/r/b") != NULL;
	n += dd_fs_lookup(fs, "etc/r/c") != NULL;
	return n;
}

/* The helper opens a file again by its path after the walk saw it: gone
 * since is not kept (as the walk skips a file gone before it opens it),
 * grown past the kept limit is a warning, and a directory on the way
 * swapped for a symlink is refused (openat2 RESOLVE_NO_SYMLINKS): never a
 * file outside the root. */
DD_TEST(dir_helper_survives_a_changing_tree)
{
	need_two_cpus();
	struct dd_fs *fs;
	struct dd_err err;
	ASSERT_OK(meddled(meddle_remove, &fs, &err), &err);
	EXPECT_EQ_INT(kept_of_abc(fs), 1);
	EXPECT_STR_EQ(helper_warned, "");
	dd_fs_free(fs);

	struct dd_image_limits l = *dd_image_limits_get();
	l.kept_file = 1024;
	dd_image_limits_set(&l);
	dd_code rc = meddled(meddle_grow, &fs, &err);
	dd_image_limits_set(NULL);
	ASSERT_OK(rc, &err);
	EXPECT_EQ_INT(kept_of_abc(fs), 1);
	EXPECT_TRUE(strstr(helper_warned, ": 4096 bytes, more than the 1024 kept per file; not read"));
	dd_fs_free(fs);

	fs = NULL;
	rc = meddled(meddle_swap, &fs, &err);
	EXPECT_EQ_INT(rc, DD_EIO);
	EXPECT_TRUE(strstr(err.msg, "/secret: open: ") != NULL);
	dd_fs_free(fs);
}

/* ---- dd_sbom_from_image ------------------------------------------------------ */

DD_TEST(sbom_from_image_describes_the_image)
{
	char path[4200], cache[4200];
	snprintf(path, sizeof path, "%s/s.tar", dd_test_tmpdir());
	snprintf(cache, sizeof cache, "%s/c", dd_test_tmpdir());
	write_docker_archive(path, true);
	struct dd_image_opts o = { .cache_dir = cache };
	struct dd_sbom *s;
	struct dd_err err;
	ASSERT_OK(dd_sbom_from_image(path, &o, &s, &err), &err);
	EXPECT_STR_EQ(s->image.transport, "docker-archive");
	EXPECT_STR_EQ(s->image.name, "unit:1");
	EXPECT_EQ_INT(s->image.nlayers, 1);
	EXPECT_TRUE(s->image.layers[0].diff_id && !strncmp(s->image.layers[0].diff_id, "sha256:", 7));
	EXPECT_TRUE(s->image.config_digest != NULL);
	dd_sbom_free(s);
	EXPECT_EQ_INT(dd_sbom_from_image("/nonexistent/image.tar", &o, &s, &err), DD_ENOTFOUND);
	EXPECT_TRUE(strstr(err.msg, "/nonexistent/image.tar") != NULL);
	/* A tagged bare name that is no file is a registry image; this one is on
	 * 127.0.0.1 port 1, where nothing listens (tests never leave loopback). */
	struct dd_registry_opts ro = { .docker_config = "", .retry_base_ms = 1 };
	o.registry = &ro;
	EXPECT_EQ_INT(dd_sbom_from_image("127.0.0.1:1/alpine:3.19", &o, &s, &err), DD_ENET);
	EXPECT_TRUE(strstr(err.msg, "127.0.0.1:1") != NULL);
	/* A bare name without tag, digest or host stays a file name. */
	EXPECT_EQ_INT(dd_sbom_from_image("image.tar", &o, &s, &err), DD_ENOTFOUND);
}

/* ---- out of memory ------------------------------------------------------------ */

#include "util/alloc.h"

/* Fails each allocation of opening and loading ref in turn: every run ends
 * in DD_OK or an error, never a crash, and ASan finds no leak on any
 * error path. The number of allocations of a run that failed none. */
static unsigned long fail_each_allocation(const char *ref, const struct dd_image_opts *o,
					  const struct dd_fs_wants *w)
{
	for (unsigned long n = 1; n <= 5000; n++) {
		struct dd_image *img = NULL;
		struct dd_fs *fs = NULL;
		struct dd_err err;
		dd_alloc_fail_at(n);
		dd_code rc = dd_image_open_lazy(ref, o, &img, &err);
		if (!rc)
			rc = dd_image_load_fs(img, w, NULL, NULL, &fs, &err);
		unsigned long used = dd_alloc_count();
		dd_alloc_fail_at(0);
		dd_fs_free(fs);
		dd_image_close(img);
		if (used < n) { /* the failure point was never reached */
			EXPECT_EQ_INT(rc, DD_OK);
			return n - 1;
		}
	}
	dd_test_fail(__FILE__, __LINE__, "%s: more than 5000 allocations?", ref);
	return 0;
}

/* Plain and gzipped docker-archive, cold and warm, on one thread (the
 * same order of allocations every run). */
DD_TEST(every_allocation_failure_is_handled)
{
	for (int gz = 0; gz < 2; gz++) {
		char path[4200], cache[4200];
		snprintf(path, sizeof path, "%s/oom%d.tar", dd_test_tmpdir(), gz);
		snprintf(cache, sizeof cache, "%s/oomcache%d", dd_test_tmpdir(), gz);
		write_docker_archive(path, gz);
		for (int warm = 0; warm < 2; warm++) {
			struct dd_image_opts o = { .cache_dir = cache, .threads = 1,
						   .flags = warm ? 0 : DD_IMAGE_NO_CACHE };
			unsigned long total = fail_each_allocation(path, &o, &wants);
			printf("gz=%d warm=%d: %lu allocations, each failed once\n", gz, warm, total);
			EXPECT_TRUE(total > 10);
			/* fill the cache for the warm round */
			struct dd_image_opts fill = { .cache_dir = cache };
			struct dd_image *img;
			struct dd_fs *fs;
			struct dd_err err;
			ASSERT_OK(dd_image_open_lazy(path, &fill, &img, &err), &err);
			ASSERT_OK(dd_image_load_fs(img, &wants, NULL, NULL, &fs, &err), &err);
			dd_fs_free(fs);
			dd_image_close(img);
		}
	}
}

/* A dir: tree and an archive read with the helper thread: which
 * allocation fails first depends on how the two threads interleave, but
 * each run must still end cleanly. */
DD_TEST(every_allocation_failure_is_handled_with_the_helper)
{
	need_two_cpus();
	char root[4200], ref[4300];
	snprintf(root, sizeof root, "%s/rootfs", dd_test_tmpdir());
	snprintf(ref, sizeof ref, "dir:%s", root);
	dd_test_write("rootfs/etc/r/a", "first\nsecond\n", 13);
	dd_test_write("rootfs/etc/w/b", "whole\n", 6);
	unsigned char bin[300] = "MAGIC";
	dd_test_write("rootfs/usr/bin/m", bin, sizeof bin);
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE };
	unsigned long total = fail_each_allocation(ref, &o, &helper_wants);
	printf("dir: %lu allocations, each failed once\n", total);
	EXPECT_TRUE(total > 10);
	char path[4200];
	snprintf(path, sizeof path, "%s/oomh.tar", dd_test_tmpdir());
	write_docker_archive(path, true);
	total = fail_each_allocation(path, &o, &helper_wants);
	printf("docker-archive: %lu allocations, each failed once\n", total);
	EXPECT_TRUE(total > 10);
}
