/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one clock of drydock and its time formats. Times are seconds since the
 * epoch, UTC. DRYDOCK_NOW (RFC 3339 "2026-03-02T10:00:00Z", a date
 * "2026-03-02", or epoch seconds) replaces the system clock for every caller
 * of dd_clock_now(), so tests, examples and reproducible reports have fixed
 * dates; nothing else in drydock reads the system time for decisions.
 */
#ifndef DD_CLOCK_H
#define DD_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

/* DRYDOCK_NOW when set and valid, else time(). */
int64_t dd_clock_now(void);
/* Parses RFC 3339 (Z or an offset, optional fraction) / a date / epoch
 * seconds. DD_EINVAL says what is wrong; err may be NULL. */
dd_code dd_time_parse(const char *s, int64_t *out, struct dd_err *err);
/* "2026-03-02T10:00:00Z" (buf >= 21 bytes); "" for 0. */
const char *dd_time_format(int64_t t, char *buf, size_t n);
/* "2026-03-02" (buf >= 11). */
const char *dd_date_format(int64_t t, char *buf, size_t n);

#endif
