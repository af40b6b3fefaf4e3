/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `db import`: walks the paths the user named (directories in name order,
 * archives and compressed files through libarchive's read callbacks), finds
 * the importer for each stream by its name and first bytes (the importer
 * table below: one line per feed), and runs them all inside one SQLite
 * transaction, so a failed run leaves the DB as it was. A stream no importer
 * claims is counted and skipped; a stream whose importer fails (a syntax
 * error in the document, say) is a warning and the run goes on. Only a
 * database or memory failure stops the run.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dd/log.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "vulndb/vdb.h"

/* One line per importer; probes decide, order breaks ties. */
const struct vdb_importer *const vdb_importers[] = {
	&vdb_import_kev,
	&vdb_import_epss,
	&vdb_import_alpine,
	&vdb_import_debian_dsa,
	&vdb_import_debian_tracker,
	&vdb_import_nvd,
	&vdb_import_osv,
	NULL,
};

const char *const *dd_vulndb_importers(void)
{
	static const char *names[sizeof vdb_importers / sizeof *vdb_importers];
	for (size_t i = 0; vdb_importers[i]; i++)
		names[i] = vdb_importers[i]->name;
	return names;
}

const struct vdb_importer *vdb_importer_find(const char *name)
{
	for (size_t i = 0; vdb_importers[i]; i++)
		if (strcmp(vdb_importers[i]->name, name) == 0)
			return vdb_importers[i];
	return NULL;
}

const struct vdb_importer *vdb_importer_probe(const char *name, const unsigned char *head, size_t n)
{
	const struct vdb_importer *best = NULL;
	int best_score = 0;
	for (size_t i = 0; vdb_importers[i]; i++) {
		int s = vdb_importers[i]->probe(name ? name : "", head, n);
		if (s > best_score) {
			best_score = s;
			best = vdb_importers[i];
		}
	}
	return best;
}

bool vdb_head_has(const unsigned char *head, size_t n, const char *needle)
{
	return memmem(head, n, needle, strlen(needle)) != NULL;
}

bool vdb_name_ends(const char *name, const char *suffix)
{
	size_t a = strlen(name), b = strlen(suffix);
	return a >= b && strcasecmp(name + a - b, suffix) == 0;
}

/* Debian release codenames and numbers (debian.org/releases; "sid" is
 * unstable, which has no number). */
const char *vdb_debian_release(const char *codename)
{
	static const char *const map[][2] = {
		{ "buzz", "1.1" },     { "rex", "1.2" },      { "bo", "1.3" },
		{ "hamm", "2.0" },     { "slink", "2.1" },    { "potato", "2.2" },
		{ "woody", "3.0" },    { "sarge", "3.1" },    { "etch", "4" },
		{ "lenny", "5" },      { "squeeze", "6" },    { "wheezy", "7" },
		{ "jessie", "8" },     { "stretch", "9" },    { "buster", "10" },
		{ "bullseye", "11" },  { "bookworm", "12" },  { "trixie", "13" },
		{ "forky", "14" },     { "duke", "15" },      { "sid", "unstable" },
	};
	if (!codename)
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(map[i][0], codename) == 0)
			return map[i][1];
	return NULL;
}

static dd_code json_string(struct dd_buf *b, const char *s, struct dd_err *err)
{
	struct fj n = { .type = FJ_STR, .str = s, .len = strlen(s) };
	return fj_write(&n, b, err);
}

dd_code vdb_range_fixed(struct dd_buf *b, const char *fixed, struct dd_err *err)
{
	dd_code rc = dd_buf_puts(b, "[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}", err);
	if (rc == DD_OK && fixed) {
		rc = dd_buf_puts(b, ",{\"fixed\":", err);
		if (rc == DD_OK)
			rc = json_string(b, fixed, err);
		if (rc == DD_OK)
			rc = dd_buf_putc(b, '}', err);
	}
	if (rc == DD_OK)
		rc = dd_buf_puts(b, "]}]", err);
	return rc;
}

void vdb_skip(struct vdb_ctx *c, unsigned long index, const char *id, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	c->skipped++;
	if (id)
		dd_log(DD_LOG_WARN, "%s: record %lu (%.80s) skipped: %s", c->file, index + 1, id, why);
	else
		dd_log(DD_LOG_WARN, "%s: record %lu skipped: %s", c->file, index + 1, why);
}

