/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scan result as tables for people: one table per target (the OS
 * packages, each lock file, each ecosystem's installed packages; see
 * rep_pkg_target), rows grouped by package, most severe first within a
 * package. Severity is coloured (ANSI SGR) only when the caller says the
 * output is a terminal (DD_REPORT_COLOR). Suppressed findings are counted,
 * and listed only with DD_REPORT_SUPPRESSED. Machines should read json.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "util/alloc.h"

enum { COL_PKG, COL_INST, COL_ID, COL_SEV, COL_SCORE, COL_FIXED, COL_STATUS, COL_KEV, COL_TITLE, NCOL };

static const char *const head[NCOL] = { "PACKAGE", "INSTALLED", "VULNERABILITY", "SEVERITY", "SCORE",
					"FIXED",   "STATUS",    "KEV",           "TITLE" };

#define TITLE_MAX 60 /* code points of the summary shown; the rest is in json */

static size_t width(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static const char *colour(enum dd_severity s)
{
	switch (s) {
	case DD_SEV_CRITICAL: return "\033[1;31m";
	case DD_SEV_HIGH: return "\033[31m";
	case DD_SEV_MEDIUM: return "\033[33m";
	case DD_SEV_LOW: return "\033[34m";
	default: return NULL;
	}
}

struct ctx {
	const struct dd_scan_result *r;
	struct rep_target *tgt;   /* per package */
	size_t *rank;             /* package index -> output rank */
};

static _Thread_local const struct ctx *sort_ctx;

static int cmp_row(const void *x, const void *y)
{
	const struct ctx *c = sort_ctx;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	const struct dd_finding *a = &c->r->findings[i], *b = &c->r->findings[j];
	int k = rep_target_cmp(&c->tgt[a->pkg], &c->tgt[b->pkg]);
	if (k)
		return k;
	if (c->rank[a->pkg] != c->rank[b->pkg])
		return (c->rank[a->pkg] > c->rank[b->pkg]) - (c->rank[a->pkg] < c->rank[b->pkg]);
	if (a->severity != b->severity)
		return (a->severity < b->severity) - (a->severity > b->severity);
	k = strcmp(a->id ? a->id : "", b->id ? b->id : "");
	return k ? k : (i > j) - (i < j);
}

static void title_of(const char *s, char *out, size_t n)
{
	size_t cp = 0, o = 0;
	for (; s && *s && o + 4 < n; s++) {
		if (((unsigned char)*s & 0xC0) != 0x80 && ++cp > TITLE_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		/* One line per row: newlines and tabs in summaries become spaces. */
		out[o++] = (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
	}
	out[o] = '\0';
}

struct row {
	const struct dd_finding *f;
	char score[16], kev[8], name[512], title[TITLE_MAX * 4 + 8];
	const char *c[NCOL];
};

static void print_table(FILE *out, struct row *rows, size_t n, bool color)
{
	size_t w[NCOL];
	for (int c = 0; c < NCOL; c++)
		w[c] = width(head[c]);
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < NCOL; c++)
			if (width(rows[i].c[c]) > w[c])
				w[c] = width(rows[i].c[c]);
	for (int c = 0; c < NCOL; c++)
		fprintf(out, "%s%-*s", c ? "  " : "", c == NCOL - 1 ? 0 : (int)w[c], head[c]);
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < NCOL; c++) {
			const char *v = rows[i].c[c];
			const char *col = c == COL_SEV && color ? colour(rows[i].f->severity) : NULL;
			if (c)
				fputs("  ", out);
			fprintf(out, "%s%s%s", col ? col : "", v, col ? "\033[0m" : "");
			if (c != NCOL - 1)
				for (size_t k = width(v); k < w[c]; k++)
					fputc(' ', out);
		}
		fputc('\n', out);
	}
}

