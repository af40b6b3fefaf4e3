/* SPDX-License-Identifier: Apache-2.0 */
/* store/vex_parse.c: OpenVEX (v0.2.0 and the older string form), CycloneDX
 * VEX with bom-ref resolution, and errors that name the file and statement. */
#include "dd/store.h"
#include "dd_test.h"
#include "util/alloc.h"

static size_t parse(const char *json, struct dd_arena *a, struct dd_vex_stmt **st,
		    struct dd_err *err, dd_code *rc)
{
	size_t n = 0;
	*rc = dd_vex_parse(json, strlen(json), "doc.json", a, st, &n, err);
	return n;
}

DD_TEST(openvex_products_and_subcomponents)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_vex_stmt *st;
	struct dd_err err;
	dd_code rc;
	size_t n = parse("{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":["
			 "{\"vulnerability\":{\"name\":\"CVE-1\"},\"products\":[{\"@id\":\"pkg:apk/alpine/a\"},"
			 "\"pkg:apk/alpine/b\"],\"status\":\"not_affected\",\"justification\":\"component_not_present\"},"
			 "{\"vulnerability\":\"CVE-2\",\"products\":[{\"@id\":\"pkg:oci/app\",\"subcomponents\":"
			 "[{\"@id\":\"pkg:apk/alpine/c@1\"}]}],\"status\":\"affected\",\"action_statement\":\"upgrade\"}]}",
			 a, &st, &err, &rc);
	ASSERT_OK(rc, &err);
	ASSERT_EQ_INT(n, 3);
	EXPECT_STR_EQ(st[0].product, "pkg:apk/alpine/a");
	EXPECT_STR_EQ(st[1].product, "pkg:apk/alpine/b");
	EXPECT_STR_EQ(st[1].justification, "component_not_present");
	EXPECT_STR_EQ(st[2].vuln, "CVE-2");
	EXPECT_STR_EQ(st[2].product, "pkg:apk/alpine/c@1");
	EXPECT_STR_EQ(st[2].action, "upgrade");
	dd_arena_free(a);
}

DD_TEST(cyclonedx_states_map_to_openvex)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_vex_stmt *st;
	struct dd_err err;
	dd_code rc;
	size_t n = parse("{\"bomFormat\":\"CycloneDX\",\"components\":[{\"bom-ref\":\"c1\",\"purl\":"
			 "\"pkg:apk/alpine/openssl@1.1\"}],\"vulnerabilities\":["
			 "{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"false_positive\"},\"affects\":[{\"ref\":\"c1\"}]},"
			 "{\"id\":\"CVE-2\",\"analysis\":{\"state\":\"resolved\"},\"affects\":[{\"ref\":\"other\"}]},"
			 "{\"id\":\"CVE-3\",\"affects\":[{\"ref\":\"c1\"}]}]}",
			 a, &st, &err, &rc);
	ASSERT_OK(rc, &err);
	ASSERT_EQ_INT(n, 2); /* CVE-3 has no analysis: not a VEX statement */
	EXPECT_STR_EQ(st[0].status, "not_affected");
	EXPECT_STR_EQ(st[0].product, "pkg:apk/alpine/openssl@1.1");
	EXPECT_STR_EQ(st[0].justification, "vulnerable_code_not_present");
	EXPECT_STR_EQ(st[1].status, "fixed");
	EXPECT_STR_EQ(st[1].product, "other");
	dd_arena_free(a);
}

DD_TEST(bad_documents_name_the_place)
{
	static const struct { const char *json, *msg; dd_code code; } bad[] = {
		{ "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":"
		  "{\"name\":\"CVE-1\"},\"products\":[\"x\"],\"status\":\"maybe\"}]}",
		  "doc.json: statement 1: status 'maybe' is not an OpenVEX status", DD_EINVAL },
		{ "{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":"
		  "{\"state\":\"in_triage\"},\"affects\":[{}]}]}",
		  "doc.json: vulnerability 1: affects 1 has no ref", DD_EINVAL },
		{ "{\"a\":", "doc.json: not JSON", DD_EINVAL },
		{ "{\"spdxVersion\":\"SPDX-2.3\"}", "doc.json: neither OpenVEX", DD_EUNSUPPORTED },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct dd_arena *a = dd_arena_new(0);
		struct dd_vex_stmt *st;
		struct dd_err err;
		dd_code rc;
		size_t n = parse(bad[i].json, a, &st, &err, &rc);
		EXPECT_EQ_INT(rc, bad[i].code);
		EXPECT_EQ_INT(n, 0);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			dd_test_fail(__FILE__, __LINE__, "case %zu: '%s'", i, err.msg);
		dd_arena_free(a);
	}
	/* Nesting is limited before the tree parser sees it. */
	char deep[20001];
	memset(deep, '[', 20000);
	deep[20000] = 0;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_vex_stmt *st;
	struct dd_err err;
	dd_code rc;
	parse(deep, a, &st, &err, &rc);
	EXPECT_EQ_INT(rc, DD_ELIMIT);
	dd_arena_free(a);
}

DD_TEST(out_of_memory_at_each_allocation)
{
	static const char j[] = "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":["
				"{\"vulnerability\":{\"name\":\"CVE-1\"},\"products\":[\"a\",\"b\"],"
				"\"status\":\"fixed\"}]}";
	int ok = 0;
	for (unsigned long n = 1; n < 64; n++) {
		struct dd_arena *a = dd_arena_new(0);
		struct dd_vex_stmt *st;
		size_t cnt = 0;
		struct dd_err err;
		dd_alloc_fail_at(n);
		dd_code rc = dd_vex_parse(j, sizeof j - 1, "doc.json", a, &st, &cnt, &err);
		dd_alloc_fail_at(0);
		EXPECT_TRUE(rc == DD_OK || rc == DD_ENOMEM);
		if (rc == DD_OK) {
			ok++;
			EXPECT_EQ_INT(cnt, 2);
		}
		dd_arena_free(a);
	}
	EXPECT_TRUE(ok > 0);
}
