/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/): the SBOM, and
 * for scans the same BOM plus vulnerabilities[] with affects[].
 *
 * - metadata.component is the image (type "container"); the distribution is
 *   a component of type "operating-system"; packages are "library"
 *   components whose bom-ref is their purl (made unique, see rep_pkg_refs).
 * - What CycloneDX has no field for (layer index and diff_id, source
 *   package, cataloger, recording file) goes in properties named
 *   "drydock:..." (a namespace of our own, as the CycloneDX property
 *   taxonomy asks).
 * - Licenses are written as {"license": {"name": ...}}: "id" must be on the
 *   SPDX list and we do not check the list here, so name is always valid.
 * - dependencies: image -> distro -> OS packages, image -> other packages.
 *   Package-to-package edges are not known yet (struct dd_package has none).
 * - serialNumber is a UUID derived from the content, so the same image gives
 *   the same document (timestamp aside, which SOURCE_DATE_EPOCH fixes).
 * Validated against the official schema in tests/unit/report/test_schema.c.
 */
#include <stdlib.h>
#include <string.h>

#include "dd/dd.h"
#include "report/report_int.h"

struct cdx {
	struct jw w;
	const struct dd_sbom *s;
	size_t *ord;
	char **refs;
	char os_ref[256];
};

static void prop(struct jw *w, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	jw_obj(w);
	jw_kstr(w, "name", name);
	jw_kstr(w, "value", value);
	jw_end_obj(w);
}

static void prop_int(struct jw *w, const char *name, long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	prop(w, name, buf);
}

static void metadata(struct cdx *c, const char *created)
{
	struct jw *w = &c->w;
	const struct dd_image_info *im = &c->s->image;
	jw_key(w, "metadata");
	jw_obj(w);
	jw_kstr(w, "timestamp", created);
	jw_key(w, "tools");
	jw_obj(w);
	jw_key(w, "components");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "type", "application");
	jw_kstr(w, "name", "drydock");
	jw_kstr(w, "version", dd_version_string());
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);

	jw_key(w, "component");
	jw_obj(w);
	jw_kstr(w, "bom-ref", "image");
	jw_kstr(w, "type", "container");
	jw_kstr(w, "name", rep_image_name(c->s));
	jw_kstr_opt(w, "version", im->config_digest);
	if (im->config_digest && strncmp(im->config_digest, "sha256:", 7) == 0 &&
	    strlen(im->config_digest) == 71) {
		jw_key(w, "hashes");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "alg", "SHA-256");
		jw_kstr(w, "content", im->config_digest + 7);
		jw_end_obj(w);
		jw_end_arr(w);
	}
	jw_key(w, "properties");
	jw_arr(w);
	prop(w, "drydock:image:reference", im->reference);
	prop(w, "drydock:image:transport", im->transport);
	prop(w, "drydock:image:manifest_digest", im->manifest_digest);
	prop(w, "drydock:image:os", im->os);
	prop(w, "drydock:image:architecture", im->arch);
	prop(w, "drydock:image:variant", im->variant);
	prop(w, "drydock:image:created", im->created);
	for (size_t i = 0; i < im->nrepo_tags; i++)
		prop(w, "drydock:image:repo_tag", im->repo_tags[i]);
	for (size_t i = 0; i < im->nlayers; i++) {
		char v[160];
		snprintf(v, sizeof v, "%u %s", im->layers[i].index,
			 im->layers[i].diff_id ? im->layers[i].diff_id : "-");
		prop(w, "drydock:image:layer", v);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_obj(w);
}

