/* SPDX-License-Identifier: Apache-2.0 */
/* purl formatting: encoding, qualifier order, empty qualifiers dropped. */
#include "catalog/purl.h"
#include "dd_test.h"
#include "util/arena.h"

DD_TEST(purl_deb_with_qualifiers)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_purl_qualifier q[] = { { "distro", "debian-12" }, { "arch", "amd64" },
					 { "upstream", "" } };
	EXPECT_STR_EQ(dd_purl_format(a, "deb", "debian", "libc6", "2.36-9+deb12u10", q, 3),
		      "pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12");
	EXPECT_STR_EQ(dd_purl_format(a, "npm", "@babel", "core", "7.0.0", NULL, 0),
		      "pkg:npm/%40babel/core@7.0.0");
	EXPECT_STR_EQ(dd_purl_format(a, "RPM", "redhat", "bash", "1:5.1-2.el9", NULL, 0),
		      "pkg:rpm/redhat/bash@1:5.1-2.el9");
	EXPECT_STR_EQ(dd_purl_format(a, "golang", "github.com/x/y", "z", NULL, NULL, 0),
		      "pkg:golang/github.com/x/y/z");
	dd_arena_free(a);
}

DD_TEST(purl_format_to_buffer)
{
	struct dd_arena *a = dd_arena_new(0);
	char buf[64];
	/* The same text as dd_purl_format, in the caller's buffer. */
	char *p = dd_purl_format_to(buf, sizeof buf, "npm", "@babel", "core", "7.0.0+x", NULL, 0);
	EXPECT_TRUE(p == buf);
	EXPECT_STR_EQ(p, dd_purl_format(a, "npm", "@babel", "core", "7.0.0+x", NULL, 0));
	/* One that needs exactly the whole buffer does not fit (the NUL). */
	char name[64];
	memset(name, 'a', sizeof name - 1);
	name[sizeof buf - strlen("pkg:npm/")] = '\0';
	EXPECT_TRUE(dd_purl_format_to(buf, sizeof buf, "npm", NULL, name, NULL, NULL, 0) == NULL);
	name[sizeof buf - strlen("pkg:npm/") - 1] = '\0';
	EXPECT_TRUE(dd_purl_format_to(buf, sizeof buf, "npm", NULL, name, NULL, NULL, 0) == buf);
	EXPECT_EQ_INT(strlen(buf), sizeof buf - 1);
	/* Longer than the writer's own stack buffer: NULL, nothing leaked. */
	char big[2048];
	memset(big, 'b', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	EXPECT_TRUE(dd_purl_format_to(buf, sizeof buf, "npm", NULL, big, NULL, NULL, 0) == NULL);
	EXPECT_TRUE(strlen(dd_purl_format(a, "npm", NULL, big, NULL, NULL, 0)) == strlen("pkg:npm/") + sizeof big - 1);
	dd_arena_free(a);
}
