/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: os-release parser (catalog/distro.c). Properties: fields
 * are NULL or non-empty, contain no newline, and each is no longer than
 * the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/os_pkgdb.h"
#include "util/arena.h"

static void check(const char *v, size_t size)
{
	if (v && (!*v || strchr(v, '\n') || strlen(v) > size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_sbom *s = dd_sbom_new();
	struct dd_distro d = { 0 };
	struct dd_err err;
	if (!s)
		return 0;
	if (dd_os_release_parse("etc/os-release", data, size, &d, s->arena, s, &err) == DD_OK) {
		check(d.id, size);
		check(d.id_like, size);
		check(d.version_id, size);
		check(d.version, size);
		check(d.codename, size);
		check(d.pretty_name, size);
	}
	dd_sbom_free(s);
	return 0;
}
