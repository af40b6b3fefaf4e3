/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container registries (the OCI distribution API): image references with
 * Docker Hub's defaulting rules, and a client that authenticates (anonymous,
 * Bearer tokens from WWW-Authenticate, Basic), fetches manifests and lists
 * repositories and tags. Layers are streamed by the registry image source
 * (src/image/registry_source.c) through the internal header
 * src/image/registry.h; this header is what cli/ and outside users need.
 *
 * Thread-safety: a struct dd_registry may be used from several threads at
 * once (the token cache is locked); a reference is a plain value.
 * Secrets (passwords, tokens) are never written to errors or logs.
 */
#ifndef DD_REGISTRY_H
#define DD_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "dd/err.h"

/* The docker reference grammar caps a name (domain + path) at 255 bytes
 * (distribution/reference NameTotalLengthMax) and a tag at 128. */
#define DD_REGISTRY_NAME_MAX 255
#define DD_REGISTRY_TAG_MAX 128

/* A parsed reference, normalised: "alpine" is registry "docker.io",
 * repository "library/alpine", tag "latest". Plain value, no release. */
struct dd_registry_ref {
	char registry[DD_REGISTRY_NAME_MAX + 1];   /* "docker.io", "127.0.0.1:5000", "[::1]:5000" */
	char repository[DD_REGISTRY_NAME_MAX + 1]; /* "library/alpine" */
	char tag[DD_REGISTRY_TAG_MAX + 1];         /* "" when only a digest was given */
	char digest[72];                           /* "sha256:<64 hex>" or "" */
};

/* Parses s[0..n) (no transport prefix: strip "registry:" first). Errors are
 * DD_EINVAL naming the offending part, DD_EUNSUPPORTED for digest algorithms
 * other than sha256, DD_ELIMIT for over-long names. */
dd_code dd_registry_ref_parse(const char *s, size_t n, struct dd_registry_ref *out,
			      struct dd_err *err);
/* Canonical form "registry/repository[:tag][@digest]" into buf (snprintf
 * semantics: returns the length it needs, output truncated to n - 1). */
size_t dd_registry_ref_format(const struct dd_registry_ref *r, char *buf, size_t n);
/* The host[:port] to contact: "registry-1.docker.io" for "docker.io". */
const char *dd_registry_endpoint(const char *registry);

/* How to reach registries. Zeroed means defaults. Strings are borrowed for
 * the life of the client. */
struct dd_registry_opts {
	const char *username;       /* explicit credentials win over the docker config */
	const char *password;
	const char *docker_config;  /* config.json path; NULL = $DOCKER_CONFIG/config.json
				     * or ~/.docker/config.json; "" = none */
	const char *ca_file;        /* extra PEM CA bundle, added to the system CAs */
	const char *const *insecure; /* hosts (host[:port]) allowed plain HTTP or unverified TLS */
	size_t ninsecure;
	unsigned retries;           /* attempts after the first on 5xx/429/reset; 0 = 4 */
	unsigned retry_base_ms;     /* first backoff; doubles each time; 0 = 500 */
	unsigned retry_after_max_s; /* longest Retry-After honoured; 0 = 60 */
	const char *user_agent;     /* NULL = "drydock/VERSION" */
	unsigned page_size;         /* names per listing page (n=); 0 = 100 */
};

struct dd_registry;

/* A client for one registry (ref->registry, e.g. "docker.io"). Pings /v2/
 * to choose https or (insecure hosts only) http. *out is the caller's. */
dd_code dd_registry_open(const char *registry, const struct dd_registry_opts *opts,
			 struct dd_registry **out, struct dd_err *err);
void dd_registry_close(struct dd_registry *reg);

/* The manifest or index `reference` (a tag or a digest) of `repo`, as
 * stored: *body (malloc'd, the caller frees it with free()), its media type
 * (Content-Type, or "" when the registry sent none) and its sha256 digest,
 * which is checked against the reference when that is a digest and against
 * Docker-Content-Digest when the registry sends one. */
dd_code dd_registry_get_manifest(struct dd_registry *reg, const char *repo, const char *reference,
				 char **body, size_t *len, char media_type[128],
				 char digest[72], struct dd_err *err);

/* Lists repositories (/v2/_catalog) or the tags of repo (/v2/<repo>/tags/list),
 * following Link rel="next" pages. fn is called once per name, in the
 * registry's order; a non-DD_OK return stops the listing and is returned. */
typedef dd_code (*dd_registry_name_fn)(void *ud, const char *name, struct dd_err *err);
dd_code dd_registry_list_catalog(struct dd_registry *reg, dd_registry_name_fn fn, void *ud,
				 struct dd_err *err);
dd_code dd_registry_list_tags(struct dd_registry *reg, const char *repo, dd_registry_name_fn fn,
			      void *ud, struct dd_err *err);

#endif
