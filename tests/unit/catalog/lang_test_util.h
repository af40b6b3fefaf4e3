/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the language-cataloger unit tests: run one parser on bytes
 * into a fresh SBOM, find packages, and build small ELF files by hand
 * (ELF32/ELF64, either byte order) with the sections a test needs.
 */
#ifndef DD_TEST_LANG_UTIL_H
#define DD_TEST_LANG_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/lang.h"
#include "dd/sbom.h"
#include "dd_test.h"
#include "image/fs.h"
#include "util/arena.h"
#include "util/limits.h"

static inline struct dd_sbom *new_sbom(struct dd_lang_sink *s, const char *loc)
{
	struct dd_sbom *sb = dd_sbom_new();
	memset(s, 0, sizeof *s);
	s->sbom = sb;
	s->cataloger = "test";
	s->location = loc;
	s->layer = 0;
	return sb;
}

static inline const struct dd_package *pkg(const struct dd_sbom *s, const char *name,
					   const char *version)
{
	for (size_t i = 0; i < s->npkgs; i++)
		if (!strcmp(s->pkgs[i].name, name) &&
		    (!version || (s->pkgs[i].version && !strcmp(s->pkgs[i].version, version))))
			return &s->pkgs[i];
	return NULL;
}

#define EXPECT_HAS(s, name, version)                                                   \
	do {                                                                           \
		if (!pkg((s), (name), (version)))                                      \
			dd_test_fail(__FILE__, __LINE__, "missing %s %s", (name),        \
				     (version) ? (version) : "(any)");                 \
	} while (0)

#define S(str) (const unsigned char *)(str), strlen(str)

/* --- a hand-made ELF ------------------------------------------------------ */

struct elf_sec {
	const char *name;
	uint64_t addr;
	const void *data;
	size_t size;
};

