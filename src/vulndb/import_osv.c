/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OSV importer (https://ossf.github.io/osv-schema/): one record per file as
 * OSV's own exports are (the per-ecosystem all.zip, golang/vulndb,
 * github/advisory-database), in JSON or YAML (pypa/advisory-database), plus a
 * JSON array of records or an API {"vulns": [...]} answer. Ranges, versions
 * and ecosystem_specific are stored as the record's own JSON text: the
 * matcher reads them through dd_vulndb_each_affected(). Ecosystem names of
 * distros become our namespaces ("Alpine:v3.16" → "alpine:v3.16",
 * "Ubuntu:22.04:LTS" → "ubuntu:22.04"); language ecosystems keep OSV's name.
 * Not done here: "related" and "upstream" ids (not aliases per the spec).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/limits.h"
#include "vulndb/vdb.h"

static const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && (isspace(*p) || *p == 0xEF || *p == 0xBB || *p == 0xBF))
		p++;
	return p;
}

static bool is_yaml_name(const char *name)
{
	return vdb_name_ends(name, ".yaml") || vdb_name_ends(name, ".yml");
}

static int probe(const char *name, const unsigned char *h, size_t n)
{
	const unsigned char *p = skip_ws(h, h + n);
	if (p < h + n && (*p == '{' || *p == '[')) {
		if (vdb_head_has(h, n, "\"id\"") &&
		    (vdb_head_has(h, n, "\"modified\"") || vdb_head_has(h, n, "\"affected\"") ||
		     vdb_head_has(h, n, "\"schema_version\"")))
			return 50;
		if (vdb_head_has(h, n, "\"vulns\""))
			return 40;
		return 0;
	}
	/* YAML: a line starting "id:" plus one of the OSV fields. */
	bool yaml_id = (n >= 3 && memcmp(h, "id:", 3) == 0) || vdb_head_has(h, n, "\nid:");
	if (yaml_id && (vdb_head_has(h, n, "modified:") || vdb_head_has(h, n, "affected:")))
		return is_yaml_name(name) ? 60 : 40;
	return 0;
}

/* OSV ecosystem → our namespace (see include/dd/vulndb.h). */
static void osv_namespace(const char *eco, char *out, size_t n)
{
	const char *colon = strchr(eco, ':');
	if (!colon) {
		snprintf(out, n, "%s", eco);
		return;
	}
	size_t blen = (size_t)(colon - eco);
	const char *rest = colon + 1;
#define IS(s) (blen == strlen(s) && strncmp(eco, s, blen) == 0)
	if (IS("Alpine")) {
		snprintf(out, n, "alpine:%s", rest);
	} else if (IS("Debian")) {
		const char *num = vdb_debian_release(rest);
		snprintf(out, n, "debian:%s", num ? num : rest);
	} else if (IS("Ubuntu")) {
		bool pro = strncmp(rest, "Pro:", 4) == 0;
		if (pro)
			rest += 4;
		size_t vl = strcspn(rest, ":");
		snprintf(out, n, "%s:%.*s", pro ? "ubuntu-pro" : "ubuntu", (int)vl, rest);
	} else if (IS("Red Hat")) {
		const char *d = rest;
		while (*d && !isdigit((unsigned char)*d))
			d++;
		size_t vl = strspn(d, "0123456789");
		if (vl)
			snprintf(out, n, "rhel:%.*s", (int)vl, d);
		else
			snprintf(out, n, "redhat:%s", rest);
	} else if (IS("Rocky Linux")) {
		snprintf(out, n, "rocky:%.*s", (int)strspn(rest, "0123456789"), rest);
	} else if (IS("AlmaLinux")) {
		snprintf(out, n, "almalinux:%.*s", (int)strspn(rest, "0123456789"), rest);
	} else {
		size_t o = 0;
		for (size_t i = 0; i < blen && o + 1 < n; i++)
			out[o++] = eco[i] == ' ' ? '-' : (char)tolower((unsigned char)eco[i]);
		snprintf(out + o, n - o, ":%s", rest);
	}
#undef IS
}

struct osv_state {
	struct dd_buf ranges, versions, eco, db, fixed;
};

static const char *json_of(const struct fj *n, struct dd_buf *b, dd_code *rc, struct dd_err *err)
{
	dd_buf_reset(b);
	if (!n || n->type == FJ_NULL || *rc)
		return NULL;
	*rc = fj_write(n, b, err);
	return *rc ? NULL : b->data;
}

