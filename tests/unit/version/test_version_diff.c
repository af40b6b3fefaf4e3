/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential tests against the distributions' own comparators on this
 * machine, on 100,000 random pairs each from a fixed seed:
 *   dpkg  libdpkg's parseversion + dpkg_version_compare (libdpkg-dev),
 *         linked in when cmake finds it (DD_HAVE_LIBDPKG);
 *   rpm   python3-rpm's rpm.labelCompare((e, v, r), (e, v, r)), through a
 *         small /usr/bin/python3 driver this test writes and runs once.
 * Zero disagreements are required. Without the reference, the test skips
 * and says why. DD_DIFF_PAIRS and DD_DIFF_SEED override count and seed
 * for longer runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/version.h"
#include "dd_test.h"
#include "vgen.h"

#ifdef DD_HAVE_LIBDPKG
#define LIBDPKG_VOLATILE_API 1
#include <dpkg/dpkg-db.h>
#include <dpkg/dpkg.h>
#include <dpkg/version.h>
#endif

static unsigned long pairs(void)
{
	const char *e = getenv("DD_DIFF_PAIRS");
	unsigned long n = e ? strtoul(e, NULL, 10) : 0;
	return n ? n : 100000;
}

static uint64_t seed(uint64_t dflt)
{
	const char *e = getenv("DD_DIFF_SEED");
	uint64_t s = e ? strtoull(e, NULL, 10) : 0;
	return s ? s : dflt;
}

/* Near-equal second operand: sometimes the same, sometimes one change. */
static void mutate(struct vgen *g, const char *a, char *b, size_t cap, const char *alpha)
{
	snprintf(b, cap, "%s", a);
	size_t n = strlen(b);
	unsigned what = vg_n(g, 4);
	if (what == 0 || n == 0)
		return;
	size_t at = vg_n(g, (unsigned)n);
	if (what == 1 && n + 1 < cap) {
		memmove(b + at + 1, b + at, n - at + 1);
		b[at] = alpha[vg_n(g, (unsigned)strlen(alpha))];
	} else if (what == 2) {
		b[at] = alpha[vg_n(g, (unsigned)strlen(alpha))];
	} else {
		b[n - 1] = '\0';
	}
}

DD_TEST(dpkg_vs_libdpkg)
{
#ifndef DD_HAVE_LIBDPKG
	dd_test_skip("libdpkg-dev not found at configure time");
#else
	struct vgen g = { seed(0x5eed0001) };
	const struct dd_version_scheme *s = dd_version_scheme_find("dpkg");
	unsigned long n = pairs(), compared = 0, disagree = 0, both_invalid = 0, tried = 0;
	/* Until n pairs both sides accept; invalid ones are checked on the way. */
	for (; compared < n && tried < 4 * n; tried++) {
		char a[96], b[96];
		vg_dpkg(&g, a, sizeof a);
		if (vg_n(&g, 3))
			mutate(&g, a, b, sizeof b, "019az.+~-:");
		else
			vg_dpkg(&g, b, sizeof b);
		struct dpkg_version da, db;
		struct dpkg_error e1, e2;
		/* dpkg --compare-versions: parse errors fail, warnings are OK */
		int ra = parseversion(&da, a, &e1), rb = parseversion(&db, b, &e2);
		bool okA = ra == 0 || e1.type == DPKG_MSG_WARN;
		bool okB = rb == 0 || e2.type == DPKG_MSG_WARN;
		if (ra != 0)
			dpkg_error_destroy(&e1);
		if (rb != 0)
			dpkg_error_destroy(&e2);
		int ours = 9;
		struct dd_err err = { 0 };
		dd_code rc = dd_version_compare_n(s, a, strlen(a), b, strlen(b), 0, &ours, &err);
		if (!okA || !okB) {
			if (rc != DD_EINVAL && disagree++ < 10)
				dd_test_fail(__FILE__, __LINE__, "[%s] [%s]: dpkg rejects, we say %d",
					     a, b, ours);
			both_invalid++;
			continue;
		}
		int ref = dpkg_version_compare(&da, &db);
		ref = (ref > 0) - (ref < 0);
		compared++;
		if (rc != DD_OK || ours != ref) {
			if (disagree++ < 10)
				dd_test_fail(__FILE__, __LINE__, "[%s] [%s]: libdpkg %d, ours %d (%s)",
					     a, b, ref, ours, err.msg);
		}
	}
	printf("dpkg: %lu pairs compared with libdpkg, %lu more rejected by both, %lu disagreements\n",
	       compared, both_invalid, disagree);
	EXPECT_EQ_INT(disagree, 0);
	EXPECT_EQ_INT(compared, n);
#endif
}

