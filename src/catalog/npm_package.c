/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed npm packages: every `node_modules/NAME/package.json` and
 * `node_modules/@SCOPE/NAME/package.json`, at any nesting depth
 * (`node_modules/send/node_modules/ms` is a second copy of ms), which is what
 * `npm ls --all` lists. package.json files deeper inside a package
 * (test fixtures, `lib/package.json` markers) are not packages. The
 * project's own package.json (one that is not under node_modules but has a
 * node_modules directory with packages next to it) is reported too, as the
 * application.
 *
 * package.json of an installed package does not say whether it is a dev
 * dependency. npm 7+ writes the hidden lockfile
 * `node_modules/.package-lock.json` (same shape as package-lock.json v3)
 * with "dev": true on such paths; we read it, or the project's
 * package-lock.json, to set DD_PKG_DEV.
 *
 * While the image streams, each package.json is reduced to the two strings
 * run() reads (npm_reduce), so a large tree is not held in memory whole.
 */
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <yajl/yajl_parse.h>

#include "catalog/lang.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/map.h"

#define NM "node_modules/"
#define NM_LEN 13

/* Offset of the last "node_modules/" component in path, or -1. Walks the
 * components from the end: wants_path asks this of every package.json. */
static long last_nm(const char *path, size_t len)
{
	size_t end = len;
	for (;;) {
		const char *s = end ? memrchr(path, '/', end) : NULL;
		size_t start = s ? (size_t)(s - path) + 1 : 0;
		/* [start, end) is a component; end < len means a '/' follows it. */
		if (end < len && end - start == NM_LEN - 1 && memcmp(path + start, NM, NM_LEN - 1) == 0)
			return (long)start;
		if (!s)
			return -1;
		end = (size_t)(s - path);
	}
}

static bool installed_manifest(const char *path, size_t len)
{
	if (!dd_lang_base_is(path, len, "package.json"))
		return false;
	long at = last_nm(path, len);
	if (at < 0)
		return false;
	const char *rest = path + at + NM_LEN;
	size_t rl = len - (size_t)at - NM_LEN - strlen("/package.json");
	if ((long)rl <= 0 || rest[0] == '.')
		return false;
	const char *slash = memchr(rest, '/', rl);
	if (!slash)
		return true;
	if (rest[0] != '@')
		return false;
	size_t after = rl - (size_t)(slash - rest) - 1;
	return after > 0 && !memchr(slash + 1, '/', after);
}

static bool npm_wants(const char *path, size_t len)
{
	if (installed_manifest(path, len))
		return true;
	if (dd_lang_ends_with(path, len, "node_modules/.package-lock.json"))
		return true;
	if ((dd_lang_base_is(path, len, "package.json") ||
	     dd_lang_base_is(path, len, "package-lock.json")) &&
	    !dd_lang_has_component(path, len, "node_modules"))
		return true;
	return false;
}

/* The dev flags of one project tree: install path -> (void *)1 for dev. */
struct devinfo {
	char prefix[4096];   /* project directory ("" for the root) */
	bool loaded;
	struct dd_map dev;
};

static void load_dev(struct devinfo *di, const struct dd_fs *fs, const char *prefix, size_t pl)
{
	if (di->loaded && strlen(di->prefix) == pl && memcmp(di->prefix, prefix, pl) == 0)
		return;
	dd_map_release(&di->dev);
	dd_map_init(&di->dev);
	di->loaded = true;
	memcpy(di->prefix, prefix, pl);
	di->prefix[pl] = '\0';
	static const char *const names[] = { "node_modules/.package-lock.json", "package-lock.json" };
	for (size_t k = 0; k < 2; k++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s%s", di->prefix, pl ? "/" : "", names[k]);
		const struct dd_fs_file *f = dd_fs_lookup(fs, p);
		if (!f || !f->data)
			continue;
		struct dd_json_doc doc;
		struct dd_err e;
		if (dd_json_doc_parse(&doc, f->data, f->size, &e)) {
			dd_json_doc_release(&doc);
			continue;
		}
		const struct dd_json *pkgs = dd_json_as(dd_json_get(doc.root, "packages"),
							DD_JSON_OBJECT);
		dd_json_each(pk, pkgs)
			if (dd_json_is_true(dd_json_get(pk, "dev")))
				dd_map_put(&di->dev, pk->key, strlen(pk->key), (void *)1, NULL, NULL);
		bool had = pkgs != NULL;
		dd_json_doc_release(&doc);
		if (had)
			return;
	}
}

