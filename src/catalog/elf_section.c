/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ELF section lookup (elf_section.h). Field offsets are from the System V
 * gABI, "ELF Header" (e_shoff, e_shentsize, e_shnum, e_shstrndx) and
 * "Sections" (sh_name, sh_type, sh_addr, sh_offset, sh_size) for both
 * classes. Files with e_shnum == 0 and the count in section 0 (more than
 * 65279 sections) are handled as the gABI says.
 */
#include <string.h>

#include "catalog/elf_section.h"
#include "util/arena.h"

#define SHT_NOBITS 8u

bool dd_elf_is_elf(const unsigned char *d, size_t n)
{
	return n >= 4 && memcmp(d, "\x7f" "ELF", 4) == 0;
}

bool dd_elf_maybe_program(const unsigned char *d, size_t n)
{
	if (!dd_elf_is_elf(d, n) || n < 32 || (d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2))
		return false;
	bool be = d[5] == 2;
	uint64_t type = dd_elf_uint(be, d + 16, 2);
	uint64_t entry = d[4] == 2 ? dd_elf_uint(be, d + 24, 8) : dd_elf_uint(be, d + 24, 4);
	return type == 2 || (type == 3 && entry != 0);
}

uint64_t dd_elf_uint(bool be, const unsigned char *p, unsigned width)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < width; i++) {
		unsigned b = be ? i : width - 1 - i;
		v = (v << 8) | p[b];
	}
	return v;
}

static bool in_file(const struct dd_elf *e, uint64_t off, uint64_t len)
{
	return off <= e->b->n && len <= e->b->n - off;
}

static void parse_shdr(const struct dd_elf *e, const unsigned char *p, struct dd_elf_shdr *s,
		       uint32_t *name_off)
{
	*name_off = (uint32_t)dd_elf_uint(e->be, p, 4);
	s->type = (uint32_t)dd_elf_uint(e->be, p + 4, 4);
	if (e->is64) {
		s->addr = dd_elf_uint(e->be, p + 16, 8);
		s->off = dd_elf_uint(e->be, p + 24, 8);
		s->size = dd_elf_uint(e->be, p + 32, 8);
	} else {
		s->addr = dd_elf_uint(e->be, p + 12, 4);
		s->off = dd_elf_uint(e->be, p + 16, 4);
		s->size = dd_elf_uint(e->be, p + 20, 4);
	}
	s->name = NULL;
}

/* Section i < e->shnum, from the table dd_elf_open read. */
static void read_shdr(const struct dd_elf *e, unsigned i, struct dd_elf_shdr *s, uint32_t *name_off)
{
	parse_shdr(e, e->sh + (size_t)i * e->shentsize, s, name_off);
}

dd_code dd_elf_open(struct dd_elf *e, const struct dd_bytes *b, struct dd_err *err)
{
	memset(e, 0, sizeof *e);
	e->b = b;
	uint64_t n = b->n;
	const unsigned char *d = dd_bytes_at(b, 0, n < 64 ? n : 64);
	if (!d || !dd_elf_is_elf(d, n < 64 ? (size_t)n : 64))
		return dd_err_set(err, DD_ENOTFOUND, "not an ELF file");
	if (n < 52)
		return dd_err_set(err, DD_EINVAL, "ELF header truncated (%llu bytes)",
				  (unsigned long long)n);
	if (d[4] != 1 && d[4] != 2)
		return dd_err_set(err, DD_EINVAL, "ELF: EI_CLASS %u is neither 32 nor 64 bit", d[4]);
	if (d[5] != 1 && d[5] != 2)
		return dd_err_set(err, DD_EINVAL, "ELF: EI_DATA %u is neither LSB nor MSB", d[5]);
	e->is64 = d[4] == 2;
	e->be = d[5] == 2;
	if (e->is64 && n < 64)
		return dd_err_set(err, DD_EINVAL, "ELF64 header truncated (%llu bytes)",
				  (unsigned long long)n);
	if (e->is64) {
		e->shoff = dd_elf_uint(e->be, d + 40, 8);
		e->shentsize = (unsigned)dd_elf_uint(e->be, d + 58, 2);
		e->shnum = (unsigned)dd_elf_uint(e->be, d + 60, 2);
		e->shstrndx = (unsigned)dd_elf_uint(e->be, d + 62, 2);
	} else {
		e->shoff = dd_elf_uint(e->be, d + 32, 4);
		e->shentsize = (unsigned)dd_elf_uint(e->be, d + 46, 2);
		e->shnum = (unsigned)dd_elf_uint(e->be, d + 48, 2);
		e->shstrndx = (unsigned)dd_elf_uint(e->be, d + 50, 2);
	}
	if (e->shoff == 0)
		return DD_OK; /* no section table: dd_elf_section finds nothing */
	unsigned want = e->is64 ? 64 : 40;
	if (e->shentsize < want)
		return dd_err_set(err, DD_EINVAL, "ELF: e_shentsize %u < %u", e->shentsize, want);
	const unsigned char *p0 = dd_bytes_at(b, e->shoff, e->shentsize);
	if (!p0)
		return dd_err_set(err, DD_EINVAL, "ELF: e_shoff %llu outside the file",
				  (unsigned long long)e->shoff);
	struct dd_elf_shdr s0;
	uint32_t no;
	parse_shdr(e, p0, &s0, &no);
	/* gABI: e_shnum 0 means the count is in section 0's sh_size;
	 * e_shstrndx SHN_XINDEX (0xffff) means it is in section 0's sh_link. */
	if (e->shnum == 0)
		e->shnum = s0.size > 0xffffff ? 0 : (unsigned)s0.size;
	if (e->shstrndx == 0xffff)
		e->shstrndx = (unsigned)dd_elf_uint(e->be, p0 + (e->is64 ? 40 : 24), 4);
	if (!in_file(e, e->shoff, (uint64_t)e->shnum * e->shentsize))
		return dd_err_set(err, DD_EINVAL, "ELF: %u section headers at %llu overrun the file",
				  e->shnum, (unsigned long long)e->shoff);
	if (e->shstrndx >= e->shnum)
		return dd_err_set(err, DD_EINVAL, "ELF: e_shstrndx %u >= e_shnum %u", e->shstrndx,
				  e->shnum);
	if (!(e->sh = dd_bytes_at(b, e->shoff, (uint64_t)e->shnum * e->shentsize)))
		return dd_err_set(err, DD_EIO, "ELF: section headers not read");
	return DD_OK;
}

