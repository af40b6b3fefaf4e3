/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Version comparison throughput: comparisons per second on realistic
 * version strings (the shapes found in Debian, RHEL, Alpine, npm, PyPI and
 * Maven advisories), and the ratio against the distributions' own C
 * comparators measured in the same run:
 *   dpkg  libdpkg parseversion + dpkg_version_compare on the same strings
 *         (what `dpkg --compare-versions` does), and dpkg_version_compare
 *         alone on versions parsed beforehand;
 *   rpm   librpm's rpmvercmp on the same strings.
 * A ratio > 1 means drydock is faster. Usage: bench_version [SECONDS per
 * measurement, default 0.5].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dd/version.h"

#ifdef DD_HAVE_LIBDPKG
#define LIBDPKG_VOLATILE_API 1
#include <dpkg/dpkg-db.h>
#include <dpkg/dpkg.h>
#include <dpkg/version.h>
#endif
#ifdef DD_HAVE_LIBRPM
#include <rpm/rpmver.h>
#endif

static const char *const deb[] = {
	"2.36.1-8+deb11u1", "2.36.1-8+deb11u2", "1:2.3.4-5ubuntu1", "1:2.3.4-5ubuntu1.1",
	"7.74.0-1.3+deb11u7", "7.74.0-1.3+deb11u14", "1.1.1n-0+deb11u3", "1.1.1n-0+deb11u5",
	"3.0.11-1~deb12u2", "3.0.11-1~deb12u1", "2.7.4+dfsg-1", "2.7.4+dfsg-1+deb12u1",
	"1:9.18.19-1~deb12u1", "1:9.18.24-1", "5.10.0-28", "6.1.0-18-amd64",
	"0.99.beta19-2", "1.2.13.dfsg-1", "2.2.4-1+b1", "4.9.3-2", "2.38-4ubuntu2",
	"2.38-4ubuntu2.6", "252.22-1~deb12u1", "252.19-1~deb12u1", "1:1.2.13.dfsg-1",
	"8.2.3995-1ubuntu2.15", "10.0.0~rc1-1", "10.0.0-1", "3.7.9-2+deb12u2", "20230311",
};
static const char *const rpmv[] = {
	"2.28-225.el8", "2.28-225.el8_8.6", "1.1.1k-9.el8_7", "1.1.1k-12.el8_9",
	"4.18.0-513.5.1.el8_9", "4.18.0-477.27.1.el8_8", "1:3.0.7-25.el9_3", "1:3.0.7-24.el9",
	"7.61.1-30.el8_8.3", "7.61.1-33.el8", "2.9.13-3.el9_2.1", "2.9.13-5.el9_3",
	"1.2.11-40.el9", "1.2.11-39.el9", "5.1.8-6.el9_1", "252-18.el9", "252-18.el9.0.1",
	"3.6.8-56.el8_9.2", "3.6.8-51.el8", "1.0.0~rc1-1.fc39", "1.0.0-1.fc39", "1.0^git1-1",
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define NPAIRS 4096

struct pair {
	const char *a, *b;
	size_t an, bn;
};

static void make_pairs(struct pair *p, const char *const *list, size_t n)
{
	uint64_t s = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < NPAIRS; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		size_t x = s % n;
		/* half the pairs are neighbours (same package, close versions) */
		size_t y = (s >> 20) % 2 ? (x ^ 1) % n : (s >> 32) % n;
		p[i] = (struct pair){ list[x], list[y], strlen(list[x]), strlen(list[y]) };
	}
}

static volatile long sink;

/* Runs fn over the pairs until secs have passed; returns compares/s. */
#define MEASURE(secs, ...)                                                   \
	({                                                                    \
		double t0_ = now(), t_;                                       \
		unsigned long n_ = 0;                                         \
		long acc_ = 0;                                                \
		do {                                                          \
			for (size_t i = 0; i < NPAIRS; i++) {                 \
				__VA_ARGS__;                                       \
			}                                                     \
			n_ += NPAIRS;                                         \
			t_ = now() - t0_;                                     \
		} while (t_ < (secs));                                        \
		sink += acc_;                                                 \
		(double)n_ / t_;                                              \
	})

