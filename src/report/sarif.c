/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SARIF 2.1.0 (OASIS, sarif-v2.1.0-os) as GitHub code scanning accepts it
 * (docs.github.com, "SARIF support for code scanning"):
 *
 * - one rule per vulnerability id, with help text and markdown, and the
 *   "security-severity" property GitHub ranks alerts by: the highest score
 *   of the findings with that id, or for findings without a score the
 *   midpoint GitHub documents for the severity band;
 * - one result per finding; its location is the file that recorded the
 *   package (lib/apk/db/installed, app/package-lock.json), relative to the
 *   image root, with a line-1 region since GitHub wants a region; the
 *   message names the package, its purl and the fix;
 * - suppressed findings carry suppressions[] (kind "external") so they show
 *   as dismissed instead of disappearing.
 * Validated against the SARIF 2.1.0 schema in tests/unit/report/test_schema.c.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/dd.h"
#include "report/report_int.h"
#include "util/alloc.h"

static const char *level_of(enum dd_severity s)
{
	switch (s) {
	case DD_SEV_CRITICAL:
	case DD_SEV_HIGH: return "error";
	case DD_SEV_MEDIUM: return "warning";
	default: return "note";
	}
}

/* GitHub: critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. */
static double band_score(enum dd_severity s)
{
	switch (s) {
	case DD_SEV_CRITICAL: return 9.5;
	case DD_SEV_HIGH: return 8.0;
	case DD_SEV_MEDIUM: return 5.5;
	case DD_SEV_LOW: return 2.0;
	default: return 0.0;
	}
}

/* RFC 3986 path: keep unreserved characters, '/', and sub-delims that are
 * harmless in a path; percent-encode the rest (spaces, '#', '?', '%'). */
static void uri_path(const char *in, char *out, size_t n)
{
	static const char keep[] = "-._~/!$&'()*+,;=:@";
	size_t o = 0;
	while (*in == '/')
		in++;
	for (; *in && o + 4 < n; in++) {
		unsigned char c = (unsigned char)*in;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c && strchr(keep, c)))
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, n - o, "%%%02X", c);
	}
	out[o] = '\0';
}

static _Thread_local const struct dd_finding *sort_f;

static int cmp_id(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcmp(sort_f[i].id ? sort_f[i].id : "", sort_f[j].id ? sort_f[j].id : "");
	return c ? c : (i > j) - (i < j);
}

struct rule {
	size_t first;            /* a finding with this id (lowest index in output order) */
	enum dd_severity sev;    /* highest */
	double score;            /* highest, -1 none */
};

static void text(struct jw *w, const char *key, const char *t)
{
	jw_key(w, key);
	jw_obj(w);
	jw_kstr(w, "text", t);
	jw_end_obj(w);
}

