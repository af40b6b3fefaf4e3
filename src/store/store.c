/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The findings store: opening (backend choice, migrations), assets, scans,
 * and the finding lifecycle of a save (docs/internals/store.md). The
 * knowledge base and VEX are in store_kb.c, metrics in store_metrics.c,
 * SBOM JSON in store_sbom_json.c; the findings, metrics and HTML writers are
 * src/report/store_report.c.
 *
 * Migrations are a list of SQL scripts, numbered from 1, each applied once in
 * its own transaction and recorded in schema_migrations. They only add
 * (tables, columns, indexes): a store written by an older drydock opens
 * unchanged in a newer one, and a newer store is refused (DD_ESCHEMA) rather
 * than misread. Column types differ per backend and are substituted from
 * the backend table (@ID@, @INT@, @REAL@).
 *
 * A save is one write transaction holding the asset's lock (SQLite: the
 * database write lock from BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR
 * UPDATE on the asset row), so concurrent saves of one asset are serial,
 * and the UNIQUE (asset, package, vulnerability) constraint makes a
 * duplicate finding impossible even if that reasoning were wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/purl.h"
#include "store/store_impl.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/path.h"

/* ---- small helpers ------------------------------------------------------- */

int64_t dd_store_i64(const char *v)
{
	return v ? strtoll(v, NULL, 10) : 0;
}

double dd_store_dbl(const char *v, double dflt)
{
	return v ? strtod(v, NULL) : dflt;
}

int dd_store_row_i64(void *ud, int nc, const char *const *v)
{
	*(int64_t *)ud = nc > 0 ? dd_store_i64(v[0]) : 0;
	return 1;
}

int dd_store_row_str(void *ud, int nc, const char *const *v)
{
	struct st_str *x = ud;
	x->found = true;
	x->s = nc > 0 && v[0] ? dd_arena_strdup(x->a, v[0]) : NULL;
	return 1;
}

static const char *adup(struct dd_arena *a, const char *v)
{
	return v ? dd_arena_strdup(a, v) : NULL;
}

bool dd_store_state_valid(const char *st)
{
	static const char *all[] = { DD_STATE_OPEN, DD_STATE_CONFIRMED, DD_STATE_FIXED,
				     DD_STATE_FALSE_POSITIVE, DD_STATE_NOT_AFFECTED,
				     DD_STATE_RISK_ACCEPTED };
	for (size_t i = 0; st && i < sizeof all / sizeof *all; i++)
		if (strcmp(st, all[i]) == 0)
			return true;
	return false;
}

bool dd_store_state_open(const char *st)
{
	return st && (strcmp(st, DD_STATE_OPEN) == 0 || strcmp(st, DD_STATE_CONFIRMED) == 0);
}

