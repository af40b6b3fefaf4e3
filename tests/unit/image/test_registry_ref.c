/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image reference parsing: Docker Hub defaulting, registry detection
 * (".", ":", "localhost", upper case, [IPv6]), tags versus ports, digests,
 * and the errors for each malformed part. Table-driven.
 */
#include <stdio.h>
#include <string.h>

#include "dd/registry.h"
#include "dd_test.h"

struct good {
	const char *in, *registry, *repository, *tag, *digest, *canonical;
};

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct good goods[] = {
	{ "alpine", "docker.io", "library/alpine", "latest", "", "docker.io/library/alpine:latest" },
	{ "alpine:3.19", "docker.io", "library/alpine", "3.19", "", "docker.io/library/alpine:3.19" },
	{ "library/alpine:3.19", "docker.io", "library/alpine", "3.19", "", NULL },
	{ "docker.io/alpine", "docker.io", "library/alpine", "latest", "", NULL },
	{ "index.docker.io/alpine:3", "docker.io", "library/alpine", "3", "", NULL },
	{ "bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", "", NULL },
	{ "ghcr.io/org/app:1.2", "ghcr.io", "org/app", "1.2", "", "ghcr.io/org/app:1.2" },
	{ "quay.io/a/b/c", "quay.io", "a/b/c", "latest", "", NULL },
	{ "localhost/app", "localhost", "app", "latest", "", NULL },
	{ "localhost:5000/app:v1", "localhost:5000", "app", "v1", "", NULL },
	{ "127.0.0.1:5000/alpine:3.10", "127.0.0.1:5000", "alpine", "3.10", "", NULL },
	{ "127.0.0.1:5000/alpine@sha256:" D64, "127.0.0.1:5000", "alpine", "", "sha256:" D64,
	  "127.0.0.1:5000/alpine@sha256:" D64 },
	{ "alpine:3.10@sha256:" D64, "docker.io", "library/alpine", "3.10", "sha256:" D64, NULL },
	{ "[::1]:5000/x", "[::1]:5000", "x", "latest", "", NULL },
	{ "Registry/x", "Registry", "x", "latest", "", NULL }, /* upper case => a host */
	{ "my-host/x", "docker.io", "my-host/x", "latest", "", NULL },
	{ "a__b-c---d/e_f.g:TAG_1.x-y", "docker.io", "a__b-c---d/e_f.g", "TAG_1.x-y", "", NULL },
	{ "localhost:5000", "docker.io", "library/localhost", "5000", "", NULL },
};

DD_TEST(good_references)
{
	for (size_t i = 0; i < sizeof goods / sizeof *goods; i++) {
		const struct good *g = &goods[i];
		struct dd_registry_ref r;
		struct dd_err err = { 0 };
		dd_code rc = dd_registry_ref_parse(g->in, strlen(g->in), &r, &err);
		if (rc != DD_OK) {
			dd_test_fail(__FILE__, __LINE__, "%s: %s", g->in, err.msg);
			continue;
		}
		EXPECT_STR_EQ(r.registry, g->registry);
		EXPECT_STR_EQ(r.repository, g->repository);
		EXPECT_STR_EQ(r.tag, g->tag);
		EXPECT_STR_EQ(r.digest, g->digest);
		char buf[600];
		size_t n = dd_registry_ref_format(&r, buf, sizeof buf);
		EXPECT_EQ_INT(n, strlen(buf));
		if (g->canonical)
			EXPECT_STR_EQ(buf, g->canonical);
		/* The canonical form parses to the same reference. */
		struct dd_registry_ref again;
		ASSERT_OK(dd_registry_ref_parse(buf, n, &again, &err), &err);
		EXPECT_TRUE(memcmp(&r, &again, sizeof r) == 0);
	}
}

struct bad {
	const char *in;
	dd_code code;
	const char *msg_part;
};

