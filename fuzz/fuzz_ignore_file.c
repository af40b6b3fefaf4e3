/* SPDX-License-Identifier: Apache-2.0 */
/* The scan ignore file parser: no crash, every accepted rule has an id and
 * a reason, and a rejected file returns no rules. */
#include <assert.h>
#include <stdint.h>

#include "dd/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_ignore *ig = NULL;
	struct dd_err err;
	dd_code rc = dd_ignore_parse((const char *)data, size, "fuzz.yaml", &ig, &err);
	if (rc == DD_OK) {
		for (size_t i = 0; i < ig->nrules; i++)
			assert(ig->rules[i].id && ig->rules[i].reason && *ig->rules[i].reason);
	} else {
		assert(ig == NULL && err.msg[0]);
	}
	dd_ignore_free(ig);
	return 0;
}
