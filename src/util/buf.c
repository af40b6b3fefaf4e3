/* SPDX-License-Identifier: Apache-2.0 */
/* Capped growable buffer (see buf.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>

#include "util/alloc.h"
#include "util/buf.h"

void dd_buf_init(struct dd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : SIZE_MAX - 1;
}

void dd_buf_release(struct dd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void dd_buf_reset(struct dd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static dd_code reserve(struct dd_buf *b, size_t n, struct dd_err *err)
{
	if (n > b->max - b->len)
		return dd_err_set(err, DD_ELIMIT, "buffer limit of %zu bytes exceeded", b->max);
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return DD_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p = dd_realloc(b->data, cap);
	if (!p)
		return dd_err_set(err, DD_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
	b->data = p;
	b->cap = cap;
	return DD_OK;
}

dd_code dd_buf_append(struct dd_buf *b, const void *p, size_t n, struct dd_err *err)
{
	dd_code rc = reserve(b, n, err);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return DD_OK;
}

dd_code dd_buf_puts(struct dd_buf *b, const char *s, struct dd_err *err)
{
	return dd_buf_append(b, s, strlen(s), err);
}

dd_code dd_buf_putc(struct dd_buf *b, char c, struct dd_err *err)
{
	return dd_buf_append(b, &c, 1, err);
}

dd_code dd_buf_printf(struct dd_buf *b, struct dd_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return dd_err_set(err, DD_EINVAL, "bad format");
	dd_code rc = reserve(b, (size_t)n, err);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return DD_OK;
}

char *dd_buf_detach(struct dd_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

dd_code dd_buf_read_file(struct dd_buf *b, const char *path, struct dd_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s", path);
	char chunk[65536];
	size_t n;
	dd_code rc = DD_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		rc = dd_buf_append(b, chunk, n, err);
		if (rc) {
			dd_err_prefix(err, "%s: ", path);
			break;
		}
	}
	if (!rc && ferror(f))
		rc = dd_err_sys(err, DD_EIO, "%s: read", path);
	fclose(f);
	return rc;
}
