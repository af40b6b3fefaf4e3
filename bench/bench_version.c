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
 * measurement, default 0.2; each pair is measured alternately 7 times and
 * the best of each is kept].
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

static double slice; /* seconds per measurement */
static struct pair dp[NPAIRS], rp[NPAIRS];

static double ours_on(const char *scheme, const struct pair *p)
{
	const struct dd_version_scheme *s = dd_version_scheme_find(scheme);
	return MEASURE(slice, {
		int c = 0;
		dd_version_compare_n(s, p[i].a, p[i].an, p[i].b, p[i].bn, 0, &c, NULL);
		acc_ += c;
	});
}

static double ours_dpkg(void) { return ours_on("dpkg", dp); }
static double ours_rpm(void) { return ours_on("rpm", rp); }

static struct dd_version_parsed qa[NPAIRS], qb[NPAIRS];

static double ours_dpkg_parsed(void)
{
	return MEASURE(slice, { acc_ += dd_version_compare_parsed(&qa[i], &qb[i]); });
}

#ifdef DD_HAVE_LIBDPKG
static struct dpkg_version pa[NPAIRS], pb[NPAIRS];

static double libdpkg_strings(void)
{
	double r = MEASURE(slice, {
		struct dpkg_version va, vb;
		struct dpkg_error e;
		parseversion(&va, dp[i].a, &e);
		parseversion(&vb, dp[i].b, &e);
		acc_ += dpkg_version_compare(&va, &vb);
		/* parseversion allocates from libdpkg's obstack */
		if (i == NPAIRS - 1)
			nffreeall();
	});
	return r;
}

static double libdpkg_parsed(void)
{
	return MEASURE(slice, { acc_ += dpkg_version_compare(&pa[i], &pb[i]); });
}
#endif

#ifdef DD_HAVE_LIBRPM
static double librpm(void)
{
	return MEASURE(slice, { acc_ += rpmvercmp(rp[i].a, rp[i].b); });
}
#endif

/* Measures the two alternately, 7 rounds, keeping each one's best: the
 * machine is shared, and alternating exposes both to the same load. */
static void duel(const char *what, double (*mine)(void), double (*ref)(void))
{
	double bm = 0, br = 0;
	for (int r = 0; r < 7; r++) {
		double x = mine(), y = ref();
		if (x > bm)
			bm = x;
		if (y > br)
			br = y;
	}
	printf("%-48s ref %11.0f/s  drydock %11.0f/s  ratio %.2fx\n", what, br, bm, bm / br);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? strtod(argv[1], NULL) : 0.2;
	slice = secs > 0 ? secs : 0.2;
	make_pairs(dp, deb, sizeof deb / sizeof *deb);
	make_pairs(rp, rpmv, sizeof rpmv / sizeof *rpmv);
	const struct dd_version_scheme *ds = dd_version_scheme_find("dpkg");
	for (size_t i = 0; i < NPAIRS; i++) {
		dd_version_parse(ds, dp[i].a, dp[i].an, &qa[i], NULL);
		dd_version_parse(ds, dp[i].b, dp[i].bn, &qb[i], NULL);
	}
	printf("comparisons per second, best of 7 alternating rounds of %.2f s\n", slice);
#ifdef DD_HAVE_LIBDPKG
	for (size_t i = 0; i < NPAIRS; i++) {
		struct dpkg_error e;
		parseversion(&pa[i], dp[i].a, &e);
		parseversion(&pb[i], dp[i].b, &e);
		/* own copies: libdpkg_strings() frees libdpkg's obstack */
		pa[i].version = strdup(pa[i].version);
		pa[i].revision = strdup(pa[i].revision);
		pb[i].version = strdup(pb[i].version);
		pb[i].revision = strdup(pb[i].revision);
	}
	nffreeall();
	duel("dpkg strings: libdpkg parseversion+compare", ours_dpkg, libdpkg_strings);
	duel("dpkg strings vs libdpkg compare of pre-parsed", ours_dpkg, libdpkg_parsed);
	duel("dpkg pre-parsed: libdpkg vs compare_parsed", ours_dpkg_parsed, libdpkg_parsed);
#else
	printf("libdpkg: not available at build time, no dpkg ratio (drydock %.0f/s)\n",
	       ours_dpkg());
#endif
#ifdef DD_HAVE_LIBRPM
	duel("rpm strings: librpm rpmvercmp", ours_rpm, librpm);
#else
	printf("librpm: not available at build time, no rpm ratio (drydock %.0f/s)\n", ours_rpm());
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
		printf("drydock %-8s compare: %11.0f/s\n", others[k][0], ours_on(others[k][0], op));
	}
	return 0;
}
