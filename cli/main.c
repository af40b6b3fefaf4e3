/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock's entry point and the command table (git's git.c is the model):
 * one line per subcommand, each implemented in cli/cmd_<name>.c.
 */
#include "cli.h"

/* One line each; keep sorted by name. */
static const struct dd_command commands[] = {
	{ "assets", cmd_assets, "Assets: images and services with their business impact" },
	{ "db", cmd_db, "Build and inspect the vulnerability database" },
	{ "findings", cmd_findings, "Tracked findings: list, show, triage, verify" },
	{ "help", cmd_help, "Show help for drydock or one of its commands" },
	{ "kb", cmd_kb, "Remediation knowledge base: add, show, search" },
	{ "metrics", cmd_metrics, "MTTR, SLA compliance, scan frequency, open by age" },
	{ "registry", cmd_registry, "List a registry's repositories and tags; fetch manifests" },
	{ "report", cmd_report, "HTML or JSON report with charts from the store" },
	{ "sbom", cmd_sbom, "List the packages in an image (table, JSON, CycloneDX, SPDX)" },
	{ "scan", cmd_scan, "Find the vulnerabilities of an image's packages" },
	{ "scans", cmd_scans, "Recorded scans: list, show, diff, import" },
	{ "vercmp", cmd_vercmp, "Compare versions or test ranges in an ecosystem's scheme" },
	{ "vex", cmd_vex, "VEX: export decisions as OpenVEX, import OpenVEX/CycloneDX" },
};

static const size_t ncommands = sizeof commands / sizeof *commands;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: drydock [--version] [--help] COMMAND [ARGS]\n"
		"\n"
		"drydock scans container images for vulnerabilities, keeps every scan,\n"
		"prioritises findings and tracks them to a verified fix.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < ncommands; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"IMAGE names its transport as skopeo does: docker-archive:PATH, oci:DIR[:TAG],\n"
		"oci-archive:PATH, dir:ROOTFS, registry:REF; a bare path is probed, and a bare\n"
		"reference with a tag or digest (alpine:3.19) is pulled from its registry.\n"
		"Run 'drydock COMMAND --help' for a command's options. Exit status: 0 ok,\n"
		"1 the --fail-on gate tripped, 2 error.\n");
}

static const struct dd_command *find(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return DD_EXIT_OK;
	}
	const struct dd_command *c = find(argv[1]);
	if (!c || c->run == cmd_help)
		return c ? (usage(stdout), DD_EXIT_OK)
			 : dd_cli_usage(NULL, "'%s' is not a drydock command.", argv[1]);
	char *args[] = { argv[1], (char *)"--help", NULL };
	return c->run(2, args);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DD_EXIT_ERROR;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return DD_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("drydock %s\n", dd_version_string());
		return DD_EXIT_OK;
	}
	const struct dd_command *c = find(name);
	if (!c)
		return dd_cli_usage(NULL, "'%s' is not a drydock command.", name);
	dd_cli_log_init(0);
	return c->run(argc - 1, argv + 1);
}