dd_code dd_store_event(struct dd_store *s, int64_t finding, int64_t scan, int64_t at,
		       const char *who, const char *kind, const char *from, const char *to,
		       const char *why, struct dd_err *err)
{
	struct dd_sqlv p[] = { SQLV_INT(finding), scan ? SQLV_INT(scan) : SQLV_NULL, SQLV_INT(at),
			       SQLV_TEXT(who), SQLV_TEXT(kind), SQLV_TEXT(from), SQLV_TEXT(to),
			       SQLV_TEXT(why) };
	return st_q(s,
		    "INSERT INTO events (finding_id, scan_id, at, who, kind, from_state, to_state, why)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		    p, 8, NULL, NULL, err);
}

/* ---- schema -------------------------------------------------------------- */

static const char *const migrations[] = {
	/* 1: the whole first schema. */
	"CREATE TABLE assets (id @ID@, name TEXT NOT NULL UNIQUE, images TEXT, owner TEXT,"
	" team TEXT, scan_frequency TEXT, criticality @INT@ NOT NULL DEFAULT 3,"
	" exposure TEXT NOT NULL DEFAULT 'internal', sensitivity TEXT,"
	" sla_p1 @INT@ NOT NULL DEFAULT -1, sla_p2 @INT@ NOT NULL DEFAULT -1,"
	" sla_p3 @INT@ NOT NULL DEFAULT -1, created @INT@ NOT NULL);"
	"CREATE TABLE images (id @ID@, digest TEXT NOT NULL UNIQUE, refs TEXT,"
	" first_seen @INT@ NOT NULL);"
	"CREATE TABLE scans (id @ID@, asset_id @INT@ NOT NULL REFERENCES assets(id),"
	" image_id @INT@ REFERENCES images(id), image_ref TEXT, image_digest TEXT,"
	" at @INT@ NOT NULL, duration @REAL@, db_version TEXT, npackages @INT@ NOT NULL DEFAULT 0,"
	" nfindings @INT@ NOT NULL DEFAULT 0, p1 @INT@ NOT NULL DEFAULT 0,"
	" p2 @INT@ NOT NULL DEFAULT 0, p3 @INT@ NOT NULL DEFAULT 0,"
	" nnew @INT@ NOT NULL DEFAULT 0, nfixed @INT@ NOT NULL DEFAULT 0, sbom TEXT,"
	" warnings TEXT);"
	"CREATE INDEX scans_asset ON scans (asset_id, at);"
	"CREATE TABLE scan_packages (scan_id @INT@ NOT NULL REFERENCES scans(id),"
	" pkg_key TEXT NOT NULL, name TEXT, version TEXT, purl TEXT,"
	" PRIMARY KEY (scan_id, pkg_key));"
	"CREATE TABLE findings (id @ID@, asset_id @INT@ NOT NULL REFERENCES assets(id),"
	" pkg_key TEXT NOT NULL, vuln TEXT NOT NULL, package TEXT, pkg_type TEXT, purl TEXT,"
	" installed TEXT, fixed_version TEXT, namespace TEXT, aliases TEXT, summary TEXT,"
	" state TEXT NOT NULL, priority @INT@ NOT NULL DEFAULT 0,"
	" unscored @INT@ NOT NULL DEFAULT 0, score @REAL@, score_source TEXT, cvss_rating TEXT,"
	" vendor_rating TEXT, kev @INT@ NOT NULL DEFAULT 0, epss @REAL@, why TEXT,"
	" first_seen @INT@ NOT NULL, last_seen @INT@ NOT NULL, due @INT@ NOT NULL DEFAULT 0,"
	" closed_at @INT@ NOT NULL DEFAULT 0, first_scan @INT@, last_scan @INT@,"
	" fixed_scan @INT@, fix_evidence TEXT, reintroduced @INT@ NOT NULL DEFAULT 0,"
	" verification TEXT, vex_status TEXT, UNIQUE (asset_id, pkg_key, vuln));"
	"CREATE INDEX findings_asset ON findings (asset_id, state, priority);"
	"CREATE INDEX findings_state ON findings (state, priority);"
	"CREATE INDEX findings_vuln ON findings (vuln);"
	"CREATE TABLE scan_findings (scan_id @INT@ NOT NULL REFERENCES scans(id),"
	" finding_id @INT@ NOT NULL REFERENCES findings(id), installed TEXT,"
	" PRIMARY KEY (scan_id, finding_id));"
	"CREATE TABLE events (id @ID@, finding_id @INT@ NOT NULL REFERENCES findings(id),"
	" scan_id @INT@, at @INT@ NOT NULL, who TEXT, kind TEXT NOT NULL, from_state TEXT,"
	" to_state TEXT, why TEXT);"
	"CREATE INDEX events_finding ON events (finding_id);"
	"CREATE TABLE verifications (id @ID@, finding_id @INT@ NOT NULL REFERENCES findings(id),"
	" at @INT@ NOT NULL, who TEXT, result TEXT NOT NULL, conditions TEXT,"
	" evidence_name TEXT, evidence TEXT, evidence_sha256 TEXT);"
	"CREATE INDEX verifications_finding ON verifications (finding_id);"
	"CREATE TABLE kb (id @ID@, vuln TEXT, package TEXT, title TEXT, fixed_version TEXT,"
	" base_image TEXT, steps TEXT, refs TEXT, kind TEXT NOT NULL, asset TEXT,"
	" finding_id @INT@, scan_from @INT@, scan_to @INT@, created @INT@ NOT NULL);"
	"CREATE INDEX kb_vuln ON kb (vuln);"
	"CREATE INDEX kb_package ON kb (package);"
	"CREATE TABLE exceptions (id @ID@, finding_id @INT@ NOT NULL REFERENCES findings(id),"
	" owner TEXT, reason TEXT, expires @INT@ NOT NULL, created @INT@ NOT NULL);"
	"CREATE INDEX exceptions_finding ON exceptions (finding_id);"
	"CREATE TABLE vex (id @ID@, vuln TEXT NOT NULL, product TEXT NOT NULL,"
	" status TEXT NOT NULL, justification TEXT, impact TEXT, action TEXT, source TEXT,"
	" created @INT@ NOT NULL, UNIQUE (vuln, product));",
	/* 2: metrics group findings by these columns; as a covering index
	 * SQLite counts a million findings in one pass without sorting. */
	"CREATE INDEX findings_metrics ON findings (asset_id, priority, state, first_seen,"
	" closed_at, due, reintroduced);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

static dd_code substitute(const struct dd_store_backend *be, const char *in, struct dd_buf *out,
			  struct dd_err *err)
{
	for (const char *p = in; *p;) {
		const char *rep = NULL;
		size_t skip = 0;
		if (strncmp(p, "@ID@", 4) == 0)
			rep = be->id_type, skip = 4;
		else if (strncmp(p, "@INT@", 5) == 0)
			rep = be->int_type, skip = 5;
		else if (strncmp(p, "@REAL@", 6) == 0)
			rep = be->real_type, skip = 6;
		dd_code rc = rep ? dd_buf_puts(out, rep, err) : dd_buf_putc(out, *p, err);
		if (rc)
			return rc;
		p += rep ? skip : 1;
	}
	return DD_OK;
}

static dd_code migrate(struct dd_store *s, struct dd_err *err)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "CREATE TABLE IF NOT EXISTS schema_migrations (version %s PRIMARY KEY,"
		 " applied %s NOT NULL)",
		 s->be->int_type, s->be->int_type);
	dd_code rc = s->be->script(s->conn, sql, err);
	if (rc)
		return rc;
	for (int v = 1; v <= NMIGRATIONS; v++) {
		if ((rc = s->be->begin(s->conn, true, err)))
			return rc;
		/* Two processes opening a new PostgreSQL store at once: the
		 * advisory lock makes the second wait, then see the version. */
		if (s->pg && (rc = s->be->script(s->conn, "SELECT pg_advisory_xact_lock(7246001)", err)))
			goto fail;
		int64_t have = 0;
		if ((rc = st_q(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0,
			       dd_store_row_i64, &have, err)))
			goto fail;
		if (have > NMIGRATIONS) {
			rc = dd_err_set(err, DD_ESCHEMA,
					"store schema version %lld is newer than this drydock (%d)",
					(long long)have, NMIGRATIONS);
			goto fail;
		}
		if (have >= v) {
			s->be->rollback(s->conn);
			continue;
		}
		struct dd_buf b;
		dd_buf_init(&b, 1u << 20);
		rc = substitute(s->be, migrations[v - 1], &b, err);
		if (!rc)
			rc = s->be->script(s->conn, b.data, err);
		dd_buf_release(&b);
		if (rc) {
			dd_err_prefix(err, "migration %d: ", v);
			goto fail;
		}
		struct dd_sqlv p[] = { SQLV_INT(v), SQLV_INT(dd_clock_now()) };
		if ((rc = st_q(s, "INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)",
			       p, 2, NULL, NULL, err)))
			goto fail;
		if ((rc = s->be->commit(s->conn, err)))
			goto fail;
	}
	return DD_OK;
fail:
	s->be->rollback(s->conn);
	return rc;
}

int dd_store_schema_version(struct dd_store *s)
{
	int64_t v = 0;
	if (st_q(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0,
		 dd_store_row_i64, &v, NULL))
		return -1;
	return (int)v;
}

/* ---- open / close -------------------------------------------------------- */

dd_code dd_store_default_url(char *buf, size_t n, struct dd_err *err)
{
	const char *env = getenv("DRYDOCK_STORE");
	if (env && *env) {
		if (strlen(env) >= n)
			return dd_err_set(err, DD_ELIMIT, "DRYDOCK_STORE is too long");
		memcpy(buf, env, strlen(env) + 1);
		return DD_OK;
	}
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char dir[4096];
	int len;
	if (xdg && *xdg == '/')
		len = snprintf(dir, sizeof dir, "%s/drydock", xdg);
	else if (home && *home)
		len = snprintf(dir, sizeof dir, "%s/.local/share/drydock", home);
	else
		return dd_err_set(err, DD_EUSAGE, "no store: set DRYDOCK_STORE, XDG_DATA_HOME or HOME");
	if (len < 0 || (size_t)len >= sizeof dir)
		return dd_err_set(err, DD_ELIMIT, "data directory path too long");
	dd_code rc = dd_path_mkdirs(dir, err);
	if (rc)
		return rc;
	if ((size_t)snprintf(buf, n, "%s/store.db", dir) >= n)
		return dd_err_set(err, DD_ELIMIT, "store path too long");
	return DD_OK;
}

static const struct dd_store_backend *const backends[] = { &dd_store_postgres, &dd_store_sqlite };

dd_code dd_store_open(const char *url, struct dd_store **out, struct dd_err *err)
{
	char def[4200];
	dd_code rc;
	if (!url) {
		if ((rc = dd_store_default_url(def, sizeof def, err)))
			return rc;
		url = def;
	}
	struct dd_store *s = dd_calloc(1, sizeof *s);
	if (!s)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
		if (backends[i]->probe(url)) {
			s->be = backends[i];
			break;
		}
	s->pg = s->be == &dd_store_postgres;
	if ((rc = s->be->open(url, &s->conn, err)))
		goto fail;
	if ((rc = migrate(s, err)))
		goto fail;
	if ((rc = dd_policy_default(&s->own_policy, err)))
		goto fail;
	s->policy = s->own_policy;
	*out = s;
	return DD_OK;
fail:
	dd_store_close(s);
	return rc;
}

