/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Merged filesystem view (fs.h). Entries live in a hash map by path; each
 * keeps a chain of the versions lower layers wrote. A second map knows
 * every directory with entries below it (count_below), so that a whiteout
 * or opaque marker of a directory with nothing kept below it (the common
 * case, and the hostile "a million whiteouts" case) costs one lookup
 * instead of a scan of the whole view. The last layer's entries skip both
 * maps: they go to a list sorted once (dd_fs_seal) and found by binary
 * search, which is the order dd_fs_sorted returns anyway; in a one-layer
 * image (a dir: scan, most generated archives) that is every entry.
 */
#include <assert.h>

#include "image/fs.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/limits.h"
#include "util/map.h"
#include "util/path.h"
#include "util/strsort.h"

struct dd_fs {
	struct dd_map map;      /* path -> struct dd_fs_file * (top version) */
	struct dd_map below;    /* directory prefix -> entries below it (uintptr_t) */
	struct dd_arena *arena; /* every entry, path and content */
	struct dd_arena **adopted;
	size_t nadopted, adcap;
	void **blocks;          /* entry arrays of the layers (dd_fs_adopt_block) */
	size_t nblocks, bcap;
	/* The last layer's entries (dd_fs_put_top), in neither map; in path
	 * order once sealed. */
	struct dd_fs_file **top;
	size_t ntop, topcap;
	bool sealed;
};

struct dd_fs *dd_fs_new(void)
{
	struct dd_fs *fs = dd_calloc(1, sizeof *fs);
	if (!fs)
		return NULL;
	/* Keys borrow the entries' paths, which live in fs->arena or an adopted
	 * arena (dd_fs_put_entry's contract) as long as the view: no allocation
	 * per file, which a 50,000-manifest layer notices. */
	dd_map_init_borrowed(&fs->map);
	dd_map_init_borrowed(&fs->below);
	fs->arena = dd_arena_new(0);
	if (!fs->arena) {
		free(fs);
		return NULL;
	}
	return fs;
}

void dd_fs_free(struct dd_fs *fs)
{
	if (!fs)
		return;
	dd_map_release(&fs->map);
	dd_map_release(&fs->below);
	dd_arena_free(fs->arena);
	for (size_t i = 0; i < fs->nadopted; i++)
		dd_arena_free(fs->adopted[i]);
	free(fs->adopted);
	for (size_t i = 0; i < fs->nblocks; i++)
		free(fs->blocks[i]);
	free(fs->blocks);
	free(fs->top);
	free(fs);
}

