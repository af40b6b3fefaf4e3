/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming record reader for JSON (yajl callbacks) and YAML (libyaml
 * events); see feed_json.h. The point is the memory bound: outside a record
 * only the path stack is kept (depth ≤ DD_LIMIT_JSON_DEPTH, keys truncated
 * to 255 bytes), inside one a tree in a per-record arena capped at
 * max_record. A record past the cap or the depth limit is skipped (counted
 * by the caller through on_skip) and parsing goes on, so one hostile record
 * never costs the rest of a feed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <yajl/yajl_parse.h>
#include <yaml.h>

#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"
#include "vulndb/feed_json.h"

#define FJ_MAX_COMPONENTS 8
#define FJ_KEY_MAX 256

struct pattern {
	const char *comp[FJ_MAX_COMPONENTS];
	char store[256];
	int ncomp;
};

struct level {
	bool is_arr;
	bool key_long;
	char key[FJ_KEY_MAX];
};

struct fjs {
	const struct fj_stream_opts *o;
	struct pattern *pats;
	size_t npats;
	size_t max_record;
	struct dd_arena *ext_arena; /* fj_parse: keep the tree */

	struct level lv[DD_LIMIT_JSON_DEPTH + 1];
	int depth;

	/* capture */
	bool capturing;
	int cdepth;
	struct dd_arena *arena;
	struct fj *stack[DD_LIMIT_JSON_DEPTH + 1];
	const char *pending_key;
	size_t pending_len;
	int rec_pattern;
	bool rec_has_key;
	char rec_key[FJ_KEY_MAX];

	/* skipping a record that broke a limit */
	bool skipping;
	int sdepth;
	const char *skip_why;

	unsigned long index;
	unsigned long long base;   /* bytes of earlier chunks */
	yajl_handle h;
	dd_code rc;
	struct dd_err *err;
};

static dd_code compile_patterns(struct fjs *s, struct dd_err *err)
{
	s->npats = s->o->npatterns;
	s->pats = dd_calloc(s->npats ? s->npats : 1, sizeof *s->pats);
	if (!s->pats)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->npats; i++) {
		struct pattern *p = &s->pats[i];
		size_t n = strlen(s->o->patterns[i]);
		if (n >= sizeof p->store)
			return dd_err_set(err, DD_EUSAGE, "record path too long");
		memcpy(p->store, s->o->patterns[i], n + 1);
		if (n == 0)
			continue;
		char *c = p->store;
		for (;;) {
			if (p->ncomp == FJ_MAX_COMPONENTS)
				return dd_err_set(err, DD_EUSAGE, "record path too deep");
			p->comp[p->ncomp++] = c;
			char *dot = strchr(c, '.');
			if (!dot)
				break;
			*dot = '\0';
			c = dot + 1;
		}
	}
	return DD_OK;
}

/* Which pattern (if any) selects the value about to start at s->depth. */
static int match(const struct fjs *s)
{
	for (size_t i = 0; i < s->npats; i++) {
		const struct pattern *p = &s->pats[i];
		if (p->ncomp != s->depth)
			continue;
		int ok = 1;
		for (int d = 0; d < s->depth && ok; d++) {
			const char *c = p->comp[d];
			const struct level *l = &s->lv[d];
			if (strcmp(c, "[]") == 0)
				ok = l->is_arr;
			else if (strcmp(c, "*") == 0)
				ok = !l->is_arr && !l->key_long;
			else
				ok = !l->is_arr && !l->key_long && strcmp(c, l->key) == 0;
		}
		if (ok)
			return (int)i;
	}
	return -1;
}

static void skip_begin(struct fjs *s, const char *why, int open_containers)
{
	s->capturing = false;
	s->skipping = true;
	s->sdepth = open_containers;
	s->skip_why = why;
	if (!s->ext_arena) {
		dd_arena_free(s->arena);
		s->arena = NULL;
	}
}

static void skip_end(struct fjs *s)
{
	s->skipping = false;
	if (s->o->on_skip)
		s->o->on_skip(s->o->ud, s->index, s->skip_why);
	s->index++;
}

