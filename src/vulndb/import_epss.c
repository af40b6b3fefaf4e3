/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EPSS scores (FIRST, https://www.first.org/epss/data_stats): a CSV,
 * usually gzipped (epss_scores-YYYY-MM-DD.csv.gz, ~250k rows):
 *   #model_version:v2023.03.01,score_date:2023-04-01T00:00:00+0000
 *   cve,epss,percentile
 *   CVE-1999-0001,0.01141,0.83326
 * Older files have no comment line. The file is a snapshot for one date:
 * the table is emptied when its first row arrives. Bad rows are skipped and
 * counted; only the first few are named in the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/vdb.h"

static int probe(const char *name, const unsigned char *h, size_t n)
{
	(void)name;
	if (n >= 15 && memcmp(h, "#model_version:", 15) == 0)
		return 100;
	if (n >= 19 && memcmp(h, "cve,epss,percentile", 19) == 0)
		return 100;
	return 0;
}

struct epss_state {
	struct vdb_ctx *c;
	char date[16];
	bool header, cleared;
	unsigned long rows, logged;
};

static bool fraction(const char *s, double *out)
{
	char *end;
	double d = strtod(s, &end);
	if (end == s || *end || !(d >= 0 && d <= 1))
		return false;
	*out = d;
	return true;
}

static void bad(struct epss_state *st, unsigned long no, const char *why)
{
	struct vdb_ctx *c = st->c;
	if (st->logged++ < 10) {
		vdb_skip(c, no - 1, NULL, "line %lu: %s", no, why);
	} else {
		c->skipped++;
	}
}

static dd_code line(void *ud, unsigned long no, const char *s, size_t len, struct dd_err *err)
{
	struct epss_state *st = ud;
	struct vdb_ctx *c = st->c;
	if (no == 0)
		return DD_OK;
	if (!s) {
		bad(st, no, "line too long");
		return DD_OK;
	}
	if (len == 0)
		return DD_OK;
	if (s[0] == '#') {
		const char *d = strstr(s, "score_date:");
		if (d && strlen(d + 11) >= 10)
			snprintf(st->date, sizeof st->date, "%.10s", d + 11);
		return DD_OK;
	}
	if (!st->header && strncmp(s, "cve,", 4) == 0) {
		st->header = true;
		return DD_OK;
	}
	char row[256];
	if (len >= sizeof row || memchr(s, '\0', len)) {
		bad(st, no, "not a CVE row");
		return DD_OK;
	}
	memcpy(row, s, len + 1);
	char *c1 = strchr(row, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	if (!c1 || !c2 || strncmp(row, "CVE-", 4) != 0) {
		bad(st, no, "not a CVE row");
		return DD_OK;
	}
	*c1 = *c2 = '\0';
	char *c3 = strchr(c2 + 1, ',');
	if (c3)
		*c3 = '\0'; /* later columns, if EPSS adds any */
	double score, pct;
	if (!fraction(c1 + 1, &score) || !fraction(c2 + 1, &pct)) {
		bad(st, no, "score or percentile is not a number in [0, 1]");
		return DD_OK;
	}
	dd_code rc = DD_OK;
	if (!st->cleared) {
		rc = vdb_exec(c->w, "DELETE FROM epss", err);
		st->cleared = true;
	}
	if (rc == DD_OK)
		rc = vdb_put_epss(c->w, row, score, pct, st->date[0] ? st->date : NULL, err);
	if (rc == DD_OK)
		c->records++;
	return rc;
}

static dd_code import(struct vdb_ctx *c, const struct vdb_input *in, struct dd_err *err)
{
	struct epss_state st = { .c = c };
	return vdb_lines(in, line, &st, err);
}

const struct vdb_importer vdb_import_epss = { "epss", probe, import };
