/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBOM as a table for people: NAME VERSION TYPE SOURCE LAYER, sorted by
 * name, columns padded to the widest cell (counted in UTF-8 code points so
 * non-ASCII names still line up in a terminal). Not for machines: use json.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

static size_t width(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void cell(FILE *out, const char *s, size_t w, bool last)
{
	fputs(s, out);
	if (last)
		return;
	for (size_t n = width(s); n < w + 2; n++)
		fputc(' ', out);
}

/* "openssl" or "openssl 1.1.1d-r0" when the source version differs. */
static void source_of(const struct dd_package *p, char *buf, size_t n)
{
	if (!p->source_name || !*p->source_name) {
		snprintf(buf, n, "-");
		return;
	}
	if (p->source_version && *p->source_version &&
	    (!p->version || strcmp(p->source_version, p->version) != 0))
		snprintf(buf, n, "%s %s", p->source_name, p->source_version);
	else
		snprintf(buf, n, "%s", p->source_name);
}

dd_code rep_sbom_table(FILE *out, const struct dd_sbom *s, const struct dd_report_opts *o,
		       struct dd_err *err)
{
	(void)o;
	size_t *ix = rep_pkg_order_by_name(s);
	if (!ix)
		return dd_err_set(err, DD_ENOMEM, "out of memory sorting packages");
	static const char *head[] = { "NAME", "VERSION", "TYPE", "SOURCE", "LAYER" };
	size_t w[5];
	for (int c = 0; c < 5; c++)
		w[c] = width(head[c]);
	char src[512], layer[24], name[512];
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[ix[i]];
		source_of(p, src, sizeof src);
		snprintf(layer, sizeof layer, "%d", p->layer);
		const char *v[5] = { rep_display_name(p, name, sizeof name), p->version ? p->version : "-",
				     p->type ? p->type : "-", src, p->layer >= 0 ? layer : "-" };
		for (int c = 0; c < 5; c++)
			if (width(v[c]) > w[c])
				w[c] = width(v[c]);
	}
	const char *distro = s->distro.pretty_name ? s->distro.pretty_name : s->distro.id;
	fprintf(out, "%s", rep_image_name(s));
	if (distro)
		fprintf(out, " (%s)", distro);
	fprintf(out, ": %zu package%s\n\n", s->npkgs, s->npkgs == 1 ? "" : "s");
	for (int c = 0; c < 5; c++)
		cell(out, head[c], w[c], c == 4);
	fputc('\n', out);
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[ix[i]];
		source_of(p, src, sizeof src);
		snprintf(layer, sizeof layer, "%d", p->layer);
		const char *v[5] = { rep_display_name(p, name, sizeof name), p->version ? p->version : "-",
				     p->type ? p->type : "-", src, p->layer >= 0 ? layer : "-" };
		for (int c = 0; c < 5; c++)
			cell(out, v[c], w[c], c == 4);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->nwarnings; i++)
		fprintf(out, "%swarning: %s\n", i == 0 ? "\n" : "", s->warnings[i]);
	free(ix);
	return DD_OK;
}
