/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registry image source end to end, against a real Distribution
 * registry on 127.0.0.1 (registry/registry_harness.h): an image read from
 * the registry gives the same image (config, diff_ids, kept files byte for
 * byte) as the same image read from its archive; --platform picks from an
 * index and a missing platform lists those available; the layer cache
 * keeps the registry from being asked for blobs it already knows (counted
 * in the proxy's request log); a dropped connection mid-layer is resumed
 * and a lying blob fails the load naming the layer.
 */
#include <stdlib.h>

#include "dd/registry.h"
#include "dd_test.h"
#include "image/image.h"
#include "registry/registry_harness.h"
#include "util/hash.h"
#include "util/path.h"

static uint32_t want_path(void *ud, const char *p, size_t n)
{
	(void)ud;
	return dd_path_match("var/lib/dpkg/**", p, n) || dd_path_match("etc/os-release", p, n) ||
	       dd_path_match("usr/lib/os-release", p, n) || dd_path_match("lib/apk/db/installed", p, n) ||
	       dd_path_match("etc/alpine-release", p, n) || dd_path_match("app/package*.json", p, n);
}

static const struct dd_fs_wants wants = { .path = want_path, .fingerprint = "test-registry-source-v1" };

struct loaded {
	struct dd_image *img;
	struct dd_fs *fs;
	struct dd_image_stats st;
};

static dd_code load(const char *ref, const char *host, const char *platform, bool cache,
		    struct loaded *l, struct dd_err *err)
{
	const char *ins[] = { host };
	struct dd_registry_opts ro = { .insecure = ins, .ninsecure = host ? 1 : 0,
				       .docker_config = "", .retry_base_ms = 20 };
	char cdir[4200];
	snprintf(cdir, sizeof cdir, "%s/cache", dd_test_tmpdir());
	struct dd_image_opts o = { .platform = platform, .cache_dir = cdir,
				   .flags = cache ? 0 : DD_IMAGE_NO_CACHE, .registry = &ro };
	memset(l, 0, sizeof *l);
	dd_code rc = dd_image_open(ref, &o, &l->img, err);
	if (!rc)
		rc = dd_image_load_fs(l->img, &wants, NULL, NULL, &l->fs, err);
	if (!rc)
		dd_image_stats(l->img, &l->st);
	return rc;
}

static void unload(struct loaded *l)
{
	dd_fs_free(l->fs);
	dd_image_close(l->img);
}

struct digest_acc {
	struct dd_sha256 h;
	size_t n;
};

static int add_file(const struct dd_fs_file *f, void *ud)
{
	struct digest_acc *a = ud;
	dd_sha256_update(&a->h, f->path, strlen(f->path) + 1);
	dd_sha256_update(&a->h, &f->type, sizeof f->type);
	dd_sha256_update(&a->h, &f->layer, sizeof f->layer);
	if (f->data)
		dd_sha256_update(&a->h, f->data, f->size);
	if (f->link)
		dd_sha256_update(&a->h, f->link, strlen(f->link));
	a->n++;
	return 0;
}

/* A digest over every kept path, type, layer and content, in fs order. */
static void fs_digest(const struct dd_fs *fs, char out[DD_DIGEST_STR], size_t *n)
{
	struct digest_acc a = { 0 };
	struct dd_err err;
	ASSERT_OK(dd_sha256_init(&a.h, &err), &err);
	dd_fs_each(fs, add_file, &a);
	dd_sha256_final(&a.h, out);
	*n = a.n;
}

static void same_image(const struct loaded *a, const struct loaded *b)
{
	const struct dd_image_info *ia = dd_image_info(a->img), *ib = dd_image_info(b->img);
	EXPECT_STR_EQ(ia->config_digest, ib->config_digest);
	ASSERT_EQ_INT(ia->nlayers, ib->nlayers);
	for (size_t i = 0; i < ia->nlayers; i++)
		EXPECT_STR_EQ(ia->layers[i].diff_id, ib->layers[i].diff_id);
	EXPECT_STR_EQ(ia->os, ib->os);
	EXPECT_STR_EQ(ia->arch, ib->arch);
	char da[DD_DIGEST_STR], db[DD_DIGEST_STR];
	size_t na, nb;
	fs_digest(a->fs, da, &na);
	fs_digest(b->fs, db, &nb);
	EXPECT_EQ_INT(na, nb);
	EXPECT_STR_EQ(da, db);
}

DD_TEST(registry_image_equals_archive_image)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	const char *oci = dd_test_shared("images/debian-bookworm-minbase.oci.tar");
	sh("skopeo copy --insecure-policy --dest-tls-verify=false oci-archive:%s "
	   "docker://%s/debian:bookworm >/dev/null", oci, r.host);
	push(&r, r.alpine, "alpine:3.10", NULL);
	struct dd_err err = { 0 };
	struct loaded a, b;
	char ref[4200];

	snprintf(ref, sizeof ref, "registry:%s/debian:bookworm", r.host);
	ASSERT_OK(load(ref, r.host, NULL, false, &a, &err), &err);
	snprintf(ref, sizeof ref, "oci-archive:%s", oci);
	ASSERT_OK(load(ref, NULL, NULL, false, &b, &err), &err);
	same_image(&a, &b);
	EXPECT_EQ_INT(a.st.layers_read, 3);
	EXPECT_TRUE(dd_fs_lookup(a.fs, "var/lib/dpkg/status") != NULL);
	/* The manifest digest is what the registry serves (skopeo kept it). */
	EXPECT_STR_EQ(dd_image_info(a.img)->manifest_digest, dd_image_info(b.img)->manifest_digest);
	unload(&a);
	unload(&b);

	/* A bare reference with a registry host, and docker://, mean the same. */
	snprintf(ref, sizeof ref, "%s/alpine:3.10", r.host);
	ASSERT_OK(load(ref, r.host, NULL, false, &a, &err), &err);
	snprintf(ref, sizeof ref, "docker-archive:%s", dd_test_shared("images/alpine-310.docker.tar.gz"));
	ASSERT_OK(load(ref, NULL, NULL, false, &b, &err), &err);
	same_image(&a, &b);
	EXPECT_STR_EQ(dd_image_info(a.img)->transport, "registry");
	unload(&a);
	unload(&b);
	snprintf(ref, sizeof ref, "docker://%s/alpine:3.10", r.host);
	ASSERT_OK(load(ref, r.host, NULL, false, &a, &err), &err);
	unload(&a);

	/* Missing tag: not found, naming the image. */
	snprintf(ref, sizeof ref, "registry:%s/alpine:nope", r.host);
	EXPECT_EQ_INT(load(ref, r.host, NULL, false, &a, &err), DD_ENOTFOUND);
	EXPECT_TRUE(strstr(err.msg, "alpine:nope") != NULL);
	stop_all();
}

