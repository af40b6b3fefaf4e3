/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registry client against a real Distribution registry
 * (/usr/bin/docker-registry) that each test starts on 127.0.0.1 in its
 * tmpdir, with images from ../shared/data/images pushed by skopeo. Variants:
 * htpasswd Basic auth, TLS from a CA the test makes with openssl, an OCI
 * index, and tests/realdata/registry/proxy.py in front (a dropped
 * connection mid-blob, a blob whose digest lies, 429/503, Docker token auth
 * and blob redirects to another origin), whose request log the tests count.
 * Every server is stopped at the end of its test (or of the run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_tree.h>

#include "dd_test.h"
#include "image/registry.h"
#include "util/hash.h"

#include "registry/registry_harness.h"

/* ---- manifest walking (test-only: the real parser is image/'s) ------------ */

struct layers {
	char config[DD_DIGEST_STR];
	char digest[8][DD_DIGEST_STR];
	unsigned long long size[8];
	size_t n;
};

static void manifest_layers(const char *body, struct layers *l)
{
	memset(l, 0, sizeof *l);
	yajl_val root = yajl_tree_parse(body, NULL, 0);
	ASSERT_TRUE(root != NULL);
	const char *cp[] = { "config", "digest", NULL }, *lp[] = { "layers", NULL };
	yajl_val c = yajl_tree_get(root, cp, yajl_t_string);
	yajl_val ls = yajl_tree_get(root, lp, yajl_t_array);
	ASSERT_TRUE(c && ls);
	snprintf(l->config, sizeof l->config, "%s", YAJL_GET_STRING(c));
	for (size_t i = 0; i < ls->u.array.len && i < 8; i++) {
		const char *dp[] = { "digest", NULL }, *sp[] = { "size", NULL };
		yajl_val d = yajl_tree_get(ls->u.array.values[i], dp, yajl_t_string);
		yajl_val s = yajl_tree_get(ls->u.array.values[i], sp, yajl_t_number);
		snprintf(l->digest[i], sizeof l->digest[i], "%s", YAJL_GET_STRING(d));
		l->size[i] = (unsigned long long)YAJL_GET_INTEGER(s);
		l->n++;
	}
	yajl_tree_free(root);
}

/* Streams a blob in small reads; returns the bytes or -1 (err set). */
static long long drain(struct dd_blob_stream *s, struct dd_err *err)
{
	char buf[3000];
	long long total = 0;
	ssize_t n;
	while ((n = s->read(s->ud, buf, sizeof buf, err)) > 0)
		total += n;
	s->close(s->ud);
	return n < 0 ? -1 : total;
}

static struct dd_registry *open_reg(const char *host, struct dd_registry_opts *o)
{
	struct dd_registry *reg = NULL;
	struct dd_err err = { 0 };
	o->docker_config = o->docker_config ? o->docker_config : "";
	o->retry_base_ms = o->retry_base_ms ? o->retry_base_ms : 50;
	ASSERT_OK(dd_registry_open(host, o, &reg, &err), &err);
	return reg;
}

/* Fetches the manifest of repo:tag, the config and every layer, verifying
 * digests; returns the number of layers. */
static size_t pull_all(struct dd_registry *reg, const char *repo, const char *tag)
{
	struct dd_err err = { 0 };
	char *body, mt[128], dg[72], *cfg;
	size_t len, clen;
	struct layers l;
	ASSERT_OK(dd_registry_get_manifest(reg, repo, tag, &body, &len, mt, dg, &err), &err);
	manifest_layers(body, &l);
	free(body);
	ASSERT_OK(dd_registry_get_blob(reg, repo, l.config, 1 << 20, &cfg, &clen, &err), &err);
	free(cfg);
	for (size_t i = 0; i < l.n; i++) {
		struct dd_blob_stream s;
		ASSERT_OK(dd_registry_open_blob(reg, repo, l.digest[i], l.size[i], 0, &s, &err), &err);
		long long got = drain(&s, &err);
		if (got < 0)
			dd_test_fail(__FILE__, __LINE__, "layer %zu: %s", i, err.msg);
		EXPECT_EQ_INT(got, (long long)l.size[i]);
	}
	return l.n;
}

/* ---- tests ----------------------------------------------------------------- */

DD_TEST(anonymous_pull_verifies_digests)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	push(&r, r.alpine, "alpine:3.10", NULL);
	const char *ins[] = { r.host };
	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 1 };
	struct dd_registry *reg = open_reg(r.host, &o);
	struct dd_err err = { 0 };
	char *body, mt[128], dg[72], dg2[72];
	size_t len;
	ASSERT_OK(dd_registry_get_manifest(reg, "alpine", "3.10", &body, &len, mt, dg, &err), &err);
	EXPECT_STR_EQ(mt, "application/vnd.docker.distribution.manifest.v2+json");
	/* The same digest skopeo reports for what it pushed. */
	char cmd[512], *out = NULL;
	snprintf(cmd, sizeof cmd, "skopeo inspect --tls-verify=false --format '{{.Digest}}' "
		 "docker://%s/alpine:3.10", r.host);
	ASSERT_EQ_INT(dd_test_run(cmd, &out), 0);
	EXPECT_TRUE(out && strncmp(out, dg, 71) == 0);
	free(out);
	free(body);
	/* By digest: verified against the reference. */
	ASSERT_OK(dd_registry_get_manifest(reg, "alpine", dg, &body, &len, mt, dg2, &err), &err);
	EXPECT_STR_EQ(dg, dg2);
	free(body);
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	/* Missing things are DD_ENOTFOUND with the registry's own words. */
	EXPECT_EQ_INT(dd_registry_get_manifest(reg, "alpine", "nope", &body, &len, mt, dg, &err),
		      DD_ENOTFOUND);
	EXPECT_TRUE(strstr(err.msg, "MANIFEST_UNKNOWN") != NULL);
	struct dd_blob_stream s;
	EXPECT_EQ_INT(dd_registry_open_blob(reg, "alpine", "sha256:" "0000000000000000000000000000000000000000000000000000000000000000", 0, 0, &s, &err),
		      DD_ENOTFOUND);
	struct dd_registry_stats st;
	dd_registry_stats(reg, &st);
	EXPECT_EQ_INT(st.retries, 0);
	EXPECT_EQ_INT(st.token_requests, 0);
	dd_registry_close(reg);
	stop_all();
}

