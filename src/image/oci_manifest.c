/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI index / manifest / config parsing and resolution (oci_manifest.h).
 * Specs: https://github.com/opencontainers/image-spec (image-index.md,
 * manifest.md, config.md, descriptor.md) and Docker's "Image Manifest V2,
 * Schema 2" (manifest list + manifest). Every digest we read is validated
 * before it becomes a file name or a cache key; every document fetched by
 * digest is hashed and compared, so a tampered blob store cannot swap one.
 */
#include "util/json.h"
#include "image/oci_manifest.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/limits.h"

static const char *dupstr(struct dd_arena *a, const char *s)
{
	return s ? dd_arena_strdup(a, s) : NULL;
}

static dd_code parse_digest(const struct dd_json *obj, const char *what,
			    struct dd_arena *a, const char **out, struct dd_err *err)
{
	const char *d = dd_json_str(obj, "digest");
	if (!d)
		return dd_err_set(err, DD_EINVAL, "%s: missing \"digest\"", what);
	if (strncmp(d, "sha256:", 7) != 0 && strchr(d, ':'))
		return dd_err_set(err, DD_EUNSUPPORTED, "%s: digest algorithm of %.80s is not supported (sha256 only)", what, d);
	if (!dd_digest_valid(d, strlen(d)))
		return dd_err_set(err, DD_EINVAL, "%s: malformed digest \"%.80s\"", what, d);
	*out = dupstr(a, d);
	return DD_OK;
}

static void parse_platform(const struct dd_json *p, struct dd_arena *a,
			   struct dd_oci_platform *out)
{
	out->os = dupstr(a, dd_json_str(p, "os"));
	out->arch = dupstr(a, dd_json_str(p, "architecture"));
	out->variant = dupstr(a, dd_json_str(p, "variant"));
}

static dd_code parse_descriptor(const struct dd_json *o, const char *what,
				struct dd_arena *a, struct dd_oci_descriptor *d,
				struct dd_err *err)
{
	if (!o || o->type != DD_JSON_OBJECT)
		return dd_err_set(err, DD_EINVAL, "%s: descriptor is not an object", what);
	memset(d, 0, sizeof *d);
	d->media_type = dupstr(a, dd_json_str(o, "mediaType"));
	dd_code rc = parse_digest(o, what, a, &d->digest, err);
	if (rc)
		return rc;
	if (!dd_json_u64(o, "size", &d->size))
		return dd_err_set(err, DD_EINVAL, "%s: missing or bad \"size\"", what);
	const struct dd_json *p = dd_json_get(o, "platform");
	if (p && p->type == DD_JSON_OBJECT) {
		parse_platform(p, a, &d->platform);
		d->has_platform = d->platform.os && d->platform.arch;
	}
	const struct dd_json *ann = dd_json_get(o, "annotations");
	d->ref_name = dupstr(a, dd_json_str(ann, "org.opencontainers.image.ref.name"));
	return dd_arena_status(a) ? dd_err_set(err, DD_ENOMEM, "out of memory") : DD_OK;
}

static dd_code parse_root(const void *p, size_t n, size_t max, const char *what,
			  struct dd_arena *a, const struct dd_json **root,
			  struct dd_err *err)
{
	if (n > max)
		return dd_err_set(err, DD_ELIMIT, "%s is %zu bytes, more than the limit of %zu",
				  what, n, max);
	dd_code rc = dd_json_parse(p, n, a, root, err);
	if (rc)
		return dd_err_prefix(err, "%s: ", what);
	if ((*root)->type != DD_JSON_OBJECT)
		return dd_err_set(err, DD_EINVAL, "%s: not a JSON object", what);
	return DD_OK;
}

