/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Chunked bump allocator. Chunks grow geometrically up to 1 MiB; a request
 * larger than a chunk gets its own chunk. The cap counts chunk bytes.
 */
#include <stdarg.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/alloc.h"

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct dd_arena {
	struct chunk *head;
	size_t max, total;
	size_t next_size;
	dd_code status;
};

struct dd_arena *dd_arena_new(size_t max_bytes)
{
	struct dd_arena *a = dd_calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->max = max_bytes;
	a->next_size = 4096;
	return a;
}

void dd_arena_free(struct dd_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

/* n bytes at a multiple of align (a power of two, at most 16) from the
 * chunk's start: 16 for what may hold any object, 1 for strings, which are
 * most of what arenas hold and would lose 8 bytes each to rounding. */
static void *bump(struct dd_arena *a, size_t n, size_t align)
{
	if (a->status != DD_OK)
		return NULL;
	if (n > SIZE_MAX - 16) {
		a->status = DD_ENOMEM;
		return NULL;
	}
	struct chunk *c = a->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < n) {
		size_t size = a->next_size > n ? a->next_size : n;
		if (a->max && (a->total + size > a->max || size > a->max)) {
			a->status = DD_ELIMIT;
			return NULL;
		}
		c = dd_malloc(sizeof *c + size);
		if (!c) {
			a->status = DD_ENOMEM;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += size;
		if (a->next_size < (1u << 20))
			a->next_size *= 2;
		at = 0;
	}
	void *p = c->data + at;
	c->used = at + n;
	return p;
}

void *dd_arena_alloc(struct dd_arena *a, size_t n)
{
	void *p = bump(a, n ? n : 1, 16);
	if (p)
		memset(p, 0, n);
	return p;
}

void *dd_arena_memdup(struct dd_arena *a, const void *src, size_t n)
{
	void *p = bump(a, n ? n : 1, 16);
	if (p && n)
		memcpy(p, src, n);
	return p;
}

char *dd_arena_strndup(struct dd_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = bump(a, n + 1, 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *dd_arena_strdup(struct dd_arena *a, const char *s)
{
	return s ? dd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *dd_arena_printf(struct dd_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = bump(a, (size_t)n + 1, 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void dd_arena_join(struct dd_arena *dst, struct dd_arena *src)
{
	if (!src)
		return;
	struct chunk *last = src->head;
	while (last && last->next)
		last = last->next;
	if (last) {
		/* Behind dst's current block, which keeps taking allocations. */
		struct chunk **at = dst->head ? &dst->head->next : &dst->head;
		last->next = *at;
		*at = src->head;
		dst->total += src->total;
	}
	if (src->status != DD_OK && dst->status == DD_OK)
		dst->status = src->status;
	free(src);
}

void dd_arena_wipe(struct dd_arena *a)
{
	for (struct chunk *c = a ? a->head : NULL; c; c = c->next)
		explicit_bzero(c->data, c->size);
}

dd_code dd_arena_status(const struct dd_arena *a)
{
	return a ? a->status : DD_ENOMEM;
}

size_t dd_arena_used(const struct dd_arena *a)
{
	return a ? a->total : 0;
}
