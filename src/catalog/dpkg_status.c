/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpkg: the status database /var/lib/dpkg/status (deb822 stanzas, see
 * deb-control(5) and dpkg's lib/dpkg/parse.c behaviour) and the distroless
 * layout /var/lib/dpkg/status.d/<name>, one file per package and usually no
 * Status field. File lists come from /var/lib/dpkg/info/<name>.list or
 * <name>:<arch>.list (Multi-Arch: same packages).
 *
 * Which packages count: dpkg(1) "PACKAGE STATES". We report every package
 * whose files may be on disk: installed, half-installed, unpacked,
 * half-configured, triggers-awaited, triggers-pending. Not reported:
 * not-installed and config-files (only conffiles are left, no code). This is
 * `dpkg-query -W` minus the `n`/`c` states. A status.d stanza without Status
 * is installed (distroless writes none); a stanza with a name only is a
 * stub dpkg keeps for relationships and is skipped silently.
 *
 * A malformed stanza is skipped with a warning naming file and line; the
 * rest of the file is still read (dpkg-query refuses the whole file).
 * Deliberately not read: copyright files for licenses (dpkg has no license
 * field; parsing DEP-5 copyright files is left for later).
 */
#include <ctype.h>

#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "catalog/purl.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/path.h"

struct view {
	const char *p;
	size_t n;
};

struct stanza {
	unsigned line;
	bool any, bad;
	struct view package, status, version, arch, source;
	bool has_package, has_status, has_version;
};

static struct view trim(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return (struct view){ s, (size_t)(e - s) };
}

static bool has_space_or_nul(struct view v)
{
	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] == ' ' || v.p[i] == '\t' || v.p[i] == '\0')
			return true;
	return false;
}

static bool word_in(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && memcmp(*words, s, n) == 0)
			return true;
	return false;
}

