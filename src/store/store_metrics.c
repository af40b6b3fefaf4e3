/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The handbook's figures (§4) from the store's own records: scans per asset
 * per month with the mean number of P1 findings per scan ("static scans once
 * a month, on average 5 high findings each"), open findings by priority and
 * age, mean time to remediate per priority in working days ("3 working days
 * for high, 7 for medium"), SLA compliance and reintroductions.
 *
 * Three queries streamed through row callbacks: scans (small), findings
 * grouped by (priority, state, first seen, closed, due) with their counts,
 * and open findings per asset. Working days are counted by the policy's
 * calendar in O(1) per group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_impl.h"
#include "util/alloc.h"
#include "util/map.h"

/* Months shown in the trend chart: two years is enough to see a process
 * change; longer histories are still in the table and the JSON. */
#define TREND_MONTHS_MAX 24
#define TOP_ASSETS 10

struct month_acc {
	struct dd_month_row *v;
	size_t n, cap;
	struct dd_arena *a;
	long scans, p1;
	int64_t first;
	bool fail;
};

static void month_of(int64_t t, char out[8])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 8, "%Y-%m", &tm);
}

static int scan_month_row(void *ud, int nc, const char *const *v)
{
	struct month_acc *m = ud;
	if (nc < 3 || !v[0])
		return 0;
	int64_t at = dd_store_i64(v[1]);
	long p1 = (long)dd_store_i64(v[2]);
	char mon[8];
	month_of(at, mon);
	if (!m->first || at < m->first)
		m->first = at;
	m->scans++;
	m->p1 += p1;
	struct dd_month_row *last = m->n ? &m->v[m->n - 1] : NULL;
	/* Rows come ordered by asset, then time. */
	if (last && strcmp(last->asset, v[0]) == 0 && strcmp(last->month, mon) == 0) {
		last->p1_per_scan = (last->p1_per_scan * (double)last->scans + (double)p1) /
				    (double)(last->scans + 1);
		last->scans++;
		return 0;
	}
	if (dd_grow(&m->v, &m->cap, m->n + 1, sizeof *m->v)) {
		m->fail = true;
		return 1;
	}
	struct dd_month_row *x = &m->v[m->n++];
	memset(x, 0, sizeof *x);
	x->asset = dd_arena_strdup(m->a, v[0]);
	memcpy(x->month, mon, sizeof x->month);
	x->scans = 1;
	x->p1_per_scan = (double)p1;
	return 0;
}

struct top_acc {
	const char *asset;
	long open[DD_PRIO_COUNT];
};

struct find_acc {
	struct dd_metrics *m;
	const struct dd_policy *pol;
	struct dd_arena *a;
	double mttr_sum[DD_PRIO_COUNT];
	int64_t month_end[TREND_MONTHS_MAX];
	size_t nmonths;
	struct dd_map assets;       /* name -> index + 1 into tops */
	struct top_acc *tops;
	size_t ntops, tcap;
	bool fail;
};

/* One row per (priority, state, first seen, closed, due) group with its
 * count: findings of one scan share their first-seen time and a rescan
 * closes its findings at one time, so a million findings are a few
 * thousand groups, and the database (a covering index on SQLite, migration
 * 2) does the counting. */
static dd_code top_add(struct find_acc *f, const char *asset_id, int prio, long count);

static int finding_metric_row(void *ud, int nc, const char *const *v)
{
	struct find_acc *f = ud;
	struct dd_metrics *m = f->m;
	if (nc < 8)
		return 0;
	v++; /* v[-1] is the asset id */
	int prio = (int)dd_store_i64(v[0]);
	if (prio < 0 || prio >= DD_PRIO_COUNT)
		prio = 0;
	const char *state = v[1] ? v[1] : "";
	int64_t first = dd_store_i64(v[2]), closed = dd_store_i64(v[3]), due = dd_store_i64(v[4]);
	long count = (long)dd_store_i64(v[5]);
	m->reintroductions += (long)dd_store_i64(v[6]);
	bool open = dd_store_state_open(state);
	if (open) {
		int64_t age = (m->now - first) / 86400;
		int b = age <= 7 ? 0 : age <= 30 ? 1 : age <= 90 ? 2 : 3;
		m->open[prio][b] += count;
		m->open_total += count;
		if (due && due < m->now)
			m->overdue += count;
		if (top_add(f, v[-1] ? v[-1] : "0", prio, count)) {
			f->fail = true;
			return 1;
		}
	} else if (strcmp(state, DD_STATE_FIXED) == 0 && closed >= m->since) {
		m->closed[prio] += count;
		f->mttr_sum[prio] += (double)count * (double)dd_policy_working_days(f->pol, first, closed);
		if (due) {
			m->sla_total[prio] += count;
			if (closed <= due)
				m->sla_met[prio] += count;
		}
	}
	if (strcmp(state, DD_STATE_RISK_ACCEPTED) != 0)
		for (size_t i = 0; i < f->nmonths; i++)
			if (first <= f->month_end[i] && (open || (closed && closed > f->month_end[i])))
				m->trend[i].open[prio] += count;
	return 0;
}

/* Open findings per asset (by id; names are looked up for the top ten). */
static dd_code top_add(struct find_acc *f, const char *asset_id, int prio, long count)
{
	size_t idx = (size_t)dd_map_get(&f->assets, asset_id, strlen(asset_id));
	if (!idx) {
		if (dd_grow(&f->tops, &f->tcap, f->ntops + 1, sizeof *f->tops))
			return DD_ENOMEM;
		memset(&f->tops[f->ntops], 0, sizeof *f->tops);
		f->tops[f->ntops].asset = dd_arena_strdup(f->a, asset_id);
		idx = ++f->ntops;
		if (dd_map_put(&f->assets, asset_id, strlen(asset_id), (void *)idx, NULL, NULL))
			return DD_ENOMEM;
	}
	f->tops[idx - 1].open[prio] += count;
	return DD_OK;
}

