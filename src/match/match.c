/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packages × advisories → findings (include/dd/scan.h).
 *
 * For each package: look up its feed entries (match_key.c decides the
 * namespace, name and version), decide each entry (distro status or OSV
 * ranges, compared with the ecosystem's own version scheme), then fold the
 * hits into one finding per (package, vulnerability): advisories that alias
 * each other (CVE ↔ GHSA ↔ PYSEC ↔ GO) are one finding named by its CVE,
 * listing every id. Enrichment (CVSS from every source, KEV, EPSS, CWEs)
 * comes from the DB's merged advisory view.
 *
 * What this does not do: suppressions (ignore files, VEX) are applied after
 * matching by suppress.c; priorities and SLAs are policy (src/policy/).
 */
#include <stdarg.h>
#include <stdint.h>

#include "dd/clock.h"
#include "dd/scan.h"
#include "dd/vulndb.h"
#include "match/match.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/map.h"

struct hit {
	const char *id;
	const char *fixed;
	enum dd_fix_state state;
	const char *vendor_severity;
	const char *source;
};

struct pkg_match {
	struct dd_scan_result *r;
	const struct dd_match_key *key;
	const char *os;             /* image OS for Go goos filters */
	struct hit *hits;
	size_t nhits, cap;
	unsigned bad_entries;       /* entries with versions the scheme rejects */
	char bad_first[DD_ERR_MSG_MAX + 64];
	dd_code rc;
};

/* Go advisories limited to other operating systems (every imported package
 * lists goos, none is ours) do not apply to this image's binaries: a
 * Windows-only flaw in a Linux binary cannot be reached. Advisories with no
 * goos list apply everywhere. */
static bool go_other_os_only(const char *ecosystem_specific, const char *os)
{
	if (!ecosystem_specific || !os)
		return false;
	/* Without a "goos" key anywhere, no import is limited: skip the parse
	 * (most Go entries; this ran for every one of them). */
	if (!strstr(ecosystem_specific, "\"goos\""))
		return false;
	struct dd_json_doc doc;
	if (dd_json_doc_parse(&doc, ecosystem_specific, strlen(ecosystem_specific), NULL)) {
		dd_json_doc_release(&doc);
		return false;
	}
	const struct dd_json *imports = dd_json_as(dd_json_get(doc.root, "imports"), DD_JSON_ARRAY);
	bool all_limited = imports && imports->n > 0;
	bool ours = false;
	dd_json_each(imp, all_limited ? imports : NULL) {
		const struct dd_json *goos = dd_json_as(dd_json_get(imp, "goos"), DD_JSON_ARRAY);
		if (!goos || !goos->n) {
			all_limited = false;
			break;
		}
		dd_json_each(g, goos) {
			const char *s = dd_json_string(g);
			if (s && !strcmp(s, os))
				ours = true;
		}
	}
	dd_json_doc_release(&doc);
	return all_limited && !ours;
}

static void note_bad(struct pkg_match *m, const struct dd_vulndb_affected *a, const char *msg)
{
	if (!m->bad_entries++)
		snprintf(m->bad_first, sizeof m->bad_first, "%s: %s", a->advisory, msg);
}

static int add_hit(struct pkg_match *m, const struct dd_vulndb_affected *a, const char *fixed,
		   enum dd_fix_state state)
{
	struct dd_arena *ar = m->r->arena;
	/* One advisory, several matching entries (GHSA lists a fix per
	 * release line: node-fetch 0-2.6.7 and 1.0-3.1.1): the nearest fix
	 * above the installed version is the one to show. Entries come grouped
	 * by advisory (dd_vulndb_each_affected), so an earlier hit of the same
	 * advisory is the last one: looking further back made packages with
	 * thousands of advisories (Debian's linux) quadratic. */
	if (m->nhits) {
		struct hit *h = &m->hits[m->nhits - 1];
		if (strcmp(h->id, a->advisory))
			goto add;
		int c;
		if (fixed && (!h->fixed ||
			      (!dd_version_compare_n(m->key->scheme, fixed, strlen(fixed), h->fixed,
						     strlen(h->fixed), 0, &c, NULL) && c < 0))) {
			h->fixed = dd_arena_strdup(ar, fixed);
			h->state = state;
		}
		return 0;
	}
add:
	if (dd_grow(&m->hits, &m->cap, m->nhits + 1, sizeof *m->hits)) {
		m->rc = DD_ENOMEM;
		return 1;
	}
	m->hits[m->nhits++] = (struct hit){
		.id = dd_arena_strdup(ar, a->advisory),
		.fixed = dd_arena_strdup(ar, fixed),
		.state = state,
		.vendor_severity = dd_arena_strdup(ar, a->severity),
		.source = dd_arena_strdup(ar, a->source),
	};
	if (dd_arena_status(ar)) {
		m->rc = DD_ENOMEM;
		return 1;
	}
	return 0;
}

static int ranges_verdict(struct pkg_match *m, const struct dd_vulndb_affected *a)
{
	const struct dd_match_key *k = m->key;
	size_t nev = 0;
	for (size_t i = 0; i < a->nranges; i++)
		nev += a->ranges[i].nevents;
	/* Nearly every entry has a range or two of a few events: no heap. */
	struct dd_osv_range r_local[4];
	struct dd_osv_event e_local[16];
	bool heap = a->nranges > 4 || nev > 16;
	struct dd_osv_range *ranges = heap ? dd_calloc(a->nranges, sizeof *ranges) : r_local;
	struct dd_osv_event *events = heap ? dd_calloc(nev ? nev : 1, sizeof *events) : e_local;
	if (!ranges || !events) {
		if (heap) {
			free(ranges);
			free(events);
		}
		m->rc = DD_ENOMEM;
		return 1;
	}
	size_t e = 0;
	for (size_t i = 0; i < a->nranges; i++) {
		const struct dd_vulndb_range *src = &a->ranges[i];
		ranges[i].type = !strcmp(src->type, "SEMVER") ? DD_OSV_RANGE_SEMVER
				 : !strcmp(src->type, "GIT")  ? DD_OSV_RANGE_GIT
							      : DD_OSV_RANGE_ECOSYSTEM;
		ranges[i].events = &events[e];
		ranges[i].nevents = src->nevents;
		for (size_t j = 0; j < src->nevents; j++, e++) {
			static const enum dd_osv_event_kind kinds[] = {
				[DD_VULNDB_INTRODUCED] = DD_OSV_INTRODUCED,
				[DD_VULNDB_FIXED_AT] = DD_OSV_FIXED,
				[DD_VULNDB_LAST_AFFECTED] = DD_OSV_LAST_AFFECTED,
				[DD_VULNDB_LIMIT] = DD_OSV_LIMIT,
			};
			events[e].kind = kinds[src->events[j].kind];
			events[e].version = src->events[j].version;
		}
	}
	struct dd_osv_affected aff = { .ranges = ranges, .nranges = a->nranges,
				       .versions = a->versions, .nversions = a->nversions };
	struct dd_osv_verdict v;
	struct dd_err err;
	dd_err_clear(&err);
	dd_code rc = dd_version_osv_affected(k->scheme, k->version, &aff, &v, &err);
	int stop = 0;
	if (rc == DD_ENOMEM) {
		m->rc = rc;
		stop = 1;
	} else if (rc) {
		note_bad(m, a, err.msg);
	} else if (v.affected) {
		stop = add_hit(m, a, v.fixed, v.fixed ? DD_FIX_FIXED : DD_FIX_NOT_FIXED);
	}
	if (heap) {
		free(ranges);
		free(events);
	}
	return stop;
}

static int on_affected(const struct dd_vulndb_affected *a, void *ud)
{
	struct pkg_match *m = ud;
	const struct dd_match_key *k = m->key;
	if (a->withdrawn)
		return 0;
	switch (a->status) {
	case DD_VULNDB_NOT_AFFECTED:
		return 0;
	case DD_VULNDB_FIXED: {
		if (!a->fixed || !*a->fixed)
			return add_hit(m, a, NULL, DD_FIX_NOT_FIXED);
		int cmp;
		struct dd_err err;
		dd_code rc = dd_version_compare_n(k->scheme, k->version, strlen(k->version), a->fixed,
						  strlen(a->fixed), 0, &cmp, &err);
		if (rc) {
			note_bad(m, a, err.msg);
			return 0;
		}
		return cmp < 0 ? add_hit(m, a, a->fixed, DD_FIX_FIXED) : 0;
	}
	case DD_VULNDB_AFFECTED:
	case DD_VULNDB_UNDETERMINED:
		/* Undetermined: the distro has not triaged it yet; reported as
		 * affected without a fix rather than hidden (Debian's own
		 * tracker lists such packages as vulnerable). */
		return add_hit(m, a, NULL, DD_FIX_NOT_FIXED);
	case DD_VULNDB_WONT_FIX:
		return add_hit(m, a, NULL, DD_FIX_WONT_FIX);
	case DD_VULNDB_END_OF_LIFE:
		return add_hit(m, a, NULL, DD_FIX_END_OF_LIFE);
	case DD_VULNDB_RANGES:
		if (!strcmp(k->namespace_, "Go") && go_other_os_only(a->ecosystem_specific, m->os))
			return 0;
		return ranges_verdict(m, a);
	}
	return 0;
}

/* ---- folding aliases and enrichment ------------------------------------ */

struct adv_cache {
	struct dd_map map;  /* id -> struct dd_vulndb_advisory * (in the result arena), or &missing */
};

static struct dd_vulndb_advisory missing_adv;

static const struct dd_vulndb_advisory *advisory(struct dd_vulndb *db, struct adv_cache *c,
						 struct dd_arena *ar, const char *id, dd_code *rc)
{
	struct dd_vulndb_advisory *a = dd_map_get(&c->map, id, strlen(id));
	if (a)
		return a == &missing_adv ? NULL : a;
	a = dd_arena_alloc(ar, sizeof *a);
	if (!a) {
		*rc = DD_ENOMEM;
		return NULL;
	}
	struct dd_err err;
	dd_code r = dd_vulndb_advisory(db, id, ar, a, &err);
	if (r == DD_ENOMEM || r == DD_EDB) {
		*rc = r;
		return NULL;
	}
	if (r)
		a = &missing_adv;
	if (dd_map_put(&c->map, id, strlen(id), a, NULL, NULL)) {
		*rc = DD_ENOMEM;
		return NULL;
	}
	return a == &missing_adv ? NULL : a;
}

static bool is_cve(const char *id)
{
	return id && !strncmp(id, "CVE-", 4);
}

/* The name a finding goes by: its CVE (the lowest when an advisory lists
 * several), else the advisory's own id. */
static const char *canonical_id(const char *id, const struct dd_vulndb_advisory *a)
{
	if (is_cve(id))
		return id;
	const char *best = NULL;
	for (size_t i = 0; a && i < a->naliases; i++)
		if (is_cve(a->aliases[i]) && (!best || strcmp(a->aliases[i], best) < 0))
			best = a->aliases[i];
	return best ? best : id;
}

/* Which score decides: NVD's CVSS v3.1, else v4.0, v3.0, v2 (DESIGN.md:
 * the handbook's bands are defined on the NVD base score), then the same
 * order from any other source (GHSA, the distro). */
static int score_rank(const struct dd_vulndb_severity *s)
{
	if (!s->vector || s->score < 0)
		return 1000;
	int v = !s->version ? 9 : !strcmp(s->version, "3.1") ? 0 : !strcmp(s->version, "4.0") ? 1
		: !strcmp(s->version, "3.0") ? 2 : !strncmp(s->version, "2", 1) ? 3 : 9;
	return (s->source && !strcmp(s->source, "nvd") ? 0 : 10) + v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static dd_code enrich(struct dd_finding *f, const struct dd_vulndb_advisory *a, struct dd_arena *ar)
{
	if (!a)
		return DD_OK;
	if (!f->summary)
		f->summary = a->summary && *a->summary ? a->summary : NULL;
	f->published = a->published;
	f->modified = a->modified;
	f->ncvss = 0;
	f->cvss = dd_arena_alloc(ar, (a->nseverities ? a->nseverities : 1) * sizeof *f->cvss);
	if (!f->cvss)
		return DD_ENOMEM;
	int best = 1000;
	for (size_t i = 0; i < a->nseverities; i++) {
		const struct dd_vulndb_severity *s = &a->severities[i];
		if (s->vector && s->score >= 0) {
			f->cvss[f->ncvss++] = (struct dd_cvss){ s->source, s->version, s->vector, s->score };
			int r = score_rank(s);
			if (r < best) {
				best = r;
				f->score = s->score;
				f->score_source = dd_arena_printf(ar, "%s %s", s->source ? s->source : "?",
								  s->version ? s->version : "");
			}
		} else if (s->rating && !f->vendor_severity) {
			f->vendor_severity = s->rating;
		}
	}
	f->cwes = a->cwes;
	f->ncwes = a->ncwes;
	f->kev = a->kev;
	f->kev_added = a->kev_added;
	f->kev_due = a->kev_due;
	f->kev_ransomware = a->kev_ransomware;
	f->epss = a->epss;
	f->epss_percentile = a->epss_percentile;
	f->nreferences = 0;
	f->references = dd_arena_alloc(ar, (a->nreferences ? a->nreferences : 1) * sizeof(char *));
	if (!f->references)
		return DD_ENOMEM;
	for (size_t i = 0; i < a->nreferences; i++)
		f->references[f->nreferences++] = a->references[i].url;
	return DD_OK;
}

/* Hit indices by (canonical id, index). */
static int cmp_canon(const void *x, const void *y, void *ud)
{
	const char *const *canon = ud;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(canon[a], canon[b]);
	return c ? c : (a > b) - (a < b);
}

/* Adds one finding per canonical id from m's hits, for package index pkg. */
static dd_code fold_hits(struct dd_vulndb *db, struct adv_cache *cache, struct pkg_match *m,
			 size_t pkg)
{
	struct dd_scan_result *r = m->r;
	struct dd_arena *ar = r->arena;
	dd_code rc = DD_OK;
	if (!m->nhits)
		return DD_OK;
	const char **canon = dd_calloc(m->nhits, sizeof *canon);
	size_t *order = dd_calloc(m->nhits, sizeof *order);
	const struct dd_vulndb_advisory **advs = dd_calloc(m->nhits, sizeof *advs);
	const char *ns = dd_arena_strdup(ar, m->key->namespace_);
	if (!canon || !order || !advs || !ns) {
		rc = DD_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < m->nhits && !rc; i++) {
		advs[i] = advisory(db, cache, ar, m->hits[i].id, &rc);
		canon[i] = canonical_id(m->hits[i].id, advs[i]);
		order[i] = i;
	}
	/* Hits grouped by canonical id, each group in hit order: one finding
	 * per group, made from its first hit. (Comparing every pair instead was
	 * quadratic in the hits of one package.) */
	if (!rc)
		qsort_r(order, m->nhits, sizeof *order, cmp_canon, canon);
	for (size_t g = 0, end; g < m->nhits && !rc; g = end) {
		size_t i = order[g];
		for (end = g + 1; end < m->nhits && !strcmp(canon[order[end]], canon[i]); end++)
			;
		if (dd_grow(&r->findings, &r->cap, r->nfindings + 1, sizeof *r->findings)) {
			rc = DD_ENOMEM;
			break;
		}
		struct dd_finding *f = &r->findings[r->nfindings];
		memset(f, 0, sizeof *f);
		f->id = canon[i];
		f->pkg = pkg;
		f->installed = m->key->version;
		f->namespace_ = ns;
		f->data_source = m->hits[i].source;
		f->state = m->hits[i].state;
		f->fixed = m->hits[i].fixed;
		f->vendor_severity = m->hits[i].vendor_severity;
		f->score = -1;
		f->epss = f->epss_percentile = -1;
		/* ids of every hit folded here, and their aliases */
		const char *ids[256];
		size_t nids = 0;
		for (size_t o = g; o < end; o++) {
			size_t j = order[o];
			const struct dd_vulndb_advisory *a = advs[j];
			if (nids < 256)
				ids[nids++] = m->hits[j].id;
			for (size_t k = 0; a && k < a->naliases && nids < 256; k++)
				ids[nids++] = a->aliases[k];
			if (!f->summary && a && a->summary && *a->summary)
				f->summary = a->summary;
			/* Two advisories for one flaw with different fixes:
			 * the later fix closes both. */
			if (m->hits[j].fixed && f->fixed && j != i) {
				int c;
				if (!dd_version_compare_n(m->key->scheme, m->hits[j].fixed,
							  strlen(m->hits[j].fixed), f->fixed,
							  strlen(f->fixed), 0, &c, NULL) && c > 0)
					f->fixed = m->hits[j].fixed;
			}
			if (m->hits[j].state == DD_FIX_FIXED && f->state != DD_FIX_FIXED) {
				f->state = DD_FIX_FIXED;
				f->fixed = m->hits[j].fixed;
			}
		}
		qsort(ids, nids, sizeof *ids, cmp_str);
		f->aliases = dd_arena_alloc(ar, (nids ? nids : 1) * sizeof *f->aliases);
		if (!f->aliases) {
			rc = DD_ENOMEM;
			break;
		}
		for (size_t j = 0; j < nids; j++)
			if (strcmp(ids[j], f->id) && (!f->naliases || strcmp(ids[j], f->aliases[f->naliases - 1])))
				f->aliases[f->naliases++] = ids[j];
		/* The DB's advisory view already merges what is stored under its
		 * aliases (NVD data under the CVE, KEV, EPSS), so the first hit's
		 * record enriches the finding; when the hit has no record of its own
		 * (a distro feed naming a bare CVE), the canonical id is asked. */
		const struct dd_vulndb_advisory *ea = advs[i];
		if (!rc)
			rc = enrich(f, ea ? ea : advisory(db, cache, ar, f->id, &rc), ar);
		if (f->score >= 0)
			f->severity = dd_severity_from_score(f->score);
		else
			f->severity = dd_severity_parse(f->vendor_severity);
		r->nfindings++;
	}
out:
	free(canon);
	free(order);
	free(advs);
	return rc;
}

/* Package indices by (name, index). */
static int cmp_pkg_name(const void *x, const void *y, void *ud)
{
	const struct dd_sbom *s = ud;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(s->pkgs[a].name, s->pkgs[b].name);
	return c ? c : (a > b) - (a < b);
}

/* Findings by (package name, package index, id): `rank` is each package's
 * place in that package order, computed once, so that comparing findings
 * of different packages does not compare their names again (tens of
 * thousands of findings: most comparisons). */
static int cmp_finding_ctx_sort(const void *x, const void *y, void *ud)
{
	const struct dd_finding *a = x, *b = y;
	const size_t *rank = ud;
	if (a->pkg != b->pkg)
		return rank[a->pkg] < rank[b->pkg] ? -1 : 1;
	return strcmp(a->id, b->id);
}

static dd_code sort_findings(struct dd_scan_result *r)
{
	const struct dd_sbom *s = r->sbom;
	size_t *idx = dd_calloc(s->npkgs ? s->npkgs : 1, sizeof *idx);
	size_t *rank = dd_calloc(s->npkgs ? s->npkgs : 1, sizeof *rank);
	if (!idx || !rank) {
		free(idx);
		free(rank);
		return DD_ENOMEM;
	}
	for (size_t i = 0; i < s->npkgs; i++)
		idx[i] = i;
	qsort_r(idx, s->npkgs, sizeof *idx, cmp_pkg_name, (void *)s);
	for (size_t i = 0; i < s->npkgs; i++)
		rank[idx[i]] = i;
	qsort_r(r->findings, r->nfindings, sizeof *r->findings, cmp_finding_ctx_sort, rank);
	free(idx);
	free(rank);
	return DD_OK;
}

/*
 * What this scan could not assess, for the store (include/dd/scan.h): a
 * rescan must never close a finding as fixed because its package went
 * unlooked-at. Namespaces the DB has no data for; OS packages of an
 * unidentified distribution; and, when reading the image produced any
 * warning (a record skipped, an entry unreadable), the whole image: which
 * packages a skipped record would have listed is unknowable, and real images
 * read without warnings, so this costs nothing in the normal case.
 */
static dd_code list_not_assessed(struct dd_scan_result *r, const struct dd_map *cov,
				 size_t unknown_distro)
{
	const struct dd_sbom *s = r->sbom;
	size_t n = (s->nwarnings ? 1 : 0) + unknown_distro;
	const struct dd_map_slot *slot;
	for (size_t it = 0; dd_map_next(cov, &it, &slot);)
		n += (uintptr_t)slot->value > 2;
	if (!n)
		return DD_OK;
	r->not_assessed = dd_arena_alloc(r->arena, n * sizeof *r->not_assessed);
	if (!r->not_assessed)
		return DD_ENOMEM;
	struct dd_not_assessed *na = r->not_assessed;
	if (s->nwarnings)
		na[r->nnot_assessed++] = (struct dd_not_assessed){
			"*", dd_arena_printf(r->arena, "the image was read with warnings (%s)",
					     s->warnings[0]) };
	for (size_t it = 0; dd_map_next(cov, &it, &slot);)
		if ((uintptr_t)slot->value > 2)
			na[r->nnot_assessed++] = (struct dd_not_assessed){
				dd_arena_strdup(r->arena, slot->key),
				"the vulnerability DB has no data for this namespace" };
	for (size_t i = 0; i < s->npkgs && r->nnot_assessed < n; i++) {
		struct dd_match_key k;
		if (!dd_match_key_for(&s->pkgs[i], &s->distro, &k, NULL) && k.os)
			na[r->nnot_assessed++] = (struct dd_not_assessed){
				s->pkgs[i].name, "the distribution could not be identified" };
	}
	return dd_arena_status(r->arena);
}

/* Per namespace: whether the DB covers it (asked once). */
struct coverage {
	struct dd_map seen; /* namespace -> (void *)1 covered, (void *)2 not */
};

dd_code dd_scan_match(struct dd_vulndb *db, struct dd_scan_result *r, struct dd_err *err)
{
	struct dd_sbom *s = r->sbom;
	struct adv_cache cache;
	struct coverage cov;
	dd_map_init(&cache.map);
	dd_map_init(&cov.seen);
	dd_code rc = DD_OK;
	struct pkg_match m = { .r = r, .os = s->image.os ? s->image.os : "linux" };
	size_t unassessed = 0;

	/* One read transaction for every lookup of this scan (vulndb.h). */
	if ((rc = dd_vulndb_batch_begin(db, err)))
		return rc;
	const char *eol = dd_match_eol_date(s->distro.id, s->distro.version_id);
	if (eol) {
		int64_t t;
		if (!dd_time_parse(eol, &t, NULL) && t < dd_clock_now())
			dd_scan_warn(r, "%s %s reached end of life on %s: its feed gets no new fixes, "
				     "so vulnerabilities found since then are not reported",
				     s->distro.id, s->distro.version_id, eol);
	}
	for (size_t i = 0; i < s->npkgs && !rc; i++) {
		struct dd_package *p = &s->pkgs[i];
		struct dd_match_key k;
		const char *why;
		if (!dd_match_key_for(p, &s->distro, &k, &why)) {
			if (k.os) {
				p->flags |= DD_PKG_UNASSESSED;
				unassessed++;
			}
			continue;
		}
		void *c = dd_map_get(&cov.seen, k.namespace_, strlen(k.namespace_));
		if (!c) {
			c = dd_vulndb_has_namespace(db, k.namespace_) ? (void *)1 : (void *)2;
			if (dd_map_put(&cov.seen, k.namespace_, strlen(k.namespace_), c, NULL, err)) {
				rc = DD_ENOMEM;
				break;
			}
		}
		if (c != (void *)1) {
			/* not covered: count per namespace, said once at the end */
			p->flags |= DD_PKG_UNASSESSED;
			dd_map_put(&cov.seen, k.namespace_, strlen(k.namespace_),
				   (void *)((uintptr_t)c + 1), NULL, NULL);
			continue;
		}
		m.key = &k;
		m.nhits = 0;
		m.bad_entries = 0;
		struct dd_err e;
		dd_err_clear(&e);
		dd_code qrc = dd_vulndb_each_affected(db, k.namespace_, k.name, on_affected, &m, &e);
		if (qrc || m.rc) {
			rc = qrc ? qrc : m.rc;
			dd_err_set(err, rc, "matching %s %s: %s", p->name, p->version,
				   qrc ? e.msg : dd_code_str(rc));
			break;
		}
		if (m.bad_entries)
			dd_scan_warn(r, "%s %s: %u feed entries could not be compared (%s)", p->name,
				     k.version, m.bad_entries, m.bad_first);
		rc = fold_hits(db, &cache, &m, i);
		if (rc)
			dd_err_set(err, rc, "matching %s: %s", p->name, dd_code_str(rc));
	}
	if (!rc)
		rc = list_not_assessed(r, &cov.seen, unassessed);
	if (rc == DD_ENOMEM)
		dd_err_set(err, rc, "out of memory");
	if (unassessed)
		dd_scan_warn(r, "%zu OS packages were not assessed: the distribution could not be "
			     "identified, so no feed applies", unassessed);
	/* Values: 1 covered, 2 + n = not covered with n packages. */
	const struct dd_map_slot *slot;
	for (size_t it = 0; dd_map_next(&cov.seen, &it, &slot);) {
		uintptr_t v = (uintptr_t)slot->value;
		if (v > 2)
			dd_scan_warn(r, "the vulnerability DB has no data for %s: %zu packages not "
				     "assessed (import or update that feed)", slot->key, (size_t)(v - 2));
	}
	if (!rc && r->nfindings > 1 && (rc = sort_findings(r)))
		dd_err_set(err, rc, "out of memory");
	dd_vulndb_batch_end(db);
	free(m.hits);
	dd_map_release(&cache.map);
	dd_map_release(&cov.seen);
	return rc;
}
