/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Outer tar index (tar_index.h). Header layout: POSIX.1-2001 ustar
 * (pax(1), "ustar Interchange Format"): name[100] mode[8] uid[8] gid[8]
 * size[12] mtime[12] chksum[8] typeflag linkname[100] magic[6] version[2]
 * uname[32] gname[32] devmajor[8] devminor[8] prefix[155]. Sizes above
 * 8 GiB use GNU's base-256 form (high bit of the first byte set). Headers
 * are checked (checksum, sizes within the file) because a header that lies
 * would otherwise send later reads anywhere in the file.
 */
#include <errno.h>
#include <unistd.h>

#include "image/tar_index.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/path.h"

/* pax records and GNU long names: a path plus a little; bound them. */
#define EXT_MAX (1u << 20)

ssize_t dd_tar_pread_fd(void *ud, void *buf, size_t n, uint64_t off)
{
	int fd = (int)(intptr_t)ud;
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static bool octal(const unsigned char *p, size_t n, uint64_t *out)
{
	if (p[0] & 0x80) { /* base-256 */
		if (p[0] != 0x80)
			return false; /* negative or > 2^(8*(n-1)) */
		uint64_t v = 0;
		for (size_t i = 1; i < n; i++) {
			if (v >> 56)
				return false;
			v = v << 8 | p[i];
		}
		*out = v;
		return true;
	}
	size_t i = 0;
	while (i < n && p[i] == ' ')
		i++;
	uint64_t v = 0;
	bool any = false;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = v * 8 + (uint64_t)(p[i] - '0');
		any = true;
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return false;
	*out = v;
	(void)any; /* an all-blank field reads as 0, as GNU tar does */
	return true;
}

static bool zero_block(const unsigned char *b)
{
	for (int i = 0; i < 512; i++)
		if (b[i])
			return false;
	return true;
}

static bool checksum_ok(const unsigned char *b)
{
	uint64_t want;
	if (!octal(b + 148, 8, &want))
		return false;
	uint64_t sum = 0;
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : b[i];
	return sum == want;
}

static size_t field_len(const unsigned char *p, size_t n)
{
	const unsigned char *z = memchr(p, '\0', n);
	return z ? (size_t)(z - p) : n;
}

/* Parses pax records "LEN key=value\n" for path, linkpath and size. */
static dd_code parse_pax(const char *p, size_t n, struct dd_buf *path, bool *has_path,
			 struct dd_buf *link, bool *has_link, uint64_t *size, bool *has_size,
			 uint64_t at, struct dd_err *err)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i, len = 0;
		while (j < n && p[j] >= '0' && p[j] <= '9' && len < EXT_MAX)
			len = len * 10 + (size_t)(p[j++] - '0');
		if (j >= n || p[j] != ' ' || len <= j - i + 1 || len > n - i)
			return dd_err_set(err, DD_EINVAL, "tar pax header at offset %llu: malformed record",
					  (unsigned long long)at);
		const char *kv = p + j + 1, *end = p + i + len - 1;
		if (*end != '\n')
			return dd_err_set(err, DD_EINVAL, "tar pax header at offset %llu: record not ended by newline",
					  (unsigned long long)at);
		const char *eq = memchr(kv, '=', (size_t)(end - kv));
		if (!eq)
			return dd_err_set(err, DD_EINVAL, "tar pax header at offset %llu: record without '='",
					  (unsigned long long)at);
		size_t kl = (size_t)(eq - kv), vl = (size_t)(end - eq - 1);
		const char *v = eq + 1;
		dd_code rc = DD_OK;
		if (kl == 4 && !memcmp(kv, "path", 4)) {
			dd_buf_reset(path);
			rc = dd_buf_append(path, v, vl, err);
			*has_path = true;
		} else if (kl == 8 && !memcmp(kv, "linkpath", 8)) {
			dd_buf_reset(link);
			rc = dd_buf_append(link, v, vl, err);
			*has_link = true;
		} else if (kl == 4 && !memcmp(kv, "size", 4)) {
			uint64_t s = 0;
			if (!vl || vl > 19)
				return dd_err_set(err, DD_EINVAL, "tar pax header at offset %llu: bad size",
						  (unsigned long long)at);
			for (size_t k = 0; k < vl; k++) {
				if (v[k] < '0' || v[k] > '9')
					return dd_err_set(err, DD_EINVAL, "tar pax header at offset %llu: bad size",
							  (unsigned long long)at);
				s = s * 10 + (uint64_t)(v[k] - '0');
			}
			*size = s;
			*has_size = true;
		}
		if (rc)
			return rc;
		i += len;
	}
	return DD_OK;
}

