/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Berkeley DB hash databases, as rpm < 4.16 writes /var/lib/rpm/Packages:
 * key = package instance number (4 bytes), value = header blob. We read
 * the file as an array of pages and visit every hash page's key/data
 * pairs, following overflow chains for large values; no hash function, no
 * buckets, no locking or log files are needed for a read-only scan.
 *
 * On-disk format references read to write this (no code taken): Berkeley
 * DB's dbinc/db_page.h (DBMETA, HMETA, PAGE header, H_KEYDATA/H_OFFPAGE
 * items, P_OVERFLOW pages) and the "Berkeley DB file format" notes in
 * rpm's lib/backend/bdb_ro.c documentation; checked against real files.
 *
 *   page 0, meta: magic 0x061561 at byte 12 (hash), version at 16,
 *     page size at 20, encryption at 24, page type 8 (P_HASHMETA) at 25,
 *     last page number at 32. Byte order is the writer's: if the magic
 *     reads swapped, every integer in the file is swapped.
 *   other pages: 26-byte header: pgno at 8, prev at 12, next at 16,
 *     entries (u16) at 20, hf_offset (u16) at 22, level at 24, type at 25;
 *     then entries u16 item offsets. Hash pages (type 2 P_HASH_UNSORTED or
 *     13 P_HASH) hold key, data, key, data ... items, packed from the end of
 *     the page down: item i spans [inp[i], inp[i-1]) (inp[-1] = page size).
 *   item byte 0 is its type: 1 H_KEYDATA (bytes follow inline),
 *     3 H_OFFPAGE (3 unused bytes, pgno u32, total length u32).
 *   overflow pages (type 7): hf_offset = bytes used on this page, data
 *     at 26, next page at 16 (0 ends the chain).
 *
 * Key 0 holds rpm's instance counter, not a header; it is skipped.
 */
#include <stdio.h>
#include <stdlib.h>

#include "catalog/os_pkgdb.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"

#define BDB_HASH_MAGIC 0x061561u
#define PAGE_HDR 26
enum { P_HASH_UNSORTED = 2, P_OVERFLOW = 7, P_HASHMETA = 8, P_HASH = 13 };
enum { H_KEYDATA = 1, H_DUPLICATE = 2, H_OFFPAGE = 3, H_OFFDUP = 4 };

struct bdb {
	const unsigned char *data;
	size_t n;
	uint32_t pagesize;
	size_t npages;
	bool swap;
	unsigned char *used;   /* one byte per page: overflow page already read */
};

static uint32_t u32(const struct bdb *b, const unsigned char *p)
{
	uint32_t le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		      (uint32_t)p[3] << 24;
	return b->swap ? __builtin_bswap32(le) : le;
}

static uint16_t u16(const struct bdb *b, const unsigned char *p)
{
	uint16_t le = (uint16_t)(p[0] | p[1] << 8);
	return b->swap ? (uint16_t)__builtin_bswap16(le) : le;
}

/* Reads an overflow chain of total length tlen into out. In a real file
 * every overflow page belongs to exactly one chain; refusing a page that
 * was already read stops loops and keeps hostile files from making us
 * copy the same long chain once per item (quadratic work). */
static dd_code read_overflow(const struct bdb *b, uint32_t pgno, uint32_t tlen,
			     struct dd_buf *out, struct dd_err *err)
{
	dd_buf_reset(out);
	while (pgno != 0) {
		if (pgno >= b->npages)
			return dd_err_set(err, DD_EINVAL, "overflow chain: page %u past the end", pgno);
		if (b->used[pgno])
			return dd_err_set(err, DD_EINVAL, "overflow chain: page %u read twice", pgno);
		b->used[pgno] = 1;
		const unsigned char *pg = b->data + (size_t)pgno * b->pagesize;
		if (pg[25] != P_OVERFLOW)
			return dd_err_set(err, DD_EINVAL, "overflow page %u has type %u", pgno, pg[25]);
		uint16_t used = u16(b, pg + 22);
		if (used > b->pagesize - PAGE_HDR || out->len + used > tlen)
			return dd_err_set(err, DD_EINVAL, "overflow page %u: %u bytes do not fit",
					  pgno, used);
		dd_code rc = dd_buf_append(out, pg + PAGE_HDR, used, err);
		if (rc)
			return rc;
		pgno = u32(b, pg + 16);
	}
	if (out->len != tlen)
		return dd_err_set(err, DD_EINVAL, "overflow chain has %zu of %u bytes", out->len,
				  tlen);
	return DD_OK;
}

