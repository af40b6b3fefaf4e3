/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: VEX documents (dd_vex_parse: OpenVEX and CycloneDX VEX).
 * Properties: a parsed document yields statements that each have a
 * vulnerability, a product and one of the four OpenVEX statuses; a failure
 * leaves no statements and a NUL-terminated message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_vex_stmt *st = NULL;
	size_t n = 0;
	struct dd_err err;
	dd_code rc = dd_vex_parse((const char *)data, size, "fuzz.json", a, &st, &n, &err);
	if (rc != DD_OK) {
		if (n != 0 || st != NULL || !memchr(err.msg, 0, sizeof err.msg))
			abort();
	} else {
		for (size_t i = 0; i < n; i++) {
			const char *s = st[i].status;
			if (!st[i].vuln || !st[i].product || !s)
				abort();
			if (strcmp(s, "not_affected") && strcmp(s, "affected") && strcmp(s, "fixed") &&
			    strcmp(s, "under_investigation"))
				abort();
		}
	}
	dd_arena_free(a);
	return 0;
}
