/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Java archives (.jar .war .ear .par), read from memory with libarchive's
 * seekable zip reader (the central directory is authoritative; a streaming
 * read would trust local headers). Identity, in order of trust:
 *   1. every `pom.properties` in the archive (Maven writes
 *      META-INF/maven/GROUP/ARTIFACT/pom.properties; shaded jars carry one
 *      per bundled artifact, other tools put them elsewhere): a package for
 *      each one with groupId, artifactId and version; duplicates (same
 *      coordinates twice in one archive) count once;
 *   2. when there is none, META-INF/MANIFEST.MF's main section
 *      (JAR File Specification, "Manifest Specification"; lines continue
 *      with a leading space): version from Implementation-Version,
 *      Bundle-Version or Specification-Version, group from
 *      Implementation-Vendor-Id or Bundle-SymbolicName, artifact from the
 *      file name without its version. A guess, and marked as such by the
 *      cataloger name "java-manifest".
 * Archives inside the archive are read recursively up to
 * DD_LIMIT_JAR_DEPTH levels and DD_LIMIT_JAR_MEMBER_BYTES each; their
 * packages' location is "outer.jar:path/in/outer.jar".
 * Package name is "group:artifact" (the OSV Maven form); purl
 * pkg:maven/group/artifact@version.
 */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <string.h>

#include "catalog/lang.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

/* pom.properties and MANIFEST.MF are a few KiB; large manifests (OSGi
 * bundles with long Export-Package) reach ~100 KiB. */
#define JAVA_META_MAX (1u << 20)

struct coord {
	char *group, *artifact, *version;
};

struct java_state {
	struct dd_arena *a;
	struct dd_lang_sink *sink;
	struct coord *seen;
	size_t nseen, cap;
};

/* Asked of every path in every layer: the '.' first, then the three
 * letters in any case. */
static bool java_ext(const char *name, size_t len)
{
	static const char *const exts[] = { "jar", "war", "ear", "par" };
	if (len < 5 || name[len - 4] != '.')
		return false;
	for (size_t i = 0; i < 4; i++)
		if (strncasecmp(name + len - 3, exts[i], 3) == 0)
			return true;
	return false;
}

static dd_code read_member(struct archive *ar, size_t max, unsigned char **out, size_t *len,
			   struct dd_err *err)
{
	size_t cap = 0, n = 0;
	unsigned char *buf = NULL;
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				free(buf);
				return dd_err_set(err, DD_ELIMIT, "member larger than %zu bytes", max);
			}
			size_t nc = cap ? cap * 2 : 8192;
			if (nc > max)
				nc = max;
			unsigned char *nb = dd_realloc(buf, nc);
			if (!nb) {
				free(buf);
				return dd_err_set(err, DD_ENOMEM, "out of memory");
			}
			buf = nb;
			cap = nc;
		}
		la_ssize_t r = archive_read_data(ar, buf + n, cap - n);
		if (r < 0) {
			dd_err_set(err, DD_EINVAL, "%s", archive_error_string(ar) ? archive_error_string(ar) : "read error");
			free(buf);
			return DD_EINVAL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	return DD_OK;
}

static dd_code emit(struct java_state *st, const char *group, const char *artifact,
		    const char *version, const char *cataloger, struct dd_err *err)
{
	for (size_t i = 0; i < st->nseen; i++)
		if (!strcmp(st->seen[i].group, group) && !strcmp(st->seen[i].artifact, artifact) &&
		    !strcmp(st->seen[i].version, version ? version : ""))
			return DD_OK;
	if (st->nseen == st->cap) {
		size_t nc = st->cap ? st->cap * 2 : 8;
		struct coord *n = dd_arena_alloc(st->a, nc * sizeof *n);
		if (!n)
			return dd_err_set(err, DD_ENOMEM, "out of memory");
		if (st->nseen)
			memcpy(n, st->seen, st->nseen * sizeof *n);
		st->seen = n;
		st->cap = nc;
	}
	struct coord *c = &st->seen[st->nseen];
	c->group = dd_arena_strdup(st->a, group);
	c->artifact = dd_arena_strdup(st->a, artifact);
	c->version = dd_arena_strdup(st->a, version ? version : "");
	char *name = dd_arena_printf(st->a, "%s:%s", group, artifact);
	if (dd_arena_status(st->a))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	st->nseen++;
	const char *saved = st->sink->cataloger;
	if (cataloger)
		st->sink->cataloger = cataloger;
	struct dd_lang_pkg p = {
		.type = "maven",
		.namespace_ = *group ? group : NULL,
		.name = *group ? name : artifact,
		.purl_name = artifact,
		.version = version,
	};
	dd_code rc = dd_lang_emit(st->sink, &p, err);
	st->sink->cataloger = saved;
	return rc;
}