static int deliver(struct fjs *s, struct fj *root)
{
	struct fj_record r = {
		.pattern = s->rec_pattern,
		.key = s->rec_has_key ? s->rec_key : NULL,
		.node = root,
		.index = s->index++,
		.offset = s->base + (s->h ? yajl_get_bytes_consumed(s->h) : 0),
	};
	dd_code rc = s->o->on_record(s->o->ud, &r, s->err);
	s->capturing = false;
	if (!s->ext_arena) {
		dd_arena_free(s->arena);
		s->arena = NULL;
	}
	if (rc != DD_OK) {
		s->rc = rc;
		return 0;
	}
	return 1;
}

/* A new value (scalar or container start) arrives. Returns the node when
 * it is captured, NULL when not (or skipped). *fail set on a fatal error. */
static struct fj *value_start(struct fjs *s, enum fj_type t, const char *str, size_t len,
			      bool container, int *fail)
{
	*fail = 0;
	if (s->skipping) {
		if (container)
			s->sdepth++;
		return NULL;
	}
	if (!s->capturing) {
		int p = match(s);
		if (p < 0) {
			if (container) {
				if (s->depth >= DD_LIMIT_JSON_DEPTH) {
					s->rc = dd_err_set(s->err, DD_ELIMIT,
							   "JSON nested deeper than %d levels",
							   DD_LIMIT_JSON_DEPTH);
					*fail = 1;
					return NULL;
				}
				struct level *l = &s->lv[s->depth++];
				l->is_arr = t == FJ_ARR;
				l->key[0] = '\0';
				l->key_long = false;
			}
			return NULL;
		}
		s->rec_pattern = p;
		s->rec_has_key = s->depth > 0 && !s->lv[s->depth - 1].is_arr;
		if (s->rec_has_key)
			memcpy(s->rec_key, s->lv[s->depth - 1].key, FJ_KEY_MAX);
		if (!s->ext_arena) {
			s->arena = dd_arena_new(s->max_record);
			if (!s->arena) {
				s->rc = dd_err_set(s->err, DD_ENOMEM, "out of memory");
				*fail = 1;
				return NULL;
			}
		} else {
			s->arena = s->ext_arena;
		}
		s->capturing = true;
		s->cdepth = 0;
		s->pending_key = NULL;
	}
	struct fj *n = dd_arena_alloc(s->arena, sizeof *n);
	char *copy = NULL;
	if (n && str) {
		copy = dd_arena_strndup(s->arena, str, len);
		if (!copy)
			n = NULL;
	}
	if (!n) {
		if (dd_arena_status(s->arena) == DD_ENOMEM) {
			s->rc = dd_err_set(s->err, DD_ENOMEM, "out of memory");
			*fail = 1;
			return NULL;
		}
		skip_begin(s, "record larger than the record size limit", container ? 1 + s->cdepth : s->cdepth);
		if (s->sdepth == 0)
			skip_end(s);
		return NULL;
	}
	n->type = t;
	n->str = copy;
	n->len = len;
	if (s->cdepth > 0) {
		struct fj *parent = s->stack[s->cdepth - 1];
		if (parent->type == FJ_OBJ) {
			n->key = s->pending_key ? s->pending_key : "";
			s->pending_key = NULL;
		}
		if (parent->last)
			parent->last->next = n;
		else
			parent->first = n;
		parent->last = n;
		parent->n++;
	}
	if (container) {
		if (s->cdepth >= DD_LIMIT_JSON_DEPTH) {
			skip_begin(s, "record nested too deeply", s->cdepth + 1);
			return NULL;
		}
		s->stack[s->cdepth++] = n;
	} else if (s->cdepth == 0) {
		if (!deliver(s, n))
			*fail = 1;
		return NULL;
	}
	return n;
}

static int value_end(struct fjs *s)
{
	if (s->skipping) {
		if (--s->sdepth == 0)
			skip_end(s);
		return 1;
	}
	if (s->capturing) {
		struct fj *n = s->stack[--s->cdepth];
		if (s->cdepth == 0)
			return deliver(s, n);
		return 1;
	}
	if (s->depth > 0)
		s->depth--;
	return 1;
}

static int scalar(struct fjs *s, enum fj_type t, const char *str, size_t len)
{
	int fail;
	value_start(s, t, str, len, false, &fail);
	return !fail;
}

static int cb_null(void *ctx)
{
	return scalar(ctx, FJ_NULL, NULL, 0);
}

static int cb_bool(void *ctx, int b)
{
	return scalar(ctx, FJ_BOOL, b ? "true" : "false", b ? 4 : 5);
}

static int cb_number(void *ctx, const char *s, size_t n)
{
	return scalar(ctx, FJ_NUM, s, n);
}

