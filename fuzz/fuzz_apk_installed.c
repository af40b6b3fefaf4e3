/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: apk installed-database parser (catalog/apk_installed.c).
 * Properties: packages have a name and version, file paths are canonical
 * (relative, no "." or ".." components, no empty components), and the
 * path bytes stay within the documented budget.
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/os_pkgdb.h"

struct st {
	size_t bytes;
};

static void check_path(const char *p)
{
	if (!*p || *p == '/' || p[strlen(p) - 1] == '/' || strstr(p, "//"))
		abort();
	for (const char *c = p; c;) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);
		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			abort();
		c = e ? e + 1 : NULL;
	}
}

static dd_code check(const struct dd_apk_rec *r, void *ud)
{
	struct st *s = ud;
	if (!r->name[0] || !r->version[0])
		abort();
	for (size_t i = 0; i < r->nfiles; i++) {
		check_path(r->files[i]);
		s->bytes += strlen(r->files[i]) + 2;
	}
	return DD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_sbom *s = dd_sbom_new();
	struct st st = { 0 };
	struct dd_err err;
	if (!s)
		return 0;
	dd_apk_parse("lib/apk/db/installed", data, size, check, &st, s, &err);
	if (st.bytes > 16 * size + (1u << 20))
		abort();
	for (size_t i = 0; i < s->nwarnings; i++)
		if (strncmp(s->warnings[i], "lib/apk/db/installed: ", 22) != 0)
			abort();
	dd_sbom_free(s);
	return 0;
}