/* Java properties, as far as pom.properties uses them: key=value or
 * key: value lines, '#' and '!' comments. */
static char *prop(struct dd_arena *a, const unsigned char *d, size_t n, const char *key)
{
	size_t pos = 0, len, kl = strlen(key);
	const char *l;
	while (dd_lang_next_line(d, n, &pos, &l, &len)) {
		while (len && (*l == ' ' || *l == '\t')) {
			l++;
			len--;
		}
		if (len <= kl || memcmp(l, key, kl) != 0)
			continue;
		size_t i = kl;
		while (i < len && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i >= len || (l[i] != '=' && l[i] != ':'))
			continue;
		i++;
		while (i < len && (l[i] == ' ' || l[i] == '\t'))
			i++;
		size_t e = len;
		while (e > i && (l[e - 1] == ' ' || l[e - 1] == '\t'))
			e--;
		if (e == i || memchr(l + i, 0, e - i))
			return NULL;
		return dd_arena_strndup(a, l + i, e - i);
	}
	return NULL;
}

/* A main-section attribute of MANIFEST.MF, continuation lines joined. */
static char *manifest_attr(struct dd_arena *a, const unsigned char *d, size_t n, const char *key)
{
	size_t pos = 0, len, kl = strlen(key);
	const char *l;
	while (dd_lang_next_line(d, n, &pos, &l, &len)) {
		if (len == 0)
			return NULL; /* end of the main section */
		if (len <= kl + 1 || strncasecmp(l, key, kl) != 0 || l[kl] != ':')
			continue;
		size_t i = kl + 1;
		while (i < len && l[i] == ' ')
			i++;
		char buf[1024];
		size_t bl = 0;
		for (size_t j = i; j < len && bl + 1 < sizeof buf; j++)
			buf[bl++] = l[j];
		const char *c;
		size_t cl;
		size_t save = pos;
		while (dd_lang_next_line(d, n, &pos, &c, &cl) && cl && c[0] == ' ') {
			for (size_t j = 1; j < cl && bl + 1 < sizeof buf; j++)
				buf[bl++] = c[j];
			save = pos;
		}
		pos = save;
		if (bl == 0 || memchr(buf, 0, bl))
			return NULL;
		return dd_arena_strndup(a, buf, bl);
	}
	return NULL;
}

/* "spring-core-2.5.6.jar" -> artifact "spring-core", version "2.5.6". */
static void split_filename(struct dd_arena *a, const char *file, char **artifact, char **version)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t bl = strlen(base);
	if (bl > 4 && java_ext(base, bl))
		bl -= 4;
	*version = NULL;
	size_t cut = bl;
	for (size_t i = 0; i + 1 < bl; i++) {
		if (base[i] == '-' && isdigit((unsigned char)base[i + 1])) {
			cut = i;
			*version = dd_arena_strndup(a, base + i + 1, bl - i - 1);
			break;
		}
	}
	*artifact = dd_arena_strndup(a, base, cut);
}

