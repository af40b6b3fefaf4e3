/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dd_code names and the dd_err setters. Messages are truncated, never
 * overflowed, at DD_ERR_MSG_MAX.
 */
#include <errno.h>
#include <stdarg.h>

#include "dd/err.h"

const char *dd_code_str(dd_code code)
{
	switch (code) {
	case DD_OK: return "ok";
	case DD_EINVAL: return "bad input";
	case DD_ELIMIT: return "limit exceeded";
	case DD_EUNSUPPORTED: return "unsupported";
	case DD_ENOTFOUND: return "not found";
	case DD_EIO: return "I/O error";
	case DD_ENOMEM: return "out of memory";
	case DD_EDB: return "database error";
	case DD_ENET: return "network error";
	case DD_EDIGEST: return "digest mismatch";
	case DD_EUSAGE: return "usage error";
	case DD_ESCHEMA: return "unknown schema";
	}
	return "unknown error";
}

void dd_err_clear(struct dd_err *err)
{
	if (!err)
		return;
	err->code = DD_OK;
	err->sys_errno = 0;
	err->msg[0] = '\0';
}

dd_code dd_err_set(struct dd_err *err, dd_code code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->code = code;
	err->sys_errno = 0;
	return code;
}

dd_code dd_err_sys(struct dd_err *err, dd_code code, const char *fmt, ...)
{
	int saved = errno;
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof err->msg)
		snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s", strerror(saved));
	err->code = code;
	err->sys_errno = saved;
	return code;
}

dd_code dd_err_prefix(struct dd_err *err, const char *fmt, ...)
{
	if (!err)
		return DD_OK;
	char head[DD_ERR_MSG_MAX], old[DD_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	old[sizeof old - 1] = '\0';
	/* Truncation is fine here: the head names the context, the tail is the detail. */
	size_t hl = strlen(head), ol = strlen(old);
	if (hl > sizeof err->msg - 1)
		hl = sizeof err->msg - 1;
	if (ol > sizeof err->msg - 1 - hl)
		ol = sizeof err->msg - 1 - hl;
	memcpy(err->msg, head, hl);
	memcpy(err->msg + hl, old, ol);
	err->msg[hl + ol] = '\0';
	return err->code;
}
