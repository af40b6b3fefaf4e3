/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arena: a scan's paths, package records and version strings come from one
 * arena and die with the result. dd_arena_alloc and dd_arena_memdup are
 * 16-byte aligned, strings (strdup, strndup, printf) not aligned at all;
 * nothing is freed one by one. Every arena has a byte cap; hitting it returns NULL just
 * like out-of-memory, and dd_arena_failed() tells which (sticky, so a
 * parser can check once at its end, as sqlite's malloc failure is).
 * Not thread-safe: one arena per thread.
 */
#ifndef DD_ARENA_H
#define DD_ARENA_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/arena.h"
#include "dd/err.h"

struct dd_arena;

/* dd_arena_new(max_bytes) and dd_arena_free() are in include/dd/arena.h. */

void *dd_arena_alloc(struct dd_arena *a, size_t n);     /* zeroed */
void *dd_arena_memdup(struct dd_arena *a, const void *p, size_t n);
/* Copies n bytes and adds a NUL. */
char *dd_arena_strndup(struct dd_arena *a, const char *s, size_t n);
char *dd_arena_strdup(struct dd_arena *a, const char *s); /* NULL -> NULL */
char *dd_arena_printf(struct dd_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Moves every block of src into dst, whose allocations they then are, and
 * frees src (NULL is fine): what another thread allocated in an arena of
 * its own joins the arena that outlives it. A failure src had stays with
 * dst. Not counted against dst's cap: src had its own. */
void dd_arena_join(struct dd_arena *dst, struct dd_arena *src);

/* Zeroes every byte the arena holds (explicit_bzero: not optimised away),
 * for arenas that held secrets; call before dd_arena_free. NULL is fine. */
void dd_arena_wipe(struct dd_arena *a);

/* DD_OK, or DD_ENOMEM / DD_ELIMIT once any allocation failed. */
dd_code dd_arena_status(const struct dd_arena *a);
size_t dd_arena_used(const struct dd_arena *a);

#endif
