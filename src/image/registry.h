/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Registry internals shared by registry_auth.c, registry_client.c, the
 * registry image source and their tests: the HTTP header parsers (fuzzed:
 * fuzz/fuzz_www_authenticate.c, fuzz/fuzz_link_header.c), credential lookup
 * in the docker config, and blobs as streams. The public half is
 * include/dd/registry.h; the design is in docs/internals/registry.md.
 */
#ifndef DD_IMAGE_REGISTRY_H
#define DD_IMAGE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/registry.h"
#include "image/source.h"

/* --- WWW-Authenticate (RFC 7235 §4.1, the token flow of the distribution
 * spec and Docker's token auth) ------------------------------------------- */

enum dd_auth_scheme { DD_AUTH_NONE, DD_AUTH_BASIC, DD_AUTH_BEARER, DD_AUTH_OTHER };

#define DD_AUTH_REALM_MAX 2048
#define DD_AUTH_PARAM_MAX 1024

/* The challenge we answer: the first Bearer one, else the first Basic one,
 * else the first (scheme DD_AUTH_OTHER, its name in other). Values are
 * unquoted and unescaped; absent ones are "". */
struct dd_www_auth {
	enum dd_auth_scheme scheme;
	char other[64];
	char realm[DD_AUTH_REALM_MAX];
	char service[DD_AUTH_PARAM_MAX];
	char scope[DD_AUTH_PARAM_MAX];
	char error[DD_AUTH_PARAM_MAX];
};

/* Parses one WWW-Authenticate field value (which may hold several
 * challenges). DD_EINVAL for malformed syntax (naming the byte offset),
 * DD_ELIMIT for over-long values, DD_ENOTFOUND for an empty list. */
dd_code dd_registry_parse_www_authenticate(const char *s, size_t n, struct dd_www_auth *out,
					   struct dd_err *err);
/* "Bearer realm=\"...\",service=\"...\",scope=\"...\"" (non-empty params
 * only); snprintf semantics. Parsing the result gives *a back. */
size_t dd_registry_format_www_authenticate(const struct dd_www_auth *a, char *buf, size_t n);

/* --- Link (RFC 8288), for paginated listings ----------------------------- */

#define DD_LINK_URL_MAX 2048
/* Finds the target of the link whose rel includes "next". DD_ENOTFOUND when
 * there is none, DD_EINVAL for malformed syntax, DD_ELIMIT for long URLs. */
dd_code dd_registry_parse_link_next(const char *s, size_t n, char url[DD_LINK_URL_MAX],
				    struct dd_err *err);

/* --- Credentials ---------------------------------------------------------- */

/* Looks up `registry` (as in a reference: "docker.io", "host:port") in the
 * docker config at path (`auths` → base64 "user:password" in `auth`, or
 * `username`/`password`), after the credential helper the config names
 * for it (`credHelpers`, else `credsStore`), as docker does. Docker Hub is
 * also found under its historical key "https://index.docker.io/v1/". *user
 * and *pass are malloc'd (free()). DD_ENOTFOUND when the file, the entry
 * and the helper's answer are all absent. */
dd_code dd_registry_config_creds(const char *path, const char *registry, char **user,
				 char **pass, struct dd_err *err);
/* Asks the docker credential helper `docker-credential-HELPER` (on PATH)
 * for server's credentials (registry_credhelper.c). DD_ENOTFOUND when it has
 * none or is not installed; other errors when it fails or answers nonsense.
 * *user and *pass are malloc'd. */
dd_code dd_registry_helper_creds(const char *helper, const char *server, char **user,
				 char **pass, struct dd_err *err);
/* Standard base64 (RFC 4648 §4) with optional padding; DD_EINVAL on other
 * characters. out needs n * 3 / 4 + 3 bytes; NUL-terminated. */
dd_code dd_registry_base64_decode(const char *s, size_t n, unsigned char *out, size_t *out_len,
				  struct dd_err *err);

/* Names from a registry are checked before anyone prints them: a tag or a
 * repository path per the reference grammar (registry_ref.c). */
bool dd_registry_valid_tag(const char *s, size_t n);
bool dd_registry_valid_repository(const char *s, size_t n);

/* Is a string that names no file a registry reference? Only with an
 * explicit tag, digest or registry host ("alpine:3.19", "ghcr.io/o/app"),
 * so that a mistyped file name never becomes a request to Docker Hub. */
bool dd_registry_bare_ref(const char *s);

/* --- Blobs ---------------------------------------------------------------- */

/* Opens blob `digest` of `repo` as a stream of its stored bytes. Reads
 * verify the sha256 as they go: the read that reaches the end returns -1
 * with DD_EDIGEST when the bytes do not match (so nothing unverified is
 * ever taken as complete), and `size` (when not 0, from the descriptor) is
 * enforced. DD_REGISTRY_CONSUMER_VERIFIES skips our hash for a consumer
 * that hashes the same bytes against the same digest itself (image/layer.c
 * does for every layer: hashing 50 MB twice costs ~4% of a scan). A connection lost mid-blob is resumed with a Range request (or
 * restarted, skipping what was already delivered) within the retry budget.
 * Redirects to other hosts (storage backends) are followed without
 * credentials. The stream's close frees everything. */
enum dd_registry_blob_flags { DD_REGISTRY_CONSUMER_VERIFIES = 1u << 0 };
dd_code dd_registry_open_blob(struct dd_registry *reg, const char *repo, const char *digest,
			      uint64_t size, unsigned flags, struct dd_blob_stream *out,
			      struct dd_err *err);

/* A small blob (an image config) read whole into *body (malloc'd), at most
 * max bytes, digest verified. */
dd_code dd_registry_get_blob(struct dd_registry *reg, const char *repo, const char *digest,
			     size_t max, char **body, size_t *len, struct dd_err *err);

/* Counters for tests and benchmarks: HTTP requests sent, bytes of blob
 * bodies received. */
struct dd_registry_stats {
	unsigned long requests, token_requests, retries, redirects;
	uint64_t blob_bytes;
};
void dd_registry_stats(struct dd_registry *reg, struct dd_registry_stats *out);

#endif
