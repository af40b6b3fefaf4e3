/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the language catalogers add to a scan. The image reader is another
 * module, so this program stands in for its streaming pass the way it
 * works: a layer tar is read with libarchive, every regular file's name
 * (and first DD_MAGIC_BYTES for magic) is offered to the enabled
 * catalogers, wanted files are kept in a struct dd_fs, then
 * dd_catalog_run() runs. "off" = OS catalogers only (DD_IMAGE_OS_ONLY: the
 * language catalogers are neither asked nor run); "on" = all. Prints the
 * fastest process-CPU time of each and the overhead ratio, for
 *   1. images/node-app.docker.tar.gz (../shared/data): the gzipped archive
 *      is unpacked in every run, as a scan of it must, and
 *   2. a generated gzip layer with 50,000 node_modules/NAME/package.json
 *      files (plus 50,000 index.js).
 * Both runs of a pair read the same bytes; "off" and "on" alternate.
 * Usage: bench_catalog_lang [SHARED_DATA_DIR] [REPEAT]
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "dd/sbom.h"
#include "image/fs.h"
#include "util/limits.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool wanted(const char *path, const unsigned char *head, size_t hn, bool lang)
{
	size_t len = strlen(path);
	for (const struct dd_cataloger *const *c = dd_catalogers; *c; c++) {
		if (!lang && (*c)->kind == DD_CATALOGER_LANG)
			continue;
		if ((*c)->wants_path && (*c)->wants_path(path, len))
			return true;
		if ((*c)->wants_magic && hn && (*c)->wants_magic(head, hn))
			return true;
	}
	return false;
}

/* Reads one layer tar (any compression libarchive knows) into fs. */
static int apply_layer(struct dd_fs *fs, const void *data, size_t n, int layer, bool lang)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, data, n) != ARCHIVE_OK)
		return -1;
	struct archive_entry *e;
	static unsigned char buf[1 << 20];
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		const char *p = archive_entry_pathname(e);
		while (*p == '.' && p[1] == '/')
			p += 2;
		while (*p == '/')
			p++;
		la_int64_t size = archive_entry_size(e);
		size_t got = 0;
		unsigned char head[DD_MAGIC_BYTES];
		size_t hn = 0;
		bool path_ok = wanted(p, NULL, 0, lang);
		if (!path_ok) {
			la_ssize_t r = archive_read_data(a, head, sizeof head);
			hn = r > 0 ? (size_t)r : 0;
			if (!wanted(p, head, hn, lang))
				continue; /* the rest is skipped by the next header read */
		}
		unsigned char *content = malloc((size_t)size + 1);
		if (hn)
			memcpy(content, head, hn);
		got = hn;
		while (got < (size_t)size) {
			la_ssize_t r = archive_read_data(a, content + got, (size_t)size - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		struct dd_fs_file f = { .path = p, .type = DD_FS_REG, .data = content, .size = got,
					.mode = 0644, .layer = layer };
		struct dd_err err;
		dd_fs_put(fs, &f, &err);
		free(content);
	}
	(void)buf;
	archive_read_free(a);
	return 0;
}

struct blob {
	unsigned char *d;
	size_t n;
};

static double g_catalog;

static size_t load_docker_archive(const void *d, size_t n, struct blob *out, size_t cap);

/* archive: a docker-archive whose layer members are unpacked in every run,
 * as a scan does; else layers are tar streams (compressed or not). */
