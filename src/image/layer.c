/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading one layer blob (layer.h): stored bytes -> digest of the blob ->
 * decompressor picked by magic bytes (RFC 1952 gzip 1f 8b, RFC 8878 zstd
 * 28 b5 2f fd, else a plain tar) -> digest of the tar (the diff_id) ->
 * libarchive's tar reader (ustar, pax, GNU long names, hard links), fed by
 * archive_read_open() callbacks -> the kept entries of struct dd_layer.
 *
 * Overlay markers follow the OCI image-spec layer.md "Whiteouts" section:
 * `.wh.NAME` deletes NAME from lower layers, `.wh..wh..opq` makes its
 * directory opaque, other `.wh..wh.*` names are aufs bookkeeping and are
 * ignored. Entry names are canonicalised (util/path.h): "../" clamps at the
 * image root, a leading "/" is dropped, so no name can point outside.
 *
 * Nothing is written anywhere; content is kept only for wanted files, up to
 * the limits in util/limits.h (per file, per image, decompressed size and
 * ratio, entries).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "image/layer.h"
#include "image/tar_index.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"
#include "util/path.h"

/* ---- limits ------------------------------------------------------------- */

static const struct dd_image_limits default_limits = {
	.layer_bytes = DD_LIMIT_LAYER_BYTES,
	.image_bytes = DD_LIMIT_IMAGE_BYTES,
	.ratio = DD_LIMIT_DECOMPRESS_RATIO,
	.ratio_slack = DD_LIMIT_RATIO_SLACK_BYTES,
	.entries = DD_LIMIT_LAYER_ENTRIES,
	.kept_file = DD_LIMIT_KEPT_FILE_BYTES,
	.kept_total = DD_LIMIT_KEPT_TOTAL_BYTES,
};
static struct dd_image_limits cur_limits;
static bool limits_overridden;

const struct dd_image_limits *dd_image_limits_get(void)
{
	return limits_overridden ? &cur_limits : &default_limits;
}

void dd_image_limits_set(const struct dd_image_limits *l)
{
	limits_overridden = l != NULL;
	if (l)
		cur_limits = *l;
}

/* ---- the layer record ---------------------------------------------------- */

struct layer_helper;
static void helper_free(struct layer_helper *h);

struct dd_layer *dd_layer_new(void)
{
	struct dd_layer *l = dd_calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->arena = dd_arena_new(0);
	if (!l->arena) {
		free(l);
		return NULL;
	}
	dd_map_init_borrowed(&l->index); /* keys: entry paths in l->arena */
	l->compression = "none";
	return l;
}

void dd_layer_free(struct dd_layer *l)
{
	if (!l)
		return;
	helper_free(l->helper);
	dd_map_release(&l->index);
	free(l->ents);
	free(l->whiteouts);
	free(l->opaques);
	free(l->seen);
	free(l->scratch);
	dd_arena_free(l->arena);
	free(l);
}

static dd_code helper_settle(struct dd_layer *l, const struct dd_layer_opts *o,
			    struct dd_err *err);

dd_code dd_layer_finish(struct dd_layer *l, const struct dd_layer_opts *o, struct dd_err *err)
{
	dd_code rc = l->helper ? helper_settle(l, o, err) : DD_OK;
	dd_map_release(&l->index);
	l->indexed = false;
	free(l->scratch);
	l->scratch = NULL;
	l->scratch_cap = 0;
	return rc;
}

static uint64_t seen_key_of(uint64_t h, bool dir)
{
	return ((h | 2u) & ~(uint64_t)1) | (dir ? 1u : 0u);
}

static uint64_t seen_key(const char *path, size_t n, bool dir)
{
	return seen_key_of(dd_hash_bytes(path, n), dir);
}

static bool seen_has(const struct dd_layer *l, uint64_t key)
{
	if (!l->seen_cap)
		return false;
	size_t mask = l->seen_cap - 1;
	for (size_t i = (size_t)(key >> 2) & mask;; i = (i + 1) & mask) {
		if (l->seen[i] == key)
			return true;
		if (!l->seen[i])
			return false;
	}
}

dd_code dd_layer_seen_add(struct dd_layer *l, uint64_t key, struct dd_err *err)
{
	if ((l->nseen + 1) * 4 >= l->seen_cap * 3) {
		size_t cap = l->seen_cap ? l->seen_cap * 2 : 1024;
		uint64_t *s = dd_calloc(cap, sizeof *s);
		if (!s)
			return dd_err_set(err, DD_ENOMEM, "out of memory indexing layer paths");
		for (size_t i = 0; i < l->seen_cap; i++) {
			uint64_t k = l->seen[i];
			if (!k)
				continue;
			size_t j = (size_t)(k >> 2) & (cap - 1);
			while (s[j])
				j = (j + 1) & (cap - 1);
			s[j] = k;
		}
		free(l->seen);
		l->seen = s;
		l->seen_cap = cap;
	}
	size_t mask = l->seen_cap - 1;
	for (size_t i = (size_t)(key >> 2) & mask;; i = (i + 1) & mask) {
		if (l->seen[i] == key)
			return DD_OK;
		if (!l->seen[i]) {
			l->seen[i] = key;
			l->nseen++;
			return DD_OK;
		}
	}
}

int dd_layer_has(const struct dd_layer *l, const char *path, size_t n)
{
	if (seen_has(l, seen_key(path, n, true)))
		return 2;
	return seen_has(l, seen_key(path, n, false)) ? 1 : 0;
}

static struct dd_layer_ent *find_ent(struct dd_layer *l, const char *path)
{
	/* Built on the first path a layer repeats (note_seen): most layers
	 * never do, and then the index would cost an insertion per entry. */
	if (!l->indexed) {
		l->indexed = true;
		for (size_t k = 0; k < l->nents && l->indexed; k++)
			if (dd_map_put(&l->index, l->ents[k].f.path, strlen(l->ents[k].f.path),
				       (void *)(uintptr_t)(k + 1), NULL, NULL)) {
				dd_map_release(&l->index);
				l->indexed = false;
			}
	}
	if (!l->indexed) { /* out of memory: the slow way */
		for (size_t k = 0; k < l->nents; k++)
			if (strcmp(l->ents[k].f.path, path) == 0)
				return &l->ents[k];
		return NULL;
	}
	uintptr_t idx = (uintptr_t)dd_map_get(&l->index, path, strlen(path));
	return idx ? &l->ents[idx - 1] : NULL;
}

/* A later entry for the same path in one tar replaces the earlier one
 * (tar semantics: extraction overwrites). *at, when asked: where e went. */
static dd_code put_ent_at(struct dd_layer *l, const struct dd_layer_ent *e, bool fresh, size_t *at,
			  struct dd_err *err)
{
	struct dd_layer_ent *old = fresh ? NULL : find_ent(l, e->f.path);
	if (old) {
		const char *path = old->f.path;
		*old = *e;
		old->f.path = path;
		if (at)
			*at = (size_t)(old - l->ents);
		return DD_OK;
	}
	if (e->type == DD_LENT_GONE)
		return DD_OK;
	if (at)
		*at = l->nents;
	if (dd_grow(&l->ents, &l->cap, l->nents + 1, sizeof *l->ents))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	struct dd_layer_ent *n = &l->ents[l->nents];
	*n = *e;
	n->f.path = dd_arena_strdup(l->arena, e->f.path);
	if (!n->f.path)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	l->nents++;
	if (!l->indexed)
		return DD_OK;
	return dd_map_put(&l->index, n->f.path, strlen(n->f.path), (void *)(uintptr_t)l->nents, NULL, err);
}

static dd_code put_ent_seen(struct dd_layer *l, const struct dd_layer_ent *e, bool fresh,
			    struct dd_err *err)
{
	return put_ent_at(l, e, fresh, NULL, err);
}

static dd_code put_ent(struct dd_layer *l, const struct dd_layer_ent *e, struct dd_err *err)
{
	return put_ent_seen(l, e, false, err);
}

/* fresh: the path was not in this layer before (note_seen), so it has no
 * entry to replace and the index need not be asked: most paths of a layer,
 * and the lookups were a cache miss each on layers of many files. */
static dd_code gone_seen(struct dd_layer *l, const char *path, bool fresh, struct dd_err *err)
{
	struct dd_layer_ent e = { .f.path = path, .type = DD_LENT_GONE };
	return !fresh && find_ent(l, path) ? put_ent(l, &e, err) : DD_OK;
}

static dd_code gone(struct dd_layer *l, const char *path, struct dd_err *err)
{
	return gone_seen(l, path, false, err);
}

/* Records path in the seen set; *fresh says whether this layer had it
 * before, as a file or as a directory (a 64-bit hash collision only makes
 * a fresh path look old, which costs a lookup, never a wrong answer). */