dd_code dd_tar_index_build(dd_tar_pread rd, void *ud, uint64_t total, struct dd_tar_index *ix,
			   struct dd_err *err)
{
	memset(ix, 0, sizeof *ix);
	dd_map_init(&ix->by_name);
	ix->arena = dd_arena_new(0);
	if (!ix->arena)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	struct dd_buf xpath, xlink, ext;
	dd_buf_init(&xpath, EXT_MAX);
	dd_buf_init(&xlink, EXT_MAX);
	dd_buf_init(&ext, EXT_MAX);
	uint64_t xsize = 0;
	bool has_xsize = false, has_xpath = false, has_xlink = false;
	dd_code rc = DD_OK;
	uint64_t off = 0;
	unsigned char b[512];
	for (;;) {
		if (off + 512 > total) {
			if (off == total && ix->n)
				break; /* no end blocks: tolerated, as GNU tar does */
			rc = dd_err_set(err, DD_EINVAL, "tar truncated: header at offset %llu runs past the end",
					(unsigned long long)off);
			break;
		}
		if (rd(ud, b, 512, off) != 512) {
			rc = dd_err_set(err, DD_EIO, "read error at offset %llu", (unsigned long long)off);
			break;
		}
		if (zero_block(b))
			break;
		if (!checksum_ok(b)) {
			rc = dd_err_set(err, DD_EINVAL, "tar header at offset %llu: bad checksum (not a tar, or damaged)",
					(unsigned long long)off);
			break;
		}
		uint64_t size;
		if (!octal(b + 124, 12, &size)) {
			rc = dd_err_set(err, DD_EINVAL, "tar header at offset %llu: size is not a number",
					(unsigned long long)off);
			break;
		}
		char type = (char)b[156];
		if (has_xsize && type != 'x' && type != 'L' && type != 'K' && type != 'g')
			size = xsize;
		uint64_t data = off + 512;
		if (size > total - data) {
			rc = dd_err_set(err, DD_EINVAL, "tar header at offset %llu: size %llu runs past the end of the file",
					(unsigned long long)off, (unsigned long long)size);
			break;
		}
		uint64_t next = data + ((size + 511) & ~(uint64_t)511);
		if (type == 'x' || type == 'L' || type == 'K' || type == 'g') {
			if (size > EXT_MAX) {
				rc = dd_err_set(err, DD_ELIMIT, "tar extended header at offset %llu: %llu bytes",
						(unsigned long long)off, (unsigned long long)size);
				break;
			}
			dd_buf_reset(&ext);
			char tmp[8192];
			for (uint64_t k = 0; k < size && !rc;) {
				size_t want = size - k < sizeof tmp ? (size_t)(size - k) : sizeof tmp;
				if (rd(ud, tmp, want, data + k) != (ssize_t)want)
					rc = dd_err_set(err, DD_EIO, "read error at offset %llu",
							(unsigned long long)(data + k));
				else
					rc = dd_buf_append(&ext, tmp, want, err);
				k += want;
			}
			if (rc)
				break;
			if (type == 'x') {
				rc = parse_pax(ext.data ? ext.data : "", ext.len, &xpath, &has_xpath,
					       &xlink, &has_xlink, &xsize, &has_xsize, off, err);
				if (rc)
					break;
			} else if (type == 'L' || type == 'K') {
				struct dd_buf *t = type == 'L' ? &xpath : &xlink;
				dd_buf_reset(t);
				rc = dd_buf_append(t, ext.data ? ext.data : "", field_len((unsigned char *)(ext.data ? ext.data : ""), ext.len), err);
				if (rc)
					break;
				if (type == 'L')
					has_xpath = true;
				else
					has_xlink = true;
			}
			off = next;
			continue;
		}
		char raw[DD_LIMIT_PATH_BYTES + 256];
		size_t rawlen;
		if (has_xpath) {
			if (xpath.len >= sizeof raw) {
				rc = dd_err_set(err, DD_ELIMIT, "tar header at offset %llu: name too long",
						(unsigned long long)off);
				break;
			}
			memcpy(raw, xpath.data, xpath.len);
			rawlen = xpath.len;
		} else {
			size_t nl = field_len(b, 100);
			rawlen = 0;
			if (!memcmp(b + 257, "ustar", 5)) {
				size_t pl = field_len(b + 345, 155);
				if (pl) {
					memcpy(raw, b + 345, pl);
					raw[pl] = '/';
					rawlen = pl + 1;
				}
			}
			memcpy(raw + rawlen, b, nl);
			rawlen += nl;
		}
		char name[DD_LIMIT_PATH_BYTES + 1];
		if ((rc = dd_path_clean(raw, rawlen, name, sizeof name, NULL, err))) {
			dd_err_prefix(err, "tar header at offset %llu: ", (unsigned long long)off);
			break;
		}
		const char *link = NULL;
		if (has_xlink)
			link = dd_arena_strndup(ix->arena, xlink.data ? xlink.data : "", xlink.len);
		else if (b[157])
			link = dd_arena_strndup(ix->arena, (const char *)b + 157, field_len(b + 157, 100));
		if (ix->n >= DD_LIMIT_ARCHIVE_ENTRIES) {
			rc = dd_err_set(err, DD_ELIMIT, "more than %u entries in the archive",
					DD_LIMIT_ARCHIVE_ENTRIES);
			break;
		}
		if (dd_grow(&ix->m, &ix->cap, ix->n + 1, sizeof *ix->m)) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			break;
		}
		struct dd_tar_member *m = &ix->m[ix->n++];
		m->name = dd_arena_strdup(ix->arena, name);
		m->type = type ? type : '0';
		m->link = link;
		m->off = data;
		m->size = (type == '0' || type == '\0' || type == '7') ? size : 0;
		if (dd_arena_status(ix->arena)) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			break;
		}
		if ((rc = dd_map_put(&ix->by_name, m->name, strlen(m->name), (void *)(uintptr_t)ix->n,
				     NULL, err)))
			break;
		has_xpath = has_xlink = has_xsize = false;
		dd_buf_reset(&xpath);
		dd_buf_reset(&xlink);
		off = next;
	}
	dd_buf_release(&xpath);
	dd_buf_release(&xlink);
	dd_buf_release(&ext);
	if (rc)
		dd_tar_index_release(ix);
	return rc;
}

