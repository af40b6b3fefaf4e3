/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock assets: the services and image streams drydock scans, with their
 * business impact (handbook §2.2.2) and scan schedule. docs/cli/assets.md.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

static const char usage_text[] =
	"usage: drydock assets add NAME [--image REF]... [--owner WHO] [--team TEAM]\n"
	"                          [--criticality 1-5] [--exposure internet|internal|isolated]\n"
	"                          [--sensitivity WORD] [--frequency daily|weekly|monthly]\n"
	"                          [--sla-p1 DAYS|none] [--sla-p2 DAYS|none] [--sla-p3 DAYS|none]\n"
	"       drydock assets list [--format table|json]\n"
	"       drydock assets show NAME [--format table|json]\n"
	"\n"
	"add creates or updates an asset. Criticality (default 3) and exposure\n"
	"(default internal) feed the priority rules; --sla-pN overrides the policy's\n"
	"working days for that priority. Common: --store URL (or DRYDOCK_STORE).\n";

static int sla_arg(const char *s, int *out)
{
	if (strcmp(s, "none") == 0) {
		*out = DD_SLA_NONE;
		return 0;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 3650)
		return -1;
	*out = (int)v;
	return 0;
}

static void print_asset_json(FILE *f, const struct dd_asset *a, bool last)
{
	char d[16];
	fputs("  {\"name\": ", f);
	dd_cli_json_str(f, a->name);
	fputs(", \"team\": ", f);
	dd_cli_json_str(f, a->team);
	fputs(", \"owner\": ", f);
	dd_cli_json_str(f, a->owner);
	fprintf(f, ", \"criticality\": %d, \"exposure\": \"%s\", \"scans\": %ld,"
		   " \"open\": %ld, \"last_scan\": ",
		a->impact.criticality, dd_exposure_name(a->impact.exposure), a->nscans, a->nopen);
	dd_cli_json_str(f, a->last_scan ? dd_cli_date(a->last_scan, d, sizeof d) : NULL);
	fprintf(f, "}%s\n", last ? "" : ",");
}

static int list_or_show(struct dd_cli_store *c, const char *name)
{
	bool json;
	int rc = dd_cli_format_json(c, "assets", &json);
	if (rc)
		return rc;
	if ((rc = dd_cli_store_open(c)))
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_err err;
	struct dd_asset *v = NULL, one;
	size_t n = 0;
	dd_code dc;
	if (name) {
		dc = dd_store_get_asset(c->store, name, ar, &one, &err);
		v = &one;
		n = 1;
	} else {
		dc = dd_store_list_assets(c->store, ar, &v, &n, &err);
	}
	if (dc) {
		rc = dd_cli_fail(&err);
		goto out;
	}
	char d[16];
	if (json) {
		fputs("[\n", stdout);
		for (size_t i = 0; i < n; i++)
			print_asset_json(stdout, &v[i], i + 1 == n);
		fputs("]\n", stdout);
	} else if (name) {
		const struct dd_asset *a = v;
		printf("name:         %s\nimages:       %s\nowner:        %s\nteam:         %s\n"
		       "criticality:  %d\nexposure:     %s\nsensitivity:  %s\nfrequency:    %s\n",
		       a->name, a->images ? a->images : "-", a->owner ? a->owner : "-",
		       a->team ? a->team : "-", a->impact.criticality,
		       dd_exposure_name(a->impact.exposure),
		       a->impact.sensitivity ? a->impact.sensitivity : "-",
		       a->scan_frequency ? a->scan_frequency : "-");
		for (int p = 1; p < DD_PRIO_COUNT; p++) {
			int s = a->impact.sla_days[p];
			if (s == -1)
				printf("sla %s:       policy\n", dd_priority_name((enum dd_priority)p));
			else if (s == DD_SLA_NONE)
				printf("sla %s:       none\n", dd_priority_name((enum dd_priority)p));
			else
				printf("sla %s:       %d working days\n", dd_priority_name((enum dd_priority)p), s);
		}
		printf("scans:        %ld (last %s)\nopen:         %ld\n", a->nscans,
		       dd_cli_date(a->last_scan, d, sizeof d), a->nopen);
	} else {
		printf("%-24s %4s %-9s %-12s %6s %6s %s\n", "ASSET", "CRIT", "EXPOSURE", "TEAM",
		       "SCANS", "OPEN", "LAST SCAN");
		for (size_t i = 0; i < n; i++)
			printf("%-24s %4d %-9s %-12s %6ld %6ld %s\n", v[i].name, v[i].impact.criticality,
			       dd_exposure_name(v[i].impact.exposure), v[i].team ? v[i].team : "-",
			       v[i].nscans, v[i].nopen, dd_cli_date(v[i].last_scan, d, sizeof d));
	}
out:
	dd_arena_free(ar);
	dd_cli_store_close(c);
	return rc;
}

