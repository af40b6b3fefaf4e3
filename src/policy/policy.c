/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policies: the handbook's CVSS bands plus named business-impact rules, read
 * from YAML with libyaml's document loader. The default policy is itself
 * YAML (default_yaml below, reproduced in docs/policy.md), so the defaults
 * are data like any user file and go through the same parser.
 *
 * Assessment: the band comes from the score alone (>= 9.0 P1, >= 7.0 P2,
 * else P3: handbook §2.2.1), or the configured default when the finding has
 * no score; then every rule whose conditions hold is applied in file order
 * and named in the explanation. Rules raise or lower one band, set a band,
 * close (VEX not_affected, verification not reproduced) or suppress (an
 * active exception). This file does not decide states: the store turns
 * close/suppress into state changes with events.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "policy/policy_impl.h"
#include "util/alloc.h"
#include "util/buf.h"

/* A policy file is hand-written configuration: a few KB. */
#define POLICY_FILE_MAX (1u << 20)

static const char default_yaml[] =
	"# The handbook's policy (HANDBOOK.md 2.2; docs/policy.md).\n"
	"bands:\n"
	"  P1: {min: 9.0, label: immediate}\n"
	"  P2: {min: 7.0, label: planned}\n"
	"  P3: {min: 0.0, label: monitor}\n"
	"score_sources: [nvd 3.1, nvd 4.0, nvd 3.0, nvd 2.0, vendor]\n"
	"unscored: P2\n"
	"epss_threshold: 0.1\n"
	"sla: {P1: 3, P2: 7, P3: none}\n"
	"weekend: [saturday, sunday]\n"
	"holidays: []\n"
	"rules:\n"
	"  - name: vex-not-affected\n"
	"    when: {vex: not_affected}\n"
	"    then: close\n"
	"  - name: verification-not-reproduced\n"
	"    when: {verification: not_reproduced}\n"
	"    then: close\n"
	"  - name: exception-active\n"
	"    when: {exception: true}\n"
	"    then: suppress\n"
	"  - name: critical-internet-facing\n"
	"    when: {criticality_min: 5, exposure: internet}\n"
	"    then: raise\n"
	"  - name: isolated\n"
	"    when: {exposure: isolated}\n"
	"    then: lower\n"
	"  - name: epss-high\n"
	"    when: {epss_min: threshold}\n"
	"    then: raise\n"
	"  - name: verification-reproduced\n"
	"    when: {verification: reproduced}\n"
	"    then: raise\n"
	"  - name: kev\n"
	"    when: {kev: true}\n"
	"    then: set P1\n";

const char *dd_priority_name(enum dd_priority p)
{
	static const char *names[] = { "-", "P1", "P2", "P3" };
	return (unsigned)p < DD_PRIO_COUNT ? names[p] : "-";
}

enum dd_priority dd_priority_parse(const char *s)
{
	if (!s)
		return DD_PRIO_NONE;
	if ((s[0] == 'P' || s[0] == 'p') && s[1])
		s++;
	if (s[0] >= '1' && s[0] <= '3' && s[1] == 0)
		return (enum dd_priority)(s[0] - '0');
	return DD_PRIO_NONE;
}

const char *dd_exposure_name(enum dd_exposure e)
{
	switch (e) {
	case DD_EXPOSURE_INTERNET: return "internet";
	case DD_EXPOSURE_ISOLATED: return "isolated";
	case DD_EXPOSURE_INTERNAL: break;
	}
	return "internal";
}

bool dd_exposure_parse(const char *s, enum dd_exposure *out)
{
	if (!s)
		return false;
	if (strcasecmp(s, "internet") == 0)
		*out = DD_EXPOSURE_INTERNET;
	else if (strcasecmp(s, "internal") == 0)
		*out = DD_EXPOSURE_INTERNAL;
	else if (strcasecmp(s, "isolated") == 0)
		*out = DD_EXPOSURE_ISOLATED;
	else
		return false;
	return true;
}

