/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rust binaries built with cargo-auditable: the ELF section `.dep-v0` holds
 * the dependency tree as zlib-compressed JSON
 * ({"packages":[{"name","version","source","kind","dependencies","root"}]},
 * format described in rust-secure-code/cargo-auditable, PARSING.md). Every
 * listed package is one cargo package; "kind":"build" marks a build-time
 * dependency, which is not linked into the binary (DD_PKG_DEV). Binaries
 * without the section are skipped silently: plain Rust binaries carry no
 * dependency list at all. While the image streams, rust_extract keeps only
 * the section, still compressed (catalog.h, dd_catalog_reduce).
 */
#include <string.h>
#include <zlib.h>

#include "catalog/elf_section.h"
#include "catalog/lang.h"
#include "util/alloc.h"
#include "util/arena.h"

/* The JSON of a large workspace is a few hundred KiB; cargo-auditable itself
 * refuses more than 8 MiB when reading. */
#define RUST_AUDIT_MAX (8u << 20)

dd_code dd_lang_parse_rust_audit_json(const unsigned char *d, size_t n, struct dd_lang_sink *s,
				      struct dd_err *err)
{
	struct dd_json_doc doc;
	dd_code rc = dd_json_doc_parse(&doc, d, n, err);
	if (rc) {
		dd_json_doc_release(&doc);
		return rc;
	}
	const struct dd_json *pkgs = dd_json_as(dd_json_get(doc.root, "packages"), DD_JSON_ARRAY);
	if (!pkgs) {
		dd_json_doc_release(&doc);
		return dd_err_set(err, DD_EINVAL, ".dep-v0: no \"packages\" array");
	}
	dd_json_each(p, pkgs) {
		if (rc)
			break;
		const char *kind = dd_json_str(p, "kind");
		struct dd_lang_pkg pk = {
			.type = "cargo",
			.name = dd_json_str(p, "name"),
			.version = dd_json_str(p, "version"),
			.flags = kind && strcmp(kind, "build") == 0 ? DD_PKG_DEV : 0,
		};
		rc = dd_lang_emit(s, &pk, err);
	}
	dd_json_doc_release(&doc);
	return rc;
}

/* The .dep-v0 section of an ELF file. */
static dd_code dep_section(const struct dd_bytes *b, struct dd_elf_shdr *sh, struct dd_err *err)
{
	struct dd_elf e;
	dd_code rc = dd_elf_open(&e, b, err);
	if (rc)
		return rc;
	if (!dd_elf_section(&e, ".dep-v0", sh))
		return dd_err_set(err, DD_ENOTFOUND, "no .dep-v0 section");
	return DD_OK;
}

dd_code dd_lang_parse_rust_elf(const unsigned char *d, size_t n, struct dd_lang_sink *s,
			       struct dd_err *err)
{
	struct dd_elf_shdr sh;
	struct dd_bytes b = dd_bytes_mem(d, n);
	dd_code rc = dep_section(&b, &sh, err);
	if (rc)
		return rc;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	size_t cap = 4096, len = 0;
	unsigned char *out = dd_malloc(cap);
	if (!out) {
		inflateEnd(&z);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	z.next_in = (unsigned char *)(uintptr_t)(d + sh.off);
	z.avail_in = (uInt)(sh.size > UINT32_MAX ? UINT32_MAX : sh.size);
	int zr = Z_OK;
	while (zr == Z_OK) {
		if (len == cap) {
			if (cap >= RUST_AUDIT_MAX) {
				rc = dd_err_set(err, DD_ELIMIT, ".dep-v0 inflates past %u bytes",
						RUST_AUDIT_MAX);
				goto out;
			}
			unsigned char *no = dd_realloc(out, cap * 2);
			if (!no) {
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
				goto out;
			}
			out = no;
			cap *= 2;
		}
		z.next_out = out + len;
		z.avail_out = (uInt)(cap - len);
		zr = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
		if (zr == Z_BUF_ERROR && z.avail_out == 0)
			zr = Z_OK; /* needs more room */
	}
	if (zr != Z_STREAM_END) {
		rc = dd_err_set(err, DD_EINVAL, ".dep-v0 at offset %llu: zlib: %s",
				(unsigned long long)sh.off, z.msg ? z.msg : "truncated stream");
		goto out;
	}
	rc = dd_lang_parse_rust_audit_json(out, len, s, err);
	if (rc && rc != DD_ENOMEM)
		dd_err_prefix(err, ".dep-v0: ");
out:
	inflateEnd(&z);
	free(out);
	return rc;
}

static dd_code rust_extract(const struct dd_bytes *bytes, struct dd_arena *a,
			    struct dd_catalog_part *out, struct dd_err *err)
{
	struct dd_elf_shdr sh;
	dd_code rc = dep_section(bytes, &sh, err);
	if (rc)
		return rc;
	if (sh.size > RUST_AUDIT_MAX)
		return dd_err_set(err, DD_ELIMIT, ".dep-v0: %llu bytes, more than %u",
				  (unsigned long long)sh.size, RUST_AUDIT_MAX);
	const unsigned char *d = dd_bytes_at(bytes, sh.off, sh.size);
	if (!d)
		return dd_err_set(err, DD_EIO, ".dep-v0 not read");
	unsigned char *b = dd_arena_memdup(a, d, (size_t)sh.size);
	if (!b && sh.size)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	*out = (struct dd_catalog_part){ ".dep-v0", b, (size_t)sh.size };
	return DD_OK;
}

static dd_code rust_run(const struct dd_catalog_ctx *ctx, struct dd_err *err)
{
	return dd_lang_each_elf(ctx, "rust-binary", dd_lang_parse_rust_elf, err);
}

const struct dd_cataloger dd_cataloger_rust_binary = {
	.name = "rust-binary",
	.version = 2,
	.kind = DD_CATALOGER_LANG,
	.wants_magic = dd_lang_wants_elf,
	.magic_path = dd_lang_maybe_program,
	.extract = rust_extract,
	.run = rust_run,
};
