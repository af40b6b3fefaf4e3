/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared pieces of the OS package catalogers: layer attribution over the
 * `lower` chain of a database file, package keys, the purl distro
 * qualifier, file-list path cleaning. The reasoning behind layer
 * attribution is in os_pkgdb.h and docs/internals/catalog.md.
 */
#include <stdio.h>

#include "catalog/os_pkgdb.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"
#include "util/path.h"

dd_code dd_layer_chain_build(const struct dd_fs_file *top, dd_pkgdb_keys_fn fn,
			     struct dd_layer_chain *c, struct dd_err *err)
{
	c->top = top->layer;
	c->n = 0;
	c->v = NULL;
	size_t cap = 0;
	/* A lower version is only useful while the chain is unbroken, and
	 * there is at most one version per layer. */
	for (const struct dd_fs_file *l = top->lower; l && c->n < DD_LIMIT_LAYERS; l = l->lower) {
		if (l->type != DD_FS_REG || !l->data)
			break;
		if (dd_grow(&c->v, &cap, c->n + 1, sizeof *c->v))
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		struct dd_layer_keys *k = &c->v[c->n];
		k->layer = l->layer;
		dd_map_init(&k->keys);
		struct dd_err e;
		dd_err_clear(&e);
		dd_code rc = fn(l->path, l->data, l->size, &k->keys, &e);
		if (rc == DD_ENOMEM) {
			dd_map_release(&k->keys);
			return dd_err_set(err, rc, "%s", e.msg);
		}
		if (rc) {
			dd_map_release(&k->keys);
			break;
		}
		c->n++;
	}
	return DD_OK;
}

int dd_layer_chain_find(const struct dd_layer_chain *c, const char *key, size_t klen)
{
	int layer = c->top;
	for (size_t i = 0; i < c->n; i++) {
		if (!dd_map_get(&c->v[i].keys, key, klen))
			break;
		layer = c->v[i].layer;
	}
	return layer;
}

void dd_layer_chain_release(struct dd_layer_chain *c)
{
	for (size_t i = 0; i < c->n; i++)
		dd_map_release(&c->v[i].keys);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

size_t dd_pkgdb_key(char *buf, size_t cap, const char *name, const char *version,
		    const char *arch)
{
	int n = snprintf(buf, cap, "%s\x1f%s\x1f%s", name ? name : "", version ? version : "",
			 arch ? arch : "");
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

dd_code dd_pkgdb_key_add(struct dd_map *keys, const char *name, const char *version,
			 const char *arch)
{
	char key[1024];
	size_t k = dd_pkgdb_key(key, sizeof key, name, version, arch);
	return dd_map_put(keys, key, k, (void *)1, NULL, NULL);
}

int dd_pkgdb_layer_of(const struct dd_layer_chain *c, const char *name, const char *version,
		      const char *arch)
{
	char key[1024];
	size_t k = dd_pkgdb_key(key, sizeof key, name, version, arch);
	return dd_layer_chain_find(c, key, k);
}

const char *dd_pkgdb_distro_qualifier(struct dd_arena *a, const struct dd_distro *d)
{
	if (!d || !d->id || !*d->id || !d->version_id || !*d->version_id)
		return NULL;
	return dd_arena_printf(a, "%s-%s", d->id, d->version_id);
}

const char *dd_pkgdb_clean_path(struct dd_arena *a, const char *p, size_t n)
{
	char out[DD_LIMIT_PATH_BYTES];
	size_t len;
	if (dd_path_clean(p, n, out, sizeof out, &len, NULL) || len == 0)
		return NULL;
	return dd_arena_strndup(a, out, len);
}