dd_code dd_rpm_bdb_each(const char *path, const unsigned char *data, size_t n, dd_rpm_blob_fn fn,
			void *ud, struct dd_sbom *warn, struct dd_err *err)
{
	struct bdb b = { .data = data, .n = n };
	if (n < 512)
		return dd_err_set(err, DD_EINVAL, "%s: too short for a Berkeley DB file", path);
	uint32_t magic = (uint32_t)data[12] | (uint32_t)data[13] << 8 | (uint32_t)data[14] << 16 |
			 (uint32_t)data[15] << 24;
	if (magic == __builtin_bswap32(BDB_HASH_MAGIC))
		b.swap = true;
	else if (magic != BDB_HASH_MAGIC)
		return dd_err_set(err, DD_EINVAL, "%s: not a Berkeley DB hash file (magic %08x)",
				  path, magic);
	b.pagesize = u32(&b, data + 20);
	if (b.pagesize < 512 || b.pagesize > 65536 || (b.pagesize & (b.pagesize - 1)))
		return dd_err_set(err, DD_EINVAL, "%s: bad page size %u", path, b.pagesize);
	if (data[24] != 0)
		return dd_err_set(err, DD_EUNSUPPORTED, "%s: encrypted Berkeley DB", path);
	if (data[25] != P_HASHMETA)
		return dd_err_set(err, DD_EINVAL, "%s: page 0 is not a hash meta page", path);
	b.npages = n / b.pagesize;
	if (n % b.pagesize && warn)
		dd_sbom_warn(warn, "%s: %zu trailing bytes after the last page", path,
			     n % b.pagesize);

	b.used = dd_calloc(b.npages, 1);
	if (!b.used)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	struct dd_buf val;
	dd_buf_init(&val, DD_LIMIT_KEPT_FILE_BYTES);
	dd_code rc = DD_OK;
	for (size_t pgno = 1; pgno < b.npages && !rc; pgno++) {
		const unsigned char *pg = data + pgno * b.pagesize;
		if (pg[25] != P_HASH && pg[25] != P_HASH_UNSORTED)
			continue;
		uint16_t entries = u16(&b, pg + 20);
		if ((size_t)PAGE_HDR + 2u * entries > b.pagesize) {
			if (warn)
				dd_sbom_warn(warn, "%s: page %zu: %u entries cannot fit, page skipped",
					     path, pgno, entries);
			continue;
		}
		size_t prev = b.pagesize;
		for (uint16_t i = 0; i + 1 < entries && !rc; i += 2) {
			uint16_t ko = u16(&b, pg + PAGE_HDR + 2 * i);
			uint16_t vo = u16(&b, pg + PAGE_HDR + 2 * (i + 1));
			size_t lo = PAGE_HDR + 2u * entries;
			if (ko < lo || ko >= prev || vo < lo || vo >= ko) {
				if (warn)
					dd_sbom_warn(warn, "%s: page %zu: item %u: bad offsets, rest of "
						     "page skipped", path, pgno, i);
				break;
			}
			size_t klen = prev - ko, vlen = ko - vo;
			prev = vo;
			const unsigned char *k = pg + ko, *v = pg + vo;
			if (k[0] != H_KEYDATA)
				continue;
			bool zero_key = true;
			for (size_t j = 1; j < klen; j++)
				zero_key &= k[j] == 0;
			if (zero_key)
				continue; /* rpm's instance counter */
			char where[64];
			snprintf(where, sizeof where, "page %zu item %u", pgno, i + 1);
			if (v[0] == H_KEYDATA) {
				rc = fn(v + 1, vlen - 1, where, ud);
			} else if (v[0] == H_OFFPAGE && vlen >= 12) {
				struct dd_err e;
				dd_err_clear(&e);
				dd_code r2 = read_overflow(&b, u32(&b, v + 4), u32(&b, v + 8), &val, &e);
				if (r2 == DD_ENOMEM)
					rc = dd_err_set(err, r2, "%s: %s", path, e.msg);
				else if (r2 && warn)
					dd_sbom_warn(warn, "%s: %s: %s, record skipped", path, where, e.msg);
				else if (!r2)
					rc = fn((const unsigned char *)val.data, val.len, where, ud);
			} else if (warn) {
				dd_sbom_warn(warn, "%s: %s: item type %u not supported, record skipped",
					     path, where, v[0]);
			}
		}
	}
	dd_buf_release(&val);
	free(b.used);
	return rc;
}
