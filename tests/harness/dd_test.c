/* SPDX-License-Identifier: Apache-2.0 */
/* Runner for the unit test harness (dd_test.h). */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dd_test.h"

struct test {
	const char *name, *file;
	dd_test_fn fn;
};

static struct test tests[4096];
static size_t ntests;
static jmp_buf jump;
static int failed_now, skipped_now;
static char tmpdir[4096];

void dd_test_register(const char *name, dd_test_fn fn, const char *file)
{
	if (ntests < sizeof tests / sizeof *tests)
		tests[ntests++] = (struct test){ name, file, fn };
}

void dd_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: FAIL: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failed_now = 1;
}

void dd_test_abort(void)
{
	longjmp(jump, 1);
}

void dd_test_skip(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "  skipped: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	skipped_now = 1;
	longjmp(jump, 1);
}

const char *dd_test_tmpdir(void)
{
	return tmpdir;
}

const char *dd_test_shared(const char *rel)
{
	static char path[8][4096];
	static int slot;
	const char *root = getenv("DD_SHARED_DATA");
	if (!root || !*root)
		root = "../shared/data";
	char *p = path[slot++ % 8];
	snprintf(p, 4096, "%s/%s", root, rel);
	if (access(p, R_OK) != 0)
		dd_test_skip("%s is absent (DD_SHARED_DATA=%s)", rel, root);
	return p;
}

const char *dd_test_write(const char *rel, const void *data, size_t n)
{
	static char path[8192];
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	for (char *s = path + strlen(tmpdir) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0755);
			*s = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n) {
		dd_test_fail(__FILE__, __LINE__, "cannot write %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		dd_test_abort();
	}
	fclose(f);
	return path;
}

int dd_test_run(const char *cmd, char **out)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	int st = pclose(p);
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

/* The setjmp lives here so main's counters are not clobbered by longjmp. */
static void run_one(dd_test_fn fn)
{
	if (setjmp(jump) == 0)
		fn();
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;
	const char *base = getenv("TMPDIR");
	for (size_t i = 0; i < ntests; i++) {
		struct test *t = &tests[i];
		if (!selected(t->name, argc, argv))
			continue;
		snprintf(tmpdir, sizeof tmpdir, "%s/ddtest-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir)) {
			fprintf(stderr, "cannot make a temporary directory: %s\n", strerror(errno));
			return 1;
		}
		failed_now = skipped_now = 0;
		fprintf(stderr, "[ RUN  ] %s\n", t->name);
		run_one(t->fn);
		if (failed_now) {
			failed++;
			fprintf(stderr, "[ FAIL ] %s (%s)\n", t->name, t->file);
		} else if (skipped_now) {
			skipped++;
			fprintf(stderr, "[ SKIP ] %s\n", t->name);
		} else {
			passed++;
			fprintf(stderr, "[  OK  ] %s\n", t->name);
		}
		if (!getenv("DD_TEST_KEEP"))
			nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	if (failed)
		return 1;
	if (skipped && !passed)
		return 77;
	return 0;
}
