/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Format detection and the archive layer: the input goes through
 * dd_vulndb_import_buffer() with no importer named, so libarchive (tar, zip,
 * gzip, raw) and every importer's probe see it. An in-memory DB; the import
 * must succeed (bad members are warnings) and the counts must add up.
 */
#include <stdint.h>
#include <stdlib.h>

#include "dd/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_vulndb_import_stats st;
	struct dd_err err;
	if (dd_vulndb_import_buffer(":memory:", NULL, "input", data, size, &st, &err) != DD_OK)
		abort();
	if (st.files_unrecognised > st.files_seen)
		abort();
	uint64_t sum = 0;
	for (size_t i = 0; i < st.nper; i++)
		sum += st.per[i].records;
	if (sum != st.records)
		abort();
	return 0;
}
