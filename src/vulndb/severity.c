/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Qualitative severities (include/dd/scan.h). Scores map by the CVSS v3.x
 * specification's rating scale (FIRST, CVSS v3.1 spec §5). Vendor words map
 * to the nearest level: GHSA "moderate" and Debian/Ubuntu "medium" are
 * Medium; Debian "unimportant" and "negligible" are Low.
 */
#include <strings.h>

#include "dd/scan.h"

const char *dd_severity_name(enum dd_severity s)
{
	switch (s) {
	case DD_SEV_NONE: return "NONE";
	case DD_SEV_LOW: return "LOW";
	case DD_SEV_MEDIUM: return "MEDIUM";
	case DD_SEV_HIGH: return "HIGH";
	case DD_SEV_CRITICAL: return "CRITICAL";
	case DD_SEV_UNKNOWN: break;
	}
	return "UNKNOWN";
}

enum dd_severity dd_severity_from_score(double score)
{
	if (score < 0 || score > 10)
		return DD_SEV_UNKNOWN;
	if (score == 0)
		return DD_SEV_NONE;
	if (score < 4.0)
		return DD_SEV_LOW;
	if (score < 7.0)
		return DD_SEV_MEDIUM;
	if (score < 9.0)
		return DD_SEV_HIGH;
	return DD_SEV_CRITICAL;
}

enum dd_severity dd_severity_parse(const char *w)
{
	static const struct {
		const char *word;
		enum dd_severity sev;
	} words[] = {
		{ "critical", DD_SEV_CRITICAL }, { "high", DD_SEV_HIGH },
		{ "important", DD_SEV_HIGH },    { "medium", DD_SEV_MEDIUM },
		{ "moderate", DD_SEV_MEDIUM },   { "low", DD_SEV_LOW },
		{ "negligible", DD_SEV_LOW },    { "unimportant", DD_SEV_LOW },
		{ "none", DD_SEV_NONE },
	};
	if (!w)
		return DD_SEV_UNKNOWN;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcasecmp(w, words[i].word) == 0)
			return words[i].sev;
	return DD_SEV_UNKNOWN;
}
