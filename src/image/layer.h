/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One layer, read: the kept entries (wanted files with content, every
 * symlink, wanted directories), the whiteouts and opaque markers, and a set
 * of the hashes of every path the layer has (so the merge can tell that a
 * non-kept file in this layer shadows a kept one below). This is both the
 * result of streaming a layer blob and what the layer cache stores; merging
 * results into a struct dd_fs is done in image.c, in layer order.
 *
 * dd_layer_read_blob decompresses (gzip with ISA-L igzip, zstd, or plain,
 * chosen by magic bytes), hashes both the stored and the uncompressed bytes
 * and walks the tar with libarchive fed through read callbacks. Each call
 * is independent, so layers are read on several threads at once.
 */
#ifndef DD_LAYER_H
#define DD_LAYER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "image/source.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/map.h"

/* HLINK*: a hard link whose target is not in this layer (docker applies
 * such links against the lower layers); the merge checks the target and,
 * for HLINK (a wanted name), takes its content. link holds the target. */
enum dd_layer_ent_type {
	DD_LENT_REG, DD_LENT_SYMLINK, DD_LENT_DIR, DD_LENT_GONE, DD_LENT_HLINK, DD_LENT_HLINK_CHECK
};

/* f holds path (canonical), link (symlink or hard-link target as stored),
 * data (NULL when not kept), size (the real size; data holds it when kept),
 * mode and tag (the wants callback's answer); the merge sets its type,
 * layer and lower and puts f itself into the view, which then owns the
 * array (one record per kept file, not a layer entry and a copy). */
struct dd_layer_ent {
	struct dd_fs_file f;
	enum dd_layer_ent_type type;
	uint32_t job; /* while building: the helper's job that fills f.data, or 0 */
};

struct dd_layer {
	struct dd_arena *arena;      /* paths, links and contents */
	struct dd_layer_ent *ents;
	size_t nents, cap;
	const char **whiteouts;      /* paths to delete from lower layers */
	size_t nwh, whcap;
	const char **opaques;        /* directories made opaque */
	size_t nopq, opqcap;
	uint64_t *seen;              /* hash set of every path; 0 = empty slot */
	size_t seen_cap, nseen;
	uint64_t nentries;           /* tar entries */
	uint64_t usize, csize;       /* uncompressed / stored bytes */
	uint64_t kept_bytes;
	char diff_id[DD_DIGEST_STR];     /* sha256 of the tar, "" for dir: */
	char blob_digest[DD_DIGEST_STR]; /* sha256 of the stored bytes */
	const char *compression;     /* "gzip", "zstd", "none" (static) */
	bool from_cache;
	unsigned warnings;           /* rate limit for per-entry warnings */
	struct dd_map index;         /* path -> ents index + 1, while building */
	bool indexed;                /* index built (on the first repeated path) */
	unsigned char *scratch;      /* a file being reduced (wants->reduce), whole */
	size_t scratch_cap;
	struct layer_helper *helper; /* the second thread, while building */
};

/* Limits for one image read. Defaults come from util/limits.h; tests lower
 * them to exercise every limit without writing gigabytes. */
struct dd_image_limits {
	uint64_t layer_bytes, image_bytes, ratio, ratio_slack, entries;
	uint64_t kept_file, kept_total;
};
const struct dd_image_limits *dd_image_limits_get(void);
/* Tests only: replaces the limits (NULL restores the defaults). Not
 * thread-safe; call before opening images. */
void dd_image_limits_set(const struct dd_image_limits *l);

struct dd_layer_opts {
	const struct dd_fs_wants *wants;
	const char *expect_blob;      /* digest the manifest gives, or NULL */
	uint64_t expect_size;         /* stored size from the manifest, 0 = unknown */
	const char *expect_diff;      /* diff_id from the config, or NULL */
	_Atomic uint64_t *kept_total; /* shared by every layer of the image */
	_Atomic uint64_t *image_total;
	/* Warnings, already prefixed by the caller's context; thread-safe. */
	void (*warn)(void *ud, const char *msg);
	void *warn_ud;
	/* Reduce wanted files on a second thread of the layer's own while it
	 * goes on reading (dd_layer_finish waits for it), so that on a
	 * machine with a core to spare the catalogers' share of a scan costs
	 * little time: in a dir: layer every file a cataloger may want
	 * (dd_layer_add_file_later), in an archive the files wanted by path
	 * and reduced. false: each on the reading thread, in turn. */
	bool helper;
};

struct dd_layer *dd_layer_new(void);
void dd_layer_free(struct dd_layer *l);

/* Reads a layer blob to its end. Errors say "entry PATH: ..." or
 * "blob/diff_id mismatch ..."; the caller puts image and layer in front.
 * Always consumes (but does not close) the stream. */
dd_code dd_layer_read_blob(struct dd_blob_stream *in, const struct dd_layer_opts *o,
			   struct dd_layer **out, struct dd_err *err);

