/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The DB's two derived, read-optimised tables (schema 2), rebuilt from the
 * normalised tables at the end of every import, inside its transaction:
 *
 *   - match_index: one row per (namespace, pkg_key) holding every affected
 *     entry of that package, in the order dd_vulndb_each_affected promises,
 *     as one compact blob (advisory id and withdrawn flag included). A
 *     lookup is then one B-tree seek instead of an index seek plus a table
 *     seek and a join per entry, and ranges/versions need no JSON parse:
 *     those per-entry seeks and parses were most of a scan's lookup time.
 *   - advisory_view: per advisory, the merged view dd_vulndb_advisory()
 *     computes with ~10 queries (aliases both ways, severities and CWEs of
 *     every related id, references, KEV, EPSS), computed here by that same
 *     code (vdb_advisory_merged) and stored, so that reading it back gives
 *     the same answer by construction.
 *
 * What this does not do: compare versions (the matcher does), or update
 * incrementally (every import rebuilds both tables: a few hundred ms for
 * the shared feeds, measured by bench/bench_vulndb_import.c).
 *
 * With match_index comes match_filter: a Bloom filter of its keys, so that
 * a name no feed has (most packages of a real SBOM) costs a hash instead
 * of a B-tree seek.
 *
 * Blob format (docs/internals/vulndb.md): unsigned LEB128 varints ("uv"),
 * strings as uv (length + 1; 0 = NULL) then the bytes and a NUL, doubles as
 * 8 little-endian bytes of their IEEE 754 bits. The DB file is untrusted
 * input like any other: every read below is bounds-checked and a malformed
 * blob is an error naming the row, never a crash (fuzz/fuzz_vdb_blob.c).
 */
#include <string.h>

#include "dd/log.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"
#include "vulndb/vdb.h"

#define ENTRIES_FORMAT 1
#define VIEW_FORMAT 1
#define F_WITHDRAWN 1u
#define F_SYNTH 2u /* distro row: the one range [0, fixed) is implied */
#define FILTER_FORMAT 1
#define FILTER_PROBES 4

/* ------------------------------------------------------------ encoding -- */

