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
	"      --all-tags         IMAGE is a registry repository: scan every tag (one\n"
	"                         report each; machine formats to --output DIR/TAG.FORMAT)\n"
	"      --save             record the scan in the store and update the asset's\n"
	"                         findings (new, still open, fixed by this rescan)\n"
	"      --asset NAME       the asset the scan belongs to (implies --save;\n"
	"                         default: the image's name)\n"
	"      --store URL        the store: a SQLite path or postgres://... (default:\n"
	"                         $DRYDOCK_STORE, else $XDG_DATA_HOME/drydock/store.db)\n"
	"      --policy FILE      priority and SLA policy (YAML, docs/policy.md)\n"
	"      --platform P       os/arch[/variant] of a multi-platform image\n"
	"      --no-cache         neither read nor write the layer cache\n"
	"      --pkg-types LIST   os, library or os,library (default): scan the OS\n"
	"                         packages, the language packages, or both\n"
	"      --username USER    log in to the registry as USER\n"
	"      --password-stdin   read the registry password from the first line of\n"
	"                         standard input\n"
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

/* Everything one scan needs besides the image, read once for all images. */
struct job {
	struct dd_image_opts iopts;
	struct dd_scan_opts sopts;
	struct dd_report_opts ropts;
	enum dd_report_format fmt;
	unsigned show;
	bool gate, save;
	bool drop_unfixed; /* --ignore-unfixed with --save: after saving the whole result */
	bool many;       /* --all-tags: messages name the image */
	enum dd_severity fail_on;
	const char *asset;
	struct dd_ignore *ignore;
	struct vex vex;
	struct dd_cli_store store;
};

/* Scans one image and writes its report to output (NULL: stdout). Returns
 * an exit status: 0, DD_EXIT_GATE or DD_EXIT_ERROR (printed). */
static int scan_one(struct job *j, const char *image, const char *output)
{
	struct dd_err err = { 0 };
	struct dd_scan_result *r = NULL;
	int status = DD_EXIT_ERROR;
	struct dd_cli_progress prog;
	dd_cli_progress_start(&prog, image, &j->iopts);
	int64_t started = dd_clock_now();
	dd_code rc = dd_scan_image(image, &j->iopts, &j->sopts, &r, &err);
	dd_cli_progress_end(&prog);
	if (rc) {
		dd_cli_fail(&err);
		goto out;
	}
	if (j->ignore)
		dd_ignore_apply(j->ignore, r);
	for (size_t i = 0; i < j->vex.ndocs; i++)
		dd_vex_apply_scan(j->vex.docs[i].st, j->vex.docs[i].n, j->vex.docs[i].path, r);
	if (j->save && save_scan(&j->store, r, j->asset, image, started))
		goto out;
	if (j->drop_unfixed)
		dd_scan_drop_unfixed(r);
	bool table = j->fmt == DD_REPORT_TABLE;
	dd_cli_warnings(r->sbom->warnings, r->sbom->nwarnings, table, output);
	dd_cli_warnings(r->warnings, r->nwarnings, table, output);
	bool tripped = j->gate && gate_trips(r, j->fail_on);
	if (j->show)
		keep_severities(r, j->show);
	struct dd_report_opts ropts = j->ropts;
	if (dd_cli_stdout_tty() && !output)
		ropts.flags |= DD_REPORT_COLOR;
	FILE *out = dd_cli_open_output(output);
	if (out) {
		rc = dd_report_scan(out, r, j->fmt, &ropts, &err);
		status = dd_cli_close_output(out, output);
		if (rc)
			status = dd_cli_fail(&err);
	}
	if (status == DD_EXIT_OK && tripped) {
		fprintf(stderr, "drydock: gate: %s%sfindings of severity %s or higher remain\n",
			j->many ? image : "", j->many ? ": " : "", sev_words[j->fail_on]);
		status = DD_EXIT_GATE;
	}
out:
	dd_scan_result_free(r);
	return status;
}

