/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OS catalogers (distro, dpkg, apk) against the real package databases in
 * ../shared/data/pkgdb and the real images. Ground truth comes from the
 * real tools at test time where one exists (dpkg-query --admindir on a
 * copy of the file), else from an independent awk extraction and the
 * counts in pkgdb/README.md. Nothing from the shared data is copied here.
 */
#include <stdio.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "dd_test.h"
#include "util/arena.h"
#include "util/buf.h"

static void put_host_file(struct dd_fs *fs, const char *path, const char *host, int layer)
{
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 1u << 30);
	ASSERT_OK(dd_buf_read_file(&b, host, &err), &err);
	struct dd_fs_file f = { .path = path, .type = DD_FS_REG, .data = (unsigned char *)b.data,
				.size = b.len, .mode = 0644, .layer = layer };
	if (!f.data)
		f.data = (const unsigned char *)"";
	ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
	dd_buf_release(&b);
}

static struct dd_sbom *catalog(const struct dd_fs *fs)
{
	struct dd_sbom *s = dd_sbom_new();
	struct dd_err err;
	ASSERT_TRUE(s);
	ASSERT_OK(dd_catalog_run(fs, s, true, &err), &err);
	return s;
}

static int cmpstrp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Our packages as sorted "name\tversion\tarch\tsource\tsource_version\n" lines. */
static char *pkg_lines(const struct dd_sbom *s, bool with_source)
{
	char **v = calloc(s->npkgs + 1, sizeof *v);
	size_t total = 1;
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[i];
		struct dd_buf b;
		dd_buf_init(&b, 1 << 20);
		dd_buf_printf(&b, NULL, "%s\t%s\t%s", p->name, p->version, p->arch ? p->arch : "");
		if (with_source)
			dd_buf_printf(&b, NULL, "\t%s\t%s", p->source_name ? p->source_name : "",
				      p->source_version ? p->source_version : "");
		dd_buf_putc(&b, '\n', NULL);
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
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* What dpkg-query lists as present on disk (our rule: every state but
 * not-installed and config-files), for a file copied to D/status. */
static char *dpkg_query(const char *host, bool *ok)
{
	char cmd[4096];
	const char *dir = dd_test_tmpdir();
	snprintf(cmd, sizeof cmd,
		 "rm -rf '%s/adm' && mkdir -p '%s/adm/info' '%s/adm/updates' && cp '%s' '%s/adm/status' && "
		 "dpkg-query --admindir='%s/adm' -W -f "
		 "'${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n' "
		 "2>/dev/null | awk -F'\\t' 'substr($1,2,1)!=\"n\" && substr($1,2,1)!=\"c\" "
		 "{print $2\"\\t\"$3\"\\t\"$4\"\\t\"$5\"\\t\"$6}' | LC_ALL=C sort; "
		 "exit ${PIPESTATUS[0]}",
		 dir, dir, dir, host, dir, dir);
	char *out = NULL;
	char wrapped[5000];
	snprintf(wrapped, sizeof wrapped, "bash -c \"$(cat <<'EOS'\n%s\nEOS\n)\"", cmd);
	int rc = dd_test_run(wrapped, &out);
	*ok = rc == 0;
	return out;
}

static void expect_same_lines(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return;
	/* Print the first differing line of each. */
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		g++;
		w++;
	}
	while (g > got && g[-1] != '\n')
		g--;
	while (w > want && w[-1] != '\n')
		w--;
	dd_test_fail(__FILE__, __LINE__, "%s: lists differ (%zu vs %zu lines) at: got \"%.100s\" want \"%.100s\"",
		     what, count_lines(got), count_lines(want), g, w);
}

static struct dd_sbom *catalog_one(const char *image_path, const char *host, struct dd_fs **fsp)
{
	struct dd_fs *fs = dd_fs_new();
	ASSERT_TRUE(fs);
	put_host_file(fs, image_path, host, 0);
	*fsp = fs;
	return catalog(fs);
}

/* Status files dpkg-query accepts: exactly its list (name, version, arch,
 * source, source version). */