enum dd_oci_kind dd_oci_kind_of(const void *p, size_t n, const char *hint)
{
	const char *mt = hint;
	struct dd_arena *a = dd_arena_new(2 * DD_LIMIT_MANIFEST_BYTES + (1u << 20));
	const struct dd_json *root = NULL;
	enum dd_oci_kind kind = DD_OCI_KIND_UNKNOWN;
	if (a && n <= DD_LIMIT_MANIFEST_BYTES && !dd_json_parse(p, n, a, &root, NULL) &&
	    root->type == DD_JSON_OBJECT) {
		const char *inner = dd_json_str(root, "mediaType");
		if (inner)
			mt = inner;
		if (mt && (!strcmp(mt, DD_MT_OCI_INDEX) || !strcmp(mt, DD_MT_DOCKER_LIST)))
			kind = DD_OCI_KIND_INDEX;
		else if (mt && (!strcmp(mt, DD_MT_OCI_MANIFEST) || !strcmp(mt, DD_MT_DOCKER_MANIFEST)))
			kind = DD_OCI_KIND_MANIFEST;
		else if (dd_json_get(root, "manifests"))
			kind = DD_OCI_KIND_INDEX;
		else if (dd_json_get(root, "config") && dd_json_get(root, "layers"))
			kind = DD_OCI_KIND_MANIFEST;
	}
	dd_arena_free(a);
	return kind;
}

dd_code dd_oci_parse_index(const void *p, size_t n, struct dd_arena *a,
			   struct dd_oci_index *out, struct dd_err *err)
{
	const struct dd_json *root;
	memset(out, 0, sizeof *out);
	dd_code rc = parse_root(p, n, DD_LIMIT_MANIFEST_BYTES, "index", a, &root, err);
	if (rc)
		return rc;
	const struct dd_json *m = dd_json_get(root, "manifests");
	if (!m || m->type != DD_JSON_ARRAY)
		return dd_err_set(err, DD_EINVAL, "index: missing \"manifests\" array");
	if (m->n > DD_LIMIT_INDEX_ENTRIES)
		return dd_err_set(err, DD_ELIMIT, "index: %zu manifests, more than the limit of %d",
				  m->n, DD_LIMIT_INDEX_ENTRIES);
	out->manifests = dd_arena_alloc(a, (m->n ? m->n : 1) * sizeof *out->manifests);
	if (!out->manifests)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	size_t i = 0;
	for (const struct dd_json *c = m->first; c; c = c->next, i++) {
		char what[64];
		snprintf(what, sizeof what, "index: manifests[%zu]", i);
		if ((rc = parse_descriptor(c, what, a, &out->manifests[i], err)))
			return rc;
	}
	out->nmanifests = i;
	return DD_OK;
}

dd_code dd_oci_parse_manifest(const void *p, size_t n, struct dd_arena *a,
			      struct dd_oci_manifest *out, struct dd_err *err)
{
	const struct dd_json *root;
	memset(out, 0, sizeof *out);
	dd_code rc = parse_root(p, n, DD_LIMIT_MANIFEST_BYTES, "manifest", a, &root, err);
	if (rc)
		return rc;
	uint64_t schema = 0;
	if (dd_json_u64(root, "schemaVersion", &schema) && schema != 2)
		return dd_err_set(err, DD_EUNSUPPORTED, "manifest: schemaVersion %llu (only 2)",
				  (unsigned long long)schema);
	out->media_type = dupstr(a, dd_json_str(root, "mediaType"));
	if ((rc = parse_descriptor(dd_json_get(root, "config"), "manifest: config", a,
				   &out->config, err)))
		return rc;
	const struct dd_json *l = dd_json_get(root, "layers");
	if (!l || l->type != DD_JSON_ARRAY)
		return dd_err_set(err, DD_EINVAL, "manifest: missing \"layers\" array");
	if (l->n > DD_LIMIT_LAYERS)
		return dd_err_set(err, DD_ELIMIT, "manifest: %zu layers, more than the limit of %d",
				  l->n, DD_LIMIT_LAYERS);
	out->layers = dd_arena_alloc(a, (l->n ? l->n : 1) * sizeof *out->layers);
	if (!out->layers)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	size_t i = 0;
	for (const struct dd_json *c = l->first; c; c = c->next, i++) {
		char what[64];
		snprintf(what, sizeof what, "manifest: layers[%zu]", i);
		if ((rc = parse_descriptor(c, what, a, &out->layers[i], err)))
			return rc;
	}
	out->nlayers = i;
	return DD_OK;
}

