/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image loading benchmark: time to load an image's merged view cold (empty
 * layer cache) and warm (second run, same cache), with the wants an SBOM
 * scan has (OS package databases, os-release), and optionally ELF magic.
 * Prints the times; bench/image.sh runs it against `gzip -dc` of the same
 * layers and prints the ratios and peak RSS.
 *
 * With --sbom it times dd_sbom_from_image instead: the whole inventory with
 * the catalogers that are registered (src/catalog/catalog.c).
 *
 * usage: bench_image [--elf|--sbom] [--threads N] [--warm-only|--cold-only] CACHE_DIR IMAGE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "dd/sbom.h"
#include "image/image.h"
#include "util/path.h"

static uint32_t want(void *ud, const char *p, size_t n)
{
	(void)ud;
	return dd_path_match("var/lib/dpkg/status", p, n) ||
	       dd_path_match("var/lib/dpkg/status.d/*", p, n) ||
	       dd_path_match("var/lib/dpkg/info/*.list", p, n) ||
	       dd_path_match("lib/apk/db/installed", p, n) ||
	       dd_path_match("var/lib/rpm/*", p, n) || dd_path_match("usr/lib/sysimage/rpm/*", p, n) ||
	       dd_path_match("etc/*-release", p, n) || dd_path_match("usr/lib/os-release", p, n) ||
	       dd_path_match("etc/debian_version", p, n);
}

static uint32_t elf(void *ud, const unsigned char *h, size_t n)
{
	(void)ud;
	return n >= 4 && !memcmp(h, "\177ELF", 4);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool use_sbom;

static int run(const char *ref, const char *cache, bool use_elf, unsigned threads, double *secs,
	       size_t *count)
{
	if (use_sbom) {
		struct dd_image_opts o = { .cache_dir = cache, .threads = threads };
		struct dd_sbom *s;
		struct dd_err err;
		double t0 = now();
		if (dd_sbom_from_image(ref, &o, &s, &err)) {
			fprintf(stderr, "bench_image: %s\n", err.msg);
			return 1;
		}
		*secs = now() - t0;
		*count = s->npkgs;
		dd_sbom_free(s);
		return 0;
	}
	struct dd_image_opts o = { .cache_dir = cache, .threads = threads };
	struct dd_fs_wants w = { .path = want, .magic = use_elf ? elf : NULL,
				 .fingerprint = use_elf ? "bench-elf" : "bench" };
	struct dd_err err;
	struct dd_image *img;
	struct dd_fs *fs;
	double t0 = now();
	if (dd_image_open_lazy(ref, &o, &img, &err) || dd_image_load_fs(img, &w, NULL, NULL, &fs, &err)) {
		fprintf(stderr, "bench_image: %s\n", err.msg);
		return 1;
	}
	*secs = now() - t0;
	*count = dd_fs_count(fs);
	dd_fs_free(fs);
	dd_image_close(img);
	return 0;
}

int main(int argc, char **argv)
{
	bool use_elf = false, warm_only = false, cold_only = false;
	unsigned threads = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--elf"))
			use_elf = true;
		else if (!strcmp(argv[i], "--sbom"))
			use_sbom = true;
		else if (!strcmp(argv[i], "--warm-only"))
			warm_only = true;
		else if (!strcmp(argv[i], "--cold-only"))
			cold_only = true;
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = (unsigned)strtoul(argv[++i], NULL, 10);
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: bench_image [--elf|--sbom] [--threads N] [--warm-only|--cold-only] CACHE_DIR IMAGE\n");
		return 2;
	}
	const char *cache = argv[i], *ref = argv[i + 1];
	double t;
	size_t n;
	if (!warm_only) {
		if (run(ref, cache, use_elf, threads, &t, &n))
			return 1;
		printf("cold %.4f s (%zu %s)\n", t, n, use_sbom ? "packages" : "entries kept");
	}
	if (!cold_only) {
		if (run(ref, cache, use_elf, threads, &t, &n))
			return 1;
		printf("warm %.4f s (%zu %s)\n", t, n, use_sbom ? "packages" : "entries kept");
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("maxrss %ld KiB\n", ru.ru_maxrss);
	return 0;
}
