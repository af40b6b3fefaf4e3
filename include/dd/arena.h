/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arenas, for callers outside src/: functions that return rows or records
 * (dd_vulndb_advisory, the store's list/get functions, dd_vex_parse) put
 * them and their strings in a caller's arena, freed all at once. max_bytes
 * caps the arena (0: no cap beyond the system's). The full interface for
 * library code is src/util/arena.h.
 */
#ifndef DD_ARENA_PUBLIC_H
#define DD_ARENA_PUBLIC_H

#include <stddef.h>

struct dd_arena;

struct dd_arena *dd_arena_new(size_t max_bytes);
void dd_arena_free(struct dd_arena *a); /* NULL is fine */

#endif
