/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: bytes -> OCI index, OCI/Docker manifest, image config and
 * docker-archive manifest.json parsers, and the resolver over a blob store
 * that answers every digest with the input itself. Properties: every
 * digest a parser accepts is a valid sha256 digest, counts stay within
 * the limits, and the resolver terminates (nesting limit) whatever the
 * input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "image/oci_manifest.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/limits.h"

static void check_digest(const char *d)
{
	if (!d || !dd_digest_valid(d, strlen(d)))
		abort();
}

struct store {
	const uint8_t *p;
	size_t n;
};

static dd_code fetch(void *ud, const char *digest, size_t max, struct dd_buf *out,
		     struct dd_err *err)
{
	struct store *s = ud;
	(void)digest;
	if (s->n > max)
		return dd_err_set(err, DD_ELIMIT, "too big");
	return dd_buf_append(out, s->p, s->n, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_arena *a = dd_arena_new(64u << 20);
	struct dd_err err;
	struct dd_oci_index ix;
	if (dd_oci_parse_index(data, size, a, &ix, &err) == DD_OK) {
		if (ix.nmanifests > DD_LIMIT_INDEX_ENTRIES)
			abort();
		for (size_t i = 0; i < ix.nmanifests; i++)
			check_digest(ix.manifests[i].digest);
	}
	struct dd_oci_manifest m;
	if (dd_oci_parse_manifest(data, size, a, &m, &err) == DD_OK) {
		check_digest(m.config.digest);
		if (m.nlayers > DD_LIMIT_LAYERS)
			abort();
		for (size_t i = 0; i < m.nlayers; i++)
			check_digest(m.layers[i].digest);
	}
	struct dd_oci_config c;
	if (dd_oci_parse_config(data, size, a, &c, &err) == DD_OK) {
		if (c.ndiff_ids > DD_LIMIT_LAYERS)
			abort();
		for (size_t i = 0; i < c.ndiff_ids; i++)
			check_digest(c.diff_ids[i]);
	}
	struct dd_docker_manifest dm;
	if (dd_docker_parse_manifest(data, size, a, &dm, &err) == DD_OK && !dm.config)
		abort();
	/* Every fetch returns the input: digests never verify, so the
	 * resolver must fail cleanly (or succeed only on a direct root). */
	struct store st = { data, size };
	struct dd_oci_fetch f = { fetch, &st };
	struct dd_oci_resolved r;
	dd_oci_resolve(&f, data, size, NULL, NULL, NULL, a, &r, &err);
	dd_oci_resolve(&f, data, size, "latest", NULL, "linux/arm64/v8", a, &r, &err);
	dd_arena_free(a);
	return 0;
}
