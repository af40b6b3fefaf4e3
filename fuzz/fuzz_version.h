/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The property checks shared by the fuzz_version_<scheme>.c targets. The
 * input is "A<TAB>B" (no TAB: A = B = the whole input); nothing may crash,
 * and on any input:
 *   - compare(A, B) = -compare(B, A) whenever both succeed, and both
 *     succeed or fail together;
 *   - a valid A equals itself, and its canonical form is valid, equal to
 *     A and printed the same again (parse -> print -> parse is stable);
 *   - parsed once (dd_version_parse), A and B compare the same;
 *   - satisfies(A, B) answers or reports an error, never crashes.
 * A violated property aborts, which libFuzzer reports as a crash.
 */
#ifndef DD_FUZZ_VERSION_H
#define DD_FUZZ_VERSION_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd/version.h"

static inline int dd_fuzz_version(const char *scheme, const uint8_t *data, size_t size,
				  bool canonical_roundtrip)
{
	const struct dd_version_scheme *s = dd_version_scheme_find(scheme);
	if (!s)
		abort();
	const char *a = (const char *)data, *b = a;
	size_t an = size, bn = size;
	const void *tab = memchr(data, '\t', size);
	if (tab) {
		an = (size_t)((const char *)tab - a);
		b = (const char *)tab + 1;
		bn = size - an - 1;
	}
	struct dd_err err;
	int ab = 0, ba = 0;
	dd_code r1 = dd_version_compare_n(s, a, an, b, bn, 0, &ab, &err);
	dd_code r2 = dd_version_compare_n(s, b, bn, a, an, 0, &ba, &err);
	if ((r1 == DD_OK) != (r2 == DD_OK))
		abort();
	if (r1 == DD_OK && ab != -ba)
		abort();
	if (r1 == DD_OK && (ab < -1 || ab > 1))
		abort();
	struct dd_version_parsed pa, pb;
	if (r1 == DD_OK && dd_version_parse(s, a, an, &pa, &err) == DD_OK &&
	    dd_version_parse(s, b, bn, &pb, &err) == DD_OK &&
	    dd_version_compare_parsed(&pa, &pb) != ab)
		abort();
	if (dd_version_check(s, a, an, &err) == DD_OK) {
		int self = 1;
		if (dd_version_compare_n(s, a, an, a, an, 0, &self, &err) != DD_OK || self != 0)
			abort();
		char c1[DD_VERSION_MAX_BYTES * 2 + 16], c2[sizeof c1];
		if (canonical_roundtrip &&
		    dd_version_canonical(s, a, an, c1, sizeof c1, &err) == DD_OK) {
			size_t n1 = strlen(c1);
			int eq = 1;
			dd_code rc = dd_version_check(s, c1, n1, &err);
			if (rc == DD_ELIMIT)
				return 0; /* the printed form may hit a size limit */
			if (rc != DD_OK)
				abort();
			if (dd_version_compare_n(s, a, an, c1, n1, 0, &eq, &err) != DD_OK || eq != 0)
				abort();
			if (dd_version_canonical(s, c1, n1, c2, sizeof c2, &err) != DD_OK ||
			    strcmp(c1, c2) != 0)
				abort();
		}
	}
	bool ok;
	dd_version_satisfies_n(s, a, an, b, bn, 0, &ok, &err);
	dd_version_satisfies_n(s, a, an, b, bn, DD_VERSION_INCLUDE_PRERELEASE, &ok, &err);
	return 0;
}

#endif
