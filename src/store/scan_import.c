/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan records in: a small JSON form of a scan result (image, packages,
 * findings with their CVSS records, not-assessed entries) so results made
 * elsewhere (another scanner, a CI job on a machine without the store, a
 * test) can be recorded with `drydock scans import`. The format is
 * documented in docs/cli/scans.md. The input is untrusted: size and nesting
 * are limited before yajl's tree parser runs, every field is type-checked,
 * and errors name the file and the element.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "dd/store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

/* A scan record is an SBOM plus findings: real ones are a few MiB. */
#define SCAN_RECORD_MAX (256u << 20)
#define SCAN_RECORD_ITEMS 1000000u

static yajl_val get(yajl_val o, const char *k)
{
	if (!YAJL_IS_OBJECT(o))
		return NULL;
	for (size_t i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], k) == 0)
			return o->u.object.values[i];
	return NULL;
}

static const char *gs(struct dd_arena *a, yajl_val o, const char *k)
{
	yajl_val v = get(o, k);
	return YAJL_IS_STRING(v) ? dd_arena_strdup(a, v->u.string) : NULL;
}

static double gd(yajl_val o, const char *k, double dflt)
{
	yajl_val v = get(o, k);
	return YAJL_IS_NUMBER(v) ? YAJL_GET_DOUBLE(v) : dflt;
}

static bool json_depth_ok(const char *p, size_t n)
{
	unsigned depth = 0;
	bool in = false;
	for (size_t i = 0; i < n; i++) {
		if (in) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in = false;
		} else if (p[i] == '"') {
			in = true;
		} else if (p[i] == '[' || p[i] == '{') {
			if (++depth > DD_LIMIT_JSON_DEPTH)
				return false;
		} else if ((p[i] == ']' || p[i] == '}') && depth) {
			depth--;
		}
	}
	return true;
}

static dd_code packages(yajl_val arr, const char *name, struct dd_scan_result *r, struct dd_err *err)
{
	if (!arr)
		return DD_OK;
	if (!YAJL_IS_ARRAY(arr) || arr->u.array.len > SCAN_RECORD_ITEMS)
		return dd_err_set(err, DD_EINVAL, "%s: 'packages' is not an array (or too long)", name);
	struct dd_arena *a = r->arena;
	for (size_t i = 0; i < arr->u.array.len; i++) {
		yajl_val v = arr->u.array.values[i];
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
		dd_code rc = dd_sbom_add(r->sbom, &p, err);
		if (rc)
			return rc;
	}
	return DD_OK;
}

static dd_code findings(yajl_val arr, const char *name, struct dd_scan_result *r, struct dd_err *err)
{
	if (!arr)
		return DD_OK;
	if (!YAJL_IS_ARRAY(arr) || arr->u.array.len > SCAN_RECORD_ITEMS)
		return dd_err_set(err, DD_EINVAL, "%s: 'findings' is not an array (or too long)", name);
	struct dd_arena *a = r->arena;
	size_t n = arr->u.array.len;
	r->findings = n ? dd_arena_alloc(a, n * sizeof *r->findings) : NULL;
	if (n && !r->findings)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	r->cap = n;
	for (size_t i = 0; i < n; i++) {
		yajl_val v = arr->u.array.values[i];
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
		yajl_val kev = get(v, "kev");
		f->kev = YAJL_IS_TRUE(kev);
		yajl_val cv = get(v, "cvss");
		if (cv && (!YAJL_IS_ARRAY(cv) || cv->u.array.len > 64))
			return dd_err_set(err, DD_EINVAL, "%s: finding %zu: 'cvss' is not an array", name,
					  i + 1);
		if (cv && cv->u.array.len) {
			f->cvss = dd_arena_alloc(a, cv->u.array.len * sizeof *f->cvss);
			if (!f->cvss)
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			for (size_t j = 0; j < cv->u.array.len; j++) {
				yajl_val c = cv->u.array.values[j];
				double sc = gd(c, "score", -1);
				if (sc < 0 || sc > 10)
					return dd_err_set(err, DD_EINVAL, "%s: finding %zu: cvss %zu: score"
							  " must be 0..10", name, i + 1, j + 1);
				f->cvss[f->ncvss++] = (struct dd_cvss){ gs(a, c, "source"),
									gs(a, c, "version"),
									gs(a, c, "vector"), sc };
			}
		}
		yajl_val al = get(v, "aliases");
		if (YAJL_IS_ARRAY(al) && al->u.array.len && al->u.array.len <= 256) {
			f->aliases = dd_arena_alloc(a, al->u.array.len * sizeof *f->aliases);
			for (size_t j = 0; f->aliases && j < al->u.array.len; j++)
				if (YAJL_IS_STRING(al->u.array.values[j]))
					f->aliases[f->naliases++] =
						dd_arena_strdup(a, al->u.array.values[j]->u.string);
		}
		r->nfindings++;
	}
	return DD_OK;
}

