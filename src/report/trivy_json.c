/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trivy's JSON report, schema version 2 (aquasecurity/trivy pkg/types
 * report.go: Report, Result, DetectedVulnerability), so that tools which
 * import Trivy reports take ours unchanged. DefectDojo's Trivy parser
 * (dojo/tools/trivy/parser.py) is the strictest reader we know, and shapes
 * these choices:
 *
 * - Severity is one of CRITICAL HIGH MEDIUM LOW UNKNOWN (the parser looks
 *   it up in a table and drops the finding otherwise), so CVSS "None"
 *   becomes UNKNOWN;
 * - CweIDs hold only "CWE-<number>" (it takes int() of what follows the
 *   dash; "NVD-CWE-Other" would raise);
 * - CVSS is keyed by source with V3Vector/V3Score (it reads CVSS.nvd.V3Vector);
 * - VendorSeverity uses Trivy's numbers (0 unknown .. 4 critical).
 *
 * Results are one per target (rep_pkg_target: "<image> (<distro> <ver>)"
 * for OS packages, the lock file or the ecosystem otherwise), ordered by
 * target. Suppressed findings are left out, as Trivy leaves out ignored ones.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "util/alloc.h"

static int trivy_level(enum dd_severity s)
{
	switch (s) {
	case DD_SEV_LOW: return 1;
	case DD_SEV_MEDIUM: return 2;
	case DD_SEV_HIGH: return 3;
	case DD_SEV_CRITICAL: return 4;
	default: return 0;
	}
}

static const char *trivy_severity(enum dd_severity s)
{
	return s == DD_SEV_NONE ? "UNKNOWN" : dd_severity_name(s);
}

static const char *trivy_status(enum dd_fix_state s)
{
	switch (s) {
	case DD_FIX_FIXED: return "fixed";
	case DD_FIX_NOT_FIXED: return "affected";
	case DD_FIX_WONT_FIX: return "will_not_fix";
	case DD_FIX_END_OF_LIFE: return "end_of_life";
	}
	return "unknown";
}