static void write_rule(struct jw *w, const struct dd_scan_result *r, const struct rule *ru)
{
	const struct dd_finding *f = &r->findings[ru->first];
	const struct dd_package *p = &r->sbom->pkgs[f->pkg];
	const char *id = f->id ? f->id : "unknown";
	const char *link = f->nreferences ? f->references[0] : NULL;
	char sev[16], buf[4096];
	snprintf(sev, sizeof sev, "%.1f", ru->score >= 0 ? ru->score : band_score(ru->sev));
	jw_obj(w);
	jw_kstr(w, "id", id);
	jw_kstr(w, "name", rep_is_os_pkg(p) ? "OsPackageVulnerability" : "LanguageSpecificPackageVulnerability");
	text(w, "shortDescription", f->summary && *f->summary ? f->summary : id);
	text(w, "fullDescription", f->summary && *f->summary ? f->summary : id);
	jw_key(w, "defaultConfiguration");
	jw_obj(w);
	jw_kstr(w, "level", level_of(ru->sev));
	jw_end_obj(w);
	jw_kstr_opt(w, "helpUri", link);
	jw_key(w, "help");
	jw_obj(w);
	snprintf(buf, sizeof buf, "Vulnerability %s\nSeverity: %s\nPackage: %s\nFixed Version: %s\nLink: %s\n%s",
		 id, dd_severity_name(ru->sev), p->name ? p->name : "", f->fixed ? f->fixed : "none",
		 link ? link : "none", f->summary ? f->summary : "");
	jw_kstr(w, "text", buf);
	int k = snprintf(buf, sizeof buf,
			 "**Vulnerability %s**\n\n| Severity | Package | Fixed Version | Link |\n"
			 "| --- | --- | --- | --- |\n| %s | %s | %s | ",
			 id, dd_severity_name(ru->sev), p->name ? p->name : "", f->fixed ? f->fixed : "none");
	if (k > 0 && (size_t)k < sizeof buf) {
		if (link)
			snprintf(buf + k, sizeof buf - (size_t)k, "[%s](%s) |\n\n%s", id, link,
				 f->summary ? f->summary : "");
		else
			snprintf(buf + k, sizeof buf - (size_t)k, "none |\n\n%s", f->summary ? f->summary : "");
	}
	jw_kstr(w, "markdown", buf);
	jw_end_obj(w);
	jw_key(w, "properties");
	jw_obj(w);
	jw_kstr(w, "precision", "very-high");
	jw_kstr(w, "security-severity", sev);
	jw_key(w, "tags");
	jw_arr(w);
	jw_str(w, "vulnerability");
	jw_str(w, "security");
	jw_str(w, dd_severity_name(ru->sev));
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_obj(w);
}

static void write_result(struct jw *w, const struct dd_scan_result *r, const struct dd_finding *f,
			 size_t rule_index)
{
	const struct dd_sbom *s = r->sbom;
	const struct dd_package *p = &s->pkgs[f->pkg];
	struct rep_target t;
	rep_pkg_target(s, p, &t);
	char msg[2048], uri[1024];
	const char *installed = f->installed ? f->installed : p->version ? p->version : "";
	snprintf(msg, sizeof msg,
		 "Package: %s\nInstalled Version: %s\nVulnerability %s\nSeverity: %s\nFixed Version: %s\nLink: %s",
		 p->name ? p->name : "", installed, f->id ? f->id : "", dd_severity_name(f->severity),
		 f->fixed ? f->fixed : "none", f->nreferences ? f->references[0] : "none");
	uri_path(p->location && *p->location ? p->location : t.target, uri, sizeof uri);
	jw_obj(w);
	jw_kstr(w, "ruleId", f->id ? f->id : "unknown");
	jw_kint(w, "ruleIndex", (long long)rule_index);
	jw_kstr(w, "level", level_of(f->severity));
	text(w, "message", msg);
	jw_key(w, "locations");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "physicalLocation");
	jw_obj(w);
	jw_key(w, "artifactLocation");
	jw_obj(w);
	jw_kstr(w, "uri", uri);
	jw_kstr(w, "uriBaseId", "ROOTPATH");
	jw_end_obj(w);
	jw_key(w, "region");
	jw_obj(w);
	jw_kint(w, "startLine", 1);
	jw_kint(w, "startColumn", 1);
	jw_kint(w, "endLine", 1);
	jw_kint(w, "endColumn", 1);
	jw_end_obj(w);
	jw_end_obj(w);
	snprintf(msg, sizeof msg, "%s: %s", t.target,
		 p->purl ? p->purl : p->name ? p->name : "");
	text(w, "message", msg);
	if (p->purl) {
		jw_key(w, "logicalLocations");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "fullyQualifiedName", p->purl);
		jw_kstr(w, "kind", "package");
		jw_end_obj(w);
		jw_end_arr(w);
	}
	jw_end_obj(w);
	jw_end_arr(w);
	if (f->suppressed) {
		jw_key(w, "suppressions");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "kind", "external");
		jw_kstr(w, "justification", f->suppressed);
		jw_end_obj(w);
		jw_end_arr(w);
	}
	jw_key(w, "properties");
	jw_obj(w);
	jw_kstr(w, "purl", p->purl);
	jw_kstr(w, "installedVersion", installed);
	jw_kstr(w, "fixedVersion", f->fixed);
	jw_kstr(w, "target", t.target);
	const struct dd_layer_info *l = rep_pkg_layer(s, p);
	jw_kstr(w, "layerDiffId", l ? l->diff_id : NULL);
	jw_end_obj(w);
	jw_end_obj(w);
}