static int cmp_top(const void *a, const void *b)
{
	const struct top_acc *x = a, *y = b;
	for (int p = 1; p < DD_PRIO_COUNT; p++)
		if (x->open[p] != y->open[p])
			return x->open[p] < y->open[p] ? 1 : -1;
	return strcmp(x->asset, y->asset);
}

dd_code dd_store_metrics(struct dd_store *s, const char *asset, int64_t since, int64_t now,
			 struct dd_arena *ar, struct dd_metrics *m, struct dd_err *err)
{
	memset(m, 0, sizeof *m);
	m->now = now ? now : dd_clock_now();
	m->since = since;
	struct month_acc ma = { .a = ar };
	struct dd_sqlv p[] = { SQLV_TEXT(asset), SQLV_INT(since) };
	dd_code rc = asset ? st_q(s, "SELECT a.name, s.at, s.p1 FROM scans s JOIN assets a ON"
				     " a.id = s.asset_id WHERE a.name = $1 AND s.at >= $2"
				     " ORDER BY a.name, s.at",
				  p, 2, scan_month_row, &ma, err)
			   : st_q(s, "SELECT a.name, s.at, s.p1 FROM scans s JOIN assets a ON"
				     " a.id = s.asset_id WHERE s.at >= $1 ORDER BY a.name, s.at",
				  p + 1, 1, scan_month_row, &ma, err);
	if (rc == DD_OK && ma.fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	if (rc) {
		free(ma.v);
		return rc;
	}
	m->scans = ma.scans;
	m->p1_per_scan = ma.scans ? (double)ma.p1 / (double)ma.scans : 0;
	if (ma.n) {
		m->months = dd_arena_memdup(ar, ma.v, ma.n * sizeof *ma.v);
		m->nmonths = m->months ? ma.n : 0;
	}
	free(ma.v);

	struct find_acc fa = { .m = m, .pol = s->policy, .a = ar };
	dd_map_init(&fa.assets);
	/* Trend months: from the first scan (or since) to now, at most the
	 * last TREND_MONTHS_MAX. */
	int64_t start = since ? since : (ma.first ? ma.first : m->now);
	time_t tt = (time_t)m->now;
	struct tm tm;
	gmtime_r(&tt, &tm);
	int y = tm.tm_year, mo = tm.tm_mon;
	tt = (time_t)start;
	gmtime_r(&tt, &tm);
	int span = (y - tm.tm_year) * 12 + (mo - tm.tm_mon) + 1;
	if (span < 1)
		span = 1;
	if (span > TREND_MONTHS_MAX)
		span = TREND_MONTHS_MAX;
	m->trend = dd_arena_alloc(ar, (size_t)span * sizeof *m->trend);
	if (!m->trend)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	for (int i = 0; i < span; i++) {
		int k = mo - (span - 1 - i);
		struct tm e = { .tm_year = y + (k < 0 ? (k - 11) / 12 : k / 12),
				.tm_mon = ((k % 12) + 12) % 12, .tm_mday = 1 };
		strftime(m->trend[i].month, sizeof m->trend[i].month, "%Y-%m", &e);
		e.tm_mon++; /* the first of the next month, minus a second */
		int64_t end = (int64_t)timegm(&e) - 1;
		fa.month_end[i] = end < m->now ? end : m->now;
	}
	fa.nmonths = (size_t)span;
	m->ntrend = (size_t)span;
#define GROUPED(where)                                                                     \
	"SELECT asset_id, priority, state, first_seen, closed_at, due, COUNT(*),"            \
	" SUM(reintroduced) FROM findings" where                                               \
	" GROUP BY asset_id, priority, state, first_seen, closed_at, due"
	rc = asset ? st_q(s, GROUPED(" WHERE asset_id = (SELECT id FROM assets WHERE name = $1)"),
			  p, 1, finding_metric_row, &fa, err)
		   : st_q(s, GROUPED(""), NULL, 0, finding_metric_row, &fa, err);
#undef GROUPED
	if (rc == DD_OK && fa.fail)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	for (int p2 = 0; p2 < DD_PRIO_COUNT; p2++) {
		m->mttr[p2] = m->closed[p2] ? fa.mttr_sum[p2] / (double)m->closed[p2] : -1;
		m->sla_pct[p2] = m->sla_total[p2] ? 100.0 * (double)m->sla_met[p2] /
							    (double)m->sla_total[p2]
						  : -1;
		m->sla_target[p2] = dd_policy_sla_days(s->policy, (enum dd_priority)p2, NULL);
	}
	if (rc == DD_OK && fa.ntops) {
		qsort(fa.tops, fa.ntops, sizeof *fa.tops, cmp_top);
		size_t k = fa.ntops < TOP_ASSETS ? fa.ntops : TOP_ASSETS;
		m->top = dd_arena_alloc(ar, k * sizeof *m->top);
		if (!m->top) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		} else {
			for (size_t i = 0; i < k && rc == DD_OK; i++) {
				struct st_str name = { .a = ar };
				struct dd_sqlv q[] = { SQLV_INT(dd_store_i64(fa.tops[i].asset)) };
				rc = st_q(s, "SELECT name FROM assets WHERE id = $1", q, 1,
					  dd_store_row_str, &name, err);
				m->top[i].asset = name.s ? name.s : fa.tops[i].asset;
				memcpy(m->top[i].open, fa.tops[i].open, sizeof m->top[i].open);
			}
			m->ntop = k;
		}
	}
	free(fa.tops);
	dd_map_release(&fa.assets);
	if (rc == DD_OK && dd_arena_status(ar))
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	return rc;
}