DD_TEST(dpkg_status_files_equal_dpkg_query)
{
	static const struct { const char *file; size_t n; } cases[] = {
		{ "pkgdb/dpkg/trivy-valid.status", 90 },
		{ "pkgdb/dpkg/claircore-texlive.status", 357 },
		{ "pkgdb/dpkg/claircore-postgresql.status", 3 },
		{ "pkgdb/dpkg/claircore-debian-only.status", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *host = dd_test_shared(cases[i].file);
		struct dd_fs *fs;
		struct dd_sbom *s = catalog_one("var/lib/dpkg/status", host, &fs);
		bool ok;
		char *want = dpkg_query(host, &ok);
		EXPECT_TRUE(ok);
		char *got = pkg_lines(s, true);
		expect_same_lines(cases[i].file, got, want ? want : "");
		EXPECT_EQ_INT(s->npkgs, cases[i].n);
		EXPECT_EQ_INT(s->nwarnings, 0);
		printf("%s: %zu packages, dpkg-query %zu\n", cases[i].file, s->npkgs,
		       count_lines(want ? want : ""));
		free(got);
		free(want);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
}

/* Status files dpkg-query rejects as a whole: we skip the bad stanza with a
 * warning naming the line and keep the rest. */
DD_TEST(dpkg_status_files_dpkg_rejects)
{
	struct dd_fs *fs;
	struct dd_sbom *s = catalog_one("var/lib/dpkg/status",
					dd_test_shared("pkgdb/dpkg/syft-image-dpkg.status"), &fs);
	ASSERT_EQ_INT(s->npkgs, 1);
	EXPECT_STR_EQ(s->pkgs[0].name, "libpam-runtime");
	EXPECT_STR_EQ(s->pkgs[0].version, "1.1.8-3.6");
	EXPECT_STR_EQ(s->pkgs[0].source_name, "pam");
	EXPECT_STR_EQ(s->pkgs[0].source_version, "1.1.8-3.6");
	ASSERT_EQ_INT(s->nwarnings, 1);
	EXPECT_STR_EQ(s->warnings[0],
		      "var/lib/dpkg/status: line 1: stanza without a package name, skipped");
	dd_sbom_free(s);
	dd_fs_free(fs);

	/* vcpkg's look-alike: stanzas with Version and an installed Status are
	 * accepted (x64-windows arch), feature stanzas without Version warned. */
	s = catalog_one("var/lib/dpkg/status", dd_test_shared("pkgdb/dpkg/claircore-vcpkg.status"),
			&fs);
	printf("vcpkg: %zu packages, %zu warnings\n", s->npkgs, s->nwarnings);
	for (size_t i = 0; i < s->npkgs; i++)
		EXPECT_TRUE(s->pkgs[i].arch && strstr(s->pkgs[i].arch, "-windows"));
	EXPECT_TRUE(s->npkgs > 0 && s->npkgs < 24);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(dpkg_status_d)
{
	/* Files dpkg-query reads: same list (stub stanzas skipped). */
	static const char *const same[] = { "single", "coreutils-relationships", "deinstall",
					    "installed-size-4KB", "libpam-runtime" };
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char rel[256], img[256];
		snprintf(rel, sizeof rel, "pkgdb/dpkg/status.d-syft/%s", same[i]);
		snprintf(img, sizeof img, "var/lib/dpkg/status.d/%s", same[i]);
		const char *host = dd_test_shared(rel);
		char hostcopy[4096];
		snprintf(hostcopy, sizeof hostcopy, "%s", host);
		struct dd_fs *fs;
		struct dd_sbom *s = catalog_one(img, hostcopy, &fs);
		bool ok;
		char *want = dpkg_query(hostcopy, &ok);
		EXPECT_TRUE(ok);
		char *got = pkg_lines(s, true);
		expect_same_lines(rel, got, want ? want : "");
		EXPECT_EQ_INT(s->nwarnings, 0);
		printf("%s: %zu packages, dpkg-query %zu\n", rel, s->npkgs, count_lines(want));
		free(got);
		free(want);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
	/* Distroless: no Status field; installed by definition. The
	 * .md5sums and .preinst files next to it are not databases. */
	struct dd_fs *fs = dd_fs_new();
	put_host_file(fs, "var/lib/dpkg/status.d/libsqlite3-0",
		      dd_test_shared("pkgdb/dpkg/status.d-distroless/libsqlite3-0"), 0);
	put_host_file(fs, "var/lib/dpkg/status.d/libsqlite3-0.md5sums",
		      dd_test_shared("pkgdb/dpkg/status.d-distroless/libsqlite3-0.md5sums"), 0);
	put_host_file(fs, "var/lib/dpkg/status.d/libsqlite3-0.preinst",
		      dd_test_shared("pkgdb/dpkg/status.d-distroless/libsqlite3-0.preinst"), 0);
	struct dd_sbom *s = catalog(fs);
	char *got = pkg_lines(s, false);
	EXPECT_STR_EQ(got, "libsqlite3-0\t3.34.1-3\tarm64\n");
	EXPECT_EQ_INT(s->nwarnings, 0);
	free(got);
	dd_sbom_free(s);
	dd_fs_free(fs);

	/* Files dpkg refuses: what we keep and what we warn about. */
	static const struct { const char *name; size_t n, warnings; } bad[] = {
		{ "multiple", 2, 1 },     /* empty Package:, a stub, tzdata, util-linux */
		{ "empty", 0, 1 },        /* only "Package:" */
		{ "corrupt", 0, 1 },      /* no Package field at all */
		{ "doc-examples", 5, 0 }, /* mutt + made-up-package-1..4 have versions */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char rel[256], img[256];
		snprintf(rel, sizeof rel, "pkgdb/dpkg/status.d-syft/%s", bad[i].name);
		snprintf(img, sizeof img, "var/lib/dpkg/status.d/%s", bad[i].name);
		s = catalog_one(img, dd_test_shared(rel), &fs);
		printf("%s: %zu packages, %zu warnings%s%s\n", rel, s->npkgs, s->nwarnings,
		       s->nwarnings ? ": " : "", s->nwarnings ? s->warnings[0] : "");
		EXPECT_EQ_INT(s->npkgs, bad[i].n);
		EXPECT_EQ_INT(s->nwarnings, bad[i].warnings);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
}

/* An independent extraction of P/V/A/o with awk (paragraph mode). */
static char *apk_awk(const char *host)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "awk 'BEGIN{RS=\"\";FS=\"\\n\"} {p=v=a=o=\"\"; for(i=1;i<=NF;i++){k=substr($i,1,2);"
		 "x=substr($i,3); if(k==\"P:\")p=x; if(k==\"V:\")v=x; if(k==\"A:\")a=x; if(k==\"o:\")o=x}"
		 " if(p!=\"\"&&v!=\"\") print p\"\\t\"v\"\\t\"a\"\\t\"(o==\"\"?p:o)\"\\t\"v}' '%s' | LC_ALL=C sort",
		 host);
	char *out = NULL;
	EXPECT_EQ_INT(dd_test_run(cmd, &out), 0);
	return out;
}

DD_TEST(apk_installed_files)
{
	static const struct { const char *file; size_t n, warnings; } cases[] = {
		/* 16 P: records; one has no V: (line 23) and is warned about. */
		{ "pkgdb/apk/trivy.installed", 15, 1 },
		{ "pkgdb/apk/syft-multiple-2.installed", 14, 0 },
		{ "pkgdb/apk/syft-multiple-1.installed", 4, 0 },
		{ "pkgdb/apk/syft-corrupt.installed", 1, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *host = dd_test_shared(cases[i].file);
		char hostcopy[4096];
		snprintf(hostcopy, sizeof hostcopy, "%s", host);
		struct dd_fs *fs;
		struct dd_sbom *s = catalog_one("lib/apk/db/installed", hostcopy, &fs);
		char *want = apk_awk(hostcopy);
		char *got = pkg_lines(s, true);
		/* The corrupt file's first "record" is a sentence; awk skips it
		 * too because it has no P:/V:. */
		expect_same_lines(cases[i].file, got, want ? want : "");
		EXPECT_EQ_INT(s->npkgs, cases[i].n);
		EXPECT_EQ_INT(s->nwarnings, cases[i].warnings);
		printf("%s: %zu packages (%zu warnings)\n", cases[i].file, s->npkgs, s->nwarnings);
		for (size_t k = 0; k < s->nwarnings; k++)
			printf("  warning: %s\n", s->warnings[k]);
		free(got);
		free(want);
		dd_sbom_free(s);
		dd_fs_free(fs);
	}
}

/* Unpacks a docker-archive and, from each layer (manifest order), the
 * members named by `members` into DIR/l<N>/; returns the layer count. */
static size_t extract(const char *image, const char *members)
{
	const char *dir = dd_test_tmpdir();
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && mkdir -p img && tar -xzf '%s' -C img && n=0 && "
		 "for l in $(grep -o '\"Layers\":\\[[^]]*\\]' img/manifest.json | grep -o '[^\"]*\\.tar'); do "
		 "mkdir -p l$n && (tar -xf img/$l -C l$n --wildcards %s 2>/dev/null; true) && n=$((n+1)); done; "
		 "echo $n",
		 dir, image, members);
	char *out = NULL;
	ASSERT_EQ_INT(dd_test_run(cmd, &out), 0);
	size_t n = strtoul(out, NULL, 10);
	free(out);
	return n;
}

/* The same for an OCI layout packed as a tar: index.json -> manifest ->
 * layer blobs (gzip), in order. */
static size_t extract_oci(const char *image, const char *members)
{
	const char *dir = dd_test_tmpdir();
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && mkdir -p img && tar -xf '%s' -C img && "
		 "m=$(grep -o '\"digest\":\"sha256:[0-9a-f]*\"' img/index.json | head -1 | grep -oE '[0-9a-f]{64}') && n=0 && "
		 "for l in $(sed 's/.*\"layers\"://' img/blobs/sha256/$m | grep -o '\"digest\":\"sha256:[0-9a-f]*\"' | grep -oE '[0-9a-f]{64}'); do "
		 "mkdir -p l$n && (tar -xzf img/blobs/sha256/$l -C l$n --wildcards %s 2>/dev/null; true) && n=$((n+1)); done; "
		 "echo $n",
		 dir, image, members);
	char *out = NULL;
	ASSERT_EQ_INT(dd_test_run(cmd, &out), 0);
	size_t n = strtoul(out, NULL, 10);
	free(out);
	return n;
}

/* Applies DIR/l0 .. l<n-1> to fs as layers: regular files and symlinks;
 * ".wh.NAME" removes NAME (the image reader's job; done by hand here). */
static void apply_layers(struct dd_fs *fs, size_t n)
{
	const char *dir = dd_test_tmpdir();
	for (size_t i = 0; i < n; i++) {
		char cmd[4096];
		snprintf(cmd, sizeof cmd, "cd '%s/l%zu' && find . \\( -type f -o -type l \\) -printf '%%y %%P\\t%%l\\n' | LC_ALL=C sort",
			 dir, i);
		char *out = NULL;
		ASSERT_EQ_INT(dd_test_run(cmd, &out), 0);
		for (char *p = out; *p;) {
			char *nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			char type = p[0];
			char *path = p + 2, *tab = strchr(path, '\t');
			*tab = '\0';
			char *base = strrchr(path, '/');
			base = base ? base + 1 : path;
			if (strncmp(base, ".wh.", 4) == 0) {
				char victim[4096];
				snprintf(victim, sizeof victim, "%.*s%s", (int)(base - path), path, base + 4);
				dd_fs_remove(fs, victim);
			} else if (type == 'l') {
				struct dd_fs_file f = { .path = path, .type = DD_FS_SYMLINK,
							.link = tab + 1, .layer = (int)i };
				struct dd_err err;
				ASSERT_OK(dd_fs_put(fs, &f, &err), &err);
			} else {
				char host[8192];
				snprintf(host, sizeof host, "%s/l%zu/%s", dir, i, path);
				put_host_file(fs, path, host, (int)i);
			}
			if (!nl)
				break;
			p = nl + 1;
		}
		free(out);
	}
}

static bool has_line_prefix(const char *list, const char *prefix)
{
	size_t n = strlen(prefix);
	for (const char *p = list; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, n) == 0)
			return true;
	return false;
}

