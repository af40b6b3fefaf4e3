/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NVD importer. Two formats:
 *  - CVE API 2.0 (https://nvd.nist.gov/developers/vulnerabilities): a paged
 *    response {"resultsPerPage", ..., "vulnerabilities": [{"cve": {...}}]},
 *    a single {"cve": {...}} or bare cve object, or JSON lines of either;
 *  - the retired JSON 1.1 feeds: {"CVE_Items": [...]} or single items
 *    ({"cve": {"CVE_data_meta": {"ID"}}, "impact": {"baseMetricV3"...}}).
 * NVD only enriches (DESIGN.md: never match distro packages by CPE), so
 * what is kept is the description, dates, every CVSS metric (v2, v3.0,
 * v3.1, v4.0; NVD's own as source "nvd", a CNA's (Secondary) as
 * "nvd-cna"), CWEs and references. Configurations (CPEs) are not stored.
 * A "Rejected" CVE is stored as withdrawn at its lastModified time.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/vdb.h"

static int probe(const char *name, const unsigned char *h, size_t n)
{
	(void)name;
	if (vdb_head_has(h, n, "\"CVE_data_meta\"") || vdb_head_has(h, n, "\"CVE_Items\"") ||
	    vdb_head_has(h, n, "\"sourceIdentifier\"") || vdb_head_has(h, n, "\"resultsPerPage\"") ||
	    (vdb_head_has(h, n, "\"format\"") && vdb_head_has(h, n, "\"NVD_CVE\"")))
		return 80;
	return 0;
}

static double num(const struct fj *n)
{
	const char *s = fj_str(n);
	if (!s)
		return -1;
	char *end;
	double d = strtod(s, &end);
	return (end != s && d >= 0 && d <= 10) ? d : -1;
}

static const char *en_text(const struct fj *arr, const char *field)
{
	const char *any = NULL;
	for (const struct fj *d = fj_is(arr, FJ_ARR) ? arr->first : NULL; d; d = d->next) {
		const char *lang = fj_gets(d, "lang"), *v = fj_gets(d, field);
		if (v && lang && strcmp(lang, "en") == 0)
			return v;
		if (v && !any)
			any = v;
	}
	return any;
}

static dd_code put_cwes(struct vdb_ctx *c, int64_t adv, const struct fj *arr, struct dd_err *err)
{
	dd_code rc = DD_OK;
	for (const struct fj *w = fj_is(arr, FJ_ARR) ? arr->first : NULL; w && rc == DD_OK; w = w->next) {
		const struct fj *desc = fj_get(w, "description");
		for (const struct fj *d = fj_is(desc, FJ_ARR) ? desc->first : NULL; d && rc == DD_OK; d = d->next) {
			const char *v = fj_gets(d, "value");
			if (v && strncmp(v, "CWE-", 4) == 0)
				rc = vdb_put_cwe(c->w, adv, "nvd", v, err);
		}
	}
	return rc;
}

static dd_code record_v2(struct vdb_ctx *c, const struct fj *cve, const char *id, struct dd_err *err)
{
	const char *status = fj_gets(cve, "vulnStatus");
	const char *desc = en_text(fj_get(cve, "descriptions"), "value");
	struct vdb_ref refs[1024];
	size_t nref = 0;
	const struct fj *rl = fj_get(cve, "references");
	for (const struct fj *x = fj_is(rl, FJ_ARR) ? rl->first : NULL; x && nref < 1024; x = x->next)
		if (fj_gets(x, "url"))
			refs[nref++] = (struct vdb_ref){ NULL, fj_gets(x, "url") };
	struct vdb_advisory a = {
		.id = id,
		.summary = desc,
		.published = fj_gets(cve, "published"),
		.modified = fj_gets(cve, "lastModified"),
		.withdrawn = status && strcmp(status, "Rejected") == 0 ? fj_gets(cve, "lastModified") : NULL,
		.refs = refs,
		.nrefs = nref,
	};
	int64_t adv;
	dd_code rc = vdb_put_advisory(c->w, "nvd", &a, true, &adv, err);
	if (rc == DD_OK)
		rc = vdb_clear_advisory(c->w, adv, "nvd-cna", err);
	static const char *const keys[][2] = {
		{ "cvssMetricV40", "CVSS_V4" }, { "cvssMetricV31", "CVSS_V3" },
		{ "cvssMetricV30", "CVSS_V3" }, { "cvssMetricV2", "CVSS_V2" },
	};
	const struct fj *metrics = fj_get(cve, "metrics");
	for (size_t k = 0; k < 4 && rc == DD_OK; k++) {
		const struct fj *arr = fj_get(metrics, keys[k][0]);
		for (const struct fj *m = fj_is(arr, FJ_ARR) ? arr->first : NULL; m && rc == DD_OK; m = m->next) {
			const struct fj *d = fj_get(m, "cvssData");
			const char *vec = fj_gets(d, "vectorString");
			if (!vec)
				continue;
			const char *src = fj_gets(m, "source");
			const char *rating = fj_gets(d, "baseSeverity");
			if (!rating)
				rating = fj_gets(m, "baseSeverity"); /* v2 keeps it outside cvssData */
			double score = num(fj_get(d, "baseScore"));
			if (score < 0)
				score = vdb_cvss_score(vec);
			bool nvd = src && strcmp(src, "nvd@nist.gov") == 0;
			rc = vdb_put_severity(c->w, adv, nvd ? "nvd" : "nvd-cna", keys[k][1], fj_gets(d, "version"),
					      vec, score, rating, err);
		}
	}
	if (rc == DD_OK)
		rc = put_cwes(c, adv, fj_get(cve, "weaknesses"), err);
	return rc;
}

static dd_code record_v11(struct vdb_ctx *c, const struct fj *item, const char *id, struct dd_err *err)
{
	const struct fj *cve = fj_get(item, "cve");
	const char *desc = en_text(fj_path(cve, "description", "description_data", NULL), "value");
	struct vdb_ref refs[1024];
	size_t nref = 0;
	const struct fj *rl = fj_path(cve, "references", "reference_data", NULL);
	for (const struct fj *x = fj_is(rl, FJ_ARR) ? rl->first : NULL; x && nref < 1024; x = x->next)
		if (fj_gets(x, "url"))
			refs[nref++] = (struct vdb_ref){ NULL, fj_gets(x, "url") };
	struct vdb_advisory a = {
		.id = id,
		.summary = desc,
		.published = fj_gets(item, "publishedDate"),
		.modified = fj_gets(item, "lastModifiedDate"),
		.refs = refs,
		.nrefs = nref,
	};
	int64_t adv;
	dd_code rc = vdb_put_advisory(c->w, "nvd", &a, true, &adv, err);
	const struct fj *impact = fj_get(item, "impact");
	const struct fj *v3 = fj_path(impact, "baseMetricV3", "cvssV3", NULL);
	const struct fj *v2 = fj_path(impact, "baseMetricV2", "cvssV2", NULL);
	if (rc == DD_OK && fj_gets(v3, "vectorString")) {
		const char *vec = fj_gets(v3, "vectorString");
		double score = num(fj_get(v3, "baseScore"));
		rc = vdb_put_severity(c->w, adv, "nvd", "CVSS_V3", fj_gets(v3, "version"), vec,
				      score >= 0 ? score : vdb_cvss_score(vec), fj_gets(v3, "baseSeverity"), err);
	}
	if (rc == DD_OK && fj_gets(v2, "vectorString")) {
		const char *vec = fj_gets(v2, "vectorString");
		double score = num(fj_get(v2, "baseScore"));
		rc = vdb_put_severity(c->w, adv, "nvd", "CVSS_V2", fj_gets(v2, "version"), vec,
				      score >= 0 ? score : vdb_cvss_score(vec),
				      fj_gets(fj_get(impact, "baseMetricV2"), "severity"), err);
	}
	const struct fj *pt = fj_path(cve, "problemtype", "problemtype_data", NULL);
	if (rc == DD_OK)
		rc = put_cwes(c, adv, pt, err);
	return rc;
}

static bool valid_cve(const char *id)
{
	return id && strncmp(id, "CVE-", 4) == 0 && strlen(id) < 64;
}

static dd_code record(void *ud, const struct fj_record *r, struct dd_err *err)
{
	struct vdb_ctx *c = ud;
	const struct fj *n = r->node;
	if (!fj_is(n, FJ_OBJ)) {
		vdb_skip(c, r->index, NULL, "not a JSON object");
		return DD_OK;
	}
	const struct fj *cve = fj_get(n, "cve");
	dd_code rc;
	const char *id11 = fj_str(fj_path(cve, "CVE_data_meta", "ID", NULL));
	if (id11) {
		if (!valid_cve(id11)) {
			vdb_skip(c, r->index, id11, "not a CVE id");
			return DD_OK;
		}
		rc = record_v11(c, n, id11, err);
	} else {
		if (!fj_is(cve, FJ_OBJ))
			cve = n; /* a bare API 2.0 cve object (one per line) */
		const char *id = fj_gets(cve, "id");
		if (!valid_cve(id)) {
			vdb_skip(c, r->index, id, id ? "not a CVE id" : "no CVE id");
			return DD_OK;
		}
		rc = record_v2(c, cve, id, err);
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
	static const char *const paged[] = { "vulnerabilities.[]", "CVE_Items.[]" }, *const lines[] = { "" };
	bool is_paged = vdb_head_has(in->head, in->nhead, "\"CVE_Items\"") ||
			vdb_head_has(in->head, in->nhead, "\"resultsPerPage\"") ||
			vdb_head_has(in->head, in->nhead, "\"vulnerabilities\"");
	struct fj_stream_opts o = { .patterns = is_paged ? paged : lines, .npatterns = is_paged ? 2 : 1,
				    .on_record = record, .on_skip = on_skip, .ud = c };
	return fj_stream(in->read, in->ud, &o, err);
}

const struct vdb_importer vdb_import_nvd = { "nvd", probe, import };
