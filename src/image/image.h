/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image sources. An image reference names its transport the way skopeo does
 * (docker-archive:PATH, oci:DIR[:TAG|@DIGEST], oci-archive:PATH[:TAG],
 * dir:ROOTFS); a bare path is probed. Each transport is one file behind the
 * source table in image.c (source.h).
 *
 * dd_image_open reads the manifest and config only; dd_image_load_fs streams
 * the layers (in parallel, verifying every digest the format gives), applies
 * them with overlay semantics and keeps the files `wants` selects. Layers
 * already in the layer cache (opts->cache_dir) are not read at all.
 * Thread-safety: one image per thread; load_fs starts its own threads.
 */
#ifndef DD_IMAGE_H
#define DD_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/sbom.h"
#include "image/fs.h"
#include "util/bytes.h"

struct dd_image;

/* What the catalogers want kept. Both callbacks may run on several threads
 * at once and must be pure. Each returns 0 for "not wanted", else a tag of
 * the caller's (sbom_build.c: the set of catalogers that want the file),
 * which the kept file carries as dd_fs_file.tag. `fingerprint` identifies
 * the set of wants (the cataloger names and versions): it is part of the
 * layer-cache key, so two different want sets must never share a
 * fingerprint; without one the layer cache is not used. */
struct dd_fs_wants {
	uint32_t (*path)(void *ud, const char *path, size_t len);
	uint32_t (*magic)(void *ud, const unsigned char *head, size_t n); /* may be NULL */
	/* May be NULL (every file): whether magic is to see the first bytes of
	 * a file not wanted by path, given its canonical path and mode. */
	bool (*sniffs)(void *ud, const char *path, size_t len, uint32_t mode);
	void *ud;
	const char *fingerprint;
	/* May be NULL: given a file, what to keep instead (dd_catalog_reduce).
	 * Asked of every file the magic accepted and of the files wanted by
	 * path whose tag `reduces` accepts (none when it is NULL); tag is what
	 * path or magic returned, by_magic which of them, path the file's
	 * canonical path. A file wanted by path comes whole (b->d); one the
	 * magic accepted may come as a fetch, where the source can read
	 * ranges (dir:). *out NULL drops the file, *out == b->d keeps it
	 * whole, else *out is *outlen bytes in a. Runs on the layer threads,
	 * like path and magic. */
	dd_code (*reduce)(void *ud, uint32_t tag, bool by_magic, const char *path,
			  const struct dd_bytes *b, struct dd_arena *a,
			  const unsigned char **out, size_t *outlen, struct dd_err *err);
	bool (*reduces)(void *ud, uint32_t tag);
};

/* Opens IMAGE. Errors name the image: "docker-archive:x.tar: manifest.json:
 * ...". On DD_OK *out is the caller's (dd_image_close). */
dd_code dd_image_open(const char *ref, const struct dd_image_opts *opts,
		      struct dd_image **out, struct dd_err *err);
/* The same, but a gzipped docker-archive, whose manifest is stored after
 * its layers, is not read ahead: its info is complete only after
 * dd_image_load_fs (one pass over the archive instead of two). */
dd_code dd_image_open_lazy(const char *ref, const struct dd_image_opts *opts,
			   struct dd_image **out, struct dd_err *err);
/* Borrowed; lives as long as the image. */
const struct dd_image_info *dd_image_info(const struct dd_image *img);
/* Reads every layer. Errors (digest mismatch, damaged stream or tar, a
 * limit) name image, layer and entry: "IMAGE: layer 2/3 sha256:c7ee...:
 * entry usr/bin/x: hard link to missing target usr/bin/y". warn() gets
 * non-fatal notes (names clamped at the root, cache files rebuilt). */
dd_code dd_image_load_fs(struct dd_image *img, const struct dd_fs_wants *wants,
			 void (*warn)(void *ud, const char *msg), void *warn_ud,
			 struct dd_fs **out, struct dd_err *err);
void dd_image_close(struct dd_image *img);

/* Statistics of the last dd_image_load_fs, for benchmarks and tests. */
struct dd_image_stats {
	unsigned layers_read, layers_cached;
	unsigned long long bytes_stored, bytes_uncompressed, entries, kept_bytes;
};
void dd_image_stats(const struct dd_image *img, struct dd_image_stats *out);

/* The cache directory drydock uses: opts->cache_dir, else
 * $XDG_CACHE_HOME/drydock, else $HOME/.cache/drydock. NULL if none. */
const char *dd_image_cache_dir(const struct dd_image_opts *opts, char *buf, size_t cap);

#endif
