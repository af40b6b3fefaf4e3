/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The knowledge base (handbook §2.3.3: "the fix process is recorded and
 * becomes a knowledge base") and VEX in and out of the store. KB entries are
 * written by hand (kb add) or drafted by a save when a rescan closes a
 * finding as fixed. VEX statements are kept (table vex) so that later scans
 * apply them too, and applied now to matching findings through the policy
 * (rule vex-not-affected closes).
 *
 * OpenVEX output follows the v0.2.0 specification
 * (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md): statuses
 * not_affected (with a justification or impact statement), affected (with an
 * action statement), fixed, under_investigation.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "store/store_impl.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hash.h"

static const char *adup(struct dd_arena *a, const char *v)
{
	return v ? dd_arena_strdup(a, v) : NULL;
}

dd_code dd_store_kb_add(struct dd_store *s, const struct dd_kb_entry *e, int64_t now, int64_t *id,
			struct dd_err *err)
{
	if ((!e->vuln || !*e->vuln) && (!e->package || !*e->package))
		return dd_err_set(err, DD_EUSAGE, "a knowledge-base entry names a vulnerability or a package");
	struct dd_sqlv p[] = {
		SQLV_TEXT(e->vuln), SQLV_TEXT(e->package), SQLV_TEXT(e->title),
		SQLV_TEXT(e->fixed_version), SQLV_TEXT(e->base_image), SQLV_TEXT(e->steps),
		SQLV_TEXT(e->refs), SQLV_TEXT(e->kind ? e->kind : "manual"), SQLV_TEXT(e->asset),
		e->finding_id ? SQLV_INT(e->finding_id) : SQLV_NULL,
		e->scan_from ? SQLV_INT(e->scan_from) : SQLV_NULL,
		e->scan_to ? SQLV_INT(e->scan_to) : SQLV_NULL, SQLV_INT(now ? now : dd_clock_now()),
	};
	int64_t got = 0;
	/* Without an id wanted (drafts written by a save) no reply is awaited. */
	if (!id)
		return st_q(s,
			    "INSERT INTO kb (vuln, package, title, fixed_version, base_image, steps, refs,"
			    " kind, asset, finding_id, scan_from, scan_to, created) VALUES ($1, $2, $3,"
			    " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
			    p, 13, NULL, NULL, err);
	dd_code rc = st_q(s,
			  "INSERT INTO kb (vuln, package, title, fixed_version, base_image, steps, refs,"
			  " kind, asset, finding_id, scan_from, scan_to, created) VALUES ($1, $2, $3,"
			  " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
			  p, 13, dd_store_row_i64, &got, err);
	if (rc == DD_OK && id)
		*id = got;
	return rc;
}

#define KB_COLS                                                                         \
	"id, vuln, package, title, fixed_version, base_image, steps, refs, kind, asset,"   \
	" finding_id, scan_from, scan_to, created"

struct krows {
	struct dd_arena *a;
	struct dd_kb_entry *v;
	size_t n, cap;
	bool fail;
};

static int kb_row(void *ud, int nc, const char *const *v)
{
	struct krows *r = ud;
	if (nc < 14 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct dd_kb_entry *x = &r->v[r->n++];
	x->id = dd_store_i64(v[0]);
	x->vuln = adup(r->a, v[1]);
	x->package = adup(r->a, v[2]);
	x->title = adup(r->a, v[3]);
	x->fixed_version = adup(r->a, v[4]);
	x->base_image = adup(r->a, v[5]);
	x->steps = adup(r->a, v[6]);
	x->refs = adup(r->a, v[7]);
	x->kind = adup(r->a, v[8]);
	x->asset = adup(r->a, v[9]);
	x->finding_id = dd_store_i64(v[10]);
	x->scan_from = dd_store_i64(v[11]);
	x->scan_to = dd_store_i64(v[12]);
	x->created = dd_store_i64(v[13]);
	return 0;
}

static dd_code krows_out(struct krows *r, dd_code rc, struct dd_kb_entry **out, size_t *n,
			 struct dd_err *err)
{
	if (rc == DD_OK && r->fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = NULL;
	*n = 0;
	if (rc == DD_OK && r->n) {
		*out = dd_arena_memdup(r->a, r->v, r->n * sizeof *r->v);
		*n = *out ? r->n : 0;
	}
	free(r->v);
	return rc;
}

dd_code dd_store_kb_get(struct dd_store *s, int64_t id, struct dd_arena *ar,
			struct dd_kb_entry *out, struct dd_err *err)
{
	struct krows r = { .a = ar };
	struct dd_sqlv p[] = { SQLV_INT(id) };
	struct dd_kb_entry *v;
	size_t n;
	dd_code rc = krows_out(&r, st_q(s, "SELECT " KB_COLS " FROM kb WHERE id = $1", p, 1, kb_row,
					&r, err),
			       &v, &n, err);
	if (rc == DD_OK && n == 0)
		rc = dd_err_set(err, DD_ENOTFOUND, "no knowledge-base entry %lld", (long long)id);
	if (rc == DD_OK)
		*out = v[0];
	return rc;
}

dd_code dd_store_kb_search(struct dd_store *s, const char *text, const char *vuln,
			   const char *package, struct dd_arena *ar, struct dd_kb_entry **out,
			   size_t *n, struct dd_err *err)
{
	struct krows r = { .a = ar };
	struct dd_sqlv p[3];
	int np = 0;
	struct dd_buf q;
	dd_buf_init(&q, 4096);
	dd_buf_puts(&q, "SELECT " KB_COLS " FROM kb WHERE 1 = 0", NULL);
	char *like = NULL;
	if (text) {
		/* LIKE with the pattern's own wildcards escaped, lower-cased on
		 * both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's
		 * does not. */
		size_t len = strlen(text);
		like = dd_malloc(len * 2 + 3);
		if (!like) {
			dd_buf_release(&q);
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		}
		size_t j = 0;
		like[j++] = '%';
		for (size_t i = 0; i < len; i++) {
			char c = (char)tolower((unsigned char)text[i]);
			if (c == '%' || c == '_' || c == '!')
				like[j++] = '!';
			like[j++] = c;
		}
		like[j++] = '%';
		like[j] = 0;
		p[np++] = SQLV_TEXT(like);
		dd_buf_printf(&q, NULL,
			      " OR LOWER(COALESCE(vuln, '')) LIKE $%d ESCAPE '!'"
			      " OR LOWER(COALESCE(package, '')) LIKE $%d ESCAPE '!'"
			      " OR LOWER(COALESCE(title, '')) LIKE $%d ESCAPE '!'"
			      " OR LOWER(COALESCE(steps, '')) LIKE $%d ESCAPE '!'",
			      np, np, np, np);
	}
	if (vuln) {
		p[np++] = SQLV_TEXT(vuln);
		dd_buf_printf(&q, NULL, " OR vuln = $%d", np);
	}
	if (package) {
		p[np++] = SQLV_TEXT(package);
		dd_buf_printf(&q, NULL, " OR package = $%d", np);
	}
	dd_buf_puts(&q, " ORDER BY id", NULL);
	dd_code rc = q.data ? st_q(s, q.data, p, np, kb_row, &r, err)
			    : dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_buf_release(&q);
	free(like);
	return krows_out(&r, rc, out, n, err);
}

/* ---- VEX ------------------------------------------------------------------ */

static bool vex_status_valid(const char *st)
{
	return st && (strcmp(st, "not_affected") == 0 || strcmp(st, "affected") == 0 ||
		      strcmp(st, "fixed") == 0 || strcmp(st, "under_investigation") == 0);
}

struct idrows {
	int64_t *v;
	size_t n, cap;
	bool fail;
};

static int id_row(void *ud, int nc, const char *const *v)
{
	struct idrows *r = ud;
	if (nc < 1 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	r->v[r->n++] = dd_store_i64(v[0]);
	return 0;
}

dd_code dd_store_vex_apply(struct dd_store *s, const struct dd_vex_stmt *st, size_t n,
			   const char *source, const char *who, int64_t now, size_t *applied,
			   struct dd_err *err)
{
	if (!now)
		now = dd_clock_now();
	size_t count = 0;
	dd_code rc = s->be->begin(s->conn, true, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && rc == DD_OK; i++) {
		const struct dd_vex_stmt *x = &st[i];
		if (!x->vuln || !x->product || !vex_status_valid(x->status)) {
			rc = dd_err_set(err, DD_EINVAL, "%s: statement %zu: needs a vulnerability, a"
					" product and a valid status", source ? source : "VEX", i + 1);
			break;
		}
		struct dd_sqlv p[] = { SQLV_TEXT(x->vuln), SQLV_TEXT(x->product), SQLV_TEXT(x->status),
				       SQLV_TEXT(x->justification), SQLV_TEXT(x->impact),
				       SQLV_TEXT(x->action), SQLV_TEXT(source), SQLV_INT(now) };
		rc = st_q(s,
			  "INSERT INTO vex (vuln, product, status, justification, impact, action, source,"
			  " created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (vuln, product)"
			  " DO UPDATE SET status = excluded.status, justification = excluded.justification,"
			  " impact = excluded.impact, action = excluded.action, source = excluded.source,"
			  " created = excluded.created",
			  p, 8, NULL, NULL, err);
		if (rc)
			break;
		/* Findings the statement is about: the product is "*", the
		 * package name, or a purl without (or with) its version. */
		struct idrows ids = { 0 };
		char *pfx = dd_malloc(strlen(x->product) + 2);
		if (!pfx) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			break;
		}
		snprintf(pfx, strlen(x->product) + 2, "%s@", x->product);
		struct dd_sqlv q[] = { SQLV_TEXT(x->vuln), SQLV_TEXT(x->product), SQLV_TEXT(pfx) };
		rc = st_q(s,
			  "SELECT id FROM findings WHERE (vuln = $1 OR ',' || COALESCE(aliases, '') || ','"
			  " LIKE '%,' || $1 || ',%') AND ($2 = '*' OR package = $2 OR purl = $2"
			  " OR SUBSTR(purl, 1, LENGTH(CAST($3 AS TEXT))) = CAST($3 AS TEXT))",
			  q, 3, id_row, &ids, err);
		free(pfx);
		if (rc == DD_OK && ids.fail)
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		for (size_t j = 0; rc == DD_OK && j < ids.n; j++) {
			struct dd_sqlv u[] = { SQLV_TEXT(x->status), SQLV_INT(ids.v[j]) };
			rc = st_q(s, "UPDATE findings SET vex_status = $1 WHERE id = $2", u, 2, NULL,
				  NULL, err);
			if (rc == DD_OK) {
				char why[600];
				snprintf(why, sizeof why, "VEX %s from %s%s%s", x->status,
					 source ? source : "import", x->justification ? ": " : "",
					 x->justification ? x->justification : "");
				rc = dd_store_event(s, ids.v[j], 0, now, who, "vex", NULL, NULL, why, err);
			}
			if (rc == DD_OK)
				rc = dd_store_reassess(s, ids.v[j], now, who, "vex", err);
			count++;
		}
		free(ids.v);
	}
	if (rc == DD_OK)
		rc = s->be->commit(s->conn, err);
	if (rc)
		s->be->rollback(s->conn);
	else if (applied)
		*applied = count;
	return rc;
}

struct vexport {
	yajl_gen g;
	struct dd_arena *a;
	size_t n;
};

static void ys(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void ykv(yajl_gen g, const char *k, const char *v)
{
	if (!v)
		return;
	ys(g, k);
	ys(g, v);
}

static int export_row(void *ud, int nc, const char *const *v)
{
	struct vexport *x = ud;
	if (nc < 9)
		return 1;
	const char *state = v[2] ? v[2] : "", *status, *just = NULL, *impact = NULL, *action = NULL;
	char buf[700];
	if (strcmp(state, DD_STATE_NOT_AFFECTED) == 0) {
		status = "not_affected";
		just = v[6] ? v[6] : NULL;
		impact = v[8] ? v[8] : v[5] ? v[5] : "triaged as not affected";
	} else if (strcmp(state, DD_STATE_FALSE_POSITIVE) == 0) {
		/* A false positive: the scanner matched a component that does
		 * not contain the vulnerable code. */
		status = "not_affected";
		just = "vulnerable_code_not_present";
		impact = v[5] ? v[5] : "false positive";
	} else if (strcmp(state, DD_STATE_FIXED) == 0) {
		status = "fixed";
	} else if (strcmp(state, DD_STATE_RISK_ACCEPTED) == 0) {
		status = "affected";
		snprintf(buf, sizeof buf, "risk accepted: %s", v[5] ? v[5] : "");
		action = buf;
	} else {
		status = "affected";
		char due[16];
		dd_date_format(dd_store_i64(v[7]), due, sizeof due);
		snprintf(buf, sizeof buf, "remediate%s%s", due[0] ? " by " : "", due);
		action = buf;
	}
	yajl_gen g = x->g;
	yajl_gen_map_open(g);
	ys(g, "vulnerability");
	yajl_gen_map_open(g);
	ykv(g, "name", v[0]);
	yajl_gen_map_close(g);
	ys(g, "products");
	yajl_gen_array_open(g);
	yajl_gen_map_open(g);
	ykv(g, "@id", v[1] ? v[1] : v[3]);
	yajl_gen_map_close(g);
	yajl_gen_array_close(g);
	ykv(g, "status", status);
	ykv(g, "justification", just);
	ykv(g, "impact_statement", impact);
	ykv(g, "action_statement", action);
	if (v[4]) {
		ys(g, "status_notes");
		char note[300];
		snprintf(note, sizeof note, "drydock asset %s", v[4]);
		ys(g, note);
	}
	yajl_gen_map_close(g);
	x->n++;
	return 0;
}

dd_code dd_store_vex_export(struct dd_store *s, const char *asset, const char *author,
			    int64_t now, FILE *out, struct dd_err *err)
{
	if (!now)
		now = dd_clock_now();
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_config(g, yajl_gen_indent_string, "  ");
	char ts[32];
	dd_time_format(now, ts, sizeof ts);
	/* The document id is derived from what it says, so the same triage
	 * exported twice has the same @id. */
	struct dd_sha256 h;
	char digest[DD_DIGEST_STR];
	dd_code rc = dd_sha256_init(&h, err);
	if (rc) {
		yajl_gen_free(g);
		return rc;
	}
	dd_sha256_update(&h, asset ? asset : "*", strlen(asset ? asset : "*"));
	dd_sha256_update(&h, ts, strlen(ts));
	dd_sha256_final(&h, digest);
	char id[128];
	snprintf(id, sizeof id, "https://drydock.invalid/vex/%.24s", digest + 7);
	yajl_gen_map_open(g);
	ykv(g, "@context", "https://openvex.dev/ns/v0.2.0");
	ykv(g, "@id", id);
	ykv(g, "author", author ? author : "drydock");
	ykv(g, "timestamp", ts);
	ys(g, "version");
	yajl_gen_integer(g, 1);
	ykv(g, "tooling", "drydock");
	ys(g, "statements");
	yajl_gen_array_open(g);
	struct vexport x = { .g = g };
	/* The latest triage reason is the impact statement; a VEX
	 * justification kept from an import wins. */
#define EXPORT_SQL(where)                                                                   \
	"SELECT f.vuln, f.purl, f.state, f.package, a.name,"                                  \
	" (SELECT e.why FROM events e WHERE e.finding_id = f.id AND e.kind IN ('triage',"    \
	" 'verification', 'vex', 'policy') ORDER BY e.at DESC, e.id DESC LIMIT 1),"          \
	" (SELECT v.justification FROM vex v WHERE v.vuln = f.vuln AND (v.product IN"        \
	" (f.package, '*') OR v.product = f.purl OR SUBSTR(f.purl, 1, LENGTH(v.product) + 1)" \
	" = v.product || '@') ORDER BY v.id DESC LIMIT 1), f.due,"                            \
	" (SELECT v.impact FROM vex v WHERE v.vuln = f.vuln AND (v.product IN"               \
	" (f.package, '*') OR v.product = f.purl OR SUBSTR(f.purl, 1, LENGTH(v.product) + 1)" \
	" = v.product || '@') ORDER BY v.id DESC LIMIT 1)"                                    \
	" FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.state IN"               \
	" ('not_affected', 'false_positive', 'fixed', 'confirmed', 'risk_accepted')" where    \
	" ORDER BY f.vuln, f.purl, a.name"
	struct dd_sqlv p[] = { SQLV_TEXT(asset) };
	if (asset)
		rc = st_q(s, EXPORT_SQL(" AND a.name = $1"), p, 1, export_row, &x, err);
	else
		rc = st_q(s, EXPORT_SQL(""), NULL, 0, export_row, &x, err);
#undef EXPORT_SQL
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	if (rc == DD_OK) {
		const unsigned char *buf;
		size_t len;
		yajl_gen_get_buf(g, &buf, &len);
		if (fwrite(buf, 1, len, out) != len || fputc('\n', out) == EOF)
			rc = dd_err_sys(err, DD_EIO, "writing VEX");
	}
	yajl_gen_free(g);
	return rc;
}