void dd_impact_init(struct dd_impact *im)
{
	memset(im, 0, sizeof *im);
	im->criticality = 3;
	im->exposure = DD_EXPOSURE_INTERNAL;
	for (int i = 0; i < DD_PRIO_COUNT; i++)
		im->sla_days[i] = -1;
}

void dd_policy_free(struct dd_policy *p)
{
	if (!p)
		return;
	free(p->holidays);
	free(p->rules);
	free(p);
}

/* ---- YAML ------------------------------------------------------------ */

struct ctx {
	yaml_document_t *doc;
	const char *name;
	struct dd_err *err;
	struct dd_policy *p;
};

static dd_code bad(struct ctx *c, const yaml_node_t *n, const char *what)
{
	return dd_err_set(c->err, DD_EINVAL, "%s: line %lu: %s", c->name,
			  n ? (unsigned long)n->start_mark.line + 1 : 0ul, what);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(struct ctx *c, int i)
{
	return yaml_document_get_node(c->doc, i);
}

static dd_code get_double(struct ctx *c, const yaml_node_t *n, double lo, double hi, double *out)
{
	const char *s = scalar(n);
	char *end;
	if (!s || !*s)
		return bad(c, n, "expected a number");
	double v = strtod(s, &end);
	if (*end || v < lo || v > hi)
		return bad(c, n, "number out of range");
	*out = v;
	return DD_OK;
}

static dd_code get_int(struct ctx *c, const yaml_node_t *n, long lo, long hi, long *out)
{
	const char *s = scalar(n);
	char *end;
	if (!s || !*s)
		return bad(c, n, "expected an integer");
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return bad(c, n, "integer out of range");
	*out = v;
	return DD_OK;
}

static dd_code get_bool(struct ctx *c, const yaml_node_t *n, int *out)
{
	const char *s = scalar(n);
	if (s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0))
		*out = 1;
	else if (s && (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0))
		*out = 0;
	else
		return bad(c, n, "expected true or false");
	return DD_OK;
}

static dd_code get_str(struct ctx *c, const yaml_node_t *n, char *out, size_t cap)
{
	const char *s = scalar(n);
	if (!s)
		return bad(c, n, "expected a string");
	if (strlen(s) >= cap)
		return bad(c, n, "string too long");
	memcpy(out, s, strlen(s) + 1);
	return DD_OK;
}

static dd_code get_prio(struct ctx *c, const yaml_node_t *n, enum dd_priority *out)
{
	enum dd_priority p = dd_priority_parse(scalar(n));
	if (p == DD_PRIO_NONE)
		return bad(c, n, "expected P1, P2 or P3");
	*out = p;
	return DD_OK;
}

#define FOR_PAIRS(c, map, k, v)                                                          \
	for (yaml_node_pair_t *pr_ = (map)->data.mapping.pairs.start;                    \
	     pr_ < (map)->data.mapping.pairs.top &&                                      \
	     ((k) = node(c, pr_->key), (v) = node(c, pr_->value), 1);                    \
	     pr_++)
#define FOR_ITEMS(c, seq, v)                                                             \
	for (yaml_node_item_t *it_ = (seq)->data.sequence.items.start;                   \
	     it_ < (seq)->data.sequence.items.top && ((v) = node(c, *it_), 1); it_++)