static dd_code put_severities(struct vdb_ctx *c, int64_t adv, const struct fj *sev, struct dd_err *err)
{
	dd_code rc = DD_OK;
	for (const struct fj *s = fj_is(sev, FJ_ARR) ? sev->first : NULL; s && rc == DD_OK; s = s->next) {
		const char *type = fj_gets(s, "type"), *vec = fj_gets(s, "score");
		if (!type || !vec)
			continue;
		const char *ver = NULL;
		if (strncmp(vec, "CVSS:", 5) == 0)
			ver = strncmp(vec + 5, "3.1", 3) == 0 ? "3.1"
			      : strncmp(vec + 5, "3.0", 3) == 0 ? "3.0"
			      : strncmp(vec + 5, "4.0", 3) == 0 ? "4.0" : NULL;
		else if (strcmp(type, "CVSS_V2") == 0)
			ver = "2.0";
		rc = vdb_put_severity(c->w, adv, "osv", type, ver, vec, vdb_cvss_score(vec), NULL, err);
	}
	return rc;
}

static dd_code put_affected(struct vdb_ctx *c, struct osv_state *st, int64_t adv, const char *id,
			    unsigned long index, const struct fj *a, struct dd_err *err)
{
	const struct fj *pkg = fj_get(a, "package");
	const char *eco = fj_gets(pkg, "ecosystem"), *name = fj_gets(pkg, "name");
	const struct fj *ranges = fj_get(a, "ranges"), *versions = fj_get(a, "versions");
	if (!eco || !name) {
		/* OSV allows affected[] without a package (ranges over a GIT repo
		 * only); nothing for a package matcher to use. */
		return DD_OK;
	}
	if (!fj_is(ranges, FJ_ARR) && !fj_is(versions, FJ_ARR)) {
		vdb_skip(c, index, id, "affected %s/%s has neither ranges nor versions", eco, name);
		return DD_OK;
	}
	/* Every fixed event, for display. */
	dd_code rc = DD_OK;
	dd_buf_reset(&st->fixed);
	for (const struct fj *r = fj_is(ranges, FJ_ARR) ? ranges->first : NULL; r && rc == DD_OK; r = r->next) {
		const struct fj *evs = fj_get(r, "events");
		for (const struct fj *e = fj_is(evs, FJ_ARR) ? evs->first : NULL; e && rc == DD_OK; e = e->next) {
			const char *f = fj_gets(e, "fixed");
			if (!f)
				continue;
			if (st->fixed.len)
				rc = dd_buf_puts(&st->fixed, ", ", err);
			if (rc == DD_OK)
				rc = dd_buf_puts(&st->fixed, f, err);
		}
	}
	char ns[128];
	osv_namespace(eco, ns, sizeof ns);
	struct vdb_affected row = {
		.namespace_ = ns,
		.package = name,
		.purl = fj_gets(pkg, "purl"),
		.status = DD_VULNDB_RANGES,
		.fixed = st->fixed.len ? st->fixed.data : NULL,
		.ranges = json_of(fj_is(ranges, FJ_ARR) ? ranges : NULL, &st->ranges, &rc, err),
		.versions = json_of(fj_is(versions, FJ_ARR) && versions->n ? versions : NULL, &st->versions, &rc, err),
		.ecosystem_specific = json_of(fj_get(a, "ecosystem_specific"), &st->eco, &rc, err),
		.database_specific = json_of(fj_get(a, "database_specific"), &st->db, &rc, err),
	};
	if (rc == DD_ELIMIT) {
		vdb_skip(c, index, id, "affected %s/%s too large", eco, name);
		return DD_OK;
	}
	if (rc == DD_OK)
		rc = vdb_put_affected(c->w, adv, "osv", &row, err);
	if (rc == DD_OK)
		rc = put_severities(c, adv, fj_get(a, "severity"), err);
	return rc;
}

