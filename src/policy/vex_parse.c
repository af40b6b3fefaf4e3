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
#include <yajl/yajl_tree.h>

#include "catalog/purl.h"
#include "dd/suppress.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

static yajl_val get(yajl_val obj, const char *key)
{
	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = 0; i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	return NULL;
}

static const char *str(yajl_val obj, const char *key)
{
	yajl_val v = get(obj, key);
	return YAJL_IS_STRING(v) ? v->u.string : NULL;
}

/* Nesting depth of JSON text, ignoring brackets inside strings. */
static bool depth_ok(const char *p, size_t n, unsigned max)
{
	unsigned depth = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				return false;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return true;
}

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

static dd_code openvex(yajl_val root, const char *name, struct out *o, struct dd_err *err)
{
	yajl_val sts = get(root, "statements");
	if (!YAJL_IS_ARRAY(sts))
		return dd_err_set(err, DD_EINVAL, "%s: OpenVEX: 'statements' is not an array", name);
	for (size_t i = 0; i < sts->u.array.len; i++) {
		yajl_val st = sts->u.array.values[i];
		yajl_val vul = get(st, "vulnerability");
		const char *vuln = YAJL_IS_STRING(vul) ? vul->u.string : str(vul, "name");
		if (!vuln)
			vuln = str(vul, "@id");
		const char *status = str(st, "status");
		if (!vuln || !*vuln)
			return dd_err_set(err, DD_EINVAL, "%s: statement %zu: no vulnerability name",
					  name, i + 1);
		if (!status_ok(status))
			return dd_err_set(err, DD_EINVAL, "%s: statement %zu: status '%s' is not an"
					  " OpenVEX status", name, i + 1, status ? status : "(none)");
		yajl_val prods = get(st, "products");
		if (!YAJL_IS_ARRAY(prods) || prods->u.array.len == 0)
			return dd_err_set(err, DD_EINVAL, "%s: statement %zu: no products", name, i + 1);
		for (size_t j = 0; j < prods->u.array.len; j++) {
			yajl_val pv = prods->u.array.values[j];
			const char *prod = YAJL_IS_STRING(pv) ? pv->u.string : str(pv, "@id");
			if (!prod || !*prod)
				return dd_err_set(err, DD_EINVAL, "%s: statement %zu: product %zu has no"
						  " @id", name, i + 1, j + 1);
			/* Subcomponents name the package inside an image product. */
			yajl_val subs = get(pv, "subcomponents");
			if (YAJL_IS_ARRAY(subs) && subs->u.array.len) {
				for (size_t k = 0; k < subs->u.array.len; k++) {
					yajl_val sv = subs->u.array.values[k];
					const char *sub = YAJL_IS_STRING(sv) ? sv->u.string : str(sv, "@id");
					if (!sub || !*sub)
						continue;
					dd_code rc = add(o, vuln, sub, status, str(st, "justification"),
							 str(st, "impact_statement"),
							 str(st, "action_statement"), err);
					if (rc)
						return rc;
				}
				continue;
			}
			dd_code rc = add(o, vuln, prod, status, str(st, "justification"),
					 str(st, "impact_statement"), str(st, "action_statement"), err);
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

static const char *cdx_resolve(yajl_val root, const char *ref)
{
	yajl_val comps = get(root, "components");
	if (!YAJL_IS_ARRAY(comps))
		return ref;
	for (size_t i = 0; i < comps->u.array.len; i++) {
		yajl_val c = comps->u.array.values[i];
		const char *br = str(c, "bom-ref");
		if (br && strcmp(br, ref) == 0) {
			const char *purl = str(c, "purl");
			return purl ? purl : (str(c, "name") ? str(c, "name") : ref);
		}
	}
	return ref;
}

static dd_code cyclonedx(yajl_val root, const char *name, struct out *o, struct dd_err *err)
{
	yajl_val vs = get(root, "vulnerabilities");
	if (!YAJL_IS_ARRAY(vs))
		return dd_err_set(err, DD_EINVAL, "%s: CycloneDX: 'vulnerabilities' is not an array",
				  name);
	for (size_t i = 0; i < vs->u.array.len; i++) {
		yajl_val v = vs->u.array.values[i];
		const char *id = str(v, "id");
		yajl_val an = get(v, "analysis");
		const char *state = str(an, "state");
		if (!id || !*id)
			return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: no id", name, i + 1);
		if (!an)
			continue; /* a plain BOM finding, not a VEX statement */
		const char *status = cdx_status(state);
		if (!status)
			return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: analysis state '%s'"
					  " is not a CycloneDX state", name, i + 1, state ? state : "(none)");
		const char *just = str(an, "justification");
		if (state && strcmp(state, "false_positive") == 0)
			just = "vulnerable_code_not_present";
		yajl_val aff = get(v, "affects");
		if (!YAJL_IS_ARRAY(aff) || aff->u.array.len == 0)
			return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: no 'affects'", name,
					  i + 1);
		for (size_t j = 0; j < aff->u.array.len; j++) {
			const char *ref = str(aff->u.array.values[j], "ref");
			if (!ref || !*ref)
				return dd_err_set(err, DD_EINVAL, "%s: vulnerability %zu: affects %zu has"
						  " no ref", name, i + 1, j + 1);
			dd_code rc = add(o, id, cdx_resolve(root, ref), status, just,
					 str(an, "detail"), NULL, err);
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
	if (!depth_ok(data, len, DD_LIMIT_JSON_DEPTH))
		return dd_err_set(err, DD_ELIMIT, "%s: JSON nested deeper than %d", name,
				  DD_LIMIT_JSON_DEPTH);
	char *text = dd_strndup(data, len);
	if (!text)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	char ebuf[256];
	ebuf[0] = 0;
	yajl_val root = yajl_tree_parse(text, ebuf, sizeof ebuf);
	free(text);
	if (!root) {
		char *nl = strchr(ebuf, '\n');
		if (nl)
			*nl = 0;
		return dd_err_set(err, DD_EINVAL, "%s: not JSON: %s", name, ebuf[0] ? ebuf : "parse error");
	}
	struct out o = { .a = ar };
	dd_code rc;
	const char *ctx = str(root, "@context");
	if (ctx && strstr(ctx, "openvex"))
		rc = openvex(root, name, &o, err);
	else if (str(root, "bomFormat") && strcmp(str(root, "bomFormat"), "CycloneDX") == 0)
		rc = cyclonedx(root, name, &o, err);
	else if (get(root, "statements"))
		rc = openvex(root, name, &o, err);
	else
		rc = dd_err_set(err, DD_EUNSUPPORTED, "%s: neither OpenVEX (@context) nor CycloneDX"
				" (bomFormat)", name);
	yajl_tree_free(root);
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
