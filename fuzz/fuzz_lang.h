/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared body of the language-cataloger fuzz targets: runs one parser with
 * a counting sink and checks properties of every package it emits (a
 * non-empty name without NUL, a purl "pkg:TYPE/..." of the declared type,
 * a location), that the count matches, and that a failure says why.
 */
#ifndef DD_FUZZ_LANG_H
#define DD_FUZZ_LANG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/lang.h"

struct fuzz_seen {
	size_t n;
};

static void fuzz_check_pkg(void *ud, const struct dd_package *p)
{
	struct fuzz_seen *s = ud;
	s->n++;
	if (!p->name || !*p->name || !p->type || !p->purl || !p->location)
		abort();
	size_t tl = strlen(p->type);
	if (strncmp(p->purl, "pkg:", 4) || strncmp(p->purl + 4, p->type, tl) || p->purl[4 + tl] != '/')
		abort();
}

typedef dd_code (*fuzz_parse_fn)(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				 struct dd_err *err);

static inline int fuzz_lang_run(fuzz_parse_fn fn, const uint8_t *data, size_t size)
{
	struct fuzz_seen seen = { 0 };
	struct dd_lang_sink sink = { .cataloger = "fuzz", .location = "fuzz/input", .layer = 0,
				     .on_pkg = fuzz_check_pkg, .ud = &seen };
	struct dd_err err;
	dd_err_clear(&err);
	dd_code rc = fn(data, size, &sink, &err);
	if (seen.n != sink.count)
		abort();
	if (rc != DD_OK && err.msg[0] == '\0')
		abort(); /* every failure names its cause */
	return 0;
}

#endif
