/* SPDX-License-Identifier: Apache-2.0 */
/* The injectable clock (clock.h). */
#include <ctype.h>
#include <stdlib.h>

#include "util/clock.h"

bool dd_clock_parse(const char *s, time_t *out)
{
	int Y, M, D, h = 0, m = 0, sec = 0, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &Y, &M, &D, &n) != 3 || n != 10)
		return false;
	const char *p = s + n;
	long off = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		int k = 0;
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &m, &sec, &k) != 3 || k != 8)
			return false;
		p += 1 + k;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
				return false;
			off = (oh * 3600L + om * 60L) * (*p == '+' ? 1 : -1);
			p += 6;
		} else {
			return false;
		}
	}
	if (*p || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return false;
	struct tm tm = { .tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D,
			 .tm_hour = h, .tm_min = m, .tm_sec = sec };
	*out = timegm(&tm) - off;
	return true;
}

time_t dd_clock_now(void)
{
	const char *env = getenv("DRYDOCK_NOW");
	if (env && *env) {
		char *end;
		long long v = strtoll(env, &end, 10);
		if (*end == '\0' && end != env)
			return (time_t)v;
		time_t t;
		if (dd_clock_parse(env, &t))
			return t;
	}
	return time(NULL);
}

void dd_clock_rfc3339(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
