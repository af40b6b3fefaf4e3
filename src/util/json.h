/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one JSON reader of drydock: a read-only tree built from yajl's event
 * parser, for untrusted documents of bounded size (image manifests and
 * configs, lockfiles, installed-package metadata, advisory fields).
 * Depth is bounded (DD_LIMIT_JSON_DEPTH) while parsing, before any node of
 * the deeper level exists, so a hostile "[[[[..." costs nothing and no walker
 * of the tree can recurse without limit. Nodes and strings live in the
 * caller's arena (util/arena.h), so there is nothing to free per document:
 * free the arena. A capped arena bounds the memory a document may take: a
 * node is about 80 bytes, so "[0,0,0,...]" can need ~40 bytes per input byte
 * (yajl_tree needed more); callers that already bound the input size may use
 * an uncapped arena (dd_arena_new(0)).
 *
 * Not a general JSON library: no writer, no mutation, numbers keep their text
 * (and a double). Objects keep members in document order and lookups are
 * linear, which suits the few-dozen-key objects we read; for big maps walk the
 * children once (dd_json_each).
 *
 * Typical use:
 *
 *	struct dd_json_doc doc;
 *	dd_code rc = dd_json_doc_parse(&doc, data, n, err);  // or dd_json_parse into your arena
 *	if (!rc) {
 *		const struct dd_json *pkgs = dd_json_get(doc.root, "packages");
 *		dd_json_each(p, pkgs)               // array elements or object members
 *			use(p->key, dd_json_str(p, "version"));
 *	}
 *	dd_json_doc_release(&doc);
 *
 * Streaming readers that want only a few fields of a large document (see
 * catalog/npm_package.c) may still use yajl_parse directly; everything that
 * wants a tree uses this module. Thread-safety: none needed, no global state.
 */
#ifndef DD_UTIL_JSON_H
#define DD_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

struct dd_arena;

enum dd_json_type {
	DD_JSON_NULL, DD_JSON_BOOL, DD_JSON_NUMBER, DD_JSON_STRING, DD_JSON_ARRAY, DD_JSON_OBJECT
};

struct dd_json {
	enum dd_json_type type;
	const char *key;         /* member name inside an object, else NULL */
	const char *str;         /* STRING: value (NUL-terminated; may hold NULs); NUMBER: its text */
	size_t len;              /* STRING/NUMBER: bytes of str */
	double num;              /* NUMBER */
	bool b;                  /* BOOL */
	struct dd_json *first;   /* ARRAY/OBJECT: first child */
	struct dd_json *next;    /* next sibling */
	size_t n;                /* ARRAY/OBJECT: number of children */
};

/* Parses p[0..n) (need not be NUL-terminated) into a tree in arena a.
 * Errors: DD_EINVAL "invalid JSON near byte N: <yajl's message>" (also for an
 * empty document), DD_ELIMIT past DD_LIMIT_JSON_DEPTH, DD_ENOMEM when the
 * arena is exhausted (its cap reached). The caller prefixes the file name. */
dd_code dd_json_parse(const void *p, size_t n, struct dd_arena *a,
		      const struct dd_json **out, struct dd_err *err);

/* One-off documents without an arena of their own: parses into a fresh
 * uncapped arena that doc owns. On error doc->root is NULL and err is set as
 * for dd_json_parse; call dd_json_doc_release(doc) in every case. */
struct dd_json_doc {
	struct dd_arena *arena;
	const struct dd_json *root;
};
dd_code dd_json_doc_parse(struct dd_json_doc *doc, const void *p, size_t n, struct dd_err *err);
void dd_json_doc_release(struct dd_json_doc *doc);

/* Member `key` of an object; NULL if obj is NULL, not an object, or has no
 * such member. Duplicate keys: the last one wins (Go's encoding/json). */
const struct dd_json *dd_json_get(const struct dd_json *obj, const char *key);
/* The string value of member key; NULL when absent, not a string, or holding
 * a NUL byte (so the result is safe as a C string). */
const char *dd_json_str(const struct dd_json *obj, const char *key);
/* A non-negative integer member; false when absent, not integral or too big. */
bool dd_json_u64(const struct dd_json *obj, const char *key, uint64_t *out);
/* True when v is the literal true (false for NULL). */
bool dd_json_is_true(const struct dd_json *v);
/* v when it is of type t, else NULL: dd_json_each(c, dd_json_as(v, DD_JSON_ARRAY)). */
const struct dd_json *dd_json_as(const struct dd_json *v, enum dd_json_type t);
/* v's string value as a C string, or NULL (not a string, or holds a NUL). */
const char *dd_json_string(const struct dd_json *v);

/* Iterates the children of an array or object (members carry ->key); a NULL
 * or scalar parent has none. */
#define dd_json_each(c, parent) \
	for (const struct dd_json *c = (parent) ? (parent)->first : NULL; c; c = c->next)

#endif
