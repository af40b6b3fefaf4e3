/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Paths inside an image. Every path is kept in one canonical form: relative
 * to the image root, no leading "/" or "./", no "." or empty components, no
 * trailing "/"; the root itself is "". A ".." that would climb above the
 * root is clamped at the root, exactly as the kernel resolves "/.." (so a
 * hostile "../../etc/passwd" names the image's own etc/passwd and nothing
 * outside it); callers that must refuse such names use dd_path_escapes().
 * dd_path_mkdirs is the one exception: it works on host paths (caches).
 */
#ifndef DD_PATH_H
#define DD_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/err.h"

/* Writes the canonical form of in[0..n) to out (size cap, NUL-terminated).
 * DD_ELIMIT if it does not fit, DD_EINVAL for an embedded NUL. */
dd_code dd_path_clean(const char *in, size_t n, char *out, size_t cap, size_t *outlen,
		      struct dd_err *err);

/* True if in[0..n) has a ".." that climbs above its start. */
bool dd_path_escapes(const char *in, size_t n);

/* Joins the directory of `from` (canonical) with a symlink target: an
 * absolute target restarts at the image root. Result is canonical. */
dd_code dd_path_join_link(const char *from, const char *target, char *out, size_t cap,
			  struct dd_err *err);

/* Shell-style match of a canonical path: '*' matches within one component,
 * '**' across components, '?' one character. */
bool dd_path_match(const char *pattern, const char *path, size_t n);

/* mkdir -p on the host: creates every missing component of dir with mode
 * 0700 (caches hold data about the user's images). Existing directories are
 * fine. DD_EINVAL for an empty name or one of 4096 bytes or more, DD_EIO with
 * errno and the component that failed. */
dd_code dd_path_mkdirs(const char *dir, struct dd_err *err);

#endif
