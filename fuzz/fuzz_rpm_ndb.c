/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the rpm ndb database reader (catalog/rpm_ndb.c) with the
 * header decoder behind it; properties in fuzz_rpm_db.h.
 */
#include "fuzz_rpm_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_rpm_db(data, size, dd_rpm_ndb_each);
}