static const struct dd_package *find_pkg(const struct dd_sbom *s, const char *name)
{
	for (size_t i = 0; i < s->npkgs; i++)
		if (strcmp(s->pkgs[i].name, name) == 0)
			return &s->pkgs[i];
	return NULL;
}

/* The Debian image, three layers: 131 packages equal to the expected
 * dpkg-query list; curl (purged in layer 3) absent; each package's layer
 * is the lowest of the unbroken run of layers whose status has it at
 * this version, which dpkg-query on each layer's status file tells. */
static const char debian_members[] =
	"'var/lib/dpkg/status' 'var/lib/dpkg/info/*.list' 'var/lib/dpkg/info/.wh.*' "
	"'etc/os-release' 'usr/lib/os-release' 'etc/debian_version'";

static void check_debian(size_t n);

DD_TEST(debian_image_layers)
{
	const char *img = dd_test_shared("images/debian-bookworm-minbase.docker.tar.gz");
	check_debian(extract(img, debian_members));
}

/* The same image as an OCI layout: the same 131 packages and layers. */
DD_TEST(debian_oci_image_layers)
{
	const char *img = dd_test_shared("images/debian-bookworm-minbase.oci.tar");
	check_debian(extract_oci(img, debian_members));
}

static void check_debian(size_t n)
{
	char tsv[4096];
	snprintf(tsv, sizeof tsv, "%s", dd_test_shared("images/debian-bookworm-minbase.expected-dpkg.tsv"));
	ASSERT_EQ_INT(n, 3);
	struct dd_fs *fs = dd_fs_new();
	apply_layers(fs, n);
	struct dd_sbom *s = catalog(fs);
	EXPECT_STR_EQ(s->distro.id, "debian");
	EXPECT_STR_EQ(s->distro.version_id, "12");
	EXPECT_STR_EQ(s->distro.version, "12.15");
	EXPECT_STR_EQ(s->distro.codename, "bookworm");
	EXPECT_EQ_INT(s->npkgs, 131);
	EXPECT_EQ_INT(s->nwarnings, 0);
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "tail -n +2 '%s' | awk -F'\\t' 'substr($4,2,1)!=\"n\" && substr($4,2,1)!=\"c\" "
		 "{print $1\"\\t\"$2\"\\t\"$3\"\\t\"$5\"\\t\"$6}' | LC_ALL=C sort", tsv);
	char *want = NULL;
	ASSERT_EQ_INT(dd_test_run(cmd, &want), 0);
	char *got = pkg_lines(s, true);
	expect_same_lines("debian image", got, want);
	free(got);
	free(want);
	EXPECT_TRUE(find_pkg(s, "curl") == NULL);
	const struct dd_package *lc = find_pkg(s, "libcurl4");
	ASSERT_TRUE(lc);
	EXPECT_EQ_INT(lc->layer, 1);
	EXPECT_STR_EQ(lc->purl, "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u15?arch=amd64&distro=debian-12&upstream=curl");
	EXPECT_TRUE(lc->nfiles > 0);

	/* Per-layer truth from dpkg-query. */
	char *lists[3];
	for (size_t i = 0; i < 3; i++) {
		char host[4096];
		snprintf(host, sizeof host, "%s/l%zu/var/lib/dpkg/status", dd_test_tmpdir(), i);
		bool ok;
		lists[i] = dpkg_query(host, &ok);
		EXPECT_TRUE(ok);
	}
	size_t per_layer[3] = { 0 };
	for (size_t k = 0; k < s->npkgs; k++) {
		const struct dd_package *p = &s->pkgs[k];
		char line[1024];
		snprintf(line, sizeof line, "%s\t%s\t%s\t", p->name, p->version, p->arch);
		int want_layer = 2;
		while (want_layer > 0 && has_line_prefix(lists[want_layer - 1], line))
			want_layer--;
		EXPECT_EQ_INT(p->layer, want_layer);
		if (p->layer >= 0 && p->layer < 3)
			per_layer[p->layer]++;
	}
	printf("debian image: %zu packages; by layer: %zu / %zu / %zu\n", s->npkgs, per_layer[0],
	       per_layer[1], per_layer[2]);
	for (size_t i = 0; i < 3; i++)
		free(lists[i]);
	dd_sbom_free(s);
	dd_fs_free(fs);
}

