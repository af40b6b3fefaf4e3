/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The declared-and-installed fold (declared.h). One pass indexes the
 * installed language packages by type, name and version; a second drops
 * each declared package that has an installed twin below its lockfile's
 * directory; the array is then closed up, order kept.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/declared.h"
#include "catalog/ownership.h"
#include "util/alloc.h"
#include "util/map.h"

bool dd_catalog_declares(const char *cataloger)
{
	static const char *const names[] = { "npm-lock",    "yarn-lock",     "pnpm-lock",
					     "python-lock", "gemfile-lock",  "composer-lock",
					     "cargo-lock",  "go-mod" };
	for (size_t i = 0; cataloger && i < sizeof names / sizeof *names; i++)
		if (!strcmp(cataloger, names[i]))
			return true;
	return false;
}

static bool declared(const struct dd_package *p)
{
	return dd_catalog_declares(p->cataloger);
}

/* "type\0name\0version" in buf; 0 when it does not fit (never folded). */
static size_t key_of(const struct dd_package *p, char *buf, size_t cap)
{
	size_t tl = strlen(p->type), nl = strlen(p->name), vl = p->version ? strlen(p->version) : 0;
	if (tl + nl + vl + 2 > cap)
		return 0;
	memcpy(buf, p->type, tl + 1);
	memcpy(buf + tl + 1, p->name, nl + 1);
	memcpy(buf + tl + nl + 2, p->version ? p->version : "", vl);
	return tl + nl + vl + 2;
}

/* Whether path lies below the directory of the file at lock. */
static bool below_dir_of(const char *path, const char *lock)
{
	const char *slash = strrchr(lock, '/');
	size_t dl = slash ? (size_t)(slash - lock) + 1 : 0;
	return !strncmp(path, lock, dl);
}

/* The packages as the fold found them, and which of them to drop:
 * dd_sbom_keep_if asks about each at its place before moving any. */
struct drops {
	const struct dd_package *base;
	const bool *drop;
};

static bool not_dropped(const struct dd_package *p, void *ud)
{
	const struct drops *d = ud;
	return !d->drop[p - d->base];
}

dd_code dd_catalog_fold_declared(struct dd_sbom *s, struct dd_err *err)
{
	bool any = false;
	for (size_t i = 0; i < s->npkgs && !any; i++)
		any = declared(&s->pkgs[i]);
	if (!any)
		return DD_OK;
	/* Installed packages by key: the map holds the first index + 1,
	 * next[] chains the others (a name installed at several places). */
	struct dd_map m;
	dd_map_init(&m);
	size_t *next = dd_calloc(s->npkgs, sizeof *next);
	bool *drop = dd_calloc(s->npkgs, sizeof *drop);
	dd_code rc = next && drop ? DD_OK : dd_err_set(err, DD_ENOMEM, "out of memory");
	char key[1024];
	for (size_t i = 0; i < s->npkgs && !rc; i++) {
		const struct dd_package *p = &s->pkgs[i];
		size_t kl;
		if (declared(p) || dd_catalog_is_os_type(p->type) || !p->location ||
		    !(kl = key_of(p, key, sizeof key)))
			continue;
		void **v = dd_map_ref(&m, key, kl, NULL, err);
		if (!v) {
			rc = DD_ENOMEM;
			break;
		}
		next[i] = (size_t)(uintptr_t)*v;
		*v = (void *)(uintptr_t)(i + 1);
	}
	for (size_t i = 0; i < s->npkgs && !rc; i++) {
		const struct dd_package *p = &s->pkgs[i];
		size_t kl;
		if (!declared(p) || !p->location || !(kl = key_of(p, key, sizeof key)))
			continue;
		for (size_t at = (size_t)(uintptr_t)dd_map_get(&m, key, kl); at; at = next[at - 1]) {
			struct dd_package *q = &s->pkgs[at - 1];
			if (below_dir_of(q->location, p->location)) {
				q->flags |= p->flags & DD_PKG_DEV;
				drop[i] = true;
				break;
			}
		}
	}
	if (!rc)
		dd_sbom_keep_if(s, not_dropped, &(struct drops){ s->pkgs, drop });
	dd_map_release(&m);
	free(next);
	free(drop);
	return rc;
}
