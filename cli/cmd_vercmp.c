/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drydock vercmp: compare two versions, or test a version against a range,
 * in one ecosystem's scheme (include/dd/version.h), one pair at a time or
 * in bulk from stdin. Users debug matches with it; tests and benchmarks
 * use it too. Reference: docs/cli/vercmp.md.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dd/version.h"

int cmd_vercmp(int argc, char **argv);

static void help(FILE *out)
{
	fputs("usage: drydock vercmp [OPTIONS] SCHEME A B\n"
	      "       drydock vercmp [OPTIONS] SCHEME -\n"
	      "       drydock vercmp [OPTIONS] SCHEME --satisfies VERSION RANGE\n"
	      "       drydock vercmp [OPTIONS] SCHEME --satisfies -\n"
	      "       drydock vercmp --list\n"
	      "\n"
	      "Compares versions as the ecosystem's own tool does. Prints -1, 0 or 1\n"
	      "(A < B, A = B, A > B); with --satisfies prints true or false.\n"
	      "With '-', reads lines A<TAB>B (or VERSION<TAB>RANGE) from stdin and prints\n"
	      "one result per line, or 'error: REASON' for a line it cannot answer.\n"
	      "\n"
	      "SCHEME is a scheme name (see --list), an OSV ecosystem (Debian, PyPI, ...)\n"
	      "or a purl type (deb, pypi, ...).\n"
	      "\n"
	      "Options:\n"
	      "  --satisfies          test VERSION against RANGE in the scheme's syntax\n"
	      "  --include-prerelease npm/semver ranges: prereleases match any range\n"
	      "  --build              semver/npm: order by build metadata after precedence\n"
	      "  --list               list the schemes and exit\n"
	      "  -h, --help           show this help\n"
	      "\n"
	      "Exit status: 0 answered (in bulk: every line), 2 an error (invalid version\n"
	      "or range, unknown scheme, usage; in bulk: at least one line was an error).\n",
	      out);
}

static const struct dd_version_scheme *scheme_arg(const char *name)
{
	const struct dd_version_scheme *s = dd_version_scheme_find(name);
	if (!s)
		s = dd_version_scheme_for_ecosystem(name);
	if (!s)
		s = dd_version_scheme_for_purl_type(name);
	return s;
}

/* One answer into out; false with the reason in err. */
static bool answer(const struct dd_version_scheme *s, bool sat, unsigned flags, const char *a,
		   size_t an, const char *b, size_t bn, const char **out, struct dd_err *err)
{
	if (sat) {
		bool ok = false;
		if (dd_version_satisfies_n(s, a, an, b, bn, flags, &ok, err) != DD_OK)
			return false;
		*out = ok ? "true" : "false";
		return true;
	}
	int c = 0;
	if (dd_version_compare_n(s, a, an, b, bn, flags, &c, err) != DD_OK)
		return false;
	*out = c < 0 ? "-1" : c > 0 ? "1" : "0";
	return true;
}

/* Bulk mode: bounded line reader (a line longer than two maximal versions
 * is reported, never buffered whole). */
static int bulk(const struct dd_version_scheme *s, bool sat, unsigned flags)
{
	enum { LINE_MAX_BYTES = 2 * DD_VERSION_MAX_BYTES + 2 };
	static char line[LINE_MAX_BYTES + 1];
	int status = DD_EXIT_OK;
	for (;;) {
		size_t n = 0;
		bool too_long = false;
		int c;
		while ((c = getchar()) != EOF && c != '\n') {
			if (n < LINE_MAX_BYTES)
				line[n++] = (char)c;
			else
				too_long = true;
		}
		if (c == EOF && n == 0 && !too_long)
			break;
		struct dd_err err = { 0 };
		const char *res = NULL;
		char *tab = memchr(line, '\t', n);
		if (too_long)
			dd_err_set(&err, DD_ELIMIT, "line longer than %d bytes", LINE_MAX_BYTES);
		else if (!tab)
			dd_err_set(&err, DD_EINVAL, "line has no TAB between the two fields");
		else
			answer(s, sat, flags, line, (size_t)(tab - line), tab + 1,
			       n - (size_t)(tab - line) - 1, &res, &err);
		if (res) {
			puts(res);
		} else {
			printf("error: %s\n", err.msg);
			status = DD_EXIT_ERROR;
		}
		if (c == EOF)
			break;
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		return DD_EXIT_ERROR;
	return status;
}

int cmd_vercmp(int argc, char **argv)
{
	bool sat = false;
	unsigned flags = 0;
	char *pos[4];
	int npos = 0;
	bool opts_done = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!opts_done && a[0] == '-' && a[1] == '-' && a[2] == '\0') {
			opts_done = true;
		} else if (!opts_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			help(stdout);
			return DD_EXIT_OK;
		} else if (!opts_done && !strcmp(a, "--list")) {
			const struct dd_version_scheme *s;
			for (size_t k = 0; (s = dd_version_scheme_at(k)); k++)
				printf("%-9s %s\n", dd_version_scheme_name(s), dd_version_scheme_summary(s));
			return DD_EXIT_OK;
		} else if (!opts_done && !strcmp(a, "--satisfies")) {
			sat = true;
		} else if (!opts_done && !strcmp(a, "--include-prerelease")) {
			flags |= DD_VERSION_INCLUDE_PRERELEASE;
		} else if (!opts_done && !strcmp(a, "--build")) {
			flags |= DD_VERSION_COMPARE_BUILD;
		} else if (!opts_done && a[0] == '-' && a[1] != '\0') {
			return dd_cli_usage("vercmp", "unknown option '%s'.", a);
		} else {
			if (npos == 3)
				return dd_cli_usage("vercmp", "too many arguments.");
			pos[npos++] = argv[i];
		}
	}
	if (npos == 0)
		return dd_cli_usage("vercmp", "missing SCHEME.");
	const struct dd_version_scheme *s = scheme_arg(pos[0]);
	if (!s)
		return dd_cli_usage("vercmp", "unknown version scheme '%s' (see --list).", pos[0]);
	if (npos == 2 && !strcmp(pos[1], "-"))
		return bulk(s, sat, flags);
	if (npos != 3)
		return dd_cli_usage("vercmp", sat ? "--satisfies needs VERSION and RANGE (or -)."
						   : "needs two versions A B (or -).");
	struct dd_err err = { 0 };
	const char *res = NULL;
	if (!answer(s, sat, flags, pos[1], strlen(pos[1]), pos[2], strlen(pos[2]), &res, &err))
		return dd_cli_fail(&err);
	puts(res);
	return DD_EXIT_OK;
}
