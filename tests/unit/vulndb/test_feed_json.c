/* SPDX-License-Identifier: Apache-2.0 */
/* vulndb/feed_json.c: record paths, limits, YAML, JSON writing. */
#include <stdio.h>
#include <string.h>

#include "dd_test.h"
#include "util/arena.h"
#include "util/buf.h"
#include "vulndb/feed_json.h"

struct mem {
	const char *p;
	size_t n, off, chunk;
};

/* Hands out at most `chunk` bytes per read, to cross buffer boundaries. */
static dd_code rd(void *ud, void *buf, size_t cap, size_t *got, struct dd_err *err)
{
	(void)err;
	struct mem *m = ud;
	size_t k = m->n - m->off;
	if (k > cap)
		k = cap;
	if (m->chunk && k > m->chunk)
		k = m->chunk;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	*got = k;
	return DD_OK;
}

struct seen {
	char text[4096];
	int records, skips;
};

static dd_code on_rec(void *ud, const struct fj_record *r, struct dd_err *err)
{
	struct seen *s = ud;
	struct dd_buf b;
	dd_buf_init(&b, 0);
	dd_code rc = fj_write(r->node, &b, err);
	size_t l = strlen(s->text);
	snprintf(s->text + l, sizeof s->text - l, "%d:%s=%s;", r->pattern, r->key ? r->key : "-",
		 b.data ? b.data : "");
	dd_buf_release(&b);
	s->records++;
	return rc;
}

static void on_skip(void *ud, unsigned long index, const char *why)
{
	(void)index;
	(void)why;
	((struct seen *)ud)->skips++;
}

static dd_code run(const char *json, const char *const *pats, size_t np, size_t chunk, size_t max,
		   struct seen *s, struct dd_err *err)
{
	memset(s, 0, sizeof *s);
	struct mem m = { json, strlen(json), 0, chunk };
	struct fj_stream_opts o = { pats, np, on_rec, on_skip, s, max };
	return fj_stream(rd, &m, &o, err);
}

DD_TEST(records_at_paths_across_chunks)
{
	static const char *const pats[] = { "catalogVersion", "vulnerabilities.[]" };
	const char *json = "{\"catalogVersion\":\"2025.1\",\"other\":{\"vulnerabilities\":[1]},"
			   "\"vulnerabilities\":[{\"a\":1,\"b\":[true,null]},\"x\"]}";
	struct seen s;
	struct dd_err err;
	for (size_t chunk = 1; chunk < 8; chunk++) {
		ASSERT_OK(run(json, pats, 2, chunk, 0, &s, &err), &err);
		EXPECT_STR_EQ(s.text, "0:catalogVersion=\"2025.1\";1:-={\"a\":1,\"b\":[true,null]};1:-=\"x\";");
	}
}

DD_TEST(star_pattern_gives_keys)
{
	static const char *const pats[] = { "*" };
	struct seen s;
	struct dd_err err;
	ASSERT_OK(run("{\"musl\":{\"CVE-1\":{}},\"zlib\":[]}", pats, 1, 0, 0, &s, &err), &err);
	EXPECT_STR_EQ(s.text, "0:musl={\"CVE-1\":{}};0:zlib=[];");
}

DD_TEST(json_lines_are_records)
{
	static const char *const pats[] = { "" };
	struct seen s;
	struct dd_err err;
	ASSERT_OK(run("{\"id\":1}\n{\"id\":2}\n", pats, 1, 3, 0, &s, &err), &err);
	EXPECT_STR_EQ(s.text, "0:-={\"id\":1};0:-={\"id\":2};");
}

DD_TEST(oversized_record_is_skipped_not_fatal)
{
	static const char *const pats[] = { "[]" };
	struct seen s;
	struct dd_err err;
	char big[12000];
	snprintf(big, sizeof big, "[{\"a\":\"%05000d\"},{\"b\":2},{\"c\":[[[\"%05000d\"]]]},3]", 0, 0);
	ASSERT_OK(run(big, pats, 1, 100, 4096, &s, &err), &err);
	EXPECT_EQ_INT(s.skips, 2);
	EXPECT_STR_EQ(s.text, "0:-={\"b\":2};0:-=3;");
}

DD_TEST(deep_nesting_is_bounded)
{
	static const char *const pats[] = { "[]" };
	char deep[400];
	size_t n = 0;
	deep[n++] = '[';
	for (int i = 0; i < 100; i++)
		deep[n++] = '[';
	for (int i = 0; i < 100; i++)
		deep[n++] = ']';
	deep[n++] = ',';
	deep[n++] = '1';
	deep[n++] = ']';
	deep[n] = '\0';
	struct seen s;
	struct dd_err err;
	ASSERT_OK(run(deep, pats, 1, 0, 0, &s, &err), &err);
	EXPECT_EQ_INT(s.skips, 1);
	EXPECT_STR_EQ(s.text, "0:-=1;");
	/* Outside any record the depth limit stops the document. */
	static const char *const none[] = { "x" };
	EXPECT_EQ_INT(run(deep, none, 1, 0, 0, &s, &err), DD_ELIMIT);
}

