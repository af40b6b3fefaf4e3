/* SPDX-License-Identifier: Apache-2.0 */
/*
 * npm's package-lock.json (https://docs.npmjs.com/cli/configuring-npm/package-lock-json):
 *   - lockfileVersion 1 (npm 5-6): a tree of "dependencies" objects keyed by
 *     package name, each with "version", "dev", and its own nested
 *     "dependencies" for copies that could not be hoisted;
 *   - lockfileVersion 2 (npm 7-8): the flat "packages" map keyed by install
 *     path ("node_modules/a/node_modules/b"), plus the v1 tree for old npms;
 *   - lockfileVersion 3 (npm 9+): "packages" only.
 * When "packages" is present it is authoritative (npm itself ignores the
 * legacy tree then); its root entry "" is the project, not a dependency.
 * The package name is the part of the key after the last "node_modules/"
 * (so scoped names keep their "@scope/"), or the entry's "name" for
 * workspace folders. "dev": true marks a development-only package.
 * A lockfile: cataloged in `dir:` scans only (lang.h).
 *
 * Also hosts the shared npm name splitting (scope -> purl namespace).
 */
#include <string.h>

#include "catalog/lang.h"
#include "util/arena.h"

/* Recursion in the v1 tree is bounded by the JSON depth check in
 * dd_json_parse (DD_LIMIT_JSON_DEPTH). */

dd_code dd_lang_npm_emit(struct dd_lang_sink *s, const char *name, size_t nl, const char *version,
			 unsigned flags, struct dd_err *err)
{
	char full[512], scope[256];
	if (nl == 0 || nl >= sizeof full || memchr(name, 0, nl))
		return nl == 0 ? DD_OK : dd_err_set(err, DD_EINVAL, "bad npm package name");
	memcpy(full, name, nl);
	full[nl] = '\0';
	struct dd_lang_pkg p = { .type = "npm", .name = full, .version = version, .flags = flags };
	const char *slash = full[0] == '@' ? strchr(full, '/') : NULL;
	if (slash && (size_t)(slash - full) < sizeof scope) {
		memcpy(scope, full, (size_t)(slash - full));
		scope[slash - full] = '\0';
		p.namespace_ = scope;
		p.purl_name = slash + 1;
	}
	return dd_lang_emit(s, &p, err);
}

static dd_code walk_v1(const struct dd_json *deps, struct dd_lang_sink *s, struct dd_err *err)
{
	dd_json_each(d, dd_json_as(deps, DD_JSON_OBJECT)) {
		const char *name = d->key;
		if (d->type != DD_JSON_OBJECT)
			continue;
		unsigned flags = dd_json_is_true(dd_json_get(d, "dev")) ? DD_PKG_DEV : 0;
		dd_code rc = dd_lang_npm_emit(s, name, strlen(name), dd_json_str(d, "version"),
					      flags, err);
		if (!rc)
			rc = walk_v1(dd_json_get(d, "dependencies"), s, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

dd_code dd_lang_parse_npm_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			       struct dd_err *err)
{
	struct dd_json_doc doc;
	dd_code rc = dd_json_doc_parse(&doc, d, n, err);
	const struct dd_json *root = doc.root;
	if (rc) {
		dd_json_doc_release(&doc);
		return rc;
	}
	if (root->type != DD_JSON_OBJECT) {
		dd_json_doc_release(&doc);
		return dd_err_set(err, DD_EINVAL, "package-lock: top level is not an object");
	}
	const struct dd_json *pkgs = dd_json_as(dd_json_get(root, "packages"), DD_JSON_OBJECT);
	if (pkgs) {
		dd_json_each(e, pkgs) {
			if (rc)
				break;
			const char *key = e->key;
			if (!*key || e->type != DD_JSON_OBJECT)
				continue;
			const char *name = key;
			const char *nm = NULL;
			for (const char *p = key; (p = strstr(p, "node_modules/")); p++)
				nm = p;
			if (nm)
				name = nm + strlen("node_modules/");
			else if (dd_json_str(e, "name"))
				name = dd_json_str(e, "name");
			else
				name = dd_lang_basename(key);
			unsigned flags = dd_json_is_true(dd_json_get(e, "dev")) ? DD_PKG_DEV : 0;
			rc = dd_lang_npm_emit(s, name, strlen(name), dd_json_str(e, "version"),
					      flags, err);
		}
	} else {
		rc = walk_v1(dd_json_get(root, "dependencies"), s, err);
	}
	dd_json_doc_release(&doc);
	return rc;
}

static bool lock_wants(const char *path, size_t len)
{
	/* node_modules/.package-lock.json is npm's hidden lockfile, read by
	 * npm_package.c for dev flags; nested locks of installed packages
	 * are not the project's. */
	return dd_lang_base_is(path, len, "package-lock.json") &&
	       !dd_lang_has_component(path, len, "node_modules");
}

static dd_code lock_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			 const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_npm_lock(f->data, f->size, s, err);
}

static dd_code lock_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	if (!dd_lang_dir_scan(ctx))
		return DD_OK;
	return dd_lang_each_file(ctx, "npm-lock", lock_wants, lock_file, err);
}

static const char *const path_ends[] = { "package-lock.json", NULL };

const struct dd_cataloger dd_cataloger_npm_lock = {
	.name = "npm-lock",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = lock_wants,
	.path_ends = path_ends,
	.run = lock_run,
};