static double scan(const struct blob *layers, size_t nl, bool archive, bool lang, size_t *npkgs)
{
	double t0 = now();
	struct dd_fs *fs = dd_fs_new();
	struct blob inner[16];
	size_t ni = 0;
	if (archive) {
		ni = load_docker_archive(layers[0].d, layers[0].n, inner, 16);
		layers = inner;
		nl = ni;
	}
	for (size_t i = 0; i < nl; i++)
		apply_layer(fs, layers[i].d, layers[i].n, (int)i, lang);
	for (size_t i = 0; i < ni; i++)
		free(inner[i].d);
	double t1 = now();
	struct dd_sbom *s = dd_sbom_new();
	s->image.transport = "docker-archive";
	struct dd_err err;
	dd_catalog_run(fs, s, !lang, &err);
	g_catalog = now() - t1;
	*npkgs = s->npkgs;
	dd_sbom_free(s);
	dd_fs_free(fs);
	return now() - t0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void measure(const char *what, const struct blob *layers, size_t nl, bool archive, int rep)
{
	double off[64], on[64], cat_on[64];
	size_t poff = 0, pon = 0;
	for (int r = 0; r < rep; r++) { /* interleaved so drift hits both */
		off[r] = scan(layers, nl, archive, false, &poff);
		on[r] = scan(layers, nl, archive, true, &pon);
		cat_on[r] = g_catalog;
	}
	qsort(off, (size_t)rep, sizeof *off, cmp_d);
	qsort(on, (size_t)rep, sizeof *on, cmp_d);
	qsort(cat_on, (size_t)rep, sizeof *cat_on, cmp_d);
	/* The fastest run of each: other load only ever adds time. */
	double mo = off[0], mn = on[0];
	printf("%-28s off %8.1f ms (%zu pkgs)  on %8.1f ms (%zu pkgs; catalogers %.1f ms)  overhead %+.1f%%\n",
	       what, mo * 1e3, poff, mn * 1e3, pon, cat_on[0] * 1e3, (mn / mo - 1) * 100);
}

/* The layer members of a docker-archive, in manifest order (their order in
 * the archive for skopeo-written files; good enough for a benchmark). */
static size_t load_docker_archive(const void *d, size_t dn, struct blob *out, size_t cap)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, d, dn) != ARCHIVE_OK)
		return 0;
	struct archive_entry *e;
	size_t n = 0;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK && n < cap) {
		const char *p = archive_entry_pathname(e);
		size_t l = strlen(p);
		if (l < 4 || strcmp(p + l - 4, ".tar") != 0)
			continue;
		size_t sz = (size_t)archive_entry_size(e);
		out[n].d = malloc(sz);
		out[n].n = 0;
		la_ssize_t r;
		while (out[n].n < sz && (r = archive_read_data(a, out[n].d + out[n].n, sz - out[n].n)) > 0)
			out[n].n += (size_t)r;
		n++;
	}
	archive_read_free(a);
	return n;
}

static struct blob generate_tree(size_t npkg)
{
	size_t cap = npkg * 2 * 1536 + (1 << 20);
	struct blob b = { malloc(cap), 0 };
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a); /* layers are stored compressed */
	archive_write_open_memory(a, b.d, cap, &b.n);
	char path[256], json[256];
	for (size_t i = 0; i < npkg; i++) {
		for (int k = 0; k < 2; k++) {
			int jl;
			if (k == 0) {
				snprintf(path, sizeof path, "app/node_modules/pkg-%zu/package.json", i);
				jl = snprintf(json, sizeof json,
					      "{\"name\":\"pkg-%zu\",\"version\":\"1.%zu.0\",\"main\":\"index.js\"}", i,
					      i % 97);
			} else {
				snprintf(path, sizeof path, "app/node_modules/pkg-%zu/index.js", i);
				jl = snprintf(json, sizeof json, "module.exports = %zu;\n", i);
			}
			struct archive_entry *e = archive_entry_new();
			archive_entry_set_pathname(e, path);
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, jl);
			archive_write_header(a, e);
			archive_write_data(a, json, (size_t)jl);
			archive_entry_free(e);
		}
	}
	archive_write_close(a);
	archive_write_free(a);
	return b;
}

int main(int argc, char **argv)
{
	const char *shared = argc > 1 ? argv[1] : "../shared/data";
	int rep = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
	if (rep < 1 || rep > 63)
		rep = 5;
	char path[4096];
	snprintf(path, sizeof path, "%s/images/node-app.docker.tar.gz", shared);
	struct blob img = { NULL, 0 };
	FILE *fp = fopen(path, "rb");
	if (fp) {
		fseek(fp, 0, SEEK_END);
		long sz = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		img.d = malloc((size_t)sz);
		img.n = fread(img.d, 1, (size_t)sz, fp);
		fclose(fp);
		measure("node-app (docker-archive)", &img, 1, true, rep);
	} else {
		printf("node-app: %s not readable, skipped\n", path);
	}
	free(img.d);
	struct blob gen = generate_tree(50000);
	measure("50,000 package.json (gzip)", &gen, 1, false, rep);
	free(gen.d);
	return 0;
}
