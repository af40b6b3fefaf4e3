/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock scan on the real Alpine 3.10 image (../shared/data/images) with the
 * real Alpine secdb feeds:
 *  - the 2020 secdb lists only fixes the image already has: no findings;
 *  - the branch's final secdb: exactly the (CVE, package, installed, fixed)
 *    tuples that walking the feed with apk's version ordering implies,
 *    computed here independently of the matcher from the feed file;
 *  - NVD records enrich the findings with CVSS v3.x; KEV entries flag.
 */
#include "dd/scan.h"
#include "dd/version.h"
#include "dd/vulndb.h"
#include "dd_test.h"
#include "util/buf.h"
#include "util/json.h"

static const char *make_db(const char *const *paths, size_t n)
{
	static char db[4096];
	snprintf(db, sizeof db, "%s/vuln.db", dd_test_tmpdir());
	struct dd_err err;
	ASSERT_OK(dd_vulndb_import(db, paths, n, DD_VULNDB_CREATE, NULL, &err), &err);
	return db;
}

static struct dd_scan_result *scan(const char *db)
{
	char ref[4096];
	snprintf(ref, sizeof ref, "docker-archive:%s", dd_test_shared("images/alpine-310.docker.tar.gz"));
	struct dd_image_opts io = { .flags = DD_IMAGE_NO_CACHE };
	struct dd_scan_opts so = { .db_path = db };
	struct dd_scan_result *r;
	struct dd_err err;
	ASSERT_OK(dd_scan_image(ref, &io, &so, &r, &err), &err);
	ASSERT_EQ_INT(r->sbom->npkgs, 14);
	return r;
}

DD_TEST(old_secdb_no_false_positives)
{
	const char *feed[] = { dd_test_shared("vulndb/alpine-secdb/v3.10/main.json"),
			       dd_test_shared("vulndb/alpine-secdb/v3.10/community.json") };
	struct dd_scan_result *r = scan(make_db(feed, 2));
	EXPECT_EQ_INT(r->nfindings, 0);
	dd_scan_result_free(r);
}

/* One expected finding. */
struct want {
	char pkg[64], cve[32], installed[64], fixed[64];
	int seen;
};