DD_TEST(plain_http_needs_insecure_registry)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	struct dd_registry *reg = NULL;
	struct dd_err err = { 0 };
	struct dd_registry_opts o = { .docker_config = "", .retry_base_ms = 10 };
	/* localhost is not special-cased: no flag, no plain HTTP. */
	EXPECT_EQ_INT(dd_registry_open(r.host, &o, &reg, &err), DD_ENET);
	EXPECT_TRUE(strstr(err.msg, "--insecure-registry") != NULL);
	dd_registry_close(reg);
	stop_all();
}

static dd_code collect(void *ud, const char *name, struct dd_err *err)
{
	char *acc = ud;
	size_t l = strlen(acc);
	snprintf(acc + l, 4096 - l, "%s%s", l ? " " : "", name);
	return DD_OK;
}

DD_TEST(catalog_and_tags_follow_link_pages)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	push(&r, r.alpine, "alpine:3.10", NULL);
	push(&r, r.alpine, "alpine:latest", NULL);
	push(&r, r.alpine, "alpine:v1", NULL);
	push(&r, r.alpine, "team/a:1", NULL);
	push(&r, r.alpine, "zeta:1", NULL);
	int pp = start_proxy(&r, "", NULL);
	char host[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	const char *ins[] = { host };
	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 1, .page_size = 2 };
	struct dd_registry *reg = open_reg(host, &o);
	struct dd_err err = { 0 };
	char names[4096] = "";
	ASSERT_OK(dd_registry_list_catalog(reg, collect, names, &err), &err);
	EXPECT_STR_EQ(names, "alpine team/a zeta");
	names[0] = '\0';
	ASSERT_OK(dd_registry_list_tags(reg, "alpine", collect, names, &err), &err);
	/* Distribution 2.8 sends every tag in one page, in no set order. */
	EXPECT_TRUE(strlen(names) == strlen("3.10 latest v1") && strstr(names, "3.10") &&
		    strstr(names, "latest") && strstr(names, "v1"));
	/* Two names a page: two catalog pages (the second without a next Link). */
	EXPECT_EQ_INT(count_requests("/v2/_catalog", NULL), 2);
	EXPECT_EQ_INT(count_requests("/v2/_catalog?last=alpine", NULL), 0);
	EXPECT_EQ_INT(count_requests("/v2/_catalog?", "last=team"), 1);
	dd_registry_close(reg);
	stop_all();
}