dd_code rep_scan_sarif(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o,
		       struct dd_err *err)
{
	(void)o;
	dd_code rc = DD_OK;
	size_t n = r->nfindings, nrules = 0;
	size_t *fo = rep_finding_order(r);
	size_t *byid = dd_malloc((n ? n : 1) * sizeof *byid);
	size_t *rule_of = dd_malloc((n ? n : 1) * sizeof *rule_of);
	size_t *rank = dd_malloc((n ? n : 1) * sizeof *rank);
	struct rule *rules = dd_calloc(n ? n : 1, sizeof *rules);
	if (!fo || !byid || !rule_of || !rank || !rules) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory preparing the SARIF log");
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		rank[fo[k]] = k;
		byid[k] = k;
	}
	sort_f = r->findings;
	if (n > 1)
		qsort(byid, n, sizeof *byid, cmp_id);
	sort_f = NULL;
	for (size_t k = 0; k < n; k++) {
		const struct dd_finding *f = &r->findings[byid[k]];
		if (k == 0 || strcmp(f->id ? f->id : "", r->findings[byid[k - 1]].id ? r->findings[byid[k - 1]].id : "") != 0) {
			rules[nrules++] = (struct rule){ .first = byid[k], .sev = f->severity, .score = f->score };
		} else {
			struct rule *ru = &rules[nrules - 1];
			if (f->severity > ru->sev)
				ru->sev = f->severity;
			if (f->score > ru->score)
				ru->score = f->score;
			if (rank[byid[k]] < rank[ru->first])
				ru->first = byid[k];
		}
		rule_of[byid[k]] = nrules - 1;
	}

	const struct dd_sbom *s = r->sbom;
	struct jw jw;
	struct jw *w = &jw;
	if ((rc = jw_init(w, out, err)))
		goto out;
	jw_obj(w);
	jw_kstr(w, "$schema", "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json");
	jw_kstr(w, "version", "2.1.0");
	jw_key(w, "runs");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "tool");
	jw_obj(w);
	jw_key(w, "driver");
	jw_obj(w);
	jw_kstr(w, "name", "drydock");
	jw_kstr(w, "fullName", "drydock container vulnerability scanner");
	jw_kstr(w, "version", dd_version_string());
	jw_kstr(w, "informationUri", "https://drydock.invalid/");
	jw_key(w, "rules");
	jw_arr(w);
	for (size_t i = 0; i < nrules; i++)
		write_rule(w, r, &rules[i]);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_obj(w);
	jw_key(w, "results");
	jw_arr(w);
	for (size_t k = 0; k < n; k++)
		write_result(w, r, &r->findings[fo[k]], rule_of[fo[k]]);
	jw_end_arr(w);
	jw_kstr(w, "columnKind", "utf16CodeUnits");
	jw_key(w, "originalUriBaseIds");
	jw_obj(w);
	jw_key(w, "ROOTPATH");
	jw_obj(w);
	jw_kstr(w, "uri", "file:///");
	jw_end_obj(w);
	jw_end_obj(w);
	jw_key(w, "properties");
	jw_obj(w);
	jw_kstr(w, "imageName", rep_image_name(s));
	jw_kstr(w, "imageID", s->image.config_digest);
	jw_key(w, "diffIDs");
	jw_arr(w);
	for (size_t i = 0; i < s->image.nlayers; i++)
		jw_str(w, s->image.layers[i].diff_id);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
	rc = jw_finish(w, err);
out:
	free(fo);
	free(byid);
	free(rule_of);
	free(rank);
	free(rules);
	return rc;
}