/* package.json files are mostly description, scripts and dependency
 * ranges; a streaming parse that keeps only the top-level "name" and
 * "version" strings avoids building the tree for each of the thousands of
 * manifests in a node_modules directory. */
struct pj_state {
	unsigned depth;
	int key;            /* 1 name, 2 version, 0 other; only at depth 1 */
	char name[512], version[256];
	bool has_name, has_version;
};

/* Only the scalars: name and version are read only once has_* says they
 * were written (the two buffers are most of the struct, which is set up
 * once per package.json). */
static void pj_init(struct pj_state *st)
{
	st->depth = 0;
	st->key = 0;
	st->has_name = st->has_version = false;
}

static inline int pj_map_start(void *ud)
{
	((struct pj_state *)ud)->depth++;
	return 1;
}

static inline int pj_end(void *ud)
{
	struct pj_state *st = ud;
	if (st->depth)
		st->depth--;
	return 1;
}

static inline int pj_key(void *ud, const unsigned char *k, size_t l)
{
	struct pj_state *st = ud;
	st->key = 0;
	if (st->depth == 1)
		st->key = (l == 4 && !memcmp(k, "name", 4)) ? 1 : (l == 7 && !memcmp(k, "version", 7)) ? 2 : 0;
	return 1;
}

static inline int pj_string(void *ud, const unsigned char *v, size_t l)
{
	struct pj_state *st = ud;
	if (st->depth != 1 || !st->key || memchr(v, 0, l))
		return 1;
	char *dst = st->key == 1 ? st->name : st->version;
	size_t cap = st->key == 1 ? sizeof st->name : sizeof st->version;
	if (l >= cap)
		return 1;
	memcpy(dst, v, l);
	dst[l] = '\0';
	if (st->key == 1 && !st->has_name)
		st->has_name = true;
	else if (st->key == 2 && !st->has_version)
		st->has_version = true;
	st->key = 0;
	return 1;
}

static int pj_scalar(void *ud)
{
	((struct pj_state *)ud)->key = 0;
	return 1;
}

static int pj_bool(void *ud, int b)
{
	(void)b;
	return pj_scalar(ud);
}

static int pj_number(void *ud, const char *n, size_t l)
{
	(void)n;
	(void)l;
	return pj_scalar(ud);
}

static const yajl_callbacks pj_callbacks = {
	.yajl_null = pj_scalar,
	.yajl_boolean = pj_bool,
	.yajl_number = pj_number,
	.yajl_string = pj_string,
	.yajl_start_map = pj_map_start,
	.yajl_map_key = pj_key,
	.yajl_end_map = pj_end,
	.yajl_start_array = pj_map_start,
	.yajl_end_array = pj_end,
};