void dd_store_close(struct dd_store *s)
{
	if (!s)
		return;
	if (s->conn)
		s->be->close(s->conn);
	dd_policy_free(s->own_policy);
	free(s);
}

const char *dd_store_backend(const struct dd_store *s)
{
	return s->be->name;
}

void dd_store_set_policy(struct dd_store *s, const struct dd_policy *p)
{
	s->policy = p ? p : s->own_policy;
}

const struct dd_policy *dd_store_policy(const struct dd_store *s)
{
	return s->policy;
}

/* ---- assets -------------------------------------------------------------- */

dd_code dd_store_put_asset(struct dd_store *s, const struct dd_asset *a, int64_t *id,
			   struct dd_err *err)
{
	if (!a->name || !*a->name)
		return dd_err_set(err, DD_EUSAGE, "an asset needs a name");
	int crit = a->impact.criticality ? a->impact.criticality : 3;
	if (crit < 1 || crit > 5)
		return dd_err_set(err, DD_EINVAL, "criticality %d is not 1..5", crit);
	struct dd_sqlv p[] = {
		SQLV_TEXT(a->name), SQLV_TEXT(a->images), SQLV_TEXT(a->owner), SQLV_TEXT(a->team),
		SQLV_TEXT(a->scan_frequency), SQLV_INT(crit),
		SQLV_TEXT(dd_exposure_name(a->impact.exposure)), SQLV_TEXT(a->impact.sensitivity),
		SQLV_INT(a->impact.sla_days[1]), SQLV_INT(a->impact.sla_days[2]),
		SQLV_INT(a->impact.sla_days[3]), SQLV_INT(a->created ? a->created : dd_clock_now()),
	};
	int64_t got = 0;
	dd_code rc = st_q(s,
		"INSERT INTO assets (name, images, owner, team, scan_frequency, criticality, exposure,"
		" sensitivity, sla_p1, sla_p2, sla_p3, created)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
		" ON CONFLICT (name) DO UPDATE SET images = excluded.images, owner = excluded.owner,"
		" team = excluded.team, scan_frequency = excluded.scan_frequency,"
		" criticality = excluded.criticality, exposure = excluded.exposure,"
		" sensitivity = excluded.sensitivity, sla_p1 = excluded.sla_p1,"
		" sla_p2 = excluded.sla_p2, sla_p3 = excluded.sla_p3 RETURNING id",
		p, 12, dd_store_row_i64, &got, err);
	if (rc == DD_OK && id)
		*id = got;
	return rc;
}

#define ASSET_COLS                                                                        \
	"a.id, a.name, a.images, a.owner, a.team, a.scan_frequency, a.criticality,"       \
	" a.exposure, a.sensitivity, a.sla_p1, a.sla_p2, a.sla_p3, a.created,"           \
	" (SELECT COUNT(*) FROM scans c WHERE c.asset_id = a.id),"                        \
	" (SELECT COALESCE(MAX(c.at), 0) FROM scans c WHERE c.asset_id = a.id),"         \
	" (SELECT COUNT(*) FROM findings f WHERE f.asset_id = a.id"                       \
	"  AND f.state IN ('open', 'confirmed'))"

struct asset_rows {
	struct dd_arena *a;
	struct dd_asset *v;
	size_t n, cap;
	bool fail;
};

static void fill_asset(struct dd_arena *ar, const char *const *v, struct dd_asset *x)
{
	memset(x, 0, sizeof *x);
	x->id = dd_store_i64(v[0]);
	x->name = adup(ar, v[1]);
	x->images = adup(ar, v[2]);
	x->owner = adup(ar, v[3]);
	x->team = adup(ar, v[4]);
	x->scan_frequency = adup(ar, v[5]);
	dd_impact_init(&x->impact);
	x->impact.criticality = (int)dd_store_i64(v[6]);
	dd_exposure_parse(v[7], &x->impact.exposure);
	x->impact.sensitivity = adup(ar, v[8]);
	for (int i = 1; i <= 3; i++)
		x->impact.sla_days[i] = (int)dd_store_i64(v[8 + i]);
	x->created = dd_store_i64(v[12]);
	x->nscans = (long)dd_store_i64(v[13]);
	x->last_scan = dd_store_i64(v[14]);
	x->nopen = (long)dd_store_i64(v[15]);
}

