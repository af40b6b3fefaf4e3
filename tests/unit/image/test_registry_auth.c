/* SPDX-License-Identifier: Apache-2.0 */
/*
 * WWW-Authenticate and Link parsing (table-driven, with format → parse
 * round trips), base64, and credentials from a docker config written here,
 * including credential helpers played by shell scripts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dd_test.h"
#include "image/registry.h"

struct chal {
	const char *in;
	enum dd_auth_scheme scheme;
	const char *realm, *service, *scope;
};

static const struct chal chals[] = {
	{ "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
	  "scope=\"repository:library/alpine:pull\"",
	  DD_AUTH_BEARER, "https://auth.docker.io/token", "registry.docker.io",
	  "repository:library/alpine:pull" },
	{ "Basic realm=\"Registry Realm\"", DD_AUTH_BASIC, "Registry Realm", "", "" },
	/* Case-insensitive scheme and names, tokens unquoted, spaces around '='. */
	{ "bEaReR REALM = tok , Service=svc", DD_AUTH_BEARER, "tok", "svc", "" },
	/* "realm=" alone is a token68 (RFC 7235 §2.1), not a parameter. */
	{ "Bearer realm=", DD_AUTH_BEARER, "", "", "" },
	/* Several challenges: Bearer wins wherever it is. */
	{ "Basic realm=\"b\", Bearer realm=\"https://t/\",scope=\"a,b c\"", DD_AUTH_BEARER,
	  "https://t/", "", "a,b c" },
	{ "Negotiate, Basic realm=\"r\"", DD_AUTH_BASIC, "r", "", "" },
	{ "Negotiate abc123==, Basic realm=r", DD_AUTH_BASIC, "r", "", "" },
	{ "NTLM", DD_AUTH_OTHER, "", "", "" },
	/* Escapes in quoted strings; empty list elements. */
	{ ", ,Bearer realm=\"a\\\"b\\\\c\",,", DD_AUTH_BEARER, "a\"b\\c", "", "" },
	/* A repeated parameter keeps its first value; unknown ones are skipped. */
	{ "Bearer realm=\"one\",foo=bar,realm=\"two\",error=\"invalid_token\"", DD_AUTH_BEARER,
	  "one", "", "" },
};

DD_TEST(www_authenticate_good)
{
	for (size_t i = 0; i < sizeof chals / sizeof *chals; i++) {
		struct dd_www_auth a, b;
		struct dd_err err = { 0 };
		const char *in = chals[i].in;
		if (dd_registry_parse_www_authenticate(in, strlen(in), &a, &err) != DD_OK) {
			dd_test_fail(__FILE__, __LINE__, "%s: %s", in, err.msg);
			continue;
		}
		EXPECT_EQ_INT(a.scheme, chals[i].scheme);
		EXPECT_STR_EQ(a.realm, chals[i].realm);
		EXPECT_STR_EQ(a.service, chals[i].service);
		EXPECT_STR_EQ(a.scope, chals[i].scope);
		char buf[8192];
		size_t n = dd_registry_format_www_authenticate(&a, buf, sizeof buf);
		ASSERT_OK(dd_registry_parse_www_authenticate(buf, n, &b, &err), &err);
		EXPECT_TRUE(memcmp(&a, &b, sizeof a) == 0);
	}
}

static const char *const bad_chals[] = {
	"", "   ,  ", "=x", "Bearer realm=\"unterminated", "Bearer realm=\"a\" junk",
	"Bearer realm=\"a\x01\"", "Bearer realm=https://unquoted/", "Bearer(x)", "Bearer realm=\"a\\",
};