static dd_code parse_bands(struct ctx *c, yaml_node_t *m)
{
	yaml_node_t *k, *v;
	if (m->type != YAML_MAPPING_NODE)
		return bad(c, m, "bands: expected a mapping P1/P2/P3");
	FOR_PAIRS(c, m, k, v) {
		enum dd_priority p = DD_PRIO_NONE;
		dd_code rc_;
		if ((rc_ = get_prio(c, k, &p)))
			return rc_;
		if (v->type == YAML_SCALAR_NODE) {
			if ((rc_ = get_double(c, v, 0, 10, &c->p->band_min[p])))
				return rc_;
			continue;
		}
		if (v->type != YAML_MAPPING_NODE)
			return bad(c, v, "band: expected {min: N, label: WORD}");
		yaml_node_t *k2, *v2;
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top &&
		     ((k2 = node(c, q->key)), (v2 = node(c, q->value)), 1);
		     q++) {
			const char *key = scalar(k2);
			dd_code rc;
			if (key && strcmp(key, "min") == 0)
				rc = get_double(c, v2, 0, 10, &c->p->band_min[p]);
			else if (key && strcmp(key, "label") == 0)
				rc = get_str(c, v2, c->p->label[p], sizeof c->p->label[p]);
			else
				rc = bad(c, k2, "band: unknown key (min, label)");
			if (rc)
				return rc;
		}
	}
	if (!(c->p->band_min[1] >= c->p->band_min[2] && c->p->band_min[2] >= c->p->band_min[3]))
		return bad(c, m, "bands: P1 min must be >= P2 min >= P3 min");
	return DD_OK;
}

static dd_code parse_sources(struct ctx *c, yaml_node_t *s)
{
	yaml_node_t *v;
	if (s->type != YAML_SEQUENCE_NODE)
		return bad(c, s, "score_sources: expected a list");
	c->p->nsrc = 0;
	FOR_ITEMS(c, s, v) {
		const char *w = scalar(v);
		if (!w)
			return bad(c, v, "score_sources: expected 'SOURCE [VERSION]'");
		if (c->p->nsrc == DD_POLICY_MAX_SOURCES)
			return bad(c, v, "score_sources: too many entries");
		struct score_source *ss = &c->p->src[c->p->nsrc++];
		memset(ss, 0, sizeof *ss);
		const char *sp = strchr(w, ' ');
		size_t n = sp ? (size_t)(sp - w) : strlen(w);
		if (n == 0 || n >= sizeof ss->source || (sp && strlen(sp + 1) >= sizeof ss->version))
			return bad(c, v, "score_sources: entry too long");
		memcpy(ss->source, w, n);
		if (sp)
			memcpy(ss->version, sp + 1, strlen(sp + 1) + 1);
	}
	return DD_OK;
}

static dd_code parse_sla(struct ctx *c, yaml_node_t *m)
{
	yaml_node_t *k, *v;
	if (m->type != YAML_MAPPING_NODE)
		return bad(c, m, "sla: expected a mapping P1/P2/P3: days");
	FOR_PAIRS(c, m, k, v) {
		enum dd_priority p = DD_PRIO_NONE;
		dd_code rc_;
		if ((rc_ = get_prio(c, k, &p)))
			return rc_;
		const char *s = scalar(v);
		if (s && strcasecmp(s, "none") == 0) {
			c->p->sla[p] = DD_SLA_NONE;
			continue;
		}
		long days;
		if ((rc_ = get_int(c, v, 0, 3650, &days)))
			return rc_;
		c->p->sla[p] = (int)days;
	}
	return DD_OK;
}

