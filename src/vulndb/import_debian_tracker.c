/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debian security tracker JSON export
 * (https://security-tracker.debian.org/tracker/data/json, described at
 * https://security-team.debian.org/security_tracker.html#json):
 *   { "<source package>": { "<CVE or TEMP id>": {
 *       "description": "...", "scope": "local|remote", "debianbug": 123,
 *       "releases": { "<codename>": {
 *           "status": "open|resolved|undetermined",
 *           "repositories": {"<codename>": "<version>", ...},
 *           "fixed_version": "<version>",            (resolved only)
 *           "urgency": "low|medium|high|unimportant|end-of-life|not yet assigned",
 *           "nodsa": "...", "nodsa_reason": "ignored|postponed" } } } } }
 * A record is one source package (tens of MB for `linux` at most, under
 * the record limit). Status mapping (the tracker's own definitions):
 *   resolved + fixed_version "0"      → not-affected
 *   resolved + fixed_version V        → fixed in V
 *   open + nodsa_reason "ignored"     → will-not-fix (minor issue, no DSA ever)
 *   open + urgency "end-of-life"      → end-of-life
 *   open (also "postponed")           → affected, no fix yet
 *   undetermined                      → undetermined
 * Releases are stored as "debian:<number>"; unknown codenames keep their
 * name ("debian:sid" → "debian:unstable").
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "vulndb/vdb.h"

#define SOURCE "debian-tracker"

static int probe(const char *name, const unsigned char *h, size_t n)
{
	(void)name;
	/* {"pkg": {"CVE-…": {… "releases" … */
	size_t i = 0;
	while (i < n && isspace(h[i]))
		i++;
	if (i >= n || h[i] != '{')
		return 0;
	if ((vdb_head_has(h, n, "\"CVE-") || vdb_head_has(h, n, "\"TEMP-")) &&
	    vdb_head_has(h, n, "\"releases\"") && vdb_head_has(h, n, "\"status\""))
		return 90;
	return 0;
}

static dd_code release(struct vdb_ctx *c, struct dd_buf *range, int64_t adv, const char *pkg,
		       const struct fj *rel, struct dd_err *err)
{
	const char *codename = rel->key;
	const char *status = fj_gets(rel, "status"), *fixed = fj_gets(rel, "fixed_version");
	const char *urgency = fj_gets(rel, "urgency"), *reason = fj_gets(rel, "nodsa_reason");
	if (!codename || !*codename || !status)
		return DD_OK;
	const char *num = vdb_debian_release(codename);
	char ns[96];
	snprintf(ns, sizeof ns, "debian:%.80s", num ? num : codename);
	struct vdb_affected a = { .namespace_ = ns, .package = pkg };
	if (urgency && strcmp(urgency, "not yet assigned") != 0)
		a.severity = urgency;
	dd_buf_reset(range);
	if (strcmp(status, "resolved") == 0) {
		if (!fixed || strcmp(fixed, "0") == 0) {
			a.status = DD_VULNDB_NOT_AFFECTED;
		} else {
			a.status = DD_VULNDB_FIXED;
			a.fixed = fixed;
		}
	} else if (strcmp(status, "open") == 0) {
		a.status = (reason && strcmp(reason, "ignored") == 0) ? DD_VULNDB_WONT_FIX
			   : (urgency && strcmp(urgency, "end-of-life") == 0) ? DD_VULNDB_END_OF_LIFE
			   : DD_VULNDB_AFFECTED;
	} else {
		a.status = DD_VULNDB_UNDETERMINED;
	}
	dd_code rc = DD_OK;
	if (a.status == DD_VULNDB_FIXED || a.status == DD_VULNDB_AFFECTED || a.status == DD_VULNDB_WONT_FIX ||
	    a.status == DD_VULNDB_END_OF_LIFE) {
		rc = vdb_range_fixed(range, a.fixed, err);
		a.ranges = range->data;
	}
	if (rc == DD_OK)
		rc = vdb_put_affected(c->w, adv, SOURCE, &a, err);
	return rc;
}

static dd_code record(void *ud, const struct fj_record *r, struct dd_err *err)
{
	struct vdb_ctx *c = ud;
	struct dd_buf *range = c->importer_state;
	const char *pkg = r->key;
	if (!pkg || !*pkg || !fj_is(r->node, FJ_OBJ)) {
		vdb_skip(c, r->index, pkg, "a package entry must be an object");
		return DD_OK;
	}
	dd_code rc = vdb_clear_package(c->w, SOURCE, NULL, "debian:", pkg, err);
	for (const struct fj *cve = r->node->first; cve && rc == DD_OK; cve = cve->next) {
		const struct fj *rels = fj_get(cve, "releases");
		if (!cve->key || !*cve->key || !fj_is(cve, FJ_OBJ) || !fj_is(rels, FJ_OBJ)) {
			vdb_skip(c, r->index, cve->key, "package %s: issue without \"releases\"", pkg);
			continue;
		}
		struct vdb_advisory adv = { .id = cve->key, .details = fj_gets(cve, "description") };
		/* The tracker's description is a one-line summary. */
		adv.summary = adv.details;
		adv.details = NULL;
		int64_t row;
		rc = vdb_put_advisory(c->w, SOURCE, &adv, false, &row, err);
		for (const struct fj *rel = rels->first; rel && rc == DD_OK; rel = rel->next)
			rc = release(c, range, row, pkg, rel, err);
	}
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
	static const char *const pats[] = { "*" };
	struct dd_buf range;
	dd_buf_init(&range, 4096);
	c->importer_state = &range;
	struct fj_stream_opts o = { .patterns = pats, .npatterns = 1, .on_record = record, .on_skip = on_skip,
				    .ud = c };
	dd_code rc = fj_stream(in->read, in->ud, &o, err);
	dd_buf_release(&range);
	c->importer_state = NULL;
	return rc;
}

const struct vdb_importer vdb_import_debian_tracker = { SOURCE, probe, import };