void dd_tar_index_release(struct dd_tar_index *ix)
{
	free(ix->m);
	dd_map_release(&ix->by_name);
	dd_arena_free(ix->arena);
	memset(ix, 0, sizeof *ix);
}

const struct dd_tar_member *dd_tar_index_find(const struct dd_tar_index *ix, const char *name)
{
	char cur[DD_LIMIT_PATH_BYTES + 1], next[DD_LIMIT_PATH_BYTES + 1];
	if (dd_path_clean(name, strlen(name), cur, sizeof cur, NULL, NULL))
		return NULL;
	for (int hops = 0; hops <= DD_LIMIT_SYMLINK_HOPS; hops++) {
		uintptr_t i = (uintptr_t)dd_map_get(&ix->by_name, cur, strlen(cur));
		if (!i)
			return NULL;
		const struct dd_tar_member *m = &ix->m[i - 1];
		if (m->type == '0' || m->type == '7')
			return m;
		if (!m->link)
			return NULL;
		if (m->type == '2') {
			if (dd_path_join_link(m->name, m->link, next, sizeof next, NULL))
				return NULL;
		} else if (m->type == '1') {
			if (dd_path_clean(m->link, strlen(m->link), next, sizeof next, NULL, NULL))
				return NULL;
		} else {
			return NULL;
		}
		memcpy(cur, next, strlen(next) + 1);
	}
	return NULL;
}

dd_code dd_tar_index_read(dd_tar_pread rd, void *ud, const struct dd_tar_member *m, size_t max,
			  struct dd_buf *out, struct dd_err *err)
{
	if (m->size > max)
		return dd_err_set(err, DD_ELIMIT, "%s is %llu bytes, more than the limit of %zu", m->name,
				  (unsigned long long)m->size, max);
	dd_buf_reset(out);
	char tmp[65536];
	for (uint64_t k = 0; k < m->size;) {
		size_t want = m->size - k < sizeof tmp ? (size_t)(m->size - k) : sizeof tmp;
		if (rd(ud, tmp, want, m->off + k) != (ssize_t)want)
			return dd_err_set(err, DD_EIO, "%s: read error", m->name);
		dd_code rc = dd_buf_append(out, tmp, want, err);
		if (rc)
			return rc;
		k += want;
	}
	return DD_OK;
}
