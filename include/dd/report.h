/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reports: writing an SBOM (struct dd_sbom) or a scan result (struct
 * dd_scan_result) in one of several formats to a stdio stream.
 *
 *   SBOM:  table, json (ours: docs/schema/sbom.schema.json), cyclonedx
 *          (CycloneDX 1.6 JSON), spdx (SPDX 2.3 JSON)
 *   scan:  table, json (ours: docs/schema/scan.schema.json), sarif (2.1.0),
 *          cyclonedx (1.6 with vulnerabilities), trivy-json (Trivy's report
 *          schema version 2)
 *
 * Output is deterministic: packages and findings are written in a fixed
 * order (the structs are not modified), document identifiers (CycloneDX
 * serialNumber, SPDX documentNamespace) are derived from the content, and
 * the only clock reading is the document's creation time, which
 * opts->created or the SOURCE_DATE_EPOCH environment variable fixes
 * (reproducible-builds.org/specs/source-date-epoch).
 *
 * Thread-safety: the writers share no state; one call per stream.
 * Internals: docs/internals/report.md.
 */
#ifndef DD_REPORT_H
#define DD_REPORT_H

#include <stdio.h>

#include "dd/err.h"
#include "dd/sbom.h"
#include "dd/scan.h"
#include "dd/store.h"

enum dd_report_format {
	DD_REPORT_TABLE,
	DD_REPORT_JSON,
	DD_REPORT_CYCLONEDX,
	DD_REPORT_SPDX,       /* SBOM only */
	DD_REPORT_SARIF,      /* scan only */
	DD_REPORT_TRIVY_JSON  /* scan only */
};

/* What a format is asked to write, for dd_report_format_parse(). */
enum dd_report_kind {
	DD_REPORT_KIND_SBOM = 1u << 0,
	DD_REPORT_KIND_SCAN = 1u << 1
};

enum dd_report_flags {
	DD_REPORT_COLOR = 1u << 0,      /* table: ANSI severity colours (set on a terminal only) */
	DD_REPORT_FILES = 1u << 1,      /* json: list each package's files, not just the count */
	DD_REPORT_SUPPRESSED = 1u << 2  /* table: also show suppressed findings */
};

/* Zeroed means defaults. */
struct dd_report_opts {
	unsigned flags;        /* enum dd_report_flags */
	/* Document creation time, RFC 3339 UTC ("2024-01-02T03:04:05Z"). NULL:
	 * SOURCE_DATE_EPOCH if set, else the current time. For scans the
	 * result's scanned_at is used first. */
	const char *created;
};

/* Parses a format name ("table", "json", "cyclonedx", "spdx", "sarif",
 * "trivy-json"; case-sensitive) valid for kind. DD_EUSAGE naming the
 * formats that are valid otherwise. */
dd_code dd_report_format_parse(const char *name, unsigned kind, enum dd_report_format *out,
			       struct dd_err *err);
const char *dd_report_format_name(enum dd_report_format f);
/* "table, json, cyclonedx, spdx" for kind: for help texts. */
const char *dd_report_format_list(unsigned kind);

/* Writes the SBOM. DD_EUSAGE for a format that is not an SBOM format,
 * DD_EIO when the stream fails, DD_ENOMEM. Nothing is closed. */
dd_code dd_report_sbom(FILE *out, const struct dd_sbom *sbom, enum dd_report_format f,
		       const struct dd_report_opts *opts, struct dd_err *err);

/* Writes the scan result; findings whose pkg index is out of range are
 * reported as DD_EINVAL before anything is written. */
dd_code dd_report_scan(FILE *out, const struct dd_scan_result *r, enum dd_report_format f,
		       const struct dd_report_opts *opts, struct dd_err *err);

/* What the store knows, for people and programs: tracked findings and
 * metrics as JSON, and the self-contained HTML report (inline SVG charts). */
dd_code dd_report_findings_json(FILE *f, const struct dd_finding_row *rows, size_t n,
				     struct dd_err *err);
dd_code dd_report_metrics_json(FILE *f, const struct dd_metrics *m, struct dd_err *err);
dd_code dd_report_store_html(FILE *f, const struct dd_metrics *m, const char *title,
				   const struct dd_finding_row *top_open, size_t ntop,
				   struct dd_err *err);

#endif
