/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the language catalogers add to a whole scan, with the real image
 * reader: dd_sbom_from_image() with DD_IMAGE_OS_ONLY ("off") and with every
 * cataloger ("on"), layer cache off, runs alternating so that load on the
 * shared machine hits both. The budget is <= 1.20 of "the time of
 * the same scan": the wall time a user waits for. Each layer reduces the
 * files the catalogers want on a helper thread (src/image/layer.c), so on
 * two cores the wall time and the CPU time (user + sys, all threads) tell
 * different things, and both are printed: for each, the fastest run of
 * each side, their ratio, and the median of the REPEAT ratios of an "on"
 * run to the "off" run just before it (on a machine whose speed drifts,
 * neighbouring runs see the same machine, and the median drops the pairs a
 * burst hit).
 * Usage: bench_sbom_lang REPEAT IMAGE...
 *   e.g. after bench/gen-npm-tree /tmp/npm:
 *   bench_sbom_lang 7 docker-archive:../shared/data/images/node-app.docker.tar.gz \
 *       dir:/tmp/npm/tree docker-archive:/tmp/npm/npm50k.docker.tar.gz \
 *       oci-archive:/tmp/npm/npm50k.oci.tar
 * BENCH_ONLY=on or BENCH_ONLY=off runs one side only (for perf record);
 * BENCH_THREADS=1 reads with one thread in all (dd_image_opts.threads).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "dd/sbom.h"

struct timing {
	double wall, cpu;
};

static unsigned threads;

static struct timing one(const char *image, unsigned flags, size_t *npkgs)
{
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE | flags, .threads = threads };
	struct dd_sbom *s = NULL;
	struct dd_err err;
	double w0 = bench_wall_now(), c0 = bench_cpu_now();
	if (dd_sbom_from_image(image, &o, &s, &err)) {
		fprintf(stderr, "bench_sbom_lang: %s: %s\n", image, err.msg);
		exit(1);
	}
	struct timing t = { bench_wall_now() - w0, bench_cpu_now() - c0 };
	*npkgs = s->npkgs;
	dd_sbom_free(s);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_sbom_lang REPEAT IMAGE...\n");
		return 2;
	}
	int rep = bench_repeat(argv[1]);
	const char *only = getenv("BENCH_ONLY"), *th = getenv("BENCH_THREADS");
	threads = th ? (unsigned)strtoul(th, NULL, 10) : 0;
	bool do_off = !only || !strcmp(only, "off"), do_on = !only || !strcmp(only, "on");
	for (int i = 2; i < argc; i++) {
		struct timing off = { 1e9, 1e9 }, on = { 1e9, 1e9 };
		double wpair[100], cpair[100];
		size_t poff = 0, pon = 0;
		for (int r = 0; r < rep; r++) {
			struct timing none = { 1, 1 };
			struct timing toff = do_off ? one(argv[i], DD_IMAGE_OS_ONLY, &poff) : none;
			struct timing ton = do_on ? one(argv[i], 0, &pon) : none;
			off.wall = toff.wall < off.wall ? toff.wall : off.wall;
			off.cpu = toff.cpu < off.cpu ? toff.cpu : off.cpu;
			on.wall = ton.wall < on.wall ? ton.wall : on.wall;
			on.cpu = ton.cpu < on.cpu ? ton.cpu : on.cpu;
			wpair[r] = ton.wall / toff.wall;
			cpair[r] = ton.cpu / toff.cpu;
		}
		printf("%s (%zu pkgs off, %zu on)\n", argv[i], poff, pon);
		printf("  wall  off %8.1f ms  on %8.1f ms  on/off %.3f  median pair %.3f\n",
		       off.wall * 1e3, on.wall * 1e3, on.wall / off.wall, bench_median(wpair, (size_t)rep));
		printf("  cpu   off %8.1f ms  on %8.1f ms  on/off %.3f  median pair %.3f\n",
		       off.cpu * 1e3, on.cpu * 1e3, on.cpu / off.cpu, bench_median(cpair, (size_t)rep));
	}
	return 0;
}
