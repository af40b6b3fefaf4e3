/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the language-cataloger real-data tests: put a file of
 * ../shared/data into a hand-built struct dd_fs at a realistic image path,
 * run the catalogers, and look packages up. Header-only (static functions)
 * because each realdata test is its own executable.
 */
#ifndef DD_TEST_CATALOG_LANG_UTIL_H
#define DD_TEST_CATALOG_LANG_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "dd/sbom.h"
#include "dd_test.h"
#include "image/fs.h"
#include "util/buf.h"

static inline void put_bytes(struct dd_fs *fs, const char *path, const void *d, size_t n, int layer)
{
	struct dd_err err;
	struct dd_fs_file f = { .path = path, .type = DD_FS_REG, .data = d, .size = n,
				.mode = 0644, .layer = layer };
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
}

/* Puts ../shared/data/<rel> at path; skips the test when the data is absent. */
static inline void put_shared(struct dd_fs *fs, const char *rel, const char *path, int layer)
{
	const char *src = dd_test_shared(rel);
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 512u << 20);
	ASSERT_OK(dd_buf_read_file(&b, src, &err), &err);
	put_bytes(fs, path, b.data ? b.data : "", b.len, layer);
	dd_buf_release(&b);
}

/* Runs all catalogers with the given transport ("dir" or e.g. "docker-archive"). */
static inline struct dd_sbom *run_catalogers(struct dd_fs *fs, const char *transport)
{
	struct dd_sbom *s = dd_sbom_new();
	ASSERT_TRUE(s != NULL);
	s->image.transport = transport;
	struct dd_err err;
	ASSERT_OK(dd_catalog_run(fs, s, false, &err), &err);
	dd_sbom_sort(s);
	return s;
}

static inline size_t count_type(const struct dd_sbom *s, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < s->npkgs; i++)
		if (strcmp(s->pkgs[i].type, type) == 0)
			n++;
	return n;
}

static inline const struct dd_package *find_pkg(const struct dd_sbom *s, const char *type,
					 const char *name, const char *version)
{
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[i];
		if (strcmp(p->type, type) == 0 && strcmp(p->name, name) == 0 &&
		    (!version || (p->version && strcmp(p->version, version) == 0)))
			return p;
	}
	return NULL;
}

static inline void dump(const struct dd_sbom *s)
{
	for (size_t i = 0; i < s->npkgs; i++)
		fprintf(stderr, "  %s %s %s %s @%s%s\n", s->pkgs[i].type, s->pkgs[i].name,
			s->pkgs[i].version ? s->pkgs[i].version : "-", s->pkgs[i].purl,
			s->pkgs[i].location, s->pkgs[i].flags & DD_PKG_DEV ? " dev" : "");
	for (size_t i = 0; i < s->nwarnings; i++)
		fprintf(stderr, "  warning: %s\n", s->warnings[i]);
}

#define EXPECT_PKG(s, type, name, version)                                             \
	do {                                                                           \
		if (!find_pkg((s), (type), (name), (version)))                         \
			dd_test_fail(__FILE__, __LINE__, "missing %s %s %s", (type), (name), \
				     (version) ? (version) : "(any)");                 \
	} while (0)

#endif