static inline void put_uint(unsigned char *p, uint64_t v, unsigned w, int be)
{
	for (unsigned i = 0; i < w; i++)
		p[be ? w - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Builds an ELF with the given sections (plus the null section and
 * .shstrtab); returns malloc'd bytes, length in *n. */
static inline unsigned char *make_elf(int is64, int be, const struct elf_sec *secs, size_t ns,
				      size_t *n)
{
	size_t eh = is64 ? 64 : 52, shsz = is64 ? 64 : 40;
	char strtab[1024];
	size_t sl = 1;
	strtab[0] = 0;
	uint32_t name_off[16];
	for (size_t i = 0; i < ns; i++) {
		name_off[i] = (uint32_t)sl;
		sl += (size_t)snprintf(strtab + sl, sizeof strtab - sl, "%s", secs[i].name) + 1;
	}
	uint32_t shstr_name = (uint32_t)sl;
	sl += (size_t)snprintf(strtab + sl, sizeof strtab - sl, ".shstrtab") + 1;
	size_t off = eh;
	size_t data_off[16];
	for (size_t i = 0; i < ns; i++) {
		data_off[i] = off;
		off += secs[i].size;
	}
	size_t str_off = off;
	off += sl;
	off = (off + 7) & ~(size_t)7;
	size_t shoff = off;
	size_t nsec = ns + 2;
	size_t total = shoff + nsec * shsz;
	unsigned char *d = calloc(1, total);
	memcpy(d, "\x7f" "ELF", 4);
	d[4] = is64 ? 2 : 1;
	d[5] = be ? 2 : 1;
	d[6] = 1;
	put_uint(d + 16, 2, 2, be); /* ET_EXEC */
	if (is64) {
		put_uint(d + 40, shoff, 8, be);
		put_uint(d + 58, shsz, 2, be);
		put_uint(d + 60, nsec, 2, be);
		put_uint(d + 62, nsec - 1, 2, be);
	} else {
		put_uint(d + 32, shoff, 4, be);
		put_uint(d + 46, shsz, 2, be);
		put_uint(d + 48, nsec, 2, be);
		put_uint(d + 50, nsec - 1, 2, be);
	}
	for (size_t i = 0; i < ns; i++)
		memcpy(d + data_off[i], secs[i].data, secs[i].size);
	memcpy(d + str_off, strtab, sl);
	for (size_t i = 0; i < nsec; i++) {
		unsigned char *sh = d + shoff + i * shsz;
		if (i == 0)
			continue;
		uint32_t nm = i <= ns ? name_off[i - 1] : shstr_name;
		uint32_t type = i <= ns ? 1 : 3;
		uint64_t addr = i <= ns ? secs[i - 1].addr : 0;
		uint64_t o = i <= ns ? data_off[i - 1] : str_off;
		uint64_t sz = i <= ns ? secs[i - 1].size : sl;
		put_uint(sh, nm, 4, be);
		put_uint(sh + 4, type, 4, be);
		if (is64) {
			put_uint(sh + 16, addr, 8, be);
			put_uint(sh + 24, o, 8, be);
			put_uint(sh + 32, sz, 8, be);
		} else {
			put_uint(sh + 12, addr, 4, be);
			put_uint(sh + 16, o, 4, be);
			put_uint(sh + 20, sz, 4, be);
		}
	}
	*n = total;
	return d;
}

/* A reducer's reads by range (a dir: source), each in a malloc'd block of
 * its own so that ASan sees a read past what was fetched; counts bytes. */
struct test_fetch {
	const unsigned char *d;
	void *blocks[64];
	unsigned n;
	size_t bytes;
};

static inline const unsigned char *test_fetch(void *ud, uint64_t off, size_t len)
{
	struct test_fetch *f = ud;
	if (f->n == sizeof f->blocks / sizeof *f->blocks)
		return NULL;
	unsigned char *p = malloc(len ? len : 1);
	if (p)
		memcpy(p, f->d + off, len);
	f->blocks[f->n++] = p;
	f->bytes += len;
	return p;
}

/* Bytes the last expect_reduce_same fetched when reading by range. */
static size_t reduce_fetched_bytes;

/* What the image reader keeps of the binary elf (dd_catalog_reduce) gives
 * parse the same result and packages as the binary, and is the same when
 * the reducer reads the file by range (a dir: source) as when it is given
 * it whole. Returns the kept length: 0 when dropped, n when kept whole. */
static inline size_t expect_reduce_same(const unsigned char *elf, size_t n, dd_lang_elf_parser parse)
{
	struct dd_arena *a = dd_arena_new(0);
	const unsigned char *out, *fout;
	size_t outlen, foutlen;
	struct dd_err err;
	struct dd_catalog_wants w;
	dd_catalog_wants_init(&w, false);
	dd_catalog_set want = dd_catalog_wants_magic(&w, elf, n < DD_MAGIC_BYTES ? n : DD_MAGIC_BYTES);
	struct dd_bytes b = dd_bytes_mem(elf, n);
	ASSERT_OK(dd_catalog_reduce(want, true, "usr/bin/x", &b, a, &out, &outlen, &err), &err);
	struct test_fetch tf = { .d = elf };
	struct dd_bytes fb = { .n = n, .fetch = test_fetch, .ud = &tf };
	ASSERT_OK(dd_catalog_reduce(want, true, "usr/bin/x", &fb, a, &fout, &foutlen, &err), &err);
	for (unsigned i = 0; i < tf.n; i++)
		free(tf.blocks[i]);
	reduce_fetched_bytes = tf.bytes;
	EXPECT_EQ_INT(!out, !fout);
	EXPECT_EQ_INT(outlen, foutlen);
	EXPECT_TRUE(!out || !fout || outlen != foutlen || !memcmp(out, fout, outlen));
	struct dd_lang_sink s1, s2;
	struct dd_sbom *whole = new_sbom(&s1, "bin/x"), *kept = new_sbom(&s2, "bin/x");
	dd_code r1 = parse(elf, n, &s1, &err);
	if (!out) {
		EXPECT_EQ_INT(whole->npkgs, 0);
	} else {
		dd_code r2 = parse(out, outlen, &s2, &err);
		EXPECT_EQ_INT(r1 == DD_OK, r2 == DD_OK);
		EXPECT_EQ_INT(whole->npkgs, kept->npkgs);
		for (size_t i = 0; i < whole->npkgs; i++)
			EXPECT_HAS(kept, whole->pkgs[i].name, whole->pkgs[i].version);
	}
	dd_sbom_free(whole);
	dd_sbom_free(kept);
	dd_arena_free(a);
	return out ? outlen : 0;
}

#endif
