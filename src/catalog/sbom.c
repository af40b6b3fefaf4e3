/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBOM container (include/dd/sbom.h): copying packages into the arena,
 * warnings, deterministic order. Building one from an image is in
 * sbom_build.c.
 */
#include <stdarg.h>

#include "dd/sbom.h"
#include "util/alloc.h"
#include "util/arena.h"

struct dd_sbom *dd_sbom_new(void)
{
	struct dd_sbom *s = dd_calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->arena = dd_arena_new(0);
	if (!s->arena) {
		free(s);
		return NULL;
	}
	return s;
}

void dd_sbom_free(struct dd_sbom *s)
{
	if (!s)
		return;
	free(s->pkgs);
	free(s->warnings);
	dd_arena_free(s->arena);
	free(s);
}

dd_code dd_sbom_add(struct dd_sbom *s, const struct dd_package *p, struct dd_err *err)
{
	if (dd_grow(&s->pkgs, &s->cap, s->npkgs + 1, sizeof *s->pkgs))
		return dd_err_set(err, DD_ENOMEM, "out of memory adding package %s", p->name);
	struct dd_arena *a = s->arena;
	struct dd_package *q = &s->pkgs[s->npkgs];
	const struct dd_package *prev = s->npkgs ? &s->pkgs[s->npkgs - 1] : NULL;
	*q = *p;
#define DUP(f) q->f = p->f ? dd_arena_strdup(a, p->f) : NULL
	/* A cataloger adds its packages in a row, mostly with the same type,
	 * namespace and cataloger: those share the previous package's copy. */
#define SHARE(f) q->f = !p->f ? NULL : prev && prev->f && !strcmp(prev->f, p->f) ? prev->f : dd_arena_strdup(a, p->f)
	SHARE(type); SHARE(namespace_); DUP(name); DUP(version); SHARE(arch);
	DUP(source_name); DUP(source_version); SHARE(license); DUP(purl);
	SHARE(cataloger); DUP(location); SHARE(modularity); DUP(owner);
#undef SHARE
#undef DUP
	q->files = NULL;
	if (p->nfiles) {
		q->files = dd_arena_alloc(a, p->nfiles * sizeof *q->files);
		for (size_t i = 0; q->files && i < p->nfiles; i++)
			q->files[i] = dd_arena_strdup(a, p->files[i]);
	}
	if (dd_arena_status(a))
		return dd_err_set(err, dd_arena_status(a), "out of memory adding package %s", p->name);
	s->npkgs++;
	return DD_OK;
}

dd_code dd_sbom_reserve(struct dd_sbom *s, size_t n, struct dd_err *err)
{
	if (dd_grow(&s->pkgs, &s->cap, n, sizeof *s->pkgs))
		return dd_err_set(err, DD_ENOMEM, "out of memory for %zu packages", n);
	return DD_OK;
}

void dd_sbom_warn(struct dd_sbom *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (dd_grow(&s->warnings, &s->wcap, s->nwarnings + 1, sizeof *s->warnings))
		return;
	const char *w = dd_arena_strdup(s->arena, msg);
	if (w)
		s->warnings[s->nwarnings++] = w;
}

static int cmpstr(const char *a, const char *b)
{
	if (a == b)
		return 0; /* NULL and NULL, or a string dd_sbom_add shared */
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_pkg(const void *x, const void *y)
{
	const struct dd_package *a = x, *b = y;
	int c;
	if ((c = cmpstr(a->type, b->type)) || (c = cmpstr(a->name, b->name)) ||
	    (c = cmpstr(a->version, b->version)) || (c = cmpstr(a->arch, b->arch)) ||
	    (c = cmpstr(a->location, b->location)))
		return c;
	return 0;
}

void dd_sbom_keep_if(struct dd_sbom *s, bool (*keep)(const struct dd_package *p, void *ud),
		     void *ud)
{
	size_t k = 0;
	for (size_t i = 0; i < s->npkgs; i++)
		if (keep(&s->pkgs[i], ud))
			s->pkgs[k++] = s->pkgs[i];
	s->npkgs = k;
}

void dd_sbom_sort(struct dd_sbom *s)
{
	/* Catalogers walk the view in path order, which is often name order
	 * already (node_modules/NAME): then there is nothing to do, and
	 * glibc's qsort, a stable merge sort, would keep that order too. */
	size_t i = 1;
	while (i < s->npkgs && cmp_pkg(&s->pkgs[i - 1], &s->pkgs[i]) <= 0)
		i++;
	if (i < s->npkgs)
		qsort(s->pkgs, s->npkgs, sizeof *s->pkgs, cmp_pkg);
}
