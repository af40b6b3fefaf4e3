/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rpm header blobs, as the rpmdb stores them: the header structure of the
 * rpm file format without its 8-byte magic. References: rpm's
 * doc/manual/format_header.md (header structure, tag types, regions) and
 * include/rpm/rpmtag.h (tag numbers), read to learn the format.
 *
 *   int32 il            number of index entries (big-endian, as all fields)
 *   int32 dl            bytes of the data store
 *   il x { int32 tag, type, offset, count }
 *   dl bytes of data    offsets are relative to its start
 *
 * Region: when the first entry's tag is HEADERIMAGE (61), HEADERSIGNATURES
 * (62) or HEADERIMMUTABLE (63), it is a BIN of 16 bytes pointing at a
 * trailer entry in the data store whose negative offset gives the region's
 * size in index entries. Entries after the region ("dribbles") override
 * entries inside it, so the last entry of a tag wins here.
 *
 * Every offset, count and string is checked against dl before it is read;
 * any violation rejects the whole header (rpm does the same in
 * headerVerifyInfo). We decode only what an SBOM needs.
 */
#include <stdlib.h>

#include "catalog/os_pkgdb.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

enum {
	TYPE_NULL = 0, TYPE_CHAR, TYPE_INT8, TYPE_INT16, TYPE_INT32, TYPE_INT64,
	TYPE_STRING, TYPE_BIN, TYPE_STRING_ARRAY, TYPE_I18NSTRING,
};

enum {
	TAG_HEADERIMAGE = 61, TAG_HEADERSIGNATURES = 62, TAG_HEADERIMMUTABLE = 63,
	TAG_NAME = 1000, TAG_VERSION = 1001, TAG_RELEASE = 1002, TAG_EPOCH = 1003,
	TAG_LICENSE = 1014, TAG_ARCH = 1022, TAG_OLDFILENAMES = 1027,
	TAG_SOURCERPM = 1044, TAG_DIRINDEXES = 1116, TAG_BASENAMES = 1117,
	TAG_DIRNAMES = 1118, TAG_MODULARITYLABEL = 5096,
};

