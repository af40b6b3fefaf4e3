/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VEX documents in: OpenVEX (v0.2.0, and the v0.0.x shape where
 * "vulnerability" is a plain string: OPENVEX-SPEC.md) and CycloneDX VEX
 * (a BOM with a "vulnerabilities" array: CycloneDX 1.4-1.6 JSON schema,
 * vulnerabilities[].analysis.state / .justification, affects[].ref). The
 * document is untrusted input: size and nesting are limited before yajl's
 * tree parser sees it (a 1,000,000-deep array would otherwise be freed
 * recursively), every field is type-checked, and an error names the file
 * and the statement.
 *
 * CycloneDX states map to OpenVEX statuses: not_affected and false_positive
 * -> not_affected; exploitable -> affected; resolved and
 * resolved_with_pedigree -> fixed; in_triage -> under_investigation.
 * affects[].ref is a bom-ref; it is resolved through components[] to the
 * component's purl when it is one, else used as given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/purl.h"
#include "dd/suppress.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/limits.h"

struct out {
	struct dd_arena *a;
	struct dd_vex_stmt *v;
	size_t n, cap;
};

static dd_code add(struct out *o, const char *vuln, const char *product, const char *status,
		   const char *just, const char *impact, const char *action, struct dd_err *err)
{
	if (o->n >= DD_LIMIT_VEX_STATEMENTS)
		return dd_err_set(err, DD_ELIMIT, "more than %u VEX statements",
				  DD_LIMIT_VEX_STATEMENTS);
	if (dd_grow(&o->v, &o->cap, o->n + 1, sizeof *o->v))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	struct dd_vex_stmt *x = &o->v[o->n++];
	x->vuln = dd_arena_strdup(o->a, vuln);
	x->product = dd_arena_strdup(o->a, product);
	x->status = dd_arena_strdup(o->a, status);
	x->justification = dd_arena_strdup(o->a, just);
	x->impact = dd_arena_strdup(o->a, impact);
	x->action = dd_arena_strdup(o->a, action);
	if (dd_arena_status(o->a))
		return dd_err_set(err, dd_arena_status(o->a), "out of memory");
	return DD_OK;
}

static bool status_ok(const char *s)
{
	return s && (strcmp(s, "not_affected") == 0 || strcmp(s, "affected") == 0 ||
		     strcmp(s, "fixed") == 0 || strcmp(s, "under_investigation") == 0);
}

static dd_code openvex(const struct dd_json *root, const char *name, struct out *o, struct dd_err *err)
{
	const struct dd_json *sts = dd_json_get(root, "statements");
	if (!dd_json_as(sts, DD_JSON_ARRAY))
		return dd_err_set(err, DD_EINVAL, "%s: OpenVEX: 'statements' is not an array", name);
	size_t i = 0;
	dd_json_each(st, sts) {
		i++;
		const struct dd_json *vul = dd_json_get(st, "vulnerability");
		const char *vuln = dd_json_string(vul) ? dd_json_string(vul) : dd_json_str(vul, "name");
		if (!vuln)
			vuln = dd_json_str(vul, "@id");
		const char *status = dd_json_str(st, "status");
		if (!vuln || !*vuln)
			return dd_err_set(err, DD_EINVAL, "%s: statement %zu: no vulnerability name",
					  name, i);
		if (!status_ok(status))
			return dd_err_set(err, DD_EINVAL, "%s: statement %zu: status '%s' is not an"
					  " OpenVEX status", name, i, status ? status : "(none)");
		const struct dd_json *prods = dd_json_get(st, "products");
		if (!dd_json_as(prods, DD_JSON_ARRAY) || prods->n == 0)
			return dd_err_set(err, DD_EINVAL, "%s: statement %zu: no products", name, i);
		size_t j = 0;
		dd_json_each(pv, prods) {
			j++;
			const char *prod = dd_json_string(pv) ? dd_json_string(pv) : dd_json_str(pv, "@id");
			if (!prod || !*prod)
				return dd_err_set(err, DD_EINVAL, "%s: statement %zu: product %zu has no"
						  " @id", name, i, j);
			/* Subcomponents name the package inside an image product. */
			const struct dd_json *subs = dd_json_get(pv, "subcomponents");
			if (dd_json_as(subs, DD_JSON_ARRAY) && subs->n) {
				dd_json_each(sv, subs) {
					const char *sub = dd_json_string(sv) ? dd_json_string(sv) : dd_json_str(sv, "@id");
					if (!sub || !*sub)
						continue;
					dd_code rc = add(o, vuln, sub, status, dd_json_str(st, "justification"),
							 dd_json_str(st, "impact_statement"),
							 dd_json_str(st, "action_statement"), err);
					if (rc)
						return rc;
				}
				continue;
			}
			dd_code rc = add(o, vuln, prod, status, dd_json_str(st, "justification"),
					 dd_json_str(st, "impact_statement"), dd_json_str(st, "action_statement"), err);
			if (rc)
				return rc;
		}
	}
	return DD_OK;
}

