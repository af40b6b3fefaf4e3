/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image source plug-in: one file per transport (docker_archive.c,
 * oci_layout.c for oci: and oci-archive:, rootfs_dir.c, later registry.c)
 * behind the table in image.c. A source resolves the reference to a config
 * and a list of layers (struct dd_image_info) and hands out each layer as a
 * stream of its stored bytes; image.c does decompression, digest checks,
 * the tar walk, overlay and the layer cache, the same way for every source.
 *
 * A source gives layers one of three ways:
 *  - open_layer: random access, one stream per layer, called from several
 *    threads at once (OCI layout, uncompressed archives: seek, not read);
 *  - scan: one pass over a stream that cannot seek (a gzipped
 *    docker-archive), handing every candidate layer file to a sink in
 *    stored order; layer_name then maps layer i to the file that holds it;
 *  - walk: the dir: source builds the single layer itself.
 */
#ifndef DD_IMAGE_SOURCE_H
#define DD_IMAGE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "image/image.h"

struct dd_arena;
struct dd_layer;
struct dd_layer_opts;

/* A layer's stored bytes. read returns bytes read, 0 at the end, -1 on error
 * (with err set). close releases; it is called exactly once. */
struct dd_blob_stream {
	ssize_t (*read)(void *ud, void *buf, size_t n, struct dd_err *err);
	void (*close)(void *ud);
	void *ud;
	/* Optional zero-copy read: lends the next block (valid until the next
	 * call); *n == 0 at the end. Used instead of read when set. */
	dd_code (*next)(void *ud, const void **buf, size_t *n, struct dd_err *err);
};

/* Called by scan for each candidate layer file. Return DD_OK without
 * reading to skip it. */
typedef dd_code (*dd_blob_sink)(void *ud, const char *name, struct dd_blob_stream *s,
				struct dd_err *err);

struct dd_image_source {
	const char *transport;   /* "oci", "docker-archive", ... */
	/* For bare paths: can this source read it? NULL = never probed. */
	bool (*probe)(const char *path);
	/* Resolves `ref` (the part after "transport:"); fills *info (strings in
	 * arena) and *state. With `lazy`, a source whose metadata sits behind
	 * the layers (gzipped docker-archive) may leave info->nlayers at 0 and
	 * set *complete = false; scan then completes it. opts->cache_dir is
	 * already resolved (NULL: no cache). */
	dd_code (*open)(const char *ref, const struct dd_image_opts *opts, bool lazy,
			struct dd_arena *arena, struct dd_image_info *info, bool *complete,
			void **state, struct dd_err *err);
	dd_code (*open_layer)(void *state, unsigned i, struct dd_blob_stream *out, struct dd_err *err);
	/* When both open_layer and scan are set: may open_layer be used for
	 * this image? (A docker-archive is seekable unless compressed.) */
	bool (*seekable)(void *state);
	dd_code (*scan)(void *state, struct dd_arena *arena, struct dd_image_info *info,
			dd_blob_sink sink, void *ud, struct dd_err *err);
	const char *(*layer_name)(void *state, unsigned i);
	dd_code (*walk)(void *state, const struct dd_layer_opts *o, struct dd_layer **out,
			struct dd_err *err);
	void (*close)(void *state);
};

extern const struct dd_image_source dd_source_docker_archive;
extern const struct dd_image_source dd_source_oci;
extern const struct dd_image_source dd_source_oci_archive;
extern const struct dd_image_source dd_source_dir;
extern const struct dd_image_source dd_source_registry; /* registry_source.c */
extern const struct dd_image_source dd_source_docker;   /* docker://REF, the same */

/* Helpers shared by sources (image.c). */
/* A stream over bytes [off, off+len) of fd, read with pread; fd stays the
 * caller's. */
dd_code dd_blob_stream_range(int fd, off_t off, uint64_t len, struct dd_blob_stream *out,
			     struct dd_err *err);
/* A stream over bytes in memory: p[0..n) and *m (the stream's state) must
 * outlive it; close does nothing. For small archive members kept in memory,
 * tests and fuzz targets. */
struct dd_blob_mem {
	const unsigned char *p;
	size_t n, off;
};
void dd_blob_stream_mem(struct dd_blob_mem *m, const void *p, size_t n,
			struct dd_blob_stream *out);
/* A dd_tar_pread (tar_index.h) over a struct dd_blob_mem (its off unused). */
ssize_t dd_blob_mem_pread(void *ud, void *buf, size_t n, uint64_t off);
/* A stream over a whole file opened with O_NOFOLLOW (dirfd may be AT_FDCWD). */
dd_code dd_blob_stream_file(int dirfd, const char *path, struct dd_blob_stream *out,
			    uint64_t *size, struct dd_err *err);

#endif