static const struct bad bads[] = {
	{ "", DD_EINVAL, "empty" },
	{ "Alpine", DD_EINVAL, "lowercase" },
	{ "docker.io/Library/alpine", DD_EINVAL, "lowercase" },
	{ "alpine:", DD_EINVAL, "tag ''" },
	{ "alpine:.x", DD_EINVAL, "tag '.x'" },
	{ "alpine:a/b", DD_EINVAL, "registry 'alpine:a'" },
	{ "alpine@sha256:abc", DD_EINVAL, "64 lower-case hex" },
	{ "alpine@sha256:" D64 "0", DD_EINVAL, "64 lower-case hex" },
	{ "alpine@sha512:" D64 D64, DD_EUNSUPPORTED, "sha512" },
	{ "alpine@", DD_EINVAL, "ALGORITHM:HEX" },
	{ "-alpine", DD_EINVAL, "path component '-alpine'" },
	{ "alp--ine_", DD_EINVAL, "path component" },
	{ "a...b", DD_EINVAL, "path component" },
	{ "a//b", DD_EINVAL, "path component ''" },
	{ "host:99999/x", DD_EINVAL, "HOST[:PORT]" },
	{ "host:0/x", DD_EINVAL, "HOST[:PORT]" },
	{ "-host.io/x", DD_EINVAL, "HOST[:PORT]" },
	{ "ho_st.io/x", DD_EINVAL, "HOST[:PORT]" },
	{ "[::1/x", DD_EINVAL, "HOST[:PORT]" },
	{ "[zz]:1/x", DD_EINVAL, "HOST[:PORT]" },
	{ ":tag", DD_EINVAL, "no name" },
	{ "@sha256:" D64, DD_EINVAL, "no name" },
};

DD_TEST(bad_references)
{
	for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
		struct dd_registry_ref r;
		struct dd_err err = { 0 };
		dd_code rc = dd_registry_ref_parse(bads[i].in, strlen(bads[i].in), &r, &err);
		if (rc != bads[i].code || !strstr(err.msg, bads[i].msg_part))
			dd_test_fail(__FILE__, __LINE__, "'%s': got %s '%s', want %s '...%s...'",
				     bads[i].in, dd_code_str(rc), err.msg,
				     dd_code_str(bads[i].code), bads[i].msg_part);
	}
}

DD_TEST(length_limits)
{
	char buf[1024];
	struct dd_registry_ref r;
	struct dd_err err = { 0 };
	/* 255 bytes of name is fine, 256 is not (docker.io/ + library/ count). */
	memset(buf, 'a', sizeof buf);
	size_t ok = 255 - strlen("docker.io/library/");
	EXPECT_EQ_INT(dd_registry_ref_parse(buf, ok, &r, &err), DD_OK);
	EXPECT_EQ_INT(dd_registry_ref_parse(buf, ok + 1, &r, &err), DD_ELIMIT);
	EXPECT_EQ_INT(dd_registry_ref_parse(buf, sizeof buf, &r, &err), DD_ELIMIT);
	/* Tags: 128 fine, 129 not. */
	memcpy(buf, "x:", 2);
	memset(buf + 2, 't', 129);
	EXPECT_EQ_INT(dd_registry_ref_parse(buf, 2 + 128, &r, &err), DD_OK);
	EXPECT_EQ_INT(dd_registry_ref_parse(buf, 2 + 129, &r, &err), DD_EINVAL);
	/* NUL bytes inside are refused, never truncated silently. */
	EXPECT_EQ_INT(dd_registry_ref_parse("alpine\0x", 8, &r, &err), DD_EINVAL);
}

DD_TEST(endpoint)
{
	EXPECT_STR_EQ(dd_registry_endpoint("docker.io"), "registry-1.docker.io");
	EXPECT_STR_EQ(dd_registry_endpoint("ghcr.io"), "ghcr.io");
	EXPECT_STR_EQ(dd_registry_endpoint("127.0.0.1:5000"), "127.0.0.1:5000");
}