struct entry {
	uint32_t tag, type, offset, count;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct hdr {
	const unsigned char *data; /* the data store */
	uint32_t dl;
};

/* The string at e's offset: type STRING or I18NSTRING (first translation). */
static const char *get_string(struct dd_arena *a, const struct hdr *h, const struct entry *e,
			      struct dd_err *err)
{
	if (!e)
		return NULL;
	if (e->type != TYPE_STRING && e->type != TYPE_I18NSTRING && e->type != TYPE_STRING_ARRAY) {
		dd_err_set(err, DD_EINVAL, "tag %u: type %u is not a string", e->tag, e->type);
		return NULL;
	}
	const unsigned char *s = h->data + e->offset;
	const unsigned char *nul = memchr(s, '\0', h->dl - e->offset);
	if (!nul) {
		dd_err_set(err, DD_EINVAL, "tag %u: string runs past the data store", e->tag);
		return NULL;
	}
	const char *r = dd_arena_strndup(a, (const char *)s, (size_t)(nul - s));
	if (!r)
		dd_err_set(err, DD_ENOMEM, "out of memory");
	return r;
}

/* count NUL-terminated strings starting at e's offset, as views. */
static dd_code get_strings(const struct hdr *h, const struct entry *e, const char ***out,
			   size_t **lens, struct dd_err *err)
{
	if (e->type != TYPE_STRING_ARRAY)
		return dd_err_set(err, DD_EINVAL, "tag %u: type %u is not a string array",
				  e->tag, e->type);
	if (e->count > h->dl - e->offset)
		return dd_err_set(err, DD_EINVAL, "tag %u: %u strings cannot fit", e->tag, e->count);
	if (e->count > DD_LIMIT_PKG_FILES)
		return dd_err_set(err, DD_ELIMIT, "tag %u: more than %u strings", e->tag,
				  DD_LIMIT_PKG_FILES);
	const char **v = dd_calloc(e->count ? e->count : 1, sizeof *v);
	size_t *l = dd_calloc(e->count ? e->count : 1, sizeof *l);
	if (!v || !l) {
		free(v);
		free(l);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	uint32_t off = e->offset;
	for (uint32_t i = 0; i < e->count; i++) {
		const unsigned char *s = h->data + off;
		const unsigned char *nul = off < h->dl ? memchr(s, '\0', h->dl - off) : NULL;
		if (!nul) {
			free(v);
			free(l);
			return dd_err_set(err, DD_EINVAL, "tag %u: string %u runs past the data store",
					  e->tag, i);
		}
		v[i] = (const char *)s;
		l[i] = (size_t)(nul - s);
		off += (uint32_t)l[i] + 1;
	}
	*out = v;
	*lens = l;
	return DD_OK;
}

static dd_code file_names(struct dd_arena *a, const struct hdr *h, const struct entry *base,
			  const struct entry *dirs, const struct entry *idx,
			  const struct entry *old, struct dd_rpm_hdr *out, struct dd_err *err)
{
	const char **bn = NULL, **dn = NULL;
	size_t *bl = NULL, *dlen = NULL;
	size_t total = 0;
	dd_code rc = DD_OK;
	if (!base && old) {
		/* rpm < 4.0 stored whole paths in OLDFILENAMES. */
		if ((rc = get_strings(h, old, &bn, &bl, err)))
			return rc;
		out->files = dd_arena_alloc(a, (old->count ? old->count : 1) * sizeof *out->files);
		for (uint32_t i = 0; out->files && i < old->count; i++) {
			const char *c = dd_pkgdb_clean_path(a, bn[i], bl[i]);
			if (c)
				out->files[out->nfiles++] = c;
		}
		goto done;
	}
	if (!base)
		return DD_OK;
	if (!dirs || !idx)
		return dd_err_set(err, DD_EINVAL, "BASENAMES without DIRNAMES or DIRINDEXES");
	/* Shared dirnames make a header expand: real packages reach ~5x
	 * their header size in path bytes; 32x (and the absolute limit)
	 * keeps a small hostile header from producing gigabytes. */
	size_t max_bytes = 32 * (size_t)h->dl + 65536;
	if (max_bytes > DD_LIMIT_PKG_FILES_BYTES)
		max_bytes = DD_LIMIT_PKG_FILES_BYTES;
	if (idx->type != TYPE_INT32 || idx->count != base->count ||
	    (uint64_t)idx->offset + 4ull * idx->count > h->dl)
		return dd_err_set(err, DD_EINVAL, "DIRINDEXES does not match BASENAMES");
	if ((rc = get_strings(h, base, &bn, &bl, err)) || (rc = get_strings(h, dirs, &dn, &dlen, err)))
		goto done;
	out->files = dd_arena_alloc(a, (base->count ? base->count : 1) * sizeof *out->files);
	for (uint32_t i = 0; out->files && i < base->count; i++) {
		uint32_t di = be32(h->data + idx->offset + 4 * i);
		if (di >= dirs->count) {
			rc = dd_err_set(err, DD_EINVAL, "DIRINDEXES[%u] = %u, only %u dirnames", i, di,
					dirs->count);
			goto done;
		}
		total += dlen[di] + bl[i] + 1;
		if (total > max_bytes) {
			rc = dd_err_set(err, DD_ELIMIT, "file list longer than %zu bytes", max_bytes);
			goto done;
		}
		char buf[DD_LIMIT_PATH_BYTES];
		if (dlen[di] + bl[i] >= sizeof buf)
			continue;
		memcpy(buf, dn[di], dlen[di]);
		memcpy(buf + dlen[di], bn[i], bl[i]);
		const char *c = dd_pkgdb_clean_path(a, buf, dlen[di] + bl[i]);
		if (c)
			out->files[out->nfiles++] = c;
	}
done:
	free(bn);
	free(bl);
	free(dn);
	free(dlen);
	if (!rc && dd_arena_status(a))
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	return rc;
}

dd_code dd_rpm_header_parse(const unsigned char *blob, size_t n, bool want_files,
			    struct dd_rpm_hdr *out, struct dd_arena *a, struct dd_err *err)
{
	memset(out, 0, sizeof *out);
	if (n < 8)
		return dd_err_set(err, DD_EINVAL, "header of %zu bytes is too short", n);
	uint32_t il = be32(blob), dl = be32(blob + 4);
	if (il == 0 || il > DD_LIMIT_RPM_HEADER_TAGS)
		return dd_err_set(err, DD_EINVAL, "header has %u index entries", il);
	if (dl > DD_LIMIT_RPM_HEADER_DATA)
		return dd_err_set(err, DD_ELIMIT, "header data store of %u bytes", dl);
	if (8ull + 16ull * il + dl > n)
		return dd_err_set(err, DD_EINVAL,
				  "header needs %llu bytes (%u entries, %u data), has %zu",
				  8ull + 16ull * il + dl, il, dl, n);
	const unsigned char *index = blob + 8;
	struct hdr h = { blob + 8 + 16 * (size_t)il, dl };

	/* The tags we read; the last entry of each wins (dribbles). */
	const struct entry *name = NULL, *version = NULL, *release = NULL, *epoch = NULL,
			   *arch = NULL, *srpm = NULL, *license = NULL, *modlabel = NULL,
			   *base = NULL, *dirs = NULL, *idx = NULL, *old = NULL;
	struct entry *ents = dd_malloc(il * sizeof *ents);
	if (!ents)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = DD_OK;
	for (uint32_t i = 0; i < il; i++) {
		struct entry *e = &ents[i];
		const unsigned char *p = index + 16 * (size_t)i;
		e->tag = be32(p);
		e->type = be32(p + 4);
		e->offset = be32(p + 8);
		e->count = be32(p + 12);
		if (e->type > TYPE_I18NSTRING) {
			rc = dd_err_set(err, DD_EINVAL, "entry %u (tag %u): unknown type %u", i,
					e->tag, e->type);
			goto out;
		}
		bool region = i == 0 && (e->tag == TAG_HEADERIMAGE || e->tag == TAG_HEADERSIGNATURES ||
					 e->tag == TAG_HEADERIMMUTABLE);
		if (region) {
			/* The trailer is a copy of an index entry whose offset is
			 * minus the region's index size in bytes. */
			if (e->type != TYPE_BIN || e->count != 16 || e->offset > dl || dl - e->offset < 16) {
				rc = dd_err_set(err, DD_EINVAL, "region tag %u: bad entry", e->tag);
				goto out;
			}
			const unsigned char *t = h.data + e->offset;
			uint32_t ttag = be32(t), ttype = be32(t + 4), tcount = be32(t + 12);
			int64_t toff = (int32_t)be32(t + 8);
			if ((ttag != TAG_HEADERIMAGE && ttag != TAG_HEADERSIGNATURES &&
			     ttag != TAG_HEADERIMMUTABLE) || ttype != TYPE_BIN || tcount != 16 ||
			    toff >= 0 || -toff % 16 != 0 || -toff / 16 > il) {
				rc = dd_err_set(err, DD_EINVAL, "region tag %u: bad trailer", e->tag);
				goto out;
			}
			continue;
		}
		if (e->offset >= dl && !(e->count == 0 && e->offset == dl)) {
			rc = dd_err_set(err, DD_EINVAL, "entry %u (tag %u): offset %u past the %u-byte "
					"data store", i, e->tag, e->offset, dl);
			goto out;
		}
		static const uint32_t width[] = { 0, 1, 1, 2, 4, 8, 0, 1, 0, 0 };
		if (width[e->type] && (uint64_t)e->offset + (uint64_t)e->count * width[e->type] > dl) {
			rc = dd_err_set(err, DD_EINVAL, "entry %u (tag %u): %u values past the data "
					"store", i, e->tag, e->count);
			goto out;
		}
		if ((e->type == TYPE_STRING || e->type == TYPE_I18NSTRING ||
		     e->type == TYPE_STRING_ARRAY) && e->count == 0) {
			rc = dd_err_set(err, DD_EINVAL, "entry %u (tag %u): no strings", i, e->tag);
			goto out;
		}
		switch (e->tag) {
		case TAG_NAME: name = e; break;
		case TAG_VERSION: version = e; break;
		case TAG_RELEASE: release = e; break;
		case TAG_EPOCH: epoch = e; break;
		case TAG_ARCH: arch = e; break;
		case TAG_SOURCERPM: srpm = e; break;
		case TAG_LICENSE: license = e; break;
		case TAG_MODULARITYLABEL: modlabel = e; break;
		case TAG_BASENAMES: base = e; break;
		case TAG_DIRNAMES: dirs = e; break;
		case TAG_DIRINDEXES: idx = e; break;
		case TAG_OLDFILENAMES: old = e; break;
		default: break;
		}
	}
	if (!name || !version || !release) {
		rc = dd_err_set(err, DD_EINVAL, "header has no %s", !name ? "NAME" :
				!version ? "VERSION" : "RELEASE");
		goto out;
	}
	struct dd_err se;
	dd_err_clear(&se);
	out->name = get_string(a, &h, name, &se);
	out->version = get_string(a, &h, version, &se);
	out->release = get_string(a, &h, release, &se);
	out->arch = get_string(a, &h, arch, &se);
	out->sourcerpm = get_string(a, &h, srpm, &se);
	out->license = get_string(a, &h, license, &se);
	out->modularity = get_string(a, &h, modlabel, &se);
	if (se.code) {
		rc = dd_err_set(err, se.code, "%s", se.msg);
		goto out;
	}
	if (epoch) {
		if (epoch->type != TYPE_INT32 || epoch->count < 1) {
			rc = dd_err_set(err, DD_EINVAL, "EPOCH is not an INT32");
			goto out;
		}
		out->epoch = be32(h.data + epoch->offset);
		out->has_epoch = true;
	}
	if (want_files)
		rc = file_names(a, &h, base, dirs, idx, old, out, err);
out:
	free(ents);
	return rc;
}