static dd_code manifest_fallback(struct java_state *st, const unsigned char *m, size_t mn,
				 const char *file, struct dd_err *err)
{
	struct dd_arena *a = st->a;
	char *artifact, *fver;
	split_filename(a, file, &artifact, &fver);
	char *version = manifest_attr(a, m, mn, "Implementation-Version");
	if (!version)
		version = manifest_attr(a, m, mn, "Bundle-Version");
	if (!version)
		version = manifest_attr(a, m, mn, "Specification-Version");
	if (!version)
		version = fver;
	char *group = manifest_attr(a, m, mn, "Implementation-Vendor-Id");
	if (!group) {
		group = manifest_attr(a, m, mn, "Bundle-SymbolicName");
		if (group)
			group[strcspn(group, "; ")] = '\0'; /* OSGi directives */
	}
	if (dd_arena_status(a))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	if (!artifact || !*artifact || !version)
		return DD_OK; /* nothing that identifies it */
	return emit(st, group ? group : "", artifact, version, "java-manifest", err);
}

/* What walk() makes of a member at depth: nothing, its identity, its
 * manifest, or an archive to read in turn. */
enum member { MEMBER_SKIP, MEMBER_POM, MEMBER_MANIFEST, MEMBER_NESTED };

static enum member member_of(struct archive_entry *e, int depth, const char **name)
{
	*name = archive_entry_pathname(e);
	if (!*name || archive_entry_filetype(e) != AE_IFREG)
		return MEMBER_SKIP;
	if (strcmp(dd_lang_basename(*name), "pom.properties") == 0)
		return MEMBER_POM;
	if (strcmp(*name, "META-INF/MANIFEST.MF") == 0)
		return MEMBER_MANIFEST;
	if (java_ext(*name, strlen(*name)) && depth + 1 < DD_LIMIT_JAR_DEPTH)
		return MEMBER_NESTED;
	return MEMBER_SKIP;
}

static dd_code walk(struct java_state *st, const unsigned char *d, size_t n, const char *file,
		    int depth, struct dd_err *err)
{
	struct archive *ar = archive_read_new();
	if (!ar)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = DD_OK;
	unsigned char *manifest = NULL;
	size_t mlen = 0, npoms = 0, entries = 0;
	archive_read_support_format_zip_seekable(ar);
	if (archive_read_open_memory(ar, d, n) != ARCHIVE_OK) {
		rc = dd_err_set(err, DD_EINVAL, "%s: not a zip archive: %s", file,
				archive_error_string(ar) ? archive_error_string(ar) : "?");
		goto out;
	}
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (++entries > DD_LIMIT_JAR_ENTRIES) {
			rc = dd_err_set(err, DD_ELIMIT, "%s: more than %u entries", file,
					DD_LIMIT_JAR_ENTRIES);
			goto out;
		}
		const char *name;
		enum member kind = member_of(e, depth, &name);
		if (kind == MEMBER_SKIP)
			continue;
		bool pom = kind == MEMBER_POM, mf = kind == MEMBER_MANIFEST;
		bool nested = kind == MEMBER_NESTED;
		unsigned char *buf = NULL;
		size_t bl = 0;
		struct dd_err me;
		dd_err_clear(&me);
		dd_code mr = read_member(ar, nested ? DD_LIMIT_JAR_MEMBER_BYTES : JAVA_META_MAX, &buf,
					 &bl, &me);
		if (mr == DD_ENOMEM) {
			rc = dd_err_set(err, mr, "%s", me.msg);
			goto out;
		}
		if (mr) {
			if (st->sink->sbom)
				dd_sbom_warn(st->sink->sbom, "java: %s: %s: %s", file, name, me.msg);
			continue;
		}
		if (pom) {
			char *g = prop(st->a, buf, bl, "groupId");
			char *art = prop(st->a, buf, bl, "artifactId");
			char *v = prop(st->a, buf, bl, "version");
			if (g && art && v) {
				npoms++;
				rc = emit(st, g, art, v, NULL, err);
			}
			free(buf);
		} else if (mf) {
			free(manifest);
			manifest = buf;
			mlen = bl;
		} else {
			const char *saved = st->sink->location;
			char *loc = dd_arena_printf(st->a, "%s:%s", saved, name);
			if (!loc) {
				free(buf);
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
				goto out;
			}
			/* Each nested archive dedupes on its own. */
			struct java_state sub = { .a = st->a, .sink = st->sink };
			st->sink->location = loc;
			struct dd_err ne;
			dd_err_clear(&ne);
			dd_code nr = walk(&sub, buf, bl, name, depth + 1, &ne);
			st->sink->location = saved;
			free(buf);
			if (nr == DD_ENOMEM) {
				rc = dd_err_set(err, nr, "%s", ne.msg);
				goto out;
			}
			if (nr && st->sink->sbom)
				dd_sbom_warn(st->sink->sbom, "java: %s: %s", loc, ne.msg);
		}
		if (rc)
			goto out;
	}
	if (r != ARCHIVE_EOF) {
		rc = dd_err_set(err, DD_EINVAL, "%s: %s", file,
				archive_error_string(ar) ? archive_error_string(ar) : "bad zip entry");
		/* Packages found before the damage stay reported. */
	}
	if (!rc && npoms == 0 && manifest)
		rc = manifest_fallback(st, manifest, mlen, file, err);
