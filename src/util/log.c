/* SPDX-License-Identifier: Apache-2.0 */
/* The process-wide log callback (include/dd/log.h). */
#include <stdarg.h>

#include "dd/log.h"

static dd_log_fn log_fn;
static void *log_ud;

void dd_log_set(dd_log_fn fn, void *ud)
{
	log_fn = fn;
	log_ud = ud;
}

void dd_log(enum dd_log_level level, const char *fmt, ...)
{
	if (!log_fn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_fn(level, msg, log_ud);
}
