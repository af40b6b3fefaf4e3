/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan benchmarks (issue 4: vulnerability DB and matching), with every
 * shared feed imported (../shared/data/vulndb, or argv[1] = the shared data
 * dir). Prints figures and ratios; asserts nothing (STYLE.md §6).
 *
 *   bench_scan [DATA] [--db FILE] [--repeat N] [--only mix|uptodate|worst] [--no-image]
 *
 * --db FILE reuses (or builds once, and keeps) the DB at FILE instead of a
 * fresh one in /tmp: handy when iterating. --repeat N runs each matching
 * case N times (default 5) and prints the fastest wall time with its CPU
 * time, and the median: the machine is shared, so the minimum is the figure
 * least disturbed by other processes. --only runs one matching case (for
 * perf record).
 *
 * Matching 10,000 packages (dd_scan_sbom_take on two SBOMs of 5,000, one
 * Alpine v3.10, one Debian 11; half OS packages, half npm/PyPI/Go ones,
 * named after real (namespace, package) pairs of the DB). The time includes
 * opening the DB, matching, alias folding, enrichment and sorting, and is
 * compared with the raw lookups of the same packages (dd_vulndb_each_affected
 * counting rows) measured in the same run. Three SBOMs:
 *   - worst case: every package has feed entries and sits at a low version
 *     that most ranges include (~67,000 findings; every entry is decoded,
 *     evaluated and enriched);
 *   - up to date: the same names above every fix (lookups and range checks;
 *     the findings left are open/unfixed distro entries);
 *   - realistic mix (THE 100 ms FIGURE): 70 % of the packages are names no
 *     feed mentions, 20 % have feed entries and are up to date, 10 % are
 *     vulnerable at a low version (~6,600 findings). The proportions are an
 *     assumption, not a measurement: most packages of a real SBOM (npm and
 *     PyPI dependency trees above all) never had an advisory, and node-app,
 *     an image picked for its advisories, has 20 vulnerable packages of 76.
 * The worst case does not fit 100 ms and is printed anyway: each of its
 * ~67,000 findings is decoded, decided, folded with its aliases and
 * enriched from its advisory (CVSS, CWEs, KEV, EPSS, references copied into
 * the result), about 2.3-3 us each (docs/internals/match.md, "Cost").
 *
 * Then `scan` / `sbom` of the Debian image, both cold (no layer cache):
 * target <= 1.1. And the DB open time (target <= 5 ms).
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "dd/scan.h"
#include "dd/vulndb.h"

#define NPKGS 10000
#define MAXREP 50

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct pair {
	char ns[64], name[256], type[16];
};

static int count_cb(const struct dd_vulndb_affected *a, void *ud)
{
	(void)a;
	++*(size_t *)ud;
	return 0;
}

/* Versions above every fix: the common case of an up-to-date package. */
static const char *high_version(const char *type)
{
	if (!strcmp(type, "apk"))
		return "999.0-r0";
	if (!strcmp(type, "deb"))
		return "999.0-1";
	if (!strcmp(type, "golang"))
		return "v999.0.0";
	return "999.0.0";
}

/* Low versions that parse in each scheme and sit inside most ranges. */
static const char *low_version(const char *type)
{
	if (!strcmp(type, "apk"))
		return "0.1-r0";
	if (!strcmp(type, "deb"))
		return "0.1-1";
	if (!strcmp(type, "golang"))
		return "v0.0.1";
	return "0.0.1";
}

enum kase { WORST, UPTODATE, MIX };

/* Package i of an SBOM: which real pair, and at which version. In the mix,
 * (i / 2) % 10 picks the kind: 0 vulnerable, 1-2 up to date, 3-9 a name no feed
 * has (the real name with a suffix, so lookups still walk the same index
 * pages). */
static void fill(struct dd_sbom *s, const struct pair *p, size_t np, size_t i, enum kase k)
{
	const struct pair *q = &p[i % np];
	const char *version = k == WORST ? low_version(q->type) : high_version(q->type);
	char name[300];
	snprintf(name, sizeof name, "%s", q->name);
	if (k == MIX) {
		unsigned kind = (unsigned)((i / 2) % 10); /* i % 2 picks OS or language */
		if (kind == 0)
			version = low_version(q->type);
		else if (kind >= 3)
			snprintf(name, sizeof name, "%s-unlisted%zu", q->name, i);
	}
	struct dd_package pkg = { .type = q->type, .name = name, .version = version,
				  .source_name = name, .layer = 0 };
	struct dd_err err;
	dd_sbom_add(s, &pkg, &err);
}

