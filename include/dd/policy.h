/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Priorities and deadlines: the handbook's assessment (§2.2) as data. A
 * policy holds the CVSS bands (P1 immediate, P2 planned, P3 monitor), the
 * order in which score sources are trusted, the business-impact rules
 * (named, applied in order, each recorded in the finding's "why") and the
 * SLA calendar (working days per priority, weekends, holidays).
 *
 * The default policy is the handbook's (docs/policy.md); a YAML file can
 * replace any part of it. Policies are immutable once built and may be shared
 * between threads. Times are seconds since the epoch, UTC; the calendar works
 * on UTC dates. The clock is injectable: DRYDOCK_NOW (RFC 3339 or epoch
 * seconds) overrides time() for every caller of dd_clock_now(), so tests and
 * examples have fixed dates.
 */
#ifndef DD_POLICY_H
#define DD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/clock.h"
#include "dd/err.h"
#include "dd/scan.h"

/* 0 = none (closed, suppressed, or not assessed). */
enum dd_priority { DD_PRIO_NONE = 0, DD_PRIO_P1 = 1, DD_PRIO_P2 = 2, DD_PRIO_P3 = 3 };
#define DD_PRIO_COUNT 4

enum dd_exposure { DD_EXPOSURE_INTERNAL = 0, DD_EXPOSURE_INTERNET, DD_EXPOSURE_ISOLATED };

/* "P1" ... ; "-" for none. */
const char *dd_priority_name(enum dd_priority p);
/* "P1"/"p1"/"1" -> DD_PRIO_P1; DD_PRIO_NONE when not a priority. */
enum dd_priority dd_priority_parse(const char *s);
const char *dd_exposure_name(enum dd_exposure e);
/* false when s is not internet/internal/isolated. */
bool dd_exposure_parse(const char *s, enum dd_exposure *out);

/* Business impact of an asset (BIA, handbook §2.2.2). sla_days[p] >= 0
 * overrides the policy's working days for priority p, -1 keeps it, and
 * DD_SLA_NONE means "no deadline". */
#define DD_SLA_NONE (-2)
struct dd_impact {
	int criticality;            /* 1 (low) .. 5 (business critical); 0 unknown = 3 */
	enum dd_exposure exposure;
	const char *sensitivity;    /* free word: public, internal, confidential, ... */
	int sla_days[DD_PRIO_COUNT];
};
void dd_impact_init(struct dd_impact *im);

struct dd_policy;

/* The handbook's policy. */
dd_code dd_policy_default(struct dd_policy **out, struct dd_err *err);
/* Parses YAML (see docs/policy.md). name is used in error messages
 * ("policy.yml: line 4: ..."). Keys absent from the file keep defaults. */
dd_code dd_policy_parse(const char *data, size_t len, const char *name,
			struct dd_policy **out, struct dd_err *err);
dd_code dd_policy_load(const char *path, struct dd_policy **out, struct dd_err *err);
void dd_policy_free(struct dd_policy *p);

/* The score that decides the band: the first dd_cvss in the policy's source
 * order (default NVD 3.1 > NVD 4.0 > NVD 3.0 > NVD 2.0 > vendor, where
 * vendor is any non-NVD source). *score = -1 and *source = NULL when none.
 * *source points into the finding or is a static string. */
void dd_policy_pick_score(const struct dd_policy *p, const struct dd_finding *f,
			  double *score, const char **source);

/* What the rules look at. Strings may be NULL. */
struct dd_assess_in {
	const char *vuln;            /* CVE-2021-3449 */
	const char *package;         /* package name */
	double score;                /* -1 = unscored */
	const char *score_source;    /* "nvd 3.1", for the explanation */
	bool kev;
	double epss;                 /* -1 = unknown */
	const char *vex_status;      /* OpenVEX status from a VEX statement */
	const char *verification;    /* latest: reproduced / not_reproduced */
	bool exception_active;       /* an unexpired risk acceptance */
	const struct dd_impact *impact;
};

enum dd_assess_action { DD_ASSESS_OPEN = 0, DD_ASSESS_CLOSE, DD_ASSESS_SUPPRESS };

struct dd_assessment {
	enum dd_priority band;       /* from the score alone */
	enum dd_priority priority;   /* after the rules */
	bool unscored;
	enum dd_assess_action action;
	char action_rule[64];        /* the rule that closed or suppressed */
	char why[512];               /* "cvss 9.8 (nvd 3.1) >= 9.0: P1; rule kev: P1" */
};

void dd_policy_assess(const struct dd_policy *p, const struct dd_assess_in *in,
		      struct dd_assessment *out);

/* Working days allowed for priority prio (impact overrides first);
 * DD_SLA_NONE when there is no deadline. */
int dd_policy_sla_days(const struct dd_policy *p, enum dd_priority prio,
		       const struct dd_impact *impact);
/* End (23:59:59 UTC) of the days-th working day after from's date;
 * 0 when days is DD_SLA_NONE. */
int64_t dd_policy_due(const struct dd_policy *p, int64_t from, int days);
/* Working days after from's date up to and including to's date (0 when to
 * is the same day or earlier). */
long dd_policy_working_days(const struct dd_policy *p, int64_t from, int64_t to);
bool dd_policy_is_working_day(const struct dd_policy *p, int64_t t);
double dd_policy_epss_threshold(const struct dd_policy *p);
/* The policy's bands' lower bounds and labels, for reports. */
double dd_policy_band_min(const struct dd_policy *p, enum dd_priority prio);
const char *dd_policy_band_label(const struct dd_policy *p, enum dd_priority prio);


#endif
