/* SPDX-License-Identifier: Apache-2.0 */
/* util/strsort: the same order as qsort(strcmp) on shared prefixes, short
 * and long strings, duplicates, bytes >= 0x80, and inputs that spend the
 * recursion budget. */
#include <stdio.h>
#include <stdlib.h>

#include "dd_test.h"
#include "util/strsort.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts strs both ways and compares. */
static void check(char **strs, size_t n)
{
	struct dd_strsort_item *v = calloc(n ? n : 1, sizeof *v);
	char **want = calloc(n ? n : 1, sizeof *want);
	ASSERT_TRUE(v && want);
	for (size_t i = 0; i < n; i++) {
		v[i] = (struct dd_strsort_item){ .s = strs[i], .len = strlen(strs[i]), .ud = strs[i] };
		want[i] = strs[i];
	}
	qsort(want, n, sizeof *want, cmp);
	dd_strsort(v, n);
	for (size_t i = 0; i < n; i++) {
		EXPECT_STR_EQ(v[i].s, want[i]);
		EXPECT_TRUE(v[i].ud == v[i].s);
		if (strcmp(v[i].s, want[i]) != 0)
			break;
	}
	free(v);
	free(want);
}

static unsigned long long rng = 88172645463325252ull;
static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

DD_TEST(strsort_empty_and_one)
{
	check(NULL, 0);
	char *one[] = { "a" };
	check(one, 1);
	char *two[] = { "", "" };
	check(two, 2);
}

DD_TEST(strsort_shared_prefixes_and_digits)
{
	/* Strings ending exactly at, just before and just after a digit edge. */
	char *s[] = { "app/node_", "app/node_modules", "app/node", "app/nod", "app/node_m",
		      "app/node_modules/", "app/node_modules/a", "", "a", "app/node_modules/pkg-10",
		      "app/node_modules/pkg-1", "app/node_modules/pkg-100", "app/node_modules/pkg-2",
		      "b", "app/node_", "\xc3\xa9t\xc3\xa9", "\x7f", "\xff\xff", "app/node_modules",
		      "app/node_modules/pkg-1/package.json", "app/node_modules/pkg-1/index.js" };
	check(s, sizeof s / sizeof s[0]);
}

DD_TEST(strsort_random_paths)
{
	enum { N = 20000 };
	static char buf[N][64];
	static char *s[N];
	static const char *const pre[] = { "", "usr/lib/", "app/node_modules/", "app/node_modules/@s/",
					   "usr/lib/python3/dist-packages/" };
	for (size_t i = 0; i < N; i++) {
		unsigned r = next();
		snprintf(buf[i], sizeof buf[i], "%s%s%u%s", pre[r % 5], (r >> 3) & 1 ? "pkg-" : "x",
			 next() % (unsigned)(i + 1), (r >> 4) & 1 ? "/package.json" : "");
		s[i] = buf[i];
	}
	check(s, N);
}

DD_TEST(strsort_many_equal_and_few_keys)
{
	enum { N = 5000 };
	static char buf[N][80];
	static char *s[N];
	for (size_t i = 0; i < N; i++) {
		/* Long shared prefix, three distinct tails: deep equal ranges. */
		snprintf(buf[i], sizeof buf[i], "%060d/%c", 0, "abc"[next() % 3]);
		s[i] = buf[i];
	}
	check(s, N);
}

DD_TEST(strsort_budget_fallback)
{
	/* Already sorted and reversed runs of one-byte steps: median-of-three
	 * pivots on organ-pipe input recurse deeply; the result must still be
	 * exactly strcmp order whichever path finishes it. */
	enum { N = 4096 };
	static char buf[N][8];
	static char *s[N];
	for (size_t i = 0; i < N; i++) {
		unsigned v = i < N / 2 ? (unsigned)i : (unsigned)(N - 1 - i);
		buf[i][0] = (char)(1 + (v >> 6));
		buf[i][1] = (char)(1 + (v & 63));
		buf[i][2] = (char)(1 + (unsigned)i % 7);
		buf[i][3] = '\0';
		s[i] = buf[i];
	}
	check(s, N);
}
