/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dd_sbom_from_image (include/dd/sbom.h): open the image, ask every
 * cataloger what it wants kept, stream the layers once into the merged
 * view (image/), describe the image in the SBOM and run the catalogers
 * (catalog.c). With no catalogers registered the result is an SBOM with
 * the image described and zero packages.
 */
#include <stdio.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "catalog/ownership.h"
#include "image/image.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

/* ud is the scan's struct dd_catalog_wants. The tag a kept file carries is
 * the set of catalogers that want it, which dd_catalog_run then need not
 * work out again. */
static uint32_t want_path(void *ud, const char *path, size_t len)
{
	return dd_catalog_wants_path(ud, path, len);
}

static uint32_t want_magic(void *ud, const unsigned char *head, size_t n)
{
	return dd_catalog_wants_magic(ud, head, n);
}

static bool sniffs(void *ud, const char *path, size_t len, uint32_t mode)
{
	return dd_catalog_sniffs(ud, path, len, mode);
}

static dd_code reduce(void *ud, uint32_t tag, bool by_magic, const char *path,
		      const struct dd_bytes *b, struct dd_arena *a,
		      const unsigned char **out, size_t *outlen, struct dd_err *err)
{
	(void)ud;
	return dd_catalog_reduce(tag, by_magic, path, b, a, out, outlen, err);
}

static bool reduces(void *ud, uint32_t tag)
{
	(void)ud;
	return dd_catalog_reduces(tag);
}

static bool not_os(const struct dd_package *p, void *ud)
{
	(void)ud;
	return !dd_catalog_is_os_type(p->type);
}

static void on_warn(void *ud, const char *msg)
{
	dd_sbom_warn(ud, "%s", msg);
}

static const char *cp(struct dd_arena *a, const char *s)
{
	return s ? dd_arena_strdup(a, s) : NULL;
}

/* Deep copy into the SBOM's arena: the image dies before the SBOM. */
static void copy_info(struct dd_arena *a, struct dd_image_info *dst, const struct dd_image_info *src)
{
	*dst = *src;
	dst->transport = cp(a, src->transport);
	dst->reference = cp(a, src->reference);
	dst->name = cp(a, src->name);
	dst->config_digest = cp(a, src->config_digest);
	dst->manifest_digest = cp(a, src->manifest_digest);
	dst->os = cp(a, src->os);
	dst->arch = cp(a, src->arch);
	dst->variant = cp(a, src->variant);
	dst->created = cp(a, src->created);
	dst->repo_tags = NULL;
	if (src->nrepo_tags) {
		dst->repo_tags = dd_arena_alloc(a, src->nrepo_tags * sizeof *dst->repo_tags);
		for (size_t i = 0; dst->repo_tags && i < src->nrepo_tags; i++)
			dst->repo_tags[i] = cp(a, src->repo_tags[i]);
	}
	dst->layers = NULL;
	if (src->nlayers) {
		dst->layers = dd_arena_alloc(a, src->nlayers * sizeof *dst->layers);
		for (size_t i = 0; dst->layers && i < src->nlayers; i++) {
			const struct dd_layer_info *s = &src->layers[i];
			struct dd_layer_info *d = &dst->layers[i];
			*d = *s;
			d->diff_id = cp(a, s->diff_id);
			d->digest = cp(a, s->digest);
			d->media_type = cp(a, s->media_type);
			d->created_by = cp(a, s->created_by);
		}
	}
}

dd_code dd_sbom_from_image(const char *image, const struct dd_image_opts *opts,
			   struct dd_sbom **out, struct dd_err *err)
{
	*out = NULL;
	struct dd_image_opts zero = { 0 };
	if (!opts)
		opts = &zero;
	bool os_only = (opts->flags & DD_IMAGE_OS_ONLY) != 0;
	struct dd_catalog_wants wants;
	dd_catalog_wants_init(&wants, os_only);
	/* The fingerprint keys the layer cache: every cataloger that takes
	 * part, with its version, so a new cataloger version re-reads layers. */
	struct dd_buf fp;
	dd_buf_init(&fp, 1u << 16);
	/* v2: dd_catalog_sniffs; v3: dd_lang_maybe_program skips usr/share/
	 * and var/lib/dpkg/ */
	dd_code rc = dd_buf_puts(&fp, "wants-v3", err);
	for (unsigned i = 0; dd_catalogers[i] && !rc; i++)
		if (wants.part & (dd_catalog_set)1 << i)
			rc = dd_buf_printf(&fp, err, ";%s@%u", dd_catalogers[i]->name,
					   dd_catalogers[i]->version);
	struct dd_image *img = NULL;
	struct dd_sbom *s = NULL;
	struct dd_fs *fs = NULL;
	if (rc)
		goto done;
	if ((rc = dd_image_open_lazy(image, opts, &img, err)))
		goto done;
	s = dd_sbom_new();
	if (!s) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto done;
	}
	/* No magic callback when no cataloger taking part has one
	 * (DD_IMAGE_OS_ONLY): the reader then need not read the first bytes
	 * of every file it would otherwise skip. */
	struct dd_fs_wants w = { .path = want_path, .magic = wants.magic ? want_magic : NULL,
				 .sniffs = sniffs, .reduce = reduce, .reduces = reduces,
				 .ud = &wants, .fingerprint = fp.data };
	if ((rc = dd_image_load_fs(img, &w, on_warn, s, &fs, err)))
		goto done;
	copy_info(s->arena, &s->image, dd_image_info(img));
	if (dd_arena_status(s->arena)) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = dd_catalog_run(fs, s, os_only, err)))
		goto done;
	if (opts->flags & DD_IMAGE_LANG_ONLY)
		dd_sbom_keep_if(s, not_os, NULL);
	dd_sbom_sort(s);
	*out = s;
	s = NULL;
done:
	dd_fs_free(fs);
	dd_image_close(img);
	dd_sbom_free(s);
	dd_buf_release(&fp);
	return rc;
}