out:
	free(manifest);
	archive_read_free(ar);
	return rc;
}

dd_code dd_lang_parse_java_archive(const unsigned char *d, size_t n, const char *name,
				   struct dd_lang_sink *s, struct dd_err *err)
{
	struct java_state st = { .sink = s };
	st.a = dd_arena_new(0);
	if (!st.a)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = walk(&st, d, n, name, 0, err);
	dd_arena_free(st.a);
	return rc;
}

/* What the image keeps of an archive instead of the archive
 * (dd_catalog_reduce): a zip of the members walk() reads, in their order,
 * stored: every pom.properties, META-INF/MANIFEST.MF, and each archive
 * nested within the depth limit, itself reduced. An application's
 * archives are mostly classes, which an image or dir: scan kept in memory
 * (and in the layer cache) whole. Whatever walk() would say about the
 * archive itself (not a zip, damage, too many entries, a member it cannot
 * read, a name the zip writer cannot store) keeps it whole instead, so
 * that run() reports it as before; so does a reduced form no smaller.
 * *out is malloc'd; NULL with DD_OK means "keep it whole". */
static dd_code reduce_zip(const unsigned char *d, size_t n, int depth, unsigned char **out,
			  size_t *outlen, struct dd_err *err)
{
	struct kept {
		const char *name;
		unsigned char *data;
		size_t len;
	} *kept = NULL;
	size_t nkept = 0, cap = 0, entries = 0, total = 4096, bytes = 0;
	*out = NULL;
	dd_code rc = DD_OK;
	bool whole = false;
	struct archive *ar = archive_read_new(), *w = NULL;
	struct dd_arena *names = dd_arena_new(0);
	if (!ar || !names) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto done;
	}
	archive_read_support_format_zip_seekable(ar);
	whole = archive_read_open_memory(ar, d, n) != ARCHIVE_OK;
	struct archive_entry *e;
	int r = ARCHIVE_EOF;
	while (!whole && !rc &&
	       ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *name;
		enum member kind = member_of(e, depth, &name);
		whole = ++entries > DD_LIMIT_JAR_ENTRIES;
		if (whole || kind == MEMBER_SKIP)
			continue;
		struct kept k = { .name = dd_arena_strdup(names, name) };
		struct dd_err me;
		dd_code mr = read_member(ar, kind == MEMBER_NESTED ? DD_LIMIT_JAR_MEMBER_BYTES : JAVA_META_MAX,
					 &k.data, &k.len, &me);
		if (mr == DD_ENOMEM || (!mr && (!k.name || dd_grow(&kept, &cap, nkept + 1, sizeof *kept)))) {
			if (!mr)
				free(k.data);
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			break;
		}
		if (mr) {
			whole = true;
			break;
		}
		if (kind == MEMBER_NESTED) {
			unsigned char *sub;
			size_t sl;
			if ((rc = reduce_zip(k.data, k.len, depth + 1, &sub, &sl, err))) {
				free(k.data);
				break;
			}
			if (sub) {
				free(k.data);
				k.data = sub;
				k.len = sl;
			}
		}
		kept[nkept++] = k;
		total += k.len + 2 * strlen(name) + 512;
		/* Members held at once stay below the archive's own size: more
		 * could not make it smaller, and a zip bomb of nested archives
		 * that do not reduce would otherwise be held whole, all of them
		 * (walk() holds one at a time). */
		whole = (bytes += k.len) >= n;
	}
	whole |= !rc && r != ARCHIVE_EOF;
	if (rc || whole)
		goto done;
	/* libarchive's zip writer, stored, into one buffer sized for the
	 * members, their names twice (local and central headers) and the
	 * extra fields it adds. */
	unsigned char *buf = dd_malloc(total);
	size_t used = 0;
	if (!buf || !(w = archive_write_new())) {
		free(buf);
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto done;
	}
	bool ok = archive_write_set_format_zip(w) == ARCHIVE_OK &&
		  archive_write_zip_set_compression_store(w) == ARCHIVE_OK &&
		  archive_write_open_memory(w, buf, total, &used) == ARCHIVE_OK;
	/* libarchive refuses a zip without entries as "not a zip", and walk()
	 * would say so; a directory entry, which walk() skips, stands in. */
	if (ok && !nkept) {
		struct archive_entry *we = archive_entry_new();
		ok = we != NULL;
		if (ok) {
			archive_entry_set_pathname(we, "META-INF/");
			archive_entry_set_filetype(we, AE_IFDIR);
			archive_entry_set_perm(we, 0755);
			ok = archive_write_header(w, we) == ARCHIVE_OK;
			archive_entry_free(we);
		}
	}
	for (size_t i = 0; ok && i < nkept; i++) {
		struct archive_entry *we = archive_entry_new();
		ok = we != NULL;
		if (ok) {
			archive_entry_set_pathname(we, kept[i].name);
			archive_entry_set_filetype(we, AE_IFREG);
			archive_entry_set_perm(we, 0644);
			archive_entry_set_size(we, (la_int64_t)kept[i].len);
			ok = archive_write_header(w, we) == ARCHIVE_OK &&
			     (!kept[i].len || archive_write_data(w, kept[i].data, kept[i].len) ==
						      (la_ssize_t)kept[i].len);
			archive_entry_free(we);
		}
	}
	ok = ok && archive_write_close(w) == ARCHIVE_OK;
	if (ok && used < n) {
		*out = buf;
		*outlen = used;
	} else {
		free(buf);
	}