static int cb_string(void *ctx, const unsigned char *str, size_t n)
{
	return scalar(ctx, FJ_STR, (const char *)str, n);
}

static int cb_start_map(void *ctx)
{
	int fail;
	value_start(ctx, FJ_OBJ, NULL, 0, true, &fail);
	return !fail;
}

static int cb_start_array(void *ctx)
{
	int fail;
	value_start(ctx, FJ_ARR, NULL, 0, true, &fail);
	return !fail;
}

static int cb_end(void *ctx)
{
	return value_end(ctx);
}

static int cb_key(void *ctx, const unsigned char *key, size_t n)
{
	struct fjs *s = ctx;
	if (s->skipping)
		return 1;
	if (s->capturing) {
		s->pending_key = dd_arena_strndup(s->arena, (const char *)key, n);
		if (!s->pending_key) {
			if (dd_arena_status(s->arena) == DD_ENOMEM) {
				s->rc = dd_err_set(s->err, DD_ENOMEM, "out of memory");
				return 0;
			}
			skip_begin(s, "record larger than the record size limit", s->cdepth);
			if (s->sdepth == 0)
				skip_end(s);
		}
		return 1;
	}
	if (s->depth == 0)
		return 1;
	struct level *l = &s->lv[s->depth - 1];
	l->key_long = n >= FJ_KEY_MAX || memchr(key, '\0', n) != NULL;
	size_t c = l->key_long ? 0 : n;
	memcpy(l->key, key, c);
	l->key[c] = '\0';
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_bool,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

static dd_code stream_init(struct fjs *s, const struct fj_stream_opts *o, struct dd_err *err)
{
	memset(s, 0, sizeof *s);
	s->o = o;
	s->err = err;
	s->max_record = o->max_record ? o->max_record : DD_LIMIT_FEED_RECORD_BYTES;
	return compile_patterns(s, err);
}

static void stream_release(struct fjs *s)
{
	if (!s->ext_arena)
		dd_arena_free(s->arena);
	s->arena = NULL;
	free(s->pats);
}

static dd_code json_error(struct fjs *s, const unsigned char *chunk, size_t n, struct dd_err *err)
{
	unsigned char *msg = yajl_get_error(s->h, 0, chunk, n);
	unsigned long long at = s->base + yajl_get_bytes_consumed(s->h);
	dd_code rc = dd_err_set(err, DD_EINVAL, "invalid JSON at byte %llu: %s", at,
				msg ? (const char *)msg : "syntax error");
	if (msg)
		yajl_free_error(s->h, msg);
	/* strip yajl's trailing newline */
	size_t l = strlen(err ? err->msg : "");
	while (err && l && (err->msg[l - 1] == '\n' || err->msg[l - 1] == ' '))
		err->msg[--l] = '\0';
	return rc;
}

static dd_code run_json(struct fjs *s, fj_read_fn rd, void *rd_ud, struct dd_err *err)
{
	dd_code rc = DD_OK;
	unsigned char *buf = dd_malloc(64 * 1024);
	s->h = yajl_alloc(&callbacks, NULL, s);
	if (!buf || !s->h) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	yajl_config(s->h, yajl_allow_multiple_values, 1);
	yajl_config(s->h, yajl_dont_validate_strings, 0);
	for (;;) {
		size_t got = 0;
		rc = rd(rd_ud, buf, 64 * 1024, &got, err);
		if (rc)
			goto out;
		yajl_status st = got ? yajl_parse(s->h, buf, got) : yajl_complete_parse(s->h);
		if (st == yajl_status_client_canceled) {
			rc = s->rc ? s->rc : dd_err_set(err, DD_EINVAL, "parse stopped");
			goto out;
		}
		if (st == yajl_status_error) {
			rc = json_error(s, buf, got, err);
			goto out;
		}
		if (!got)
			break;
		s->base += got;
	}
	if (s->capturing || s->skipping || s->depth)
		rc = dd_err_set(err, DD_EINVAL, "JSON ends inside a value");
out:
	if (s->h)
		yajl_free(s->h);
	s->h = NULL;
	free(buf);
	return rc;
}

/* fj_parse's path: the text is already in memory, no read buffer. */
static dd_code run_json_mem(struct fjs *s, const unsigned char *text, size_t n, struct dd_err *err)
{
	dd_code rc = DD_OK;
	s->h = yajl_alloc(&callbacks, NULL, s);
	if (!s->h)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	yajl_config(s->h, yajl_allow_multiple_values, 1);
	yajl_status st = yajl_parse(s->h, text, n);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(s->h);
	if (st == yajl_status_client_canceled)
		rc = s->rc ? s->rc : dd_err_set(err, DD_EINVAL, "parse stopped");
	else if (st == yajl_status_error)
		rc = json_error(s, text, n, err);
	else if (s->capturing || s->skipping || s->depth)
		rc = dd_err_set(err, DD_EINVAL, "JSON ends inside a value");
	yajl_free(s->h);
	s->h = NULL;
	return rc;
}

dd_code fj_stream(fj_read_fn rd, void *rd_ud, const struct fj_stream_opts *o, struct dd_err *err)
{
	struct fjs s;
	dd_code rc = stream_init(&s, o, err);
	if (rc == DD_OK)
		rc = run_json(&s, rd, rd_ud, err);
	stream_release(&s);
	return rc;
}

struct parse_ud {
	struct fj *root;
};

static dd_code keep_root(void *ud, const struct fj_record *rec, struct dd_err *err)
{
	struct parse_ud *p = ud;
	if (p->root)
		return dd_err_set(err, DD_EINVAL, "more than one JSON value");
	p->root = rec->node;
	return DD_OK;
}

struct fj *fj_parse(struct dd_arena *a, const char *text, size_t n, struct dd_err *err)
{
	static const char *const all[] = { "" };
	struct parse_ud p = { 0 };
	struct fj_stream_opts o = { .patterns = all, .npatterns = 1, .on_record = keep_root, .ud = &p };
	struct fjs s;
	if (stream_init(&s, &o, err)) {
		stream_release(&s);
		return NULL;
	}
	s.ext_arena = a;
	dd_code rc = run_json_mem(&s, (const unsigned char *)text, n, err);
	stream_release(&s);
	if (rc == DD_OK && !p.root)
		rc = dd_err_set(err, DD_EINVAL, "empty JSON text");
	if (rc == DD_OK && s.index != 1)
		rc = dd_err_set(err, DD_ELIMIT, "JSON value too large");
	return rc == DD_OK ? p.root : NULL;
}

/* ------------------------------------------------------------------ YAML -- */

struct yrd {
	fj_read_fn rd;
	void *ud;
	size_t total, max;
	dd_code rc;
	struct dd_err *err;
};

static int yaml_read(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	struct yrd *y = data;
	*size_read = 0;
	dd_code rc = y->rd(y->ud, buffer, size, size_read, y->err);
	if (rc) {
		y->rc = rc;
		return 0;
	}
	y->total += *size_read;
	if (y->total > y->max) {
		y->rc = dd_err_set(y->err, DD_ELIMIT, "YAML document larger than %zu bytes", y->max);
		return 0;
	}
	return 1;
}

/* Walks a finished tree and delivers the nodes the patterns select. */
static int walk(struct fjs *s, struct fj *n)
{
	int p = match(s);
	if (p >= 0) {
		s->rec_pattern = p;
		s->rec_has_key = s->depth > 0 && !s->lv[s->depth - 1].is_arr;
		if (s->rec_has_key)
			memcpy(s->rec_key, s->lv[s->depth - 1].key, FJ_KEY_MAX);
		struct fj_record r = { .pattern = p, .key = s->rec_has_key ? s->rec_key : NULL,
				       .node = n, .index = s->index++ };
		dd_code rc = s->o->on_record(s->o->ud, &r, s->err);
		if (rc) {
			s->rc = rc;
			return 0;
		}
		return 1;
	}
	if (n->type != FJ_ARR && n->type != FJ_OBJ)
		return 1;
	if (s->depth >= DD_LIMIT_JSON_DEPTH)
		return 1;
	struct level *l = &s->lv[s->depth++];
	l->is_arr = n->type == FJ_ARR;
	for (struct fj *c = n->first; c; c = c->next) {
		if (!l->is_arr) {
			size_t kl = strlen(c->key ? c->key : "");
			l->key_long = kl >= FJ_KEY_MAX;
			memcpy(l->key, l->key_long ? "" : c->key ? c->key : "", l->key_long ? 1 : kl + 1);
		}
		if (!walk(s, c)) {
			s->depth--;
			return 0;
		}
	}
	s->depth--;
	return 1;
}

static void yadd(struct fj *parent, struct fj *n)
{
	if (parent->last)
		parent->last->next = n;
	else
		parent->first = n;
	parent->last = n;
	parent->n++;
}

dd_code fj_yaml_stream(fj_read_fn rd, void *rd_ud, const struct fj_stream_opts *o, struct dd_err *err)
{
	struct fjs s;
	dd_code rc = stream_init(&s, o, err);
	yaml_parser_t parser;
	bool parser_ok = false;
	struct yrd y = { rd, rd_ud, 0, s.max_record, DD_OK, err };
	struct fj *stack[DD_LIMIT_JSON_DEPTH + 1];
	bool want_key[DD_LIMIT_JSON_DEPTH + 1];
	const char *key = NULL;
	int depth = 0;
	struct fj *root = NULL;
	if (rc)
		goto out;
	if (!yaml_parser_initialize(&parser)) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	parser_ok = true;
	yaml_parser_set_input(&parser, yaml_read, &y);
	for (bool done = false; !done;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			if (y.rc) {
				rc = y.rc;
			} else {
				rc = dd_err_set(err, DD_EINVAL, "invalid YAML at line %zu column %zu: %s",
						parser.problem_mark.line + 1, parser.problem_mark.column + 1,
						parser.problem ? parser.problem : "syntax error");
			}
			goto out;
		}
		struct fj *n = NULL;
		bool container = false, end = false, need_node = false;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			s.arena = dd_arena_new(s.max_record * 2 + 4096);
			if (!s.arena)
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			root = NULL;
			depth = 0;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (root && !walk(&s, root))
				rc = s.rc;
			dd_arena_free(s.arena);
			s.arena = NULL;
			root = NULL;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (depth > 0 && stack[depth - 1]->type == FJ_OBJ && want_key[depth - 1]) {
				if (ev.type != YAML_SCALAR_EVENT) {
					rc = dd_err_set(err, DD_EINVAL, "YAML line %zu: alias as a key",
							ev.start_mark.line + 1);
					break;
				}
				key = dd_arena_strndup(s.arena, (const char *)ev.data.scalar.value,
						       ev.data.scalar.length);
				if (!key)
					rc = dd_arena_status(s.arena) == DD_ENOMEM
						     ? dd_err_set(err, DD_ENOMEM, "out of memory")
						     : dd_err_set(err, DD_ELIMIT, "YAML document too large");
				want_key[depth - 1] = false;
				break;
			}
			need_node = true;
			n = dd_arena_alloc(s.arena, sizeof *n);
			if (!n)
				break;
			if (ev.type == YAML_ALIAS_EVENT) {
				n->type = FJ_NULL;
			} else {
				const char *v = (const char *)ev.data.scalar.value;
				size_t l = ev.data.scalar.length;
				bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
				if (plain && (l == 0 || (l == 1 && v[0] == '~') ||
					      (l == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 ||
							  memcmp(v, "NULL", 4) == 0)))) {
					n->type = FJ_NULL;
				} else {
					n->type = FJ_STR;
					n->str = dd_arena_strndup(s.arena, v, l);
					n->len = l;
					if (!n->str)
						n = NULL;
				}
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth > 0 && stack[depth - 1]->type == FJ_OBJ && want_key[depth - 1]) {
				rc = dd_err_set(err, DD_EUNSUPPORTED, "YAML line %zu: complex mapping key",
						ev.start_mark.line + 1);
				break;
			}
			need_node = true;
			n = dd_arena_alloc(s.arena, sizeof *n);
			if (n)
				n->type = ev.type == YAML_SEQUENCE_START_EVENT ? FJ_ARR : FJ_OBJ;
			container = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			end = true;
			break;
		default:
			break;
		}
		if (need_node && !n && !rc)
			rc = dd_arena_status(s.arena) == DD_ENOMEM
				     ? dd_err_set(err, DD_ENOMEM, "out of memory")
				     : dd_err_set(err, DD_ELIMIT, "YAML document too large");
		yaml_event_delete(&ev);
		if (rc)
			goto out;
		if (n) {
			if (depth > 0) {
				struct fj *parent = stack[depth - 1];
				if (parent->type == FJ_OBJ) {
					n->key = key ? key : "";
					key = NULL;
					want_key[depth - 1] = true;
				}
				yadd(parent, n);
			} else {
				root = n;
			}
			if (container) {
				if (depth >= DD_LIMIT_JSON_DEPTH) {
					rc = dd_err_set(err, DD_ELIMIT, "YAML nested deeper than %d levels",
							DD_LIMIT_JSON_DEPTH);
					goto out;
				}
				want_key[depth] = true;
				stack[depth++] = n;
			}
		}
		if (end && depth > 0)
			depth--;
	}
