/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared body of the rpm database fuzz targets (fuzz_rpm_bdb.c,
 * fuzz_rpm_ndb.c): runs one container reader with the header decoder behind
 * it. Properties: every blob handed out is no longer than the input (inline
 * or reassembled), the blobs together are no larger than the input (no page
 * or block is read twice), and every warning names the file.
 */
#ifndef DD_FUZZ_RPM_DB_H
#define DD_FUZZ_RPM_DB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/os_pkgdb.h"
#include "util/arena.h"

struct fuzz_rpm_st {
	size_t size, total;
};

static dd_code fuzz_rpm_each(const unsigned char *blob, size_t n, const char *where, void *ud)
{
	struct fuzz_rpm_st *s = ud;
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

typedef dd_code (*fuzz_rpm_reader)(const char *path, const unsigned char *data, size_t n,
				   dd_rpm_blob_fn fn, void *ud, struct dd_sbom *sbom,
				   struct dd_err *err);

static int fuzz_rpm_db(const uint8_t *data, size_t size, fuzz_rpm_reader each)
{
	struct dd_sbom *s = dd_sbom_new();
	struct fuzz_rpm_st st = { size, 0 };
	struct dd_err err;
	if (!s)
		return 0;
	each("var/lib/rpm/Packages", data, size, fuzz_rpm_each, &st, s, &err);
	if (st.total > size)
		abort();
	for (size_t i = 0; i < s->nwarnings; i++)
		if (strncmp(s->warnings[i], "var/lib/rpm/Packages: ", 22) != 0)
			abort();
	dd_sbom_free(s);
	return 0;
}

#endif
