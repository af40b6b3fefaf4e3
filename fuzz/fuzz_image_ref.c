/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image reference parsing (image/registry_ref.c). Properties: a parsed
 * reference has a registry, a lower-case repository that passes the
 * repository check, a tag or a digest; its canonical form parses to the
 * same reference (parse → format → parse is stable).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/registry.h"
#include "util/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_registry_ref r, again;
	struct dd_err err = { 0 };
	if (dd_registry_ref_parse((const char *)data, size, &r, &err) != DD_OK) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	if (!r.registry[0] || !dd_registry_valid_repository(r.repository, strlen(r.repository)))
		abort();
	if (!r.tag[0] && !r.digest[0])
		abort();
	if (r.tag[0] && !dd_registry_valid_tag(r.tag, strlen(r.tag)))
		abort();
	if (r.digest[0] && !dd_digest_valid(r.digest, strlen(r.digest)))
		abort();
	char buf[1024];
	size_t n = dd_registry_ref_format(&r, buf, sizeof buf);
	if (n >= sizeof buf)
		abort();
	if (dd_registry_ref_parse(buf, n, &again, &err) != DD_OK)
		abort();
	if (memcmp(&r, &again, sizeof r) != 0)
		abort();
	return 0;
}