DD_TEST(htpasswd_basic_auth)
{
	struct reg r;
	start_registry(&r, REG_HTPASSWD);
	push(&r, r.alpine, "alpine:3.10", "--dest-creds 'alice:s3cret pass'");
	const char *ins[] = { r.host };
	struct dd_err err = { 0 };
	char names[4096] = "";

	/* No credentials: a clear error, not a crash or a hang. */
	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 1 };
	struct dd_registry *reg = open_reg(r.host, &o);
	EXPECT_EQ_INT(dd_registry_list_tags(reg, "alpine", collect, names, &err), DD_ENET);
	EXPECT_TRUE(strstr(err.msg, "no credentials") != NULL);
	dd_registry_close(reg);

	/* Wrong password: unauthorized, and the password is not in the message. */
	struct dd_registry_opts bad = { .insecure = ins, .ninsecure = 1, .username = "alice",
					.password = "wrong-horse" };
	reg = open_reg(r.host, &bad);
	EXPECT_EQ_INT(dd_registry_list_tags(reg, "alpine", collect, names, &err), DD_ENET);
	EXPECT_TRUE(strstr(err.msg, "unauthorized") != NULL);
	EXPECT_TRUE(strstr(err.msg, "wrong-horse") == NULL);
	dd_registry_close(reg);

	/* Explicit credentials. */
	struct dd_registry_opts good = { .insecure = ins, .ninsecure = 1, .username = "alice",
					 .password = "s3cret pass" };
	reg = open_reg(r.host, &good);
	ASSERT_OK(dd_registry_list_tags(reg, "alpine", collect, names, &err), &err);
	EXPECT_STR_EQ(names, "3.10");
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	dd_registry_close(reg);

	/* From a docker config (auths.<host>.auth = base64 "alice:s3cret pass"). */
	char cfg[512];
	int n = snprintf(cfg, sizeof cfg,
			 "{\"auths\":{\"other.example\":{\"auth\":\"eDp5\"},"
			 "\"%s\":{\"auth\":\"YWxpY2U6czNjcmV0IHBhc3M=\"}}}", r.host);
	char path[4096];
	snprintf(path, sizeof path, "%s", dd_test_write("docker/config.json", cfg, (size_t)n));
	struct dd_registry_opts fromcfg = { .insecure = ins, .ninsecure = 1, .docker_config = path };
	reg = open_reg(r.host, &fromcfg);
	names[0] = '\0';
	ASSERT_OK(dd_registry_list_tags(reg, "alpine", collect, names, &err), &err);
	EXPECT_STR_EQ(names, "3.10");
	dd_registry_close(reg);
	stop_all();
}

