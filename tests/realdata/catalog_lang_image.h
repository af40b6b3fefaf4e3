/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only stand-in for the image reader (src/image/, another branch): a
 * docker-archive from ../shared/data is unpacked with `tar` into the test's
 * tmpdir, each layer in turn is applied to a struct dd_fs with overlay
 * rules (`.wh.NAME` whiteouts, `.wh..wh..opq` opaque directories), keeping
 * only the files some cataloger wants by path or by magic, as the image
 * reader does. Nothing extracted is kept after the test.
 */
#ifndef DD_TEST_CATALOG_LANG_IMAGE_H
#define DD_TEST_CATALOG_LANG_IMAGE_H

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/lang.h"
#include "catalog_lang_util.h"
#include "util/limits.h"

static bool (*extra_want)(const char *path, size_t len);

static bool wanted(const char *path, const unsigned char *head, size_t hn)
{
	size_t len = strlen(path);
	if (extra_want && extra_want(path, len))
		return true;
	for (const struct dd_cataloger *const *c = dd_catalogers; *c; c++) {
		if ((*c)->wants_path && (*c)->wants_path(path, len))
			return true;
		if ((*c)->wants_magic && (*c)->wants_magic(head, hn))
			return true;
	}
	return false;
}

/* pass 0: whiteouts and opaque markers; pass 1: content. */
static void apply_dir(struct dd_fs *fs, const char *root, const char *rel, int layer, int pass)
{
	char dir[8192];
	snprintf(dir, sizeof dir, "%s/%s", root, rel);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char r[4096], full[8192];
		snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(full, sizeof full, "%s/%s", root, r);
		struct stat st;
		if (lstat(full, &st))
			continue;
		if (!strncmp(e->d_name, ".wh.", 4)) {
			if (pass == 0) {
				if (!strcmp(e->d_name, ".wh..wh..opq")) {
					dd_fs_opaque(fs, rel, layer);
				} else {
					char victim[4096];
					snprintf(victim, sizeof victim, "%s%s%s", rel, *rel ? "/" : "",
						 e->d_name + 4);
					dd_fs_remove(fs, victim);
				}
			}
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			apply_dir(fs, root, r, layer, pass);
			continue;
		}
		if (pass == 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t tl = readlink(full, target, sizeof target - 1);
			if (tl < 0)
				continue;
			target[tl] = '\0';
			struct dd_fs_file f = { .path = r, .type = DD_FS_SYMLINK, .link = target,
						.layer = layer };
			struct dd_err err;
			dd_fs_put(fs, &f, &err);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		FILE *fp = fopen(full, "rb");
		if (!fp)
			continue;
		unsigned char head[DD_MAGIC_BYTES];
		size_t hn = fread(head, 1, sizeof head, fp);
		fclose(fp);
		if (!wanted(r, head, hn))
			continue;
		struct dd_buf b;
		struct dd_err err;
		dd_buf_init(&b, DD_LIMIT_KEPT_FILE_BYTES);
		if (dd_buf_read_file(&b, full, &err) == DD_OK) {
			struct dd_fs_file f = { .path = r, .type = DD_FS_REG,
						.data = (const unsigned char *)(b.data ? b.data : ""),
						.size = b.len, .mode = st.st_mode & 07777, .layer = layer };
			dd_fs_put(fs, &f, &err);
		}
		dd_buf_release(&b);
	}
	closedir(d);
}

/* Unpacks ../shared/data/<rel> (a docker-archive) and returns its merged
 * view; *nlayers gets the layer count. Skips the test without the data. */
static inline struct dd_fs *load_docker_archive(const char *rel, int *nlayers)
{
	const char *src = dd_test_shared(rel);
	char cmd[8192], *out = NULL;
	const char *tmp = dd_test_tmpdir();
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/img' && tar -xzf '%s' -C '%s/img'", tmp, src, tmp);
	ASSERT_EQ_INT(dd_test_run(cmd, NULL), 0);
	char mpath[4096];
	snprintf(mpath, sizeof mpath, "%s/img/manifest.json", tmp);
	struct dd_buf b;
	struct dd_err err;
	dd_buf_init(&b, 1 << 20);
	ASSERT_OK(dd_buf_read_file(&b, mpath, &err), &err);
	struct dd_json_doc doc;
	ASSERT_OK(dd_json_doc_parse(&doc, b.data, b.len, &err), &err);
	dd_buf_release(&b);
	ASSERT_TRUE(doc.root->type == DD_JSON_ARRAY && doc.root->n > 0);
	const struct dd_json *layers = dd_json_get(doc.root->first, "Layers");
	ASSERT_TRUE(layers && layers->type == DD_JSON_ARRAY);
	struct dd_fs *fs = dd_fs_new();
	size_t i = 0;
	for (const struct dd_json *l = layers->first; l; l = l->next, i++) {
		const char *lt = l->str;
		snprintf(cmd, sizeof cmd,
			 "mkdir -p '%s/l%zu' && tar -xf '%s/img/%s' -C '%s/l%zu' 2>/dev/null; true",
			 tmp, i, tmp, lt, tmp, i);
		ASSERT_EQ_INT(dd_test_run(cmd, &out), 0);
		free(out);
		out = NULL;
		char lroot[4096];
		snprintf(lroot, sizeof lroot, "%s/l%zu", tmp, i);
		apply_dir(fs, lroot, "", (int)i, 0);
		apply_dir(fs, lroot, "", (int)i, 1);
		snprintf(cmd, sizeof cmd, "rm -rf '%s/l%zu'", tmp, i);
		dd_test_run(cmd, NULL);
	}
	*nlayers = (int)layers->n;
	dd_json_doc_release(&doc);
	return fs;
}

#endif
