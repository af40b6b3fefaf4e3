/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `drydock db import|update|status|sources`: build and inspect the
 * vulnerability database (include/dd/vulndb.h; docs/cli/db.md is the
 * user's page and matches the help text below).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dd/vulndb.h"

static const char usage_text[] =
	"usage: drydock db import [--db PATH] PATH...\n"
	"       drydock db update [--db PATH] [--mirror URL] [--source NAME[,NAME...]]\n"
	"                         [--cache DIR] [--retries N]\n"
	"       drydock db status [--db PATH] [--max-age DAYS]\n"
	"       drydock db sources\n"
	"\n"
	"Builds and inspects the vulnerability database (one SQLite file).\n"
	"\n"
	"  import PATH...   import feeds from files, directories or archives (tar, zip,\n"
	"                   gzip); each file's format is detected: OSV (JSON, YAML),\n"
	"                   Alpine secdb, Debian security tracker JSON, DSA/DLA lists,\n"
	"                   NVD (API 2.0 and 1.1 JSON), CISA KEV, EPSS CSV\n"
	"  update           download every source (or --source ones) from upstream or\n"
	"                   --mirror, build a new database beside the old one and swap\n"
	"                   it in; a failed update keeps the old database\n"
	"  status           schema, build time, record counts and sources; warns when\n"
	"                   the database is older than --max-age days (default 7,\n"
	"                   or $DRYDOCK_DB_MAX_AGE)\n"
	"  sources          the sources update knows, with their upstream URLs\n"
	"\n"
	"Options:\n"
	"  --db PATH        the database (default $DRYDOCK_DB, else\n"
	"                   $XDG_DATA_HOME/drydock/vuln.db or ~/.local/share/drydock/vuln.db)\n"
	"  --mirror URL     base URL serving the mirror layout (docs/cli/db.md)\n"
	"  --source LIST    comma-separated source names (see 'drydock db sources')\n"
	"  --cache DIR      download cache (default: <db dir>/cache)\n"
	"  --retries N      extra attempts per download (default 3)\n"
	"  --max-age DAYS   staleness threshold for status\n"
	"  -v, --verbose    more log output\n"
	"\n"
	"Exit status: 0 success, 2 error (the update failed: the old database is kept).\n";

struct db_opts {
	char *db;
	const char *mirror, *cache, *sources;
	unsigned retries;
	double max_age;
	int verbose;
};

static void print_stats(const struct dd_vulndb_import_stats *s)
{
	for (size_t i = 0; i < s->nper; i++)
		printf("  %-15s %6llu files %9llu records %6llu skipped\n", s->per[i].importer,
		       (unsigned long long)s->per[i].files, (unsigned long long)s->per[i].records,
		       (unsigned long long)s->per[i].skipped);
	printf("total: %llu records, %llu skipped; %llu files not recognised, %llu failed\n",
	       (unsigned long long)s->records, (unsigned long long)s->skipped,
	       (unsigned long long)s->files_unrecognised, (unsigned long long)s->files_failed);
}

static int do_import(struct db_opts *o, int n, char **paths)
{
	if (n == 0)
		return dd_cli_usage("db", "db import: name at least one file, directory or archive.");
	struct dd_vulndb_import_stats st;
	struct dd_err err;
	dd_err_clear(&err);
	dd_code rc = dd_vulndb_import(o->db, (const char *const *)paths, (size_t)n, DD_VULNDB_CREATE, &st, &err);
	if (rc) {
		dd_cli_fail(&err);
		fprintf(stderr, "drydock: nothing was imported; the database is unchanged\n");
		return DD_EXIT_ERROR;
	}
	print_stats(&st);
	return DD_EXIT_OK;
}

static size_t split_sources(char *list, const char **out, size_t max)
{
	size_t n = 0;
	for (char *p = list; p && *p && n < max;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p)
			out[n++] = p;
		p = comma ? comma + 1 : NULL;
	}
	return n;
}

static int do_update(struct db_opts *o)
{
	const char *names[32];
	char *list = o->sources ? strdup(o->sources) : NULL;
	size_t nnames = list ? split_sources(list, names, 32) : 0;
	struct dd_vulndb_update_opts uo = {
		.db_path = o->db,
		.cache_dir = o->cache,
		.mirror = o->mirror,
		.sources = nnames ? names : NULL,
		.nsources = nnames,
		.retries = o->retries,
		.retry_delay_ms = 500,
	};
	const char *delay = getenv("DRYDOCK_RETRY_DELAY_MS");
	if (delay && *delay)
		uo.retry_delay_ms = (unsigned)strtoul(delay, NULL, 10);
	struct dd_vulndb_update_result res;
	struct dd_err err;
	dd_err_clear(&err);
	dd_code rc = dd_vulndb_update(&uo, &res, &err);
	free(list);
	if (rc) {
		dd_cli_fail(&err);
		if (res.kept_old)
			fprintf(stderr, "drydock: update failed; the previous database is still in place\n");
		return DD_EXIT_ERROR;
	}
	printf("downloaded %u files, %u not modified, %u missing on the server\n", res.downloaded,
	       res.not_modified, res.missing);
	print_stats(&res.import);
	return DD_EXIT_OK;
}

