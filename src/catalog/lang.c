/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the language catalogers (lang.h). Nothing here knows a
 * file format; each format is one file (python_dist.c, npm_lock.c, ...).
 */
#include <ctype.h>
#include <string.h>

#include "catalog/elf_section.h"
#include "catalog/lang.h"
#include "catalog/purl.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

dd_code dd_lang_emit(struct dd_lang_sink *sink, const struct dd_lang_pkg *p, struct dd_err *err)
{
	if (!p->name || !*p->name)
		return DD_OK; /* a record without a name identifies nothing */
	const char *version = p->version && *p->version ? p->version : NULL;
	/* "(devel)" (a Go main module built from a checkout) is not a version
	 * anything can be compared with; the purl leaves it out. */
	const char *pname = p->purl_name ? p->purl_name : p->name;
	const char *pversion = version && version[0] != '(' ? version : NULL;
	char buf[512]; /* dd_sbom_add copies it; a longer one goes to an arena */
	struct dd_arena *tmp = NULL;
	char *purl = dd_purl_format_to(buf, sizeof buf, p->type, p->namespace_, pname, pversion, NULL, 0);
	if (!purl) {
		struct dd_arena *a = sink->sbom ? sink->sbom->arena : (tmp = dd_arena_new(1u << 20));
		purl = a ? dd_purl_format(a, p->type, p->namespace_, pname, pversion, NULL, 0) : NULL;
	}
	struct dd_package pkg = {
		.type = p->type,
		.namespace_ = p->namespace_,
		.name = p->name,
		.version = version,
		.purl = purl,
		.cataloger = sink->cataloger,
		.location = sink->location,
		.layer = sink->layer,
		.flags = p->flags,
	};
	dd_code rc = DD_OK;
	if (!purl) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory formatting purl of %s", p->name);
		goto out;
	}
	if (sink->on_pkg)
		sink->on_pkg(sink->ud, &pkg);
	if (sink->sbom)
		rc = dd_sbom_add(sink->sbom, &pkg, err);
	if (!rc)
		sink->count++;
out:
	dd_arena_free(tmp);
	return rc;
}

struct each_state {
	const struct dd_catalog_ctx *ctx;
	const char *cataloger;
	bool (*wants)(const char *path, size_t len);
	dd_lang_file_fn fn;
	dd_lang_elf_parser elf;      /* instead of fn, for dd_lang_each_elf */
	struct dd_err *err;
	dd_code rc;
};

static int each_cb(const struct dd_fs_file *f, void *ud)
{
	struct each_state *st = ud;
	if (f->type != DD_FS_REG || !f->data)
		return 0;
	if (st->wants ? !st->wants(f->path, strlen(f->path)) : !dd_elf_maybe_program(f->data, f->size))
		return 0;
	struct dd_lang_sink sink = {
		.sbom = st->ctx->sbom,
		.cataloger = st->cataloger,
		.location = f->path,
		.layer = f->layer,
	};
	struct dd_err e;
	dd_err_clear(&e);
	dd_code rc = st->fn ? st->fn(f, &sink, st->ctx, &e) : st->elf(f->data, f->size, &sink, &e);
	if (rc == DD_ENOMEM) {
		st->rc = dd_err_set(st->err, rc, "%s: %s", f->path, e.msg);
		return 1;
	}
	if (rc && rc != DD_ENOTFOUND)
		dd_sbom_warn(st->ctx->sbom, "%s: %s: %s", st->cataloger, f->path, e.msg);
	return 0;
}

dd_code dd_lang_each_file(const struct dd_catalog_ctx *ctx, const char *cataloger,
			  bool (*wants)(const char *path, size_t len), dd_lang_file_fn fn,
			  struct dd_err *err)
{
	struct each_state st = { ctx, cataloger, wants, fn, NULL, err, DD_OK };
	dd_catalog_walk(ctx, each_cb, &st);
	return st.rc;
}

dd_code dd_lang_each_elf(const struct dd_catalog_ctx *ctx, const char *cataloger,
			 dd_lang_elf_parser parse, struct dd_err *err)
{
	struct each_state st = { ctx, cataloger, NULL, NULL, parse, err, DD_OK };
	dd_catalog_walk(ctx, each_cb, &st);
	return st.rc;
}

bool dd_lang_wants_elf(const unsigned char *head, size_t n)
{
	return dd_elf_maybe_program(head, n);
}

