/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sorting C strings in strcmp() order, faster than qsort(strcmp) when the
 * strings share long prefixes, as the paths of an image view do
 * ("app/node_modules/pkg-1/package.json", ...): a multikey quicksort
 * (Bentley and Sedgewick, "Fast Algorithms for Sorting and Searching
 * Strings", SODA 1997) that partitions on 8 bytes at a time, so a shared
 * prefix is read once per 8 bytes and item, not once per comparison.
 * Recursion is bounded; a range that exhausts the bound (a hostile set of
 * names defeating the pivots) is finished with qsort(). Not stable; equal
 * strings come out in some order.
 */
#ifndef DD_STRSORT_H
#define DD_STRSORT_H

#include <stddef.h>
#include <stdint.h>

struct dd_strsort_item {
	const char *s;   /* NUL-terminated, no NUL inside [0, len) */
	size_t len;      /* strlen(s) */
	const void *ud;  /* the caller's, carried along */
	uint64_t key;    /* scratch */
};

void dd_strsort(struct dd_strsort_item *v, size_t n);

#endif
