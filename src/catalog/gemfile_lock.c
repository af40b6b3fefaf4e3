/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bundler's Gemfile.lock: sections start at column 0 (GEM, GIT, PATH,
 * PLATFORMS, DEPENDENCIES, BUNDLED WITH); inside GEM, `specs:` lists each
 * resolved gem at four spaces as `name (version)` or
 * `name (version-platform)`, its dependencies at six. Only GEM specs are
 * reported: GIT and PATH specs are not RubyGems releases, so a RubyGems
 * advisory does not describe them. The platform suffix is kept in the
 * version as Bundler writes it. A lockfile: `dir:` scans only (lang.h).
 */
#include <string.h>

#include "catalog/lang.h"

#define GEM_FIELD_MAX 256

dd_code dd_lang_parse_gemfile_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				   struct dd_err *err)
{
	bool in_gem = false, in_specs = false;
	size_t pos = 0, len;
	const char *l;
	while (dd_lang_next_line(d, n, &pos, &l, &len)) {
		if (len && l[0] != ' ') {
			in_gem = len == 3 && memcmp(l, "GEM", 3) == 0;
			in_specs = false;
			continue;
		}
		if (!in_gem)
			continue;
		if (len >= 8 && memcmp(l, "  specs:", 8) == 0) {
			in_specs = true;
			continue;
		}
		if (!in_specs || len < 5 || memcmp(l, "    ", 4) != 0 || l[4] == ' ')
			continue;
		const char *name = l + 4;
		const char *sp = memchr(name, ' ', len - 4);
		if (!sp)
			continue;
		size_t nl = (size_t)(sp - name);
		const char *open = sp + 1, *end = l + len;
		if (open >= end || *open != '(' || end[-1] != ')')
			continue;
		size_t vl = (size_t)(end - open) - 2;
		if (nl >= GEM_FIELD_MAX || vl >= GEM_FIELD_MAX || memchr(l, 0, len))
			continue;
		char nb[GEM_FIELD_MAX], vb[GEM_FIELD_MAX];
		memcpy(nb, name, nl);
		nb[nl] = '\0';
		memcpy(vb, open + 1, vl);
		vb[vl] = '\0';
		struct dd_lang_pkg p = { .type = "gem", .name = nb, .version = vb };
		dd_code rc = dd_lang_emit(s, &p, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

static bool gemlock_wants(const char *path, size_t len)
{
	return dd_lang_base_is(path, len, "Gemfile.lock") ||
	       dd_lang_base_is(path, len, "gems.locked");
}

static dd_code gemlock_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			    const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_gemfile_lock(f->data, f->size, s, err);
}

static dd_code gemlock_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	if (!dd_lang_dir_scan(ctx))
		return DD_OK;
	return dd_lang_each_file(ctx, "gemfile-lock", gemlock_wants, gemlock_file, err);
}

static const char *const path_ends[] = { "Gemfile.lock", "gems.locked", NULL };

const struct dd_cataloger dd_cataloger_gemfile_lock = {
	.name = "gemfile-lock",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = gemlock_wants,
	.path_ends = path_ends,
	.run = gemlock_run,
};