static int asset_row(void *ud, int nc, const char *const *v)
{
	struct asset_rows *r = ud;
	if (nc < 16 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	fill_asset(r->a, v, &r->v[r->n++]);
	return 0;
}

dd_code dd_store_get_asset(struct dd_store *s, const char *name, struct dd_arena *ar,
			   struct dd_asset *out, struct dd_err *err)
{
	struct asset_rows r = { .a = ar };
	struct dd_sqlv p[] = { SQLV_TEXT(name) };
	dd_code rc = st_q(s, "SELECT " ASSET_COLS " FROM assets a WHERE a.name = $1", p, 1,
			  asset_row, &r, err);
	if (rc == DD_OK && r.fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	if (rc == DD_OK && r.n == 0)
		rc = dd_err_set(err, DD_ENOTFOUND, "no asset named '%s'", name);
	if (rc == DD_OK)
		*out = r.v[0];
	free(r.v);
	return rc;
}

dd_code dd_store_list_assets(struct dd_store *s, struct dd_arena *ar, struct dd_asset **out,
			     size_t *n, struct dd_err *err)
{
	struct asset_rows r = { .a = ar };
	dd_code rc = st_q(s, "SELECT " ASSET_COLS " FROM assets a ORDER BY a.name", NULL, 0,
			  asset_row, &r, err);
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

/* ---- saving a scan --------------------------------------------------------- */

/* Identity of a package across scans: type/namespace/name, and for language
 * packages also where it is (two copies of lodash are two packages). The
 * version is not part of it: an upgrade that still matches is the same
 * finding, still open. */
static const char *pkg_key(struct dd_arena *a, const struct dd_package *p)
{
	const char *t = p->type ? p->type : "";
	bool os = strcmp(t, "deb") == 0 || strcmp(t, "apk") == 0 || strcmp(t, "rpm") == 0;
	return dd_arena_printf(a, "%s/%s/%s%s%s", t, p->namespace_ ? p->namespace_ : "",
			       p->name ? p->name : "", os || !p->location ? "" : "@",
			       os || !p->location ? "" : p->location);
}

struct old_finding {
	int64_t id, first_seen, first_scan;
	const char *pkg_key, *vuln, *state, *installed, *package, *purl, *namespace_;
	const char *verification, *vex_status;
	long reintroduced;
	bool seen, exception;
};

struct old_rows {
	struct dd_arena *a;
	struct old_finding *v;
	size_t n, cap;
	bool fail;
};

static int old_row(void *ud, int nc, const char *const *v)
{
	struct old_rows *r = ud;
	if (nc < 13 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct old_finding *o = &r->v[r->n++];
	memset(o, 0, sizeof *o);
	o->id = dd_store_i64(v[0]);
	o->pkg_key = adup(r->a, v[1]);
	o->vuln = adup(r->a, v[2]);
	o->state = adup(r->a, v[3]);
	o->installed = adup(r->a, v[4]);
	o->package = adup(r->a, v[5]);
	o->purl = adup(r->a, v[6]);
	o->namespace_ = adup(r->a, v[7]);
	o->first_seen = dd_store_i64(v[8]);
	o->first_scan = dd_store_i64(v[9]);
	o->verification = adup(r->a, v[10]);
	o->vex_status = adup(r->a, v[11]);
	o->reintroduced = (long)dd_store_i64(v[12]);
	return 0;
}

struct vex_rows {
	struct dd_arena *a;
	struct dd_vex_stmt *v;
	size_t n, cap;
	bool fail;
};

static int vex_row(void *ud, int nc, const char *const *v)
{
	struct vex_rows *r = ud;
	if (nc < 3 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct dd_vex_stmt *x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->vuln = adup(r->a, v[0]);
	x->product = adup(r->a, v[1]);
	x->status = adup(r->a, v[2]);
	return 0;
}

/* A purl names a package without its version when it is a prefix of the
 * versioned one followed by '@' (purl spec: pkg:type/ns/name@version?q). */
static const char *vex_lookup(const struct vex_rows *vx, const char *vuln, const char *package,
			      const char *purl)
{
	const char *st = NULL;
	for (size_t i = 0; i < vx->n; i++) {
		const struct dd_vex_stmt *x = &vx->v[i];
		if (strcmp(x->vuln, vuln) != 0)
			continue;
		if (strcmp(x->product, "*") == 0 || (package && strcmp(x->product, package) == 0) ||
		    dd_purl_match(x->product, purl))
			st = x->status; /* the most specific is not ranked: the last wins */
	}
	return st;
}

static const char *not_assessed(const struct dd_scan_result *r, const char *package,
				const char *purl, const char *ns)
{
	for (size_t i = 0; i < r->nnot_assessed; i++) {
		const struct dd_not_assessed *na = &r->not_assessed[i];
		if (!na->what)
			continue;
		if (strcmp(na->what, "*") == 0 || (package && strcmp(na->what, package) == 0) ||
		    (ns && strcmp(na->what, ns) == 0) || dd_purl_match(na->what, purl))
			return na->why ? na->why : "not assessed";
	}
	return NULL;
}

static const char *cvss_v3_rating(const struct dd_finding *f)
{
	const struct dd_cvss *best = NULL;
	for (size_t i = 0; i < f->ncvss; i++) {
		const struct dd_cvss *c = &f->cvss[i];
		if (!c->version || c->version[0] != '3' || c->score < 0)
			continue;
		if (!best || (c->source && strcmp(c->source, "nvd") == 0))
			best = c;
	}
	if (best)
		return dd_severity_name(dd_severity_from_score(best->score));
	return NULL;
}

static const char *join_aliases(struct dd_arena *a, const struct dd_finding *f)
{
	if (!f->naliases)
		return NULL;
	struct dd_buf b;
	dd_buf_init(&b, 1u << 16);
	for (size_t i = 0; i < f->naliases; i++)
		if (dd_buf_printf(&b, NULL, "%s%s", i ? "," : "", f->aliases[i] ? f->aliases[i] : ""))
			break;
	const char *out = b.data ? dd_arena_strdup(a, b.data) : NULL;
	dd_buf_release(&b);
	return out;
}

struct save {
	struct dd_store *s;
	const struct dd_scan_result *r;
	const struct dd_save_opts *o;
	struct dd_save_summary *sum;
	struct dd_arena *a;
	int64_t now, asset_id, scan_id;
	const char *asset, *who, *digest;
	struct dd_impact impact;
	struct old_rows old;
	struct vex_rows vex;
	struct dd_map by_key;   /* "pkg_key\nvuln" -> old index + 1 */
	struct dd_map pkgs;     /* pkg_key -> struct dd_package * in the new SBOM */
	struct dd_map exc;      /* finding id (text) -> 1: an active exception */
};

static int exc_row(void *ud, int nc, const char *const *v)
{
	struct save *sv = ud;
	if (nc >= 1 && v[0])
		dd_map_put(&sv->exc, v[0], strlen(v[0]), (void *)1, NULL, NULL);
	return 0;
}

static int asset_impact_row(void *ud, int nc, const char *const *v)
{
	struct save *sv = ud;
	if (nc < 7)
		return 1;
	sv->asset_id = dd_store_i64(v[0]);
	sv->impact.criticality = (int)dd_store_i64(v[1]);
	dd_exposure_parse(v[2], &sv->impact.exposure);
	sv->impact.sensitivity = adup(sv->a, v[3]);
	for (int i = 1; i <= 3; i++)
		sv->impact.sla_days[i] = (int)dd_store_i64(v[3 + i]);
	return 1;
}

static bool has_exception(struct save *sv, int64_t id)
{
	char k[32];
	int n = snprintf(k, sizeof k, "%lld", (long long)id);
	return dd_map_get(&sv->exc, k, (size_t)n) != NULL;
}

/* Decides the state a finding moves to from the policy's action. */
static const char *apply_action(const struct dd_assessment *as, const char *state,
				bool exception, const char **kind)
{
	*kind = NULL;
	if (as->action == DD_ASSESS_CLOSE && dd_store_state_open(state)) {
		*kind = "policy";
		return DD_STATE_NOT_AFFECTED;
	}
	if (as->action == DD_ASSESS_SUPPRESS && dd_store_state_open(state)) {
		*kind = "policy";
		return DD_STATE_RISK_ACCEPTED;
	}
	if (strcmp(state, DD_STATE_RISK_ACCEPTED) == 0 && !exception) {
		*kind = "exception-expired";
		return DD_STATE_OPEN;
	}
	return state;
}

static dd_code kb_draft(struct save *sv, const struct old_finding *o, struct dd_err *err)
{
	const struct dd_package *np = dd_map_get(&sv->pkgs, o->pkg_key, strlen(o->pkg_key));
	const char *name = o->package ? o->package : o->pkg_key;
	const char *title, *steps, *fixed = NULL;
	if (np) {
		fixed = np->version;
		title = dd_arena_printf(sv->a, "%s: %s %s -> %s", o->vuln, name,
					o->installed ? o->installed : "?", np->version ? np->version : "?");
		steps = dd_arena_printf(
			sv->a,
			"Scan %lld found %s %s vulnerable to %s. Rescan %lld of image %s has %s %s"
			" and no longer matches: the package was upgraded%s%s%s.",
			(long long)o->first_scan, name, o->installed ? o->installed : "?", o->vuln,
			(long long)sv->scan_id, sv->digest, name, np->version ? np->version : "?",
			np->purl ? " (" : "", np->purl ? np->purl : "", np->purl ? ")" : "");
	} else {
		title = dd_arena_printf(sv->a, "%s: %s removed", o->vuln, name);
		steps = dd_arena_printf(sv->a,
					"Scan %lld found %s %s vulnerable to %s. Rescan %lld of image"
					" %s no longer contains %s: the package was removed.",
					(long long)o->first_scan, name, o->installed ? o->installed : "?",
					o->vuln, (long long)sv->scan_id, sv->digest, name);
	}
	const struct dd_image_info *im = &sv->r->sbom->image;
	struct dd_kb_entry e = {
		.vuln = o->vuln, .package = name, .title = title, .fixed_version = fixed,
		.base_image = im->reference, .steps = steps, .kind = "draft", .asset = sv->asset,
		.finding_id = o->id, .scan_from = o->first_scan, .scan_to = sv->scan_id,
	};
	if (!title || !steps)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	sv->sum->kb_drafts++;
	return dd_store_kb_add(sv->s, &e, sv->now, NULL, err);
}

/* An event for a finding inserted earlier in this save, found by identity. */
static dd_code event_by_key(struct save *sv, const char *key, const char *vuln, const char *kind,
			    const char *from, const char *to, const char *why, struct dd_err *err)
{
	struct dd_sqlv p[] = { SQLV_INT(sv->asset_id), SQLV_TEXT(key), SQLV_TEXT(vuln),
			       SQLV_INT(sv->scan_id), SQLV_INT(sv->now), SQLV_TEXT(sv->who),
			       SQLV_TEXT(kind), SQLV_TEXT(from), SQLV_TEXT(to), SQLV_TEXT(why) };
	return st_q(sv->s,
		    "INSERT INTO events (finding_id, scan_id, at, who, kind, from_state, to_state, why)"
		    " SELECT id, CAST($4 AS BIGINT), CAST($5 AS BIGINT), CAST($6 AS TEXT),"
		    " CAST($7 AS TEXT), CAST($8 AS TEXT), CAST($9 AS TEXT), CAST($10 AS TEXT)"
		    " FROM findings WHERE asset_id = $1 AND pkg_key = $2 AND vuln = $3",
		    p, 10, NULL, NULL, err);
}

static dd_code save_one(struct save *sv, const struct dd_finding *f, struct dd_err *err)
{
	struct dd_store *s = sv->s;
	const struct dd_sbom *sb = sv->r->sbom;
	if (!f->id || f->pkg >= sb->npkgs)
		return dd_err_set(err, DD_EINVAL, "finding %s: package index %zu out of range",
				  f->id ? f->id : "(no id)", f->pkg);
	const struct dd_package *p = &sb->pkgs[f->pkg];
	const char *key = pkg_key(sv->a, p);
	const char *mk = dd_arena_printf(sv->a, "%s\n%s", key, f->id);
	if (!key || !mk)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	size_t idx = (size_t)dd_map_get(&sv->by_key, mk, strlen(mk));
	struct old_finding *o = idx ? &sv->old.v[idx - 1] : NULL;
	if (o && o->seen)
		return DD_OK; /* the same match twice in one result */

	double score;
	const char *src;
	dd_policy_pick_score(s->policy, f, &score, &src);
	const char *srcname = src;
	for (size_t i = 0; src && i < f->ncvss; i++)
		if (f->cvss[i].source == src && f->cvss[i].score == score && f->cvss[i].version)
			srcname = dd_arena_printf(sv->a, "%s %s", src, f->cvss[i].version);
	bool exc = o && has_exception(sv, o->id);
	struct dd_assess_in in = {
		.vuln = f->id, .package = p->name, .score = score, .score_source = srcname,
		.kev = f->kev, .epss = f->epss,
		.vex_status = vex_lookup(&sv->vex, f->id, p->name, p->purl),
		.verification = o ? o->verification : NULL, .exception_active = exc,
		.impact = &sv->impact,
	};
	struct dd_assessment as;
	dd_policy_assess(s->policy, &in, &as);

	int64_t first_seen = o ? o->first_seen : sv->now;
	const char *state = o ? o->state : DD_STATE_OPEN;
	const char *kind = NULL, *from = state;
	long reintro = o ? o->reintroduced : 0;
	int64_t closed_at = 0;
	char why[600];
	why[0] = 0;
	if (o && strcmp(state, DD_STATE_FIXED) == 0) {
		state = DD_STATE_OPEN;
		reintro++;
		sv->sum->reintroduced++;
		snprintf(why, sizeof why, "reintroduced: seen again in scan %lld",
			 (long long)sv->scan_id);
		dd_code rc = dd_store_event(s, o->id, sv->scan_id, sv->now, sv->who, "reintroduced",
					    from, state, why, err);
		if (rc)
			return rc;
		from = state;
	}
	const char *next = apply_action(&as, state, exc, &kind);
	if (kind) {
		snprintf(why, sizeof why, "%s%s", kind[0] == 'p' ? "rule " : "",
			 kind[0] == 'p' ? as.action_rule : "exception expired");
		state = next;
		if (strcmp(state, DD_STATE_NOT_AFFECTED) == 0)
			closed_at = sv->now;
		if (as.action != DD_ASSESS_OPEN)
			sv->sum->closed_by_policy++;
	}
	int64_t due = dd_policy_due(s->policy, first_seen,
				    dd_policy_sla_days(s->policy, as.priority, &sv->impact));
	const char *fixed = f->fixed;
	struct dd_sqlv pv[] = {
		SQLV_INT(sv->asset_id), SQLV_TEXT(key), SQLV_TEXT(f->id), SQLV_TEXT(p->name),
		SQLV_TEXT(p->type), SQLV_TEXT(p->purl), SQLV_TEXT(f->installed ? f->installed : p->version),
		SQLV_TEXT(fixed), SQLV_TEXT(f->namespace_), SQLV_TEXT(join_aliases(sv->a, f)),
		SQLV_TEXT(f->summary), SQLV_TEXT(state), SQLV_INT(as.priority), SQLV_INT(as.unscored),
		score >= 0 ? SQLV_REAL(score) : SQLV_NULL, SQLV_TEXT(srcname),
		SQLV_TEXT(cvss_v3_rating(f)), SQLV_TEXT(f->vendor_severity), SQLV_INT(f->kev),
		f->epss >= 0 ? SQLV_REAL(f->epss) : SQLV_NULL, SQLV_TEXT(as.why), SQLV_INT(sv->now),
		SQLV_INT(due), SQLV_INT(closed_at), SQLV_INT(sv->scan_id), SQLV_INT(reintro),
		SQLV_TEXT(in.vex_status), SQLV_INT(o ? o->id : 0),
	};
	int64_t fid = 0;
	dd_code rc;
	if (o) {
		o->seen = true;
		rc = st_q(s,
			  "UPDATE findings SET package = $4, pkg_type = $5, purl = $6, installed = $7,"
			  " fixed_version = $8, namespace = $9, aliases = $10, summary = $11, state = $12,"
			  " priority = $13, unscored = $14, score = $15, score_source = $16,"
			  " cvss_rating = $17, vendor_rating = $18, kev = $19, epss = $20, why = $21,"
			  " last_seen = $22, due = $23, closed_at = CASE WHEN CAST($24 AS BIGINT) > 0 THEN CAST($24 AS BIGINT)"
			  " WHEN state = 'fixed' THEN 0 ELSE closed_at END,"
			  " fixed_scan = CASE WHEN state = 'fixed' THEN NULL ELSE fixed_scan END,"
			  " fix_evidence = CASE WHEN state = 'fixed' THEN NULL ELSE fix_evidence END,"
			  " last_scan = $25, reintroduced = $26, vex_status = $27"
			  " WHERE id = $28 AND asset_id = $1 AND pkg_key = $2 AND vuln = $3",
			  pv, 28, NULL, NULL, err);
		fid = o->id;
		sv->sum->still_open += dd_store_state_open(state) || !strcmp(state, DD_STATE_RISK_ACCEPTED);
	} else {
		/* No RETURNING: the event and the scan link find the new row by
		 * its identity, so none of these statements waits for a reply
		 * (the PostgreSQL backend pipelines them). */
		rc = st_q(s,
			  "INSERT INTO findings (asset_id, pkg_key, vuln, package, pkg_type, purl,"
			  " installed, fixed_version, namespace, aliases, summary, state, priority,"
			  " unscored, score, score_source, cvss_rating, vendor_rating, kev, epss, why,"
			  " first_seen, last_seen, due, closed_at, first_scan, last_scan, reintroduced,"
			  " vex_status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
			  " $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, $23, $24, $25, $25, $26,"
			  " $27)",
			  pv, 27, NULL, NULL, err);
		if (rc == DD_OK) {
			sv->sum->new_++;
			rc = event_by_key(sv, key, f->id, "new", NULL, DD_STATE_OPEN, as.why, err);
		}
		if (rc == DD_OK) {
			/* Later duplicates in the same result map to this row. */
			struct old_finding nf = { .id = 0, .seen = true, .state = DD_STATE_OPEN };
			if (dd_grow(&sv->old.v, &sv->old.cap, sv->old.n + 1, sizeof *sv->old.v))
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			sv->old.v[sv->old.n++] = nf;
			rc = dd_map_put(&sv->by_key, mk, strlen(mk), (void *)sv->old.n, NULL, err);
		}
		from = DD_STATE_OPEN;
	}
	if (rc)
		return rc;
	if (kind && strcmp(from, state) != 0 &&
	    (rc = fid ? dd_store_event(s, fid, sv->scan_id, sv->now, sv->who, kind, from, state, why,
				       err)
		      : event_by_key(sv, key, f->id, kind, from, state, why, err)))
		return rc;
	if (dd_store_state_open(state))
		sv->sum->by_priority[as.priority]++;
	const char *inst = f->installed ? f->installed : p->version;
	if (fid) {
		struct dd_sqlv lp[] = { SQLV_INT(sv->scan_id), SQLV_INT(fid), SQLV_TEXT(inst) };
		return st_q(s,
			    "INSERT INTO scan_findings (scan_id, finding_id, installed) VALUES ($1, $2, $3)"
			    " ON CONFLICT DO NOTHING",
			    lp, 3, NULL, NULL, err);
	}
	struct dd_sqlv kp[] = { SQLV_INT(sv->asset_id), SQLV_TEXT(key), SQLV_TEXT(f->id),
				SQLV_INT(sv->scan_id), SQLV_TEXT(inst) };
	return st_q(s,
		    "INSERT INTO scan_findings (scan_id, finding_id, installed)"
		    " SELECT CAST($4 AS BIGINT), id, CAST($5 AS TEXT) FROM findings"
		    " WHERE asset_id = $1 AND pkg_key = $2 AND vuln = $3 ON CONFLICT DO NOTHING",
		    kp, 5, NULL, NULL, err);
}

static dd_code close_absent(struct save *sv, struct dd_err *err)
{
	struct dd_store *s = sv->s;
	for (size_t i = 0; i < sv->old.n; i++) {
		struct old_finding *o = &sv->old.v[i];
		if (o->seen || !o->state ||
		    !(dd_store_state_open(o->state) || strcmp(o->state, DD_STATE_RISK_ACCEPTED) == 0))
			continue;
		char why[600];
		dd_code rc;
		const char *na = not_assessed(sv->r, o->package, o->purl, o->namespace_);
		if (na) {
			snprintf(why, sizeof why, "kept open: scan %lld could not assess %s: %s",
				 (long long)sv->scan_id, o->package ? o->package : o->pkg_key, na);
			sv->sum->not_assessed++;
			struct dd_sqlv p[] = { SQLV_INT(sv->scan_id), SQLV_INT(o->id) };
			rc = st_q(s, "UPDATE findings SET last_scan = $1 WHERE id = $2", p, 2, NULL,
				  NULL, err);
			if (!rc)
				rc = dd_store_event(s, o->id, sv->scan_id, sv->now, sv->who,
						    "not-assessed", o->state, o->state, why, err);
			if (rc)
				return rc;
			continue;
		}
		snprintf(why, sizeof why, "fixed, verified by rescan %lld (image %s)",
			 (long long)sv->scan_id, sv->digest);
		struct dd_sqlv p[] = { SQLV_INT(sv->now), SQLV_INT(sv->scan_id), SQLV_TEXT(sv->digest),
				       SQLV_INT(o->id) };
		rc = st_q(s,
			  "UPDATE findings SET state = 'fixed', closed_at = $1, fixed_scan = $2,"
			  " fix_evidence = $3 WHERE id = $4",
			  p, 4, NULL, NULL, err);
		if (!rc)
			rc = dd_store_event(s, o->id, sv->scan_id, sv->now, sv->who, "fixed", o->state,
					    DD_STATE_FIXED, why, err);
		if (!rc)
			rc = kb_draft(sv, o, err);
		if (rc)
			return rc;
		sv->sum->fixed++;
	}
	return DD_OK;
}

static const char *warnings_text(struct dd_arena *a, const struct dd_scan_result *r)
{
	struct dd_buf b;
	dd_buf_init(&b, 1u << 20);
	for (size_t i = 0; i < r->nwarnings; i++)
		dd_buf_printf(&b, NULL, "%s\n", r->warnings[i]);
	for (size_t i = 0; r->sbom && i < r->sbom->nwarnings; i++)
		dd_buf_printf(&b, NULL, "%s\n", r->sbom->warnings[i]);
	for (size_t i = 0; i < r->nnot_assessed; i++)
		dd_buf_printf(&b, NULL, "not assessed: %s: %s\n",
			      r->not_assessed[i].what ? r->not_assessed[i].what : "?",
			      r->not_assessed[i].why ? r->not_assessed[i].why : "");
	const char *out = b.data ? dd_arena_strdup(a, b.data) : NULL;
	dd_buf_release(&b);
	return out;
}

static dd_code save_tx(struct save *sv, const char *sbom_json, struct dd_err *err)
{
	struct dd_store *s = sv->s;
	const struct dd_scan_result *r = sv->r;
	const struct dd_image_info *im = &r->sbom->image;
	dd_code rc;
	struct dd_sqlv pa[] = { SQLV_TEXT(sv->asset), SQLV_INT(sv->now) };
	if ((rc = st_q(s, "INSERT INTO assets (name, created) VALUES ($1, $2)"
			  " ON CONFLICT (name) DO NOTHING",
		       pa, 2, NULL, NULL, err)))
		return rc;
	dd_impact_init(&sv->impact);
	if ((rc = st_q(s, s->pg ? "SELECT id, criticality, exposure, sensitivity, sla_p1, sla_p2,"
				  " sla_p3 FROM assets WHERE name = $1 FOR UPDATE"
				: "SELECT id, criticality, exposure, sensitivity, sla_p1, sla_p2,"
				  " sla_p3 FROM assets WHERE name = $1",
		       pa, 1, asset_impact_row, sv, err)))
		return rc;
	if (!sv->asset_id)
		return dd_err_set(err, DD_EDB, "asset '%s' vanished during the save", sv->asset);

	int64_t image_id = 0;
	struct dd_sqlv pi[] = { SQLV_TEXT(sv->digest), SQLV_TEXT(im->reference), SQLV_INT(sv->now) };
	if ((rc = st_q(s, "INSERT INTO images (digest, refs, first_seen) VALUES ($1, $2, $3)"
			  " ON CONFLICT (digest) DO NOTHING",
		       pi, 3, NULL, NULL, err)) ||
	    (rc = st_q(s, "SELECT id FROM images WHERE digest = $1", pi, 1, dd_store_row_i64,
		       &image_id, err)))
		return rc;

	const char *dbv = sv->o->db_version ? sv->o->db_version : r->db_built;
	struct dd_sqlv ps[] = {
		SQLV_INT(sv->asset_id), SQLV_INT(image_id), SQLV_TEXT(im->reference),
		SQLV_TEXT(sv->digest), SQLV_INT(sv->now), SQLV_REAL(sv->o->duration), SQLV_TEXT(dbv),
		SQLV_INT(r->sbom->npkgs), SQLV_TEXT(sbom_json), SQLV_TEXT(warnings_text(sv->a, r)),
	};
	if ((rc = st_q(s,
		       "INSERT INTO scans (asset_id, image_id, image_ref, image_digest, at, duration,"
		       " db_version, npackages, sbom, warnings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
		       " $9, $10) RETURNING id",
		       ps, 10, dd_store_row_i64, &sv->scan_id, err)))
		return rc;
	sv->sum->scan_id = sv->scan_id;

	struct dd_sqlv pf[] = { SQLV_INT(sv->asset_id), SQLV_INT(sv->now) };
	if ((rc = st_q(s,
		       "SELECT id, pkg_key, vuln, state, installed, package, purl, namespace,"
		       " first_seen, first_scan, verification, vex_status, reintroduced"
		       " FROM findings WHERE asset_id = $1",
		       pf, 1, old_row, &sv->old, err)))
		return rc;
	if (sv->old.fail)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	for (size_t i = 0; i < sv->old.n; i++) {
		const char *mk = dd_arena_printf(sv->a, "%s\n%s", sv->old.v[i].pkg_key, sv->old.v[i].vuln);
		if (!mk || dd_map_put(&sv->by_key, mk, strlen(mk), (void *)(i + 1), NULL, err))
			return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	if ((rc = st_q(s, "SELECT vuln, product, status FROM vex", NULL, 0, vex_row, &sv->vex, err)))
		return rc;
	if (sv->vex.fail)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	if ((rc = st_q(s,
		       "SELECT e.finding_id FROM exceptions e JOIN findings f ON f.id = e.finding_id"
		       " WHERE f.asset_id = $1 AND e.expires > $2",
		       pf, 2, exc_row, sv, err)))
		return rc;

	for (size_t i = 0; i < r->sbom->npkgs; i++) {
		const struct dd_package *p = &r->sbom->pkgs[i];
		const char *key = pkg_key(sv->a, p);
		if (!key)
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		if (dd_map_put(&sv->pkgs, key, strlen(key), (void *)p, NULL, err))
			return DD_ENOMEM;
		struct dd_sqlv pp[] = { SQLV_INT(sv->scan_id), SQLV_TEXT(key), SQLV_TEXT(p->name),
					SQLV_TEXT(p->version), SQLV_TEXT(p->purl) };
		if ((rc = st_q(s,
			       "INSERT INTO scan_packages (scan_id, pkg_key, name, version, purl)"
			       " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
			       pp, 5, NULL, NULL, err)))
			return rc;
	}
	for (size_t i = 0; i < r->nfindings; i++)
		if ((rc = save_one(sv, &r->findings[i], err)))
			return rc;
	if ((rc = close_absent(sv, err)))
		return rc;
	struct dd_sqlv pu[] = { SQLV_INT(r->nfindings), SQLV_INT(sv->sum->by_priority[1]),
				SQLV_INT(sv->sum->by_priority[2]), SQLV_INT(sv->sum->by_priority[3]),
				SQLV_INT(sv->sum->new_), SQLV_INT(sv->sum->fixed),
				SQLV_INT(sv->scan_id) };
	return st_q(s,
		    "UPDATE scans SET nfindings = $1, p1 = $2, p2 = $3, p3 = $4, nnew = $5,"
		    " nfixed = $6 WHERE id = $7",
		    pu, 7, NULL, NULL, err);
}

dd_code dd_store_save_scan(struct dd_store *s, const struct dd_scan_result *r,
			   const struct dd_save_opts *o, struct dd_save_summary *sum,
			   struct dd_err *err)
{
	struct dd_save_summary local;
	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	if (!o || !o->asset || !*o->asset)
		return dd_err_set(err, DD_EUSAGE, "saving a scan needs an asset name (--asset)");
	if (!r || !r->sbom)
		return dd_err_set(err, DD_EUSAGE, "saving a scan needs its SBOM");
	struct save sv = { .s = s, .r = r, .o = o, .sum = sum, .asset = o->asset };
	sv.now = o->now ? o->now : dd_clock_now();
	sv.who = o->who ? o->who : "drydock";
	sum->findings = r->nfindings;
	sv.a = dd_arena_new(0);
	if (!sv.a)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	sv.old.a = sv.vex.a = sv.a;
	dd_map_init(&sv.by_key);
	dd_map_init(&sv.pkgs);
	dd_map_init(&sv.exc);
	const struct dd_image_info *im = &r->sbom->image;
	sv.digest = im->manifest_digest ? im->manifest_digest
		    : im->config_digest   ? im->config_digest
					  : dd_arena_printf(sv.a, "unknown:%s",
							    im->reference ? im->reference : "?");
	char *json = NULL;
	size_t jlen;
	dd_code rc = dd_store_sbom_json(r->sbom, &json, &jlen, err);
	if (rc)
		goto out;
	if ((rc = s->be->begin(s->conn, true, err)))
		goto out;
	rc = save_tx(&sv, json, err);
	if (rc == DD_OK && dd_arena_status(sv.a))
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	if (rc == DD_OK && o->before_commit)
		o->before_commit(o->ud);
	if (rc == DD_OK)
		rc = s->be->commit(s->conn, err);
	if (rc) {
		s->be->rollback(s->conn);
		dd_err_prefix(err, "saving scan of %s: ", o->asset);
	}
out:
	free(json);
	free(sv.old.v);
	free(sv.vex.v);
	dd_map_release(&sv.by_key);
	dd_map_release(&sv.pkgs);
	dd_map_release(&sv.exc);
	dd_arena_free(sv.a);
	return rc;
}

/* ---- scans --------------------------------------------------------------- */

struct scan_rows {
	struct dd_arena *a;
	struct dd_scan_row *v;
	size_t n, cap;
	bool fail, full;
};

static int scan_row(void *ud, int nc, const char *const *v)
{
	struct scan_rows *r = ud;
	if (nc < 16 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct dd_scan_row *x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->id = dd_store_i64(v[0]);
	x->asset = adup(r->a, v[1]);
	x->image_ref = adup(r->a, v[2]);
	x->image_digest = adup(r->a, v[3]);
	x->at = dd_store_i64(v[4]);
	x->duration = dd_store_dbl(v[5], 0);
	x->db_version = adup(r->a, v[6]);
	x->npackages = (long)dd_store_i64(v[7]);
	x->nfindings = (long)dd_store_i64(v[8]);
	for (int i = 1; i <= 3; i++)
		x->by_priority[i] = (long)dd_store_i64(v[8 + i]);
	x->new_ = (long)dd_store_i64(v[12]);
	x->fixed = (long)dd_store_i64(v[13]);
	x->warnings = adup(r->a, v[14]);
	if (r->full)
		x->sbom_json = adup(r->a, v[15]);
	return 0;
}

#define SCAN_COLS                                                                          \
	"s.id, a.name, s.image_ref, s.image_digest, s.at, s.duration, s.db_version,"       \
	" s.npackages, s.nfindings, s.p1, s.p2, s.p3, s.nnew, s.nfixed, s.warnings"

dd_code dd_store_list_scans(struct dd_store *s, const char *asset, size_t limit,
			    struct dd_arena *ar, struct dd_scan_row **out, size_t *n,
			    struct dd_err *err)
{
	struct scan_rows r = { .a = ar };
	struct dd_sqlv p[] = { SQLV_TEXT(asset), SQLV_INT(limit ? (int64_t)limit : INT64_MAX) };
	dd_code rc = asset ? st_q(s, "SELECT " SCAN_COLS ", NULL FROM scans s JOIN assets a ON"
				     " a.id = s.asset_id WHERE a.name = $1 ORDER BY s.at DESC, s.id DESC"
				     " LIMIT $2",
				  p, 2, scan_row, &r, err)
			   : st_q(s, "SELECT " SCAN_COLS ", NULL FROM scans s JOIN assets a ON"
				     " a.id = s.asset_id ORDER BY s.at DESC, s.id DESC LIMIT $1",
				  p + 1, 1, scan_row, &r, err);
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

dd_code dd_store_get_scan(struct dd_store *s, int64_t id, struct dd_arena *ar,
			  struct dd_scan_row *out, struct dd_err *err)
{
	struct scan_rows r = { .a = ar, .full = true };
	struct dd_sqlv p[] = { SQLV_INT(id) };
	dd_code rc = st_q(s,
			  "SELECT " SCAN_COLS ", s.sbom FROM scans s JOIN assets a ON a.id = s.asset_id"
			  " WHERE s.id = $1",
			  p, 1, scan_row, &r, err);
	if (rc == DD_OK && r.fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	if (rc == DD_OK && r.n == 0)
		rc = dd_err_set(err, DD_ENOTFOUND, "no scan %lld", (long long)id);
	if (rc == DD_OK)
		*out = r.v[0];
	free(r.v);
	return rc;
}

struct diff_rows {
	struct dd_arena *a;
	struct dd_diff_row *v;
	size_t n, cap;
	bool fail, vuln;
};

static int diff_row(void *ud, int nc, const char *const *v)
{
	struct diff_rows *r = ud;
	if (nc < 3 || dd_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v)) {
		r->fail = true;
		return 1;
	}
	struct dd_diff_row *x = &r->v[r->n];
	memset(x, 0, sizeof *x);
	x->vulnerability = r->vuln;
	x->name = adup(r->a, v[0]);
	x->from = adup(r->a, v[1]);
	x->to = adup(r->a, v[2]);
	if (!x->from)
		x->kind = DD_DIFF_ADDED;
	else if (!x->to)
		x->kind = DD_DIFF_REMOVED;
	else if (strcmp(x->from, x->to) != 0)
		x->kind = DD_DIFF_CHANGED;
	else
		return 0; /* unchanged: not a diff row */
	r->n++;
	return 0;
}

dd_code dd_store_diff_scans(struct dd_store *s, int64_t a, int64_t b, struct dd_arena *ar,
			    struct dd_diff_row **out, size_t *n, struct dd_err *err)
{
	struct dd_scan_row sa, sb;
	dd_code rc;
	if ((rc = dd_store_get_scan(s, a, ar, &sa, err)) || (rc = dd_store_get_scan(s, b, ar, &sb, err)))
		return rc;
	struct diff_rows r = { .a = ar };
	struct dd_sqlv p[] = { SQLV_INT(a), SQLV_INT(b) };
	/* A full outer join written as two left joins: SQLite before 3.39
	 * has no FULL JOIN. */
	rc = st_q(s,
		  "SELECT x.pkg_key, x.version, y.version FROM scan_packages x LEFT JOIN scan_packages y"
		  " ON y.scan_id = $2 AND y.pkg_key = x.pkg_key WHERE x.scan_id = $1"
		  " UNION ALL SELECT y.pkg_key, NULL, y.version FROM scan_packages y"
		  " WHERE y.scan_id = $2 AND NOT EXISTS (SELECT 1 FROM scan_packages x"
		  " WHERE x.scan_id = $1 AND x.pkg_key = y.pkg_key) ORDER BY 1",
		  p, 2, diff_row, &r, err);
	if (!rc) {
		r.vuln = true;
		rc = st_q(s,
			  "SELECT f.vuln || ' ' || f.package, x.installed, y.installed FROM scan_findings x"
			  " JOIN findings f ON f.id = x.finding_id LEFT JOIN scan_findings y"
			  " ON y.scan_id = $2 AND y.finding_id = x.finding_id WHERE x.scan_id = $1"
			  " UNION ALL SELECT f.vuln || ' ' || f.package, NULL, y.installed"
			  " FROM scan_findings y JOIN findings f ON f.id = y.finding_id"
			  " WHERE y.scan_id = $2 AND NOT EXISTS (SELECT 1 FROM scan_findings x"
			  " WHERE x.scan_id = $1 AND x.finding_id = y.finding_id) ORDER BY 1",
			  p, 2, diff_row, &r, err);
	}
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
