/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random version strings from each scheme's grammar, for the property and
 * differential tests (test_version.c, test_version_diff.c) and the fuzz
 * targets' seeds. Deterministic: xorshift64 with a caller-given seed. The
 * generators bias towards near-equal strings (shared prefixes, small
 * alphabets) so comparisons go deep instead of stopping at the first
 * character.
 */
#ifndef DD_TEST_VGEN_H
#define DD_TEST_VGEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct vgen {
	uint64_t s;
};

static inline uint64_t vg_next(struct vgen *g)
{
	uint64_t x = g->s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return g->s = x;
}

static inline unsigned vg_n(struct vgen *g, unsigned n)
{
	return (unsigned)(vg_next(g) % n);
}

static inline void vg_pick(struct vgen *g, char *o, size_t *k, size_t cap, const char *alpha)
{
	if (*k + 1 < cap)
		o[(*k)++] = alpha[vg_n(g, (unsigned)strlen(alpha))];
	o[*k] = '\0';
}

static inline void vg_puts(char *o, size_t *k, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (*k + n < cap) {
		memcpy(o + *k, s, n);
		*k += n;
	}
	o[*k] = '\0';
}

static inline void vg_num(struct vgen *g, char *o, size_t *k, size_t cap)
{
	static const char *const nums[] = { "0", "1", "2", "9", "10", "01", "00", "123", "999999999999" };
	vg_puts(o, k, cap, nums[vg_n(g, 9)]);
}

/* dpkg: [epoch:]upstream[-revision] with upstream starting with a digit. */
static inline void vg_dpkg(struct vgen *g, char *o, size_t cap)
{
	size_t k = 0;
	o[0] = '\0';
	if (vg_n(g, 4) == 0) {
		vg_pick(g, o, &k, cap, "0129");
		vg_puts(o, &k, cap, ":");
	}
	vg_pick(g, o, &k, cap, "0123456789");
	unsigned n = vg_n(g, 8);
	for (unsigned i = 0; i < n; i++)
		vg_pick(g, o, &k, cap, "0019aazZ..++~~");
	if (vg_n(g, 2)) {
		vg_puts(o, &k, cap, "-");
		unsigned m = 1 + vg_n(g, 5);
		for (unsigned i = 0; i < m; i++)
			vg_pick(g, o, &k, cap, "0129ab.+~");
	}
}

/* rpm: the three EVR parts separately (epoch may be empty). */
static inline void vg_rpm(struct vgen *g, char *e, char *v, char *r, size_t cap)
{
	size_t k = 0;
	e[0] = '\0';
	if (vg_n(g, 3) == 0)
		vg_pick(g, e, &k, cap, "0123");
	k = 0;
	v[0] = '\0';
	unsigned n = 1 + vg_n(g, 9);
	for (unsigned i = 0; i < n; i++)
		vg_pick(g, v, &k, cap, "00129aabZ.._+~^");
	k = 0;
	r[0] = '\0';
	n = 1 + vg_n(g, 5);
	for (unsigned i = 0; i < n; i++)
		vg_pick(g, r, &k, cap, "0129ab.~^_");
}

static inline void vg_apk(struct vgen *g, char *o, size_t cap)
{
	static const char *const suf[] = { "_alpha", "_beta", "_pre", "_rc", "_p", "_cvs", "_svn", "_git", "_hg" };
	size_t k = 0;
	o[0] = '\0';
	vg_num(g, o, &k, cap);
	unsigned n = vg_n(g, 4);
	for (unsigned i = 0; i < n; i++) {
		vg_puts(o, &k, cap, ".");
		vg_num(g, o, &k, cap);
	}
	if (vg_n(g, 4) == 0)
		vg_pick(g, o, &k, cap, "abz");
	n = vg_n(g, 3);
	for (unsigned i = 0; i < n; i++) {
		vg_puts(o, &k, cap, suf[vg_n(g, 9)]);
		if (vg_n(g, 2))
			vg_num(g, o, &k, cap);
	}
	if (vg_n(g, 5) == 0) {
		vg_puts(o, &k, cap, "~");
		vg_pick(g, o, &k, cap, "0123abcdef");
	}
	if (vg_n(g, 2)) {
		vg_puts(o, &k, cap, "-r");
		vg_num(g, o, &k, cap);
	}
}

static inline void vg_semver_num(struct vgen *g, char *o, size_t *k, size_t cap)
{
	static const char *const nums[] = { "0", "1", "2", "10", "11" };
	vg_puts(o, k, cap, nums[vg_n(g, 5)]);
}

/* SemVer 2.0.0 (valid for semver, npm, and with "v" for go). */
static inline void vg_semver(struct vgen *g, char *o, size_t cap, bool v)
{
	static const char *const ids[] = { "alpha", "beta", "rc", "0", "1", "2", "11", "x-y", "A" };
	size_t k = 0;
	o[0] = '\0';
	if (v)
		vg_puts(o, &k, cap, "v");
	for (int i = 0; i < 3; i++) {
		if (i)
			vg_puts(o, &k, cap, ".");
		vg_semver_num(g, o, &k, cap);
	}
	if (vg_n(g, 2)) {
		vg_puts(o, &k, cap, "-");
		unsigned n = 1 + vg_n(g, 3);
		for (unsigned i = 0; i < n; i++) {
			if (i)
				vg_puts(o, &k, cap, ".");
			vg_puts(o, &k, cap, ids[vg_n(g, 9)]);
		}
	}
	if (vg_n(g, 4) == 0)
		vg_puts(o, &k, cap, vg_n(g, 2) ? "+build.1" : "+incompatible");
}