struct tags {
	char **v;
	size_t n, cap;
};

static dd_code add_tag(void *ud, const char *name, struct dd_err *err)
{
	struct tags *t = ud;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		char **v = realloc(t->v, cap * sizeof *v);
		if (!v)
			return dd_err_set(err, DD_ENOMEM, "out of memory listing tags");
		t->v = v;
		t->cap = cap;
	}
	if (!(t->v[t->n] = strdup(name)))
		return dd_err_set(err, DD_ENOMEM, "out of memory listing tags");
	t->n++;
	return DD_OK;
}

static int cmp_tag(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --all-tags: every tag of the repository, in name order, each its own scan
 * (and its own asset when saving). A table goes to stdout one report after
 * another; machine formats go to DIR/<tag>.<format>, one document each. */
static int all_tags(struct job *j, const char *image, const char *outdir)
{
	const char *s = image;
	if (!strncmp(s, "registry:", 9))
		s += 9;
	else if (!strncmp(s, "docker://", 9))
		s += 9;
	struct dd_registry_ref ref;
	struct dd_err err = { 0 };
	if (dd_registry_ref_parse(s, strlen(s), &ref, &err))
		return dd_cli_fail(&err);
	static const struct dd_registry_opts defaults;
	struct dd_registry *reg;
	if (dd_registry_open(ref.registry, j->iopts.registry ? j->iopts.registry : &defaults, &reg,
			     &err))
		return dd_cli_fail(&err);
	struct tags t = { 0 };
	dd_code rc = dd_registry_list_tags(reg, ref.repository, add_tag, &t, &err);
	dd_registry_close(reg);
	int status = DD_EXIT_OK;
	if (rc) {
		status = dd_cli_fail(&err);
	} else if (!t.n) {
		fprintf(stderr, "drydock: %s/%s has no tags\n", ref.registry, ref.repository);
	}
	qsort(t.v, t.n, sizeof *t.v, cmp_tag);
	for (size_t i = 0; i < t.n && status != DD_EXIT_ERROR; i++) {
		char one[1024], path[4096];
		snprintf(one, sizeof one, "registry:%s/%s:%s", ref.registry, ref.repository, t.v[i]);
		if (outdir)
			snprintf(path, sizeof path, "%s/%s.%s", outdir, t.v[i],
				 dd_report_format_name(j->fmt));
		int st = scan_one(j, one, outdir ? path : NULL);
		if (st > status)
			status = st;
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i]);
	free(t.v);
	return status;
}