static void component(struct cdx *c, size_t i)
{
	struct jw *w = &c->w;
	const struct dd_package *p = &c->s->pkgs[i];
	jw_obj(w);
	jw_kstr(w, "bom-ref", c->refs[i]);
	jw_kstr(w, "type", "library");
	if (!rep_is_os_pkg(p))
		jw_kstr_opt(w, "group", p->namespace_);
	jw_kstr(w, "name", p->name ? p->name : "");
	jw_kstr_opt(w, "version", p->version);
	if (p->license && *p->license) {
		jw_key(w, "licenses");
		jw_arr(w);
		jw_obj(w);
		jw_key(w, "license");
		jw_obj(w);
		jw_kstr(w, "name", p->license);
		jw_end_obj(w);
		jw_end_obj(w);
		jw_end_arr(w);
	}
	jw_kstr_opt(w, "purl", p->purl);
	jw_key(w, "properties");
	jw_arr(w);
	const struct dd_layer_info *l = rep_pkg_layer(c->s, p);
	if (l) {
		prop_int(w, "drydock:layer:index", p->layer);
		prop(w, "drydock:layer:diff_id", l->diff_id);
	}
	prop(w, "drydock:package:type", p->type);
	prop(w, "drydock:package:arch", p->arch);
	prop(w, "drydock:package:source_name", p->source_name);
	prop(w, "drydock:package:source_version", p->source_version);
	prop(w, "drydock:package:cataloger", p->cataloger);
	prop(w, "drydock:package:location", p->location);
	prop(w, "drydock:package:owner", p->owner);
	prop(w, "drydock:package:modularity", p->modularity);
	if (p->flags & DD_PKG_DEV)
		prop(w, "drydock:package:dev", "true");
	prop_int(w, "drydock:package:file_count", (long long)p->nfiles);
	jw_end_arr(w);
	jw_end_obj(w);
}

