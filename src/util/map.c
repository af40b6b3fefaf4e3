/* SPDX-License-Identifier: Apache-2.0 */
/* Open-addressing hash map, power-of-two capacity, load <= 0.7 incl. tombstones. */
#include <string.h>

#include "util/alloc.h"
#include "util/map.h"

/* The maps' own hash, 8 bytes per step (the paths of a layer are hashed
 * several times each; byte-wise FNV-1a showed in profiles). Never stored:
 * dd_hash_bytes, whose values the layer cache keeps, is another function.
 * The final mix spreads every input bit into the low bits we mask. */
static uint64_t map_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 31;
		p += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

void dd_map_init(struct dd_map *m)
{
	m->slots = NULL;
	m->cap = m->count = m->used = 0;
	m->borrow = 0;
}

void dd_map_init_borrowed(struct dd_map *m)
{
	dd_map_init(m);
	m->borrow = 1;
}

void dd_map_release(struct dd_map *m)
{
	int borrow = m->borrow;
	for (size_t i = 0; i < m->cap && !borrow; i++)
		free(m->slots[i].key);
	free(m->slots);
	dd_map_init(m);
	m->borrow = borrow;
}

/* Slots keep 31 bits of the hash (the 32nd is the tombstone flag): enough
 * to index any table that fits in memory and to skip most key compares. */
#define HASH_MASK 0x7fffffffu

static struct dd_map_slot *find(const struct dd_map *m, const char *key, size_t klen,
				uint32_t h, struct dd_map_slot **free_slot)
{
	if (free_slot)
		*free_slot = NULL;
	if (!m->cap || klen > UINT32_MAX)
		return NULL;
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct dd_map_slot *s = &m->slots[i];
		if (!s->key) {
			if (free_slot && !*free_slot)
				*free_slot = s;
			return NULL;
		}
		if (s->dead) {
			if (free_slot && !*free_slot)
				*free_slot = s;
			continue;
		}
		if (s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0)
			return s;
	}
}

static dd_code rehash(struct dd_map *m, size_t cap, struct dd_err *err)
{
	struct dd_map_slot *slots = dd_calloc(cap, sizeof *slots);
	if (!slots)
		return dd_err_set(err, DD_ENOMEM, "out of memory growing a map to %zu slots", cap);
	for (size_t i = 0; i < m->cap; i++) {
		struct dd_map_slot *s = &m->slots[i];
		if (!s->key)
			continue;
		if (s->dead) {
			if (!m->borrow)
				free(s->key);
			continue;
		}
		size_t j = s->hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	m->used = m->count;
	return DD_OK;
}

/* The capacity for n live entries: below half full, so that a table grown
 * here runs a while before the 0.7 limit (tombstones included) again. */
static size_t cap_for(size_t cap, size_t n)
{
	if (!cap)
		cap = 16;
	while (n * 10 >= cap * 5)
		cap *= 2;
	return cap;
}

dd_code dd_map_reserve(struct dd_map *m, size_t n, struct dd_err *err)
{
	size_t cap = cap_for(m->cap, n);
	return cap > m->cap ? rehash(m, cap, err) : DD_OK;
}

uint32_t dd_map_hash(const char *key, size_t klen)
{
	return (uint32_t)map_hash(key, klen) & HASH_MASK;
}

void **dd_map_ref(struct dd_map *m, const char *key, size_t klen, bool *added,
		  struct dd_err *err)
{
	return dd_map_ref_hashed(m, key, klen, dd_map_hash(key, klen), added, err);
}

void **dd_map_ref_hashed(struct dd_map *m, const char *key, size_t klen, uint32_t h, bool *added,
			 struct dd_err *err)
{
	if (added)
		*added = false;
	if (klen > UINT32_MAX) {
		dd_err_set(err, DD_ELIMIT, "map key of %zu bytes", klen);
		return NULL;
	}
	if ((m->used + 1) * 10 >= m->cap * 7 && rehash(m, cap_for(m->cap, m->count + 1), err))
		return NULL;
	struct dd_map_slot *slot;
	struct dd_map_slot *s = find(m, key, klen, h, &slot);
	if (s)
		return &s->value;
	char *k = m->borrow ? (char *)key : dd_strndup(key, klen);
	if (!k) {
		dd_err_set(err, DD_ENOMEM, "out of memory copying a map key");
		return NULL;
	}
	if (slot->key && !m->borrow) /* reusing a tombstone */
		free(slot->key);
	else if (!slot->key)
		m->used++;
	slot->key = k;
	slot->klen = (uint32_t)klen;
	slot->hash = h;
	slot->value = NULL;
	slot->dead = 0;
	m->count++;
	if (added)
		*added = true;
	return &slot->value;
}

dd_code dd_map_put(struct dd_map *m, const char *key, size_t klen, void *value,
		   void **old, struct dd_err *err)
{
	if (old)
		*old = NULL;
	void **v = dd_map_ref(m, key, klen, NULL, err);
	if (!v)
		return klen > UINT32_MAX ? DD_ELIMIT : DD_ENOMEM; /* err is set */
	if (old)
		*old = *v;
	*v = value;
	return DD_OK;
}

void *dd_map_get(const struct dd_map *m, const char *key, size_t klen)
{
	if (!m->count)
		return NULL; /* without hashing the key */
	return dd_map_get_hashed(m, key, klen, dd_map_hash(key, klen));
}

void *dd_map_get_hashed(const struct dd_map *m, const char *key, size_t klen, uint32_t h)
{
	struct dd_map_slot *s = m->count ? find(m, key, klen, h, NULL) : NULL;
	return s ? s->value : NULL;
}

void dd_map_prefetch_hashed(const struct dd_map *m, uint32_t h)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[h & (m->cap - 1)], 1);
}

void *dd_map_del(struct dd_map *m, const char *key, size_t klen)
{
	struct dd_map_slot *s = find(m, key, klen, dd_map_hash(key, klen), NULL);
	if (!s)
		return NULL;
	void *v = s->value;
	s->dead = 1;
	s->value = NULL;
	m->count--;
	return v;
}

int dd_map_next(const struct dd_map *m, size_t *iter, const struct dd_map_slot **slot)
{
	while (*iter < m->cap) {
		const struct dd_map_slot *s = &m->slots[(*iter)++];
		if (s->key && !s->dead) {
			*slot = s;
			return 1;
		}
	}
	return 0;
}