static const char driver[] =
	"import sys, rpm\n"
	"out = []\n"
	"for line in sys.stdin:\n"
	"    f = line.rstrip('\\n').split('\\t')\n"
	"    a = (f[0] or None, f[1], f[2]); b = (f[3] or None, f[4], f[5])\n"
	"    out.append(str(rpm.labelCompare(a, b)))\n"
	"sys.stdout.write('\\n'.join(out) + '\\n')\n";

DD_TEST(rpm_vs_labelCompare)
{
	if (dd_test_run("/usr/bin/python3 -c 'import rpm' 2>/dev/null", NULL) != 0)
		dd_test_skip("python3-rpm is not installed");
	struct vgen g = { seed(0x5eed0002) };
	unsigned long n = pairs();
	char (*A)[3][64] = calloc(n, sizeof *A), (*B)[3][64] = calloc(n, sizeof *B);
	ASSERT_TRUE(A && B);
	char inpath[4096];
	snprintf(inpath, sizeof inpath, "%s/pairs.tsv", dd_test_tmpdir());
	FILE *in = fopen(inpath, "w");
	ASSERT_TRUE(in != NULL);
	for (unsigned long i = 0; i < n; i++) {
		vg_rpm(&g, A[i][0], A[i][1], A[i][2], 64);
		if (vg_n(&g, 3)) {
			memcpy(B[i], A[i], sizeof B[i]);
			int part = (int)vg_n(&g, 3);
			char tmp[64];
			if (part == 0) {
				snprintf(B[i][0], 64, "%s", vg_n(&g, 2) ? "" : "0");
			} else {
				mutate(&g, A[i][part], tmp, sizeof tmp, "019aZ._+~^");
				if (tmp[0])
					snprintf(B[i][part], 64, "%s", tmp);
			}
		} else {
			vg_rpm(&g, B[i][0], B[i][1], B[i][2], 64);
		}
		fprintf(in, "%s\t%s\t%s\t%s\t%s\t%s\n", A[i][0], A[i][1], A[i][2], B[i][0], B[i][1],
			B[i][2]);
	}
	fclose(in);
	dd_test_write("driver.py", driver, sizeof driver - 1);
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "cd '%s' && /usr/bin/python3 driver.py < pairs.tsv",
		 dd_test_tmpdir());
	char *out = NULL;
	ASSERT_EQ_INT(dd_test_run(cmd, &out), 0);
	ASSERT_TRUE(out != NULL);
	const struct dd_version_scheme *s = dd_version_scheme_find("rpm");
	unsigned long disagree = 0, compared = 0;
	char *p = out;
	for (unsigned long i = 0; i < n && p && *p; i++) {
		int ref = (int)strtol(p, &p, 10);
		if (*p == '\n')
			p++;
		char a[200], b[200];
		snprintf(a, sizeof a, "%s%s%s-%s", A[i][0], A[i][0][0] ? ":" : "", A[i][1], A[i][2]);
		snprintf(b, sizeof b, "%s%s%s-%s", B[i][0], B[i][0][0] ? ":" : "", B[i][1], B[i][2]);
		int ours = 9;
		struct dd_err err = { 0 };
		dd_code rc = dd_version_compare_n(s, a, strlen(a), b, strlen(b), 0, &ours, &err);
		compared++;
		if (rc != DD_OK || ours != ref) {
			if (disagree++ < 10)
				dd_test_fail(__FILE__, __LINE__, "[%s] [%s]: labelCompare %d, ours %d (%s)",
					     a, b, ref, ours, err.msg);
		}
	}
	printf("rpm: %lu pairs, %lu compared with rpm.labelCompare, %lu disagreements\n", n,
	       compared, disagree);
	EXPECT_EQ_INT(compared, n);
	EXPECT_EQ_INT(disagree, 0);
	free(out);
	free(A);
	free(B);
}
