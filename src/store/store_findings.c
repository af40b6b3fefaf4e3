/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Findings after the scan: listing in remediation order, the event history,
 * triage decisions (with exceptions for risk acceptance), sandbox
 * verification records (handbook §2.2.3) and reassessment, which re-runs the
 * policy on one stored finding so a verification, a VEX statement or an
 * exception changes its priority and state the same way a rescan would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hash.h"

#define FINDING_COLS                                                                        \
	"f.id, a.name, a.criticality, a.exposure, f.vuln, f.aliases, f.summary, f.pkg_key,"  \
	" f.package, f.pkg_type, f.purl, f.installed, f.fixed_version, f.namespace, f.state," \
	" f.priority, f.unscored, f.score, f.score_source, f.cvss_rating, f.vendor_rating,"   \
	" f.kev, f.epss, f.why, f.first_seen, f.last_seen, f.due, f.closed_at, f.first_scan," \
	" f.last_scan, f.fixed_scan, f.fix_evidence, f.reintroduced"
#define FINDING_NCOLS 33

struct frows {
	struct dd_arena *a;
	struct dd_finding_row *v;
	size_t n, cap;
	int64_t now;
	bool fail;
};

static const char *adup(struct dd_arena *a, const char *v)
{
	return v ? dd_arena_strdup(a, v) : NULL;
}

