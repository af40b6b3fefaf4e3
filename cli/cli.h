/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared pieces of the command-line front end. cli/ includes only
 * include/dd/ and this header. Exit statuses are one table
 * (docs/cli/exit-codes.md): 0 success, 1 the gate failed (findings at or
 * above --fail-on), 2 any error.
 */
#ifndef DD_CLI_H
#define DD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "dd/dd.h"
#include "dd/registry.h"

enum { DD_EXIT_OK = 0, DD_EXIT_GATE = 1, DD_EXIT_ERROR = 2 };

struct dd_command {
	const char *name;
	int (*run)(int argc, char **argv);  /* argv[0] is the command name */
	const char *summary;
};

/* The table in main.c; each cmd_<name>.c defines one run function. */
int cmd_assets(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_findings(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_kb(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_registry(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_scans(int argc, char **argv);
int cmd_vercmp(int argc, char **argv);
int cmd_vex(int argc, char **argv);

/* "drydock: error: <msg>" on stderr; returns DD_EXIT_ERROR. */
int dd_cli_fail(const struct dd_err *err);
/* "drydock: <fmt>" usage error on stderr plus a hint; returns DD_EXIT_ERROR. */
int dd_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Installs the stderr log callback (warnings and errors; debug with -v). */
void dd_cli_log_init(int verbosity);
/* True when stderr is a terminal (progress lines) / stdout (colours). */
bool dd_cli_stderr_tty(void);
bool dd_cli_stdout_tty(void);
/* Opens --output FILE (or stdout for NULL / "-"); reports failure itself. */
FILE *dd_cli_open_output(const char *path);
int dd_cli_close_output(FILE *f, const char *path);

/* Prints warnings on stderr ("drydock: warning: ..."), except when a table
 * report goes to standard output: the table ends with them already. */
void dd_cli_warnings(const char *const *w, size_t n, bool table, const char *output);

/* Options every command that reads an image takes. Put DD_CLI_IMAGE_OPTIONS
 * in the getopt_long table and pass each option to dd_cli_image_option.
 * They include the registry options (below), which set iopts->registry;
 * dd_cli_one_image then reads --password-stdin. */
enum { DD_OPT_PLATFORM = 0x1000, DD_OPT_NO_CACHE, DD_OPT_PKG_TYPES };
#define DD_CLI_IMAGE_OPTIONS                                              \
	{ "platform", required_argument, NULL, DD_OPT_PLATFORM },         \
	{ "no-cache", no_argument, NULL, DD_OPT_NO_CACHE },                \
	{ "pkg-types", required_argument, NULL, DD_OPT_PKG_TYPES },        \
	DD_CLI_REGISTRY_LONGOPTS
/* Handles c when it is an image option or getopt's ':' / '?' (printing the
 * usage error): returns 1 handled, 0 not ours, -1 a usage error (exit 2). */
int dd_cli_image_option(const char *cmd, int c, char **argv, struct dd_image_opts *iopts);
/* The one IMAGE argument left after the options, or NULL (usage printed). */
const char *dd_cli_one_image(const char *cmd, int argc, char **argv);

/* True when path is an existing directory. */
bool dd_cli_is_dir(const char *path);

/* Fails early, before an image is read, when --output FILE cannot be
 * created (its directory is missing); prints why. NULL and "-" are fine. */
int dd_cli_check_output(const char *path);

/* The "layer 2/3" progress line on stderr, only when stderr is a terminal. */
struct dd_cli_progress {
	const char *image;
	bool shown;
};
void dd_cli_progress_start(struct dd_cli_progress *p, const char *image,
			   struct dd_image_opts *iopts);
void dd_cli_progress_end(struct dd_cli_progress *p);

/* Registry options shared by scan, sbom and registry (cli_registry.c,
 * docs/cli/registry.md). Add DD_CLI_REGISTRY_LONGOPTS to a getopt_long
 * table, hand unknown option codes to dd_cli_registry_option (1 handled,
 * 0 not ours, -1 usage error printed), call dd_cli_registry_finish after
 * parsing (reads --password-stdin), pass &r.opts on, release at the end. */
#define DD_CLI_MAX_INSECURE 16
struct dd_cli_registry {
	struct dd_registry_opts opts;
	const char *insecure[DD_CLI_MAX_INSECURE];
	bool password_stdin;
	char password[4096];
};
enum { DD_CLI_OPT_USERNAME = 1000, DD_CLI_OPT_PASSWORD_STDIN, DD_CLI_OPT_CA_FILE,
       DD_CLI_OPT_INSECURE };
#define DD_CLI_REGISTRY_LONGOPTS                                                   \
	{ "username", required_argument, NULL, DD_CLI_OPT_USERNAME },              \
	{ "password-stdin", no_argument, NULL, DD_CLI_OPT_PASSWORD_STDIN },        \
	{ "ca-file", required_argument, NULL, DD_CLI_OPT_CA_FILE },                \
	{ "insecure-registry", required_argument, NULL, DD_CLI_OPT_INSECURE }
int dd_cli_registry_option(struct dd_cli_registry *r, int c, const char *arg, const char *cmd);
int dd_cli_registry_finish(struct dd_cli_registry *r, const char *cmd);
void dd_cli_registry_release(struct dd_cli_registry *r);
/* The one instance the image options of scan and sbom fill (wiped at exit). */
struct dd_cli_registry *dd_cli_registry_shared(void);

#endif