static dd_code note_seen(struct dd_layer *l, const char *path, bool dir, bool *fresh,
			 struct dd_err *err)
{
	uint64_t h = dd_hash_bytes(path, strlen(path));
	uint64_t fk = seen_key_of(h, false), dk = seen_key_of(h, true);
	*fresh = !seen_has(l, fk) && !seen_has(l, dk);
	return dd_layer_seen_add(l, dir ? dk : fk, err);
}

static uint32_t wants_path(const struct dd_layer_opts *o, const char *path)
{
	return o->wants && o->wants->path ? o->wants->path(o->wants->ud, path, strlen(path)) : 0;
}

bool dd_layer_wants_path(const struct dd_layer_opts *o, const char *path)
{
	return wants_path(o, path) != 0;
}

static dd_code count_entry(struct dd_layer *l, struct dd_err *err)
{
	if (++l->nentries > dd_image_limits_get()->entries)
		return dd_err_set(err, DD_ELIMIT, "more than %llu entries in one layer",
				  (unsigned long long)dd_image_limits_get()->entries);
	return DD_OK;
}

void dd_layer_warnf(struct dd_layer *l, const struct dd_layer_opts *o, const char *fmt, ...)
{
	/* One hostile layer could emit a million of these. */
	if (!o->warn || l->warnings >= 10)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (++l->warnings == 10)
		snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (further warnings for this layer suppressed)");
	o->warn(o->warn_ud, msg);
}

/* Counts n more kept bytes (contents, hard-link names) against the image's total. */
static dd_code charge_kept(const struct dd_layer_opts *o, const char *path, uint64_t n,
			   struct dd_err *err)
{
	uint64_t max = dd_image_limits_get()->kept_total;
	if (o->kept_total && atomic_fetch_add(o->kept_total, n) + n > max)
		return dd_err_set(err, DD_ELIMIT, "entry %.160s: kept files exceed %llu bytes in total",
				  path, (unsigned long long)max);
	return DD_OK;
}

/* A read of the file at path failed. When the source could not open it for
 * want of permission (a dir: tree that the user does not own whole, such
 * as /etc/shadow at mode 0), the scan goes on without it, with a warning,
 * and the charged bytes are given back; any other failure ends the layer. */
static dd_code read_failed(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
			   bool fresh, uint64_t charged, struct dd_err *err)
{
	if (err && (err->sys_errno == EACCES || err->sys_errno == EPERM)) {
		dd_layer_warnf(l, o, "entry %.160s: %s; not read", path, err->msg);
		dd_err_clear(err);
		if (o->kept_total)
			atomic_fetch_sub(o->kept_total, charged);
		return gone_seen(l, path, fresh, err);
	}
	return dd_err_prefix(err, "entry %.160s: ", path);
}

static dd_code put_file(struct dd_layer *l, const char *path, uint32_t mode, uint32_t tag,
			const unsigned char *data, size_t size, bool fresh, struct dd_err *err)
{
	l->kept_bytes += size;
	struct dd_layer_ent e = { .f = { .path = path, .mode = mode, .size = size, .data = data,
					 .tag = tag },
				  .type = DD_LENT_REG };
	return put_ent_seen(l, &e, fresh, err);
}

/* Keeps what a reducer returned (in the layer's arena), or drops the
 * file when it returned nothing. */
static dd_code keep(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
		    uint32_t mode, uint32_t tag, const unsigned char *out, size_t outlen, bool fresh,
		    struct dd_err *err)
{
	if (!out)
		return gone_seen(l, path, fresh, err);
	dd_code rc = charge_kept(o, path, outlen, err);
	return rc ? rc : put_file(l, path, mode, tag, out, outlen, fresh, err);
}

/* Whether a file of size bytes is larger than a kept file may be; err
 * then says so. */
static bool over_kept(uint64_t size, struct dd_err *err)
{
	uint64_t kept = dd_image_limits_get()->kept_file;
	if (size <= kept)
		return false;
	dd_err_set(err, DD_ELIMIT, "%llu bytes, more than the %llu kept per file",
		   (unsigned long long)size, (unsigned long long)kept);
	return true;
}

/* Such a wanted file: a warning, not read. */
static bool too_big(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
		    uint64_t size)
{
	struct dd_err e;
	if (!over_kept(size, &e))
		return false;
	dd_layer_warnf(l, o, "entry %.160s: %s; not read", path, e.msg);
	return true;
}

/* A file the magic accepted, from a source with random access: the
 * reducer reads through fetch, which preads each range it asks for into
 * an arena of this file's own. Go and Rust each open the same ELF, so the
 * ranges already read are asked again: the last few are remembered. */
struct fetch {
	const struct dd_layer_reader *rd;
	struct dd_arena *a;
	const unsigned char *head; /* the first bytes, read for the magic */
	size_t hn;
	struct {
		uint64_t off;
		size_t len;
		const unsigned char *p;
	} seen[8];
	unsigned nseen;
	struct dd_err err; /* the first failure; later fetches return NULL */
	bool failed;
};

static const unsigned char *fetch(void *ud, uint64_t off, size_t len)
{
	struct fetch *f = ud;
	if (f->failed)
		return NULL;
	if (off <= f->hn && len <= f->hn - off)
		return f->head + off;
	for (unsigned i = 0; i < f->nseen && i < 8; i++)
		if (f->seen[i].off == off && f->seen[i].len == len)
			return f->seen[i].p;
	unsigned char *p = dd_arena_alloc(f->a, len ? len : 1);
	if (!p) {
		f->failed = true;
		dd_err_set(&f->err, dd_arena_status(f->a), "%zu bytes at offset %llu: %s", len,
			   (unsigned long long)off,
			   dd_arena_status(f->a) == DD_ELIMIT ? "more than twice the file in all"
							       : "out of memory");
		return NULL;
	}
	for (size_t got = 0; got < len;) {
		ssize_t r = f->rd->pread(f->rd->ud, p + got, len - got, off + got, &f->err);
		if (r <= 0) {
			if (r == 0)
				dd_err_set(&f->err, DD_EINVAL, "%zu bytes at offset %llu: the file ends early",
					   len, (unsigned long long)off);
			f->failed = true;
			return NULL;
		}
		got += (size_t)r;
	}
	unsigned slot = f->nseen++ % 8;
	f->seen[slot].off = off;
	f->seen[slot].len = len;
	f->seen[slot].p = p;
	return p;
}

/* Reduces such a file; *out is in a, or NULL. A failure to read it
 * returns its error with *failed set: DD_ELIMIT, a hostile file whose
 * sections ask for more than twice its size (the caller warns), or the
 * read's own error. */
static dd_code reduce_fetched(const struct dd_layer_opts *o, const char *path, uint64_t size,
			      uint32_t tag, const unsigned char *head, size_t hn,
			      const struct dd_layer_reader *rd, struct dd_arena *a,
			      const unsigned char **out, size_t *outlen, bool *failed,
			      struct dd_err *err)
{
	struct fetch f = { .rd = rd, .head = head, .hn = hn };
	dd_err_clear(&f.err);
	*failed = false;
	if (!(f.a = dd_arena_new(2 * size + (1u << 20))))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	struct dd_bytes b = { .n = size, .fetch = fetch, .ud = &f };
	dd_code rc = o->wants->reduce(o->wants->ud, tag, true, path, &b, a, out, outlen, err);
	dd_arena_free(f.a);
	if (rc || !f.failed)
		return rc;
	*out = NULL;
	*err = f.err;
	*failed = true;
	return err->code;
}

/* Whether the magic is to see the first bytes of a file not wanted by
 * path. */
static bool sniffs(const struct dd_layer_opts *o, const char *path, uint32_t mode, uint64_t size)
{
	return o->wants && o->wants->magic && size > 0 &&
	       (!o->wants->sniffs || o->wants->sniffs(o->wants->ud, path, strlen(path), mode));
}

