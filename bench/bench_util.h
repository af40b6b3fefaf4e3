/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the benchmarks share: process CPU time (user + sys, all threads),
 * which load from other tenants of a shared machine moves less than wall
 * time, wall time, and the median of a run's figures.
 */
#ifndef DD_BENCH_UTIL_H
#define DD_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

static inline double bench_cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall-clock time: what the user waits for. */
static inline double bench_wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A REPEAT argument: 1 to 100 (the pair arrays' size), else 5. */
static inline int bench_repeat(const char *arg)
{
	long rep = strtol(arg, NULL, 10);
	return rep >= 1 && rep <= 100 ? (int)rep : 5;
}

/* Sorts v[0..n) and returns its median (n > 0). */
static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
