/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the language catalogers add to a whole scan, with the real image
 * reader: dd_sbom_from_image() with DD_IMAGE_OS_ONLY ("off") and with every
 * cataloger ("on"), layer cache off, runs alternating so that load on the
 * shared machine hits both. Prints the fastest process CPU time (user+sys,
 * all threads) of each, their ratio, and the median of the REPEAT ratios of
 * an "on" run to the "off" run just before it: on a machine whose speed
 * drifts (other tenants), a pair of neighbouring runs sees the same machine,
 * and the median drops the pairs a burst hit. The budget is <= 1.20.
 * Usage: bench_sbom_lang REPEAT IMAGE...
 *   e.g. after bench/gen-npm-tree /tmp/npm:
 *   bench_sbom_lang 7 docker-archive:../shared/data/images/node-app.docker.tar.gz \
 *       dir:/tmp/npm/tree docker-archive:/tmp/npm/npm50k.docker.tar.gz \
 *       oci-archive:/tmp/npm/npm50k.oci.tar
 * BENCH_ONLY=on or BENCH_ONLY=off runs one side only (for perf record).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "dd/sbom.h"

static double one(const char *image, unsigned flags, size_t *npkgs)
{
	struct dd_image_opts o = { .flags = DD_IMAGE_NO_CACHE | flags };
	struct dd_sbom *s = NULL;
	struct dd_err err;
	double t0 = bench_cpu_now();
	if (dd_sbom_from_image(image, &o, &s, &err)) {
		fprintf(stderr, "bench_sbom_lang: %s: %s\n", image, err.msg);
		exit(1);
	}
	double t = bench_cpu_now() - t0;
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
	const char *only = getenv("BENCH_ONLY");
	bool do_off = !only || !strcmp(only, "off"), do_on = !only || !strcmp(only, "on");
	for (int i = 2; i < argc; i++) {
		double off = 1e9, on = 1e9, pair[100];
		size_t poff = 0, pon = 0;
		for (int r = 0; r < rep; r++) {
			double toff = do_off ? one(argv[i], DD_IMAGE_OS_ONLY, &poff) : 1;
			double ton = do_on ? one(argv[i], 0, &pon) : 1;
			off = toff < off ? toff : off;
			on = ton < on ? ton : on;
			pair[r] = ton / toff;
		}
		double median = bench_median(pair, (size_t)rep);
		printf("%-60s off %8.1f ms (%5zu pkgs)  on %8.1f ms (%5zu pkgs)  on/off %.3f  median pair %.3f\n",
		       argv[i], off * 1e3, poff, on * 1e3, pon, on / off, median);
	}
	return 0;
}
