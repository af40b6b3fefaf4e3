/* SPDX-License-Identifier: Apache-2.0 */
/*
 * String-keyed hash map (open addressing, linear probing, tombstones). Keys
 * are copied and owned by the map (dd_map_init), or borrowed from the caller
 * (dd_map_init_borrowed: no allocation per key, for hot maps whose keys live
 * in an arena that outlives the map); values are the caller's. Keys may
 * contain NUL bytes (lengths are explicit). Not thread-safe.
 */
#ifndef DD_MAP_H
#define DD_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

/* 24 bytes: the views of big images hold maps of a few hundred thousand
 * slots, whose size is memory the scan touches (and page-faults) again. */
struct dd_map_slot {
	char *key;       /* NULL = empty; the map's NUL-terminated copy, or the
			  * caller's bytes (borrowed: no NUL at klen promised) */
	void *value;
	uint32_t klen;   /* keys are shorter than 4 GiB (dd_map_ref says so) */
	uint32_t hash : 31;
	uint32_t dead : 1; /* tombstone */
};

struct dd_map {
	struct dd_map_slot *slots;
	size_t cap, count, used; /* used counts tombstones too */
	int borrow;              /* keys are the caller's */
};

void dd_map_init(struct dd_map *m);
/* Keys are not copied: key[0..klen) must stay valid and unchanged while it
 * is in the map (until dd_map_release, or its dd_map_del). */
void dd_map_init_borrowed(struct dd_map *m);
void dd_map_release(struct dd_map *m); /* frees copied keys, not values; init state after */

/* Makes room for n entries in all, so that inserting up to n grows the
 * table at most once, here. DD_ENOMEM only. */
dd_code dd_map_reserve(struct dd_map *m, size_t n, struct dd_err *err);
/* Inserts or replaces; *old (may be NULL) receives the replaced value. */
dd_code dd_map_put(struct dd_map *m, const char *key, size_t klen, void *value,
		   void **old, struct dd_err *err); /* errors as dd_map_ref */
/* The value slot of key, inserted with value NULL when absent (*added, may
 * be NULL, says so): one lookup where get-then-put would do two. The pointer
 * is valid until the next insertion. NULL when out of memory (DD_ENOMEM) or
 * when the key is 4 GiB or longer (DD_ELIMIT; no such key is ever found). */
void **dd_map_ref(struct dd_map *m, const char *key, size_t klen, bool *added,
		  struct dd_err *err);
void *dd_map_get(const struct dd_map *m, const char *key, size_t klen);
/* dd_map_ref and dd_map_get with the key's hash given: a caller that
 * prefetches a key and later looks it up, or looks one key up in two maps,
 * hashes it once. h must be dd_map_hash(key, klen). */
uint32_t dd_map_hash(const char *key, size_t klen);
void **dd_map_ref_hashed(struct dd_map *m, const char *key, size_t klen, uint32_t h, bool *added,
			 struct dd_err *err);
void *dd_map_get_hashed(const struct dd_map *m, const char *key, size_t klen, uint32_t h);
/* Starts loading the slot where the probe for hash h begins into the cache,
 * for a caller about to look up or insert many keys at random places in a
 * big table: issued a few keys ahead, the lookup then finds it there. */
void dd_map_prefetch_hashed(const struct dd_map *m, uint32_t h);
/* Removes and returns the value, or NULL. */
void *dd_map_del(struct dd_map *m, const char *key, size_t klen);

/* Iteration: for (size_t i = 0; dd_map_next(m, &i, &slot);) ... Order is
 * unspecified; sort for output. Do not insert while iterating (deleting the
 * current slot is fine). */
int dd_map_next(const struct dd_map *m, size_t *iter, const struct dd_map_slot **slot);

#endif
