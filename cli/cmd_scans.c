/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock scans: the recorded scan history (handbook §2.1: every scan is
 * recorded so history can be traced). list, show, diff two scans, and import
 * a scan record made elsewhere. docs/cli/scans.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

static const char usage_text[] =
	"usage: drydock scans list [--asset NAME] [--limit N] [--format table|json]\n"
	"       drydock scans show ID [--sbom]\n"
	"       drydock scans diff A B\n"
	"       drydock scans import FILE --asset NAME [--duration SECONDS]\n"
	"\n"
	"import records a scan record (JSON, docs/cli/scans.md) as a scan of NAME\n"
	"and updates its findings: new, still open, fixed (verified by this rescan),\n"
	"reintroduced. Common: --store URL (or DRYDOCK_STORE), --policy FILE.\n";

static int do_list(struct dd_cli_store *c, const char *asset, size_t limit)
{
	bool json;
	int rc = dd_cli_format_json(c, "scans", &json);
	if (rc || (rc = dd_cli_store_open(c)))
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_scan_row *v;
	size_t n;
	struct dd_err err;
	char t[32];
	if (dd_store_list_scans(c->store, asset, limit, ar, &v, &n, &err) != DD_OK) {
		rc = dd_cli_fail(&err);
	} else if (json) {
		fputs("[\n", stdout);
		for (size_t i = 0; i < n; i++) {
			printf("  {\"id\": %lld, \"asset\": ", (long long)v[i].id);
			dd_cli_json_str(stdout, v[i].asset);
			printf(", \"at\": \"%s\", \"image_digest\": ", dd_time_format(v[i].at, t, sizeof t));
			dd_cli_json_str(stdout, v[i].image_digest);
			printf(", \"packages\": %ld, \"findings\": %ld, \"P1\": %ld, \"P2\": %ld,"
			       " \"P3\": %ld, \"new\": %ld, \"fixed\": %ld}%s\n",
			       v[i].npackages, v[i].nfindings, v[i].by_priority[1], v[i].by_priority[2],
			       v[i].by_priority[3], v[i].new_, v[i].fixed, i + 1 == n ? "" : ",");
		}
		fputs("]\n", stdout);
	} else {
		printf("%5s %-16s %-20s %5s %5s %4s %4s %4s %4s %5s  %s\n", "ID", "ASSET", "WHEN", "PKGS",
		       "VULNS", "P1", "P2", "P3", "NEW", "FIXED", "IMAGE");
		for (size_t i = 0; i < n; i++)
			printf("%5lld %-16s %-20s %5ld %5ld %4ld %4ld %4ld %4ld %5ld  %s\n",
			       (long long)v[i].id, v[i].asset, dd_time_format(v[i].at, t, sizeof t),
			       v[i].npackages, v[i].nfindings, v[i].by_priority[1], v[i].by_priority[2],
			       v[i].by_priority[3], v[i].new_, v[i].fixed,
			       v[i].image_digest ? v[i].image_digest : "-");
	}
	dd_arena_free(ar);
	dd_cli_store_close(c);
	return rc;
}

static int do_show(struct dd_cli_store *c, int64_t id, bool sbom)
{
	int rc = dd_cli_store_open(c);
	if (rc)
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_scan_row s;
	struct dd_err err;
	char t[32];
	if (dd_store_get_scan(c->store, id, ar, &s, &err) != DD_OK) {
		rc = dd_cli_fail(&err);
	} else if (sbom) {
		printf("%s\n", s.sbom_json ? s.sbom_json : "{}");
	} else {
		printf("scan:       %lld\nasset:      %s\nwhen:       %s\nimage:      %s\n"
		       "digest:     %s\nduration:   %.1f s\ndb version: %s\npackages:   %ld\n"
		       "findings:   %ld open (P1 %ld, P2 %ld, P3 %ld), %ld new, %ld fixed by this scan\n",
		       (long long)s.id, s.asset, dd_time_format(s.at, t, sizeof t),
		       s.image_ref ? s.image_ref : "-", s.image_digest ? s.image_digest : "-", s.duration,
		       s.db_version ? s.db_version : "-", s.npackages,
		       s.by_priority[1] + s.by_priority[2] + s.by_priority[3], s.by_priority[1],
		       s.by_priority[2], s.by_priority[3], s.new_, s.fixed);
		if (s.warnings && *s.warnings)
			printf("warnings:\n%s", s.warnings);
	}
	dd_arena_free(ar);
	dd_cli_store_close(c);
	return rc;
}

