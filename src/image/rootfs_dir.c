/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dir:PATH, an unpacked root filesystem read as a single layer. The walk
 * never follows a host symlink: directories and files are opened with
 * openat() and O_NOFOLLOW relative to their parent, and examined with
 * fstat() of what was opened or fstatat(AT_SYMLINK_NOFOLLOW), and a
 * symlink is recorded as a symlink (resolved later inside the image root
 * by fs.c), so a link to /etc/shadow on the host is never read. No layer
 * cache: there is no diff_id to key it by.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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

static bool open_lazily(struct fdread *f, struct dd_err *err)
{
	if (f->fd < 0 &&
	    (f->fd = openat(f->dfd, f->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) < 0) {
		dd_err_sys(err, DD_EIO, "open");
		return false;
	}
	return true;
}

static ssize_t fd_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	struct fdread *f = ud;
	if (!open_lazily(f, err))
		return -1;
	for (;;) {
		ssize_t r = read(f->fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			dd_err_sys(err, DD_EIO, "read");
		return r;
	}
}

static ssize_t fd_pread(void *ud, void *buf, size_t n, uint64_t off, struct dd_err *err)
{
	struct fdread *f = ud;
	if (!open_lazily(f, err))
		return -1;
	if (off > INT64_MAX)
		return 0;
	for (;;) {
		ssize_t r = pread(f->fd, buf, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			dd_err_sys(err, DD_EIO, "read at offset %llu", (unsigned long long)off);
		return r;
	}
}

/* The helper thread opens a file a cataloger wants (by path or magic) by
 * its path below the root: openat2 with RESOLVE_BENEATH and
 * RESOLVE_NO_SYMLINKS refuses every symlink on the way and any way out of
 * the root, so a directory swapped for a link to / while the scan runs is
 * refused (ELOOP), as the walk's own O_NOFOLLOW opens are. Linux 5.6 has it; without it (ENOSYS, or a
 * seccomp filter's EPERM) the walk reads each file itself. */
static int open_beneath(void *ud, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, *(const int *)ud, path, &how, sizeof how);
}

static bool openat2_works(int root)
{
	int fd = open_beneath(&root, ".");
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The walk reads directories with getdents64 into one buffer per level,
 * kept for the whole walk, and trusts the entry's d_type where the file
 * system gives one: glibc's fdopendir/readdir would add an fstat and two
 * fcntl calls per directory, and a stat by name per entry is a path
 * lookup each. What the walk still asks, per type:
 *   directory        openat(O_DIRECTORY|O_NOFOLLOW), then fstat of the fd
 *   file wanted by   openat(O_NOFOLLOW|O_NONBLOCK), then fstat of the fd:
 *   its name         it will be read whole anyway
 *   other file       fstatat (mode and size; opened later only if sniffed)
 *   symlink          readlinkat
 *   device, fifo...  nothing
 * An entry that changed type between getdents and the call (ELOOP,
 * ENOTDIR, EINVAL) or a file system without d_type falls back to fstatat
 * and goes by what that says; one that is gone by then (ENOENT: a live
 * tree) is skipped, and one the user may not look at (EACCES, EPERM) is a
 * warning. */
#define DIRBUF_BYTES (32u << 10)

struct walk {
	const struct dd_layer_opts *o;
	struct dd_layer *l;
	struct dd_layer_opener opener; /* .open NULL: files are read on this thread */
	char path[DD_LIMIT_PATH_BYTES + 2];
	char *buf[DD_LIMIT_DIR_DEPTH + 1];
};

static dd_code walk_dir(struct walk *w, int dfd, dev_t dev, size_t plen, unsigned depth,
			struct dd_err *err);

/* A failed look at an entry: gone since getdents listed it (a live tree)
 * is nothing, not allowed is a warning, anything else ends the walk. */
static dd_code entry_failed(struct walk *w, const char *what, struct dd_err *err)
{
	if (errno == ENOENT)
		return DD_OK;
	if (errno == EACCES || errno == EPERM) {
		dd_layer_warnf(w->l, w->o, "entry %.160s: %s: %s; not read", w->path, what,
			       strerror(errno));
		return DD_OK;
	}
	return dd_err_sys(err, DD_EIO, "%.200s: %s", w->path, what);
}

/* A directory on another file system than its parent holds a mount. The
 * kernel's own file systems are not an image's files: /proc and /sys of a
 * dir:/ scan would give thousands of unreadable links and attributes (and
 * reading some can block), and an automount point mounts when entered.
 * They are recorded as directories and not walked. linux/magic.h names
 * them; devtmpfs shares tmpfs's number, but /dev holds devices, which
 * are never read anyway. */
static bool kernel_fs(int fd)
{
	static const unsigned long magics[] = {
		PROC_SUPER_MAGIC,   SYSFS_MAGIC,      DEVPTS_SUPER_MAGIC, CGROUP_SUPER_MAGIC,
		CGROUP2_SUPER_MAGIC, DEBUGFS_MAGIC,   TRACEFS_MAGIC,      SECURITYFS_MAGIC,
		SELINUX_MAGIC,      SMACK_MAGIC,      BPF_FS_MAGIC,       PSTOREFS_MAGIC,
		EFIVARFS_MAGIC,     BINFMTFS_MAGIC,   NSFS_MAGIC,         AUTOFS_SUPER_MAGIC,
	};
	struct statfs sf;
	if (fstatfs(fd, &sf) != 0)
		return false;
	for (size_t i = 0; i < sizeof magics / sizeof *magics; i++)
		if ((unsigned long)sf.f_type == magics[i])
			return true;
	return false;
}

static dd_code add_symlink(struct walk *w, int dfd, const char *nm, bool *not_link,
			   struct dd_err *err)
{
	char t[DD_LIMIT_PATH_BYTES + 1];
	ssize_t k = readlinkat(dfd, nm, t, sizeof t - 1);
	if (k < 0 && errno == EINVAL && not_link) {
		*not_link = true;
		return DD_OK;
	}
	if (k < 0)
		return entry_failed(w, "readlink", err);
	t[k] = '\0';
	return dd_layer_add_symlink(w->l, w->path, t, err);
}

/* fd: the directory opened, or -1 when it could not be (yet). */
static dd_code add_dir(struct walk *w, int dfd, dev_t dev, const char *nm, int fd,
		       const struct stat *st, size_t np, unsigned depth, struct dd_err *err)
{
	dd_code rc = dd_layer_add_dir(w->l, w->o, w->path, st->st_mode & 07777, err);
	if (!rc && fd < 0 && (fd = openat(dfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return entry_failed(w, "open", err);
	if (rc || (st->st_dev != dev && kernel_fs(fd))) {
		close(fd);
		return rc;
	}
	return walk_dir(w, fd, st->st_dev, np, depth + 1, err);
}

static dd_code add_entry(struct walk *w, int dfd, dev_t dev, const char *nm, unsigned char type,
			 size_t np, unsigned depth, struct dd_err *err)
{
	int fd = -1;
	if (type == DT_LNK) {
		bool not_link = false;
		dd_code rc = add_symlink(w, dfd, nm, &not_link, err);
		if (rc || !not_link)
			return rc;
	} else if (type == DT_DIR) {
		fd = openat(dfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} else if (type == DT_REG) {
		/* With a helper thread, it opens the file (dd_layer_add_file_later). */
		if (!w->opener.open && dd_layer_wants_path(w->o, w->path))
			fd = openat(dfd, nm, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	} else if (type != DT_UNKNOWN) {
		return dd_layer_add_other(w->l, w->path, err);
	}
	struct stat st;
	if (fd >= 0 ? fstat(fd, &st) : fstatat(dfd, nm, &st, AT_SYMLINK_NOFOLLOW)) {
		dd_code rc = entry_failed(w, "stat", err);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(w, dfd, dev, nm, fd, &st, np, depth, err);
	if (S_ISREG(st.st_mode) && w->opener.open)
		return dd_layer_add_file_later(w->l, w->o, w->path, st.st_mode & 07777,
					       (uint64_t)st.st_size, &w->opener, err);
	if (S_ISREG(st.st_mode)) {
		struct fdread fr = { dfd, nm, fd };
		struct dd_layer_reader rd = { .read = fd_read, .pread = fd_pread, .ud = &fr };
		dd_code rc = dd_layer_add_file(w->l, w->o, w->path, st.st_mode & 07777,
					       (uint64_t)st.st_size, &rd, err);
		if (fr.fd >= 0)
			close(fr.fd);
		return rc;
	}
	if (fd >= 0)
		close(fd);
	if (S_ISLNK(st.st_mode))
		return add_symlink(w, dfd, nm, NULL, err);
	return dd_layer_add_other(w->l, w->path, err);
}

/* Walks the directory open at dfd, on device dev, whose path is
 * w->path[0..plen), and closes dfd. */
static dd_code walk_dir(struct walk *w, int dfd, dev_t dev, size_t plen, unsigned depth,
			struct dd_err *err)
{
	dd_code rc = DD_OK;
	if (depth > DD_LIMIT_DIR_DEPTH)
		rc = dd_err_set(err, DD_ELIMIT, "%.160s: directories nested deeper than %d", w->path,
				DD_LIMIT_DIR_DEPTH);
	else if (!w->buf[depth] && !(w->buf[depth] = dd_malloc(DIRBUF_BYTES)))
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	char *buf = rc ? NULL : w->buf[depth];
	for (ssize_t n; !rc && (n = getdents64(dfd, buf, DIRBUF_BYTES)) != 0;) {
		if (n < 0) {
			rc = dd_err_sys(err, DD_EIO, "%.160s: readdir", w->path);
			break;
		}
		for (size_t off = 0; !rc && off < (size_t)n;) {
			const struct dirent64 *de = (const struct dirent64 *)(void *)(buf + off);
			off += de->d_reclen;
			const char *nm = de->d_name;
			if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
				continue;
			size_t nl = strlen(nm);
			if (plen + 1 + nl > DD_LIMIT_PATH_BYTES) {
				rc = dd_err_set(err, DD_ELIMIT, "%.160s/%.40s: path longer than %d bytes",
						w->path, nm, DD_LIMIT_PATH_BYTES);
				break;
			}
			size_t np = plen;
			if (plen)
				w->path[np++] = '/';
			memcpy(w->path + np, nm, nl + 1);
			rc = add_entry(w, dfd, dev, nm, de->d_type, np + nl, depth, err);
			w->path[plen] = '\0';
		}
	}
	close(dfd);
	return rc;
}

static dd_code dir_walk(void *state, const struct dd_layer_opts *o, struct dd_layer **out,
			struct dd_err *err)
{
	struct rootfs *r = state;
	*out = NULL;
	struct walk *w = dd_calloc(1, sizeof *w);
	struct dd_layer *l = dd_layer_new();
	dd_code rc = DD_OK;
	if (!w || !l) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto done;
	}
	w->o = o;
	w->l = l;
	if (openat2_works(r->fd) && dd_layer_defers(l, o))
		w->opener = (struct dd_layer_opener){ open_beneath, &r->fd };
	/* A new open file description: the walk's offsets are its own. */
	int fd = openat(r->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = dd_err_sys(err, DD_EIO, "%.160s: open", r->path);
		goto done;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		rc = dd_err_sys(err, DD_EIO, "%.160s: stat", r->path);
		close(fd);
		goto done;
	}
	if ((rc = walk_dir(w, fd, st.st_dev, 0, 0, err)) || (rc = dd_layer_finish(l, o, err)))
		goto done;
	*out = l;
	l = NULL;
done:
	if (w)
		for (unsigned i = 0; i <= DD_LIMIT_DIR_DEPTH; i++)
			free(w->buf[i]);
	free(w);
	dd_layer_free(l);
	return rc;
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
