/* SPDX-License-Identifier: Apache-2.0 */
/*
 * purl formatting (purl.h). Percent-encoding follows the spec: everything but
 * unreserved characters (ALPHA DIGIT - . _ ~) is encoded in names, versions
 * and qualifier values, except that ':' may stay as is (the spec allows it and
 * every purl-producing tool leaves epochs like "1:2.3" readable); namespace
 * segments keep their '/' separators.
 */
#include "catalog/purl.h"
#include "util/buf.h"
#include "util/arena.h"

/* Output goes to a stack buffer; only a purl longer than that (hardly ever)
 * moves to a dd_buf, which keeps the 64 KiB cap: one malloc and a few
 * reallocs per package were a fifth of cataloging 50,000 manifests. */
struct pw {
	char small[512];
	size_t len;
	bool big;
	struct dd_buf buf;
};

static void pw_put(struct pw *w, const char *s, size_t n)
{
	if (!w->big) {
		if (w->len + n < sizeof w->small) {
			memcpy(w->small + w->len, s, n);
			w->len += n;
			return;
		}
		w->big = true;
		dd_buf_init(&w->buf, 64 * 1024);
		dd_buf_append(&w->buf, w->small, w->len, NULL);
	}
	dd_buf_append(&w->buf, s, n, NULL);
}

static void pw_putc(struct pw *w, char c)
{
	if (!w->big && w->len + 1 < sizeof w->small)
		w->small[w->len++] = c;
	else
		pw_put(w, &c, 1);
}

/* The spec's unreserved set, plus ':' (see the top of this file), as a
 * table: ASCII only, where isalnum() would follow the locale. 2: also '/',
 * which namespaces keep. */
static const unsigned char keep[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
	['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1, [':'] = 1, ['/'] = 2,
};

static void put_enc(struct pw *w, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char lim = keep_slash ? 2 : 1;
	while (*s) {
		/* A run of characters that stay as they are is one copy. */
		size_t run = 0;
		while (keep[(unsigned char)s[run]] && keep[(unsigned char)s[run]] <= lim)
			run++;
		if (run) {
			pw_put(w, s, run);
			s += run;
			continue;
		}
		unsigned char c = (unsigned char)*s++;
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };
		pw_put(w, e, 3);
	}
}

static int cmp_q(const void *x, const void *y)
{
	const struct dd_purl_qualifier *a = *(const struct dd_purl_qualifier *const *)x;
	const struct dd_purl_qualifier *b = *(const struct dd_purl_qualifier *const *)y;
	return strcmp(a->key, b->key);
}

static void write_purl(struct pw *w, const char *type, const char *namespace_, const char *name,
		       const char *version, const struct dd_purl_qualifier *q, size_t nq)
{
	w->len = 0;
	w->big = false;
	pw_put(w, "pkg:", 4);
	for (const char *t = type; *t; t++) /* ASCII: tolower() would follow the locale */
		pw_putc(w, *t >= 'A' && *t <= 'Z' ? (char)(*t + ('a' - 'A')) : *t);
	pw_putc(w, '/');
	if (namespace_ && *namespace_) {
		put_enc(w, namespace_, 1);
		pw_putc(w, '/');
	}
	put_enc(w, name, 0);
	if (version && *version) {
		pw_putc(w, '@');
		put_enc(w, version, 0);
	}
	const struct dd_purl_qualifier *sorted[32];
	size_t ns = 0;
	for (size_t i = 0; i < nq && ns < 32; i++)
		if (q[i].value && *q[i].value)
			sorted[ns++] = &q[i];
	if (ns > 1)
		qsort(sorted, ns, sizeof *sorted, cmp_q);
	for (size_t i = 0; i < ns; i++) {
		pw_putc(w, i ? '&' : '?');
		pw_put(w, sorted[i]->key, strlen(sorted[i]->key));
		pw_putc(w, '=');
		put_enc(w, sorted[i]->value, 0);
	}
}

char *dd_purl_format(struct dd_arena *a, const char *type, const char *namespace_,
		     const char *name, const char *version,
		     const struct dd_purl_qualifier *q, size_t nq)
{
	struct pw w;
	write_purl(&w, type, namespace_, name, version, q, nq);
	if (!w.big)
		return dd_arena_strndup(a, w.small, w.len);
	char *out = w.buf.data ? dd_arena_strndup(a, w.buf.data, w.buf.len) : NULL;
	dd_buf_release(&w.buf);
	return out;
}

char *dd_purl_format_to(char *buf, size_t cap, const char *type, const char *namespace_,
			const char *name, const char *version,
			const struct dd_purl_qualifier *q, size_t nq)
{
	struct pw w;
	write_purl(&w, type, namespace_, name, version, q, nq);
	if (w.big) {
		dd_buf_release(&w.buf);
		return NULL;
	}
	if (w.len >= cap)
		return NULL;
	memcpy(buf, w.small, w.len);
	buf[w.len] = '\0';
	return buf;
}

bool dd_purl_match(const char *want, const char *purl)
{
	if (!want || !purl)
		return false;
	size_t n = strcspn(want, "?#");
	return strncmp(want, purl, n) == 0 && (purl[n] == 0 || purl[n] == '?' || purl[n] == '#' ||
					       (purl[n] == '@' && !memchr(want, '@', n)));
}
