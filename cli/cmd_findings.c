/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock findings: the tracked vulnerabilities of every asset, in
 * remediation order, with their history; triage decisions and sandbox
 * verification records (handbook §2.2.3). docs/cli/findings.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"
#include "dd/report.h"

static const char usage_text[] =
	"usage: drydock findings list [--asset NAME] [--state STATE] [--priority P1|P2|P3]\n"
	"                             [--overdue] [--package NAME] [--id VULN] [--all]\n"
	"                             [--order priority|id] [--limit N] [--format table|json]\n"
	"       drydock findings show ID\n"
	"       drydock findings triage ID --state STATE --reason TEXT [--expires DATE]\n"
	"       drydock findings verify ID --result reproduced|not_reproduced\n"
	"                               [--conditions TEXT] [--evidence FILE]\n"
	"\n"
	"list shows open findings (open, confirmed, risk_accepted) unless --state or\n"
	"--all is given; --order priority (the default) is the remediation order:\n"
	"band, business impact, score, age. STATE: open, confirmed, false_positive,\n"
	"not_affected, risk_accepted (needs --expires), fixed (list only).\n"
	"Common: --store URL (or DRYDOCK_STORE), --policy FILE; DRYDOCK_NOW fixes the clock.\n";

static void table(const struct dd_finding_row *v, size_t n)
{
	char d[16];
	printf("%5s %-3s %-14s %-14s %-18s %-14s %-14s %-12s %5s %-8s %-8s %s\n", "ID", "PRI",
	       "STATE", "ASSET", "VULNERABILITY", "PACKAGE", "INSTALLED", "FIXED", "SCORE", "CVSS",
	       "VENDOR", "DUE");
	for (size_t i = 0; i < n; i++) {
		const struct dd_finding_row *r = &v[i];
		char score[16];
		if (r->score >= 0)
			snprintf(score, sizeof score, "%.1f", r->score);
		else
			snprintf(score, sizeof score, "-");
		printf("%5lld %-3s %-14s %-14s %-18s %-14s %-14s %-12s %5s %-8s %-8s %s%s\n",
		       (long long)r->id, dd_priority_name(r->priority), r->state, r->asset, r->vuln,
		       r->package ? r->package : "-", r->installed ? r->installed : "-",
		       r->fixed_version ? r->fixed_version : "-", score,
		       r->cvss_rating ? r->cvss_rating : "-", r->vendor_rating ? r->vendor_rating : "-",
		       dd_cli_date(r->due, d, sizeof d), r->overdue ? " OVERDUE" : "");
	}
	size_t unscored = 0;
	for (size_t i = 0; i < n; i++)
		unscored += v[i].unscored;
	printf("%zu findings%s", n, unscored ? "" : "\n");
	if (unscored)
		printf(", %zu unscored (priority from the policy's default)\n", unscored);
}

static int do_list(struct dd_cli_store *c, struct dd_finding_filter *f)
{
	bool json;
	int rc = dd_cli_format_json(c, "findings", &json);
	if (rc || (rc = dd_cli_store_open(c)))
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_finding_row *v;
	size_t n;
	struct dd_err err;
	if (dd_store_list_findings(c->store, f, ar, &v, &n, &err) != DD_OK)
		rc = dd_cli_fail(&err);
	else if (json && dd_report_findings_json(stdout, v, n, &err) != DD_OK)
		rc = dd_cli_fail(&err);
	else if (!json)
		table(v, n);
	dd_arena_free(ar);
	dd_cli_store_close(c);
	return rc;
}

