/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock's own SBOM JSON, described by docs/schema/sbom.schema.json (keep
 * the two in step: tests/unit/report validates every golden against it).
 * Unlike CycloneDX and SPDX it carries everything we know about a package
 * as plain fields: source package, cataloger, the file that recorded it,
 * the layer index and diff_id of its current version. Files: the count
 * always ("fileCount"), the list only with DD_REPORT_FILES, because a
 * Debian image lists ~20,000 files and most readers want the packages.
 * The image and package objects are shared with the scan JSON.
 */
#include <stdlib.h>

#include "dd/dd.h"
#include "report/report_int.h"

#define SBOM_SCHEMA_VERSION 1

void rep_json_tool(struct jw *w)
{
	jw_key(w, "tool");
	jw_obj(w);
	jw_kstr(w, "name", "drydock");
	jw_kstr(w, "version", dd_version_string());
	jw_end_obj(w);
}

void rep_json_image(struct jw *w, const struct dd_sbom *s)
{
	const struct dd_image_info *im = &s->image;
	jw_key(w, "image");
	jw_obj(w);
	jw_kstr(w, "name", rep_image_name(s));
	jw_kstr(w, "reference", im->reference);
	jw_kstr(w, "transport", im->transport);
	jw_kstr(w, "id", im->config_digest);
	jw_kstr(w, "manifestDigest", im->manifest_digest);
	jw_kstr(w, "os", im->os);
	jw_kstr(w, "architecture", im->arch);
	jw_kstr_opt(w, "variant", im->variant);
	jw_kstr(w, "created", im->created);
	jw_key(w, "repoTags");
	jw_arr(w);
	for (size_t i = 0; i < im->nrepo_tags; i++)
		jw_str(w, im->repo_tags[i]);
	jw_end_arr(w);
	jw_key(w, "layers");
	jw_arr(w);
	for (size_t i = 0; i < im->nlayers; i++) {
		const struct dd_layer_info *l = &im->layers[i];
		jw_obj(w);
		jw_kint(w, "index", l->index);
		jw_kstr(w, "diffId", l->diff_id);
		jw_kstr(w, "digest", l->digest);
		jw_kstr(w, "mediaType", l->media_type);
		jw_kint(w, "size", (long long)l->size);
		jw_kstr(w, "createdBy", l->created_by);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);

	const struct dd_distro *d = &s->distro;
	jw_key(w, "distro");
	if (!d->id) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_kstr(w, "id", d->id);
	jw_kstr(w, "idLike", d->id_like);
	jw_kstr(w, "versionId", d->version_id);
	jw_kstr(w, "version", d->version);
	jw_kstr(w, "codename", d->codename);
	jw_kstr(w, "prettyName", d->pretty_name);
	jw_end_obj(w);
}

void rep_json_layer_ref(struct jw *w, const struct dd_sbom *s, const struct dd_package *p)
{
	const struct dd_layer_info *l = rep_pkg_layer(s, p);
	jw_key(w, "layer");
	if (!l) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_kint(w, "index", p->layer);
	jw_kstr(w, "diffId", l->diff_id);
	jw_end_obj(w);
}

void rep_json_package(struct jw *w, const struct dd_sbom *s, const struct dd_package *p,
		      unsigned flags)
{
	jw_obj(w);
	jw_kstr(w, "type", p->type ? p->type : "");
	jw_kstr(w, "namespace", p->namespace_);
	jw_kstr(w, "name", p->name ? p->name : "");
	jw_kstr(w, "version", p->version);
	jw_kstr(w, "arch", p->arch);
	jw_kstr(w, "purl", p->purl);
	jw_key(w, "source");
	if (p->source_name) {
		jw_obj(w);
		jw_kstr(w, "name", p->source_name);
		jw_kstr(w, "version", p->source_version);
		jw_end_obj(w);
	} else {
		jw_null(w);
	}
	jw_kstr(w, "license", p->license);
	jw_kstr(w, "cataloger", p->cataloger);
	jw_kstr(w, "location", p->location);
	rep_json_layer_ref(w, s, p);
	jw_kstr(w, "modularity", p->modularity);
	jw_kstr(w, "owner", p->owner);
	jw_kbool(w, "dev", (p->flags & DD_PKG_DEV) != 0);
	jw_kint(w, "fileCount", (long long)p->nfiles);
	if (flags & DD_REPORT_FILES) {
		jw_key(w, "files");
		jw_arr(w);
		for (size_t i = 0; i < p->nfiles; i++)
			jw_str(w, p->files[i]);
		jw_end_arr(w);
	}
	jw_end_obj(w);
}

void rep_json_warnings(struct jw *w, const char *const *warn, size_t n)
{
	jw_key(w, "warnings");
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, warn[i]);
	jw_end_arr(w);
}

dd_code rep_sbom_json(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o,
		      struct dd_err *err)
{
	size_t *ix = rep_pkg_order(s);
	if (!ix)
		return dd_err_set(err, DD_ENOMEM, "out of memory sorting packages");
	char created[32];
	rep_created(o, created);
	struct jw w;
	dd_code rc = jw_init(&w, out, err);
	if (rc) {
		free(ix);
		return rc;
	}
	jw_obj(&w);
	jw_kint(&w, "schemaVersion", SBOM_SCHEMA_VERSION);
	jw_kstr(&w, "kind", "sbom");
	rep_json_tool(&w);
	jw_kstr(&w, "created", created);
	rep_json_image(&w, s);
	jw_key(&w, "packages");
	jw_arr(&w);
	for (size_t i = 0; i < s->npkgs; i++)
		rep_json_package(&w, s, &s->pkgs[ix[i]], o->flags);
	jw_end_arr(&w);
	rep_json_warnings(&w, s->warnings, s->nwarnings);
	jw_end_obj(&w);
	free(ix);
	return jw_finish(&w, err);
}
