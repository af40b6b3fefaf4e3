/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock scan IMAGE: the image's packages matched against the
 * vulnerability DB, suppressions applied (ignore file, VEX), then the
 * report and the gate. --severity only filters what is shown; --fail-on is
 * the gate and counts every unsuppressed finding whatever is shown: other
 * scanners fold the two into one flag and users run them twice. The help
 * text is mirrored in docs/cli/scan.md.
 */
#include <getopt.h>
#include <strings.h>

#include "cli.h"
#include "dd/report.h"
#include "dd/scan.h"
#include "dd/suppress.h"

static const char help[] =
	"usage: drydock scan [OPTIONS] IMAGE\n"
	"\n"
	"Find the known vulnerabilities of the packages in IMAGE.\n"
	"\n"
	"IMAGE is docker-archive:PATH, oci:DIR[:TAG], oci-archive:PATH, dir:ROOTFS,\n"
	"registry:REF, or a bare path that is probed.\n"
	"\n"
	"Options:\n"
	"  -f, --format FORMAT    table (default), json, sarif, cyclonedx or trivy-json\n"
	"  -o, --output FILE      write to FILE instead of standard output\n"
	"      --db PATH          vulnerability DB (default: $DRYDOCK_DB, else\n"
	"                         $XDG_DATA_HOME/drydock/vuln.db); see 'drydock db'\n"
	"      --severity LIST    show only these severities (comma-separated:\n"
	"                         CRITICAL,HIGH,MEDIUM,LOW,NONE,UNKNOWN); the gate\n"
	"                         still counts every finding\n"
	"      --fail-on SEV      exit 1 when an unsuppressed finding of severity SEV\n"
	"                         or higher remains (UNKNOWN trips only --fail-on UNKNOWN)\n"
	"      --ignore-unfixed   leave out findings that have no fixed version yet\n"
	"      --ignore-file FILE suppress accepted findings (YAML, see docs/cli/scan.md)\n"
	"      --show-suppressed  table: also list suppressed findings\n"
	"      --platform P       os/arch[/variant] of a multi-platform image\n"
	"      --no-cache         neither read nor write the layer cache\n"
	"      --username USER   registry login; the password is read by\n"
	"      --password-stdin  from the first line of standard input\n"
	"      --ca-file FILE     also trust the CA certificates in FILE (registries)\n"
	"      --insecure-registry HOST\n"
	"                         allow plain HTTP or unverified TLS for HOST[:PORT]\n"
	"  -h, --help             show this help\n"
	"\n"
	"Exit status: 0 no gate or the gate passed, 1 the --fail-on gate tripped,\n"
	"2 error.\n";

static const char *const sev_words[] = { "UNKNOWN", "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL" };

static bool parse_sev(const char *s, size_t n, enum dd_severity *out)
{
	for (size_t i = 0; i < sizeof sev_words / sizeof *sev_words; i++)
		if (strlen(sev_words[i]) == n && !strncasecmp(s, sev_words[i], n)) {
			*out = (enum dd_severity)i;
			return true;
		}
	return false;
}

/* "HIGH,CRITICAL" -> a bit per severity. */
static bool parse_sev_list(const char *s, unsigned *mask)
{
	*mask = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		enum dd_severity v;
		if (!parse_sev(s, n, &v))
			return false;
		*mask |= 1u << v;
		s += n;
		if (*s == ',')
			s++;
	}
	return *mask != 0;
}

static bool gate_trips(const struct dd_scan_result *r, enum dd_severity fail_on)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct dd_finding *f = &r->findings[i];
		if (f->suppressed)
			continue;
		if (fail_on == DD_SEV_UNKNOWN ? true : f->severity >= fail_on)
			return true;
	}
	return false;
}

static void keep_severities(struct dd_scan_result *r, unsigned mask)
{
	size_t k = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (mask & (1u << r->findings[i].severity))
			r->findings[k++] = r->findings[i];
	r->nfindings = k;
}

