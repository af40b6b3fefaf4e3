/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the language-ecosystem catalogers (python_dist.c,
 * npm_package.c, go_buildinfo.c, ...): adding a package with its purl,
 * location and layer; walking the files a cataloger wants; text lines; the PEP 503 name. The per-format parsers are
 * exported (dd_lang_parse_*) so that unit tests and fuzz targets call them on
 * bytes without building an image. JSON trees come from util/json.h.
 * Read docs/internals/catalog-lang.md.
 */
#ifndef DD_CATALOG_LANG_H
#define DD_CATALOG_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "catalog/catalog.h"
#include "util/json.h"

/* Where parsed packages go. A parser calls dd_lang_emit() for each one; the
 * sink builds the purl and copies it into the SBOM. Parsers never see the
 * SBOM, so fuzz targets can pass a sink that only counts. */
struct dd_lang_sink {
	struct dd_sbom *sbom;        /* NULL: count only */
	const char *cataloger;       /* name recorded on each package */
	const char *location;        /* the file the packages come from */
	int layer;
	size_t count;                /* packages emitted so far */
	/* Optional hook (tests, fuzz): sees each package before it is stored;
	 * its strings live only during the call. */
	void (*on_pkg)(void *ud, const struct dd_package *p);
	void *ud;
};

struct dd_lang_pkg {
	const char *type;        /* purl type */
	const char *namespace_;  /* purl namespace (npm scope, maven group, go path prefix) */
	const char *name;
	const char *version;
	unsigned flags;          /* enum dd_pkg_flags */
	const char *purl_name;   /* NULL: name (Go puts the whole path in namespace/name) */
};

/* Builds the purl (catalog/purl.h) and stores the package. Strings are copied;
 * lengths are those of the NUL-terminated strings. Returns DD_ENOMEM only. */
dd_code dd_lang_emit(struct dd_lang_sink *sink, const struct dd_lang_pkg *p, struct dd_err *err);

/* Calls fn for every regular file with content whose path wants() accepts,
 * with a sink ready for it. A per-file failure other than out of memory
 * becomes an SBOM warning naming the file. */
typedef dd_code (*dd_lang_file_fn)(const struct dd_fs_file *f, struct dd_lang_sink *sink,
				   const struct dd_catalog_ctx *ctx, struct dd_err *err);
dd_code dd_lang_each_file(const struct dd_catalog_ctx *ctx, const char *cataloger,
			  bool (*wants)(const char *path, size_t len), dd_lang_file_fn fn,
			  struct dd_err *err);

/* The same over every kept ELF program (dd_elf_maybe_program), handing its
 * bytes to parse (dd_lang_parse_go_elf, dd_lang_parse_rust_elf); the parser's
 * DD_ENOTFOUND (not that kind of binary) is silent. */
typedef dd_code (*dd_lang_elf_parser)(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				      struct dd_err *err);
dd_code dd_lang_each_elf(const struct dd_catalog_ctx *ctx, const char *cataloger,
			 dd_lang_elf_parser parse, struct dd_err *err);
/* wants_magic of the catalogers that read programs: ELF executables and
 * shared objects that may be programs (dd_elf_maybe_program). */
bool dd_lang_wants_elf(const unsigned char *head, size_t n);
/* Their magic_path: false for a file that is not executable and whose name
 * ends in the extension of a source, text, data, image or compressed file
 * (".js", ".json", ".py", ".md", ".png", ".gz", ...), or that lies below
 * usr/share/ or var/lib/dpkg/: a program is never kept under such a name
 * unless it is run from it, and most files of a language tree or of
 * usr/share are such files. */
bool dd_lang_maybe_program(const char *path, size_t len, uint32_t mode);

/* Lockfiles (poetry.lock, package-lock.json, Cargo.lock, ...) record what a
 * project *would* install; they are cataloged only in `dir:` scans (image
 * transport "dir"), where the project tree is what the user points at. */
bool dd_lang_dir_scan(const struct dd_catalog_ctx *ctx);

/* Line iteration over a byte range: *pos advances; returns false at end.
 * The line excludes "\n" and a trailing "\r". */
bool dd_lang_next_line(const unsigned char *data, size_t n, size_t *pos, const char **line,
		       size_t *len);

/* A TOML line `key = "value"` (as cargo, poetry and uv write them): the
 * value between the quotes, escapes left as they are. */
