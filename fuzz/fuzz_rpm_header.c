/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: rpm header blob decoder (catalog/rpm_header.c). Properties:
 * a decoded header has name, version and release; file paths are canonical
 * and their bytes stay within the header's expansion budget; decoding
 * without files gives the same package fields.
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/os_pkgdb.h"
#include "util/arena.h"

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_rpm_hdr h, h2;
	struct dd_err err;
	if (!a)
		return 0;
	if (dd_rpm_header_parse(data, size, true, &h, a, &err) == DD_OK) {
		if (!h.name || !h.version || !h.release)
			abort();
		size_t bytes = 0;
		for (size_t i = 0; i < h.nfiles; i++) {
			const char *p = h.files[i];
			if (!*p || *p == '/' || strstr(p, "//") || strstr(p, "/../") ||
			    strncmp(p, "../", 3) == 0)
				abort();
			bytes += strlen(p) + 1;
		}
		if (bytes > 32 * size + 65536)
			abort();
		if (dd_rpm_header_parse(data, size, false, &h2, a, &err) != DD_OK ||
		    !same(h.name, h2.name) || !same(h.version, h2.version) ||
		    !same(h.release, h2.release) || !same(h.arch, h2.arch) ||
		    h.has_epoch != h2.has_epoch || h.epoch != h2.epoch)
			abort();
	}
	dd_arena_free(a);
	return 0;
}