int cmd_scan(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_SEVERITY, OPT_FAIL_ON, OPT_IGNORE_UNFIXED, OPT_IGNORE_FILE,
	       OPT_SHOW_SUPPRESSED };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, OPT_DB },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED },
		{ "ignore-file", required_argument, NULL, OPT_IGNORE_FILE },
		{ "show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED },
		DD_CLI_IMAGE_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dd_image_opts iopts = { 0 };
	struct dd_scan_opts sopts = { 0 };
	struct dd_report_opts ropts = { 0 };
	enum dd_report_format fmt = DD_REPORT_TABLE;
	const char *output = NULL, *ignore_path = NULL;
	unsigned show = 0;
	bool gate = false;
	enum dd_severity fail_on = DD_SEV_UNKNOWN;
	struct dd_err err = { 0 };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (dd_report_format_parse(optarg, DD_REPORT_KIND_SCAN, &fmt, &err))
				return dd_cli_usage("scan", "--format: %s", err.msg);
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_DB:
			sopts.db_path = optarg;
			break;
		case OPT_SEVERITY:
			if (!parse_sev_list(optarg, &show))
				return dd_cli_usage("scan", "--severity '%s': expected a comma-separated "
						    "list of CRITICAL, HIGH, MEDIUM, LOW, NONE, UNKNOWN",
						    optarg);
			break;
		case OPT_FAIL_ON:
			if (!parse_sev(optarg, strlen(optarg), &fail_on))
				return dd_cli_usage("scan", "--fail-on '%s': expected one of CRITICAL, "
						    "HIGH, MEDIUM, LOW, NONE, UNKNOWN", optarg);
			gate = true;
			break;
		case OPT_IGNORE_UNFIXED:
			sopts.ignore_unfixed = true;
			break;
		case OPT_IGNORE_FILE:
			ignore_path = optarg;
			break;
		case OPT_SHOW_SUPPRESSED:
			ropts.flags |= DD_REPORT_SUPPRESSED;
			break;
		case 'h':
			fputs(help, stdout);
			return DD_EXIT_OK;
		default:
			if (dd_cli_image_option("scan", c, argv, &iopts) <= 0)
				return DD_EXIT_ERROR;
		}
	}
	const char *image = dd_cli_one_image("scan", argc, argv);
	if (!image)
		return DD_EXIT_ERROR;
	if (dd_cli_check_output(output))
		return DD_EXIT_ERROR;
	/* Read the user's files before the (slow) image, so a typo fails fast. */
	struct dd_ignore *ignore = NULL;
	if (ignore_path && dd_ignore_load(ignore_path, &ignore, &err))
		return dd_cli_fail(&err);

	struct dd_cli_progress prog;
	dd_cli_progress_start(&prog, image, &iopts);
	struct dd_scan_result *r = NULL;
	dd_code rc = dd_scan_image(image, &iopts, &sopts, &r, &err);
	dd_cli_progress_end(&prog);
	if (rc) {
		dd_ignore_free(ignore);
		return dd_cli_fail(&err);
	}
	if (ignore)
		dd_ignore_apply(ignore, r);
	bool table = fmt == DD_REPORT_TABLE;
	dd_cli_warnings(r->sbom->warnings, r->sbom->nwarnings, table, output);
	dd_cli_warnings(r->warnings, r->nwarnings, table, output);
	bool tripped = gate && gate_trips(r, fail_on);
	if (show)
		keep_severities(r, show);
	if (dd_cli_stdout_tty() && !output)
		ropts.flags |= DD_REPORT_COLOR;

	int status = DD_EXIT_ERROR;
	FILE *out = dd_cli_open_output(output);
	if (out) {
		rc = dd_report_scan(out, r, fmt, &ropts, &err);
		status = dd_cli_close_output(out, output);
		if (rc)
			status = dd_cli_fail(&err);
	}
	dd_scan_result_free(r);
	dd_ignore_free(ignore);
	if (status == DD_EXIT_OK && tripped) {
		fprintf(stderr, "drydock: gate: findings of severity %s or higher remain\n",
			sev_words[fail_on]);
		return DD_EXIT_GATE;
	}
	return status;
}
