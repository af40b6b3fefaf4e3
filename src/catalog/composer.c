/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PHP Composer (https://getcomposer.org/doc/01-basic-usage.md):
 *   - composer.lock: {"packages": [...], "packages-dev": [...]}, each
 *     {"name": "vendor/package", "version": "..."}; a lockfile, so read in
 *     `dir:` scans only (lang.h);
 *   - vendor/composer/installed.json, what is installed: Composer 1 writes
 *     a bare array of packages, Composer 2 an object {"packages": [...],
 *     "dev": bool, "dev-package-names": [...]}; read always.
 * purl pkg:composer/vendor/package@version (the Packagist name split at its
 * slash); versions kept as written ("v1.8.1" is how Packagist tags it).
 */
#include <string.h>

#include "catalog/lang.h"

static bool in_names(const struct dd_json *arr, const char *name)
{
	dd_json_each(c, dd_json_as(arr, DD_JSON_ARRAY)) {
		const char *v = dd_json_string(c);
		if (v && strcmp(v, name) == 0)
			return true;
	}
	return false;
}

static dd_code emit_list(const struct dd_json *arr, bool dev, const struct dd_json *dev_names,
			 struct dd_lang_sink *s, struct dd_err *err)
{
	dd_json_each(p, dd_json_as(arr, DD_JSON_ARRAY)) {
		const char *name = dd_json_str(p, "name");
		if (!name)
			continue;
		char ns[256];
		const char *slash = strchr(name, '/');
		struct dd_lang_pkg pk = {
			.type = "composer",
			.name = name,
			.version = dd_json_str(p, "version"),
			.flags = dev || in_names(dev_names, name) ? DD_PKG_DEV : 0,
		};
		if (slash && (size_t)(slash - name) < sizeof ns) {
			memcpy(ns, name, (size_t)(slash - name));
			ns[slash - name] = '\0';
			pk.namespace_ = ns;
			pk.purl_name = slash + 1;
		}
		dd_code rc = dd_lang_emit(s, &pk, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

dd_code dd_lang_parse_composer(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			       struct dd_err *err)
{
	struct dd_json_doc doc;
	dd_code rc = dd_json_doc_parse(&doc, d, n, err);
	const struct dd_json *root = doc.root;
	if (rc) {
	} else if (root->type == DD_JSON_ARRAY) {
		rc = emit_list(root, false, NULL, s, err);
	} else if (root->type == DD_JSON_OBJECT) {
		const struct dd_json *devn = dd_json_get(root, "dev-package-names");
		rc = emit_list(dd_json_get(root, "packages"), false, devn, s, err);
		if (!rc)
			rc = emit_list(dd_json_get(root, "packages-dev"), true, NULL, s, err);
	} else {
		rc = dd_err_set(err, DD_EINVAL, "composer: top level is neither array nor object");
	}
	dd_json_doc_release(&doc);
	return rc;
}

static bool installed_wants(const char *path, size_t len)
{
	return dd_lang_ends_with(path, len, "vendor/composer/installed.json") &&
	       (len == 30 || path[len - 31] == '/');
}

static bool lock_wants(const char *path, size_t len)
{
	return dd_lang_base_is(path, len, "composer.lock") &&
	       !dd_lang_has_component(path, len, "vendor");
}

static bool composer_wants(const char *path, size_t len)
{
	return installed_wants(path, len) || lock_wants(path, len);
}

static dd_code composer_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			     const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	size_t len = strlen(f->path);
	if (lock_wants(f->path, len) && !dd_lang_dir_scan(ctx))
		return DD_OK;
	s->cataloger = installed_wants(f->path, len) ? "composer-installed" : "composer-lock";
	return dd_lang_parse_composer(f->data, f->size, s, err);
}

static dd_code composer_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	return dd_lang_each_file(ctx, "composer", composer_wants, composer_file, err);
}

static const char *const path_ends[] = { "vendor/composer/installed.json", "composer.lock", NULL };

const struct dd_cataloger dd_cataloger_composer = {
	.name = "composer",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = composer_wants,
	.path_ends = path_ends,
	.run = composer_run,
};
