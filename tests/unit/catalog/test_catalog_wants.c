/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dd_catalog_wants_path asks only the catalogers that declared a path's
 * ending: it must give the same set as asking every cataloger, on paths
 * built from every declared ending, its case variants, and the names the
 * catalogers read.
 */
#include <ctype.h>

#include "catalog/catalog.h"
#include "dd_test.h"
#include "util/limits.h"

static dd_catalog_set brute_path(bool os_only, const char *path, size_t len)
{
	dd_catalog_set out = 0;
	for (unsigned i = 0; dd_catalogers[i]; i++) {
		const struct dd_cataloger *c = dd_catalogers[i];
		if (!(os_only && c->kind == DD_CATALOGER_LANG) && c->wants_path && c->wants_path(path, len))
			out |= (dd_catalog_set)1 << i;
	}
	return out;
}

DD_TEST(path_ends_are_at_least_four_bytes)
{
	for (const struct dd_cataloger *const *c = dd_catalogers; *c; c++) {
		if (!(*c)->path_ends)
			continue;
		EXPECT_TRUE((*c)->wants_path != NULL);
		for (const char *const *e = (*c)->path_ends; *e; e++)
			EXPECT_TRUE(strlen(*e) >= 4);
	}
}

static const char *const prefixes[] = {
	"", "a/", "app/", "app/node_modules/", "app/node_modules/x/", "app/node_modules/@s/x/",
	"node_modules/", "node_modules/x/node_modules/y/", "usr/lib/python3/dist-packages/",
	"usr/lib/python3/dist-packages/x-1.dist-info/", "usr/local/lib/python3.11/site-packages/",
	"usr/local/lib/python3.11/site-packages/x.egg-info/", "src/", "vendor/", "x/vendor/",
	"usr/lib/ruby/gems/3.1.0/specifications/", "usr/lib/ruby/gems/3.1.0/specifications/default/",
	"var/lib/dpkg/", "var/lib/dpkg/status.d/", "var/lib/dpkg/info/", "var/lib/rpm/",
	"usr/lib/sysimage/rpm/", "usr/share/rpm/", "lib/apk/db/", "etc/", "usr/lib/", "opt/app/lib/",
	"app/bin/Release/net8.0/",
};

static const char *const names[] = {
	"package.json", "index.js", "METADATA", "PKG-INFO", "RECORD", "x.egg-info", "status",
	"installed", "libc6.list", "libc6.md5sums", "os-release", "debian_version", "Packages",
	"Packages.db", "rpmdb.sqlite", "Name", "requirements.txt", "requirements-dev.txt", "notes.txt",
	"app.jar", "APP.JAR", "x.War", "lib.so.1", "go.mod", "go.sum", "Cargo.lock", "Cargo.toml",
	"Gemfile.lock", "gems.locked", "rails-7.1.gemspec", "app.deps.json", "composer.lock",
	"installed.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock", "Pipfile.lock",
	".package-lock.json", "package-lock.json", "a", "ab", "abc", "x.json", "tsconfig.json",
};

static void check(const char *path)
{
	size_t len = strlen(path);
	for (int os_only = 0; os_only < 2; os_only++) {
		struct dd_catalog_wants w;
		dd_catalog_wants_init(&w, os_only);
		dd_catalog_set fast = dd_catalog_wants_path(&w, path, len);
		dd_catalog_set want = brute_path(os_only, path, len);
		if (fast != want)
			fprintf(stderr, "%s (os_only %d): fast %#x, every cataloger %#x\n", path, os_only,
				(unsigned)fast, (unsigned)want);
		EXPECT_TRUE(fast == want);
	}
}