/* ---- the common case without yajl ---------------------------------------
 *
 * A node_modules tree holds thousands of package.json files, nearly all of
 * them small objects in plain ASCII, and yajl's per-document set-up and
 * byte-wise lexer were most of the cost of cataloging them. pj_fast()
 * reads exactly the strict RFC 8259 subset below and reports the same
 * events to the pj_* callbacks that yajl would, so the state it leaves is
 * the one yajl leaves. Anything outside the subset makes it return false
 * and the caller parses with yajl from the start, which then also decides
 * whether the document is valid and words the error:
 *   - a top level that is not an object; nesting deeper than PJ_FAST_DEPTH;
 *   - any byte outside 0x20-0x7e in a string (yajl checks UTF-8 and
 *     rejects control characters), whitespace other than space, tab, CR, LF;
 *   - an escape in a top-level key or in the string value of "name" or
 *     "version" (the callbacks would need it decoded; elsewhere they ignore
 *     the text, so only the escape's syntax is checked);
 *   - any syntax error (yajl's messages stay the ones users see).
 * Numbers follow yajl_lex_number's grammar; their text is never used
 * (pj_number), as with yajl's number callback, which never overflows.
 *
 * It reads in two passes, as simdjson does (G. Langdale, D. Lemire,
 * "Parsing Gigabytes of JSON per Second", VLDB Journal 28, 2019). The
 * first, pj_scan(), takes 64 bytes at a time and turns them into bit masks:
 * the quotes that are not escaped, what lies inside strings (a prefix XOR of
 * those quotes), whitespace; it checks every byte's class there, and keeps
 * one bit per token (the opening quote of each string, each byte outside
 * strings that is not whitespace) and the quotes, where strings end. The
 * second, pj_walk(), follows only the token bits through the grammar. Real
 * manifests are indented and hold a string every 15 bytes, 9 bytes long on
 * average: read a byte at a time, they cost 9.5 instructions a byte, most
 * of it in loops that end after a few bytes; read this way, about 5, and
 * 35 % less time (docs/internals/catalog-lang.md). */
#define PJ_FAST_DEPTH 64

static bool pj_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool pj_hex(unsigned char c)
{
	return pj_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Bit i of each mask is about byte i of a 64-byte block. low: a byte that
 * JSON allows only as whitespace (0x00-0x1f) or that the fast path leaves
 * to yajl (0x7f-0xff). */
struct pj_masks {
	uint64_t quote, bslash, space, nl, low;
};

/* SSE2 is in every x86-64. AVX-512 made the whole read only 7 % faster
 * here: not worth a second version chosen at run time. */
static inline __attribute__((always_inline)) void pj_classify(const unsigned char *p,
							      struct pj_masks *m)
{
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		      space = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), one = _mm_set1_epi8(1),
		      lim = _mm_set1_epi8(0x21);
	*m = (struct pj_masks){ 0 };
#pragma GCC unroll 4
	for (unsigned k = 0; k < 64; k += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + k));
		m->quote |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, quote)) << k;
		m->bslash |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, bslash)) << k;
		m->space |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, space)) << k;
		m->nl |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, nl)) << k;
		/* x + 1 < 0x21 as signed bytes: 0x00-0x1f and 0x7f-0xff. */
		m->low |= (uint64_t)(unsigned)_mm_movemask_epi8(
				  _mm_cmplt_epi8(_mm_add_epi8(x, one), lim))
			  << k;
	}
#else
	*m = (struct pj_masks){ 0 };
	for (unsigned k = 0; k < 64; k++) {
		uint64_t b = (uint64_t)1 << k;
		unsigned char c = p[k];
		m->quote |= c == '"' ? b : 0;
		m->bslash |= c == '\\' ? b : 0;
		m->space |= c == ' ' ? b : 0;
		m->nl |= c == '\n' ? b : 0;
		m->low |= c < 0x20 || c > 0x7e ? b : 0;
	}
#endif
}

/* Bit i set: an odd number of quotes at or before i. */
static inline uint64_t pj_prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* The escape whose backslash is s[0] (the buffer has 8 bytes after the
 * document, so \u and its 4 digits can be read). */
static bool pj_escape_ok(const unsigned char *s)
{
	unsigned char e = s[1];
	if (e == 'u')
		return pj_hex(s[2]) && pj_hex(s[3]) && pj_hex(s[4]) && pj_hex(s[5]);
	return e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
	       e == 't';
}

