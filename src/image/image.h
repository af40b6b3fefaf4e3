/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image sources. An image reference names its transport the way skopeo does
 * (docker-archive:PATH, oci:DIR[:TAG|@DIGEST], oci-archive:PATH, dir:ROOTFS,
 * registry:REF); a bare path is probed. Each transport is one file behind
 * the source table in image.c (name, probe, open, read the next layer, close).
 *
 * dd_image_open reads the manifest and config only; dd_image_load_fs streams
 * the layers (in parallel, verifying every digest the format gives), applies
 * them with overlay semantics and keeps the files `wants` selects.
 */
#ifndef DD_IMAGE_H
#define DD_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/sbom.h"
#include "image/fs.h"

struct dd_image;

/* What the catalogers want kept. Both callbacks may run on several threads
 * at once and must be pure. `fingerprint` identifies the set of wants (the
 * cataloger names and versions): it is part of the layer-cache key. */
struct dd_fs_wants {
	bool (*path)(void *ud, const char *path, size_t len);
	bool (*magic)(void *ud, const unsigned char *head, size_t n); /* may be NULL */
	void *ud;
	const char *fingerprint;
};

dd_code dd_image_open(const char *ref, const struct dd_image_opts *opts,
		      struct dd_image **out, struct dd_err *err);
/* Borrowed; lives as long as the image. */
const struct dd_image_info *dd_image_info(const struct dd_image *img);
/* Reads every layer. Unreadable layers that the format lets us skip become
 * warnings through warn(); digest mismatches are errors naming the layer. */
dd_code dd_image_load_fs(struct dd_image *img, const struct dd_fs_wants *wants,
			 void (*warn)(void *ud, const char *msg), void *warn_ud,
			 struct dd_fs **out, struct dd_err *err);
void dd_image_close(struct dd_image *img);

#endif
