/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the OS-cataloger unit tests (distro, dpkg, apk, rpm): put files
 * into a hand-built view, run the OS catalogers over it, and fail every
 * allocation of such a run in turn.
 */
#ifndef DD_TEST_OS_UTIL_H
#define DD_TEST_OS_UTIL_H
#include <string.h>
#include "catalog/catalog.h"
#include "dd_test.h"
#include "util/alloc.h"

static inline void os_put_bytes(struct dd_fs *fs, const char *path, const void *data, size_t n,
				int layer)
{
	struct dd_err err;
	struct dd_fs_file f = { .path = path, .type = DD_FS_REG, .layer = layer, .data = data,
				.size = n };
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
}

static inline void os_put(struct dd_fs *fs, const char *path, const char *text, int layer)
{
	os_put_bytes(fs, path, text, strlen(text), layer);
}

/* The OS catalogers over fs; packages sorted. */
static inline struct dd_sbom *os_run(struct dd_fs *fs)
{
	struct dd_sbom *s = dd_sbom_new();
	struct dd_err err;
	ASSERT_OK(dd_catalog_run(fs, s, true, &err), &err);
	dd_sbom_sort(s);
	return s;
}

/* Fails each allocation of a run over fs in turn (up to max): every run ends
 * in DD_OK or DD_ENOMEM, never a crash or a leak (ASan), and some fail. */
static inline void os_expect_every_allocation_failure(struct dd_fs *fs, unsigned long max)
{
	unsigned failures = 0;
	for (unsigned long n = 1; n < max; n++) {
		struct dd_sbom *s = dd_sbom_new();
		if (!s)
			continue;
		struct dd_err err;
		dd_alloc_fail_at(n);
		dd_code rc = dd_catalog_run(fs, s, true, &err);
		unsigned long used = dd_alloc_count();
		dd_alloc_fail_at(0);
		EXPECT_TRUE(rc == DD_OK || rc == DD_ENOMEM);
		failures += rc == DD_ENOMEM;
		dd_sbom_free(s);
		if (used < n)
			break; /* the run needed fewer allocations: all covered */
	}
	EXPECT_TRUE(failures > 0);
}
#endif
