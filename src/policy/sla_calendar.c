/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SLA calendar and the clock. Deadlines are counted in working days
 * (the handbook's remediation targets: P1 3, P2 7) on UTC dates: weekends
 * (configurable, Saturday and Sunday by default) and a holiday list are
 * skipped. Day arithmetic is on day numbers since 1970-01-01 (a Thursday),
 * so counting is O(1) per week plus a binary search in the holidays; the
 * metrics call it once per closed finding, a million times.
 *
 * The clock reads DRYDOCK_NOW before time() so tests, examples and the
 * end-to-end suite run on fixed dates.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/policy_impl.h"

#define DAY 86400

static int64_t day_of(int64_t t)
{
	return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

static int weekday(int64_t day) /* 0 = Sunday */
{
	int64_t w = (day + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static bool is_holiday(const struct dd_policy *p, int64_t day)
{
	size_t lo = 0, hi = p->nholidays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->holidays[mid] == day)
			return true;
		if (p->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool working(const struct dd_policy *p, int64_t day)
{
	return !p->weekend[weekday(day)] && !is_holiday(p, day);
}

bool dd_policy_is_working_day(const struct dd_policy *p, int64_t t)
{
	return working(p, day_of(t));
}

/* Holidays in (a, b] that fall on a working weekday. */
static long holidays_between(const struct dd_policy *p, int64_t a, int64_t b)
{
	long n = 0;
	for (size_t i = 0; i < p->nholidays; i++)
		if (p->holidays[i] > a && p->holidays[i] <= b && !p->weekend[weekday(p->holidays[i])])
			n++;
	return n;
}

long dd_policy_working_days(const struct dd_policy *p, int64_t from, int64_t to)
{
	int64_t a = day_of(from), b = day_of(to);
	if (b <= a)
		return 0;
	int per_week = 0;
	for (int i = 0; i < 7; i++)
		per_week += !p->weekend[i];
	int64_t span = b - a;
	long n = (long)(span / 7) * per_week;
	for (int64_t d = a + 1 + (span / 7) * 7; d <= b; d++)
		n += !p->weekend[weekday(d)];
	/* Holiday lists are short (tens a year); a linear pass is fine. */
	if (p->nholidays)
		n -= holidays_between(p, a, b);
	return n;
}

int64_t dd_policy_due(const struct dd_policy *p, int64_t from, int days)
{
	if (days == DD_SLA_NONE || days < 0)
		return 0;
	int64_t d = day_of(from);
	int per_week = 0;
	for (int i = 0; i < 7; i++)
		per_week += !p->weekend[i];
	if (per_week == 0)
		return 0; /* a calendar without working days has no deadlines */
	for (int left = days; left > 0;) {
		d++;
		if (working(p, d))
			left--;
	}
	return d * DAY + DAY - 1;
}

int dd_policy_sla_days(const struct dd_policy *p, enum dd_priority prio,
		       const struct dd_impact *impact)
{
	if (prio <= DD_PRIO_NONE || prio >= DD_PRIO_COUNT)
		return DD_SLA_NONE;
	if (impact && impact->sla_days[prio] != -1)
		return impact->sla_days[prio];
	return p->sla[prio];
}