/* The first pass over d[0..n), zero bytes after it up to a multiple of 64
 * (and 8 more): tok[w] gets bit i when byte 64w+i opens a string or is
 * outside strings and not whitespace, then the bit of byte n, which ends
 * pj_walk; quote[w] gets the bits of the quotes that are not escaped.
 * false: a byte the fast path does not read (see above), an unterminated
 * string or a bad escape. *bslash: the document has a backslash. */
static bool pj_scan(const unsigned char *d, size_t n, uint64_t *tok, uint64_t *quotes,
		    bool *bslash)
{
	uint64_t any_bslash = 0;
	uint64_t in_str = 0;   /* all ones: the last block ended inside a string */
	uint64_t carry = 0;    /* 1: ... in a backslash that escapes byte 0 */
	size_t nb = (n + 63) / 64;
	for (size_t w = 0; w < nb; w++) {
		const unsigned char *p = d + 64 * w;
		struct pj_masks m;
		pj_classify(p, &m);
		uint64_t valid =
			n - 64 * w >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << (n - 64 * w)) - 1;
		uint64_t escaped = carry;
		carry = 0;
		any_bslash |= m.bslash & valid;
		/* Backslashes are rare: one at a time, in order, each escaping
		 * the next byte unless it is escaped itself. */
		for (uint64_t b = m.bslash & valid; b; b &= b - 1) {
			unsigned i = (unsigned)__builtin_ctzll(b);
			if (escaped >> i & 1)
				continue;
			if (!pj_escape_ok(p + i))
				return false;
			if (i == 63)
				carry = 1;
			else
				escaped |= (uint64_t)1 << (i + 1);
		}
		uint64_t quote = m.quote & ~escaped & valid;
		uint64_t str = pj_prefix_xor(quote) ^ in_str; /* opening quotes and contents */
		in_str = (uint64_t)((int64_t)str >> 63);
		if ((m.bslash & valid & ~str) || (m.low & valid & str))
			return false;
		for (uint64_t b = m.low & valid & ~str & ~m.nl; b; b &= b - 1) {
			unsigned char c = p[__builtin_ctzll(b)];
			if (c != '\t' && c != '\r')
				return false;
		}
		tok[w] = ((quote & str) | ~(str | quote | m.space | m.low)) & valid;
		quotes[w] = quote;
	}
	if (in_str || carry)
		return false;
	tok[nb] = 0;
	*bslash = any_bslash != 0;
	tok[n / 64] |= (uint64_t)1 << (n % 64);
	return true;
}

/* pj_walk's position: the token at pos, and those after it still in m,
 * the bits of the block at base (tok[base / 64]); what it needs of
 * pj_scan. */
struct pj_cur {
	const unsigned char *d;
	const uint64_t *tok, *quote;
	bool bslash;
	size_t base, pos;
	uint64_t m;
};

/* To the next token; never called on the one at n, so the loop ends. */
static inline __attribute__((always_inline)) void pj_next(struct pj_cur *c)
{
	while (!c->m) {
		c->base += 64;
		c->m = c->tok[c->base / 64];
	}
	c->pos = c->base + (unsigned)__builtin_ctzll(c->m);
	c->m &= c->m - 1;
}

/* The bytes of the string whose opening quote is the current token, up to
 * the next quote that is not escaped; false if they hold an escape (the
 * callbacks would need it decoded). Only top-level members' strings are
 * read: the callbacks ignore the others. */
static inline __attribute__((always_inline)) bool pj_text(const struct pj_cur *c,
							  const unsigned char **s, size_t *l)
{
	size_t i = c->pos + 1, w = i / 64;
	uint64_t q = c->quote[w] & (~(uint64_t)0 << (i % 64));
	while (!q)
		q = c->quote[++w];
	*s = c->d + i;
	*l = w * 64 + (size_t)__builtin_ctzll(q) - i;
	return !c->bslash || !memchr(*s, '\\', *l);
}

