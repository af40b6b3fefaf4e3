/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON tree over yajl's callback parser (json.h). yajl validates UTF-8
 * and syntax; we only build nodes, counting depth on the way down so that a
 * hostile "[[[[..." is refused at DD_LIMIT_JSON_DEPTH instead of growing a
 * stack without bound.
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "util/json.h"
#include "util/arena.h"
#include "util/limits.h"

struct builder {
	struct dd_arena *a;
	struct dd_json *stack[DD_LIMIT_JSON_DEPTH + 1];
	struct dd_json *last[DD_LIMIT_JSON_DEPTH + 1]; /* last child per level */
	int depth;
	const char *pending_key;
	struct dd_json *root;
	int too_deep;
};

static struct dd_json *add(struct builder *b, enum dd_json_type t)
{
	struct dd_json *n = dd_arena_alloc(b->a, sizeof *n);
	if (!n)
		return NULL;
	n->type = t;
	if (b->depth == 0) {
		if (b->root)
			return NULL; /* a second top-level value */
		b->root = n;
		return n;
	}
	struct dd_json *parent = b->stack[b->depth - 1];
	if (parent->type == DD_JSON_OBJECT) {
		n->key = b->pending_key;
		b->pending_key = NULL;
	}
	if (b->last[b->depth - 1])
		b->last[b->depth - 1]->next = n;
	else
		parent->first = n;
	b->last[b->depth - 1] = n;
	parent->n++;
	return n;
}

static int on_null(void *ctx)
{
	return add(ctx, DD_JSON_NULL) != NULL;
}

static int on_bool(void *ctx, int v)
{
	struct dd_json *n = add(ctx, DD_JSON_BOOL);
	if (n)
		n->b = v != 0;
	return n != NULL;
}

static int on_number(void *ctx, const char *s, size_t len)
{
	struct builder *b = ctx;
	struct dd_json *n = add(b, DD_JSON_NUMBER);
	if (!n)
		return 0;
	n->str = dd_arena_strndup(b->a, s, len);
	n->len = len;
	if (!n->str)
		return 0;
	n->num = strtod(n->str, NULL);
	return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	struct builder *b = ctx;
	struct dd_json *n = add(b, DD_JSON_STRING);
	if (!n)
		return 0;
	n->str = dd_arena_strndup(b->a, (const char *)s, len);
	n->len = len;
	return n->str != NULL;
}

static int open_container(struct builder *b, enum dd_json_type t)
{
	if (b->depth >= DD_LIMIT_JSON_DEPTH) {
		b->too_deep = 1;
		return 0;
	}
	struct dd_json *n = add(b, t);
	if (!n)
		return 0;
	b->stack[b->depth] = n;
	b->last[b->depth] = NULL;
	b->depth++;
	return 1;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, DD_JSON_OBJECT);
}

static int on_map_key(void *ctx, const unsigned char *s, size_t len)
{
	struct builder *b = ctx;
	b->pending_key = dd_arena_strndup(b->a, (const char *)s, len);
	return b->pending_key != NULL;
}

static int on_end(void *ctx)
{
	struct builder *b = ctx;
	if (b->depth > 0)
		b->depth--;
	return 1;
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, DD_JSON_ARRAY);
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_bool,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_map_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

dd_code dd_json_parse(const void *p, size_t n, struct dd_arena *a,
			    const struct dd_json **out, struct dd_err *err)
{
	struct builder b = { .a = a };
	*out = NULL;
	yajl_handle h = yajl_alloc(&callbacks, NULL, &b);
	if (!h)
		return dd_err_set(err, DD_ENOMEM, "out of memory starting the JSON parser");
	yajl_status st = yajl_parse(h, p, n);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	dd_code rc = DD_OK;
	if (b.too_deep) {
		rc = dd_err_set(err, DD_ELIMIT, "JSON nested deeper than %d levels",
				DD_LIMIT_JSON_DEPTH);
	} else if (dd_arena_status(a)) {
		rc = dd_err_set(err, dd_arena_status(a), "out of memory parsing JSON");
	} else if (st != yajl_status_ok) {
		unsigned char *msg = yajl_get_error(h, 0, p, n);
		size_t off = yajl_get_bytes_consumed(h);
		rc = dd_err_set(err, DD_EINVAL, "invalid JSON near byte %zu: %s", off,
				msg ? (const char *)msg : "parse error");
		if (msg)
			yajl_free_error(h, msg);
	} else if (!b.root) {
		rc = dd_err_set(err, DD_EINVAL, "invalid JSON: empty document");
	}
	yajl_free(h);
	if (!rc)
		*out = b.root;
	return rc;
}

const struct dd_json *dd_json_get(const struct dd_json *obj, const char *key)
{
	if (!obj || obj->type != DD_JSON_OBJECT)
		return NULL;
	const struct dd_json *found = NULL;
	/* Duplicate keys: the last one wins, as in Go's encoding/json which
	 * wrote most of these documents. */
	for (const struct dd_json *c = obj->first; c; c = c->next)
		if (c->key && strcmp(c->key, key) == 0)
			found = c;
	return found;
}

const char *dd_json_string(const struct dd_json *v)
{
	if (!v || v->type != DD_JSON_STRING || memchr(v->str, '\0', v->len))
		return NULL;
	return v->str;
}

const char *dd_json_str(const struct dd_json *obj, const char *key)
{
	return dd_json_string(dd_json_get(obj, key));
}

bool dd_json_is_true(const struct dd_json *v)
{
	return v && v->type == DD_JSON_BOOL && v->b;
}

const struct dd_json *dd_json_as(const struct dd_json *v, enum dd_json_type t)
{
	return v && v->type == t ? v : NULL;
}

bool dd_json_u64(const struct dd_json *obj, const char *key, uint64_t *out)
{
	const struct dd_json *v = dd_json_get(obj, key);
	if (!v || v->type != DD_JSON_NUMBER || v->len == 0 || v->len > 19)
		return false;
	uint64_t x = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (v->str[i] < '0' || v->str[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(v->str[i] - '0');
	}
	*out = x;
	return true;
}

dd_code dd_json_doc_parse(struct dd_json_doc *doc, const void *p, size_t n, struct dd_err *err)
{
	doc->root = NULL;
	doc->arena = dd_arena_new(0);
	if (!doc->arena)
		return dd_err_set(err, DD_ENOMEM, "out of memory parsing JSON");
	return dd_json_parse(p, n, doc->arena, &doc->root, err);
}

void dd_json_doc_release(struct dd_json_doc *doc)
{
	dd_arena_free(doc->arena);
	doc->arena = NULL;
	doc->root = NULL;
}