/* ---- the helper thread ---------------------------------------------------
 *
 * In a dir: scan, a file a cataloger wants costs the walk an open, a read
 * and a close (about 2 us of kernel time for a small file, against 9 us
 * for walking past a package of a node_modules tree), then the reducing (a
 * package.json to its name and version); a file the magic sniffs (the
 * executables and libraries of an OS tree), the same for its first bytes,
 * and the reads of the ELF sections it keeps. With o->helper, the dir:
 * source gives every regular file to dd_layer_add_file_later instead:
 * those no cataloger could want are dropped there, as dd_layer_add_file
 * drops them, and the others go to a thread of the layer's own, which
 * opens each again by its path, sniffs, reads and reduces it as
 * dd_layer_add_file would, on the core the walk leaves idle. The walk
 * puts a placeholder entry carrying the job's number; dd_layer_finish
 * joins the thread and fills the placeholders in. Errors and warnings come out there, in the files'
 * order, as the walk would have given them, and the kept total is charged
 * there. The helper's results are in an arena of its own (arenas are not
 * thread-safe), joined to the layer's at the end.
 *
 * In an archive layer the content comes out of the tar stream on the
 * reading thread. A file wanted by path and reduced (package.json) is read
 * into a ring of RING_BYTES instead of the layer's scratch buffer, the
 * same one copy, and reduced on the helper, which then releases its room
 * (ring_done); when the ring is full, or the file larger than
 * RING_FILE_MOST, or the magic took it, the reading thread does it all
 * itself, as before. An earlier ring of this kind, with a fixed batch of
 * 1,024, measured no faster than reducing in place in one session (the
 * 50,000-manifest OCI archive: 1.17-1.20 against 1.14-1.18), and was
 * dropped; this one, in rounds interleaved with the code that reduced in
 * place, took the realistic archives' on/off from 1.17-1.35 to 1.10-1.22
 * (docs/internals/catalog-lang.md, "Cost"). Most of what is left for the reading thread is
 * the wake-ups: the helper reduces a manifest in well under a microsecond
 * and sleeps after each batch.
 *
 * Handing over: jobs sit in blocks that only the reading thread appends
 * to. It publishes how many there are (posted) once per batch, and wakes
 * the helper only if the helper said it sleeps. Both are seq_cst atomics:
 * of "publish, then look whether it sleeps" and "say it sleeps, then look
 * whether there is more", one sees the other's store (the Dekker pattern),
 * so a published job never waits for a wake-up that does not come. */
#define JOBS_PER_BLOCK 256
/* Waking a sleeping thread costs the waker a futex call and the kernel an
 * interrupt to the other core, about 10 us on this project's virtual
 * machines: jobs are posted in batches. The first batch is small, so that
 * the helper starts early in a small tree; each time it had to be woken
 * (it kept up), the next is twice as large, up to PUBLISH_MOST; what is
 * left when the walk ends (at most a batch) the walk waits for. Measured
 * (bench_sbom_lang, dir: on/off): fixed at 16, the 50,000-manifest tree
 * took 1.14-1.22 (wake-ups); fixed at 1,024, the Debian image's tree took
 * 1.40-1.46 as without a helper (it started too late, and the last
 * thousand files came after the walk); 16 to 1,024, 1.16-1.33 (the same
 * tail); 16 to 128, 1.09-1.14 and 1.16-1.19. */
#define PUBLISH_FIRST 16
#define PUBLISH_MOST 128
/* Contents already in memory (archives) take the helper well under a
 * microsecond each, so it always keeps up and sleeps after each batch,
 * and the tail is short: larger batches, fewer wake-ups, as many as half
 * the ring (RING_BYTES) holds. */
#define PUBLISH_MOST_MEM 256
#define JOB_NOMEM UINT32_MAX /* job.err: out of memory for the error itself */

struct job {
	const char *path;          /* the entry's, in the layer's arena */
	uint64_t size;             /* fstat of the file the helper opened */
	struct dd_layer_opener op;
	uint32_t tag;              /* 0: a file for the magic to sniff; then its answer */
	bool reduce;               /* the tag's reducer is to have it (by path) */
	const unsigned char *data; /* op.open NULL: the content, size bytes in the ring */
	size_t ring_end;           /* ... which the helper then releases up to here */
	/* the helper's answer */
	const unsigned char *out;  /* in the helper's arena; NULL: not kept */
	size_t outlen;
	uint32_t err;              /* 0, 1 + index in errs, or JOB_NOMEM */
};

struct job_block {
	struct job_block *next;
	struct job j[JOBS_PER_BLOCK];
};

struct job_err {
	struct dd_err e;
	bool warning;              /* a file the user may not read: "not read" */
};

/* Each group of fields on cache lines of its own: a line that both
 * threads write, one of them per job, passes from core to core at every
 * write (HELPER_LINE). */
#define HELPER_LINE 64

struct layer_helper {
	/* set up before the thread starts */
	pthread_t th;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	const struct dd_layer_opts *o;
	struct job_block *first;       /* set before the first job is posted */
	/* the hand-over: written once per batch */
	_Alignas(HELPER_LINE) _Atomic size_t posted; /* jobs the helper may take */
	_Atomic bool sleeping;
	bool closing;                  /* under mu */
	/* the reading thread's */
	_Alignas(HELPER_LINE) struct job_block **blocks;
	size_t nblocks, bcap, njobs;
	size_t batch;                  /* jobs to post at once, PUBLISH_FIRST.. */
	/* the helper's, until it is joined */
	_Alignas(HELPER_LINE) struct dd_arena *arena;
	unsigned char *buf;            /* a file it opened, whole */
	size_t bufcap;
	struct job_err *errs;
	size_t nerrs, errcap;
	/* archive layers: contents the reading thread copied out of the tar
	 * stream for the helper, RING_BYTES in a ring; ring_head (the
	 * reading thread's) and ring_done (the helper's) only grow */
	_Alignas(HELPER_LINE) _Atomic size_t ring_done;
	_Alignas(HELPER_LINE) unsigned char *ring;
	size_t ring_head;
};

/* Small enough to stay in the reading core's 1 MiB L2: with 4 MiB, the
 * copy into the ring missed it on every line and cost the reading thread
 * 12 ms of the 50,000-manifest docker-archive (perf), most of what the
 * helper saved it. It holds two batches of 1 KiB manifests. */
#define RING_BYTES ((size_t)512 << 10)
#define RING_FILE_MOST ((size_t)64 << 10)

static void job_error(struct layer_helper *h, struct job *j, const struct dd_err *e, bool warning)
{
	if (h->nerrs >= JOB_NOMEM - 1 || dd_grow(&h->errs, &h->errcap, h->nerrs + 1, sizeof *h->errs)) {
		j->err = JOB_NOMEM;
		return;
	}
	h->errs[h->nerrs] = (struct job_err){ *e, warning };
	j->err = (uint32_t)++h->nerrs;
}

/* The fetch reader of a file the helper opened (ud: its descriptor). */
static ssize_t job_pread(void *ud, void *buf, size_t n, uint64_t off, struct dd_err *err)
{
	ssize_t r = dd_tar_pread_fd((void *)(intptr_t)*(const int *)ud, buf, n, off);
	if (r < 0)
		dd_err_sys(err, DD_EIO, "read");
	return r;
}

/* The n bytes at d, whole: what the reducer keeps of them (by path), or
 * all of them, into the helper's arena. */
static dd_code job_keep(struct layer_helper *h, struct job *j, const unsigned char *d, size_t n,
			bool reduce, struct dd_err *err)
{
	const struct dd_fs_wants *w = h->o->wants;
	struct dd_bytes b = dd_bytes_mem(d, n);
	j->out = d;
	j->outlen = n;
	dd_code rc;
	if (reduce && (rc = w->reduce(w->ud, j->tag, false, j->path, &b, h->arena, &j->out,
				      &j->outlen, err)))
		return rc;
	if (j->out == d && !(j->out = dd_arena_memdup(h->arena, d, n)))
		return dd_err_set(err, DD_ENOMEM, "out of memory for %zu bytes", n);
	return DD_OK;
}

/* The file open at fd, as dd_layer_add_file would take it: sniffed by the
 * magic when j->tag is 0, then reduced by range (by magic), or read whole
 * into h->buf and reduced (by path) or kept. *warn: the error is a
 * warning ("not read"). */
static dd_code job_file(struct layer_helper *h, struct job *j, int fd, bool *warn,
			struct dd_err *err)
{
	const struct dd_layer_opts *o = h->o;
	struct stat st;
	if (fstat(fd, &st) != 0)
		return dd_err_sys(err, DD_EIO, "stat");
	if (!S_ISREG(st.st_mode))
		return dd_err_set(err, DD_EINVAL, "no longer a regular file");
	/* The file as opened, as the walk reads the files it opens itself. */
	j->size = (uint64_t)st.st_size;
	unsigned char head[DD_MAGIC_BYTES];
	size_t hn = 0;
	dd_code rc;
	bool by_magic = !j->tag;
	if (by_magic) {
		if (!j->size)
			return DD_OK; /* nothing to sniff: not kept */
		ssize_t r = job_pread(&fd, head, sizeof head, 0, err);
		if (r < 0)
			return err->code;
		hn = (size_t)r;
		if (!(j->tag = o->wants->magic(o->wants->ud, head, hn)))
			return DD_OK;
	}
	if (over_kept(j->size, err)) {
		*warn = true;
		return err->code;
	}
	bool reduce = j->size > 0 && o->wants->reduce && (by_magic || j->reduce);
	if (reduce && by_magic) {
		struct dd_layer_reader rd = { .pread = job_pread, .ud = &fd };
		bool failed;
		rc = reduce_fetched(o, j->path, j->size, j->tag, head, hn, &rd, h->arena, &j->out,
				    &j->outlen, &failed, err);
		*warn = failed && (rc == DD_ELIMIT || err->sys_errno == EACCES ||
				   err->sys_errno == EPERM);
		return rc;
	}
	size_t n = (size_t)j->size;
	if (n > h->bufcap) {
		free(h->buf);
		h->bufcap = 0;
		if (!(h->buf = dd_malloc(n)))
			return dd_err_set(err, DD_ENOMEM, "out of memory for %zu bytes", n);
		h->bufcap = n;
	}
	memcpy(h->buf, head, hn);
	ssize_t got = job_pread(&fd, h->buf + hn, n - hn, hn, err);
	if (got < 0)
		return err->code;
	if (hn + (size_t)got != n)
		return dd_err_set(err, DD_EINVAL, "%zu bytes read of the %zu it had when opened",
				  hn + (size_t)got, n);
	return job_keep(h, j, h->buf, n, reduce, err);
}

