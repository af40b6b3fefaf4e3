/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yarn.lock, both dialects:
 *   - classic (yarn 1, "# yarn lockfile v1"): blocks headed by an
 *     unindented list of descriptors ("name@range", quoted when needed,
 *     comma-separated) ending in ':', then indented `version "1.2.3"`;
 *   - berry (yarn 2+, YAML with a `__metadata:` block): the same block shape
 *     with descriptors "name@npm:range" and `version: 1.2.3`.
 * The package name is the first descriptor up to its last '@' (not
 * counting a leading scope '@'). Berry entries for the project's own
 * workspaces and for link:/portal:/file: protocols are not registry
 * packages and are skipped. yarn.lock does not say which packages are dev
 * dependencies (that needs the package.json graph), so none is marked.
 * A lockfile: `dir:` scans only (lang.h).
 */
#include <string.h>

#include "catalog/lang.h"

#define YARN_FIELD_MAX 512

static bool local_protocol(const char *d, size_t n)
{
	static const char *const p[] = { "@workspace:", "@link:", "@portal:", "@file:" };
	for (size_t k = 0; k < sizeof p / sizeof *p; k++) {
		size_t pl = strlen(p[k]);
		for (size_t i = 0; i + pl <= n; i++)
			if (!memcmp(d + i, p[k], pl))
				return true;
	}
	return false;
}

dd_code dd_lang_parse_yarn_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				struct dd_err *err)
{
	char name[YARN_FIELD_MAX];
	bool have = false, skip = false;
	size_t pos = 0, len;
	const char *l;
	while (dd_lang_next_line(d, n, &pos, &l, &len)) {
		if (len == 0 || l[0] == '#')
			continue;
		if (l[0] != ' ') {
			have = false;
			if (l[len - 1] != ':' || (len >= 10 && !memcmp(l, "__metadata", 10)))
				continue;
			size_t e = len - 1;
			const char *comma = memchr(l, ',', e);
			if (comma)
				e = (size_t)(comma - l);
			size_t b = 0;
			while (b < e && l[b] == '"')
				b++;
			while (e > b && l[e - 1] == '"')
				e--;
			const char *at = NULL;
			for (size_t i = b + 1; i < e; i++)
				if (l[i] == '@') {
					at = l + i;
					break; /* first '@' after the scope: the range may contain '@' */
				}
			if (!at || (size_t)(at - l - b) >= sizeof name)
				continue;
			skip = local_protocol(l + b, e - b);
			memcpy(name, l + b, (size_t)(at - l) - b);
			name[at - l - b] = '\0';
			have = *name && !memchr(l + b, 0, e - b);
			continue;
		}
		if (!have)
			continue;
		/* "  version "1.2.3"" (classic) or "  version: 1.2.3" (berry) */
		if (len < 11 || memcmp(l, "  version", 9) != 0 || (l[9] != ' ' && l[9] != ':'))
			continue;
		size_t i = 9;
		while (i < len && (l[i] == ':' || l[i] == ' ' || l[i] == '"'))
			i++;
		size_t e = len;
		while (e > i && (l[e - 1] == '"' || l[e - 1] == ' '))
			e--;
		have = false;
		if (skip || e == i || e - i >= YARN_FIELD_MAX || memchr(l + i, 0, e - i))
			continue;
		char ver[YARN_FIELD_MAX];
		memcpy(ver, l + i, e - i);
		ver[e - i] = '\0';
		dd_code rc = dd_lang_npm_emit(s, name, strlen(name), ver, 0, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

static bool yarn_wants(const char *path, size_t len)
{
	return dd_lang_base_is(path, len, "yarn.lock") &&
	       !dd_lang_has_component(path, len, "node_modules");
}

static dd_code yarn_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			 const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_yarn_lock(f->data, f->size, s, err);
}

static dd_code yarn_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	if (!dd_lang_dir_scan(ctx))
		return DD_OK;
	return dd_lang_each_file(ctx, "yarn-lock", yarn_wants, yarn_file, err);
}

static const char *const path_ends[] = { "yarn.lock", NULL };

const struct dd_cataloger dd_cataloger_yarn_lock = {
	.name = "yarn-lock",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = yarn_wants,
	.path_ends = path_ends,
	.run = yarn_run,
};