out:
	if (parser_ok)
		yaml_parser_delete(&parser);
	dd_arena_free(s.arena);
	s.arena = NULL;
	stream_release(&s);
	return rc;
}

/* ---------------------------------------------------------------- helpers -- */

struct fj *fj_get(const struct fj *obj, const char *key)
{
	if (!obj || obj->type != FJ_OBJ)
		return NULL;
	for (struct fj *c = obj->first; c; c = c->next)
		if (c->key && strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

const char *fj_str(const struct fj *n)
{
	if (!n || (n->type != FJ_STR && n->type != FJ_NUM && n->type != FJ_BOOL) || !n->str || !n->str[0])
		return NULL;
	return n->str;
}

const char *fj_gets(const struct fj *obj, const char *key)
{
	return fj_str(fj_get(obj, key));
}

struct fj *fj_path(const struct fj *n, ...)
{
	va_list ap;
	va_start(ap, n);
	const char *k;
	while (n && (k = va_arg(ap, const char *)) != NULL)
		n = fj_get(n, k);
	va_end(ap);
	return (struct fj *)n;
}

bool fj_is(const struct fj *n, enum fj_type t)
{
	return n && n->type == t;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid
 * (RFC 3629 §4: no overlongs, no surrogates, nothing past U+10FFFF). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
		     : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) || (c == 0xF0 && p[1] < 0x90) ||
	    (c == 0xF4 && p[1] > 0x8F))
		return 0;
	return len;
}