int dd_dpkg_status_present(const char *status, size_t n)
{
	static const char *const want[] = { "unknown", "install", "hold", "deinstall", "purge",
					    NULL };
	static const char *const flag[] = { "ok", "reinstreq", NULL };
	static const char *const present[] = { "installed", "half-installed", "unpacked",
					       "half-configured", "triggers-awaited",
					       "triggers-pending", NULL };
	static const char *const absent[] = { "not-installed", "config-files", NULL };
	struct view w[3];
	size_t nw = 0, i = 0;
	while (i < n) {
		while (i < n && (status[i] == ' ' || status[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t s = i;
		while (i < n && status[i] != ' ' && status[i] != '\t')
			i++;
		if (nw == 3)
			return -1;
		w[nw++] = (struct view){ status + s, i - s };
	}
	if (nw != 3 || !word_in(w[0].p, w[0].n, want) || !word_in(w[1].p, w[1].n, flag))
		return -1;
	if (word_in(w[2].p, w[2].n, present))
		return 1;
	if (word_in(w[2].p, w[2].n, absent))
		return 0;
	return -1;
}

/* Copies the views into one scratch buffer and calls fn. */
static dd_code emit(const char *path, struct stanza *st, bool status_optional,
		    dd_code (*fn)(const struct dd_dpkg_rec *r, void *ud), void *ud,
		    struct dd_sbom *warn, struct dd_buf *scratch, struct dd_err *err)
{
	if (!st->any || st->bad)
		return DD_OK;
#define WARN(...)                                                                          \
	do {                                                                               \
		if (warn)                                                                  \
			dd_sbom_warn(warn, __VA_ARGS__);                                   \
		return DD_OK;                                                              \
	} while (0)
	if (!st->has_package || st->package.n == 0)
		WARN("%s: line %u: stanza without a package name, skipped", path, st->line);
	if (has_space_or_nul(st->package))
		WARN("%s: line %u: bad package name, skipped", path, st->line);
	int name_len = st->package.n > 200 ? 200 : (int)st->package.n;
	if (!st->has_status) {
		if (!st->has_version)
			return DD_OK; /* a stub stanza: name only, not installed */
		if (!status_optional)
			WARN("%s: line %u: package %.*s has no Status field, skipped", path,
			     st->line, name_len, st->package.p);
	} else {
		int present = dd_dpkg_status_present(st->status.p, st->status.n);
		if (present < 0)
			WARN("%s: line %u: package %.*s: bad Status \"%.*s\", skipped", path,
			     st->line, name_len, st->package.p,
			     (int)(st->status.n > 80 ? 80 : st->status.n), st->status.p);
		if (present == 0)
			return DD_OK;
	}
	if (!st->has_version || st->version.n == 0 || has_space_or_nul(st->version))
		WARN("%s: line %u: package %.*s has no valid Version, skipped", path, st->line,
		     name_len, st->package.p);
	if (has_space_or_nul(st->arch))
		WARN("%s: line %u: package %.*s has a bad Architecture, skipped", path,
		     st->line, name_len, st->package.p);
	/* Source: "name" or "name (version)" (deb-src-control(5)). */
	struct view sname = st->source, sver = { NULL, 0 };
	if (sname.n) {
		const char *lp = memchr(sname.p, '(', sname.n);
		if (lp) {
			const char *end = sname.p + sname.n;
			const char *rp = memchr(lp, ')', (size_t)(end - lp));
			if (!rp)
				WARN("%s: line %u: package %.*s: bad Source field, skipped", path,
				     st->line, name_len, st->package.p);
			sver = trim(lp + 1, rp);
			sname = trim(sname.p, lp);
		}
		if (has_space_or_nul(sname) || has_space_or_nul(sver))
			WARN("%s: line %u: package %.*s: bad Source field, skipped", path,
			     st->line, name_len, st->package.p);
	}
#undef WARN
	if (!sname.n)
		sname = st->package;
	if (!sver.n)
		sver = st->version;

	dd_buf_reset(scratch);
	struct view parts[] = { st->package, st->version, st->arch, sname, sver, st->status };
	size_t off[6];
	for (size_t i = 0; i < 6; i++) {
		off[i] = scratch->len;
		dd_code rc = dd_buf_append(scratch, parts[i].p, parts[i].n, err);
		if (!rc)
			rc = dd_buf_putc(scratch, '\0', err);
		if (rc)
			return rc;
	}
	const char *b = scratch->data;
	struct dd_dpkg_rec r = {
		.name = b + off[0], .version = b + off[1],
		.arch = st->arch.n ? b + off[2] : NULL,
		.source_name = b + off[3], .source_version = b + off[4],
		.status = st->has_status ? b + off[5] : NULL, .line = st->line,
	};
	return fn(&r, ud);
}

static bool field_is(struct view name, const char *lit)
{
	return name.n == strlen(lit) && strncasecmp(name.p, lit, name.n) == 0;
}

dd_code dd_dpkg_parse(const char *path, const unsigned char *data, size_t n,
		      bool status_optional, dd_code (*fn)(const struct dd_dpkg_rec *r, void *ud),
		      void *ud, struct dd_sbom *warn, struct dd_err *err)
{
	struct dd_buf scratch;
	dd_buf_init(&scratch, DD_LIMIT_LINE_BYTES * 6);
	const char *p = (const char *)data, *end = p + n;
	struct stanza st = { 0 };
	bool in_field = false; /* a field began: continuation lines may follow */
	unsigned line = 0;
	dd_code rc = DD_OK;
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p;
		p = nl ? nl + 1 : end;
		line++;
		struct view t = trim(s, le);
		if (t.n == 0) {
			/* A blank (or whitespace-only, as deb822 parsers may
			 * accept) line ends the stanza. */
			rc = emit(path, &st, status_optional, fn, ud, warn, &scratch, err);
			memset(&st, 0, sizeof st);
			in_field = false;
			continue;
		}
		if (!st.any) {
			st.any = true;
			st.line = line;
		}
		if (st.bad)
			continue;
		if ((size_t)(le - s) > DD_LIMIT_LINE_BYTES) {
			if (warn)
				dd_sbom_warn(warn, "%s: line %u: longer than %u bytes, stanza skipped",
					     path, line, DD_LIMIT_LINE_BYTES);
			st.bad = true;
			continue;
		}
		if (*s == ' ' || *s == '\t') {
			if (!in_field) {
				if (warn)
					dd_sbom_warn(warn,
						     "%s: line %u: continuation line without a field, "
						     "stanza skipped", path, line);
				st.bad = true;
			}
			/* Multi-line values (Description, Conffiles) are not
			 * needed; the fields we read are single-line. */
			continue;
		}
		const char *colon = memchr(s, ':', (size_t)(le - s));
		struct view name = colon ? trim(s, colon) : (struct view){ NULL, 0 };
		if (!colon || name.n == 0 || has_space_or_nul(name) || *s == '#') {
			if (warn)
				dd_sbom_warn(warn, "%s: line %u: not a \"Field: value\" line, stanza "
					     "skipped", path, line);
			st.bad = true;
			continue;
		}
		struct view value = trim(colon + 1, le);
		struct view *last = NULL;
		in_field = true;
		if (field_is(name, "Package")) {
			last = &st.package;
			st.has_package = true;
		} else if (field_is(name, "Status")) {
			last = &st.status;
			st.has_status = true;
		} else if (field_is(name, "Version")) {
			last = &st.version;
			st.has_version = true;
		} else if (field_is(name, "Architecture")) {
			last = &st.arch;
		} else if (field_is(name, "Source")) {
			last = &st.source;
		}
		if (last)
			*last = value;
	}
	if (!rc)
		rc = emit(path, &st, status_optional, fn, ud, warn, &scratch, err);
	dd_buf_release(&scratch);
	return rc;
}

/* ---- the cataloger ------------------------------------------------------- */

static dd_code add_key(const struct dd_dpkg_rec *r, void *ud)
{
	return dd_pkgdb_key_add(ud, r->name, r->version, r->arch);
}

static dd_code keys_status(const char *path, const unsigned char *data, size_t n,
			   struct dd_map *keys, struct dd_err *err)
{
	return dd_dpkg_parse(path, data, n, false, add_key, keys, NULL, err);
}

static dd_code keys_status_d(const char *path, const unsigned char *data, size_t n,
			     struct dd_map *keys, struct dd_err *err)
{
	return dd_dpkg_parse(path, data, n, true, add_key, keys, NULL, err);
}

struct run_state {
	const struct dd_catalog_ctx *ctx;
	const struct dd_fs_file *db;
	struct dd_layer_chain chain;
	struct dd_arena *tmp;      /* file lists of one run */
	struct dd_map lists_used;  /* .list files already attached */
	const char *distro_q;
	struct dd_err *err;
};

/* Reads info/<name>:<arch>.list, else info/<name>.list: one absolute path
 * per line, "/." for the root. */
static dd_code file_list(struct run_state *rs, const struct dd_dpkg_rec *r,
			 const char ***files, size_t *nfiles)
{
	char path[DD_LIMIT_PATH_BYTES];
	const struct dd_fs_file *f = NULL;
	if (r->arch) {
		snprintf(path, sizeof path, "var/lib/dpkg/info/%s:%s.list", r->name, r->arch);
		f = dd_fs_lookup(rs->ctx->fs, path);
	}
	if (!f) {
		snprintf(path, sizeof path, "var/lib/dpkg/info/%s.list", r->name);
		f = dd_fs_lookup(rs->ctx->fs, path);
	}
	*files = NULL;
	*nfiles = 0;
	if (!f || f->type != DD_FS_REG || !f->data)
		return DD_OK;
	/* A list belongs to one package: a status file repeating a stanza
	 * must not make us read (and copy) the same list again and again. */
	if (dd_map_get(&rs->lists_used, f->path, strlen(f->path)))
		return DD_OK;
	if (dd_map_put(&rs->lists_used, f->path, strlen(f->path), (void *)1, NULL, rs->err))
		return rs->err->code;
	size_t cap = 0;
	for (size_t i = 0; i < f->size; i++)
		cap += f->data[i] == '\n';
	cap++;
	const char **v = dd_arena_alloc(rs->tmp, cap * sizeof *v);
	if (!v)
		return dd_err_set(rs->err, DD_ENOMEM, "out of memory");
	const char *p = (const char *)f->data, *end = p + f->size;
	size_t n = 0;
	while (p < end && n < cap) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (le > p) {
			const char *c = dd_pkgdb_clean_path(rs->tmp, p, (size_t)(le - p));
			if (c)
				v[n++] = c;
		}
		p = nl ? nl + 1 : end;
	}
	if (dd_arena_status(rs->tmp))
		return dd_err_set(rs->err, DD_ENOMEM, "out of memory");
	*files = v;
	*nfiles = n;
	return DD_OK;
}

static dd_code add_pkg(const struct dd_dpkg_rec *r, void *ud)
{
	struct run_state *rs = ud;
	struct dd_sbom *sbom = rs->ctx->sbom;
	struct dd_arena *a = rs->tmp;
	const struct dd_distro *d = &sbom->distro;
	const char *upstream = NULL;
	if (strcmp(r->source_name, r->name) != 0 || strcmp(r->source_version, r->version) != 0)
		upstream = strcmp(r->source_version, r->version) == 0
				   ? r->source_name
				   : dd_arena_printf(a, "%s@%s", r->source_name, r->source_version);
	struct dd_purl_qualifier q[] = {
		{ "arch", r->arch }, { "distro", rs->distro_q }, { "upstream", upstream },
	};
	const char *ns = d->id ? d->id : "debian";
	struct dd_package p = {
		.type = "deb",
		.namespace_ = ns,
		.name = r->name,
		.version = r->version,
		.arch = r->arch,
		.source_name = r->source_name,
		.source_version = r->source_version,
		.purl = dd_purl_format(a, "deb", ns, r->name, r->version, q, 3),
		.cataloger = "dpkg",
		.location = rs->db->path,
		.layer = dd_pkgdb_layer_of(&rs->chain, r->name, r->version, r->arch),
	};
	dd_code rc = file_list(rs, r, &p.files, &p.nfiles);
	if (rc)
		return rc;
	if (!p.purl)
		return dd_err_set(rs->err, DD_ENOMEM, "out of memory");
	return dd_sbom_add(sbom, &p, rs->err);
}

static dd_code catalog_file(const struct dd_catalog_ctx *ctx, const struct dd_fs_file *f,
			    bool status_d, struct dd_err *err)
{
	if (f->type != DD_FS_REG || !f->data) {
		if (f->type == DD_FS_REG)
			dd_sbom_warn(ctx->sbom, "%s: content not kept (%zu bytes), skipped", f->path,
				     f->size);
		return DD_OK;
	}
	struct run_state rs = { .ctx = ctx, .db = f, .err = err };
	dd_map_init(&rs.lists_used);
	rs.tmp = dd_arena_new(0);
	if (!rs.tmp)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	rs.distro_q = dd_pkgdb_distro_qualifier(rs.tmp, &ctx->sbom->distro);
	dd_code rc = dd_layer_chain_build(f, status_d ? keys_status_d : keys_status, &rs.chain,
					  err);
	if (!rc)
		rc = dd_dpkg_parse(f->path, f->data, f->size, status_d, add_pkg, &rs, ctx->sbom,
				   err);
	dd_layer_chain_release(&rs.chain);
	dd_map_release(&rs.lists_used);
	dd_arena_free(rs.tmp);
	return rc;
}

/* status.d holds <name> files plus, in distroless images, <name>.md5sums
 * and maintainer scripts next to them. */
static bool is_status_d_entry(const char *path)
{
	static const char dir[] = "var/lib/dpkg/status.d/";
	if (strncmp(path, dir, sizeof dir - 1) != 0)
		return false;
	const char *name = path + sizeof dir - 1;
	if (!*name || strchr(name, '/') || name[0] == '.')
		return false;
	static const char *const skip[] = { ".md5sums", ".preinst", ".postinst", ".prerm",
					    ".postrm", ".list", ".conffiles", ".triggers",
					    ".shlibs", ".symbols", ".templates", ".config" };
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++) {
		size_t s = strlen(skip[i]);
		if (n > s && strcmp(name + n - s, skip[i]) == 0)
			return false;
	}
	return true;
}

