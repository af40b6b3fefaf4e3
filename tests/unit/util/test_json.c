/* SPDX-License-Identifier: Apache-2.0 */
/* util/json.h: the shared JSON tree (lookups, iteration, depth limit, doc). */
#include <string.h>

#include "dd_test.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/limits.h"

DD_TEST(json_lookup_and_each)
{
	const char *j = "{\"a\":\"x\",\"n\":42,\"t\":true,\"arr\":[\"p\",1,\"q\"],"
			"\"a\":\"last\",\"z\":\"a\\u0000b\"}";
	struct dd_json_doc doc;
	struct dd_err err;
	ASSERT_OK(dd_json_doc_parse(&doc, j, strlen(j), &err), &err);
	EXPECT_STR_EQ(dd_json_str(doc.root, "a"), "last"); /* last duplicate wins */
	uint64_t n = 0;
	EXPECT_TRUE(dd_json_u64(doc.root, "n", &n) && n == 42);
	EXPECT_TRUE(dd_json_is_true(dd_json_get(doc.root, "t")));
	EXPECT_TRUE(!dd_json_is_true(dd_json_get(doc.root, "missing")));
	EXPECT_TRUE(dd_json_str(doc.root, "z") == NULL); /* embedded NUL */
	EXPECT_TRUE(dd_json_as(dd_json_get(doc.root, "arr"), DD_JSON_OBJECT) == NULL);
	size_t strings = 0, all = 0;
	dd_json_each(c, dd_json_as(dd_json_get(doc.root, "arr"), DD_JSON_ARRAY)) {
		all++;
		strings += dd_json_string(c) != NULL;
	}
	EXPECT_EQ_INT(all, 3);
	EXPECT_EQ_INT(strings, 2);
	size_t members = 0;
	dd_json_each(c, doc.root)
		members += c->key != NULL;
	EXPECT_EQ_INT(members, 6);
	dd_json_doc_release(&doc);
}

DD_TEST(json_depth_limit_and_errors)
{
	char deep[DD_LIMIT_JSON_DEPTH + 2];
	memset(deep, '[', sizeof deep);
	struct dd_json_doc doc;
	struct dd_err err;
	EXPECT_EQ_INT(dd_json_doc_parse(&doc, deep, sizeof deep, &err), DD_ELIMIT);
	EXPECT_TRUE(doc.root == NULL);
	dd_json_doc_release(&doc);
	EXPECT_EQ_INT(dd_json_doc_parse(&doc, "{\"a\":", 5, &err), DD_EINVAL);
	EXPECT_TRUE(strstr(err.msg, "invalid JSON") != NULL);
	dd_json_doc_release(&doc);
	EXPECT_EQ_INT(dd_json_doc_parse(&doc, "", 0, &err), DD_EINVAL);
	dd_json_doc_release(&doc);
	/* A capped arena turns a big document into DD_ENOMEM/DD_ELIMIT, not growth. */
	struct dd_arena *a = dd_arena_new(256);
	const struct dd_json *root;
	EXPECT_TRUE(dd_json_parse("[1,2,3,4,5,6,7,8,9,10,11,12]", 28, a, &root, &err) != DD_OK);
	dd_arena_free(a);
}