/* Text from feeds (a DSA list is not JSON) may hold bytes that are not
 * UTF-8; they become U+FFFD so the stored JSON always parses again. */
static dd_code write_string(const char *s, size_t n, struct dd_buf *b, struct dd_err *err)
{
	dd_code rc = dd_buf_putc(b, '"', err);
	size_t start = 0;
	for (size_t i = 0; i < n && rc == DD_OK; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			size_t l = utf8_len((const unsigned char *)s + i, n - i);
			if (l) {
				i += l - 1;
				continue;
			}
			rc = dd_buf_append(b, s + start, i - start, err);
			if (rc == DD_OK)
				rc = dd_buf_puts(b, "\\ufffd", err);
			start = i + 1;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = dd_buf_append(b, s + start, i - start, err);
		if (rc == DD_OK) {
			if (c == '"' || c == '\\') {
				char e[2] = { '\\', (char)c };
				rc = dd_buf_append(b, e, 2, err);
			} else {
				rc = dd_buf_printf(b, err, "\\u%04x", c);
			}
		}
		start = i + 1;
	}
	if (rc == DD_OK)
		rc = dd_buf_append(b, s + start, n - start, err);
	if (rc == DD_OK)
		rc = dd_buf_putc(b, '"', err);
	return rc;
}

dd_code fj_write(const struct fj *n, struct dd_buf *b, struct dd_err *err)
{
	if (!n)
		return dd_buf_puts(b, "null", err);
	dd_code rc = DD_OK;
	switch (n->type) {
	case FJ_NULL:
		return dd_buf_puts(b, "null", err);
	case FJ_BOOL:
	case FJ_NUM:
		return dd_buf_append(b, n->str, n->len, err);
	case FJ_STR:
		return write_string(n->str, n->len, b, err);
	case FJ_ARR:
	case FJ_OBJ:
		rc = dd_buf_putc(b, n->type == FJ_ARR ? '[' : '{', err);
		for (struct fj *c = n->first; c && rc == DD_OK; c = c->next) {
			if (c != n->first)
				rc = dd_buf_putc(b, ',', err);
			if (rc == DD_OK && n->type == FJ_OBJ) {
				const char *k = c->key ? c->key : "";
				rc = write_string(k, strlen(k), b, err);
				if (rc == DD_OK)
					rc = dd_buf_putc(b, ':', err);
			}
			if (rc == DD_OK)
				rc = fj_write(c, b, err);
		}
		if (rc == DD_OK)
			rc = dd_buf_putc(b, n->type == FJ_ARR ? ']' : '}', err);
		return rc;
	}
	return rc;
}