struct each_state {
	const struct dd_catalog_ctx *ctx;
	struct dd_err *err;
	dd_code rc;
};

static int each_status_d(const struct dd_fs_file *f, void *ud)
{
	struct each_state *es = ud;
	if (!is_status_d_entry(f->path) || f->type != DD_FS_REG)
		return 0;
	es->rc = catalog_file(es->ctx, f, true, es->err);
	return es->rc == DD_ENOMEM;
}

static dd_code run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	struct dd_err e;
	dd_err_clear(&e);
	const struct dd_fs_file *f = dd_fs_resolve(ctx->fs, "var/lib/dpkg/status", &e);
	if (!f && e.code)
		dd_sbom_warn(ctx->sbom, "%s", e.msg);
	if (f) {
		dd_code rc = catalog_file(ctx, f, false, err);
		if (rc)
			return rc;
	}
	struct each_state es = { .ctx = ctx, .err = err };
	if (dd_catalog_walk(ctx, each_status_d, &es) < 0)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return es.rc == DD_ENOMEM ? es.rc : DD_OK;
}

static bool wants_path(const char *path, size_t len)
{
	/* Asked of every path of every layer (the names under status.d/ have
	 * no ending to declare in path_ends): one compare rejects most. */
	static const char dir[] = "var/lib/dpkg/", status[] = "var/lib/dpkg/status";
	if (len < sizeof dir - 1 || memcmp(path, dir, sizeof dir - 1) != 0)
		return false;
	if (len == sizeof status - 1 && memcmp(path, status, len) == 0)
		return true;
	return dd_path_match("var/lib/dpkg/status.d/*", path, len) ||
	       dd_path_match("var/lib/dpkg/info/*.list", path, len);
}

const struct dd_cataloger dd_cataloger_dpkg = {
	.name = "dpkg",
	.version = 1,
	.kind = DD_CATALOGER_OS,
	.wants_path = wants_path,
	.run = run,
};