static inline void vg_pep440(struct vgen *g, char *o, size_t cap)
{
	static const char *const pre[] = { "a", "b", "rc", "alpha", "c", "pre", "-beta" };
	size_t k = 0;
	o[0] = '\0';
	if (vg_n(g, 6) == 0)
		vg_puts(o, &k, cap, "1!");
	unsigned n = 1 + vg_n(g, 3);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			vg_puts(o, &k, cap, ".");
		vg_semver_num(g, o, &k, cap);
	}
	if (vg_n(g, 3) == 0) {
		vg_puts(o, &k, cap, pre[vg_n(g, 7)]);
		vg_semver_num(g, o, &k, cap);
	}
	if (vg_n(g, 3) == 0)
		vg_puts(o, &k, cap, vg_n(g, 2) ? ".post1" : "-2");
	if (vg_n(g, 3) == 0)
		vg_puts(o, &k, cap, vg_n(g, 2) ? ".dev0" : ".dev3");
	if (vg_n(g, 4) == 0)
		vg_puts(o, &k, cap, vg_n(g, 2) ? "+ubuntu.1" : "+2");
}

/* Maven: non-zero numbers only. ComparableVersion is not transitive when
 * a zero item precedes a nested list: [0-0.alpha1] > [0sp] by the first
 * item, yet 0-0.alpha1 < 0 < 0sp. That is Maven's order, which we keep. */
static inline void vg_maven_num(struct vgen *g, char *o, size_t *k, size_t cap)
{
	static const char *const nums[] = { "1", "2", "10", "11", "123" };
	vg_puts(o, k, cap, nums[vg_n(g, 5)]);
}

static inline void vg_maven(struct vgen *g, char *o, size_t cap)
{
	/* Realistic shapes only (1.2.3, 1.0-alpha-1, 2.0.RELEASE, 1.0-rc2-1):
	 * a qualifier in the middle of the dotted numbers ("11.m.foo2") makes
	 * Maven's own order cyclic (11m10 < 11 < 11.m.foo2 < 11m10). */
	static const char *const q[] = { "alpha", "beta", "rc", "cr", "SNAPSHOT", "sp", "foo", "a", "m", "RC", "b", "jre" };
	size_t k = 0;
	o[0] = '\0';
	vg_maven_num(g, o, &k, cap);
	unsigned n = vg_n(g, 4);
	for (unsigned i = 0; i < n; i++) {
		vg_puts(o, &k, cap, ".");
		vg_maven_num(g, o, &k, cap);
	}
	if (vg_n(g, 2)) {
		vg_puts(o, &k, cap, vg_n(g, 3) ? "-" : ".");
		vg_puts(o, &k, cap, q[vg_n(g, 12)]);
		if (vg_n(g, 2)) {
			vg_puts(o, &k, cap, vg_n(g, 2) ? "-" : "");
			vg_maven_num(g, o, &k, cap);
		}
	}
}

static inline void vg_gem(struct vgen *g, char *o, size_t cap)
{
	static const char *const q[] = { "a", "b", "pre", "rc", "beta" };
	size_t k = 0;
	o[0] = '\0';
	vg_semver_num(g, o, &k, cap);
	unsigned n = vg_n(g, 4);
	for (unsigned i = 0; i < n; i++) {
		vg_puts(o, &k, cap, ".");
		if (vg_n(g, 4) == 0)
			vg_puts(o, &k, cap, q[vg_n(g, 5)]);
		else
			vg_semver_num(g, o, &k, cap);
	}
}

static inline void vg_composer(struct vgen *g, char *o, size_t cap)
{
	static const char *const q[] = { "-alpha", "-beta2", "-RC1", "-patch1", "-dev", "-p3", "" };
	size_t k = 0;
	o[0] = '\0';
	if (vg_n(g, 3) == 0)
		vg_puts(o, &k, cap, "v");
	unsigned n = 1 + vg_n(g, 4);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			vg_puts(o, &k, cap, ".");
		vg_semver_num(g, o, &k, cap);
	}
	vg_puts(o, &k, cap, q[vg_n(g, 7)]);
}

static inline void vg_nuget(struct vgen *g, char *o, size_t cap)
{
	static const char *const ids[] = { "alpha", "Alpha", "beta", "1", "2", "rc" };
	size_t k = 0;
	o[0] = '\0';
	unsigned n = 1 + vg_n(g, 4);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			vg_puts(o, &k, cap, ".");
		vg_semver_num(g, o, &k, cap);
	}
	if (vg_n(g, 2)) {
		vg_puts(o, &k, cap, "-");
		vg_puts(o, &k, cap, ids[vg_n(g, 6)]);
	}
}

/* Any scheme by name; returns false for an unknown one. */
static inline bool vg_any(struct vgen *g, const char *scheme, char *o, size_t cap)
{
	if (!strcmp(scheme, "dpkg"))
		vg_dpkg(g, o, cap);
	else if (!strcmp(scheme, "rpm")) {
		char e[8], v[64], r[64];
		vg_rpm(g, e, v, r, sizeof v);
		snprintf(o, cap, "%s%s%s-%s", e, e[0] ? ":" : "", v, r);
	} else if (!strcmp(scheme, "apk"))
		vg_apk(g, o, cap);
	else if (!strcmp(scheme, "semver") || !strcmp(scheme, "npm"))
		vg_semver(g, o, cap, false);
	else if (!strcmp(scheme, "go"))
		vg_semver(g, o, cap, true);
	else if (!strcmp(scheme, "pep440"))
		vg_pep440(g, o, cap);
	else if (!strcmp(scheme, "maven"))
		vg_maven(g, o, cap);
	else if (!strcmp(scheme, "gem"))
		vg_gem(g, o, cap);
	else if (!strcmp(scheme, "composer"))
		vg_composer(g, o, cap);
	else if (!strcmp(scheme, "nuget"))
		vg_nuget(g, o, cap);
	else
		return false;
	return true;
}

#endif