static double ours(const char *scheme, const struct pair *p, double secs)
{
	const struct dd_version_scheme *s = dd_version_scheme_find(scheme);
	return MEASURE(secs, {
		int c = 0;
		dd_version_compare_n(s, p[i].a, p[i].an, p[i].b, p[i].bn, 0, &c, NULL);
		acc_ += c;
	});
}

static void report(const char *what, double mine, double ref)
{
	printf("%-44s %12.0f/s  ours %12.0f/s  ratio %.2fx\n", what, ref, mine, mine / ref);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? strtod(argv[1], NULL) : 0.5;
	if (secs <= 0)
		secs = 0.5;
	static struct pair dp[NPAIRS], rp[NPAIRS];
	make_pairs(dp, deb, sizeof deb / sizeof *deb);
	make_pairs(rp, rpmv, sizeof rpmv / sizeof *rpmv);

	double od = ours("dpkg", dp, secs);
	printf("drydock dpkg compare (parse + compare):        %12.0f/s\n", od);
#ifdef DD_HAVE_LIBDPKG
	double ld = MEASURE(secs, {
		struct dpkg_version va, vb;
		struct dpkg_error e;
		parseversion(&va, dp[i].a, &e);
		parseversion(&vb, dp[i].b, &e);
		acc_ += dpkg_version_compare(&va, &vb);
		/* parseversion allocates from libdpkg's obstack */
		if (i == NPAIRS - 1)
			nffreeall();
	});
	report("libdpkg parseversion + dpkg_version_compare", od, ld);
	nffreeall();
	static struct dpkg_version pa[NPAIRS], pb[NPAIRS];
	for (size_t i = 0; i < NPAIRS; i++) {
		struct dpkg_error e;
		parseversion(&pa[i], dp[i].a, &e);
		parseversion(&pb[i], dp[i].b, &e);
	}
	double lc = MEASURE(secs, { acc_ += dpkg_version_compare(&pa[i], &pb[i]); });
	report("libdpkg dpkg_version_compare (pre-parsed)", od, lc);
#else
	printf("libdpkg: not available at build time, no dpkg ratio\n");
#endif

	double orr = ours("rpm", rp, secs);
	printf("drydock rpm compare (EVR parse + rpmvercmp):   %12.0f/s\n", orr);
#ifdef DD_HAVE_LIBRPM
	double lr = MEASURE(secs, { acc_ += rpmvercmp(rp[i].a, rp[i].b); });
	report("librpm rpmvercmp", orr, lr);
#else
	printf("librpm: not available at build time, no rpm ratio\n");
#endif

	/* The other schemes, for scale (no C reference to compare with). */
	static const char *const others[][6] = {
		{ "apk", "1.1.1d-r2", "1.1.1d_p1-r0", "2.10.4-r3", "2.10.4_rc1-r0", "1.31.1-r9" },
		{ "npm", "4.17.21", "4.17.15", "1.0.0-rc.1+build", "1.0.0", "10.2.0-beta.3" },
		{ "pep440", "2!1.0.post1.dev3", "1.0", "2.31.0", "2.31.0rc1", "1.26.18+local.1" },
		{ "maven", "2.17.1", "2.15.0-rc2", "5.3.27.RELEASE", "1.0-SNAPSHOT", "31.1-jre" },
		{ "gem", "7.0.8.1", "7.0.8", "1.15.4", "1.16.0.rc1", "2.8.1" },
		{ "go", "v1.2.3", "v0.0.0-20191109021931-daa7c04131f5", "v2.0.0+incompatible", "v1.2.4-pre", "v0.12.0" },
	};
	for (size_t k = 0; k < sizeof others / sizeof *others; k++) {
		static struct pair op[NPAIRS];
		make_pairs(op, &others[k][1], 5);
		printf("drydock %-8s compare:                      %12.0f/s\n", others[k][0],
		       ours(others[k][0], op, secs / 2));
	}
	return 0;
}
