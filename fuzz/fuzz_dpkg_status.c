/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: dpkg status parser (catalog/dpkg_status.c), both as a
 * status file and as a distroless status.d file. Properties: every
 * reported package has a non-empty name and version without blanks, at
 * most one package per stanza (bounded by the line count), and source
 * fields are always filled.
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/os_pkgdb.h"

struct count {
	size_t n;
};

static dd_code check(const struct dd_dpkg_rec *r, void *ud)
{
	struct count *c = ud;
	if (!r->name[0] || !r->version[0] || strpbrk(r->name, " \t") ||
	    strpbrk(r->version, " \t") || !r->source_name[0] || !r->source_version[0])
		abort();
	c->n++;
	return DD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (int opt = 0; opt < 2; opt++) {
		struct dd_sbom *s = dd_sbom_new();
		struct count c = { 0 };
		struct dd_err err;
		if (!s)
			return 0;
		if (dd_dpkg_parse("var/lib/dpkg/status", data, size, opt, check, &c, s, &err) ==
		    DD_OK && c.n > lines)
			abort();
		for (size_t i = 0; i < s->nwarnings; i++)
			if (strncmp(s->warnings[i], "var/lib/dpkg/status: line ", 26) != 0)
				abort(); /* every warning names file and line */
		dd_sbom_free(s);
	}
	return 0;
}