DD_TEST(tls_with_self_made_ca)
{
	struct reg r;
	start_registry(&r, REG_TLS);
	push(&r, r.alpine, "alpine:3.10", NULL);
	struct dd_err err = { 0 };
	struct dd_registry *reg = NULL;
	char ca[4096];
	snprintf(ca, sizeof ca, "%s/ca.pem", dd_test_tmpdir());

	/* Unknown CA: refused, with the way out named. */
	struct dd_registry_opts plain = { .docker_config = "", .retry_base_ms = 10 };
	EXPECT_EQ_INT(dd_registry_open(r.host, &plain, &reg, &err), DD_ENET);
	EXPECT_TRUE(strstr(err.msg, "certificate") != NULL || strstr(err.msg, "SSL") != NULL);
	EXPECT_TRUE(strstr(err.msg, "--ca-file") != NULL);

	/* --ca-file: verified TLS. */
	struct dd_registry_opts withca = { .ca_file = ca };
	reg = open_reg(r.host, &withca);
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	dd_registry_close(reg);

	/* --insecure-registry: unverified TLS (still https, not plain HTTP). */
	const char *ins[] = { r.host };
	struct dd_registry_opts insecure = { .insecure = ins, .ninsecure = 1 };
	reg = open_reg(r.host, &insecure);
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	dd_registry_close(reg);
	stop_all();
}

DD_TEST(oci_index_is_served_as_index)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	const char *deb = dd_test_shared("images/debian-bookworm-minbase.docker.tar.gz");
	char debtar[4096];
	snprintf(debtar, sizeof debtar, "%s/debian.tar", dd_test_tmpdir());
	sh("gzip -dc %s > %s", deb, debtar);
	push(&r, r.alpine, "multi:alpine", "--format oci");
	push(&r, debtar, "multi:debian", "--format oci");
	const char *ins[] = { r.host };
	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 1 };
	struct dd_registry *reg = open_reg(r.host, &o);
	struct dd_err err = { 0 };
	char *a, *d, mt[128], da[72], dd[72];
	size_t al, dl;
	ASSERT_OK(dd_registry_get_manifest(reg, "multi", "alpine", &a, &al, mt, da, &err), &err);
	EXPECT_STR_EQ(mt, "application/vnd.oci.image.manifest.v1+json");
	ASSERT_OK(dd_registry_get_manifest(reg, "multi", "debian", &d, &dl, mt, dd, &err), &err);
	free(a);
	free(d);
	/* A two-platform index over them (the platforms are labels: the test
	 * is about serving and fetching an index, not about the images). */
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
	char *body;
	size_t len;
	char dg[72], want[72];
	ASSERT_OK(dd_registry_get_manifest(reg, "multi", "latest", &body, &len, mt, dg, &err), &err);
	EXPECT_STR_EQ(mt, "application/vnd.oci.image.index.v1+json");
	EXPECT_EQ_INT(len, n);
	EXPECT_TRUE(memcmp(body, idx, len) == 0);
	dd_sha256_buf(idx, (size_t)n, want, &err);
	EXPECT_STR_EQ(dg, want);
	free(body);
	/* The arm64 entry's image pulls completely (3 layers). */
	EXPECT_EQ_INT(pull_all(reg, "multi", dd), 3);
	dd_registry_close(reg);
	stop_all();
}

DD_TEST(connection_dropped_mid_blob_is_resumed)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	push(&r, r.alpine, "alpine:3.10", NULL);
	int pp = start_proxy(&r, "--drop-blob-once", NULL);
	char host[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	const char *ins[] = { host };
	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 1 };
	struct dd_registry *reg = open_reg(host, &o);
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	struct dd_registry_stats st;
	dd_registry_stats(reg, &st);
	/* The config and the layer were each cut once: the config (read
	 * whole) was fetched again, the layer stream resumed with a Range. */
	EXPECT_EQ_INT(st.retries, 2);
	EXPECT_EQ_INT(count_requests("/blobs/", "range=bytes="), 1);
	EXPECT_EQ_INT(count_requests("/blobs/", " 206 "), 1);
	dd_registry_close(reg);
	stop_all();
}

