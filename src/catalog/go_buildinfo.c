/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go binaries: the build information the linker writes into every binary
 * since Go 1.13, read from the ELF section `.go.buildinfo` (Go's own reader
 * is src/debug/buildinfo/buildinfo.go; the text format is
 * runtime/debug.BuildInfo.String). The section starts with the 14-byte magic
 * "\xff Go buildinf:", a pointer size and a flags byte:
 *   - flags bit 1 clear (Go 1.13-1.17): at offset 16 two pointers to Go
 *     string headers {data pointer, length} for the toolchain version and
 *     the module info; we map those virtual addresses through the section
 *     headers (elf_section.c) and read only those bytes;
 *   - flags bit 1 set (Go 1.18+): both strings follow the 32-byte header
 *     inline, each prefixed with its length as an unsigned varint.
 * Flags bit 0 is big endian. The module info is wrapped in two 16-byte
 * sentinels, recognised as Go does: length >= 33 and a '\n' 17 bytes from
 * the end. GOPATH-mode binaries (Debian's) have a `path` line but no `mod`.
 *
 * Output: one package per module (main module, each `dep`, a `=>`
 * replacement taking the place of the module it replaces when it names a
 * version) and the toolchain as module "stdlib" with the version without
 * its "go" prefix and GOEXPERIMENT suffix ("go1.22.1 X:loopvar" -> 1.22.1),
 * which is the form OSV's Go records use for stdlib. Binaries are found by
 * ELF magic; files that are ELF but not Go are skipped silently. While the
 * image streams, go_extract keeps only the build info, rewritten in the
 * inline form (so the pointers' targets need not be kept), which this
 * reader then finds in the minimal ELF the image holds (catalog.h).
 */
#include <string.h>

#include "catalog/elf_section.h"
#include "catalog/lang.h"
#include "util/arena.h"

#define GO_MAGIC "\xff Go buildinf:"
#define GO_MAGIC_LEN 14
/* A toolchain version is ~20 bytes; module info of the largest binaries
 * (kubernetes) is ~100 KiB. Anything longer is not build info. */
#define GO_MAX_VERSION 256u
#define GO_MAX_MODINFO (16u << 20)


static bool uvarint(const unsigned char *p, size_t n, size_t *pos, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64 && *pos < n; shift += 7) {
		unsigned char b = p[(*pos)++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* A Go string header at addr: {data pointer, length}, each ptrsize bytes. */
static const unsigned char *go_string(const struct dd_elf *e, bool be, unsigned ptrsize,
				      uint64_t addr, uint64_t max, size_t *len)
{
	const unsigned char *h = dd_elf_vaddr(e, addr, 2u * ptrsize);
	if (!h)
		return NULL;
	uint64_t data = dd_elf_uint(be, h, ptrsize);
	uint64_t l = dd_elf_uint(be, h + ptrsize, ptrsize);
	if (l > max)
		return NULL;
	if (l == 0) {
		*len = 0;
		return (const unsigned char *)"";
	}
	const unsigned char *p = dd_elf_vaddr(e, data, l);
	if (p)
		*len = (size_t)l;
	return p;
}

static void split_tab(const char *s, size_t n, const char **f, size_t *fl, unsigned nf)
{
	for (unsigned i = 0; i < nf; i++) {
		f[i] = s;
		fl[i] = 0;
	}
	unsigned k = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n && k < nf; i++) {
		if (i == n || s[i] == '\t') {
			f[k] = s + start;
			fl[k] = i - start;
			k++;
			start = i + 1;
		}
	}
}

struct go_mod {
	char *path, *version;
	bool main;
};

static dd_code emit_module(struct dd_lang_sink *s, struct dd_arena *a, const char *path,
			   const char *version, struct dd_err *err)
{
	const char *slash = strrchr(path, '/');
	struct dd_lang_pkg p = {
		.type = "golang",
		.name = path,
		.version = version,
	};
	if (slash) {
		p.namespace_ = dd_arena_strndup(a, path, (size_t)(slash - path));
		p.purl_name = slash + 1;
		if (!p.namespace_)
			return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	return dd_lang_emit(s, &p, err);
}

/* "-X main.version=v1.0.0" in the -ldflags build setting: the version a
 * release build stamps when the main module itself is "(devel)". */
static char *ldflags_version(struct dd_arena *a, const char *v, size_t n)
{
	static const char *const keys[] = { "-X main.version=", "-X main.Version=",
					    "-X=main.version=", "-X=main.Version=" };
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		size_t kl = strlen(keys[k]);
		for (size_t i = 0; i + kl <= n; i++) {
			if (memcmp(v + i, keys[k], kl) != 0)
				continue;
			size_t j = i + kl, e = j;
			while (e < n && v[e] != ' ' && v[e] != '"' && v[e] != '\'')
				e++;
			if (e > j + 1 && v[j] == 'v' && v[j + 1] >= '0' && v[j + 1] <= '9')
				return dd_arena_strndup(a, v + j, e - j);
		}
	}
	return NULL;
}

dd_code dd_lang_parse_go_modinfo(const char *goversion, const char *d, size_t n,
				 struct dd_lang_sink *s, struct dd_err *err)
{
	struct dd_arena *a = dd_arena_new(0);
	if (!a)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = DD_OK;
	struct go_mod *mods = NULL;
	size_t nmods = 0, cap = 0;
	char *ldver = NULL;
	size_t pos = 0;
	const char *line;
	size_t len;
	while (dd_lang_next_line((const unsigned char *)d, n, &pos, &line, &len)) {
		const char *f[4];
		size_t fl[4];
		split_tab(line, len, f, fl, 4);
		bool is_mod = fl[0] == 3 && memcmp(f[0], "mod", 3) == 0;
		bool is_dep = fl[0] == 3 && memcmp(f[0], "dep", 3) == 0;
		bool is_rep = fl[0] == 2 && memcmp(f[0], "=>", 2) == 0;
		if (fl[0] == 5 && memcmp(f[0], "build", 5) == 0 && fl[1] > 9 &&
		    memcmp(f[1], "-ldflags=", 9) == 0 && !ldver) {
			ldver = ldflags_version(a, f[1], fl[1]);
			continue;
		}
		if (!is_mod && !is_dep && !is_rep)
			continue;
		if (fl[1] == 0)
			continue;
		if (is_rep) {
			/* Replaces the module on the previous line. A local
			 * directory replacement has no version: the code is
			 * whatever was on disk, so keep the required version. */
			if (nmods && fl[2]) {
				mods[nmods - 1].path = dd_arena_strndup(a, f[1], fl[1]);
				mods[nmods - 1].version = dd_arena_strndup(a, f[2], fl[2]);
			}
			continue;
		}
		if (nmods == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct go_mod *nm = dd_arena_alloc(a, nc * sizeof *nm);
			if (!nm)
				break;
			if (nmods)
				memcpy(nm, mods, nmods * sizeof *nm);
			mods = nm;
			cap = nc;
		}
		mods[nmods].path = dd_arena_strndup(a, f[1], fl[1]);
		mods[nmods].version = fl[2] ? dd_arena_strndup(a, f[2], fl[2]) : NULL;
		mods[nmods].main = is_mod;
		nmods++;
	}
	if (dd_arena_status(a)) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	if (goversion && *goversion) {
		const char *v = goversion;
		size_t vl = strcspn(v, " \t");
		if (vl > 2 && memcmp(v, "go", 2) == 0 && v[2] >= '0' && v[2] <= '9') {
			v += 2;
			vl -= 2;
		}
		char *ver = dd_arena_strndup(a, v, vl);
		if (!ver) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			goto out;
		}
		struct dd_lang_pkg p = { .type = "golang", .name = "stdlib", .version = ver };
		if ((rc = dd_lang_emit(s, &p, err)))
			goto out;
	}
	for (size_t i = 0; i < nmods; i++) {
		const char *v = mods[i].version;
		if (mods[i].main && ldver && (!v || strcmp(v, "(devel)") == 0))
			v = ldver;
		if ((rc = emit_module(s, a, mods[i].path, v, err)))
			goto out;
	}
out:
	dd_arena_free(a);
	return rc;
}

/* Go's reader looks for the magic at 16-byte alignment in the data segment;
 * without a section table we do the same over the whole file. */
static const unsigned char *find_magic(const unsigned char *d, size_t n, size_t *left)
{
	for (size_t i = 0; i + 32 <= n; i += 16) {
		if (d[i] == 0xff && memcmp(d + i, GO_MAGIC, GO_MAGIC_LEN) == 0) {
			*left = n - i;
			return d + i;
		}
	}
	return NULL;
}

/* The build info of a Go binary: its 32-byte header, the toolchain version
 * and the module info (with its sentinels), wherever the format keeps them. */
struct go_info {
	const unsigned char *hdr, *ver, *mod;
	size_t verlen, modlen;
};

static dd_code go_locate(const struct dd_bytes *b, struct go_info *gi, struct dd_err *err)
{
	struct dd_elf e;
	dd_code rc = dd_elf_open(&e, b, err);
	if (rc)
		return rc;
	struct dd_elf_shdr sh;
	const unsigned char *bi = NULL, *d;
	size_t bl = 0;
	if (dd_elf_section(&e, ".go.buildinfo", &sh)) {
		bi = dd_bytes_at(b, sh.off, sh.size);
		bl = (size_t)sh.size;
	} else if (!e.shoff) {
		/* No section table: the header is somewhere in the file. */
		if ((d = dd_bytes_at(b, 0, b->n)))
			bi = find_magic(d, (size_t)b->n, &bl);
	} else {
		return dd_err_set(err, DD_ENOTFOUND, "no .go.buildinfo section");
	}
	if (!bi || bl < 32 || memcmp(bi, GO_MAGIC, GO_MAGIC_LEN) != 0)
		return dd_err_set(err, DD_ENOTFOUND, "no Go build info");
	gi->hdr = bi;
	unsigned ptrsize = bi[14];
	unsigned flags = bi[15];
	bool be = flags & 1;
	gi->verlen = gi->modlen = 0;
	if (flags & 2) {
		size_t pos = 32;
		uint64_t l;
		if (!uvarint(bi, bl, &pos, &l) || l > GO_MAX_VERSION || l > bl - pos)
			return dd_err_set(err, DD_EINVAL, ".go.buildinfo: bad version length");
		gi->ver = bi + pos;
		gi->verlen = (size_t)l;
		pos += gi->verlen;
		if (!uvarint(bi, bl, &pos, &l) || l > GO_MAX_MODINFO || l > bl - pos)
			return dd_err_set(err, DD_EINVAL, ".go.buildinfo: bad module info length");
		gi->mod = bi + pos;
		gi->modlen = (size_t)l;
	} else {
		if (ptrsize != 4 && ptrsize != 8)
			return dd_err_set(err, DD_EINVAL, ".go.buildinfo: pointer size %u", ptrsize);
		if (bl < 16 + 2u * ptrsize)
			return dd_err_set(err, DD_EINVAL, ".go.buildinfo: truncated");
		uint64_t va = dd_elf_uint(be, bi + 16, ptrsize);
		uint64_t ma = dd_elf_uint(be, bi + 16 + ptrsize, ptrsize);
		gi->ver = go_string(&e, be, ptrsize, va, GO_MAX_VERSION, &gi->verlen);
		if (!gi->ver)
			return dd_err_set(err, DD_EINVAL,
					  ".go.buildinfo: version string at 0x%llx not in the file",
					  (unsigned long long)va);
		gi->mod = go_string(&e, be, ptrsize, ma, GO_MAX_MODINFO, &gi->modlen);
		if (!gi->mod)
			gi->modlen = 0;
	}
	return DD_OK;
}

static size_t put_uvarint(unsigned char *p, uint64_t v)
{
	size_t i = 0;
	for (; v >= 0x80; v >>= 7)
		p[i++] = (unsigned char)(v | 0x80);
	p[i++] = (unsigned char)v;
	return i;
}

/* Keeps the build info in the Go 1.18+ inline form whatever the binary's
 * format, so that the kept section needs nothing else of the file. */
static dd_code go_extract(const struct dd_bytes *bytes, struct dd_arena *a,
			  struct dd_catalog_part *out, struct dd_err *err)
{
	struct go_info gi;
	dd_code rc = go_locate(bytes, &gi, err);
	if (rc)
		return rc;
	unsigned char *b = dd_arena_alloc(a, 32 + 2 * 10 + gi.verlen + gi.modlen);
	if (!b)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	memcpy(b, gi.hdr, 32);
	b[15] |= 2;
	size_t at = 32;
	at += put_uvarint(b + at, gi.verlen);
	memcpy(b + at, gi.ver, gi.verlen);
	at += gi.verlen;
	at += put_uvarint(b + at, gi.modlen);
	if (gi.modlen)
		memcpy(b + at, gi.mod, gi.modlen);
	*out = (struct dd_catalog_part){ ".go.buildinfo", b, at + gi.modlen };
	return DD_OK;
}

dd_code dd_lang_parse_go_elf(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			     struct dd_err *err)
{
	struct go_info gi;
	struct dd_bytes b = dd_bytes_mem(d, n);
	dd_code rc = go_locate(&b, &gi, err);
	if (rc)
		return rc;
	const unsigned char *ver = gi.ver, *mod = gi.mod;
	size_t verlen = gi.verlen, modlen = gi.modlen;
	if (verlen == 0)
		return dd_err_set(err, DD_ENOTFOUND, "Go build info without a toolchain version");
	if (modlen >= 33 && mod[modlen - 17] == '\n') {
		mod += 16;
		modlen -= 32;
	} else {
		modlen = 0;
	}
	char version[GO_MAX_VERSION + 1];
	memcpy(version, ver, verlen);
	version[verlen] = '\0';
	if (memchr(version, 0, verlen))
		return dd_err_set(err, DD_EINVAL, ".go.buildinfo: NUL in version");
	return dd_lang_parse_go_modinfo(version, (const char *)mod, modlen, s, err);
}

static dd_code go_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	return dd_lang_each_elf(ctx, "go-binary", dd_lang_parse_go_elf, err);
}

const struct dd_cataloger dd_cataloger_go_binary = {
	.name = "go-binary",
	.version = 2,
	.kind = DD_CATALOGER_LANG,
	.wants_magic = dd_lang_wants_elf,
	.magic_path = dd_lang_maybe_program,
	.extract = go_extract,
	.run = go_run,
};
