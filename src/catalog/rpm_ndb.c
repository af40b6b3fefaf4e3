/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpm's own "ndb" package database, Packages.db (SUSE since SLE 15 SP3 /
 * openSUSE). Format references read (no code taken): rpm's
 * lib/backend/ndb/rpmpkg.c (the header page, slots and blob framing); all
 * integers are little-endian.
 *
 *   header (32 bytes at 0): magic "RpmP", version 0, generation,
 *     slot pages (4096 bytes each, including this header), next pkgidx
 *   slots (16 bytes each, from byte 32 to the end of the slot pages):
 *     magic "Slot", pkgidx (0 = free), block offset, block count
 *     (blocks are 16 bytes)
 *   blob at block offset * 16: magic "BlbS", pkgidx, generation, length,
 *     then the header blob, then a 12-byte tail (checksum, length, "BlbE")
 *
 * A slot that points outside the file or at a blob with another pkgidx is
 * skipped with a warning, and so is one whose blocks overlap a blob
 * already read: rpm never shares blocks, and a hostile file whose slots
 * all name one large blob would otherwise cost slots x blob size.
 */
#include <stdio.h>
#include <stdlib.h>

#include "catalog/os_pkgdb.h"
#include "util/alloc.h"

#define NDB_PAGE 4096u
#define NDB_BLK 16u

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct cand {
	size_t slot;
	uint32_t pkgidx, blkoff, blkcnt;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->blkoff != y->blkoff)
		return x->blkoff < y->blkoff ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

dd_code dd_rpm_ndb_each(const char *path, const unsigned char *data, size_t n, dd_rpm_blob_fn fn,
			void *ud, struct dd_sbom *warn, struct dd_err *err)
{
	if (n < 32 || memcmp(data, "RpmP", 4) != 0)
		return dd_err_set(err, DD_EINVAL, "%s: not an rpm ndb file (no RpmP magic)", path);
	if (le32(data + 4) != 0)
		return dd_err_set(err, DD_EUNSUPPORTED, "%s: ndb version %u", path, le32(data + 4));
	uint32_t slotpages = le32(data + 12);
	if (slotpages == 0 || (uint64_t)slotpages * NDB_PAGE > n)
		return dd_err_set(err, DD_EINVAL, "%s: %u slot pages do not fit in %zu bytes", path,
				  slotpages, n);
	size_t slot_end = (size_t)slotpages * NDB_PAGE;
	struct cand *c = dd_malloc((slot_end / 16) * sizeof *c);
	if (!c)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	size_t nc = 0;
	char where[64];
	/* Pass 1: slots that point at a well-framed blob of their pkgidx. */
	for (size_t off = 32, i = 0; off + 16 <= slot_end; off += 16, i++) {
		const unsigned char *s = data + off;
		static const unsigned char zero[16];
		if (memcmp(s, zero, 16) == 0)
			continue; /* never used */
		if (memcmp(s, "Slot", 4) != 0) {
			if (warn)
				dd_sbom_warn(warn, "%s: slot %zu at offset %zu: bad magic, skipped",
					     path, i, off);
			continue;
		}
		uint32_t pkgidx = le32(s + 4), blkoff = le32(s + 8), blkcnt = le32(s + 12);
		if (pkgidx == 0)
			continue;
		uint64_t start = (uint64_t)blkoff * NDB_BLK, len = (uint64_t)blkcnt * NDB_BLK;
		snprintf(where, sizeof where, "slot %zu (pkgidx %u)", i, pkgidx);
		if (start < slot_end || len < 16 + 12 || start + len > n) {
			if (warn)
				dd_sbom_warn(warn, "%s: %s: blocks %u+%u outside the file, skipped",
					     path, where, blkoff, blkcnt);
			continue;
		}
		const unsigned char *b = data + start;
		if (memcmp(b, "BlbS", 4) != 0 || le32(b + 4) != pkgidx ||
		    (uint64_t)le32(b + 12) + 16 + 12 > len) {
			if (warn)
				dd_sbom_warn(warn, "%s: %s: bad blob header at offset %llu, skipped",
					     path, where, (unsigned long long)start);
			continue;
		}
		c[nc++] = (struct cand){ i, pkgidx, blkoff, blkcnt };
	}
	/* Pass 2, in file order: a blob overlapping the one before is
	 * refused (sorting keeps this O(slots log slots)). */
	qsort(c, nc, sizeof *c, cmp_cand);
	dd_code rc = DD_OK;
	uint64_t end = 0;
	for (size_t k = 0; k < nc && !rc; k++) {
		snprintf(where, sizeof where, "slot %zu (pkgidx %u)", c[k].slot, c[k].pkgidx);
		if (c[k].blkoff < end) {
			if (warn)
				dd_sbom_warn(warn, "%s: %s: blocks overlap another blob, skipped",
					     path, where);
			continue;
		}
		end = (uint64_t)c[k].blkoff + c[k].blkcnt;
		const unsigned char *b = data + (size_t)c[k].blkoff * NDB_BLK;
		rc = fn(b + 16, le32(b + 12), where, ud);
	}
	free(c);
	return rc;
}