dd_code rep_scan_table(FILE *out, const struct dd_scan_result *r, const struct dd_report_opts *o,
		       struct dd_err *err)
{
	const struct dd_sbom *s = r->sbom;
	struct ctx c = { .r = r };
	dd_code rc = DD_OK;
	size_t *pk = rep_pkg_order(s), *ix = NULL;
	struct row *rows = NULL;
	c.tgt = dd_calloc(s->npkgs ? s->npkgs : 1, sizeof *c.tgt);
	c.rank = dd_calloc(s->npkgs ? s->npkgs : 1, sizeof *c.rank);
	ix = dd_malloc((r->nfindings ? r->nfindings : 1) * sizeof *ix);
	rows = dd_calloc(r->nfindings ? r->nfindings : 1, sizeof *rows);
	if (!pk || !c.tgt || !c.rank || !ix || !rows) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory preparing the table");
		goto out;
	}
	for (size_t i = 0; i < s->npkgs; i++) {
		c.rank[pk[i]] = i;
		rep_pkg_target(s, &s->pkgs[pk[i]], &c.tgt[pk[i]]);
	}
	size_t n = 0, hidden = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		if (r->findings[i].suppressed && !(o->flags & DD_REPORT_SUPPRESSED))
			hidden++;
		else
			ix[n++] = i;
	}
	sort_ctx = &c;
	if (n > 1)
		qsort(ix, n, sizeof *ix, cmp_row);
	sort_ctx = NULL;

	bool color = (o->flags & DD_REPORT_COLOR) != 0;
	const char *distro = s->distro.pretty_name ? s->distro.pretty_name : s->distro.id;
	fprintf(out, "%s", rep_image_name(s));
	if (distro)
		fprintf(out, " (%s)", distro);
	fprintf(out, ": %zu package%s, %zu finding%s", s->npkgs, s->npkgs == 1 ? "" : "s",
		 r->nfindings - hidden, r->nfindings - hidden == 1 ? "" : "s");
	if (hidden)
		fprintf(out, ", %zu suppressed", hidden);
	fputc('\n', out);
	if (n == 0)
		fputs("\nNo vulnerabilities found.\n", out);

	for (size_t start = 0; start < n;) {
		const struct rep_target *t = &c.tgt[r->findings[ix[start]].pkg];
		size_t end = start;
		size_t count[DD_SEV_CRITICAL + 1] = { 0 };
		while (end < n && strcmp(c.tgt[r->findings[ix[end]].pkg].target, t->target) == 0) {
			const struct dd_finding *f = &r->findings[ix[end]];
			if ((unsigned)f->severity <= DD_SEV_CRITICAL)
				count[f->severity]++;
			end++;
		}
		fprintf(out, "\n%s [%s, %s]\n", t->target, t->class_, t->type);
		fprintf(out, "Total: %zu (CRITICAL: %zu, HIGH: %zu, MEDIUM: %zu, LOW: %zu, UNKNOWN: %zu)\n\n",
			end - start, count[DD_SEV_CRITICAL], count[DD_SEV_HIGH], count[DD_SEV_MEDIUM],
			count[DD_SEV_LOW] + count[DD_SEV_NONE], count[DD_SEV_UNKNOWN]);
		for (size_t k = start; k < end; k++) {
			struct row *w = &rows[k - start];
			const struct dd_finding *f = &r->findings[ix[k]];
			const struct dd_package *p = &s->pkgs[f->pkg];
			bool first = k == start || r->findings[ix[k - 1]].pkg != f->pkg;
			w->f = f;
			if (f->score >= 0)
				snprintf(w->score, sizeof w->score, "%.1f", f->score);
			else
				snprintf(w->score, sizeof w->score, "-");
			snprintf(w->kev, sizeof w->kev, "%s", f->kev ? "yes" : "-");
			title_of(f->suppressed ? f->suppressed : f->summary, w->title, sizeof w->title);
			w->c[COL_PKG] = first ? rep_display_name(p, w->name, sizeof w->name) : "";
			w->c[COL_INST] = first ? (f->installed ? f->installed : p->version ? p->version : "-") : "";
			w->c[COL_ID] = f->id ? f->id : "-";
			w->c[COL_SEV] = dd_severity_name(f->severity);
			w->c[COL_SCORE] = w->score;
			w->c[COL_FIXED] = f->fixed ? f->fixed : "-";
			w->c[COL_STATUS] = f->suppressed ? "suppressed" : rep_fix_state_name(f->state);
			w->c[COL_KEV] = w->kev;
			w->c[COL_TITLE] = w->title[0] ? w->title : "-";
		}
		print_table(out, rows, end - start, color);
		start = end;
	}
	if (hidden)
		fprintf(out, "\n%zu suppressed finding%s not shown (ignore file or VEX).\n", hidden,
			hidden == 1 ? "" : "s");
	for (size_t i = 0; i < s->nwarnings; i++)
		fprintf(out, "warning: %s\n", s->warnings[i]);
	for (size_t i = 0; i < r->nwarnings; i++)
		fprintf(out, "warning: %s\n", r->warnings[i]);
out:
	free(pk);
	free(c.tgt);
	free(c.rank);
	free(ix);
	free(rows);
	return rc;
}
