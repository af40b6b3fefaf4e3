/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed Ruby gems: RubyGems writes one `specifications/NAME-VERSION.gemspec`
 * per installed gem (under GEM_HOME, e.g. usr/local/bundle, var/lib/gems/3.1.0,
 * usr/lib/ruby/gems/3.1.0, and `specifications/default/` for default gems).
 * The file is Ruby; we do not evaluate it but read the two assignments
 * RubyGems always writes, `s.name = "rake".freeze` and
 * `s.version = "13.0.6"` (any block variable name), and fall back to the file
 * name, split at the last "-" followed by a digit. Read in every scan.
 */
#include <string.h>

#include "catalog/lang.h"

#define GEM_FIELD_MAX 256

/* `VAR.field = "value"` -> value. */
static bool assign(const char *l, size_t n, const char *field, const char **v, size_t *vl)
{
	size_t i = 0;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	while (i < n && ((l[i] >= 'a' && l[i] <= 'z') || l[i] == '_'))
		i++;
	size_t fl = strlen(field);
	if (i >= n || l[i] != '.' || n - i - 1 < fl || memcmp(l + i + 1, field, fl) != 0)
		return false;
	i += 1 + fl;
	while (i < n && l[i] == ' ')
		i++;
	if (i >= n || l[i] != '=')
		return false;
	i++;
	while (i < n && l[i] == ' ')
		i++;
	if (i >= n || (l[i] != '"' && l[i] != '\''))
		return false;
	char q = l[i++];
	const char *e = memchr(l + i, q, n - i);
	if (!e)
		return false;
	*v = l + i;
	*vl = (size_t)(e - *v);
	return true;
}

dd_code dd_lang_parse_gemspec(const unsigned char *d, size_t n, const char *filename,
			      struct dd_lang_sink *s, struct dd_err *err)
{
	const char *name = NULL, *ver = NULL;
	size_t nl = 0, vl = 0, pos = 0, len;
	const char *l;
	while ((!name || !ver) && dd_lang_next_line(d, n, &pos, &l, &len)) {
		const char *v;
		size_t x;
		if (!name && assign(l, len, "name", &v, &x)) {
			name = v;
			nl = x;
		} else if (!ver && assign(l, len, "version", &v, &x)) {
			ver = v;
			vl = x;
		}
	}
	if ((!name || !ver) && filename) {
		const char *b = dd_lang_basename(filename);
		size_t bl = strlen(b);
		if (bl > 8 && !strcmp(b + bl - 8, ".gemspec"))
			bl -= 8;
		for (size_t i = bl; i-- > 1;) {
			if (b[i - 1] == '-' && b[i] >= '0' && b[i] <= '9') {
				if (!name) {
					name = b;
					nl = i - 1;
				}
				if (!ver) {
					ver = b + i;
					vl = bl - i;
				}
				break;
			}
		}
	}
	if (!name || nl == 0 || nl >= GEM_FIELD_MAX || vl >= GEM_FIELD_MAX)
		return dd_err_set(err, DD_EINVAL, "no gem name");
	if (memchr(name, 0, nl) || (ver && memchr(ver, 0, vl)))
		return dd_err_set(err, DD_EINVAL, "NUL byte in name or version");
	char nb[GEM_FIELD_MAX], vb[GEM_FIELD_MAX] = "";
	memcpy(nb, name, nl);
	nb[nl] = '\0';
	if (ver) {
		memcpy(vb, ver, vl);
		vb[vl] = '\0';
	}
	struct dd_lang_pkg p = { .type = "gem", .name = nb, .version = vb };
	return dd_lang_emit(s, &p, err);
}

static bool gemspec_wants(const char *path, size_t len)
{
	if (!dd_lang_ends_with(path, len, ".gemspec"))
		return false;
	/* .../specifications/X.gemspec or .../specifications/default/X.gemspec */
	const char *b = dd_lang_basename(path);
	size_t dl = (size_t)(b - path);
	return (dl >= 15 && !memcmp(b - 15, "specifications/", 15)) ||
	       (dl >= 23 && !memcmp(b - 23, "specifications/default/", 23));
}

static dd_code gemspec_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			    const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_gemspec(f->data, f->size, f->path, s, err);
}

static dd_code gemspec_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	return dd_lang_each_file(ctx, "gemspec", gemspec_wants, gemspec_file, err);
}

static const char *const path_ends[] = { ".gemspec", NULL };

const struct dd_cataloger dd_cataloger_gemspec = {
	.name = "gemspec",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = gemspec_wants,
	.path_ends = path_ends,
	.run = gemspec_run,
};