bool dd_lang_toml_str(const char *l, size_t n, const char *key, const char **v, size_t *vl);

/* PEP 503 normalised name: lower case, runs of "-", "_", "." become one "-".
 * Writes at most cap-1 bytes and a NUL; returns out. */
char *dd_lang_pep503(const char *name, size_t n, char *out, size_t cap);

/* Last path component of a canonical path. */
const char *dd_lang_basename(const char *path);

/* The path tests below run in every cataloger's wants_path, for every file
 * of every layer: inline, so that with a literal argument strlen() folds to
 * a constant and memcmp() to a few compares. */

/* True when path ends with suffix. */
static inline bool dd_lang_ends_with(const char *path, size_t len, const char *suffix)
{
	size_t sl = strlen(suffix);
	return len >= sl && memcmp(path + len - sl, suffix, sl) == 0;
}

/* True when the path's last component is exactly name. */
static inline bool dd_lang_base_is(const char *path, size_t len, const char *name)
{
	size_t nl = strlen(name);
	return len >= nl && memcmp(path + len - nl, name, nl) == 0 &&
	       (len == nl || path[len - nl - 1] == '/');
}
/* True when some component of path equals comp. */
bool dd_lang_has_component(const char *path, size_t len, const char *comp);

/* --- parsers, one per format (exported for tests and fuzz targets) ------ */

/* Python core metadata (METADATA, PKG-INFO): one package. */
dd_code dd_lang_parse_python_meta(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				  struct dd_err *err);
/* npm package.json of an installed package (one) or of the root app. */
dd_code dd_lang_parse_npm_package(const unsigned char *d, size_t n, bool dev,
				  struct dd_lang_sink *s, struct dd_err *err);
/* The same, always with yajl: the reference that tests and the fuzz target
 * hold dd_lang_parse_npm_package's yajl-free fast path to. */
dd_code dd_lang_parse_npm_package_yajl(const unsigned char *d, size_t n, bool dev,
				       struct dd_lang_sink *s, struct dd_err *err);
/* One npm package: "@scope/name" gets the scope as purl namespace. */
dd_code dd_lang_npm_emit(struct dd_lang_sink *s, const char *name, size_t nl, const char *version,
			 unsigned flags, struct dd_err *err);
dd_code dd_lang_parse_npm_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			       struct dd_err *err);
dd_code dd_lang_parse_yarn_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				struct dd_err *err);
dd_code dd_lang_parse_pnpm_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				struct dd_err *err);
/* Go build info from an ELF file; DD_ENOTFOUND when it is not a Go binary. */
dd_code dd_lang_parse_go_elf(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			     struct dd_err *err);
/* The text of a Go binary's module info (`go version -m` lines). */
dd_code dd_lang_parse_go_modinfo(const char *goversion, const char *d, size_t n,
				 struct dd_lang_sink *s, struct dd_err *err);
dd_code dd_lang_parse_go_mod(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			     struct dd_err *err);
/* A jar/war/ear/par; name is the archive's file name (MANIFEST fallback). */
dd_code dd_lang_parse_java_archive(const unsigned char *d, size_t n, const char *name,
				   struct dd_lang_sink *s, struct dd_err *err);
dd_code dd_lang_parse_cargo_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				 struct dd_err *err);
/* cargo-auditable: DD_ENOTFOUND when the ELF has no .dep-v0 section. */
dd_code dd_lang_parse_rust_elf(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			       struct dd_err *err);
dd_code dd_lang_parse_rust_audit_json(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				      struct dd_err *err);
dd_code dd_lang_parse_gemspec(const unsigned char *d, size_t n, const char *filename,
			      struct dd_lang_sink *s, struct dd_err *err);
dd_code dd_lang_parse_gemfile_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				   struct dd_err *err);
/* composer.lock or vendor/composer/installed.json (v1 array, v2 object). */
dd_code dd_lang_parse_composer(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			       struct dd_err *err);
dd_code dd_lang_parse_dotnet_deps(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				  struct dd_err *err);
/* requirements*.txt pins, poetry.lock, Pipfile.lock, uv.lock; kind is the
 * file's base name. */
dd_code dd_lang_parse_python_lock(const unsigned char *d, size_t n, const char *kind,
				  struct dd_lang_sink *s, struct dd_err *err);

#endif
