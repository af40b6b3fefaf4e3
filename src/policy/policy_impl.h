/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The policy's insides, shared by policy.c (defaults, YAML, assessment) and
 * sla_calendar.c. Nothing outside src/policy/ includes this.
 */
#ifndef DD_POLICY_IMPL_H
#define DD_POLICY_IMPL_H

#include "dd/policy.h"

/* A policy file is a few KB; rules and holidays are tens. */
#define DD_POLICY_MAX_RULES 256
#define DD_POLICY_MAX_HOLIDAYS 4096
#define DD_POLICY_MAX_SOURCES 16
#define DD_POLICY_NAME_MAX 64

enum rule_action { RULE_RAISE, RULE_LOWER, RULE_SET, RULE_CLOSE, RULE_SUPPRESS };

struct policy_rule {
	char name[DD_POLICY_NAME_MAX];
	/* Conditions; every one set must hold. -1 / 0 / "" = any. */
	int crit_min, crit_max;
	int exposure;               /* enum dd_exposure or -1 */
	char sensitivity[32];
	int kev;                    /* -1 any, 0, 1 */
	double epss_min;            /* -1 any; -2 = the policy's epss_threshold */
	char vex[32];
	char verification[32];
	int exception;              /* -1 any, 0, 1 */
	int band;                   /* current priority, 0 any */
	bool unscored_only;
	char package[128];          /* glob */
	char vuln[128];             /* glob */
	enum rule_action action;
	enum dd_priority set_to;
};

struct score_source {
	char source[24];            /* "nvd", or "vendor" = any non-NVD source */
	char version[8];            /* "3.1"; "" = any */
};

struct dd_policy {
	double band_min[DD_PRIO_COUNT];
	char label[DD_PRIO_COUNT][32];
	struct score_source src[DD_POLICY_MAX_SOURCES];
	size_t nsrc;
	enum dd_priority unscored;
	int sla[DD_PRIO_COUNT];     /* working days, DD_SLA_NONE = none */
	bool weekend[7];            /* 0 = Sunday */
	int64_t *holidays;          /* day numbers, sorted, unique */
	size_t nholidays;
	double epss_threshold;
	struct policy_rule *rules;
	size_t nrules;
};

#endif