static dd_code put_uv(struct dd_buf *b, uint64_t v, struct dd_err *err)
{
	unsigned char t[10];
	size_t n = 0;
	do {
		t[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return dd_buf_append(b, t, n, err);
}

static dd_code put_u8(struct dd_buf *b, unsigned v, struct dd_err *err)
{
	unsigned char c = (unsigned char)v;
	return dd_buf_append(b, &c, 1, err);
}

static dd_code put_str(struct dd_buf *b, const char *s, struct dd_err *err)
{
	if (!s)
		return put_uv(b, 0, err);
	size_t n = strlen(s);
	dd_code rc = put_uv(b, (uint64_t)n + 1, err);
	return rc ? rc : dd_buf_append(b, s, n + 1, err);
}

static dd_code put_f64(struct dd_buf *b, double d, struct dd_err *err)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	unsigned char t[8];
	for (int i = 0; i < 8; i++)
		t[i] = (unsigned char)(u >> (8 * i));
	return dd_buf_append(b, t, 8, err);
}

/* ------------------------------------------------------------ decoding -- */

struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static size_t left(const struct rd *r)
{
	return (size_t)(r->end - r->p);
}

static uint64_t get_uv(struct rd *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			break;
		unsigned char c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

static unsigned get_u8(struct rd *r)
{
	if (r->p >= r->end) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

/* A string inside the blob (NUL-terminated there), or NULL. */
static const char *get_str(struct rd *r)
{
	uint64_t n = get_uv(r);
	if (r->bad || n == 0)
		return NULL;
	if (n > left(r) || r->p[n - 1] != '\0') {
		r->bad = true;
		return NULL;
	}
	const char *s = (const char *)r->p;
	r->p += n;
	return s;
}

static double get_f64(struct rd *r)
{
	if (left(r) < 8) {
		r->bad = true;
		return 0;
	}
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u |= (uint64_t)r->p[i] << (8 * i);
	r->p += 8;
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

/* A count of items that take at least `min` bytes each: more than the
 * bytes left can hold is corruption (and would be a huge allocation). */
static size_t get_count(struct rd *r, size_t min)
{
	uint64_t n = get_uv(r);
	if (r->bad || n > left(r) / min) {
		r->bad = true;
		return 0;
	}
	return (size_t)n;
}

/* ------------------------------------------------------ affected entries -- */

dd_code vdb_entry_encode(struct dd_buf *b, const struct dd_vulndb_affected *a, struct dd_err *err)
{
	/* A distro row whose one range is [0, fixed): store nothing for it. */
	bool synth = a->status != DD_VULNDB_RANGES && a->nranges == 1 && !a->nversions &&
		     a->ranges[0].type && !strcmp(a->ranges[0].type, "ECOSYSTEM") && !a->ranges[0].repo &&
		     a->ranges[0].nevents == (a->fixed ? 2u : 1u) &&
		     a->ranges[0].events[0].kind == DD_VULNDB_INTRODUCED &&
		     !strcmp(a->ranges[0].events[0].version, "0") &&
		     (!a->fixed || (a->ranges[0].events[1].kind == DD_VULNDB_FIXED_AT &&
				    !strcmp(a->ranges[0].events[1].version, a->fixed)));
	dd_code rc = put_u8(b, (unsigned)a->status, err);
	if (!rc)
		rc = put_u8(b, (a->withdrawn ? F_WITHDRAWN : 0) | (synth ? F_SYNTH : 0), err);
	const char *strs[] = { a->advisory, a->source, a->package, a->purl, a->fixed,
			       a->severity, a->ecosystem_specific, a->database_specific };
	for (size_t i = 0; i < sizeof strs / sizeof *strs && !rc; i++)
		rc = put_str(b, strs[i], err);
	if (synth || rc)
		return rc;
	rc = put_uv(b, a->nranges, err);
	for (size_t i = 0; i < a->nranges && !rc; i++) {
		const struct dd_vulndb_range *R = &a->ranges[i];
		rc = put_str(b, R->type, err);
		if (!rc)
			rc = put_str(b, R->repo, err);
		if (!rc)
			rc = put_uv(b, R->nevents, err);
		for (size_t j = 0; j < R->nevents && !rc; j++) {
			rc = put_u8(b, (unsigned)R->events[j].kind, err);
			if (!rc)
				rc = put_str(b, R->events[j].version, err);
		}
	}
	if (!rc)
		rc = put_uv(b, a->nversions, err);
	for (size_t i = 0; i < a->nversions && !rc; i++)
		rc = put_str(b, a->versions[i], err);
	return rc;
}

dd_code vdb_entries_frame(struct dd_buf *out, const struct dd_buf *body, size_t count, struct dd_err *err)
{
	dd_code rc = put_u8(out, ENTRIES_FORMAT, err);
	if (!rc)
		rc = put_uv(out, count, err);
	if (!rc && body->len)
		rc = dd_buf_append(out, body->data, body->len, err);
	return rc;
}

dd_code vdb_entries_open(struct vdb_entries *it, const void *blob, size_t n)
{
	memset(it, 0, sizeof *it);
	struct rd r = { blob, (const unsigned char *)blob + n, false };
	if (!blob || get_u8(&r) != ENTRIES_FORMAT)
		return DD_EDB;
	/* Each entry needs at least its length, status, flags and 8 strings. */
	it->left = get_count(&r, 11);
	if (r.bad)
		return DD_EDB;
	it->p = r.p;
	it->end = r.end;
	return DD_OK;
}

/* One entry body into *out, pointers into the blob; arrays from a. */
static bool decode_entry(struct rd *r, struct dd_arena *a, struct dd_vulndb_affected *out)
{
	unsigned status = get_u8(r), flags = get_u8(r);
	const char **strs[] = { &out->advisory, &out->source, &out->package, &out->purl, &out->fixed,
				&out->severity, &out->ecosystem_specific, &out->database_specific };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		*strs[i] = get_str(r);
	if (r->bad || !out->advisory || !out->source || !out->package || status > DD_VULNDB_UNDETERMINED ||
	    flags > (F_WITHDRAWN | F_SYNTH))
		return false;
	out->status = (enum dd_vulndb_status)status;
	out->withdrawn = flags & F_WITHDRAWN;
	if (flags & F_SYNTH) {
		if (out->status == DD_VULNDB_RANGES)
			return false;
		struct dd_vulndb_range *R = dd_arena_alloc(a, sizeof *R);
		struct dd_vulndb_event *ev = dd_arena_alloc(a, 2 * sizeof *ev);
		if (!R || !ev)
			return false;
		ev[0] = (struct dd_vulndb_event){ DD_VULNDB_INTRODUCED, "0" };
		ev[1] = (struct dd_vulndb_event){ DD_VULNDB_FIXED_AT, out->fixed };
		*R = (struct dd_vulndb_range){ "ECOSYSTEM", NULL, ev, out->fixed ? 2 : 1 };
		out->ranges = R;
		out->nranges = 1;
		return r->p == r->end;
	}
	size_t nr = get_count(r, 3);
	struct dd_vulndb_range *rs = nr ? dd_arena_alloc(a, nr * sizeof *rs) : NULL;
	if (r->bad || (nr && !rs))
		return false;
	for (size_t i = 0; i < nr; i++) {
		struct dd_vulndb_range *R = &rs[i];
		R->type = get_str(r);
		R->repo = get_str(r);
		size_t ne = get_count(r, 2);
		struct dd_vulndb_event *ev = ne ? dd_arena_alloc(a, ne * sizeof *ev) : NULL;
		if (r->bad || !R->type || (ne && !ev))
			return false;
		for (size_t j = 0; j < ne; j++) {
			unsigned kind = get_u8(r);
			ev[j].version = get_str(r);
			if (r->bad || kind > DD_VULNDB_LIMIT || !ev[j].version)
				return false;
			ev[j].kind = (enum dd_vulndb_event_kind)kind;
		}
		R->events = ev;
		R->nevents = ne;
	}
	size_t nv = get_count(r, 1);
	const char **vs = nv ? dd_arena_alloc(a, nv * sizeof *vs) : NULL;
	if (r->bad || (nv && !vs))
		return false;
	for (size_t i = 0; i < nv; i++)
		if (!(vs[i] = get_str(r)))
			return false;
	out->ranges = rs;
	out->nranges = nr;
	out->versions = vs;
	out->nversions = nv;
	return r->p == r->end;
}

int vdb_entries_next(struct vdb_entries *it, struct dd_arena *a, struct dd_vulndb_affected *out)
{
	memset(out, 0, sizeof *out);
	if (!it->left && it->p == it->end)
		return 0;
	struct rd r = { it->p, it->end, false };
	size_t len = it->left ? (size_t)get_uv(&r) : 0;
	if (!it->left || r.bad || len > left(&r)) {
		/* broken frame or bytes after the last entry: said once, then the end */
		it->left = 0;
		it->p = it->end = NULL;
		return -1;
	}
	it->left--;
	struct rd body = { r.p, r.p + len, false };
	it->p = r.p + len;
	if (!decode_entry(&body, a, out)) {
		/* keep the advisory for the message when it was readable */
		const char *adv = out->advisory;
		memset(out, 0, sizeof *out);
		out->advisory = adv;
		return -2;
	}
	return 1;
}

/* ------------------------------------------------------- advisory views -- */

dd_code vdb_view_encode(struct dd_buf *b, const struct dd_vulndb_advisory *v, struct dd_err *err)
{
	dd_code rc = put_u8(b, VIEW_FORMAT, err);
	if (!rc)
		rc = put_uv(b, v->naliases, err);
	for (size_t i = 0; i < v->naliases && !rc; i++)
		rc = put_str(b, v->aliases[i], err);
	if (!rc)
		rc = put_uv(b, v->nseverities, err);
	for (size_t i = 0; i < v->nseverities && !rc; i++) {
		const struct dd_vulndb_severity *s = &v->severities[i];
		const char *strs[] = { s->source, s->type, s->version, s->vector };
		for (size_t k = 0; k < 4 && !rc; k++)
			rc = put_str(b, strs[k], err);
		if (!rc)
			rc = put_f64(b, s->score, err);
		if (!rc)
			rc = put_str(b, s->rating, err);
		if (!rc)
			rc = put_str(b, s->advisory, err);
	}
	if (!rc)
		rc = put_uv(b, v->ncwes, err);
	for (size_t i = 0; i < v->ncwes && !rc; i++)
		rc = put_str(b, v->cwes[i], err);
	if (!rc)
		rc = put_uv(b, v->nreferences, err);
	for (size_t i = 0; i < v->nreferences && !rc; i++) {
		rc = put_str(b, v->references[i].type, err);
		if (!rc)
			rc = put_str(b, v->references[i].url, err);
	}
	if (!rc)
		rc = put_u8(b, (v->kev ? 1u : 0) | (v->kev_ransomware ? 2u : 0), err);
	const char *kev[] = { v->kev_cve, v->kev_added, v->kev_due };
	for (size_t k = 0; k < 3 && !rc; k++)
		rc = put_str(b, kev[k], err);
	if (!rc)
		rc = put_f64(b, v->epss, err);
	if (!rc)
		rc = put_f64(b, v->epss_percentile, err);
	if (!rc)
		rc = put_str(b, v->epss_date, err);
	return rc;
}

/* A string of the view, copied into the caller's arena. */
static const char *dup(struct rd *r, struct dd_arena *a)
{
	const char *s = get_str(r);
	return s ? dd_arena_strdup(a, s) : NULL;
}

dd_code vdb_view_decode(const void *blob, size_t n, struct dd_arena *a, struct dd_vulndb_advisory *v)
{
	struct rd r = { blob, (const unsigned char *)blob + n, false };
	if (!blob || get_u8(&r) != VIEW_FORMAT)
		return DD_EDB;
	size_t na = get_count(&r, 1);
	const char **al = na ? dd_arena_alloc(a, na * sizeof *al) : NULL;
	for (size_t i = 0; al && i < na; i++)
		if (!(al[i] = dup(&r, a)))
			r.bad = true;
	size_t ns = r.bad ? 0 : get_count(&r, 12);
	struct dd_vulndb_severity *sv = ns ? dd_arena_alloc(a, ns * sizeof *sv) : NULL;
	for (size_t i = 0; sv && i < ns && !r.bad; i++) {
		sv[i].source = dup(&r, a);
		sv[i].type = dup(&r, a);
		sv[i].version = dup(&r, a);
		sv[i].vector = dup(&r, a);
		sv[i].score = get_f64(&r);
		sv[i].rating = dup(&r, a);
		sv[i].advisory = dup(&r, a);
	}
	size_t nc = r.bad ? 0 : get_count(&r, 1);
	const char **cw = nc ? dd_arena_alloc(a, nc * sizeof *cw) : NULL;
	for (size_t i = 0; cw && i < nc; i++)
		if (!(cw[i] = dup(&r, a)))
			r.bad = true;
	size_t nr = r.bad ? 0 : get_count(&r, 2);
	struct dd_vulndb_reference *rf = nr ? dd_arena_alloc(a, nr * sizeof *rf) : NULL;
	for (size_t i = 0; rf && i < nr && !r.bad; i++) {
		rf[i].type = dup(&r, a);
		if (!(rf[i].url = dup(&r, a)))
			r.bad = true;
	}
	unsigned kf = get_u8(&r);
	v->kev_cve = dup(&r, a);
	v->kev_added = dup(&r, a);
	v->kev_due = dup(&r, a);
	v->epss = get_f64(&r);
	v->epss_percentile = get_f64(&r);
	v->epss_date = dup(&r, a);
	if (dd_arena_status(a) != DD_OK)
		return DD_ENOMEM;
	if (r.bad || r.p != r.end || kf > 3)
		return DD_EDB;
	v->aliases = al;
	v->naliases = na;
	v->severities = sv;
	v->nseverities = ns;
	v->cwes = cw;
	v->ncwes = nc;
	v->references = rf;
	v->nreferences = nr;
	v->kev = kf & 1;
	v->kev_ransomware = (kf & 2) != 0;
	return DD_OK;
}

/* --------------------------------------------------------- name filter -- */

/* FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/): namespace,
 * a NUL, the package key. Its halves drive the filter's probes (double
 * hashing, Kirsch and Mitzenmacher 2006). */
uint64_t vdb_filter_hash(const char *ns, const char *key)
{
	uint64_t h = 14695981039346656037ull;
	for (const char *p = ns; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h *= 1099511628211ull; /* the NUL */
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static uint64_t probe(uint64_t h, unsigned i, uint64_t mask)
{
	uint32_t h1 = (uint32_t)h, h2 = (uint32_t)(h >> 32) | 1u;
	return ((uint64_t)h1 + (uint64_t)i * h2) & mask;
}

dd_code vdb_filter_build(struct dd_buf *out, const uint64_t *hashes, size_t n, struct dd_err *err)
{
	/* 16 bits per key, 4 probes: ~0.2 % false positives (each costs one
	 * seek, as every lookup did without the filter). */
	size_t bytes = 128;
	while (bytes * 8 < n * 16 && bytes < DD_LIMIT_VDB_INDEX_BYTES / 2)
		bytes *= 2;
	unsigned char *bits = dd_calloc(bytes, 1);
	if (!bits)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	uint64_t mask = (uint64_t)bytes * 8 - 1;
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < FILTER_PROBES; k++) {
			uint64_t b = probe(hashes[i], k, mask);
			bits[b / 8] |= (unsigned char)(1u << (b % 8));
		}
	unsigned char head[2] = { FILTER_FORMAT, FILTER_PROBES };
	dd_code rc = dd_buf_append(out, head, 2, err);
	if (!rc)
		rc = dd_buf_append(out, bits, bytes, err);
	free(bits);
	return rc;
}

dd_code vdb_filter_open(struct vdb_filter *f, const void *blob, size_t n)
{
	memset(f, 0, sizeof *f);
	const unsigned char *b = blob;
	size_t bytes = n >= 2 ? n - 2 : 0;
	if (!b || n < 2 || b[0] != FILTER_FORMAT || b[1] < 1 || b[1] > 16 || bytes < 8 ||
	    (bytes & (bytes - 1)))
		return DD_EDB;
	f->bits = b + 2;
	f->mask = (uint64_t)bytes * 8 - 1;
	f->probes = b[1];
	return DD_OK;
}

bool vdb_filter_may_have(const struct vdb_filter *f, uint64_t h)
{
	for (unsigned k = 0; k < f->probes; k++) {
		uint64_t b = probe(h, k, f->mask);
		if (!(f->bits[b / 8] & (1u << (b % 8))))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------- building -- */

/* ranges JSON (as the writer stores it) → structs in `a`. false when the
 * text is not OSV-shaped. */
static bool parse_ranges(struct dd_arena *a, const char *text, struct dd_vulndb_affected *out,
			 struct dd_err *e)
{
	if (!text)
		return true;
	struct fj *root = fj_parse(a, text, strlen(text), e);
	if (!fj_is(root, FJ_ARR))
		return false;
	struct dd_vulndb_range *rs = dd_arena_alloc(a, (root->n ? root->n : 1) * sizeof *rs);
	if (!rs)
		return false;
	size_t nr = 0;
	for (const struct fj *r = root->first; r; r = r->next) {
		const struct fj *evs = fj_get(r, "events");
		struct dd_vulndb_range *R = &rs[nr++];
		R->type = fj_gets(r, "type");
		R->repo = fj_gets(r, "repo");
		if (!R->type)
			return false;
		size_t ne = fj_is(evs, FJ_ARR) ? evs->n : 0;
		struct dd_vulndb_event *ev = dd_arena_alloc(a, (ne ? ne : 1) * sizeof *ev);
		if (!ev)
			return false;
		size_t k = 0;
		for (const struct fj *e2 = ne ? evs->first : NULL; e2; e2 = e2->next) {
			const struct fj *m = fj_is(e2, FJ_OBJ) ? e2->first : NULL;
			if (!m || !fj_str(m))
				continue;
			enum dd_vulndb_event_kind kind;
			if (strcmp(m->key, "introduced") == 0)
				kind = DD_VULNDB_INTRODUCED;
			else if (strcmp(m->key, "fixed") == 0)
				kind = DD_VULNDB_FIXED_AT;
			else if (strcmp(m->key, "last_affected") == 0)
				kind = DD_VULNDB_LAST_AFFECTED;
			else if (strcmp(m->key, "limit") == 0)
				kind = DD_VULNDB_LIMIT;
			else
				continue;
			ev[k++] = (struct dd_vulndb_event){ kind, fj_str(m) };
		}
		R->events = ev;
		R->nevents = k;
	}
	out->ranges = rs;
	out->nranges = nr;
	return true;
}

static bool parse_versions(struct dd_arena *a, const char *text, struct dd_vulndb_affected *out,
			   struct dd_err *e)
{
	if (!text)
		return true;
	struct fj *root = fj_parse(a, text, strlen(text), e);
	if (!fj_is(root, FJ_ARR))
		return false;
	const char **v = dd_arena_alloc(a, (root->n ? root->n : 1) * sizeof *v);
	if (!v)
		return false;
	size_t n = 0;
	for (const struct fj *x = root->first; x; x = x->next)
		if (fj_str(x))
			v[n++] = fj_str(x);
	out->versions = v;
	out->nversions = n;
	return true;
}

static dd_code db_err(sqlite3 *db, struct dd_err *err, const char *what)
{
	return dd_err_set(err, DD_EDB, "vulnerability DB: %s: %s", what, sqlite3_errmsg(db));
}

struct group {
	char *ns, *key;
	struct dd_buf body, blob;
	size_t count;
	uint64_t *hashes; /* of every (namespace, pkg_key) written, for the filter */
	size_t nhashes, hcap;
};

static dd_code flush(sqlite3 *db, sqlite3_stmt *ins, struct group *g, struct dd_err *err)
{
	if (!g->ns)
		return DD_OK;
	dd_buf_reset(&g->blob);
	dd_code rc = vdb_entries_frame(&g->blob, &g->body, g->count, err);
	if (rc)
		return dd_err_prefix(err, "match index for %s/%s", g->ns, g->key);
	if (dd_grow(&g->hashes, &g->hcap, g->nhashes + 1, sizeof *g->hashes))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	g->hashes[g->nhashes++] = vdb_filter_hash(g->ns, g->key);
	sqlite3_bind_text(ins, 1, g->ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, g->key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 3, g->blob.data, (int)g->blob.len, SQLITE_STATIC);
	int r = sqlite3_step(ins);
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	if (r != SQLITE_DONE)
		return db_err(db, err, "writing the match index");
	return DD_OK;
}

static dd_code build_match_index(sqlite3 *db, struct dd_err *err)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	struct group g = { 0 };
	struct dd_buf ent;
	dd_buf_init(&g.body, DD_LIMIT_VDB_INDEX_BYTES);
	dd_buf_init(&g.blob, DD_LIMIT_VDB_INDEX_BYTES + 16);
	dd_buf_init(&ent, DD_LIMIT_VDB_INDEX_BYTES);
	dd_code rc = DD_OK;
	/* In affected_by_pkg's order (namespace, pkg_key, adv, rowid): no sort. */
	if (sqlite3_exec(db, "DELETE FROM match_index", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT a.namespace, a.pkg_key, v.vid, a.source, a.package, a.purl, a.status,"
			       " a.fixed, a.severity, a.ranges, a.versions, a.ecosystem_specific,"
			       " a.database_specific, v.withdrawn FROM affected a JOIN advisories v ON v.id = a.adv"
			       " ORDER BY a.namespace, a.pkg_key, a.adv, a.id",
			       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO match_index(namespace, pkg_key, entries) VALUES(?1, ?2, ?3)", -1,
			       &ins, NULL) != SQLITE_OK) {
		rc = db_err(db, err, "building the match index");
		goto out;
	}
	int r;
	while (rc == DD_OK && (r = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *ns = (const char *)sqlite3_column_text(sel, 0);
		const char *key = (const char *)sqlite3_column_text(sel, 1);
		if (!ns || !key)
			continue;
		if (!g.ns || strcmp(g.ns, ns) || strcmp(g.key, key)) {
			if ((rc = flush(db, ins, &g, err)))
				break;
			free(g.ns);
			free(g.key);
			g.ns = dd_strndup(ns, strlen(ns));
			g.key = dd_strndup(key, strlen(key));
			dd_buf_reset(&g.body);
			g.count = 0;
			if (!g.ns || !g.key) {
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
				break;
			}
		}
		const char *status = (const char *)sqlite3_column_text(sel, 6);
		struct dd_vulndb_affected row = {
			.advisory = (const char *)sqlite3_column_text(sel, 2),
			.source = (const char *)sqlite3_column_text(sel, 3),
			.namespace_ = ns,
			.package = (const char *)sqlite3_column_text(sel, 4),
			.purl = (const char *)sqlite3_column_text(sel, 5),
			.status = DD_VULNDB_UNDETERMINED,
			.fixed = (const char *)sqlite3_column_text(sel, 7),
			.severity = (const char *)sqlite3_column_text(sel, 8),
			.ecosystem_specific = (const char *)sqlite3_column_text(sel, 11),
			.database_specific = (const char *)sqlite3_column_text(sel, 12),
			.withdrawn = sqlite3_column_type(sel, 13) != SQLITE_NULL,
		};
		for (int i = DD_VULNDB_RANGES; i <= DD_VULNDB_UNDETERMINED; i++)
			if (status && !strcmp(status, dd_vulndb_status_name((enum dd_vulndb_status)i)))
				row.status = (enum dd_vulndb_status)i;
		struct dd_arena *a = dd_arena_new(0);
		if (!a) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			break;
		}
		const char *ranges = (const char *)sqlite3_column_text(sel, 9);
		const char *versions = (const char *)sqlite3_column_text(sel, 10);
		struct dd_err pe;
		dd_err_clear(&pe);
		if (!row.advisory || !row.source || !row.package ||
		    !parse_ranges(a, ranges, &row, &pe) || !parse_versions(a, versions, &row, &pe)) {
			/* out of memory must fail the import, not drop the entry */
			if (dd_arena_status(a) == DD_ENOMEM || pe.code == DD_ENOMEM)
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			else
				dd_log(DD_LOG_WARN, "vulnerability DB: %s %s/%s: unreadable ranges; entry skipped",
				       row.advisory ? row.advisory : "?", ns, key);
			dd_arena_free(a);
			continue;
		}
		dd_buf_reset(&ent);
		rc = vdb_entry_encode(&ent, &row, err);
		if (!rc)
			rc = put_uv(&g.body, ent.len, err);
		if (!rc)
			rc = dd_buf_append(&g.body, ent.data, ent.len, err);
		if (rc)
			dd_err_prefix(err, "match index for %s/%s", ns, key);
		g.count++;
		dd_arena_free(a);
	}
	if (rc == DD_OK && r != SQLITE_DONE)
		rc = db_err(db, err, "building the match index");
	if (rc == DD_OK)
		rc = flush(db, ins, &g, err);
	/* The filter of every key written: lookups of names no feed has (most
	 * of a real SBOM) stop there instead of seeking the B-tree. */
	if (rc == DD_OK) {
		sqlite3_stmt *fs = NULL;
		dd_buf_reset(&g.blob);
		rc = vdb_filter_build(&g.blob, g.hashes, g.nhashes, err);
		if (rc == DD_OK &&
		    (sqlite3_exec(db, "DELETE FROM match_filter", NULL, NULL, NULL) != SQLITE_OK ||
		     sqlite3_prepare_v2(db, "INSERT INTO match_filter(id, bits) VALUES(1, ?1)", -1, &fs, NULL) !=
			     SQLITE_OK ||
		     sqlite3_bind_blob(fs, 1, g.blob.data, (int)g.blob.len, SQLITE_STATIC) != SQLITE_OK ||
		     sqlite3_step(fs) != SQLITE_DONE))
			rc = db_err(db, err, "writing the match filter");
		sqlite3_finalize(fs);
	}
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	free(g.hashes);
	free(g.ns);
	free(g.key);
	dd_buf_release(&g.body);
	dd_buf_release(&g.blob);
	dd_buf_release(&ent);
	return rc;
}

/* Views only for advisories that affected rows name: those are the ids a
 * scan asks for (its hits). The rest (NVD's CVE records, which only enrich,
 * are most of a full DB) keep the query path, which reaches them through
 * aliases anyway, and cost no import time. */
static dd_code build_views(sqlite3 *db, struct dd_err *err)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	struct dd_vulndb *rd = NULL;
	struct dd_buf b;
	dd_buf_init(&b, DD_LIMIT_VDB_INDEX_BYTES);
	dd_code rc = DD_OK;
	if (sqlite3_exec(db, "DELETE FROM advisory_view", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, vid FROM advisories WHERE id IN (SELECT adv FROM affected) ORDER BY id", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO advisory_view(vid, adv, view) VALUES(?2, ?1, ?3)", -1, &ins, NULL) !=
		    SQLITE_OK) {
		rc = db_err(db, err, "building advisory views");
		goto out;
	}
	if (!(rd = vdb_reader_borrow(db))) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	int r;
	while (rc == DD_OK && (r = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *vid = (const char *)sqlite3_column_text(sel, 1);
		struct dd_arena *a = dd_arena_new(0);
		if (!a) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			break;
		}
		struct dd_vulndb_advisory v;
		rc = vid ? vdb_advisory_merged(rd, vid, a, &v, err) : DD_ENOTFOUND;
		if (rc == DD_ENOTFOUND) {
			rc = DD_OK; /* nothing known: no view, the query path answers */
		} else if (rc == DD_OK) {
			dd_buf_reset(&b);
			rc = vdb_view_encode(&b, &v, err);
			if (rc)
				dd_err_prefix(err, "advisory view of %s", vid);
			sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
			sqlite3_bind_text(ins, 2, vid, -1, SQLITE_STATIC);
			sqlite3_bind_blob(ins, 3, b.data, (int)b.len, SQLITE_STATIC);
			if (!rc && sqlite3_step(ins) != SQLITE_DONE)
				rc = db_err(db, err, "writing advisory views");
			sqlite3_reset(ins);
			sqlite3_clear_bindings(ins);
		}
		dd_arena_free(a);
	}
	if (rc == DD_OK && r != SQLITE_DONE)
		rc = db_err(db, err, "building advisory views");
out:
	vdb_reader_release(rd);
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	dd_buf_release(&b);
	return rc;
}

dd_code vdb_build_index(struct vdb *w, struct dd_err *err)
{
	dd_code rc = build_match_index(w->db, err);
	return rc ? rc : build_views(w->db, err);
}