int cmd_scan(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_SEVERITY, OPT_FAIL_ON, OPT_IGNORE_UNFIXED, OPT_IGNORE_FILE,
	       OPT_SHOW_SUPPRESSED, OPT_SAVE, OPT_ASSET, OPT_SCAN_STORE, OPT_SCAN_POLICY, OPT_VEX, OPT_ALL_TAGS };
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
		{ "all-tags", no_argument, NULL, OPT_ALL_TAGS },
		{ "save", no_argument, NULL, OPT_SAVE },
		{ "asset", required_argument, NULL, OPT_ASSET },
		{ "store", required_argument, NULL, OPT_SCAN_STORE },
		{ "policy", required_argument, NULL, OPT_SCAN_POLICY },
		DD_CLI_IMAGE_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct job j = { .fmt = DD_REPORT_TABLE, .fail_on = DD_SEV_UNKNOWN };
	const char *output = NULL, *ignore_path = NULL;
	const char *vex_paths[16];
	size_t nvex = 0;
	bool every_tag = false;
	struct dd_err err = { 0 };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (dd_report_format_parse(optarg, DD_REPORT_KIND_SCAN, &j.fmt, &err))
				return dd_cli_usage("scan", "--format: %s", err.msg);
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_DB:
			j.sopts.db_path = optarg;
			break;
		case OPT_SEVERITY:
			if (!parse_sev_list(optarg, &j.show))
				return dd_cli_usage("scan", "--severity '%s': expected a comma-separated "
						    "list of CRITICAL, HIGH, MEDIUM, LOW, NONE, UNKNOWN",
						    optarg);
			break;
		case OPT_FAIL_ON:
			if (!parse_sev(optarg, strlen(optarg), &j.fail_on))
				return dd_cli_usage("scan", "--fail-on '%s': expected one of CRITICAL, "
						    "HIGH, MEDIUM, LOW, NONE, UNKNOWN", optarg);
			j.gate = true;
			break;
		case OPT_IGNORE_UNFIXED:
			j.sopts.ignore_unfixed = true;
			break;
		case OPT_IGNORE_FILE:
			ignore_path = optarg;
			break;
		case OPT_SHOW_SUPPRESSED:
			j.ropts.flags |= DD_REPORT_SUPPRESSED;
			break;
		case OPT_ASSET:
			j.asset = optarg;
			j.save = true; /* an asset means the scan is recorded */
			break;
		case OPT_SAVE:
			j.save = true;
			break;
		case OPT_ALL_TAGS:
			every_tag = true;
			break;
		case OPT_VEX:
			if (nvex == sizeof vex_paths / sizeof *vex_paths)
				return dd_cli_usage("scan", "at most %zu --vex files", nvex);
			vex_paths[nvex++] = optarg;
			break;
		case OPT_SCAN_STORE:
			j.store.url = optarg;
			break;
		case OPT_SCAN_POLICY:
			j.store.policy_path = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return DD_EXIT_OK;
		default:
			if (dd_cli_image_option("scan", c, argv, &j.iopts) <= 0)
				return DD_EXIT_ERROR;
		}
	}
	const char *image = dd_cli_one_image("scan", argc, argv);
	if (!image)
		return DD_EXIT_ERROR;
	if (every_tag && j.asset)
		return dd_cli_usage("scan", "--asset names one asset; with --all-tags each tag is "
				    "recorded as its own (use --save)");
	/* A saved scan closes the asset's findings it no longer finds: one
	 * that left out a kind of package would mark all of theirs fixed, and
	 * --ignore-unfixed would close every finding without a fix, so with
	 * --save it filters the report only, after the whole result is saved. */
	if (j.save && j.sopts.ignore_unfixed) {
		j.sopts.ignore_unfixed = false;
		j.drop_unfixed = true;
	}
	if (j.save && (j.iopts.flags & (DD_IMAGE_OS_ONLY | DD_IMAGE_LANG_ONLY)))
		return dd_cli_usage("scan", "--pkg-types limits the scan, which --save/--asset "
				    "would record as the asset's state (the other packages' findings "
				    "would be marked fixed)");
	if (every_tag && j.fmt != DD_REPORT_TABLE && !output)
		return dd_cli_usage("scan", "--all-tags with --format %s writes one file per tag: "
				    "give the directory with --output DIR", dd_report_format_name(j.fmt));
	if (every_tag && output && !dd_cli_is_dir(output))
		return dd_cli_usage("scan", "--all-tags: --output %s must be an existing directory",
				    output);
	if (!every_tag && dd_cli_check_output(output))
		return DD_EXIT_ERROR;
	/* Read the user's files before the (slow) image, so a typo fails fast. */
	int status = DD_EXIT_ERROR;
	if (ignore_path && dd_ignore_load(ignore_path, &j.ignore, &err)) {
		dd_cli_fail(&err);
		goto out;
	}
	if (load_vex(&j.vex, vex_paths, nvex) || (j.save && dd_cli_store_open(&j.store)))
		goto out;
	j.many = every_tag;
	status = every_tag ? all_tags(&j, image, output) : scan_one(&j, image, output);
out:
	dd_cli_store_close(&j.store);
	dd_arena_free(j.vex.arena);
	dd_ignore_free(j.ignore);
	return status;
}
