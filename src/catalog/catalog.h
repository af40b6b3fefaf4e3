/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Catalogers: one per package format, each in its own file, listed once in
 * catalog.c. A cataloger says which files it wants (by path, or by the first
 * DD_MAGIC_BYTES bytes, e.g. ELF), and later reads them from the merged view
 * of the image and adds packages to the SBOM. The image walk stays a single
 * streaming pass because all wants are asked while the layers stream.
 *
 * A cataloger's failure on one file is a warning on the SBOM, not an error:
 * return an error only when nothing sensible can be reported (out of memory).
 */
#ifndef DD_CATALOG_H
#define DD_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/sbom.h"
#include "image/fs.h"
#include "util/bytes.h"

struct dd_catalog_ctx {
	const struct dd_fs *fs;
	struct dd_sbom *sbom;    /* add packages and warnings here; distro is set first */
	/* The entries of fs that the running cataloger wants (its wants_path
	 * or wants_magic says yes), in path order: dd_catalog_run() sorts the
	 * view once and hands each cataloger its own share, so that fifteen
	 * catalogers do not each walk all 50,000 files of a node_modules tree.
	 * NULL when the caller built ctx itself: then the walk is every entry. */
	const struct dd_fs_file *const *files;
	size_t nfiles;
};

enum dd_cataloger_kind {
	DD_CATALOGER_DISTRO,     /* fills sbom->distro; runs before all others */
	DD_CATALOGER_OS,         /* OS package managers */
	DD_CATALOGER_LANG        /* language ecosystems; skipped with DD_IMAGE_OS_ONLY */
};

/* What a cataloger keeps of a file instead of the file: the bytes of one
 * ELF section (the only magic-wanted files are ELF programs). */
struct dd_catalog_part {
	const char *section;
	const unsigned char *data;
	size_t len;
};

struct dd_arena;

struct dd_cataloger {
	const char *name;        /* "dpkg", "apk", "rpm-bdb", "python", ... */
	unsigned version;        /* bump when output for the same input changes */
	enum dd_cataloger_kind kind;
	bool (*wants_path)(const char *path, size_t len);              /* canonical path */
	/* Endings of every path wants_path can accept ("package.json",
	 * ".jar"), ASCII case ignored, each at least 4 bytes; NULL-terminated.
	 * Only paths with one of them are asked (dd_catalog_wants_path), which
	 * spares most files of a layer any call. NULL: asked of every path. */
	const char *const *path_ends;
	bool (*wants_magic)(const unsigned char *head, size_t n);      /* may be NULL */
	/* With wants_magic, may be NULL: false when a file of this path and
	 * mode need not be shown to wants_magic at all, because its name says
	 * it is not what the magic looks for. Spares the image reader the
	 * first bytes of most files (dd_catalog_sniffs). */
	bool (*magic_path)(const char *path, size_t len, uint32_t mode);
	/* With wants_magic, may be NULL: called while the layer streams, on
	 * the whole of a file the magic accepted, to take the one section
	 * run() will read (copied into a). DD_ENOTFOUND when the file holds
	 * nothing for this cataloger; another error keeps the file whole, so
	 * that run() reports it as it would have. See dd_catalog_reduce. */
	dd_code (*extract)(const struct dd_bytes *b, struct dd_arena *a,
			   struct dd_catalog_part *out, struct dd_err *err);
	/* With wants_path, may be NULL: called while the layer streams, on the
	 * whole of a file that this cataloger alone wants by path (path, as
	 * wants_path saw it), for what to keep of it instead (*out in a,
	 * *outlen bytes), which run() must read as it reads the file itself;
	 * *out = d keeps the file whole. DD_ENOMEM is the only error. See
	 * dd_catalog_reduce. */
	dd_code (*reduce)(const char *path, const unsigned char *d, size_t n, struct dd_arena *a,
			  const unsigned char **out, size_t *outlen, struct dd_err *err);
	dd_code (*run)(const struct dd_catalog_ctx *ctx, struct dd_err *err);
};

/* Calls fn, in path order, for every entry of ctx->fs that the running
 * cataloger wants (ctx->files, from dd_catalog_run), or, when the caller
 * built ctx itself, for every entry (through dd_fs_each, which sorts on
 * every call): fn still checks what it is given. Catalogers use this, never
 * dd_fs_each. Returns fn's first non-zero result (which stops the walk),
 * -1 when out of memory, else 0. */
