/* SPDX-License-Identifier: Apache-2.0 */
/* Gemfile.lock (gemfile_lock.c) and installed gemspecs (gem_spec.c). */
#include "lang_test_util.h"

DD_TEST(gem_section_only)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "Gemfile.lock");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_gemfile_lock(S("GIT\n  remote: https://x\n  specs:\n    fromgit (1.0)\n\n"
					       "GEM\n  remote: https://rubygems.org/\n  specs:\n"
					       "    rake (13.0.6)\n    nokogiri (1.13.10-x86_64-linux)\n"
					       "      racc (~> 1.4)\n\nPLATFORMS\n  ruby\n\n"
					       "DEPENDENCIES\n  rake\n\nBUNDLED WITH\n   2.3.7\n"), &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 2);
	EXPECT_HAS(sb, "rake", "13.0.6");
	EXPECT_HAS(sb, "nokogiri", "1.13.10-x86_64-linux");
	EXPECT_STR_EQ(pkg(sb, "rake", NULL)->purl, "pkg:gem/rake@13.0.6");
	dd_sbom_free(sb);
}

DD_TEST(gemspec_assignments_and_filename)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "x");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_gemspec(S("# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n"
					  "  s.name = \"bundler\".freeze\n  s.version = \"2.3.7\"\nend\n"),
					"var/lib/gems/3.1.0/specifications/bundler-2.3.7.gemspec", &s, &err), &err);
	EXPECT_HAS(sb, "bundler", "2.3.7");
	ASSERT_OK(dd_lang_parse_gemspec(S("# nothing useful\n"),
					"usr/lib/ruby/gems/3.1.0/specifications/default/net-http-0.3.0.gemspec",
					&s, &err), &err);
	EXPECT_HAS(sb, "net-http", "0.3.0");
	EXPECT_EQ_INT(dd_lang_parse_gemspec(S("x"), "specifications/noversion.gemspec", &s, &err),
		      DD_EINVAL);
	dd_sbom_free(sb);
}
