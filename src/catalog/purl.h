/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Package URLs (https://github.com/package-url/purl-spec, PURL-SPECIFICATION.rst):
 * pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH. Every cataloger builds
 * its purls here so that encoding is done one way: namespace segments, name
 * and version percent-encoded, qualifiers sorted by key, empty values dropped.
 */
#ifndef DD_PURL_H
#define DD_PURL_H

#include <stdbool.h>
#include <stddef.h>

struct dd_arena;

struct dd_purl_qualifier {
	const char *key;     /* lower-case ASCII */
	const char *value;   /* NULL or "" = left out */
};

/* Returns the purl in the arena, or NULL on out of memory. type is
 * lower-cased; namespace may be NULL or contain '/'-separated segments. */
char *dd_purl_format(struct dd_arena *a, const char *type, const char *namespace_,
		     const char *name, const char *version,
		     const struct dd_purl_qualifier *q, size_t nq);

/* The same into buf[0..cap), NUL-terminated, for a caller that copies it
 * anyway (dd_lang_emit: the SBOM keeps its own copy). NULL when it does not
 * fit; then dd_purl_format. */
char *dd_purl_format_to(char *buf, size_t cap, const char *type, const char *namespace_,
			const char *name, const char *version,
			const struct dd_purl_qualifier *q, size_t nq);

/* Whether purl is the package `want` names: want is a purl with or without
 * version and qualifiers ("pkg:apk/alpine/musl" matches every version,
 * "pkg:apk/alpine/musl@1.1.22-r3" that version on every arch). NULLs never
 * match. */
bool dd_purl_match(const char *want, const char *purl);

#endif
