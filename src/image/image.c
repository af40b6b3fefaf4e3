/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Opening images and loading their merged filesystem (image.h). The source
 * table below is the one place a transport is registered. Everything after
 * "which bytes are layer i" is shared: the layer cache, parallel reading
 * (one thread per layer, up to opts->threads), digest verification against
 * the manifest and the config, and the overlay merge in layer order.
 *
 * The merge, per layer i (OCI image-spec layer.md, "Applying Changesets"):
 * opaque markers drop everything lower layers had below their directory;
 * whiteouts drop their path and everything below it; kept entries are put
 * on top (the version below stays reachable through `lower`); and every
 * other entry of layer i still hides a kept lower entry at the same path
 * or below a non-directory of layer i, which is why each layer carries the
 * hashes of all its paths and not only the kept ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image.h"
#include "image/layer.h"
#include "image/registry.h"
#include "image/source.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

static const struct dd_image_source *const sources[] = {
	&dd_source_docker_archive,
	&dd_source_oci,
	&dd_source_oci_archive,
	&dd_source_dir,
	&dd_source_registry,
	&dd_source_docker,
	NULL,
};

/* Bare paths are probed in this order: a directory is an OCI layout when it
 * has an oci-layout file, else a root filesystem; a tar is an OCI archive
 * when it holds oci-layout or index.json, else a docker-archive. */
static const struct dd_image_source *const probe_order[] = {
	&dd_source_oci,
	&dd_source_dir,
	&dd_source_oci_archive,
	&dd_source_docker_archive,
	NULL,
};

struct dd_image {
	struct dd_arena *arena;
	const struct dd_image_source *src;
	void *state;
	struct dd_image_info info;
	bool complete;
	struct dd_image_opts opts;
	char cache_dir[4096];
	bool have_cache;
	struct dd_image_stats stats;
};

const char *dd_image_cache_dir(const struct dd_image_opts *opts, char *buf, size_t cap)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;
	if (opts && opts->cache_dir && *opts->cache_dir)
		n = snprintf(buf, cap, "%s", opts->cache_dir);
	else if (xdg && xdg[0] == '/')
		n = snprintf(buf, cap, "%s/drydock", xdg);
	else if (home && *home)
		n = snprintf(buf, cap, "%s/.cache/drydock", home);
	else
		return NULL;
	return n > 0 && (size_t)n < cap ? buf : NULL;
}

static const struct dd_image_source *by_name(const char *s, size_t n)
{
	for (const struct dd_image_source *const *p = sources; *p; p++)
		if (strlen((*p)->transport) == n && !memcmp((*p)->transport, s, n))
			return *p;
	return NULL;
}

