/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Report writers (src/report/): every format against a golden file in
 * tests/unit/report/golden/ (DD_REGEN=1 rewrites them from the current
 * output; review the diff), format-name parsing, determinism, escaping,
 * and out-of-memory at every allocation. Schema validation of the same
 * output is in test_schema.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"
#include "util/alloc.h"

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* Compares got with golden/<name>; DD_REGEN=1 writes it instead. */
static void golden(const char *name, const char *got)
{
	const char *src = getenv("DD_SOURCE_DIR");
	if (!src)
		dd_test_skip("DD_SOURCE_DIR is not set (run through ctest)");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/unit/report/golden/%s", src, name);
	const char *regen = getenv("DD_REGEN");
	if (regen && strcmp(regen, "1") == 0) {
		FILE *f = fopen(path, "wb");
		ASSERT_TRUE(f != NULL);
		fputs(got, f);
		fclose(f);
		return;
	}
	char *want = read_all(path);
	if (!want) {
		dd_test_fail(__FILE__, __LINE__, "golden %s missing (%s); DD_REGEN=1 creates it", name,
			     strerror(errno));
		return;
	}
	if (strcmp(want, got) != 0) {
		/* Point at the first difference; the whole text is too long. */
		size_t i = 0, line = 1;
		while (want[i] && want[i] == got[i]) {
			line += want[i] == '\n';
			i++;
		}
		dd_test_fail(__FILE__, __LINE__, "%s differs from the golden at line %zu:\n  want: %.80s\n  got:  %.80s",
			     name, line, want + i, got + i);
	}
	free(want);
}

static void sbom_golden(enum dd_report_format f, unsigned flags, const char *name)
{
	struct dd_sbom *s = fx_sbom();
	struct dd_err err = { 0 };
	struct dd_report_opts o = fx_opts;
	o.flags = flags;
	dd_code rc;
	char *out = fx_render(s, NULL, f, &o, &rc, &err);
	ASSERT_OK(rc, &err);
	golden(name, out);
	free(out);
	dd_sbom_free(s);
}

static void scan_golden(enum dd_report_format f, unsigned flags, const char *name)
{
	struct dd_scan_result *r = fx_scan();
	struct dd_err err = { 0 };
	struct dd_report_opts o = fx_opts;
	o.flags = flags;
	dd_code rc;
	char *out = fx_render(NULL, r, f, &o, &rc, &err);
	ASSERT_OK(rc, &err);
	golden(name, out);
	free(out);
	fx_scan_free(r);
}

DD_TEST(sbom_table) { sbom_golden(DD_REPORT_TABLE, 0, "sbom.table.txt"); }
DD_TEST(sbom_json) { sbom_golden(DD_REPORT_JSON, 0, "sbom.json"); }
DD_TEST(sbom_json_files) { sbom_golden(DD_REPORT_JSON, DD_REPORT_FILES, "sbom.files.json"); }
DD_TEST(sbom_cyclonedx) { sbom_golden(DD_REPORT_CYCLONEDX, 0, "sbom.cdx.json"); }
DD_TEST(sbom_spdx) { sbom_golden(DD_REPORT_SPDX, 0, "sbom.spdx.json"); }
DD_TEST(scan_table) { scan_golden(DD_REPORT_TABLE, 0, "scan.table.txt"); }
DD_TEST(scan_table_color_suppressed)
{
	scan_golden(DD_REPORT_TABLE, DD_REPORT_COLOR | DD_REPORT_SUPPRESSED, "scan.color.table.txt");
}
DD_TEST(scan_json) { scan_golden(DD_REPORT_JSON, 0, "scan.json"); }
DD_TEST(scan_sarif) { scan_golden(DD_REPORT_SARIF, 0, "scan.sarif.json"); }
DD_TEST(scan_cyclonedx) { scan_golden(DD_REPORT_CYCLONEDX, 0, "scan.cdx.json"); }
DD_TEST(scan_trivy) { scan_golden(DD_REPORT_TRIVY_JSON, 0, "scan.trivy.json"); }

DD_TEST(format_names)
{
	struct dd_err err = { 0 };
	enum dd_report_format f;
	ASSERT_OK(dd_report_format_parse("spdx", DD_REPORT_KIND_SBOM, &f, &err), &err);
	EXPECT_EQ_INT(f, DD_REPORT_SPDX);
	ASSERT_OK(dd_report_format_parse("trivy-json", DD_REPORT_KIND_SCAN, &f, &err), &err);
	EXPECT_EQ_INT(f, DD_REPORT_TRIVY_JSON);
	EXPECT_EQ_INT(dd_report_format_parse("sarif", DD_REPORT_KIND_SBOM, &f, &err), DD_EUSAGE);
	EXPECT_STR_EQ(err.msg, "unknown format 'sarif' (valid: table, json, cyclonedx, spdx)");
	EXPECT_EQ_INT(dd_report_format_parse("JSON", DD_REPORT_KIND_SCAN, &f, &err), DD_EUSAGE);
	EXPECT_EQ_INT(dd_report_format_parse(NULL, DD_REPORT_KIND_SCAN, &f, &err), DD_EUSAGE);
	EXPECT_STR_EQ(dd_report_format_list(DD_REPORT_KIND_SCAN), "table, json, cyclonedx, sarif, trivy-json");
	EXPECT_STR_EQ(dd_report_format_name(DD_REPORT_CYCLONEDX), "cyclonedx");
}

