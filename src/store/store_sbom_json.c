/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBOM a scan records, serialised as JSON (yajl's generator). The
 * store's findings, metrics and HTML report are written by src/report/
 * (store_report.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "store/store_impl.h"
#include "util/alloc.h"

static void ys(yajl_gen g, const char *s)
{
	if (s)
		yajl_gen_string(g, (const unsigned char *)s, strlen(s));
	else
		yajl_gen_null(g);
}

static void ykv(yajl_gen g, const char *k, const char *v)
{
	ys(g, k);
	ys(g, v);
}

static void yki(yajl_gen g, const char *k, long long v)
{
	ys(g, k);
	yajl_gen_integer(g, v);
}

static yajl_gen gen(bool pretty)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (g && pretty) {
		yajl_gen_config(g, yajl_gen_beautify, 1);
		yajl_gen_config(g, yajl_gen_indent_string, "  ");
	}
	return g;
}

dd_code dd_store_sbom_json(const struct dd_sbom *sb, char **out, size_t *len, struct dd_err *err)
{
	yajl_gen g = gen(false);
	if (!g)
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	const struct dd_image_info *im = &sb->image;
	yajl_gen_map_open(g);
	ys(g, "image");
	yajl_gen_map_open(g);
	ykv(g, "transport", im->transport);
	ykv(g, "reference", im->reference);
	ykv(g, "name", im->name);
	ykv(g, "config_digest", im->config_digest);
	ykv(g, "manifest_digest", im->manifest_digest);
	ykv(g, "os", im->os);
	ykv(g, "arch", im->arch);
	ykv(g, "created", im->created);
	ys(g, "layers");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < im->nlayers; i++) {
		yajl_gen_map_open(g);
		ykv(g, "diff_id", im->layers[i].diff_id);
		ykv(g, "digest", im->layers[i].digest);
		yki(g, "size", (long long)im->layers[i].size);
		ykv(g, "created_by", im->layers[i].created_by);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	ys(g, "distro");
	yajl_gen_map_open(g);
	ykv(g, "id", sb->distro.id);
	ykv(g, "version_id", sb->distro.version_id);
	ykv(g, "codename", sb->distro.codename);
	ykv(g, "pretty_name", sb->distro.pretty_name);
	yajl_gen_map_close(g);
	ys(g, "packages");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < sb->npkgs; i++) {
		const struct dd_package *p = &sb->pkgs[i];
		yajl_gen_map_open(g);
		ykv(g, "type", p->type);
		ykv(g, "namespace", p->namespace_);
		ykv(g, "name", p->name);
		ykv(g, "version", p->version);
		ykv(g, "arch", p->arch);
		ykv(g, "source_name", p->source_name);
		ykv(g, "source_version", p->source_version);
		ykv(g, "license", p->license);
		ykv(g, "purl", p->purl);
		ykv(g, "location", p->location);
		yki(g, "layer", p->layer);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	ys(g, "warnings");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < sb->nwarnings; i++)
		ys(g, sb->warnings[i]);
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	const unsigned char *buf;
	size_t n;
	yajl_gen_get_buf(g, &buf, &n);
	*out = dd_strndup((const char *)buf, n);
	*len = n;
	yajl_gen_free(g);
	return *out ? DD_OK : dd_err_set(err, DD_ENOMEM, "out of memory");
}

