/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The in-tree unit test harness. A test file defines tests with DD_TEST and
 * links with dd_test.c, which supplies main(): it runs every test (or those
 * named on the command line), each in a fresh temporary directory, and ends
 * with "N passed, N failed, N skipped". Exit 0 when nothing failed, 1 when
 * something did, 77 (ctest's skip) when every test skipped.
 *
 * EXPECT_* records a failure and goes on; ASSERT_* also ends the test.
 * Failure messages print both values.
 */
#ifndef DD_TEST_H
#define DD_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "dd/err.h"

typedef void (*dd_test_fn)(void);
void dd_test_register(const char *name, dd_test_fn fn, const char *file);

#define DD_TEST(name)                                                            \
	static void test_##name(void);                                           \
	__attribute__((constructor)) static void register_##name(void)           \
	{                                                                        \
		dd_test_register(#name, test_##name, __FILE__);                  \
	}                                                                        \
	static void test_##name(void)

void dd_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void dd_test_abort(void);
_Noreturn void dd_test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A fresh empty directory for the running test, removed afterwards. */
const char *dd_test_tmpdir(void);
/* Path of a file below ../shared/data, or skips the test if it is absent. */
const char *dd_test_shared(const char *rel);
/* Writes a file below the test's tmpdir (returns its full path, static buffer
 * reused per call: copy it if you need two). */
const char *dd_test_write(const char *rel, const void *data, size_t n);
/* Runs a shell command, returns its exit status; stdout in *out (malloc'd,
 * may be NULL). */
int dd_test_run(const char *cmd, char **out);

#define EXPECT_TRUE(c)                                                           \
	do {                                                                     \
		if (!(c))                                                        \
			dd_test_fail(__FILE__, __LINE__, "expected: %s", #c);    \
	} while (0)
#define ASSERT_TRUE(c)                                                           \
	do {                                                                     \
		if (!(c)) {                                                      \
			dd_test_fail(__FILE__, __LINE__, "expected: %s", #c);    \
			dd_test_abort();                                         \
		}                                                                \
	} while (0)
#define EXPECT_EQ_INT(a, b)                                                      \
	do {                                                                     \
		long long a_ = (long long)(a), b_ = (long long)(b);              \
		if (a_ != b_)                                                    \
			dd_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
				     #a, #b, a_, b_);                            \
	} while (0)
#define ASSERT_EQ_INT(a, b)                                                      \
	do {                                                                     \
		long long a_ = (long long)(a), b_ = (long long)(b);              \
		if (a_ != b_) {                                                  \
			dd_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
				     #a, #b, a_, b_);                            \
			dd_test_abort();                                         \
		}                                                                \
	} while (0)
#define EXPECT_STR_EQ(a, b)                                                      \
	do {                                                                     \
		const char *a_ = (a), *b_ = (b);                                 \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                           \
			dd_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
				     #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)
#define ASSERT_STR_EQ(a, b)                                                      \
	do {                                                                     \
		const char *a_ = (a), *b_ = (b);                                 \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                         \
			dd_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
				     #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			dd_test_abort();                                         \
		}                                                                \
	} while (0)
/* rc must be DD_OK; prints the error detail otherwise. */
#define ASSERT_OK(rc, err)                                                       \
	do {                                                                     \
		dd_code rc_ = (rc);                                              \
		if (rc_ != DD_OK) {                                              \
			dd_test_fail(__FILE__, __LINE__, "%s: %s (%s)", #rc,     \
				     dd_code_str(rc_), (err)->msg);              \
			dd_test_abort();                                         \
		}                                                                \
	} while (0)

#endif