static dd_code parse_weekend(struct ctx *c, yaml_node_t *s)
{
	static const char *days[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	yaml_node_t *v;
	if (s->type != YAML_SEQUENCE_NODE)
		return bad(c, s, "weekend: expected a list of day names");
	memset(c->p->weekend, 0, sizeof c->p->weekend);
	FOR_ITEMS(c, s, v) {
		const char *w = scalar(v);
		int found = -1;
		for (int i = 0; w && i < 7; i++)
			if (strncasecmp(w, days[i], 3) == 0)
				found = i;
		if (found < 0)
			return bad(c, v, "weekend: not a day name");
		c->p->weekend[found] = true;
	}
	return DD_OK;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static dd_code parse_holidays(struct ctx *c, yaml_node_t *s)
{
	yaml_node_t *v;
	if (s->type != YAML_SEQUENCE_NODE)
		return bad(c, s, "holidays: expected a list of dates");
	size_t n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	if (n > DD_POLICY_MAX_HOLIDAYS)
		return bad(c, s, "holidays: too many dates");
	free(c->p->holidays);
	c->p->holidays = NULL;
	c->p->nholidays = 0;
	if (n == 0)
		return DD_OK;
	c->p->holidays = dd_calloc(n, sizeof *c->p->holidays);
	if (!c->p->holidays)
		return dd_err_set(c->err, DD_ENOMEM, "%s: out of memory", c->name);
	FOR_ITEMS(c, s, v) {
		const char *w = scalar(v);
		int64_t t;
		if (!w || strlen(w) != 10 || dd_time_parse(w, &t, NULL) != DD_OK)
			return bad(c, v, "holidays: expected YYYY-MM-DD");
		c->p->holidays[c->p->nholidays++] = t / 86400;
	}
	qsort(c->p->holidays, c->p->nholidays, sizeof *c->p->holidays, cmp_i64);
	size_t u = 0;
	for (size_t i = 0; i < c->p->nholidays; i++)
		if (u == 0 || c->p->holidays[u - 1] != c->p->holidays[i])
			c->p->holidays[u++] = c->p->holidays[i];
	c->p->nholidays = u;
	return DD_OK;
}

static dd_code parse_when(struct ctx *c, yaml_node_t *m, struct policy_rule *r)
{
	yaml_node_t *k, *v;
	if (m->type != YAML_MAPPING_NODE)
		return bad(c, m, "rule: 'when' must be a mapping");
	FOR_PAIRS(c, m, k, v) {
		const char *key = scalar(k);
		dd_code rc = DD_OK;
		long n;
		if (!key) {
			rc = bad(c, k, "rule: condition names are strings");
		} else if (strcmp(key, "criticality_min") == 0) {
			if (!(rc = get_int(c, v, 1, 5, &n)))
				r->crit_min = (int)n;
		} else if (strcmp(key, "criticality_max") == 0) {
			if (!(rc = get_int(c, v, 1, 5, &n)))
				r->crit_max = (int)n;
		} else if (strcmp(key, "exposure") == 0) {
			enum dd_exposure e;
			if (!dd_exposure_parse(scalar(v), &e))
				rc = bad(c, v, "exposure: internet, internal or isolated");
			else
				r->exposure = (int)e;
		} else if (strcmp(key, "sensitivity") == 0) {
			rc = get_str(c, v, r->sensitivity, sizeof r->sensitivity);
		} else if (strcmp(key, "kev") == 0) {
			rc = get_bool(c, v, &r->kev);
		} else if (strcmp(key, "exception") == 0) {
			rc = get_bool(c, v, &r->exception);
		} else if (strcmp(key, "epss_min") == 0) {
			const char *s = scalar(v);
			if (s && strcmp(s, "threshold") == 0)
				r->epss_min = -2;
			else
				rc = get_double(c, v, 0, 1, &r->epss_min);
		} else if (strcmp(key, "vex") == 0) {
			rc = get_str(c, v, r->vex, sizeof r->vex);
		} else if (strcmp(key, "verification") == 0) {
			rc = get_str(c, v, r->verification, sizeof r->verification);
		} else if (strcmp(key, "priority") == 0) {
			enum dd_priority p;
			if (!(rc = get_prio(c, v, &p)))
				r->band = (int)p;
		} else if (strcmp(key, "unscored") == 0) {
			int b;
			if (!(rc = get_bool(c, v, &b)))
				r->unscored_only = b;
		} else if (strcmp(key, "package") == 0) {
			rc = get_str(c, v, r->package, sizeof r->package);
		} else if (strcmp(key, "vulnerability") == 0) {
			rc = get_str(c, v, r->vuln, sizeof r->vuln);
		} else {
			rc = bad(c, k, "rule: unknown condition");
		}
		if (rc)
			return rc;
	}
	return DD_OK;
}

static dd_code parse_rules(struct ctx *c, yaml_node_t *s)
{
	yaml_node_t *v;
	if (s->type != YAML_SEQUENCE_NODE)
		return bad(c, s, "rules: expected a list");
	size_t n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	if (n > DD_POLICY_MAX_RULES)
		return bad(c, s, "rules: too many rules");
	free(c->p->rules);
	c->p->rules = n ? dd_calloc(n, sizeof *c->p->rules) : NULL;
	c->p->nrules = 0;
	if (n && !c->p->rules)
		return dd_err_set(c->err, DD_ENOMEM, "%s: out of memory", c->name);
	FOR_ITEMS(c, s, v) {
		struct policy_rule *r = &c->p->rules[c->p->nrules];
		r->exposure = -1;
		r->kev = -1;
		r->exception = -1;
		r->epss_min = -1;
		bool have_then = false;
		yaml_node_t *k, *x;
		if (v->type != YAML_MAPPING_NODE)
			return bad(c, v, "rule: expected {name, when, then}");
		FOR_PAIRS(c, v, k, x) {
			const char *key = scalar(k);
			dd_code rc = DD_OK;
			if (key && strcmp(key, "name") == 0) {
				rc = get_str(c, x, r->name, sizeof r->name);
			} else if (key && strcmp(key, "when") == 0) {
				rc = parse_when(c, x, r);
			} else if (key && strcmp(key, "then") == 0) {
				const char *a = scalar(x);
				have_then = true;
				if (a && strcmp(a, "raise") == 0)
					r->action = RULE_RAISE;
				else if (a && strcmp(a, "lower") == 0)
					r->action = RULE_LOWER;
				else if (a && strcmp(a, "close") == 0)
					r->action = RULE_CLOSE;
				else if (a && strcmp(a, "suppress") == 0)
					r->action = RULE_SUPPRESS;
				else if (a && strncmp(a, "set ", 4) == 0 &&
					 (r->set_to = dd_priority_parse(a + 4)) != DD_PRIO_NONE)
					r->action = RULE_SET;
				else
					rc = bad(c, x, "rule: then is raise, lower, set P1..P3, close or suppress");
			} else {
				rc = bad(c, k, "rule: unknown key (name, when, then)");
			}
			if (rc)
				return rc;
		}
		if (!r->name[0])
			return bad(c, v, "rule: a name is required");
		if (!have_then)
			return bad(c, v, "rule: 'then' is required");
		c->p->nrules++;
	}
	return DD_OK;
}

static dd_code parse_into(struct dd_policy *p, const char *data, size_t len, const char *name,
			  struct dd_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	dd_code rc = DD_OK;
	if (len > POLICY_FILE_MAX)
		return dd_err_set(err, DD_ELIMIT, "%s: policy larger than %u bytes", name, POLICY_FILE_MAX);
	if (!yaml_parser_initialize(&parser))
		return dd_err_set(err, DD_ENOMEM, "%s: out of memory", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = dd_err_set(err, DD_EINVAL, "%s: line %lu: %s", name,
				(unsigned long)parser.problem_mark.line + 1,
				parser.problem ? parser.problem : "YAML error");
		yaml_parser_delete(&parser);
		return rc;
	}
	struct ctx c = { &doc, name, err, p };
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root)
		goto out; /* an empty file keeps every default */
	if (root->type != YAML_MAPPING_NODE) {
		rc = bad(&c, root, "expected a mapping at the top");
		goto out;
	}
	yaml_node_t *k, *v;
	FOR_PAIRS(&c, root, k, v) {
		const char *key = scalar(k);
		if (!key)
			rc = bad(&c, k, "keys are strings");
		else if (strcmp(key, "bands") == 0)
			rc = parse_bands(&c, v);
		else if (strcmp(key, "score_sources") == 0)
			rc = parse_sources(&c, v);
		else if (strcmp(key, "unscored") == 0)
			rc = get_prio(&c, v, &p->unscored);
		else if (strcmp(key, "epss_threshold") == 0)
			rc = get_double(&c, v, 0, 1, &p->epss_threshold);
		else if (strcmp(key, "sla") == 0)
			rc = parse_sla(&c, v);
		else if (strcmp(key, "weekend") == 0)
			rc = parse_weekend(&c, v);
		else if (strcmp(key, "holidays") == 0)
			rc = parse_holidays(&c, v);
		else if (strcmp(key, "rules") == 0)
			rc = parse_rules(&c, v);
		else
			rc = bad(&c, k, "unknown key");
		if (rc)
			break;
	}
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

dd_code dd_policy_default(struct dd_policy **out, struct dd_err *err)
{
	struct dd_policy *p = dd_calloc(1, sizeof *p);
	if (!p)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = parse_into(p, default_yaml, sizeof default_yaml - 1, "default policy", err);
	if (rc) {
		dd_policy_free(p);
		return rc;
	}
	*out = p;
	return DD_OK;
}

dd_code dd_policy_parse(const char *data, size_t len, const char *name, struct dd_policy **out,
			struct dd_err *err)
{
	struct dd_policy *p;
	dd_code rc = dd_policy_default(&p, err);
	if (rc)
		return rc;
	rc = parse_into(p, data, len, name, err);
	if (rc) {
		dd_policy_free(p);
		return rc;
	}
	*out = p;
	return DD_OK;
}

dd_code dd_policy_load(const char *path, struct dd_policy **out, struct dd_err *err)
{
	struct dd_buf b;
	dd_buf_init(&b, POLICY_FILE_MAX);
	dd_code rc = dd_buf_read_file(&b, path, err);
	if (rc == DD_OK)
		rc = dd_policy_parse(b.data ? b.data : "", b.len, path, out, err);
	dd_buf_release(&b);
	return rc;
}

/* ---- assessment -------------------------------------------------------- */

static bool is_nvd(const char *s)
{
	return s && strcasecmp(s, "nvd") == 0;
}

void dd_policy_pick_score(const struct dd_policy *p, const struct dd_finding *f, double *score,
			  const char **source)
{
	*score = -1;
	*source = NULL;
	for (size_t i = 0; i < p->nsrc; i++) {
		const struct score_source *ss = &p->src[i];
		bool vendor = strcmp(ss->source, "vendor") == 0;
		for (size_t j = 0; j < f->ncvss; j++) {
			const struct dd_cvss *cv = &f->cvss[j];
			if (cv->score < 0 || cv->score > 10)
				continue;
			if (vendor ? is_nvd(cv->source)
				   : !(cv->source && strcasecmp(cv->source, ss->source) == 0))
				continue;
			if (ss->version[0] && !(cv->version && strcmp(cv->version, ss->version) == 0))
				continue;
			*score = cv->score;
			*source = cv->source;
			return;
		}
	}
	/* A matcher that set only the summary score still counts as the vendor's. */
	if (f->score >= 0 && f->score <= 10) {
		*score = f->score;
		*source = f->score_source ? f->score_source : "vendor";
	}
}

static bool rule_matches(const struct dd_policy *p, const struct policy_rule *r,
			 const struct dd_assess_in *in, enum dd_priority cur, bool unscored)
{
	const struct dd_impact *im = in->impact;
	int crit = im && im->criticality ? im->criticality : 3;
	int expo = im ? (int)im->exposure : DD_EXPOSURE_INTERNAL;
	if (r->crit_min && crit < r->crit_min)
		return false;
	if (r->crit_max && crit > r->crit_max)
		return false;
	if (r->exposure >= 0 && expo != r->exposure)
		return false;
	if (r->sensitivity[0] &&
	    !(im && im->sensitivity && strcasecmp(im->sensitivity, r->sensitivity) == 0))
		return false;
	if (r->kev >= 0 && (int)in->kev != r->kev)
		return false;
	if (r->exception >= 0 && (int)in->exception_active != r->exception)
		return false;
	if (r->epss_min != -1) {
		double min = r->epss_min == -2 ? p->epss_threshold : r->epss_min;
		if (in->epss < 0 || in->epss < min)
			return false;
	}
	if (r->vex[0] && !(in->vex_status && strcmp(in->vex_status, r->vex) == 0))
		return false;
	if (r->verification[0] &&
	    !(in->verification && strcmp(in->verification, r->verification) == 0))
		return false;
	if (r->band && (int)cur != r->band)
		return false;
	if (r->unscored_only && !unscored)
		return false;
	if (r->package[0] && !(in->package && fnmatch(r->package, in->package, 0) == 0))
		return false;
	if (r->vuln[0] && !(in->vuln && fnmatch(r->vuln, in->vuln, 0) == 0))
		return false;
	return true;
}

static void why_cat(struct dd_assessment *a, const char *part)
{
	size_t len = strlen(a->why);
	if (len + 1 < sizeof a->why)
		snprintf(a->why + len, sizeof a->why - len, "%s", part);
}

void dd_policy_assess(const struct dd_policy *p, const struct dd_assess_in *in,
		      struct dd_assessment *a)
{
	memset(a, 0, sizeof *a);
	if (in->score < 0) {
		a->unscored = true;
		a->band = p->unscored;
		snprintf(a->why, sizeof a->why, "unscored: default %s", dd_priority_name(a->band));
	} else {
		a->band = DD_PRIO_P3;
		for (int b = DD_PRIO_P1; b < DD_PRIO_COUNT; b++)
			if (in->score >= p->band_min[b]) {
				a->band = (enum dd_priority)b;
				break;
			}
		snprintf(a->why, sizeof a->why, "cvss %.1f (%s) >= %.1f: %s (%s)", in->score,
			 in->score_source ? in->score_source : "vendor", p->band_min[a->band],
			 dd_priority_name(a->band), p->label[a->band]);
	}
	enum dd_priority cur = a->band;
	char part[128];
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		if (!rule_matches(p, r, in, cur, a->unscored))
			continue;
		enum dd_priority before = cur;
		switch (r->action) {
		case RULE_RAISE:
			if (cur > DD_PRIO_P1)
				cur = (enum dd_priority)(cur - 1);
			break;
		case RULE_LOWER:
			if (cur < DD_PRIO_P3)
				cur = (enum dd_priority)(cur + 1);
			break;
		case RULE_SET:
			cur = r->set_to;
			break;
		case RULE_CLOSE:
		case RULE_SUPPRESS:
			if (a->action == DD_ASSESS_OPEN) {
				a->action = r->action == RULE_CLOSE ? DD_ASSESS_CLOSE : DD_ASSESS_SUPPRESS;
				snprintf(a->action_rule, sizeof a->action_rule, "%s", r->name);
			}
			snprintf(part, sizeof part, "; rule %s: %s", r->name,
				 r->action == RULE_CLOSE ? "close" : "suppress");
			why_cat(a, part);
			continue;
		}
		if (before == cur)
			snprintf(part, sizeof part, "; rule %s: %s (unchanged)", r->name,
				 dd_priority_name(cur));
		else
			snprintf(part, sizeof part, "; rule %s: %s->%s", r->name,
				 dd_priority_name(before), dd_priority_name(cur));
		why_cat(a, part);
	}
	a->priority = cur;
}

double dd_policy_epss_threshold(const struct dd_policy *p)
{
	return p->epss_threshold;
}

double dd_policy_band_min(const struct dd_policy *p, enum dd_priority prio)
{
	return (unsigned)prio < DD_PRIO_COUNT ? p->band_min[prio] : 0;
}

const char *dd_policy_band_label(const struct dd_policy *p, enum dd_priority prio)
{
	return (unsigned)prio < DD_PRIO_COUNT ? p->label[prio] : "";
}