int cmd_assets(int argc, char **argv)
{
	enum { O_IMAGE = 1, O_OWNER, O_TEAM, O_CRIT, O_EXPO, O_SENS, O_FREQ, O_S1, O_S2, O_S3 };
	static const struct option opts[] = {
		DD_CLI_STORE_OPTIONS,
		{ "image", required_argument, NULL, O_IMAGE },
		{ "owner", required_argument, NULL, O_OWNER },
		{ "team", required_argument, NULL, O_TEAM },
		{ "criticality", required_argument, NULL, O_CRIT },
		{ "exposure", required_argument, NULL, O_EXPO },
		{ "sensitivity", required_argument, NULL, O_SENS },
		{ "frequency", required_argument, NULL, O_FREQ },
		{ "sla-p1", required_argument, NULL, O_S1 },
		{ "sla-p2", required_argument, NULL, O_S2 },
		{ "sla-p3", required_argument, NULL, O_S3 },
		{ 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_ERROR : DD_EXIT_OK;
	}
	const char *sub = argv[1];
	struct dd_cli_store c = { 0 };
	struct dd_asset a = { 0 };
	dd_impact_init(&a.impact);
	char images[4096] = "";
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (dd_cli_store_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		case O_IMAGE:
			if (strlen(images) + strlen(optarg) + 2 > sizeof images)
				return dd_cli_usage("assets", "too many --image references.");
			if (images[0])
				strncat(images, ",", sizeof images - strlen(images) - 1);
			strncat(images, optarg, sizeof images - strlen(images) - 1);
			break;
		case O_OWNER: a.owner = optarg; break;
		case O_TEAM: a.team = optarg; break;
		case O_CRIT: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 5)
				return dd_cli_usage("assets", "--criticality is 1 to 5, not '%s'.", optarg);
			a.impact.criticality = (int)v;
			break;
		}
		case O_EXPO:
			if (!dd_exposure_parse(optarg, &a.impact.exposure))
				return dd_cli_usage("assets", "--exposure is internet, internal or isolated.");
			break;
		case O_SENS: a.impact.sensitivity = optarg; break;
		case O_FREQ: a.scan_frequency = optarg; break;
		case O_S1: case O_S2: case O_S3:
			if (sla_arg(optarg, &a.impact.sla_days[opt - O_S1 + 1]))
				return dd_cli_usage("assets", "--sla-pN is a number of working days or none.");
			break;
		default: return dd_cli_usage("assets", "unknown option.");
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	if (strcmp(sub, "list") == 0) {
		if (npos)
			return dd_cli_usage("assets", "list takes no arguments.");
		return list_or_show(&c, NULL);
	}
	if (strcmp(sub, "show") == 0) {
		if (npos != 1)
			return dd_cli_usage("assets", "show takes one asset name.");
		return list_or_show(&c, pos[0]);
	}
	if (strcmp(sub, "add") != 0)
		return dd_cli_usage("assets", "'%s' is not an assets subcommand (add, list, show).", sub);
	if (npos != 1)
		return dd_cli_usage("assets", "add takes one asset name.");
	a.name = pos[0];
	a.images = images[0] ? images : NULL;
	int rc = dd_cli_store_open(&c);
	if (rc)
		return rc;
	struct dd_err err;
	int64_t id;
	if (dd_store_put_asset(c.store, &a, &id, &err) != DD_OK)
		rc = dd_cli_fail(&err);
	else
		printf("asset %s saved (criticality %d, %s)\n", a.name, a.impact.criticality,
		       dd_exposure_name(a.impact.exposure));
	dd_cli_store_close(&c);
	return rc;
}
