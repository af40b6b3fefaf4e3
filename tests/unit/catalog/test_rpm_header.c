/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpm header decoder (catalog/rpm_header.c) on blobs built here: fields,
 * epoch, file names from dirnames/basenames/dirindexes and from
 * OLDFILENAMES, regions and their trailers, dribble overrides, and every
 * bounds check (offsets, counts, strings, types, dirindexes).
 */
#include <stdint.h>

#include "catalog/os_pkgdb.h"
#include "dd_test.h"
#include "util/arena.h"

enum { T_INT32 = 4, T_STRING = 6, T_BIN = 7, T_ARRAY = 8 };

struct hb {
	unsigned char index[64 * 16];
	unsigned char data[8192];
	uint32_t il, dl;
	unsigned char out[16384];
	size_t n;
};

static void be(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void entry(struct hb *h, uint32_t tag, uint32_t type, uint32_t off, uint32_t count)
{
	unsigned char *e = h->index + 16 * h->il++;
	be(e, tag);
	be(e + 4, type);
	be(e + 8, off);
	be(e + 12, count);
}

static void str(struct hb *h, uint32_t tag, const char *s)
{
	entry(h, tag, T_STRING, h->dl, 1);
	memcpy(h->data + h->dl, s, strlen(s) + 1);
	h->dl += (uint32_t)strlen(s) + 1;
}

static void strs(struct hb *h, uint32_t tag, const char *const *v, uint32_t n)
{
	entry(h, tag, T_ARRAY, h->dl, n);
	for (uint32_t i = 0; i < n; i++) {
		memcpy(h->data + h->dl, v[i], strlen(v[i]) + 1);
		h->dl += (uint32_t)strlen(v[i]) + 1;
	}
}

static void ints(struct hb *h, uint32_t tag, const uint32_t *v, uint32_t n)
{
	while (h->dl % 4)
		h->data[h->dl++] = 0;
	entry(h, tag, T_INT32, h->dl, n);
	for (uint32_t i = 0; i < n; i++, h->dl += 4)
		be(h->data + h->dl, v[i]);
}

/* Finishes: optional region entry (tag 63) in front, trailer in data. */
static void finish(struct hb *h, bool region)
{
	uint32_t il = h->il + (region ? 1 : 0);
	size_t o = 8;
	be(h->out, il);
	if (region) {
		unsigned char *t = h->data + h->dl;
		be(t, 63);
		be(t + 4, T_BIN);
		be(t + 8, (uint32_t)-(int32_t)(il * 16));
		be(t + 12, 16);
		unsigned char *e = h->out + o;
		be(e, 63);
		be(e + 4, T_BIN);
		be(e + 8, h->dl);
		be(e + 12, 16);
		o += 16;
		h->dl += 16;
	}
	be(h->out + 4, h->dl);
	memcpy(h->out + o, h->index, 16 * (size_t)h->il);
	o += 16 * (size_t)h->il;
	memcpy(h->out + o, h->data, h->dl);
	h->n = o + h->dl;
}

static void basic(struct hb *h)
{
	memset(h, 0, sizeof *h);
	str(h, 1000, "bash");
	str(h, 1001, "5.1.8");
	str(h, 1002, "6.el9");
	str(h, 1014, "GPLv3+");
	str(h, 1022, "x86_64");
	str(h, 1044, "bash-5.1.8-6.el9.src.rpm");
	uint32_t epoch = 1;
	ints(h, 1003, &epoch, 1);
	static const char *const dirs[] = { "/usr/bin/", "/usr/share/doc/bash/" };
	static const char *const base[] = { "bash", "sh", "README" };
	uint32_t idx[] = { 0, 0, 1 };
	ints(h, 1116, idx, 3);
	strs(h, 1117, base, 3);
	strs(h, 1118, dirs, 2);
}

DD_TEST(fields_and_files)
{
	struct dd_arena *a = dd_arena_new(0);
	struct hb h;
	struct dd_rpm_hdr r;
	struct dd_err err;
	for (int region = 0; region < 2; region++) {
		basic(&h);
		finish(&h, region);
		ASSERT_OK(dd_rpm_header_parse(h.out, h.n, true, &r, a, &err), &err);
		EXPECT_STR_EQ(r.name, "bash");
		EXPECT_STR_EQ(r.version, "5.1.8");
		EXPECT_STR_EQ(r.release, "6.el9");
		EXPECT_STR_EQ(r.arch, "x86_64");
		EXPECT_STR_EQ(r.license, "GPLv3+");
		EXPECT_STR_EQ(r.sourcerpm, "bash-5.1.8-6.el9.src.rpm");
		EXPECT_TRUE(r.has_epoch);
		EXPECT_EQ_INT(r.epoch, 1);
		EXPECT_TRUE(r.modularity == NULL);
		ASSERT_EQ_INT(r.nfiles, 3);
		EXPECT_STR_EQ(r.files[0], "usr/bin/bash");
		EXPECT_STR_EQ(r.files[1], "usr/bin/sh");
		EXPECT_STR_EQ(r.files[2], "usr/share/doc/bash/README");
		/* Without files, the same fields. */
		ASSERT_OK(dd_rpm_header_parse(h.out, h.n, false, &r, a, &err), &err);
		EXPECT_EQ_INT(r.nfiles, 0);
		EXPECT_STR_EQ(r.name, "bash");
	}
	dd_arena_free(a);
}

DD_TEST(modularity_oldfilenames_and_dribble)
{
	struct dd_arena *a = dd_arena_new(0);
	struct hb h;
	struct dd_rpm_hdr r;
	struct dd_err err;
	memset(&h, 0, sizeof h);
	str(&h, 1000, "nginx");
	str(&h, 1001, "1.20.1");
	str(&h, 1002, "1.module+el8.8.0+1234+abcd");
	str(&h, 5096, "nginx:1.20:8080020230:63b34585");
	static const char *const old[] = { "/etc/nginx/nginx.conf", "/usr/sbin/nginx" };
	strs(&h, 1027, old, 2);
	str(&h, 1002, "2.override"); /* a later entry of a tag wins */
	finish(&h, true);
	ASSERT_OK(dd_rpm_header_parse(h.out, h.n, true, &r, a, &err), &err);
	EXPECT_STR_EQ(r.modularity, "nginx:1.20:8080020230:63b34585");
	EXPECT_STR_EQ(r.release, "2.override");
	EXPECT_TRUE(!r.has_epoch);
	EXPECT_TRUE(r.arch == NULL);
	ASSERT_EQ_INT(r.nfiles, 2);
	EXPECT_STR_EQ(r.files[1], "usr/sbin/nginx");
	dd_arena_free(a);
}

static void expect_bad(const unsigned char *blob, size_t n, const char *msg_part)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_rpm_hdr r;
	struct dd_err err;
	dd_err_clear(&err);
	dd_code rc = dd_rpm_header_parse(blob, n, true, &r, a, &err);
	EXPECT_TRUE(rc == DD_EINVAL || rc == DD_ELIMIT);
	if (!strstr(err.msg, msg_part))
		dd_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", err.msg, msg_part);
	dd_arena_free(a);
}

