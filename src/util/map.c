/* SPDX-License-Identifier: Apache-2.0 */
/* Open-addressing hash map, power-of-two capacity, load <= 0.7 incl. tombstones. */
#include "util/alloc.h"
#include "util/hash.h"
#include "util/map.h"

void dd_map_init(struct dd_map *m)
{
	m->slots = NULL;
	m->cap = m->count = m->used = 0;
}

void dd_map_release(struct dd_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	dd_map_init(m);
}

static struct dd_map_slot *find(const struct dd_map *m, const char *key, size_t klen,
				uint64_t h, struct dd_map_slot **free_slot)
{
	if (free_slot)
		*free_slot = NULL;
	if (!m->cap)
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

dd_code dd_map_put(struct dd_map *m, const char *key, size_t klen, void *value,
		   void **old, struct dd_err *err)
{
	if (old)
		*old = NULL;
	if ((m->used + 1) * 10 >= m->cap * 7) {
		size_t cap = m->cap ? m->cap : 16;
		while ((m->count + 1) * 10 >= cap * 5)
			cap *= 2;
		dd_code rc = rehash(m, cap, err);
		if (rc)
			return rc;
	}
	uint64_t h = dd_hash_bytes(key, klen);
	struct dd_map_slot *slot;
	struct dd_map_slot *s = find(m, key, klen, h, &slot);
	if (s) {
		if (old)
			*old = s->value;
		s->value = value;
		return DD_OK;
	}
	char *k = dd_strndup(key, klen);
	if (!k)
		return dd_err_set(err, DD_ENOMEM, "out of memory copying a map key");
	if (slot->key) /* reusing a tombstone */
		free(slot->key);
	else
		m->used++;
	slot->key = k;
	slot->klen = klen;
	slot->hash = h;
	slot->value = value;
	slot->dead = 0;
	m->count++;
	return DD_OK;
}

void *dd_map_get(const struct dd_map *m, const char *key, size_t klen)
{
	struct dd_map_slot *s = find(m, key, klen, dd_hash_bytes(key, klen), NULL);
	return s ? s->value : NULL;
}

void *dd_map_del(struct dd_map *m, const char *key, size_t klen)
{
	struct dd_map_slot *s = find(m, key, klen, dd_hash_bytes(key, klen), NULL);
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
