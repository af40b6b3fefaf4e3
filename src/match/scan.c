/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scan pipeline: image → SBOM → findings (include/dd/scan.h). Opening
 * the DB, running the matcher, the --ignore-unfixed filter and the result's
 * lifetime. Suppressions and the gate are applied by the caller from
 * src/policy/.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "dd/clock.h"
#include "dd/scan.h"
#include "dd/vulndb.h"
#include "match/match.h"
#include "util/alloc.h"
#include "util/arena.h"

void dd_scan_result_free(struct dd_scan_result *r)
{
	if (!r)
		return;
	dd_sbom_free(r->sbom);
	free(r->findings);
	free(r->warnings);
	dd_arena_free(r->arena);
	free(r);
}

void dd_scan_warn(struct dd_scan_result *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (dd_grow(&r->warnings, &r->wcap, r->nwarnings + 1, sizeof *r->warnings))
		return;
	const char *w = dd_arena_strdup(r->arena, msg);
	if (w)
		r->warnings[r->nwarnings++] = w;
}

void dd_scan_drop_unfixed(struct dd_scan_result *r)
{
	size_t k = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].fixed)
			r->findings[k++] = r->findings[i];
	r->nfindings = k;
}

/* Opens the DB named by opts (or the default one). */
static dd_code open_db(const struct dd_scan_opts *opts, struct dd_vulndb **db, struct dd_err *err)
{
	char *path = opts->db_path ? NULL : dd_vulndb_default_path(err);
	const char *db_path = opts->db_path ? opts->db_path : path;
	dd_code rc = db_path ? dd_vulndb_open(db_path, db, err) : DD_ENOTFOUND;
	free(path);
	return rc;
}

/* Matches sbom (taken) with an open DB. */
static dd_code scan_take(struct dd_vulndb *db, struct dd_sbom *sbom, const struct dd_scan_opts *opts,
			 struct dd_scan_result **out, struct dd_err *err)
{
	*out = NULL;
	struct dd_scan_result *r = dd_calloc(1, sizeof *r);
	struct dd_arena *ar = dd_arena_new(0);
	if (!r || !ar) {
		free(r);
		dd_arena_free(ar);
		dd_sbom_free(sbom);
		return dd_err_set(err, DD_ENOMEM, "out of memory starting a scan");
	}
	r->sbom = sbom;
	r->arena = ar;
	char now[21];
	dd_time_format(dd_clock_now(), now, sizeof now);
	r->scanned_at = dd_arena_strdup(ar, now);
	r->db_built = dd_arena_strdup(ar, dd_vulndb_built_at(db));
	dd_code rc = dd_scan_match(db, r, err);
	if (rc) {
		dd_scan_result_free(r);
		return rc;
	}
	if (opts->ignore_unfixed)
		dd_scan_drop_unfixed(r);
	*out = r;
	return DD_OK;
}

static const struct dd_scan_opts defaults;

dd_code dd_scan_sbom_take(struct dd_sbom *sbom, const struct dd_scan_opts *opts,
			  struct dd_scan_result **out, struct dd_err *err)
{
	struct dd_vulndb *db = NULL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	dd_code rc = open_db(opts, &db, err);
	if (rc)
		dd_sbom_free(sbom);
	else
		rc = scan_take(db, sbom, opts, out, err);
	dd_vulndb_close(db);
	return rc;
}

/* The DB is opened before the image is read: a missing or outdated DB
 * fails in milliseconds, not after decompressing gigabytes. */
dd_code dd_scan_image(const char *image, const struct dd_image_opts *iopts,
		      const struct dd_scan_opts *opts, struct dd_scan_result **out,
		      struct dd_err *err)
{
	struct dd_vulndb *db = NULL;
	struct dd_sbom *sbom = NULL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	dd_code rc = open_db(opts, &db, err);
	if (!rc)
		rc = dd_sbom_from_image(image, iopts, &sbom, err);
	if (!rc)
		rc = scan_take(db, sbom, opts, out, err);
	dd_vulndb_close(db);
	return rc;
}
