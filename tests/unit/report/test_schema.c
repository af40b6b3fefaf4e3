/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Report output against JSON Schemas, with a real validator
 * (python3-jsonschema, Debian's, run as /usr/bin/python3 through
 * tests/tools/validate_json.py):
 *
 *   our sbom / scan JSON   docs/schema/sbom.schema.json, scan.schema.json (in tree)
 *   CycloneDX 1.6          official schema, + spdx and jsf schemas it refers to
 *   SPDX 2.3               official schema
 *   SARIF 2.1.0            the 2.1.0 (rtm.5) schema
 *   trivy-json             no published schema: tests/tools/check_trivy_import.py
 *
 * The official schemas are not in the repository: scripts/fetch-schemas
 * puts them in $DD_SCHEMA_CACHE (default ~/.cache/drydock/test-schemas).
 * A test whose schema is absent skips and names the missing file. Each
 * validator run is also fed one broken document, to prove it can fail.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_fixture.h"

#define PY "/usr/bin/python3"

static const char *src_dir(void)
{
	const char *s = getenv("DD_SOURCE_DIR");
	if (!s)
		dd_test_skip("DD_SOURCE_DIR is not set (run through ctest)");
	return s;
}

static void need_validator(void)
{
	if (dd_test_run(PY " -c 'import jsonschema' 2>/dev/null", NULL) != 0)
		dd_test_skip("python3-jsonschema is not installed (scripts/install-deps installs it)");
}

/* Path of a cached official schema, or skips naming it. */
static const char *cached(const char *rel, char *buf, size_t n)
{
	const char *c = getenv("DD_SCHEMA_CACHE");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	if (c && *c)
		snprintf(buf, n, "%s/%s", c, rel);
	else if (xdg && *xdg)
		snprintf(buf, n, "%s/drydock/test-schemas/%s", xdg, rel);
	else
		snprintf(buf, n, "%s/.cache/drydock/test-schemas/%s", home ? home : "", rel);
	if (access(buf, R_OK) != 0)
		dd_test_skip("official schema %s not found: run scripts/fetch-schemas (SPDX 2.3: "
			     "scripts/fetch-schemas --spdx FILE; no npm package ships it)", buf);
	return buf;
}

static const char *write_doc(const char *name, const struct dd_sbom *s,
			     const struct dd_scan_result *r, enum dd_report_format f)
{
	struct dd_err err = { 0 };
	dd_code rc;
	char *out = fx_render(s, r, f, &fx_opts, &rc, &err);
	ASSERT_OK(rc, &err);
	const char *path = dd_test_write(name, out, strlen(out));
	free(out);
	return path;
}

/* Writes a broken copy: the first occurrence of from replaced by to. */
static const char *write_broken(const char *doc, const char *name, const char *from, const char *to)
{
	char cmd[8192], *out = NULL;
	snprintf(cmd, sizeof cmd, "cat '%s'", doc);
	ASSERT_EQ_INT(dd_test_run(cmd, &out), 0);
	char *at = strstr(out, from);
	ASSERT_TRUE(at != NULL);
	size_t n = strlen(out) + strlen(to) + 1;
	char *b = malloc(n);
	ASSERT_TRUE(b != NULL);
	snprintf(b, n, "%.*s%s%s", (int)(at - out), out, to, at + strlen(from));
	const char *path = dd_test_write(name, b, strlen(b));
	free(b);
	free(out);
	return path;
}

static void validate(const char *schema, const char *doc, const char *extras, int want)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd, PY " '%s/tests/tools/validate_json.py' '%s' '%s' %s%s", src_dir(),
		 schema, doc, extras ? extras : "", want ? " 2>/dev/null" : "");
	int st = dd_test_run(cmd, NULL);
	if (want == 0 && st != 0)
		dd_test_fail(__FILE__, __LINE__, "%s is not valid against %s (errors above)", doc, schema);
	if (want != 0 && st == 0)
		dd_test_fail(__FILE__, __LINE__, "the broken %s passed %s: the validator checks nothing",
			     doc, schema);
}

DD_TEST(own_sbom_schema)
{
	need_validator();
	char schema[4096];
	snprintf(schema, sizeof schema, "%s/docs/schema/sbom.schema.json", src_dir());
	struct dd_sbom *s = fx_sbom();
	const char *doc = write_doc("sbom.json", s, NULL, DD_REPORT_JSON);
	char keep[4096];
	snprintf(keep, sizeof keep, "%s", doc);
	validate(schema, keep, NULL, 0);
	struct dd_report_opts o = fx_opts;
	o.flags = DD_REPORT_FILES;
	struct dd_err err = { 0 };
	dd_code rc;
	char *out = fx_render(s, NULL, DD_REPORT_JSON, &o, &rc, &err);
	ASSERT_OK(rc, &err);
	char files[4096];
	snprintf(files, sizeof files, "%s", dd_test_write("sbom-files.json", out, strlen(out)));
	free(out);
	validate(schema, files, NULL, 0);
	validate(schema, write_broken(keep, "bad.json", "\"fileCount\": 2", "\"fileCount\": \"2\""), NULL, 1);
	dd_sbom_free(s);
}

