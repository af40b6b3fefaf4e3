/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (OpenSSL EVP, which uses the CPU's SHA extensions) for verifying
 * blobs and diff_ids while they stream, and a non-cryptographic string hash
 * for hash tables.
 */
#ifndef DD_HASH_H
#define DD_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

/* "sha256:" + 64 hex digits + NUL */
#define DD_DIGEST_STR 72

struct dd_sha256 {
	void *ctx; /* EVP_MD_CTX */
};

dd_code dd_sha256_init(struct dd_sha256 *h, struct dd_err *err);
void dd_sha256_update(struct dd_sha256 *h, const void *p, size_t n);
/* Writes "sha256:<hex>" and releases the context. */
void dd_sha256_final(struct dd_sha256 *h, char out[DD_DIGEST_STR]);
/* Releases without a result (error paths); safe after final. */
void dd_sha256_release(struct dd_sha256 *h);
dd_code dd_sha256_buf(const void *p, size_t n, char out[DD_DIGEST_STR], struct dd_err *err);

/* A digest string is "sha256:" followed by exactly 64 lower-case hex digits. */
int dd_digest_valid(const char *s, size_t n);

uint64_t dd_hash_bytes(const void *p, size_t n); /* FNV-1a 64 */

#endif
