/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk: /lib/apk/db/installed, Alpine's installed database. Records are
 * blocks of "X:value" lines separated by blank lines (apk-tools
 * src/database.c, and the format notes at
 * https://wiki.alpinelinux.org/wiki/Apk_spec#Installed_Database_V2):
 * P name, V version, A arch, o origin (the source package, the key
 * alpine-secdb uses), L license, F directory, R file in the last F
 * directory. Other letters (checksums, sizes, dependencies, ACLs) are
 * skipped.
 *
 * A record without P or V, or a line that is not "X:value", is skipped
 * with a warning naming file and line; the rest of the database is read.
 */
#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "catalog/purl.h"
#include "util/arena.h"
#include "util/limits.h"
#include "util/path.h"

struct view {
	const char *p;
	size_t n;
};

struct rec {
	unsigned line;
	bool any, bad;
	struct view P, V, A, o, L;
	const char **files;
	size_t nfiles, cap;
	struct view dir;
};

static bool clean_text(struct view v)
{
	return !memchr(v.p, '\0', v.n);
}

/* Paths are "F dir" + "/" + "R name": a long F line followed by many
 * short R lines expands. The whole database may produce at most 16x its
 * size (+1 MiB) in path bytes; real ones produce ~2x. */
static dd_code add_file(struct rec *r, struct dd_arena *a, struct view name, size_t *budget,
			bool *over)
{
	size_t need = r->dir.n + name.n + 2;
	if (need > *budget) {
		*over = true;
		return DD_OK;
	}
	*budget -= need;
	char buf[DD_LIMIT_PATH_BYTES];
	int n = snprintf(buf, sizeof buf, "%.*s/%.*s", (int)r->dir.n, r->dir.p, (int)name.n,
			 name.p);
	if (n < 0 || (size_t)n >= sizeof buf || !clean_text(name))
		return DD_OK; /* over-long or NUL-carrying: not a real file name */
	const char *c = dd_pkgdb_clean_path(a, buf, (size_t)n);
	if (!c)
		return dd_arena_status(a) ? DD_ENOMEM : DD_OK;
	if (r->nfiles == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 32;
		const char **v = dd_arena_alloc(a, ncap * sizeof *v);
		if (!v)
			return DD_ENOMEM;
		if (r->nfiles)
			memcpy(v, r->files, r->nfiles * sizeof *v);
		r->files = v;
		r->cap = ncap;
	}
	r->files[r->nfiles++] = c;
	return DD_OK;
}

static char *dup_view(struct dd_arena *a, struct view v)
{
	return v.p ? dd_arena_strndup(a, v.p, v.n) : NULL;
}

static dd_code emit(const char *path, struct rec *r, struct dd_arena *a,
		    dd_code (*fn)(const struct dd_apk_rec *r, void *ud), void *ud,
		    struct dd_sbom *warn, struct dd_err *err)
{
	if (!r->any || r->bad)
		return DD_OK;
	if (!r->P.n || !r->V.n || !clean_text(r->P) || !clean_text(r->V) ||
	    (r->A.p && !clean_text(r->A)) || (r->o.p && !clean_text(r->o)) ||
	    (r->L.p && !clean_text(r->L))) {
		if (warn)
			dd_sbom_warn(warn, "%s: line %u: record without a valid P: and V:, skipped",
				     path, r->line);
		return DD_OK;
	}
	struct dd_apk_rec out = {
		.name = dup_view(a, r->P), .version = dup_view(a, r->V),
		.arch = r->A.n ? dup_view(a, r->A) : NULL,
		.origin = r->o.n ? dup_view(a, r->o) : NULL,
		.license = r->L.n ? dup_view(a, r->L) : NULL,
		.files = r->files, .nfiles = r->nfiles, .line = r->line,
	};
	if (dd_arena_status(a))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return fn(&out, ud);
}

dd_code dd_apk_parse(const char *path, const unsigned char *data, size_t n,
		     dd_code (*fn)(const struct dd_apk_rec *r, void *ud), void *ud,
		     struct dd_sbom *warn, struct dd_err *err)
{
	/* Records' strings and file lists live in one arena per record; a
	 * database has hundreds of records at most. */
	struct dd_arena *a = dd_arena_new(0);
	if (!a)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	const char *p = (const char *)data, *end = p + n;
	struct rec r = { 0 };
	unsigned line = 0;
	dd_code rc = DD_OK;
	size_t budget = 16 * n + (1u << 20);
	bool over = false;
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p;
		p = nl ? nl + 1 : end;
		line++;
		if (le > s && le[-1] == '\r')
			le--;
		if (le == s) {
			rc = emit(path, &r, a, fn, ud, warn, err);
			dd_arena_free(a);
			a = dd_arena_new(0);
			if (!a)
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			memset(&r, 0, sizeof r);
			continue;
		}
		if (!r.any) {
			r.any = true;
			r.line = line;
		}
		if (r.bad)
			continue;
		if (le - s < 2 || s[1] != ':') {
			if (warn)
				dd_sbom_warn(warn, "%s: line %u: not an \"X:value\" line, record "
					     "skipped", path, line);
			r.bad = true;
			continue;
		}
		struct view v = { s + 2, (size_t)(le - s - 2) };
		switch (s[0]) {
		case 'P': r.P = v; break;
		case 'V': r.V = v; break;
		case 'A': r.A = v; break;
		case 'o': r.o = v; break;
		case 'L': r.L = v; break;
		case 'F': r.dir = v; break;
		case 'R':
			if (add_file(&r, a, v, &budget, &over))
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			break;
		default: break;
		}
	}
	if (!rc)
		rc = emit(path, &r, a, fn, ud, warn, err);
	dd_arena_free(a);
	if (over && warn && !rc)
		dd_sbom_warn(warn, "%s: file lists expand to more than 16x the database, "
			     "some files dropped", path);
	return rc;
}

