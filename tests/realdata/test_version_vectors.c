/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every upstream version vector in ../shared/data/versions/ TSV files (see its
 * README.md: TAB-separated, fields literal, '#' lines are comments) run
 * through the public API of dd/version.h. Each file is one test that
 * prints "<file>: passed/total" and the first disagreements. Where the
 * upstream function answers false for an invalid version or range
 * (node-semver satisfies), our DD_EINVAL counts as that false: we report
 * the reason instead of swallowing it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd/version.h"
#include "dd_test.h"

enum kind { CMP, SAT, VALID, NORM };

struct vfile {
	const char *file, *scheme;
	enum kind kind;
	unsigned flags;
	bool einval_is_false;
};

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0, r;
	char *b = malloc(cap + 1);
	while (b && (r = fread(b + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			char *nb = realloc(b, cap * 2 + 1);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (b)
		b[len] = '\0';
	*n = len;
	return b;
}

static int field_count(char *line, char **f, int max)
{
	int k = 0;
	f[k++] = line;
	for (char *p = line; *p; p++)
		if (*p == '\t' && k < max) {
			*p = '\0';
			f[k++] = p + 1;
		}
	return k;
}

static void run(const struct vfile *vf)
{
	char rel[256];
	snprintf(rel, sizeof rel, "versions/%s", vf->file);
	const char *path = dd_test_shared(rel);
	size_t n;
	char *data = slurp(path, &n);
	ASSERT_TRUE(data != NULL);
	const struct dd_version_scheme *s = dd_version_scheme_find(vf->scheme);
	ASSERT_TRUE(s != NULL);
	unsigned total = 0, passed = 0, shown = 0;
	char *save = data;
	for (char *line = data; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *next = nl ? nl + 1 : NULL;
		if (line[0] == '#' || line[0] == '\0') {
			line = next;
			continue;
		}
		char *f[4];
		int k = field_count(line, f, 4);
		struct dd_err err = { 0 };
		bool ok = false;
		char got[300] = "", want[300] = "";
		total++;
		if (vf->kind == CMP && k == 3) {
			int c = 9;
			dd_code rc = dd_version_compare_n(s, f[0], strlen(f[0]), f[1], strlen(f[1]),
							  vf->flags, &c, &err);
			snprintf(want, sizeof want, "%s", f[2]);
			if (rc == DD_OK)
				snprintf(got, sizeof got, "%d", c);
			else
				snprintf(got, sizeof got, "error");
			ok = rc == DD_OK && c == (int)strtol(f[2], NULL, 10);
		} else if (vf->kind == SAT && k == 3) {
			bool r = false;
			dd_code rc = dd_version_satisfies_n(s, f[0], strlen(f[0]), f[1], strlen(f[1]),
							    vf->flags, &r, &err);
			if (rc == DD_EINVAL && vf->einval_is_false) {
				rc = DD_OK;
				r = false;
			}
			snprintf(want, sizeof want, "%s", f[2]);
			snprintf(got, sizeof got, "%s", rc != DD_OK ? "error" : r ? "true" : "false");
			ok = rc == DD_OK && strcmp(got, f[2]) == 0;
		} else if (vf->kind == VALID && k == 2) {
			dd_code rc = dd_version_check(s, f[0], strlen(f[0]), &err);
			snprintf(want, sizeof want, "%s", f[1]);
			snprintf(got, sizeof got, "%s", rc == DD_OK ? "true" : "false");
			ok = strcmp(got, want) == 0;
		} else if (vf->kind == NORM && k == 2) {
			char out[256];
			dd_code rc = dd_version_canonical(s, f[0], strlen(f[0]), out, sizeof out, &err);
			snprintf(want, sizeof want, "%s", f[1]);
			snprintf(got, sizeof got, "%s", rc == DD_OK ? out : "error");
			ok = rc == DD_OK && strcmp(out, f[1]) == 0;
		} else {
			snprintf(got, sizeof got, "%d fields", k);
		}
		if (ok) {
			passed++;
		} else if (shown++ < 15) {
			dd_test_fail(__FILE__, __LINE__, "%s: [%s] [%s]: got %s, want %s (%s)", vf->file,
				     f[0], k > 1 ? f[1] : "", got, want, err.msg);
		}
		line = next;
	}
	free(save);
	printf("%s (%s): %u/%u\n", vf->file, vf->scheme, passed, total);
	EXPECT_EQ_INT(passed, total);
	EXPECT_TRUE(total > 0);
}

#define VFILE(name, file, scheme, kind, flags, einval)                                  \
	DD_TEST(name)                                                                   \
	{                                                                               \
		static const struct vfile vf = { file, scheme, kind, flags, einval };   \
		run(&vf);                                                               \
	}

VFILE(deb, "deb.tsv", "dpkg", CMP, 0, false)
VFILE(apk, "apk.tsv", "apk", CMP, 0, false)
VFILE(apk_fuzzy, "apk-fuzzy.tsv", "apk", SAT, 0, false)
VFILE(apk_validity, "apk-validity.tsv", "apk", VALID, 0, false)
VFILE(rpm, "rpm.tsv", "rpm", CMP, 0, false)
VFILE(pep440, "pep440.tsv", "pep440", CMP, 0, false)
VFILE(pep440_normalization, "pep440-normalization.tsv", "pep440", NORM, 0, false)
VFILE(pep440_specifiers, "pep440-specifiers.tsv", "pep440", SAT, 0, false)
VFILE(semver, "semver.tsv", "semver", CMP, 0, false)
VFILE(semver_loose, "semver-loose.tsv", "npm", CMP, 0, false)
VFILE(semver_build, "semver-build.tsv", "semver", CMP, DD_VERSION_COMPARE_BUILD, false)
VFILE(semver_ranges, "semver-ranges.tsv", "semver", SAT, 0, true)
VFILE(semver_ranges_loose, "semver-ranges-loose.tsv", "npm", SAT, 0, true)
VFILE(semver_ranges_incpre, "semver-ranges-includeprerelease.tsv", "semver", SAT,
      DD_VERSION_INCLUDE_PRERELEASE, true)
VFILE(go, "go.tsv", "go", CMP, 0, false)
VFILE(maven, "maven.tsv", "maven", CMP, 0, false)
VFILE(maven_ranges, "maven-ranges.tsv", "maven", SAT, 0, false)
VFILE(gem, "gem.tsv", "gem", CMP, 0, false)
VFILE(gem_requirements, "gem-requirements.tsv", "gem", SAT, 0, false)
