/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed Python distributions: `NAME-VER.dist-info/METADATA` (wheels,
 * PEP 376/627), `NAME-VER.egg-info/PKG-INFO` (setuptools, directory form)
 * and `NAME-VER.egg-info` as a single file (distutils), below a
 * site-packages or dist-packages directory. All three hold the core metadata
 * (https://packaging.python.org/en/latest/specifications/core-metadata/):
 * RFC 822-style headers up to the first empty line; we read `Name` and
 * `Version`. The name is normalised per PEP 503 (lower case, runs of -_.
 * become "-"), which is how PyPI and OSV's PyPI records name packages.
 *
 * Debian installs its python3-* packages' metadata in dist-packages; the
 * ownership pass (ownership.c) then marks those as owned by the dpkg
 * package, so they are reported but matched through Debian's feed.
 */
#include <string.h>

#include "catalog/lang.h"
#include "util/arena.h"

/* Names on PyPI are at most a few dozen characters; versions too. */
#define PY_FIELD_MAX 256

static bool header(const char *l, size_t n, const char *key, const char **v, size_t *vl)
{
	size_t kl = strlen(key);
	if (n <= kl || l[kl] != ':' || strncasecmp(l, key, kl) != 0)
		return false;
	size_t i = kl + 1;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	size_t e = n;
	while (e > i && (l[e - 1] == ' ' || l[e - 1] == '\t'))
		e--;
	*v = l + i;
	*vl = e - i;
	return true;
}

dd_code dd_lang_parse_python_meta(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				  struct dd_err *err)
{
	const char *name = NULL, *ver = NULL;
	size_t nl = 0, vl = 0, pos = 0, len;
	const char *line;
	while (dd_lang_next_line(d, n, &pos, &line, &len)) {
		if (len == 0)
			break; /* end of the headers; the body is the description */
		const char *v;
		size_t l;
		if (!name && header(line, len, "Name", &v, &l)) {
			name = v;
			nl = l;
		} else if (!ver && header(line, len, "Version", &v, &l)) {
			ver = v;
			vl = l;
		}
	}
	if (!name || nl == 0)
		return dd_err_set(err, DD_EINVAL, "no Name: header");
	if (nl >= PY_FIELD_MAX || vl >= PY_FIELD_MAX)
		return dd_err_set(err, DD_ELIMIT, "Name or Version longer than %d bytes", PY_FIELD_MAX);
	if (memchr(name, 0, nl) || (ver && memchr(ver, 0, vl)))
		return dd_err_set(err, DD_EINVAL, "NUL byte in Name or Version");
	char norm[PY_FIELD_MAX], version[PY_FIELD_MAX] = "";
	dd_lang_pep503(name, nl, norm, sizeof norm);
	if (ver) {
		memcpy(version, ver, vl);
		version[vl] = '\0';
	}
	struct dd_lang_pkg p = { .type = "pypi", .name = norm, .version = version };
	return dd_lang_emit(s, &p, err);
}

/* What the image keeps of core metadata (dd_catalog_reduce): the headers
 * and the empty line that ends them, all that dd_lang_parse_python_meta
 * reads. The body is the project's long description, often its README:
 * tens of KiB in many wheels, hundreds of dists in a data-science image.
 * Without an empty line, or with nothing after it, the file is kept. */
static dd_code python_reduce(const char *path, const unsigned char *d, size_t n,
			     struct dd_arena *a, const unsigned char **out, size_t *outlen,
			     struct dd_err *err)
{
	(void)path;
	size_t pos = 0, len;
	const char *line;
	*out = NULL;
	while (dd_lang_next_line(d, n, &pos, &line, &len)) {
		if (len)
			continue;
		if (pos >= n)
			return DD_OK;
		if (!(*out = dd_arena_memdup(a, d, pos)))
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		*outlen = pos;
		return DD_OK;
	}
	return DD_OK;
}

static bool python_wants(const char *path, size_t len)
{
	/* Suffixes first: this runs for every file of every layer. */
	if (!dd_lang_ends_with(path, len, ".dist-info/METADATA") &&
	    !dd_lang_ends_with(path, len, ".egg-info/PKG-INFO") &&
	    !dd_lang_ends_with(path, len, ".egg-info"))
		return false;
	return dd_lang_has_component(path, len, "site-packages") ||
	       dd_lang_has_component(path, len, "dist-packages");
}

static dd_code python_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			   const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_python_meta(f->data, f->size, s, err);
}

static dd_code python_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	return dd_lang_each_file(ctx, "python-dist", python_wants, python_file, err);
}

static const char *const path_ends[] = { ".dist-info/METADATA", ".egg-info/PKG-INFO", ".egg-info", NULL };

const struct dd_cataloger dd_cataloger_python_dist = {
	.name = "python-dist",
	.version = 2,
	.kind = DD_CATALOGER_LANG,
	.wants_path = python_wants,
	.path_ends = path_ends,
	.reduce = python_reduce,
	.run = python_run,
};
