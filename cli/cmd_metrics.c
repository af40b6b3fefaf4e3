/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock metrics: the handbook's §4 figures from the store's records: scan
 * frequency and P1 findings per scan, open findings by priority and age,
 * MTTR per priority in working days, SLA compliance, reintroductions.
 * docs/cli/metrics.md.
 */
#include <getopt.h>
#include <string.h>

#include "cli_store.h"
#include "dd/report.h"

static const char usage_text[] =
	"usage: drydock metrics [--asset NAME] [--since DATE] [--format table|json]\n"
	"\n"
	"MTTR and SLA compliance count findings fixed since DATE (default: all),\n"
	"in working days of the policy's calendar. DRYDOCK_NOW fixes the clock.\n"
	"Common: --store URL (or DRYDOCK_STORE), --policy FILE.\n";

static void table(const struct dd_metrics *m)
{
	static const char *buckets[] = { "0-7d", "8-30d", "31-90d", ">90d" };
	printf("scans: %ld, P1 findings per scan: %.1f\n\n", m->scans, m->p1_per_scan);
	printf("%-20s %-8s %6s %12s\n", "ASSET", "MONTH", "SCANS", "P1 PER SCAN");
	for (size_t i = 0; i < m->nmonths; i++)
		printf("%-20s %-8s %6ld %12.1f\n", m->months[i].asset, m->months[i].month,
		       m->months[i].scans, m->months[i].p1_per_scan);
	printf("\nopen: %ld (overdue %ld)\n%-4s", m->open_total, m->overdue, "PRI");
	for (int b = 0; b < DD_AGE_BUCKETS; b++)
		printf(" %7s", buckets[b]);
	printf(" %6s %14s %10s %14s\n", "FIXED", "MTTR (WDAYS)", "SLA", "WITHIN SLA");
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		printf("%-4s", dd_priority_name((enum dd_priority)p));
		for (int b = 0; b < DD_AGE_BUCKETS; b++)
			printf(" %7ld", m->open[p][b]);
		printf(" %6ld", m->closed[p]);
		if (m->mttr[p] >= 0)
			printf(" %14.2f", m->mttr[p]);
		else
			printf(" %14s", "-");
		if (m->sla_target[p] == DD_SLA_NONE)
			printf(" %10s", "none");
		else
			printf(" %8d d", m->sla_target[p]);
		if (m->sla_pct[p] >= 0)
			printf(" %7.0f%% %ld/%ld\n", m->sla_pct[p], m->sla_met[p], m->sla_total[p]);
		else
			printf(" %14s\n", "-");
	}
	printf("\nreintroductions: %ld\n", m->reintroductions);
}

int cmd_metrics(int argc, char **argv)
{
	enum { O_ASSET = 1, O_SINCE };
	static const struct option opts[] = {
		DD_CLI_STORE_OPTIONS,
		{ "asset", required_argument, NULL, O_ASSET },
		{ "since", required_argument, NULL, O_SINCE },
		{ 0 },
	};
	struct dd_cli_store c = { 0 };
	const char *asset = NULL;
	int64_t since = 0;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (dd_cli_store_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		case O_ASSET: asset = optarg; break;
		case O_SINCE:
			if (!dd_cli_parse_time("metrics", optarg, &since))
				return DD_EXIT_ERROR;
			break;
		default: return dd_cli_usage("metrics", "unknown option.");
		}
	}
	if (optind != argc)
		return dd_cli_usage("metrics", "metrics takes no arguments.");
	bool json;
	int rc = dd_cli_format_json(&c, "metrics", &json);
	if (rc || (rc = dd_cli_store_open(&c)))
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_metrics m;
	struct dd_err err;
	if (dd_store_metrics(c.store, asset, since, 0, ar, &m, &err))
		rc = dd_cli_fail(&err);
	else if (json && dd_report_metrics_json(stdout, &m, &err))
		rc = dd_cli_fail(&err);
	else if (!json)
		table(&m);
	dd_arena_free(ar);
	dd_cli_store_close(&c);
	return rc;
}
