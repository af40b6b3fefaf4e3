/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker-archive:PATH, the `docker save` layout (moby image/spec "Docker
 * Image Specification v1.x", "Combined Image JSON + Filesystem Changeset
 * Format"): manifest.json names the config file and the layer tars, either
 * legacy `<id>/layer.tar` or skopeo's `<diff_id>.tar` (with the legacy
 * names as symlinks). The archive may be a plain tar or gzip/zstd.
 *
 * A plain tar is indexed (tar_index.c) and its layers are byte ranges read
 * in parallel. A compressed archive cannot seek, and `docker save | gzip`
 * puts manifest.json at the very end, so it is read in one pass: every
 * candidate layer file is handed to the loader as it streams by, and the
 * manifest and config found on the way complete the image info afterwards.
 * The manifest and config are then cached under the archive's identity
 * (device, inode, size, mtime and ctime in ns) so that a rescan knows the
 * layers without decompressing anything, and with every layer in the
 * layer cache reads nothing but those two small records.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/layer.h"
#include "image/oci_manifest.h"
#include "image/source.h"
#include "image/tar_index.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/limits.h"
#include "util/path.h"

#define META_MAGIC "DDMETA01"
/* JSON files kept while streaming (config candidates): docker save writes
 * one per image plus one per legacy layer directory. */
#define MAX_JSON_FILES 512

struct da {
	int fd;
	uint64_t fsize;
	bool compressed;
	struct dd_tar_index ix;
	bool indexed;
	const char **layer_names;     /* regular-file name holding layer i */
	size_t nlayers;
	char meta_path[4200];         /* "" when there is no cache */
	char path[PATH_MAX];
};

