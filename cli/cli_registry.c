/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Registry options shared by scan, sbom and registry: --username,
 * --password-stdin, --ca-file, --insecure-registry (docs/cli/registry.md).
 * A password is only ever read from standard input, kept in one static-size
 * buffer, and wiped by dd_cli_registry_release.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int dd_cli_registry_option(struct dd_cli_registry *r, int c, const char *arg, const char *cmd)
{
	switch (c) {
	case DD_CLI_OPT_USERNAME:
		r->opts.username = arg;
		return 1;
	case DD_CLI_OPT_PASSWORD_STDIN:
		r->password_stdin = true;
		return 1;
	case DD_CLI_OPT_CA_FILE:
		r->opts.ca_file = arg;
		return 1;
	case DD_CLI_OPT_INSECURE:
		if (r->opts.ninsecure == DD_CLI_MAX_INSECURE) {
			dd_cli_usage(cmd, "at most %d --insecure-registry hosts", DD_CLI_MAX_INSECURE);
			return -1;
		}
		r->insecure[r->opts.ninsecure++] = arg;
		r->opts.insecure = r->insecure;
		return 1;
	default:
		return 0;
	}
}

int dd_cli_registry_finish(struct dd_cli_registry *r, const char *cmd)
{
	if (r->password_stdin && !r->opts.username) {
		dd_cli_usage(cmd, "--password-stdin needs --username");
		return DD_EXIT_ERROR;
	}
	if (r->opts.username && !r->password_stdin) {
		dd_cli_usage(cmd, "--username needs --password-stdin (passwords are never taken "
			     "on the command line)");
		return DD_EXIT_ERROR;
	}
	if (r->password_stdin) {
		if (!fgets(r->password, sizeof r->password, stdin)) {
			fputs("drydock: error: --password-stdin: nothing on standard input\n", stderr);
			return DD_EXIT_ERROR;
		}
		r->password[strcspn(r->password, "\r\n")] = '\0';
		r->opts.password = r->password;
	}
	return DD_EXIT_OK;
}

void dd_cli_registry_release(struct dd_cli_registry *r)
{
	explicit_bzero(r->password, sizeof r->password);
}

static struct dd_cli_registry shared;

static void wipe_shared(void)
{
	dd_cli_registry_release(&shared);
}

struct dd_cli_registry *dd_cli_registry_shared(void)
{
	static bool registered;
	if (!registered) {
		registered = atexit(wipe_shared) == 0;
	}
	return &shared;
}
