/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Link header parsing for paginated listings (image/registry_auth.c).
 * Properties: the "next" URL found is non-empty, NUL-terminated within its
 * buffer and holds no spaces or control characters (it becomes a request).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char url[DD_LINK_URL_MAX];
	struct dd_err err = { 0 };
	dd_code rc = dd_registry_parse_link_next((const char *)data, size, url, &err);
	if (rc != DD_OK)
		return 0;
	size_t n = strnlen(url, sizeof url);
	if (n == 0 || n == sizeof url)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			abort();
	return 0;
}
