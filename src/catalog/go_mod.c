/* SPDX-License-Identifier: Apache-2.0 */
/*
 * go.mod and go.sum in `dir:` scans (https://go.dev/ref/mod#go-mod-file).
 * go.mod: `require path version` lines, single or in a `require ( ... )`
 * block (`// indirect` comments ignored), with `replace old [v] => new v`
 * directives applied (a replacement by a local directory keeps the required
 * version: the module's identity is what advisories name). The `module`
 * itself is the project, not a dependency, and is not reported.
 * Before Go 1.17 go.mod lists only direct dependencies ("module graph
 * pruning" came with 1.17), so for such modules go.sum next to it fills
 * in the rest: each module path there, at the highest version listed
 * (go.sum keeps old versions of the module graph, the build selects the
 * highest), unless go.mod already names it.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/lang.h"
#include "util/arena.h"

struct gomod {
	char *path, *version;
};

struct gomods {
	struct dd_arena *a;
	struct gomod *v;
	size_t n, cap;
};

static struct gomod *find(struct gomods *m, const char *p, size_t pl)
{
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->v[i].path) == pl && !memcmp(m->v[i].path, p, pl))
			return &m->v[i];
	return NULL;
}

static bool add(struct gomods *m, const char *p, size_t pl, const char *v, size_t vl)
{
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 32;
		struct gomod *nv = dd_arena_alloc(m->a, nc * sizeof *nv);
		if (!nv)
			return false;
		if (m->n)
			memcpy(nv, m->v, m->n * sizeof *nv);
		m->v = nv;
		m->cap = nc;
	}
	m->v[m->n].path = dd_arena_strndup(m->a, p, pl);
	m->v[m->n].version = dd_arena_strndup(m->a, v, vl);
	m->n++;
	return !dd_arena_status(m->a);
}

/* Splits a line into at most 6 whitespace-separated words, stopping at "//". */
static unsigned words(const char *l, size_t n, const char **w, size_t *wl)
{
	unsigned k = 0;
	size_t i = 0;
	while (k < 6) {
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i >= n || (i + 1 < n && l[i] == '/' && l[i + 1] == '/'))
			break;
		size_t s = i;
		while (i < n && l[i] != ' ' && l[i] != '\t')
			i++;
		w[k] = l + s;
		wl[k] = i - s;
		if (wl[k] >= 2 && w[k][0] == '"' && w[k][wl[k] - 1] == '"') {
			w[k]++;
			wl[k] -= 2;
		}
		k++;
	}
	return k;
}

static bool is(const char *w, size_t wl, const char *s)
{
	return wl == strlen(s) && !memcmp(w, s, wl);
}

/* "1.16" < "1.17"? Only the minor number matters for the pruning rule. */
static bool before_1_17(const char *v, size_t vl)
{
	if (vl < 3 || memcmp(v, "1.", 2) != 0)
		return false;
	unsigned minor = 0;
	for (size_t i = 2; i < vl && v[i] >= '0' && v[i] <= '9' && minor < 1000; i++)
		minor = minor * 10 + (unsigned)(v[i] - '0');
	return minor < 17;
}

static void parse_sum(struct gomods *m, const unsigned char *d, size_t n, size_t nreq)
{
	size_t pos = 0, len;
	const char *l;
	while (dd_lang_next_line(d, n, &pos, &l, &len)) {
		const char *w[6];
		size_t wl[6];
		if (words(l, len, w, wl) < 3)
			continue;
		const char *v = w[1];
		size_t vl = wl[1];
		if (vl > 7 && !memcmp(v + vl - 7, "/go.mod", 7))
			vl -= 7;
		struct gomod *g = find(m, w[0], wl[0]);
		if (g && (size_t)(g - m->v) < nreq)
			continue; /* go.mod's own requirement wins */
		if (!g) {
			if (!add(m, w[0], wl[0], v, vl))
				return;
			continue;
		}
		/* Keep the highest: compare "vMAJOR.MINOR.PATCH" numerically,
		 * then as strings (pseudo-versions sort by their timestamp). */
		const char *a = g->version, *b = v;
		size_t al = strlen(a);
		int c = 0;
		size_t i = 0, j = 0;
		while (!c && i < al && j < vl) {
			if (a[i] >= '0' && a[i] <= '9' && b[j] >= '0' && b[j] <= '9') {
				unsigned long x = strtoul(a + i, NULL, 10), y = 0;
				while (i < al && a[i] >= '0' && a[i] <= '9')
					i++;
				size_t js = j;
				while (j < vl && b[j] >= '0' && b[j] <= '9' && j - js < 18)
					y = y * 10 + (unsigned long)(b[j++] - '0');
				c = x < y ? -1 : x > y;
			} else {
				c = a[i] < b[j] ? -1 : a[i] > b[j];
				i++;
				j++;
			}
		}
		if (c < 0 || (!c && al < vl)) {
			g->version = dd_arena_strndup(m->a, v, vl);
			if (!g->version)
				return;
		}
	}
}

