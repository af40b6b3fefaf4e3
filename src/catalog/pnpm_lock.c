/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pnpm-lock.yaml (https://github.com/pnpm/spec/tree/master/lockfile), read
 * with libyaml's document loader (aliases stay references, never
 * expanded). Packages are the keys of the top-level `packages` mapping,
 * whose shape changed with the lockfile version:
 *   - 5.x: "/name/1.2.3", "/@scope/name/1.2.3_peer@1.0.0";
 *   - 6.x: "/name@1.2.3", "/@scope/name@1.2.3(peer@1.0.0)";
 *   - 9.x: "name@1.2.3" (the leading '/' is gone).
 * Peer-dependency suffixes ("_..." in 5.x, "(...)" since 6) are cut. Up to
 * 6.x each entry says `dev: true|false`; 9.x moved that to `importers`, so
 * 9.x packages are not marked. A lockfile: `dir:` scans only (lang.h).
 */
#include <string.h>
#include <yaml.h>

#include "catalog/lang.h"

#define PNPM_FIELD_MAX 512

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static dd_code package_key(const char *k, size_t n, bool v5, bool dev, struct dd_lang_sink *s,
			   struct dd_err *err)
{
	if (n && k[0] == '/') {
		k++;
		n--;
	}
	const char *paren = memchr(k, '(', n);
	if (paren)
		n = (size_t)(paren - k);
	char name[PNPM_FIELD_MAX], ver[PNPM_FIELD_MAX];
	/* 5.x peer suffixes contain '@' too ("_supports-color@8.0.0"). */
	const char *at = !v5 && n > 1 ? memchr(k + 1, '@', n - 1) : NULL;
	size_t nl, vs;
	if (at) { /* 6.x / 9.x: name@version */
		nl = (size_t)(at - k);
		vs = nl + 1;
	} else { /* 5.x: name/version */
		const char *slash = NULL;
		for (size_t i = 0; i < n; i++)
			if (k[i] == '/')
				slash = k + i;
		if (!slash)
			return DD_OK;
		nl = (size_t)(slash - k);
		vs = nl + 1;
		const char *us = memchr(k + vs, '_', n - vs);
		if (us)
			n = (size_t)(us - k);
	}
	if (nl == 0 || vs >= n || nl >= sizeof name || n - vs >= sizeof ver)
		return DD_OK;
	memcpy(name, k, nl);
	name[nl] = '\0';
	memcpy(ver, k + vs, n - vs);
	ver[n - vs] = '\0';
	return dd_lang_npm_emit(s, name, nl, ver, dev ? DD_PKG_DEV : 0, err);
}

dd_code dd_lang_parse_pnpm_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				struct dd_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, d, n);
	if (!yaml_parser_load(&parser, &doc)) {
		dd_code rc = dd_err_set(err, DD_EINVAL, "line %zu: %s",
					parser.problem_mark.line + 1,
					parser.problem ? parser.problem : "YAML error");
		yaml_parser_delete(&parser);
		return rc;
	}
	dd_code rc = DD_OK;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	yaml_node_t *pkgs = map_get(&doc, root, "packages");
	yaml_node_t *lv = map_get(&doc, root, "lockfileVersion");
	unsigned major = 0;
	for (size_t i = 0; lv && lv->type == YAML_SCALAR_NODE && i < lv->data.scalar.length &&
			   lv->data.scalar.value[i] >= '0' && lv->data.scalar.value[i] <= '9' && major < 1000;
	     i++)
		major = major * 10 + (unsigned)(lv->data.scalar.value[i] - '0');
	bool v5 = major > 0 && major < 6;
	if (pkgs && pkgs->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = pkgs->data.mapping.pairs.start;
		     p < pkgs->data.mapping.pairs.top && !rc; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			yaml_node_t *v = yaml_document_get_node(&doc, p->value);
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			yaml_node_t *dv = map_get(&doc, v, "dev");
			bool dev = dv && dv->type == YAML_SCALAR_NODE &&
				   dv->data.scalar.length == 4 && !memcmp(dv->data.scalar.value, "true", 4);
			rc = package_key((const char *)k->data.scalar.value, k->data.scalar.length, v5, dev,
					 s, err);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

static bool pnpm_wants(const char *path, size_t len)
{
	return dd_lang_base_is(path, len, "pnpm-lock.yaml") &&
	       !dd_lang_has_component(path, len, "node_modules");
}

static dd_code pnpm_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			 const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_pnpm_lock(f->data, f->size, s, err);
}

static dd_code pnpm_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	if (!dd_lang_dir_scan(ctx))
		return DD_OK;
	return dd_lang_each_file(ctx, "pnpm-lock", pnpm_wants, pnpm_file, err);
}

static const char *const path_ends[] = { "pnpm-lock.yaml", NULL };

const struct dd_cataloger dd_cataloger_pnpm_lock = {
	.name = "pnpm-lock",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = pnpm_wants,
	.path_ends = path_ends,
	.run = pnpm_run,
};
