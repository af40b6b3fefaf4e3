/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a registry says about authentication and paging, and where our
 * credentials come from:
 *
 *  - WWW-Authenticate (RFC 7235 §4.1 with the list rules of RFC 7230 §7):
 *    one field may carry several challenges, "Bearer realm=...,service=..."
 *    or "Basic realm=...", and a comma separates both challenges and their
 *    parameters, so a comma followed by "name=" continues the current
 *    challenge and a comma followed by a bare token starts the next one.
 *    The Bearer parameters (realm, service, scope) drive the token flow of
 *    Docker's token authentication spec (distribution/docs/spec/auth/token.md).
 *  - Link (RFC 8288): the distribution spec pages /v2/_catalog and
 *    tags/list with `Link: </v2/_catalog?last=x&n=100>; rel="next"`.
 *  - ~/.docker/config.json: `auths` maps a registry to base64 "user:pass";
 *    credHelpers / credsStore name a credential helper program, run by
 *    registry_credhelper.c.
 *
 * Everything here reads untrusted text with pointer + length and fixed
 * caps; nothing is printed, and no secret reaches an error message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/registry.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/limits.h"

/* RFC 7230 §3.2.6 tchar */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* token68 (RFC 7235 §2.1): 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
static bool is_t68char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~+/", c) != NULL);
}

struct cursor {
	const char *s;
	size_t n, i;
};

static void skip_ows(struct cursor *c)
{
	while (c->i < c->n && is_ows((unsigned char)c->s[c->i]))
		c->i++;
}

static size_t token_len(const struct cursor *c, size_t at)
{
	size_t j = at;
	while (j < c->n && is_tchar((unsigned char)c->s[j]))
		j++;
	return j - at;
}

/* At c->i: does "token BWS = BWS" start an auth-param here (rather than a
 * token68 such as "abc==" or the next challenge's scheme)? */
static bool param_starts(const struct cursor *c)
{
	size_t t = token_len(c, c->i);
	if (t == 0)
		return false;
	size_t j = c->i + t;
	while (j < c->n && is_ows((unsigned char)c->s[j]))
		j++;
	if (j >= c->n || c->s[j] != '=')
		return false;
	j++;
	while (j < c->n && is_ows((unsigned char)c->s[j]))
		j++;
	/* "abc==" or "abc=" then end/comma: a token68 ending in padding. */
	return j < c->n && c->s[j] != '=' && c->s[j] != ',';
}

/* Reads a token or a quoted-string into out (cap bytes incl. NUL); a value
 * longer than that is DD_ELIMIT. */
static dd_code read_value(struct cursor *c, char *out, size_t cap, const char *what,
			  struct dd_err *err)
{
	size_t o = 0;
	if (c->i < c->n && c->s[c->i] == '"') {
		c->i++;
		for (;;) {
			if (c->i >= c->n)
				return dd_err_set(err, DD_EINVAL, "%s: unterminated quoted string",
						  what);
			unsigned char ch = (unsigned char)c->s[c->i++];
			if (ch == '"')
				break;
			if (ch == '\\') {
				if (c->i >= c->n)
					return dd_err_set(err, DD_EINVAL,
							  "%s: unterminated quoted string", what);
				ch = (unsigned char)c->s[c->i++];
			}
			/* qdtext / quoted-pair: HTAB, SP, VCHAR, obs-text; no controls */
			if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				return dd_err_set(err, DD_EINVAL,
						  "%s: control character at offset %zu", what,
						  c->i - 1);
			if (o + 1 >= cap)
				return dd_err_set(err, DD_ELIMIT, "%s: value longer than %zu bytes",
						  what, cap - 1);
			if (out)
				out[o] = (char)ch;
			o++;
		}
	} else {
		size_t t = token_len(c, c->i);
		if (t == 0)
			return dd_err_set(err, DD_EINVAL,
					  "%s: expected a token or quoted string at offset %zu",
					  what, c->i);
		if (t + 1 > cap)
			return dd_err_set(err, DD_ELIMIT, "%s: value longer than %zu bytes", what,
					  cap - 1);
		if (out)
			memcpy(out, c->s + c->i, t);
		o = t;
		c->i += t;
	}
	if (out)
		out[o] = '\0';
	return DD_OK;
}