/* Opens the file again by its path. ENOENT: gone since the walk listed
 * it, not kept and no warning, as the walk itself treats it. */
static void job_run(struct layer_helper *h, struct job *j)
{
	struct dd_err e;
	dd_err_clear(&e);
	bool warn = false;
	if (!j->op.open) { /* in the ring */
		if (job_keep(h, j, j->data, (size_t)j->size, j->reduce, &e)) {
			j->out = NULL;
			job_error(h, j, &e, false);
		}
		atomic_store(&h->ring_done, j->ring_end);
		return;
	}
	int fd = j->op.open(j->op.ud, j->path);
	if (fd < 0) {
		if (errno != ENOENT) {
			dd_err_sys(&e, DD_EIO, "open");
			job_error(h, j, &e, e.sys_errno == EACCES || e.sys_errno == EPERM);
		}
		return;
	}
	if (job_file(h, j, fd, &warn, &e)) {
		j->out = NULL;
		job_error(h, j, &e, warn);
	}
	close(fd);
}

static void *helper_main(void *arg)
{
	struct layer_helper *h = arg;
	struct job_block *b = NULL;
	for (size_t next = 0;;) {
		if (next == atomic_load(&h->posted)) {
			pthread_mutex_lock(&h->mu);
			atomic_store(&h->sleeping, true);
			while (next == atomic_load(&h->posted) && !h->closing)
				pthread_cond_wait(&h->wake, &h->mu);
			atomic_store(&h->sleeping, false);
			bool stop = next == atomic_load(&h->posted); /* closing, nothing left */
			pthread_mutex_unlock(&h->mu);
			if (stop)
				return NULL;
			continue;
		}
		b = !b ? h->first : next % JOBS_PER_BLOCK == 0 ? b->next : b;
		job_run(h, &b->j[next % JOBS_PER_BLOCK]);
		next++;
	}
}

/* Whether the helper slept and was woken. */
static bool helper_publish(struct layer_helper *h)
{
	atomic_store(&h->posted, h->njobs);
	if (!atomic_load(&h->sleeping))
		return false;
	pthread_mutex_lock(&h->mu);
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->mu);
	return true;
}

/* Room for n contiguous bytes of the ring, or NULL when it is full (the
 * reading thread then reduces the file itself). *end: what the job
 * releases. */
static unsigned char *ring_reserve(struct layer_helper *h, size_t n, size_t *end)
{
	if (!h->ring && !(h->ring = dd_malloc(RING_BYTES)))
		return NULL;
	size_t at = h->ring_head % RING_BYTES;
	size_t skip = at + n > RING_BYTES ? RING_BYTES - at : 0;
	if (h->ring_head + skip + n - atomic_load(&h->ring_done) > RING_BYTES) {
		helper_publish(h); /* what is waiting, so that room comes free */
		return NULL;
	}
	h->ring_head += skip + n;
	*end = h->ring_head;
	return h->ring + (skip ? 0 : at);
}

/* Publishes every job and waits for the helper to end. */
static void helper_join(struct layer_helper *h)
{
	if (!h->started)
		return;
	helper_publish(h);
	pthread_mutex_lock(&h->mu);
	h->closing = true;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->th, NULL);
	h->started = false;
}

static void helper_free(struct layer_helper *h)
{
	if (!h)
		return;
	helper_join(h);
	for (size_t b = 0; b < h->nblocks; b++)
		free(h->blocks[b]);
	free(h->blocks);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->wake);
	dd_arena_free(h->arena);
	free(h->buf);
	free(h->errs);
	free(h->ring);
	free(h);
}

/* The layer's helper, started on first use; NULL without o->helper, or
 * when it could not start (the reading thread then does the work). */
static struct layer_helper *helper_of(struct dd_layer *l, const struct dd_layer_opts *o)
{
	if (!o->helper || !o->wants)
		return NULL;
	if (l->helper)
		return l->helper->started ? l->helper : NULL;
	struct layer_helper *h = l->helper = dd_calloc_aligned(HELPER_LINE, sizeof *h);
	if (!h)
		return NULL;
	h->o = o;
	h->batch = PUBLISH_FIRST;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->wake, NULL);
	if (!(h->arena = dd_arena_new(0)))
		return NULL;
	h->started = pthread_create(&h->th, NULL, helper_main, h) == 0;
	return h->started ? h : NULL;
}

bool dd_layer_defers(struct dd_layer *l, const struct dd_layer_opts *o)
{
	return helper_of(l, o) != NULL;
}

/* Hands a wanted file over: a placeholder entry with the job's number. */
static dd_code helper_take(struct layer_helper *h, struct dd_layer *l, const char *path,
			   uint32_t mode, const struct job *tmpl, bool fresh, struct dd_err *err)
{
	uint32_t tag = tmpl->tag;
	if (h->njobs >= JOB_NOMEM - 1)
		return dd_err_set(err, DD_ELIMIT, "entry %.160s: too many files for the helper", path);
	if (h->njobs == h->nblocks * JOBS_PER_BLOCK) {
		struct job_block *b = dd_calloc(1, sizeof *b);
		if (!b || dd_grow(&h->blocks, &h->bcap, h->nblocks + 1, sizeof *h->blocks)) {
			free(b);
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		}
		/* Seen by the helper once a job in it is posted. */
		if (h->nblocks)
			h->blocks[h->nblocks - 1]->next = b;
		else
			h->first = b;
		h->blocks[h->nblocks++] = b;
	}
	struct dd_layer_ent e = { .f = { .path = path, .mode = mode, .tag = tag },
				  .type = DD_LENT_REG,
				  .job = (uint32_t)h->njobs + 1 };
	size_t at;
	dd_code rc = put_ent_at(l, &e, fresh, &at, err);
	if (rc)
		return rc;
	struct job *j = &h->blocks[h->njobs / JOBS_PER_BLOCK]->j[h->njobs % JOBS_PER_BLOCK];
	*j = *tmpl;
	j->path = l->ents[at].f.path;
	h->njobs++;
	if (h->njobs - atomic_load(&h->posted) >= h->batch && helper_publish(h) &&
	    h->batch < (tmpl->op.open ? PUBLISH_MOST : PUBLISH_MOST_MEM))
		h->batch *= 2;
	return DD_OK;
}

static struct job *job_at(struct layer_helper *h, uint32_t n)
{
	return &h->blocks[(n - 1) / JOBS_PER_BLOCK]->j[(n - 1) % JOBS_PER_BLOCK];
}

/* After the helper ended: errors and warnings in job order, the kept total
 * charged, then every placeholder (and copy) filled in or dropped. */
static dd_code helper_settle(struct dd_layer *l, const struct dd_layer_opts *o, struct dd_err *err)
{
	struct layer_helper *h = l->helper;
	helper_join(h);
	for (uint32_t n = 1; n <= h->njobs; n++) {
		struct job *j = job_at(h, n);
		dd_code rc = DD_OK;
		if (j->err == JOB_NOMEM) {
			rc = dd_err_set(err, DD_ENOMEM, "entry %.160s: out of memory", j->path);
		} else if (j->err && h->errs[j->err - 1].warning) {
			dd_layer_warnf(l, o, "entry %.160s: %s; not read", j->path, h->errs[j->err - 1].e.msg);
		} else if (j->err) {
			*err = h->errs[j->err - 1].e;
			rc = dd_err_prefix(err, "entry %.160s: ", j->path);
		} else if (j->out) {
			rc = charge_kept(o, j->path, j->outlen, err);
			l->kept_bytes += j->outlen;
		}
		if (rc)
			return rc;
	}
	for (size_t k = 0; k < l->nents; k++) {
		struct dd_layer_ent *e = &l->ents[k];
		if (!e->job)
			continue;
		const struct job *j = job_at(h, e->job);
		e->job = 0;
		e->f.tag = j->tag;
		e->f.data = j->out;
		e->f.size = j->outlen;
		if (!j->out)
			e->type = DD_LENT_GONE;
	}
	dd_arena_join(l->arena, h->arena);
	h->arena = NULL;
	helper_free(h);
	l->helper = NULL;
	return DD_OK;
}

