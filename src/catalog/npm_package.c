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
#include <string.h>

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

static int pj_map_start(void *ud)
{
	((struct pj_state *)ud)->depth++;
	return 1;
}

static int pj_end(void *ud)
{
	struct pj_state *st = ud;
	if (st->depth)
		st->depth--;
	return 1;
}

static int pj_key(void *ud, const unsigned char *k, size_t l)
{
	struct pj_state *st = ud;
	st->key = 0;
	if (st->depth == 1)
		st->key = (l == 4 && !memcmp(k, "name", 4)) ? 1 : (l == 7 && !memcmp(k, "version", 7)) ? 2 : 0;
	return 1;
}

static int pj_string(void *ud, const unsigned char *v, size_t l)
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
 * (pj_number), as with yajl's number callback, which never overflows. */
#define PJ_FAST_DEPTH 64

static const unsigned char pj_space[256] = { [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1 };

static bool pj_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool pj_hex(unsigned char c)
{
	return pj_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The bytes a JSON string holds as they are in the plain-ASCII fast path:
 * printable ASCII but the quote and the backslash. */
static const unsigned char pj_plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

/* The string whose opening quote is d[*i]: its raw bytes, and whether it
 * holds escapes; *i moves past the closing quote. Forced inline (and
 * fast_key too): a real package.json is a string every 15 bytes or so, and
 * with calls, which gcc -O2 kept, the parse took 33 % more instructions. */
static inline __attribute__((always_inline)) bool
fast_string(const unsigned char *d, size_t n, size_t *i, const unsigned char **s, size_t *l,
	    bool *esc)
{
	size_t k = *i + 1;
	*esc = false;
	while (k < n) {
		while (pj_plain[d[k]]) /* d[n] is 0 (pj_fast) */
			k++;
		if (k >= n)
			break;
		unsigned char c = d[k];
		if (c == '"') {
			*s = d + *i + 1;
			*l = k - *i - 1;
			*i = k + 1;
			return true;
		}
		if (c != '\\')
			return false; /* a control or non-ASCII byte: yajl decides */
		*esc = true;
		if (k + 1 >= n)
			return false;
		unsigned char e = d[k + 1];
		if (e == 'u') {
			if (n - k < 6 || !pj_hex(d[k + 2]) || !pj_hex(d[k + 3]) || !pj_hex(d[k + 4]) ||
			    !pj_hex(d[k + 5]))
				return false;
			k += 6;
		} else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
			   e == 'r' || e == 't') {
			k += 2;
		} else {
			return false;
		}
	}
	return false;
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

/* A member's key and the ':' after it; d[*i] is past the '{' or ','. */
static inline __attribute__((always_inline)) bool
fast_key(const unsigned char *d, size_t n, size_t *i, struct pj_state *st)
{
	while (pj_space[d[*i]])
		(*i)++;
	const unsigned char *s;
	size_t l;
	bool esc;
	if (*i >= n || d[*i] != '"' || !fast_string(d, n, i, &s, &l, &esc) ||
	    (esc && st->depth == 1))
		return false;
	pj_key(st, s, l);
	while (pj_space[d[*i]])
		(*i)++;
	if (*i >= n || d[*i] != ':')
		return false;
	(*i)++;
	return true;
}

/* pj_fast on d[0..n) followed by a 0 byte, which ends the loops over
 * whitespace and string bytes without a bound check per byte (neither
 * class holds 0, and a 0 inside the document stops them as well). */
static bool pj_fast_ended(const unsigned char *d, size_t n, struct pj_state *st)
{
	char open[PJ_FAST_DEPTH]; /* '{' or '[' of each level */
	unsigned depth = 0;
	size_t i = 0;
	while (pj_space[d[i]])
		i++;
	if (i >= n || d[i] != '{')
		return false;
	bool want_value = true;
	for (;;) {
		while (pj_space[d[i]])
			i++;
		if (want_value) {
			if (i >= n)
				return false;
			unsigned char c = d[i];
			if (c == '{' || c == '[') {
				if (depth == PJ_FAST_DEPTH)
					return false;
				open[depth++] = (char)c;
				pj_map_start(st);
				i++;
				while (pj_space[d[i]])
					i++;
				if (i < n && d[i] == (c == '{' ? '}' : ']')) {
					i++;
					depth--;
					pj_end(st);
					want_value = false;
				} else if (c == '{' && !fast_key(d, n, &i, st)) {
					return false;
				}
				continue;
			}
			if (c == '"') {
				const unsigned char *s;
				size_t l;
				bool esc;
				if (!fast_string(d, n, &i, &s, &l, &esc) || (esc && st->depth == 1 && st->key))
					return false;
				pj_string(st, s, l);
			} else if (c == 't' || c == 'f') {
				if (!fast_word(d, n, &i, c == 't' ? "true" : "false"))
					return false;
				pj_bool(st, c == 't');
			} else if (c == 'n') {
				if (!fast_word(d, n, &i, "null"))
					return false;
				pj_scalar(st);
			} else {
				size_t start = i;
				if (!fast_number(d, n, &i))
					return false;
				pj_number(st, (const char *)d + start, i - start);
			}
			want_value = false;
			continue;
		}
		/* After a value: the end of the document, a ',' or a closing bracket. */
		if (depth == 0)
			return i == n;
		if (i >= n)
			return false;
		if (d[i] == ',') {
			i++;
			if (open[depth - 1] == '{' && !fast_key(d, n, &i, st))
				return false;
			want_value = true;
		} else if (d[i] == (open[depth - 1] == '{' ? '}' : ']')) {
			i++;
			depth--;
			pj_end(st);
		} else {
			return false;
		}
	}
}

/* Manifests are copied to a buffer that ends in a 0 byte; most are a few
 * KiB, so the stack holds them. */
#define PJ_STACK_BYTES 16384

static bool pj_fast(const unsigned char *d, size_t n, struct pj_state *st)
{
	unsigned char stack[PJ_STACK_BYTES + 1];
	unsigned char *buf = n < PJ_STACK_BYTES ? stack : dd_malloc(n + 1);
	if (!buf)
		return false; /* yajl reads it, or says it is out of memory */
	memcpy(buf, d, n);
	buf[n] = 0;
	bool ok = pj_fast_ended(buf, n, st);
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

dd_code dd_lang_parse_npm_package(const unsigned char *d, size_t n, bool dev,
				  struct dd_lang_sink *s, struct dd_err *err)
{
	struct pj_state st;
	pj_init(&st);
	if (!pj_fast(d, n, &st)) {
		pj_init(&st);
		dd_code rc = pj_yajl(d, n, &st, err);
		if (rc)
			return rc;
	}
	return pj_emit(&st, dev, s, err);
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
 * is kept whole, so that run() reads it, or words its error, as before. */
static dd_code npm_reduce(const unsigned char *d, size_t n, struct dd_arena *a,
			  const unsigned char **out, size_t *outlen, struct dd_err *err)
{
	struct pj_state st;
	*out = d;
	*outlen = n;
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
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = npm_wants,
	.path_ends = path_ends,
	.reduce = npm_reduce,
	.run = npm_run,
};
