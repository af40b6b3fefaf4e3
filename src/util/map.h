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

struct dd_map_slot {
	char *key;       /* NULL = empty; the map's NUL-terminated copy, or the
			  * caller's bytes (borrowed: no NUL at klen promised) */
	size_t klen;
	uint64_t hash;
	void *value;
	int dead;        /* tombstone */
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

/* Inserts or replaces; *old (may be NULL) receives the replaced value. */
dd_code dd_map_put(struct dd_map *m, const char *key, size_t klen, void *value,
		   void **old, struct dd_err *err);
/* The value slot of key, inserted with value NULL when absent (*added, may
 * be NULL, says so): one lookup where get-then-put would do two. The pointer
 * is valid until the next insertion. NULL only when out of memory. */
void **dd_map_ref(struct dd_map *m, const char *key, size_t klen, bool *added,
		  struct dd_err *err);
void *dd_map_get(const struct dd_map *m, const char *key, size_t klen);
/* Removes and returns the value, or NULL. */
void *dd_map_del(struct dd_map *m, const char *key, size_t klen);

/* Iteration: for (size_t i = 0; dd_map_next(m, &i, &slot);) ... Order is
 * unspecified; sort for output. Do not insert while iterating (deleting the
 * current slot is fine). */
int dd_map_next(const struct dd_map *m, size_t *iter, const struct dd_map_slot **slot);

#endif