/* ---- the cataloger ------------------------------------------------------- */

static dd_code add_key(const struct dd_apk_rec *r, void *ud)
{
	return dd_pkgdb_key_add(ud, r->name, r->version, r->arch);
}

static dd_code keys_fn(const char *path, const unsigned char *data, size_t n,
		       struct dd_map *keys, struct dd_err *err)
{
	return dd_apk_parse(path, data, n, add_key, keys, NULL, err);
}

struct run_state {
	const struct dd_catalog_ctx *ctx;
	const struct dd_fs_file *db;
	struct dd_layer_chain chain;
	struct dd_arena *tmp;
	const char *distro_q;
	struct dd_err *err;
};

static dd_code add_pkg(const struct dd_apk_rec *r, void *ud)
{
	struct run_state *rs = ud;
	struct dd_sbom *sbom = rs->ctx->sbom;
	const char *ns = sbom->distro.id ? sbom->distro.id : "alpine";
	const char *upstream = r->origin && strcmp(r->origin, r->name) != 0 ? r->origin : NULL;
	struct dd_purl_qualifier q[] = {
		{ "arch", r->arch }, { "distro", rs->distro_q }, { "upstream", upstream },
	};
	struct dd_package p = {
		.type = "apk",
		.namespace_ = ns,
		.name = r->name,
		.version = r->version,
		.arch = r->arch,
		.source_name = r->origin ? r->origin : r->name,
		.source_version = r->version,
		.license = r->license,
		.purl = dd_purl_format(rs->tmp, "apk", ns, r->name, r->version, q, 3),
		.cataloger = "apk",
		.location = rs->db->path,
		.layer = dd_pkgdb_layer_of(&rs->chain, r->name, r->version, r->arch),
		.files = r->files,
		.nfiles = r->nfiles,
	};
	if (!p.purl)
		return dd_err_set(rs->err, DD_ENOMEM, "out of memory");
	return dd_sbom_add(sbom, &p, rs->err);
}

static dd_code run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	struct dd_err e;
	dd_err_clear(&e);
	const struct dd_fs_file *f = dd_fs_resolve(ctx->fs, "lib/apk/db/installed", &e);
	if (!f && e.code)
		dd_sbom_warn(ctx->sbom, "%s", e.msg);
	if (!f || f->type != DD_FS_REG)
		return DD_OK;
	if (!f->data) {
		dd_sbom_warn(ctx->sbom, "%s: content not kept (%zu bytes), skipped", f->path,
			     f->size);
		return DD_OK;
	}
	struct run_state rs = { .ctx = ctx, .db = f, .err = err };
	rs.tmp = dd_arena_new(0);
	if (!rs.tmp)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	rs.distro_q = dd_pkgdb_distro_qualifier(rs.tmp, &ctx->sbom->distro);
	dd_code rc = dd_layer_chain_build(f, keys_fn, &rs.chain, err);
	if (!rc)
		rc = dd_apk_parse(f->path, f->data, f->size, add_pkg, &rs, ctx->sbom, err);
	dd_layer_chain_release(&rs.chain);
	dd_arena_free(rs.tmp);
	return rc;
}

static bool wants_path(const char *path, size_t len)
{
	static const char db[] = "lib/apk/db/installed";
	return len == sizeof db - 1 && memcmp(path, db, len) == 0;
}

static const char *const path_ends[] = { "lib/apk/db/installed", NULL };

const struct dd_cataloger dd_cataloger_apk = {
	.name = "apk",
	.version = 1,
	.kind = DD_CATALOGER_OS,
	.wants_path = wants_path,
	.path_ends = path_ends,
	.run = run,
};
