/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small JSON tree for image metadata (OCI index, manifest and config,
 * docker-archive manifest.json), built from yajl's event parser so that depth
 * (DD_LIMIT_JSON_DEPTH) and size are bounded before anything is allocated.
 * Nodes live in the caller's arena. Objects keep members in document order;
 * lookups are linear, which suits documents of a few dozen keys. Not a
 * general JSON library: numbers keep their text and a double only.
 */
#ifndef DD_IMAGE_JSON_H
#define DD_IMAGE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

struct dd_arena;

enum dd_image_json_type {
	DD_IJ_NULL, DD_IJ_BOOL, DD_IJ_NUMBER, DD_IJ_STRING, DD_IJ_ARRAY, DD_IJ_OBJECT
};

struct dd_image_json {
	enum dd_image_json_type type;
	const char *key;              /* member name inside an object, else NULL */
	const char *str;              /* STRING: value; NUMBER: its text */
	size_t len;                   /* STRING/NUMBER: bytes of str */
	double num;
	bool b;
	struct dd_image_json *first;  /* ARRAY/OBJECT children */
	struct dd_image_json *next;   /* sibling */
	size_t n;                     /* ARRAY/OBJECT: number of children */
};

/* Parses p[0..n) (need not be NUL-terminated). DD_EINVAL with yajl's
 * message and byte offset on bad JSON; DD_ELIMIT past DD_LIMIT_JSON_DEPTH. */
dd_code dd_image_json_parse(const void *p, size_t n, struct dd_arena *a,
			    const struct dd_image_json **out, struct dd_err *err);

/* Member `key` of an object (NULL if obj is not an object or has none). */
const struct dd_image_json *dd_image_json_get(const struct dd_image_json *obj, const char *key);
/* The string value of member key, or NULL when absent or not a string. */
const char *dd_image_json_str(const struct dd_image_json *obj, const char *key);
/* A non-negative integer member; false when absent, not integral or too big. */
bool dd_image_json_u64(const struct dd_image_json *obj, const char *key, uint64_t *out);

#endif
