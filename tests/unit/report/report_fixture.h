/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hand-built SBOM and scan result for the report tests: an Alpine-like
 * image with two layers, OS and language packages, one purl twice (two
 * paths), a package with no layer, text needing JSON escaping and a byte
 * that is not UTF-8; findings with CVSS from two sources, KEV, EPSS,
 * aliases, a suppressed one and one without any score. The values are
 * invented for the tests (not copied from any feed).
 */
#ifndef DD_REPORT_FIXTURE_H
#define DD_REPORT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/report.h"
#include "dd/scan.h"
#include "dd_test.h"

#define FX_CFG "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define FX_L0 "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FX_L1 "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static struct dd_layer_info fx_layers[] = {
	{ 0, FX_L0, "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
	  "application/vnd.docker.image.rootfs.diff.tar.gzip", 2789669, "/bin/sh -c #(nop) ADD file:abc in /" },
	{ 1, FX_L1, "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
	  "application/vnd.docker.image.rootfs.diff.tar.gzip", 1024, "RUN apk add openssl && npm ci" },
};
static const char *fx_tags[] = { "demo:1.0" };

static struct dd_sbom *fx_sbom(void)
{
	struct dd_sbom *s = dd_sbom_new();
	struct dd_err err = { 0 };
	ASSERT_TRUE(s != NULL);
	s->image = (struct dd_image_info){
		.transport = "docker-archive",
		.reference = "docker-archive:/images/demo.tar",
		.name = "demo:1.0",
		.config_digest = FX_CFG,
		.manifest_digest = NULL,
		.os = "linux",
		.arch = "amd64",
		.created = "2024-04-30T10:00:00Z",
		.repo_tags = fx_tags,
		.nrepo_tags = 1,
		.layers = fx_layers,
		.nlayers = 2,
	};
	s->distro = (struct dd_distro){ .id = "alpine", .version_id = "3.10.4",
					.pretty_name = "Alpine Linux v3.10" };
	static const char *musl_files[] = { "/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1" };
	const struct dd_package pkgs[] = {
		{ .type = "apk", .namespace_ = "alpine", .name = "musl", .version = "1.1.22-r3",
		  .arch = "x86_64", .source_name = "musl", .source_version = "1.1.22-r3", .license = "MIT",
		  .purl = "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4",
		  .cataloger = "apk", .location = "/lib/apk/db/installed", .layer = 0,
		  .files = musl_files, .nfiles = 2 },
		{ .type = "apk", .namespace_ = "alpine", .name = "busybox", .version = "1.30.1-r2",
		  .arch = "x86_64", .source_name = "busybox", .source_version = "1.30.1-r2",
		  .license = "GPL-2.0-only",
		  .purl = "pkg:apk/alpine/busybox@1.30.1-r2?arch=x86_64&distro=3.10.4",
		  .cataloger = "apk", .location = "/lib/apk/db/installed", .layer = 0 },
		{ .type = "apk", .namespace_ = "alpine", .name = "libssl1.1", .version = "1.1.1d-r0",
		  .arch = "x86_64", .source_name = "openssl", .source_version = "1.1.1d-r0",
		  .license = "OpenSSL \"and\" \\ GPL-2+ caf\xe9",
		  .purl = "pkg:apk/alpine/libssl1.1@1.1.1d-r0?arch=x86_64&distro=3.10.4",
		  .cataloger = "apk", .location = "/lib/apk/db/installed", .layer = 1 },
		{ .type = "npm", .name = "lodash", .version = "4.17.15", .license = "MIT",
		  .purl = "pkg:npm/lodash@4.17.15", .cataloger = "npm-lock",
		  .location = "/app/package-lock.json", .layer = 1 },
		{ .type = "npm", .name = "lodash", .version = "4.17.15", .license = "MIT",
		  .purl = "pkg:npm/lodash@4.17.15", .cataloger = "npm-installed",
		  .location = "/app/node_modules/lodash/package.json", .layer = 1, .flags = DD_PKG_DEV },
		{ .type = "npm", .namespace_ = "@babel", .name = "core", .version = "7.0.0",
		  .license = "MIT OR Apache-2.0", .purl = "pkg:npm/%40babel/core@7.0.0",
		  .cataloger = "npm-lock", .location = "/app/package-lock.json", .layer = 1 },
		{ .type = "golang", .namespace_ = "github.com/example", .name = "tool", .version = "v1.2.3",
		  .purl = "pkg:golang/github.com/example/tool@v1.2.3", .cataloger = "go-binary",
		  .location = "/usr/local/bin/tool", .layer = -1 },
	};
	for (size_t i = 0; i < sizeof pkgs / sizeof *pkgs; i++)
		ASSERT_OK(dd_sbom_add(s, &pkgs[i], &err), &err);
	dd_sbom_warn(s, "layer 1: /etc/shadow: skipped (%s)", "test");
	return s;
}

/* Package indices in fx_sbom(). */
enum { FX_MUSL, FX_BUSYBOX, FX_LIBSSL, FX_LODASH_LOCK, FX_LODASH_MOD, FX_BABEL, FX_TOOL };

