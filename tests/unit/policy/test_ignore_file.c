/* SPDX-License-Identifier: Apache-2.0 */
/* The scan ignore file: parsing, errors with line numbers, matching, expiry. */
#include "dd/suppress.h"
#include "dd_test.h"
#include "util/arena.h"

static struct dd_scan_result *result(void)
{
	struct dd_scan_result *r = calloc(1, sizeof *r);
	r->arena = dd_arena_new(0);
	r->sbom = dd_sbom_new();
	struct dd_package p = { .type = "apk", .name = "musl", .version = "1.1.22-r3",
				.source_name = "musl", .location = "lib/apk/db/installed",
				.purl = "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4" };
	struct dd_err err;
	dd_sbom_add(r->sbom, &p, &err);
	p.name = "busybox";
	p.source_name = "busybox";
	p.purl = "pkg:apk/alpine/busybox@1.30.1-r3?arch=x86_64";
	dd_sbom_add(r->sbom, &p, &err);
	static const char *aliases[] = { "GHSA-xxxx" };
	r->findings = calloc(3, sizeof *r->findings);
	r->findings[0] = (struct dd_finding){ .id = "CVE-2020-28928", .pkg = 0 };
	r->findings[1] = (struct dd_finding){ .id = "CVE-2021-28831", .pkg = 1,
					      .aliases = aliases, .naliases = 1 };
	r->findings[2] = (struct dd_finding){ .id = "CVE-2020-28928", .pkg = 1 };
	r->nfindings = r->cap = 3;
	return r;
}

static const char good[] =
	"# exceptions agreed with the security team\n"
	"ignore:\n"
	"  - id: CVE-2020-28928\n"
	"    package: pkg:apk/alpine/musl\n"
	"    reason: wcsnrtombs is not called\n"
	"  - id: GHSA-xxxx\n"
	"    paths: [/lib/apk/db/*]\n"
	"    reason: accepted\n"
	"    expires: 2024-01-31\n";

DD_TEST(rules_match_by_purl_alias_and_path)
{
	struct dd_ignore *ig;
	struct dd_err err;
	ASSERT_OK(dd_ignore_parse(good, sizeof good - 1, "ignore.yaml", &ig, &err), &err);
	ASSERT_EQ_INT(ig->nrules, 2);
	EXPECT_EQ_INT(ig->rules[0].line, 3);
	struct dd_scan_result *r = result();
	setenv("DRYDOCK_NOW", "2024-01-31T23:00:00Z", 1);
	dd_ignore_apply(ig, r);
	ASSERT_TRUE(r->findings[0].suppressed != NULL);
	EXPECT_STR_EQ(r->findings[0].suppressed,
		      "ignore-file: wcsnrtombs is not called (ignore.yaml:3)");
	EXPECT_TRUE(r->findings[1].suppressed != NULL); /* by alias, on its last day */
	EXPECT_TRUE(r->findings[2].suppressed == NULL); /* busybox: purl differs */
	EXPECT_EQ_INT(r->nwarnings, 0);
	dd_scan_result_free(r);

	/* the day after: no longer suppressed, and the report says so */
	r = result();
	setenv("DRYDOCK_NOW", "2024-02-01", 1);
	dd_ignore_apply(ig, r);
	unsetenv("DRYDOCK_NOW");
	EXPECT_TRUE(r->findings[1].suppressed == NULL);
	ASSERT_EQ_INT(r->nwarnings, 1);
	EXPECT_STR_EQ(r->warnings[0], "ignore.yaml:6: the exception for GHSA-xxxx expired on "
				      "2024-01-31: no longer suppressed");
	dd_scan_result_free(r);
	dd_ignore_free(ig);
}

DD_TEST(errors_name_file_line_and_column)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "ignore:\n  - id: CVE-1\n    expire: 2024-01-01\n    reason: x\n",
		  "f.yaml:3:5: unknown key \"expire\" (known: id, package, paths, reason, expires)" },
		{ "ignore:\n  - id: CVE-1\n", "f.yaml:2:5: entry has no reason: say why the risk is accepted" },
		{ "ignore:\n  - reason: x\n", "f.yaml:2:5: entry has no id" },
		{ "ignore:\n  - id: CVE-1\n    reason: x\n    expires: soon\n",
		  "f.yaml:4:14: expires must be a date YYYY-MM-DD" },
		{ "vulnerabilities: []\n", "f.yaml:1:1: unknown top-level key (expected \"ignore:\")" },
		{ "ignore: [\n", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dd_ignore *ig = NULL;
		struct dd_err err;
		EXPECT_EQ_INT(dd_ignore_parse(cases[i].text, strlen(cases[i].text), "f.yaml", &ig, &err),
			      DD_EINVAL);
		EXPECT_TRUE(ig == NULL);
		if (cases[i].msg)
			EXPECT_STR_EQ(err.msg, cases[i].msg);
		else
			EXPECT_TRUE(strncmp(err.msg, "f.yaml:", 7) == 0);
	}
}

DD_TEST(empty_file_is_no_rules)
{
	struct dd_ignore *ig;
	struct dd_err err;
	ASSERT_OK(dd_ignore_parse("", 0, "empty.yaml", &ig, &err), &err);
	EXPECT_EQ_INT(ig->nrules, 0);
	dd_ignore_free(ig);
}