static bool name_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

dd_code dd_registry_parse_www_authenticate(const char *s, size_t n, struct dd_www_auth *out,
					   struct dd_err *err)
{
	static const char what[] = "WWW-Authenticate";
	struct cursor c = { s, n, 0 };
	struct dd_www_auth cur;
	bool have = false;
	dd_code rc;

	memset(out, 0, sizeof *out);
	if (n > DD_LIMIT_HTTP_FIELD_BYTES)
		return dd_err_set(err, DD_ELIMIT, "%s: longer than %u bytes", what,
				  DD_LIMIT_HTTP_FIELD_BYTES);
	for (unsigned nch = 0;; nch++) {
		/* 1#element allows empty elements: ", , Basic" */
		while (c.i < n && (is_ows((unsigned char)s[c.i]) || s[c.i] == ','))
			c.i++;
		if (c.i >= n)
			break;
		if (nch >= 16)
			return dd_err_set(err, DD_ELIMIT, "%s: more than 16 challenges", what);
		size_t t = token_len(&c, c.i);
		if (t == 0)
			return dd_err_set(err, DD_EINVAL,
					  "%s: expected an auth scheme at offset %zu", what, c.i);
		memset(&cur, 0, sizeof cur);
		if (name_is(s + c.i, t, "Bearer"))
			cur.scheme = DD_AUTH_BEARER;
		else if (name_is(s + c.i, t, "Basic"))
			cur.scheme = DD_AUTH_BASIC;
		else
			cur.scheme = DD_AUTH_OTHER;
		if (cur.scheme == DD_AUTH_OTHER)
			snprintf(cur.other, sizeof cur.other, "%.*s", (int)(t < 63 ? t : 63), s + c.i);
		c.i += t;
		if (c.i < n && !is_ows((unsigned char)s[c.i]) && s[c.i] != ',')
			return dd_err_set(err, DD_EINVAL,
					  "%s: unexpected '%c' after the scheme at offset %zu", what,
					  s[c.i], c.i);
		skip_ows(&c);
		if (c.i < n && s[c.i] != ',' && !param_starts(&c)) {
			/* token68: kept by nobody (registries use params), but skipped
			 * correctly so the next challenge parses. */
			size_t j = c.i;
			while (j < n && is_t68char((unsigned char)s[j]))
				j++;
			if (j == c.i)
				return dd_err_set(err, DD_EINVAL,
						  "%s: unexpected '%c' at offset %zu", what, s[j], j);
			while (j < n && s[j] == '=')
				j++;
			c.i = j;
			skip_ows(&c);
			if (c.i < n && s[c.i] != ',')
				return dd_err_set(err, DD_EINVAL,
						  "%s: expected ',' at offset %zu", what, c.i);
		} else {
			for (unsigned np = 0; c.i < n && param_starts(&c); np++) {
				if (np >= 32)
					return dd_err_set(err, DD_ELIMIT,
							  "%s: more than 32 parameters", what);
				size_t nl = token_len(&c, c.i);
				const char *name = s + c.i;
				c.i += nl;
				skip_ows(&c);
				c.i++; /* '=' (param_starts checked it) */
				skip_ows(&c);
				char *dst = NULL;
				size_t cap = DD_AUTH_PARAM_MAX;
				/* RFC 7235 §2.2: parameter names are case-insensitive;
				 * a repeated name keeps its first value. */
				if (name_is(name, nl, "realm") && !cur.realm[0])
					dst = cur.realm, cap = sizeof cur.realm;
				else if (name_is(name, nl, "service") && !cur.service[0])
					dst = cur.service;
				else if (name_is(name, nl, "scope") && !cur.scope[0])
					dst = cur.scope;
				else if (name_is(name, nl, "error") && !cur.error[0])
					dst = cur.error;
				rc = read_value(&c, dst, dst ? cap : DD_AUTH_REALM_MAX, what, err);
				if (rc)
					return rc;
				skip_ows(&c);
				if (c.i >= n)
					break;
				if (s[c.i] != ',')
					return dd_err_set(err, DD_EINVAL,
							  "%s: expected ',' at offset %zu", what, c.i);
				while (c.i < n && (is_ows((unsigned char)s[c.i]) || s[c.i] == ','))
					c.i++;
			}
		}
		/* Preference: Bearer, then Basic, then whatever came first. */
		if (!have || (cur.scheme == DD_AUTH_BEARER && out->scheme != DD_AUTH_BEARER) ||
		    (cur.scheme == DD_AUTH_BASIC && out->scheme == DD_AUTH_OTHER)) {
			*out = cur;
			have = true;
		}
	}
	if (!have)
		return dd_err_set(err, DD_ENOTFOUND, "%s: no challenge", what);
	return DD_OK;
}