static bool is_compressed(const unsigned char *p, size_t n)
{
	return (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
	       (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd);
}

static bool tar_header_ok(const unsigned char *b)
{
	uint64_t sum = 0, want = 0;
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : b[i];
	int i = 148;
	while (i < 156 && b[i] == ' ')
		i++;
	bool any = false;
	for (; i < 156 && b[i] >= '0' && b[i] <= '7'; i++, any = true)
		want = want * 8 + (uint64_t)(b[i] - '0');
	return any && sum == want;
}

static bool probe(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char b[512];
	ssize_t n = dd_tar_pread_fd((void *)(intptr_t)fd, b, sizeof b, 0);
	bool ok = false;
	if (n >= 4 && is_compressed(b, (size_t)n)) {
		/* Look at the first header inside. */
		struct dd_blob_stream s;
		struct dd_zstream *z = NULL;
		struct stat st;
		if (!fstat(fd, &st) && !dd_blob_stream_range(fd, 0, (uint64_t)st.st_size, &s, NULL)) {
			if (!dd_zstream_open(&s, false, &z, NULL)) {
				unsigned char h[512];
				size_t have = 0;
				while (have < 512) {
					const void *buf;
					size_t k;
					if (dd_zstream_next(z, &buf, &k, NULL) || !k)
						break;
					size_t take = k < 512 - have ? k : 512 - have;
					memcpy(h + have, buf, take);
					have += take;
				}
				ok = have == 512 && tar_header_ok(h);
				dd_zstream_close(z);
			}
			s.close(s.ud);
		}
	} else if (n == 512) {
		ok = tar_header_ok(b);
	}
	close(fd);
	return ok;
}

/* ---- the manifest/config record cache ------------------------------------- */

static void meta_key(struct da *d, const char *cache_dir, const struct stat *st)
{
	d->meta_path[0] = '\0';
	if (!cache_dir)
		return;
	char key[PATH_MAX + 256];
	int n = snprintf(key, sizeof key, "%s\n%llu\n%llu\n%llu\n%lld.%09ld\n%lld.%09ld", d->path,
			 (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
			 (unsigned long long)st->st_size, (long long)st->st_mtim.tv_sec,
			 st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
	char h[DD_DIGEST_STR];
	if (n < 0 || (size_t)n >= sizeof key || dd_sha256_buf(key, (size_t)n, h, NULL))
		return;
	snprintf(d->meta_path, sizeof d->meta_path, "%s/archives/%s", cache_dir, h + 7);
}

struct meta {
	const char *manifest, *config;
	size_t manifest_len, config_len;
	const char **names;
	size_t nnames;
};

static dd_code put_blob(struct dd_buf *b, const void *p, size_t n, struct dd_err *err)
{
	uint32_t len = (uint32_t)n;
	dd_code rc = dd_buf_append(b, &len, 4, err);
	return rc ? rc : dd_buf_append(b, p, n, err);
}

static void meta_store(const struct da *d, const struct meta *m)
{
	if (!d->meta_path[0])
		return;
	struct dd_buf b;
	dd_buf_init(&b, 3 * DD_LIMIT_CONFIG_BYTES);
	dd_code rc = dd_buf_append(&b, META_MAGIC, 8, NULL);
	if (!rc)
		rc = put_blob(&b, m->manifest, m->manifest_len, NULL);
	if (!rc)
		rc = put_blob(&b, m->config, m->config_len, NULL);
	uint32_t n = (uint32_t)m->nnames;
	if (!rc)
		rc = dd_buf_append(&b, &n, 4, NULL);
	for (size_t i = 0; i < m->nnames && !rc; i++)
		rc = put_blob(&b, m->names[i], strlen(m->names[i]), NULL);
	char h[DD_DIGEST_STR];
	if (!rc && !dd_sha256_buf(b.data, b.len, h, NULL))
		rc = dd_buf_append(&b, h, 71, NULL);
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", d->meta_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (!rc && !dd_path_mkdirs(dir, NULL))
		dd_image_write_atomic(d->meta_path, b.data, b.len, NULL);
	dd_buf_release(&b);
}

static const char *get_blob(const unsigned char *p, size_t n, size_t *off, size_t *len,
			    struct dd_arena *a)
{
	uint32_t l;
	if (n - *off < 4)
		return NULL;
	memcpy(&l, p + *off, 4);
	*off += 4;
	if (l > n - *off)
		return NULL;
	const char *s = dd_arena_strndup(a, (const char *)p + *off, l);
	*off += l;
	*len = l;
	return s;
}

/* A damaged record is simply not used: the archive is read instead. */
static bool meta_load(const struct da *d, struct dd_arena *a, struct meta *m)
{
	memset(m, 0, sizeof *m);
	if (!d->meta_path[0])
		return false;
	struct dd_buf b;
	dd_buf_init(&b, 3 * DD_LIMIT_CONFIG_BYTES);
	bool ok = false;
	if (dd_buf_read_file(&b, d->meta_path, NULL) || b.len < 8 + 71 ||
	    memcmp(b.data, META_MAGIC, 8))
		goto out;
	char h[DD_DIGEST_STR];
	if (dd_sha256_buf(b.data, b.len - 71, h, NULL) || memcmp(h, b.data + b.len - 71, 71))
		goto out;
	const unsigned char *p = (const unsigned char *)b.data;
	size_t n = b.len - 71, off = 8, len;
	m->manifest = get_blob(p, n, &off, &m->manifest_len, a);
	m->config = get_blob(p, n, &off, &m->config_len, a);
	uint32_t cnt;
	if (!m->manifest || !m->config || n - off < 4)
		goto out;
	memcpy(&cnt, p + off, 4);
	off += 4;
	if (cnt > DD_LIMIT_LAYERS)
		goto out;
	m->names = dd_arena_alloc(a, (cnt ? cnt : 1) * sizeof *m->names);
	for (uint32_t i = 0; m->names && i < cnt; i++)
		if (!(m->names[i] = get_blob(p, n, &off, &len, a)))
			goto out;
	m->nnames = cnt;
	ok = m->names && off == n;
out:
	dd_buf_release(&b);
	return ok;
}

/* ---- info ----------------------------------------------------------------- */

static bool hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Fills info from manifest.json and the config. names[i] (resolved by the
 * caller) hold layer i. */
static dd_code fill_info(struct da *d, struct dd_arena *a, const struct dd_docker_manifest *dm,
			 const char *cfg, size_t cfglen, const char *cfgname,
			 struct dd_image_info *info, struct dd_err *err)
{
	char digest[DD_DIGEST_STR];
	dd_code rc = dd_sha256_buf(cfg, cfglen, digest, err);
	if (rc)
		return rc;
	/* The config file is named by its digest in both layouts
	 * (<hex>.json, or blobs/sha256/<hex>). */
	const char *base = strrchr(cfgname, '/');
	base = base ? base + 1 : cfgname;
	size_t bl = strlen(base);
	if (bl >= 5 && !strcmp(base + bl - 5, ".json"))
		bl -= 5;
	if (hex64(base, bl) && memcmp(base, digest + 7, 64) != 0)
		return dd_err_set(err, DD_EDIGEST, "config %s: content hashes to %s", cfgname, digest);
	struct dd_oci_config c;
	if ((rc = dd_oci_parse_config(cfg, cfglen, a, &c, err)))
		return dd_err_prefix(err, "%s: ", cfgname);
	if (c.ndiff_ids != dm->nlayers)
		return dd_err_set(err, DD_EINVAL,
				  "manifest.json lists %zu layers but the config has %zu diff_ids",
				  dm->nlayers, c.ndiff_ids);
	info->config_digest = dd_arena_strdup(a, digest);
	info->os = c.platform.os;
	info->arch = c.platform.arch;
	info->variant = c.platform.variant;
	info->created = c.created;
	info->repo_tags = dm->repo_tags;
	info->nrepo_tags = dm->nrepo_tags;
	info->name = dm->nrepo_tags ? dm->repo_tags[0] : NULL;
	info->nlayers = dm->nlayers;
	info->layers = dd_arena_alloc(a, (dm->nlayers ? dm->nlayers : 1) * sizeof *info->layers);
	if (!info->layers)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	for (size_t i = 0; i < dm->nlayers; i++) {
		struct dd_layer_info *li = &info->layers[i];
		li->index = (unsigned)i;
		li->diff_id = c.diff_ids[i];
		li->created_by = c.created_by[i];
		li->media_type = "application/vnd.docker.image.rootfs.diff.tar";
		if (d->indexed) {
			const struct dd_tar_member *m = dd_tar_index_find(&d->ix, d->layer_names[i]);
			li->size = m ? m->size : 0;
		}
	}
	return dd_arena_status(a) ? dd_err_set(err, DD_ENOMEM, "out of memory") : DD_OK;
}

/* ---- plain tar ------------------------------------------------------------ */

static dd_code open_indexed(struct da *d, struct dd_arena *a, struct dd_image_info *info,
			    struct dd_err *err)
{
	void *ud = (void *)(intptr_t)d->fd;
	dd_code rc = dd_tar_index_build(dd_tar_pread_fd, ud, d->fsize, &d->ix, err);
	if (rc)
		return rc;
	d->indexed = true;
	const struct dd_tar_member *mm = dd_tar_index_find(&d->ix, "manifest.json");
	if (!mm)
		return dd_err_set(err, DD_EINVAL, "manifest.json not found (not a docker-archive%s)",
				  dd_tar_index_find(&d->ix, "index.json") ? "; an oci-archive?" : "");
	struct dd_buf b, c;
	dd_buf_init(&b, DD_LIMIT_MANIFEST_BYTES);
	dd_buf_init(&c, DD_LIMIT_CONFIG_BYTES);
	struct dd_docker_manifest dm;
	if ((rc = dd_tar_index_read(dd_tar_pread_fd, ud, mm, DD_LIMIT_MANIFEST_BYTES, &b, err)) ||
	    (rc = dd_docker_parse_manifest(b.data, b.len, a, &dm, err)))
		goto out;
	const struct dd_tar_member *cm = dd_tar_index_find(&d->ix, dm.config);
	if (!cm) {
		rc = dd_err_set(err, DD_ENOTFOUND, "config %s named by manifest.json is not in the archive", dm.config);
		goto out;
	}
	if ((rc = dd_tar_index_read(dd_tar_pread_fd, ud, cm, DD_LIMIT_CONFIG_BYTES, &c, err)))
		goto out;
	d->nlayers = dm.nlayers;
	d->layer_names = dd_arena_alloc(a, (dm.nlayers ? dm.nlayers : 1) * sizeof *d->layer_names);
	if (!d->layer_names) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < dm.nlayers; i++) {
		const struct dd_tar_member *lm = dd_tar_index_find(&d->ix, dm.layers[i]);
		if (!lm) {
			rc = dd_err_set(err, DD_ENOTFOUND, "layer %zu: %s named by manifest.json is not in the archive",
					i + 1, dm.layers[i]);
			goto out;
		}
		d->layer_names[i] = lm->name;
	}
	rc = fill_info(d, a, &dm, c.data ? c.data : "", c.len, cm->name, info, err);
out:
	dd_buf_release(&b);
	dd_buf_release(&c);
	return rc;
}

/* ---- compressed: one streaming pass --------------------------------------- */

struct pass {
	struct da *d;
	struct dd_zstream *z;
	struct archive *a;
	struct dd_err zerr;
	struct dd_buf manifest;
	struct dd_map jsons;          /* name -> struct dd_buf * */
	struct dd_map links;          /* name -> canonical target (arena) */
	struct dd_arena *tmp;
	size_t njson;
	uint64_t small_total;
};

/* Files kept from the stream besides manifest.json and *.json (configs
 * named by digest alone, tiny layers). */
#define SMALL_FILE_MAX (1u << 20)
#define SMALL_TOTAL_MAX (64u << 20)

static la_ssize_t pass_read(struct archive *a, void *ud, const void **buf)
{
	struct pass *p = ud;
	size_t n;
	if (dd_zstream_next(p->z, buf, &n, &p->zerr)) {
		archive_set_error(a, EIO, "%s", p->zerr.msg);
		return -1;
	}
	return (la_ssize_t)n;
}

static ssize_t entry_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	struct pass *p = ud;
	la_ssize_t got = archive_read_data(p->a, buf, n);
	if (got < 0) {
		if (p->zerr.code)
			dd_err_set(err, p->zerr.code, "%s", p->zerr.msg);
		else
			dd_err_set(err, DD_EINVAL, "%s", archive_error_string(p->a) ? archive_error_string(p->a) : "tar read error");
		return -1;
	}
	return got;
}

static dd_code entry_next(void *ud, const void **buf, size_t *n, struct dd_err *err)
{
	struct pass *p = ud;
	la_int64_t off;
	int r = archive_read_data_block(p->a, buf, n, &off);
	if (r == ARCHIVE_EOF) {
		*n = 0;
		return DD_OK;
	}
	if (r < ARCHIVE_WARN) {
		if (p->zerr.code)
			return dd_err_set(err, p->zerr.code, "%s", p->zerr.msg);
		return dd_err_set(err, DD_EINVAL, "%s", archive_error_string(p->a) ? archive_error_string(p->a) : "tar read error");
	}
	return DD_OK;
}

static void entry_close(void *ud)
{
	(void)ud;
}

static dd_code slurp(struct pass *p, struct dd_buf *b, const char *name, struct dd_err *err)
{
	char tmp[65536];
	for (;;) {
		ssize_t r = entry_read(p, tmp, sizeof tmp, err);
		if (r < 0)
			return dd_err_prefix(err, "%s: ", name);
		if (r == 0)
			return DD_OK;
		dd_code rc = dd_buf_append(b, tmp, (size_t)r, err);
		if (rc)
			return dd_err_prefix(err, "%s: ", name);
	}
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

/* The regular file a manifest name leads to, through archive symlinks. */
static const char *resolve_name(struct pass *p, const char *name)
{
	char cur[DD_LIMIT_PATH_BYTES + 1];
	if (dd_path_clean(name, strlen(name), cur, sizeof cur, NULL, NULL))
		return NULL;
	const char *c = dd_arena_strdup(p->tmp, cur);
	for (int hops = 0; c && hops <= DD_LIMIT_SYMLINK_HOPS; hops++) {
		const char *t = dd_map_get(&p->links, c, strlen(c));
		if (!t)
			return c;
		c = t;
	}
	return NULL;
}

static dd_code finish_info(struct pass *p, struct dd_arena *a, struct dd_image_info *info,
			   struct dd_err *err)
{
	struct da *d = p->d;
	if (!p->manifest.len)
		return dd_err_set(err, DD_EINVAL, "manifest.json not found in the archive (not a docker-archive?)");
	struct dd_docker_manifest dm;
	dd_code rc = dd_docker_parse_manifest(p->manifest.data, p->manifest.len, a, &dm, err);
	if (rc)
		return rc;
	const char *cfgname = resolve_name(p, dm.config);
	struct dd_buf *cfg = cfgname ? dd_map_get(&p->jsons, cfgname, strlen(cfgname)) : NULL;
	if (!cfg)
		return dd_err_set(err, DD_ENOTFOUND, "config %s named by manifest.json is not in the archive", dm.config);
	d->nlayers = dm.nlayers;
	d->layer_names = dd_arena_alloc(a, (dm.nlayers ? dm.nlayers : 1) * sizeof *d->layer_names);
	if (!d->layer_names)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	for (size_t i = 0; i < dm.nlayers; i++) {
		const char *r = resolve_name(p, dm.layers[i]);
		d->layer_names[i] = dd_arena_strdup(a, r ? r : dm.layers[i]);
	}
	if ((rc = fill_info(d, a, &dm, cfg->data ? cfg->data : "", cfg->len, cfgname, info, err)))
		return rc;
	struct meta m = { .manifest = p->manifest.data, .manifest_len = p->manifest.len,
			  .config = cfg->data ? cfg->data : "", .config_len = cfg->len,
			  .names = d->layer_names, .nnames = d->nlayers };
	/* The record holds "<config name>\n<config>", so that a rescan checks
	 * the config against its name exactly as this pass did. */
	struct dd_buf named;
	dd_buf_init(&named, DD_LIMIT_CONFIG_BYTES + 4200);
	if (!dd_buf_puts(&named, cfgname, NULL) && !dd_buf_putc(&named, '\n', NULL) &&
	    !dd_buf_append(&named, m.config, m.config_len, NULL)) {
		m.config = named.data;
		m.config_len = named.len;
		meta_store(d, &m);
	}
	dd_buf_release(&named);
	return DD_OK;
}

/* One pass over the compressed archive. sink NULL: only the metadata is
 * wanted, and the pass stops once manifest and config are both seen. */
static dd_code stream_pass(struct da *d, struct dd_arena *a, struct dd_image_info *info,
			   bool fill, dd_blob_sink sink, void *sink_ud, struct dd_err *err)
{
	struct pass p = { .d = d };
	dd_buf_init(&p.manifest, DD_LIMIT_MANIFEST_BYTES);
	dd_map_init(&p.jsons);
	dd_map_init(&p.links);
	dd_err_clear(&p.zerr);
	struct dd_blob_stream file;
	dd_code rc = dd_blob_stream_range(d->fd, 0, d->fsize, &file, err);
	if (rc)
		return rc;
	p.tmp = dd_arena_new(0);
	if (!p.tmp || (rc = dd_zstream_open(&file, true, &p.z, err))) {
		rc = rc ? rc : dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	p.a = archive_read_new();
	if (!p.a) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	archive_read_support_format_tar(p.a);
	if (archive_read_open(p.a, &p, NULL, pass_read, NULL) != ARCHIVE_OK) {
		rc = dd_err_set(err, p.zerr.code ? p.zerr.code : DD_EINVAL, "%s",
				p.zerr.code ? p.zerr.msg : "not a tar archive");
		goto out;
	}
	size_t entries = 0;
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(p.a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) { /* RETRY too: a damaged header */
			rc = p.zerr.code ? dd_err_set(err, p.zerr.code, "%s", p.zerr.msg)
					 : dd_err_set(err, DD_EINVAL, "archive entry %zu: %s", entries + 1,
						      archive_error_string(p.a) ? archive_error_string(p.a) : "damaged tar header");
			goto out;
		}
		if (++entries > DD_LIMIT_ARCHIVE_ENTRIES) {
			rc = dd_err_set(err, DD_ELIMIT, "more than %u entries in the archive",
					DD_LIMIT_ARCHIVE_ENTRIES);
			goto out;
		}
		const char *raw = archive_entry_pathname(e);
		char name[DD_LIMIT_PATH_BYTES + 1];
		if (!raw || dd_path_clean(raw, strlen(raw), name, sizeof name, NULL, NULL))
			continue;
		const char *sl = archive_entry_symlink(e);
		const char *hl = archive_entry_hardlink(e);
		if (sl || hl) {
			char t[DD_LIMIT_PATH_BYTES + 1];
			if (sl ? dd_path_join_link(name, sl, t, sizeof t, NULL)
			       : dd_path_clean(hl, strlen(hl), t, sizeof t, NULL, NULL))
				continue;
			const char *tv = dd_arena_strdup(p.tmp, t);
			if (!tv || (rc = dd_map_put(&p.links, name, strlen(name), (void *)tv, NULL, err)))
				goto out;
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		la_int64_t size = archive_entry_size(e);
		if (!strcmp(name, "manifest.json")) {
			dd_buf_reset(&p.manifest);
			if ((rc = slurp(&p, &p.manifest, name, err)))
				goto out;
		} else {
			/* Small files are kept whatever their name: docker 25+
			 * names the config blobs/sha256/<hex>, without ".json".
			 * Those that may be layers are then also handed to the
			 * sink from memory. */
			bool skip = ends_with(name, "/json") || ends_with(name, "/VERSION") ||
				    !strcmp(name, "repositories") || !strcmp(name, "oci-layout");
			bool json = ends_with(name, ".json");
			bool keep = size >= 0 && p.njson < MAX_JSON_FILES &&
				    (json ? size <= (la_int64_t)DD_LIMIT_CONFIG_BYTES
					  : !skip && size <= (la_int64_t)SMALL_FILE_MAX &&
						    p.small_total + (uint64_t)size <= SMALL_TOTAL_MAX);
			if (keep) {
				struct dd_buf *b = dd_calloc(1, sizeof *b);
				if (!b) {
					rc = dd_err_set(err, DD_ENOMEM, "out of memory");
					goto out;
				}
				dd_buf_init(b, DD_LIMIT_CONFIG_BYTES);
				void *old = NULL;
				if ((rc = slurp(&p, b, name, err)) ||
				    (rc = dd_map_put(&p.jsons, name, strlen(name), b, &old, err))) {
					dd_buf_release(b);
					free(b);
					goto out;
				}
				if (old) {
					dd_buf_release(old);
					free(old);
				} else {
					p.njson++;
				}
				if (!json) {
					p.small_total += b->len;
					if (sink) {
						struct dd_blob_mem ms;
						struct dd_blob_stream s;
						dd_blob_stream_mem(&ms, b->data ? b->data : "", b->len, &s);
						if ((rc = sink(sink_ud, name, &s, err)))
							goto out;
					}
				}
			} else if (sink && !skip && !json) {
				struct dd_blob_stream s = { entry_read, entry_close, &p, entry_next };
				if ((rc = sink(sink_ud, name, &s, err)))
					goto out;
			}
		}
		if (!sink && p.manifest.len) {
			/* Metadata only: stop as soon as the config is here too. */
			struct dd_docker_manifest dm;
			struct dd_arena *ta = dd_arena_new(0);
			bool have = false;
			if (ta && !dd_docker_parse_manifest(p.manifest.data, p.manifest.len, ta, &dm, NULL)) {
				const char *cn = resolve_name(&p, dm.config);
				have = cn && dd_map_get(&p.jsons, cn, strlen(cn));
			}
			dd_arena_free(ta);
			if (have)
				break;
		}
	}
	if (fill)
		rc = finish_info(&p, a, info, err);
out:
	if (p.a)
		archive_read_free(p.a);
	dd_zstream_close(p.z);
	file.close(file.ud);
	const struct dd_map_slot *s;
	for (size_t i = 0; dd_map_next(&p.jsons, &i, &s);) {
		dd_buf_release(s->value);
		free(s->value);
	}
	dd_map_release(&p.jsons);
	dd_map_release(&p.links);
	dd_buf_release(&p.manifest);
	dd_arena_free(p.tmp);
	return rc;
}

static dd_code open_from_meta(struct da *d, struct dd_arena *a, struct dd_image_info *info)
{
	struct meta m;
	if (!meta_load(d, a, &m))
		return DD_ENOTFOUND;
	const char *nl = memchr(m.config, '\n', m.config_len);
	if (!nl)
		return DD_ENOTFOUND;
	const char *cfgname = dd_arena_strndup(a, m.config, (size_t)(nl - m.config));
	struct dd_docker_manifest dm;
	struct dd_err err;
	if (!cfgname || dd_docker_parse_manifest(m.manifest, m.manifest_len, a, &dm, &err) ||
	    dm.nlayers != m.nnames)
		return DD_ENOTFOUND;
	d->layer_names = m.names;
	d->nlayers = m.nnames;
	if (fill_info(d, a, &dm, nl + 1, m.config_len - (size_t)(nl + 1 - m.config), cfgname, info, &err)) {
		memset(info, 0, sizeof *info);
		return DD_ENOTFOUND;
	}
	return DD_OK;
}

/* ---- the source ---------------------------------------------------------- */

static void da_close(void *state)
{
	struct da *d = state;
	if (!d)
		return;
	if (d->indexed)
		dd_tar_index_release(&d->ix);
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

static dd_code da_open(const char *ref, const struct dd_image_opts *opts, bool lazy,
		       struct dd_arena *a, struct dd_image_info *info, bool *complete, void **state,
		       struct dd_err *err)
{
	struct da *d = dd_calloc(1, sizeof *d);
	if (!d)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	d->fd = open(ref, O_RDONLY | O_CLOEXEC);
	*state = d;
	if (d->fd < 0)
		return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "open");
	struct stat st;
	if (fstat(d->fd, &st) != 0)
		return dd_err_sys(err, DD_EIO, "stat");
	if (!S_ISREG(st.st_mode))
		return dd_err_set(err, DD_EINVAL, "not a regular file");
	d->fsize = (uint64_t)st.st_size;
	if (!realpath(ref, d->path))
		snprintf(d->path, sizeof d->path, "%s", ref);
	unsigned char head[4];
	ssize_t n = dd_tar_pread_fd((void *)(intptr_t)d->fd, head, sizeof head, 0);
	if (n == 0)
		return dd_err_set(err, DD_EINVAL, "empty file (no image in it)");
	d->compressed = n >= 2 && is_compressed(head, (size_t)n);
	if (!d->compressed)
		return open_indexed(d, a, info, err);
	meta_key(d, opts->cache_dir, &st);
	if (!open_from_meta(d, a, info))
		return DD_OK;
	if (lazy) {
		*complete = false;
		return DD_OK;
	}
	return stream_pass(d, a, info, true, NULL, NULL, err);
}

static dd_code da_open_layer(void *state, unsigned i, struct dd_blob_stream *out, struct dd_err *err)
{
	struct da *d = state;
	if (!d->indexed)
		return dd_err_set(err, DD_EUNSUPPORTED, "compressed archive: layers are read in one pass");
	const struct dd_tar_member *m = dd_tar_index_find(&d->ix, d->layer_names[i]);
	if (!m)
		return dd_err_set(err, DD_ENOTFOUND, "%s is not in the archive", d->layer_names[i]);
	return dd_blob_stream_range(d->fd, (off_t)m->off, m->size, out, err);
}

static dd_code da_scan(void *state, struct dd_arena *a, struct dd_image_info *info,
		       dd_blob_sink sink, void *ud, struct dd_err *err)
{
	struct da *d = state;
	return stream_pass(d, a, info, info->nlayers == 0 && !d->layer_names, sink, ud, err);
}

static const char *da_layer_name(void *state, unsigned i)
{
	struct da *d = state;
	return i < d->nlayers ? d->layer_names[i] : NULL;
}

static bool da_seekable(void *state)
{
	return ((struct da *)state)->indexed;
}

const struct dd_image_source dd_source_docker_archive = {
	.transport = "docker-archive",
	.probe = probe,
	.open = da_open,
	.open_layer = da_open_layer,
	.seekable = da_seekable,
	.scan = da_scan,
	.layer_name = da_layer_name,
	.close = da_close,
};