static bool fast_number(const unsigned char *d, size_t n, size_t *i)
{
	size_t k = *i;
	if (k < n && d[k] == '-')
		k++;
	if (k < n && d[k] == '0') {
		k++;
	} else if (k < n && d[k] >= '1' && d[k] <= '9') {
		while (k < n && pj_digit(d[k]))
			k++;
	} else {
		return false;
	}
	if (k < n && d[k] == '.') {
		size_t s = ++k;
		while (k < n && pj_digit(d[k]))
			k++;
		if (k == s)
			return false;
	}
	if (k < n && (d[k] == 'e' || d[k] == 'E')) {
		k++;
		if (k < n && (d[k] == '+' || d[k] == '-'))
			k++;
		size_t s = k;
		while (k < n && pj_digit(d[k]))
			k++;
		if (k == s)
			return false;
	}
	*i = k;
	return true;
}

static bool fast_word(const unsigned char *d, size_t n, size_t *i, const char *w)
{
	size_t wl = strlen(w);
	if (n - *i < wl || memcmp(d + *i, w, wl) != 0)
		return false;
	*i += wl;
	return true;
}

/* The second pass: the grammar over pj_scan's tokens, one label per
 * thing that may come next. A scalar (number, true, false, null) is read
 * byte-wise from its first token, and its other bytes' tokens are skipped. */
static bool pj_walk(struct pj_cur *c, size_t n, struct pj_state *st)
{
	const unsigned char *d = c->d;
	char open[PJ_FAST_DEPTH]; /* '{' or '[' of each level */
	unsigned depth = 0;
	const unsigned char *s;
	size_t l;
	unsigned char ch;
	c->m = c->tok[0];
	pj_next(c);
	if (d[c->pos] != '{')
		return false;
value: /* the current token starts a value */
	ch = d[c->pos];
	if (ch == '"') {
		if (st->depth == 1 && st->key) {
			if (!pj_text(c, &s, &l))
				return false;
			pj_string(st, s, l);
		}
		pj_next(c);
		goto after_value;
	}
	if (ch == '{' || ch == '[') {
		if (depth == PJ_FAST_DEPTH)
			return false;
		open[depth++] = (char)ch;
		pj_map_start(st);
		pj_next(c);
		if (d[c->pos] == (ch == '{' ? '}' : ']')) {
			pj_next(c);
			depth--;
			pj_end(st);
			goto after_value;
		}
		if (ch == '[')
			goto value;
		goto key;
	}
	{
		size_t i = c->pos;
		if (ch == 't' || ch == 'f') {
			if (!fast_word(d, n, &i, ch == 't' ? "true" : "false"))
				return false;
			pj_bool(st, ch == 't');
		} else if (ch == 'n') {
			if (!fast_word(d, n, &i, "null"))
				return false;
			pj_scalar(st);
		} else {
			if (!fast_number(d, n, &i))
				return false;
			pj_number(st, (const char *)d + c->pos, i - c->pos);
		}
		while (c->pos < i)
			pj_next(c);
		goto after_value;
	}
key: /* the current token starts a member, after '{' or ',' */
	if (d[c->pos] != '"')
		return false;
	if (st->depth == 1) {
		if (!pj_text(c, &s, &l))
			return false;
		pj_key(st, s, l);
	} else {
		st->key = 0; /* all pj_key does there */
	}
	pj_next(c);
	if (d[c->pos] != ':')
		return false;
	pj_next(c);
	goto value;
after_value: /* the end of the document, a ',' or a closing bracket */
	if (depth == 0)
		return c->pos == n;
	ch = d[c->pos];
	if (ch == ',') {
		pj_next(c);
		if (open[depth - 1] == '{')
			goto key;
		goto value;
	}
	if (ch != (open[depth - 1] == '{' ? '}' : ']'))
		return false;
	pj_next(c);
	depth--;
	pj_end(st);
	goto after_value;
}

/* Manifests are copied to a buffer padded with 0 bytes to whole blocks;
 * most are a few KiB, so the stack holds them and their token masks. */
#define PJ_STACK_BYTES 16384

