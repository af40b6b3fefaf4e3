/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: Java archives (zip, nested) (dd_lang_parse_java_archive).
 * Properties: see fuzz_lang.h, and what the image keeps of the archive
 * (java_archive.c's reducer) reads to the same packages and outcome. */
#include "fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dd_code parse(const unsigned char *d, size_t n, struct dd_lang_sink *s, struct dd_err *err)
{
	return dd_lang_parse_java_archive(d, n, "fuzz-1.0.jar", s, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_lang_run_reduced(parse, "java-archive", "fuzz-1.0.jar", data, size);
}