DD_TEST(own_scan_schema)
{
	need_validator();
	char schema[4096], keep[4096], extra[4200];
	snprintf(schema, sizeof schema, "%s/docs/schema/scan.schema.json", src_dir());
	snprintf(extra, sizeof extra, "'%s/docs/schema/sbom.schema.json'", src_dir());
	struct dd_scan_result *r = fx_scan();
	snprintf(keep, sizeof keep, "%s", write_doc("scan.json", NULL, r, DD_REPORT_JSON));
	validate(schema, keep, extra, 0);
	validate(schema, write_broken(keep, "bad.json", "\"status\": \"fixed\"", "\"status\": \"done\""), extra, 1);
	validate(schema, write_broken(keep, "bad2.json", "\"diffId\": \"sha256:", "\"diffId\": \"sha256 "), extra, 1);
	fx_scan_free(r);
}

static void cyclonedx(bool scan)
{
	need_validator();
	char schema[4096], spdx[4096], jsf[4096], extras[8300], keep[4096];
	cached("cyclonedx/bom-1.6.SNAPSHOT.schema.json", schema, sizeof schema);
	cached("cyclonedx/spdx.SNAPSHOT.schema.json", spdx, sizeof spdx);
	cached("cyclonedx/jsf-0.82.SNAPSHOT.schema.json", jsf, sizeof jsf);
	snprintf(extras, sizeof extras, "'%s' '%s'", spdx, jsf);
	struct dd_scan_result *r = fx_scan();
	snprintf(keep, sizeof keep, "%s",
		 write_doc("bom.cdx.json", scan ? NULL : r->sbom, scan ? r : NULL, DD_REPORT_CYCLONEDX));
	validate(schema, keep, extras, 0);
	validate(schema, write_broken(keep, "bad.json", "\"type\": \"library\"", "\"type\": \"lib\""), extras, 1);
	if (scan)
		validate(schema, write_broken(keep, "bad2.json", "\"severity\": \"critical\"",
					      "\"severity\": \"severe\""), extras, 1);
	fx_scan_free(r);
}

DD_TEST(cyclonedx_sbom_official_schema) { cyclonedx(false); }
DD_TEST(cyclonedx_scan_official_schema) { cyclonedx(true); }

DD_TEST(spdx_official_schema)
{
	need_validator();
	char schema[4096], keep[4096];
	cached("spdx/spdx-2.3.schema.json", schema, sizeof schema);
	struct dd_sbom *s = fx_sbom();
	snprintf(keep, sizeof keep, "%s", write_doc("sbom.spdx.json", s, NULL, DD_REPORT_SPDX));
	validate(schema, keep, NULL, 0);
	validate(schema, write_broken(keep, "bad.json", "\"PACKAGE-MANAGER\"", "\"PACKAGE_MANAGER\""), NULL, 1);
	dd_sbom_free(s);
}

DD_TEST(sarif_official_schema)
{
	need_validator();
	char schema[4096], keep[4096];
	cached("sarif/sarif-2.1.0-rtm.5.json", schema, sizeof schema);
	struct dd_scan_result *r = fx_scan();
	snprintf(keep, sizeof keep, "%s", write_doc("scan.sarif", NULL, r, DD_REPORT_SARIF));
	validate(schema, keep, NULL, 0);
	validate(schema, write_broken(keep, "bad.json", "\"level\": \"error\"", "\"level\": \"fatal\""), NULL, 1);
	fx_scan_free(r);
}

/* Four findings are not suppressed; the importer must see exactly those. */
DD_TEST(trivy_json_importable)
{
	if (dd_test_run(PY " -c 'import json'", NULL) != 0)
		dd_test_skip("/usr/bin/python3 is not installed");
	struct dd_scan_result *r = fx_scan();
	char keep[4096], cmd[8192];
	snprintf(keep, sizeof keep, "%s", write_doc("scan.trivy.json", NULL, r, DD_REPORT_TRIVY_JSON));
	snprintf(cmd, sizeof cmd, PY " '%s/tests/tools/check_trivy_import.py' '%s' 4", src_dir(), keep);
	EXPECT_EQ_INT(dd_test_run(cmd, NULL), 0);
	snprintf(cmd, sizeof cmd, PY " '%s/tests/tools/check_trivy_import.py' '%s' 4 2>/dev/null", src_dir(),
		 write_broken(keep, "bad.json", "\"Severity\": \"CRITICAL\"", "\"Severity\": \"critical\""));
	EXPECT_TRUE(dd_test_run(cmd, NULL) != 0);
	fx_scan_free(r);
}
