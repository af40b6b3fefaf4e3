/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: bytes -> layer reader (magic-byte decompression, libarchive
 * tar walk, whiteouts, hard links, canonical names) -> layer cache
 * encoding. Properties checked: every kept path is canonical (relative,
 * no "." or ".." components, no empty component), counts stay within the
 * limits, and encode -> decode gives back the same layer. The same bytes
 * are also fed to the cache decoder, which reads files that may be damaged.
 */
#include <stdint.h>
#include <stdlib.h>

#include "image/layer.h"
#include "image/source.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/path.h"

static uint32_t want(void *ud, const char *p, size_t n)
{
	(void)ud;
	/* Tag 2: a path whose file goes to the reducer (reduces below). */
	if (n > 0 && p[0] == 'a')
		return 2;
	return dd_path_match("etc/**", p, n) || dd_path_match("var/lib/**", p, n);
}

static bool reduces(void *ud, uint32_t tag)
{
	(void)ud;
	return tag == 2;
}

static uint32_t magic(void *ud, const unsigned char *h, size_t n)
{
	(void)ud;
	return n >= 2 && h[0] == 0x7f && h[1] == 'E';
}

/* Exercises the three outcomes of a reducer: drop, keep whole, keep part
 * (files wanted by path are never dropped). */
static dd_code reduce(void *ud, uint32_t tag, bool by_magic, const char *path,
		      const struct dd_bytes *b, struct dd_arena *a,
		      const unsigned char **out, size_t *outlen, struct dd_err *err)
{
	(void)ud;
	if (!b->d)
		abort(); /* a tar stream's files come whole */
	const unsigned char *d = b->d;
	size_t n = (size_t)b->n;
	if (!path || !path[0] || path[0] == '/')
		abort(); /* the file's canonical path */
	if (!by_magic && tag != 2)
		abort(); /* only what reduces() accepted */
	size_t pick = n % 3;
	if (!by_magic && pick == 0)
		pick = 1; /* keep it whole instead */
	*out = NULL;
	*outlen = 0;
	if (pick == 0)
		return DD_OK;
	if (pick == 1) {
		*out = d;
		*outlen = n;
		return DD_OK;
	}
	*outlen = n < 16 ? n : 16;
	if (!(*out = dd_arena_memdup(a, d, *outlen)))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return DD_OK;
}

static void check_canonical(const char *p)
{
	char c[8192];
	if (dd_path_clean(p, strlen(p), c, sizeof c, NULL, NULL) || strcmp(c, p) != 0 ||
	    dd_path_escapes(p, strlen(p)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Small limits keep each run fast; the limits themselves are tested. */
	struct dd_image_limits lim = *dd_image_limits_get();
	lim.layer_bytes = 16u << 20;
	lim.entries = 20000;
	lim.kept_total = 8u << 20;
	dd_image_limits_set(&lim);
	struct dd_fs_wants w = { .path = want, .magic = magic, .reduce = reduce, .reduces = reduces,
				 .fingerprint = "fuzz" };
	_Atomic uint64_t kept = 0, total = 0;
	struct dd_layer_opts o = { .wants = &w, .kept_total = &kept, .image_total = &total };
	struct dd_blob_mem m;
	struct dd_blob_stream s;
	dd_blob_stream_mem(&m, data, size, &s);
	struct dd_layer *l = NULL;
	struct dd_err err;
	if (dd_layer_read_blob(&s, &o, &l, &err) == DD_OK) {
		if (l->nentries > lim.entries)
			abort();
		for (size_t i = 0; i < l->nents; i++) {
			check_canonical(l->ents[i].f.path);
			if (l->ents[i].type == DD_LENT_REG && l->ents[i].f.data && l->ents[i].f.size > lim.kept_file)
				abort();
		}
		for (size_t i = 0; i < l->nwh; i++)
			check_canonical(l->whiteouts[i]);
		struct dd_buf b;
		dd_buf_init(&b, 0);
		if (dd_layer_encode(l, &b, &err) == DD_OK) {
			struct dd_layer *c = NULL;
			if (dd_layer_decode(b.data, b.len, &c, &err) != DD_OK)
				abort();
			if (c->nents != l->nents || c->nwh != l->nwh || c->nopq != l->nopq ||
			    c->nseen != l->nseen || strcmp(c->diff_id, l->diff_id) != 0)
				abort();
			for (size_t i = 0; i < l->nents; i++)
				if (strcmp(c->ents[i].f.path, l->ents[i].f.path) ||
				    (l->ents[i].f.data && memcmp(c->ents[i].f.data, l->ents[i].f.data, l->ents[i].f.size)))
					abort();
			dd_layer_free(c);
		}
		dd_buf_release(&b);
		dd_layer_free(l);
	}
	struct dd_layer *d = NULL;
	if (dd_layer_decode(data, size, &d, &err) == DD_OK)
		dd_layer_free(d);
	dd_image_limits_set(NULL);
	return 0;
}
