/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci:DIR[:TAG|@DIGEST] and oci-archive:PATH[:TAG|@DIGEST], the OCI image
 * layout (image-spec image-layout.md: oci-layout, index.json,
 * blobs/<alg>/<hex>) as a directory or packed in a plain tar. Both are a
 * blob store addressed by digest; resolution (index -> nested indexes ->
 * manifest by tag, digest or platform -> config) is oci_manifest.c's, and
 * a registry source will reuse it with a network blob store.
 *
 * In a directory, blobs are opened with O_NOFOLLOW relative to the layout
 * directory, so a symlink planted in blobs/ cannot make us read a host file.
 * In an archive, blobs are byte ranges of the tar: layers are read in
 * parallel straight from the file, nothing else is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/layer.h"
#include "image/oci_manifest.h"
#include "image/source.h"
#include "image/tar_index.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/limits.h"

struct oci {
	bool archive;
	int dirfd;                 /* layout directory (oci:) */
	int fd;                    /* archive file (oci-archive:) */
	uint64_t fsize;
	struct dd_tar_index ix;
	bool indexed;
	const char **layer_digests;
	size_t nlayers;
};

static void blob_name(const char *digest, char *out, size_t cap)
{
	/* digest is validated: "sha256:" + 64 hex */
	snprintf(out, cap, "blobs/sha256/%s", digest + 7);
}

