/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go and Rust binaries of ../shared/data/pkgdb (go/, rust/): the build info
 * that `go version -m` prints and the cargo-auditable list, as
 * pkgdb/README.md gives them.
 */
#include <sys/stat.h>

#include "catalog_lang_util.h"

DD_TEST(go_test_elf_module_mode_go1_15)
{
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/go/trivy-test.elf", "usr/local/bin/test", 1);
	struct dd_sbom *s = run_catalogers(fs, "docker-archive");
	dump(s);
	EXPECT_EQ_INT(count_type(s, "golang"), 5);
	EXPECT_PKG(s, "golang", "stdlib", "1.15.2");
	EXPECT_PKG(s, "golang", "github.com/aquasecurity/test", "(devel)");
	EXPECT_PKG(s, "golang", "github.com/aquasecurity/go-pep440-version",
		   "v0.0.0-20210121094942-22b2f8951d46");
	EXPECT_PKG(s, "golang", "github.com/aquasecurity/go-version",
		   "v0.0.0-20210121072130-637058cfe492");
	EXPECT_PKG(s, "golang", "golang.org/x/xerrors", "v0.0.0-20200804184101-5ec99f83aff1");
	const struct dd_package *p = find_pkg(s, "golang", "golang.org/x/xerrors", NULL);
	ASSERT_TRUE(p != NULL);
	EXPECT_STR_EQ(p->purl, "pkg:golang/golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1");
	EXPECT_STR_EQ(p->location, "usr/local/bin/test");
	EXPECT_EQ_INT(p->layer, 1);
	EXPECT_STR_EQ(find_pkg(s, "golang", "stdlib", NULL)->purl, "pkg:golang/stdlib@1.15.2");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(go_ldflags_version_go1_22)
{
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/go/trivy-main-version-via-ldflags.elf", "usr/bin/app", 0);
	struct dd_sbom *s = run_catalogers(fs, "docker-archive");
	dump(s);
	EXPECT_EQ_INT(count_type(s, "golang"), 2);
	EXPECT_PKG(s, "golang", "stdlib", "1.22.1");
	/* "(devel)" in the build info; the -X main.version stamp gives v1.0.0. */
	EXPECT_PKG(s, "golang", "github.com/aquasecurity/test", "v1.0.0");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(go_goexperiment_no_module)
{
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/go/trivy-goexperiment.elf", "usr/bin/goexp", 0);
	struct dd_sbom *s = run_catalogers(fs, "docker-archive");
	dump(s);
	EXPECT_EQ_INT(count_type(s, "golang"), 1);
	EXPECT_PKG(s, "golang", "stdlib", "1.22.1");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(rust_cargo_auditable)
{
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/rust/trivy-cargo-auditable-test.elf", "usr/local/bin/rusttest", 2);
	struct dd_sbom *s = run_catalogers(fs, "docker-archive");
	dump(s);
	EXPECT_EQ_INT(s->npkgs, 2);
	EXPECT_PKG(s, "cargo", "crate_with_features", "0.1.0");
	EXPECT_PKG(s, "cargo", "library_crate", "0.1.0");
	EXPECT_STR_EQ(find_pkg(s, "cargo", "library_crate", NULL)->purl,
		      "pkg:cargo/library_crate@0.1.0");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(rust_cargo_lock_fixtures)
{
	static const struct { const char *file; size_t n; } cases[] = {
		{ "pkgdb/rust/trivy-cargo_normal.lock", 8 },
		{ "pkgdb/rust/trivy-cargo_mixed.lock", 8 },
		{ "pkgdb/rust/trivy-cargo_v3.lock", 9 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dd_fs *fs = dd_fs_new();
		put_shared(fs, cases[i].file, "src/proj/Cargo.lock", 0);
		struct dd_sbom *s = run_catalogers(fs, "dir");
		dump(s);
		EXPECT_EQ_INT(count_type(s, "cargo"), cases[i].n);
		dd_sbom_free(s);
		/* Not a dir: scan: lockfiles are not cataloged. */
		s = run_catalogers(fs, "docker-archive");
		EXPECT_EQ_INT(s->npkgs, 0);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
}

/* A dir: scan reads a program by range (its header, section headers and
 * the sections kept), not whole: each real binary, copied into a tree,
 * gives the packages its whole bytes give. */
DD_TEST(dir_scan_reads_programs_by_range)
{
	static const char *const bins[] = {
		"pkgdb/go/trivy-test.elf",
		"pkgdb/go/trivy-goexperiment.elf",
		"pkgdb/go/trivy-main-version-via-ldflags.elf",
		"pkgdb/rust/trivy-cargo-auditable-test.elf",
	};
	for (size_t i = 0; i < sizeof bins / sizeof *bins; i++) {
		struct dd_buf b;
		struct dd_err err;
		dd_buf_init(&b, 512u << 20);
		ASSERT_OK(dd_buf_read_file(&b, dd_test_shared(bins[i]), &err), &err);
		char rel[64], ref[4300];
		snprintf(rel, sizeof rel, "root%zu/usr/bin/prog", i);
		ASSERT_TRUE(chmod(dd_test_write(rel, b.data, b.len), 0755) == 0);
		snprintf(ref, sizeof ref, "dir:%s/root%zu", dd_test_tmpdir(), i);
		struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE };
		struct dd_sbom *scan;
		ASSERT_OK(dd_sbom_from_image(ref, &o, &scan, &err), &err);
		struct dd_fs *fs = dd_fs_new();
		put_bytes(fs, "usr/bin/prog", b.data, b.len, 0);
		struct dd_sbom *whole = run_catalogers(fs, "dir");
		dump(scan);
		EXPECT_TRUE(whole->npkgs > 0);
		EXPECT_EQ_INT(scan->npkgs, whole->npkgs);
		for (size_t k = 0; k < whole->npkgs; k++) {
			const struct dd_package *p = &whole->pkgs[k];
			const struct dd_package *q = find_pkg(scan, p->type, p->name, p->version);
			EXPECT_TRUE(q != NULL && !strcmp(q->purl, p->purl) &&
				    !strcmp(q->location, "usr/bin/prog"));
		}
		dd_sbom_free(whole);
		dd_sbom_free(scan);
		dd_fs_free(fs);
		dd_buf_release(&b);
	}
}
