/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writers for what the store knows (include/dd/report.h): tracked findings
 * and metrics as JSON (the report module's JSON writer, jw), and the HTML
 * report. The report is one self-contained file (no scripts, no external
 * fonts or images: it is mailed and archived) with inline SVG charts drawn
 * here: open findings per month by priority, MTTR per priority against the
 * SLA target, and the assets with the most open findings.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/report.h"
#include "dd/store.h"
#include "report/report_int.h"
#include "util/alloc.h"

/* Two decimals are what a person reads; a negative value means none. */
static void knum2(struct jw *w, const char *k, double v)
{
	jw_key(w, k);
	if (v < 0)
		jw_null(w);
	else
		jw_num(w, round(v * 100) / 100);
}

static void ktime(struct jw *w, const char *k, int64_t t)
{
	char buf[32];
	jw_kstr(w, k, t ? dd_time_format(t, buf, sizeof buf) : NULL);
}

dd_code dd_report_findings_json(FILE *f, const struct dd_finding_row *rows, size_t n,
				     struct dd_err *err)
{
	struct jw jw, *w = &jw;
	dd_code rc = jw_init(w, f, err);
	if (rc)
		return rc;
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		const struct dd_finding_row *r = &rows[i];
		jw_obj(w);
		jw_kint(w, "id", r->id);
		jw_kstr(w, "asset", r->asset);
		jw_kstr(w, "vulnerability", r->vuln);
		jw_kstr(w, "aliases", r->aliases);
		jw_kstr(w, "package", r->package);
		jw_kstr(w, "purl", r->purl);
		jw_kstr(w, "installed", r->installed);
		jw_kstr(w, "fixed_version", r->fixed_version);
		jw_kstr(w, "state", r->state);
		jw_kstr(w, "priority", dd_priority_name(r->priority));
		jw_kbool(w, "unscored", r->unscored);
		knum2(w, "score", r->score);
		jw_kstr(w, "score_source", r->score_source);
		jw_kstr(w, "cvss_rating", r->cvss_rating);
		jw_kstr(w, "vendor_rating", r->vendor_rating);
		jw_kbool(w, "kev", r->kev);
		knum2(w, "epss", r->epss);
		jw_kstr(w, "why", r->why);
		ktime(w, "first_seen", r->first_seen);
		ktime(w, "last_seen", r->last_seen);
		ktime(w, "due", r->due);
		jw_kbool(w, "overdue", r->overdue);
		ktime(w, "closed_at", r->closed_at);
		jw_kint(w, "first_scan", r->first_scan);
		jw_kint(w, "last_scan", r->last_scan);
		if (r->fixed_scan) {
			jw_kint(w, "fixed_in_scan", r->fixed_scan);
			jw_kstr(w, "fix_evidence", r->fix_evidence);
		}
		jw_kint(w, "reintroduced", r->reintroduced);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	return jw_finish(w, err);
}

dd_code dd_report_metrics_json(FILE *f, const struct dd_metrics *m, struct dd_err *err)
{
	static const char *buckets[] = { "0-7d", "8-30d", "31-90d", ">90d" };
	struct jw jw, *w = &jw;
	dd_code rc = jw_init(w, f, err);
	if (rc)
		return rc;
	jw_obj(w);
	ktime(w, "now", m->now);
	ktime(w, "since", m->since);
	jw_kint(w, "scans", m->scans);
	knum2(w, "p1_per_scan", m->p1_per_scan);
	jw_key(w, "scans_per_month");
	jw_arr(w);
	for (size_t i = 0; i < m->nmonths; i++) {
		jw_obj(w);
		jw_kstr(w, "asset", m->months[i].asset);
		jw_kstr(w, "month", m->months[i].month);
		jw_kint(w, "scans", m->months[i].scans);
		knum2(w, "p1_per_scan", m->months[i].p1_per_scan);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_kint(w, "open", m->open_total);
	jw_kint(w, "overdue", m->overdue);
	jw_key(w, "priorities");
	jw_obj(w);
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		jw_key(w, dd_priority_name((enum dd_priority)p));
		jw_obj(w);
		jw_key(w, "open_by_age");
		jw_obj(w);
		for (int b = 0; b < DD_AGE_BUCKETS; b++)
			jw_kint(w, buckets[b], m->open[p][b]);
		jw_end_obj(w);
		jw_kint(w, "fixed", m->closed[p]);
		knum2(w, "mttr_working_days", m->mttr[p]);
		jw_key(w, "sla_working_days");
		if (m->sla_target[p] == DD_SLA_NONE)
			jw_null(w);
		else
			jw_int(w, m->sla_target[p]);
		jw_kint(w, "sla_met", m->sla_met[p]);
		jw_kint(w, "sla_closed", m->sla_total[p]);
		knum2(w, "sla_compliance_pct", m->sla_pct[p]);
		jw_end_obj(w);
	}
	jw_end_obj(w);
	jw_kint(w, "reintroductions", m->reintroductions);
	jw_key(w, "trend");
	jw_arr(w);
	for (size_t i = 0; i < m->ntrend; i++) {
		jw_obj(w);
		jw_kstr(w, "month", m->trend[i].month);
		for (int p = 1; p < DD_PRIO_COUNT; p++)
			jw_kint(w, dd_priority_name((enum dd_priority)p), m->trend[i].open[p]);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "top_assets");
	jw_arr(w);
	for (size_t i = 0; i < m->ntop; i++) {
		jw_obj(w);
		jw_kstr(w, "asset", m->top[i].asset);
		for (int p = 1; p < DD_PRIO_COUNT; p++)
			jw_kint(w, dd_priority_name((enum dd_priority)p), m->top[i].open[p]);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	return jw_finish(w, err);
}

/* ---- HTML ---------------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char *colour[DD_PRIO_COUNT] = { "#999", "#c0392b", "#e67e22", "#2e86c1" };

static void chart_trend(FILE *f, const struct dd_metrics *m)
{
	const int W = 640, H = 240, L = 48, B = 28, T = 12;
	long max = 1;
	for (size_t i = 0; i < m->ntrend; i++)
		for (int p = 1; p < DD_PRIO_COUNT; p++)
			if (m->trend[i].open[p] > max)
				max = m->trend[i].open[p];
	fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
		   " aria-label=\"Open findings per month by priority\">\n", W, H, W, H);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", L, H - B, W - 8,
		H - B);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", L, T, L, H - B);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%ld</text>\n", L - 4,
		T + 4, max);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>\n", L - 4,
		H - B);
	size_t n = m->ntrend ? m->ntrend : 1;
	double step = n > 1 ? (double)(W - L - 24) / (double)(n - 1) : 0;
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		fprintf(f, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"", colour[p]);
		for (size_t i = 0; i < m->ntrend; i++)
			fprintf(f, "%.1f,%.1f ", L + 8 + step * (double)i,
				(double)(H - B) - (double)(H - B - T) * (double)m->trend[i].open[p] /
							  (double)max);
		fputs("\"/>\n", f);
		for (size_t i = 0; i < m->ntrend; i++)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s %s: %ld"
				   "</title></circle>\n",
				L + 8 + step * (double)i,
				(double)(H - B) - (double)(H - B - T) * (double)m->trend[i].open[p] /
							  (double)max,
				colour[p], m->trend[i].month, dd_priority_name((enum dd_priority)p),
				m->trend[i].open[p]);
	}
	for (size_t i = 0; i < m->ntrend; i++)
		if (m->ntrend <= 12 || i % 3 == 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s"
				   "</text>\n", L + 8 + step * (double)i, H - 10, m->trend[i].month);
	fputs("</svg>\n", f);
}

static void chart_mttr(FILE *f, const struct dd_metrics *m)
{
	const int W = 640, H = 220, L = 48, B = 28, T = 12;
	double max = 1;
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		if (m->mttr[p] > max)
			max = m->mttr[p];
		if (m->sla_target[p] > max)
			max = m->sla_target[p];
	}
	fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
		   " aria-label=\"MTTR per priority against the SLA target\">\n", W, H, W, H);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", L, H - B, W - 8,
		H - B);
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		double x = L + 30 + (p - 1) * 190;
		double h = m->mttr[p] > 0 ? (double)(H - B - T) * m->mttr[p] / max : 0;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"60\" height=\"%.1f\" fill=\"%s\">"
			   "<title>%s MTTR %.2f working days</title></rect>\n",
			x, (double)(H - B) - h, h, colour[p], dd_priority_name((enum dd_priority)p),
			m->mttr[p] < 0 ? 0 : m->mttr[p]);
		if (m->mttr[p] >= 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">"
				   "%.1f d</text>\n", x + 30, (double)(H - B) - h - 4, m->mttr[p]);
		else
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">"
				   "none fixed</text>\n", x + 30, H - B - 4);
		if (m->sla_target[p] != DD_SLA_NONE) {
			double y = (double)(H - B) - (double)(H - B - T) * m->sla_target[p] / max;
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\""
				   " stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">"
				   "SLA %d d</text>\n", x - 8, y, x + 68, y, x + 70, y + 4,
				m->sla_target[p]);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>\n",
			x + 30, H - 10, dd_priority_name((enum dd_priority)p));
	}
	fputs("</svg>\n", f);
}

static void chart_top(FILE *f, const struct dd_metrics *m)
{
	const int W = 640, L = 160, row = 24;
	int H = (int)m->ntop * row + 16;
	long max = 1;
	for (size_t i = 0; i < m->ntop; i++) {
		long t = m->top[i].open[1] + m->top[i].open[2] + m->top[i].open[3];
		if (t > max)
			max = t;
	}
	fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
		   " aria-label=\"Assets with the most open findings\">\n", W, H, W, H);
	for (size_t i = 0; i < m->ntop; i++) {
		double x = L, y = 8 + (double)i * row;
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">", L - 6,
			y + 14);
		esc(f, m->top[i].asset);
		fputs("</text>\n", f);
		for (int p = 1; p < DD_PRIO_COUNT; p++) {
			double w = (double)(W - L - 60) * (double)m->top[i].open[p] / (double)max;
			if (w <= 0)
				continue;
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
				   "<title>%s: %ld</title></rect>\n", x, y, w, colour[p],
				dd_priority_name((enum dd_priority)p), m->top[i].open[p]);
			x += w;
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%ld</text>\n", x + 4, y + 14,
			m->top[i].open[1] + m->top[i].open[2] + m->top[i].open[3]);
	}
	fputs("</svg>\n", f);
}

dd_code dd_report_store_html(FILE *f, const struct dd_metrics *m, const char *title,
				   const struct dd_finding_row *top, size_t ntop, struct dd_err *err)
{
	char now[32], d1[16], d2[16];
	dd_time_format(m->now, now, sizeof now);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", f);
	esc(f, title);
	fputs("</title>\n<style>\n"
	      "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}\n"
	      "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\n"
	      ".tiles{display:flex;flex-wrap:wrap;gap:1em}.tile{border:1px solid #ddd;"
	      "border-radius:6px;padding:.6em 1em;min-width:8em}.tile b{display:block;font-size:1.6em}\n"
	      "table{border-collapse:collapse;width:100%;font-size:.9em}"
	      "th,td{border-bottom:1px solid #eee;padding:.3em .5em;text-align:left}\n"
	      ".P1{color:#c0392b;font-weight:bold}.P2{color:#e67e22;font-weight:bold}.P3{color:#2e86c1}\n"
	      ".legend span{margin-right:1.5em}.overdue{color:#c0392b}\n"
	      "</style></head><body>\n<h1>", f);
	esc(f, title);
	fprintf(f, "</h1>\n<p>Generated %s by drydock from its own scan records.</p>\n", now);
	double sla_all = -1;
	long met = 0, tot = 0;
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		met += m->sla_met[p];
		tot += m->sla_total[p];
	}
	if (tot)
		sla_all = 100.0 * (double)met / (double)tot;
	fprintf(f, "<div class=\"tiles\">\n<div class=\"tile\"><b>%ld</b>open findings</div>\n"
		   "<div class=\"tile\"><b class=\"overdue\">%ld</b>overdue</div>\n"
		   "<div class=\"tile\"><b>%ld</b>scans</div>\n"
		   "<div class=\"tile\"><b>%.1f</b>P1 per scan</div>\n",
		m->open_total, m->overdue, m->scans, m->p1_per_scan);
	if (sla_all >= 0)
		fprintf(f, "<div class=\"tile\"><b>%.0f%%</b>closed within SLA</div>\n", sla_all);
	else
		fputs("<div class=\"tile\"><b>-</b>closed within SLA</div>\n", f);
	fprintf(f, "<div class=\"tile\"><b>%ld</b>reintroductions</div>\n</div>\n",
		m->reintroductions);
	fputs("<p class=\"legend\"><span class=\"P1\">&#9632; P1 immediate</span><span class=\"P2\">"
	      "&#9632; P2 planned</span><span class=\"P3\">&#9632; P3 monitor</span></p>\n", f);
	fputs("<h2>Open findings over time, by priority</h2>\n", f);
	chart_trend(f, m);
	fputs("<h2>Mean time to remediate (working days) against the SLA</h2>\n", f);
	chart_mttr(f, m);
	fputs("<table><tr><th>priority</th><th>fixed</th><th>MTTR (working days)</th>"
	      "<th>SLA target</th><th>closed within SLA</th></tr>\n", f);
	for (int p = 1; p < DD_PRIO_COUNT; p++) {
		fprintf(f, "<tr><td class=\"%s\">%s</td><td>%ld</td>", dd_priority_name((enum dd_priority)p),
			dd_priority_name((enum dd_priority)p), m->closed[p]);
		if (m->mttr[p] >= 0)
			fprintf(f, "<td>%.2f</td>", m->mttr[p]);
		else
			fputs("<td>-</td>", f);
		if (m->sla_target[p] == DD_SLA_NONE)
			fputs("<td>none</td>", f);
		else
			fprintf(f, "<td>%d</td>", m->sla_target[p]);
		if (m->sla_pct[p] >= 0)
			fprintf(f, "<td>%.0f%% (%ld/%ld)</td></tr>\n", m->sla_pct[p], m->sla_met[p],
				m->sla_total[p]);
		else
			fputs("<td>-</td></tr>\n", f);
	}
	fputs("</table>\n<h2>Assets with the most open findings</h2>\n", f);
	if (m->ntop)
		chart_top(f, m);
	else
		fputs("<p>No open findings.</p>\n", f);
	fputs("<h2>Scans per asset per month</h2>\n<table><tr><th>asset</th><th>month</th>"
	      "<th>scans</th><th>P1 per scan</th></tr>\n", f);
	for (size_t i = 0; i < m->nmonths; i++) {
		fputs("<tr><td>", f);
		esc(f, m->months[i].asset);
		fprintf(f, "</td><td>%s</td><td>%ld</td><td>%.1f</td></tr>\n", m->months[i].month,
			m->months[i].scans, m->months[i].p1_per_scan);
	}
	fputs("</table>\n<h2>Remediation order (top open findings)</h2>\n<table><tr><th>id</th>"
	      "<th>priority</th><th>asset</th><th>vulnerability</th><th>package</th><th>score</th>"
	      "<th>due</th><th>why</th></tr>\n", f);
	for (size_t i = 0; i < ntop; i++) {
		const struct dd_finding_row *r = &top[i];
		fprintf(f, "<tr><td>%lld</td><td class=\"%s\">%s</td><td>", (long long)r->id,
			dd_priority_name(r->priority), dd_priority_name(r->priority));
		esc(f, r->asset);
		fputs("</td><td>", f);
		esc(f, r->vuln);
		fputs("</td><td>", f);
		esc(f, r->package);
		fputs(" ", f);
		esc(f, r->installed);
		if (r->score >= 0)
			fprintf(f, "</td><td>%.1f</td>", r->score);
		else
			fputs("</td><td>unscored</td>", f);
		fprintf(f, "<td%s>%s</td><td>", r->overdue ? " class=\"overdue\"" : "",
			r->due ? dd_date_format(r->due, d1, sizeof d1) : "-");
		esc(f, r->why);
		fputs("</td></tr>\n", f);
	}
	fprintf(f, "</table>\n<p>Period: %s to %s. Working days skip weekends and the policy's"
		   " holidays.</p>\n</body></html>\n",
		m->since ? dd_date_format(m->since, d2, sizeof d2) : "the first scan", now);
	if (ferror(f))
		return dd_err_sys(err, DD_EIO, "writing the HTML report");
	return DD_OK;
}