static size_t put_param(char *buf, size_t n, size_t at, bool *first, const char *name,
			const char *v)
{
	if (!v[0])
		return at;
	size_t need = at;
	char *p = buf;
#define PUT(ch)                                  \
	do {                                     \
		if (need + 1 < n)                \
			p[need] = (ch);          \
		need++;                          \
	} while (0)
	PUT(*first ? ' ' : ',');
	*first = false;
	for (const char *q = name; *q; q++)
		PUT(*q);
	PUT('=');
	PUT('"');
	for (const char *q = v; *q; q++) {
		if (*q == '"' || *q == '\\')
			PUT('\\');
		PUT(*q);
	}
	PUT('"');
#undef PUT
	return need;
}

size_t dd_registry_format_www_authenticate(const struct dd_www_auth *a, char *buf, size_t n)
{
	const char *scheme = a->scheme == DD_AUTH_BEARER ? "Bearer"
			     : a->scheme == DD_AUTH_BASIC ? "Basic"
							  : a->other;
	int len = snprintf(buf, n, "%s", scheme);
	size_t at = len < 0 ? 0 : (size_t)len;
	bool first = true;
	at = put_param(buf, n, at, &first, "realm", a->realm);
	at = put_param(buf, n, at, &first, "service", a->service);
	at = put_param(buf, n, at, &first, "scope", a->scope);
	at = put_param(buf, n, at, &first, "error", a->error);
	if (n)
		buf[at < n ? at : n - 1] = '\0';
	return at;
}

dd_code dd_registry_parse_link_next(const char *s, size_t n, char url[DD_LINK_URL_MAX],
				    struct dd_err *err)
{
	static const char what[] = "Link";
	struct cursor c = { s, n, 0 };
	char rel[DD_AUTH_PARAM_MAX];