static int do_show(struct dd_cli_store *c, int64_t id)
{
	int rc = dd_cli_store_open(c);
	if (rc)
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_finding_filter f = { .id = id };
	struct dd_finding_row *v;
	size_t n;
	struct dd_err err;
	char t1[32], t2[32], d[16];
	if (dd_store_list_findings(c->store, &f, ar, &v, &n, &err) != DD_OK) {
		rc = dd_cli_fail(&err);
		goto out;
	}
	if (n == 0) {
		fprintf(stderr, "drydock: error: no finding %lld\n", (long long)id);
		rc = DD_EXIT_ERROR;
		goto out;
	}
	const struct dd_finding_row *r = v;
	printf("finding:        %lld\nasset:          %s (criticality %d, %s)\n", (long long)r->id,
	       r->asset, r->criticality, r->exposure);
	printf("vulnerability:  %s%s%s%s\n", r->vuln, r->aliases ? " (" : "",
	       r->aliases ? r->aliases : "", r->aliases ? ")" : "");
	if (r->summary)
		printf("summary:        %s\n", r->summary);
	printf("package:        %s %s%s%s\n", r->package ? r->package : "-",
	       r->installed ? r->installed : "", r->purl ? "  " : "", r->purl ? r->purl : "");
	printf("fixed version:  %s\n", r->fixed_version ? r->fixed_version : "none yet");
	printf("state:          %s%s\n", r->state, r->overdue ? " (OVERDUE)" : "");
	printf("priority:       %s%s\n", dd_priority_name(r->priority), r->unscored ? " (unscored)" : "");
	if (r->score >= 0)
		printf("score:          %.1f (%s)\n", r->score, r->score_source ? r->score_source : "?");
	else
		printf("score:          none\n");
	printf("cvss v3 rating: %s\nvendor rating:  %s\n", r->cvss_rating ? r->cvss_rating : "-",
	       r->vendor_rating ? r->vendor_rating : "-");
	printf("kev:            %s\n", r->kev ? "yes (CISA Known Exploited Vulnerabilities)" : "no");
	if (r->epss >= 0)
		printf("epss:           %.3f\n", r->epss);
	printf("why:            %s\n", r->why ? r->why : "-");
	printf("first seen:     %s (scan %lld)\nlast seen:      %s (scan %lld)\n",
	       dd_time_format(r->first_seen, t1, sizeof t1), (long long)r->first_scan,
	       dd_time_format(r->last_seen, t2, sizeof t2), (long long)r->last_scan);
	printf("due:            %s\n", dd_cli_date(r->due, d, sizeof d));
	if (r->closed_at)
		printf("closed:         %s\n", dd_time_format(r->closed_at, t1, sizeof t1));
	if (r->fixed_scan)
		printf("fixed:          verified by rescan %lld (image %s)\n", (long long)r->fixed_scan,
		       r->fix_evidence ? r->fix_evidence : "?");
	if (r->reintroduced)
		printf("reintroduced:   %ld times\n", r->reintroduced);
	struct dd_event_row *ev;
	size_t nev;
	if (dd_store_list_events(c->store, id, ar, &ev, &nev, &err) == DD_OK) {
		puts("history:");
		for (size_t i = 0; i < nev; i++)
			printf("  %s %-13s %s%s%s%s by %s%s%s\n", dd_time_format(ev[i].at, t1, sizeof t1),
			       ev[i].kind, ev[i].from_state ? ev[i].from_state : "",
			       ev[i].from_state || ev[i].to_state ? " -> " : "",
			       ev[i].to_state ? ev[i].to_state : "", "", ev[i].who ? ev[i].who : "?",
			       ev[i].why ? ": " : "", ev[i].why ? ev[i].why : "");
	}
	struct dd_verification *vv;
	size_t nv;
	if (dd_store_list_verifications(c->store, id, ar, &vv, &nv, &err) == DD_OK && nv) {
		puts("verifications:");
		for (size_t i = 0; i < nv; i++)
			printf("  %s %s by %s; conditions: %s; evidence: %s %s\n",
			       dd_time_format(vv[i].at, t1, sizeof t1), vv[i].result, vv[i].who,
			       vv[i].conditions ? vv[i].conditions : "-",
			       vv[i].evidence_name ? vv[i].evidence_name : "-",
			       vv[i].evidence_sha256 ? vv[i].evidence_sha256 : "");
	}
	struct dd_kb_entry *kb;
	size_t nkb;
	if (dd_store_kb_search(c->store, NULL, r->vuln, r->package, ar, &kb, &nkb, &err) == DD_OK &&
	    nkb) {
		puts("knowledge base:");
		for (size_t i = 0; i < nkb; i++)
			printf("  #%lld [%s] %s\n", (long long)kb[i].id, kb[i].kind,
			       kb[i].title ? kb[i].title : "(untitled)");
	}
out:
	dd_arena_free(ar);
	dd_cli_store_close(c);
	return rc;
}

static int read_evidence(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "drydock: error: %s: %s\n", path, strerror(errno));
		return DD_EXIT_ERROR;
	}
	/* 16 MiB: DD_LIMIT_EVIDENCE_BYTES in src/util/limits.h. */
	const size_t max = 16u << 20;
	char *buf = malloc(max + 1);
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad || n > max) {
		free(buf);
		fprintf(stderr, "drydock: error: %s: %s\n", path,
			n > max ? "evidence larger than 16 MiB" : "cannot read");
		return DD_EXIT_ERROR;
	}
	*out = buf;
	*len = n;
	return DD_EXIT_OK;
}