int dd_catalog_walk(const struct dd_catalog_ctx *ctx,
		    int (*fn)(const struct dd_fs_file *f, void *ud), void *ud);

/* Which catalogers want what, for one scan: bit i of a dd_catalog_set is
 * dd_catalogers[i]. Built from the catalogers taking part (all, or the OS
 * ones), with the path endings indexed by their last four bytes, so that
 * asking about a path calls only the wants_path of catalogers that declared
 * its ending (and those that declared none). Read-only once built: the
 * image reader's threads share one. */
typedef uint32_t dd_catalog_set;
#define DD_CATALOG_ENDS 128
struct dd_catalog_wants {
	dd_catalog_set part;       /* taking part */
	dd_catalog_set always;     /* taking part, with wants_path but no path_ends */
	dd_catalog_set magic;      /* taking part, with wants_magic */
	/* The endings of those taking part, by bucket: bucket b is
	 * ends[first[b] .. first[b + 1]). */
	struct dd_catalog_end {
		const char *s;
		uint16_t len;
		uint8_t cataloger;
	} ends[DD_CATALOG_ENDS];
	uint16_t first[257];
};
void dd_catalog_wants_init(struct dd_catalog_wants *w, bool os_only);
/* The catalogers whose wants_path accepts path; the same set as asking each
 * of them, faster. */
dd_catalog_set dd_catalog_wants_path(const struct dd_catalog_wants *w, const char *path,
				     size_t len);
/* Whether some cataloger taking part with wants_magic is to see the first
 * bytes of the file at path (of that mode): its magic_path, if any, says
 * yes. */
bool dd_catalog_sniffs(const struct dd_catalog_wants *w, const char *path, size_t len,
		       uint32_t mode);
/* The catalogers whose wants_magic accepts the first n bytes of a file. */
dd_catalog_set dd_catalog_wants_magic(const struct dd_catalog_wants *w, const unsigned char *head,
				      size_t n);

/* What the image keeps of a file (the reducer of struct dd_fs_wants); want
 * is the set of catalogers that asked for it, by magic or by path.
 * - By magic: an executable is mostly code, and an image's executables are
 *   most of its bytes, so instead of the file each cataloger of want takes
 *   its section with extract() and the image keeps a minimal ELF of those
 *   sections (dd_elf_build), which run() reads as it would the whole
 *   binary; b may fetch on demand, and only the pages the sections need
 *   are read. *out = NULL: nothing to keep. Otherwise the whole file is
 *   kept (a cataloger without extract wants it, or one failed to read
 *   it): *out = b->d, or when b fetches, a copy in a.
 * - By path: what the one cataloger of want keeps with its reduce()
 *   (dd_catalog_reduces says whether there is one), given the whole file
 *   (b->d, or fetched whole).
 * Otherwise *out is in a. DD_ENOMEM is the only error; a failed fetch
 * ends as "nothing to keep", its error is the fetch owner's to report. */
dd_code dd_catalog_reduce(dd_catalog_set want, bool by_magic, const char *path,
			  const struct dd_bytes *b, struct dd_arena *a,
			  const unsigned char **out, size_t *outlen, struct dd_err *err);
/* The set holding only the cataloger called name, 0 when there is none:
 * want for dd_catalog_reduce of a file that cataloger alone wants. */
dd_catalog_set dd_catalog_named(const char *name);
/* Whether a file wanted by path by the catalogers of want goes to
 * dd_catalog_reduce: when exactly one wants it, and that one has reduce(). */
bool dd_catalog_reduces(dd_catalog_set want);

/* NULL-terminated, in run order; at most 32 (dd_catalog_set). */
extern const struct dd_cataloger *const dd_catalogers[];

/* Runs every cataloger of the given kinds over fs, in list order. A file's
 * tag, when not 0, is taken as the set of catalogers its path wants (what
 * dd_catalog_wants_path said while the image streamed, for the same
 * os_only: sbom_build.c); 0 means ask. */
dd_code dd_catalog_run(const struct dd_fs *fs, struct dd_sbom *sbom, bool os_only,
		       struct dd_err *err);

#endif
