/* SPDX-License-Identifier: Apache-2.0 */
/* Error printing, logging and output files shared by every command. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <unistd.h>

#include "cli.h"

int dd_cli_fail(const struct dd_err *err)
{
	fprintf(stderr, "drydock: error: %s\n", err->msg[0] ? err->msg : dd_code_str(err->code));
	return DD_EXIT_ERROR;
}

int dd_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("drydock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'drydock %s --help'.\n", cmd);
	else
		fputs("\nTry 'drydock --help'.\n", stderr);
	return DD_EXIT_ERROR;
}

static int log_verbosity;

static void log_to_stderr(enum dd_log_level level, const char *msg, void *ud)
{
	(void)ud;
	static const char *names[] = { "error", "warning", "info", "debug" };
	if ((int)level > DD_LOG_WARN + log_verbosity)
		return;
	fprintf(stderr, "drydock: %s: %s\n", names[level], msg);
}

void dd_cli_log_init(int verbosity)
{
	log_verbosity = verbosity;
	dd_log_set(log_to_stderr, NULL);
}

bool dd_cli_stderr_tty(void)
{
	return isatty(STDERR_FILENO);
}

bool dd_cli_stdout_tty(void)
{
	return isatty(STDOUT_FILENO);
}

FILE *dd_cli_open_output(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "drydock: error: %s: %s\n", path, strerror(errno));
	return f;
}

int dd_cli_close_output(FILE *f, const char *path)
{
	int bad = ferror(f);
	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "drydock: error: writing %s: %s\n", path ? path : "standard output",
			strerror(errno));
		return DD_EXIT_ERROR;
	}
	return DD_EXIT_OK;
}

int dd_cli_check_output(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return DD_EXIT_OK;
	char copy[4096];
	snprintf(copy, sizeof copy, "%s", path);
	const char *dir = dirname(copy);
	struct stat st;
	if (stat(dir, &st) != 0) {
		fprintf(stderr, "drydock: error: --output %s: directory %s: %s\n", path, dir,
			strerror(errno));
		return DD_EXIT_ERROR;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "drydock: error: --output %s: %s is not a directory\n", path, dir);
		return DD_EXIT_ERROR;
	}
	return DD_EXIT_OK;
}

static void on_progress(void *ud, unsigned done, unsigned total, const char *what)
{
	struct dd_cli_progress *p = ud;
	fprintf(stderr, "\r\033[Kdrydock: %s: layer %u/%u%s%s", p->image, done, total,
		what ? " " : "", what ? what : "");
	fflush(stderr);
	p->shown = true;
}

void dd_cli_progress_start(struct dd_cli_progress *p, const char *image,
			   struct dd_image_opts *iopts)
{
	p->image = image;
	p->shown = false;
	if (dd_cli_stderr_tty()) {
		iopts->progress = on_progress;
		iopts->progress_ud = p;
	}
}

void dd_cli_progress_end(struct dd_cli_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

void dd_cli_warnings(const char *const *w, size_t n, bool table, const char *output)
{
	if (table && (!output || !strcmp(output, "-")))
		return;
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "drydock: warning: %s\n", w[i]);
}

int dd_cli_image_option(const char *cmd, int c, char **argv, struct dd_image_opts *iopts)
{
	switch (c) {
	case DD_OPT_PLATFORM:
		if (!*optarg || optarg[0] == '/' || !strchr(optarg, '/')) {
			dd_cli_usage(cmd, "--platform '%s': expected os/arch[/variant]", optarg);
			return -1;
		}
		iopts->platform = optarg;
		return 1;
	case DD_OPT_NO_CACHE:
		iopts->flags |= DD_IMAGE_NO_CACHE;
		return 1;
	case DD_OPT_PKG_TYPES: {
		/* Trivy's names: os (dpkg, apk, rpm), library (the languages). */
		bool os = false, lib = false;
		const char *p = optarg;
		while (*p) {
			size_t n = strcspn(p, ",");
			if (n == 2 && !strncmp(p, "os", 2))
				os = true;
			else if (n == 7 && !strncmp(p, "library", 7))
				lib = true;
			else {
				dd_cli_usage(cmd, "--pkg-types '%s': expected os, library or os,library",
					     optarg);
				return -1;
			}
			p += n + (p[n] == ',');
		}
		if (!os && !lib) {
			dd_cli_usage(cmd, "--pkg-types '%s': expected os, library or os,library", optarg);
			return -1;
		}
		iopts->flags &= ~(unsigned)(DD_IMAGE_OS_ONLY | DD_IMAGE_LANG_ONLY);
		if (!lib)
			iopts->flags |= DD_IMAGE_OS_ONLY;
		if (!os)
			iopts->flags |= DD_IMAGE_LANG_ONLY;
		return 1;
	}
	case DD_CLI_OPT_USERNAME:
	case DD_CLI_OPT_PASSWORD_STDIN:
	case DD_CLI_OPT_CA_FILE:
	case DD_CLI_OPT_INSECURE:
		iopts->registry = &dd_cli_registry_shared()->opts;
		return dd_cli_registry_option(dd_cli_registry_shared(), c, optarg, cmd);
	case ':':
		dd_cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
		return -1;
	case '?':
		dd_cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		return -1;
	}
	return 0;
}

const char *dd_cli_one_image(const char *cmd, int argc, char **argv)
{
	if (dd_cli_registry_finish(dd_cli_registry_shared(), cmd))
		return NULL;
	if (optind >= argc) {
		dd_cli_usage(cmd, "missing IMAGE");
		return NULL;
	}
	if (optind + 1 < argc) {
		dd_cli_usage(cmd, "one IMAGE only; unexpected '%s'", argv[optind + 1]);
		return NULL;
	}
	return argv[optind];
}

bool dd_cli_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