static struct dd_vulndb_import_count *count_for(struct dd_vulndb_import_stats *s, const char *name)
{
	for (size_t i = 0; i < s->nper; i++)
		if (strcmp(s->per[i].importer, name) == 0)
			return &s->per[i];
	if (s->nper == sizeof s->per / sizeof *s->per)
		return NULL;
	struct dd_vulndb_import_count *c = &s->per[s->nper++];
	snprintf(c->importer, sizeof c->importer, "%s", name);
	return c;
}

static bool fatal(dd_code rc)
{
	return rc == DD_EDB || rc == DD_ENOMEM;
}

dd_code vdb_import_stream(struct vdb_ctx *c, const struct vdb_importer *imp, const struct vdb_input *in,
			  struct dd_err *err)
{
	struct dd_vulndb_import_stats *st = c->stats;
	st->files_seen++;
	if (!imp)
		imp = vdb_importer_probe(in->name, in->head, in->nhead);
	if (!imp) {
		st->files_unrecognised++;
		dd_log(DD_LOG_INFO, "%s: not a feed format drydock knows; skipped", in->name);
		return DD_OK;
	}
	c->file = in->name;
	c->records = c->skipped = 0;
	c->importer_state = NULL;
	struct dd_err e;
	dd_err_clear(&e);
	dd_code rc = imp->import(c, in, &e);
	struct dd_vulndb_import_count *cnt = count_for(st, imp->name);
	if (cnt) {
		cnt->files++;
		cnt->records += c->records;
		cnt->skipped += c->skipped;
	}
	st->records += c->records;
	st->skipped += c->skipped;
	if (rc != DD_OK) {
		if (fatal(rc)) {
			*err = e;
			return dd_err_prefix(err, "%s", in->name);
		}
		st->files_failed++;
		dd_log(DD_LOG_WARN, "%s (%s): %s; %llu records imported before it", in->name, imp->name,
		       e.msg, (unsigned long long)c->records);
	}
	if (c->records || c->skipped) {
		dd_err_clear(&e);
		rc = vdb_note_source(c->w, imp->name, c->location, c->records, c->skipped, &e);
		if (rc) {
			*err = e;
			return rc;
		}
	}
	return DD_OK;
}

/* ------------------------------------------------------------ streams -- */

#define HEAD_BYTES 8192

struct arc_stream {
	struct archive *a;
	unsigned char head[HEAD_BYTES];
	size_t nhead, off;
	const char *name;
};

static dd_code arc_read(void *ud, void *buf, size_t cap, size_t *got, struct dd_err *err)
{
	struct arc_stream *s = ud;
	if (s->off < s->nhead) {
		size_t k = s->nhead - s->off < cap ? s->nhead - s->off : cap;
		memcpy(buf, s->head + s->off, k);
		s->off += k;
		*got = k;
		return DD_OK;
	}
	la_ssize_t r = archive_read_data(s->a, buf, cap);
	if (r < 0)
		return dd_err_set(err, DD_EIO, "reading: %s", archive_error_string(s->a));
	*got = (size_t)r;
	return DD_OK;
}

static void strip_compression_suffix(char *name)
{
	static const char *const sfx[] = { ".gz", ".bz2", ".xz", ".zst" };
	for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++)
		if (vdb_name_ends(name, sfx[i])) {
			name[strlen(name) - strlen(sfx[i])] = '\0';
			return;
		}
}

static struct archive *arc_new(void)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_raw(a);
	return a;
}

