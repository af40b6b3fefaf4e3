/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CISA Known Exploited Vulnerabilities catalog
 * (https://www.cisa.gov/known-exploited-vulnerabilities-catalog; schema:
 * cisagov/kev-data known_exploited_vulnerabilities_schema.json):
 *   {"catalogVersion": "...", "vulnerabilities": [{"cveID", "dateAdded",
 *    "dueDate", "knownRansomwareCampaignUse": "Known"|"Unknown", ...}]}
 * The catalog is a snapshot: the kev table is emptied when the first entry
 * of a new file arrives, so a CVE removed from the catalog leaves the DB.
 */
#include <string.h>

#include "vulndb/vdb.h"

static int probe(const char *name, const unsigned char *h, size_t n)
{
	(void)name;
	/* The catalog's catalogVersion is a string; the schema file's is an
	 * object describing it, and is not a catalog. */
	if (vdb_head_has(h, n, "\"catalogVersion\": \"") || vdb_head_has(h, n, "\"catalogVersion\":\""))
		return 100;
	return 0;
}

struct kev_state {
	bool cleared;
};

static bool is_date(const char *s)
{
	return s && strlen(s) >= 10 && s[4] == '-' && s[7] == '-';
}

static dd_code record(void *ud, const struct fj_record *r, struct dd_err *err)
{
	struct vdb_ctx *c = ud;
	struct kev_state *st = c->importer_state;
	const struct fj *n = r->node;
	const char *cve = fj_gets(n, "cveID");
	if (!fj_is(n, FJ_OBJ) || !cve || strncmp(cve, "CVE-", 4) != 0 || strlen(cve) > 64) {
		vdb_skip(c, r->index, cve, "no valid \"cveID\"");
		return DD_OK;
	}
	const char *added = fj_gets(n, "dateAdded"), *due = fj_gets(n, "dueDate");
	if (!is_date(added)) {
		vdb_skip(c, r->index, cve, "\"dateAdded\" is not a date");
		return DD_OK;
	}
	dd_code rc = DD_OK;
	if (!st->cleared) {
		rc = vdb_exec(c->w, "DELETE FROM kev", err);
		st->cleared = true;
	}
	const char *rw = fj_gets(n, "knownRansomwareCampaignUse");
	struct vdb_kev k = {
		.cve = cve,
		.added = added,
		.due = is_date(due) ? due : NULL,
		.ransomware = rw && strcmp(rw, "Known") == 0,
		.vendor = fj_gets(n, "vendorProject"),
		.product = fj_gets(n, "product"),
		.name = fj_gets(n, "vulnerabilityName"),
		.action = fj_gets(n, "requiredAction"),
		.notes = fj_gets(n, "notes"),
	};
	if (rc == DD_OK)
		rc = vdb_put_kev(c->w, &k, err);
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
	static const char *const pats[] = { "vulnerabilities.[]" };
	struct kev_state st = { false };
	c->importer_state = &st;
	struct fj_stream_opts o = { .patterns = pats, .npatterns = 1, .on_record = record, .on_skip = on_skip,
				    .ud = c };
	dd_code rc = fj_stream(in->read, in->ud, &o, err);
	c->importer_state = NULL;
	return rc;
}

const struct vdb_importer vdb_import_kev = { "kev", probe, import };
