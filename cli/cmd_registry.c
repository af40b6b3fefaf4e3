/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock registry: look into container registries without scanning.
 *   registry list HOST[/REPO]   repositories (catalog) or the tags of REPO
 *   registry manifest REF       the manifest or index REF names, as stored
 * Both page through Link headers and authenticate like scans do
 * (docs/cli/registry.md). Scanning from a registry is `drydock scan
 * registry:REF` (the registry image source).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dd/registry.h"

static void usage(FILE *out)
{
	fputs("usage: drydock registry list HOST[/REPO] [OPTIONS]\n"
	      "       drydock registry manifest REFERENCE [OPTIONS]\n"
	      "\n"
	      "list      the repositories of HOST (its catalog), or the tags of HOST/REPO,\n"
	      "          one per line, following the registry's pages\n"
	      "manifest  the manifest or image index REFERENCE names, byte for byte as the\n"
	      "          registry stores it (its sha256 is the manifest digest); the digest\n"
	      "          and media type go to stderr with -v\n"
	      "\n"
	      "REFERENCE is [registry:]NAME[:TAG][@sha256:DIGEST]; a NAME without a registry\n"
	      "host is on Docker Hub (alpine:3.19 = docker.io/library/alpine:3.19).\n"
	      "\n"
	      "Options:\n"
	      "  --username USER          log in as USER (password from --password-stdin)\n"
	      "  --password-stdin         read the password from the first line of stdin\n"
	      "  --ca-file FILE           also trust the PEM CA certificates in FILE\n"
	      "  --insecure-registry HOST allow plain HTTP or unverified TLS for HOST[:PORT]\n"
	      "                           (repeatable; nothing is insecure unless named)\n"
	      "  --format text|json       list output (default text)\n"
	      "  --page-size N            names asked for per page (default 100)\n"
	      "  -v, --verbose            more detail on stderr\n"
	      "  -h, --help               this help\n"
	      "\n"
	      "Credentials otherwise come from $DOCKER_CONFIG/config.json or\n"
	      "~/.docker/config.json (\"auths\", as docker login writes them).\n",
	      out);
}

struct list_out {
	FILE *f;
	bool json;
	size_t n;
};

static dd_code print_name(void *ud, const char *name, struct dd_err *err)
{
	struct list_out *o = ud;
	/* Names were checked against the reference grammar: no quoting needed. */
	if (o->json)
		fprintf(o->f, "%s\"%s\"", o->n ? "," : "", name);
	else
		fprintf(o->f, "%s\n", name);
	o->n++;
	return ferror(o->f) ? dd_err_set(err, DD_EIO, "writing standard output") : DD_OK;
}

static int do_list(const char *arg, struct dd_registry_opts *o, bool json)
{
	char host[DD_REGISTRY_NAME_MAX + 1], repo[DD_REGISTRY_NAME_MAX + 1] = "";
	struct dd_registry_ref ref;
	struct dd_err err = { 0 };
	const char *slash = strchr(arg, '/');
	size_t hl = slash ? (size_t)(slash - arg) : strlen(arg);

	if (hl == 0 || hl > DD_REGISTRY_NAME_MAX)
		return dd_cli_usage("registry", "'%s' does not start with a registry host", arg);
	snprintf(host, sizeof host, "%.*s", (int)hl, arg);
	if (slash) {
		/* Reuse the reference grammar (and Docker Hub's library/ rule). */
		if (dd_registry_ref_parse(arg, strlen(arg), &ref, &err) != DD_OK)
			return dd_cli_fail(&err);
		if (ref.digest[0] || strcmp(ref.tag, "latest") != 0 || strchr(slash, ':'))
			return dd_cli_usage("registry", "list takes HOST[/REPO], without a tag or digest");
		if (strcmp(ref.registry, host) != 0 &&
		    !(strcmp(host, "index.docker.io") == 0 && strcmp(ref.registry, "docker.io") == 0))
			return dd_cli_usage("registry",
					    "'%s' is not a registry host (a host has a '.' or a port, "
					    "or is localhost)", host);
		snprintf(host, sizeof host, "%s", ref.registry);
		snprintf(repo, sizeof repo, "%s", ref.repository);
	}
	struct dd_registry *reg;
	if (dd_registry_open(host, o, &reg, &err) != DD_OK)
		return dd_cli_fail(&err);
	struct list_out out = { stdout, json, 0 };
	if (json)
		printf("{\"registry\":\"%s\",%s%s%s\"%s\":[", host, repo[0] ? "\"repository\":\"" : "",
		       repo, repo[0] ? "\"," : "", repo[0] ? "tags" : "repositories");
	dd_code rc = repo[0] ? dd_registry_list_tags(reg, repo, print_name, &out, &err)
			     : dd_registry_list_catalog(reg, print_name, &out, &err);
	dd_registry_close(reg);
	if (json)
		printf("]}\n");
	if (rc)
		return dd_cli_fail(&err);
	return dd_cli_close_output(stdout, NULL);
}

