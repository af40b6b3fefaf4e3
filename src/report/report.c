/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report format table (one line per format: name, what it can write,
 * the writers) and what every writer shares: the JSON writer over yajl_gen,
 * fixed output orders, creation time and content-derived identifiers.
 * Each format lives in its own file (sbom_table.c, sbom_json.c, cyclonedx.c,
 * spdx.c, scan_table.c, scan_json.c, sarif.c, trivy_json.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report_int.h"
#include "util/alloc.h"
#include "util/hash.h"

struct format {
	const char *name;
	enum dd_report_format id;
	dd_code (*sbom)(FILE *, const struct dd_sbom *, const struct dd_report_opts *, struct dd_err *);
	dd_code (*scan)(FILE *, const struct dd_scan_result *, const struct dd_report_opts *, struct dd_err *);
};

/* One line per format, in the order help texts list them. */
static const struct format formats[] = {
	{ "table", DD_REPORT_TABLE, rep_sbom_table, rep_scan_table },
	{ "json", DD_REPORT_JSON, rep_sbom_json, rep_scan_json },
	{ "cyclonedx", DD_REPORT_CYCLONEDX, rep_sbom_cyclonedx, rep_scan_cyclonedx },
	{ "spdx", DD_REPORT_SPDX, rep_sbom_spdx, NULL },
	{ "sarif", DD_REPORT_SARIF, NULL, rep_scan_sarif },
	{ "trivy-json", DD_REPORT_TRIVY_JSON, NULL, rep_scan_trivy },
};
#define NFORMATS (sizeof formats / sizeof *formats)

static bool fits(const struct format *f, unsigned kind)
{
	return (!(kind & DD_REPORT_KIND_SBOM) || f->sbom) && (!(kind & DD_REPORT_KIND_SCAN) || f->scan);
}

const char *dd_report_format_list(unsigned kind)
{
	static char lists[4][128];
	char *buf = lists[kind & 3];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < NFORMATS; i++) {
		if (!fits(&formats[i], kind))
			continue;
		int k = snprintf(buf + n, sizeof lists[0] - n, "%s%s", n ? ", " : "", formats[i].name);
		if (k > 0 && (size_t)k < sizeof lists[0] - n)
			n += (size_t)k;
	}
	return buf;
}

dd_code dd_report_format_parse(const char *name, unsigned kind, enum dd_report_format *out,
			       struct dd_err *err)
{
	for (size_t i = 0; name && i < NFORMATS; i++) {
		if (strcmp(formats[i].name, name) != 0)
			continue;
		if (!fits(&formats[i], kind))
			break;
		*out = formats[i].id;
		return DD_OK;
	}
	return dd_err_set(err, DD_EUSAGE, "unknown format '%s' (valid: %s)", name ? name : "",
			  dd_report_format_list(kind));
}

const char *dd_report_format_name(enum dd_report_format f)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].id == f)
			return formats[i].name;
	return "unknown";
}

static const struct format *find(enum dd_report_format f)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].id == f)
			return &formats[i];
	return NULL;
}

static dd_code finish_stream(FILE *out, dd_code rc, struct dd_err *err)
{
	if (rc == DD_OK && (fflush(out) != 0 || ferror(out)))
		return dd_err_sys(err, DD_EIO, "writing the report");
	return rc;
}

dd_code dd_report_sbom(FILE *out, const struct dd_sbom *sbom, enum dd_report_format f,
		       const struct dd_report_opts *opts, struct dd_err *err)
{
	static const struct dd_report_opts defaults;
	const struct format *fmt = find(f);
	if (!fmt || !fmt->sbom)
		return dd_err_set(err, DD_EUSAGE, "format '%s' cannot write an SBOM (valid: %s)",
				  dd_report_format_name(f), dd_report_format_list(DD_REPORT_KIND_SBOM));
	return finish_stream(out, fmt->sbom(out, sbom, opts ? opts : &defaults, err), err);
}

dd_code dd_report_scan(FILE *out, const struct dd_scan_result *r, enum dd_report_format f,
		       const struct dd_report_opts *opts, struct dd_err *err)
{
	static const struct dd_report_opts defaults;
	const struct format *fmt = find(f);
	if (!fmt || !fmt->scan)
		return dd_err_set(err, DD_EUSAGE, "format '%s' cannot write a scan report (valid: %s)",
				  dd_report_format_name(f), dd_report_format_list(DD_REPORT_KIND_SCAN));
	if (!r->sbom)
		return dd_err_set(err, DD_EINVAL, "scan result has no SBOM");
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].pkg >= r->sbom->npkgs)
			return dd_err_set(err, DD_EINVAL, "finding %zu (%s) names package %zu of %zu", i,
					  r->findings[i].id ? r->findings[i].id : "?", r->findings[i].pkg,
					  r->sbom->npkgs);
	return finish_stream(out, fmt->scan(out, r, opts ? opts : &defaults, err), err);
}