dd_code dd_scan_record_parse(const char *data, size_t len, const char *name,
			     struct dd_scan_result **out, struct dd_err *err)
{
	*out = NULL;
	if (len > SCAN_RECORD_MAX)
		return dd_err_set(err, DD_ELIMIT, "%s: larger than %u bytes", name, SCAN_RECORD_MAX);
	if (!json_depth_ok(data, len))
		return dd_err_set(err, DD_ELIMIT, "%s: JSON nested deeper than %d", name,
				  DD_LIMIT_JSON_DEPTH);
	char *text = dd_strndup(data, len);
	if (!text)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	char ebuf[256] = "";
	yajl_val root = yajl_tree_parse(text, ebuf, sizeof ebuf);
	free(text);
	if (!root) {
		char *nl = strchr(ebuf, '\n');
		if (nl)
			*nl = 0;
		return dd_err_set(err, DD_EINVAL, "%s: not JSON: %s", name, ebuf[0] ? ebuf : "parse error");
	}
	dd_code rc = DD_OK;
	struct dd_scan_result *r = dd_calloc(1, sizeof *r);
	if (!r || !(r->sbom = dd_sbom_new()) || !(r->arena = dd_arena_new(0))) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	if (!YAJL_IS_OBJECT(root)) {
		rc = dd_err_set(err, DD_EINVAL, "%s: a scan record is a JSON object", name);
		goto out;
	}
	struct dd_arena *a = r->arena;
	yajl_val im = get(root, "image");
	r->sbom->image.reference = gs(a, im, "reference");
	r->sbom->image.transport = gs(a, im, "transport");
	r->sbom->image.manifest_digest = gs(a, im, "digest");
	r->sbom->image.config_digest = gs(a, im, "config_digest");
	if (!r->sbom->image.manifest_digest && !r->sbom->image.config_digest) {
		rc = dd_err_set(err, DD_EINVAL, "%s: image.digest is required (the fix evidence)", name);
		goto out;
	}
	yajl_val di = get(root, "distro");
	r->sbom->distro.id = gs(a, di, "id");
	r->sbom->distro.version_id = gs(a, di, "version_id");
	r->db_built = gs(a, root, "db_version");
	r->scanned_at = gs(a, root, "scanned_at");
	if ((rc = packages(get(root, "packages"), name, r, err)) ||
	    (rc = findings(get(root, "findings"), name, r, err)))
		goto out;
	yajl_val na = get(root, "not_assessed");
	if (YAJL_IS_ARRAY(na) && na->u.array.len) {
		if (na->u.array.len > SCAN_RECORD_ITEMS) {
			rc = dd_err_set(err, DD_ELIMIT, "%s: too many not_assessed entries", name);
			goto out;
		}
		r->not_assessed = dd_arena_alloc(a, na->u.array.len * sizeof *r->not_assessed);
		for (size_t i = 0; r->not_assessed && i < na->u.array.len; i++) {
			yajl_val v = na->u.array.values[i];
			const char *what = gs(a, v, "what");
			if (!what) {
				rc = dd_err_set(err, DD_EINVAL, "%s: not_assessed %zu: 'what' is required",
						name, i + 1);
				goto out;
			}
			r->not_assessed[r->nnot_assessed++] =
				(struct dd_not_assessed){ what, gs(a, v, "why") };
		}
	}
	if (dd_arena_status(a))
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
out:
	yajl_tree_free(root);
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
