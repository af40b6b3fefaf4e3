/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared body of the language-cataloger fuzz targets: runs one parser with
 * a counting sink and checks properties of every package it emits (a
 * non-empty name without NUL, a purl "pkg:TYPE/..." of the declared type,
 * a location), that the count matches, and that a failure says why.
 * For the ELF readers also: what the image keeps of a binary
 * (dd_catalog_reduce) gives the same packages as the binary itself.
 */
#ifndef DD_FUZZ_LANG_H
#define DD_FUZZ_LANG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/elf_section.h"
#include "catalog/lang.h"
#include "util/arena.h"
#include "util/limits.h"

struct fuzz_seen {
	size_t n;
	uint64_t sum;   /* FNV-1a over every package's name, version and flags, in order */
};

static void fuzz_mix(uint64_t *h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ ((const unsigned char *)p)[i]) * 0x100000001b3ull;
}

static void fuzz_check_pkg(void *ud, const struct dd_package *p)
{
	struct fuzz_seen *s = ud;
	s->n++;
	if (!p->name || !*p->name || !p->type || !p->purl || !p->location)
		abort();
	fuzz_mix(&s->sum, p->name, strlen(p->name) + 1);
	if (p->version)
		fuzz_mix(&s->sum, p->version, strlen(p->version) + 1);
	fuzz_mix(&s->sum, &p->flags, sizeof p->flags);
	size_t tl = strlen(p->type);
	if (strncmp(p->purl, "pkg:", 4) || strncmp(p->purl + 4, p->type, tl) || p->purl[4 + tl] != '/')
		abort();
}

typedef dd_code (*fuzz_parse_fn)(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				 struct dd_err *err);

static inline dd_code fuzz_lang_parse(fuzz_parse_fn fn, const uint8_t *data, size_t size,
				      struct fuzz_seen *seen)
{
	*seen = (struct fuzz_seen){ 0, 0xcbf29ce484222325ull };
	struct dd_lang_sink sink = { .cataloger = "fuzz", .location = "fuzz/input", .layer = 0,
				     .on_pkg = fuzz_check_pkg, .ud = seen };
	struct dd_err err;
	dd_err_clear(&err);
	dd_code rc = fn(data, size, &sink, &err);
	if (seen->n != sink.count)
		abort();
	if (rc != DD_OK && err.msg[0] == '\0')
		abort(); /* every failure names its cause */
	return rc;
}

static inline int fuzz_lang_run(fuzz_parse_fn fn, const uint8_t *data, size_t size)
{
	struct fuzz_seen seen;
	fuzz_lang_parse(fn, data, size, &seen);
	return 0;
}

/* For a cataloger with a by-path reducer (dd_catalog_reduce): what the
 * image keeps of the file reads to the same packages, in the same order,
 * and to success exactly when the file does. */
static inline int fuzz_lang_run_reduced(fuzz_parse_fn fn, const char *cataloger, const char *path,
					const uint8_t *data, size_t size)
{
	struct fuzz_seen whole, kept;
	dd_code rc = fuzz_lang_parse(fn, data, size, &whole);
	struct dd_arena *a = dd_arena_new(0);
	struct dd_bytes b = dd_bytes_mem(data, size);
	const unsigned char *out;
	size_t outlen;
	struct dd_err err;
	if (!a || dd_catalog_reduce(dd_catalog_named(cataloger), false, path, &b, a, &out, &outlen,
				    &err)) {
		dd_arena_free(a);
		return 0; /* out of memory */
	}
	if (out != data) {
		dd_code rk = fuzz_lang_parse(fn, out, outlen, &kept);
		if (kept.n != whole.n || kept.sum != whole.sum || (rk == DD_OK) != (rc == DD_OK))
			abort();
	}
	dd_arena_free(a);
	return 0;
}

/* The reducer's reads when the image source has random access (dir:):
 * each range in a malloc'd block of its own, so that ASan catches a
 * reader going past what it fetched. */
struct fuzz_fetch {
	const uint8_t *d;
	void *blocks[64];
	unsigned n;
};

static inline const unsigned char *fuzz_fetch(void *ud, uint64_t off, size_t len)
{
	struct fuzz_fetch *f = ud;
	if (f->n == sizeof f->blocks / sizeof *f->blocks)
		abort(); /* a reader that fetches without bound */
	unsigned char *p = malloc(len ? len : 1);
	if (!p)
		return NULL;
	memcpy(p, f->d + off, len);
	f->blocks[f->n++] = p;
	return p;
}

static inline int fuzz_lang_run_elf(fuzz_parse_fn fn, const uint8_t *data, size_t size)
{
	struct fuzz_seen whole, kept;
	dd_code rc = fuzz_lang_parse(fn, data, size, &whole);
	if (!dd_elf_maybe_program(data, size))
		return 0; /* the image reader keeps no such file */
	struct dd_arena *a = dd_arena_new(2 * size + (1u << 16));
	const unsigned char *out, *fout;
	size_t outlen, foutlen;
	struct dd_err err;
	struct dd_catalog_wants w;
	dd_catalog_wants_init(&w, false);
	dd_catalog_set want =
		dd_catalog_wants_magic(&w, data, size < DD_MAGIC_BYTES ? size : DD_MAGIC_BYTES);
	struct dd_bytes b = dd_bytes_mem(data, size);
	struct fuzz_fetch ff = { .d = data };
	struct dd_bytes fb = { .n = size, .fetch = fuzz_fetch, .ud = &ff };
	if (!a || dd_catalog_reduce(want, true, "fuzz/input", &b, a, &out, &outlen, &err) ||
	    dd_catalog_reduce(want, true, "fuzz/input", &fb, a, &fout, &foutlen, &err)) {
		for (unsigned i = 0; i < ff.n; i++)
			free(ff.blocks[i]);
		dd_arena_free(a);
		return 0; /* out of memory */
	}
	for (unsigned i = 0; i < ff.n; i++)
		free(ff.blocks[i]);
	/* Read by ranges, the same is kept as when read whole. */
	if (!out != !fout || outlen != foutlen || (out && memcmp(out, fout, outlen) != 0))
		abort();
	if (!out && whole.n)
		abort(); /* dropped a binary that had packages */
	if (out && out != data) {
		dd_code rk = fuzz_lang_parse(fn, out, outlen, &kept);
		if (kept.n != whole.n || kept.sum != whole.sum || (rk == DD_OK) != (rc == DD_OK))
			abort();
	}
	dd_arena_free(a);
	return 0;
}

#endif
