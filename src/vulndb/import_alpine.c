/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alpine secdb importer: secdb.alpinelinux.org/<branch>/<repo>.json (and the
 * YAML the old alpinelinux/alpine-secdb repository kept). Shape:
 *   {"distroversion": "v3.10", "reponame": "main", ...,
 *    "packages": [{"pkg": {"name": "musl", "secfixes":
 *        {"1.1.22-r3": ["CVE-2019-14697"], ...}}}]}
 * `name` is the *origin* (source) package: apk packages match by origin.
 * A secfixes key is the first fixed version in the branch; the key "0"
 * means the branch was never affected (aports' APKBUILD secfixes
 * convention), stored as not-affected. One affected row per (CVE, package,
 * branch); a package entry replaces what this source said about it before.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/limits.h"
#include "vulndb/vdb.h"

#define SOURCE "alpine-secdb"

struct alpine_state {
	char ns[64];
	struct dd_buf range;
};

static int probe(const char *name, const unsigned char *h, size_t n)
{
	(void)name;
	if (vdb_head_has(h, n, "\"distroversion\"") || vdb_head_has(h, n, "distroversion:"))
		return 100;
	return 0;
}

/* The ids in one secfixes entry: usually "CVE-2019-14697", sometimes
 * several ids or an id followed by a comment. Keeps tokens that look like
 * ids (a letter first, a '-' inside). */
static size_t ids_of(char *s, char **out, size_t max)
{
	size_t n = 0;
	for (char *p = s; *p && n < max;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		char *t = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
		if (isalpha((unsigned char)t[0]) && strchr(t, '-') && strlen(t) < 128)
			out[n++] = t;
	}
	return n;
}

static dd_code package(struct vdb_ctx *c, struct alpine_state *st, const struct fj_record *r,
		       struct dd_err *err)
{
	const struct fj *pkg = fj_get(r->node, "pkg");
	const char *name = fj_gets(pkg, "name");
	const struct fj *fixes = fj_get(pkg, "secfixes");
	if (!name) {
		vdb_skip(c, r->index, NULL, "package without a name");
		return DD_OK;
	}
	if (!st->ns[0]) {
		vdb_skip(c, r->index, name, "no \"distroversion\" before the packages");
		return DD_OK;
	}
	if (fixes && fixes->type != FJ_OBJ && fixes->type != FJ_NULL) {
		vdb_skip(c, r->index, name, "\"secfixes\" is not a mapping");
		return DD_OK;
	}
	dd_code rc = vdb_clear_package(c->w, SOURCE, st->ns, NULL, name, err);
	for (const struct fj *f = fixes ? fixes->first : NULL; f && rc == DD_OK; f = f->next) {
		const char *ver = f->key;
		if (!ver || !*ver || !fj_is(f, FJ_ARR))
			continue;
		bool never = strcmp(ver, "0") == 0;
		for (const struct fj *e = f->first; e && rc == DD_OK; e = e->next) {
			const char *text = fj_str(e);
			if (!text)
				continue;
			char buf[512], *ids[8];
			snprintf(buf, sizeof buf, "%s", text);
			size_t nid = ids_of(buf, ids, 8);
			for (size_t i = 0; i < nid && rc == DD_OK; i++) {
				int64_t adv;
				rc = vdb_advisory_row(c->w, ids[i], &adv, err);
				dd_buf_reset(&st->range);
				if (rc == DD_OK && !never)
					rc = vdb_range_fixed(&st->range, ver, err);
				struct vdb_affected a = {
					.namespace_ = st->ns,
					.package = name,
					.status = never ? DD_VULNDB_NOT_AFFECTED : DD_VULNDB_FIXED,
					.fixed = never ? NULL : ver,
					.ranges = never ? NULL : st->range.data,
				};
				if (rc == DD_OK)
					rc = vdb_put_affected(c->w, adv, SOURCE, &a, err);
			}
		}
	}
	if (rc == DD_OK)
		c->records++;
	return rc;
}

static dd_code record(void *ud, const struct fj_record *r, struct dd_err *err)
{
	struct vdb_ctx *c = ud;
	struct alpine_state *st = c->importer_state;
	if (r->pattern == 0) {
		const char *v = fj_str(r->node);
		/* "v3.10" on secdb; accept "3.10" too. */
		if (v && strlen(v) < 40)
			snprintf(st->ns, sizeof st->ns, "alpine:%s%s", v[0] == 'v' || strcmp(v, "edge") == 0 ? "" : "v", v);
		return DD_OK;
	}
	return package(c, st, r, err);
}

static void on_skip(void *ud, unsigned long index, const char *why)
{
	vdb_skip(ud, index, NULL, "%s", why);
}

static dd_code import(struct vdb_ctx *c, const struct vdb_input *in, struct dd_err *err)
{
	static const char *const pats[] = { "distroversion", "packages.[]" };
	struct alpine_state st = { .ns = "" };
	dd_buf_init(&st.range, 4096);
	c->importer_state = &st;
	struct fj_stream_opts o = { .patterns = pats, .npatterns = 2, .on_record = record, .on_skip = on_skip,
				    .ud = c };
	size_t i = 0;
	while (i < in->nhead && isspace(in->head[i]))
		i++;
	dd_code rc = (i < in->nhead && in->head[i] == '{') ? fj_stream(in->read, in->ud, &o, err)
							    : fj_yaml_stream(in->read, in->ud, &o, err);
	dd_buf_release(&st.range);
	c->importer_state = NULL;
	return rc;
}

const struct vdb_importer vdb_import_alpine = { SOURCE, probe, import };