dd_code dd_layer_add_file_later(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
				uint32_t mode, uint64_t size, const struct dd_layer_opener *op,
				struct dd_err *err)
{
	dd_code rc;
	bool fresh;
	if ((rc = count_entry(l, err)) || (rc = note_seen(l, path, false, &fresh, err)))
		return rc;
	struct layer_helper *h = helper_of(l, o);
	if (!h)
		return dd_err_set(err, DD_EINVAL, "entry %.160s: no helper thread to read it", path);
	uint32_t tag = wants_path(o, path);
	if (tag ? too_big(l, o, path, size) : !sniffs(o, path, mode, size))
		return gone_seen(l, path, fresh, err);
	bool reduce = tag && o->wants->reduce && o->wants->reduces &&
		      o->wants->reduces(o->wants->ud, tag);
	struct job tmpl = { .op = *op, .tag = tag, .reduce = reduce };
	return helper_take(h, l, path, mode, &tmpl, fresh, err);
}

dd_code dd_layer_add_file(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
			  uint32_t mode, uint64_t size, const struct dd_layer_reader *rd,
			  struct dd_err *err)
{
	dd_code rc;
	bool fresh;
	if ((rc = count_entry(l, err)) || (rc = note_seen(l, path, false, &fresh, err)))
		return rc;
	uint32_t tag = wants_path(o, path);
	bool by_magic = false;
	unsigned char head[DD_MAGIC_BYTES];
	size_t hn = 0;
	if (!tag && sniffs(o, path, mode, size)) {
		while (hn < sizeof head) {
			ssize_t r = rd->read(rd->ud, head + hn, sizeof head - hn, err);
			if (r < 0)
				return read_failed(l, o, path, fresh, 0, err);
			if (r == 0)
				break;
			hn += (size_t)r;
		}
		tag = o->wants->magic(o->wants->ud, head, hn);
		by_magic = tag != 0;
	}
	if (!tag)
		return gone_seen(l, path, fresh, err);
	if (too_big(l, o, path, size))
		return gone_seen(l, path, fresh, err);
	bool reduce = size > 0 && o->wants->reduce &&
		      (by_magic || (o->wants->reduces && o->wants->reduces(o->wants->ud, tag)));
	const unsigned char *out;
	size_t outlen;
	if (reduce && by_magic && rd->pread) {
		bool failed;
		rc = reduce_fetched(o, path, size, tag, head, hn, rd, l->arena, &out, &outlen, &failed,
				    err);
		if (rc && failed && rc == DD_ELIMIT) {
			dd_layer_warnf(l, o, "entry %.160s: %s; not read", path, err->msg);
			dd_err_clear(err);
		} else if (rc) {
			return failed ? read_failed(l, o, path, fresh, 0, err)
				      : dd_err_prefix(err, "entry %.160s: ", path);
		}
		return keep(l, o, path, mode, tag, out, outlen, fresh, err);
	}
	unsigned char *data = NULL;
	struct layer_helper *h = NULL;
	size_t ring_end = 0;
	/* Into the helper's ring, for it to reduce (the helper thread, above). */
	if (reduce && !by_magic && size <= RING_FILE_MOST && (h = helper_of(l, o)) &&
	    !(data = ring_reserve(h, (size_t)size, &ring_end)))
		h = NULL;
	if (!h && reduce) {
		/* Read whole into the layer's scratch buffer, keep what the
		 * reducer returns: the largest such file, not their sum, is
		 * what this layer holds at once. */
		if (size > l->scratch_cap) {
			free(l->scratch);
			l->scratch_cap = 0;
			if (!(l->scratch = dd_malloc(size)))
				return dd_err_set(err, DD_ENOMEM, "entry %.160s: out of memory for %llu bytes",
						  path, (unsigned long long)size);
			l->scratch_cap = size;
		}
		data = l->scratch;
	} else if (!h) {
		if ((rc = charge_kept(o, path, size, err)))
			return rc;
		data = dd_arena_alloc(l->arena, size ? size : 1);
		if (!data)
			return dd_err_set(err, DD_ENOMEM, "entry %.160s: out of memory for %llu bytes", path,
					  (unsigned long long)size);
	}
	memcpy(data, head, hn);
	size_t got = hn;
	while (got < size) {
		ssize_t r = rd->read(rd->ud, data + got, size - got, err);
		if (r < 0)
			return read_failed(l, o, path, fresh, reduce ? 0 : size, err);
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got != size)
		return dd_err_set(err, DD_EINVAL, "entry %.160s: %zu bytes of content, the header says %llu",
				  path, got, (unsigned long long)size);
	if (h) {
		struct job tmpl = { .tag = tag, .reduce = true, .data = data, .size = size,
				    .ring_end = ring_end };
		return helper_take(h, l, path, mode, &tmpl, fresh, err);
	}
	if (!reduce)
		return put_file(l, path, mode, tag, data, size, fresh, err);
	struct dd_bytes b = dd_bytes_mem(data, size);
	if (o->wants->reduce(o->wants->ud, tag, by_magic, path, &b, l->arena, &out, &outlen, err))
		return dd_err_prefix(err, "entry %.160s: ", path);
	if (out == data && !(out = dd_arena_memdup(l->arena, data, size)))
		return dd_err_set(err, DD_ENOMEM, "entry %.160s: out of memory for %llu bytes", path,
				  (unsigned long long)size);
	return keep(l, o, path, mode, tag, out, outlen, fresh, err);
}

dd_code dd_layer_add_symlink(struct dd_layer *l, const char *path, const char *target,
			     struct dd_err *err)
{
	dd_code rc;
	bool fresh;
	if ((rc = count_entry(l, err)) || (rc = note_seen(l, path, false, &fresh, err)))
		return rc;
	size_t tl = strlen(target);
	if (tl > DD_LIMIT_PATH_BYTES)
		return dd_err_set(err, DD_ELIMIT, "entry %.160s: symlink target longer than %d bytes",
				  path, DD_LIMIT_PATH_BYTES);
	/* Symlinks are always kept: resolving /etc/os-release and friends
	 * needs them, and they are small. Count them against the kept total. */
	struct dd_layer_ent e = { .f = { .path = path, .mode = 0777, .size = tl,
					 .link = dd_arena_strndup(l->arena, target, tl) },
				  .type = DD_LENT_SYMLINK };
	if (!e.f.link)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	l->kept_bytes += tl;
	return put_ent_seen(l, &e, fresh, err);
}

dd_code dd_layer_add_dir(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
			 uint32_t mode, struct dd_err *err)
{
	dd_code rc;
	bool fresh;
	if ((rc = count_entry(l, err)) || (rc = note_seen(l, path, true, &fresh, err)))
		return rc;
	uint32_t tag = wants_path(o, path);
	if (!tag)
		return gone_seen(l, path, fresh, err);
	struct dd_layer_ent e = { .f = { .path = path, .mode = mode, .tag = tag }, .type = DD_LENT_DIR };
	return put_ent_seen(l, &e, fresh, err);
}

dd_code dd_layer_add_other(struct dd_layer *l, const char *path, struct dd_err *err)
{
	dd_code rc;
	bool fresh;
	if ((rc = count_entry(l, err)) || (rc = note_seen(l, path, false, &fresh, err)))
		return rc;
	return gone_seen(l, path, fresh, err);
}

static dd_code push_str(struct dd_layer *l, const char ***arr, size_t *n, size_t *cap,
			const char *s, struct dd_err *err)
{
	if (dd_grow(arr, cap, *n + 1, sizeof **arr))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	const char *c = dd_arena_strdup(l->arena, s);
	if (!c)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	(*arr)[(*n)++] = c;
	return DD_OK;
}

dd_code dd_layer_add_whiteout(struct dd_layer *l, const char *path, struct dd_err *err)
{
	dd_code rc = count_entry(l, err);
	if (rc)
		return rc;
	return push_str(l, &l->whiteouts, &l->nwh, &l->whcap, path, err);
}

dd_code dd_layer_add_opaque(struct dd_layer *l, const char *dir, struct dd_err *err)
{
	dd_code rc = count_entry(l, err);
	if (rc)
		return rc;
	return push_str(l, &l->opaques, &l->nopq, &l->opqcap, dir, err);
}

/* ---- the decompressing stream ---------------------------------------------- */