struct pairs {
	struct pair *apk, *deb, *lang;
	size_t na, nd, nl;
};

static void make(const struct pairs *P, enum kase k, struct dd_sbom **s1, struct dd_sbom **s2)
{
	*s1 = dd_sbom_new();
	*s2 = dd_sbom_new();
	(*s1)->distro = (struct dd_distro){ .id = "alpine", .version_id = "3.10.4" };
	(*s2)->distro = (struct dd_distro){ .id = "debian", .version_id = "11" };
	for (size_t i = 0; i < NPKGS / 2; i++)
		fill(*s1, i % 2 && P->na ? P->apk : P->lang, i % 2 && P->na ? P->na : P->nl, i, k);
	for (size_t i = 0; i < NPKGS / 2; i++)
		fill(*s2, i % 2 && P->nd ? P->deb : P->lang, i % 2 && P->nd ? P->nd : P->nl, i, k);
}

struct timing {
	double best, best_cpu, median;
	size_t findings;
};

static int run_case(const struct pairs *P, enum kase k, const char *db, int repeat, struct timing *t)
{
	double walls[MAXREP];
	t->best = 1e9;
	for (int r = 0; r < repeat; r++) {
		struct dd_sbom *s1, *s2;
		make(P, k, &s1, &s2);
		struct dd_scan_opts o = { .db_path = db };
		struct dd_scan_result *r1 = NULL, *r2 = NULL;
		struct dd_err err;
		double w0 = now(), c0 = bench_cpu_now();
		if (dd_scan_sbom_take(s1, &o, &r1, &err) || dd_scan_sbom_take(s2, &o, &r2, &err)) {
			fprintf(stderr, "bench_scan: %s\n", err.msg);
			dd_scan_result_free(r1);
			return 2;
		}
		double w = now() - w0, c = bench_cpu_now() - c0;
		walls[r] = w;
		if (w < t->best) {
			t->best = w;
			t->best_cpu = c;
		}
		t->findings = r1->nfindings + r2->nfindings;
		dd_scan_result_free(r1);
		dd_scan_result_free(r2);
	}
	qsort(walls, (size_t)repeat, sizeof *walls, bench_cmp_double);
	t->median = walls[repeat / 2];
	return 0;
}

/* The raw lookups the matcher makes for the same SBOMs, counting rows. */
static double raw_lookups(const struct pairs *P, enum kase k, const char *db, size_t *rows)
{
	struct dd_sbom *s[2];
	make(P, k, &s[0], &s[1]);
	struct dd_vulndb *vdb;
	struct dd_err err;
	double best = 1e9;
	if (dd_vulndb_open(db, &vdb, &err))
		return -1;
	for (int rep = 0; rep < 3; rep++) {
		*rows = 0;
		double t0 = now();
		dd_vulndb_batch_begin(vdb, &err);
		for (int j = 0; j < 2; j++) {
			char ns[64];
			dd_vulndb_namespace_for_distro(s[j]->distro.id, s[j]->distro.version_id, NULL, ns,
						       sizeof ns);
			for (size_t i = 0; i < s[j]->npkgs; i++) {
				const struct dd_package *p = &s[j]->pkgs[i];
				const char *n = !strcmp(p->type, "npm") ? "npm" : !strcmp(p->type, "pypi") ? "PyPI"
						: !strcmp(p->type, "golang") ? "Go" : ns;
				dd_vulndb_each_affected(vdb, n, p->name, count_cb, rows, &err);
			}
		}
		dd_vulndb_batch_end(vdb);
		double t = now() - t0;
		best = t < best ? t : best;
	}
	dd_vulndb_close(vdb);
	dd_sbom_free(s[0]);
	dd_sbom_free(s[1]);
	return best;
}

