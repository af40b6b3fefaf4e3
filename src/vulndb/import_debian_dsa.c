/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Debian DSA and DLA lists: the security tracker's data/DSA/list and
 * data/DLA/list (salsa.debian.org/security-tracker-team/security-tracker),
 * plain or gzipped. One entry per advisory:
 *   [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *   	{CVE-2023-1393}
 *   	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *   	[buster] - foo <end-of-life>
 *   	NOTE: free text
 * Each CVE of the entry gets one affected row per release line (the
 * package is the source package), aliased to the DSA/DLA id; an entry
 * without CVEs ("regression update") is stored under its own id. States in
 * angle brackets map as in the tracker: <not-affected>, <end-of-life>,
 * <unfixed>/<postponed> (affected), <no-dsa>/<ignored> (will-not-fix).
 * The file is a snapshot: rows of the same list (debian-dsa or debian-dla)
 * from an earlier import are replaced.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/limits.h"
#include "vulndb/vdb.h"

#define MAX_IDS 1024
#define MAX_RELEASES 256

struct dsa_state {
	struct vdb_ctx *c;
	struct dd_buf entry;      /* the current entry's lines, '\n'-separated */
	unsigned long index;      /* entries seen */
	unsigned long line;       /* line number of the entry's header */
	bool cleared_dsa, cleared_dla, too_long;
	struct dd_buf range;
};

static int probe(const char *name, const unsigned char *h, size_t n)
{
	(void)name;
	/* "[dd Mon yyyy] DSA-" on the first line. */
	if (n < 20 || h[0] != '[')
		return 0;
	const unsigned char *close = memchr(h, ']', n < 20 ? n : 20);
	if (!close || (size_t)(close - h) + 6 > n)
		return 0;
	if (memcmp(close + 1, " DSA-", 5) == 0 || memcmp(close + 1, " DLA-", 5) == 0 ||
	    memcmp(close + 1, " DTSA-", 6) == 0)
		return 100;
	return 0;
}

static const char *month_num(const char *m)
{
	static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static const char *const nums[] = { "01", "02", "03", "04", "05", "06",
					    "07", "08", "09", "10", "11", "12" };
	for (int i = 0; i < 12; i++)
		if (strncmp(m, names[i], 3) == 0)
			return nums[i];
	return NULL;
}

static void trim(char **s)
{
	while (**s && isspace((unsigned char)**s))
		(*s)++;
	char *e = *s + strlen(*s);
	while (e > *s && isspace((unsigned char)e[-1]))
		*--e = '\0';
}

struct rel {
	char ns[96];
	char *pkg, *what;
};

/* "[bullseye] - xorg-server 2:1.20.11-1+deb11u6 (note)" */
static bool parse_release(char *s, struct rel *r)
{
	if (*s != '[')
		return false;
	char *close = strchr(s, ']');
	if (!close || close == s + 1)
		return false;
	*close = '\0';
	const char *num = vdb_debian_release(s + 1);
	snprintf(r->ns, sizeof r->ns, "debian:%.80s", num ? num : s + 1);
	char *p = close + 1;
	trim(&p);
	if (*p != '-')
		return false;
	p++;
	trim(&p);
	r->pkg = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	if (!*p)
		return false;
	*p++ = '\0';
	trim(&p);
	r->what = p;
	/* Version or <state>, then an optional "(comment)". */
	char *end = r->what;
	while (*end && !isspace((unsigned char)*end))
		end++;
	*end = '\0';
	return *r->pkg && *r->what;
}

static enum dd_vulndb_status state_of(const char *w)
{
	if (w[0] != '<')
		return DD_VULNDB_FIXED;
	if (strcmp(w, "<not-affected>") == 0)
		return DD_VULNDB_NOT_AFFECTED;
	if (strcmp(w, "<end-of-life>") == 0)
		return DD_VULNDB_END_OF_LIFE;
	if (strcmp(w, "<unfixed>") == 0 || strcmp(w, "<postponed>") == 0)
		return DD_VULNDB_AFFECTED;
	if (strcmp(w, "<no-dsa>") == 0 || strcmp(w, "<ignored>") == 0)
		return DD_VULNDB_WONT_FIX;
	return DD_VULNDB_UNDETERMINED;
}

static dd_code flush(struct dsa_state *st, struct dd_err *err)
{
	struct vdb_ctx *c = st->c;
	if (!st->entry.len)
		return DD_OK;
	unsigned long idx = st->index++;
	if (st->too_long) {
		vdb_skip(c, idx, NULL, "entry at line %lu is too long", st->line);
		return DD_OK;
	}
	char *text = st->entry.data;
	char *nl = strchr(text, '\n');
	char *rest = nl ? nl + 1 : text + strlen(text);
	if (nl)
		*nl = '\0';
	/* Header: "[29 Mar 2023] DSA-5380-1 xorg-server - security update" */
	int day, year;
	char mon[4], id[64];
	int used = 0;
	if (sscanf(text, "[%2d %3s %4d] %63s %n", &day, mon, &year, id, &used) < 4 || used == 0 ||
	    !month_num(mon) || (strncmp(id, "DSA-", 4) != 0 && strncmp(id, "DLA-", 4) != 0 &&
				strncmp(id, "DTSA-", 5) != 0)) {
		vdb_skip(c, idx, NULL, "line %lu: not an advisory header", st->line);
		return DD_OK;
	}
	char date[16];
	snprintf(date, sizeof date, "%04d-%s-%02d", year % 10000, month_num(mon), day % 100);
	char *summary = text + used;
	trim(&summary);
	const char *source = strncmp(id, "DLA-", 4) == 0 ? "debian-dla" : "debian-dsa";
	bool *cleared = source[8] == 'l' ? &st->cleared_dla : &st->cleared_dsa;
	dd_code rc = DD_OK;
	if (!*cleared) {
		rc = vdb_clear_source(c->w, source, err);
		*cleared = true;
	}
	const char *ids[MAX_IDS];
	size_t nids = 0;
	struct rel rels[MAX_RELEASES];
	size_t nrels = 0;
	for (char *line = rest; line && *line && rc == DD_OK;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		trim(&line);
		if (*line == '{') {
			char *close = strchr(line, '}');
			if (close)
				*close = '\0';
			for (char *t = line + 1; *t;) {
				while (*t && isspace((unsigned char)*t))
					t++;
				char *s = t;
				while (*t && !isspace((unsigned char)*t))
					t++;
				if (*t)
					*t++ = '\0';
				if (*s && nids < MAX_IDS)
					ids[nids++] = s;
			}
		} else if (*line == '[') {
			/* Lines that do not parse are notes in brackets; skip. */
			if (nrels < MAX_RELEASES && parse_release(line, &rels[nrels]))
				nrels++;
		}
		line = next;
	}
	struct vdb_advisory adv = { .id = id, .summary = summary, .published = date, .aliases = ids,
				    .naliases = nids };
	int64_t dsa_row;
	if (rc == DD_OK)
		rc = vdb_put_advisory(c->w, source, &adv, true, &dsa_row, err);
	for (size_t i = 0; i < (nids ? nids : 1) && rc == DD_OK; i++) {
		int64_t row = dsa_row;
		if (nids) {
			rc = vdb_advisory_row(c->w, ids[i], &row, err);
			if (rc == DD_OK)
				rc = vdb_put_alias(c->w, row, source, id, err);
		}
		for (size_t k = 0; k < nrels && rc == DD_OK; k++) {
			struct vdb_affected a = { .namespace_ = rels[k].ns, .package = rels[k].pkg,
						  .status = state_of(rels[k].what) };
			dd_buf_reset(&st->range);
			if (a.status == DD_VULNDB_FIXED)
				a.fixed = rels[k].what;
			if (a.status != DD_VULNDB_NOT_AFFECTED && a.status != DD_VULNDB_UNDETERMINED) {
				rc = vdb_range_fixed(&st->range, a.fixed, err);
				a.ranges = st->range.data;
			}
			if (rc == DD_OK)
				rc = vdb_put_affected(c->w, row, source, &a, err);
		}
	}
	if (rc == DD_OK)
		c->records++;
	return rc;
}

static dd_code line(void *ud, unsigned long no, const char *s, size_t len, struct dd_err *err)
{
	struct dsa_state *st = ud;
	if (no == 0)
		return flush(st, err);
	if (s && len && s[0] == '[' && memchr(s, '\0', len) == NULL) {
		dd_code rc = flush(st, err);
		dd_buf_reset(&st->entry);
		st->too_long = false;
		st->line = no;
		if (rc)
			return rc;
	} else if (!st->entry.len) {
		return DD_OK; /* text before the first header */
	}
	if (!s) {
		st->too_long = true;
		return DD_OK;
	}
	dd_code rc = dd_buf_append(&st->entry, s, strnlen(s, len), NULL);
	if (rc == DD_OK)
		rc = dd_buf_putc(&st->entry, '\n', NULL);
	if (rc == DD_ENOMEM)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	if (rc != DD_OK)
		st->too_long = true;
	return DD_OK;
}

static dd_code import(struct vdb_ctx *c, const struct vdb_input *in, struct dd_err *err)
{
	struct dsa_state st = { .c = c };
	dd_buf_init(&st.entry, DD_LIMIT_DSA_ENTRY_BYTES);
	dd_buf_init(&st.range, 4096);
	dd_code rc = vdb_lines(in, line, &st, err);
	dd_buf_release(&st.entry);
	dd_buf_release(&st.range);
	return rc;
}

const struct vdb_importer vdb_import_debian_dsa = { "debian-dsa", probe, import };
