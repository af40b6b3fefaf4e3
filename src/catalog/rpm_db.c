/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rpm cataloger: finds the rpm database in the three places rpm builds
 * use (%_dbpath): var/lib/rpm (classic), usr/lib/sysimage/rpm (rpm >= 4.16,
 * SUSE; var/lib/rpm is then often a symlink to it) and usr/share/rpm
 * (rpm-ostree). In each directory the first of rpmdb.sqlite (SQLite),
 * Packages.db (ndb) and Packages (Berkeley DB) that exists is read; a file
 * reached twice through symlinks is read once. The whole file is kept in
 * memory by the image reader (limit DD_LIMIT_KEPT_FILE_BYTES).
 *
 * Each header blob is decoded by rpm_header.c. Versions are written as rpm
 * does: [EPOCH:]VERSION-RELEASE. The source package comes from SOURCERPM
 * ("util-linux-2.32.1-42.el8_8.src.rpm" -> util-linux, 2.32.1-42.el8_8,
 * with the binary's epoch in front when it has one: a source and its
 * binaries share the spec's Epoch). gpg-pubkey pseudo-packages (imported
 * keys, no arch) are reported as rpm -qa lists them.
 */
#include <stdio.h>

#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "catalog/purl.h"
#include "util/arena.h"
#include "util/limits.h"

enum rpm_format { RPM_SQLITE, RPM_NDB, RPM_BDB };

static const struct {
	const char *file;
	enum rpm_format fmt;
} formats[] = {
	{ "rpmdb.sqlite", RPM_SQLITE }, { "Packages.db", RPM_NDB }, { "Packages", RPM_BDB },
};
static const char *const dirs[] = { "var/lib/rpm", "usr/lib/sysimage/rpm", "usr/share/rpm" };

static dd_code each_blob(enum rpm_format fmt, const char *path, const unsigned char *data,
			 size_t n, dd_rpm_blob_fn fn, void *ud, struct dd_sbom *warn,
			 struct dd_err *err)
{
	switch (fmt) {
	case RPM_SQLITE: return dd_rpm_sqlite_each(path, data, n, fn, ud, warn, err);
	case RPM_NDB: return dd_rpm_ndb_each(path, data, n, fn, ud, warn, err);
	case RPM_BDB: return dd_rpm_bdb_each(path, data, n, fn, ud, warn, err);
	}
	return DD_EINVAL;
}

static const char *evr(struct dd_arena *a, const struct dd_rpm_hdr *h)
{
	if (h->has_epoch)
		return dd_arena_printf(a, "%u:%s-%s", h->epoch, h->version, h->release);
	return dd_arena_printf(a, "%s-%s", h->version, h->release);
}

/* ---- layer keys ---------------------------------------------------------- */

struct key_state {
	struct dd_map *keys;
	struct dd_arena *a;
};

static dd_code add_key(const unsigned char *blob, size_t n, const char *where, void *ud)
{
	struct key_state *ks = ud;
	struct dd_rpm_hdr h;
	if (dd_rpm_header_parse(blob, n, false, &h, ks->a, NULL))
		return dd_arena_status(ks->a) ? DD_ENOMEM : DD_OK;
	return dd_pkgdb_key_add(ks->keys, h.name, evr(ks->a, &h), h.arch);
}

#define KEYS_FN(fmt_, name_)                                                               \
	static dd_code name_(const char *path, const unsigned char *data, size_t n,        \
			     struct dd_map *keys, struct dd_err *err)                       \
	{                                                                                  \
		struct key_state ks = { keys, dd_arena_new(0) };                           \
		if (!ks.a)                                                                 \
			return dd_err_set(err, DD_ENOMEM, "out of memory");                \
		dd_code rc = each_blob(fmt_, path, data, n, add_key, &ks, NULL, err);      \
		dd_arena_free(ks.a);                                                       \
		return rc;                                                                 \
	}
KEYS_FN(RPM_SQLITE, keys_sqlite)
KEYS_FN(RPM_NDB, keys_ndb)
KEYS_FN(RPM_BDB, keys_bdb)
#undef KEYS_FN

/* ---- packages ------------------------------------------------------------ */

struct run_state {
	const struct dd_catalog_ctx *ctx;
	const struct dd_fs_file *db;
	struct dd_layer_chain chain;
	const char *distro_q;
	struct dd_arena *tmp;
	struct dd_err *err;
};

/* "name-version-release.arch.rpm" -> name and version-release. */
static void split_srpm(struct dd_arena *a, const char *srpm, const char **name,
		       const char **vr)
{
	*name = *vr = NULL;
	size_t n = strlen(srpm);
	if (n > 4 && strcmp(srpm + n - 4, ".rpm") == 0)
		n -= 4;
	const char *dot = memrchr(srpm, '.', n); /* the arch: src / nosrc */
	if (!dot)
		return;
	n = (size_t)(dot - srpm);
	const char *d1 = memrchr(srpm, '-', n);
	if (!d1 || d1 == srpm)
		return;
	const char *d2 = memrchr(srpm, '-', (size_t)(d1 - srpm));
	if (!d2 || d2 == srpm)
		return;
	*name = dd_arena_strndup(a, srpm, (size_t)(d2 - srpm));
	*vr = dd_arena_strndup(a, d2 + 1, (size_t)(srpm + n - d2 - 1));
}

