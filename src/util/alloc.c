/* SPDX-License-Identifier: Apache-2.0 */
/* malloc wrappers with a failure-injection counter (see alloc.h). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static atomic_ulong alloc_count;
static atomic_ulong fail_at;

void dd_alloc_fail_at(unsigned long n)
{
	atomic_store(&alloc_count, 0);
	atomic_store(&fail_at, n);
}

unsigned long dd_alloc_count(void)
{
	return atomic_load(&alloc_count);
}

static int should_fail(void)
{
	unsigned long f = atomic_load(&fail_at);
	unsigned long c = atomic_fetch_add(&alloc_count, 1) + 1;
	if (f && c == f) {
		atomic_store(&fail_at, 0);
		return 1;
	}
	return 0;
}

void *dd_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n ? n : 1);
}

void *dd_calloc(size_t count, size_t size)
{
	return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *dd_calloc_aligned(size_t align, size_t size)
{
	void *p = NULL;
	if (should_fail() || posix_memalign(&p, align, size ? size : 1))
		return NULL;
	memset(p, 0, size);
	return p;
}

void *dd_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n ? n : 1);
}

int dd_grow(void *pp, size_t *cap, size_t need, size_t sz)
{
	void **p = pp;
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (n > SIZE_MAX / sz)
		return -1;
	void *q = dd_realloc(*p, n * sz);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

char *dd_strndup(const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = dd_malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