dd_code dd_oci_parse_config(const void *p, size_t n, struct dd_arena *a,
			    struct dd_oci_config *out, struct dd_err *err)
{
	const struct dd_json *root;
	memset(out, 0, sizeof *out);
	dd_code rc = parse_root(p, n, DD_LIMIT_CONFIG_BYTES, "config", a, &root, err);
	if (rc)
		return rc;
	parse_platform(root, a, &out->platform);
	out->created = dupstr(a, dd_json_str(root, "created"));
	const struct dd_json *rootfs = dd_json_get(root, "rootfs");
	const struct dd_json *ids = dd_json_get(rootfs, "diff_ids");
	if (!ids || ids->type != DD_JSON_ARRAY)
		return dd_err_set(err, DD_EINVAL, "config: missing \"rootfs.diff_ids\" array");
	const char *type = dd_json_str(rootfs, "type");
	if (type && strcmp(type, "layers") != 0)
		return dd_err_set(err, DD_EUNSUPPORTED, "config: rootfs type \"%.40s\"", type);
	if (ids->n > DD_LIMIT_LAYERS)
		return dd_err_set(err, DD_ELIMIT, "config: %zu diff_ids, more than the limit of %d",
				  ids->n, DD_LIMIT_LAYERS);
	size_t cnt = ids->n ? ids->n : 1;
	out->diff_ids = dd_arena_alloc(a, cnt * sizeof *out->diff_ids);
	out->created_by = dd_arena_alloc(a, cnt * sizeof *out->created_by);
	if (!out->diff_ids || !out->created_by)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	size_t i = 0;
	for (const struct dd_json *c = ids->first; c; c = c->next, i++) {
		if (c->type != DD_JSON_STRING || !dd_digest_valid(c->str, c->len))
			return dd_err_set(err, DD_EINVAL, "config: rootfs.diff_ids[%zu] is not a sha256 digest", i);
		out->diff_ids[i] = dupstr(a, c->str);
	}
	out->ndiff_ids = i;
	/* history has one entry per Dockerfile step; steps that made no layer
	 * say "empty_layer": true. The others line up with diff_ids. */
	const struct dd_json *h = dd_json_get(root, "history");
	size_t li = 0;
	for (const struct dd_json *c = h && h->type == DD_JSON_ARRAY ? h->first : NULL;
	     c && li < out->ndiff_ids; c = c->next) {
		const struct dd_json *empty = dd_json_get(c, "empty_layer");
		if (empty && empty->type == DD_JSON_BOOL && empty->b)
			continue;
		out->created_by[li++] = dupstr(a, dd_json_str(c, "created_by"));
	}
	return dd_arena_status(a) ? dd_err_set(err, DD_ENOMEM, "out of memory") : DD_OK;
}

static dd_code string_array(const struct dd_json *arr, const char *what, size_t max,
			    struct dd_arena *a, const char ***out, size_t *n, struct dd_err *err)
{
	*out = NULL;
	*n = 0;
	if (!arr || arr->type == DD_JSON_NULL)
		return DD_OK;
	if (arr->type != DD_JSON_ARRAY)
		return dd_err_set(err, DD_EINVAL, "manifest.json: %s is not an array", what);
	if (arr->n > max)
		return dd_err_set(err, DD_ELIMIT, "manifest.json: %zu %s, more than the limit of %zu",
				  arr->n, what, max);
	*out = dd_arena_alloc(a, (arr->n ? arr->n : 1) * sizeof **out);
	if (!*out)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	for (const struct dd_json *c = arr->first; c; c = c->next) {
		if (c->type != DD_JSON_STRING || memchr(c->str, '\0', c->len))
			return dd_err_set(err, DD_EINVAL, "manifest.json: %s[%zu] is not a string",
					  what, *n);
		(*out)[(*n)++] = dupstr(a, c->str);
	}
	return DD_OK;
}

