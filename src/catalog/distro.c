/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Distribution detection: fills sbom->distro before the package catalogers
 * run (their purls carry the distro). Sources, best first:
 *
 *  - os-release(5): /etc/os-release, else /usr/lib/os-release. The former is
 *    usually a symlink to ../usr/lib/os-release, resolved inside the image.
 *  - /etc/alpine-release: the full point release ("3.10.4"); Alpine's
 *    os-release has it too, but older images have only this file.
 *  - /etc/debian_version: Debian's point release ("12.15"), which os-release
 *    does not carry (VERSION_ID is "12"). Goes into distro.version. Ubuntu
 *    ships the file too ("bookworm/sid"), so it is read only for Debian.
 *  - /etc/redhat-release and friends (centos, rocky, almalinux, fedora,
 *    oracle, system-release for Amazon, SuSE-release): one line such as
 *    "CentOS release 6.10 (Final)". Used only when there is no os-release
 *    (CentOS 6 and older, SLES 11).
 *
 * Nothing is guessed from package databases; an image with none of these
 * files has an empty distro and its OS purls carry no distro qualifier.
 */
#include <ctype.h>

#include "catalog/catalog.h"
#include "catalog/os_pkgdb.h"
#include "util/arena.h"
#include "util/path.h"

static bool is_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Unquotes an os-release value: shell-like, as os-release(5) allows:
 * "double" (with \" \\ \$ \` escapes), 'single' or bare. Returns NULL on
 * an unterminated quote. */
static char *unquote(struct dd_arena *a, const char *v, size_t n)
{
	char *out = dd_arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				out[o++] = c;
		} else if (q == '"') {
			if (c == '"')
				q = 0;
			else if (c == '\\' && i + 1 < n && strchr("\"\\$`", v[i + 1]))
				out[o++] = v[++i];
			else
				out[o++] = c;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == '\\' && i + 1 < n) {
			out[o++] = v[++i];
		} else {
			out[o++] = c;
		}
	}
	if (q)
		return NULL;
	out[o] = '\0';
	return out;
}

dd_code dd_os_release_parse(const char *path, const unsigned char *data, size_t n,
			    struct dd_distro *d, struct dd_arena *a, struct dd_sbom *sbom,
			    struct dd_err *err)
{
	const char *p = (const char *)data, *end = p + n;
	unsigned line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		const char *s = p;
		p = nl ? nl + 1 : end;
		while (s < le && (*s == ' ' || *s == '\t'))
			s++;
		const char *e = le;
		while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (s == e || *s == '#')
			continue;
		const char *k = s;
		while (s < e && is_key_char(*s))
			s++;
		if (s == k || s == e || *s != '=') {
			if (sbom)
				dd_sbom_warn(sbom, "%s: line %u: not KEY=VALUE, ignored", path, line);
			continue;
		}
		size_t klen = (size_t)(s - k);
		s++;
		char *v = unquote(a, s, (size_t)(e - s));
		if (!v) {
			if (dd_arena_status(a))
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			if (sbom)
				dd_sbom_warn(sbom, "%s: line %u: unterminated quote, ignored", path,
					     line);
			continue;
		}
		const char **slot = NULL;
#define KEY(lit, field)                                                                    \
	if (klen == sizeof lit - 1 && memcmp(k, lit, klen) == 0)                           \
		slot = &d->field;
		KEY("ID", id)
		KEY("ID_LIKE", id_like)
		KEY("VERSION_ID", version_id)
		KEY("VERSION", version)
		KEY("VERSION_CODENAME", codename)
		KEY("PRETTY_NAME", pretty_name)
#undef KEY
		if (slot && *v)
			*slot = v;
	}
	if (dd_arena_status(a))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return DD_OK;
}

/* First line of a small text file, trimmed, into the arena; NULL if empty. */
static char *first_line(struct dd_arena *a, const struct dd_fs_file *f)
{
	if (!f || !f->data)
		return NULL;
	const char *s = (const char *)f->data, *end = s + f->size;
	const char *nl = memchr(s, '\n', f->size);
	if (nl)
		end = nl;
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (s == end || memchr(s, '\0', (size_t)(end - s)))
		return NULL;
	return dd_arena_strndup(a, s, (size_t)(end - s));
}

static const struct dd_fs_file *find(const struct dd_fs *fs, const char *path,
				     struct dd_sbom *sbom)
{
	struct dd_err e;
	dd_err_clear(&e);
	const struct dd_fs_file *f = dd_fs_resolve(fs, path, &e);
	if (!f && e.code)
		dd_sbom_warn(sbom, "%s", e.msg);
	if (f && (f->type != DD_FS_REG || !f->data))
		return NULL;
	return f;
}

/* "CentOS Linux release 7.9.2009 (Core)" -> version "7.9.2009",
 * codename "Core". The version is the first token after "release" that
 * starts with a digit, or else the first such token at all (SuSE-release:
 * "SUSE Linux Enterprise Server 11 (x86_64)"). */