/* Every regular member of an opened archive (or the single raw stream). */
static dd_code import_archive(struct vdb_ctx *c, struct archive *a, const char *display,
			      const struct vdb_importer *imp, struct dd_err *err)
{
	struct archive_entry *e;
	struct arc_stream *s = dd_malloc(sizeof *s);
	char *name = dd_malloc(4096);
	dd_code rc = DD_OK;
	if (!s || !name) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	for (int first = 1;; first = 0) {
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			if (first && archive_format(a) == 0) {
				/* An empty file: libarchive finds no format at all. */
				c->stats->files_seen++;
				dd_log(DD_LOG_INFO, "%s: empty; skipped", display);
				break;
			}
			c->stats->files_failed++;
			dd_log(DD_LOG_WARN, "%s: %s", display, archive_error_string(a));
			break;
		}
		if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
			const char *base = strrchr(display, '/');
			snprintf(name, 4096, "%s", base ? base + 1 : display);
			strip_compression_suffix(name);
		} else {
			if (archive_entry_filetype(e) != AE_IFREG)
				continue;
			const char *p = archive_entry_pathname(e);
			snprintf(name, 4096, "%s:%s", display, p ? p : "?");
		}
		s->a = a;
		s->nhead = s->off = 0;
		s->name = name;
		while (s->nhead < HEAD_BYTES) {
			la_ssize_t k = archive_read_data(a, s->head + s->nhead, HEAD_BYTES - s->nhead);
			if (k <= 0)
				break;
			s->nhead += (size_t)k;
		}
		/* Probes see the member's own file name, not the archive's. */
		const char *colon = archive_format(a) == ARCHIVE_FORMAT_RAW ? NULL : strrchr(name, ':');
		struct vdb_input in = { .name = name, .head = s->head, .nhead = s->nhead, .read = arc_read, .ud = s };
		if (!imp) {
			const struct vdb_importer *found =
				vdb_importer_probe(colon ? colon + 1 : name, s->head, s->nhead);
			rc = vdb_import_stream(c, found, &in, err);
		} else {
			rc = vdb_import_stream(c, imp, &in, err);
		}
		if (rc)
			goto out;
	}
out:
	free(s);
	free(name);
	return rc;
}

static dd_code import_file(struct vdb_ctx *c, const char *path, const struct vdb_importer *imp,
			   struct dd_err *err)
{
	struct archive *a = arc_new();
	if (!a)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	dd_code rc = DD_OK;
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		c->stats->files_failed++;
		dd_log(DD_LOG_WARN, "%s: %s", path, archive_error_string(a));
	} else {
		rc = import_archive(c, a, path, imp, err);
	}
	archive_read_free(a);
	return rc;
}

static int skip_name(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static dd_code import_path(struct vdb_ctx *c, const char *path, int depth, struct dd_err *err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (depth == 0)
			return dd_err_sys(err, DD_ENOTFOUND, "%s", path);
		c->stats->files_failed++;
		dd_log(DD_LOG_WARN, "%s: %s", path, strerror(errno));
		return DD_OK;
	}
	if (S_ISREG(st.st_mode))
		return import_file(c, path, NULL, err);
	if (!S_ISDIR(st.st_mode))
		return DD_OK;
	if (depth > 32)
		return DD_OK; /* a symlink loop; real feed trees are 3 deep */
	struct dirent **names;
	int n = scandir(path, &names, skip_name, alphasort);
	if (n < 0) {
		c->stats->files_failed++;
		dd_log(DD_LOG_WARN, "%s: %s", path, strerror(errno));
		return DD_OK;
	}
	dd_code rc = DD_OK;
	char *sub = dd_malloc(8192);
	if (!sub)
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++) {
		if (rc == DD_OK) {
			snprintf(sub, 8192, "%s/%s", path, names[i]->d_name);
			rc = import_path(c, sub, depth + 1, err);
		}
		free(names[i]);
	}
	free(names);
	free(sub);
	return rc;
}

static dd_code finish(struct vdb *w, dd_code rc, struct dd_err *err)
{
	/* The derived tables scans read, from everything the DB now holds. */
	if (rc == DD_OK)
		rc = vdb_build_index(w, err);
	if (rc == DD_OK) {
		char now[32];
		vdb_now(now);
		rc = vdb_set_meta(w, "updated_at", now, err);
	}
	if (rc == DD_OK)
		rc = vdb_exec(w, "COMMIT", err);
	if (rc != DD_OK)
		sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

dd_code dd_vulndb_import(const char *db_path, const char *const *paths, size_t npaths, unsigned flags,
			 struct dd_vulndb_import_stats *stats, struct dd_err *err)
{
	struct dd_vulndb_import_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	for (size_t i = 0; i < npaths; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0)
			return dd_err_sys(err, DD_ENOTFOUND, "%s", paths[i]);
	}
	struct vdb w;
	dd_code rc = vdb_open_rw(db_path, flags, &w, err);
	if (rc)
		return rc;
	rc = vdb_exec(&w, "BEGIN IMMEDIATE", err);
	if (rc == DD_OK) {
		for (size_t i = 0; i < npaths && rc == DD_OK; i++) {
			struct vdb_ctx c = { .w = &w, .location = paths[i], .stats = stats };
			rc = import_path(&c, paths[i], 0, err);
		}
		rc = finish(&w, rc, err);
	}
	vdb_close(&w);
	return rc;
}

