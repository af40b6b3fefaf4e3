/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock sbom IMAGE: the package inventory of an image in one of the SBOM
 * formats (include/dd/report.h). Reads the image with dd_sbom_from_image()
 * and writes with dd_report_sbom(). The help text below is mirrored in
 * docs/cli/sbom.md (a CLI test checks they agree).
 */
#include <getopt.h>

#include "cli.h"
#include "dd/report.h"

static const char help[] =
	"usage: drydock sbom [OPTIONS] IMAGE\n"
	"\n"
	"List the packages in IMAGE (its software bill of materials).\n"
	"\n"
	"IMAGE is docker-archive:PATH, oci:DIR[:TAG], oci-archive:PATH, dir:ROOTFS,\n"
	"registry:REF, or a bare path that is probed.\n"
	"\n"
	"Options:\n"
	"  -f, --format FORMAT  table (default), json, cyclonedx (CycloneDX 1.6 JSON)\n"
	"                       or spdx (SPDX 2.3 JSON)\n"
	"  -o, --output FILE    write to FILE instead of standard output\n"
	"      --platform P     os/arch[/variant] to pick from a multi-platform image\n"
	"                       (default linux/amd64)\n"
	"      --no-cache       neither read nor write the layer cache\n"
	"      --pkg-types LIST os, library or os,library (default): the OS\n"
	"                       packages, the language packages, or both\n"
	"      --files          json: list each package's files, not only the count\n"
	"      --username USER  log in to the registry as USER\n"
	"      --password-stdin read the registry password from the first line of\n"
	"                       standard input\n"
	"      --ca-file FILE   also trust the CA certificates in FILE (registries)\n"
	"      --insecure-registry HOST\n"
	"                       allow plain HTTP or unverified TLS for HOST[:PORT]\n"
	"  -h, --help           show this help\n"
	"\n"
	"A progress line is shown on standard error when it is a terminal.\n"
	"SOURCE_DATE_EPOCH fixes the document creation time for reproducible output.\n"
	"Exit status: 0 success, 2 error.\n";

int cmd_sbom(int argc, char **argv)
{
	enum { OPT_FILES = 256 };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		DD_CLI_IMAGE_OPTIONS,
		{ "files", no_argument, NULL, OPT_FILES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_image_opts iopts = { 0 };
	struct dd_report_opts ropts = { 0 };
	enum dd_report_format fmt = DD_REPORT_TABLE;
	const char *output = NULL;
	struct dd_err err = { 0 };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (dd_report_format_parse(optarg, DD_REPORT_KIND_SBOM, &fmt, &err))
				return dd_cli_usage("sbom", "--format: %s", err.msg);
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_FILES:
			ropts.flags |= DD_REPORT_FILES;
			break;
		case 'h':
			fputs(help, stdout);
			return DD_EXIT_OK;
		default:
			if (dd_cli_image_option("sbom", c, argv, &iopts) <= 0)
				return DD_EXIT_ERROR;
		}
	}
	const char *image = dd_cli_one_image("sbom", argc, argv);
	if (!image)
		return DD_EXIT_ERROR;
	if (dd_cli_check_output(output))
		return DD_EXIT_ERROR;

	struct dd_cli_progress prog;
	dd_cli_progress_start(&prog, image, &iopts);
	struct dd_sbom *sbom = NULL;
	dd_code rc = dd_sbom_from_image(image, &iopts, &sbom, &err);
	dd_cli_progress_end(&prog);
	if (rc)
		return dd_cli_fail(&err);
	dd_cli_warnings(sbom->warnings, sbom->nwarnings, fmt == DD_REPORT_TABLE, output);

	FILE *out = dd_cli_open_output(output);
	if (!out) {
		dd_sbom_free(sbom);
		return DD_EXIT_ERROR;
	}
	rc = dd_report_sbom(out, sbom, fmt, &ropts, &err);
	int status = dd_cli_close_output(out, output);
	dd_sbom_free(sbom);
	if (rc)
		return dd_cli_fail(&err);
	return status;
}