DD_TEST(same_set_as_asking_every_cataloger)
{
	char path[512];
	for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++) {
		for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
			snprintf(path, sizeof path, "%s%s", prefixes[p], names[n]);
			check(path);
		}
		/* Every declared ending, alone, after a name, and upper-cased. */
		for (const struct dd_cataloger *const *c = dd_catalogers; *c; c++) {
			for (const char *const *e = (*c)->path_ends; e && *e; e++) {
				snprintf(path, sizeof path, "%s%s", prefixes[p], *e);
				check(path);
				snprintf(path, sizeof path, "%sx%s", prefixes[p], *e);
				check(path);
				for (char *q = path + strlen(prefixes[p]); *q; q++)
					*q = (char)toupper((unsigned char)*q);
				check(path);
			}
		}
	}
}

DD_TEST(only_those_taking_part)
{
	struct dd_catalog_wants w;
	dd_catalog_wants_init(&w, true);
	const char *p = "app/node_modules/x/package.json";
	EXPECT_TRUE(dd_catalog_wants_path(&w, p, strlen(p)) == 0);
	dd_catalog_wants_init(&w, false);
	EXPECT_TRUE(dd_catalog_wants_path(&w, p, strlen(p)) != 0);
	/* A program is for the catalogers that read programs, never in OS-only scans. */
	unsigned char elf[DD_MAGIC_BYTES] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	elf[16] = 2; /* ET_EXEC */
	elf[18] = 62;
	dd_catalog_set all = dd_catalog_wants_magic(&w, elf, sizeof elf);
	EXPECT_TRUE(all != 0);
	dd_catalog_wants_init(&w, true);
	EXPECT_TRUE(dd_catalog_wants_magic(&w, elf, sizeof elf) == 0);
}

/* Files are shown to the ELF magic unless their name says they are not
 * programs and they are not executable (dd_lang_maybe_program, through
 * dd_catalog_sniffs); with DD_IMAGE_OS_ONLY no cataloger sniffs at all. */
DD_TEST(sniffing_skips_named_non_programs)
{
	static const struct {
		const char *path;
		uint32_t mode;
		bool sniff;
	} cases[] = {
		{ "usr/bin/age", 0755, true },
		{ "usr/bin/age", 0644, true },          /* no extension */
		{ "usr/lib/libx.so.1", 0644, true },
		{ "app/node_modules/x/index.js", 0644, false },
		{ "app/node_modules/x/INDEX.JS", 0644, false },
		{ "app/node_modules/x/package.json", 0600, false },
		{ "app/node_modules/x/bin/cli.js", 0755, true }, /* executable: may be anything */
		{ "app/node_modules/x/lib/x.node", 0644, true },  /* a native addon is ELF */
		{ "srv/x.woff2", 0644, false },
		{ "srv/x.tar.gz", 0644, false },        /* compressed: never ELF */
		{ "srv/x.tar", 0644, true },
		{ "usr/lib/x86_64-linux-gnu/perl-base/strict.pm", 0644, false },
		{ "etc/ssl/certs/ca.pem", 0644, false },
		{ "usr/share/zoneinfo/UTC", 0644, false }, /* FHS: data, no programs */
		{ "usr/share/x/helper", 0755, true },
		{ "usr/sharex/helper", 0644, true },
		{ "var/lib/dpkg/info/bash.md5sums", 0644, false },
		{ "var/lib/dpkg/info/bash.postinst", 0755, true },
		{ "opt/usr/share/helper", 0644, true },
		{ "srv/README", 0644, true },
		{ "srv/.js", 0644, false },
		{ "srv/x.", 0644, true },
		{ "srv/x.json/data", 0644, true },
		{ "srv/x.javascript", 0644, true },
		{ "srv/py", 0644, true },
	};
	struct dd_catalog_wants all, os;
	dd_catalog_wants_init(&all, false);
	dd_catalog_wants_init(&os, true);
	EXPECT_TRUE(all.magic != 0);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *p = cases[i].path;
		if (dd_catalog_sniffs(&all, p, strlen(p), cases[i].mode) != cases[i].sniff)
			dd_test_fail(__FILE__, __LINE__, "%s %o: sniffed should be %d", p,
				     cases[i].mode, cases[i].sniff);
		EXPECT_TRUE(!dd_catalog_sniffs(&os, p, strlen(p), cases[i].mode));
	}
}
