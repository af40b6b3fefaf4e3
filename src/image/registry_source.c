/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry:REF (and skopeo's docker://REF): an image in a registry, as an
 * image source. The reference is parsed with Docker Hub's defaults
 * (registry_ref.c); the manifest or index it names is fetched with the
 * Accept list of OCI and Docker schema 2 types, and resolution (index ->
 * platform -> manifest -> config, every document verified against its
 * digest) is oci_manifest.c's, exactly as for an OCI layout. Layers are
 * handed to image.c as HTTP streams (registry_client.c), verified while
 * they stream; image.c skips the layers whose diff_id the layer cache
 * already holds, so those blobs are never requested.
 */
#include <string.h>

#include "image/oci_manifest.h"
#include "image/registry.h"
#include "image/source.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/limits.h"

struct regsrc {
	struct dd_registry *reg;
	struct dd_registry_ref ref;
	const char **digests;
	uint64_t *sizes;
	size_t nlayers;
	char config_digest[72]; /* of the last manifest fetched below an index */
};

static dd_code to_buf(char *body, size_t len, struct dd_buf *out, struct dd_err *err)
{
	dd_code rc = dd_buf_append(out, body, len, err);
	free(body);
	return rc;
}

/* Documents below an index are manifests (GET .../manifests/DIGEST); the
 * config is a blob (GET .../blobs/DIGEST). oci_manifest.c's fetch callback
 * does not say which it wants, and registries answer the wrong endpoint
 * with 404 or even 500 (Distribution), so we note the config digest of
 * every manifest we hand out and fetch exactly that one as a blob. */
static dd_code fetch_any(void *ud, const char *digest, size_t max, struct dd_buf *out,
			 struct dd_err *err)
{
	struct regsrc *s = ud;
	char *body, mt[128], dg[72];
	size_t len;
	dd_code rc;
	if (strcmp(digest, s->config_digest) == 0) {
		rc = dd_registry_get_blob(s->reg, s->ref.repository, digest, max, &body, &len, err);
		return rc ? rc : to_buf(body, len, out, err);
	}
	rc = dd_registry_get_manifest(s->reg, s->ref.repository, digest, &body, &len, mt, dg, err);
	if (rc)
		return rc;
	if (dd_oci_kind_of(body, len, mt[0] ? mt : NULL) == DD_OCI_KIND_MANIFEST) {
		struct dd_oci_manifest m;
		struct dd_arena *tmp = dd_arena_new(DD_LIMIT_MANIFEST_BYTES * 4u);
		if (tmp && dd_oci_parse_manifest(body, len, tmp, &m, NULL) == DD_OK && m.config.digest)
			snprintf(s->config_digest, sizeof s->config_digest, "%s", m.config.digest);
		dd_arena_free(tmp);
	}
	return to_buf(body, len, out, err);
}

static dd_code fetch_blob(void *ud, const char *digest, size_t max, struct dd_buf *out,
			  struct dd_err *err)
{
	struct regsrc *s = ud;
	char *body;
	size_t len;
	dd_code rc = dd_registry_get_blob(s->reg, s->ref.repository, digest, max, &body, &len, err);
	return rc ? rc : to_buf(body, len, out, err);
}

static dd_code reg_open(const char *ref, const struct dd_image_opts *opts, bool lazy,
			struct dd_arena *a, struct dd_image_info *info, bool *complete, void **state,
			struct dd_err *err)
{
	struct regsrc *s = dd_calloc(1, sizeof *s);
	char *body = NULL, mt[128], dg[72], canon[600];
	size_t len = 0;
	struct dd_oci_resolved r;
	dd_code rc;

	(void)lazy;
	(void)complete;
	if (!s)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	*state = s;
	if ((rc = dd_registry_ref_parse(ref, strlen(ref), &s->ref, err)))
		return rc;
	if ((rc = dd_registry_open(s->ref.registry, opts->registry, &s->reg, err)))
		return rc;
	/* A digest wins over a tag (as docker pull does). */
	const char *want = s->ref.digest[0] ? s->ref.digest : s->ref.tag;
	if ((rc = dd_registry_get_manifest(s->reg, s->ref.repository, want, &body, &len, mt, dg, err)))
		return rc;
	memset(&r, 0, sizeof r);
	if (dd_oci_kind_of(body, len, mt[0] ? mt : NULL) == DD_OCI_KIND_MANIFEST) {
		struct dd_oci_fetch f = { fetch_blob, s };
		rc = dd_oci_parse_manifest(body, len, a, &r.manifest, err);
		if (!rc) {
			r.manifest_digest = dd_arena_strdup(a, dg);
			r.config_digest = r.manifest.config.digest;
			rc = dd_oci_fetch_config(&f, &r.manifest.config, a, &r.config, err);
		}
		if (!rc && r.config.ndiff_ids != r.manifest.nlayers)
			rc = dd_err_set(err, DD_EINVAL,
					"manifest has %zu layers but the config lists %zu diff_ids",
					r.manifest.nlayers, r.config.ndiff_ids);
	} else {
		struct dd_oci_fetch f = { fetch_any, s };
		rc = dd_oci_resolve(&f, body, len, NULL, NULL, opts->platform, a, &r, err);
	}
	free(body);
	if (rc)
		return rc;

	dd_registry_ref_format(&s->ref, canon, sizeof canon);
	info->name = dd_arena_strdup(a, canon);
	if (s->ref.tag[0] && !s->ref.digest[0]) {
		info->repo_tags = dd_arena_alloc(a, sizeof *info->repo_tags);
		if (!info->repo_tags)
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		info->repo_tags[0] = info->name;
		info->nrepo_tags = 1;
	}
	info->manifest_digest = r.manifest_digest;
	info->config_digest = r.config_digest;
	info->os = r.config.platform.os;
	info->arch = r.config.platform.arch;
	info->variant = r.config.platform.variant;
	info->created = r.config.created;
	info->nlayers = r.manifest.nlayers;
	size_t n = r.manifest.nlayers ? r.manifest.nlayers : 1;
	info->layers = dd_arena_alloc(a, n * sizeof *info->layers);
	s->digests = dd_arena_alloc(a, n * sizeof *s->digests);
	s->sizes = dd_arena_alloc(a, n * sizeof *s->sizes);
	if (!info->layers || !s->digests || !s->sizes || !info->name)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	s->nlayers = r.manifest.nlayers;
	for (size_t i = 0; i < r.manifest.nlayers; i++) {
		const struct dd_oci_descriptor *d = &r.manifest.layers[i];
		struct dd_layer_info *li = &info->layers[i];
		li->index = (unsigned)i;
		li->digest = d->digest;
		li->size = d->size;
		li->media_type = d->media_type;
		li->diff_id = r.config.diff_ids[i];
		li->created_by = r.config.created_by[i];
		/* Foreign (Windows) and non-filesystem layers are not ours to read. */
		if (d->media_type && (!strstr(d->media_type, "tar") || strstr(d->media_type, "foreign")))
			return dd_err_set(err, DD_EUNSUPPORTED,
					  "layer %zu/%zu %s: media type %s is not a filesystem layer",
					  i + 1, r.manifest.nlayers, d->digest, d->media_type);
		s->digests[i] = d->digest;
		s->sizes[i] = d->size;
	}
	return DD_OK;
}

static dd_code reg_open_layer(void *state, unsigned i, struct dd_blob_stream *out,
			      struct dd_err *err)
{
	struct regsrc *s = state;
	if (i >= s->nlayers)
		return dd_err_set(err, DD_EUSAGE, "layer %u of %zu", i, s->nlayers);
	/* layer.c hashes every layer against its descriptor digest (and the
	 * uncompressed tar against the diff_id) while it streams. */
	return dd_registry_open_blob(s->reg, s->ref.repository, s->digests[i], s->sizes[i],
				     DD_REGISTRY_CONSUMER_VERIFIES, out, err);
}

static void reg_close(void *state)
{
	struct regsrc *s = state;
	if (!s)
		return;
	dd_registry_close(s->reg);
	free(s);
}

/* skopeo writes docker://REF: the same source, "//" dropped. */
static dd_code docker_open(const char *ref, const struct dd_image_opts *opts, bool lazy,
			   struct dd_arena *a, struct dd_image_info *info, bool *complete,
			   void **state, struct dd_err *err)
{
	if (strncmp(ref, "//", 2) == 0)
		ref += 2;
	return reg_open(ref, opts, lazy, a, info, complete, state, err);
}

bool dd_registry_bare_ref(const char *s)
{
	struct dd_registry_ref r;
	size_t n = strlen(s);
	if (dd_registry_ref_parse(s, n, &r, NULL) != DD_OK)
		return false;
	/* A mistyped file name ("image.tar", "out/img") must not become a
	 * request to Docker Hub: a bare name is a registry image only with an
	 * explicit tag or digest, or an explicit registry host. */
	const char *slash = strchr(s, '/');
	const char *last = strrchr(s, '/');
	bool tagged = strchr(last ? last : s, ':') || strchr(s, '@');
	bool host = slash && strncmp(s, r.registry, (size_t)(slash - s)) == 0 &&
		    strlen(r.registry) == (size_t)(slash - s);
	return tagged || host;
}

const struct dd_image_source dd_source_registry = {
	.transport = "registry",
	.open = reg_open,
	.open_layer = reg_open_layer,
	.close = reg_close,
};

const struct dd_image_source dd_source_docker = {
	.transport = "docker",
	.open = docker_open,
	.open_layer = reg_open_layer,
	.close = reg_close,
};