DD_TEST(www_authenticate_bad)
{
	for (size_t i = 0; i < sizeof bad_chals / sizeof *bad_chals; i++) {
		struct dd_www_auth a;
		struct dd_err err = { 0 };
		dd_code rc = dd_registry_parse_www_authenticate(bad_chals[i], strlen(bad_chals[i]),
								&a, &err);
		if (rc == DD_OK)
			dd_test_fail(__FILE__, __LINE__, "'%s' parsed", bad_chals[i]);
		EXPECT_TRUE(strstr(err.msg, "WWW-Authenticate") != NULL);
	}
	/* Over-long values are a limit, not a truncation. */
	static char big[DD_AUTH_REALM_MAX + 64];
	int n = snprintf(big, sizeof big, "Bearer realm=\"");
	memset(big + n, 'a', DD_AUTH_REALM_MAX);
	memcpy(big + n + DD_AUTH_REALM_MAX, "\"", 2);
	struct dd_www_auth a;
	struct dd_err err = { 0 };
	EXPECT_EQ_INT(dd_registry_parse_www_authenticate(big, strlen(big), &a, &err), DD_ELIMIT);
}

struct link {
	const char *in, *next;
	dd_code rc;
};

static const struct link links[] = {
	{ "</v2/_catalog?last=b&n=2>; rel=\"next\"", "/v2/_catalog?last=b&n=2", DD_OK },
	{ "<https://r/v2/x/tags/list?last=9>;rel=next", "https://r/v2/x/tags/list?last=9", DD_OK },
	{ "</a>; rel=\"prev\", </b>; rel=\"first next\"", "/b", DD_OK },
	{ "</a>; title=\"x;y, z\"; rel=\"NEXT\"", "/a", DD_OK },
	{ "</a>; rel=\"prev\"", "", DD_ENOTFOUND },
	{ "", "", DD_ENOTFOUND },
	{ "/a; rel=next", "", DD_EINVAL },
	{ "</a; rel=next", "", DD_EINVAL },
	{ "</a b>; rel=next", "", DD_EINVAL },
	{ "</a>; rel=\"next", "", DD_EINVAL },
	{ "</a> junk", "", DD_EINVAL },
};

DD_TEST(link_next)
{
	for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
		char url[DD_LINK_URL_MAX];
		struct dd_err err = { 0 };
		dd_code rc = dd_registry_parse_link_next(links[i].in, strlen(links[i].in), url, &err);
		if (rc != links[i].rc)
			dd_test_fail(__FILE__, __LINE__, "'%s': %s (%s), want %s", links[i].in,
				     dd_code_str(rc), err.msg, dd_code_str(links[i].rc));
		else if (rc == DD_OK)
			EXPECT_STR_EQ(url, links[i].next);
	}
}

DD_TEST(base64)
{
	unsigned char out[64];
	size_t n;
	struct dd_err err = { 0 };
	ASSERT_OK(dd_registry_base64_decode("YWxpY2U6czNjcmV0IHBhc3M=", 24, out, &n, &err), &err);
	EXPECT_STR_EQ((char *)out, "alice:s3cret pass");
	ASSERT_OK(dd_registry_base64_decode("YQ", 2, out, &n, &err), &err);
	EXPECT_EQ_INT(n, 1);
	EXPECT_EQ_INT(dd_registry_base64_decode("Y", 1, out, &n, &err), DD_EINVAL);
	EXPECT_EQ_INT(dd_registry_base64_decode("YW*j", 4, out, &n, &err), DD_EINVAL);
}

static void creds_case(const char *json, const char *registry, dd_code want_rc,
		       const char *want_user, const char *want_pass)
{
	char path[4096];
	snprintf(path, sizeof path, "%s", dd_test_write("config.json", json, strlen(json)));
	char *u = NULL, *p = NULL;
	struct dd_err err = { 0 };
	dd_code rc = dd_registry_config_creds(path, registry, &u, &p, &err);
	if (rc != want_rc)
		dd_test_fail(__FILE__, __LINE__, "%s in %s: %s (%s)", registry, json, dd_code_str(rc),
			     err.msg);
	if (want_user && rc == DD_OK) {
		EXPECT_STR_EQ(u, want_user);
		EXPECT_STR_EQ(p, want_pass);
	}
	/* Never the secret in an error message. */
	if (rc != DD_OK && want_pass)
		EXPECT_TRUE(strstr(err.msg, want_pass) == NULL);
	free(u);
	free(p);
}

