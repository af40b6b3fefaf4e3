/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: scan records (dd_scan_record_parse, `drydock scans import`).
 * Properties: a parsed record has an image digest, every finding points at
 * a package of the SBOM, and every CVSS score is within 0..10.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_scan_result *r = NULL;
	struct dd_err err;
	if (dd_scan_record_parse((const char *)data, size, "fuzz.json", &r, &err) != DD_OK) {
		if (r || !memchr(err.msg, 0, sizeof err.msg))
			abort();
		return 0;
	}
	if (!r->sbom->image.manifest_digest && !r->sbom->image.config_digest)
		abort();
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dd_finding *f = &r->findings[i];
		if (f->pkg >= r->sbom->npkgs || !f->id)
			abort();
		for (size_t j = 0; j < f->ncvss; j++)
			if (f->cvss[j].score < 0 || f->cvss[j].score > 10)
				abort();
	}
	dd_scan_record_free(r);
	return 0;
}
