/* SPDX-License-Identifier: Apache-2.0 */
/* The alpine-secdb importer on arbitrary input; properties in fuzz_vulndb.h. */
#include "fuzz_vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import("alpine-secdb", "main.json", data, size);
}