DD_TEST(docker_config_credentials)
{
	/* "bob:pa:ss" — the password may contain ':' */
	const char *cfg = "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"Ym9iOnBhOnNz\"},"
			  "\"ghcr.io\":{\"auth\":\"YWxpY2U6eA==\"},"
			  "\"http://127.0.0.1:5000\":{\"username\":\"u\",\"password\":\"pw\"},"
			  "\"empty.io\":{}},\"credsStore\":\"desktop\"}";
	creds_case(cfg, "docker.io", DD_OK, "bob", "pa:ss");
	creds_case(cfg, "ghcr.io", DD_OK, "alice", "x");
	creds_case(cfg, "127.0.0.1:5000", DD_OK, "u", "pw");
	creds_case(cfg, "127.0.0.1:5001", DD_ENOTFOUND, NULL, NULL);
	creds_case(cfg, "ghcr.io.evil", DD_ENOTFOUND, NULL, NULL);
	creds_case(cfg, "empty.io", DD_ENOTFOUND, NULL, NULL);
	creds_case("{\"auths\":{\"x.io\":{\"auth\":\"bm9jb2xvbg==\"}}}", "x.io", DD_EINVAL, NULL,
		   "nocolon");
	creds_case("{\"auths\":{\"x.io\":{\"auth\":\"c2VjcmV0OnBhc3N3b3Jk\"", "x.io", DD_EINVAL,
		   NULL, "password");
	creds_case("{}", "x.io", DD_ENOTFOUND, NULL, NULL);
	char *u, *p;
	struct dd_err err = { 0 };
	EXPECT_EQ_INT(dd_registry_config_creds("/nonexistent/config.json", "x.io", &u, &p, &err),
		      DD_ENOTFOUND);
}

#include "util/alloc.h"

/* Every allocation of a credential lookup fails in turn: each run ends in
 * DD_OK or DD_ENOMEM/an error, never a crash or a leak (ASan checks). */
DD_TEST(docker_config_every_allocation_failure)
{
	const char *cfg = "{\"auths\":{\"x.io\":{\"auth\":\"Ym9iOnBhOnNz\"}}}";
	char path[4096];
	snprintf(path, sizeof path, "%s", dd_test_write("config.json", cfg, strlen(cfg)));
	for (unsigned long n = 1;; n++) {
		char *u = NULL, *p = NULL;
		struct dd_err err = { 0 };
		dd_alloc_fail_at(n);
		dd_code rc = dd_registry_config_creds(path, "x.io", &u, &p, &err);
		dd_alloc_fail_at(0);
		if (rc == DD_OK) {
			EXPECT_STR_EQ(u, "bob");
			EXPECT_STR_EQ(p, "pa:ss");
			free(u);
			free(p);
			break;
		}
		EXPECT_TRUE(u == NULL && p == NULL);
		if (n > 1000) {
			dd_test_fail(__FILE__, __LINE__, "never succeeded");
			break;
		}
	}
}

/* Credential helpers: shell scripts on a PATH of our own play
 * docker-credential-NAME, answering for the server they read on stdin. */
static void helper(const char *name, const char *body)
{
	char rel[128];
	snprintf(rel, sizeof rel, "bin/docker-credential-%s", name);
	char script[2048];
	snprintf(script, sizeof script, "#!/bin/sh\n[ \"$1\" = get ] || exit 9\nserver=$(cat)\n%s\n", body);
	const char *p = dd_test_write(rel, script, strlen(script));
	chmod(p, 0755);
}

