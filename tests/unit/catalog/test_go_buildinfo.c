/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go build info (go_buildinfo.c) from hand-made ELF files: the Go 1.18+
 * inline format in ELF64 little endian, the older pointer format in ELF32
 * big endian, module lines with replacements, GOPATH binaries, and damaged
 * inputs (truncated, lengths past the end, pointers outside the file).
 */
#include "lang_test_util.h"

static const char SENT_A[] = "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char SENT_B[] = "\xf9" "2C1\x86\x18 r\x00\x82" "B\x10" "A\x16\xd8\xf2";

static size_t wrap_mod(char *out, const char *text)
{
	size_t tl = strlen(text);
	memcpy(out, SENT_A, 16);
	memcpy(out + 16, text, tl);
	memcpy(out + 16 + tl, SENT_B, 16);
	return tl + 32;
}

static unsigned char *inline_elf(const char *ver, const char *modtext, size_t *n)
{
	unsigned char bi[4096] = { 0 };
	memcpy(bi, "\xff Go buildinf:", 14);
	bi[14] = 8;
	bi[15] = 2;
	size_t p = 32;
	bi[p++] = (unsigned char)strlen(ver);
	memcpy(bi + p, ver, strlen(ver));
	p += strlen(ver);
	char mod[2048];
	size_t ml = modtext ? wrap_mod(mod, modtext) : 0;
	bi[p++] = (unsigned char)(0x80 | (ml & 0x7f));
	bi[p++] = (unsigned char)(ml >> 7);
	memcpy(bi + p, mod, ml);
	p += ml;
	static unsigned char text[64 << 10]; /* code, which the image need not read */
	memset(text, 0xcc, sizeof text);
	struct elf_sec s[] = { { ".text", 0x401000, text, sizeof text },
			       { ".go.buildinfo", 0x500000, bi, p } };
	return make_elf(1, 0, s, 2, n);
}

DD_TEST(inline_format_modules_and_replacement)
{
	const char *mod = "path\texample.com/cmd/tool\n"
			  "mod\texample.com\tv1.2.3\th1:abc=\n"
			  "dep\tgolang.org/x/net\tv0.1.0\th1:x=\n"
			  "dep\tgithub.com/old/lib\tv1.0.0\n"
			  "=>\tgithub.com/new/lib\tv1.0.5\th1:y=\n"
			  "dep\tgithub.com/local/lib\tv0.3.0\n"
			  "=>\t../lib\t\t\n"
			  "build\tCGO_ENABLED=0\n";
	size_t n;
	unsigned char *elf = inline_elf("go1.21.3", mod, &n);
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "usr/bin/tool");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_go_elf(elf, n, &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 5);
	/* The image keeps the build info, not the code; read by range (dir:),
	 * the code is not read either. */
	size_t kept = expect_reduce_same(elf, n, dd_lang_parse_go_elf);
	EXPECT_TRUE(kept > 0 && kept < n);
	EXPECT_TRUE(reduce_fetched_bytes < 4096);
	EXPECT_EQ_INT(expect_reduce_same(elf, n, dd_lang_parse_rust_elf), kept);
	EXPECT_HAS(sb, "stdlib", "1.21.3");
	EXPECT_HAS(sb, "example.com", "v1.2.3");
	EXPECT_HAS(sb, "golang.org/x/net", "v0.1.0");
	EXPECT_HAS(sb, "github.com/new/lib", "v1.0.5");
	EXPECT_HAS(sb, "github.com/local/lib", "v0.3.0");
	EXPECT_TRUE(pkg(sb, "github.com/old/lib", NULL) == NULL);
	EXPECT_STR_EQ(pkg(sb, "golang.org/x/net", NULL)->purl, "pkg:golang/golang.org/x/net@v0.1.0");
	EXPECT_STR_EQ(pkg(sb, "example.com", NULL)->purl, "pkg:golang/example.com@v1.2.3");
	/* "(devel)" stays the version but is not put in the purl. */
	ASSERT_OK(dd_lang_parse_go_modinfo("go1.21.3", "mod\tex.org/m\t(devel)\t\n", 22, &s, &err), &err);
	EXPECT_STR_EQ(pkg(sb, "ex.org/m", "(devel)")->purl, "pkg:golang/ex.org/m");
	dd_sbom_free(sb);
	free(elf);
}

DD_TEST(gopath_binary_only_stdlib)
{
	size_t n;
	unsigned char *elf = inline_elf("go1.19.8", "path\tfilippo.io/age/cmd/age\nbuild\t-trimpath=true\n", &n);
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "usr/bin/age");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_go_elf(elf, n, &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 1);
	EXPECT_HAS(sb, "stdlib", "1.19.8");
	dd_sbom_free(sb);
	free(elf);
}

