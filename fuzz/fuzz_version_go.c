/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the go version scheme (parse, compare, print, ranges); the
 * properties checked are listed in fuzz_version.h. */
#include "fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return dd_fuzz_version("go", data, size, true);
}
