/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock vex: triage decisions out as OpenVEX, and VEX documents (OpenVEX,
 * CycloneDX VEX) in, applied to the findings they name. docs/cli/vex.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

static const char usage_text[] =
	"usage: drydock vex export [--asset NAME] [--author NAME] [--output FILE]\n"
	"       drydock vex import FILE\n"
	"\n"
	"export writes every decision (not_affected, false_positive, fixed, confirmed,\n"
	"risk_accepted) as an OpenVEX v0.2.0 document. import reads OpenVEX or\n"
	"CycloneDX VEX, keeps the statements for later scans and applies them now:\n"
	"not_affected closes the matching findings. Common: --store URL.\n";

int cmd_vex(int argc, char **argv)
{
	enum { O_ASSET = 1, O_AUTHOR };
	static const struct option opts[] = {
		DD_CLI_STORE_OPTIONS,
		{ "asset", required_argument, NULL, O_ASSET },
		{ "author", required_argument, NULL, O_AUTHOR },
		{ 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_ERROR : DD_EXIT_OK;
	}
	const char *sub = argv[1], *asset = NULL, *author = NULL;
	struct dd_cli_store c = { 0 };
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (dd_cli_store_opt(&c, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		case O_ASSET: asset = optarg; break;
		case O_AUTHOR: author = optarg; break;
		default: return dd_cli_usage("vex", "unknown option.");
		}
	}
	int npos = argc - 1 - optind;
	char **pos = argv + 1 + optind;
	struct dd_err err;
	int rc;
	if (strcmp(sub, "export") == 0) {
		if (npos)
			return dd_cli_usage("vex", "export takes no arguments.");
		if ((rc = dd_cli_store_open(&c)))
			return rc;
		FILE *out = dd_cli_open_output(c.output);
		if (!out) {
			dd_cli_store_close(&c);
			return DD_EXIT_ERROR;
		}
		if (dd_store_vex_export(c.store, asset, author ? author : dd_cli_who(), 0, out, &err))
			rc = dd_cli_fail(&err);
		int crc = dd_cli_close_output(out, c.output);
		dd_cli_store_close(&c);
		return rc ? rc : crc;
	}
	if (strcmp(sub, "import") != 0)
		return dd_cli_usage("vex", "'%s' is not a vex subcommand (export, import).", sub);
	if (npos != 1)
		return dd_cli_usage("vex", "import takes one FILE.");
	FILE *f = fopen(pos[0], "rb");
	if (!f) {
		fprintf(stderr, "drydock: error: %s: %s\n", pos[0], strerror(errno));
		return DD_EXIT_ERROR;
	}
	/* 64 MiB: DD_LIMIT_VEX_BYTES; dd_vex_parse checks it too. */
	const size_t max = 64u << 20;
	char *buf = malloc(max + 1);
	size_t len = buf ? fread(buf, 1, max + 1, f) : 0;
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		fprintf(stderr, "drydock: error: %s: cannot read\n", pos[0]);
		return DD_EXIT_ERROR;
	}
	struct dd_arena *ar = dd_arena_new(0);
	struct dd_vex_stmt *st;
	size_t n, applied = 0;
	if (dd_vex_parse(buf, len, pos[0], ar, &st, &n, &err)) {
		rc = dd_cli_fail(&err);
	} else if (!(rc = dd_cli_store_open(&c))) {
		if (dd_store_vex_apply(c.store, st, n, pos[0], dd_cli_who(), 0, &applied, &err))
			rc = dd_cli_fail(&err);
		else
			printf("%s: %zu statements, applied to %zu findings\n", pos[0], n, applied);
		dd_cli_store_close(&c);
	}
	free(buf);
	dd_arena_free(ar);
	return rc;
}
