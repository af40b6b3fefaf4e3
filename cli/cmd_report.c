/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock report: the metrics as one self-contained HTML file with inline
 * SVG charts (open findings over time by priority, MTTR against the SLA,
 * top assets) and the remediation order, or as JSON. docs/cli/report.md.
 */
#include <getopt.h>
#include <string.h>

#include "cli_store.h"
#include "dd/report.h"

static const char usage_text[] =
	"usage: drydock report [--format html|json] [--asset NAME] [--since DATE]\n"
	"                      [--title TEXT] [--top N] [--output FILE]\n"
	"\n"
	"html (the default) is one file with no external resources; json is the\n"
	"metrics document plus the top open findings. Common: --store URL, --policy FILE.\n";

int cmd_report(int argc, char **argv)
{
	enum { O_ASSET = 1, O_SINCE, O_TITLE, O_TOP };
	static const struct option opts[] = {
		DD_CLI_STORE_OPTIONS,
		{ "asset", required_argument, NULL, O_ASSET },
		{ "since", required_argument, NULL, O_SINCE },
		{ "title", required_argument, NULL, O_TITLE },
		{ "top", required_argument, NULL, O_TOP },
		{ 0 },
	};
	struct dd_cli_store c = { 0 };
	const char *asset = NULL, *title = "drydock vulnerability management report";
	int64_t since = 0, top = 20;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (dd_cli_store_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		case O_ASSET: asset = optarg; break;
		case O_SINCE:
			if (!dd_cli_parse_time("report", optarg, &since))
				return DD_EXIT_ERROR;
			break;
		case O_TITLE: title = optarg; break;
		case O_TOP:
			if (!dd_cli_parse_id(optarg, &top))
				return dd_cli_usage("report", "--top is a positive number.");
			break;
		default: return dd_cli_usage("report", "unknown option.");
		}
	}
	if (optind != argc)
		return dd_cli_usage("report", "report takes no arguments.");
	bool html = !c.format || strcmp(c.format, "html") == 0;
	if (!html && strcmp(c.format, "json") != 0)
		return dd_cli_usage("report", "--format is html or json.");
	int rc = dd_cli_store_open(&c);
	if (rc)
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_metrics m;
	struct dd_err err;
	struct dd_finding_filter f = { .asset = asset, .order = DD_ORDER_PRIORITY, .open_only = true,
				       .limit = (size_t)top };
	struct dd_finding_row *rows = NULL;
	size_t n = 0;
	FILE *out = NULL;
	if (dd_store_metrics(c.store, asset, since, 0, ar, &m, &err) ||
	    dd_store_list_findings(c.store, &f, ar, &rows, &n, &err)) {
		rc = dd_cli_fail(&err);
		goto done;
	}
	if (!(out = dd_cli_open_output(c.output))) {
		rc = DD_EXIT_ERROR;
		goto done;
	}
	if (html) {
		if (dd_report_store_html(out, &m, title, rows, n, &err))
			rc = dd_cli_fail(&err);
	} else {
		/* One JSON document: {"metrics": {...}, "findings": [...]}. */
		fputs("{\"metrics\": ", out);
		if (dd_report_metrics_json(out, &m, &err))
			rc = dd_cli_fail(&err);
		fputs(", \"findings\": ", out);
		if (!rc && dd_report_findings_json(out, rows, n, &err))
			rc = dd_cli_fail(&err);
		fputs("}\n", out);
	}
	int crc = dd_cli_close_output(out, c.output);
	if (!rc)
		rc = crc;
done:
	dd_arena_free(ar);
	dd_cli_store_close(&c);
	return rc;
}
