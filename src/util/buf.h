/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable byte buffer with a maximum size (curl's dynbuf is the model). The
 * content is always NUL-terminated for convenience but may contain NULs.
 */
#ifndef DD_BUF_H
#define DD_BUF_H

#include <stddef.h>

#include "dd/err.h"

struct dd_buf {
	char *data;  /* NULL until the first append */
	size_t len, cap, max;
};

void dd_buf_init(struct dd_buf *b, size_t max);
void dd_buf_release(struct dd_buf *b);
void dd_buf_reset(struct dd_buf *b); /* len = 0, keeps memory */

/* DD_ELIMIT when the result would exceed max, DD_ENOMEM; err may be NULL. */
dd_code dd_buf_append(struct dd_buf *b, const void *p, size_t n, struct dd_err *err);
dd_code dd_buf_puts(struct dd_buf *b, const char *s, struct dd_err *err);
dd_code dd_buf_putc(struct dd_buf *b, char c, struct dd_err *err);
dd_code dd_buf_printf(struct dd_buf *b, struct dd_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Hands the memory to the caller (free() it); the buffer is left empty. */
char *dd_buf_detach(struct dd_buf *b, size_t *len);

/* Reads a whole file, at most max bytes (DD_ELIMIT past it). */
dd_code dd_buf_read_file(struct dd_buf *b, const char *path, struct dd_err *err);

#endif
