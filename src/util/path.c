/* SPDX-License-Identifier: Apache-2.0 */
/* Canonical image paths (see path.h), and mkdir -p for host cache directories. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/path.h"

dd_code dd_path_clean(const char *in, size_t n, char *out, size_t cap, size_t *outlen,
		      struct dd_err *err)
{
	size_t o = 0;
	size_t i = 0;
	if (!cap)
		return dd_err_set(err, DD_ELIMIT, "path buffer is empty");
	while (i < n) {
		while (i < n && in[i] == '/')
			i++;
		size_t s = i;
		while (i < n && in[i] != '/') {
			if (in[i] == '\0')
				return dd_err_set(err, DD_EINVAL, "path has a NUL byte");
			i++;
		}
		size_t len = i - s;
		if (len == 0 || (len == 1 && in[s] == '.'))
			continue;
		if (len == 2 && in[s] == '.' && in[s + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash */
			continue;
		}
		size_t need = o + (o ? 1 : 0) + len;
		if (need + 1 > cap)
			return dd_err_set(err, DD_ELIMIT, "path longer than %zu bytes", cap - 1);
		if (o)
			out[o++] = '/';
		memcpy(out + o, in + s, len);
		o += len;
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return DD_OK;
}

bool dd_path_escapes(const char *in, size_t n)
{
	long depth = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && in[i] == '/')
			i++;
		size_t s = i;
		while (i < n && in[i] != '/')
			i++;
		size_t len = i - s;
		if (len == 0 || (len == 1 && in[s] == '.'))
			continue;
		if (len == 2 && in[s] == '.' && in[s + 1] == '.') {
			if (--depth < 0)
				return true;
		} else {
			depth++;
		}
	}
	return false;
}

dd_code dd_path_join_link(const char *from, const char *target, char *out, size_t cap,
			  struct dd_err *err)
{
	char tmp[8192];
	size_t tl = strlen(target);
	if (target[0] == '/') {
		return dd_path_clean(target, tl, out, cap, NULL, err);
	}
	const char *slash = strrchr(from, '/');
	size_t dl = slash ? (size_t)(slash - from) : 0;
	if (dl + 1 + tl + 1 > sizeof tmp)
		return dd_err_set(err, DD_ELIMIT, "symlink target too long");
	memcpy(tmp, from, dl);
	tmp[dl] = '/';
	memcpy(tmp + dl + 1, target, tl);
	return dd_path_clean(tmp, dl + 1 + tl, out, cap, NULL, err);
}

static bool match(const char *p, const char *s, const char *end)
{
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			p += 2;
			if (*p == '/')
				p++;
			for (const char *t = s; t <= end; t++)
				if ((t == s || t[-1] == '/' || t == end) && match(p, t, end))
					return true;
			return false;
		}
		if (*p == '*') {
			p++;
			for (const char *t = s;; t++) {
				if (match(p, t, end))
					return true;
				if (t == end || *t == '/')
					return false;
			}
		}
		if (s == end)
			return false;
		if (*p != '?' && *p != *s)
			return false;
		if (*p == '?' && *s == '/')
			return false;
		p++;
		s++;
	}
	return s == end;
}

bool dd_path_match(const char *pattern, const char *path, size_t n)
{
	return match(pattern, path, path + n);
}

dd_code dd_path_mkdirs(const char *dir, struct dd_err *err)
{
	char p[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof p)
		return dd_err_set(err, DD_EINVAL, "directory name is empty or too long");
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return dd_err_sys(err, DD_EIO, "%s: mkdir", p);
		p[i] = c;
	}
	return DD_OK;
}
