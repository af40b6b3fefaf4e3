/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: Java archives (zip, nested) (dd_lang_parse_java_archive).
 * Properties: see fuzz_lang.h; also, what the image keeps of the archive
 * (dd_catalog_reduce, java_archive.c's reducer) reads to the same
 * packages, in the same order, and to success exactly when the archive
 * does. */
#include "fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dd_code parse(const unsigned char *d, size_t n, struct dd_lang_sink *s, struct dd_err *err)
{
	return dd_lang_parse_java_archive(d, n, "fuzz-1.0.jar", s, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_seen whole, kept;
	dd_code rc = fuzz_lang_parse(parse, data, size, &whole);
	dd_catalog_set java = dd_catalog_named("java-archive");
	struct dd_arena *a = dd_arena_new(0);
	struct dd_bytes b = dd_bytes_mem(data, size);
	const unsigned char *out;
	size_t outlen;
	struct dd_err err;
	if (!a || dd_catalog_reduce(java, false, "fuzz-1.0.jar", &b, a, &out, &outlen, &err)) {
		dd_arena_free(a);
		return 0; /* out of memory */
	}
	if (out != data) {
		dd_code rk = fuzz_lang_parse(parse, out, outlen, &kept);
		if (kept.n != whole.n || kept.sum != whole.sum || (rk == DD_OK) != (rc == DD_OK))
			abort();
	}
	dd_arena_free(a);
	return 0;
}
