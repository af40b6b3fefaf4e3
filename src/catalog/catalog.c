/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cataloger list: a new ecosystem is one file plus one line here. Order
 * matters only in that distro detection runs first (purls need the distro).
 */
#include "catalog/catalog.h"
#include "catalog/elf_section.h"
#include "catalog/ownership.h"
#include "util/alloc.h"
#include "util/limits.h"

extern const struct dd_cataloger dd_cataloger_python_dist;
extern const struct dd_cataloger dd_cataloger_npm_package;
extern const struct dd_cataloger dd_cataloger_npm_lock;
extern const struct dd_cataloger dd_cataloger_go_binary;
extern const struct dd_cataloger dd_cataloger_rust_binary;
extern const struct dd_cataloger dd_cataloger_cargo_lock;
extern const struct dd_cataloger dd_cataloger_java_archive;
extern const struct dd_cataloger dd_cataloger_gemfile_lock;
extern const struct dd_cataloger dd_cataloger_composer;
extern const struct dd_cataloger dd_cataloger_python_lock;
extern const struct dd_cataloger dd_cataloger_yarn_lock;
extern const struct dd_cataloger dd_cataloger_pnpm_lock;
extern const struct dd_cataloger dd_cataloger_go_mod;
extern const struct dd_cataloger dd_cataloger_gemspec;
extern const struct dd_cataloger dd_cataloger_dotnet_deps;

extern const struct dd_cataloger dd_cataloger_distro;
extern const struct dd_cataloger dd_cataloger_dpkg;
extern const struct dd_cataloger dd_cataloger_apk;
extern const struct dd_cataloger dd_cataloger_rpm;

const struct dd_cataloger *const dd_catalogers[] = {
	&dd_cataloger_distro,
	&dd_cataloger_dpkg,
	&dd_cataloger_apk,
	&dd_cataloger_rpm,
	&dd_cataloger_python_dist,
	&dd_cataloger_npm_package,
	&dd_cataloger_npm_lock,
	&dd_cataloger_go_binary,
	&dd_cataloger_rust_binary,
	&dd_cataloger_cargo_lock,
	&dd_cataloger_java_archive,
	&dd_cataloger_gemfile_lock,
	&dd_cataloger_composer,
	&dd_cataloger_python_lock,
	&dd_cataloger_yarn_lock,
	&dd_cataloger_pnpm_lock,
	&dd_cataloger_go_mod,
	&dd_cataloger_gemspec,
	&dd_cataloger_dotnet_deps,
	NULL,
};

dd_code dd_catalog_reduce(const unsigned char *d, size_t n, bool os_only, struct dd_arena *a,
			  const unsigned char **out, size_t *outlen, struct dd_err *err)
{
	struct dd_elf_part parts[8];
	size_t np = 0;
	size_t head = n < DD_MAGIC_BYTES ? n : DD_MAGIC_BYTES;
	*out = NULL;
	*outlen = 0;
	for (const struct dd_cataloger *const *c = dd_catalogers; *c; c++) {
		if ((os_only && (*c)->kind == DD_CATALOGER_LANG) || !(*c)->wants_magic ||
		    !(*c)->wants_magic(d, head))
			continue;
		struct dd_catalog_part p;
		struct dd_err e;
		dd_err_clear(&e);
		dd_code rc = (*c)->extract && np < sizeof parts / sizeof *parts
				     ? (*c)->extract(d, n, a, &p, &e) : DD_EINVAL;
		if (rc == DD_ENOMEM)
			return dd_err_set(err, rc, "%s: %s", (*c)->name, e.msg);
		if (rc == DD_ENOTFOUND)
			continue;
		if (rc) {
			*out = d;
			*outlen = n;
			return DD_OK;
		}
		parts[np++] = (struct dd_elf_part){ p.section, p.data, p.len };
	}
	if (!np)
		return DD_OK;
	if (!(*out = dd_elf_build(a, parts, np, outlen)))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return DD_OK;
}

struct snapshot {
	const struct dd_fs_file **v;
	size_t n;
};

static int snapshot_add(const struct dd_fs_file *f, void *ud)
{
	struct snapshot *s = ud;
	s->v[s->n++] = f;
	return 0;
}

int dd_catalog_walk(const struct dd_catalog_ctx *ctx,
		    int (*fn)(const struct dd_fs_file *f, void *ud), void *ud)
{
	if (!ctx->files)
		return dd_fs_each(ctx->fs, fn, ud);
	int rc = 0;
	for (size_t i = 0; i < ctx->nfiles && !rc; i++)
		rc = fn(ctx->files[i], ud);
	return rc;
}

dd_code dd_catalog_run(const struct dd_fs *fs, struct dd_sbom *sbom, bool os_only,
		       struct dd_err *err)
{
	struct dd_catalog_ctx ctx = { .fs = fs, .sbom = sbom };
	struct snapshot snap = { dd_calloc(dd_fs_count(fs) + 1, sizeof *snap.v), 0 };
	if (snap.v && dd_fs_each(fs, snapshot_add, &snap) == 0) {
		ctx.files = snap.v;
		ctx.nfiles = snap.n;
	}
	for (enum dd_cataloger_kind kind = DD_CATALOGER_DISTRO; kind <= DD_CATALOGER_LANG; kind++) {
		if (os_only && kind == DD_CATALOGER_LANG)
			break;
		for (const struct dd_cataloger *const *c = dd_catalogers; *c; c++) {
			if ((*c)->kind != kind)
				continue;
			struct dd_err e;
			dd_err_clear(&e);
			dd_code rc = (*c)->run(&ctx, &e);
			if (rc == DD_ENOMEM) {
				free(snap.v);
				return dd_err_set(err, rc, "%s: %s", (*c)->name, e.msg);
			}
			if (rc)
				dd_sbom_warn(sbom, "%s: %s", (*c)->name, e.msg);
		}
	}
	free(snap.v);
	return dd_catalog_ownership(sbom, err);
}