DD_TEST(platform_is_chosen_from_an_index)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	const char *oci = dd_test_shared("images/debian-bookworm-minbase.oci.tar");
	push(&r, r.alpine, "multi:alpine", "--format oci");
	sh("skopeo copy --insecure-policy --dest-tls-verify=false oci-archive:%s "
	   "docker://%s/multi:debian >/dev/null", oci, r.host);
	struct dd_registry *reg = NULL;
	const char *ins[] = { r.host };
	struct dd_registry_opts ro = { .insecure = ins, .ninsecure = 1, .docker_config = "" };
	struct dd_err err = { 0 };
	ASSERT_OK(dd_registry_open(r.host, &ro, &reg, &err), &err);
	char *body, mt[128], da[72], dd[72];
	size_t al, dl;
	ASSERT_OK(dd_registry_get_manifest(reg, "multi", "alpine", &body, &al, mt, da, &err), &err);
	free(body);
	ASSERT_OK(dd_registry_get_manifest(reg, "multi", "debian", &body, &dl, mt, dd, &err), &err);
	free(body);
	dd_registry_close(reg);
	/* Platforms here are labels for selection: the debian image is amd64
	 * inside, the index calls it arm64/v8. */
	char idx[2048];
	int n = snprintf(idx, sizeof idx,
			 "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
			 "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
			 "\"digest\":\"%s\",\"size\":%zu,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
			 "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\","
			 "\"size\":%zu,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}",
			 da, al, dd, dl);
	char path[4096];
	snprintf(path, sizeof path, "%s", dd_test_write("index.json", idx, (size_t)n));
	sh("curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.index.v1+json' "
	   "--data-binary @%s http://%s/v2/multi/manifests/latest", path, r.host);

	struct loaded l;
	char ref[256];
	snprintf(ref, sizeof ref, "registry:%s/multi:latest", r.host);
	ASSERT_OK(load(ref, r.host, NULL, false, &l, &err), &err); /* default linux/amd64 */
	EXPECT_STR_EQ(dd_image_info(l.img)->manifest_digest, da);
	EXPECT_TRUE(dd_fs_lookup(l.fs, "lib/apk/db/installed") != NULL);
	unload(&l);
	ASSERT_OK(load(ref, r.host, "linux/arm64/v8", false, &l, &err), &err);
	EXPECT_STR_EQ(dd_image_info(l.img)->manifest_digest, dd);
	EXPECT_TRUE(dd_fs_lookup(l.fs, "var/lib/dpkg/status") != NULL);
	unload(&l);
	EXPECT_EQ_INT(load(ref, r.host, "linux/s390x", false, &l, &err), DD_ENOTFOUND);
	EXPECT_TRUE(strstr(err.msg, "linux/s390x") != NULL);
	EXPECT_TRUE(strstr(err.msg, "linux/amd64, linux/arm64/v8") != NULL);
	stop_all();
}

