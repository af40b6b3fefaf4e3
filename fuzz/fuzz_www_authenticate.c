/* SPDX-License-Identifier: Apache-2.0 */
/*
 * WWW-Authenticate parsing (image/registry_auth.c). Properties: no crash or
 * overread; on success the chosen scheme is consistent (Bearer preferred),
 * and format → parse gives the same challenge back (the formatter's output
 * is always valid syntax).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_www_auth a, b;
	struct dd_err err = { 0 };
	if (dd_registry_parse_www_authenticate((const char *)data, size, &a, &err) != DD_OK) {
		if (err.code == DD_OK || !err.msg[0])
			abort(); /* every failure says why */
		return 0;
	}
	if (a.scheme == DD_AUTH_NONE)
		abort();
	static char buf[5 * DD_AUTH_REALM_MAX * 2 + 256];
	size_t n = dd_registry_format_www_authenticate(&a, buf, sizeof buf);
	if (n >= sizeof buf)
		abort();
	if (dd_registry_parse_www_authenticate(buf, n, &b, &err) != DD_OK)
		abort();
	if (memcmp(&a, &b, sizeof a) != 0)
		abort();
	return 0;
}