static int do_manifest(const char *arg, struct dd_registry_opts *o, int verbose)
{
	struct dd_registry_ref ref;
	struct dd_err err = { 0 };
	if (strncmp(arg, "registry:", 9) == 0)
		arg += 9;
	if (dd_registry_ref_parse(arg, strlen(arg), &ref, &err) != DD_OK)
		return dd_cli_fail(&err);
	struct dd_registry *reg;
	if (dd_registry_open(ref.registry, o, &reg, &err) != DD_OK)
		return dd_cli_fail(&err);
	char *body = NULL, mt[128], dg[72];
	size_t len = 0;
	dd_code rc = dd_registry_get_manifest(reg, ref.repository, ref.digest[0] ? ref.digest : ref.tag,
					      &body, &len, mt, dg, &err);
	dd_registry_close(reg);
	if (rc)
		return dd_cli_fail(&err);
	fwrite(body, 1, len, stdout);
	free(body);
	if (verbose)
		fprintf(stderr, "drydock: %s %s\n", dg, mt[0] ? mt : "(no media type)");
	return dd_cli_close_output(stdout, NULL);
}

int cmd_registry(int argc, char **argv)
{
	enum { O_FORMAT = 256, O_PAGE };
	static const struct option longopts[] = {
		DD_CLI_REGISTRY_LONGOPTS,
		{ "format", required_argument, NULL, O_FORMAT },
		{ "page-size", required_argument, NULL, O_PAGE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct dd_cli_registry reg;
	bool json = false;
	int verbose = 0, c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (c) {
		case O_FORMAT:
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
				return dd_cli_usage("registry", "--format is text or json, not '%s'",
						    optarg);
			json = strcmp(optarg, "json") == 0;
			break;
		case O_PAGE: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || v == 0 || v > 10000)
				return dd_cli_usage("registry", "--page-size is 1 to 10000, not '%s'",
						    optarg);
			reg.opts.page_size = (unsigned)v;
			break;
		}
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return DD_EXIT_OK;
		case ':':
			return dd_cli_usage("registry", "option '%s' needs a value", argv[optind - 1]);
		default: {
			int h = dd_cli_registry_option(&reg, c, optarg, "registry");
			if (h < 0)
				return DD_EXIT_ERROR;
			if (h == 0)
				return dd_cli_usage("registry", "unknown option '%s'", argv[optind - 1]);
			break;
		}
		}
	}
	if (argc - optind != 2)
		return dd_cli_usage("registry", "expected 'list HOST[/REPO]' or 'manifest REFERENCE'");
	if (dd_cli_registry_finish(&reg, "registry"))
		return DD_EXIT_ERROR;
	dd_cli_log_init(verbose);
	const char *sub = argv[optind], *arg = argv[optind + 1];
	int rc;
	if (strcmp(sub, "list") == 0)
		rc = do_list(arg, &reg.opts, json);
	else if (strcmp(sub, "manifest") == 0)
		rc = do_manifest(arg, &reg.opts, verbose);
	else
		rc = dd_cli_usage("registry", "'%s' is not a registry subcommand (list, manifest)", sub);
	dd_cli_registry_release(&reg);
	return rc;
}
