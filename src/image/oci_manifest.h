/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI image index, image manifest and image config (image-spec v1.1:
 * image-index.md, manifest.md, config.md) and their Docker schema2
 * equivalents (manifest list, manifest v2, container config), plus the
 * docker-archive `manifest.json`. Parsing is separate from fetching: the
 * resolver walks index -> (nested indexes) -> manifest -> config through a
 * fetch-by-digest callback and verifies each document against its digest,
 * so the OCI layout, the OCI archive and a registry share this file.
 *
 * All strings live in the caller's arena.
 */
#ifndef DD_OCI_MANIFEST_H
#define DD_OCI_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"

struct dd_arena;
struct dd_buf;

#define DD_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define DD_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define DD_MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define DD_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define DD_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define DD_MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

struct dd_oci_platform {
	const char *os, *arch, *variant; /* NULL when absent */
};

struct dd_oci_descriptor {
	const char *media_type;
	const char *digest;          /* validated "sha256:<64 hex>" */
	uint64_t size;
	struct dd_oci_platform platform;
	bool has_platform;
	const char *ref_name;        /* annotation org.opencontainers.image.ref.name */
};

enum dd_oci_kind { DD_OCI_KIND_UNKNOWN, DD_OCI_KIND_INDEX, DD_OCI_KIND_MANIFEST };

struct dd_oci_index {
	struct dd_oci_descriptor *manifests;
	size_t nmanifests;
};

struct dd_oci_manifest {
	const char *media_type;
	struct dd_oci_descriptor config;
	struct dd_oci_descriptor *layers;
	size_t nlayers;
};

struct dd_oci_config {
	struct dd_oci_platform platform;
	const char *created;
	const char **diff_ids;       /* rootfs.diff_ids, validated digests */
	size_t ndiff_ids;
	const char **created_by;     /* per diff_id, from non-empty history entries; may be NULL entries */
};

/* Tells an index from a manifest by mediaType, else by shape. */
enum dd_oci_kind dd_oci_kind_of(const void *p, size_t n, const char *media_type_hint);

dd_code dd_oci_parse_index(const void *p, size_t n, struct dd_arena *a,
			   struct dd_oci_index *out, struct dd_err *err);
dd_code dd_oci_parse_manifest(const void *p, size_t n, struct dd_arena *a,
			      struct dd_oci_manifest *out, struct dd_err *err);
dd_code dd_oci_parse_config(const void *p, size_t n, struct dd_arena *a,
			    struct dd_oci_config *out, struct dd_err *err);

/* docker-archive manifest.json: an array of {Config, RepoTags, Layers}. We
 * read the first image (a multi-image archive names its others in a warning
 * from the source). */
struct dd_docker_manifest {
	const char *config;          /* path inside the archive */
	const char **repo_tags;
	size_t nrepo_tags;
	const char **layers;         /* paths inside the archive */
	size_t nlayers;
	size_t nimages;              /* entries in the array */
};
dd_code dd_docker_parse_manifest(const void *p, size_t n, struct dd_arena *a,
				 struct dd_docker_manifest *out, struct dd_err *err);

/* "os/arch[/variant]" -> platform; NULL or "" gives linux/amd64. */
dd_code dd_oci_platform_parse(const char *s, struct dd_arena *a, struct dd_oci_platform *out,
			      struct dd_err *err);

/* Fetches a small document (index, manifest, config) by digest into out,
 * at most max bytes. The resolver checks the digest itself. */
struct dd_oci_fetch {
	dd_code (*fetch)(void *ud, const char *digest, size_t max, struct dd_buf *out,
			 struct dd_err *err);
	void *ud;
};

struct dd_oci_resolved {
	const char *manifest_digest;
	struct dd_oci_manifest manifest;
	const char *config_digest;
	struct dd_oci_config config;
	const char *ref_name;        /* the ref name that selected it, if any */
};

/* Starts from a root document (an OCI layout's index.json, not itself
 * content-addressed) and selects by tag (ref name annotation), digest or
 * platform; nested indexes are followed up to DD_LIMIT_INDEX_DEPTH. The
 * platform error lists every platform the index offers. `what` names the
 * image in messages. */
dd_code dd_oci_resolve(const struct dd_oci_fetch *f, const void *root, size_t n,
		       const char *tag, const char *digest, const char *platform,
		       struct dd_arena *a, struct dd_oci_resolved *out, struct dd_err *err);

/* Fetches, verifies and parses the config named by a manifest. */
dd_code dd_oci_fetch_config(const struct dd_oci_fetch *f, const struct dd_oci_descriptor *d,
			    struct dd_arena *a, struct dd_oci_config *out, struct dd_err *err);

#endif