dd_code dd_fs_adopt(struct dd_fs *fs, struct dd_arena *a, struct dd_err *err)
{
	if (dd_grow(&fs->adopted, &fs->adcap, fs->nadopted + 1, sizeof *fs->adopted)) {
		dd_arena_free(a);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	fs->adopted[fs->nadopted++] = a;
	return DD_OK;
}

dd_code dd_fs_adopt_block(struct dd_fs *fs, void *p, struct dd_err *err)
{
	if (dd_grow(&fs->blocks, &fs->bcap, fs->nblocks + 1, sizeof *fs->blocks)) {
		free(p);
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	fs->blocks[fs->nblocks++] = p;
	return DD_OK;
}

/* fs->below holds, for each directory with something below it, the number
 * of its children that count: entries directly in it, and subdirectories
 * that are in fs->below themselves. A new entry so costs one lookup when
 * its directory already has entries (the common case) and one more per
 * directory level that it is the first below, instead of one per level. */
static dd_code count_below(struct dd_fs *fs, const char *path, size_t n, const uint32_t *dir_hash,
			   struct dd_err *err)
{
	for (const char *s; (s = memrchr(path, '/', n)); n = (size_t)(s - path), dir_hash = NULL) {
		bool added;
		size_t dn = (size_t)(s - path);
		void **v = dd_map_ref_hashed(&fs->below, path, dn,
					     dir_hash ? *dir_hash : dd_map_hash(path, dn), &added, err);
		if (!v)
			return DD_ENOMEM;
		*v = (void *)((uintptr_t)*v + 1);
		if (!added)
			break;
	}
	return DD_OK;
}

static void uncount_below(struct dd_fs *fs, const char *path, size_t n)
{
	for (const char *s; (s = memrchr(path, '/', n)); n = (size_t)(s - path)) {
		size_t dn = (size_t)(s - path);
		uintptr_t c = (uintptr_t)dd_map_get(&fs->below, path, dn);
		if (c > 1) {
			dd_map_put(&fs->below, path, dn, (void *)(c - 1), NULL, NULL);
			break;
		}
		dd_map_del(&fs->below, path, dn); /* its parent loses a child */
	}
}

static bool below(const char *path, size_t plen, const char *dir, size_t dlen)
{
	if (dlen == 0)
		return true; /* everything is below the root */
	return plen > dlen && path[dlen] == '/' && memcmp(path, dir, dlen) == 0;
}

static bool has_below(const struct dd_fs *fs, const char *dir, size_t dlen, uint32_t h)
{
	return dlen == 0 ? fs->map.count > 0 : dd_map_get_hashed(&fs->below, dir, dlen, h) != NULL;
}

static void del_entry(struct dd_fs *fs, const char *key, size_t klen)
{
	if (!dd_map_get(&fs->map, key, klen))
		return;
	char tmp[DD_LIMIT_PATH_BYTES + 1];
	size_t n = klen < DD_LIMIT_PATH_BYTES ? klen : DD_LIMIT_PATH_BYTES;
	memcpy(tmp, key, n); /* the key dies with the slot */
	tmp[n] = '\0';
	dd_map_del(&fs->map, key, klen);
	uncount_below(fs, tmp, n);
}

static void remove_below(struct dd_fs *fs, const char *dir, size_t dlen, uint32_t h,
			 int below_layer)
{
	if (!has_below(fs, dir, dlen, h))
		return;
	const struct dd_map_slot *s;
	for (size_t i = 0; dd_map_next(&fs->map, &i, &s);) {
		const struct dd_fs_file *f = s->value;
		if ((below_layer < 0 || f->layer < below_layer) && below(s->key, s->klen, dir, dlen))
			del_entry(fs, s->key, s->klen);
	}
}

static dd_code put(struct dd_fs *fs, struct dd_fs_file *e, const struct dd_fs_hint *hint,
		   struct dd_err *err)
{
	size_t n = strlen(e->path);
	if (hint && hint->path != e->path)
		hint = NULL;
	/* One hash of the path for both maps (the same function). */
	uint32_t h = hint ? hint->path_hash : dd_map_hash(e->path, n);
	/* A file or symlink replacing a directory hides what was below it
	 * (before the lookup: the slot below must not be NULL while it runs). */
	if (e->type != DD_FS_DIR)
		remove_below(fs, e->path, n, h, -1);
	void **v = dd_map_ref_hashed(&fs->map, e->path, n, h, NULL, err);
	if (!v)
		return DD_ENOMEM;
	e->lower = *v;
	*v = e;
	return e->lower ? DD_OK : count_below(fs, e->path, n, hint ? &hint->dir_hash : NULL, err);
}

dd_code dd_fs_put(struct dd_fs *fs, const struct dd_fs_file *f, struct dd_err *err)
{
	struct dd_fs_file *e = dd_arena_alloc(fs->arena, sizeof *e);
	if (!e)
		return dd_err_set(err, DD_ENOMEM, "out of memory adding %s", f->path);
	*e = *f;
	e->path = dd_arena_strdup(fs->arena, f->path);
	e->link = dd_arena_strdup(fs->arena, f->link);
	e->data = f->data ? dd_arena_memdup(fs->arena, f->data, f->size) : NULL;
	if (dd_arena_status(fs->arena))
		return dd_err_set(err, DD_ENOMEM, "out of memory adding %s", f->path);
	return put(fs, e, NULL, err);
}

dd_code dd_fs_put_top(struct dd_fs *fs, struct dd_fs_file *e, const struct dd_fs_hint *hint,
		      struct dd_err *err)
{
	assert(!fs->sealed);
	if (dd_grow(&fs->top, &fs->topcap, fs->ntop + 1, sizeof *fs->top))
		return dd_err_set(err, DD_ENOMEM, "out of memory adding %s", e->path);
	e->lower = NULL;
	if (fs->map.count) {
		size_t n = strlen(e->path);
		uint32_t h = hint && hint->path == e->path ? hint->path_hash : dd_map_hash(e->path, n);
		if (e->type != DD_FS_DIR)
			remove_below(fs, e->path, n, h, -1);
		/* The lower version leaves the map (the view holds each path
		 * once) and stays reachable as e->lower. */
		if ((e->lower = dd_map_get_hashed(&fs->map, e->path, n, h)))
			del_entry(fs, e->path, n);
	}
	fs->top[fs->ntop++] = e;
	return DD_OK;
}

dd_code dd_fs_seal(struct dd_fs *fs, struct dd_err *err)
{
	if (fs->sealed)
		return DD_OK;
	if (fs->ntop > 1) {
		struct dd_strsort_item *v = dd_malloc(fs->ntop * sizeof *v);
		if (!v)
			return dd_err_set(err, DD_ENOMEM, "out of memory sorting %zu paths", fs->ntop);
		for (size_t i = 0; i < fs->ntop; i++)
			v[i] = (struct dd_strsort_item){ .s = fs->top[i]->path,
							 .len = strlen(fs->top[i]->path), .ud = fs->top[i] };
		dd_strsort(v, fs->ntop);
		for (size_t i = 0; i < fs->ntop; i++)
			fs->top[i] = (struct dd_fs_file *)v[i].ud;
		free(v);
	}
	fs->sealed = true;
	return DD_OK;
}

static const struct dd_fs_file *find_top(const struct dd_fs *fs, const char *path)
{
	size_t lo = 0, hi = fs->sealed ? fs->ntop : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(fs->top[mid]->path, path);
		if (!c)
			return fs->top[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

dd_code dd_fs_reserve(struct dd_fs *fs, size_t n, struct dd_err *err)
{
	/* The directories are fewer than the paths, except in trees of one
	 * file per directory (node_modules/NAME/package.json): room for as
	 * many as paths spares those the growing, at 24 bytes a slot. */
	dd_code rc = dd_map_reserve(&fs->map, fs->map.count + n, err);
	return rc ? rc : dd_map_reserve(&fs->below, fs->below.count + n, err);
}

void dd_fs_prefetch(const struct dd_fs *fs, const char *path, struct dd_fs_hint *hint)
{
	size_t n = strlen(path);
	const char *s = memrchr(path, '/', n);
	hint->path = path;
	hint->path_hash = dd_map_hash(path, n);
	hint->dir_hash = s ? dd_map_hash(path, (size_t)(s - path)) : 0;
	dd_map_prefetch_hashed(&fs->map, hint->path_hash);
	dd_map_prefetch_hashed(&fs->below, hint->path_hash);
	if (s)
		dd_map_prefetch_hashed(&fs->below, hint->dir_hash);
}

dd_code dd_fs_put_entry(struct dd_fs *fs, struct dd_fs_file *e, const struct dd_fs_hint *hint,
			struct dd_err *err)
{
	return put(fs, e, hint, err);
}

void dd_fs_remove(struct dd_fs *fs, const char *path)
{
	size_t dlen = strlen(path);
	del_entry(fs, path, dlen);
	remove_below(fs, path, dlen, dd_map_hash(path, dlen), -1);
}

void dd_fs_opaque(struct dd_fs *fs, const char *dir, int layer)
{
	size_t dlen = strlen(dir);
	remove_below(fs, dir, dlen, dd_map_hash(dir, dlen), layer);
}

void dd_fs_remove_if(struct dd_fs *fs, bool (*drop)(const struct dd_fs_file *f, void *ud), void *ud)
{
	const struct dd_map_slot *s;
	for (size_t i = 0; dd_map_next(&fs->map, &i, &s);)
		if (drop(s->value, ud))
			del_entry(fs, s->key, s->klen);
}

const struct dd_fs_file *dd_fs_lookup(const struct dd_fs *fs, const char *path)
{
	const struct dd_fs_file *f = find_top(fs, path);
	return f ? f : dd_map_get(&fs->map, path, strlen(path));
}

const struct dd_fs_file *dd_fs_resolve(const struct dd_fs *fs, const char *path,
				       struct dd_err *err)
{
	/* Walk component by component; on a symlink, splice its target in
	 * front of the rest and start over from the root. */
	char cur[DD_LIMIT_PATH_BYTES * 2], next[DD_LIMIT_PATH_BYTES * 2];
	if (dd_path_clean(path, strlen(path), cur, sizeof cur, NULL, err))
		return NULL;
	unsigned hops = 0;
	size_t done = 0; /* cur[0..done) is resolved and has no symlinks */
	for (;;) {
		size_t end = done;
		if (end < strlen(cur) && cur[end] == '/')
			end++;
		while (cur[end] && cur[end] != '/')
			end++;
		char save = cur[end];
		cur[end] = '\0';
		const struct dd_fs_file *f = dd_fs_lookup(fs, cur);
		cur[end] = save;
		if (f && f->type == DD_FS_SYMLINK) {
			if (++hops > DD_LIMIT_SYMLINK_HOPS) {
				dd_err_set(err, DD_ELIMIT, "%s: more than %d symlinks (a loop?)",
					   path, DD_LIMIT_SYMLINK_HOPS);
				return NULL;
			}
			char head[DD_LIMIT_PATH_BYTES * 2];
			memcpy(head, cur, end);
			head[end] = '\0';
			if (dd_path_join_link(head, f->link, next, sizeof next, err))
				return NULL;
			size_t nl = strlen(next);
			size_t rest = strlen(cur + end);
			if (nl + rest + 1 > sizeof next) {
				dd_err_set(err, DD_ELIMIT, "%s: resolved path too long", path);
				return NULL;
			}
			memcpy(next + nl, cur + end, rest + 1);
			if (dd_path_clean(next, nl + rest, cur, sizeof cur, NULL, err))
				return NULL;
			done = 0;
			continue;
		}
		if (!cur[end])
			return f;
		done = end;
	}
}

/* Path order by dd_strsort: the view's paths share long prefixes
 * ("usr/lib/python3/dist-packages/", "app/node_modules/"), which a
 * comparison sort reads again on every comparison. The map's entries are
 * sorted here, the top layer's are already (dd_fs_seal), and the two runs
 * are merged. */
const struct dd_fs_file **dd_fs_sorted(const struct dd_fs *fs, size_t *n)
{
	size_t k = 0, t = fs->sealed ? fs->ntop : 0;
	size_t all = fs->map.count + t;
	struct dd_strsort_item *v = dd_malloc((fs->map.count ? fs->map.count : 1) * sizeof *v);
	const struct dd_fs_file **out = dd_malloc((all ? all : 1) * sizeof *out);
	if (!v || !out) {
		free(v);
		free(out);
		return NULL;
	}
	const struct dd_map_slot *s;
	for (size_t i = 0; dd_map_next(&fs->map, &i, &s);)
		v[k++] = (struct dd_strsort_item){ .s = s->key, .len = s->klen, .ud = s->value };
	dd_strsort(v, k);
	/* The two runs are disjoint (dd_fs_put_top takes a lower version out
	 * of the map). */
	size_t a = 0, b = 0, o = 0;
	while (a < k && b < t)
		out[o++] = strcmp(v[a].s, fs->top[b]->path) < 0 ? v[a++].ud : fs->top[b++];
	while (a < k)
		out[o++] = v[a++].ud;
	while (b < t)
		out[o++] = fs->top[b++];
	free(v);
	*n = o;
	return out;
}

int dd_fs_each(const struct dd_fs *fs, int (*fn)(const struct dd_fs_file *f, void *ud), void *ud)
{
	size_t n;
	const struct dd_fs_file **v = dd_fs_sorted(fs, &n);
	if (!v)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = fn(v[i], ud);
	free(v);
	return rc;
}

size_t dd_fs_count(const struct dd_fs *fs)
{
	return fs->map.count + (fs->sealed ? fs->ntop : 0);
}
