/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Suppressions applied to a scan result before it is reported and gated:
 * an ignore file (YAML, docs/cli/scan.md "Ignore file") and VEX statements.
 * A suppressed finding stays in the result with `suppressed` saying why (the
 * JSON report shows it); the table hides it and the gate does not count it.
 */
#ifndef DD_SUPPRESS_H
#define DD_SUPPRESS_H

#include <stddef.h>
#include <time.h>

#include "dd/err.h"
#include "dd/scan.h"

struct dd_ignore_rule {
	const char *id;          /* the finding's id or any alias */
	const char *package;     /* NULL, a package name, or a purl (pkg:...) */
	const char **paths;      /* NULL, or globs the package's location must match */
	size_t npaths;
	const char *reason;
	const char *expires;     /* "YYYY-MM-DD" as written, NULL for never */
	time_t expires_at;       /* end of that day, UTC */
	unsigned line;           /* where the entry starts, for messages */
};

struct dd_ignore {
	const char *file;
	struct dd_ignore_rule *rules;
	size_t nrules;
	struct dd_arena *arena;
};

/* Reads an ignore file. DD_EINVAL names the file, line and column of the
 * first problem (unknown key, missing id or reason, bad date); DD_ELIMIT
 * past DD_LIMIT_USER_FILE_BYTES. */
dd_code dd_ignore_load(const char *path, struct dd_ignore **out, struct dd_err *err);
/* The same from memory; name is used in messages. */
dd_code dd_ignore_parse(const char *data, size_t n, const char *name, struct dd_ignore **out,
			struct dd_err *err);
void dd_ignore_free(struct dd_ignore *ig);

/* Marks findings an unexpired rule matches as suppressed; every expired rule
 * that would have matched adds a warning to the result ("... expired on
 * DATE: no longer suppressed"). Expiry is judged by the library clock
 * (DRYDOCK_NOW overrides it). */
void dd_ignore_apply(const struct dd_ignore *ig, struct dd_scan_result *r);

#endif
