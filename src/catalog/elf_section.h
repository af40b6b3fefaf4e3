/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal, bounds-checked ELF reader for the catalogers that look inside
 * binaries (go_buildinfo.c, rust_audit.c): the file header, the section
 * header table and its name table, and mapping a virtual address to file
 * bytes through section headers. ELF32 and ELF64, little and big endian
 * (System V gABI, "ELF Header" and "Sections" chapters). It never follows
 * an offset without checking it against the file size, and reads nothing
 * else (no symbols, no relocations, no program interpretation).
 */
#ifndef DD_ELF_SECTION_H
#define DD_ELF_SECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dd/err.h"
#include "util/bytes.h"

struct dd_arena;

struct dd_elf {
	const struct dd_bytes *b;     /* borrowed: outlives the dd_elf */
	const unsigned char *sh;      /* the section header table, or NULL */
	bool is64, be;
	uint64_t shoff;
	unsigned shentsize, shnum, shstrndx;
};

struct dd_elf_shdr {
	const char *name;     /* points into the name table; NUL-terminated within it */
	uint32_t type;
	uint64_t addr, off, size;
};

/* True when the bytes start with the ELF magic. */
bool dd_elf_is_elf(const unsigned char *d, size_t n);

/* True for an ELF header (the first 32+ bytes) that may be a program: an
 * executable (ET_EXEC), or a position-independent one (ET_DYN with an entry
 * point). Shared libraries (ET_DYN, entry 0), object files and core dumps
 * are not: the image reader keeps every file this accepts in memory, and
 * libraries are most of an image's ELF bytes (63 % on a Debian 12 host). */
bool dd_elf_maybe_program(const unsigned char *d, size_t n);

/* Checks the header and the section header table's bounds, and reads the
 * table: the header, the table, the name table and what dd_elf_section
 * and dd_elf_vaddr return are all that is read of b. DD_ENOTFOUND if not
 * ELF, DD_EINVAL with the offending field otherwise (or DD_EIO when b's
 * fetch failed on the table). */
dd_code dd_elf_open(struct dd_elf *e, const struct dd_bytes *b, struct dd_err *err);

/* Finds a section by name; false when absent or its bytes lie outside the
 * file (SHT_NOBITS sections have no bytes and are never returned). */
bool dd_elf_section(const struct dd_elf *e, const char *name, struct dd_elf_shdr *out);

/* The file bytes of [addr, addr+len) in the process image, through the
 * section that contains them; NULL when unmapped, out of the file or not
 * read. */
const unsigned char *dd_elf_vaddr(const struct dd_elf *e, uint64_t addr, uint64_t len);

/* One section of a file built by dd_elf_build. */
struct dd_elf_part {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* Builds in `a` a minimal ELF64 little-endian executable (ET_EXEC) holding
 * only the given sections (SHT_PROGBITS at address 0) and their name table:
 * what the image reader keeps of a program instead of the program
 * (dd_catalog_reduce), readable by dd_elf_open/dd_elf_section like any
 * other ELF. NULL when out of memory. */
unsigned char *dd_elf_build(struct dd_arena *a, const struct dd_elf_part *parts, size_t n,
			    size_t *len);

/* An unsigned integer of 1, 2, 4 or 8 bytes in the file's byte order. */
uint64_t dd_elf_uint(bool be, const unsigned char *p, unsigned width);

#endif