/* --- JSON writer ----------------------------------------------------------- */

static void jw_print(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ((struct jw *)ctx)->out);
}

dd_code jw_init(struct jw *w, FILE *out, struct dd_err *err)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->g = yajl_gen_alloc(NULL);
	if (!w->g)
		return dd_err_set(err, DD_ENOMEM, "out of memory starting JSON output");
	yajl_gen_config(w->g, yajl_gen_beautify, 1);
	yajl_gen_config(w->g, yajl_gen_indent_string, "  ");
	yajl_gen_config(w->g, yajl_gen_print_callback, jw_print, w);
	/* Strings are made valid before they reach yajl (utf8_fix), so this
	 * only catches our own mistakes. */
	yajl_gen_config(w->g, yajl_gen_validate_utf8, 1);
	return DD_OK;
}

dd_code jw_finish(struct jw *w, struct dd_err *err)
{
	int failed = w->failed;
	bool nomem = w->nomem;
	yajl_gen_free(w->g);
	w->g = NULL;
	if (nomem)
		return dd_err_set(err, DD_ENOMEM, "out of memory writing JSON");
	if (failed)
		return dd_err_set(err, DD_EINVAL, "JSON generation failed (yajl status %d)", failed);
	fputc('\n', w->out);
	return DD_OK;
}

static void check(struct jw *w, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok && !w->failed)
		w->failed = (int)st;
}

#define LIVE(w) ((w)->g && !(w)->failed && !(w)->nomem)

void jw_obj(struct jw *w) { if (LIVE(w)) check(w, yajl_gen_map_open(w->g)); }
void jw_end_obj(struct jw *w) { if (LIVE(w)) check(w, yajl_gen_map_close(w->g)); }
void jw_arr(struct jw *w) { if (LIVE(w)) check(w, yajl_gen_array_open(w->g)); }
void jw_end_arr(struct jw *w) { if (LIVE(w)) check(w, yajl_gen_array_close(w->g)); }
void jw_null(struct jw *w) { if (LIVE(w)) check(w, yajl_gen_null(w->g)); }
void jw_bool(struct jw *w, bool v) { if (LIVE(w)) check(w, yajl_gen_bool(w->g, v)); }
void jw_int(struct jw *w, long long v) { if (LIVE(w)) check(w, yajl_gen_integer(w->g, v)); }

/* Length of the valid UTF-8 sequence at s (RFC 3629 §4: no overlongs, no
 * surrogates, nothing past U+10FFFF), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

void jw_str(struct jw *w, const char *s)
{
	if (!LIVE(w))
		return;
	if (!s) {
		jw_null(w);
		return;
	}
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	while (i < n && (k = utf8_seq(u + i, n - i)) != 0)
		i += k;
	if (i == n) {
		check(w, yajl_gen_string(w->g, u, n));
		return;
	}
	/* Package metadata is untrusted and not always UTF-8 (Latin-1
	 * maintainer names in old dpkg databases): replace each bad byte with
	 * U+FFFD rather than failing the whole report. */
	unsigned char *fixed = dd_malloc(n * 3 + 1);
	if (!fixed) {
		w->nomem = true;
		return;
	}
	size_t o = 0;
	for (i = 0; i < n;) {
		k = utf8_seq(u + i, n - i);
		if (k) {
			memcpy(fixed + o, u + i, k);
			o += k;
			i += k;
		} else {
			memcpy(fixed + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		}
	}
	check(w, yajl_gen_string(w->g, fixed, o));
	free(fixed);
}

void jw_num(struct jw *w, double v)
{
	if (!LIVE(w))
		return;
	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	/* Plain decimals where they are exact enough (10, not 1e+01: %g's
	 * shortest form uses an exponent from the second digit before the
	 * point), else the shortest %g that reads back as v. */
	char buf[40];
	bool found = false;
	double a = fabs(v);
	for (int d = 0; !found && (a == 0 || (a >= 1e-6 && a < 1e15)) && d <= 17; d++) {
		snprintf(buf, sizeof buf, "%.*f", d, v);
		found = strtod(buf, NULL) == v;
	}
	for (int prec = 1; !found && prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		found = strtod(buf, NULL) == v;
	}
	check(w, yajl_gen_number(w->g, buf, strlen(buf)));
}