DD_TEST(syntax_error_keeps_earlier_records)
{
	static const char *const pats[] = { "[]" };
	struct seen s;
	struct dd_err err;
	EXPECT_EQ_INT(run("[{\"a\":1},{\"b\":,}]", pats, 1, 0, 0, &s, &err), DD_EINVAL);
	EXPECT_TRUE(strstr(err.msg, "invalid JSON at byte") != NULL);
	EXPECT_STR_EQ(s.text, "0:-={\"a\":1};");
	EXPECT_EQ_INT(run("[{\"a\":1}", pats, 1, 0, 0, &s, &err), DD_EINVAL);
}

DD_TEST(strings_escape_back_to_json)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_err err;
	const char *in = "{\"k\\\"\":\"a\\u0001\\n\\\\ \\u00e9\"}";
	struct fj *n = fj_parse(a, in, strlen(in), &err);
	ASSERT_TRUE(n != NULL);
	struct dd_buf b;
	dd_buf_init(&b, 0);
	ASSERT_OK(fj_write(n, &b, &err), &err);
	EXPECT_STR_EQ(b.data, "{\"k\\\"\":\"a\\u0001\\u000a\\\\ \xc3\xa9\"}");
	/* and it parses again to the same text */
	struct fj *again = fj_parse(a, b.data, b.len, &err);
	struct dd_buf b2;
	dd_buf_init(&b2, 0);
	ASSERT_OK(fj_write(again, &b2, &err), &err);
	EXPECT_STR_EQ(b.data, b2.data);
	EXPECT_TRUE(fj_parse(a, "[1] [2]", 7, &err) == NULL);
	dd_buf_release(&b);
	dd_buf_release(&b2);
	dd_arena_free(a);
}

static dd_code yrun(const char *yaml, const char *const *pats, size_t np, size_t max, struct seen *s,
		    struct dd_err *err)
{
	memset(s, 0, sizeof *s);
	struct mem m = { yaml, strlen(yaml), 0, 5 };
	struct fj_stream_opts o = { pats, np, on_rec, on_skip, s, max };
	return fj_yaml_stream(rd, &m, &o, err);
}

DD_TEST(yaml_scalars_stay_strings)
{
	static const char *const pats[] = { "distroversion", "packages.[]" };
	const char *y = "distroversion: v3.10\npackages:\n  - pkg:\n      name: musl\n      secfixes:\n"
			"        1.1.22-r3:\n          - CVE-2019-14697\n        \"0\": []\n  - ~\n";
	struct seen s;
	struct dd_err err;
	ASSERT_OK(yrun(y, pats, 2, 0, &s, &err), &err);
	EXPECT_STR_EQ(s.text, "0:distroversion=\"v3.10\";1:-={\"pkg\":{\"name\":\"musl\",\"secfixes\":"
			      "{\"1.1.22-r3\":[\"CVE-2019-14697\"],\"0\":[]}}};1:-=null;");
}

DD_TEST(yaml_aliases_do_not_expand)
{
	static const char *const pats[] = { "" };
	const char *y = "a: &x [1, 2, 3]\nb: [*x, *x, *x]\n";
	struct seen s;
	struct dd_err err;
	ASSERT_OK(yrun(y, pats, 1, 0, &s, &err), &err);
	EXPECT_STR_EQ(s.text, "0:-={\"a\":[\"1\",\"2\",\"3\"],\"b\":[null,null,null]};");
}

DD_TEST(yaml_limits_and_errors)
{
	static const char *const pats[] = { "" };
	struct seen s;
	struct dd_err err;
	EXPECT_EQ_INT(yrun("a: [1, 2\n", pats, 1, 0, &s, &err), DD_EINVAL);
	EXPECT_TRUE(strstr(err.msg, "invalid YAML at line") != NULL);
	char big[2048];
	memset(big, 'x', sizeof big - 1);
	big[0] = 'a';
	big[1] = ':';
	big[2] = ' ';
	big[sizeof big - 1] = '\0';
	EXPECT_EQ_INT(yrun(big, pats, 1, 1000, &s, &err), DD_ELIMIT);
	EXPECT_EQ_INT(yrun("? [a]\n: b\n", pats, 1, 0, &s, &err), DD_EUNSUPPORTED);
}

/* Found by fuzz_import_debian_dsa: a DSA list version with a byte that is
 * not UTF-8 made stored ranges JSON that did not parse again. */
DD_TEST(invalid_utf8_becomes_replacement_char)
{
	struct fj n = { .type = FJ_STR, .str = "a\xab" "b\xe2\x82\xac" "c\xed\xa0\x80", .len = 10 };
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 0);
	ASSERT_OK(fj_write(&n, &b, &err), &err);
	EXPECT_STR_EQ(b.data, "\"a\\ufffdb\xe2\x82\xac" "c\\ufffd\\ufffd\\ufffd\"");
	struct dd_arena *a = dd_arena_new(0);
	EXPECT_TRUE(fj_parse(a, b.data, b.len, &err) != NULL);
	dd_arena_free(a);
	dd_buf_release(&b);
}