struct mem_stream {
	const unsigned char *p;
	size_t n, off;
};

static dd_code mem_read(void *ud, void *buf, size_t cap, size_t *got, struct dd_err *err)
{
	(void)err;
	struct mem_stream *m = ud;
	size_t k = m->n - m->off < cap ? m->n - m->off : cap;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	*got = k;
	return DD_OK;
}

dd_code dd_vulndb_import_buffer(const char *db_path, const char *importer, const char *name,
				const void *data, size_t n, struct dd_vulndb_import_stats *stats,
				struct dd_err *err)
{
	struct dd_vulndb_import_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	const struct vdb_importer *imp = NULL;
	if (importer && !(imp = vdb_importer_find(importer)))
		return dd_err_set(err, DD_EUSAGE, "no importer named '%s'", importer);
	struct vdb w;
	dd_code rc = vdb_open_rw(db_path, DD_VULNDB_CREATE, &w, err);
	if (rc)
		return rc;
	rc = vdb_exec(&w, "BEGIN IMMEDIATE", err);
	if (rc == DD_OK) {
		struct vdb_ctx c = { .w = &w, .location = name, .stats = stats };
		if (imp) {
			struct mem_stream m = { data, n, 0 };
			struct vdb_input in = { .name = name ? name : "", .head = data,
						.nhead = n < HEAD_BYTES ? n : HEAD_BYTES, .read = mem_read, .ud = &m };
			rc = vdb_import_stream(&c, imp, &in, err);
		} else {
			struct archive *a = arc_new();
			if (!a) {
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			} else {
				if (archive_read_open_memory(a, data, n) == ARCHIVE_OK)
					rc = import_archive(&c, a, name ? name : "buffer", NULL, err);
				else
					stats->files_failed++;
				archive_read_free(a);
			}
		}
		rc = finish(&w, rc, err);
	}
	vdb_close(&w);
	return rc;
}

struct line_state {
	struct dd_buf line;
	bool overlong;
	unsigned long no;
};

static dd_code line_add(struct line_state *l, const char *p, size_t n, struct dd_err *err)
{
	if (l->overlong)
		return DD_OK;
	dd_code rc = dd_buf_append(&l->line, p, n, NULL);
	if (rc == DD_ENOMEM)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	if (rc != DD_OK) {
		l->overlong = true;
		dd_buf_reset(&l->line);
	}
	return DD_OK;
}

static dd_code line_emit(struct line_state *l, vdb_line_fn fn, void *ud, struct dd_err *err)
{
	l->no++;
	if (l->line.len && l->line.data[l->line.len - 1] == '\r')
		l->line.data[--l->line.len] = '\0';
	dd_code rc = fn(ud, l->no, l->overlong ? NULL : (l->line.data ? l->line.data : ""),
			l->overlong ? 0 : l->line.len, err);
	l->overlong = false;
	dd_buf_reset(&l->line);
	return rc;
}

dd_code vdb_lines(const struct vdb_input *in, vdb_line_fn fn, void *ud, struct dd_err *err)
{
	struct line_state l = { .overlong = false, .no = 0 };
	dd_buf_init(&l.line, DD_LIMIT_LINE_BYTES);
	char *buf = dd_malloc(64 * 1024);
	dd_code rc = buf ? DD_OK : dd_err_set(err, DD_ENOMEM, "out of memory");
	while (rc == DD_OK) {
		size_t got = 0;
		rc = in->read(in->ud, buf, 64 * 1024, &got, err);
		if (rc)
			break;
		if (got == 0) {
			if (l.line.len || l.overlong)
				rc = line_emit(&l, fn, ud, err);
			break;
		}
		size_t start = 0;
		for (size_t i = 0; i < got && rc == DD_OK; i++) {
			if (buf[i] != '\n')
				continue;
			rc = line_add(&l, buf + start, i - start, err);
			if (rc == DD_OK)
				rc = line_emit(&l, fn, ud, err);
			start = i + 1;
		}
		if (rc == DD_OK)
			rc = line_add(&l, buf + start, got - start, err);
	}
	if (rc == DD_OK)
		rc = fn(ud, 0, NULL, 0, err); /* end of input */
	dd_buf_release(&l.line);
	free(buf);
	return rc;
}
