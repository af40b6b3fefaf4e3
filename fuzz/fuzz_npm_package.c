/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: installed package.json (dd_lang_parse_npm_package).
 * Properties: those of fuzz_lang.h, that the yajl-free fast path gives
 * exactly what yajl alone gives (dd_lang_parse_npm_package_yajl): the same
 * result code, message, package and purl; and that what the image keeps of
 * the file (dd_catalog_reduce, npm-package's reduce) is no larger and reads
 * to exactly that too.
 */
#include <stdio.h>

#include "fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dd_code parse(const unsigned char *d, size_t n, struct dd_lang_sink *s, struct dd_err *err)
{
	return dd_lang_parse_npm_package(d, n, n % 2, s, err);
}

struct got {
	size_t n;
	char pkg[2048];
};

static void keep(void *ud, const struct dd_package *p)
{
	struct got *g = ud;
	g->n++;
	snprintf(g->pkg, sizeof g->pkg, "%s|%s|%s|%s|%u", p->name, p->version ? p->version : "-",
		 p->namespace_ ? p->namespace_ : "-", p->purl, p->flags);
}

static void one(dd_code (*fn)(const unsigned char *, size_t, bool, struct dd_lang_sink *,
			      struct dd_err *),
		const uint8_t *data, size_t size, bool dev, struct got *g, dd_code *rc,
		struct dd_err *err)
{
	struct dd_lang_sink sink = { .cataloger = "fuzz", .location = "fuzz/input",
				     .on_pkg = keep, .ud = g };
	dd_err_clear(err);
	*rc = fn(data, size, dev, &sink, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lang_run(parse, data, size);
	struct got a = { 0 }, b = { 0 };
	struct dd_err ea, eb;
	dd_code ra, rb;
	one(dd_lang_parse_npm_package, data, size, size % 2, &a, &ra, &ea);
	one(dd_lang_parse_npm_package_yajl, data, size, size % 2, &b, &rb, &eb);
	if (ra != rb || a.n != b.n || strcmp(a.pkg, b.pkg) != 0 ||
	    (ra && strcmp(ea.msg, eb.msg) != 0))
		abort();
	dd_catalog_set npm = dd_catalog_named("npm-package");
	struct dd_arena *ar = dd_arena_new(1u << 16);
	const unsigned char *out;
	size_t outlen;
	struct dd_err er;
	struct dd_bytes whole = dd_bytes_mem(data, size);
	if (!ar || dd_catalog_reduce(npm, false, "node_modules/x/package.json", &whole, ar, &out,
				     &outlen, &er)) {
		dd_arena_free(ar);
		return 0; /* out of memory */
	}
	if (out != data) {
		struct got c = { 0 };
		dd_code rc;
		one(dd_lang_parse_npm_package, out, outlen, size % 2, &c, &rc, &er);
		if (outlen >= size || rc != ra || c.n != a.n || strcmp(c.pkg, a.pkg) != 0 ||
		    (ra && strcmp(er.msg, ea.msg) != 0))
			abort();
	}
	dd_arena_free(ar);
	return 0;
}
