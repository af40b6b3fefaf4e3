/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation wrappers with a test hook: dd_alloc_fail_at(N) makes the Nth
 * allocation fail, so out-of-memory paths are tested (STYLE.md §6). Use these instead of malloc & co. in src/.
 */
#ifndef DD_ALLOC_H
#define DD_ALLOC_H

#include <stddef.h>

void *dd_malloc(size_t n);
void *dd_calloc(size_t count, size_t size);
void *dd_realloc(void *p, size_t n);
/* Grows *p to hold at least need elements of size sz, doubling; keeps *cap. */
int dd_grow(void *pp, size_t *cap, size_t need, size_t sz);
char *dd_strndup(const char *s, size_t n);
/* size bytes, zeroed, at a multiple of align (a power of two, at least
 * sizeof(void *)): for fields that two threads write, each on a cache
 * line of its own. free() frees it. */
void *dd_calloc_aligned(size_t align, size_t size);

/* 0 turns the hook off; N > 0 fails the Nth allocation from now on, once. */
void dd_alloc_fail_at(unsigned long n);
/* Allocations counted since the hook was last set. */
unsigned long dd_alloc_count(void);

#endif