DD_TEST(wrong_kind_and_bad_index)
{
	struct dd_sbom *s = fx_sbom();
	struct dd_err err = { 0 };
	FILE *null = fopen("/dev/null", "w");
	ASSERT_TRUE(null != NULL);
	EXPECT_EQ_INT(dd_report_sbom(null, s, DD_REPORT_SARIF, NULL, &err), DD_EUSAGE);
	dd_sbom_free(s);
	struct dd_scan_result *r = fx_scan();
	EXPECT_EQ_INT(dd_report_scan(null, r, DD_REPORT_SPDX, NULL, &err), DD_EUSAGE);
	r->findings[1].pkg = 99;
	EXPECT_EQ_INT(dd_report_scan(null, r, DD_REPORT_JSON, NULL, &err), DD_EINVAL);
	EXPECT_STR_EQ(err.msg, "finding 1 (CVE-2019-1549) names package 99 of 7");
	fx_scan_free(r);
	fclose(null);
}

/* Same input, same bytes: twice in a row, and with the packages added in
 * the reverse order (the writers sort; the structs are not touched). */
DD_TEST(deterministic)
{
	static const enum dd_report_format fmts[] = { DD_REPORT_TABLE, DD_REPORT_JSON,
						      DD_REPORT_CYCLONEDX, DD_REPORT_SPDX };
	struct dd_sbom *a = fx_sbom(), *b = fx_sbom();
	/* Reverse b's packages in place. */
	for (size_t i = 0, j = b->npkgs - 1; i < j; i++, j--) {
		struct dd_package t = b->pkgs[i];
		b->pkgs[i] = b->pkgs[j];
		b->pkgs[j] = t;
	}
	for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++) {
		struct dd_err err = { 0 };
		dd_code rc1, rc2, rc3;
		char *x = fx_render(a, NULL, fmts[k], &fx_opts, &rc1, &err);
		char *y = fx_render(a, NULL, fmts[k], &fx_opts, &rc2, &err);
		char *z = fx_render(b, NULL, fmts[k], &fx_opts, &rc3, &err);
		EXPECT_EQ_INT(rc1 | rc2 | rc3, DD_OK);
		EXPECT_STR_EQ(x, y);
		EXPECT_STR_EQ(x, z);
		free(x);
		free(y);
		free(z);
	}
	dd_sbom_free(a);
	dd_sbom_free(b);
}

DD_TEST(source_date_epoch)
{
	struct dd_sbom *s = fx_sbom();
	struct dd_err err = { 0 };
	dd_code rc;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	char *out = fx_render(s, NULL, DD_REPORT_SPDX, NULL, &rc, &err);
	unsetenv("SOURCE_DATE_EPOCH");
	ASSERT_OK(rc, &err);
	EXPECT_TRUE(strstr(out, "\"created\": \"2023-11-14T22:13:20Z\"") != NULL);
	free(out);
	dd_sbom_free(s);
}

/* The license of libssl1.1 has quotes, a backslash and a Latin-1 byte:
 * escaped and replaced by U+FFFD, never invalid JSON. */
DD_TEST(escaping_and_bad_utf8)
{
	struct dd_sbom *s = fx_sbom();
	struct dd_err err = { 0 };
	dd_code rc;
	char *out = fx_render(s, NULL, DD_REPORT_JSON, &fx_opts, &rc, &err);
	ASSERT_OK(rc, &err);
	EXPECT_TRUE(strstr(out, "\"license\": \"OpenSSL \\\"and\\\" \\\\ GPL-2+ caf\xef\xbf\xbd\"") != NULL);
	free(out);
	dd_sbom_free(s);
}

/* Fails each allocation in turn: every writer returns DD_ENOMEM or DD_OK,
 * and (under ASan) leaks nothing. */
DD_TEST(out_of_memory_every_allocation)
{
	static const enum dd_report_format sf[] = { DD_REPORT_TABLE, DD_REPORT_JSON,
						    DD_REPORT_CYCLONEDX, DD_REPORT_SPDX };
	static const enum dd_report_format rf[] = { DD_REPORT_TABLE, DD_REPORT_JSON, DD_REPORT_SARIF,
						    DD_REPORT_CYCLONEDX, DD_REPORT_TRIVY_JSON };
	struct dd_scan_result *r = fx_scan();
	FILE *null = fopen("/dev/null", "w");
	ASSERT_TRUE(null != NULL);
	for (int kind = 0; kind < 2; kind++) {
		size_t nf = kind ? sizeof rf / sizeof *rf : sizeof sf / sizeof *sf;
		for (size_t k = 0; k < nf; k++) {
			for (unsigned long n = 1; n < 200; n++) {
				struct dd_err err = { 0 };
				dd_alloc_fail_at(n);
				dd_code rc = kind ? dd_report_scan(null, r, rf[k], &fx_opts, &err)
						  : dd_report_sbom(null, r->sbom, sf[k], &fx_opts, &err);
				unsigned long used = dd_alloc_count();
				dd_alloc_fail_at(0);
				if (rc != DD_OK && rc != DD_ENOMEM)
					dd_test_fail(__FILE__, __LINE__, "format %d fail-at %lu: %s", (int)k, n,
						     err.msg);
				if (rc == DD_OK && used < n)
					break; /* every allocation was tried */
			}
		}
	}
	fclose(null);
	fx_scan_free(r);
}
