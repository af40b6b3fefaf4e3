/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Python project lockfiles and pins, cataloged in `dir:` scans only
 * (lang.h): they describe what a project installs, not what an image has.
 *   - requirements*.txt (pip's requirements file format): only exact pins
 *     `name==version` / `name===version` name a version; extras
 *     (`name[socks]`), environment markers (`; python_version < "3"`),
 *     trailing `--hash=` options and `\` continuations are handled; option
 *     lines (-r, -e, --index-url) and ranges are skipped;
 *   - poetry.lock and uv.lock: TOML, one `[[package]]` table each with
 *     `name` and `version`; poetry < 1.5 marks `category = "dev"`;
 *   - Pipfile.lock: JSON, "default" and "develop" objects mapping names to
 *     {"version": "==1.2.3"}.
 * Names are normalised per PEP 503, as for installed distributions.
 */
#include <string.h>

#include "catalog/lang.h"

#define PY_FIELD_MAX 256

static dd_code emit_py(struct dd_lang_sink *s, const char *name, size_t nl, const char *ver,
		       size_t vl, unsigned flags, struct dd_err *err)
{
	if (nl == 0 || nl >= PY_FIELD_MAX || vl >= PY_FIELD_MAX || memchr(name, 0, nl) ||
	    (ver && memchr(ver, 0, vl)))
		return DD_OK;
	char norm[PY_FIELD_MAX], version[PY_FIELD_MAX] = "";
	dd_lang_pep503(name, nl, norm, sizeof norm);
	if (ver) {
		memcpy(version, ver, vl);
		version[vl] = '\0';
	}
	struct dd_lang_pkg p = { .type = "pypi", .name = norm, .version = version, .flags = flags };
	return dd_lang_emit(s, &p, err);
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static dd_code requirement(const char *l, size_t n, struct dd_lang_sink *s, struct dd_err *err)
{
	size_t i = 0;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i >= n || l[i] == '-' || l[i] == '#')
		return DD_OK;
	size_t ns = i;
	while (i < n && name_char(l[i]))
		i++;
	size_t ne = i;
	if (i < n && l[i] == '[') {
		const char *close = memchr(l + i, ']', n - i);
		if (!close)
			return DD_OK;
		i = (size_t)(close - l) + 1;
	}
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (n - i < 2 || l[i] != '=' || l[i + 1] != '=')
		return DD_OK; /* not an exact pin */
	i += 2;
	if (i < n && l[i] == '=')
		i++; /* === arbitrary equality */
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	size_t vs = i;
	while (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != ';' && l[i] != '#' && l[i] != ',' &&
	       l[i] != '\\')
		i++;
	if (i == vs || (i < n && l[i] == ','))
		return DD_OK; /* "==1.0, !=1.0.1" is a range, not a pin */
	if (l[i - 1] == '*')
		return DD_OK; /* "==1.*" is a prefix match */
	return emit_py(s, l + ns, ne - ns, l + vs, i - vs, 0, err);
}

static dd_code parse_requirements(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				  struct dd_err *err)
{
	size_t pos = 0, len;
	const char *l;
	while (dd_lang_next_line(d, n, &pos, &l, &len)) {
		dd_code rc = requirement(l, len, s, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

static dd_code parse_toml_lock(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			       struct dd_err *err)
{
	bool in_pkg = false;
	const char *name = NULL, *ver = NULL;
	size_t nl = 0, vl = 0, pos = 0, len;
	unsigned flags = 0;
	const char *l;
	dd_code rc = DD_OK;
	for (bool more = true; more && !rc;) {
		more = dd_lang_next_line(d, n, &pos, &l, &len);
		if (!more || (len && l[0] == '[')) {
			if (in_pkg && name)
				rc = emit_py(s, name, nl, ver, vl, flags, err);
			if (!more)
				break;
			in_pkg = len >= 11 && memcmp(l, "[[package]]", 11) == 0;
			if (in_pkg) {
				name = ver = NULL;
				flags = 0;
			}
			continue;
		}
		if (!in_pkg)
			continue;
		const char *v;
		size_t vlen;
		if (!name && dd_lang_toml_str(l, len, "name", &v, &vlen)) {
			name = v;
			nl = vlen;
		} else if (!ver && dd_lang_toml_str(l, len, "version", &v, &vlen)) {
			ver = v;
			vl = vlen;
		} else if (dd_lang_toml_str(l, len, "category", &v, &vlen) && vlen == 3 &&
			   memcmp(v, "dev", 3) == 0) {
			flags = DD_PKG_DEV;
		}
	}
	return rc;
}

static dd_code pipfile_section(const struct dd_json *sec, unsigned flags, struct dd_lang_sink *s,
			       struct dd_err *err)
{
	dd_json_each(e, dd_json_as(sec, DD_JSON_OBJECT)) {
		const char *name = e->key;
		const char *v = dd_json_str(e, "version");
		if (v && v[0] == '=' && v[1] == '=')
			v += 2 + (v[2] == '=');
		dd_code rc = emit_py(s, name, strlen(name), v, v ? strlen(v) : 0, flags, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

dd_code dd_lang_parse_python_lock(const unsigned char *d, size_t n, const char *kind,
				  struct dd_lang_sink *s, struct dd_err *err)
{
	if (!strcmp(kind, "Pipfile.lock")) {
		struct dd_json_doc doc;
		dd_code rc = dd_json_doc_parse(&doc, d, n, err);
		if (!rc)
			rc = pipfile_section(dd_json_get(doc.root, "default"), 0, s, err);
		if (!rc)
			rc = pipfile_section(dd_json_get(doc.root, "develop"), DD_PKG_DEV, s, err);
		dd_json_doc_release(&doc);
		return rc;
	}
	if (!strcmp(kind, "poetry.lock") || !strcmp(kind, "uv.lock"))
		return parse_toml_lock(d, n, s, err);
	return parse_requirements(d, n, s, err);
}

static bool is_requirements(const char *base)
{
	size_t bl = strlen(base);
	return bl >= 16 && !strncmp(base, "requirements", 12) && !strcmp(base + bl - 4, ".txt");
}

static bool pylock_wants(const char *path, size_t len)
{
	if (!dd_lang_base_is(path, len, "poetry.lock") && !dd_lang_base_is(path, len, "uv.lock") &&
	    !dd_lang_base_is(path, len, "Pipfile.lock") &&
	    !(dd_lang_ends_with(path, len, ".txt") && is_requirements(dd_lang_basename(path))))
		return false;
	return !dd_lang_has_component(path, len, "site-packages") &&
	       !dd_lang_has_component(path, len, "node_modules");
}

static dd_code pylock_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			   const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_python_lock(f->data, f->size, dd_lang_basename(f->path), s, err);
}

static dd_code pylock_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	if (!dd_lang_dir_scan(ctx))
		return DD_OK;
	return dd_lang_each_file(ctx, "python-lock", pylock_wants, pylock_file, err);
}

static const char *const path_ends[] = { "poetry.lock", "uv.lock", "Pipfile.lock", ".txt", NULL };

const struct dd_cataloger dd_cataloger_python_lock = {
	.name = "python-lock",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = pylock_wants,
	.path_ends = path_ends,
	.run = pylock_run,
};