static int do_diff(struct dd_cli_store *c, int64_t a, int64_t b)
{
	int rc = dd_cli_store_open(c);
	if (rc)
		return rc;
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_diff_row *v;
	size_t n;
	struct dd_err err;
	if (dd_store_diff_scans(c->store, a, b, ar, &v, &n, &err) != DD_OK) {
		rc = dd_cli_fail(&err);
	} else {
		static const char mark[] = { '+', '-', '~' };
		printf("scan %lld -> %lld\n", (long long)a, (long long)b);
		for (int pass = 0; pass < 2; pass++) {
			printf("%s:\n", pass ? "vulnerabilities" : "packages");
			size_t shown = 0;
			for (size_t i = 0; i < n; i++) {
				if (v[i].vulnerability != (pass == 1))
					continue;
				shown++;
				if (v[i].kind == DD_DIFF_CHANGED)
					printf("  ~ %s %s -> %s\n", v[i].name, v[i].from, v[i].to);
				else
					printf("  %c %s %s\n", mark[v[i].kind], v[i].name,
					       v[i].kind == DD_DIFF_ADDED ? (v[i].to ? v[i].to : "")
									  : (v[i].from ? v[i].from : ""));
			}
			if (!shown)
				puts("  (no change)");
		}
	}
	dd_arena_free(ar);
	dd_cli_store_close(c);
	return rc;
}

static int do_import(struct dd_cli_store *c, const char *path, const char *asset, double duration)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "drydock: error: %s: %s\n", path, strerror(errno));
		return DD_EXIT_ERROR;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			/* dd_scan_record_parse enforces the real limit. */
			char *nb = cap < (1u << 30) ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "drydock: error: %s: too large or out of memory\n", path);
		return DD_EXIT_ERROR;
	}
	struct dd_err err;
	struct dd_scan_result *r;
	if (dd_scan_record_parse(buf, len, path, &r, &err) != DD_OK) {
		free(buf);
		return dd_cli_fail(&err);
	}
	free(buf);
	int rc = dd_cli_store_open(c);
	if (rc) {
		dd_scan_record_free(r);
		return rc;
	}
	struct dd_save_opts o = { .asset = asset, .who = dd_cli_who(), .duration = duration };
	struct dd_save_summary s;
	if (dd_store_save_scan(c->store, r, &o, &s, &err) != DD_OK) {
		rc = dd_cli_fail(&err);
	} else {
		printf("scan %lld of %s: %zu findings: %zu new, %zu still open, %zu fixed (verified by"
		       " this rescan), %zu reintroduced",
		       (long long)s.scan_id, asset, s.findings, s.new_, s.still_open, s.fixed,
		       s.reintroduced);
		if (s.not_assessed)
			printf(", %zu kept open (not assessed)", s.not_assessed);
		printf("\nopen by priority: P1 %zu, P2 %zu, P3 %zu", s.by_priority[1], s.by_priority[2],
		       s.by_priority[3]);
		if (s.kb_drafts)
			printf("; %zu knowledge-base drafts", s.kb_drafts);
		putchar('\n');
	}
	dd_scan_record_free(r);
	dd_cli_store_close(c);
	return rc;
}

int cmd_scans(int argc, char **argv)
{
	enum { O_ASSET = 1, O_LIMIT, O_SBOM, O_DURATION };
	static const struct option opts[] = {
		DD_CLI_STORE_OPTIONS,
		{ "asset", required_argument, NULL, O_ASSET },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "sbom", no_argument, NULL, O_SBOM },
		{ "duration", required_argument, NULL, O_DURATION },
		{ 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_ERROR : DD_EXIT_OK;
	}
	const char *sub = argv[1], *asset = NULL;
	struct dd_cli_store c = { 0 };
	size_t limit = 0;
	bool sbom = false;
	double duration = 0;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (dd_cli_store_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		case O_ASSET: asset = optarg; break;
		case O_LIMIT: {
			int64_t v;
			if (!dd_cli_parse_id(optarg, &v))
				return dd_cli_usage("scans", "--limit is a positive number.");
			limit = (size_t)v;
			break;
		}
		case O_SBOM: sbom = true; break;
		case O_DURATION: duration = strtod(optarg, NULL); break;
		default: return dd_cli_usage("scans", "unknown option.");
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	int64_t a, b;
	if (strcmp(sub, "list") == 0)
		return npos ? dd_cli_usage("scans", "list takes no arguments.")
			    : do_list(&c, asset, limit);
	if (strcmp(sub, "show") == 0) {
		if (npos != 1 || !dd_cli_parse_id(pos[0], &a))
			return dd_cli_usage("scans", "show takes one scan id.");
		return do_show(&c, a, sbom);
	}
	if (strcmp(sub, "diff") == 0) {
		if (npos != 2 || !dd_cli_parse_id(pos[0], &a) || !dd_cli_parse_id(pos[1], &b))
			return dd_cli_usage("scans", "diff takes two scan ids.");
		return do_diff(&c, a, b);
	}
	if (strcmp(sub, "import") == 0) {
		if (npos != 1 || !asset)
			return dd_cli_usage("scans", "import takes one FILE and --asset NAME.");
		return do_import(&c, pos[0], asset, duration);
	}
	return dd_cli_usage("scans", "'%s' is not a scans subcommand (list, show, diff, import).", sub);
}