static int do_status(struct db_opts *o)
{
	struct dd_vulndb *db;
	struct dd_err err;
	dd_err_clear(&err);
	if (dd_vulndb_open(o->db, &db, &err) != DD_OK)
		return dd_cli_fail(&err);
	struct dd_arena *a = dd_vulndb_arena_new();
	struct dd_vulndb_info info;
	dd_code rc = a ? dd_vulndb_info(db, a, &info, &err) : dd_err_set(&err, DD_ENOMEM, "out of memory");
	if (rc) {
		dd_vulndb_arena_free(a);
		dd_vulndb_close(db);
		return dd_cli_fail(&err);
	}
	printf("database:   %s\n", o->db);
	printf("schema:     %d\n", info.schema);
	printf("built:      %s\n", info.built_at ? info.built_at : "unknown");
	printf("updated:    %s\n", info.updated_at ? info.updated_at : "never");
	printf("advisories: %lld\n", (long long)info.advisories);
	printf("affected:   %lld\n", (long long)info.affected);
	printf("kev:        %lld\n", (long long)info.kev);
	printf("epss:       %lld\n", (long long)info.epss);
	printf("sources:\n");
	for (size_t i = 0; i < info.nsources; i++) {
		const struct dd_vulndb_source *s = &info.sources[i];
		printf("  %-15s %9lld records %6lld skipped  %s  %s\n", s->name, (long long)s->records,
		       (long long)s->skipped, s->imported_at ? s->imported_at : "-", s->location ? s->location : "-");
	}
	double age = dd_vulndb_age_days(info.updated_at ? info.updated_at : info.built_at);
	if (age >= 0 && age >= o->max_age)
		fprintf(stderr,
			"drydock: warning: the vulnerability database was last updated %.1f days ago (the"
			" limit is %g): run 'drydock db update'; scans still run\n",
			age, o->max_age);
	dd_vulndb_arena_free(a);
	dd_vulndb_close(db);
	return DD_EXIT_OK;
}

static int do_sources(void)
{
	size_t n;
	const struct dd_vulndb_feed *f = dd_vulndb_feeds(&n);
	for (size_t i = 0; i < n; i++) {
		printf("%s: %s\n", f[i].name, f[i].description);
		for (size_t k = 0; k < f[i].nfiles; k++)
			printf("  %-45s %s\n", f[i].files[k].path, f[i].files[k].url);
	}
	return DD_EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },      { "mirror", required_argument, NULL, 'm' },
		{ "source", required_argument, NULL, 's' },  { "cache", required_argument, NULL, 'c' },
		{ "retries", required_argument, NULL, 'r' }, { "max-age", required_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },       { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? DD_EXIT_ERROR : DD_EXIT_OK;
	}
	const char *sub = argv[1];
	struct db_opts o = { .retries = 3, .max_age = 7 };
	const char *env_age = getenv("DRYDOCK_DB_MAX_AGE");
	if (env_age && *env_age)
		o.max_age = strtod(env_age, NULL);
	const char *dbopt = NULL;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc - 1, argv + 1, "vh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'd': dbopt = optarg; break;
		case 'm': o.mirror = optarg; break;
		case 's': o.sources = optarg; break;
		case 'c': o.cache = optarg; break;
		case 'r':
			errno = 0;
			o.retries = (unsigned)strtoul(optarg, &end, 10);
			if (*end || errno || o.retries > 20)
				return dd_cli_usage("db", "--retries wants a number from 0 to 20, not '%s'.", optarg);
			break;
		case 'a':
			o.max_age = strtod(optarg, &end);
			if (*end || o.max_age < 0)
				return dd_cli_usage("db", "--max-age wants a number of days, not '%s'.", optarg);
			break;
		case 'v': o.verbose++; break;
		case 'h': fputs(usage_text, stdout); return DD_EXIT_OK;
		default:
			return dd_cli_usage("db", "db %s: unknown or incomplete option '%s'.", sub,
					    argv[optind] ? argv[optind] : "?");
		}
	}
	dd_cli_log_init(o.verbose);
	struct dd_err err;
	dd_err_clear(&err);
	o.db = dbopt ? strdup(dbopt) : dd_vulndb_default_path(&err);
	if (!o.db)
		return dd_cli_fail(&err);
	int n = argc - 1 - optind;
	char **rest = argv + 1 + optind;
	int status;
	if (strcmp(sub, "import") == 0) {
		status = do_import(&o, n, rest);
	} else if (n > 0) {
		status = dd_cli_usage("db", "db %s takes no arguments ('%s').", sub, rest[0]);
	} else if (strcmp(sub, "update") == 0) {
		status = do_update(&o);
	} else if (strcmp(sub, "status") == 0) {
		status = do_status(&o);
	} else if (strcmp(sub, "sources") == 0) {
		status = do_sources();
	} else {
		status = dd_cli_usage("db", "'%s' is not a db command (import, update, status, sources).", sub);
	}
	free(o.db);
	return status;
}
