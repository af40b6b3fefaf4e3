/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interpreted-language fixtures of ../shared/data/pkgdb (python, npm, java,
 * php, ruby), each placed at a realistic path in a hand-built filesystem
 * view; the packages and counts must be exactly those pkgdb/README.md gives.
 */
#include "catalog_lang_util.h"
#include "util/arena.h"

DD_TEST(python_metadata_fixtures)
{
	static const struct { const char *file, *path, *name, *version; } cases[] = {
		{ "pkgdb/python/trivy-asyncssh-2.14.2.METADATA",
		  "usr/lib/python3/site-packages/asyncssh-2.14.2.dist-info/METADATA", "asyncssh", "2.14.2" },
		{ "pkgdb/python/trivy-distlib-0.3.1.METADATA",
		  "usr/lib/python3/site-packages/distlib-0.3.1.dist-info/METADATA", "distlib", "0.3.1" },
		{ "pkgdb/python/trivy-distlib-0.3.1-py3.9.egg-info",
		  "usr/lib/python3.9/site-packages/distlib-0.3.1-py3.9.egg-info", "distlib", "0.3.1" },
		{ "pkgdb/python/trivy-iniconfig-2.0.0.METADATA",
		  "usr/local/lib/python3.11/site-packages/iniconfig-2.0.0.dist-info/METADATA", "iniconfig", "2.0.0" },
		{ "pkgdb/python/trivy-networkx-3.0.METADATA",
		  "usr/local/lib/python3.11/site-packages/networkx-3.0.dist-info/METADATA", "networkx", "3.0" },
		{ "pkgdb/python/trivy-pyphen-0.14.0.METADATA",
		  "usr/local/lib/python3.11/site-packages/pyphen-0.14.0.dist-info/METADATA", "pyphen", "0.14.0" },
		{ "pkgdb/python/trivy-simple-0.1.0.METADATA",
		  "usr/local/lib/python3.11/site-packages/simple-0.1.0.dist-info/METADATA", "simple", "0.1.0" },
		{ "pkgdb/python/trivy-zipp-3.12.1.METADATA",
		  "usr/local/lib/python3.11/site-packages/zipp-3.12.1.dist-info/METADATA", "zipp", "3.12.1" },
		{ "pkgdb/python/trivy-setuptools-51.3.3-py3.8.egg-info.PKG-INFO",
		  "usr/lib/python3.8/site-packages/setuptools-51.3.3-py3.8.egg-info/PKG-INFO", "setuptools", "51.3.3" },
		{ "pkgdb/python/trivy-unidecode-egg-info.PKG-INFO",
		  "usr/lib/python3/dist-packages/Unidecode-0.4.1.egg-info/PKG-INFO", "unidecode", "0.4.1" },
		{ "pkgdb/python/syft-dist-name.METADATA",
		  "opt/venv/lib/python3.8/site-packages/Pygments-2.6.1.dist-info/METADATA", "pygments", "2.6.1" },
		{ "pkgdb/python/syft-egg-name.PKG-INFO",
		  "opt/venv/lib/python3.8/site-packages/requests-2.22.0.egg-info/PKG-INFO", "requests", "2.22.0" },
	};
	struct dd_fs *all = dd_fs_new();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dd_fs *fs = dd_fs_new();
		put_shared(fs, cases[i].file, cases[i].path, 1);
		put_shared(all, cases[i].file, cases[i].path, 1);
		struct dd_sbom *s = run_catalogers(fs, "docker-archive");
		EXPECT_EQ_INT(s->npkgs, 1);
		EXPECT_PKG(s, "pypi", cases[i].name, cases[i].version);
		if (s->npkgs == 1) {
			EXPECT_STR_EQ(s->pkgs[0].location, cases[i].path);
			EXPECT_STR_EQ(s->pkgs[0].cataloger, "python-dist");
		}
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
	/* What the image keeps of each (the headers, python_dist.c's reducer)
	 * gives the same package. */
	size_t whole_bytes = 0, kept_bytes = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dd_buf b;
		struct dd_err err;
		dd_buf_init(&b, 1u << 20);
		ASSERT_OK(dd_buf_read_file(&b, dd_test_shared(cases[i].file), &err), &err);
		struct dd_arena *a = dd_arena_new(0);
		struct dd_bytes bytes = dd_bytes_mem((const unsigned char *)b.data, b.len);
		const unsigned char *out;
		size_t outlen;
		ASSERT_OK(dd_catalog_reduce(dd_catalog_named("python-dist"), false, cases[i].path, &bytes,
					    a, &out, &outlen, &err),
			  &err);
		whole_bytes += b.len;
		kept_bytes += outlen;
		struct dd_fs *fs = dd_fs_new();
		put_bytes(fs, cases[i].path, out, outlen, 1);
		struct dd_sbom *s = run_catalogers(fs, "docker-archive");
		EXPECT_EQ_INT(s->npkgs, 1);
		EXPECT_PKG(s, "pypi", cases[i].name, cases[i].version);
		dd_sbom_free(s);
		dd_fs_free(fs);
		dd_arena_free(a);
		dd_buf_release(&b);
	}
	fprintf(stderr, "  metadata: %zu bytes, %zu kept\n", whole_bytes, kept_bytes);
	EXPECT_TRUE(kept_bytes < whole_bytes);
	/* Outside site-packages/dist-packages, metadata is not an install. */
	put_shared(all, "pkgdb/python/trivy-zipp-3.12.1.METADATA",
		   "home/user/src/zipp-3.12.1.dist-info/METADATA", 1);
	struct dd_sbom *s = run_catalogers(all, "docker-archive");
	dump(s);
	EXPECT_EQ_INT(s->npkgs, 12);
	EXPECT_STR_EQ(find_pkg(s, "pypi", "pygments", NULL)->purl, "pkg:pypi/pygments@2.6.1");
	dd_sbom_free(s);
	dd_fs_free(all);
}

