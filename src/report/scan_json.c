/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock's own scan JSON, described by docs/schema/scan.schema.json (the
 * tests validate every golden against it). Every finding carries all we
 * know: every CVSS vector and score with its source, which one set the
 * severity, the vendor's own word, fix state and version, the package with
 * its layer, KEV and EPSS, and why it is suppressed. Suppressed findings
 * stay in the list (with "suppressed" set) so the report says what was
 * hidden; "summary" counts only the ones that are not.
 */
#include <stdlib.h>

#include "report/report_int.h"

#define SCAN_SCHEMA_VERSION 1

static void strings(struct jw *w, const char *key, const char *const *v, size_t n)
{
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_end_arr(w);
}

static void finding(struct jw *w, const struct dd_scan_result *r, const struct dd_finding *f)
{
	const struct dd_sbom *s = r->sbom;
	const struct dd_package *p = &s->pkgs[f->pkg];
	char buf[40];
	jw_obj(w);
	jw_kstr(w, "id", f->id ? f->id : "");
	strings(w, "aliases", f->aliases, f->naliases);
	jw_kstr(w, "summary", f->summary);
	jw_key(w, "package");
	jw_obj(w);
	jw_kstr(w, "name", p->name ? p->name : "");
	jw_kstr(w, "version", p->version);
	jw_kstr(w, "type", p->type ? p->type : "");
	jw_kstr(w, "purl", p->purl);
	jw_kstr(w, "sourceName", p->source_name);
	jw_kstr(w, "location", p->location);
	rep_json_layer_ref(w, s, p);
	jw_kbool(w, "dev", (p->flags & DD_PKG_DEV) != 0);
	jw_end_obj(w);
	jw_kstr(w, "installed", f->installed ? f->installed : p->version ? p->version : "");
	jw_kstr(w, "fixed", f->fixed);
	jw_kstr(w, "status", rep_fix_state_name(f->state));
	jw_kstr(w, "namespace", f->namespace_);
	jw_kstr(w, "dataSource", f->data_source);
	jw_kstr(w, "severity", dd_severity_name(f->severity));
	jw_key(w, "score");
	if (f->score >= 0)
		jw_num(w, f->score);
	else
		jw_null(w);
	jw_kstr(w, "scoreSource", f->score_source);
	jw_kstr(w, "vendorSeverity", f->vendor_severity);
	jw_key(w, "cvss");
	jw_arr(w);
	for (size_t i = 0; i < f->ncvss; i++) {
		jw_obj(w);
		jw_kstr(w, "source", f->cvss[i].source);
		jw_kstr(w, "version", f->cvss[i].version);
		jw_kstr(w, "vector", f->cvss[i].vector);
		jw_key(w, "score");
		if (f->cvss[i].score >= 0)
			jw_num(w, f->cvss[i].score);
		else
			jw_null(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	strings(w, "cwes", f->cwes, f->ncwes);
	jw_key(w, "kev");
	if (f->kev) {
		jw_obj(w);
		jw_kstr(w, "dateAdded", f->kev_added);
		jw_kstr(w, "dueDate", f->kev_due);
		jw_kbool(w, "knownRansomware", f->kev_ransomware);
		jw_end_obj(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "epss");
	if (f->epss >= 0) {
		jw_obj(w);
		jw_knum(w, "score", f->epss);
		jw_key(w, "percentile");
		if (f->epss_percentile >= 0)
			jw_num(w, f->epss_percentile);
		else
			jw_null(w);
		jw_end_obj(w);
	} else {
		jw_null(w);
	}
	jw_kstr(w, "published", rep_datetime(f->published, buf));
	char buf2[40];
	jw_kstr(w, "modified", rep_datetime(f->modified, buf2));
	strings(w, "references", f->references, f->nreferences);
	jw_kstr(w, "suppressed", f->suppressed);
	jw_end_obj(w);
}

dd_code rep_scan_json(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o,
		      struct dd_err *err)
{
	size_t *fo = rep_finding_order(r);
	if (!fo)
		return dd_err_set(err, DD_ENOMEM, "out of memory sorting findings");
	char created[32];
	if (r->scanned_at)
		snprintf(created, sizeof created, "%s", r->scanned_at);
	else
		rep_created(o, created);
	size_t count[DD_SEV_CRITICAL + 1] = { 0 }, suppressed = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dd_finding *f = &r->findings[i];
		if (f->suppressed)
			suppressed++;
		else if ((unsigned)f->severity <= DD_SEV_CRITICAL)
			count[f->severity]++;
	}
	struct jw w;
	dd_code rc = jw_init(&w, out, err);
	if (rc) {
		free(fo);
		return rc;
	}
	jw_obj(&w);
	jw_kint(&w, "schemaVersion", SCAN_SCHEMA_VERSION);
	jw_kstr(&w, "kind", "scan");
	rep_json_tool(&w);
	jw_kstr(&w, "scannedAt", created);
	jw_kstr(&w, "dbBuilt", r->db_built);
	rep_json_image(&w, r->sbom);
	jw_kint(&w, "packageCount", (long long)r->sbom->npkgs);
	jw_key(&w, "summary");
	jw_obj(&w);
	for (int sev = DD_SEV_CRITICAL; sev >= DD_SEV_UNKNOWN; sev--)
		jw_kint(&w, dd_severity_name((enum dd_severity)sev), (long long)count[sev]);
	jw_kint(&w, "suppressed", (long long)suppressed);
	jw_end_obj(&w);
	jw_key(&w, "findings");
	jw_arr(&w);
	for (size_t k = 0; k < r->nfindings; k++)
		finding(&w, r, &r->findings[fo[k]]);
	jw_end_arr(&w);
	/* Warnings of the scan and of the SBOM it was matched against. */
	jw_key(&w, "warnings");
	jw_arr(&w);
	for (size_t i = 0; i < r->sbom->nwarnings; i++)
		jw_str(&w, r->sbom->warnings[i]);
	for (size_t i = 0; i < r->nwarnings; i++)
		jw_str(&w, r->warnings[i]);
	jw_end_arr(&w);
	jw_end_obj(&w);
	free(fo);
	return jw_finish(&w, err);
}