bool dd_lang_maybe_program(const char *path, size_t len, uint32_t mode)
{
	/* Lower case, without the dot; sorted, searched by halves. */
	static const char *const not_programs[] = {
		"bz2",  "c",    "cc",   "cfg",  "cjs",  "conf", "crt",  "css",  "cts",  "gif",
		"go",   "gz",   "h",    "htm",  "html", "ico",  "ini",  "jpeg", "jpg",  "js",
		"json", "jsx",  "less", "map",  "md",   "mjs",  "mts",  "pem",  "php",  "pl",
		"pm",   "png",  "py",   "pyc",  "pyi",  "rb",   "rs",   "rst",  "scss", "svg",
		"toml", "ts",   "tsx",  "txt",  "woff", "woff2", "xml", "xz",   "yaml", "yml",
		"zst",
	};
	if (mode & 0111)
		return true;
	/* Directories that hold data by definition. FHS 3.0, 4.11: /usr/share
	 * is architecture-independent data, so no ELF program (time zones,
	 * docs, completions, Perl modules: a third of a Debian rootfs's
	 * files, most without an extension); /var/lib/dpkg is dpkg's
	 * database (a .md5sums, .triggers, .shlibs, .symbols file per
	 * package; maintainer scripts are executable, so still looked at). */
	static const char *const data_dirs[] = { "usr/share/", "var/lib/dpkg/" };
	for (size_t k = 0; k < sizeof data_dirs / sizeof *data_dirs; k++) {
		size_t dl = strlen(data_dirs[k]);
		if (len > dl && !memcmp(path, data_dirs[k], dl))
			return false;
	}
	size_t i = len;
	while (i > 0 && path[i - 1] != '.' && path[i - 1] != '/' && len - i < 6)
		i--;
	if (i == 0 || path[i - 1] != '.' || i == len)
		return true;
	char ext[8];
	size_t el = len - i;
	for (size_t k = 0; k < el; k++) {
		char c = path[i + k];
		ext[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	ext[el] = '\0';
	size_t lo = 0, hi = sizeof not_programs / sizeof *not_programs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *e = not_programs[mid];
		size_t j = 0;
		while (e[j] && e[j] == ext[j])
			j++;
		int c = (unsigned char)e[j] - (unsigned char)ext[j];
		if (!c)
			return false;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return true;
}

bool dd_lang_dir_scan(const struct dd_catalog_ctx *ctx)
{
	const char *t = ctx->sbom ? ctx->sbom->image.transport : NULL;
	return t && strcmp(t, "dir") == 0;
}

bool dd_lang_next_line(const unsigned char *data, size_t n, size_t *pos, const char **line,
		       size_t *len)
{
	if (*pos >= n)
		return false;
	const unsigned char *start = data + *pos;
	const unsigned char *nl = memchr(start, '\n', n - *pos);
	size_t l = nl ? (size_t)(nl - start) : n - *pos;
	*pos += l + (nl ? 1 : 0);
	if (l && start[l - 1] == '\r')
		l--;
	*line = (const char *)start;
	*len = l;
	return true;
}

char *dd_lang_pep503(const char *name, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	bool sep = false;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		char c = name[i];
		if (c == '-' || c == '_' || c == '.') {
			sep = true;
			continue;
		}
		if (sep && o && o + 2 < cap)
			out[o++] = '-';
		sep = false;
		out[o++] = (char)tolower((unsigned char)c);
	}
	if (cap)
		out[o] = '\0';
	return out;
}

const char *dd_lang_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

bool dd_lang_has_component(const char *path, size_t len, const char *comp)
{
	size_t cl = strlen(comp);
	for (size_t i = 0; i + cl <= len; i++) {
		if ((i == 0 || path[i - 1] == '/') && memcmp(path + i, comp, cl) == 0 &&
		    (i + cl == len || path[i + cl] == '/'))
			return true;
	}
	return false;
}

/* `key = "value"` with the value unescaped as far as cargo ever escapes. */
bool dd_lang_toml_str(const char *l, size_t n, const char *key, const char **v, size_t *vl)
{
	size_t kl = strlen(key);
	if (n < kl || memcmp(l, key, kl) != 0)
		return false;
	size_t i = kl;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i >= n || l[i] != '=')
		return false;
	i++;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i >= n || (l[i] != '"' && l[i] != '\''))
		return false;
	/* Basic "x", literal 'x', and the one-line forms of multi-line
	 * strings """x""" / '''x''' (TOML 1.0, "String"). */
	char qc = l[i];
	size_t ql = (n - i >= 6 && l[i + 1] == qc && l[i + 2] == qc) ? 3 : 1;
	i += ql;
	const char *q = NULL;
	for (size_t j = i; j + ql <= n; j++) {
		if (l[j] == qc && (ql == 1 || (l[j + 1] == qc && l[j + 2] == qc))) {
			q = l + j;
			break;
		}
	}
	if (!q)
		return false;
	*v = l + i;
	*vl = (size_t)(q - *v);
	return true;
}