static void components(struct cdx *c)
{
	struct jw *w = &c->w;
	const struct dd_distro *d = &c->s->distro;
	jw_key(w, "components");
	jw_arr(w);
	if (d->id) {
		jw_obj(w);
		jw_kstr(w, "bom-ref", c->os_ref);
		jw_kstr(w, "type", "operating-system");
		jw_kstr(w, "name", d->id);
		jw_kstr_opt(w, "version", d->version_id);
		jw_kstr_opt(w, "description", d->pretty_name);
		jw_key(w, "properties");
		jw_arr(w);
		prop(w, "drydock:distro:id_like", d->id_like);
		prop(w, "drydock:distro:version", d->version);
		prop(w, "drydock:distro:codename", d->codename);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	for (size_t k = 0; k < c->s->npkgs; k++)
		component(c, c->ord[k]);
	jw_end_arr(w);
}

static void dependencies(struct cdx *c)
{
	struct jw *w = &c->w;
	bool os = c->s->distro.id != NULL;
	jw_key(w, "dependencies");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "ref", "image");
	jw_key(w, "dependsOn");
	jw_arr(w);
	if (os)
		jw_str(w, c->os_ref);
	for (size_t k = 0; k < c->s->npkgs; k++)
		if (!os || !rep_is_os_pkg(&c->s->pkgs[c->ord[k]]))
			jw_str(w, c->refs[c->ord[k]]);
	jw_end_arr(w);
	jw_end_obj(w);
	if (os) {
		jw_obj(w);
		jw_kstr(w, "ref", c->os_ref);
		jw_key(w, "dependsOn");
		jw_arr(w);
		for (size_t k = 0; k < c->s->npkgs; k++)
			if (rep_is_os_pkg(&c->s->pkgs[c->ord[k]]))
				jw_str(w, c->refs[c->ord[k]]);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static const char *cvss_method(const struct dd_cvss *v)
{
	if (!v->version)
		return "other";
	if (strncmp(v->version, "2", 1) == 0)
		return "CVSSv2";
	if (strcmp(v->version, "3.0") == 0 || strcmp(v->version, "3") == 0)
		return "CVSSv3";
	if (strncmp(v->version, "3.", 2) == 0)
		return "CVSSv31";
	if (strncmp(v->version, "4", 1) == 0)
		return "CVSSv4";
	return "other";
}

static void lower(const char *in, char *out, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++)
		out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
	out[i] = '\0';
}

static void severity_word(enum dd_severity s, char out[16])
{
	lower(dd_severity_name(s), out, 16);
}

static void rating_source(struct jw *w, const char *name)
{
	jw_key(w, "source");
	jw_obj(w);
	jw_kstr(w, "name", name ? name : "unknown");
	jw_end_obj(w);
}

static void vulnerability(struct cdx *c, const struct dd_finding *f, const char *bomref)
{
	struct jw *w = &c->w;
	const struct dd_package *p = &c->s->pkgs[f->pkg];
	char sev[16], buf[40];
	jw_obj(w);
	jw_kstr(w, "bom-ref", bomref);
	jw_kstr(w, "id", f->id ? f->id : "");
	rating_source(w, f->data_source ? f->data_source : f->namespace_);
	if (f->naliases) {
		jw_key(w, "references");
		jw_arr(w);
		for (size_t i = 0; i < f->naliases; i++) {
			jw_obj(w);
			jw_kstr(w, "id", f->aliases[i]);
			rating_source(w, f->data_source);
			jw_end_obj(w);
		}
		jw_end_arr(w);
	}
	jw_key(w, "ratings");
	jw_arr(w);
	for (size_t i = 0; i < f->ncvss; i++) {
		const struct dd_cvss *v = &f->cvss[i];
		jw_obj(w);
		rating_source(w, v->source);
		if (v->score >= 0 && v->score <= 10) {
			jw_knum(w, "score", v->score);
			severity_word(dd_severity_from_score(v->score), sev);
			jw_kstr(w, "severity", sev);
		}
		jw_kstr(w, "method", cvss_method(v));
		jw_kstr_opt(w, "vector", v->vector);
		jw_end_obj(w);
	}
	enum dd_severity vs = dd_severity_parse(f->vendor_severity);
	if (f->vendor_severity || !f->ncvss) {
		jw_obj(w);
		rating_source(w, f->data_source ? f->data_source : f->namespace_);
		severity_word(f->vendor_severity ? vs : f->severity, sev);
		jw_kstr(w, "severity", sev);
		jw_kstr(w, "method", "other");
		jw_end_obj(w);
	}
	jw_end_arr(w);
	if (f->ncwes) {
		jw_key(w, "cwes");
		jw_arr(w);
		for (size_t i = 0; i < f->ncwes; i++) {
			const char *s = f->cwes[i];
			if (strncmp(s, "CWE-", 4) == 0)
				s += 4;
			char *end;
			long v = strtol(s, &end, 10);
			if (end != s && !*end && v >= 0)
				jw_int(w, v);
		}
		jw_end_arr(w);
	}
	jw_kstr_opt(w, "description", f->summary);
	if (f->fixed) {
		char rec[512];
		snprintf(rec, sizeof rec, "Upgrade %s to %s or later.", p->name ? p->name : "the package",
			 f->fixed);
		jw_kstr(w, "recommendation", rec);
	}
	if (f->nreferences) {
		jw_key(w, "advisories");
		jw_arr(w);
		for (size_t i = 0; i < f->nreferences; i++) {
			jw_obj(w);
			jw_kstr(w, "url", f->references[i]);
			jw_end_obj(w);
		}
		jw_end_arr(w);
	}
	const char *pub = rep_datetime(f->published, buf);
	jw_kstr_opt(w, "published", pub);
	char buf2[40];
	jw_kstr_opt(w, "updated", rep_datetime(f->modified, buf2));
	if (f->suppressed) {
		jw_key(w, "analysis");
		jw_obj(w);
		if (strncmp(f->suppressed, "vex: not_affected", 17) == 0)
			jw_kstr(w, "state", "not_affected");
		jw_kstr(w, "detail", f->suppressed);
		jw_end_obj(w);
	}
	jw_key(w, "affects");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "ref", c->refs[f->pkg]);
	jw_key(w, "versions");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "version", f->installed ? f->installed : p->version ? p->version : "");
	jw_kstr(w, "status", "affected");
	jw_end_obj(w);
	if (f->fixed) {
		jw_obj(w);
		jw_kstr(w, "version", f->fixed);
		jw_kstr(w, "status", "unaffected");
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_arr(w);
	jw_key(w, "properties");
	jw_arr(w);
	prop(w, "drydock:fix_state", rep_fix_state_name(f->state));
	prop(w, "drydock:namespace", f->namespace_);
	prop(w, "drydock:severity", dd_severity_name(f->severity));
	prop(w, "drydock:score_source", f->score_source);
	prop(w, "drydock:vendor_severity", f->vendor_severity);
	if (f->kev) {
		prop(w, "drydock:kev", "true");
		prop(w, "drydock:kev:date_added", f->kev_added);
		prop(w, "drydock:kev:due_date", f->kev_due);
		if (f->kev_ransomware)
			prop(w, "drydock:kev:ransomware", "true");
	}
	if (f->epss >= 0) {
		snprintf(buf, sizeof buf, "%.5f", f->epss);
		prop(w, "drydock:epss:score", buf);
		if (f->epss_percentile >= 0) {
			snprintf(buf, sizeof buf, "%.5f", f->epss_percentile);
			prop(w, "drydock:epss:percentile", buf);
		}
	}
	jw_end_arr(w);
	jw_end_obj(w);
}