DD_TEST(final_secdb_exactly_what_apk_ordering_implies)
{
	const char *secdb = dd_test_shared("vulndb/alpine-secdb-final/v3.10/main.json");
	const char *feeds[] = { secdb, dd_test_shared("vulndb/nvd/records.jsonl.gz"),
				dd_test_shared("vulndb/nvd/records-vulnlist.jsonl.gz"),
				dd_test_shared("vulndb/kev.json") };
	struct dd_scan_result *r = scan(make_db(feeds, 4));

	/* The oracle: for each installed package, its origin's secfixes
	 * entries whose version is above the installed one (apk ordering). */
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 64 << 20);
	ASSERT_OK(dd_buf_read_file(&b, secdb, &err), &err);
	struct dd_json_doc doc;
	ASSERT_OK(dd_json_doc_parse(&doc, b.data, b.len, &err), &err);
	const struct dd_json *pkgs = dd_json_as(dd_json_get(doc.root, "packages"), DD_JSON_ARRAY);
	ASSERT_TRUE(pkgs);
	static struct want want[512];
	size_t nwant = 0;
	for (size_t i = 0; i < r->sbom->npkgs; i++) {
		const struct dd_package *p = &r->sbom->pkgs[i];
		dd_json_each(e, pkgs) {
			const struct dd_json *pkg = dd_json_get(e, "pkg");
			const char *origin = dd_json_str(pkg, "name");
			const struct dd_json *fixes = dd_json_as(dd_json_get(pkg, "secfixes"), DD_JSON_OBJECT);
			if (!origin || !fixes || !p->source_name || strcmp(origin, p->source_name))
				continue;
			dd_json_each(fx, fixes) {
				const char *fixed = fx->key;
				int cmp;
				ASSERT_OK(dd_version_compare("apk", p->version, fixed, &cmp, &err), &err);
				if (cmp >= 0)
					continue;
				dd_json_each(cv, dd_json_as(fx, DD_JSON_ARRAY)) {
					/* an entry may hold "CVE-A CVE-B" */
					const char *s = dd_json_string(cv);
					while (s && *s) {
						size_t n = strcspn(s, " ");
						if (n && nwant < 512) {
							struct want *w = &want[nwant++];
							snprintf(w->pkg, sizeof w->pkg, "%s", p->name);
							snprintf(w->cve, sizeof w->cve, "%.*s", (int)n, s);
							snprintf(w->installed, sizeof w->installed, "%s", p->version);
							snprintf(w->fixed, sizeof w->fixed, "%s", fixed);
						}
						s += n;
						while (*s == ' ')
							s++;
					}
				}
			}
		}
	}
	dd_json_doc_release(&doc);
	dd_buf_release(&b);

	EXPECT_EQ_INT(r->nfindings, nwant);
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dd_finding *f = &r->findings[i];
		const char *pkg = r->sbom->pkgs[f->pkg].name;
		bool found = false;
		for (size_t j = 0; j < nwant; j++) {
			struct want *w = &want[j];
			if (!strcmp(w->pkg, pkg) && !strcmp(w->cve, f->id)) {
				found = true;
				w->seen++;
				EXPECT_STR_EQ(f->installed, w->installed);
				EXPECT_STR_EQ(f->fixed, w->fixed);
			}
		}
		if (!found)
			dd_test_fail(__FILE__, __LINE__, "unexpected finding %s in %s", f->id, pkg);
	}
	for (size_t j = 0; j < nwant; j++)
		if (want[j].seen != 1)
			dd_test_fail(__FILE__, __LINE__, "%s in %s seen %d times", want[j].cve,
				     want[j].pkg, want[j].seen);
	fprintf(stderr, "  %zu findings, all expected\n", r->nfindings);

	/* NVD enrichment: CVSS v3.1 from NVD decides the severity. */
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dd_finding *f = &r->findings[i];
		if (strcmp(f->id, "CVE-2021-36159"))
			continue;
		EXPECT_TRUE(f->score == 9.1);
		EXPECT_STR_EQ(f->score_source, "nvd 3.1");
		EXPECT_EQ_INT(f->severity, DD_SEV_CRITICAL);
		bool vec = false;
		for (size_t c = 0; c < f->ncvss; c++)
			vec |= f->cvss[c].vector && !strncmp(f->cvss[c].vector, "CVSS:3.1/", 9);
		EXPECT_TRUE(vec);
	}
	size_t scored = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		scored += r->findings[i].score >= 0;
	EXPECT_EQ_INT(scored, r->nfindings); /* every one of these CVEs has an NVD record */
	dd_scan_result_free(r);
}

/* None of the image's CVEs is in CISA KEV; a hand-written secdb entry naming
 * Log4Shell for musl checks that KEV data from the real catalogue flags. */
DD_TEST(kev_entries_flag_findings)
{
	static const char secdb[] =
		"{\"distroversion\":\"v3.10\",\"reponame\":\"main\",\"packages\":["
		"{\"pkg\":{\"name\":\"musl\",\"secfixes\":{\"1.1.22-r9\":[\"CVE-2021-44228\"]}}}]}";
	const char *feeds[] = { dd_test_write("secdb.json", secdb, sizeof secdb - 1),
				dd_test_shared("vulndb/kev.json") };
	char f0[4096];
	snprintf(f0, sizeof f0, "%s", feeds[0]);
	feeds[0] = f0;
	struct dd_scan_result *r = scan(make_db(feeds, 2));
	ASSERT_EQ_INT(r->nfindings, 2); /* musl and musl-utils */
	for (size_t i = 0; i < r->nfindings; i++) {
		EXPECT_TRUE(r->findings[i].kev);
		EXPECT_STR_EQ(r->findings[i].kev_added, "2021-12-10");
		EXPECT_STR_EQ(r->findings[i].kev_due, "2021-12-24");
		EXPECT_TRUE(r->findings[i].kev_ransomware);
	}
	dd_scan_result_free(r);
}
