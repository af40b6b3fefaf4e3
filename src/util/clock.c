/* SPDX-License-Identifier: Apache-2.0 */
/* The injectable clock and time formats (include/dd/clock.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "dd/clock.h"

dd_code dd_time_parse(const char *s, int64_t *out, struct dd_err *err)
{
	if (!s || !*s)
		return dd_err_set(err, DD_EINVAL, "empty time");
	size_t n = strlen(s);
	bool digits = true;
	for (size_t i = 0; i < n; i++)
		digits &= isdigit((unsigned char)s[i]) != 0;
	if (digits && n <= 12) {
		*out = strtoll(s, NULL, 10);
		return DD_OK;
	}
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
		return dd_err_set(err, DD_EINVAL, "'%s' is not a date (YYYY-MM-DD or RFC 3339)", s);
	const char *rest = s + 10;
	if (*rest == 'T' || *rest == 't' || *rest == ' ') {
		int u2 = 0;
		if (sscanf(rest + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &u2) != 3 || u2 != 8)
			return dd_err_set(err, DD_EINVAL, "'%s': bad time of day", s);
		rest += 9;
		if (*rest == '.')
			for (rest++; isdigit((unsigned char)*rest); rest++)
				;
		int off = 0;
		if (*rest == 'Z' || *rest == 'z') {
			rest++;
		} else if (*rest == '+' || *rest == '-') {
			int oh, om, u3 = 0;
			if (sscanf(rest + 1, "%2d:%2d%n", &oh, &om, &u3) != 2 || u3 != 5)
				return dd_err_set(err, DD_EINVAL, "'%s': bad UTC offset", s);
			off = (oh * 60 + om) * 60 * (*rest == '-' ? -1 : 1);
			rest += 6;
		}
		if (*rest)
			return dd_err_set(err, DD_EINVAL, "'%s': trailing characters", s);
		sec -= off;
	} else if (*rest) {
		return dd_err_set(err, DD_EINVAL, "'%s': trailing characters", s);
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 + 86400)
		return dd_err_set(err, DD_EINVAL, "'%s': field out of range", s);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = 0;
	*out = (int64_t)timegm(&tm) + sec;
	return DD_OK;
}

int64_t dd_clock_now(void)
{
	const char *env = getenv("DRYDOCK_NOW");
	int64_t t;
	if (env && *env && dd_time_parse(env, &t, NULL) == DD_OK)
		return t;
	return (int64_t)time(NULL);
}

const char *dd_time_format(int64_t t, char *buf, size_t n)
{
	if (t == 0) {
		if (n)
			buf[0] = 0;
		return buf;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

const char *dd_date_format(int64_t t, char *buf, size_t n)
{
	if (t == 0) {
		if (n)
			buf[0] = 0;
		return buf;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
	return buf;
}
