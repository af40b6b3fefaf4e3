/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 through OpenSSL's EVP interface; FNV-1a for tables. */
#include <openssl/evp.h>

#include "util/hash.h"

dd_code dd_sha256_init(struct dd_sha256 *h, struct dd_err *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		return dd_err_set(err, DD_ENOMEM, "sha256: out of memory");
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return dd_err_set(err, DD_EUNSUPPORTED, "sha256: OpenSSL refused the digest");
	}
	h->ctx = ctx;
	return DD_OK;
}

void dd_sha256_update(struct dd_sha256 *h, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->ctx, p, n);
}

void dd_sha256_final(struct dd_sha256 *h, char out[DD_DIGEST_STR])
{
	unsigned char md[32];
	unsigned int len = 0;
	EVP_DigestFinal_ex(h->ctx, md, &len);
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	dd_sha256_release(h);
}

void dd_sha256_release(struct dd_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

dd_code dd_sha256_buf(const void *p, size_t n, char out[DD_DIGEST_STR], struct dd_err *err)
{
	struct dd_sha256 h;
	dd_code rc = dd_sha256_init(&h, err);
	if (rc)
		return rc;
	dd_sha256_update(&h, p, n);
	dd_sha256_final(&h, out);
	return DD_OK;
}

int dd_digest_valid(const char *s, size_t n)
{
	if (n != 71 || memcmp(s, "sha256:", 7) != 0)
		return 0;
	for (size_t i = 7; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

uint64_t dd_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