/* Decompression by magic bytes, for outer archives (a gzipped
 * docker-archive). Limits: the image total and the ratio. threaded: a
 * thread decompresses ahead of the reader (the stream's read must then be
 * safe to call from that thread, as file reads are). */
struct dd_zstream;
dd_code dd_zstream_open(struct dd_blob_stream *in, bool threaded, struct dd_zstream **out,
			struct dd_err *err);
/* The next chunk (borrowed until the next call); *n == 0 at the end. */
dd_code dd_zstream_next(struct dd_zstream *z, const void **buf, size_t *n, struct dd_err *err);
const char *dd_zstream_codec(const struct dd_zstream *z);
void dd_zstream_close(struct dd_zstream *z);

/* How dd_layer_add_file reads a file: read gives the next bytes, 0 at the
 * end, -1 on error (with err set). pread, when not NULL, reads n bytes at
 * off the same way: a source with random access (dir:) gives it, and a
 * file the magic accepts is then read only where its reducer looks (an
 * ELF program's section headers and a section, not its code). */
struct dd_layer_reader {
	ssize_t (*read)(void *ud, void *buf, size_t n, struct dd_err *err);
	ssize_t (*pread)(void *ud, void *buf, size_t n, uint64_t off, struct dd_err *err);
	void *ud;
};

/* Building by hand (the dir: source, tests). Paths are canonical. */
dd_code dd_layer_add_file(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
			  uint32_t mode, uint64_t size, const struct dd_layer_reader *rd,
			  struct dd_err *err);
dd_code dd_layer_add_symlink(struct dd_layer *l, const char *path, const char *target,
			     struct dd_err *err);
dd_code dd_layer_add_dir(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
			 uint32_t mode, struct dd_err *err);
/* How the helper thread opens a file again by its path (the dir:
 * source): a descriptor open for reading, or -1 with errno set. */
struct dd_layer_opener {
	int (*open)(void *ud, const char *path);
	void *ud;
};
/* A regular file of size bytes (as the caller saw it), to be opened with
 * op and read on the helper thread: what dd_layer_add_file does (wanted
 * by path, or sniffed by the magic, or not kept), but the opening, reading
 * and reducing cost the calling thread nothing. Only when dd_layer_defers. */
dd_code dd_layer_add_file_later(struct dd_layer *l, const struct dd_layer_opts *o, const char *path,
				uint32_t mode, uint64_t size, const struct dd_layer_opener *op,
				struct dd_err *err);
/* Whether this layer has a helper thread (o->helper, and it started). */
bool dd_layer_defers(struct dd_layer *l, const struct dd_layer_opts *o);
/* Whether a cataloger wants the file at path by its name alone, before
 * its mode, size or content are known: the dir: source opens such a file
 * first and asks its mode and size of the open file. */
bool dd_layer_wants_path(const struct dd_layer_opts *o, const char *path);
/* A warning on this layer (at most ten are passed on, the tenth says so). */
void dd_layer_warnf(struct dd_layer *l, const struct dd_layer_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Devices, fifos, sockets: present (they shadow lower files), never kept. */
dd_code dd_layer_add_other(struct dd_layer *l, const char *path, struct dd_err *err);
dd_code dd_layer_add_whiteout(struct dd_layer *l, const char *path, struct dd_err *err);
dd_code dd_layer_add_opaque(struct dd_layer *l, const char *dir, struct dd_err *err);
/* Ends building: waits for the helper thread and puts what it read in
 * place (its errors and warnings come out here, in the order of the
 * files), then drops the path index. On error the layer is only fit for
 * dd_layer_free. */
dd_code dd_layer_finish(struct dd_layer *l, const struct dd_layer_opts *o, struct dd_err *err);

/* 0: the layer has no entry at path; 1: a non-directory; 2: a directory. */
int dd_layer_has(const struct dd_layer *l, const char *path, size_t n);
dd_code dd_layer_seen_add(struct dd_layer *l, uint64_t key, struct dd_err *err);

/* Layer cache (layer_cache.c): one file per diff_id and wants fingerprint.
 * Load returns DD_ENOTFOUND when absent; a damaged file is a warning and
 * DD_ENOTFOUND, so the caller simply reads the layer again. */
dd_code dd_layer_cache_load(const char *cache_dir, const char *diff_id, const char *fingerprint,
			    struct dd_layer **out, char *warn, size_t warncap);
dd_code dd_layer_cache_store(const char *cache_dir, const char *diff_id, const char *fingerprint,
			     const struct dd_layer *l, struct dd_err *err);
/* Serialisation used by the cache (and the fuzz target). */
dd_code dd_layer_encode(const struct dd_layer *l, struct dd_buf *out, struct dd_err *err);
dd_code dd_layer_decode(const void *p, size_t n, struct dd_layer **out, struct dd_err *err);

/* Writes data to path atomically: temp file in the same dir + rename. */
dd_code dd_image_write_atomic(const char *path, const void *data, size_t n, struct dd_err *err);

#endif