done:
	for (size_t i = 0; i < nkept; i++)
		free(kept[i].data);
	free(kept);
	archive_write_free(w);
	archive_read_free(ar);
	dd_arena_free(names);
	return rc;
}

static dd_code java_reduce(const char *path, const unsigned char *d, size_t n, struct dd_arena *a,
			   const unsigned char **out, size_t *outlen, struct dd_err *err)
{
	(void)path;
	unsigned char *z;
	size_t zl;
	*out = NULL;
	dd_code rc = reduce_zip(d, n, 0, &z, &zl, err);
	if (rc || !z)
		return rc;
	unsigned char *k = dd_arena_memdup(a, z, zl);
	free(z);
	if (!k)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = k;
	*outlen = zl;
	return DD_OK;
}

static bool java_wants(const char *path, size_t len)
{
	return java_ext(path, len);
}

static dd_code java_file(const struct dd_fs_file *f, struct dd_lang_sink *s,
			 const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	(void)ctx;
	return dd_lang_parse_java_archive(f->data, f->size, f->path, s, err);
}

static dd_code java_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	return dd_lang_each_file(ctx, "java-archive", java_wants, java_file, err);
}

static const char *const path_ends[] = { ".jar", ".war", ".ear", ".par", NULL };

const struct dd_cataloger dd_cataloger_java_archive = {
	.name = "java-archive",
	.version = 2,
	.kind = DD_CATALOGER_LANG,
	.wants_path = java_wants,
	.path_ends = path_ends,
	.reduce = java_reduce,
	.run = java_run,
};