static void parse_release_line(struct dd_arena *a, const char *line, struct dd_distro *d)
{
	const char *v = strstr(line, " release ");
	const char *s = v ? v + 9 : line;
	for (;;) {
		while (*s && !isdigit((unsigned char)*s))
			s++;
		if (!*s || s == line || s[-1] == ' ' || s[-1] == '\t')
			break;
		while (*s && *s != ' ')
			s++;
	}
	if (*s) {
		const char *e = s;
		while (*e && (isdigit((unsigned char)*e) || *e == '.'))
			e++;
		while (e > s && e[-1] == '.')
			e--;
		d->version_id = dd_arena_strndup(a, s, (size_t)(e - s));
		d->version = d->version_id;
	}
	/* "(Final)" after "release X" is a codename; SuSE-release's
	 * parenthesis, with no "release", holds the architecture. */
	const char *lp = v ? strchr(v, '(') : NULL;
	const char *rp = lp ? strchr(lp, ')') : NULL;
	if (rp && rp > lp + 1)
		d->codename = dd_arena_strndup(a, lp + 1, (size_t)(rp - lp - 1));
}

/* Which id a release file names. Its text decides, not its name:
 * redhat-release and system-release are shared by several distributions
 * (CentOS and Rocky ship a redhat-release too). More specific prefixes
 * come first. */
static const char *release_id(const char *text)
{
	static const struct { const char *prefix, *id; } by_text[] = {
		{ "CentOS Stream", "centos" }, { "CentOS", "centos" },
		{ "Rocky Linux", "rocky" }, { "AlmaLinux", "almalinux" },
		{ "Fedora", "fedora" }, { "Oracle Linux", "ol" },
		{ "Amazon Linux", "amzn" }, { "Red Hat Enterprise Linux", "rhel" },
		{ "SUSE Linux Enterprise", "sles" }, { "openSUSE", "opensuse" },
		{ "Scientific Linux", "scientific" },
	};
	for (size_t i = 0; i < sizeof by_text / sizeof by_text[0]; i++)
		if (strncmp(text, by_text[i].prefix, strlen(by_text[i].prefix)) == 0)
			return by_text[i].id;
	return NULL;
}

static dd_code run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	struct dd_sbom *sbom = ctx->sbom;
	struct dd_arena *a = sbom->arena;
	struct dd_distro *d = &sbom->distro;

	const struct dd_fs_file *f = find(ctx->fs, "etc/os-release", sbom);
	if (!f)
		f = find(ctx->fs, "usr/lib/os-release", sbom);
	if (f) {
		dd_code rc = dd_os_release_parse(f->path, f->data, f->size, d, a, sbom, err);
		if (rc)
			return rc;
	}

	char *alp = first_line(a, find(ctx->fs, "etc/alpine-release", sbom));
	if (alp && (!d->id || strcmp(d->id, "alpine") == 0)) {
		if (!d->id) {
			d->id = "alpine";
			d->pretty_name = dd_arena_printf(a, "Alpine Linux v%s", alp);
		}
		d->version_id = alp;
		if (!d->version)
			d->version = alp;
	}

	char *deb = first_line(a, find(ctx->fs, "etc/debian_version", sbom));
	if (deb && (!d->id || strcmp(d->id, "debian") == 0)) {
		bool numeric = isdigit((unsigned char)deb[0]);
		if (!d->id) {
			d->id = "debian";
			if (numeric) {
				size_t maj = strcspn(deb, ".");
				d->version_id = dd_arena_strndup(a, deb, maj);
			} else {
				d->codename = deb; /* "trixie/sid": testing or unstable */
			}
			d->pretty_name = dd_arena_printf(a, "Debian GNU/Linux %s", deb);
		}
		if (numeric)
			d->version = deb;
	}

	if (!d->id) {
		static const char *const files[] = {
			"etc/centos-release", "etc/rocky-release", "etc/almalinux-release",
			"etc/fedora-release", "etc/oracle-release", "etc/redhat-release",
			"etc/system-release", "etc/SuSE-release",
		};
		for (size_t i = 0; i < sizeof files / sizeof files[0] && !d->id; i++) {
			const struct dd_fs_file *rf = find(ctx->fs, files[i], sbom);
			char *line = first_line(a, rf);
			if (!line)
				continue;
			const char *id = release_id(line);
			if (!id) {
				dd_sbom_warn(sbom, "%s: unknown distribution \"%.80s\", ignored",
					     files[i], line);
				continue;
			}
			d->id = id;
			d->pretty_name = line;
			parse_release_line(a, line, d);
		}
	}
	if (dd_arena_status(a))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	return DD_OK;
}

static bool wants_path(const char *path, size_t len)
{
	static const char *const names[] = {
		"etc/os-release", "usr/lib/os-release", "etc/alpine-release",
		"etc/debian_version", "etc/centos-release", "etc/rocky-release",
		"etc/almalinux-release", "etc/fedora-release", "etc/oracle-release",
		"etc/redhat-release", "etc/system-release", "etc/SuSE-release",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == len && memcmp(names[i], path, len) == 0)
			return true;
	return false;
}

static const char *const path_ends[] = { "-release", "debian_version", NULL };

const struct dd_cataloger dd_cataloger_distro = {
	.name = "distro",
	.version = 1,
	.kind = DD_CATALOGER_DISTRO,
	.wants_path = wants_path,
	.path_ends = path_ends,
	.run = run,
};