DD_TEST(bounds_checks)
{
	struct hb h;
	basic(&h);
	finish(&h, true);
	static unsigned char b[16384];

	expect_bad(h.out, 7, "too short");
	for (size_t cut = 8; cut < h.n; cut += 7)
		expect_bad(h.out, cut, "header needs");

	memcpy(b, h.out, h.n);
	be(b, 0);
	expect_bad(b, h.n, "0 index entries");
	memcpy(b, h.out, h.n);
	be(b, 0x10000);
	expect_bad(b, h.n, "index entries");
	memcpy(b, h.out, h.n);
	be(b + 4, 0x7fffffff);
	expect_bad(b, h.n, "data store of");

	/* Entry 1 (NAME): offset past the data, unknown type, zero count. */
	memcpy(b, h.out, h.n);
	be(b + 8 + 16 + 8, 0xffffff00);
	expect_bad(b, h.n, "past the");
	memcpy(b, h.out, h.n);
	be(b + 8 + 16 + 4, 42);
	expect_bad(b, h.n, "unknown type 42");
	memcpy(b, h.out, h.n);
	be(b + 8 + 16 + 12, 0);
	expect_bad(b, h.n, "no strings");
	memcpy(b, h.out, h.n);
	be(b + 8 + 16 + 4, T_INT32);
	expect_bad(b, h.n, "not a string");

	/* Region entry and trailer. */
	memcpy(b, h.out, h.n);
	be(b + 8 + 12, 15);
	expect_bad(b, h.n, "region tag 63: bad entry");
	uint32_t dl = ((uint32_t)h.out[4] << 24) | ((uint32_t)h.out[5] << 16) |
		      ((uint32_t)h.out[6] << 8) | h.out[7];
	uint32_t il = h.out[3];
	size_t trailer = 8 + 16 * (size_t)il + dl - 16;
	memcpy(b, h.out, h.n);
	be(b + trailer + 8, 16);
	expect_bad(b, h.n, "bad trailer");
	memcpy(b, h.out, h.n);
	be(b + trailer + 8, (uint32_t)-(int32_t)(16 * (il + 1)));
	expect_bad(b, h.n, "bad trailer");
	memcpy(b, h.out, h.n);
	be(b + trailer, 1000);
	expect_bad(b, h.n, "bad trailer");

	/* A string running to the end of the data store: the last byte of
	 * the data is the trailer's, so make the last string unterminated by
	 * building a header whose only data is "abc" without NUL. */
	struct hb u;
	memset(&u, 0, sizeof u);
	str(&u, 1000, "x");
	str(&u, 1001, "1");
	str(&u, 1002, "1");
	finish(&u, false);
	u.out[u.n - 1] = 'z';
	expect_bad(u.out, u.n, "runs past");

	/* DIRINDEXES pointing past DIRNAMES, and of the wrong count. */
	struct hb d;
	memset(&d, 0, sizeof d);
	str(&d, 1000, "x");
	str(&d, 1001, "1");
	str(&d, 1002, "1");
	static const char *const one[] = { "f" };
	static const char *const root[] = { "/" };
	uint32_t bad_idx = 5;
	ints(&d, 1116, &bad_idx, 1);
	strs(&d, 1117, one, 1);
	strs(&d, 1118, root, 1);
	finish(&d, true);
	expect_bad(d.out, d.n, "DIRINDEXES[0] = 5");
	memset(&d, 0, sizeof d);
	str(&d, 1000, "x");
	str(&d, 1001, "1");
	str(&d, 1002, "1");
	strs(&d, 1117, one, 1);
	finish(&d, true);
	expect_bad(d.out, d.n, "BASENAMES without");
	/* A string array whose count cannot fit. */
	memset(&d, 0, sizeof d);
	str(&d, 1000, "x");
	str(&d, 1001, "1");
	str(&d, 1002, "1");
	uint32_t zero = 0;
	ints(&d, 1116, &zero, 1);
	strs(&d, 1117, one, 1);
	entry(&d, 1118, T_ARRAY, d.dl, 1000000);
	d.data[d.dl++] = '/';
	d.data[d.dl++] = 0;
	finish(&d, true);
	expect_bad(d.out, d.n, "cannot fit");
	/* No NAME. */
	memset(&d, 0, sizeof d);
	str(&d, 1001, "1");
	str(&d, 1002, "1");
	finish(&d, true);
	expect_bad(d.out, d.n, "no NAME");
}

