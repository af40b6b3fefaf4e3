/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the store commands (assets, scans, findings, kb, vex, metrics,
 * report) share: opening the store named by --store / DRYDOCK_STORE / the
 * data directory with the policy from --policy / DRYDOCK_POLICY, who is
 * acting (DRYDOCK_USER, else USER), and number and date arguments.
 */
#ifndef DD_CLI_STORE_H
#define DD_CLI_STORE_H

#include <stdint.h>

#include "cli.h"
#include "dd/policy.h"
#include "dd/store.h"


/* The long options every store command takes (getopt_long values). */
enum { OPT_STORE = 1000, OPT_POLICY, OPT_FORMAT, OPT_OUTPUT };
#define DD_CLI_STORE_OPTIONS                                                        \
	{ "store", required_argument, NULL, OPT_STORE },                            \
	{ "policy", required_argument, NULL, OPT_POLICY },                          \
	{ "format", required_argument, NULL, OPT_FORMAT },                          \
	{ "output", required_argument, NULL, OPT_OUTPUT },                          \
	{ "help", no_argument, NULL, 'h' }

struct dd_cli_store {
	const char *url, *policy_path, *format, *output;
	struct dd_store *store;
	struct dd_policy *policy;
};

/* Handles the shared options; returns true when opt was one of them. */
bool dd_cli_store_opt(struct dd_cli_store *c, int opt, const char *arg);
/* Opens the store and policy; prints the error and returns DD_EXIT_ERROR. */
int dd_cli_store_open(struct dd_cli_store *c);
void dd_cli_store_close(struct dd_cli_store *c);
/* True for --format json; false for table; usage error otherwise. */
int dd_cli_format_json(const struct dd_cli_store *c, const char *cmd, bool *json);
const char *dd_cli_who(void);
bool dd_cli_parse_id(const char *s, int64_t *out);
/* A date/time argument (RFC 3339 or YYYY-MM-DD); prints the error. */
bool dd_cli_parse_time(const char *cmd, const char *s, int64_t *out);
/* A JSON string literal (quoted, escaped), or null. */
void dd_cli_json_str(FILE *f, const char *s);
/* "2026-03-02" or "-". */
const char *dd_cli_date(int64_t t, char *buf, size_t n);

#endif