static bool pj_fast(const unsigned char *d, size_t n, struct pj_state *st)
{
	_Alignas(16) unsigned char stack[PJ_STACK_BYTES + 72];
	uint64_t smasks[2 * (PJ_STACK_BYTES / 64 + 2)];
	size_t nb = (n + 63) / 64, padded = nb * 64 + 8;
	unsigned char *buf = stack;
	uint64_t *masks = smasks;
	if (n > PJ_STACK_BYTES) {
		if (n > SIZE_MAX / 4 || !(buf = dd_malloc(padded + 2 * (nb + 1) * sizeof *masks)))
			return false; /* yajl reads it, or says it is out of memory */
		masks = (uint64_t *)(void *)(buf + padded);
	}
	memcpy(buf, d, n);
	memset(buf + n, 0, padded - n);
	struct pj_cur c = { .d = buf, .tok = masks, .quote = masks + nb + 1 };
	bool ok = pj_scan(buf, n, masks, masks + nb + 1, &c.bslash) && pj_walk(&c, n, st);
	if (buf != stack)
		free(buf);
	return ok;
}

static dd_code pj_yajl(const unsigned char *d, size_t n, struct pj_state *st, struct dd_err *err)
{
	yajl_handle h = yajl_alloc(&pj_callbacks, NULL, st);
	if (!h)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	yajl_status ys = yajl_parse(h, d, n);
	if (ys == yajl_status_ok)
		ys = yajl_complete_parse(h);
	if (ys != yajl_status_ok) {
		unsigned char *m = yajl_get_error(h, 0, d, n);
		dd_code rc = dd_err_set(err, DD_EINVAL, "JSON at byte %zu: %s",
					yajl_get_bytes_consumed(h), m ? (const char *)m : "parse error");
		if (m)
			yajl_free_error(h, m);
		yajl_free(h);
		return rc;
	}
	yajl_free(h);
	return DD_OK;
}

static dd_code pj_emit(const struct pj_state *st, bool dev, struct dd_lang_sink *s,
		       struct dd_err *err)
{
	if (!st->has_name || !st->name[0])
		return dd_err_set(err, DD_EINVAL, "package.json has no \"name\"");
	return dd_lang_npm_emit(s, st->name, strlen(st->name), st->has_version ? st->version : NULL,
				dev ? DD_PKG_DEV : 0, err);
}

/* The string of a kept form (npm_reduce) that starts at d[*i] and ends
 * before '"': into dst, which holds cap bytes; *i moves past the quote. */
static bool kept_string(const unsigned char *d, size_t n, size_t *i, char *dst, size_t cap)
{
	size_t k = *i;
	while (k < n && d[k] >= 0x20 && d[k] <= 0x7e && d[k] != '"' && d[k] != '\\')
		k++;
	if (k >= n || d[k] != '"' || k - *i >= cap)
		return false;
	memcpy(dst, d + *i, k - *i);
	dst[k - *i] = '\0';
	*i = k + 1;
	return true;
}

/* What npm_reduce keeps, {"name":"N"} or {"name":"N","version":"V"}, read
 * without the two passes (run() reads one per installed package): a
 * document of exactly that shape, with plain printable ASCII in N and V,
 * gives yajl's callbacks just these two strings, so a file that only looks
 * like a kept form is read right too. Anything else returns false. */
static bool pj_kept(const unsigned char *d, size_t n, struct pj_state *st)
{
	static const char name[] = "{\"name\":\"", version[] = ",\"version\":\"";
	size_t i = sizeof name - 1;
	if (n < i || memcmp(d, name, i) != 0 || !kept_string(d, n, &i, st->name, sizeof st->name))
		return false;
	st->has_name = true;
	if (n - i > sizeof version - 1 && !memcmp(d + i, version, sizeof version - 1)) {
		i += sizeof version - 1;
		if (!kept_string(d, n, &i, st->version, sizeof st->version))
			return false;
		st->has_version = true;
	}
	return i + 1 == n && d[i] == '}';
}

