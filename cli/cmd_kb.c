/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock kb: the remediation knowledge base (handbook §2.3.3). Entries are
 * written by hand or drafted automatically when a rescan verifies a fix.
 * docs/cli/kb.md.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

static const char usage_text[] =
	"usage: drydock kb add (--vuln ID | --package NAME) [--title TEXT]\n"
	"                      [--fixed-version V] [--base-image REF] [--steps TEXT]\n"
	"                      [--refs URLS]\n"
	"       drydock kb show ID\n"
	"       drydock kb search TEXT\n"
	"\n"
	"search matches vulnerability ids, package names, titles and steps\n"
	"(case-insensitive). Drafts (kind draft) are written by scans that verify a\n"
	"fix. Common: --store URL (or DRYDOCK_STORE).\n";

static void entry(const struct dd_kb_entry *e, bool full)
{
	char d[16];
	if (!full) {
		printf("%5lld %-6s %-18s %-14s %s\n", (long long)e->id, e->kind,
		       e->vuln ? e->vuln : "-", e->package ? e->package : "-",
		       e->title ? e->title : "");
		return;
	}
	printf("entry:          %lld (%s, %s)\n", (long long)e->id, e->kind,
	       dd_cli_date(e->created, d, sizeof d));
	printf("vulnerability:  %s\npackage:        %s\ntitle:          %s\n", e->vuln ? e->vuln : "-",
	       e->package ? e->package : "-", e->title ? e->title : "-");
	printf("fixed version:  %s\nbase image:     %s\n", e->fixed_version ? e->fixed_version : "-",
	       e->base_image ? e->base_image : "-");
	if (e->asset)
		printf("asset:          %s\n", e->asset);
	if (e->scan_to)
		printf("scans:          %lld -> %lld (finding %lld)\n", (long long)e->scan_from,
		       (long long)e->scan_to, (long long)e->finding_id);
	printf("steps:          %s\nreferences:     %s\n", e->steps ? e->steps : "-",
	       e->refs ? e->refs : "-");
}

int cmd_kb(int argc, char **argv)
{
	enum { O_VULN = 1, O_PKG, O_TITLE, O_FIXED, O_BASE, O_STEPS, O_REFS };
	static const struct option opts[] = {
		DD_CLI_STORE_OPTIONS,
		{ "vuln", required_argument, NULL, O_VULN },
		{ "package", required_argument, NULL, O_PKG },
		{ "title", required_argument, NULL, O_TITLE },
		{ "fixed-version", required_argument, NULL, O_FIXED },
		{ "base-image", required_argument, NULL, O_BASE },
		{ "steps", required_argument, NULL, O_STEPS },
		{ "refs", required_argument, NULL, O_REFS },
		{ 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_ERROR : DD_EXIT_OK;
	}
	const char *sub = argv[1];
	struct dd_cli_store c = { 0 };
	struct dd_kb_entry e = { .kind = "manual" };
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (dd_cli_store_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		case O_VULN: e.vuln = optarg; break;
		case O_PKG: e.package = optarg; break;
		case O_TITLE: e.title = optarg; break;
		case O_FIXED: e.fixed_version = optarg; break;
		case O_BASE: e.base_image = optarg; break;
		case O_STEPS: e.steps = optarg; break;
		case O_REFS: e.refs = optarg; break;
		default: return dd_cli_usage("kb", "unknown option.");
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int64_t id = 0;
	if (strcmp(sub, "add") == 0) {
		if (npos || (!e.vuln && !e.package))
			return dd_cli_usage("kb", "add takes --vuln and/or --package, no arguments.");
	} else if (strcmp(sub, "show") == 0) {
		if (npos != 1 || !dd_cli_parse_id(pos[0], &id))
			return dd_cli_usage("kb", "show takes one entry id.");
	} else if (strcmp(sub, "search") == 0) {
		if (npos != 1)
			return dd_cli_usage("kb", "search takes one TEXT.");
	} else {
		return dd_cli_usage("kb", "'%s' is not a kb subcommand (add, show, search).", sub);
	}
	int rc = dd_cli_store_open(&c);
	if (rc)
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_err err;
	if (strcmp(sub, "add") == 0) {
		if (dd_store_kb_add(c.store, &e, 0, &id, &err))
			rc = dd_cli_fail(&err);
		else
			printf("knowledge-base entry %lld added\n", (long long)id);
	} else if (strcmp(sub, "show") == 0) {
		struct dd_kb_entry one;
		if (dd_store_kb_get(c.store, id, ar, &one, &err))
			rc = dd_cli_fail(&err);
		else
			entry(&one, true);
	} else {
		struct dd_kb_entry *v;
		size_t n;
		if (dd_store_kb_search(c.store, pos[0], NULL, NULL, ar, &v, &n, &err)) {
			rc = dd_cli_fail(&err);
		} else {
			printf("%5s %-6s %-18s %-14s %s\n", "ID", "KIND", "VULNERABILITY", "PACKAGE",
			       "TITLE");
			for (size_t i = 0; i < n; i++)
				entry(&v[i], false);
		}
	}
	dd_arena_free(ar);
	dd_cli_store_close(&c);
	return rc;
}