static int finding_row(void *ud, int nc, const char *const *v)
{
	struct frows *r = ud;
	if (nc < FINDING_NCOLS || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct dd_finding_row *x = &r->v[r->n++];
	struct dd_arena *a = r->a;
	memset(x, 0, sizeof *x);
	x->id = dd_store_i64(v[0]);
	x->asset = adup(a, v[1]);
	x->criticality = (int)dd_store_i64(v[2]);
	x->exposure = adup(a, v[3]);
	x->vuln = adup(a, v[4]);
	x->aliases = adup(a, v[5]);
	x->summary = adup(a, v[6]);
	x->pkg_key = adup(a, v[7]);
	x->package = adup(a, v[8]);
	x->pkg_type = adup(a, v[9]);
	x->purl = adup(a, v[10]);
	x->installed = adup(a, v[11]);
	x->fixed_version = adup(a, v[12]);
	x->namespace_ = adup(a, v[13]);
	x->state = adup(a, v[14]);
	x->priority = (enum dd_priority)dd_store_i64(v[15]);
	x->unscored = dd_store_i64(v[16]) != 0;
	x->score = dd_store_dbl(v[17], -1);
	x->score_source = adup(a, v[18]);
	x->cvss_rating = adup(a, v[19]);
	x->vendor_rating = adup(a, v[20]);
	x->kev = dd_store_i64(v[21]) != 0;
	x->epss = dd_store_dbl(v[22], -1);
	x->why = adup(a, v[23]);
	x->first_seen = dd_store_i64(v[24]);
	x->last_seen = dd_store_i64(v[25]);
	x->due = dd_store_i64(v[26]);
	x->closed_at = dd_store_i64(v[27]);
	x->first_scan = dd_store_i64(v[28]);
	x->last_scan = dd_store_i64(v[29]);
	x->fixed_scan = dd_store_i64(v[30]);
	x->fix_evidence = adup(a, v[31]);
	x->reintroduced = (long)dd_store_i64(v[32]);
	x->overdue = dd_store_state_open(x->state) && x->due && x->due < r->now;
	return 0;
}

dd_code dd_store_list_findings(struct dd_store *s, const struct dd_finding_filter *f,
			       struct dd_arena *ar, struct dd_finding_row **out, size_t *n,
			       struct dd_err *err)
{
	struct dd_finding_filter none = { 0 };
	if (!f)
		f = &none;
	struct frows r = { .a = ar, .now = f->now ? f->now : dd_clock_now() };
	struct dd_sqlv p[8];
	int np = 0;
	struct dd_buf q;
	dd_buf_init(&q, 8192);
	dd_buf_puts(&q, "SELECT " FINDING_COLS " FROM findings f JOIN assets a ON a.id = f.asset_id"
			" WHERE 1 = 1", NULL);
	/* Conditions are added with the next parameter number; the text of
	 * each combination is a cached statement of its own. */
	if (f->asset) {
		p[np++] = SQLV_TEXT(f->asset);
		dd_buf_printf(&q, NULL, " AND a.name = $%d", np);
	}
	if (f->state) {
		p[np++] = SQLV_TEXT(f->state);
		dd_buf_printf(&q, NULL, " AND f.state = $%d", np);
	}
	if (f->package) {
		p[np++] = SQLV_TEXT(f->package);
		dd_buf_printf(&q, NULL, " AND f.package = $%d", np);
	}
	if (f->vuln) {
		p[np++] = SQLV_TEXT(f->vuln);
		dd_buf_printf(&q, NULL, " AND f.vuln = $%d", np);
	}
	if (f->priority) {
		p[np++] = SQLV_INT(f->priority);
		dd_buf_printf(&q, NULL, " AND f.priority = $%d", np);
	}
	if (f->id) {
		p[np++] = SQLV_INT(f->id);
		dd_buf_printf(&q, NULL, " AND f.id = $%d", np);
	}
	if (f->overdue) {
		p[np++] = SQLV_INT(r.now);
		dd_buf_printf(&q, NULL,
			      " AND f.state IN ('open', 'confirmed') AND f.due > 0 AND f.due < $%d", np);
	}
	if (f->open_only)
		dd_buf_puts(&q, " AND f.state IN ('open', 'confirmed', 'risk_accepted')", NULL);
	/* Remediation order (issue 7): band, then business impact
	 * (criticality, then exposure), then score, then age. */
	if (f->order == DD_ORDER_PRIORITY)
		dd_buf_puts(&q, " ORDER BY CASE WHEN f.priority = 0 THEN 9 ELSE f.priority END,"
				" a.criticality DESC, CASE a.exposure WHEN 'internet' THEN 0"
				" WHEN 'internal' THEN 1 ELSE 2 END, COALESCE(f.score, -1) DESC,"
				" f.first_seen, f.id", NULL);
	else
		dd_buf_puts(&q, " ORDER BY f.id", NULL);
	if (f->limit) {
		p[np++] = SQLV_INT(f->limit);
		dd_buf_printf(&q, NULL, " LIMIT $%d", np);
	}
	dd_code rc = q.data ? st_q(s, q.data, p, np, finding_row, &r, err)
			    : dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_buf_release(&q);
	if (rc == DD_OK && r.fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = NULL;
	*n = 0;
	if (rc == DD_OK && r.n) {
		*out = dd_arena_memdup(ar, r.v, r.n * sizeof *r.v);
		*n = *out ? r.n : 0;
		if (!*out)
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	free(r.v);
	return rc;
}

struct erows {
	struct dd_arena *a;
	struct dd_event_row *v;
	size_t n, cap;
	bool fail;
};

static int event_row(void *ud, int nc, const char *const *v)
{
	struct erows *r = ud;
	if (nc < 9 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct dd_event_row *x = &r->v[r->n++];
	x->id = dd_store_i64(v[0]);
	x->finding_id = dd_store_i64(v[1]);
	x->scan_id = dd_store_i64(v[2]);
	x->at = dd_store_i64(v[3]);
	x->who = adup(r->a, v[4]);
	x->kind = adup(r->a, v[5]);
	x->from_state = adup(r->a, v[6]);
	x->to_state = adup(r->a, v[7]);
	x->why = adup(r->a, v[8]);
	return 0;
}

dd_code dd_store_list_events(struct dd_store *s, int64_t finding_id, struct dd_arena *ar,
			     struct dd_event_row **out, size_t *n, struct dd_err *err)
{
	struct erows r = { .a = ar };
	struct dd_sqlv p[] = { SQLV_INT(finding_id) };
	dd_code rc = st_q(s,
			  "SELECT id, finding_id, scan_id, at, who, kind, from_state, to_state, why"
			  " FROM events WHERE finding_id = $1 ORDER BY at, id",
			  p, 1, event_row, &r, err);
	if (rc == DD_OK && r.fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = NULL;
	*n = 0;
	if (rc == DD_OK && r.n) {
		*out = dd_arena_memdup(ar, r.v, r.n * sizeof *r.v);
		*n = *out ? r.n : 0;
	}
	free(r.v);
	return rc;
}

/* ---- reassessment -------------------------------------------------------- */

struct one {
	bool found;
	char state[32];
	char vuln[256], package[256], purl[512];
	char verification[32], vex[32], source[64];
	double score, epss;
	bool kev, exception;
	int64_t first_seen;
	struct dd_impact impact;
};

static void cpy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static int one_row(void *ud, int nc, const char *const *v)
{
	struct one *o = ud;
	if (nc < 16)
		return 1;
	o->found = true;
	cpy(o->state, sizeof o->state, v[0]);
	cpy(o->vuln, sizeof o->vuln, v[1]);
	cpy(o->package, sizeof o->package, v[2]);
	cpy(o->purl, sizeof o->purl, v[3]);
	cpy(o->verification, sizeof o->verification, v[4]);
	cpy(o->vex, sizeof o->vex, v[5]);
	o->score = dd_store_dbl(v[6], -1);
	cpy(o->source, sizeof o->source, v[7]);
	o->kev = dd_store_i64(v[8]) != 0;
	o->epss = dd_store_dbl(v[9], -1);
	o->first_seen = dd_store_i64(v[10]);
	dd_impact_init(&o->impact);
	o->impact.criticality = (int)dd_store_i64(v[11]);
	dd_exposure_parse(v[12], &o->impact.exposure);
	for (int i = 1; i <= 3; i++)
		o->impact.sla_days[i] = (int)dd_store_i64(v[12 + i]);
	o->exception = v[15] && dd_store_i64(v[15]) > 0;
	return 1;
}

dd_code dd_store_reassess(struct dd_store *s, int64_t id, int64_t now, const char *who,
			  const char *kind, struct dd_err *err)
{
	struct one o = { 0 };
	struct dd_sqlv p[] = { SQLV_INT(id), SQLV_INT(now) };
	dd_code rc = st_q(s,
		"SELECT f.state, f.vuln, f.package, f.purl, f.verification, f.vex_status, f.score,"
		" f.score_source, f.kev, f.epss, f.first_seen, a.criticality, a.exposure, a.sla_p1,"
		" a.sla_p2, a.sla_p3, (SELECT COUNT(*) FROM exceptions e WHERE e.finding_id = f.id"
		" AND e.expires > $2) FROM findings f JOIN assets a ON a.id = f.asset_id"
		" WHERE f.id = $1",
		p, 2, one_row, &o, err);
	if (rc)
		return rc;
	if (!o.found)
		return dd_err_set(err, DD_ENOTFOUND, "no finding %lld", (long long)id);
	struct dd_assess_in in = {
		.vuln = o.vuln, .package = o.package, .score = o.score,
		.score_source = o.source[0] ? o.source : NULL, .kev = o.kev, .epss = o.epss,
		.vex_status = o.vex[0] ? o.vex : NULL,
		.verification = o.verification[0] ? o.verification : NULL,
		.exception_active = o.exception, .impact = &o.impact,
	};
	struct dd_assessment as;
	dd_policy_assess(s->policy, &in, &as);
	const char *state = o.state;
	char why[600] = "";
	if (as.action == DD_ASSESS_CLOSE && dd_store_state_open(state)) {
		state = DD_STATE_NOT_AFFECTED;
		snprintf(why, sizeof why, "rule %s", as.action_rule);
	} else if (as.action == DD_ASSESS_SUPPRESS && dd_store_state_open(state)) {
		state = DD_STATE_RISK_ACCEPTED;
		snprintf(why, sizeof why, "rule %s", as.action_rule);
	} else if (strcmp(state, DD_STATE_RISK_ACCEPTED) == 0 && !o.exception) {
		state = DD_STATE_OPEN;
		snprintf(why, sizeof why, "exception expired");
	} else if (kind && strcmp(kind, "verification") == 0 && o.verification[0] &&
		   strcmp(o.verification, "reproduced") == 0 && strcmp(state, DD_STATE_OPEN) == 0) {
		state = DD_STATE_CONFIRMED;
		snprintf(why, sizeof why, "reproduced in a sandbox");
	}
	int64_t due = dd_policy_due(s->policy, o.first_seen,
				    dd_policy_sla_days(s->policy, as.priority, &o.impact));
	bool closing = strcmp(state, o.state) != 0 &&
		       (strcmp(state, DD_STATE_NOT_AFFECTED) == 0);
	struct dd_sqlv u[] = { SQLV_INT(as.priority), SQLV_TEXT(as.why), SQLV_INT(due),
			       SQLV_TEXT(state), SQLV_INT(closing ? now : 0), SQLV_INT(id) };
	rc = st_q(s,
		  "UPDATE findings SET priority = $1, why = $2, due = $3, state = $4,"
		  " closed_at = CASE WHEN CAST($5 AS BIGINT) > 0 THEN CAST($5 AS BIGINT)"
		  " ELSE closed_at END WHERE id = $6",
		  u, 6, NULL, NULL, err);
	if (rc == DD_OK && strcmp(state, o.state) != 0)
		rc = dd_store_event(s, id, 0, now, who, kind, o.state, state, why, err);
	return rc;
}

/* ---- triage and verification --------------------------------------------- */

static dd_code in_tx(struct dd_store *s, dd_code rc, struct dd_err *err)
{
	if (rc == DD_OK)
		rc = s->be->commit(s->conn, err);
	if (rc)
		s->be->rollback(s->conn);
	return rc;
}

dd_code dd_store_triage(struct dd_store *s, int64_t id, const char *state, const char *reason,
			const char *who, int64_t expires, int64_t now, struct dd_err *err)
{
	if (!dd_store_state_valid(state) || strcmp(state, DD_STATE_FIXED) == 0)
		return dd_err_set(err, DD_EUSAGE,
				  "triage state '%s': use open, confirmed, false_positive,"
				  " not_affected or risk_accepted", state ? state : "");
	if (!reason || !*reason)
		return dd_err_set(err, DD_EUSAGE, "triage needs a reason");
	if (!now)
		now = dd_clock_now();
	if (strcmp(state, DD_STATE_RISK_ACCEPTED) == 0 && expires <= now)
		return dd_err_set(err, DD_EUSAGE, "risk acceptance needs an expiry date in the future");
	dd_code rc = s->be->begin(s->conn, true, err);
	if (rc)
		return rc;
	struct st_str cur = { .a = dd_arena_new(4096) };
	struct dd_sqlv p[] = { SQLV_INT(id) };
	rc = cur.a ? st_q(s, "SELECT state FROM findings WHERE id = $1", p, 1, dd_store_row_str, &cur,
			  err)
		   : dd_err_set(err, DD_ENOMEM, "out of memory");
	if (rc == DD_OK && !cur.found)
		rc = dd_err_set(err, DD_ENOTFOUND, "no finding %lld", (long long)id);
	if (rc == DD_OK) {
		bool closed = strcmp(state, DD_STATE_FALSE_POSITIVE) == 0 ||
			      strcmp(state, DD_STATE_NOT_AFFECTED) == 0;
		struct dd_sqlv u[] = { SQLV_TEXT(state), SQLV_INT(closed ? now : 0), SQLV_INT(id) };
		rc = st_q(s, "UPDATE findings SET state = $1, closed_at = $2 WHERE id = $3", u, 3,
			  NULL, NULL, err);
	}
	if (rc == DD_OK && strcmp(state, DD_STATE_RISK_ACCEPTED) == 0) {
		struct dd_sqlv e[] = { SQLV_INT(id), SQLV_TEXT(who), SQLV_TEXT(reason),
				       SQLV_INT(expires), SQLV_INT(now) };
		rc = st_q(s,
			  "INSERT INTO exceptions (finding_id, owner, reason, expires, created)"
			  " VALUES ($1, $2, $3, $4, $5)",
			  e, 5, NULL, NULL, err);
	}
	if (rc == DD_OK)
		rc = dd_store_event(s, id, 0, now, who, "triage", cur.s, state, reason, err);
	if (rc == DD_OK && strcmp(state, DD_STATE_OPEN) == 0)
		rc = dd_store_reassess(s, id, now, who, "triage", err);
	dd_arena_free(cur.a);
	return in_tx(s, rc, err);
}

dd_code dd_store_verify(struct dd_store *s, int64_t id, const char *result, const char *conditions,
			const char *evidence_name, const char *evidence, size_t evidence_len,
			const char *who, int64_t now, struct dd_err *err)
{
	if (!result || (strcmp(result, "reproduced") != 0 && strcmp(result, "not_reproduced") != 0))
		return dd_err_set(err, DD_EUSAGE, "verification result is reproduced or not_reproduced");
	if (!now)
		now = dd_clock_now();
	char digest[DD_DIGEST_STR] = "";
	char *text = NULL;
	if (evidence) {
		struct dd_sha256 h;
		dd_code rc = dd_sha256_init(&h, err);
		if (rc)
			return rc;
		dd_sha256_update(&h, evidence, evidence_len);
		dd_sha256_final(&h, digest);
		/* Stored as text; a NUL inside binary evidence ends it, the
		 * digest still covers the whole file. */
		text = dd_strndup(evidence, evidence_len);
		if (!text)
			return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	dd_code rc = s->be->begin(s->conn, true, err);
	if (rc) {
		free(text);
		return rc;
	}
	int64_t have = 0;
	struct dd_sqlv p[] = { SQLV_INT(id) };
	rc = st_q(s, "SELECT COUNT(*) FROM findings WHERE id = $1", p, 1, dd_store_row_i64, &have, err);
	if (rc == DD_OK && !have)
		rc = dd_err_set(err, DD_ENOTFOUND, "no finding %lld", (long long)id);
	const char *dg = digest[0] ? digest : NULL;
	if (rc == DD_OK) {
		struct dd_sqlv v[] = { SQLV_INT(id), SQLV_INT(now), SQLV_TEXT(who), SQLV_TEXT(result),
				       SQLV_TEXT(conditions), SQLV_TEXT(evidence_name), SQLV_TEXT(text),
				       SQLV_TEXT(dg) };
		rc = st_q(s,
			  "INSERT INTO verifications (finding_id, at, who, result, conditions,"
			  " evidence_name, evidence, evidence_sha256) VALUES ($1, $2, $3, $4, $5, $6,"
			  " $7, $8)",
			  v, 8, NULL, NULL, err);
	}
	if (rc == DD_OK) {
		struct dd_sqlv u[] = { SQLV_TEXT(result), SQLV_INT(id) };
		rc = st_q(s, "UPDATE findings SET verification = $1 WHERE id = $2", u, 2, NULL, NULL,
			  err);
	}
	if (rc == DD_OK) {
		char why[600];
		snprintf(why, sizeof why, "%s%s%s", result, conditions ? ": " : "",
			 conditions ? conditions : "");
		rc = dd_store_event(s, id, 0, now, who, "verified", NULL, NULL, why, err);
	}
	if (rc == DD_OK)
		rc = dd_store_reassess(s, id, now, who, "verification", err);
	free(text);
	return in_tx(s, rc, err);
}

struct vrows {
	struct dd_arena *a;
	struct dd_verification *v;
	size_t n, cap;
	bool fail;
};

static int ver_row(void *ud, int nc, const char *const *v)
{
	struct vrows *r = ud;
	if (nc < 9 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct dd_verification *x = &r->v[r->n++];
	x->id = dd_store_i64(v[0]);
	x->finding_id = dd_store_i64(v[1]);
	x->at = dd_store_i64(v[2]);
	x->who = adup(r->a, v[3]);
	x->result = adup(r->a, v[4]);
	x->conditions = adup(r->a, v[5]);
	x->evidence_name = adup(r->a, v[6]);
	x->evidence = adup(r->a, v[7]);
	x->evidence_sha256 = adup(r->a, v[8]);
	return 0;
}

dd_code dd_store_list_verifications(struct dd_store *s, int64_t id, struct dd_arena *ar,
				    struct dd_verification **out, size_t *n, struct dd_err *err)
{
	struct vrows r = { .a = ar };
	struct dd_sqlv p[] = { SQLV_INT(id) };
	dd_code rc = st_q(s,
			  "SELECT id, finding_id, at, who, result, conditions, evidence_name, evidence,"
			  " evidence_sha256 FROM verifications WHERE finding_id = $1 ORDER BY at, id",
			  p, 1, ver_row, &r, err);
	if (rc == DD_OK && r.fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = NULL;
	*n = 0;
	if (rc == DD_OK && r.n) {
		*out = dd_arena_memdup(ar, r.v, r.n * sizeof *r.v);
		*n = *out ? r.n : 0;
	}
	free(r.v);
	return rc;
}
