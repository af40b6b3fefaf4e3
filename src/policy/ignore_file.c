/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scan ignore file (docs/cli/scan.md):
 *
 *   ignore:
 *     - id: CVE-2019-14697            # required: finding id or any alias
 *       package: musl                 # optional: name, or purl (pkg:apk/alpine/musl)
 *       paths: [lib/apk/db/installed] # optional: globs on the package's location
 *       reason: not reachable         # required: why it is acceptable
 *       expires: 2027-01-31           # optional: last day it suppresses
 *
 * Parsed with libyaml's document loader. Aliases in YAML refer to one node
 * (libyaml does not expand them) and we only walk a fixed depth, so an alias
 * bomb costs nothing. Unknown keys are errors: a typo like "expire:" must
 * not silently make an exception permanent.
 */
#include <yaml.h>

#include "dd/suppress.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/limits.h"
#include "util/path.h"

#define MAX_RULES 100000

static dd_code bad(struct dd_err *err, const char *name, const yaml_node_t *n, const char *what)
{
	return dd_err_set(err, DD_EINVAL, "%s:%zu:%zu: %s", name, n ? n->start_mark.line + 1 : 0,
			  n ? n->start_mark.column + 1 : 0, what);
}

static const char *scalar(struct dd_arena *a, const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return dd_arena_strndup(a, (const char *)n->data.scalar.value, n->data.scalar.length);
}

static dd_code parse_rule(yaml_document_t *doc, yaml_node_t *m, struct dd_ignore *ig,
			  struct dd_ignore_rule *r, const char *name, struct dd_err *err)
{
	struct dd_arena *a = ig->arena;
	if (m->type != YAML_MAPPING_NODE)
		return bad(err, name, m, "each ignore entry must be a mapping (id:, reason:, ...)");
	r->line = (unsigned)m->start_mark.line + 1;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		const char *key = scalar(a, k);
		if (!key)
			return bad(err, name, k, "keys must be plain words");
		if (!strcmp(key, "paths")) {
			if (!v || v->type != YAML_SEQUENCE_NODE)
				return bad(err, name, v, "paths must be a list");
			size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
			r->paths = dd_arena_alloc(a, (n ? n : 1) * sizeof *r->paths);
			for (size_t i = 0; r->paths && i < n; i++) {
				yaml_node_t *it = yaml_document_get_node(doc, v->data.sequence.items.start[i]);
				const char *s = scalar(a, it);
				if (!s)
					return bad(err, name, it, "each path must be a string");
				r->paths[r->npaths++] = s[0] == '/' ? s + 1 : s;
			}
			continue;
		}
		const char *val = scalar(a, v);
		if (!val)
			return bad(err, name, v, "expected a string value");
		if (!strcmp(key, "id"))
			r->id = val;
		else if (!strcmp(key, "package"))
			r->package = val;
		else if (!strcmp(key, "reason"))
			r->reason = val;
		else if (!strcmp(key, "expires")) {
			time_t t;
			if (strlen(val) != 10 || !dd_clock_parse(val, &t))
				return bad(err, name, v, "expires must be a date YYYY-MM-DD");
			r->expires = val;
			r->expires_at = t + 86399; /* the whole last day */
		} else {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown key \"%.60s\" (known: id, package, paths, "
				 "reason, expires)", key);
			return bad(err, name, k, msg);
		}
	}
	if (!r->id)
		return bad(err, name, m, "entry has no id");
	if (!r->reason || !*r->reason)
		return bad(err, name, m, "entry has no reason: say why the risk is accepted");
	return dd_arena_status(a) ? dd_err_set(err, DD_ENOMEM, "out of memory") : DD_OK;
}