dd_code dd_docker_parse_manifest(const void *p, size_t n, struct dd_arena *a,
				 struct dd_docker_manifest *out, struct dd_err *err)
{
	const struct dd_json *root;
	memset(out, 0, sizeof *out);
	if (n > DD_LIMIT_MANIFEST_BYTES)
		return dd_err_set(err, DD_ELIMIT, "manifest.json is %zu bytes, more than the limit of %u",
				  n, DD_LIMIT_MANIFEST_BYTES);
	dd_code rc = dd_json_parse(p, n, a, &root, err);
	if (rc)
		return dd_err_prefix(err, "manifest.json: ");
	if (root->type != DD_JSON_ARRAY)
		return dd_err_set(err, DD_EINVAL, "manifest.json: not a JSON array");
	if (root->n == 0)
		return dd_err_set(err, DD_EINVAL, "manifest.json: no images in the archive");
	out->nimages = root->n;
	const struct dd_json *img = root->first;
	if (img->type != DD_JSON_OBJECT)
		return dd_err_set(err, DD_EINVAL, "manifest.json: [0] is not an object");
	out->config = dupstr(a, dd_json_str(img, "Config"));
	if (!out->config)
		return dd_err_set(err, DD_EINVAL, "manifest.json: [0] has no \"Config\"");
	if ((rc = string_array(dd_json_get(img, "RepoTags"), "RepoTags", 4096, a,
			       &out->repo_tags, &out->nrepo_tags, err)))
		return rc;
	if ((rc = string_array(dd_json_get(img, "Layers"), "Layers", DD_LIMIT_LAYERS, a,
			       &out->layers, &out->nlayers, err)))
		return rc;
	return dd_arena_status(a) ? dd_err_set(err, DD_ENOMEM, "out of memory") : DD_OK;
}

static const char *norm_arch(const char *arch)
{
	/* uname -m spellings people type; GOARCH is what images record. */
	if (!strcmp(arch, "x86_64") || !strcmp(arch, "x86-64"))
		return "amd64";
	if (!strcmp(arch, "aarch64"))
		return "arm64";
	return arch;
}

dd_code dd_oci_platform_parse(const char *s, struct dd_arena *a, struct dd_oci_platform *out,
			      struct dd_err *err)
{
	memset(out, 0, sizeof *out);
	if (!s || !*s) {
		out->os = "linux";
		out->arch = "amd64";
		return DD_OK;
	}
	const char *s1 = strchr(s, '/');
	if (!s1 || s1 == s || !s1[1])
		return dd_err_set(err, DD_EUSAGE, "platform \"%.80s\": expected os/arch[/variant]", s);
	const char *s2 = strchr(s1 + 1, '/');
	if (s2 && (s2 == s1 + 1 || !s2[1] || strchr(s2 + 1, '/')))
		return dd_err_set(err, DD_EUSAGE, "platform \"%.80s\": expected os/arch[/variant]", s);
	out->os = dd_arena_strndup(a, s, (size_t)(s1 - s));
	char *arch = s2 ? dd_arena_strndup(a, s1 + 1, (size_t)(s2 - s1 - 1))
			: dd_arena_strdup(a, s1 + 1);
	out->arch = arch ? dd_arena_strdup(a, norm_arch(arch)) : NULL;
	out->variant = s2 ? dd_arena_strdup(a, s2 + 1) : NULL;
	return dd_arena_status(a) ? dd_err_set(err, DD_ENOMEM, "out of memory") : DD_OK;
}

static bool platform_match(const struct dd_oci_platform *want, const struct dd_oci_platform *have)
{
	if (!have->os || !have->arch || strcmp(want->os, have->os) ||
	    strcmp(want->arch, norm_arch(have->arch)))
		return false;
	if (!want->variant)
		return true;
	if (have->variant)
		return strcmp(want->variant, have->variant) == 0;
	/* arm64 images usually omit the default variant v8. */
	return !strcmp(want->arch, "arm64") && !strcmp(want->variant, "v8");
}

