/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rpm cataloger against the real rpm databases in
 * ../shared/data/pkgdb/rpm, all three formats. Ground truth is rpm itself
 * (rpm -qa --dbpath on a copy, Debian's rpm 4.18: sqlite and bdb_ro
 * backends) with the fields we report; Debian's rpm has no ndb backend,
 * so the ndb file is checked against its count (35, pkgdb/README.md) and
 * the invariants every header must satisfy. Skips when rpm is absent.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "dd_test.h"
#include "util/buf.h"

static struct dd_sbom *catalog_file(const char *image_path, const char *host)
{
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 1u << 30);
	ASSERT_OK(dd_buf_read_file(&b, host, &err), &err);
	struct dd_fs *fs = dd_fs_new();
	struct dd_fs_file f = { .path = image_path, .type = DD_FS_REG,
				.data = (unsigned char *)b.data, .size = b.len, .layer = 0 };
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
	dd_buf_release(&b);
	struct dd_sbom *s = dd_sbom_new();
	ASSERT_OK(dd_catalog_run(fs, s, true, &err), &err);
	dd_fs_free(fs);
	return s;
}

static int cmpstrp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *our_lines(const struct dd_sbom *s)
{
	char **v = calloc(s->npkgs + 1, sizeof *v);
	size_t total = 1;
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[i];
		struct dd_buf b;
		dd_buf_init(&b, 1 << 20);
		dd_buf_printf(&b, NULL, "%s\t%s\t%s\t%s\t%s\t%s\t%zu\n", p->name, p->version,
			      p->arch ? p->arch : "", p->license ? p->license : "",
			      p->modularity ? p->modularity : "",
			      p->source_name ? p->source_name : "", p->nfiles);
		v[i] = dd_buf_detach(&b, NULL);
		total += strlen(v[i]);
	}
	qsort(v, s->npkgs, sizeof *v, cmpstrp);
	char *out = malloc(total);
	size_t o = 0;
	for (size_t i = 0; i < s->npkgs; i++) {
		size_t l = strlen(v[i]);
		memcpy(out + o, v[i], l);
		o += l;
		free(v[i]);
	}
	out[o] = '\0';
	free(v);
	return out;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* rpm -qa on a private copy named as rpm needs it. */
static char *rpm_qa(const char *host, const char *dbname, const char *define)
{
	if (dd_test_run("command -v rpm >/dev/null", NULL) != 0)
		dd_test_skip("rpm is not installed");
	const char *dir = dd_test_tmpdir();
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
		 "rm -rf '%s/db' && mkdir '%s/db' && cp '%s' '%s/db/%s' && chmod u+w '%s/db/%s' && "
		 "rpm -qa --dbpath '%s/db' %s --qf '%%{NAME}\\t%%|EPOCH?{%%{EPOCH}:}:{}|%%{VERSION}-%%{RELEASE}\\t"
		 "%%|ARCH?{%%{ARCH}}:{}|\\t%%|LICENSE?{%%{LICENSE}}:{}|\\t%%|MODULARITYLABEL?{%%{MODULARITYLABEL}}:{}|\\t"
		 "%%{SOURCERPM}\\t%%{BASENAMES:arraysize}\\n' 2>/dev/null | "
		 "sed -E 's/\\t\\(none\\)\\t/\\t\\t/; s/-[^-\\t]+-[^-\\t]+\\.(no)?src\\.rpm\\t/\\t/; s/\\t\\(none\\)$/\\t0/' | "
		 "LC_ALL=C sort",
		 dir, dir, host, dir, dbname, dir, dbname, dir, define);
	char *out = NULL;
	EXPECT_EQ_INT(dd_test_run(cmd, &out), 0);
	return out;
}

static void check_same(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return;
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		g++;
		w++;
	}
	while (g > got && g[-1] != '\n')
		g--;
	while (w > want && w[-1] != '\n')
		w--;
	dd_test_fail(__FILE__, __LINE__, "%s: lists differ (%zu vs %zu lines) at: got \"%.120s\" want \"%.120s\"",
		     what, count_lines(got), count_lines(want), g, w);
}

static const struct {
	const char *file, *image_path, *dbname, *define;
	size_t n;
} dbs[] = {
	{ "pkgdb/rpm/syft-dive.bdb.Packages", "var/lib/rpm/Packages", "Packages",
	  "--define '_db_backend bdb_ro'", 1 },
	{ "pkgdb/rpm/go-rpmdb-libuuid-el8.bdb.Packages", "var/lib/rpm/Packages", "Packages",
	  "--define '_db_backend bdb_ro'", 1 },
	{ "pkgdb/rpm/go-rpmdb-cbl-mariner-2.0.rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite",
	  "rpmdb.sqlite", "", 129 },
	{ "pkgdb/rpm/rpm-testsuite.rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite",
	  "rpmdb.sqlite", "", 3 },
};

DD_TEST(rpm_databases_equal_rpm_qa)
{
	for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
		char host[4096];
		snprintf(host, sizeof host, "%s", dd_test_shared(dbs[i].file));
		struct dd_sbom *s = catalog_file(dbs[i].image_path, host);
		char *want = rpm_qa(host, dbs[i].dbname, dbs[i].define);
		char *got = our_lines(s);
		check_same(dbs[i].file, got, want ? want : "");
		EXPECT_EQ_INT(s->npkgs, dbs[i].n);
		EXPECT_EQ_INT(s->nwarnings, 0);
		for (size_t k = 0; k < s->nwarnings; k++)
			printf("  warning: %s\n", s->warnings[k]);
		printf("%s: %zu packages, rpm -qa %zu\n", dbs[i].file, s->npkgs, count_lines(want));
		free(got);
		free(want);
		dd_sbom_free(s);
	}
}

