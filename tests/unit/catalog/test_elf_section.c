/* SPDX-License-Identifier: Apache-2.0 */
/* The bounds-checked ELF reader (elf_section.c) on hand-made files. */
#include "catalog/elf_section.h"
#include "lang_test_util.h"

DD_TEST(all_classes_and_byte_orders)
{
	for (int is64 = 0; is64 < 2; is64++) {
		for (int be = 0; be < 2; be++) {
			struct elf_sec secs[] = { { ".a", 0x1000, "AAAA", 4 }, { ".bb", 0x2000, "BBBBBBBB", 8 } };
			size_t n;
			unsigned char *d = make_elf(is64, be, secs, 2, &n);
			struct dd_elf e;
			struct dd_err err;
			struct dd_bytes b = dd_bytes_mem(d, n);
			ASSERT_OK(dd_elf_open(&e, &b, &err), &err);
			EXPECT_EQ_INT(e.is64, is64);
			EXPECT_EQ_INT(e.be, be);
			struct dd_elf_shdr sh;
			ASSERT_TRUE(dd_elf_section(&e, ".bb", &sh));
			EXPECT_EQ_INT(sh.size, 8);
			EXPECT_TRUE(!memcmp(d + sh.off, "BBBBBBBB", 8));
			EXPECT_TRUE(!dd_elf_section(&e, ".b", &sh));
			const unsigned char *p = dd_elf_vaddr(&e, 0x2004, 4);
			ASSERT_TRUE(p != NULL);
			EXPECT_TRUE(!memcmp(p, "BBBB", 4));
			EXPECT_TRUE(dd_elf_vaddr(&e, 0x2006, 4) == NULL); /* runs past the section */
			EXPECT_TRUE(dd_elf_vaddr(&e, 0x5000, 1) == NULL);
			/* Every truncation is rejected or yields nothing out of bounds. */
			for (size_t cut = 0; cut < n; cut++) {
				struct dd_elf t;
				struct dd_bytes tb = dd_bytes_mem(d, cut);
				if (dd_elf_open(&t, &tb, &err) == DD_OK && dd_elf_section(&t, ".bb", &sh))
					EXPECT_TRUE(sh.off + sh.size <= cut);
			}
			free(d);
		}
	}
}

static dd_code elf_open_mem(struct dd_elf *e, const unsigned char *d, size_t n, struct dd_err *err)
{
	static struct dd_bytes b; /* outlives the dd_elf, as dd_elf_open asks */
	b = dd_bytes_mem(d, n);
	return dd_elf_open(e, &b, err);
}

DD_TEST(hostile_headers)
{
	struct elf_sec secs[] = { { ".a", 0x1000, "AAAA", 4 } };
	size_t n;
	unsigned char *d = make_elf(1, 0, secs, 1, &n);
	struct dd_elf e;
	struct dd_err err;
	unsigned char *c = malloc(n);
	memcpy(c, d, n);
	put_uint(c + 40, (uint64_t)-64, 8, 0); /* e_shoff near 2^64 */
	EXPECT_EQ_INT(elf_open_mem(&e, c, n, &err), DD_EINVAL);
	memcpy(c, d, n);
	put_uint(c + 60, 0xfff0, 2, 0); /* e_shnum past the file */
	EXPECT_EQ_INT(elf_open_mem(&e, c, n, &err), DD_EINVAL);
	memcpy(c, d, n);
	put_uint(c + 58, 8, 2, 0); /* e_shentsize too small */
	EXPECT_EQ_INT(elf_open_mem(&e, c, n, &err), DD_EINVAL);
	memcpy(c, d, n);
	c[4] = 7;
	EXPECT_EQ_INT(elf_open_mem(&e, c, n, &err), DD_EINVAL);
	EXPECT_EQ_INT(elf_open_mem(&e, (const unsigned char *)"\x7f" "EL", 3, &err), DD_ENOTFOUND);
	free(c);
	free(d);
}

DD_TEST(maybe_program)
{
	unsigned char h[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	put_uint(h + 16, 2, 2, 0); /* ET_EXEC */
	EXPECT_TRUE(dd_elf_maybe_program(h, sizeof h));
	put_uint(h + 16, 3, 2, 0); /* ET_DYN, entry 0: a shared library */
	EXPECT_TRUE(!dd_elf_maybe_program(h, sizeof h));
	put_uint(h + 24, 0x1040, 8, 0); /* ET_DYN with an entry: a PIE program */
	EXPECT_TRUE(dd_elf_maybe_program(h, sizeof h));
	put_uint(h + 16, 1, 2, 0); /* ET_REL */
	EXPECT_TRUE(!dd_elf_maybe_program(h, sizeof h));
	unsigned char b[52] = { 0x7f, 'E', 'L', 'F', 1, 2, 1 };
	put_uint(b + 16, 3, 2, 1);
	put_uint(b + 24, 0x400, 4, 1); /* ELF32 big-endian PIE */
	EXPECT_TRUE(dd_elf_maybe_program(b, sizeof b));
	EXPECT_TRUE(!dd_elf_maybe_program(b, 20));
}