#define IN_CHUNK (256u << 10)
#define OUT_CHUNK (256u << 10)

enum codec { CODEC_UNKNOWN, CODEC_NONE, CODEC_GZIP, CODEC_ZSTD };

struct zin {
	struct dd_blob_stream *in;
	struct dd_sha256 csha, usha;
	bool csha_on, usha_on;
	unsigned char *inbuf, *outbuf;
	const unsigned char *indata;   /* inbuf, or a block the stream lent us */
	const unsigned char *out;      /* the current output chunk */
	size_t inpos, inlen;
	bool in_eof;
	enum codec codec;
	struct inflate_state *gz;
	bool gz_done;                  /* a gzip member ended */
	ZSTD_DStream *zs;
	size_t zs_last;                /* last ZSTD_decompressStream hint */
	uint64_t csize, usize;
	bool out_eof;
	const struct dd_image_limits *lim;
	uint64_t max_bytes;            /* per layer, or per archive for outer streams */
	_Atomic uint64_t *image_total;
	struct dd_err *err;            /* first error of the stream */
	dd_code rc;
};

static dd_code fill_in(struct zin *z)
{
	if (z->inpos < z->inlen || z->in_eof)
		return DD_OK;
	z->inpos = z->inlen = 0;
	if (z->in->next) {
		/* Zero-copy: the stream lends its own buffer until the next call. */
		const void *b;
		size_t n = 0;
		dd_code rc = z->in->next(z->in->ud, &b, &n, z->err);
		if (rc)
			return rc;
		if (!n) {
			z->in_eof = true;
			return DD_OK;
		}
		z->indata = b;
		z->inlen = n;
	} else {
		ssize_t r = z->in->read(z->in->ud, z->inbuf, IN_CHUNK, z->err);
		if (r < 0)
			return z->err->code ? z->err->code : dd_err_set(z->err, DD_EIO, "read failed");
		if (r == 0) {
			z->in_eof = true;
			return DD_OK;
		}
		z->indata = z->inbuf;
		z->inlen = (size_t)r;
	}
	z->csize += (uint64_t)z->inlen;
	if (z->csha_on)
		dd_sha256_update(&z->csha, z->indata, z->inlen);
	return DD_OK;
}

static dd_code pick_codec(struct zin *z)
{
	/* Gather up to 4 bytes for the magic (a hostile stream may dribble). */
	dd_code rc = fill_in(z);
	if (rc)
		return rc;
	const unsigned char *p = z->indata + z->inpos;
	size_t n = z->inlen - z->inpos;
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		z->codec = CODEC_GZIP;
		z->gz = dd_malloc(sizeof *z->gz);
		if (!z->gz)
			return dd_err_set(z->err, DD_ENOMEM, "out of memory for the gzip decoder");
		isal_inflate_init(z->gz);
		z->gz->crc_flag = ISAL_GZIP;
	} else if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) {
		z->codec = CODEC_ZSTD;
		z->zs = ZSTD_createDStream();
		if (!z->zs)
			return dd_err_set(z->err, DD_ENOMEM, "out of memory for the zstd decoder");
		/* Bound the window (memory) a frame may demand: 2^25 = 32 MiB
		 * covers every level without --long. */
		ZSTD_DCtx_setParameter(z->zs, ZSTD_d_windowLogMax, 25);
	} else if (n >= 3 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h') {
		return dd_err_set(z->err, DD_EUNSUPPORTED, "bzip2-compressed layer");
	} else if (n >= 6 && p[0] == 0xfd && !memcmp(p + 1, "7zXZ", 4)) {
		return dd_err_set(z->err, DD_EUNSUPPORTED, "xz-compressed layer");
	} else {
		z->codec = CODEC_NONE;
	}
	return DD_OK;
}

static dd_code account(struct zin *z, size_t n)
{
	z->usize += n;
	/* A plain tar is its own blob: one hash serves as both digests. */
	if (z->usha_on && z->codec != CODEC_NONE)
		dd_sha256_update(&z->usha, z->out, n);
	if (z->usize > z->max_bytes)
		return dd_err_set(z->err, DD_ELIMIT,
				  "decompresses to more than %llu bytes (the limit)",
				  (unsigned long long)z->max_bytes);
	if (z->codec != CODEC_NONE && z->usize > z->lim->ratio_slack &&
	    z->usize / z->lim->ratio > z->csize)
		return dd_err_set(z->err, DD_ELIMIT,
				  "decompression bomb: %llu bytes from %llu stored, more than %llu:1",
				  (unsigned long long)z->usize, (unsigned long long)z->csize,
				  (unsigned long long)z->lim->ratio);
	if (z->image_total && atomic_fetch_add(z->image_total, n) + n > z->lim->image_bytes)
		return dd_err_set(z->err, DD_ELIMIT,
				  "the image decompresses to more than %llu bytes in total",
				  (unsigned long long)z->lim->image_bytes);
	return DD_OK;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Produces the next chunk of the uncompressed stream into outbuf; returns
 * its length, 0 at the end. */
static dd_code next_out(struct zin *z, size_t *outn)
{
	*outn = 0;
	dd_code rc;
	if (z->out_eof)
		return DD_OK;
	if (z->codec == CODEC_UNKNOWN && (rc = pick_codec(z)))
		return rc;
	for (;;) {
		if ((rc = fill_in(z)))
			return rc;
		unsigned char *p = (unsigned char *)z->indata + z->inpos;
		size_t n = z->inlen - z->inpos;
		if (z->codec == CODEC_NONE) {
			if (!n) {
				z->out_eof = true;
				return DD_OK;
			}
			size_t take = n < OUT_CHUNK ? n : OUT_CHUNK;
			z->out = p; /* no copy */
			z->inpos += take;
			*outn = take;
			return account(z, take);
		}
		if (z->codec == CODEC_GZIP) {
			if (z->gz_done) {
				/* After a member: another member (RFC 1952 allows
				 * several), zero padding, or the end. */
				if (!n) {
					z->out_eof = true;
					return DD_OK;
				}
				if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
					isal_inflate_reset(z->gz);
					z->gz->crc_flag = ISAL_GZIP;
					z->gz_done = false;
				} else if (all_zero(p, n)) {
					z->inpos = z->inlen;
					continue;
				} else {
					return dd_err_set(z->err, DD_EINVAL,
							  "corrupt gzip stream: %zu bytes of garbage after the end at stored offset %llu",
							  n, (unsigned long long)(z->csize - n));
				}
			}
			if (!n && z->in_eof)
				return dd_err_set(z->err, DD_EINVAL,
						  "truncated gzip stream: ends after %llu stored bytes",
						  (unsigned long long)z->csize);
			z->gz->next_in = p;
			z->gz->avail_in = (uint32_t)n;
			z->gz->next_out = z->outbuf;
			z->out = z->outbuf;
			z->gz->avail_out = OUT_CHUNK;
			int r = isal_inflate(z->gz);
			if (r < 0)
				return dd_err_set(z->err, DD_EINVAL,
						  "corrupt gzip stream near stored offset %llu (igzip error %d)",
						  (unsigned long long)(z->csize - z->gz->avail_in), r);
			z->inpos = z->inlen - z->gz->avail_in;
			size_t got = OUT_CHUNK - z->gz->avail_out;
			if (z->gz->block_state == ISAL_BLOCK_FINISH)
				z->gz_done = true;
			if (got) {
				*outn = got;
				return account(z, got);
			}
			continue;
		}
		/* zstd */
		if (!n && z->zs_last == 0) {
			z->out_eof = true; /* every frame ended, no input left */
			return DD_OK;
		}
		ZSTD_inBuffer ib = { p, n, 0 };
		ZSTD_outBuffer ob = { z->outbuf, OUT_CHUNK, 0 };
		z->out = z->outbuf;
		size_t r = ZSTD_decompressStream(z->zs, &ob, &ib);
		if (ZSTD_isError(r))
			return dd_err_set(z->err, DD_EINVAL, "corrupt zstd stream near stored offset %llu: %s",
					  (unsigned long long)(z->csize - n + ib.pos), ZSTD_getErrorName(r));
		z->zs_last = r;
		z->inpos += ib.pos;
		if (ob.pos) {
			*outn = ob.pos;
			return account(z, ob.pos);
		}
		if (!n)
			return dd_err_set(z->err, DD_EINVAL,
					  "truncated zstd stream: ends after %llu stored bytes",
					  (unsigned long long)z->csize);
	}
}

static la_ssize_t la_read(struct archive *a, void *ud, const void **buf)
{
	struct zin *z = ud;
	size_t n = 0;
	if (z->rc)
		return -1;
	z->rc = next_out(z, &n);
	if (z->rc) {
		archive_set_error(a, EIO, "%s", z->err->msg);
		return -1;
	}
	*buf = z->out;
	return (la_ssize_t)n;
}

