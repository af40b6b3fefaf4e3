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