bool dd_elf_section(const struct dd_elf *e, const char *name, struct dd_elf_shdr *out)
{
	if (!e->sh || !e->shnum)
		return false;
	struct dd_elf_shdr strtab;
	uint32_t no;
	read_shdr(e, e->shstrndx, &strtab, &no);
	const unsigned char *names;
	if (strtab.type == SHT_NOBITS || !(names = dd_bytes_at(e->b, strtab.off, strtab.size)))
		return false;
	size_t nl = strlen(name);
	for (unsigned i = 0; i < e->shnum; i++) {
		struct dd_elf_shdr s;
		read_shdr(e, i, &s, &no);
		if (no >= strtab.size || strtab.size - no < nl + 1)
			continue;
		const char *sn = (const char *)names + no;
		if (memcmp(sn, name, nl + 1) != 0)
			continue;
		if (s.type == SHT_NOBITS || !in_file(e, s.off, s.size))
			return false;
		s.name = sn;
		*out = s;
		return true;
	}
	return false;
}

const unsigned char *dd_elf_vaddr(const struct dd_elf *e, uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; e->sh && i < e->shnum; i++) {
		struct dd_elf_shdr s;
		uint32_t no;
		read_shdr(e, i, &s, &no);
		if (s.type == SHT_NOBITS || s.addr == 0 || addr < s.addr || addr - s.addr >= s.size)
			continue;
		uint64_t rel = addr - s.addr;
		if (len > s.size - rel || !in_file(e, s.off, s.size))
			return NULL;
		return dd_bytes_at(e->b, s.off + rel, len);
	}
	return NULL;
}

static void put_le(unsigned char *p, uint64_t v, unsigned width)
{
	for (unsigned i = 0; i < width; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* Layout: the 64-byte file header, each section's bytes at an 8-byte
 * aligned offset, the name table, then the section headers (null, the
 * parts, the name table), as a linker lays them out. */
unsigned char *dd_elf_build(struct dd_arena *a, const struct dd_elf_part *parts, size_t n,
			    size_t *len)
{
	enum { EHDR = 64, SHDR = 64 };
	size_t off = EHDR, names = 1 + sizeof ".shstrtab";
	for (size_t i = 0; i < n; i++) {
		off = (off + 7) & ~(size_t)7;
		off += parts[i].len;
		names += strlen(parts[i].name) + 1;
	}
	size_t stroff = off, shoff = (stroff + names + 7) & ~(size_t)7;
	size_t total = shoff + (n + 2) * SHDR;
	unsigned char *d = dd_arena_alloc(a, total);
	if (!d)
		return NULL;
	memset(d, 0, total);
	memcpy(d, "\x7f" "ELF", 4);
	d[4] = 2;                        /* ELFCLASS64 */
	d[5] = 1;                        /* ELFDATA2LSB */
	d[6] = 1;                        /* EV_CURRENT */
	put_le(d + 16, 2, 2);            /* e_type ET_EXEC */
	put_le(d + 20, 1, 4);            /* e_version */
	put_le(d + 40, shoff, 8);        /* e_shoff */
	put_le(d + 52, EHDR, 2);         /* e_ehsize */
	put_le(d + 58, SHDR, 2);         /* e_shentsize */
	put_le(d + 60, n + 2, 2);        /* e_shnum */
	put_le(d + 62, n + 1, 2);        /* e_shstrndx */
	size_t at = EHDR, name = 1;
	for (size_t i = 0; i <= n; i++) {
		unsigned char *sh = d + shoff + (i + 1) * SHDR;
		const char *nm = i < n ? parts[i].name : ".shstrtab";
		size_t nl = strlen(nm) + 1;
		memcpy(d + stroff + name, nm, nl);
		put_le(sh, name, 4);                  /* sh_name */
		put_le(sh + 4, i < n ? 1 : 3, 4);     /* SHT_PROGBITS / SHT_STRTAB */
		name += nl;
		if (i == n) {
			put_le(sh + 24, stroff, 8);
			put_le(sh + 32, names, 8);
			break;
		}
		at = (at + 7) & ~(size_t)7;
		if (parts[i].len)
			memcpy(d + at, parts[i].data, parts[i].len);
		put_le(sh + 24, at, 8);               /* sh_offset */
		put_le(sh + 32, parts[i].len, 8);     /* sh_size */
		put_le(sh + 48, 1, 8);                /* sh_addralign */
		at += parts[i].len;
	}
	*len = total;
	return d;
}
