/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cargo.lock (https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html):
 * TOML written by cargo in a fixed shape, one `[[package]]` table per
 * package with `name = "..."`, `version = "..."` and optional `source`,
 * `checksum`, `dependencies`. All three formats cargo has written (v1 with a
 * trailing [metadata] table of checksums, v2, and `version = 3/4` at the
 * top) share that shape, so a line reader suffices; a general TOML parser
 * would accept far more than cargo writes. Every [[package]] is reported,
 * the workspace's own crates (no `source`) included. A lockfile: cataloged
 * in `dir:` scans only (lang.h).
 */
#include <string.h>

#include "catalog/lang.h"
#include "util/arena.h"

static dd_code flush(struct dd_lang_sink *s, struct dd_arena *a, const char *name, size_t nl,
		     const char *ver, size_t vl, struct dd_err *err)
{
	if (!name)
		return DD_OK;
	struct dd_lang_pkg p = {
		.type = "cargo",
		.name = dd_arena_strndup(a, name, nl),
		.version = ver ? dd_arena_strndup(a, ver, vl) : NULL,
	};
	if (dd_arena_status(a))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return dd_lang_emit(s, &p, err);
}

dd_code dd_lang_parse_cargo_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				 struct dd_err *err)
{
	struct dd_arena *a = dd_arena_new(0);
	if (!a)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = DD_OK;
	bool in_pkg = false;
	const char *name = NULL, *ver = NULL;
	size_t nl = 0, vl = 0, pos = 0, len;
	const char *line;
	while (!rc && dd_lang_next_line(d, n, &pos, &line, &len)) {
		if (len && line[0] == '[') {
			if (in_pkg)
				rc = flush(s, a, name, nl, ver, vl, err);
			name = ver = NULL;
			in_pkg = len >= 11 && memcmp(line, "[[package]]", 11) == 0;
			continue;
		}
		if (!in_pkg)
			continue;
		const char *v;
		size_t l;
		if (dd_lang_toml_str(line, len, "name", &v, &l)) {
			name = v;
			nl = l;
		} else if (dd_lang_toml_str(line, len, "version", &v, &l)) {
			ver = v;
			vl = l;
		}
	}
	if (!rc && in_pkg)
		rc = flush(s, a, name, nl, ver, vl, err);
	dd_arena_free(a);
	return rc;
}

static bool cargo_wants(const char *path, size_t len)
{
	return dd_lang_base_is(path, len, "Cargo.lock");
}

static dd_code cargo_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			  const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_cargo_lock(f->data, f->size, s, err);
}

static dd_code cargo_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	if (!dd_lang_dir_scan(ctx))
		return DD_OK;
	return dd_lang_each_file(ctx, "cargo-lock", cargo_wants, cargo_file, err);
}

static const char *const path_ends[] = { "Cargo.lock", NULL };

const struct dd_cataloger dd_cataloger_cargo_lock = {
	.name = "cargo-lock",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = cargo_wants,
	.path_ends = path_ends,
	.run = cargo_run,
};
