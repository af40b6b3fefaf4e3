/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: policy YAML (dd_policy_parse). Properties checked when a
 * policy parses: every assessment yields P1..P3 and a NUL-terminated
 * explanation, due dates never precede the first-seen time, and working-day
 * counts are never negative.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dd/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_policy *p = NULL;
	struct dd_err err;
	if (dd_policy_parse((const char *)data, size, "fuzz.yml", &p, &err) != DD_OK) {
		if (p || !memchr(err.msg, 0, sizeof err.msg))
			abort();
		return 0;
	}
	static const double scores[] = { -1, 0, 4.2, 6.9, 7.0, 8.9, 9.0, 10.0 };
	struct dd_impact im;
	dd_impact_init(&im);
	for (int e = 0; e < 3; e++) {
		im.exposure = (enum dd_exposure)e;
		im.criticality = 1 + 2 * e;
		for (size_t i = 0; i < sizeof scores / sizeof *scores; i++) {
			struct dd_assess_in in = { .vuln = "CVE-2021-3449", .package = "openssl",
						   .score = scores[i], .kev = i & 1,
						   .epss = (double)i / 8, .impact = &im };
			struct dd_assessment as;
			dd_policy_assess(p, &in, &as);
			if (as.priority < DD_PRIO_P1 || as.priority > DD_PRIO_P3 ||
			    !memchr(as.why, 0, sizeof as.why))
				abort();
			int days = dd_policy_sla_days(p, as.priority, &im);
			int64_t from = 1772445600;
			int64_t due = dd_policy_due(p, from, days);
			if (due != 0 && due < from)
				abort();
			if (dd_policy_working_days(p, from, from + 86400 * 40) < 0)
				abort();
		}
	}
	dd_policy_free(p);
	return 0;
}
