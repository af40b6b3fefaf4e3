/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one clock of the library. DRYDOCK_NOW (seconds since the epoch, or
 * RFC 3339 "YYYY-MM-DD[THH:MM:SSZ]") replaces the system clock, so tests and
 * reproducible reports inject time; nothing else in src/ calls time().
 */
#ifndef DD_CLOCK_H
#define DD_CLOCK_H

#include <stdbool.h>
#include <time.h>

time_t dd_clock_now(void);
/* "2026-11-26T18:22:00Z" (UTC), out must hold 21 bytes. */
void dd_clock_rfc3339(time_t t, char out[21]);
/* "YYYY-MM-DD" or full RFC 3339 with Z or an offset -> UTC seconds. */
bool dd_clock_parse(const char *s, time_t *out);

#endif