static bool cwe_ok(const char *s)
{
	if (strncmp(s, "CWE-", 4) != 0 || !s[4])
		return false;
	for (s += 4; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int cmpstrp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "nvd 3.1" -> "nvd" */
static void first_word(const char *s, char *out, size_t n)
{
	size_t i = 0;
	for (; s && s[i] && s[i] != ' ' && i + 1 < n; i++)
		out[i] = s[i];
	out[i] = '\0';
}

static void cvss_map(struct jw *w, const struct dd_finding *f)
{
	const char *src[64];
	size_t ns = 0;
	for (size_t i = 0; i < f->ncvss && ns < 64; i++) {
		const char *s = f->cvss[i].source ? f->cvss[i].source : "unknown";
		bool seen = false;
		for (size_t k = 0; k < ns; k++)
			seen |= strcmp(src[k], s) == 0;
		if (!seen)
			src[ns++] = s;
	}
	qsort(src, ns, sizeof *src, cmpstrp);
	jw_key(w, "CVSS");
	jw_obj(w);
	for (size_t k = 0; k < ns; k++) {
		jw_key(w, src[k]);
		jw_obj(w);
		/* One vector per version and source: the first one wins. */
		bool done[3] = { false, false, false };
		for (size_t i = 0; i < f->ncvss; i++) {
			const struct dd_cvss *v = &f->cvss[i];
			if (strcmp(v->source ? v->source : "unknown", src[k]) != 0 || !v->version)
				continue;
			int which = v->version[0] == '2' ? 0 : v->version[0] == '3' ? 1 : v->version[0] == '4' ? 2 : -1;
			if (which < 0 || done[which])
				continue;
			done[which] = true;
			static const char *vec[] = { "V2Vector", "V3Vector", "V40Vector" };
			static const char *sco[] = { "V2Score", "V3Score", "V40Score" };
			jw_kstr_opt(w, vec[which], v->vector);
			if (v->score >= 0)
				jw_knum(w, sco[which], v->score);
		}
		jw_end_obj(w);
	}
	jw_end_obj(w);
}

static void vendor_severity(struct jw *w, const struct dd_finding *f)
{
	const char *key[65];
	int val[65];
	size_t n = 0;
	if (f->vendor_severity && f->data_source) {
		key[n] = f->data_source;
		val[n++] = trivy_level(dd_severity_parse(f->vendor_severity));
	}
	for (size_t i = 0; i < f->ncvss && n < 65; i++) {
		const char *s = f->cvss[i].source ? f->cvss[i].source : "unknown";
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= strcmp(key[k], s) == 0;
		if (!seen && f->cvss[i].score >= 0) {
			key[n] = s;
			val[n++] = trivy_level(dd_severity_from_score(f->cvss[i].score));
		}
	}
	/* Sorted keys, values following (insertion sort: n is tiny). */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(key[j - 1], key[j]) > 0; j--) {
			const char *tk = key[j]; key[j] = key[j - 1]; key[j - 1] = tk;
			int tv = val[j]; val[j] = val[j - 1]; val[j - 1] = tv;
		}
	jw_key(w, "VendorSeverity");
	jw_obj(w);
	for (size_t i = 0; i < n; i++)
		jw_kint(w, key[i], val[i]);
	jw_end_obj(w);
}

static void vulnerability(struct jw *w, const struct dd_sbom *s, const struct dd_finding *f)
{
	const struct dd_package *p = &s->pkgs[f->pkg];
	char buf[600], d1[40], d2[40];
	const char *id = f->id ? f->id : "";
	jw_obj(w);
	jw_kstr(w, "VulnerabilityID", id);
	if (f->naliases) {
		jw_key(w, "VendorIDs");
		jw_arr(w);
		for (size_t i = 0; i < f->naliases; i++)
			jw_str(w, f->aliases[i]);
		jw_end_arr(w);
	}
	snprintf(buf, sizeof buf, "%s@%s", p->name ? p->name : "", p->version ? p->version : "");
	jw_kstr(w, "PkgID", buf);
	jw_kstr(w, "PkgName", p->name ? p->name : "");
	if (p->location && !rep_is_os_pkg(p))
		jw_kstr(w, "PkgPath", p->location[0] == '/' ? p->location + 1 : p->location);
	jw_key(w, "PkgIdentifier");
	jw_obj(w);
	jw_kstr_opt(w, "PURL", p->purl);
	jw_end_obj(w);
	jw_kstr(w, "InstalledVersion", f->installed ? f->installed : p->version ? p->version : "");
	jw_kstr_opt(w, "FixedVersion", f->fixed);
	jw_kstr(w, "Status", trivy_status(f->state));
	const struct dd_layer_info *l = rep_pkg_layer(s, p);
	jw_key(w, "Layer");
	jw_obj(w);
	if (l) {
		jw_kstr_opt(w, "Digest", l->digest);
		jw_kstr_opt(w, "DiffID", l->diff_id);
	}
	jw_end_obj(w);
	first_word(f->score_source ? f->score_source : f->data_source, buf, sizeof buf);
	jw_kstr_opt(w, "SeveritySource", buf);
	if (strncmp(id, "CVE-", 4) == 0)
		snprintf(buf, sizeof buf, "https://nvd.nist.gov/vuln/detail/%s", id);
	else if (strncmp(id, "GHSA-", 5) == 0)
		snprintf(buf, sizeof buf, "https://github.com/advisories/%s", id);
	else
		snprintf(buf, sizeof buf, "%s", f->nreferences ? f->references[0] : "");
	jw_kstr_opt(w, "PrimaryURL", buf);
	if (f->data_source) {
		jw_key(w, "DataSource");
		jw_obj(w);
		jw_kstr(w, "ID", f->data_source);
		jw_kstr(w, "Name", f->namespace_ ? f->namespace_ : f->data_source);
		jw_end_obj(w);
	}
	/* Trivy's Title is one line; the summary's first line serves. */
	size_t tl = f->summary ? strcspn(f->summary, "\n") : 0;
	snprintf(buf, sizeof buf, "%.*s", (int)(tl < 300 ? tl : 300), f->summary ? f->summary : "");
	jw_kstr_opt(w, "Title", buf);
	jw_kstr_opt(w, "Description", f->summary);
	jw_kstr(w, "Severity", trivy_severity(f->severity));
	size_t ncwe = 0;
	for (size_t i = 0; i < f->ncwes; i++)
		ncwe += cwe_ok(f->cwes[i]);
	if (ncwe) {
		jw_key(w, "CweIDs");
		jw_arr(w);
		for (size_t i = 0; i < f->ncwes; i++)
			if (cwe_ok(f->cwes[i]))
				jw_str(w, f->cwes[i]);
		jw_end_arr(w);
	}
	vendor_severity(w, f);
	cvss_map(w, f);
	if (f->nreferences) {
		jw_key(w, "References");
		jw_arr(w);
		for (size_t i = 0; i < f->nreferences; i++)
			jw_str(w, f->references[i]);
		jw_end_arr(w);
	}
	jw_kstr_opt(w, "PublishedDate", rep_datetime(f->published, d1));
	jw_kstr_opt(w, "LastModifiedDate", rep_datetime(f->modified, d2));
	jw_end_obj(w);
}

struct tctx {
	struct rep_target *tgt;
	size_t *rank;
};

static _Thread_local const struct tctx *sort_t;

static int cmp_pkg_target(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = rep_target_cmp(&sort_t->tgt[i], &sort_t->tgt[j]);
	if (c)
		return c;
	return (sort_t->rank[i] > sort_t->rank[j]) - (sort_t->rank[i] < sort_t->rank[j]);
}

dd_code rep_scan_trivy(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o,
		       struct dd_err *err)
{
	const struct dd_sbom *s = r->sbom;
	dd_code rc = DD_OK;
	struct tctx c = { 0 };
	size_t np = s->npkgs;
	size_t *pk = rep_pkg_order(s), *fo = rep_finding_order(r), *byt = NULL;
	c.tgt = dd_calloc(np ? np : 1, sizeof *c.tgt);
	c.rank = dd_calloc(np ? np : 1, sizeof *c.rank);
	byt = dd_malloc((np ? np : 1) * sizeof *byt);
	if (!pk || !fo || !c.tgt || !c.rank || !byt) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory preparing the Trivy report");
		goto out;
	}
	for (size_t k = 0; k < np; k++) {
		c.rank[pk[k]] = k;
		byt[k] = pk[k];
		rep_pkg_target(s, &s->pkgs[pk[k]], &c.tgt[pk[k]]);
	}
	sort_t = &c;
	if (np > 1)
		qsort(byt, np, sizeof *byt, cmp_pkg_target);
	sort_t = NULL;
	char created[32];
	if (r->scanned_at)
		snprintf(created, sizeof created, "%s", r->scanned_at);
	else
		rep_created(o, created);

	struct jw jw, *w = &jw;
	if ((rc = jw_init(w, out, err)))
		goto out;
	jw_obj(w);
	jw_kint(w, "SchemaVersion", 2);
	jw_kstr(w, "CreatedAt", created);
	jw_kstr(w, "ArtifactName", s->image.reference ? s->image.reference : rep_image_name(s));
	jw_kstr(w, "ArtifactType", "container_image");
	jw_key(w, "Metadata");
	jw_obj(w);
	if (s->distro.id) {
		jw_key(w, "OS");
		jw_obj(w);
		jw_kstr(w, "Family", s->distro.id);
		jw_kstr_opt(w, "Name", s->distro.version_id);
		jw_end_obj(w);
	}
	jw_kstr_opt(w, "ImageID", s->image.config_digest);
	jw_key(w, "DiffIDs");
	jw_arr(w);
	for (size_t i = 0; i < s->image.nlayers; i++)
		jw_str(w, s->image.layers[i].diff_id);
	jw_end_arr(w);
	jw_key(w, "RepoTags");
	jw_arr(w);
	for (size_t i = 0; i < s->image.nrepo_tags; i++)
		jw_str(w, s->image.repo_tags[i]);
	jw_end_arr(w);
	jw_key(w, "RepoDigests");
	jw_arr(w);
	jw_end_arr(w);
	jw_end_obj(w);

	jw_key(w, "Results");
	jw_arr(w);
	/* Walk packages grouped by target; each group's findings come from
	 * the finding order restricted to its packages. */
	for (size_t a = 0; a < np;) {
		const struct rep_target *t = &c.tgt[byt[a]];
		size_t b = a;
		while (b < np && rep_target_cmp(&c.tgt[byt[b]], t) == 0)
			b++;
		jw_obj(w);
		jw_kstr(w, "Target", t->target);
		jw_kstr(w, "Class", t->class_);
		jw_kstr(w, "Type", t->type);
		/* Trivy leaves the key out (omitempty) when nothing was found. */
		bool any = false;
		for (size_t k = 0; k < r->nfindings; k++) {
			const struct dd_finding *f = &r->findings[fo[k]];
			if (f->suppressed || rep_target_cmp(&c.tgt[f->pkg], t) != 0)
				continue;
			if (!any) {
				jw_key(w, "Vulnerabilities");
				jw_arr(w);
				any = true;
			}
			vulnerability(w, s, f);
		}
		if (any)
			jw_end_arr(w);
		jw_end_obj(w);
		a = b;
	}
	jw_end_arr(w);
	jw_end_obj(w);
	rc = jw_finish(w, err);
out:
	free(pk);
	free(fo);
	free(byt);
	free(c.tgt);
	free(c.rank);
	return rc;
}
