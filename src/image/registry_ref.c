/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image references: "alpine:3.19", "ghcr.io/org/app:1.2",
 * "127.0.0.1:5000/repo@sha256:...". The grammar is the one the docker CLI
 * and Distribution use (distribution/reference, reference.go):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path-component ( "/" path-component )*
 *   domain     := host [ ":" port ]           host: DNS name, IPv4 or [IPv6]
 *   path-comp  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *
 * The first component is a registry only when it contains "." or ":", is
 * "localhost", or has an upper-case letter (splitDockerDomain); otherwise
 * the registry is Docker Hub, "docker.io", and a one-component path gets
 * "library/". "index.docker.io" is an old spelling of "docker.io". Docker
 * Hub's API is served from registry-1.docker.io. We parse, we do not
 * resolve: no file system or network here.
 */
#include <stdio.h>
#include <string.h>

#include "image/registry.h"
#include "util/hash.h"

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return true;
	return false;
}

/* One path component: alnum runs joined by ".", "_", "__" or runs of "-". */
static bool valid_path_component(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return false;
	while (i < n) {
		if (is_lower_alnum(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		if (s[i] == '.') {
			j++;
		} else if (s[i] == '_') {
			j++;
			if (j < n && s[j] == '_')
				j++;
		} else if (s[i] == '-') {
			while (j < n && s[j] == '-')
				j++;
		} else {
			return false;
		}
		if (j >= n || !is_lower_alnum(s[j]))
			return false;
		i = j;
	}
	return true;
}

/* host[:port], host a DNS name / IPv4 (same characters) or [IPv6]. */
static bool valid_domain(const char *s, size_t n)
{
	size_t hlen = n;
	const char *colon = NULL;
	if (n == 0)
		return false;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1)
			return false;
		for (const char *p = s + 1; p < close; p++)
			if (!(*p == ':' || *p == '.' || (*p >= '0' && *p <= '9') ||
			      (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
				return false;
		hlen = (size_t)(close - s) + 1;
		if (hlen < n && s[hlen] != ':')
			return false;
		colon = hlen < n ? s + hlen : NULL;
	} else {
		colon = memchr(s, ':', n);
		hlen = colon ? (size_t)(colon - s) : n;
		/* Components of [A-Za-z0-9-], not starting or ending with "-". */
		size_t start = 0;
		for (size_t i = 0; i <= hlen; i++) {
			if (i == hlen || s[i] == '.') {
				if (i == start || s[start] == '-' || s[i - 1] == '-')
					return false;
				start = i + 1;
			} else if (!is_alnum(s[i]) && s[i] != '-') {
				return false;
			}
		}
	}
	if (colon) {
		size_t plen = n - (size_t)(colon - s) - 1;
		unsigned long port = 0;
		if (plen == 0 || plen > 5)
			return false;
		for (size_t i = 1; i <= plen; i++) {
			if (colon[i] < '0' || colon[i] > '9')
				return false;
			port = port * 10 + (unsigned long)(colon[i] - '0');
		}
		if (port == 0 || port > 65535)
			return false;
	}
	return true;
}

static bool valid_tag(const char *s, size_t n)
{
	if (n == 0 || n > DD_REGISTRY_TAG_MAX || !(is_alnum(s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(is_alnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

static void copy(char *dst, const char *s, size_t n)
{
	memcpy(dst, s, n);
	dst[n] = '\0';
}

dd_code dd_registry_ref_parse(const char *s, size_t n, struct dd_registry_ref *out,
			      struct dd_err *err)
{
	memset(out, 0, sizeof *out);
	if (n == 0)
		return dd_err_set(err, DD_EINVAL, "image reference is empty");
	/* name + ":" + tag + "@" + "sha256:" + 64: anything longer is not a
	 * reference, and the caps below keep every copy in bounds. */
	if (n > DD_REGISTRY_NAME_MAX + 1 + DD_REGISTRY_TAG_MAX + 1 + 71)
		return dd_err_set(err, DD_ELIMIT, "image reference is longer than %d bytes",
				  DD_REGISTRY_NAME_MAX + 1 + DD_REGISTRY_TAG_MAX + 1 + 71);
	if (memchr(s, '\0', n))
		return dd_err_set(err, DD_EINVAL, "image reference contains a NUL byte");

	size_t name_len = n;
	const char *at = memchr(s, '@', n);
	if (at) {
		const char *d = at + 1;
		size_t dlen = n - (size_t)(d - s);
		const char *c = memchr(d, ':', dlen);
		if (!c || c == d)
			return dd_err_set(err, DD_EINVAL,
					  "image reference '%.*s': digest must be ALGORITHM:HEX",
					  (int)n, s);
		size_t alen = (size_t)(c - d);
		if (alen != 6 || memcmp(d, "sha256", 6) != 0) {
			for (size_t i = 0; i < alen; i++)
				if (!(is_alnum(d[i]) || d[i] == '+' || d[i] == '.' || d[i] == '_' ||
				      d[i] == '-'))
					return dd_err_set(err, DD_EINVAL,
							  "image reference '%.*s': bad digest algorithm",
							  (int)n, s);
			return dd_err_set(err, DD_EUNSUPPORTED,
					  "image reference '%.*s': digest algorithm '%.*s' is not "
					  "supported (only sha256)", (int)n, s, (int)alen, d);
		}
		if (!dd_digest_valid(d, dlen))
			return dd_err_set(err, DD_EINVAL,
					  "image reference '%.*s': a sha256 digest is 64 lower-case "
					  "hex digits", (int)n, s);
		copy(out->digest, d, dlen);
		name_len = (size_t)(at - s);
	}

	/* A tag is the text after the last ":" that follows the last "/":
	 * "host:5000/repo" has a port, not a tag. */
	size_t tag_at = 0;
	for (size_t i = name_len; i-- > 0;) {
		if (s[i] == '/')
			break;
		if (s[i] == ':') {
			tag_at = i + 1;
			break;
		}
	}
	if (tag_at) {
		if (!valid_tag(s + tag_at, name_len - tag_at))
			return dd_err_set(err, DD_EINVAL,
					  "image reference '%.*s': tag '%.*s' is not valid (letters, "
					  "digits, '_', '.', '-'; at most %d)", (int)n, s,
					  (int)(name_len - tag_at), s + tag_at, DD_REGISTRY_TAG_MAX);
		copy(out->tag, s + tag_at, name_len - tag_at);
		name_len = tag_at - 1;
	}
	if (name_len == 0)
		return dd_err_set(err, DD_EINVAL, "image reference '%.*s' has no name", (int)n, s);

	/* Registry or Docker Hub (splitDockerDomain). */
	const char *path = s;
	size_t path_len = name_len;
	const char *slash = memchr(s, '/', name_len);
	if (slash) {
		size_t dlen = (size_t)(slash - s);
		bool is_domain = memchr(s, '.', dlen) || memchr(s, ':', dlen) ||
				 (dlen == 9 && memcmp(s, "localhost", 9) == 0) || has_upper(s, dlen) ||
				 (dlen > 0 && s[0] == '[');
		if (is_domain) {
			if (!valid_domain(s, dlen))
				return dd_err_set(err, DD_EINVAL,
						  "image reference '%.*s': registry '%.*s' is not "
						  "HOST[:PORT]", (int)n, s, (int)dlen, s);
			if (dlen > DD_REGISTRY_NAME_MAX)
				return dd_err_set(err, DD_ELIMIT, "image reference '%.*s': name is "
						  "longer than %d bytes", (int)n, s, DD_REGISTRY_NAME_MAX);
			if (dlen == 15 && memcmp(s, "index.docker.io", 15) == 0)
				copy(out->registry, "docker.io", 9);
			else
				copy(out->registry, s, dlen);
			path = slash + 1;
			path_len = name_len - dlen - 1;
		}
	}
	if (!out->registry[0])
		copy(out->registry, "docker.io", 9);

	if (has_upper(path, path_len))
		return dd_err_set(err, DD_EINVAL,
				  "image reference '%.*s': repository name must be lowercase",
				  (int)n, s);
	for (size_t start = 0, i = 0; i <= path_len; i++) {
		if (i == path_len || path[i] == '/') {
			if (!valid_path_component(path + start, i - start))
				return dd_err_set(err, DD_EINVAL,
						  "image reference '%.*s': repository path component "
						  "'%.*s' is not valid", (int)n, s, (int)(i - start),
						  path + start);
			start = i + 1;
		}
	}
	bool library = strcmp(out->registry, "docker.io") == 0 && !memchr(path, '/', path_len);
	size_t full = strlen(out->registry) + 1 + (library ? 8 : 0) + path_len;
	if (full > DD_REGISTRY_NAME_MAX)
		return dd_err_set(err, DD_ELIMIT,
				  "image reference '%.*s': name is longer than %d bytes", (int)n, s,
				  DD_REGISTRY_NAME_MAX);
	snprintf(out->repository, sizeof out->repository, "%s%.*s", library ? "library/" : "",
		 (int)path_len, path);
	if (!out->tag[0] && !out->digest[0])
		copy(out->tag, "latest", 6);
	return DD_OK;
}

size_t dd_registry_ref_format(const struct dd_registry_ref *r, char *buf, size_t n)
{
	int len = snprintf(buf, n, "%s/%s%s%s%s%s", r->registry, r->repository,
			   r->tag[0] ? ":" : "", r->tag, r->digest[0] ? "@" : "", r->digest);
	return len < 0 ? 0 : (size_t)len;
}

const char *dd_registry_endpoint(const char *registry)
{
	/* Docker Hub's name is docker.io; its API lives elsewhere. */
	if (strcmp(registry, "docker.io") == 0 || strcmp(registry, "index.docker.io") == 0)
		return "registry-1.docker.io";
	return registry;
}

bool dd_registry_valid_tag(const char *s, size_t n)
{
	return valid_tag(s, n);
}

bool dd_registry_valid_repository(const char *s, size_t n)
{
	if (n == 0 || n > DD_REGISTRY_NAME_MAX)
		return false;
	for (size_t start = 0, i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (!valid_path_component(s + start, i - start))
				return false;
			start = i + 1;
		}
	}
	return true;
}
