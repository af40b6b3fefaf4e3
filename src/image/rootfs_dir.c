/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dir:PATH, an unpacked root filesystem read as a single layer. The walk
 * never follows a host symlink: directories are opened with openat() and
 * O_NOFOLLOW|O_DIRECTORY relative to their parent, entries are examined
 * with fstatat(AT_SYMLINK_NOFOLLOW), files opened with O_NOFOLLOW, and a
 * symlink is recorded as a symlink (resolved later inside the image root
 * by fs.c), so a link to /etc/shadow on the host is never read. No layer
 * cache: there is no diff_id to key it by.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/layer.h"
#include "image/source.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"

struct rootfs {
	int fd;
	const char *path;
};

static bool dir_probe(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static dd_code dir_open(const char *ref, const struct dd_image_opts *opts, bool lazy,
			struct dd_arena *a, struct dd_image_info *info, bool *complete, void **state,
			struct dd_err *err)
{
	struct rootfs *r = dd_calloc(1, sizeof *r);
	if (!r)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	*state = r;
	r->fd = open(ref, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->fd < 0)
		return dd_err_sys(err, errno == ENOENT ? DD_ENOTFOUND : DD_EIO, "open");
	r->path = dd_arena_strdup(a, ref);
	info->name = r->path;
	info->nlayers = 1;
	info->layers = dd_arena_alloc(a, sizeof *info->layers);
	if (!info->layers || !r->path)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	info->layers[0].media_type = "application/vnd.drydock.rootfs.dir";
	return DD_OK;
}

/* A regular file is opened only when the layer reader first reads it:
 * most files of a tree are neither wanted by path nor sniffed for a magic
 * (dd_layer_add_file), and two system calls each were most of a dir: scan
 * of a large tree. A file nobody reads may also be unreadable. */
struct fdread {
	int dfd;
	const char *name;
	int fd; /* -1 until opened */
};

static ssize_t fd_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	struct fdread *f = ud;
	if (f->fd < 0 &&
	    (f->fd = openat(f->dfd, f->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) < 0) {
		dd_err_sys(err, DD_EIO, "open");
		return -1;
	}
	for (;;) {
		ssize_t r = read(f->fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			dd_err_sys(err, DD_EIO, "read");
		return r;
	}
}

static dd_code walk_dir(int dfd, char *path, size_t plen, unsigned depth,
			const struct dd_layer_opts *o, struct dd_layer *l, struct dd_err *err)
{
	if (depth > DD_LIMIT_DIR_DEPTH)
		return dd_err_set(err, DD_ELIMIT, "%.160s: directories nested deeper than %d", path,
				  DD_LIMIT_DIR_DEPTH);
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return dd_err_sys(err, DD_EIO, "%.160s: opendir", path);
	}
	dd_code rc = DD_OK;
	struct dirent *de;
	while (!rc && (errno = 0, de = readdir(d))) {
		const char *nm = de->d_name;
		if (!strcmp(nm, ".") || !strcmp(nm, ".."))
			continue;
		size_t nl = strlen(nm);
		if (plen + 1 + nl > DD_LIMIT_PATH_BYTES) {
			rc = dd_err_set(err, DD_ELIMIT, "%.160s/%.40s: path longer than %d bytes", path, nm,
					DD_LIMIT_PATH_BYTES);
			break;
		}
		size_t np = plen;
		if (plen)
			path[np++] = '/';
		memcpy(path + np, nm, nl + 1);
		np += nl;
		struct stat st;
		if (fstatat(dirfd(d), nm, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = dd_err_sys(err, DD_EIO, "%.200s: stat", path);
		} else if (S_ISLNK(st.st_mode)) {
			char t[DD_LIMIT_PATH_BYTES + 1];
			ssize_t k = readlinkat(dirfd(d), nm, t, sizeof t - 1);
			if (k < 0)
				rc = dd_err_sys(err, DD_EIO, "%.200s: readlink", path);
			else {
				t[k] = '\0';
				rc = dd_layer_add_symlink(l, path, t, err);
			}
		} else if (S_ISDIR(st.st_mode)) {
			rc = dd_layer_add_dir(l, o, path, st.st_mode & 07777, err);
			int sub = rc ? -1 : openat(dirfd(d), nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (!rc && sub < 0)
				rc = dd_err_sys(err, DD_EIO, "%.200s: open", path);
			if (!rc)
				rc = walk_dir(sub, path, np, depth + 1, o, l, err);
		} else if (S_ISREG(st.st_mode)) {
			struct fdread fr = { dirfd(d), nm, -1 };
			rc = dd_layer_add_file(l, o, path, st.st_mode & 07777, (uint64_t)st.st_size,
					       fd_read, &fr, err);
			if (fr.fd >= 0)
				close(fr.fd);
		} else {
			rc = dd_layer_add_other(l, path, err);
		}
		path[plen] = '\0';
	}
	if (!rc && errno)
		rc = dd_err_sys(err, DD_EIO, "%.160s: readdir", path);
	closedir(d);
	return rc;
}

static dd_code dir_walk(void *state, const struct dd_layer_opts *o, struct dd_layer **out,
			struct dd_err *err)
{
	struct rootfs *r = state;
	struct dd_layer *l = dd_layer_new();
	*out = NULL;
	if (!l)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	char path[DD_LIMIT_PATH_BYTES + 2] = "";
	int fd = dup(r->fd);
	dd_code rc = fd < 0 ? dd_err_sys(err, DD_EIO, "dup") : walk_dir(fd, path, 0, 0, o, l, err);
	if (rc) {
		dd_layer_free(l);
		return rc;
	}
	dd_layer_finish(l);
	*out = l;
	return DD_OK;
}

static void dir_close(void *state)
{
	struct rootfs *r = state;
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

const struct dd_image_source dd_source_dir = {
	.transport = "dir",
	.probe = dir_probe,
	.open = dir_open,
	.walk = dir_walk,
	.close = dir_close,
};