dd_code dd_lang_parse_npm_package(const unsigned char *d, size_t n, bool dev,
				  struct dd_lang_sink *s, struct dd_err *err)
{
	/* Each reader starts from a fresh state: one that gives up may have
	 * written some. */
	struct pj_state st;
	pj_init(&st);
	if (pj_kept(d, n, &st))
		return pj_emit(&st, dev, s, err);
	pj_init(&st);
	if (pj_fast(d, n, &st))
		return pj_emit(&st, dev, s, err);
	pj_init(&st);
	dd_code rc = pj_yajl(d, n, &st, err);
	return rc ? rc : pj_emit(&st, dev, s, err);
}

dd_code dd_lang_parse_npm_package_yajl(const unsigned char *d, size_t n, bool dev,
				       struct dd_lang_sink *s, struct dd_err *err)
{
	struct pj_state st;
	pj_init(&st);
	dd_code rc = pj_yajl(d, n, &st, err);
	return rc ? rc : pj_emit(&st, dev, s, err);
}

/* What the image keeps of a package.json (struct dd_cataloger.reduce). A
 * node_modules tree holds thousands of them at about 1 KiB each (node-app's
 * average is 1,149 bytes: description, scripts, dependency ranges), of
 * which run() reads two strings. When the fast path reads the file, the
 * kept form is the JSON of what it found, {"name":"...","version":"..."},
 * which reads back to the same state: those strings hold no quote,
 * backslash or control byte there. Anything the fast path leaves to yajl
 * is kept whole, so that run() reads it, or words its error, as before.
 * Only package.json files are reduced: the lockfiles this cataloger also
 * wants (node_modules/.package-lock.json, package-lock.json) are read for
 * their "packages" (load_dev). */
static dd_code npm_reduce(const char *path, const unsigned char *d, size_t n, struct dd_arena *a,
			  const unsigned char **out, size_t *outlen, struct dd_err *err)
{
	struct pj_state st;
	*out = d;
	*outlen = n;
	if (!dd_lang_base_is(path, strlen(path), "package.json"))
		return DD_OK;
	pj_init(&st);
	if (!pj_fast(d, n, &st))
		return DD_OK;
	char buf[sizeof st.name + sizeof st.version + 32];
	size_t k = 0;
	buf[k++] = '{';
	for (int f = 0; f < 2; f++) {
		const char *key = f ? "version" : "name", *v = f ? st.version : st.name;
		if (!(f ? st.has_version : st.has_name))
			continue;
		if (k > 1)
			buf[k++] = ',';
		size_t kl = strlen(key), vl = strlen(v);
		buf[k++] = '"';
		memcpy(buf + k, key, kl);
		k += kl;
		memcpy(buf + k, "\":\"", 3);
		k += 3;
		memcpy(buf + k, v, vl);
		k += vl;
		buf[k++] = '"';
	}
	buf[k++] = '}';
	if (k >= n)
		return DD_OK; /* no smaller */
	unsigned char *r = dd_arena_memdup(a, buf, k);
	if (!r)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = r;
	*outlen = k;
	return DD_OK;
}

struct run_state {
	const struct dd_catalog_ctx *ctx;
	struct devinfo *di;
	struct dd_map projects;   /* directories holding installed node_modules */
	const char *last_project; /* the one put last: path[0..last_pl) */
	size_t last_pl;
	/* Project manifests, in path order: read after the walk, when every
	 * node_modules with packages is known. */
	const struct dd_fs_file **cand;
	size_t ncand, candcap;
	dd_code rc;
	struct dd_err *err;
};

static dd_code parse_one(struct run_state *st, const struct dd_fs_file *f, bool dev,
			 const char *cataloger)
{
	struct dd_lang_sink sink = {
		.sbom = st->ctx->sbom,
		.cataloger = cataloger,
		.location = f->path,
		.layer = f->layer,
	};
	struct dd_err e;
	dd_err_clear(&e);
	dd_code rc = dd_lang_parse_npm_package(f->data, f->size, dev, &sink, &e);
	if (rc == DD_ENOMEM)
		return dd_err_set(st->err, rc, "%s: %s", f->path, e.msg);
	if (rc)
		dd_sbom_warn(st->ctx->sbom, "npm-package: %s: %s", f->path, e.msg);
	return DD_OK;
}