DD_TEST(layer_cache_spares_known_blobs)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	push(&r, r.alpine, "alpine:3.10", NULL);
	char node[4096];
	snprintf(node, sizeof node, "%s/node.tar", dd_test_tmpdir());
	sh("gzip -dc %s > %s", dd_test_shared("images/node-app.docker.tar.gz"), node);
	push(&r, node, "node-app:1", NULL);
	int pp = start_proxy(&r, "", NULL);
	char host[64], ref[256];
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	struct dd_err err = { 0 };
	struct loaded l;

	snprintf(ref, sizeof ref, "registry:%s/alpine:3.10", host);
	ASSERT_OK(load(ref, host, NULL, true, &l, &err), &err);
	EXPECT_EQ_INT(l.st.layers_read, 1);
	unload(&l);
	int alpine_blobs = count_requests("GET /v2/alpine/blobs/", " 200 ");
	EXPECT_EQ_INT(alpine_blobs, 2); /* config + layer */

	/* node-app = the alpine layer + /app: only its config and new layer
	 * are fetched; the alpine layer's diff_id is in the cache. */
	snprintf(ref, sizeof ref, "registry:%s/node-app:1", host);
	ASSERT_OK(load(ref, host, NULL, true, &l, &err), &err);
	const struct dd_image_info *info = dd_image_info(l.img);
	ASSERT_EQ_INT(info->nlayers, 2);
	EXPECT_EQ_INT(l.st.layers_cached, 1);
	EXPECT_EQ_INT(l.st.layers_read, 1);
	char base[300];
	snprintf(base, sizeof base, "GET /v2/node-app/blobs/%s", info->layers[0].digest);
	EXPECT_EQ_INT(count_requests(base, NULL), 0);
	EXPECT_EQ_INT(count_requests("GET /v2/node-app/blobs/", " 200 "), 2); /* config + /app layer */
	EXPECT_TRUE(dd_fs_lookup(l.fs, "lib/apk/db/installed") != NULL);
	EXPECT_TRUE(dd_fs_lookup(l.fs, "app/package.json") != NULL);
	unload(&l);

	/* A rescan fetches manifest and config only. */
	ASSERT_OK(load(ref, host, NULL, true, &l, &err), &err);
	EXPECT_EQ_INT(l.st.layers_cached, 2);
	EXPECT_EQ_INT(count_requests("GET /v2/node-app/blobs/", " 200 "), 3);
	unload(&l);
	stop_all();
}

DD_TEST(dropped_and_lying_layers)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	const char *oci = dd_test_shared("images/debian-bookworm-minbase.oci.tar");
	sh("skopeo copy --insecure-policy --dest-tls-verify=false oci-archive:%s "
	   "docker://%s/debian:bookworm >/dev/null", oci, r.host);
	int pp = start_proxy(&r, "--drop-blob-once", NULL);
	char host[64], ref[256];
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	snprintf(ref, sizeof ref, "registry:%s/debian:bookworm", host);
	struct dd_err err = { 0 };
	struct loaded a, b;
	ASSERT_OK(load(ref, host, NULL, false, &a, &err), &err);
	char path[4200];
	snprintf(path, sizeof path, "oci-archive:%s", oci);
	ASSERT_OK(load(path, NULL, NULL, false, &b, &err), &err);
	same_image(&a, &b);
	EXPECT_EQ_INT(count_requests("/blobs/", " 206 "), 3); /* every layer resumed */
	unload(&a);
	unload(&b);
	stop_all();

	start_registry(&r, REG_PLAIN);
	sh("skopeo copy --insecure-policy --dest-tls-verify=false oci-archive:%s "
	   "docker://%s/debian:bookworm >/dev/null", oci, r.host);
	pp = start_proxy(&r, "--lie-blob", NULL);
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	snprintf(ref, sizeof ref, "registry:%s/debian:bookworm", host);
	/* The config itself lies first: a clear digest error naming it. */
	EXPECT_EQ_INT(load(ref, host, NULL, false, &a, &err), DD_EDIGEST);
	EXPECT_TRUE(strstr(err.msg, "sha256:") != NULL);
	if (a.img)
		unload(&a);
	stop_all();

	/* Only the layers lie: the load fails naming the layer and both digests
	 * (layer.c checks what the registry source streams). */
	start_registry(&r, REG_PLAIN);
	sh("skopeo copy --insecure-policy --dest-tls-verify=false oci-archive:%s "
	   "docker://%s/debian:bookworm >/dev/null", oci, r.host);
	pp = start_proxy(&r, "--lie-big-blobs", NULL);
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	snprintf(ref, sizeof ref, "registry:%s/debian:bookworm", host);
	EXPECT_EQ_INT(load(ref, host, NULL, false, &a, &err), DD_EDIGEST);
	EXPECT_TRUE(strstr(err.msg, "layer ") != NULL);
	EXPECT_TRUE(strstr(err.msg, "blob digest mismatch") != NULL);
	if (a.img)
		unload(&a);
	stop_all();
}