int main(int argc, char **argv)
{
	const char *data = NULL, *keep_db = NULL;
	int repeat = 5;
	bool image = true;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			keep_db = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = (int)strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--no-image"))
			image = false;
		else if (argv[i][0] != '-')
			data = argv[i];
		else {
			fprintf(stderr, "usage: bench_scan [DATA] [--db FILE] [--repeat N] [--only mix|uptodate|worst] "
				"[--no-image]\n");
			return 2;
		}
	}
	if (repeat < 1 || repeat > MAXREP)
		repeat = 5;
	if (!data)
		data = getenv("DD_SHARED_DATA");
	if (!data)
		data = "../shared/data";
	char tmp[] = "/tmp/ddbench-XXXXXX";
	if (!mkdtemp(tmp))
		return 2;
	char db[4096], feeds[16][4096];
	snprintf(db, sizeof db, "%s", keep_db ? keep_db : tmp);
	if (!keep_db)
		snprintf(db, sizeof db, "%s/vuln.db", tmp);
	static const char *rel[] = {
		"vulndb/alpine-secdb", "vulndb/alpine-secdb-final", "vulndb/debian-security-tracker",
		"vulndb/osv-go/golang-vulndb-osv.tar.gz", "vulndb/osv-npm",
		"vulndb/osv-pypi/pypa-advisory-database-vulns.tar.gz", "vulndb/nvd/records.jsonl.gz",
		"vulndb/nvd/records-vulnlist.jsonl.gz", "vulndb/kev.json",
	};
	const char *paths[16];
	size_t n = sizeof rel / sizeof *rel;
	for (size_t i = 0; i < n; i++) {
		snprintf(feeds[i], sizeof feeds[i], "%s/%s", data, rel[i]);
		paths[i] = feeds[i];
		if (access(feeds[i], R_OK)) {
			fprintf(stderr, "bench_scan: %s is absent\n", feeds[i]);
			return 77;
		}
	}
	struct dd_err err;
	double t0 = now();
	if (!keep_db || access(db, R_OK)) {
		if (dd_vulndb_import(db, paths, n, DD_VULNDB_CREATE, NULL, &err)) {
			fprintf(stderr, "bench_scan: import: %s\n", err.msg);
			return 2;
		}
		printf("import of all shared feeds: %.2f s\n", now() - t0);
	} else {
		printf("reusing %s (delete it to re-import)\n", db);
	}

	/* DB open, the fastest of 50 (the budget is 5 ms). */
	double best_open = 1e9;
	for (int i = 0; i < 50; i++) {
		struct dd_vulndb *v;
		t0 = now();
		if (dd_vulndb_open(db, &v, &err)) {
			fprintf(stderr, "bench_scan: %s\n", err.msg);
			return 2;
		}
		double t = now() - t0;
		dd_vulndb_close(v);
		best_open = t < best_open ? t : best_open;
	}
	printf("DB open: %.2f ms (budget 5 ms)\n", best_open * 1e3);

	/* Real (namespace, package) pairs, one package type per namespace. */
	sqlite3 *sq;
	sqlite3_stmt *st;
	static struct pair pairs[NPKGS];
	size_t np = 0;
	sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL);
	sqlite3_prepare_v2(sq, "SELECT DISTINCT namespace, package FROM affected ORDER BY namespace, package",
			   -1, &st, NULL);
	while (np < NPKGS && sqlite3_step(st) == SQLITE_ROW) {
		const char *ns = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		struct pair *p = &pairs[np];
		const char *type = !strncmp(ns, "alpine:", 7) ? "apk" : !strncmp(ns, "debian:", 7) ? "deb"
				   : !strcmp(ns, "npm")  ? "npm" : !strcmp(ns, "Go") ? "golang"
				   : !strcmp(ns, "PyPI") ? "pypi" : NULL;
		/* One distro release per SBOM: keep alpine v3.10 and debian 11. */
		if (!type || (!strcmp(type, "apk") && strcmp(ns, "alpine:v3.10")) ||
		    (!strcmp(type, "deb") && strcmp(ns, "debian:11")))
			continue;
		snprintf(p->ns, sizeof p->ns, "%s", ns);
		snprintf(p->name, sizeof p->name, "%s", name);
		snprintf(p->type, sizeof p->type, "%s", type);
		np++;
	}
	sqlite3_finalize(st);
	sqlite3_close(sq);
	if (!np)
		return 2;

	struct pairs P = { calloc(np, sizeof(struct pair)), calloc(np, sizeof(struct pair)),
			   calloc(np, sizeof(struct pair)), 0, 0, 0 };
	if (!P.apk || !P.deb || !P.lang)
		return 2;
	for (size_t i = 0; i < np; i++) {
		if (!strcmp(pairs[i].type, "apk"))
			P.apk[P.na++] = pairs[i];
		else if (!strcmp(pairs[i].type, "deb"))
			P.deb[P.nd++] = pairs[i];
		else
			P.lang[P.nl++] = pairs[i];
	}
	if (!P.nl)
		return 2;

	static const struct {
		enum kase k;
		const char *name, *what;
	} cases[] = {
		{ MIX, "mix", "realistic mix (70% unlisted, 20% up to date, 10% vulnerable)" },
		{ UPTODATE, "uptodate", "up to date (every name has feed entries, above every fix)" },
		{ WORST, "worst", "worst case (every name has feed entries, low versions)" },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		if (only && strcmp(only, cases[c].name))
			continue;
		struct timing t = { 0 };
		size_t rows = 0;
		double raw = raw_lookups(&P, cases[c].k, db, &rows);
		if (run_case(&P, cases[c].k, db, repeat, &t))
			return 2;
		const char *note = cases[c].k == MIX ? " [the 100 ms budget]"
				   : cases[c].k == WORST && t.best > 0.1 ? " [over 100 ms: every package vulnerable, "
									  "each finding enriched; see header]"
				   : "";
		printf("match %d packages, %s: %.1f ms (cpu %.1f ms, median %.1f ms)%s, %zu findings"
		       " (%.2f us each); raw lookups %.1f ms (%zu feed entries); match / lookups = %.2f\n",
		       NPKGS, cases[c].what, t.best * 1e3, t.best_cpu * 1e3, t.median * 1e3, note,
		       t.findings, t.findings ? t.best * 1e6 / (double)t.findings : 0, raw * 1e3, rows,
		       raw > 0 ? t.best / raw : 0);
	}

	if (image) {
		/* scan / sbom on the Debian image, both cold. */
		char ref[4096];
		snprintf(ref, sizeof ref, "oci-archive:%s/images/debian-bookworm-minbase.oci.tar", data);
		struct dd_image_opts io = { .flags = DD_IMAGE_NO_CACHE };
		struct dd_scan_opts o = { .db_path = db };
		double best_sbom = 1e9, best_scan = 1e9, cpu_sbom = 0, cpu_scan = 0;
		size_t nf = 0;
		for (int k = 0; k < 3; k++) {
			struct dd_sbom *s;
			t0 = now();
			double c0 = bench_cpu_now();
			if (dd_sbom_from_image(ref, &io, &s, &err))
				return 2;
			double t = now() - t0, c = bench_cpu_now() - c0;
			if (t < best_sbom) {
				best_sbom = t;
				cpu_sbom = c;
			}
			dd_sbom_free(s);
			struct dd_scan_result *r;
			t0 = now();
			c0 = bench_cpu_now();
			if (dd_scan_image(ref, &io, &o, &r, &err))
				return 2;
			t = now() - t0;
			c = bench_cpu_now() - c0;
			if (t < best_scan) {
				best_scan = t;
				cpu_scan = c;
			}
			nf = r->nfindings;
			dd_scan_result_free(r);
		}
		printf("debian image: sbom %.0f ms (cpu %.0f), scan %.0f ms (cpu %.0f; %zu findings); "
		       "scan / sbom = %.3f (target <= 1.1; cpu ratio %.3f)\n",
		       best_sbom * 1e3, cpu_sbom * 1e3, best_scan * 1e3, cpu_scan * 1e3, nf,
		       best_scan / best_sbom, cpu_sbom > 0 ? cpu_scan / cpu_sbom : 0);
	}
	free(P.apk);
	free(P.deb);
	free(P.lang);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		return 2;
	return 0;
}