static dd_code add_pkg(const unsigned char *blob, size_t n, const char *where, void *ud)
{
	struct run_state *rs = ud;
	struct dd_sbom *sbom = rs->ctx->sbom;
	struct dd_arena *a = dd_arena_new(0);
	if (!a)
		return dd_err_set(rs->err, DD_ENOMEM, "out of memory");
	struct dd_rpm_hdr h;
	struct dd_err e;
	dd_err_clear(&e);
	dd_code rc = dd_rpm_header_parse(blob, n, true, &h, a, &e);
	if (rc && rc != DD_ENOMEM && !dd_rpm_header_parse(blob, n, false, &h, a, NULL)) {
		/* The package is fine, its file list is not: keep the package. */
		dd_sbom_warn(sbom, "%s: %s: %s %s: file list dropped: %s", rs->db->path, where,
			     h.name, h.version, e.msg);
		rc = DD_OK;
	}
	if (rc == DD_ENOMEM) {
		rc = dd_err_set(rs->err, rc, "%s: %s", rs->db->path, e.msg);
		goto out;
	}
	if (rc) {
		dd_sbom_warn(sbom, "%s: %s: %s, record skipped", rs->db->path, where, e.msg);
		rc = DD_OK;
		goto out;
	}
	const char *version = evr(a, &h);
	const char *sname = NULL, *svr = NULL;
	if (h.sourcerpm)
		split_srpm(a, h.sourcerpm, &sname, &svr);
	if (svr && h.has_epoch)
		svr = dd_arena_printf(a, "%u:%s", h.epoch, svr);
	const char *ns = sbom->distro.id;
	struct dd_purl_qualifier q[] = { { "arch", h.arch }, { "distro", rs->distro_q } };
	struct dd_package p = {
		.type = "rpm",
		.namespace_ = ns,
		.name = h.name,
		.version = version,
		.arch = h.arch,
		.source_name = sname,
		.source_version = svr,
		.license = h.license,
		.purl = dd_purl_format(a, "rpm", ns, h.name, version, q, 2),
		.cataloger = "rpm",
		.location = rs->db->path,
		.layer = dd_pkgdb_layer_of(&rs->chain, h.name, version, h.arch),
		.modularity = h.modularity,
		.files = h.files,
		.nfiles = h.nfiles,
	};
	if (dd_arena_status(a))
		rc = dd_err_set(rs->err, DD_ENOMEM, "out of memory");
	else
		rc = dd_sbom_add(sbom, &p, rs->err);
out:
	dd_arena_free(a);
	return rc;
}

static dd_code catalog_db(const struct dd_catalog_ctx *ctx, const struct dd_fs_file *f,
			  enum rpm_format fmt, struct dd_err *err)
{
	if (!f->data) {
		dd_sbom_warn(ctx->sbom, "%s: content not kept (%zu bytes, limit %u), skipped",
			     f->path, f->size, DD_LIMIT_KEPT_FILE_BYTES);
		return DD_OK;
	}
	static const dd_pkgdb_keys_fn keys[] = { keys_sqlite, keys_ndb, keys_bdb };
	struct run_state rs = { .ctx = ctx, .db = f, .err = err };
	rs.tmp = dd_arena_new(0);
	if (!rs.tmp)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	rs.distro_q = dd_pkgdb_distro_qualifier(rs.tmp, &ctx->sbom->distro);
	dd_code rc = dd_layer_chain_build(f, keys[fmt], &rs.chain, err);
	if (!rc) {
		struct dd_err e;
		dd_err_clear(&e);
		rc = each_blob(fmt, f->path, f->data, f->size, add_pkg, &rs, ctx->sbom, &e);
		if (rc == DD_ENOMEM)
			dd_err_set(err, rc, "%s", e.msg);
		else if (rc) {
			/* Not this kind of database at all: one warning. */
			dd_sbom_warn(ctx->sbom, "%s", e.msg);
			rc = DD_OK;
		}
	}
	dd_layer_chain_release(&rs.chain);
	dd_arena_free(rs.tmp);
	return rc;
}

static dd_code run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	const struct dd_fs_file *seen[sizeof dirs / sizeof dirs[0]] = { 0 };
	size_t nseen = 0;
	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
			char path[128];
			snprintf(path, sizeof path, "%s/%s", dirs[d], formats[i].file);
			struct dd_err e;
			dd_err_clear(&e);
			const struct dd_fs_file *f = dd_fs_resolve(ctx->fs, path, &e);
			if (!f && e.code)
				dd_sbom_warn(ctx->sbom, "%s", e.msg);
			if (!f || f->type != DD_FS_REG)
				continue;
			bool dup = false;
			for (size_t s = 0; s < nseen; s++)
				dup |= seen[s] == f;
			if (!dup) {
				seen[nseen++] = f;
				dd_code rc = catalog_db(ctx, f, formats[i].fmt, err);
				if (rc)
					return rc;
			}
			break; /* one database per directory */
		}
	}
	return DD_OK;
}

static bool wants_path(const char *path, size_t len)
{
	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		size_t dl = strlen(dirs[d]);
		if (len <= dl + 1 || memcmp(path, dirs[d], dl) != 0 || path[dl] != '/')
			continue;
		for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
			size_t fl = strlen(formats[i].file);
			if (len == dl + 1 + fl && memcmp(path + dl + 1, formats[i].file, fl) == 0)
				return true;
		}
	}
	return false;
}

static const char *const path_ends[] = { "/rpmdb.sqlite", "/Packages.db", "/Packages", NULL };

const struct dd_cataloger dd_cataloger_rpm = {
	.name = "rpm",
	.version = 1,
	.kind = DD_CATALOGER_OS,
	.wants_path = wants_path,
	.path_ends = path_ends,
	.run = run,
};