void jw_key(struct jw *w, const char *k) { jw_str(w, k); }
void jw_kstr(struct jw *w, const char *k, const char *v) { jw_key(w, k); jw_str(w, v); }
void jw_kstr_opt(struct jw *w, const char *k, const char *v) { if (v && *v) jw_kstr(w, k, v); }
void jw_kint(struct jw *w, const char *k, long long v) { jw_key(w, k); jw_int(w, v); }
void jw_knum(struct jw *w, const char *k, double v) { jw_key(w, k); jw_num(w, v); }
void jw_kbool(struct jw *w, const char *k, bool v) { jw_key(w, k); jw_bool(w, v); }

/* --- orders ---------------------------------------------------------------- */

static int cmpstr(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* qsort has no context argument in C17; the comparators read this. Reports
 * are written from one thread per stream, but two threads could write two
 * reports at once, so it is thread-local. */
static _Thread_local const void *sort_base;

static int cmp_pkg_idx(const void *x, const void *y)
{
	const struct dd_package *p = sort_base;
	const struct dd_package *a = &p[*(const size_t *)x], *b = &p[*(const size_t *)y];
	int c;
	if ((c = cmpstr(a->type, b->type)) || (c = cmpstr(a->namespace_, b->namespace_)) ||
	    (c = cmpstr(a->name, b->name)) || (c = cmpstr(a->version, b->version)) ||
	    (c = cmpstr(a->arch, b->arch)) || (c = cmpstr(a->location, b->location)) ||
	    (c = cmpstr(a->purl, b->purl)))
		return c;
	/* Equal records: keep input order so the sort is stable. */
	return (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

static int cmp_pkg_name_idx(const void *x, const void *y)
{
	const struct dd_package *p = sort_base;
	const struct dd_package *a = &p[*(const size_t *)x], *b = &p[*(const size_t *)y];
	int c;
	if ((c = cmpstr(a->name, b->name)) || (c = cmpstr(a->version, b->version)) ||
	    (c = cmpstr(a->type, b->type)))
		return c;
	return cmp_pkg_idx(x, y);
}

static size_t *order(size_t n, const void *base, int (*cmp)(const void *, const void *))
{
	size_t *ix = dd_malloc((n ? n : 1) * sizeof *ix);
	if (!ix)
		return NULL;
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	sort_base = base;
	if (n > 1)
		qsort(ix, n, sizeof *ix, cmp);
	return ix;
}

size_t *rep_pkg_order(const struct dd_sbom *s)
{
	return order(s->npkgs, s->pkgs, cmp_pkg_idx);
}

size_t *rep_pkg_order_by_name(const struct dd_sbom *s)
{
	return order(s->npkgs, s->pkgs, cmp_pkg_name_idx);
}

static _Thread_local const size_t *sort_rank; /* package index -> its rank */

static int cmp_finding_idx(const void *x, const void *y)
{
	const struct dd_finding *f = sort_base;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	const struct dd_finding *a = &f[i], *b = &f[j];
	size_t ra = sort_rank[a->pkg], rb = sort_rank[b->pkg];
	if (ra != rb)
		return (ra > rb) - (ra < rb);
	int c = cmpstr(a->id, b->id);
	if (c)
		return c;
	if ((c = cmpstr(a->fixed, b->fixed)))
		return c;
	return (i > j) - (i < j);
}

size_t *rep_finding_order(const struct dd_scan_result *r)
{
	size_t *pk = rep_pkg_order(r->sbom);
	if (!pk)
		return NULL;
	size_t *rank = dd_malloc((r->sbom->npkgs ? r->sbom->npkgs : 1) * sizeof *rank);
	if (!rank) {
		free(pk);
		return NULL;
	}
	for (size_t i = 0; i < r->sbom->npkgs; i++)
		rank[pk[i]] = i;
	free(pk);
	sort_rank = rank;
	size_t *ix = order(r->nfindings, r->findings, cmp_finding_idx);
	sort_rank = NULL;
	free(rank);
	return ix;
}

/* --- small shared facts ------------------------------------------------------- */

const struct dd_layer_info *rep_pkg_layer(const struct dd_sbom *s, const struct dd_package *p)
{
	if (p->layer < 0 || (size_t)p->layer >= s->image.nlayers)
		return NULL;
	return &s->image.layers[p->layer];
}

void rep_created(const struct dd_report_opts *opts, char out[32])
{
	if (opts && opts->created && *opts->created) {
		snprintf(out, 32, "%s", opts->created);
		return;
	}
	time_t t = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		if (!errno && !*end && v >= 0)
			t = (time_t)v;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void put_field(struct dd_sha256 *h, const char *v)
{
	if (v)
		dd_sha256_update(h, v, strlen(v));
	dd_sha256_update(h, "\x1f", 1);
}

dd_code rep_content_hash(const struct dd_sbom *s, const char *extra, char hex[65], struct dd_err *err)
{
	struct dd_sha256 h;
	dd_code rc = dd_sha256_init(&h, err);
	if (rc)
		return rc;
	/* Fields are separated by a byte that cannot occur in them (0x1f,
	 * ASCII unit separator) so that ("ab","c") and ("a","bc") differ. */
#define PUT(str) put_field(&h, (str))
	PUT(s->image.config_digest);
	PUT(s->image.manifest_digest);
	PUT(s->image.reference);
	PUT(s->distro.id);
	PUT(s->distro.version_id);
	size_t *ix = rep_pkg_order(s);
	if (!ix) {
		dd_sha256_release(&h);
		return dd_err_set(err, DD_ENOMEM, "out of memory hashing the SBOM");
	}
	for (size_t i = 0; i < s->npkgs; i++) {
		const struct dd_package *p = &s->pkgs[ix[i]];
		char layer[24];
		snprintf(layer, sizeof layer, "%d", p->layer);
		PUT(p->purl);
		PUT(p->name);
		PUT(p->version);
		PUT(p->location);
		PUT(layer);
	}
	free(ix);
	PUT(extra);
#undef PUT
	char digest[DD_DIGEST_STR];
	dd_sha256_final(&h, digest);
	memcpy(hex, digest + 7, 64);
	hex[64] = '\0';
	return DD_OK;
}

void rep_uuid_from_hash(const char hex[65], char out[37])
{
	char h[33];
	memcpy(h, hex, 32);
	h[32] = '\0';
	h[12] = '5';                              /* version */
	h[16] = "89ab"[strtol((char[]){ h[16], 0 }, NULL, 16) & 3]; /* variant 10xx */
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

const char *rep_image_name(const struct dd_sbom *s)
{
	if (s->image.name && *s->image.name)
		return s->image.name;
	if (s->image.nrepo_tags && s->image.repo_tags[0])
		return s->image.repo_tags[0];
	if (s->image.reference && *s->image.reference)
		return s->image.reference;
	return "image";
}

bool rep_is_os_pkg(const struct dd_package *p)
{
	return p->type && (strcmp(p->type, "deb") == 0 || strcmp(p->type, "apk") == 0 ||
			   strcmp(p->type, "rpm") == 0);
}

const char *rep_fix_state_name(enum dd_fix_state s)
{
	switch (s) {
	case DD_FIX_FIXED: return "fixed";
	case DD_FIX_NOT_FIXED: return "not_fixed";
	case DD_FIX_WONT_FIX: return "wont_fix";
	case DD_FIX_END_OF_LIFE: return "end_of_life";
	}
	return "not_fixed";
}

const char *rep_datetime(const char *s, char buf[40])
{
	if (!s || !*s)
		return NULL;
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		snprintf(buf, 40, "%sT00:00:00Z", s);
		return buf;
	}
	return s;
}

/* --- package references ------------------------------------------------------ */

static _Thread_local char **sort_refs;

static int cmp_ref_idx(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcmp(sort_refs[i], sort_refs[j]);
	return c ? c : (i > j) - (i < j);
}

void rep_refs_free(char **refs, size_t n)
{
	for (size_t i = 0; refs && i < n; i++)
		free(refs[i]);
	free(refs);
}

char **rep_pkg_refs(const struct dd_sbom *s, const size_t *ord)
{
	size_t n = s->npkgs;
	char **refs = dd_calloc(n ? n : 1, sizeof *refs);
	size_t *byref = dd_malloc((n ? n : 1) * sizeof *byref);
	if (!refs || !byref)
		goto fail;
	/* Index refs by output rank so duplicate suffixes follow output order. */
	for (size_t k = 0; k < n; k++) {
		const struct dd_package *p = &s->pkgs[ord[k]];
		char buf[2048];
		if (p->purl && *p->purl)
			snprintf(buf, sizeof buf, "%s", p->purl);
		else
			snprintf(buf, sizeof buf, "drydock:%s/%s@%s", p->type ? p->type : "unknown",
				 p->name ? p->name : "", p->version ? p->version : "");
		refs[k] = dd_strndup(buf, strlen(buf));
		if (!refs[k])
			goto fail;
		byref[k] = k;
	}
	sort_refs = refs;
	if (n > 1)
		qsort(byref, n, sizeof *byref, cmp_ref_idx);
	sort_refs = NULL;
	/* The same purl twice (one library vendored at two paths): the second
	 * and later ones get "#2", "#3" so bom-refs stay unique. */
	for (size_t k = 1, first = 0, dup = 1; k < n; k++) {
		/* refs[byref[first]] is the run's unmodified original. */
		if (strcmp(refs[byref[k]], refs[byref[first]]) != 0) {
			first = k;
			dup = 1;
			continue;
		}
		char buf[2100];
		snprintf(buf, sizeof buf, "%s#%zu", refs[byref[k]], ++dup);
		char *nr = dd_strndup(buf, strlen(buf));
		if (!nr)
			goto fail;
		free(refs[byref[k]]);
		refs[byref[k]] = nr;
	}
	/* Re-index by package index. */
	char **bypkg = dd_calloc(n ? n : 1, sizeof *bypkg);
	if (!bypkg)
		goto fail;
	for (size_t k = 0; k < n; k++)
		bypkg[ord[k]] = refs[k];
	free(refs);
	free(byref);
	return bypkg;
fail:
	rep_refs_free(refs, n);
	free(byref);
	return NULL;
}

/* --- targets (Trivy's grouping, used by the scan table, SARIF and trivy-json) --- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

void rep_pkg_target(const struct dd_sbom *s, const struct dd_package *p, struct rep_target *t)
{
	const char *loc = p->location ? p->location : "";
	const char *type = p->type ? p->type : "";
	while (*loc == '/')
		loc++;
	t->class_ = "lang-pkgs";
	if (rep_is_os_pkg(p)) {
		t->class_ = "os-pkgs";
		t->type = s->distro.id ? s->distro.id : p->namespace_ ? p->namespace_ : type;
		snprintf(t->target, sizeof t->target, "%s (%s %s)", rep_image_name(s),
			 s->distro.id ? s->distro.id : t->type,
			 s->distro.version_id ? s->distro.version_id : "unknown");
		return;
	}
	static const struct {
		const char *type, *suffix, *ttype, *fixed_target;
	} rules[] = {
		/* Lock files and manifests are their own targets; installed
		 * packages are grouped per ecosystem as Trivy does. */
		{ "npm", "package-lock.json", "npm", NULL },
		{ "npm", "yarn.lock", "yarn", NULL },
		{ "npm", "pnpm-lock.yaml", "pnpm", NULL },
		{ "npm", "", "node-pkg", "Node.js" },
		{ "pypi", "poetry.lock", "poetry", NULL },
		{ "pypi", "Pipfile.lock", "pipenv", NULL },
		{ "pypi", "requirements.txt", "pip", NULL },
		{ "pypi", "", "python-pkg", "Python" },
		{ "golang", "go.mod", "gomod", NULL },
		{ "golang", "", "gobinary", NULL },
		{ "maven", "pom.xml", "pom", NULL },
		{ "maven", "", "jar", "Java" },
		{ "cargo", "Cargo.lock", "cargo", NULL },
		{ "cargo", "", "rustbinary", NULL },
		{ "gem", "Gemfile.lock", "bundler", NULL },
		{ "gem", "", "gemspec", "Ruby" },
		{ "composer", "", "composer", NULL },
		{ "nuget", "", "nuget", NULL },
	};
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
		if (strcmp(rules[i].type, type) != 0 || !ends_with(loc, rules[i].suffix))
			continue;
		t->type = rules[i].ttype;
		snprintf(t->target, sizeof t->target, "%s", rules[i].fixed_target ? rules[i].fixed_target : loc);
		return;
	}
	t->type = *type ? type : "unknown";
	snprintf(t->target, sizeof t->target, "%s", *loc ? loc : t->type);
}

int rep_target_cmp(const struct rep_target *a, const struct rep_target *b)
{
	bool ao = strcmp(a->class_, "os-pkgs") == 0, bo = strcmp(b->class_, "os-pkgs") == 0;
	if (ao != bo)
		return ao ? -1 : 1;
	return strcmp(a->target, b->target);
}

const char *rep_display_name(const struct dd_package *p, char *buf, size_t n)
{
	const char *name = p->name ? p->name : "-";
	/* A development-only dependency says so: it is not what runs. */
	const char *dev = p->flags & DD_PKG_DEV ? " (dev)" : "";
	if (rep_is_os_pkg(p) || !p->namespace_ || !*p->namespace_) {
		if (!*dev)
			return name;
		snprintf(buf, n, "%s%s", name, dev);
		return buf;
	}
	/* Maven writes group:artifact; npm scopes, Go modules and the rest
	 * join with '/' as their own tools print them. */
	bool maven = p->type && strcmp(p->type, "maven") == 0;
	snprintf(buf, n, "%s%s%s%s", p->namespace_, maven ? ":" : "/", name, dev);
	return buf;
}
