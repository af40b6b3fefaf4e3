/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the rpm ndb database reader (catalog/rpm_ndb.c) with the
 * header decoder behind it. Properties: every blob handed out lies inside
 * the input (inline) or is no longer than the input (reassembled), the
 * blobs together are no larger than the input (no page or block is read
 * twice), and every warning names the file.
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/os_pkgdb.h"
#include "util/arena.h"

struct st {
	size_t size, total;
};

static dd_code each(const unsigned char *blob, size_t n, const char *where, void *ud)
{
	struct st *s = ud;
	if (n > s->size || !where || !*where)
		abort();
	s->total += n;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_rpm_hdr h;
	if (a)
		dd_rpm_header_parse(blob, n, true, &h, a, NULL);
	dd_arena_free(a);
	return DD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_sbom *s = dd_sbom_new();
	struct st st = { size, 0 };
	struct dd_err err;
	if (!s)
		return 0;
	dd_rpm_ndb_each("var/lib/rpm/Packages", data, size, each, &st, s, &err);
	if (st.total > size)
		abort();
	for (size_t i = 0; i < s->nwarnings; i++)
		if (strncmp(s->warnings[i], "var/lib/rpm/Packages: ", 22) != 0)
			abort();
	dd_sbom_free(s);
	return 0;
}
