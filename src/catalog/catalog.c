/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cataloger list: a new ecosystem is one file plus one line here. Order
 * matters only in that distro detection runs first (purls need the distro).
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/declared.h"
#include "catalog/elf_section.h"
#include "catalog/ownership.h"
#include "util/alloc.h"
#include "util/arena.h"
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

_Static_assert(sizeof dd_catalogers / sizeof *dd_catalogers - 1 <= 32,
	       "a dd_catalog_set has a bit per cataloger");

/* The bucket of a path's last four bytes, ASCII letters folded to lower
 * case (other bytes change too, the same way for an ending and a path). */
static unsigned end_bucket(const char *end4)
{
	uint32_t w;
	memcpy(&w, end4, 4);
	return ((w | 0x20202020u) * 0x9e3779b1u) >> 24;
}

void dd_catalog_wants_init(struct dd_catalog_wants *w, bool os_only)
{
	memset(w, 0, sizeof *w);
	size_t n = 0;
	unsigned bucket[DD_CATALOG_ENDS];
	for (unsigned i = 0; dd_catalogers[i]; i++) {
		const struct dd_cataloger *c = dd_catalogers[i];
		dd_catalog_set bit = (dd_catalog_set)1 << i;
		if (os_only && c->kind == DD_CATALOGER_LANG)
			continue; /* does not take part */
		w->part |= bit;
		if (c->wants_magic)
			w->magic |= bit;
		if (!c->wants_path)
			continue;
		size_t ne = 0;
		bool fits = c->path_ends != NULL;
		for (const char *const *e = c->path_ends; fits && *e; e++, ne++)
			fits = strlen(*e) >= 4 && strlen(*e) <= UINT16_MAX && n + ne < DD_CATALOG_ENDS;
		if (!fits) { /* no endings, or not as the contract says: asked of every path */
			w->always |= bit;
			continue;
		}
		for (const char *const *e = c->path_ends; *e; e++, n++) {
			size_t len = strlen(*e);
			w->ends[n] = (struct dd_catalog_end){ *e, (uint16_t)len, (uint8_t)i };
			bucket[n] = end_bucket(*e + len - 4);
		}
	}
	/* Counting sort of the endings by bucket. */
	uint16_t count[257] = { 0 };
	for (size_t k = 0; k < n; k++)
		count[bucket[k] + 1]++;
	for (unsigned b = 0; b < 256; b++)
		count[b + 1] += count[b];
	memcpy(w->first, count, sizeof w->first);
	struct dd_catalog_end sorted[DD_CATALOG_ENDS];
	for (size_t k = 0; k < n; k++)
		sorted[count[bucket[k]]++] = w->ends[k];
	memcpy(w->ends, sorted, n * sizeof *sorted);
}

/* s[0..n) equals the ending e, ASCII letters in either case. */
static bool same_folded(const char *s, const char *e, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char a = (unsigned char)s[k], b = (unsigned char)e[k];
		if (a != b && ((a | 0x20) != (b | 0x20) || (a | 0x20) < 'a' || (a | 0x20) > 'z'))
			return false;
	}
	return true;
}

dd_catalog_set dd_catalog_wants_path(const struct dd_catalog_wants *w, const char *path,
				     size_t len)
{
	dd_catalog_set ask = w->always, out = 0;
	if (len >= 4) {
		unsigned b = end_bucket(path + len - 4);
		for (unsigned k = w->first[b]; k < w->first[b + 1]; k++) {
			const struct dd_catalog_end *e = &w->ends[k];
			if (e->len <= len && same_folded(path + len - e->len, e->s, e->len))
				ask |= (dd_catalog_set)1 << e->cataloger;
		}
	}
	while (ask) {
		unsigned i = (unsigned)__builtin_ctz(ask);
		ask &= ask - 1;
		if (dd_catalogers[i]->wants_path(path, len))
			out |= (dd_catalog_set)1 << i;
	}
	return out;
}

bool dd_catalog_sniffs(const struct dd_catalog_wants *w, const char *path, size_t len,
		       uint32_t mode)
{
	bool (*said_no)(const char *, size_t, uint32_t) = NULL; /* Go and Rust share one */
	for (dd_catalog_set ask = w->magic; ask; ask &= ask - 1) {
		const struct dd_cataloger *c = dd_catalogers[__builtin_ctz(ask)];
		if (!c->magic_path)
			return true;
		if (c->magic_path == said_no)
			continue;
		if (c->magic_path(path, len, mode))
			return true;
		said_no = c->magic_path;
	}
	return false;
}

dd_catalog_set dd_catalog_wants_magic(const struct dd_catalog_wants *w, const unsigned char *head,
				      size_t n)
{
	dd_catalog_set ask = w->magic, out = 0;
	while (ask) {
		unsigned i = (unsigned)__builtin_ctz(ask);
		ask &= ask - 1;
		if (dd_catalogers[i]->wants_magic(head, n))
			out |= (dd_catalog_set)1 << i;
	}
	return out;
}

dd_catalog_set dd_catalog_named(const char *name)
{
	for (unsigned i = 0; dd_catalogers[i]; i++)
		if (!strcmp(dd_catalogers[i]->name, name))
			return (dd_catalog_set)1 << i;
	return 0;
}

bool dd_catalog_reduces(dd_catalog_set want)
{
	return want && !(want & (want - 1)) && dd_catalogers[__builtin_ctz(want)]->reduce;
}

