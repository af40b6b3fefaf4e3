/* SPDX-License-Identifier: Apache-2.0 */
/*
 * purl formatting (purl.h). Percent-encoding follows the spec: everything but
 * unreserved characters (ALPHA DIGIT - . _ ~) is encoded in names, versions
 * and qualifier values, except that ':' may stay as is (the spec allows it and
 * every purl-producing tool leaves epochs like "1:2.3" readable); namespace
 * segments keep their '/' separators.
 */
#include <ctype.h>

#include "catalog/purl.h"
#include "util/buf.h"
#include "util/arena.h"

static void put_enc(struct dd_buf *b, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' ||
		    (keep_slash && c == '/')) {
			dd_buf_putc(b, (char)c, NULL);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			dd_buf_append(b, e, 3, NULL);
		}
	}
}

static int cmp_q(const void *x, const void *y)
{
	const struct dd_purl_qualifier *a = *(const struct dd_purl_qualifier *const *)x;
	const struct dd_purl_qualifier *b = *(const struct dd_purl_qualifier *const *)y;
	return strcmp(a->key, b->key);
}

char *dd_purl_format(struct dd_arena *a, const char *type, const char *namespace_,
		     const char *name, const char *version,
		     const struct dd_purl_qualifier *q, size_t nq)
{
	struct dd_buf b;
	dd_buf_init(&b, 64 * 1024);
	dd_buf_puts(&b, "pkg:", NULL);
	for (const char *t = type; *t; t++)
		dd_buf_putc(&b, (char)tolower((unsigned char)*t), NULL);
	dd_buf_putc(&b, '/', NULL);
	if (namespace_ && *namespace_) {
		put_enc(&b, namespace_, 1);
		dd_buf_putc(&b, '/', NULL);
	}
	put_enc(&b, name, 0);
	if (version && *version) {
		dd_buf_putc(&b, '@', NULL);
		put_enc(&b, version, 0);
	}
	const struct dd_purl_qualifier *sorted[32];
	size_t ns = 0;
	for (size_t i = 0; i < nq && ns < 32; i++)
		if (q[i].value && *q[i].value)
			sorted[ns++] = &q[i];
	qsort(sorted, ns, sizeof *sorted, cmp_q);
	for (size_t i = 0; i < ns; i++) {
		dd_buf_putc(&b, i ? '&' : '?', NULL);
		dd_buf_puts(&b, sorted[i]->key, NULL);
		dd_buf_putc(&b, '=', NULL);
		put_enc(&b, sorted[i]->value, 0);
	}
	char *out = b.data ? dd_arena_strndup(a, b.data, b.len) : NULL;
	dd_buf_release(&b);
	return out;
}

bool dd_purl_match(const char *want, const char *purl)
{
	if (!want || !purl)
		return false;
	size_t n = strcspn(want, "?#");
	return strncmp(want, purl, n) == 0 && (purl[n] == 0 || purl[n] == '?' || purl[n] == '#' ||
					       (purl[n] == '@' && !memchr(want, '@', n)));
}