static struct dd_cvss fx_cvss_musl[] = {
	{ "nvd", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8 },
	{ "nvd", "2.0", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5 },
};
static struct dd_cvss fx_cvss_ssl[] = {
	{ "nvd", "3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9 },
};
static struct dd_cvss fx_cvss_lodash[] = {
	{ "ghsa", "3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 7.4 },
};
static const char *fx_cwe_musl[] = { "CWE-787", "NVD-CWE-Other" };
static const char *fx_refs_musl[] = { "https://nvd.nist.gov/vuln/detail/CVE-2019-14697",
				      "https://www.openwall.com/lists/oss-security/2019/08/06/4" };
static const char *fx_alias_ssl[] = { "DSA-4539-1" };
static const char *fx_alias_lodash[] = { "CVE-2020-8203" };
static const char *fx_refs_lodash[] = { "https://github.com/advisories/GHSA-p6mc-m468-83gw" };

static struct dd_scan_result *fx_scan(void)
{
	struct dd_scan_result *r = calloc(1, sizeof *r);
	ASSERT_TRUE(r != NULL);
	r->sbom = fx_sbom();
	static struct dd_finding f[5];
	memset(f, 0, sizeof f);
	f[0] = (struct dd_finding){
		.id = "CVE-2019-14697", .summary = "musl libc through 1.1.23 has an x87 stack overflow",
		.pkg = FX_MUSL, .installed = "1.1.22-r3", .fixed = "1.1.22-r4", .state = DD_FIX_FIXED,
		.namespace_ = "alpine:v3.10", .data_source = "alpine-secdb", .cvss = fx_cvss_musl,
		.ncvss = 2, .score = 9.8, .score_source = "nvd 3.1", .severity = DD_SEV_CRITICAL,
		.cwes = fx_cwe_musl, .ncwes = 2, .kev = true, .kev_added = "2022-01-10",
		.kev_due = "2022-01-31", .epss = 0.01234, .epss_percentile = 0.5,
		.published = "2019-08-06T16:15:11Z", .modified = "2023-11-07",
		.references = fx_refs_musl, .nreferences = 2,
	};
	f[1] = (struct dd_finding){
		.id = "CVE-2019-1549", .aliases = fx_alias_ssl, .naliases = 1,
		.summary = "OpenSSL fork() protection was not effective", .pkg = FX_LIBSSL,
		.installed = "1.1.1d-r0", .fixed = "1.1.1d-r2", .state = DD_FIX_FIXED,
		.namespace_ = "alpine:v3.10", .data_source = "alpine-secdb", .cvss = fx_cvss_ssl,
		.ncvss = 1, .score = 5.9, .score_source = "nvd 3.1", .severity = DD_SEV_MEDIUM,
		.epss = -1, .epss_percentile = -1,
	};
	f[2] = (struct dd_finding){
		.id = "GHSA-p6mc-m468-83gw", .aliases = fx_alias_lodash, .naliases = 1,
		.summary = "Prototype pollution in lodash", .pkg = FX_LODASH_LOCK,
		.installed = "4.17.15", .fixed = "4.17.19", .state = DD_FIX_FIXED, .namespace_ = "npm",
		.data_source = "osv", .cvss = fx_cvss_lodash, .ncvss = 1, .score = 7.4,
		.score_source = "ghsa 3.1", .severity = DD_SEV_HIGH, .vendor_severity = "moderate",
		.epss = 0.002, .epss_percentile = -1, .published = "2020-07-15T21:34:04Z",
		.references = fx_refs_lodash, .nreferences = 1,
	};
	f[3] = f[2];
	f[3].pkg = FX_LODASH_MOD;
	f[3].suppressed = "vex: not_affected (vulnerable_code_not_in_execute_path)";
	f[4] = (struct dd_finding){
		.id = "GO-2023-0001", .summary = "A made-up Go advisory\nwith a second line",
		.pkg = FX_TOOL, .installed = "v1.2.3", .state = DD_FIX_NOT_FIXED, .namespace_ = "go",
		.data_source = "osv", .score = -1, .severity = DD_SEV_UNKNOWN, .epss = -1,
		.epss_percentile = -1,
	};
	r->findings = f;
	r->nfindings = 5;
	static const char *warn[] = { "no feed for golang in the DB (test)" };
	r->warnings = warn;
	r->nwarnings = 1;
	r->db_built = "2024-05-01T00:00:00Z";
	r->scanned_at = "2024-05-01T12:00:00Z";
	return r;
}

static void fx_scan_free(struct dd_scan_result *r)
{
	if (!r)
		return;
	dd_sbom_free(r->sbom);
	free(r);
}

static const struct dd_report_opts fx_opts = { .created = "2024-05-01T12:00:00Z" };

/* Writes a report into a malloc'd string (open_memstream). */
static char *fx_render(const struct dd_sbom *s, const struct dd_scan_result *r,
		       enum dd_report_format f, const struct dd_report_opts *o, dd_code *rc,
		       struct dd_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	ASSERT_TRUE(m != NULL);
	*rc = s ? dd_report_sbom(m, s, f, o, err) : dd_report_scan(m, r, f, o, err);
	fclose(m);
	return buf;
}

#endif
