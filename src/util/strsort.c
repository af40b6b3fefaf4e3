/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multikey quicksort on 8-byte digits (strsort.h). Each item caches the
 * bytes [d, d+8) of its string as a big-endian integer, zero-padded past
 * the end: with no NUL inside a string, comparing these keys is comparing
 * the strings' bytes d..d+7 as strcmp() does, and a key whose last byte is
 * zero marks a string that ends inside the digit. A range is split three
 * ways on one key; the "equal" part moves on to the next digit (a loop,
 * not a call), the others recurse, each recursion spending one unit of a
 * budget. Small ranges are finished by insertion sort.
 */
#include <stdlib.h>
#include <string.h>

#include "util/strsort.h"

#define SMALL 12

static uint64_t digit(const struct dd_strsort_item *it, size_t d)
{
	if (d >= it->len)
		return 0;
	unsigned char b[8] = { 0 };
	size_t n = it->len - d < 8 ? it->len - d : 8;
	memcpy(b, it->s + d, n);
	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 |
	       (uint64_t)b[3] << 32 | (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	       (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/* Loads digit d of every item, touching the strings in array order: a
 * few items ahead are fetched early (the array is usually in hash order,
 * so each string is a cache miss of its own). */
static void load_digits(struct dd_strsort_item *v, size_t n, size_t d)
{
	for (size_t k = 0; k < n; k++) {
		if (k + 8 < n)
			__builtin_prefetch(v[k + 8].s + (d < v[k + 8].len ? d : 0));
		v[k].key = digit(&v[k], d);
	}
}

static int cmp_full(const void *x, const void *y)
{
	return strcmp(((const struct dd_strsort_item *)x)->s, ((const struct dd_strsort_item *)y)->s);
}

static void swap(struct dd_strsort_item *a, struct dd_strsort_item *b)
{
	struct dd_strsort_item t = *a;
	*a = *b;
	*b = t;
}

/* Every string of v[0..n) shares [0, d); keys hold digit d. */
static void insertion(struct dd_strsort_item *v, size_t n, size_t d)
{
	for (size_t i = 1; i < n; i++) {
		struct dd_strsort_item t = v[i];
		size_t j = i;
		while (j > 0) {
			const struct dd_strsort_item *p = &v[j - 1];
			if (p->key < t.key)
				break;
			/* Equal keys that end inside the digit are equal strings. */
			if (p->key == t.key &&
			    ((t.key & 0xff) == 0 || strcmp(p->s + d + 8, t.s + d + 8) <= 0))
				break;
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

static uint64_t med3(uint64_t a, uint64_t b, uint64_t c)
{
	return a < b ? (b < c ? b : a < c ? c : a) : (b > c ? b : a > c ? c : a);
}

static void sort_at(struct dd_strsort_item *v, size_t n, size_t d, unsigned budget)
{
	for (;;) {
		if (n < SMALL) {
			insertion(v, n, d);
			return;
		}
		if (!budget) {
			qsort(v, n, sizeof *v, cmp_full);
			return;
		}
		uint64_t p = med3(v[0].key, v[n / 2].key, v[n - 1].key);
		size_t lt = 0, i = 0, gt = n;
		while (i < gt) {
			if (v[i].key < p)
				swap(&v[lt++], &v[i++]);
			else if (v[i].key > p)
				swap(&v[i], &v[--gt]);
			else
				i++;
		}
		sort_at(v, lt, d, budget - 1);
		sort_at(v + gt, n - gt, d, budget - 1);
		if ((p & 0xff) == 0)
			return; /* the equal strings all end in this digit */
		v += lt;
		n = gt - lt;
		d += 8;
		load_digits(v, n, d);
	}
}

void dd_strsort(struct dd_strsort_item *v, size_t n)
{
	unsigned budget = 48;
	for (size_t m = n; m > 1; m >>= 1)
		budget += 2;
	load_digits(v, n, 0);
	sort_at(v, n, 0, budget);
}
