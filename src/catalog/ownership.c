/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ownership of language packages by OS packages (ownership.h). One hash map
 * from every OS-listed file to its package, then one look-up per language
 * package, so the pass is linear in files + packages.
 *
 * Which file of a language package to look up:
 *   - its location (METADATA, PKG-INFO, package.json, the binary, the jar);
 *     for a member of a nested jar ("a.jar:lib/b.jar") the outer archive;
 *   - then the directory holding it (dpkg lists `...egg-info` directories
 *     as well as their files; some packages list only the directory).
 * Paths are compared in canonical form (no leading "/"). Debian keeps
 * listing /bin, /lib, /sbin paths of merged-/usr systems under their old
 * names while the image has them under usr/, so "usr/X" also tries "X".
 */
#include <string.h>

#include "catalog/ownership.h"
#include "util/map.h"

bool dd_catalog_is_os_type(const char *type)
{
	return type && (!strcmp(type, "deb") || !strcmp(type, "apk") || !strcmp(type, "rpm"));
}

/* Compiled, statically linked: matched on their own identity even when owned. */
static bool keeps_identity(const char *type)
{
	return !strcmp(type, "golang") || !strcmp(type, "cargo");
}

static const char *canon(const char *p, size_t *len)
{
	while (*p == '/' || (p[0] == '.' && p[1] == '/'))
		p++;
	size_t n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	*len = n;
	return p;
}

static const struct dd_package *lookup(const struct dd_map *m, const char *p, size_t n)
{
	const struct dd_package *o = dd_map_get(m, p, n);
	if (!o && n > 4 && memcmp(p, "usr/", 4) == 0)
		o = dd_map_get(m, p + 4, n - 4);
	return o;
}

dd_code dd_catalog_ownership(struct dd_sbom *s, struct dd_err *err)
{
	struct dd_map files;
	dd_map_init(&files);
	dd_code rc = DD_OK;
	bool any_lang = false;
	for (size_t i = 0; i < s->npkgs && !any_lang; i++)
		if (!dd_catalog_is_os_type(s->pkgs[i].type) && s->pkgs[i].location)
			any_lang = true;
	if (!any_lang)
		goto out;
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[i];
		if (!dd_catalog_is_os_type(p->type))
			continue;
		for (size_t k = 0; k < p->nfiles; k++) {
			size_t n;
			const char *f = canon(p->files[k], &n);
			if (n == 0 || dd_map_get(&files, f, n))
				continue; /* first owner wins, as in dpkg -S order */
			if ((rc = dd_map_put(&files, f, n, (void *)p, NULL, err)))
				goto out;
		}
	}
	if (files.count == 0)
		goto out;
	for (size_t i = 0; i < s->npkgs; i++) {
		struct dd_package *p = &s->pkgs[i];
		if (dd_catalog_is_os_type(p->type) || !p->location || p->owner)
			continue;
		size_t n;
		const char *loc = canon(p->location, &n);
		const char *colon = memchr(loc, ':', n);
		if (colon && p->type && !strcmp(p->type, "maven"))
			n = (size_t)(colon - loc);
		const struct dd_package *o = lookup(&files, loc, n);
		if (!o) {
			const char *slash = n ? memrchr(loc, '/', n) : NULL;
			if (slash)
				o = lookup(&files, loc, (size_t)(slash - loc));
		}
		if (!o)
			continue;
		p->owner = o->name;
		if (!keeps_identity(p->type))
			p->flags |= DD_PKG_OWNED_BY_OS;
	}
out:
	dd_map_release(&files);
	return rc;
}