DD_TEST(rpm_ndb)
{
	struct dd_sbom *s = catalog_file("usr/lib/sysimage/rpm/Packages.db",
					 dd_test_shared("pkgdb/rpm/go-rpmdb-sle15-bci.ndb.Packages.db"));
	EXPECT_EQ_INT(s->npkgs, 35);
	EXPECT_EQ_INT(s->nwarnings, 0);
	size_t files = 0;
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[i];
		EXPECT_TRUE(p->name && *p->name && p->version && strchr(p->version, '-'));
		EXPECT_TRUE(strncmp(p->purl, "pkg:rpm/", 8) == 0);
		files += p->nfiles;
		if (strcmp(p->name, "gpg-pubkey") != 0) {
			EXPECT_TRUE(p->arch != NULL);
			EXPECT_TRUE(p->source_name != NULL);
		}
	}
	printf("ndb: %zu packages, %zu files\n", s->npkgs, files);
	EXPECT_TRUE(files > 1000);
	dd_sbom_free(s);
}

static dd_code copy_blob(const unsigned char *blob, size_t n, const char *where, void *ud)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ud, "INSERT INTO Packages (blob) VALUES (?)", -1, &st, NULL) != SQLITE_OK)
		return DD_EDB;
	sqlite3_bind_blob(st, 1, blob, (int)n, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DD_OK : DD_EDB;
}

/* Debian's rpm cannot read ndb, but it can read the same header blobs from
 * an SQLite rpmdb: the blobs our ndb reader finds are copied into one (the
 * schema rpm wants is taken from the rpm test-suite database, emptied), and
 * rpm -qa's view of them must equal what we decode. The count (35) is the
 * one pkgdb/README.md gives from the slot table. */
DD_TEST(rpm_ndb_blobs_decoded_like_rpm)
{
	const char *rel = "pkgdb/rpm/go-rpmdb-sle15-bci.ndb.Packages.db";
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 1u << 30);
	ASSERT_OK(dd_buf_read_file(&b, dd_test_shared(rel), &err), &err);
	char path[4096], cmd[12288];
	snprintf(path, sizeof path, "%s/conv.sqlite", dd_test_tmpdir());
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod u+w '%s'",
		 dd_test_shared("pkgdb/rpm/rpm-testsuite.rpmdb.sqlite"), path, path);
	ASSERT_EQ_INT(dd_test_run(cmd, NULL), 0);
	sqlite3 *db;
	ASSERT_TRUE(sqlite3_open(path, &db) == SQLITE_OK);
	/* Empty every table, keep the schema. */
	sqlite3_stmt *tables;
	ASSERT_TRUE(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
				       "AND name <> 'sqlite_sequence'", -1, &tables, NULL) == SQLITE_OK);
	char del[16384] = "";
	size_t o = 0;
	while (sqlite3_step(tables) == SQLITE_ROW && o < sizeof del - 200)
		o += (size_t)snprintf(del + o, sizeof del - o, "DELETE FROM \"%s\";",
				      (const char *)sqlite3_column_text(tables, 0));
	sqlite3_finalize(tables);
	ASSERT_TRUE(sqlite3_exec(db, del, NULL, NULL, NULL) == SQLITE_OK);
	struct dd_sbom *warn = dd_sbom_new();
	ASSERT_OK(dd_rpm_ndb_each(rel, (const unsigned char *)b.data, b.len, copy_blob, db, warn,
				  &err), &err);
	EXPECT_EQ_INT(warn->nwarnings, 0);
	dd_sbom_free(warn);
	sqlite3_close(db);
	dd_buf_release(&b);

	struct dd_sbom *s = catalog_file("usr/lib/sysimage/rpm/Packages.db", dd_test_shared(rel));
	char *want = rpm_qa(path, "rpmdb.sqlite", "");
	char *got = our_lines(s);
	check_same(rel, got, want ? want : "");
	EXPECT_EQ_INT(s->npkgs, 35);
	printf("%s: %zu packages, rpm -qa on the same blobs %zu\n", rel, s->npkgs, count_lines(want));
	free(got);
	free(want);
	dd_sbom_free(s);
}

/* var/lib/rpm as a symlink to usr/lib/sysimage/rpm (SUSE): one database,
 * read once. */
DD_TEST(rpm_symlinked_dbpath_read_once)
{
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 1u << 30);
	ASSERT_OK(dd_buf_read_file(&b, dd_test_shared("pkgdb/rpm/rpm-testsuite.rpmdb.sqlite"), &err),
		  &err);
	struct dd_fs *fs = dd_fs_new();
	struct dd_fs_file l = { .path = "var/lib/rpm", .type = DD_FS_SYMLINK,
				.link = "../../usr/lib/sysimage/rpm" };
	struct dd_fs_file f = { .path = "usr/lib/sysimage/rpm/rpmdb.sqlite", .type = DD_FS_REG,
				.data = (unsigned char *)b.data, .size = b.len };
	ASSERT_OK(dd_fs_put(fs, &l, &err), &err);
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
	dd_buf_release(&b);
	struct dd_sbom *s = dd_sbom_new();
	ASSERT_OK(dd_catalog_run(fs, s, true, &err), &err);
	EXPECT_EQ_INT(s->npkgs, 3);
	dd_sbom_free(s);
	dd_fs_free(fs);
}
