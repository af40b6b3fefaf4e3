/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bytes of one file, for readers that look at a few places of a large
 * file (an ELF program's section headers and one section): either the
 * whole file in memory, or a fetch callback that reads a range on demand,
 * so that a source with random access (dir:) reads only those pages and
 * not the whole program. A tar stream has no random access; its files are
 * read whole and given as memory.
 */
#ifndef DD_BYTES_H
#define DD_BYTES_H

#include <stddef.h>
#include <stdint.h>

struct dd_bytes {
	const unsigned char *d; /* the whole file, or NULL: ask fetch */
	uint64_t n;             /* the file's size */
	/* [off, off+len) of the file, within n; the pointer lives as long as
	 * the dd_bytes. NULL when it could not be read (the owner of fetch
	 * keeps the error). */
	const unsigned char *(*fetch)(void *ud, uint64_t off, size_t len);
	void *ud;
};

static inline struct dd_bytes dd_bytes_mem(const unsigned char *d, size_t n)
{
	return (struct dd_bytes){ .d = d, .n = n };
}

/* [off, off+len) of the file, or NULL when it lies outside the file or
 * could not be read. */
static inline const unsigned char *dd_bytes_at(const struct dd_bytes *b, uint64_t off,
					       uint64_t len)
{
	if (off > b->n || len > b->n - off || len > SIZE_MAX)
		return NULL;
	return b->d ? b->d + off : b->fetch(b->ud, off, (size_t)len);
}

#endif