	url[0] = '\0';
	if (n > DD_LIMIT_HTTP_FIELD_BYTES)
		return dd_err_set(err, DD_ELIMIT, "%s: longer than %u bytes", what,
				  DD_LIMIT_HTTP_FIELD_BYTES);
	for (unsigned nl = 0;; nl++) {
		while (c.i < n && (is_ows((unsigned char)s[c.i]) || s[c.i] == ','))
			c.i++;
		if (c.i >= n)
			break;
		if (nl >= 64)
			return dd_err_set(err, DD_ELIMIT, "%s: more than 64 links", what);
		if (s[c.i] != '<')
			return dd_err_set(err, DD_EINVAL, "%s: expected '<' at offset %zu", what,
					  c.i);
		const char *target = s + c.i + 1;
		const char *end = memchr(target, '>', n - c.i - 1);
		if (!end)
			return dd_err_set(err, DD_EINVAL, "%s: unterminated '<' at offset %zu",
					  what, c.i);
		size_t tlen = (size_t)(end - target);
		for (size_t k = 0; k < tlen; k++)
			if ((unsigned char)target[k] <= 0x20 || target[k] == 0x7f)
				return dd_err_set(err, DD_EINVAL,
						  "%s: space or control character in the URL", what);
		c.i = (size_t)(end - s) + 1;
		bool next = false;
		for (unsigned np = 0;; np++) {
			skip_ows(&c);
			if (c.i >= n || s[c.i] != ';')
				break;
			if (np >= 32)
				return dd_err_set(err, DD_ELIMIT, "%s: more than 32 parameters",
						  what);
			c.i++;
			skip_ows(&c);
			size_t t = token_len(&c, c.i);
			if (t == 0)
				return dd_err_set(err, DD_EINVAL,
						  "%s: expected a parameter at offset %zu", what, c.i);
			bool is_rel = name_is(s + c.i, t, "rel");
			c.i += t;
			skip_ows(&c);
			if (c.i >= n || s[c.i] != '=')
				continue; /* a parameter without a value (RFC 8288 allows it) */
			c.i++;
			skip_ows(&c);
			dd_code rc = read_value(&c, is_rel ? rel : NULL, sizeof rel, what, err);
			if (rc)
				return rc;
			if (is_rel) {
				/* rel is a space-separated list of relation types. */
				for (char *p = rel; *p;) {
					while (*p == ' ')
						p++;
					size_t w = strcspn(p, " ");
					if (w == 4 && strncasecmp(p, "next", 4) == 0)
						next = true;
					p += w;
				}
			}
		}
		if (c.i < n && s[c.i] != ',')
			return dd_err_set(err, DD_EINVAL, "%s: expected ',' at offset %zu", what,
					  c.i);
		if (next && !url[0]) {
			if (tlen + 1 > DD_LINK_URL_MAX)
				return dd_err_set(err, DD_ELIMIT, "%s: URL longer than %d bytes",
						  what, DD_LINK_URL_MAX - 1);
			memcpy(url, target, tlen);
			url[tlen] = '\0';
		}
	}
	return url[0] ? DD_OK : DD_ENOTFOUND;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

dd_code dd_registry_base64_decode(const char *s, size_t n, unsigned char *out, size_t *out_len,
				  struct dd_err *err)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	while (n > 0 && s[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value((unsigned char)s[i]);
		if (v < 0)
			return dd_err_set(err, DD_EINVAL, "base64: bad character at offset %zu", i);
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (bits >= 6)
		return dd_err_set(err, DD_EINVAL, "base64: truncated input");
	out[o] = '\0';
	*out_len = o;
	return DD_OK;
}

/* The keys docker login has used for a registry, most specific first. */
static bool key_matches(const char *key, const char *registry)
{
	size_t rl = strlen(registry);
	const char *k = key;
	if (strncmp(k, "https://", 8) == 0)
		k += 8;
	else if (strncmp(k, "http://", 7) == 0)
		k += 7;
	size_t kl = strcspn(k, "/");
	if (kl == rl && strncmp(k, registry, rl) == 0)
		return true;
	if (strcmp(registry, "docker.io") == 0)
		return (kl == 15 && strncmp(k, "index.docker.io", 15) == 0) ||
		       (kl == 20 && strncmp(k, "registry-1.docker.io", 20) == 0);
	return false;
}

dd_code dd_registry_config_creds(const char *path, const char *registry, char **user,
				 char **pass, struct dd_err *err)
{
	struct dd_buf b;
	struct dd_json_doc doc = { 0 };
	unsigned char *dec = NULL;
	dd_code rc;

	*user = *pass = NULL;
	/* A docker config is a few KiB; 1 MiB leaves room for many registries. */
	dd_buf_init(&b, 1u << 20);
	rc = dd_buf_read_file(&b, path, err);
	if (rc == DD_ENOTFOUND) {
		dd_buf_release(&b);
		return dd_err_set(err, DD_ENOTFOUND, "%s: absent", path);
	}
	if (rc)
		goto out;
	if (!b.data || memchr(b.data, '\0', b.len)) {
		rc = dd_err_set(err, DD_EINVAL, "%s: not a JSON document", path);
		goto out;
	}
	if (dd_json_doc_parse(&doc, b.data, b.len, NULL)) {
		/* yajl's message quotes the text around the error; it could be
		 * part of a secret, so name the file only. */
		rc = dd_err_set(err, DD_EINVAL, "%s: invalid JSON", path);
		goto out;
	}
	/* docker/cli (configfile.GetCredentialsStore): the registry's
	 * credHelpers entry, else credsStore, else the file's own auths. An
	 * answer of "none" from the helper still lets auths speak. */
	const char *helper = NULL;
	const struct dd_json *ch = dd_json_as(dd_json_get(doc.root, "credHelpers"), DD_JSON_OBJECT);
	if (ch)
		dd_json_each(e, ch)
			if (e->type == DD_JSON_STRING && key_matches(e->key, registry)) {
				helper = e->str;
				break;
			}
	if (!helper)
		helper = dd_json_str(doc.root, "credsStore");
	char why[400] = "";
	if (helper && helper[0]) {
		/* Docker Hub's credentials are stored under its v1 URL. */
		const char *server = strcmp(registry, "docker.io") == 0 ? "https://index.docker.io/v1/"
									 : registry;
		struct dd_err he;
		dd_err_clear(&he);
		rc = dd_registry_helper_creds(helper, server, user, pass, &he);
		if (rc == DD_OK) {
			dd_err_clear(err);
			goto out;
		}
		if (rc != DD_ENOTFOUND) {
			rc = dd_err_set(err, rc, "%s: %s", path, he.msg);
			goto out;
		}
		snprintf(why, sizeof why, " (%s)", he.msg);
	}
	const struct dd_json *auths = dd_json_as(dd_json_get(doc.root, "auths"), DD_JSON_OBJECT);
	rc = dd_err_set(err, DD_ENOTFOUND, "%s: no credentials for %s%s", path, registry, why);
	if (!auths)
		goto out;
	dd_json_each(e, auths) {
		if (!key_matches(e->key, registry) || e->type != DD_JSON_OBJECT)
			continue;
		const char *a = dd_json_str(e, "auth");
		const char *u = dd_json_str(e, "username"), *p = dd_json_str(e, "password");
		if (a && a[0]) {
			size_t al = strlen(a), dl;
			dec = dd_malloc(al / 4 * 3 + 4);
			if (!dec) {
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
				goto out;
			}
			if (dd_registry_base64_decode(a, al, dec, &dl, NULL) != DD_OK ||
			    !memchr(dec, ':', dl) || memchr(dec, '\0', dl)) {
				rc = dd_err_set(err, DD_EINVAL,
						"%s: auths.\"%s\".auth is not base64 of USER:PASSWORD",
						path, e->key);
				goto out;
			}
			char *colon = memchr(dec, ':', dl);
			*user = dd_strndup((char *)dec, (size_t)(colon - (char *)dec));
			*pass = dd_strndup(colon + 1, dl - (size_t)(colon + 1 - (char *)dec));
		} else if (u && p) {
			*user = dd_strndup(u, strlen(u));
			*pass = dd_strndup(p, strlen(p));
		} else {
			continue;
		}
		if (!*user || !*pass) {
			free(*user);
			free(*pass);
			*user = *pass = NULL;
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			goto out;
		}
		rc = DD_OK;
		if (err)
			dd_err_clear(err);
		break;
	}
out:
	if (dec) {
		/* The decoded password: wipe before freeing. */
		explicit_bzero(dec, strlen((char *)dec));
		free(dec);
	}
	/* The parsed tree holds copies of the secrets: wipe it too. */
	dd_arena_wipe(doc.arena);
	dd_json_doc_release(&doc);
	if (b.data)
		explicit_bzero(b.data, b.len);
	dd_buf_release(&b);
	return rc;
}
