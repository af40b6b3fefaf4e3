/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: package-lock.json v1/v2/v3 (dd_lang_parse_npm_lock). Properties: see fuzz_lang.h. */
#include "fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_lang_run(dd_lang_parse_npm_lock, data, size);
}