static dd_code open_image(const char *ref, const struct dd_image_opts *opts, bool lazy,
			  struct dd_image **out, struct dd_err *err)
{
	*out = NULL;
	struct dd_image_opts zero = { 0 };
	if (!opts)
		opts = &zero;
	const struct dd_image_source *src = NULL;
	const char *rest = ref;
	const char *colon = strchr(ref, ':');
	if (colon && (src = by_name(ref, (size_t)(colon - ref))))
		rest = colon + 1;
	if (!src) {
		struct stat st;
		if (stat(ref, &st) != 0 && dd_registry_bare_ref(ref)) {
			src = &dd_source_registry; /* "alpine:3.19", "ghcr.io/org/app" */
		} else if (stat(ref, &st) != 0) {
			if (colon && strcmp(ref, colon) && !strchr(ref, '/') && strlen(ref) < 64 &&
			    colon - ref < 20 && !strchr(colon + 1, '/'))
				return dd_err_set(err, DD_EUNSUPPORTED,
						  "%s: unknown transport \"%.*s\" (known: docker-archive, oci, oci-archive, dir), "
						  "or a registry reference (registry:NAME[:TAG])",
						  ref, (int)(colon - ref), ref);
			return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s", ref);
		}
		for (const struct dd_image_source *const *p = probe_order; *p && !src; p++)
			if ((*p)->probe && (*p)->probe(ref))
				src = *p;
		if (!src)
			return dd_err_set(err, DD_EUNSUPPORTED,
					  "%s: not an image drydock can read (docker-archive, OCI layout or archive, or a directory)",
					  ref);
	}
	struct dd_image *img = dd_calloc(1, sizeof *img);
	if (!img)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	img->arena = dd_arena_new(0);
	if (!img->arena) {
		free(img);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	img->src = src;
	img->opts = *opts;
	img->opts.cache_dir = NULL;
	if (!(opts->flags & DD_IMAGE_NO_CACHE) &&
	    dd_image_cache_dir(opts, img->cache_dir, sizeof img->cache_dir)) {
		img->have_cache = true;
		img->opts.cache_dir = img->cache_dir;
	}
	img->complete = true;
	dd_code rc = src->open(rest, &img->opts, lazy, img->arena, &img->info, &img->complete,
			       &img->state, err);
	if (rc) {
		dd_err_prefix(err, "%s: ", ref);
		dd_image_close(img);
		return rc;
	}
	img->info.transport = src->transport;
	img->info.reference = dd_arena_strdup(img->arena, ref);
	*out = img;
	return DD_OK;
}

dd_code dd_image_open(const char *ref, const struct dd_image_opts *opts, struct dd_image **out,
		      struct dd_err *err)
{
	return open_image(ref, opts, false, out, err);
}

dd_code dd_image_open_lazy(const char *ref, const struct dd_image_opts *opts,
			   struct dd_image **out, struct dd_err *err)
{
	return open_image(ref, opts, true, out, err);
}

const struct dd_image_info *dd_image_info(const struct dd_image *img)
{
	return &img->info;
}

void dd_image_stats(const struct dd_image *img, struct dd_image_stats *out)
{
	*out = img->stats;
}

void dd_image_close(struct dd_image *img)
{
	if (!img)
		return;
	if (img->state && img->src->close)
		img->src->close(img->state);
	dd_arena_free(img->arena);
	free(img);
}

/* ---- blob streams shared by sources ------------------------------------- */

struct range {
	int fd;
	off_t off;
	uint64_t left;
};

static ssize_t range_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	struct range *r = ud;
	if (!r->left)
		return 0;
	if (n > r->left)
		n = (size_t)r->left;
	for (;;) {
		ssize_t got = pread(r->fd, buf, n, r->off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return dd_err_sys(err, DD_EIO, "read"), -1;
		if (got == 0)
			return dd_err_set(err, DD_EINVAL, "file ends %llu bytes early (truncated?)",
					  (unsigned long long)r->left), -1;
		r->off += got;
		r->left -= (uint64_t)got;
		return got;
	}
}

static void range_close(void *ud)
{
	free(ud);
}

static ssize_t blob_mem_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	(void)err;
	struct dd_blob_mem *m = ud;
	size_t k = m->n - m->off < n ? m->n - m->off : n;
	if (k)
		memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

static void blob_mem_close(void *ud)
{
	(void)ud;
}

void dd_blob_stream_mem(struct dd_blob_mem *m, const void *p, size_t n,
			struct dd_blob_stream *out)
{
	m->p = p;
	m->n = n;
	m->off = 0;
	*out = (struct dd_blob_stream){ blob_mem_read, blob_mem_close, m, NULL };
}

ssize_t dd_blob_mem_pread(void *ud, void *buf, size_t n, uint64_t off)
{
	const struct dd_blob_mem *m = ud;
	if (off >= m->n)
		return 0;
	size_t k = m->n - off < n ? (size_t)(m->n - off) : n;
	memcpy(buf, m->p + off, k);
	return (ssize_t)k;
}

dd_code dd_blob_stream_range(int fd, off_t off, uint64_t len, struct dd_blob_stream *out,
			     struct dd_err *err)
{
	struct range *r = dd_malloc(sizeof *r);
	if (!r)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	r->fd = fd;
	r->off = off;
	r->left = len;
	out->read = range_read;
	out->close = range_close;
	out->ud = r;
	out->next = NULL;
	return DD_OK;
}

struct filestream {
	struct range r;
};

static void file_close(void *ud)
{
	struct range *r = ud;
	close(r->fd);
	free(r);
}

dd_code dd_blob_stream_file(int dirfd, const char *path, struct dd_blob_stream *out,
			    uint64_t *size, struct dd_err *err)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s", path);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return dd_err_set(err, DD_EINVAL, "%s: not a regular file", path);
	}
	dd_code rc = dd_blob_stream_range(fd, 0, (uint64_t)st.st_size, out, err);
	if (rc) {
		close(fd);
		return rc;
	}
	out->close = file_close;
	if (size)
		*size = (uint64_t)st.st_size;
	return DD_OK;
}