dd_code dd_ignore_parse(const char *data, size_t n, const char *name, struct dd_ignore **out,
			struct dd_err *err)
{
	*out = NULL;
	if (n > DD_LIMIT_USER_FILE_BYTES)
		return dd_err_set(err, DD_ELIMIT, "%s: larger than %u bytes", name, DD_LIMIT_USER_FILE_BYTES);
	struct dd_ignore *ig = dd_calloc(1, sizeof *ig);
	if (!ig || !(ig->arena = dd_arena_new(0))) {
		free(ig);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	ig->file = dd_arena_strdup(ig->arena, name);
	yaml_parser_t parser;
	yaml_document_t doc;
	dd_code rc = DD_OK;
	if (!yaml_parser_initialize(&parser)) {
		dd_ignore_free(ig);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, n);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = dd_err_set(err, DD_EINVAL, "%s:%zu:%zu: %s", name, parser.problem_mark.line + 1,
				parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		dd_ignore_free(ig);
		return rc;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	yaml_node_t *list = NULL;
	if (root && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);
			if (k && k->type == YAML_SCALAR_NODE &&
			    !strcmp((const char *)k->data.scalar.value, "ignore"))
				list = yaml_document_get_node(&doc, p->value);
			else
				rc = bad(err, name, k, "unknown top-level key (expected \"ignore:\")");
		}
	} else if (root) {
		rc = bad(err, name, root, "expected a mapping with an \"ignore:\" list");
	}
	if (!rc && list && list->type != YAML_SEQUENCE_NODE)
		rc = bad(err, name, list, "\"ignore\" must be a list of entries");
	if (!rc && list) {
		size_t cnt = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
		if (cnt > MAX_RULES)
			rc = dd_err_set(err, DD_ELIMIT, "%s: more than %d entries", name, MAX_RULES);
		else if (!(ig->rules = dd_arena_alloc(ig->arena, (cnt ? cnt : 1) * sizeof *ig->rules)))
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		for (size_t i = 0; !rc && i < cnt; i++) {
			yaml_node_t *m = yaml_document_get_node(&doc, list->data.sequence.items.start[i]);
			rc = parse_rule(&doc, m, ig, &ig->rules[ig->nrules], name, err);
			if (!rc)
				ig->nrules++;
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc) {
		dd_ignore_free(ig);
		return rc;
	}
	*out = ig;
	return DD_OK;
}

dd_code dd_ignore_load(const char *path, struct dd_ignore **out, struct dd_err *err)
{
	struct dd_buf b;
	dd_buf_init(&b, DD_LIMIT_USER_FILE_BYTES);
	dd_code rc = dd_buf_read_file(&b, path, err);
	if (!rc)
		rc = dd_ignore_parse(b.data ? b.data : "", b.len, path, out, err);
	dd_buf_release(&b);
	return rc;
}

void dd_ignore_free(struct dd_ignore *ig)
{
	if (!ig)
		return;
	dd_arena_free(ig->arena);
	free(ig);
}

/* "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64": a rule purl without a version
 * or qualifiers matches every version, with a version but no qualifiers
 * every arch. */
static bool purl_matches(const char *rule, const char *purl)
{
	if (!purl)
		return false;
	size_t rn = strcspn(rule, "?#");
	size_t pn = strchr(rule, '@') ? strcspn(purl, "?#") : strcspn(purl, "@?#");
	return rn == pn && !strncmp(rule, purl, rn);
}

static bool id_matches(const char *id, const struct dd_finding *f)
{
	if (!strcmp(id, f->id))
		return true;
	for (size_t i = 0; i < f->naliases; i++)
		if (!strcmp(id, f->aliases[i]))
			return true;
	return false;
}

static bool rule_matches(const struct dd_ignore_rule *r, const struct dd_finding *f,
			 const struct dd_package *p)
{
	if (!id_matches(r->id, f))
		return false;
	if (r->package) {
		if (!strncmp(r->package, "pkg:", 4)) {
			if (!purl_matches(r->package, p->purl))
				return false;
		} else if (strcmp(r->package, p->name) &&
			   !(p->source_name && !strcmp(r->package, p->source_name))) {
			return false;
		}
	}
	if (r->npaths) {
		bool any = false;
		const char *loc = p->location ? p->location : "";
		if (loc[0] == '/')
			loc++;
		for (size_t i = 0; i < r->npaths && !any; i++)
			any = dd_path_match(r->paths[i], loc, strlen(loc));
		if (!any)
			return false;
	}
	return true;
}

void dd_ignore_apply(const struct dd_ignore *ig, struct dd_scan_result *r)
{
	time_t now = dd_clock_now();
	for (size_t i = 0; i < ig->nrules; i++) {
		const struct dd_ignore_rule *rule = &ig->rules[i];
		bool expired = rule->expires && now > rule->expires_at;
		bool warned = false;
		for (size_t j = 0; j < r->nfindings; j++) {
			struct dd_finding *f = &r->findings[j];
			if (f->suppressed || !rule_matches(rule, f, &r->sbom->pkgs[f->pkg]))
				continue;
			if (expired) {
				if (!warned)
					dd_scan_warn(r, "%s:%u: the exception for %s expired on %s: "
						     "no longer suppressed", ig->file, rule->line,
						     rule->id, rule->expires);
				warned = true;
				continue;
			}
			f->suppressed = dd_arena_printf(r->arena, "ignore-file: %s (%s:%u%s%s)",
							rule->reason, ig->file, rule->line,
							rule->expires ? ", until " : "",
							rule->expires ? rule->expires : "");
		}
	}
}
