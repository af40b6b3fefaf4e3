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

enum { DD_EXIT_OK = 0, DD_EXIT_GATE = 1, DD_EXIT_ERROR = 2 };

struct dd_command {
	const char *name;
	int (*run)(int argc, char **argv);  /* argv[0] is the command name */
	const char *summary;
};

/* The table in main.c; each cmd_<name>.c defines one run function. */
int cmd_help(int argc, char **argv);
int cmd_registry(int argc, char **argv);

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

#endif
