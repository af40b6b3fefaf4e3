/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: Python METADATA / PKG-INFO (dd_lang_parse_python_meta).
 * Properties: see fuzz_lang.h, and what the image keeps of the file
 * (python_dist.c's reducer: the headers) reads to the same package and
 * outcome. */
#include "fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_lang_run_reduced(dd_lang_parse_python_meta, "python-dist",
				     "usr/lib/python3/site-packages/x-1.0.dist-info/METADATA", data,
				     size);
}
