/* SPDX-License-Identifier: Apache-2.0 */
/* util/: arena, capped buffer, map, paths, sha256, allocation failures. */
#include "dd_test.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/map.h"
#include "util/path.h"

DD_TEST(arena_strings_and_cap)
{
	struct dd_arena *a = dd_arena_new(64 * 1024);
	ASSERT_TRUE(a);
	char *s = dd_arena_printf(a, "%s-%d", "layer", 3);
	EXPECT_STR_EQ(s, "layer-3");
	EXPECT_STR_EQ(dd_arena_strndup(a, "abcdef", 3), "abc");
	EXPECT_EQ_INT(dd_arena_status(a), DD_OK);
	EXPECT_TRUE(dd_arena_alloc(a, 1 << 20) == NULL);
	EXPECT_EQ_INT(dd_arena_status(a), DD_ELIMIT);
	EXPECT_TRUE(dd_arena_strdup(a, "x") == NULL); /* sticky */
	dd_arena_free(a);
}

/* What one arena allocated lives on in the arena it joins, which keeps
 * allocating from its own current block; ASan sees any block freed early
 * or twice. */
DD_TEST(arena_join_keeps_both)
{
	struct dd_arena *a = dd_arena_new(0), *b = dd_arena_new(0), *empty = dd_arena_new(0);
	ASSERT_TRUE(a && b && empty);
	char *sa = dd_arena_strdup(a, "from a");
	char *sb[100];
	for (int i = 0; i < 100; i++)
		sb[i] = dd_arena_printf(b, "from b %d %0500d", i, 0); /* several blocks */
	dd_arena_join(a, b);
	dd_arena_join(a, empty);
	dd_arena_join(a, NULL);
	char *after = dd_arena_strdup(a, "after");
	EXPECT_STR_EQ(sa, "from a");
	EXPECT_TRUE(!strncmp(sb[99], "from b 99 ", 10));
	EXPECT_STR_EQ(after, "after");
	EXPECT_TRUE(dd_arena_used(a) > 100 * 500);
	struct dd_arena *c = dd_arena_new(0), *d = dd_arena_new(0);
	ASSERT_TRUE(c && d);
	dd_arena_join(c, d); /* both empty */
	EXPECT_STR_EQ(dd_arena_strdup(c, "x"), "x");
	dd_arena_free(c);
	dd_arena_free(a);
}

DD_TEST(buf_limit)
{
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 8);
	ASSERT_OK(dd_buf_puts(&b, "12345678", &err), &err);
	EXPECT_EQ_INT(dd_buf_putc(&b, '9', &err), DD_ELIMIT);
	EXPECT_EQ_INT(b.len, 8);
	EXPECT_STR_EQ(b.data, "12345678");
	dd_buf_release(&b);
}

DD_TEST(map_put_get_del_many)
{
	struct dd_map m;
	struct dd_err err;
	dd_map_init(&m);
	char key[32];
	for (long i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof key, "k%ld", i);
		ASSERT_OK(dd_map_put(&m, key, (size_t)n, (void *)(i + 1), NULL, &err), &err);
	}
	for (long i = 0; i < 10000; i += 2) {
		int n = snprintf(key, sizeof key, "k%ld", i);
		EXPECT_EQ_INT((long)dd_map_del(&m, key, (size_t)n), i + 1);
	}
	EXPECT_EQ_INT(m.count, 5000);
	for (long i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof key, "k%ld", i);
		long v = (long)dd_map_get(&m, key, (size_t)n);
		EXPECT_EQ_INT(v, i % 2 ? i + 1 : 0);
	}
	size_t seen = 0;
	const struct dd_map_slot *s;
	for (size_t it = 0; dd_map_next(&m, &it, &s);)
		seen++;
	EXPECT_EQ_INT(seen, 5000);
	dd_map_release(&m);
}

DD_TEST(path_clean)
{
	static const char *cases[][2] = {
		{ "/etc/os-release", "etc/os-release" },
		{ "./usr//lib/./x", "usr/lib/x" },
		{ "../../etc/passwd", "etc/passwd" },
		{ "a/b/../../../c", "c" },
		{ "/", "" },
		{ "usr/lib/", "usr/lib" },
	};
	char out[256];
	struct dd_err err;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ASSERT_OK(dd_path_clean(cases[i][0], strlen(cases[i][0]), out, sizeof out, NULL, &err), &err);
		EXPECT_STR_EQ(out, cases[i][1]);
	}
	EXPECT_TRUE(dd_path_escapes("../x", 4));
	EXPECT_TRUE(dd_path_escapes("a/../../x", 9));
	EXPECT_TRUE(!dd_path_escapes("a/../x", 6));
	EXPECT_EQ_INT(dd_path_clean("a\0b", 3, out, sizeof out, NULL, &err), DD_EINVAL);
	EXPECT_EQ_INT(dd_path_clean("abcdef", 6, out, 4, NULL, &err), DD_ELIMIT);
	ASSERT_OK(dd_path_join_link("etc/os-release", "../usr/lib/os-release", out, sizeof out, &err), &err);
	EXPECT_STR_EQ(out, "usr/lib/os-release");
	ASSERT_OK(dd_path_join_link("etc/x", "/opt/y", out, sizeof out, &err), &err);
	EXPECT_STR_EQ(out, "opt/y");
}

DD_TEST(path_match)
{
	EXPECT_TRUE(dd_path_match("var/lib/dpkg/status.d/*", "var/lib/dpkg/status.d/base", 26));
	EXPECT_TRUE(!dd_path_match("var/lib/dpkg/status.d/*", "var/lib/dpkg/status.d/a/b", 26));
	EXPECT_TRUE(dd_path_match("**/package.json", "package.json", 12));
	EXPECT_TRUE(dd_path_match("**/package.json", "app/node_modules/x/package.json", 31));
	EXPECT_TRUE(!dd_path_match("**/package.json", "app/xpackage.json", 17));
	EXPECT_TRUE(dd_path_match("usr/**", "usr/a/b", 7));
	EXPECT_TRUE(dd_path_match("a?c", "abc", 3));
	EXPECT_TRUE(!dd_path_match("a?c", "a/c", 3));
}

DD_TEST(sha256_known_vector)
{
	char hex[DD_DIGEST_STR];
	struct dd_err err;
	ASSERT_OK(dd_sha256_buf("abc", 3, hex, &err), &err);
	EXPECT_STR_EQ(hex, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	EXPECT_TRUE(dd_digest_valid(hex, strlen(hex)));
	EXPECT_TRUE(!dd_digest_valid("sha256:BA78", 11));
}

/* Every allocation in a map build fails once in turn: no crash, no leak,
 * a clean DD_ENOMEM each time. */
DD_TEST(map_each_allocation_fails_once)
{
	for (unsigned long n = 1; n < 64; n++) {
		struct dd_map m;
		struct dd_err err;
		dd_map_init(&m);
		dd_alloc_fail_at(n);
		dd_code rc = DD_OK;
		char key[16];
		for (int i = 0; i < 40 && !rc; i++) {
			int k = snprintf(key, sizeof key, "%d", i);
			rc = dd_map_put(&m, key, (size_t)k, &m, NULL, &err);
		}
		dd_alloc_fail_at(0);
		EXPECT_TRUE(rc == DD_OK || rc == DD_ENOMEM);
		dd_map_release(&m);
	}
}
