/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan benchmarks (issue: vulnerability DB and matching), with every shared
 * feed imported (../shared/data/vulndb, or argv[1] = the shared data dir):
 *   1. matching a generated SBOM of 10,000 packages, named after real
 *      (namespace, package) pairs of the DB so that nearly every lookup
 *      finds advisories to evaluate, each at a low version that most
 *      ranges include (a worst case): time, against the 100 ms budget,
 *      and against the raw DB lookups for the same packages (the matcher's
 *      own cost: version evaluation, alias folding, enrichment);
 *   2. `scan` / `sbom` of the Debian image, both cold (no layer cache):
 *      target <= 1.1.
 * Prints figures and ratios; asserts nothing (STYLE.md §6).
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dd/scan.h"
#include "dd/vulndb.h"

#define NPKGS 10000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct pair {
	char ns[64], name[256], type[16], distro[16], version_id[16];
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

static bool patched;

/* Low versions that parse in each scheme and sit inside most ranges. */
static const char *low_version(const char *type)
{
	if (patched)
		return high_version(type);
	if (!strcmp(type, "apk"))
		return "0.1-r0";
	if (!strcmp(type, "deb"))
		return "0.1-1";
	if (!strcmp(type, "golang"))
		return "v0.0.1";
	return "0.0.1";
}

static void fill(struct dd_sbom *s, const struct pair *p, size_t np, size_t i)
{
	const struct pair *q = &p[i % np];
	struct dd_package pkg = { .type = q->type, .name = q->name, .version = low_version(q->type),
				  .source_name = q->name, .layer = 0 };
	struct dd_err err;
	dd_sbom_add(s, &pkg, &err);
}

int main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : getenv("DD_SHARED_DATA");
	if (!data)
		data = "../shared/data";
	char tmp[] = "/tmp/ddbench-XXXXXX";
	if (!mkdtemp(tmp))
		return 2;
	char db[4096], feeds[16][4096];
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
	if (dd_vulndb_import(db, paths, n, DD_VULNDB_CREATE, NULL, &err)) {
		fprintf(stderr, "bench_scan: import: %s\n", err.msg);
		return 2;
	}
	printf("import of all shared feeds: %.2f s\n", now() - t0);

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

	/* Two SBOMs (one distro each); together NPKGS packages. */
	struct pair *apk = calloc(np, sizeof *apk), *deb = calloc(np, sizeof *deb), *lang = calloc(np, sizeof *lang);
	size_t na = 0, nd = 0, nl = 0;
	for (size_t i = 0; i < np; i++) {
		if (!strcmp(pairs[i].type, "apk"))
			apk[na++] = pairs[i];
		else if (!strcmp(pairs[i].type, "deb"))
			deb[nd++] = pairs[i];
		else
			lang[nl++] = pairs[i];
	}
	struct dd_sbom *s1 = dd_sbom_new(), *s2 = dd_sbom_new();
	s1->distro.id = "alpine";
	s1->distro.version_id = "3.10.4";
	s2->distro.id = "debian";
	s2->distro.version_id = "11";
	for (size_t i = 0; i < NPKGS / 2; i++)
		fill(s1, i % 2 && na ? apk : lang, i % 2 && na ? na : nl, i);
	for (size_t i = 0; i < NPKGS / 2; i++)
		fill(s2, i % 2 && nd ? deb : lang, i % 2 && nd ? nd : nl, i);

	/* Baseline: the raw lookups the matcher makes. */
	struct dd_vulndb *vdb;
	if (dd_vulndb_open(db, &vdb, &err))
		return 2;
	size_t hits = 0;
	t0 = now();
	for (size_t i = 0; i < NPKGS; i++) {
		const struct pair *q = i % 2 ? (i < NPKGS / 2 ? &apk[i % (na ? na : 1)] : &deb[i % (nd ? nd : 1)])
					     : &lang[i % nl];
		dd_vulndb_each_affected(vdb, q->ns, q->name, count_cb, &hits, &err);
	}
	double lookups = now() - t0;
	dd_vulndb_close(vdb);

	struct dd_scan_opts o = { .db_path = db };
	struct dd_scan_result *r1, *r2;
	t0 = now();
	if (dd_scan_sbom_take(s1, &o, &r1, &err) || dd_scan_sbom_take(s2, &o, &r2, &err)) {
		fprintf(stderr, "bench_scan: %s\n", err.msg);
		return 2;
	}
	double match = now() - t0;
	printf("match %d packages (%zu feed entries looked at): %.1f ms (budget 100 ms), "
	       "%zu findings; raw lookups %.1f ms; match / lookups = %.2f\n",
	       NPKGS, hits, match * 1e3, r1->nfindings + r2->nfindings, lookups * 1e3,
	       lookups > 0 ? match / lookups : 0);
	dd_scan_result_free(r1);
	dd_scan_result_free(r2);

	/* The same packages, up to date: lookups and range checks, no findings. */
	patched = true;
	s1 = dd_sbom_new();
	s2 = dd_sbom_new();
	s1->distro = (struct dd_distro){ .id = "alpine", .version_id = "3.10.4" };
	s2->distro = (struct dd_distro){ .id = "debian", .version_id = "11" };
	for (size_t i = 0; i < NPKGS / 2; i++)
		fill(s1, i % 2 && na ? apk : lang, i % 2 && na ? na : nl, i);
	for (size_t i = 0; i < NPKGS / 2; i++)
		fill(s2, i % 2 && nd ? deb : lang, i % 2 && nd ? nd : nl, i);
	t0 = now();
	if (dd_scan_sbom_take(s1, &o, &r1, &err) || dd_scan_sbom_take(s2, &o, &r2, &err)) {
		fprintf(stderr, "bench_scan: %s\n", err.msg);
		return 2;
	}
	match = now() - t0;
	printf("match %d up-to-date packages (same names): %.1f ms (budget 100 ms), %zu findings; "
	       "match / raw lookups = %.2f\n", NPKGS, match * 1e3, r1->nfindings + r2->nfindings,
	       lookups > 0 ? match / lookups : 0);
	dd_scan_result_free(r1);
	dd_scan_result_free(r2);

	/* scan / sbom on the Debian image, both cold. */
	char ref[4096];
	snprintf(ref, sizeof ref, "oci-archive:%s/images/debian-bookworm-minbase.oci.tar", data);
	struct dd_image_opts io = { .flags = DD_IMAGE_NO_CACHE };
	double best_sbom = 1e9, best_scan = 1e9;
	size_t nf = 0;
	for (int k = 0; k < 3; k++) {
		struct dd_sbom *s;
		t0 = now();
		if (dd_sbom_from_image(ref, &io, &s, &err))
			return 2;
		double t = now() - t0;
		best_sbom = t < best_sbom ? t : best_sbom;
		dd_sbom_free(s);
		struct dd_scan_result *r;
		t0 = now();
		if (dd_scan_image(ref, &io, &o, &r, &err))
			return 2;
		t = now() - t0;
		best_scan = t < best_scan ? t : best_scan;
		nf = r->nfindings;
		dd_scan_result_free(r);
	}
	printf("debian image: sbom %.0f ms, scan %.0f ms (%zu findings); scan / sbom = %.3f "
	       "(target <= 1.1)\n", best_sbom * 1e3, best_scan * 1e3, nf, best_scan / best_sbom);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		return 2;
	return 0;
}