DD_TEST(docker_credential_helpers)
{
	helper("good", "case $server in\n"
		       "  reg.example:5000) echo '{\"ServerURL\":\"reg.example:5000\",\"Username\":\"hu\",\"Secret\":\"hs3cret\"}' ;;\n"
		       "  https://index.docker.io/v1/) echo '{\"Username\":\"hub\",\"Secret\":\"hubpw\"}' ;;\n"
		       "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
		       "esac");
	helper("other", "echo '{\"Username\":\"other\",\"Secret\":\"otherpw\"}'");
	helper("garbage", "echo 'not json hs3cret'");
	helper("fails", "echo 'error: keychain locked'; echo more >&2; exit 3");
	helper("token", "echo '{\"Username\":\"<token>\",\"Secret\":\"refresh-hs3cret\"}'");
	helper("nosecret", "echo '{\"Username\":\"u\"}'");
	helper("deaf", "echo '{\"Username\":\"deaf\",\"Secret\":\"d\"}'"); /* never reads stdin... */
	char bin[4096], path[8192];
	snprintf(bin, sizeof bin, "%s/bin", dd_test_tmpdir());
	const char *old = getenv("PATH");
	char *saved = old ? strdup(old) : NULL;
	snprintf(path, sizeof path, "%s:%s", bin, old ? old : "/usr/bin:/bin");
	setenv("PATH", path, 1);

	const char *store = "{\"auths\":{\"reg.example:5000\":{},\"fallback.io\":{\"auth\":\"Ym9iOnBhOnNz\"}},"
			    "\"credsStore\":\"good\",\"credHelpers\":{\"special.io\":\"other\"}}";
	creds_case(store, "reg.example:5000", DD_OK, "hu", "hs3cret");
	creds_case(store, "docker.io", DD_OK, "hub", "hubpw");
	creds_case(store, "special.io", DD_OK, "other", "otherpw");  /* credHelpers first */
	creds_case(store, "fallback.io", DD_OK, "bob", "pa:ss");      /* helper has none: auths */
	creds_case(store, "none.io", DD_ENOTFOUND, NULL, NULL);
	creds_case("{\"credsStore\":\"garbage\"}", "x.io", DD_EINVAL, NULL, "hs3cret");
	creds_case("{\"credsStore\":\"fails\"}", "x.io", DD_EIO, NULL, NULL);
	creds_case("{\"credsStore\":\"token\"}", "x.io", DD_EUNSUPPORTED, NULL, "refresh-hs3cret");
	creds_case("{\"credsStore\":\"nosecret\"}", "x.io", DD_EINVAL, NULL, NULL);
	creds_case("{\"credsStore\":\"deaf\"}", "x.io", DD_OK, "deaf", "d");
	/* A name that could be a path is refused; a helper not installed
	 * leaves auths to answer, and says so when they cannot. */
	creds_case("{\"credsStore\":\"../../bin/sh\"}", "x.io", DD_EINVAL, NULL, NULL);
	creds_case("{\"credsStore\":\"absent\",\"auths\":{\"x.io\":{\"auth\":\"Ym9iOnBhOnNz\"}}}", "x.io",
		   DD_OK, "bob", "pa:ss");
	char *u = NULL, *p = NULL;
	struct dd_err err = { 0 };
	const char *cfg = "{\"credsStore\":\"absent\"}";
	char cpath[4096];
	snprintf(cpath, sizeof cpath, "%s", dd_test_write("absent.json", cfg, strlen(cfg)));
	EXPECT_EQ_INT(dd_registry_config_creds(cpath, "x.io", &u, &p, &err), DD_ENOTFOUND);
	EXPECT_TRUE(strstr(err.msg, "docker-credential-absent is not on PATH") != NULL);
	/* The failing helper's own message is shown, its stderr is not. */
	cfg = "{\"credsStore\":\"fails\"}";
	snprintf(cpath, sizeof cpath, "%s", dd_test_write("fails.json", cfg, strlen(cfg)));
	EXPECT_EQ_INT(dd_registry_config_creds(cpath, "x.io", &u, &p, &err), DD_EIO);
	EXPECT_TRUE(strstr(err.msg, "exit status 3: error: keychain locked") != NULL);
	EXPECT_TRUE(strstr(err.msg, "more") == NULL);
	if (saved) {
		setenv("PATH", saved, 1);
		free(saved);
	}
}
