/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The readers of the vulnerability DB's derived blobs (src/vulndb/
 * vdb_index.c) on arbitrary bytes: a DB file is untrusted input, and a
 * corrupt match_index, advisory_view or match_filter row must be an error,
 * never a crash or a huge allocation. The first byte picks the reader (2: a
 * match_filter blob, other even: a match_index `entries` blob, odd: an
 * advisory_view `view` blob); the rest is the blob. Properties checked:
 * the filter has no false negatives, every decoded entry is well-formed
 * (known status and event kinds, the strings the matcher dereferences are
 * there), and what decodes re-encodes stably (encode → decode → encode
 * gives the same bytes). Corpus: fuzz/gen_vdb_blob_corpus.py.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "vulndb/vdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_vdb_blob: %s\n", what);
		abort();
	}
}

static void same_bytes(const struct dd_buf *a, const struct dd_buf *b, const char *what)
{
	check(a->len == b->len && (!a->len || memcmp(a->data, b->data, a->len) == 0), what);
}

static void entries(const uint8_t *p, size_t n)
{
	struct vdb_entries it;
	if (vdb_entries_open(&it, p, n) != DD_OK)
		return;
	struct dd_arena *a = dd_arena_new(0);
	struct dd_buf e1, e2, frame;
	dd_buf_init(&e1, 1u << 26);
	dd_buf_init(&e2, 1u << 26);
	dd_buf_init(&frame, 1u << 26);
	struct dd_vulndb_affected row;
	int k;
	while (a && (k = vdb_entries_next(&it, a, &row)) != 0) {
		if (k < 0)
			continue;
		check(row.advisory && row.source && row.package, "entry without id, source or package");
		check(row.status <= DD_VULNDB_UNDETERMINED, "unknown status");
		for (size_t i = 0; i < row.nranges; i++) {
			check(row.ranges[i].type != NULL, "range without a type");
			for (size_t j = 0; j < row.ranges[i].nevents; j++)
				check(row.ranges[i].events[j].kind <= DD_VULNDB_LIMIT &&
					      row.ranges[i].events[j].version,
				      "bad event");
		}
		for (size_t i = 0; i < row.nversions; i++)
			check(row.versions[i] != NULL, "NULL version");
		/* encode → frame → decode → encode: the same bytes */
		dd_buf_reset(&e1);
		dd_buf_reset(&frame);
		dd_buf_reset(&e2);
		check(vdb_entry_encode(&e1, &row, NULL) == DD_OK, "encode");
		struct dd_buf body;
		dd_buf_init(&body, 1u << 26);
		unsigned char len[10];
		size_t nl = 0;
		for (uint64_t v = e1.len;; v >>= 7) {
			len[nl++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
			if (v <= 0x7f)
				break;
		}
		check(dd_buf_append(&body, len, nl, NULL) == DD_OK &&
			      dd_buf_append(&body, e1.data, e1.len, NULL) == DD_OK &&
			      vdb_entries_frame(&frame, &body, 1, NULL) == DD_OK,
		      "frame");
		dd_buf_release(&body);
		struct vdb_entries again;
		struct dd_vulndb_affected row2;
		check(vdb_entries_open(&again, frame.data, frame.len) == DD_OK &&
			      vdb_entries_next(&again, a, &row2) == 1 && vdb_entries_next(&again, a, &row2) == 0,
		      "re-encoded entry does not decode");
		vdb_entries_open(&again, frame.data, frame.len);
		vdb_entries_next(&again, a, &row2);
		check(vdb_entry_encode(&e2, &row2, NULL) == DD_OK, "encode again");
		same_bytes(&e1, &e2, "entry: encode(decode(encode(x))) != encode(x)");
	}
	dd_buf_release(&e1);
	dd_buf_release(&e2);
	dd_buf_release(&frame);
	dd_arena_free(a);
}

static void view(const uint8_t *p, size_t n)
{
	struct dd_arena *a = dd_arena_new(0);
	struct dd_vulndb_advisory v, v2;
	memset(&v, 0, sizeof v);
	if (!a || vdb_view_decode(p, n, a, &v) != DD_OK) {
		dd_arena_free(a);
		return;
	}
	for (size_t i = 0; i < v.naliases; i++)
		check(v.aliases[i] != NULL, "NULL alias");
	for (size_t i = 0; i < v.ncwes; i++)
		check(v.cwes[i] != NULL, "NULL CWE");
	for (size_t i = 0; i < v.nreferences; i++)
		check(v.references[i].url != NULL, "reference without a URL");
	struct dd_buf e1, e2;
	dd_buf_init(&e1, 1u << 26);
	dd_buf_init(&e2, 1u << 26);
	check(vdb_view_encode(&e1, &v, NULL) == DD_OK, "encode view");
	memset(&v2, 0, sizeof v2);
	check(vdb_view_decode(e1.data, e1.len, a, &v2) == DD_OK, "re-encoded view does not decode");
	check(vdb_view_encode(&e2, &v2, NULL) == DD_OK, "encode view again");
	same_bytes(&e1, &e2, "view: encode(decode(encode(x))) != encode(x)");
	dd_buf_release(&e1);
	dd_buf_release(&e2);
	dd_arena_free(a);
}

/* match_filter: any blob opens or is refused, probes stay inside it, and a
 * filter built from hashes (the input's 8-byte words) has every one of
 * them: no false negatives, which would hide vulnerabilities. */
static void filter(const uint8_t *p, size_t n)
{
	struct vdb_filter f;
	uint64_t h;
	if (vdb_filter_open(&f, p, n) == DD_OK)
		for (size_t i = 0; i + 8 <= n; i += 8) {
			memcpy(&h, p + i, 8);
			(void)vdb_filter_may_have(&f, h);
		}
	size_t nh = n / 8;
	uint64_t *hs = malloc((nh ? nh : 1) * sizeof *hs);
	struct dd_buf b;
	dd_buf_init(&b, 1u << 26);
	check(hs != NULL, "out of memory");
	for (size_t i = 0; i < nh; i++)
		memcpy(&hs[i], p + 8 * i, 8);
	check(vdb_filter_build(&b, hs, nh, NULL) == DD_OK && vdb_filter_open(&f, b.data, b.len) == DD_OK,
	      "built filter does not open");
	for (size_t i = 0; i < nh; i++)
		check(vdb_filter_may_have(&f, hs[i]), "filter misses a key it was built with");
	dd_buf_release(&b);
	free(hs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] == 2)
		filter(data + 1, size - 1);
	else if (data[0] & 1)
		view(data + 1, size - 1);
	else
		entries(data + 1, size - 1);
	return 0;
}