static dd_code record(void *ud, const struct fj_record *r, struct dd_err *err)
{
	struct vdb_ctx *c = ud;
	struct osv_state *st = c->importer_state;
	const struct fj *n = r->node;
	const char *id = fj_gets(n, "id");
	if (!fj_is(n, FJ_OBJ)) {
		vdb_skip(c, r->index, NULL, "not a JSON object");
		return DD_OK;
	}
	if (!id || strlen(id) > 256) {
		vdb_skip(c, r->index, NULL, "no \"id\"");
		return DD_OK;
	}
	const struct fj *affected = fj_get(n, "affected");
	if (affected && !fj_is(affected, FJ_ARR)) {
		vdb_skip(c, r->index, id, "\"affected\" is not an array");
		return DD_OK;
	}
	const char *aliases[256];
	size_t nal = 0;
	const struct fj *al = fj_get(n, "aliases");
	for (const struct fj *a = fj_is(al, FJ_ARR) ? al->first : NULL; a && nal < 256; a = a->next)
		if (fj_str(a))
			aliases[nal++] = fj_str(a);
	struct vdb_ref refs[512];
	size_t nref = 0;
	const struct fj *rl = fj_get(n, "references");
	for (const struct fj *x = fj_is(rl, FJ_ARR) ? rl->first : NULL; x && nref < 512; x = x->next)
		if (fj_gets(x, "url"))
			refs[nref++] = (struct vdb_ref){ fj_gets(x, "type"), fj_gets(x, "url") };
	struct vdb_advisory adv = {
		.id = id,
		.summary = fj_gets(n, "summary"),
		.details = fj_gets(n, "details"),
		.published = fj_gets(n, "published"),
		.modified = fj_gets(n, "modified"),
		.withdrawn = fj_gets(n, "withdrawn"),
		.aliases = aliases,
		.naliases = nal,
		.refs = refs,
		.nrefs = nref,
	};
	int64_t row;
	dd_code rc = vdb_put_advisory(c->w, "osv", &adv, true, &row, err);
	if (rc == DD_OK)
		rc = put_severities(c, row, fj_get(n, "severity"), err);
	/* GitHub's own rating and CWEs (database_specific of GHSA records). */
	const struct fj *dbs = fj_get(n, "database_specific");
	const char *rating = fj_gets(dbs, "severity");
	if (rc == DD_OK && rating)
		rc = vdb_put_severity(c->w, row, "osv", "vendor", NULL, NULL, -1, rating, err);
	const struct fj *cwes = fj_get(dbs, "cwe_ids");
	for (const struct fj *x = fj_is(cwes, FJ_ARR) ? cwes->first : NULL; x && rc == DD_OK; x = x->next)
		if (fj_str(x))
			rc = vdb_put_cwe(c->w, row, "osv", fj_str(x), err);
	for (const struct fj *a = affected ? affected->first : NULL; a && rc == DD_OK; a = a->next)
		rc = put_affected(c, st, row, id, r->index, a, err);
	if (rc == DD_OK)
		c->records++;
	return rc;
}

static void on_skip(void *ud, unsigned long index, const char *why)
{
	vdb_skip(ud, index, NULL, "%s", why);
}

static dd_code import(struct vdb_ctx *c, const struct vdb_input *in, struct dd_err *err)
{
	static const char *const single[] = { "" }, *const array[] = { "[]" }, *const vulns[] = { "vulns.[]" };
	struct osv_state st;
	dd_buf_init(&st.ranges, DD_LIMIT_FEED_RECORD_BYTES);
	dd_buf_init(&st.versions, DD_LIMIT_FEED_RECORD_BYTES);
	dd_buf_init(&st.eco, DD_LIMIT_FEED_RECORD_BYTES);
	dd_buf_init(&st.db, DD_LIMIT_FEED_RECORD_BYTES);
	dd_buf_init(&st.fixed, DD_LIMIT_FEED_RECORD_BYTES);
	c->importer_state = &st;
	const unsigned char *p = skip_ws(in->head, in->head + in->nhead);
	struct fj_stream_opts o = { .patterns = single, .npatterns = 1, .on_record = record,
				    .on_skip = on_skip, .ud = c };
	dd_code rc;
	if (p < in->head + in->nhead && (*p == '{' || *p == '[')) {
		if (*p == '[')
			o.patterns = array;
		else if (!vdb_head_has(in->head, in->nhead, "\"id\"") &&
			 vdb_head_has(in->head, in->nhead, "\"vulns\""))
			o.patterns = vulns;
		rc = fj_stream(in->read, in->ud, &o, err);
	} else {
		rc = fj_yaml_stream(in->read, in->ud, &o, err);
	}
	dd_buf_release(&st.ranges);
	dd_buf_release(&st.versions);
	dd_buf_release(&st.eco);
	dd_buf_release(&st.db);
	dd_buf_release(&st.fixed);
	c->importer_state = NULL;
	return rc;
}

const struct vdb_importer vdb_import_osv = { "osv", probe, import };