DD_TEST(pointer_format_elf32_big_endian)
{
	const char *ver = "go1.16.15";
	char mod[256];
	size_t ml = wrap_mod(mod, "path\tx.org/y\nmod\tx.org/y\tv0.9.0\t\ndep\tz.org/w\tv2.0.0+incompatible\t\n");
	unsigned char ro[512] = { 0 };
	put_uint(ro + 0, 0x2000 + 0x20, 4, 1);
	put_uint(ro + 4, strlen(ver), 4, 1);
	put_uint(ro + 8, 0x2000 + 0x40, 4, 1);
	put_uint(ro + 12, ml, 4, 1);
	memcpy(ro + 0x20, ver, strlen(ver));
	memcpy(ro + 0x40, mod, ml);
	unsigned char bi[32] = { 0 };
	memcpy(bi, "\xff Go buildinf:", 14);
	bi[14] = 4;
	bi[15] = 1; /* big endian, pointer format */
	put_uint(bi + 16, 0x2000, 4, 1);
	put_uint(bi + 20, 0x2008, 4, 1);
	struct elf_sec secs[] = { { ".rodata", 0x2000, ro, 0x40 + ml },
				  { ".go.buildinfo", 0x3000, bi, 32 } };
	size_t n;
	unsigned char *elf = make_elf(0, 1, secs, 2, &n);
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "bin/y");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_go_elf(elf, n, &s, &err), &err);
	EXPECT_EQ_INT(sb->npkgs, 3);
	EXPECT_HAS(sb, "stdlib", "1.16.15");
	EXPECT_HAS(sb, "x.org/y", "v0.9.0");
	EXPECT_HAS(sb, "z.org/w", "v2.0.0+incompatible");
	dd_sbom_free(sb);
	/* Kept in the inline form: the strings the pointers name, not .rodata. */
	size_t kept = expect_reduce_same(elf, n, dd_lang_parse_go_elf);
	EXPECT_TRUE(kept > 0 && kept < n);

	/* A pointer outside every section is an error, not a read. */
	put_uint(bi + 16, 0x9000, 4, 1);
	free(elf);
	elf = make_elf(0, 1, secs, 2, &n);
	sb = new_sbom(&s, "bin/y");
	EXPECT_EQ_INT(dd_lang_parse_go_elf(elf, n, &s, &err), DD_EINVAL);
	EXPECT_EQ_INT(sb->npkgs, 0);
	/* Kept whole, so that the scan warns about it as it would have. */
	EXPECT_EQ_INT(expect_reduce_same(elf, n, dd_lang_parse_go_elf), n);
	dd_sbom_free(sb);
	free(elf);
}

DD_TEST(not_go_and_damaged)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "x");
	struct dd_err err;
	struct elf_sec text[] = { { ".text", 0x1000, "\x90\x90", 2 } };
	size_t n;
	unsigned char *elf = make_elf(1, 0, text, 1, &n);
	EXPECT_EQ_INT(dd_lang_parse_go_elf(elf, n, &s, &err), DD_ENOTFOUND);
	EXPECT_EQ_INT(expect_reduce_same(elf, n, dd_lang_parse_go_elf), 0); /* not kept */
	/* Every truncation of a valid binary fails cleanly. */
	free(elf);
	elf = inline_elf("go1.21.0", "mod\ta.b/c\tv1.0.0\t\n", &n);
	for (size_t cut = 0; cut < n; cut += 7) {
		dd_code rc = dd_lang_parse_go_elf(elf, cut, &s, &err);
		EXPECT_TRUE(rc != DD_OK && rc != DD_ENOMEM);
		expect_reduce_same(elf, cut, dd_lang_parse_go_elf);
	}
	EXPECT_EQ_INT(sb->npkgs, 0);
	EXPECT_EQ_INT(dd_lang_parse_go_elf(S("not an elf"), &s, &err), DD_ENOTFOUND);
	dd_sbom_free(sb);
	free(elf);
}

DD_TEST(go_version_forms)
{
	struct dd_lang_sink s;
	struct dd_sbom *sb = new_sbom(&s, "x");
	struct dd_err err;
	ASSERT_OK(dd_lang_parse_go_modinfo("go1.22.1 X:loopvar", "", 0, &s, &err), &err);
	EXPECT_HAS(sb, "stdlib", "1.22.1");
	ASSERT_OK(dd_lang_parse_go_modinfo("devel go1.23-abc", "", 0, &s, &err), &err);
	EXPECT_HAS(sb, "stdlib", "devel");
	dd_sbom_free(sb);
}