static dd_code fetch_verified(const struct dd_oci_fetch *f, const struct dd_oci_descriptor *d,
			      size_t max, const char *what, struct dd_buf *b, struct dd_err *err)
{
	if (d->size > max)
		return dd_err_set(err, DD_ELIMIT, "%s %s is %llu bytes, more than the limit of %zu",
				  what, d->digest, (unsigned long long)d->size, max);
	dd_buf_reset(b);
	dd_code rc = f->fetch(f->ud, d->digest, max, b, err);
	if (rc)
		return rc;
	if (b->len != d->size)
		return dd_err_set(err, DD_EDIGEST, "%s %s: %zu bytes, the descriptor says %llu",
				  what, d->digest, b->len, (unsigned long long)d->size);
	char got[DD_DIGEST_STR];
	if ((rc = dd_sha256_buf(b->data, b->len, got, err)))
		return rc;
	if (strcmp(got, d->digest) != 0)
		return dd_err_set(err, DD_EDIGEST, "%s %s: content hashes to %s", what, d->digest, got);
	return DD_OK;
}

dd_code dd_oci_fetch_config(const struct dd_oci_fetch *f, const struct dd_oci_descriptor *d,
			    struct dd_arena *a, struct dd_oci_config *out, struct dd_err *err)
{
	struct dd_buf b;
	dd_buf_init(&b, DD_LIMIT_CONFIG_BYTES);
	dd_code rc = fetch_verified(f, d, DD_LIMIT_CONFIG_BYTES, "config", &b, err);
	if (!rc)
		rc = dd_oci_parse_config(b.data, b.len, a, out, err);
	dd_buf_release(&b);
	return rc;
}

static void list_platforms(const struct dd_oci_index *ix, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ix->nmanifests && o + 1 < cap; i++) {
		const struct dd_oci_platform *p = &ix->manifests[i].platform;
		int n = snprintf(buf + o, cap - o, "%s%s/%s%s%s", o ? ", " : "",
				 p->os ? p->os : "?", p->arch ? p->arch : "?",
				 p->variant ? "/" : "", p->variant ? p->variant : "");
		if (n < 0)
			break;
		o += (size_t)n;
	}
	if (!ix->nmanifests)
		snprintf(buf, cap, "none");
}

/* Picks one descriptor of an index. Candidates are those with the tag when
 * one is given, else all; among several, the platform decides. */
static dd_code select_desc(const struct dd_oci_index *ix, const char *tag,
			   const struct dd_oci_platform *want, const char *platform_str,
			   const struct dd_oci_descriptor **out, struct dd_err *err)
{
	const struct dd_oci_descriptor *only = NULL, *match = NULL;
	size_t ncand = 0, nmatch = 0;
	for (size_t i = 0; i < ix->nmanifests; i++) {
		const struct dd_oci_descriptor *d = &ix->manifests[i];
		if (tag && (!d->ref_name || strcmp(d->ref_name, tag) != 0))
			continue;
		ncand++;
		only = d;
		if (d->has_platform && platform_match(want, &d->platform)) {
			if (!match)
				match = d;
			nmatch++;
		}
	}
	if (tag && !ncand) {
		char tags[200];
		size_t o = 0;
		tags[0] = '\0';
		for (size_t i = 0; i < ix->nmanifests && o + 1 < sizeof tags; i++) {
			if (!ix->manifests[i].ref_name)
				continue;
			int n = snprintf(tags + o, sizeof tags - o, "%s%s", o ? ", " : "",
					 ix->manifests[i].ref_name);
			if (n < 0)
				break;
			o += (size_t)n;
		}
		return dd_err_set(err, DD_ENOTFOUND, "no image tagged \"%.60s\" (tags: %s)", tag,
				  o ? tags : "none");
	}
	if (!ncand)
		return dd_err_set(err, DD_ENOTFOUND, "the index lists no manifests (an empty image)");
	if (match) {
		*out = match;
		return DD_OK;
	}
	if (ncand == 1 && !only->has_platform) {
		*out = only;
		return DD_OK;
	}
	char plats[160];
	list_platforms(ix, plats, sizeof plats);
	return dd_err_set(err, DD_ENOTFOUND, "no manifest for platform %s%s; available: %s",
			  platform_str && *platform_str ? platform_str : "linux/amd64",
			  platform_str && *platform_str ? "" : " (the default; choose with --platform)",
			  plats);
}