static dd_code read_fd_max(int fd, size_t max, struct dd_buf *out, const char *what,
			   struct dd_err *err)
{
	char tmp[65536];
	for (;;) {
		ssize_t r = read(fd, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return dd_err_sys(err, DD_EIO, "%s: read", what);
		if (r == 0)
			return DD_OK;
		if (out->len + (size_t)r > max)
			return dd_err_set(err, DD_ELIMIT, "%s: more than %zu bytes", what, max);
		dd_code rc = dd_buf_append(out, tmp, (size_t)r, err);
		if (rc)
			return rc;
	}
}

static dd_code read_file_at(struct oci *o, const char *name, size_t max, struct dd_buf *out,
			    struct dd_err *err)
{
	dd_buf_reset(out);
	if (o->archive) {
		const struct dd_tar_member *m = dd_tar_index_find(&o->ix, name);
		if (!m)
			return dd_err_set(err, DD_ENOTFOUND, "%s is not in the archive", name);
		return dd_tar_index_read(dd_tar_pread_fd, (void *)(intptr_t)o->fd, m, max, out, err);
	}
	int fd = openat(o->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s", name);
	struct stat st;
	dd_code rc;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = dd_err_set(err, DD_EINVAL, "%s: not a regular file", name);
	else
		rc = read_fd_max(fd, max, out, name, err);
	close(fd);
	return rc;
}

static dd_code fetch(void *ud, const char *digest, size_t max, struct dd_buf *out,
		     struct dd_err *err)
{
	char name[128];
	blob_name(digest, name, sizeof name);
	dd_code rc = read_file_at(ud, name, max, out, err);
	if (rc == DD_ENOTFOUND)
		return dd_err_set(err, DD_ENOTFOUND, "blob %s is missing from the layout", digest);
	return rc;
}

static bool blob_exists(struct oci *o, const char *digest, uint64_t *size)
{
	char name[128];
	blob_name(digest, name, sizeof name);
	if (o->archive) {
		const struct dd_tar_member *m = dd_tar_index_find(&o->ix, name);
		if (m)
			*size = m->size;
		return m != NULL;
	}
	struct stat st;
	if (fstatat(o->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
		return false;
	*size = (uint64_t)st.st_size;
	return true;
}

/* Splits "PATH[:TAG|@DIGEST]". A ':' belongs to the path when what follows
 * holds a '/', or when the whole string names an existing file. */
static void split_ref(const char *ref, struct dd_arena *a, const char **path, const char **tag,
		      const char **digest)
{
	*tag = *digest = NULL;
	const char *at = strstr(ref, "@sha256:");
	if (at) {
		*path = dd_arena_strndup(a, ref, (size_t)(at - ref));
		*digest = dd_arena_strdup(a, at + 1);
		return;
	}
	struct stat st;
	const char *colon = strrchr(ref, ':');
	if (!colon || strchr(colon, '/') || stat(ref, &st) == 0) {
		*path = dd_arena_strdup(a, ref);
		return;
	}
	*path = dd_arena_strndup(a, ref, (size_t)(colon - ref));
	*tag = colon[1] ? dd_arena_strdup(a, colon + 1) : NULL;
}

static void oci_close(void *state)
{
	struct oci *o = state;
	if (!o)
		return;
	if (o->indexed)
		dd_tar_index_release(&o->ix);
	if (o->dirfd >= 0)
		close(o->dirfd);
	if (o->fd >= 0)
		close(o->fd);
	free(o);
}

static dd_code open_common(struct oci *o, const char *tag, const char *digest,
			   const struct dd_image_opts *opts, struct dd_arena *a,
			   struct dd_image_info *info, struct dd_err *err)
{
	struct dd_buf b;
	dd_buf_init(&b, DD_LIMIT_MANIFEST_BYTES);
	dd_code rc = read_file_at(o, "index.json", DD_LIMIT_MANIFEST_BYTES, &b, err);
	if (rc == DD_ENOTFOUND)
		rc = dd_err_set(err, DD_EINVAL, "index.json not found (not an OCI image layout)");
	struct dd_oci_resolved r;
	if (!rc) {
		struct dd_oci_fetch f = { fetch, o };
		rc = dd_oci_resolve(&f, b.data, b.len, tag, digest, opts->platform, a, &r, err);
		if (rc && !strstr(err->msg, "index") && !strstr(err->msg, "manifest") &&
		    !strstr(err->msg, "config") && !strstr(err->msg, "blob"))
			dd_err_prefix(err, "index.json: ");
	}
	dd_buf_release(&b);
	if (rc)
		return rc;
	info->manifest_digest = r.manifest_digest;
	info->config_digest = r.config_digest;
	info->name = r.ref_name;
	info->os = r.config.platform.os;
	info->arch = r.config.platform.arch;
	info->variant = r.config.platform.variant;
	info->created = r.config.created;
	info->nlayers = r.manifest.nlayers;
	info->layers = dd_arena_alloc(a, (r.manifest.nlayers ? r.manifest.nlayers : 1) * sizeof *info->layers);
	o->layer_digests = dd_arena_alloc(a, (r.manifest.nlayers ? r.manifest.nlayers : 1) * sizeof *o->layer_digests);
	if (!info->layers || !o->layer_digests)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	o->nlayers = r.manifest.nlayers;
	for (size_t i = 0; i < r.manifest.nlayers; i++) {
		const struct dd_oci_descriptor *d = &r.manifest.layers[i];
		struct dd_layer_info *li = &info->layers[i];
		li->index = (unsigned)i;
		li->digest = d->digest;
		li->size = d->size;
		li->media_type = d->media_type;
		li->diff_id = r.config.diff_ids[i];
		li->created_by = r.config.created_by[i];
		o->layer_digests[i] = d->digest;
		if (d->media_type && !strstr(d->media_type, "tar"))
			return dd_err_set(err, DD_EUNSUPPORTED, "layer %zu/%zu %s: media type %s is not a filesystem layer",
					  i + 1, r.manifest.nlayers, d->digest, d->media_type);
		uint64_t have;
		if (!blob_exists(o, d->digest, &have))
			return dd_err_set(err, DD_ENOTFOUND, "layer %zu/%zu: blob %s named by the manifest is missing",
					  i + 1, r.manifest.nlayers, d->digest);
		if (have != d->size)
			return dd_err_set(err, DD_EDIGEST, "layer %zu/%zu: blob %s is %llu bytes, the manifest says %llu",
					  i + 1, r.manifest.nlayers, d->digest, (unsigned long long)have,
					  (unsigned long long)d->size);
	}
	return DD_OK;
}

static dd_code oci_open(const char *ref, const struct dd_image_opts *opts, bool lazy,
			struct dd_arena *a, struct dd_image_info *info, bool *complete, void **state,
			struct dd_err *err)
{
	struct oci *o = dd_calloc(1, sizeof *o);
	if (!o)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	o->dirfd = o->fd = -1;
	*state = o;
	const char *path, *tag, *digest;
	split_ref(ref, a, &path, &tag, &digest);
	if (!path)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	o->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dirfd < 0)
		return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s", path);
	return open_common(o, tag, digest, opts, a, info, err);
}

static dd_code ocia_open(const char *ref, const struct dd_image_opts *opts, bool lazy,
			 struct dd_arena *a, struct dd_image_info *info, bool *complete, void **state,
			 struct dd_err *err)
{
	struct oci *o = dd_calloc(1, sizeof *o);
	if (!o)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	o->dirfd = o->fd = -1;
	o->archive = true;
	*state = o;
	const char *path, *tag, *digest;
	split_ref(ref, a, &path, &tag, &digest);
	if (!path)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	o->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (o->fd < 0)
		return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "%s", path);
	struct stat st;
	if (fstat(o->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return dd_err_set(err, DD_EINVAL, "%s: not a regular file", path);
	o->fsize = (uint64_t)st.st_size;
	if (o->fsize == 0)
		return dd_err_set(err, DD_EINVAL, "empty file (no image in it)");
	unsigned char head[2];
	if (dd_tar_pread_fd((void *)(intptr_t)o->fd, head, 2, 0) == 2 && head[0] == 0x1f && head[1] == 0x8b)
		return dd_err_set(err, DD_EUNSUPPORTED, "a gzipped oci-archive; gunzip it first");
	dd_code rc = dd_tar_index_build(dd_tar_pread_fd, (void *)(intptr_t)o->fd, o->fsize, &o->ix, err);
	if (rc)
		return rc;
	o->indexed = true;
	return open_common(o, tag, digest, opts, a, info, err);
}

static dd_code oci_open_layer(void *state, unsigned i, struct dd_blob_stream *out, struct dd_err *err)
{
	struct oci *o = state;
	char name[128];
	blob_name(o->layer_digests[i], name, sizeof name);
	if (o->archive) {
		const struct dd_tar_member *m = dd_tar_index_find(&o->ix, name);
		if (!m)
			return dd_err_set(err, DD_ENOTFOUND, "blob %s is missing", o->layer_digests[i]);
		return dd_blob_stream_range(o->fd, (off_t)m->off, m->size, out, err);
	}
	dd_code rc = dd_blob_stream_file(o->dirfd, name, out, NULL, err);
	if (rc == DD_ENOTFOUND)
		return dd_err_set(err, DD_ENOTFOUND, "blob %s is missing", o->layer_digests[i]);
	return rc;
}

static bool oci_probe(const char *path)
{
	struct stat st;
	char p[4200];
	snprintf(p, sizeof p, "%s/oci-layout", path);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && stat(p, &st) == 0;
}

static bool ocia_probe(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = false;
	struct dd_tar_index ix;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    !dd_tar_index_build(dd_tar_pread_fd, (void *)(intptr_t)fd, (uint64_t)st.st_size, &ix, NULL)) {
		ok = dd_tar_index_find(&ix, "oci-layout") || dd_tar_index_find(&ix, "index.json");
		dd_tar_index_release(&ix);
	}
	close(fd);
	return ok;
}

const struct dd_image_source dd_source_oci = {
	.transport = "oci",
	.probe = oci_probe,
	.open = oci_open,
	.open_layer = oci_open_layer,
	.close = oci_close,
};

const struct dd_image_source dd_source_oci_archive = {
	.transport = "oci-archive",
	.probe = ocia_probe,
	.open = ocia_open,
	.open_layer = oci_open_layer,
	.close = oci_close,
};
