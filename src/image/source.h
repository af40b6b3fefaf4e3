/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image source plug-in: one file per transport (docker_archive.c,
 * oci_layout.c, oci_archive.c, rootfs_dir.c, registry.c) behind the table in
 * image.c. A source resolves the reference to a config and a list of layers
 * (struct dd_image_info) and hands out each layer as a stream of its stored
 * bytes; image.c does decompression, digest checks, the tar walk, overlay and
 * the layer cache, the same way for every source.
 */
#ifndef DD_IMAGE_SOURCE_H
#define DD_IMAGE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "image/image.h"

/* A layer's stored bytes. read returns bytes read, 0 at the end, -1 on error
 * (with err set). close releases; it is called exactly once. */
struct dd_blob_stream {
	ssize_t (*read)(void *ud, void *buf, size_t n, struct dd_err *err);
	void (*close)(void *ud);
	void *ud;
};

struct dd_image_source {
	const char *transport;   /* "oci", "docker-archive", ... */
	/* For bare paths: can this source read it? NULL = never probed. */
	bool (*probe)(const char *path);
	/* Resolves `ref` (the part after "transport:"); fills *info (strings in
	 * arena) and *state. */
	dd_code (*open)(const char *ref, const struct dd_image_opts *opts, struct dd_arena *arena,
			struct dd_image_info *info, void **state, struct dd_err *err);
	/* Stored bytes of layer i; may be called from several threads for
	 * different layers. dir: sources walk files instead (walk != NULL). */
	dd_code (*open_layer)(void *state, unsigned i, struct dd_blob_stream *out, struct dd_err *err);
	void (*close)(void *state);
};

#endif
