/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: requirements.txt, poetry.lock, uv.lock, Pipfile.lock; the first byte picks the format (dd_lang_parse_python_lock). Properties: see fuzz_lang.h. */
#include "fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dd_code parse(const unsigned char *d, size_t n, struct dd_lang_sink *s, struct dd_err *err)
{
	static const char *const kinds[] = { "requirements.txt", "poetry.lock", "uv.lock",
					     "Pipfile.lock" };
	if (n == 0)
		return DD_OK;
	return dd_lang_parse_python_lock(d + 1, n - 1, kinds[d[0] % 4], s, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_lang_run(parse, data, size);
}