static dd_code write_bom(FILE *out, const struct dd_sbom *s, const struct dd_scan_result *r,
			 const struct dd_report_opts *o, struct dd_err *err)
{
	struct cdx c = { .s = s };
	size_t *fo = NULL;
	dd_code rc = DD_OK;
	char hex[65], uuid[37], created[32], serial[48];
	c.ord = rep_pkg_order(s);
	if (c.ord)
		c.refs = rep_pkg_refs(s, c.ord);
	if (r)
		fo = rep_finding_order(r);
	if (!c.ord || !c.refs || (r && !fo)) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory preparing the CycloneDX document");
		goto out;
	}
	if ((rc = rep_content_hash(s, r ? "cyclonedx-scan" : "cyclonedx", hex, err)))
		goto out;
	rep_uuid_from_hash(hex, uuid);
	snprintf(serial, sizeof serial, "urn:uuid:%s", uuid);
	if (r && r->scanned_at)
		snprintf(created, sizeof created, "%s", r->scanned_at);
	else
		rep_created(o, created);
	snprintf(c.os_ref, sizeof c.os_ref, "os:%s@%s", s->distro.id ? s->distro.id : "",
		 s->distro.version_id ? s->distro.version_id : "unknown");

	if ((rc = jw_init(&c.w, out, err)))
		goto out;
	struct jw *w = &c.w;
	jw_obj(w);
	jw_kstr(w, "$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
	jw_kstr(w, "bomFormat", "CycloneDX");
	jw_kstr(w, "specVersion", "1.6");
	jw_kstr(w, "serialNumber", serial);
	jw_kint(w, "version", 1);
	metadata(&c, created);
	components(&c);
	dependencies(&c);
	if (r) {
		jw_key(w, "vulnerabilities");
		jw_arr(w);
		char prev[600] = "";
		size_t dup = 1;
		for (size_t k = 0; k < r->nfindings; k++) {
			const struct dd_finding *f = &r->findings[fo[k]];
			char ref[600], full[640];
			snprintf(ref, sizeof ref, "%s@%s", f->id ? f->id : "", c.refs[f->pkg]);
			dup = strcmp(ref, prev) == 0 ? dup + 1 : 1;
			snprintf(prev, sizeof prev, "%s", ref);
			if (dup > 1)
				snprintf(full, sizeof full, "%s#%zu", ref, dup);
			else
				snprintf(full, sizeof full, "%s", ref);
			vulnerability(&c, f, full);
		}
		jw_end_arr(w);
	}
	jw_end_obj(w);
	rc = jw_finish(w, err);
out:
	rep_refs_free(c.refs, s->npkgs);
	free(c.ord);
	free(fo);
	return rc;
}

dd_code rep_sbom_cyclonedx(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o,
			   struct dd_err *err)
{
	return write_bom(out, s, NULL, o, err);
}

dd_code rep_scan_cyclonedx(FILE *out, const struct dd_scan_result *r,
			   const struct dd_report_opts *o, struct dd_err *err)
{
	return write_bom(out, r->sbom, r, o, err);
}
