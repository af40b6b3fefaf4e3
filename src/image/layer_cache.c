/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layer cache: what a layer kept for a given set of wants, stored under
 * <cache_dir>/layers/ in a file named by sha256(diff_id, wants fingerprint,
 * format version). A rescan of an image that shares layers reads these
 * instead of decompressing the layers again.
 *
 * The file is ours but lives on disk where anything may damage it, so it
 * is read like untrusted input: a trailing sha256 over the whole record,
 * then every length checked against the bytes left. A bad file is reported
 * as a warning and read again from the image (then rewritten). Files are
 * written to a temporary name in the same directory and renamed, so a
 * reader never sees half a file and concurrent scans do not collide.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/layer.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"
#include "util/path.h"

#define CACHE_MAGIC "DDLAYER1"
#define CACHE_VERSION 1u

dd_code dd_image_write_atomic(const char *path, const void *data, size_t n, struct dd_err *err)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
	int fd = mkstemp(tmp);
	if (fd < 0)
		return dd_err_sys(err, DD_EIO, "%s: create", tmp);
	const unsigned char *p = data;
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			dd_err_sys(err, DD_EIO, "%s: write", tmp);
			close(fd);
			unlink(tmp);
			return DD_EIO;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		unlink(tmp);
		return dd_err_sys(err, DD_EIO, "%s: close", tmp);
	}
	if (rename(tmp, path) != 0) {
		dd_err_sys(err, DD_EIO, "%s: rename", path);
		unlink(tmp);
		return DD_EIO;
	}
	return DD_OK;
}

/* ---- encoding ------------------------------------------------------------ */

static dd_code put_u32(struct dd_buf *b, uint32_t v, struct dd_err *err)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	return dd_buf_append(b, x, 4, err);
}

static dd_code put_u64(struct dd_buf *b, uint64_t v, struct dd_err *err)
{
	dd_code rc = put_u32(b, (uint32_t)v, err);
	return rc ? rc : put_u32(b, (uint32_t)(v >> 32), err);
}

static dd_code put_bytes(struct dd_buf *b, const void *p, size_t n, struct dd_err *err)
{
	if (n > UINT32_MAX - 1)
		return dd_err_set(err, DD_ELIMIT, "cache record field too long");
	dd_code rc = put_u32(b, (uint32_t)n, err);
	return rc ? rc : dd_buf_append(b, p, n, err);
}

static dd_code put_str(struct dd_buf *b, const char *s, struct dd_err *err)
{
	if (!s)
		return put_u32(b, UINT32_MAX, err);
	return put_bytes(b, s, strlen(s), err);
}

dd_code dd_layer_encode(const struct dd_layer *l, struct dd_buf *b, struct dd_err *err)
{
	dd_code rc = dd_buf_append(b, CACHE_MAGIC, 8, err);
	uint8_t comp = !strcmp(l->compression, "gzip") ? 1 : !strcmp(l->compression, "zstd") ? 2 : 0;
#define TRY(x) do { if (!rc) rc = (x); } while (0)
	TRY(put_u32(b, CACHE_VERSION, err));
	TRY(put_str(b, l->diff_id, err));
	TRY(put_str(b, l->blob_digest, err));
	TRY(put_u64(b, l->nentries, err));
	TRY(put_u64(b, l->usize, err));
	TRY(put_u64(b, l->csize, err));
	TRY(dd_buf_append(b, &comp, 1, err));
	TRY(put_u64(b, l->nents, err));
	for (size_t i = 0; i < l->nents && !rc; i++) {
		const struct dd_layer_ent *e = &l->ents[i];
		uint8_t t = (uint8_t)e->type;
		TRY(dd_buf_append(b, &t, 1, err));
		TRY(put_u32(b, e->f.mode, err));
		TRY(put_u64(b, e->f.size, err));
		TRY(put_str(b, e->f.path, err));
		TRY(put_str(b, e->f.link, err));
		uint8_t has = e->f.data != NULL;
		TRY(dd_buf_append(b, &has, 1, err));
		if (has)
			TRY(dd_buf_append(b, e->f.data, e->f.size, err));
	}
	TRY(put_u64(b, l->nwh, err));
	for (size_t i = 0; i < l->nwh && !rc; i++)
		TRY(put_str(b, l->whiteouts[i], err));
	TRY(put_u64(b, l->nopq, err));
	for (size_t i = 0; i < l->nopq && !rc; i++)
		TRY(put_str(b, l->opaques[i], err));
	TRY(put_u64(b, l->nseen, err));
	for (size_t i = 0; i < l->seen_cap && !rc; i++)
		if (l->seen[i])
			TRY(put_u64(b, l->seen[i], err));
	if (!rc) {
		char d[DD_DIGEST_STR];
		rc = dd_sha256_buf(b->data, b->len, d, err);
		TRY(dd_buf_append(b, d, 71, err));
	}
#undef TRY
	return rc;
}