/* Many basenames sharing one long dirname: the path bytes are capped. */
DD_TEST(file_list_expansion_is_bounded)
{
	static struct hb h;
	memset(&h, 0, sizeof h);
	str(&h, 1000, "x");
	str(&h, 1001, "1");
	str(&h, 1002, "1");
	char longdir[4000];
	memset(longdir, 'd', sizeof longdir - 2);
	longdir[0] = '/';
	longdir[sizeof longdir - 2] = '/';
	longdir[sizeof longdir - 1] = '\0';
	static const char *dirs[1];
	dirs[0] = longdir;
	strs(&h, 1118, dirs, 1);
	static uint32_t idx[600];
	static const char *base[600];
	for (int i = 0; i < 600; i++)
		base[i] = "f";
	while (h.dl % 4)
		h.data[h.dl++] = 0;
	entry(&h, 1116, T_INT32, h.dl, 600);
	h.dl += 600 * 4;
	(void)idx;
	strs(&h, 1117, base, 600);
	finish(&h, true);
	struct dd_arena *a = dd_arena_new(0);
	struct dd_rpm_hdr r;
	struct dd_err err;
	EXPECT_EQ_INT(dd_rpm_header_parse(h.out, h.n, true, &r, a, &err), DD_ELIMIT);
	EXPECT_EQ_INT(dd_rpm_header_parse(h.out, h.n, false, &r, a, &err), DD_OK);
	dd_arena_free(a);
}
