/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the store commands: see cli_store.h. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

bool dd_cli_store_opt(struct dd_cli_store *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_STORE: c->url = arg; return true;
	case OPT_POLICY: c->policy_path = arg; return true;
	case OPT_FORMAT: c->format = arg; return true;
	case OPT_OUTPUT: c->output = arg; return true;
	}
	return false;
}

int dd_cli_store_open(struct dd_cli_store *c)
{
	struct dd_err err;
	const char *pp = c->policy_path ? c->policy_path : getenv("DRYDOCK_POLICY");
	if (pp && *pp && dd_policy_load(pp, &c->policy, &err) != DD_OK)
		return dd_cli_fail(&err);
	if (dd_store_open(c->url, &c->store, &err) != DD_OK) {
		dd_policy_free(c->policy);
		c->policy = NULL;
		return dd_cli_fail(&err);
	}
	if (c->policy)
		dd_store_set_policy(c->store, c->policy);
	return DD_EXIT_OK;
}

void dd_cli_store_close(struct dd_cli_store *c)
{
	dd_store_close(c->store);
	dd_policy_free(c->policy);
	c->store = NULL;
	c->policy = NULL;
}

int dd_cli_format_json(const struct dd_cli_store *c, const char *cmd, bool *json)
{
	*json = false;
	if (!c->format || strcmp(c->format, "table") == 0)
		return DD_EXIT_OK;
	if (strcmp(c->format, "json") == 0) {
		*json = true;
		return DD_EXIT_OK;
	}
	return dd_cli_usage(cmd, "--format is table or json, not '%s'.", c->format);
}

const char *dd_cli_who(void)
{
	const char *u = getenv("DRYDOCK_USER");
	if (!u || !*u)
		u = getenv("USER");
	return u && *u ? u : "unknown";
}

bool dd_cli_parse_id(const char *s, int64_t *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

bool dd_cli_parse_time(const char *cmd, const char *s, int64_t *out)
{
	struct dd_err err;
	if (dd_time_parse(s, out, &err) == DD_OK)
		return true;
	dd_cli_usage(cmd, "%s", err.msg);
	return false;
}

const char *dd_cli_date(int64_t t, char *buf, size_t n)
{
	if (!t)
		return "-";
	return dd_date_format(t, buf, n);
}

void dd_cli_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}