dd_code dd_oci_resolve(const struct dd_oci_fetch *f, const void *root, size_t n,
		       const char *tag, const char *digest, const char *platform,
		       struct dd_arena *a, struct dd_oci_resolved *out, struct dd_err *err)
{
	memset(out, 0, sizeof *out);
	struct dd_oci_platform want;
	dd_code rc = dd_oci_platform_parse(platform, a, &want, err);
	if (rc)
		return rc;
	struct dd_buf b;
	dd_buf_init(&b, DD_LIMIT_MANIFEST_BYTES);
	const void *doc = root;
	size_t doclen = n;
	const char *doc_digest = NULL;
	struct dd_oci_descriptor d;
	if (digest) {
		/* A digest names the document directly; its size is not known
		 * from a descriptor, so bound it by the manifest limit. */
		if (!dd_digest_valid(digest, strlen(digest))) {
			rc = dd_err_set(err, DD_EINVAL, "\"%.80s\" is not a sha256 digest", digest);
			goto out;
		}
		if ((rc = f->fetch(f->ud, digest, DD_LIMIT_MANIFEST_BYTES, &b, err)))
			goto out;
		char got[DD_DIGEST_STR];
		if ((rc = dd_sha256_buf(b.data, b.len, got, err)))
			goto out;
		if (strcmp(got, digest) != 0) {
			rc = dd_err_set(err, DD_EDIGEST, "manifest %s: content hashes to %s", digest, got);
			goto out;
		}
		doc = b.data;
		doclen = b.len;
		doc_digest = dd_arena_strdup(a, digest);
		tag = NULL;
	}
	for (int depth = 0;; depth++) {
		enum dd_oci_kind kind = dd_oci_kind_of(doc, doclen, NULL);
		if (kind == DD_OCI_KIND_MANIFEST) {
			if ((rc = dd_oci_parse_manifest(doc, doclen, a, &out->manifest, err)))
				goto out;
			out->manifest_digest = doc_digest;
			break;
		}
		if (kind != DD_OCI_KIND_INDEX) {
			/* Parse as an index to get the precise JSON error. */
			struct dd_oci_index bad;
			rc = dd_oci_parse_index(doc, doclen, a, &bad, err);
			if (!rc)
				rc = dd_err_set(err, DD_EINVAL, "neither an image index nor a manifest");
			goto out;
		}
		if (depth >= DD_LIMIT_INDEX_DEPTH) {
			rc = dd_err_set(err, DD_ELIMIT, "image indexes nested deeper than %d",
					DD_LIMIT_INDEX_DEPTH);
			goto out;
		}
		struct dd_oci_index ix;
		if ((rc = dd_oci_parse_index(doc, doclen, a, &ix, err)))
			goto out;
		const struct dd_oci_descriptor *sel = NULL;
		if ((rc = select_desc(&ix, depth == 0 ? tag : NULL, &want, platform, &sel, err)))
			goto out;
		if (depth == 0)
			out->ref_name = sel->ref_name;
		d = *sel;
		if ((rc = fetch_verified(f, &d, DD_LIMIT_MANIFEST_BYTES, "manifest", &b, err)))
			goto out;
		doc = b.data;
		doclen = b.len;
		doc_digest = d.digest;
	}
	if (!out->manifest_digest) {
		char got[DD_DIGEST_STR];
		if ((rc = dd_sha256_buf(doc, doclen, got, err)))
			goto out;
		out->manifest_digest = dd_arena_strdup(a, got);
	}
	out->config_digest = out->manifest.config.digest;
	if ((rc = dd_oci_fetch_config(f, &out->manifest.config, a, &out->config, err)))
		goto out;
	if (out->config.ndiff_ids != out->manifest.nlayers) {
		rc = dd_err_set(err, DD_EINVAL, "manifest has %zu layers but the config lists %zu diff_ids",
				out->manifest.nlayers, out->config.ndiff_ids);
		goto out;
	}
out:
	dd_buf_release(&b);
	return rc;
}
