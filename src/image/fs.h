/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The merged view of an image's filesystem, as far as the catalogers need it.
 * Layers are applied bottom-up with overlay semantics by the image reader;
 * the view holds only what matters to catalogers: the files they asked for
 * (with content), symlinks (to resolve paths like /etc/os-release), and
 * hard links among kept files. Each path also remembers the versions lower
 * layers had (`lower`), so a cataloger can tell which layer introduced the
 * current version of a package. Nothing here touches the host filesystem.
 *
 * Catalogers read it; image/ writes it. Unit tests build one by hand.
 */
#ifndef DD_FS_H
#define DD_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

struct dd_arena;

enum dd_fs_type { DD_FS_REG, DD_FS_SYMLINK, DD_FS_DIR };

struct dd_fs_file {
	const char *path;             /* canonical (util/path.h) */
	enum dd_fs_type type;
	uint32_t tag;                 /* what dd_fs_wants returned; 0 unknown (symlinks,
				       * hard links, files from the layer cache) */
	const char *link;             /* symlink target as stored, else NULL */
	const unsigned char *data;    /* content of a kept regular file, else NULL */
	size_t size;                  /* content length (real size if not kept) */
	uint32_t mode;
	int layer;                    /* layer index that wrote this version */
	const struct dd_fs_file *lower; /* same path in a lower layer, or NULL */
};

struct dd_fs;

struct dd_fs *dd_fs_new(void);
void dd_fs_free(struct dd_fs *fs);

/* Adds a path at `layer`, above whatever the path had; copies everything.
 * Layers must be applied in increasing order. A non-directory hides
 * whatever lower layers had below the same path. */
dd_code dd_fs_put(struct dd_fs *fs, const struct dd_fs_file *f, struct dd_err *err);
/* What dd_fs_prefetch learnt of a path, for the put of that path: the
 * hashes of the path and of its directory, computed once. */
struct dd_fs_hint {
	const char *path;   /* the path it is for (the same pointer as the put's) */
	uint32_t path_hash, dir_hash;
};
/* Like dd_fs_put, but puts e itself, no copy: e and its path, link and data
 * must live as long as fs (in an arena handed over with dd_fs_adopt, an
 * array handed over with dd_fs_adopt_block); e->lower is set here. hint
 * may be NULL; it is used only when it is for e->path. */
dd_code dd_fs_put_entry(struct dd_fs *fs, struct dd_fs_file *e, const struct dd_fs_hint *hint,
			struct dd_err *err);
/* The last layer: nothing is put after it, so its entries need neither
 * the hash map nor the directory counts that serve later layers' whiteouts
 * and replacements. dd_fs_put_top puts e itself (as dd_fs_put_entry: e
 * lives as long as fs) into a list of its own; a lower version of the path
 * leaves the map and stays reachable as e->lower, and a non-directory
 * still hides what lower layers had below it. Paths must be unique among
 * the top entries (a layer's are). dd_fs_seal sorts that list once all are
 * put; lookups, dd_fs_sorted and dd_fs_count see the top entries only
 * after it. Whiteouts, opaque markers and dd_fs_remove_if act on the lower
 * layers' entries only. DD_ENOMEM only. */
dd_code dd_fs_put_top(struct dd_fs *fs, struct dd_fs_file *e, const struct dd_fs_hint *hint,
		      struct dd_err *err);
dd_code dd_fs_seal(struct dd_fs *fs, struct dd_err *err);
/* Makes room for n more paths (a layer's entries) in one step instead of
 * growing the table while they arrive. DD_ENOMEM only. */
dd_code dd_fs_reserve(struct dd_fs *fs, size_t n, struct dd_err *err);
/* Before putting path a few entries later: starts loading what the put will
 * look at (the view's tables are bigger than the caches), and fills hint. */
void dd_fs_prefetch(const struct dd_fs *fs, const char *path, struct dd_fs_hint *hint);
/* fs takes over arena a and frees it with itself. */
dd_code dd_fs_adopt(struct dd_fs *fs, struct dd_arena *a, struct dd_err *err);
/* fs takes over the malloc()ed block p and frees it with itself (also on
 * DD_ENOMEM, the only error). */
dd_code dd_fs_adopt_block(struct dd_fs *fs, void *p, struct dd_err *err);
/* Removes every entry (with its lower versions) for which drop() is true. */
void dd_fs_remove_if(struct dd_fs *fs, bool (*drop)(const struct dd_fs_file *f, void *ud), void *ud);
/* Whiteout `.wh.NAME`: removes path and everything below it. */
void dd_fs_remove(struct dd_fs *fs, const char *path);
/* Opaque directory `.wh..wh..opq`: removes everything below dir that came
 * from layers lower than `layer`. */
void dd_fs_opaque(struct dd_fs *fs, const char *dir, int layer);

/* The entry at exactly this canonical path (symlinks not followed). */
const struct dd_fs_file *dd_fs_lookup(const struct dd_fs *fs, const char *path);
/* Follows symlinks in every component, inside the image root only, at most
 * DD_LIMIT_SYMLINK_HOPS hops. NULL when missing; DD_ELIMIT in err on a loop. */
const struct dd_fs_file *dd_fs_resolve(const struct dd_fs *fs, const char *path,
				       struct dd_err *err);

/* Calls fn for every entry in path order; a non-zero return stops and is
 * returned; -1 when out of memory. */
int dd_fs_each(const struct dd_fs *fs, int (*fn)(const struct dd_fs_file *f, void *ud), void *ud);
/* Every entry in path order, as an array of *n pointers (free() it); NULL
 * when out of memory. */
const struct dd_fs_file **dd_fs_sorted(const struct dd_fs *fs, size_t *n);
size_t dd_fs_count(const struct dd_fs *fs);

#endif