DD_TEST(blob_whose_digest_lies_is_an_error)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	push(&r, r.alpine, "alpine:3.10", NULL);
	int pp = start_proxy(&r, "--lie-blob", NULL);
	char host[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	const char *ins[] = { host };
	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 1 };
	struct dd_registry *reg = open_reg(host, &o);
	struct dd_err err = { 0 };
	char *body, mt[128], dg[72], *cfg;
	size_t len, clen;
	struct layers l;
	ASSERT_OK(dd_registry_get_manifest(reg, "alpine", "3.10", &body, &len, mt, dg, &err), &err);
	manifest_layers(body, &l);
	free(body);
	EXPECT_EQ_INT(dd_registry_get_blob(reg, "alpine", l.config, 1 << 20, &cfg, &clen, &err),
		      DD_EDIGEST);
	struct dd_blob_stream s;
	ASSERT_OK(dd_registry_open_blob(reg, "alpine", l.digest[0], l.size[0], 0, &s, &err), &err);
	EXPECT_EQ_INT(drain(&s, &err), -1);
	EXPECT_EQ_INT(err.code, DD_EDIGEST);
	EXPECT_TRUE(strstr(err.msg, l.digest[0]) != NULL);
	EXPECT_TRUE(strstr(err.msg, "content has digest") != NULL);
	dd_registry_close(reg);
	stop_all();
}

DD_TEST(throttled_and_unavailable_are_retried)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	push(&r, r.alpine, "alpine:3.10", NULL);
	int pp = start_proxy(&r, "--throttle-once", NULL);
	char host[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	const char *ins[] = { host };
	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 1 };
	struct dd_registry *reg = open_reg(host, &o);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct dd_registry_stats st;
	dd_registry_stats(reg, &st);
	EXPECT_EQ_INT(st.retries, 2);
	EXPECT_EQ_INT(count_requests("/manifests/", " 429 "), 1);
	EXPECT_EQ_INT(count_requests("/manifests/", " 503 "), 1);
	/* Retry-After: 1 was honoured (our own backoff is 50 ms here). */
	EXPECT_TRUE(t1.tv_sec - t0.tv_sec >= 1);
	dd_registry_close(reg);

	stop_all();
}

DD_TEST(bearer_token_flow_and_redirects_without_credentials)
{
	struct reg r;
	start_registry(&r, REG_PLAIN);
	push(&r, r.alpine, "alpine:3.10", NULL);
	int storage = 0;
	int pp = start_proxy(&r, "--bearer bob:hunter2 --redirect-blobs", &storage);
	char host[64], shost[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", pp);
	snprintf(shost, sizeof shost, "127.0.0.1:%d", storage);
	const char *ins[] = { host, shost };
	struct dd_err err = { 0 };

	/* Wrong password at the token realm: a clear error. */
	struct dd_registry_opts bad = { .insecure = ins, .ninsecure = 2, .username = "bob",
					.password = "nope" };
	struct dd_registry *reg = open_reg(host, &bad);
	char *body, mt[128], dg[72];
	size_t len;
	EXPECT_EQ_INT(dd_registry_get_manifest(reg, "alpine", "3.10", &body, &len, mt, dg, &err),
		      DD_ENET);
	EXPECT_TRUE(strstr(err.msg, "token") != NULL && strstr(err.msg, "nope") == NULL);
	dd_registry_close(reg);

	struct dd_registry_opts o = { .insecure = ins, .ninsecure = 2, .username = "bob",
				      .password = "hunter2" };
	reg = open_reg(host, &o);
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	EXPECT_EQ_INT(pull_all(reg, "alpine", "3.10"), 1);
	struct dd_registry_stats st;
	dd_registry_stats(reg, &st);
	/* One token for repository:alpine:pull, reused by every request. */
	EXPECT_EQ_INT(st.token_requests, 1);
	EXPECT_EQ_INT(st.redirects, 4);
	/* The storage origin got the blobs and never an Authorization header. */
	char sp[16];
	snprintf(sp, sizeof sp, "%d ", storage);
	EXPECT_EQ_INT(count_requests(sp, "auth=yes"), 0);
	EXPECT_EQ_INT(count_requests(sp, " 200 "), 4);
	dd_registry_close(reg);
	stop_all();
}
