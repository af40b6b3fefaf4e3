/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An index of an uncompressed outer tar (oci-archive, plain docker-archive):
 * every member's name, data offset and size, read by walking the headers
 * with pread and seeking over the data. Layers inside are then read as
 * byte ranges of the file, in parallel, without reading anything else.
 * Handles ustar (prefix field), pax extended headers (path, linkpath,
 * size) and GNU long names ('L'/'K'), the forms skopeo, docker and GNU tar
 * write. Member data is not interpreted here.
 */
#ifndef DD_TAR_INDEX_H
#define DD_TAR_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dd/err.h"
#include "util/map.h"

struct dd_arena;
struct dd_buf;

struct dd_tar_member {
	const char *name;        /* canonical */
	char type;               /* '0' file, '1' hard link, '2' symlink, '5' dir, ... */
	const char *link;        /* link target as stored */
	uint64_t off, size;      /* data */
};

struct dd_tar_index {
	struct dd_tar_member *m;
	size_t n, cap;
	struct dd_map by_name;   /* name -> index + 1 (last wins) */
	struct dd_arena *arena;
};

/* pread-like: fills buf with n bytes at off; returns bytes read (short only
 * at the end), -1 on error. */
typedef ssize_t (*dd_tar_pread)(void *ud, void *buf, size_t n, uint64_t off);

dd_code dd_tar_index_build(dd_tar_pread rd, void *ud, uint64_t total, struct dd_tar_index *ix,
			   struct dd_err *err);
void dd_tar_index_release(struct dd_tar_index *ix);
/* The regular-file member at name, following symlinks and hard links
 * inside the archive (at most DD_LIMIT_SYMLINK_HOPS). NULL if none. */
const struct dd_tar_member *dd_tar_index_find(const struct dd_tar_index *ix, const char *name);
/* Reads a member's content into out (at most max bytes). */
dd_code dd_tar_index_read(dd_tar_pread rd, void *ud, const struct dd_tar_member *m, size_t max,
			  struct dd_buf *out, struct dd_err *err);
/* A dd_tar_pread over a file descriptor (ud = (void *)(intptr_t)fd). */
ssize_t dd_tar_pread_fd(void *ud, void *buf, size_t n, uint64_t off);

#endif
