/* SPDX-License-Identifier: Apache-2.0 */
/*
 * String-keyed hash map (open addressing, linear probing, tombstones). Keys
 * are copied and owned by the map; values are the caller's. Keys may contain
 * NUL bytes (lengths are explicit). Not thread-safe.
 */
#ifndef DD_MAP_H
#define DD_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

struct dd_map_slot {
	char *key;       /* NULL = empty; the map's copy, NUL-terminated */
	size_t klen;
	uint64_t hash;
	void *value;
	int dead;        /* tombstone */
};

struct dd_map {
	struct dd_map_slot *slots;
	size_t cap, count, used; /* used counts tombstones too */
};

void dd_map_init(struct dd_map *m);
void dd_map_release(struct dd_map *m); /* frees keys, not values */

/* Inserts or replaces; *old (may be NULL) receives the replaced value. */
dd_code dd_map_put(struct dd_map *m, const char *key, size_t klen, void *value,
		   void **old, struct dd_err *err);
void *dd_map_get(const struct dd_map *m, const char *key, size_t klen);
/* Removes and returns the value, or NULL. */
void *dd_map_del(struct dd_map *m, const char *key, size_t klen);

/* Iteration: for (size_t i = 0; dd_map_next(m, &i, &slot);) ... Order is
 * unspecified; sort for output. Do not insert while iterating (deleting the
 * current slot is fine). */
int dd_map_next(const struct dd_map *m, size_t *iter, const struct dd_map_slot **slot);

#endif