DD_TEST(npm_package_lock_fixtures)
{
	static const struct { const char *file; size_t n; } cases[] = {
		{ "pkgdb/npm/trivy-package-lock.v1.json", 33 },
		{ "pkgdb/npm/trivy-package-lock.v2.json", 33 },
		{ "pkgdb/npm/trivy-package-lock.v3.json", 33 },
		{ "pkgdb/npm/trivy-package-lock.v3-workspace.json", 8 },
		{ "pkgdb/npm/syft-package-lock.v1.json", 12 },
		{ "pkgdb/npm/syft-package-lock.v2.json", 5 },
		{ "pkgdb/npm/syft-package-lock.v3.json", 5 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dd_fs *fs = dd_fs_new();
		put_shared(fs, cases[i].file, "srv/app/package-lock.json", 0);
		struct dd_sbom *s = run_catalogers(fs, "dir");
		if (count_type(s, "npm") != cases[i].n) {
			fprintf(stderr, "%s:\n", cases[i].file);
			dump(s);
		}
		EXPECT_EQ_INT(count_type(s, "npm"), cases[i].n);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
}

DD_TEST(npm_lock_dev_flags_and_scopes)
{
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/npm/trivy-package-lock.v3.json", "package-lock.json", 0);
	struct dd_sbom *s = run_catalogers(fs, "dir");
	size_t dev = 0;
	for (size_t i = 0; i < s->npkgs; i++)
		dev += (s->pkgs[i].flags & DD_PKG_DEV) != 0;
	EXPECT_TRUE(dev > 0 && dev < s->npkgs);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(java_archives)
{
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/java/trivy-hadoop-shaded-guava-1.1.0-SNAPSHOT.jar",
		   "opt/hadoop/lib/hadoop-shaded-guava-1.1.0-SNAPSHOT.jar", 0);
	struct dd_sbom *s = run_catalogers(fs, "docker-archive");
	dump(s);
	EXPECT_EQ_INT(s->npkgs, 5);
	EXPECT_PKG(s, "maven", "org.apache.hadoop.thirdparty:hadoop-shaded-guava", "1.1.0-SNAPSHOT");
	EXPECT_PKG(s, "maven", "com.google.guava:guava", NULL);
	EXPECT_PKG(s, "maven", "com.google.guava:failureaccess", NULL);
	EXPECT_PKG(s, "maven", "com.google.guava:listenablefuture", NULL);
	EXPECT_PKG(s, "maven", "com.google.j2objc:j2objc-annotations", NULL);
	dd_sbom_free(s);
	dd_fs_free(fs);

	fs = dd_fs_new();
	put_shared(fs, "pkgdb/java/trivy-io.quarkus.gizmo.gizmo-1.1.jar",
		   "app/lib/io.quarkus.gizmo.gizmo-1.1.jar", 0);
	s = run_catalogers(fs, "docker-archive");
	dump(s);
	/* gizmo itself, the two nested log4j jars, and the decoy
	 * pom.properties outside META-INF/maven: two jackson-databind
	 * versions, each written twice. */
	EXPECT_EQ_INT(s->npkgs, 5);
	EXPECT_PKG(s, "maven", "io.quarkus.gizmo:gizmo", "1.1");
	EXPECT_PKG(s, "maven", "log4j:log4j", "1.2.16");
	EXPECT_PKG(s, "maven", "log4j:log4j", "1.2.17");
	EXPECT_PKG(s, "maven", "com.fasterxml.jackson.core:jackson-databind", "2.12.3");
	EXPECT_PKG(s, "maven", "com.fasterxml.jackson.core:jackson-databind", "2.13.4");
	const struct dd_package *p = find_pkg(s, "maven", "log4j:log4j", "1.2.16");
	if (p) {
		EXPECT_STR_EQ(p->location, "app/lib/io.quarkus.gizmo.gizmo-1.1.jar:jars/log4j-1.2.16.jar");
		EXPECT_STR_EQ(p->purl, "pkg:maven/log4j/log4j@1.2.16");
	}
	dd_sbom_free(s);
	dd_fs_free(fs);

	fs = dd_fs_new();
	put_shared(fs, "pkgdb/java/trivy-nested.jar", "app/nested.jar", 0);
	s = run_catalogers(fs, "docker-archive");
	dump(s);
	EXPECT_PKG(s, "maven", "test:nested", "0.0.1");
	EXPECT_EQ_INT(s->npkgs, 3); /* one pom.properties at each of three levels */
	dd_sbom_free(s);
	dd_fs_free(fs);

	fs = dd_fs_new();
	put_shared(fs, "pkgdb/java/trivy-test.jar", "app/test.jar", 0);
	s = run_catalogers(fs, "docker-archive");
	dump(s);
	EXPECT_EQ_INT(s->npkgs, 1);
	EXPECT_PKG(s, "maven", "org.springframework.core:test", "2.5.6.SEC03");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

/* What the image keeps of each real archive is the members the cataloger
 * reads (java_archive.c, java_reduce): reduced directly it is smaller
 * (gizmo: 884 KiB of classes and two nested jars), and a dir: scan of a
 * tree holding the archives, which keeps that form, reports what the
 * whole files report. */
DD_TEST(java_archives_kept_reduced)
{
	static const char *const jars[] = {
		"pkgdb/java/trivy-hadoop-shaded-guava-1.1.0-SNAPSHOT.jar",
		"pkgdb/java/trivy-io.quarkus.gizmo.gizmo-1.1.jar",
		"pkgdb/java/trivy-nested.jar",
		"pkgdb/java/trivy-test.jar",
	};
	dd_catalog_set java = dd_catalog_named("java-archive");
	for (size_t i = 0; i < sizeof jars / sizeof *jars; i++) {
		struct dd_buf b;
		struct dd_err err;
		dd_buf_init(&b, 64u << 20);
		ASSERT_OK(dd_buf_read_file(&b, dd_test_shared(jars[i]), &err), &err);
		const char *base = strrchr(jars[i], '/') + 1;
		char rel[512], path[256], ref[4300];
		snprintf(path, sizeof path, "app/lib/%s", base);
		snprintf(rel, sizeof rel, "root%zu/%s", i, path);
		dd_test_write(rel, b.data, b.len);
		struct dd_arena *a = dd_arena_new(0);
		struct dd_bytes bytes = dd_bytes_mem((const unsigned char *)b.data, b.len);
		const unsigned char *out;
		size_t outlen;
		ASSERT_OK(dd_catalog_reduce(java, false, path, &bytes, a, &out, &outlen, &err), &err);
		fprintf(stderr, "  %s: %zu bytes, %zu kept\n", base, b.len, outlen);
		EXPECT_TRUE(outlen <= b.len);
		if (strstr(base, "gizmo"))
			EXPECT_TRUE(outlen < b.len / 20);
		dd_arena_free(a);
		snprintf(ref, sizeof ref, "dir:%s/root%zu", dd_test_tmpdir(), i);
		struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE };
		struct dd_sbom *scan;
		ASSERT_OK(dd_sbom_from_image(ref, &o, &scan, &err), &err);
		struct dd_fs *fs = dd_fs_new();
		put_bytes(fs, path, b.data, b.len, 0);
		struct dd_sbom *whole = run_catalogers(fs, "dir");
		EXPECT_TRUE(whole->npkgs > 0);
		EXPECT_EQ_INT(scan->npkgs, whole->npkgs);
		for (size_t k = 0; k < whole->npkgs; k++) {
			const struct dd_package *p = &whole->pkgs[k];
			const struct dd_package *q = find_pkg(scan, p->type, p->name, p->version);
			EXPECT_TRUE(q && !strcmp(q->location, p->location) && !strcmp(q->cataloger, p->cataloger));
		}
		EXPECT_EQ_INT(scan->nwarnings, whole->nwarnings);
		dd_sbom_free(whole);
		dd_sbom_free(scan);
		dd_fs_free(fs);
		dd_buf_release(&b);
	}
}

DD_TEST(php_composer)
{
	static const struct { const char *file, *path; size_t n, dev; } cases[] = {
		{ "pkgdb/php/trivy-composer_happy.composer.lock", "var/www/composer.lock", 10, 2 },
		{ "pkgdb/php/syft.composer.lock", "var/www/composer.lock", 4, 2 },
		{ "pkgdb/php/syft-composer_2.installed.json", "var/www/vendor/composer/installed.json", 2, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dd_fs *fs = dd_fs_new();
		put_shared(fs, cases[i].file, cases[i].path, 0);
		struct dd_sbom *s = run_catalogers(fs, "dir");
		dump(s);
		EXPECT_EQ_INT(count_type(s, "composer"), cases[i].n);
		size_t dev = 0;
		for (size_t k = 0; k < s->npkgs; k++)
			dev += (s->pkgs[k].flags & DD_PKG_DEV) != 0;
		EXPECT_EQ_INT(dev, cases[i].dev);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
	struct dd_fs *fs = dd_fs_new();
	put_shared(fs, "pkgdb/php/trivy-composer_happy.composer.lock", "var/www/composer.lock", 0);
	struct dd_sbom *s = run_catalogers(fs, "dir");
	EXPECT_PKG(s, "composer", "guzzlehttp/guzzle", "6.5.8");
	EXPECT_STR_EQ(find_pkg(s, "composer", "guzzlehttp/guzzle", NULL)->purl,
		      "pkg:composer/guzzlehttp/guzzle@6.5.8");
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(ruby_gemfile_lock)
{
	static const struct { const char *file; size_t n; } cases[] = {
		{ "pkgdb/ruby/syft.Gemfile.lock", 50 },
		{ "pkgdb/ruby/trivy-Gemfile_normal.Gemfile.lock", 7 },
		{ "pkgdb/ruby/trivy-Gemfile_bundler2.Gemfile.lock", 8 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dd_fs *fs = dd_fs_new();
		put_shared(fs, cases[i].file, "srv/rails/Gemfile.lock", 0);
		struct dd_sbom *s = run_catalogers(fs, "dir");
		EXPECT_EQ_INT(count_type(s, "gem"), cases[i].n);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
}