static const char *cdx_status(const char *state)
{
	static const char *map[][2] = {
		{ "not_affected", "not_affected" }, { "false_positive", "not_affected" },
		{ "exploitable", "affected" },      { "resolved", "fixed" },
		{ "resolved_with_pedigree", "fixed" }, { "in_triage", "under_investigation" },
	};
	for (size_t i = 0; state && i < sizeof map / sizeof *map; i++)
		if (strcmp(state, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

static const char *cdx_resolve(const struct dd_json *root, const char *ref)
{
	const struct dd_json *comps = dd_json_get(root, "components");
	dd_json_each(c, dd_json_as(comps, DD_JSON_ARRAY)) {
		const char *br = dd_json_str(c, "bom-ref");
		if (br && strcmp(br, ref) == 0) {
			const char *purl = dd_json_str(c, "purl");
			return purl ? purl : (dd_json_str(c, "name") ? dd_json_str(c, "name") : ref);
		}
	}
	return ref;
}

static dd_code cyclonedx(const struct dd_json *root, const char *name, struct out *o, struct dd_err *err)
{
	const struct dd_json *vs = dd_json_get(root, "vulnerabilities");
	if (!dd_json_as(vs, DD_JSON_ARRAY))
		return dd_err_set(err, DD_EINVAL, "%s: CycloneDX: 'vulnerabilities' is not an array",
				  name);
	size_t i = 0;
	dd_json_each(v, vs) {
		i++;
		const char *id = dd_json_str(v, "id");
		const struct dd_json *an = dd_json_get(v, "analysis");
		const char *state = dd_json_str(an, "state");
		if (!id || !*id)
			return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: no id", name, i);
		if (!an)
			continue; /* a plain BOM finding, not a VEX statement */
		const char *status = cdx_status(state);
		if (!status)
			return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: analysis state '%s'"
					  " is not a CycloneDX state", name, i, state ? state : "(none)");
		const char *just = dd_json_str(an, "justification");
		if (state && strcmp(state, "false_positive") == 0)
			just = "vulnerable_code_not_present";
		const struct dd_json *aff = dd_json_get(v, "affects");
		if (!dd_json_as(aff, DD_JSON_ARRAY) || aff->n == 0)
			return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: no 'affects'", name,
					  i);
		size_t j = 0;
		dd_json_each(a, aff) {
			j++;
			const char *ref = dd_json_str(a, "ref");
			if (!ref || !*ref)
				return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: affects %zu has"
						  " no ref", name, i, j);
			dd_code rc = add(o, id, cdx_resolve(root, ref), status, just,
					 dd_json_str(an, "detail"), NULL, err);
			if (rc)
				return rc;
		}
	}
	return DD_OK;
}

dd_code dd_vex_parse(const char *data, size_t len, const char *name, struct dd_arena *ar,
		     struct dd_vex_stmt **out, size_t *n, struct dd_err *err)
{
	*out = NULL;
	*n = 0;
	if (len > DD_LIMIT_VEX_BYTES)
		return dd_err_set(err, DD_ELIMIT, "%s: larger than %u bytes", name, DD_LIMIT_VEX_BYTES);
	struct dd_json_doc doc;
	if (dd_json_doc_parse(&doc, data, len, err)) {
		dd_json_doc_release(&doc);
		return dd_err_prefix(err, "%s: not JSON: ", name);
	}
	const struct dd_json *root = doc.root;
	struct out o = { .a = ar };
	dd_code rc;
	const char *ctx = dd_json_str(root, "@context");
	if (ctx && strstr(ctx, "openvex"))
		rc = openvex(root, name, &o, err);
	else if (dd_json_str(root, "bomFormat") && strcmp(dd_json_str(root, "bomFormat"), "CycloneDX") == 0)
		rc = cyclonedx(root, name, &o, err);
	else if (dd_json_get(root, "statements"))
		rc = openvex(root, name, &o, err);
	else
		rc = dd_err_set(err, DD_EUNSUPPORTED, "%s: neither OpenVEX (@context) nor CycloneDX"
				" (bomFormat)", name);
	dd_json_doc_release(&doc);
	if (rc == DD_OK && o.n) {
		*out = dd_arena_memdup(ar, o.v, o.n * sizeof *o.v);
		if (!*out)
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		else
			*n = o.n;
	}
	free(o.v);
	return rc;
}

static bool vex_id_matches(const char *vuln, const struct dd_finding *f)
{
	if (!strcmp(vuln, f->id))
		return true;
	for (size_t i = 0; i < f->naliases; i++)
		if (!strcmp(vuln, f->aliases[i]))
			return true;
	return false;
}

size_t dd_vex_apply_scan(const struct dd_vex_stmt *st, size_t n, const char *source,
			 struct dd_scan_result *r)
{
	size_t count = 0;
	for (size_t j = 0; j < r->nfindings; j++) {
		struct dd_finding *f = &r->findings[j];
		const struct dd_package *p = &r->sbom->pkgs[f->pkg];
		for (size_t i = 0; i < n && !f->suppressed; i++) {
			const struct dd_vex_stmt *x = &st[i];
			if (!x->status || (strcmp(x->status, "not_affected") && strcmp(x->status, "fixed")))
				continue;
			if (!x->vuln || !vex_id_matches(x->vuln, f) || !x->product)
				continue;
			if (strcmp(x->product, "*") && strcmp(x->product, p->name) &&
			    !dd_purl_match(x->product, p->purl))
				continue;
			f->suppressed = dd_arena_printf(r->arena, "vex: %s%s%s%s by %s", x->status,
							x->justification ? " (" : "",
							x->justification ? x->justification : "",
							x->justification ? ")" : "", source);
			count++;
		}
	}
	return count;
}
