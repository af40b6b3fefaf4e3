/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The floor of bench_sbom_lang's dir: ratio on this machine: the system
 * calls alone. "off" walks the tree as src/image/rootfs_dir.c does
 * (getdents64; openat + fstat for a directory; fstatat for a file);
 * "on" also opens, fstats, reads and closes every file named NAME
 * (default package.json), as the dir: source does for a file a cataloger
 * wants. Nothing is parsed or kept, so on/off here is what reading the
 * wanted files costs the kernel, against what walking the tree costs it;
 * no reader of those files, however fast its parser, gets a dir: ratio
 * below it. Prints the fastest process CPU time of each side (runs
 * alternate), on/off, and the median of the paired ratios.
 * Usage: bench_dir_floor REPEAT DIR [NAME]
 *   e.g. bench_dir_floor 11 /tmp/npm/tree   (after bench/gen-npm-tree /tmp/npm)
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_util.h"

struct floor_walk {
	const char *name; /* NULL: read nothing ("off") */
	unsigned long long files, bytes;
	char data[1 << 16];
};

static void walk(struct floor_walk *w, int dfd, unsigned depth)
{
	char *buf = malloc(32u << 10);
	if (!buf || depth > 256) {
		free(buf);
		close(dfd);
		return;
	}
	for (ssize_t n; (n = getdents64(dfd, buf, 32u << 10)) > 0;) {
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(void *)(buf + off);
			off += de->d_reclen;
			const char *nm = de->d_name;
			if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
				continue;
			struct stat st;
			if (de->d_type == DT_DIR) {
				int fd = openat(dfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (fd >= 0 && fstat(fd, &st) == 0)
					walk(w, fd, depth + 1);
				else if (fd >= 0)
					close(fd);
			} else if (de->d_type == DT_REG && w->name && !strcmp(nm, w->name)) {
				int fd = openat(dfd, nm, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
				if (fd < 0)
					continue;
				ssize_t r = fstat(fd, &st) == 0 ? read(fd, w->data, sizeof w->data) : -1;
				w->files++;
				w->bytes += r > 0 ? (unsigned long long)r : 0;
				close(fd);
			} else {
				fstatat(dfd, nm, &st, AT_SYMLINK_NOFOLLOW);
			}
		}
	}
	free(buf);
	close(dfd);
}

static double one(const char *dir, const char *name, struct floor_walk *w)
{
	w->name = name;
	w->files = w->bytes = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(dir);
		exit(1);
	}
	double t0 = bench_cpu_now();
	walk(w, fd, 0);
	return bench_cpu_now() - t0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_dir_floor REPEAT DIR [NAME]\n");
		return 2;
	}
	int rep = bench_repeat(argv[1]);
	const char *name = argc > 3 ? argv[3] : "package.json";
	struct floor_walk *w = malloc(sizeof *w);
	if (!w)
		return 1;
	double off = 1e9, on = 1e9, pair[100];
	for (int r = 0; r < rep; r++) {
		double toff = one(argv[2], NULL, w);
		double ton = one(argv[2], name, w);
		off = toff < off ? toff : off;
		on = ton < on ? ton : on;
		pair[r] = ton / toff;
	}
	double median = bench_median(pair, (size_t)rep);
	printf("%-40s off %7.1f ms  on %7.1f ms (%llu %s, %llu bytes)  on/off %.3f  median pair %.3f\n",
	       argv[2], off * 1e3, on * 1e3, w->files, name, w->bytes, on / off, median);
	free(w);
	return 0;
}
