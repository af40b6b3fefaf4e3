/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock scan IMAGE: the image's packages matched against the
 * vulnerability DB, suppressions applied (ignore file, VEX), then the
 * report and the gate. --severity only filters what is shown; --fail-on is
 * the gate and counts every unsuppressed finding whatever is shown: other
 * scanners fold the two into one flag and users run them twice. The help
 * text is mirrored in docs/cli/scan.md.
 */
#include <errno.h>
#include <getopt.h>
#include <strings.h>

#include "cli.h"
#include "cli_store.h"
#include "dd/arena.h"
#include "dd/clock.h"
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
	"      --vex FILE         apply a VEX document (OpenVEX or CycloneDX VEX; may be\n"
	"                         repeated): not_affected and fixed statements suppress\n"
	"      --show-suppressed  table: also list suppressed findings\n"
	"      --save             record the scan in the store and update the asset's\n"
	"                         findings (new, still open, fixed by this rescan)\n"
	"      --asset NAME       the asset the scan belongs to (implies --save;\n"
	"                         default: the image's name)\n"
	"      --store URL        the store: a SQLite path or postgres://... (default:\n"
	"                         $DRYDOCK_STORE, else $XDG_DATA_HOME/drydock/store.db)\n"
	"      --policy FILE      priority and SLA policy (YAML, docs/policy.md)\n"
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

/* Records the scan for the asset (default: the image's name) and says what
 * changed, on stderr: the report on stdout stays the scan's own. */
static int save_scan(struct dd_cli_store *store, const struct dd_scan_result *r,
		     const char *asset, const char *image, int64_t started)
{
	const struct dd_image_info *ii = &r->sbom->image;
	struct dd_save_opts so = {
		.asset = asset ? asset : ii->name ? ii->name : image,
		.who = dd_cli_who(),
		.duration = (double)(dd_clock_now() - started),
	};
	struct dd_save_summary sum;
	struct dd_err err;
	if (dd_store_save_scan(store->store, r, &so, &sum, &err))
		return dd_cli_fail(&err);
	fprintf(stderr, "drydock: saved scan %lld of %s: %zu new, %zu still open, %zu fixed "
		"(verified by this rescan), %zu reintroduced", (long long)sum.scan_id, so.asset,
		sum.new_, sum.still_open, sum.fixed, sum.reintroduced);
	if (sum.not_assessed)
		fprintf(stderr, ", %zu kept open (not assessed)", sum.not_assessed);
	fputs("\n", stderr);
	return DD_EXIT_OK;
}

/* The --vex documents, read before the image so a bad one fails fast. */
struct vex {
	struct dd_arena *arena;
	struct {
		const char *path;
		struct dd_vex_stmt *st;
		size_t n;
	} docs[16];
	size_t ndocs;
};

static int load_vex(struct vex *v, const char *const *paths, size_t n)
{
	if (!n)
		return DD_EXIT_OK;
	v->arena = dd_arena_new(0);
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(paths[i], "rb");
		struct dd_err err;
		if (!f) {
			fprintf(stderr, "drydock: error: --vex %s: %s\n", paths[i], strerror(errno));
			return DD_EXIT_ERROR;
		}
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		char chunk[65536];
		size_t k;
		while (m && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
			fwrite(chunk, 1, k, m);
		fclose(f);
		if (m)
			fclose(m);
		dd_code rc = dd_vex_parse(buf ? buf : "", len, paths[i], v->arena, &v->docs[i].st,
					  &v->docs[i].n, &err);
		free(buf);
		if (rc)
			return dd_cli_fail(&err);
		v->docs[i].path = paths[i];
		v->ndocs++;
	}
	return DD_EXIT_OK;
}

int cmd_scan(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_SEVERITY, OPT_FAIL_ON, OPT_IGNORE_UNFIXED, OPT_IGNORE_FILE,
	       OPT_SHOW_SUPPRESSED, OPT_SAVE, OPT_ASSET, OPT_SCAN_STORE, OPT_SCAN_POLICY, OPT_VEX };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, OPT_DB },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED },
		{ "ignore-file", required_argument, NULL, OPT_IGNORE_FILE },
		{ "show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED },
		{ "vex", required_argument, NULL, OPT_VEX },
		{ "save", no_argument, NULL, OPT_SAVE },
		{ "asset", required_argument, NULL, OPT_ASSET },
		{ "store", required_argument, NULL, OPT_SCAN_STORE },
		{ "policy", required_argument, NULL, OPT_SCAN_POLICY },
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
	bool save = false;
	const char *vex_paths[16];
	size_t nvex = 0;
	const char *asset = NULL;
	struct dd_cli_store store = { 0 };
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
		case OPT_ASSET:
			asset = optarg;
			save = true; /* an asset means the scan is recorded */
			break;
		case OPT_SAVE:
			save = true;
			break;
		case OPT_VEX:
			if (nvex == sizeof vex_paths / sizeof *vex_paths)
				return dd_cli_usage("scan", "at most %zu --vex files", nvex);
			vex_paths[nvex++] = optarg;
			break;
		case OPT_SCAN_STORE:
			store.url = optarg;
			break;
		case OPT_SCAN_POLICY:
			store.policy_path = optarg;
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
	struct vex vex = { 0 };
	struct dd_scan_result *r = NULL;
	int status = DD_EXIT_ERROR;
	if (ignore_path && dd_ignore_load(ignore_path, &ignore, &err)) {
		dd_cli_fail(&err);
		goto out;
	}
	if (load_vex(&vex, vex_paths, nvex) || (save && dd_cli_store_open(&store)))
		goto out;

	struct dd_cli_progress prog;
	dd_cli_progress_start(&prog, image, &iopts);
	int64_t started = dd_clock_now();
	dd_code rc = dd_scan_image(image, &iopts, &sopts, &r, &err);
	dd_cli_progress_end(&prog);
	if (rc) {
		dd_cli_fail(&err);
		goto out;
	}
	if (ignore)
		dd_ignore_apply(ignore, r);
	for (size_t i = 0; i < vex.ndocs; i++)
		dd_vex_apply_scan(vex.docs[i].st, vex.docs[i].n, vex.docs[i].path, r);
	if (save && save_scan(&store, r, asset, image, started))
		goto out;
	bool table = fmt == DD_REPORT_TABLE;
	dd_cli_warnings(r->sbom->warnings, r->sbom->nwarnings, table, output);
	dd_cli_warnings(r->warnings, r->nwarnings, table, output);
	bool tripped = gate && gate_trips(r, fail_on);
	if (show)
		keep_severities(r, show);
	if (dd_cli_stdout_tty() && !output)
		ropts.flags |= DD_REPORT_COLOR;

	FILE *out = dd_cli_open_output(output);
	if (out) {
		rc = dd_report_scan(out, r, fmt, &ropts, &err);
		status = dd_cli_close_output(out, output);
		if (rc)
			status = dd_cli_fail(&err);
	}
	if (status == DD_EXIT_OK && tripped) {
		fprintf(stderr, "drydock: gate: findings of severity %s or higher remain\n",
			sev_words[fail_on]);
		status = DD_EXIT_GATE;
	}
out:
	dd_scan_result_free(r);
	dd_cli_store_close(&store);
	dd_arena_free(vex.arena);
	dd_ignore_free(ignore);
	return status;
}