struct ent_reader {
	struct archive *a;
	struct zin *z;
};

static ssize_t ent_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	struct ent_reader *r = ud;
	la_ssize_t got = archive_read_data(r->a, buf, n);
	if (got < 0) {
		if (r->z->rc)
			dd_err_set(err, r->z->rc, "%s", r->z->err->msg);
		else
			dd_err_set(err, DD_EINVAL, "%s", archive_error_string(r->a) ? archive_error_string(r->a) : "tar read error");
		return -1;
	}
	return got;
}

/* A name as the tar stores it. A ustar name is kept as raw bytes, which the
 * "mbs" getter returns as they are, while the UTF-8 getter converts them
 * through the C locale (mbrtowc and iconv on every entry: 15 % of a whole
 * scan's time); a pax name is stored as UTF-8, which the "mbs" getter can
 * turn into the C locale only when it is ASCII, and else the UTF-8 getter
 * returns it unconverted. Raw non-ASCII bytes come back raw either way. */
static const char *entry_name(struct archive_entry *e, const char *(*utf8)(struct archive_entry *),
			      const char *(*mbs)(struct archive_entry *))
{
	const char *s = mbs(e);
	return s ? s : utf8(e);
}

/* Splits a canonical path at its last '/'. */
static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static dd_code walk_entry(struct dd_layer *l, const struct dd_layer_opts *o, struct archive *a,
			  struct zin *z, struct archive_entry *e, struct dd_err *err)
{
	const char *raw = entry_name(e, archive_entry_pathname_utf8, archive_entry_pathname);
	if (!raw)
		return dd_err_set(err, DD_EINVAL, "tar header of entry %llu: no name (damaged?)",
				  (unsigned long long)l->nentries + 1);
	size_t rawlen = strlen(raw);
	if (rawlen > DD_LIMIT_PATH_BYTES)
		return dd_err_set(err, DD_ELIMIT, "entry %.80s...: name longer than %d bytes", raw,
				  DD_LIMIT_PATH_BYTES);
	char path[DD_LIMIT_PATH_BYTES + 1];
	dd_code rc = dd_path_clean(raw, rawlen, path, sizeof path, NULL, err);
	if (rc)
		return dd_err_prefix(err, "entry %.160s: ", raw);
	if (raw[0] == '/' || dd_path_escapes(raw, rawlen))
		dd_layer_warnf(l, o, "entry %.160s: name leaves the image root; read as /%.160s", raw, path);
	if (!path[0])
		return count_entry(l, err); /* the root directory itself */
	const char *base = base_of(path);
	if (!strncmp(base, ".wh.", 4)) {
		char dir[DD_LIMIT_PATH_BYTES + 1];
		size_t dl = (size_t)(base - path);
		memcpy(dir, path, dl);
		dir[dl ? dl - 1 : 0] = '\0';
		if (!strcmp(base, ".wh..wh..opq"))
			return dd_layer_add_opaque(l, dir, err);
		if (!strncmp(base, ".wh..wh.", 8))
			return count_entry(l, err); /* aufs hard-link bookkeeping */
		if (!base[4] || !strcmp(base + 4, ".") || !strcmp(base + 4, ".."))
			return dd_err_set(err, DD_EINVAL, "entry %.160s: whiteout of nothing", path);
		/* path minus the 4 bytes of ".wh.": always fits. */
		char target[DD_LIMIT_PATH_BYTES + 1];
		size_t bl = strlen(base + 4);
		memcpy(target, path, dl);
		memcpy(target + dl, base + 4, bl + 1);
		return dd_layer_add_whiteout(l, target, err);
	}
	const char *hard = entry_name(e, archive_entry_hardlink_utf8, archive_entry_hardlink);
	if (hard) {
		char tgt[DD_LIMIT_PATH_BYTES + 1];
		if ((rc = dd_path_clean(hard, strlen(hard), tgt, sizeof tgt, NULL, err)))
			return dd_err_prefix(err, "entry %.160s: hard link target: ", path);
		/* A tar hard link names an entry earlier in the same archive
		 * (GNU tar manual, "Hard Links"); docker also accepts a target in
		 * a lower layer, so an unknown target is checked at the merge. */
		int has = dd_layer_has(l, tgt, strlen(tgt));
		if (has == 2)
			return dd_err_set(err, DD_EINVAL, "entry %.160s: hard link to directory %.160s",
					  path, tgt);
		if (has == 0) {
			if ((rc = count_entry(l, err)) ||
			    (rc = dd_layer_seen_add(l, seen_key(path, strlen(path), false), err)))
				return rc;
			if ((rc = charge_kept(o, path, strlen(path) + strlen(tgt), err)))
				return rc;
			struct dd_layer_ent ne = {
				.f = { .path = path, .mode = archive_entry_perm(e),
				       .link = dd_arena_strdup(l->arena, tgt) },
				.type = wants_path(o, path) ? DD_LENT_HLINK : DD_LENT_HLINK_CHECK,
			};
			if (!ne.f.link)
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			return put_ent(l, &ne, err);
		}
		if ((rc = count_entry(l, err)) ||
		    (rc = dd_layer_seen_add(l, seen_key(path, strlen(path), false), err)))
			return rc;
		struct dd_layer_ent *t = find_ent(l, tgt);
		if (t && t->type == DD_LENT_REG) {
			struct dd_layer_ent copy = *t;
			copy.f.path = path;
			return put_ent(l, &copy, err);
		}
		if (wants_path(o, path)) {
			/* The content went by unkept under the first name. */
			dd_layer_warnf(l, o, "entry %.160s: hard link to %.160s, whose content was not kept", path, tgt);
			struct dd_layer_ent ne = { .f = { .path = path, .mode = archive_entry_perm(e) },
						   .type = DD_LENT_REG };
			return put_ent(l, &ne, err);
		}
		return gone(l, path, err);
	}
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: {
		la_int64_t sz = archive_entry_size(e);
		if (sz < 0)
			return dd_err_set(err, DD_EINVAL, "entry %.160s: negative size", path);
		struct ent_reader r = { a, z };
		struct dd_layer_reader rd = { .read = ent_read, .ud = &r };
		return dd_layer_add_file(l, o, path, archive_entry_perm(e), (uint64_t)sz, &rd, err);
	}
	case AE_IFLNK: {
		const char *t = entry_name(e, archive_entry_symlink_utf8, archive_entry_symlink);
		return dd_layer_add_symlink(l, path, t ? t : "", err);
	}
	case AE_IFDIR:
		return dd_layer_add_dir(l, o, path, archive_entry_perm(e), err);
	default:
		return dd_layer_add_other(l, path, err);
	}
}

/* Reads the rest of the stream so that both digests cover every byte. */
static dd_code drain(struct zin *z)
{
	size_t n;
	do {
		dd_code rc = next_out(z, &n);
		if (rc)
			return rc;
	} while (n);
	/* The decompressor may stop before the stored stream does. */
	while (!z->in_eof) {
		z->inpos = z->inlen;
		dd_code rc = fill_in(z);
		if (rc)
			return rc;
		if (z->inlen && !all_zero(z->indata, z->inlen))
			return dd_err_set(z->err, DD_EINVAL, "garbage after the end of the compressed stream");
	}
	return DD_OK;
}

/* After a decoding error: when the manifest gives the blob's digest, hash
 * the rest of the stored bytes; a blob that is not what the manifest says
 * is the better explanation of a damaged stream. */
static dd_code blob_check_after_error(struct zin *z, const char *expect, struct dd_err *err)
{
	if (!expect || !z->csha_on)
		return DD_OK;
	struct dd_err e2;
	z->err = &e2;
	while (!z->in_eof) {
		z->inpos = z->inlen;
		if (fill_in(z))
			return DD_OK;
	}
	char got[DD_DIGEST_STR];
	dd_sha256_final(&z->csha, got);
	z->csha_on = false;
	if (strcmp(got, expect) != 0)
		return dd_err_set(err, DD_EDIGEST, "blob digest mismatch: the manifest says %s, the content hashes to %s",
				  expect, got);
	return DD_OK;
}