static int npm_cb(const struct dd_fs_file *f, void *ud)
{
	struct run_state *st = ud;
	if (f->type != DD_FS_REG || !f->data)
		return 0;
	size_t len = strlen(f->path);
	if (!installed_manifest(f->path, len)) {
		if (!dd_lang_base_is(f->path, len, "package.json") ||
		    dd_lang_has_component(f->path, len, "node_modules"))
			return 0;
		if (dd_grow(&st->cand, &st->candcap, st->ncand + 1, sizeof *st->cand)) {
			st->rc = dd_err_set(st->err, DD_ENOMEM, "out of memory");
			return 1;
		}
		st->cand[st->ncand++] = f;
		return 0;
	}
	bool dev = false;
	/* The project owning this node_modules: before the first one. */
	long first = -1;
	for (size_t i = 0; i + NM_LEN <= len && first < 0; i++)
		if ((i == 0 || f->path[i - 1] == '/') && memcmp(f->path + i, NM, NM_LEN) == 0)
			first = (long)i;
	size_t pl = first > 0 ? (size_t)first - 1 : 0;
	if (pl < sizeof st->di->prefix) {
		load_dev(st->di, st->ctx->fs, f->path, pl);
		const char *key = f->path + (first > 0 ? first : 0);
		size_t kl = len - (size_t)(key - f->path) - strlen("/package.json");
		dev = dd_map_get(&st->di->dev, key, kl) != NULL;
		/* Consecutive manifests mostly share their project. */
		if (!(st->last_project && st->last_pl == pl && !memcmp(st->last_project, f->path, pl)) &&
		    (dd_map_get(&st->projects, f->path, pl) ||
		     !dd_map_put(&st->projects, f->path, pl, (void *)1, NULL, NULL))) {
			st->last_project = f->path;
			st->last_pl = pl;
		}
	}
	st->rc = parse_one(st, f, dev, "npm-package");
	return st->rc != DD_OK;
}

static dd_code npm_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	struct devinfo *di = dd_calloc(1, sizeof *di);
	if (!di)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_map_init(&di->dev);
	struct run_state st = { .ctx = ctx, .di = di, .err = err };
	dd_map_init(&st.projects);
	/* Room for a package per manifest of the share at once (ctx->files
	 * holds only what this cataloger wants, mostly installed manifests). */
	if (ctx->sbom && ctx->files)
		st.rc = dd_sbom_reserve(ctx->sbom, ctx->sbom->npkgs + ctx->nfiles, err);
	if (!st.rc)
		dd_catalog_walk(ctx, npm_cb, &st);
	for (size_t i = 0; i < st.ncand && !st.rc; i++) {
		/* A package.json outside node_modules is the project's own when
		 * a node_modules with packages lies next to it. */
		const struct dd_fs_file *f = st.cand[i];
		size_t pl = strlen(f->path) - strlen("package.json");
		pl = pl ? pl - 1 : 0;
		if (dd_map_get(&st.projects, f->path, pl))
			st.rc = parse_one(&st, f, false, "npm-app");
	}
	free(st.cand);
	dd_map_release(&st.projects);
	dd_map_release(&di->dev);
	free(di);
	return st.rc;
}

static const char *const path_ends[] = { "package.json", "package-lock.json", NULL };

const struct dd_cataloger dd_cataloger_npm_package = {
	.name = "npm-package",
	.version = 2, /* 2: lockfiles are kept whole (version 1 reduced them) */
	.kind = DD_CATALOGER_LANG,
	.wants_path = npm_wants,
	.path_ends = path_ends,
	.reduce = npm_reduce,
	.run = npm_run,
};