/* ---- loading ------------------------------------------------------------- */

struct load {
	struct dd_image *img;
	const struct dd_fs_wants *wants;
	void (*warn)(void *ud, const char *msg);
	void *warn_ud;
	pthread_mutex_t mu;
	struct dd_layer **layers;
	struct dd_err *errs;          /* one per layer */
	dd_code *rcs;
	bool *need;
	_Atomic uint64_t kept_total, image_total;
	_Atomic unsigned next;
	unsigned done;
	/* scan mode: results by stored name */
	struct dd_map by_name;
	bool cache_layers;
};

struct warn_ctx {
	struct load *ld;
	unsigned layer;
};

static void layer_label(const struct dd_image *img, unsigned i, char *buf, size_t cap)
{
	const char *d = i < img->info.nlayers ? img->info.layers[i].diff_id : NULL;
	if (img->info.nlayers)
		snprintf(buf, cap, "layer %u/%zu%s%.19s", i + 1, img->info.nlayers, d ? " " : "",
			 d ? d : "");
	else
		snprintf(buf, cap, "layer %u", i + 1);
}

static void emit_warning(struct load *ld, const char *msg)
{
	if (!ld->warn)
		return;
	pthread_mutex_lock(&ld->mu);
	ld->warn(ld->warn_ud, msg);
	pthread_mutex_unlock(&ld->mu);
}

static void layer_warn(void *ud, const char *msg)
{
	struct warn_ctx *w = ud;
	char label[128], full[768];
	layer_label(w->ld->img, w->layer, label, sizeof label);
	snprintf(full, sizeof full, "%s: %s: %s", w->ld->img->info.reference, label, msg);
	emit_warning(w->ld, full);
}

static void progress(struct load *ld, const char *what)
{
	pthread_mutex_lock(&ld->mu);
	ld->done++;
	if (ld->img->opts.progress)
		ld->img->opts.progress(ld->img->opts.progress_ud, ld->done,
				       (unsigned)ld->img->info.nlayers, what);
	pthread_mutex_unlock(&ld->mu);
}