/* The whole file as what the image keeps: b's own bytes, or a copy in a. */
static dd_code keep_whole(const struct dd_bytes *b, struct dd_arena *a, const unsigned char **out,
			  size_t *outlen, struct dd_err *err)
{
	const unsigned char *d = dd_bytes_at(b, 0, b->n);
	*out = NULL;
	*outlen = 0;
	if (!d)
		return DD_OK;
	if (!b->d && !(d = dd_arena_memdup(a, d, b->n ? (size_t)b->n : 1)))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = d;
	*outlen = (size_t)b->n;
	return DD_OK;
}

dd_code dd_catalog_reduce(dd_catalog_set want, bool by_magic, const char *path,
			  const struct dd_bytes *b, struct dd_arena *a,
			  const unsigned char **out, size_t *outlen, struct dd_err *err)
{
	struct dd_elf_part parts[8];
	size_t np = 0;
	*out = NULL;
	*outlen = 0;
	if (!by_magic) {
		const struct dd_cataloger *c =
			dd_catalog_reduces(want) ? dd_catalogers[__builtin_ctz(want)] : NULL;
		const unsigned char *d = dd_bytes_at(b, 0, b->n);
		if (!d)
			return DD_OK;
		struct dd_err e;
		dd_err_clear(&e);
		if (c && c->reduce(path, d, (size_t)b->n, a, out, outlen, &e))
			return dd_err_set(err, DD_ENOMEM, "%s: %s", c->name, e.msg);
		if (c && *out)
			return DD_OK;
		return keep_whole(b, a, out, outlen, err);
	}
	for (; want; want &= want - 1) {
		const struct dd_cataloger *const *c = &dd_catalogers[__builtin_ctz(want)];
		struct dd_catalog_part p;
		struct dd_err e;
		dd_err_clear(&e);
		dd_code rc = (*c)->extract && np < sizeof parts / sizeof *parts
				     ? (*c)->extract(b, a, &p, &e) : DD_EINVAL;
		if (rc == DD_ENOMEM)
			return dd_err_set(err, rc, "%s: %s", (*c)->name, e.msg);
		if (rc == DD_ENOTFOUND)
			continue;
		if (rc)
			return keep_whole(b, a, out, outlen, err);
		parts[np++] = (struct dd_elf_part){ p.section, p.data, p.len };
	}
	if (!np)
		return DD_OK;
	if (!(*out = dd_elf_build(a, parts, np, outlen)))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return DD_OK;
}

/* Each cataloger's share of the view (ctx->files), in path order: the view
 * sorted once, then dealt out by what each cataloger wants. On DD_ENOMEM
 * the catalogers walk the whole view instead (*all NULL). */
struct shares {
	const struct dd_fs_file **all;   /* the shares, one after another */
	size_t at[33];                   /* share i is all[at[i] .. at[i+1]) */
};

static void deal(const struct dd_fs *fs, bool os_only, struct shares *sh)
{
	size_t n = 0;
	struct dd_catalog_wants w;
	dd_catalog_wants_init(&w, os_only);
	const struct dd_fs_file **files = dd_fs_sorted(fs, &n);
	dd_catalog_set *sets = dd_calloc(n + 1, sizeof *sets);
	size_t count[32] = { 0 }, total = 0;
	sh->all = NULL;
	if (!files || !sets)
		goto out;
	for (size_t k = 0; k < n; k++) {
		const struct dd_fs_file *f = files[k];
		dd_catalog_set s = f->tag ? f->tag : dd_catalog_wants_path(&w, f->path, strlen(f->path));
		if (f->type == DD_FS_REG && f->data && w.magic)
			s |= dd_catalog_wants_magic(&w, f->data, f->size < DD_MAGIC_BYTES ? f->size : DD_MAGIC_BYTES);
		sets[k] = s;
		for (; s; s &= s - 1, total++)
			count[__builtin_ctz(s)]++;
	}
	if (!(sh->all = dd_malloc((total + 1) * sizeof *sh->all)))
		goto out;
	size_t fill[32];
	sh->at[0] = 0;
	for (unsigned i = 0; i < 32; i++) {
		fill[i] = sh->at[i];
		sh->at[i + 1] = sh->at[i] + count[i];
	}
	for (size_t k = 0; k < n; k++)
		for (dd_catalog_set s = sets[k]; s; s &= s - 1)
			sh->all[fill[__builtin_ctz(s)]++] = files[k];
out:
	free(files);
	free(sets);
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
	struct shares sh;
	deal(fs, os_only, &sh);
	for (enum dd_cataloger_kind kind = DD_CATALOGER_DISTRO; kind <= DD_CATALOGER_LANG; kind++) {
		if (os_only && kind == DD_CATALOGER_LANG)
			break;
		for (unsigned i = 0; dd_catalogers[i]; i++) {
			const struct dd_cataloger *c = dd_catalogers[i];
			if (c->kind != kind)
				continue;
			struct dd_catalog_ctx ctx = { .fs = fs, .sbom = sbom };
			if (sh.all) {
				ctx.files = sh.all + sh.at[i];
				ctx.nfiles = sh.at[i + 1] - sh.at[i];
			}
			struct dd_err e;
			dd_err_clear(&e);
			dd_code rc = c->run(&ctx, &e);
			if (rc == DD_ENOMEM) {
				free(sh.all);
				return dd_err_set(err, rc, "%s: %s", c->name, e.msg);
			}
			if (rc)
				dd_sbom_warn(sbom, "%s: %s", c->name, e.msg);
		}
	}
	free(sh.all);
	dd_code rc = dd_catalog_ownership(sbom, err);
	return rc ? rc : dd_catalog_fold_declared(sbom, err);
}