int cmd_findings(int argc, char **argv)
{
	enum { O_ASSET = 1, O_STATE, O_PRIO, O_OVERDUE, O_PKG, O_ID, O_ALL, O_ORDER, O_LIMIT,
	       O_REASON, O_EXPIRES, O_RESULT, O_COND, O_EVID };
	static const struct option opts[] = {
		DD_CLI_STORE_OPTIONS,
		{ "asset", required_argument, NULL, O_ASSET },
		{ "state", required_argument, NULL, O_STATE },
		{ "priority", required_argument, NULL, O_PRIO },
		{ "overdue", no_argument, NULL, O_OVERDUE },
		{ "package", required_argument, NULL, O_PKG },
		{ "id", required_argument, NULL, O_ID },
		{ "all", no_argument, NULL, O_ALL },
		{ "order", required_argument, NULL, O_ORDER },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "reason", required_argument, NULL, O_REASON },
		{ "expires", required_argument, NULL, O_EXPIRES },
		{ "result", required_argument, NULL, O_RESULT },
		{ "conditions", required_argument, NULL, O_COND },
		{ "evidence", required_argument, NULL, O_EVID },
		{ 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_ERROR : DD_EXIT_OK;
	}
	const char *sub = argv[1];
	struct dd_cli_store c = { 0 };
	struct dd_finding_filter f = { .order = DD_ORDER_PRIORITY, .open_only = true };
	const char *reason = NULL, *result = NULL, *conditions = NULL, *evidence = NULL;
	int64_t expires = 0;
	bool all = false;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (dd_cli_store_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		case O_ASSET: f.asset = optarg; break;
		case O_STATE:
			if (!dd_store_state_valid(optarg))
				return dd_cli_usage("findings", "'%s' is not a finding state.", optarg);
			f.state = optarg;
			break;
		case O_PRIO:
			if (!(f.priority = dd_priority_parse(optarg)))
				return dd_cli_usage("findings", "--priority is P1, P2 or P3.");
			break;
		case O_OVERDUE: f.overdue = true; break;
		case O_PKG: f.package = optarg; break;
		case O_ID: f.vuln = optarg; break;
		case O_ALL: all = true; break;
		case O_ORDER:
			if (strcmp(optarg, "priority") == 0)
				f.order = DD_ORDER_PRIORITY;
			else if (strcmp(optarg, "id") == 0)
				f.order = DD_ORDER_ID;
			else
				return dd_cli_usage("findings", "--order is priority or id.");
			break;
		case O_LIMIT: {
			int64_t v;
			if (!dd_cli_parse_id(optarg, &v))
				return dd_cli_usage("findings", "--limit is a positive number.");
			f.limit = (size_t)v;
			break;
		}
		case O_REASON: reason = optarg; break;
		case O_EXPIRES:
			if (!dd_cli_parse_time("findings", optarg, &expires))
				return DD_EXIT_ERROR;
			break;
		case O_RESULT: result = optarg; break;
		case O_COND: conditions = optarg; break;
		case O_EVID: evidence = optarg; break;
		default: return dd_cli_usage("findings", "unknown option.");
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	if (f.state || all)
		f.open_only = false;
	if (strcmp(sub, "list") == 0)
		return npos ? dd_cli_usage("findings", "list takes no arguments.") : do_list(&c, &f);
	int64_t id;
	if (strcmp(sub, "show") != 0 && strcmp(sub, "triage") != 0 && strcmp(sub, "verify") != 0)
		return dd_cli_usage("findings", "'%s' is not a findings subcommand (list, show, triage,"
				    " verify).", sub);
	if (npos != 1 || !dd_cli_parse_id(pos[0], &id))
		return dd_cli_usage("findings", "%s takes one finding id.", sub);
	if (strcmp(sub, "show") == 0)
		return do_show(&c, id);
	struct dd_err err;
	int rc;
	if (strcmp(sub, "triage") == 0) {
		if (!f.state || !reason)
			return dd_cli_usage("findings", "triage needs --state and --reason.");
		if ((rc = dd_cli_store_open(&c)))
			return rc;
		if (dd_store_triage(c.store, id, f.state, reason, dd_cli_who(), expires, 0, &err))
			rc = dd_cli_fail(&err);
		else
			printf("finding %lld: %s\n", (long long)id, f.state);
		dd_cli_store_close(&c);
		return rc;
	}
	if (!result)
		return dd_cli_usage("findings", "verify needs --result reproduced|not_reproduced.");
	char *ev = NULL;
	size_t evlen = 0;
	if (evidence && (rc = read_evidence(evidence, &ev, &evlen)))
		return rc;
	if ((rc = dd_cli_store_open(&c))) {
		free(ev);
		return rc;
	}
	if (dd_store_verify(c.store, id, result, conditions, evidence, ev, evlen, dd_cli_who(), 0, &err))
		rc = dd_cli_fail(&err);
	else
		printf("finding %lld: verification %s recorded\n", (long long)id, result);
	free(ev);
	dd_cli_store_close(&c);
	return rc;
}
