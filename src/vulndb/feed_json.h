/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record-by-record reading of large JSON (yajl's callback parser) and YAML
 * (libyaml's event parser) feeds. A feed is one big document whose records
 * sit at known paths ("vulnerabilities[]", "packages[]", any top-level key);
 * the reader streams the document and builds a small tree (struct fj) for
 * one record at a time, hands it to a callback and throws it away, so memory
 * is bounded by the largest record (DD_LIMIT_FEED_RECORD_BYTES), never by
 * the feed. YAML feeds are small (Alpine secdb, one OSV record per file):
 * the whole document is built, then walked with the same paths.
 *
 * Not a general JSON library: numbers stay text, duplicate keys are kept
 * (the first wins for fj_get), YAML scalars are all strings except `null`/`~`,
 * and YAML aliases become null (no expansion, so no billion-laughs).
 */
#ifndef DD_FEED_JSON_H
#define DD_FEED_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/err.h"
#include "util/buf.h"

struct dd_arena;

enum fj_type { FJ_NULL, FJ_BOOL, FJ_NUM, FJ_STR, FJ_ARR, FJ_OBJ };

struct fj {
	enum fj_type type;
	const char *key;   /* member name when the parent is an object */
	const char *str;   /* STR/NUM text, BOOL "true"/"false"; NUL-terminated */
	size_t len;
	struct fj *first, *last, *next; /* children (ARR/OBJ) and the next sibling */
	size_t n;          /* number of children */
};

/* Reads up to cap bytes; *got = 0 at the end. */
typedef dd_code (*fj_read_fn)(void *ud, void *buf, size_t cap, size_t *got, struct dd_err *err);

/* Record paths: components separated by '.', "[]" = any array element,
 * "*" = any object member; "" = every top-level value (JSON lines). E.g.
 * "vulnerabilities.[]", "*", "catalogVersion". A record may be a scalar. */
struct fj_record {
	int pattern;        /* index into the patterns array */
	const char *key;    /* the member name when the last component is a key, else NULL */
	struct fj *node;    /* lives until the callback returns */
	unsigned long index; /* 0-based count of records delivered so far */
	unsigned long long offset; /* byte offset of the record's end in the stream */
};

/* Return DD_OK to go on; any other code stops the parse and is returned. */
typedef dd_code (*fj_record_fn)(void *ud, const struct fj_record *rec, struct dd_err *err);
/* A record that could not be delivered (too large, too deep): a warning. */
typedef void (*fj_skip_fn)(void *ud, unsigned long index, const char *why);

struct fj_stream_opts {
	const char *const *patterns;
	size_t npatterns;
	fj_record_fn on_record;
	fj_skip_fn on_skip;
	void *ud;
	size_t max_record;  /* 0: DD_LIMIT_FEED_RECORD_BYTES */
};

/* Streams JSON (also several concatenated top-level values, JSON lines).
 * Syntax errors return DD_EINVAL "invalid JSON at byte N: ..."; records
 * delivered before stay delivered. */
dd_code fj_stream(fj_read_fn rd, void *rd_ud, const struct fj_stream_opts *o, struct dd_err *err);

/* Reads one YAML stream (every document in it) and delivers records as
 * fj_stream does. The input is capped at max_record bytes. */
dd_code fj_yaml_stream(fj_read_fn rd, void *rd_ud, const struct fj_stream_opts *o, struct dd_err *err);

/* Parses a complete JSON text into a tree in `a` (for tests and the lookup
 * side). NULL on error with err set. */
struct fj *fj_parse(struct dd_arena *a, const char *text, size_t n, struct dd_err *err);

/* Helpers on a tree; all accept NULL and return NULL/0 for "absent". */
struct fj *fj_get(const struct fj *obj, const char *key);
/* The string of a STR node (also NUM/BOOL text); NULL otherwise or when empty. */
const char *fj_str(const struct fj *n);
const char *fj_gets(const struct fj *obj, const char *key);
/* A path of keys, e.g. fj_path(n, "cve", "CVE_data_meta", "ID", NULL). */
struct fj *fj_path(const struct fj *n, ...);
bool fj_is(const struct fj *n, enum fj_type t);
/* Appends the compact JSON of n to b. */
dd_code fj_write(const struct fj *n, struct dd_buf *b, struct dd_err *err);

#endif