static dd_code parse(const unsigned char *d, size_t n, const struct dd_fs_file *sum,
		     struct dd_lang_sink *s, struct dd_err *err)
{
	struct gomods m = { .a = dd_arena_new(0) };
	if (!m.a)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	struct { const char *old; size_t ol; const char *ov; size_t ovl; const char *nw; size_t nl;
		 const char *nv; size_t nvl; } rep[256];
	size_t nrep = 0;
	bool in_req = false, in_rep = false, old_go = false;
	size_t pos = 0, len;
	const char *l;
	dd_code rc = DD_OK;
	while (dd_lang_next_line(d, n, &pos, &l, &len)) {
		const char *w[6];
		size_t wl[6];
		unsigned k = words(l, len, w, wl);
		if (k == 0)
			continue;
		if (is(w[0], wl[0], ")")) {
			in_req = in_rep = false;
			continue;
		}
		if (k >= 2 && is(w[0], wl[0], "go"))
			old_go = before_1_17(w[1], wl[1]);
		unsigned o = 0;
		bool req = in_req, repl = in_rep;
		if (!in_req && !in_rep) {
			if (is(w[0], wl[0], "require"))
				req = true;
			else if (is(w[0], wl[0], "replace"))
				repl = true;
			else
				continue;
			o = 1;
			if (k == 2 && is(w[1], wl[1], "(")) {
				in_req = req;
				in_rep = repl;
				continue;
			}
		}
		if (req && k >= o + 2) {
			if (!add(&m, w[o], wl[o], w[o + 1], wl[o + 1])) {
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
				goto out;
			}
		} else if (repl && k >= o + 3 && nrep < sizeof rep / sizeof *rep) {
			/* old [v] => new [v] */
			unsigned arrow = is(w[o + 1], wl[o + 1], "=>") ? o + 1 : o + 2;
			if (arrow + 1 >= k || !is(w[arrow], wl[arrow], "=>"))
				continue;
			rep[nrep].old = w[o];
			rep[nrep].ol = wl[o];
			rep[nrep].ov = arrow == o + 2 ? w[o + 1] : NULL;
			rep[nrep].ovl = arrow == o + 2 ? wl[o + 1] : 0;
			rep[nrep].nw = w[arrow + 1];
			rep[nrep].nl = wl[arrow + 1];
			rep[nrep].nv = arrow + 2 < k ? w[arrow + 2] : NULL;
			rep[nrep].nvl = arrow + 2 < k ? wl[arrow + 2] : 0;
			nrep++;
		}
	}
	size_t nreq = m.n;
	for (size_t i = 0; i < nreq; i++) {
		for (size_t r = 0; r < nrep; r++) {
			if (strlen(m.v[i].path) != rep[r].ol || memcmp(m.v[i].path, rep[r].old, rep[r].ol))
				continue;
			if (rep[r].ov && (strlen(m.v[i].version) != rep[r].ovl ||
					  memcmp(m.v[i].version, rep[r].ov, rep[r].ovl)))
				continue;
			if (!rep[r].nv)
				continue; /* local directory */
			m.v[i].path = dd_arena_strndup(m.a, rep[r].nw, rep[r].nl);
			m.v[i].version = dd_arena_strndup(m.a, rep[r].nv, rep[r].nvl);
		}
	}
	if (old_go && sum && sum->data)
		parse_sum(&m, sum->data, sum->size, nreq);
	if (dd_arena_status(m.a)) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m.n && !rc; i++) {
		const char *path = m.v[i].path;
		if (memchr(path, 0, strlen(path)))
			continue;
		const char *slash = strrchr(path, '/');
		char ns[1024];
		struct dd_lang_pkg p = { .type = "golang", .name = path, .version = m.v[i].version };
		if (slash && (size_t)(slash - path) < sizeof ns) {
			memcpy(ns, path, (size_t)(slash - path));
			ns[slash - path] = '\0';
			p.namespace_ = ns;
			p.purl_name = slash + 1;
		}
		rc = dd_lang_emit(s, &p, err);
	}
out:
	dd_arena_free(m.a);
	return rc;
}

dd_code dd_lang_parse_go_mod(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			     struct dd_err *err)
{
	return parse(d, n, NULL, s, err);
}

static bool gomod_wants(const char *path, size_t len)
{
	return (dd_lang_base_is(path, len, "go.mod") || dd_lang_base_is(path, len, "go.sum")) &&
	       !dd_lang_has_component(path, len, "vendor");
}

static dd_code gomod_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			  const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	size_t len = strlen(f->path);
	if (!dd_lang_base_is(f->path, len, "go.mod"))
		return DD_OK; /* go.sum is read with its go.mod */
	char sum[4200];
	snprintf(sum, sizeof sum, "%.*ssum", (int)(len - 3), f->path);
	return parse(f->data, f->size, dd_fs_lookup(ctx->fs, sum), s, err);
}

static dd_code gomod_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	if (!dd_lang_dir_scan(ctx))
		return DD_OK;
	return dd_lang_each_file(ctx, "go-mod", gomod_wants, gomod_file, err);
}

static const char *const path_ends[] = { "go.mod", "go.sum", NULL };

const struct dd_cataloger dd_cataloger_go_mod = {
	.name = "go-mod",
	.version = 1,
	.kind = DD_CATALOGER_LANG,
	.wants_path = gomod_wants,
	.path_ends = path_ends,
	.run = gomod_run,
};
