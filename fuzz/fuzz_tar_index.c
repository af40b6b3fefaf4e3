/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: bytes -> outer tar index (oci-archive, plain docker-archive).
 * Properties: every member's data range lies inside the input, names are
 * canonical, lookups through links terminate.
 */
#include <stdint.h>
#include <stdlib.h>

#include "image/source.h"
#include "image/tar_index.h"
#include "util/buf.h"
#include "util/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_blob_mem m = { data, size, 0 };
	struct dd_tar_index ix;
	struct dd_err err;
	if (dd_tar_index_build(dd_blob_mem_pread, &m, size, &ix, &err) != DD_OK)
		return 0;
	for (size_t i = 0; i < ix.n; i++) {
		const struct dd_tar_member *t = &ix.m[i];
		if (t->off > size || t->size > size - t->off)
			abort();
		char c[8192];
		if (dd_path_clean(t->name, strlen(t->name), c, sizeof c, NULL, NULL) || strcmp(c, t->name))
			abort();
		const struct dd_tar_member *f = dd_tar_index_find(&ix, t->name);
		if (f && f->type != '0' && f->type != '7')
			abort();
		if (f && f->size < (1u << 20)) {
			struct dd_buf b;
			dd_buf_init(&b, 1u << 20);
			if (dd_tar_index_read(dd_blob_mem_pread, &m, f, 1u << 20, &b, &err) != DD_OK)
				abort();
			dd_buf_release(&b);
		}
	}
	dd_tar_index_release(&ix);
	return 0;
}