static void set_layer_opts(struct load *ld, unsigned i, struct dd_layer_opts *o,
			   struct warn_ctx *w)
{
	const struct dd_layer_info *li = i < ld->img->info.nlayers ? &ld->img->info.layers[i] : NULL;
	memset(o, 0, sizeof *o);
	o->wants = ld->wants;
	o->expect_blob = li ? li->digest : NULL;
	o->expect_size = li && li->digest ? li->size : 0;
	o->expect_diff = li ? li->diff_id : NULL;
	o->kept_total = &ld->kept_total;
	o->image_total = &ld->image_total;
	w->ld = ld;
	w->layer = i;
	o->warn = layer_warn;
	o->warn_ud = w;
	/* threads = 1 asks for one thread in all (tests that fail each
	 * allocation in turn need the same order every run). */
	o->helper = ld->img->opts.threads != 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

static void read_one(struct load *ld, unsigned i)
{
	struct dd_image *img = ld->img;
	struct dd_layer_opts o;
	struct warn_ctx w;
	set_layer_opts(ld, i, &o, &w);
	struct dd_blob_stream s;
	dd_code rc = img->src->open_layer(img->state, i, &s, &ld->errs[i]);
	if (!rc) {
		rc = dd_layer_read_blob(&s, &o, &ld->layers[i], &ld->errs[i]);
		s.close(s.ud);
	}
	ld->rcs[i] = rc;
	progress(ld, img->info.layers[i].diff_id);
}

static void *worker(void *arg)
{
	struct load *ld = arg;
	for (;;) {
		unsigned i = atomic_fetch_add(&ld->next, 1);
		if (i >= ld->img->info.nlayers)
			break;
		if (ld->need[i])
			read_one(ld, i);
	}
	return NULL;
}

static dd_code read_parallel(struct load *ld, unsigned nthreads, struct dd_err *err)
{
	pthread_t tids[64];
	unsigned started = 0;
	if (nthreads > 64)
		nthreads = 64;
	for (unsigned t = 1; t < nthreads; t++) {
		if (pthread_create(&tids[started], NULL, worker, ld) != 0)
			break;
		started++;
	}
	worker(ld); /* this thread works too */
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	return DD_OK;
}

/* scan mode: one result per stored name */
struct named {
	struct dd_layer *layer;       /* NULL once handed to ld->layers[first] */
	unsigned first;
	dd_code rc;
	struct dd_err err;
};

static dd_code scan_sink(void *ud, const char *name, struct dd_blob_stream *s, struct dd_err *err)
{
	struct load *ld = ud;
	struct dd_image *img = ld->img;
	unsigned idx = UINT32_MAX;
	if (img->complete) {
		for (unsigned i = 0; i < img->info.nlayers; i++) {
			const char *ln = img->src->layer_name(img->state, i);
			if (ln && !strcmp(ln, name) && ld->need[i]) {
				idx = i;
				break;
			}
		}
		if (idx == UINT32_MAX)
			return DD_OK; /* not needed (cached), or not a layer */
	}
	if (dd_map_get(&ld->by_name, name, strlen(name)))
		return DD_OK; /* the same file twice: the first wins */
	struct named *nm = dd_calloc(1, sizeof *nm);
	if (!nm)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	/* skopeo names layer files <diff_id hex>.tar: when the cache has that
	 * diff_id, the pass need not walk the layer (the config's diff_ids
	 * are matched against it once the manifest is read). */
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (idx == UINT32_MAX && ld->cache_layers && strlen(base) == 68 && !strcmp(base + 64, ".tar")) {
		char d[DD_DIGEST_STR];
		snprintf(d, sizeof d, "sha256:%.64s", base);
		char note[512];
		if (dd_digest_valid(d, strlen(d)) &&
		    !dd_layer_cache_load(img->cache_dir, d, ld->wants && ld->wants->fingerprint ? ld->wants->fingerprint : "",
					 &nm->layer, note, sizeof note)) {
			dd_code prc = dd_map_put(&ld->by_name, name, strlen(name), nm, NULL, err);
			if (prc) {
				dd_layer_free(nm->layer);
				free(nm);
			}
			return prc;
		}
	}
	struct dd_layer_opts o;
	struct warn_ctx w;
	set_layer_opts(ld, idx == UINT32_MAX ? 0 : idx, &o, &w);
	if (idx == UINT32_MAX) {
		/* Read before the manifest is known: verified afterwards. */
		o.expect_blob = o.expect_diff = NULL;
		o.expect_size = 0;
	}
	nm->rc = dd_layer_read_blob(s, &o, &nm->layer, &nm->err);
	dd_code rc = dd_map_put(&ld->by_name, name, strlen(name), nm, NULL, err);
	if (rc) {
		dd_layer_free(nm->layer);
		free(nm);
		return rc;
	}
	/* A hard limit (total size) ends the scan; other errors matter only if
	 * the file turns out to be a layer. */
	if (nm->rc == DD_ENOMEM || (nm->rc == DD_ELIMIT && strstr(nm->err.msg, "in total")))
		return dd_err_set(err, nm->rc, "%s: %s", name, nm->err.msg);
	progress(ld, name);
	return DD_OK;
}

static dd_code read_scan(struct load *ld, struct dd_err *err)
{
	struct dd_image *img = ld->img;
	bool was_complete = img->complete;
	dd_code rc = img->src->scan(img->state, img->arena, &img->info, scan_sink, ld, err);
	if (rc)
		return rc;
	img->complete = true;
	if (img->info.nlayers > DD_LIMIT_LAYERS)
		return dd_err_set(err, DD_ELIMIT, "more than %d layers", DD_LIMIT_LAYERS);
	if (!was_complete)
		for (unsigned i = 0; i < img->info.nlayers; i++)
			ld->need[i] = true;
	for (unsigned i = 0; i < img->info.nlayers; i++) {
		if (!ld->need[i] || ld->layers[i])
			continue;
		const char *ln = img->src->layer_name(img->state, i);
		struct named *nm = ln ? dd_map_get(&ld->by_name, ln, strlen(ln)) : NULL;
		if (!nm) {
			ld->rcs[i] = dd_err_set(&ld->errs[i], DD_ENOTFOUND,
						"%s is not in the archive", ln ? ln : "(unnamed)");
			continue;
		}
		if (nm->rc) {
			ld->rcs[i] = nm->rc;
			ld->errs[i] = nm->err;
			continue;
		}
		const char *want = img->info.layers[i].diff_id;
		const struct dd_layer *got = nm->layer ? nm->layer : ld->layers[nm->first];
		if (want && strcmp(want, got->diff_id) != 0) {
			ld->rcs[i] = dd_err_set(&ld->errs[i], DD_EDIGEST,
						"diff_id mismatch: the config says %s, %s hashes to %s",
						want, ln, got->diff_id);
			continue;
		}
		/* Two layers may name the same file: the second gets a copy
		 * through the cache encoding, which is exact. */
		if (!nm->layer) {
			struct dd_buf b;
			dd_buf_init(&b, DD_LIMIT_CACHE_FILE_BYTES);
			dd_code erc = dd_layer_encode(ld->layers[nm->first], &b, &ld->errs[i]);
			if (!erc)
				erc = dd_layer_decode(b.data, b.len, &ld->layers[i], &ld->errs[i]);
			dd_buf_release(&b);
			ld->rcs[i] = erc;
			if (!erc)
				ld->layers[i]->from_cache = false;
			continue;
		}
		if (nm->layer->from_cache)
			img->stats.layers_cached++;
		ld->layers[i] = nm->layer;
		nm->layer = NULL;
		nm->first = i;
	}
	return DD_OK;
}

struct shadow_ctx {
	const struct dd_layer *l;
	int layer;
};

static bool shadowed(const struct dd_fs_file *f, void *ud)
{
	const struct shadow_ctx *c = ud;
	if (f->layer >= c->layer)
		return false;
	const char *p = f->path;
	int has = dd_layer_has(c->l, p, strlen(p));
	if (has == 1 || (has == 2 && f->type != DD_FS_DIR))
		return true;
	for (const char *s = strchr(p, '/'); s; s = strchr(s + 1, '/'))
		if (dd_layer_has(c->l, p, (size_t)(s - p)) == 1)
			return true;
	return false;
}

/* last: the top layer, whose entries go to the view's sorted list instead
 * of its maps (dd_fs_put_top). */
static dd_code merge(struct dd_fs *fs, struct dd_layer **layers, int i, bool last,
		     struct load *ld, struct dd_err *err)
{
	struct dd_layer *l = layers[i];
	dd_code rrc = last ? DD_OK : dd_fs_reserve(fs, l->nents, err);
	if (rrc)
		return rrc;
	for (size_t k = 0; k < l->nopq; k++)
		dd_fs_opaque(fs, l->opaques[k], i);
	for (size_t k = 0; k < l->nwh; k++)
		dd_fs_remove(fs, l->whiteouts[k]);
	/* The layer's entries become the view's: fs owns the array from here
	 * (and frees it on an error below). */
	struct dd_layer_ent *ents = l->ents;
	size_t n = l->nents;
	l->ents = NULL;
	l->nents = l->cap = 0;
	if (ents && (rrc = dd_fs_adopt_block(fs, ents, err)))
		return rrc;
	struct dd_fs_hint hints[8] = { 0 }; /* hints[k % 8] is for entry k */
	/* A top entry looks at the maps only when lower layers put something. */
	bool prefetch = !last || dd_fs_count(fs) > 0;
	for (size_t k = 0; k < n; k++) {
		struct dd_layer_ent *e = &ents[k];
		struct dd_fs_file *f = &e->f;
		if (prefetch && k + 8 < n && ents[k + 8].type != DD_LENT_GONE)
			dd_fs_prefetch(fs, ents[k + 8].f.path, &hints[(k + 8) % 8]);
		if (e->type == DD_LENT_GONE)
			continue;
		f->layer = i;
		f->type = e->type == DD_LENT_SYMLINK ? DD_FS_SYMLINK
			  : e->type == DD_LENT_DIR ? DD_FS_DIR : DD_FS_REG;
		if (e->type == DD_LENT_HLINK || e->type == DD_LENT_HLINK_CHECK) {
			const char *target = f->link;
			const struct dd_fs_file *t = dd_fs_lookup(fs, target);
			bool found = t != NULL;
			for (int j = 0; j < i && !found; j++)
				found = layers[j] && dd_layer_has(layers[j], target, strlen(target)) == 1;
			if (!found)
				return dd_err_set(err, DD_EINVAL, "entry %.160s: hard link to missing target %.160s",
						  f->path, target);
			/* A link whose name nobody asked for still carries the
			 * target's content: keep it when the magic wants it. */
			if (e->type == DD_LENT_HLINK_CHECK &&
			    !(t && t->type == DD_FS_REG && t->data && ld->wants && ld->wants->magic &&
			      ld->wants->magic(ld->wants->ud, t->data,
					       t->size < DD_MAGIC_BYTES ? t->size : DD_MAGIC_BYTES)))
				continue;
			f->link = NULL;
			f->tag = 0;
			if (t && t->type == DD_FS_REG) {
				f->data = t->data;
				f->size = t->size;
			}
			if (!f->data) {
				char label[128], msg[640];
				layer_label(ld->img, (unsigned)i, label, sizeof label);
				snprintf(msg, sizeof msg, "%s: %s: entry %.160s: hard link to %.160s, whose content was not kept",
					 ld->img->info.reference, label, f->path, target);
				emit_warning(ld, msg);
			}
		}
		dd_code rc = last ? dd_fs_put_top(fs, f, &hints[k % 8], err)
				  : dd_fs_put_entry(fs, f, &hints[k % 8], err);
		if (rc)
			return rc;
	}
	/* Nothing lies below the lowest layer for it to shadow. */
	struct shadow_ctx c = { l, i };
	if (i > 0)
		dd_fs_remove_if(fs, shadowed, &c);
	struct dd_arena *a = l->arena;
	l->arena = NULL;
	return dd_fs_adopt(fs, a, err);
}

dd_code dd_image_load_fs(struct dd_image *img, const struct dd_fs_wants *wants,
			 void (*warn)(void *ud, const char *msg), void *warn_ud,
			 struct dd_fs **out, struct dd_err *err)
{
	*out = NULL;
	memset(&img->stats, 0, sizeof img->stats);
	struct load ld = { .img = img, .wants = wants, .warn = warn, .warn_ud = warn_ud };
	pthread_mutex_init(&ld.mu, NULL);
	dd_map_init(&ld.by_name);
	struct dd_fs *fs = NULL;
	dd_code rc = DD_OK;
	size_t cap = DD_LIMIT_LAYERS + 1;
	ld.layers = dd_calloc(cap, sizeof *ld.layers);
	ld.errs = dd_calloc(cap, sizeof *ld.errs);
	ld.rcs = dd_calloc(cap, sizeof *ld.rcs);
	ld.need = dd_calloc(cap, sizeof *ld.need);
	if (!ld.layers || !ld.errs || !ld.rcs || !ld.need) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	const char *fp = wants && wants->fingerprint ? wants->fingerprint : "";
	/* Wants without a fingerprint cannot key the layer cache. */
	bool cache_layers = img->have_cache && (!wants || wants->fingerprint);
	ld.cache_layers = cache_layers;
	/* 1. the cache */
	for (unsigned i = 0; i < img->info.nlayers; i++) {
		ld.need[i] = true;
		const char *d = img->info.layers[i].diff_id;
		if (!cache_layers || !d)
			continue;
		char note[512];
		dd_code crc = dd_layer_cache_load(img->cache_dir, d, fp, &ld.layers[i], note, sizeof note);
		if (crc == DD_ENOMEM) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory reading the layer cache");
			goto out;
		}
		if (note[0]) {
			char full[768];
			snprintf(full, sizeof full, "%s: %s", img->info.reference, note);
			emit_warning(&ld, full);
		}
		if (!crc) {
			ld.need[i] = false;
			img->stats.layers_cached++;
			progress(&ld, d);
		}
	}
	/* 2. the layers that are not cached */
	bool any = !img->complete;
	for (unsigned i = 0; i < img->info.nlayers; i++)
		any |= ld.need[i];
	if (img->src->walk) {
		struct dd_layer_opts o;
		struct warn_ctx w;
		set_layer_opts(&ld, 0, &o, &w);
		rc = img->src->walk(img->state, &o, &ld.layers[0], err);
		if (rc) {
			dd_err_prefix(err, "%s: ", img->info.reference);
			goto out;
		}
		ld.need[0] = false;
	} else if (any && img->src->open_layer && img->complete &&
		   (!img->src->seekable || img->src->seekable(img->state))) {
		unsigned nt = img->opts.threads;
		if (!nt) {
			long c = sysconf(_SC_NPROCESSORS_ONLN);
			nt = c > 0 ? (unsigned)c : 1;
		}
		if (nt > img->info.nlayers)
			nt = (unsigned)img->info.nlayers;
		if ((rc = read_parallel(&ld, nt ? nt : 1, err)))
			goto out;
	} else if (any && img->src->scan) {
		if ((rc = read_scan(&ld, err))) {
			dd_err_prefix(err, "%s: ", img->info.reference);
			goto out;
		}
	}
	/* 3. errors, in layer order: the first one names its layer */
	for (unsigned i = 0; i < img->info.nlayers; i++) {
		if (!ld.rcs[i])
			continue;
		char label[128];
		layer_label(img, i, label, sizeof label);
		rc = dd_err_set(err, ld.rcs[i], "%s: %s: %s", img->info.reference, label, ld.errs[i].msg);
		goto out;
	}
	/* 4. statistics, the cache */
	for (unsigned i = 0; i < img->info.nlayers; i++) {
		struct dd_layer *l = ld.layers[i];
		if (!l)
			continue;
		img->stats.entries += l->nentries;
		img->stats.kept_bytes += l->kept_bytes;
		if (!l->from_cache && ld.need[i]) {
			img->stats.layers_read++;
			img->stats.bytes_stored += l->csize;
			img->stats.bytes_uncompressed += l->usize;
		}
		struct dd_layer_info *li = &img->info.layers[i];
		if (!li->digest && l->blob_digest[0] && !l->from_cache && ld.need[i] &&
		    strcmp(l->compression, "none") != 0)
			li->digest = dd_arena_strdup(img->arena, l->blob_digest);
		if (cache_layers && li->diff_id && ld.need[i] && !l->from_cache) {
			struct dd_err cerr;
			dd_err_clear(&cerr);
			if (dd_layer_cache_store(img->cache_dir, li->diff_id, fp, l, &cerr)) {
				char full[768];
				snprintf(full, sizeof full, "%s: layer cache not written: %s",
					 img->info.reference, cerr.msg);
				emit_warning(&ld, full);
			}
		}
	}
	if (img->src->walk && ld.layers[0]) {
		img->stats.layers_read = 1;
		img->stats.entries = ld.layers[0]->nentries;
		img->stats.kept_bytes = ld.layers[0]->kept_bytes;
	}
	/* 5. the merge */
	fs = dd_fs_new();
	if (!fs) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	size_t nl = img->src->walk ? 1 : img->info.nlayers;
	for (unsigned i = 0; i < nl; i++) {
		if (!ld.layers[i]) {
			rc = dd_err_set(err, DD_EINVAL, "%s: layer %u was not read", img->info.reference, i + 1);
			goto out;
		}
		if ((rc = merge(fs, ld.layers, (int)i, i + 1 == nl, &ld, err))) {
			char label[128];
			layer_label(img, i, label, sizeof label);
			dd_err_prefix(err, "%s: %s: ", img->info.reference, label);
			goto out;
		}
		/* Entries now live in fs (merge handed them over); the path
		 * hashes stay until the end for hard links of upper layers. */
	}
	if ((rc = dd_fs_seal(fs, err)))
		goto out;
	*out = fs;
	fs = NULL;
out:
	if (ld.layers)
		for (size_t i = 0; i < cap; i++)
			dd_layer_free(ld.layers[i]);
	const struct dd_map_slot *s;
	for (size_t i = 0; dd_map_next(&ld.by_name, &i, &s);) {
		struct named *nm = s->value;
		dd_layer_free(nm->layer);
		free(nm);
	}
	dd_map_release(&ld.by_name);
	dd_fs_free(fs);
	free(ld.layers);
	free(ld.errs);
	free(ld.rcs);
	free(ld.need);
	pthread_mutex_destroy(&ld.mu);
	return rc;
}
