/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan records in: a small JSON form of a scan result (image, packages,
 * findings with their CVSS records, not-assessed entries) so results made
 * elsewhere (another scanner, a CI job on a machine without the store, a
 * test) can be recorded with `drydock scans import`. The format is
 * documented in docs/cli/scans.md. The input is untrusted: size and nesting
 * are limited while util/json parses it, every field is type-checked,
 * and errors name the file and the element.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/limits.h"

/* A scan record is an SBOM plus findings: real ones are a few MiB. */
#define SCAN_RECORD_MAX (256u << 20)
#define SCAN_RECORD_ITEMS 1000000u

static const char *gs(struct dd_arena *a, const struct dd_json *o, const char *k)
{
	return dd_arena_strdup(a, dd_json_str(o, k));
}

static double gd(const struct dd_json *o, const char *k, double dflt)
{
	const struct dd_json *v = dd_json_as(dd_json_get(o, k), DD_JSON_NUMBER);
	return v ? v->num : dflt;
}

static dd_code packages(const struct dd_json *arr, const char *name, struct dd_scan_result *r, struct dd_err *err)
{
	if (!arr)
		return DD_OK;
	if (arr->type != DD_JSON_ARRAY || arr->n > SCAN_RECORD_ITEMS)
		return dd_err_set(err, DD_EINVAL, "%s: 'packages' is not an array (or too long)", name);
	struct dd_arena *a = r->arena;
	size_t i = 0;
	dd_json_each(v, arr) {
		struct dd_package p = { .layer = -1 };
		p.type = gs(a, v, "type");
		p.namespace_ = gs(a, v, "namespace");
		p.name = gs(a, v, "name");
		p.version = gs(a, v, "version");
		p.arch = gs(a, v, "arch");
		p.purl = gs(a, v, "purl");
		p.location = gs(a, v, "location");
		p.source_name = gs(a, v, "source_name");
		if (!p.name || !p.type)
			return dd_err_set(err, DD_EINVAL, "%s: package %zu: 'type' and 'name' are required",
					  name, i + 1);
		i++;
		dd_code rc = dd_sbom_add(r->sbom, &p, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

static dd_code findings(const struct dd_json *arr, const char *name, struct dd_scan_result *r, struct dd_err *err)
{
	if (!arr)
		return DD_OK;
	if (arr->type != DD_JSON_ARRAY || arr->n > SCAN_RECORD_ITEMS)
		return dd_err_set(err, DD_EINVAL, "%s: 'findings' is not an array (or too long)", name);
	struct dd_arena *a = r->arena;
	size_t n = arr->n;
	r->findings = n ? dd_arena_alloc(a, n * sizeof *r->findings) : NULL;
	if (n && !r->findings)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	r->cap = n;
	size_t i = 0;
	dd_json_each(v, arr) {
		struct dd_finding *f = &r->findings[r->nfindings];
		memset(f, 0, sizeof *f);
		f->id = gs(a, v, "id");
		const char *pkg = gs(a, v, "package");
		if (!f->id || !pkg)
			return dd_err_set(err, DD_EINVAL, "%s: finding %zu: 'id' and 'package' are required",
					  name, i + 1);
		size_t idx = r->sbom->npkgs;
		for (size_t j = 0; j < r->sbom->npkgs; j++)
			if (strcmp(r->sbom->pkgs[j].name, pkg) == 0 ||
			    (r->sbom->pkgs[j].purl && strcmp(r->sbom->pkgs[j].purl, pkg) == 0)) {
				idx = j;
				break;
			}
		if (idx == r->sbom->npkgs)
			return dd_err_set(err, DD_EINVAL, "%s: finding %zu (%s): package '%s' is not in"
					  " 'packages'", name, i + 1, f->id, pkg);
		f->pkg = idx;
		f->installed = r->sbom->pkgs[idx].version;
		f->fixed = gs(a, v, "fixed");
		f->state = f->fixed ? DD_FIX_FIXED : DD_FIX_NOT_FIXED;
		f->summary = gs(a, v, "summary");
		f->namespace_ = gs(a, v, "namespace");
		f->data_source = gs(a, v, "data_source");
		f->vendor_severity = gs(a, v, "vendor_severity");
		f->score = -1;
		f->epss = gd(v, "epss", -1);
		f->epss_percentile = -1;
		const struct dd_json *kev = dd_json_get(v, "kev");
		f->kev = dd_json_is_true(kev);
		const struct dd_json *cv = dd_json_get(v, "cvss");
		if (cv && (cv->type != DD_JSON_ARRAY || cv->n > 64))
			return dd_err_set(err, DD_EINVAL, "%s: finding %zu: 'cvss' is not an array", name,
					  i + 1);
		if (cv && cv->n) {
			f->cvss = dd_arena_alloc(a, cv->n * sizeof *f->cvss);
			if (!f->cvss)
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			size_t j = 0;
			dd_json_each(c, cv) {
				j++;
				double sc = gd(c, "score", -1);
				if (sc < 0 || sc > 10)
					return dd_err_set(err, DD_EINVAL, "%s: finding %zu: cvss %zu: score"
							  " must be 0..10", name, i + 1, j);
				f->cvss[f->ncvss++] = (struct dd_cvss){ gs(a, c, "source"),
									gs(a, c, "version"),
									gs(a, c, "vector"), sc };
			}
		}
		const struct dd_json *al = dd_json_get(v, "aliases");
		if (dd_json_as(al, DD_JSON_ARRAY) && al->n && al->n <= 256) {
			f->aliases = dd_arena_alloc(a, al->n * sizeof *f->aliases);
			dd_json_each(x, f->aliases ? al : NULL)
				if (dd_json_string(x))
					f->aliases[f->naliases++] = dd_arena_strdup(a, dd_json_string(x));
		}
		r->nfindings++;
		i++;
	}
	return DD_OK;
}

dd_code dd_scan_record_parse(const char *data, size_t len, const char *name,
			     struct dd_scan_result **out, struct dd_err *err)
{
	*out = NULL;
	if (len > SCAN_RECORD_MAX)
		return dd_err_set(err, DD_ELIMIT, "%s: larger than %u bytes", name, SCAN_RECORD_MAX);
	struct dd_json_doc doc;
	if (dd_json_doc_parse(&doc, data, len, err)) {
		dd_json_doc_release(&doc);
		return dd_err_prefix(err, "%s: not JSON: ", name);
	}
	const struct dd_json *root = doc.root;
	dd_code rc = DD_OK;
	struct dd_scan_result *r = dd_calloc(1, sizeof *r);
	if (!r || !(r->sbom = dd_sbom_new()) || !(r->arena = dd_arena_new(0))) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	if (root->type != DD_JSON_OBJECT) {
		rc = dd_err_set(err, DD_EINVAL, "%s: a scan record is a JSON object", name);
		goto out;
	}
	struct dd_arena *a = r->arena;
	const struct dd_json *im = dd_json_get(root, "image");
	r->sbom->image.reference = gs(a, im, "reference");
	r->sbom->image.transport = gs(a, im, "transport");
	r->sbom->image.manifest_digest = gs(a, im, "digest");
	r->sbom->image.config_digest = gs(a, im, "config_digest");
	if (!r->sbom->image.manifest_digest && !r->sbom->image.config_digest) {
		rc = dd_err_set(err, DD_EINVAL, "%s: image.digest is required (the fix evidence)", name);
		goto out;
	}
	const struct dd_json *di = dd_json_get(root, "distro");
	r->sbom->distro.id = gs(a, di, "id");
	r->sbom->distro.version_id = gs(a, di, "version_id");
	r->db_built = gs(a, root, "db_version");
	r->scanned_at = gs(a, root, "scanned_at");
	if ((rc = packages(dd_json_get(root, "packages"), name, r, err)) ||
	    (rc = findings(dd_json_get(root, "findings"), name, r, err)))
		goto out;
	const struct dd_json *na = dd_json_get(root, "not_assessed");
	if (dd_json_as(na, DD_JSON_ARRAY) && na->n) {
		if (na->n > SCAN_RECORD_ITEMS) {
			rc = dd_err_set(err, DD_ELIMIT, "%s: too many not_assessed entries", name);
			goto out;
		}
		r->not_assessed = dd_arena_alloc(a, na->n * sizeof *r->not_assessed);
		size_t i = 0;
		dd_json_each(v, r->not_assessed ? na : NULL) {
			i++;
			const char *what = gs(a, v, "what");
			if (!what) {
				rc = dd_err_set(err, DD_EINVAL, "%s: not_assessed %zu: 'what' is required",
						name, i);
				goto out;
			}
			r->not_assessed[r->nnot_assessed++] =
				(struct dd_not_assessed){ what, gs(a, v, "why") };
		}
	}
	if (dd_arena_status(a))
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
out:
	dd_json_doc_release(&doc);
	if (rc) {
		dd_scan_record_free(r);
		return rc;
	}
	*out = r;
	return DD_OK;
}

void dd_scan_record_free(struct dd_scan_result *r)
{
	if (!r)
		return;
	dd_sbom_free(r->sbom);
	dd_arena_free(r->arena);
	free(r);
}
