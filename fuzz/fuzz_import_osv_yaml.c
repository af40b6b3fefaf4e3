/* SPDX-License-Identifier: Apache-2.0 */
/* The OSV importer on YAML input (pypa/advisory-database style); the
 * properties are in fuzz_vulndb.h. */
#include "fuzz_vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import("osv", "PYSEC-0000-0.yaml", data, size);
}