DD_TEST(alpine_image)
{
	const char *img = dd_test_shared("images/alpine-310.docker.tar.gz");
	size_t n = extract(img, "'lib/apk/db/installed' 'etc/os-release' 'usr/lib/os-release' "
				"'etc/alpine-release'");
	ASSERT_EQ_INT(n, 1);
	struct dd_fs *fs = dd_fs_new();
	apply_layers(fs, n);
	struct dd_sbom *s = catalog(fs);
	EXPECT_STR_EQ(s->distro.id, "alpine");
	EXPECT_STR_EQ(s->distro.version_id, "3.10.4");
	EXPECT_EQ_INT(s->npkgs, 14);
	EXPECT_EQ_INT(s->nwarnings, 0);
	char host[4096];
	snprintf(host, sizeof host, "%s/l0/lib/apk/db/installed", dd_test_tmpdir());
	char *want = apk_awk(host);
	char *got = pkg_lines(s, true);
	expect_same_lines("alpine image", got, want);
	free(got);
	free(want);
	const struct dd_package *musl = find_pkg(s, "musl");
	ASSERT_TRUE(musl);
	EXPECT_STR_EQ(musl->purl, "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4");
	EXPECT_EQ_INT(musl->layer, 0);
	EXPECT_TRUE(musl->nfiles > 0);
	const struct dd_package *ssl = find_pkg(s, "libssl1.1");
	ASSERT_TRUE(ssl);
	EXPECT_STR_EQ(ssl->source_name, "openssl");
	EXPECT_TRUE(ssl->license != NULL);
	dd_sbom_free(s);
	dd_fs_free(fs);
}
