/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared insides of the store: the handle and small query helpers used by
 * store.c (schema, assets, saves, findings), store_kb.c (knowledge base and
 * VEX), store_metrics.c and store_sbom_json.c. Nothing outside src/store/
 * includes this.
 */
#ifndef DD_STORE_IMPL_H
#define DD_STORE_IMPL_H

#include "dd/store.h"
#include "store/backend.h"
#include "util/arena.h"

struct dd_store {
	const struct dd_store_backend *be;
	void *conn;
	bool pg;
	const struct dd_policy *policy;
	struct dd_policy *own_policy;
};

static inline dd_code st_q(struct dd_store *s, const char *sql, const struct dd_sqlv *p, int n,
			   dd_row_fn fn, void *ud, struct dd_err *err)
{
	return s->be->exec(s->conn, sql, p, n, fn, ud, err);
}

/* Row callbacks: the first column as int64 / a copied string. */
int dd_store_row_i64(void *ud, int nc, const char *const *v);
struct st_str { struct dd_arena *a; const char *s; bool found; };
int dd_store_row_str(void *ud, int nc, const char *const *v);

int64_t dd_store_i64(const char *v);
double dd_store_dbl(const char *v, double dflt);

/* Writes an event row. */
dd_code dd_store_event(struct dd_store *s, int64_t finding, int64_t scan, int64_t at,
		       const char *who, const char *kind, const char *from, const char *to,
		       const char *why, struct dd_err *err);

/* Re-applies the policy to one stored finding (after triage, verification
 * or VEX) inside the caller's transaction. */
dd_code dd_store_reassess(struct dd_store *s, int64_t finding, int64_t now, const char *who,
			  const char *kind, struct dd_err *err);

#endif
