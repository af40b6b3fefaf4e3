/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging: the library never prints. A caller installs one callback for the
 * process; without one, messages are dropped. Thread-safe to call; install
 * the callback before starting threads.
 */
#ifndef DD_LOG_H
#define DD_LOG_H

enum dd_log_level { DD_LOG_ERROR, DD_LOG_WARN, DD_LOG_INFO, DD_LOG_DEBUG };

typedef void (*dd_log_fn)(enum dd_log_level level, const char *msg, void *ud);

void dd_log_set(dd_log_fn fn, void *ud);
void dd_log(enum dd_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