/* ---- decoding ------------------------------------------------------------ */

struct rd {
	const unsigned char *p;
	size_t n, off;
	bool bad;
};

static bool need(struct rd *r, size_t k)
{
	if (r->bad || k > r->n - r->off) {
		r->bad = true;
		return false;
	}
	return true;
}

static uint32_t get_u32(struct rd *r)
{
	if (!need(r, 4))
		return 0;
	const unsigned char *p = r->p + r->off;
	r->off += 4;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

static const char *get_str(struct rd *r, struct dd_arena *a, bool *isnull)
{
	uint32_t len = get_u32(r);
	*isnull = false;
	if (r->bad)
		return NULL;
	if (len == UINT32_MAX) {
		*isnull = true;
		return NULL;
	}
	if (!need(r, len) || memchr(r->p + r->off, '\0', len)) {
		r->bad = true;
		return NULL;
	}
	const char *s = dd_arena_strndup(a, (const char *)r->p + r->off, len);
	r->off += len;
	return s;
}

dd_code dd_layer_decode(const void *p, size_t n, struct dd_layer **out, struct dd_err *err)
{
	*out = NULL;
	if (n < 8 + 71 || memcmp(p, CACHE_MAGIC, 8) != 0)
		return dd_err_set(err, DD_EINVAL, "not a layer cache record");
	char d[DD_DIGEST_STR];
	dd_code rc = dd_sha256_buf(p, n - 71, d, err);
	if (rc)
		return rc;
	if (memcmp(d, (const char *)p + n - 71, 71) != 0)
		return dd_err_set(err, DD_EINVAL, "layer cache record checksum mismatch");
	struct dd_layer *l = dd_layer_new();
	if (!l)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	struct rd r = { p, n - 71, 8, false };
	bool isnull;
	if (get_u32(&r) != CACHE_VERSION) {
		dd_layer_free(l);
		return dd_err_set(err, DD_ESCHEMA, "layer cache record of another version");
	}
	const char *s = get_str(&r, l->arena, &isnull);
	if (s && strlen(s) < sizeof l->diff_id)
		memcpy(l->diff_id, s, strlen(s) + 1);
	else
		r.bad = true;
	s = get_str(&r, l->arena, &isnull);
	if (s && strlen(s) < sizeof l->blob_digest)
		memcpy(l->blob_digest, s, strlen(s) + 1);
	else
		r.bad = true;
	l->nentries = get_u64(&r);
	l->usize = get_u64(&r);
	l->csize = get_u64(&r);
	if (need(&r, 1)) {
		uint8_t c = r.p[r.off++];
		l->compression = c == 1 ? "gzip" : c == 2 ? "zstd" : "none";
	}
	uint64_t nents = get_u64(&r);
	/* Each entry takes at least 22 bytes: a count cannot exceed that. */
	if (nents > (r.n - r.off) / 22)
		r.bad = true;
	for (uint64_t i = 0; i < nents && !r.bad; i++) {
		struct dd_layer_ent e = { 0 };
		if (!need(&r, 1))
			break;
		uint8_t t = r.p[r.off++];
		if (t > DD_LENT_HLINK_CHECK) {
			r.bad = true;
			break;
		}
		e.type = (enum dd_layer_ent_type)t;
		e.f.mode = get_u32(&r);
		e.f.size = get_u64(&r);
		e.f.path = get_str(&r, l->arena, &isnull);
		if (!e.f.path)
			r.bad = true;
		e.f.link = get_str(&r, l->arena, &isnull);
		if (!need(&r, 1))
			break;
		uint8_t has = r.p[r.off++];
		if (has) {
			if (!need(&r, e.f.size))
				break;
			e.f.data = dd_arena_memdup(l->arena, r.p + r.off, e.f.size);
			r.off += e.f.size;
			l->kept_bytes += e.f.size;
		}
		if (r.bad || dd_arena_status(l->arena))
			break;
		if (dd_grow(&l->ents, &l->cap, l->nents + 1, sizeof *l->ents)) {
			dd_layer_free(l);
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		}
		l->ents[l->nents++] = e;
	}
	uint64_t k = get_u64(&r);
	if (k > (r.n - r.off) / 4)
		r.bad = true;
	for (uint64_t i = 0; i < k && !r.bad; i++) {
		s = get_str(&r, l->arena, &isnull);
		if (!s || dd_grow(&l->whiteouts, &l->whcap, l->nwh + 1, sizeof *l->whiteouts))
			r.bad = true;
		else
			l->whiteouts[l->nwh++] = s;
	}
	k = get_u64(&r);
	if (k > (r.n - r.off) / 4)
		r.bad = true;
	for (uint64_t i = 0; i < k && !r.bad; i++) {
		s = get_str(&r, l->arena, &isnull);
		if (!s || dd_grow(&l->opaques, &l->opqcap, l->nopq + 1, sizeof *l->opaques))
			r.bad = true;
		else
			l->opaques[l->nopq++] = s;
	}
	k = get_u64(&r);
	if (k > (r.n - r.off) / 8)
		r.bad = true;
	for (uint64_t i = 0; i < k && !r.bad; i++) {
		uint64_t key = get_u64(&r);
		if (!key || dd_layer_seen_add(l, key, err))
			r.bad = true;
	}
	if (!r.bad && r.off != r.n)
		r.bad = true;
	if (r.bad || dd_arena_status(l->arena)) {
		rc = dd_arena_status(l->arena) == DD_ENOMEM
			     ? dd_err_set(err, DD_ENOMEM, "out of memory")
			     : dd_err_set(err, DD_EINVAL, "damaged layer cache record near byte %zu", r.off);
		dd_layer_free(l);
		return rc;
	}
	l->from_cache = true;
	*out = l;
	return DD_OK;
}

/* ---- files --------------------------------------------------------------- */

static dd_code cache_path(const char *cache_dir, const char *diff_id, const char *fp,
			  char *out, size_t cap, struct dd_err *err)
{
	char key[4096];
	int n = snprintf(key, sizeof key, "%s\n%s\nv%u", diff_id, fp ? fp : "", CACHE_VERSION);
	if (n < 0 || (size_t)n >= sizeof key)
		return dd_err_set(err, DD_ELIMIT, "cache key too long");
	char d[DD_DIGEST_STR];
	dd_code rc = dd_sha256_buf(key, (size_t)n, d, err);
	if (rc)
		return rc;
	n = snprintf(out, cap, "%s/layers/%s", cache_dir, d + 7);
	if (n < 0 || (size_t)n >= cap)
		return dd_err_set(err, DD_ELIMIT, "cache path too long");
	return DD_OK;
}

dd_code dd_layer_cache_load(const char *cache_dir, const char *diff_id, const char *fp,
			    struct dd_layer **out, char *warn, size_t warncap)
{
	*out = NULL;
	if (warncap)
		warn[0] = '\0';
	char path[4200];
	struct dd_err err;
	dd_err_clear(&err);
	if (cache_path(cache_dir, diff_id, fp, path, sizeof path, &err))
		return DD_ENOTFOUND;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return DD_ENOTFOUND;
	struct stat st;
	dd_code rc = DD_ENOTFOUND;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > DD_LIMIT_CACHE_FILE_BYTES) {
		snprintf(warn, warncap, "layer cache %s: not a usable file; reading the layer again", path);
		close(fd);
		return DD_ENOTFOUND;
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return DD_ENOTFOUND;
	struct dd_layer *l = NULL;
	dd_code drc = dd_layer_decode(m, (size_t)st.st_size, &l, &err);
	munmap(m, (size_t)st.st_size);
	if (drc == DD_ENOMEM)
		return DD_ENOMEM;
	if (drc || strcmp(l->diff_id, diff_id) != 0) {
		snprintf(warn, warncap, "layer cache %s: %s; reading the layer again", path,
			 drc ? err.msg : "written for another layer");
		dd_layer_free(l);
		return DD_ENOTFOUND;
	}
	*out = l;
	rc = DD_OK;
	return rc;
}

dd_code dd_layer_cache_store(const char *cache_dir, const char *diff_id, const char *fp,
			     const struct dd_layer *l, struct dd_err *err)
{
	char path[4200], dir[4200];
	dd_code rc = cache_path(cache_dir, diff_id, fp, path, sizeof path, err);
	if (rc)
		return rc;
	snprintf(dir, sizeof dir, "%s/layers", cache_dir);
	if ((rc = dd_path_mkdirs(dir, err)))
		return rc;
	struct dd_buf b;
	dd_buf_init(&b, DD_LIMIT_CACHE_FILE_BYTES);
	rc = dd_layer_encode(l, &b, err);
	if (!rc)
		rc = dd_image_write_atomic(path, b.data, b.len, err);
	dd_buf_release(&b);
	return rc;
}
