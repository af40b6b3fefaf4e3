/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Errors: one result code for the whole library (as curl has CURLcode) and a
 * detail record. Fallible functions return dd_code and take a
 * `struct dd_err *` last; dd_err_set() returns the code it sets, so
 * `return dd_err_set(err, DD_EINVAL, "...")` is the idiom. The library never
 * prints or exits: cli/ maps codes to exit statuses (docs/cli/exit-codes.md).
 */
#ifndef DD_ERR_H
#define DD_ERR_H

#include <stddef.h>

/* Shipped numbers are never reused. */
typedef enum dd_code {
	DD_OK = 0,
	DD_EINVAL = 1,       /* bad input: malformed file, record or argument */
	DD_ELIMIT = 2,       /* a size, count or depth limit was hit */
	DD_EUNSUPPORTED = 3, /* a valid input we do not handle (yet) */
	DD_ENOTFOUND = 4,    /* a file, blob, package or record is missing */
	DD_EIO = 5,          /* the operating system failed a read or write */
	DD_ENOMEM = 6,       /* out of memory */
	DD_EDB = 7,          /* a database (SQLite, PostgreSQL) failed */
	DD_ENET = 8,         /* a network transfer failed */
	DD_EDIGEST = 9,      /* content does not match its digest */
	DD_EUSAGE = 10,      /* the caller used the API or CLI wrongly */
	DD_ESCHEMA = 11,     /* a stored schema version we do not know */
} dd_code;

#define DD_ERR_MSG_MAX 256

struct dd_err {
	dd_code code;
	int sys_errno;              /* errno saved by dd_err_sys, else 0 */
	char msg[DD_ERR_MSG_MAX];   /* "layer 3: tar header at offset 51200: ..." */
};

/* Name of a code, e.g. "bad input"; never NULL. */
const char *dd_code_str(dd_code code);

void dd_err_clear(struct dd_err *err);

/* Sets code and message (printf format). err may be NULL. Returns code. */
dd_code dd_err_set(struct dd_err *err, dd_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like dd_err_set, and appends ": <strerror(errno)>" and saves errno. */
dd_code dd_err_sys(struct dd_err *err, dd_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Puts context in front of the existing message: "layer 2: " + msg.
 * Returns the code already set. */
dd_code dd_err_prefix(struct dd_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