dd_code dd_layer_read_blob(struct dd_blob_stream *in, const struct dd_layer_opts *o,
			   struct dd_layer **out, struct dd_err *err)
{
	*out = NULL;
	struct dd_err zerr;
	dd_err_clear(&zerr);
	struct zin z = { .in = in, .lim = dd_image_limits_get(), .image_total = o->image_total,
			 .err = &zerr };
	z.max_bytes = z.lim->layer_bytes;
	struct archive *a = NULL;
	struct dd_layer *l = dd_layer_new();
	dd_code rc = DD_OK;
	z.inbuf = dd_malloc(IN_CHUNK);
	z.indata = z.inbuf;
	z.outbuf = dd_malloc(OUT_CHUNK);
	if (!l || !z.inbuf || !z.outbuf) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = dd_sha256_init(&z.csha, err)))
		goto done;
	z.csha_on = true;
	if ((rc = dd_sha256_init(&z.usha, err)))
		goto done;
	z.usha_on = true;
	a = archive_read_new();
	if (!a) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory for the tar reader");
		goto done;
	}
	archive_read_support_format_tar(a);
	if (archive_read_open(a, &z, NULL, la_read, NULL) != ARCHIVE_OK) {
		if (!z.rc && z.out_eof && z.usize == 0)
			goto verify; /* zero bytes: an empty layer, as Go's archive/tar reads it */
		rc = z.rc ? dd_err_set(err, z.rc, "%s", zerr.msg)
			  : dd_err_set(err, DD_EINVAL, "not a tar archive: %s",
				       archive_error_string(a) ? archive_error_string(a) : "?");
		goto verify;
	}
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		/* ARCHIVE_RETRY is libarchive skipping a damaged header to look
		 * for the next good one: for us, a damaged layer. */
		if (r < ARCHIVE_WARN) {
			if (z.rc)
				rc = dd_err_set(err, z.rc, "%s", zerr.msg);
			else if (l->nentries == 0 && z.usize == 0)
				break; /* zero bytes: an empty layer, as Go's archive/tar reads it */
			else
				rc = dd_err_set(err, DD_EINVAL, "tar header after entry %llu: %s",
						(unsigned long long)l->nentries,
						archive_error_string(a) ? archive_error_string(a) : "damaged");
			goto verify;
		}
		if ((rc = walk_entry(l, o, a, &z, e, err)))
			goto verify;
	}
verify:
	/* Even after a tar error, finish the stream when we can: a digest
	 * mismatch explains a damaged tar better than the tar error does. */
	if (z.rc) {
		if (!rc)
			rc = dd_err_set(err, z.rc, "%s", zerr.msg);
		if (z.rc == DD_EINVAL)
			blob_check_after_error(&z, o->expect_blob, err) ? rc = DD_EDIGEST : 0;
		goto done;
	}
	if (rc && rc != DD_EINVAL)
		goto done;
	dd_code drc = drain(&z);
	if (drc) {
		if (!rc)
			rc = dd_err_set(err, drc, "%s", zerr.msg);
		if (drc == DD_EINVAL && blob_check_after_error(&z, o->expect_blob, err))
			rc = DD_EDIGEST;
		goto done;
	}
	dd_sha256_final(&z.csha, l->blob_digest);
	z.csha_on = false;
	if (z.codec == CODEC_NONE)
		memcpy(l->diff_id, l->blob_digest, sizeof l->diff_id);
	else
		dd_sha256_final(&z.usha, l->diff_id);
	if (z.usha_on)
		dd_sha256_release(&z.usha);
	z.usha_on = false;
	l->csize = z.csize;
	l->usize = z.usize;
	l->compression = z.codec == CODEC_GZIP ? "gzip" : z.codec == CODEC_ZSTD ? "zstd" : "none";
	if (o->expect_blob && strcmp(o->expect_blob, l->blob_digest) != 0)
		rc = dd_err_set(err, DD_EDIGEST, "blob digest mismatch: the manifest says %s, the content hashes to %s",
				o->expect_blob, l->blob_digest);
	else if (o->expect_size && o->expect_size != l->csize)
		rc = dd_err_set(err, DD_EDIGEST, "blob size mismatch: the manifest says %llu bytes, read %llu",
				(unsigned long long)o->expect_size, (unsigned long long)l->csize);
	else if (o->expect_diff && strcmp(o->expect_diff, l->diff_id) != 0)
		rc = dd_err_set(err, DD_EDIGEST, "diff_id mismatch: the config says %s, the uncompressed tar hashes to %s",
				o->expect_diff, l->diff_id);
done:
	if (a)
		archive_read_free(a);
	if (z.csha_on)
		dd_sha256_release(&z.csha);
	if (z.usha_on)
		dd_sha256_release(&z.usha);
	free(z.gz);
	ZSTD_freeDStream(z.zs);
	free(z.inbuf);
	free(z.outbuf);
	if (!rc)
		rc = dd_layer_finish(l, o, err);
	if (rc) {
		dd_layer_free(l);
		return rc;
	}
	*out = l;
	return DD_OK;
}

/* ---- a decompressing stream for outer archives ------------------------------ */

/* In threaded mode a second thread decompresses ahead into a small ring of
 * chunks while the caller walks the archive and its layers: on two cores
 * the outer inflate overlaps the layer hashing and tar walk. */
#define RING 8

struct dd_zstream {
	struct zin z;
	struct dd_err err;
	bool threaded, started;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_get;
	unsigned char *ring[RING];
	size_t len[RING];
	unsigned head, count;
	bool held;                 /* the caller holds ring[head] */
	bool done, stop;
	dd_code rc;
	unsigned char *own_outbuf;
};

static void *producer(void *arg)
{
	struct dd_zstream *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->count == RING && !s->stop)
			pthread_cond_wait(&s->can_put, &s->mu);
		if (s->stop) {
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		/* The slot past the queued ones is ours until published. */
		unsigned slot = (s->head + s->count) % RING;
		pthread_mutex_unlock(&s->mu);
		size_t n = 0;
		s->z.outbuf = s->ring[slot]; /* inflate straight into the ring */
		dd_code rc = next_out(&s->z, &n);
		if (!rc && n && s->z.out != s->ring[slot])
			memcpy(s->ring[slot], s->z.out, n); /* a plain stream lends input */
		pthread_mutex_lock(&s->mu);
		if (rc || !n) {
			s->rc = rc;
			s->done = true;
			pthread_cond_signal(&s->can_get);
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		s->len[slot] = n;
		s->count++;
		pthread_cond_signal(&s->can_get);
		pthread_mutex_unlock(&s->mu);
	}
}

dd_code dd_zstream_open(struct dd_blob_stream *in, bool threaded, struct dd_zstream **out,
			struct dd_err *err)
{
	struct dd_zstream *s = dd_calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	s->z.in = in;
	s->z.lim = dd_image_limits_get();
	s->z.max_bytes = s->z.lim->image_bytes;
	s->z.err = &s->err;
	s->z.inbuf = dd_malloc(IN_CHUNK);
	s->z.outbuf = s->own_outbuf = dd_malloc(OUT_CHUNK);
	s->z.indata = s->z.inbuf;
	if (!s->z.inbuf || !s->z.outbuf) {
		dd_zstream_close(s);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	if (threaded) {
		for (unsigned i = 0; i < RING; i++) {
			s->ring[i] = dd_malloc(OUT_CHUNK);
			if (!s->ring[i]) {
				dd_zstream_close(s);
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			}
		}
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->can_put, NULL);
		pthread_cond_init(&s->can_get, NULL);
		s->threaded = true;
		/* Without a thread, fall back to decompressing inline. */
		s->started = pthread_create(&s->th, NULL, producer, s) == 0;
	}
	*out = s;
	return DD_OK;
}

dd_code dd_zstream_next(struct dd_zstream *s, const void **buf, size_t *n, struct dd_err *err)
{
	if (!s->started) {
		dd_code rc = next_out(&s->z, n);
		if (rc)
			return dd_err_set(err, rc, "%s", s->err.msg);
		*buf = s->z.out;
		return DD_OK;
	}
	pthread_mutex_lock(&s->mu);
	if (s->held) {
		s->held = false;
		s->head = (s->head + 1) % RING;
		s->count--;
		pthread_cond_signal(&s->can_put);
	}
	while (!s->count && !s->done)
		pthread_cond_wait(&s->can_get, &s->mu);
	dd_code rc = DD_OK;
	*n = 0;
	if (s->count) {
		*buf = s->ring[s->head];
		*n = s->len[s->head];
		s->held = true;
	} else if (s->rc) {
		rc = dd_err_set(err, s->rc, "%s", s->err.msg);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

const char *dd_zstream_codec(const struct dd_zstream *s)
{
	switch (s->z.codec) {
	case CODEC_GZIP: return "gzip";
	case CODEC_ZSTD: return "zstd";
	default: return "none";
	}
}

void dd_zstream_close(struct dd_zstream *s)
{
	if (!s)
		return;
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_signal(&s->can_put);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->th, NULL);
	}
	if (s->threaded) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->can_put);
		pthread_cond_destroy(&s->can_get);
	}
	for (unsigned i = 0; i < RING; i++)
		free(s->ring[i]);
	free(s->z.gz);
	ZSTD_freeDStream(s->z.zs);
	free(s->z.inbuf);
	free(s->own_outbuf);
	free(s);
}
