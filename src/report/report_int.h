/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pieces shared by the report writers (every src/report/ file): a thin JSON writer
 * over yajl_gen that streams to a FILE and remembers the first error, the
 * fixed orders packages and findings are written in, and content-derived
 * identifiers. Nothing here is exported beyond src/report/.
 */
#ifndef DD_REPORT_INT_H
#define DD_REPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include <yajl/yajl_gen.h>

#include "dd/report.h"
#include "dd/scan.h"

/* JSON writer: every call is a no-op once something failed, so a writer
 * runs to its end and checks jw_finish() once. */
struct jw {
	yajl_gen g;
	FILE *out;
	int failed;          /* first yajl_gen_status that was not ok, 0 = none */
	bool nomem;
};

dd_code jw_init(struct jw *w, FILE *out, struct dd_err *err);
/* Ends the document with a newline; DD_EIO / DD_EINVAL / DD_ENOMEM. */
dd_code jw_finish(struct jw *w, struct dd_err *err);

void jw_obj(struct jw *w);
void jw_end_obj(struct jw *w);
void jw_arr(struct jw *w);
void jw_end_arr(struct jw *w);
/* Strings are written as valid UTF-8: invalid bytes become U+FFFD. NULL
 * writes null. */
void jw_str(struct jw *w, const char *s);
void jw_int(struct jw *w, long long v);
/* The shortest decimal that reads back as v (9.8, not 9.800000000000001). */
void jw_num(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_key(struct jw *w, const char *k);
/* Key and value; the _opt forms write nothing when the value is absent. */
void jw_kstr(struct jw *w, const char *k, const char *v);
void jw_kstr_opt(struct jw *w, const char *k, const char *v);
void jw_kint(struct jw *w, const char *k, long long v);
void jw_knum(struct jw *w, const char *k, double v);
void jw_kbool(struct jw *w, const char *k, bool v);

/* Fixed orders (arrays of indices; the caller frees them). NULL on out of
 * memory; n == 0 gives a non-NULL empty array. */
size_t *rep_pkg_order(const struct dd_sbom *s);          /* type, namespace, name, version, arch, location, purl */
size_t *rep_pkg_order_by_name(const struct dd_sbom *s);  /* name, version, type, ... (tables) */
size_t *rep_finding_order(const struct dd_scan_result *r); /* package order, then id */

/* A unique reference per package (CycloneDX bom-ref, base of SPDX IDs):
 * its purl, "#2", "#3" appended to repeats in output order (ord). Indexed
 * by package index; free with rep_refs_free(refs, s->npkgs). */
char **rep_pkg_refs(const struct dd_sbom *s, const size_t *ord);
void rep_refs_free(char **refs, size_t n);

/* The layer a package's current version came from, or NULL. */
const struct dd_layer_info *rep_pkg_layer(const struct dd_sbom *s, const struct dd_package *p);

/* Creation time: opts->created, else SOURCE_DATE_EPOCH, else now. */
void rep_created(const struct dd_report_opts *opts, char out[32]);

/* sha256 over the SBOM's identity (image ID, distro, each package's purl,
 * name, version, location, layer): 64 hex digits. */
dd_code rep_content_hash(const struct dd_sbom *s, const char *extra, char hex[65], struct dd_err *err);
/* A UUID (version 5 and variant bits set, RFC 9562 §5.5 layout) from the
 * first 16 bytes of a content hash. */
void rep_uuid_from_hash(const char hex[65], char out[37]);

/* Human name of the image: name, first repo tag, reference, or "image". */
const char *rep_image_name(const struct dd_sbom *s);
/* True for purl types whose packages come from the OS package manager. */
bool rep_is_os_pkg(const struct dd_package *p);
/* "fixed", "not_fixed", "wont_fix", "end_of_life" */
const char *rep_fix_state_name(enum dd_fix_state s);
/* An RFC 3339 date-time for a date that may be a bare YYYY-MM-DD: the
 * bare date gets T00:00:00Z (buf holds the result). NULL stays NULL. */
const char *rep_datetime(const char *s, char buf[40]);

/* The group a package is reported under, as Trivy names them: OS packages
 * under "<image> (<distro> <version>)", class os-pkgs, type the distro;
 * lock files under their path; installed language packages per ecosystem
 * ("Node.js", type node-pkg). */
struct rep_target {
	char target[512];
	const char *class_;  /* "os-pkgs", "lang-pkgs" */
	const char *type;    /* "alpine", "debian", "npm", "node-pkg", "gobinary", ... */
};
void rep_pkg_target(const struct dd_sbom *s, const struct dd_package *p, struct rep_target *t);
/* OS packages' target first (as Trivy lists it), then by name. */
int rep_target_cmp(const struct rep_target *a, const struct rep_target *b);
/* The name people know a package by: "@babel/core", "org.slf4j:slf4j-api",
 * "github.com/x/y"; OS packages by their plain name. buf may be used. */
const char *rep_display_name(const struct dd_package *p, char *buf, size_t n);

/* JSON pieces shared by the SBOM and scan JSON (sbom_json.c). */
void rep_json_tool(struct jw *w);
void rep_json_image(struct jw *w, const struct dd_sbom *s);   /* "image" and "distro" keys */
void rep_json_layer_ref(struct jw *w, const struct dd_sbom *s, const struct dd_package *p);
void rep_json_package(struct jw *w, const struct dd_sbom *s, const struct dd_package *p, unsigned flags);
void rep_json_warnings(struct jw *w, const char *const *warn, size_t n);

/* The writers, one per (kind, format); report.c holds the table. */
dd_code rep_sbom_table(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_sbom_json(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_sbom_cyclonedx(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_sbom_spdx(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_scan_table(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_scan_json(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_scan_cyclonedx(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_scan_sarif(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o, struct dd_err *err);
dd_code rep_scan_trivy(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o, struct dd_err *err);

#endif
