/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `db update`: download the feeds (libcurl), then rebuild the DB beside the
 * old one and rename it in. The order matters for safety:
 *   1. every file is fetched into the cache as <file>.part and renamed only
 *      when complete (Content-Length matched, SHA256SUMS matched when the
 *      server has one); a 304 keeps the cached copy (ETag/Last-Modified);
 *   2. any failure but a 404 stops here: nothing touched the old DB;
 *   3. the new DB is built in <db>.new (no journal: it is thrown away on
 *      failure), fsync'ed, and rename(2)d over <db>, which is atomic on
 *      POSIX file systems: a reader sees either the old or the new file.
 * Retries: transient failures (connection, timeouts, partial transfers,
 * HTTP 429 and 5xx) are retried with doubling backoff. The NVD API is paged
 * (https://nvd.nist.gov/developers/vulnerabilities): pages are appended to
 * one file as concatenated JSON documents, 6 s apart without an API key
 * (NVD's public rate limit is 5 requests per 30 s), 0.6 s with one
 * ($NVD_API_KEY).
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dd/log.h"
#include "util/alloc.h"
#include "util/hash.h"
#include "util/limits.h"
#include "util/path.h"
#include "vulndb/vdb.h"

#define MAX_DOWNLOAD DD_LIMIT_FEED_DOWNLOAD_BYTES

/* snprintf that reports truncation (paths longer than PATH_MAX). */
static bool fmt(char *out, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));
static bool fmt(char *out, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int w = vsnprintf(out, n, f, ap);
	va_end(ap);
	return w >= 0 && (size_t)w < n;
}

/* ------------------------------------------------------------ the list -- */

#define ALPINE(v)                                                                                       \
	{ "alpine-secdb/" v "/main.json", "https://secdb.alpinelinux.org/" v "/main.json" },            \
	{ "alpine-secdb/" v "/community.json", "https://secdb.alpinelinux.org/" v "/community.json" }
static const struct dd_vulndb_feed_file alpine_files[] = {
	ALPINE("v3.3"),  ALPINE("v3.4"),  ALPINE("v3.5"),  ALPINE("v3.6"),  ALPINE("v3.7"),  ALPINE("v3.8"),
	ALPINE("v3.9"),  ALPINE("v3.10"), ALPINE("v3.11"), ALPINE("v3.12"), ALPINE("v3.13"), ALPINE("v3.14"),
	ALPINE("v3.15"), ALPINE("v3.16"), ALPINE("v3.17"), ALPINE("v3.18"), ALPINE("v3.19"), ALPINE("v3.20"),
	ALPINE("v3.21"), ALPINE("v3.22"), ALPINE("edge"),
};
#define OSV(eco, enc) { "osv/" eco "/all.zip", "https://osv-vulnerabilities.storage.googleapis.com/" enc "/all.zip" }
static const struct dd_vulndb_feed_file osv_files[] = {
	OSV("Go", "Go"),         OSV("PyPI", "PyPI"),           OSV("npm", "npm"),
	OSV("Maven", "Maven"),   OSV("crates.io", "crates.io"), OSV("RubyGems", "RubyGems"),
	OSV("Packagist", "Packagist"), OSV("NuGet", "NuGet"),   OSV("Hex", "Hex"),
	OSV("Pub", "Pub"),       OSV("Alpine", "Alpine"),       OSV("Debian", "Debian"),
	OSV("Ubuntu", "Ubuntu"), OSV("Rocky Linux", "Rocky%20Linux"), OSV("AlmaLinux", "AlmaLinux"),
};
static const struct dd_vulndb_feed_file tracker_files[] = {
	{ "debian-security-tracker/debian-security.json", "https://security-tracker.debian.org/tracker/data/json" },
};
static const struct dd_vulndb_feed_file dsa_files[] = {
	{ "debian-security-tracker/DSA-list.gz",
	  "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list" },
	{ "debian-security-tracker/DLA-list.gz",
	  "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DLA/list" },
};
#define NVD_API "https://services.nvd.nist.gov/rest/json/cves/2.0"
static const struct dd_vulndb_feed_file nvd_files[] = {
	{ "nvd/records.jsonl.gz", NVD_API },
	{ "nvd/records-vulnlist.jsonl.gz", NULL }, /* legacy 1.1 records: mirrors only */
};
static const struct dd_vulndb_feed_file kev_files[] = {
	{ "kev.json", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json" },
};
static const struct dd_vulndb_feed_file epss_files[] = {
	{ "epss/epss_scores-current.csv.gz", "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz" },
};

#define N(a) (sizeof a / sizeof *a)
static const struct dd_vulndb_feed feeds[] = {
	{ "alpine-secdb", "Alpine secdb, every branch (main and community)", alpine_files, N(alpine_files) },
	{ "debian-tracker", "Debian security tracker JSON export", tracker_files, N(tracker_files) },
	{ "debian-dsa", "Debian DSA and DLA lists", dsa_files, N(dsa_files) },
	{ "osv", "OSV all.zip per ecosystem", osv_files, N(osv_files) },
	{ "nvd", "NVD CVE API 2.0 (enrichment: CVSS, CWE)", nvd_files, N(nvd_files) },
	{ "kev", "CISA Known Exploited Vulnerabilities", kev_files, N(kev_files) },
	{ "epss", "FIRST EPSS scores", epss_files, N(epss_files) },
};

const struct dd_vulndb_feed *dd_vulndb_feeds(size_t *n)
{
	*n = N(feeds);
	return feeds;
}

/* --------------------------------------------------------- downloading -- */

struct fetch {
	FILE *out;
	unsigned long long bytes;
	char etag[256], lastmod[128];
	long long content_length;
	bool too_big;
};

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
	struct fetch *f = ud;
	size_t len = sz * n;
	if (f->bytes + len > MAX_DOWNLOAD) {
		f->too_big = true;
		return 0;
	}
	f->bytes += len;
	return fwrite(p, 1, len, f->out);
}

static void header_value(const char *line, size_t len, const char *name, char *out, size_t outn)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(line, name, nl) != 0)
		return;
	const char *v = line + nl;
	size_t vl = len - nl;
	while (vl && (*v == ' ' || *v == '\t')) {
		v++;
		vl--;
	}
	while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
		vl--;
	if (vl < outn) {
		memcpy(out, v, vl);
		out[vl] = '\0';
	}
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct fetch *f = ud;
	size_t len = sz * n;
	/* A new response (redirect, 100-continue) starts with its status line. */
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		f->etag[0] = f->lastmod[0] = '\0';
		f->content_length = -1;
	}
	header_value(p, len, "etag:", f->etag, sizeof f->etag);
	header_value(p, len, "last-modified:", f->lastmod, sizeof f->lastmod);
	char cl[32] = "";
	header_value(p, len, "content-length:", cl, sizeof cl);
	if (cl[0])
		f->content_length = strtoll(cl, NULL, 10);
	return len;
}

enum outcome { GOT, NOT_MODIFIED, MISSING, TRANSIENT, FAILED };

struct updater {
	const struct dd_vulndb_update_opts *o;
	struct dd_vulndb_update_result *res;
	CURL *h;
	char *sums;        /* SHA256SUMS text of the mirror, or NULL */
	char cache[4096];
};

static void read_meta(const char *meta, char *etag, size_t en, char *lastmod, size_t ln)
{
	etag[0] = lastmod[0] = '\0';
	FILE *f = fopen(meta, "r");
	if (!f)
		return;
	if (fgets(etag, (int)en, f))
		etag[strcspn(etag, "\n")] = '\0';
	if (fgets(lastmod, (int)ln, f))
		lastmod[strcspn(lastmod, "\n")] = '\0';
	fclose(f);
}

static void write_meta(const char *meta, const struct fetch *f)
{
	FILE *m = fopen(meta, "w");
	if (!m)
		return;
	fprintf(m, "%s\n%s\n", f->etag, f->lastmod);
	fclose(m);
}

/* One HTTP GET to `part` (appending when append), with conditional headers
 * from `meta` when the cached file exists. */
static enum outcome get_once(struct updater *u, const char *url, const char *part, const char *meta,
			     bool conditional, bool append, struct fetch *f, struct dd_err *err)
{
	memset(f, 0, sizeof *f);
	f->content_length = -1;
	f->out = fopen(part, append ? "ab" : "wb");
	if (!f->out) {
		dd_err_sys(err, DD_EIO, "%s", part);
		return FAILED;
	}
	CURL *h = u->h;
	curl_easy_reset(h);
	struct curl_slist *hdrs = NULL;
	char etag[256], lastmod[128], line[400];
	if (conditional) {
		read_meta(meta, etag, sizeof etag, lastmod, sizeof lastmod);
		if (etag[0]) {
			snprintf(line, sizeof line, "If-None-Match: %s", etag);
			hdrs = curl_slist_append(hdrs, line);
		}
		if (lastmod[0]) {
			snprintf(line, sizeof line, "If-Modified-Since: %s", lastmod);
			hdrs = curl_slist_append(hdrs, line);
		}
	}
	const char *key = getenv("NVD_API_KEY");
	if (key && *key && strstr(url, "?resultsPerPage=") != NULL && !u->o->mirror) {
		snprintf(line, sizeof line, "apiKey: %.300s", key);
		hdrs = curl_slist_append(hdrs, line);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, u->o->timeout_s ? u->o->timeout_s : 600L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "drydock/" DD_VERSION);
	CURLcode cc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hdrs);
	bool write_failed = fclose(f->out) != 0;
	f->out = NULL;
	if (f->too_big) {
		dd_err_set(err, DD_ELIMIT, "%s: larger than %llu bytes", url, MAX_DOWNLOAD);
		return FAILED;
	}
	if (cc != CURLE_OK) {
		dd_err_set(err, DD_ENET, "%s: %s", url, curl_easy_strerror(cc));
		return cc == CURLE_WRITE_ERROR ? FAILED : TRANSIENT;
	}
	if (write_failed) {
		dd_err_sys(err, DD_EIO, "%s", part);
		return FAILED;
	}
	if (code == 304)
		return NOT_MODIFIED;
	if (code == 404 || code == 410)
		return MISSING;
	if (code == 429 || code >= 500) {
		dd_err_set(err, DD_ENET, "%s: HTTP %ld", url, code);
		return TRANSIENT;
	}
	if (code != 200) {
		dd_err_set(err, DD_ENET, "%s: HTTP %ld", url, code);
		return FAILED;
	}
	/* The size check: curl fails a body cut short with CURLE_PARTIAL_FILE;
	 * this catches anything else that delivered fewer bytes than announced
	 * (no Accept-Encoding is sent, so the two sizes are comparable). */
	if (f->content_length >= 0 && (unsigned long long)f->content_length != f->bytes) {
		dd_err_set(err, DD_ENET, "%s: received %llu of %lld bytes", url, f->bytes, f->content_length);
		return TRANSIENT;
	}
	return GOT;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static enum outcome get_retry(struct updater *u, const char *url, const char *part, const char *meta,
			      bool conditional, bool append, struct fetch *f, struct dd_err *err)
{
	unsigned delay = u->o->retry_delay_ms;
	for (unsigned attempt = 0;; attempt++) {
		long before = 0;
		struct stat st;
		if (append && stat(part, &st) == 0)
			before = (long)st.st_size;
		enum outcome r = get_once(u, url, part, meta, conditional, append, f, err);
		if (r != TRANSIENT || attempt >= u->o->retries)
			return r;
		dd_log(DD_LOG_WARN, "%s; retrying in %u ms (%u of %u)", err->msg, delay, attempt + 1, u->o->retries);
		if (append && truncate(part, before) != 0) {
			dd_err_sys(err, DD_EIO, "%s", part);
			return FAILED;
		}
		sleep_ms(delay);
		delay = delay ? delay * 2 : 0;
	}
}

/* The SHA256SUMS line for `path` ("<hex>  <path>"), verified against the file. */
static dd_code check_sum(struct updater *u, const char *path, const char *file, struct dd_err *err)
{
	if (!u->sums)
		return DD_OK;
	size_t pl = strlen(path);
	for (const char *l = u->sums; l && *l;) {
		const char *eol = strchr(l, '\n');
		size_t ll = eol ? (size_t)(eol - l) : strlen(l);
		if (ll > 66 && l[64] == ' ') {
			const char *name = l + 65;
			if (*name == ' ' || *name == '*')
				name++;
			size_t nl = ll - (size_t)(name - l);
			if (nl && name[nl - 1] == '\r')
				nl--;
			if (nl == pl && memcmp(name, path, pl) == 0) {
				struct dd_sha256 h;
				dd_code rc = dd_sha256_init(&h, err);
				if (rc)
					return rc;
				FILE *f = fopen(file, "rb");
				if (!f) {
					dd_sha256_release(&h);
					return dd_err_sys(err, DD_EIO, "%s", file);
				}
				char buf[65536];
				size_t n;
				while ((n = fread(buf, 1, sizeof buf, f)) > 0)
					dd_sha256_update(&h, buf, n);
				fclose(f);
				char got[DD_DIGEST_STR];
				dd_sha256_final(&h, got);
				if (strncasecmp(got + 7, l, 64) != 0)
					return dd_err_set(err, DD_EDIGEST, "%s: SHA-256 %.64s, SHA256SUMS says %.64s", path,
							  got + 7, l);
				return DD_OK;
			}
		}
		l = eol ? eol + 1 : NULL;
	}
	return DD_OK;
}

static void join_url(char *out, size_t n, const char *base, const char *path)
{
	size_t bl = strlen(base);
	bool slash = bl && base[bl - 1] == '/';
	/* Spaces in mirror paths ("osv/Rocky Linux/all.zip"). */
	size_t o = (size_t)snprintf(out, n, "%s%s", base, slash ? "" : "/");
	for (const char *p = path; *p && o + 4 < n; p++) {
		if (*p == ' ') {
			memcpy(out + o, "%20", 3);
			o += 3;
		} else {
			out[o++] = *p;
		}
	}
	out[o < n ? o : n - 1] = '\0';
}

/* The NVD API: every page appended to `part`. */
static enum outcome get_nvd_pages(struct updater *u, const char *part, struct fetch *f, struct dd_err *err)
{
	long start = 0, total = -1;
	const char *key = getenv("NVD_API_KEY");
	unsigned pause = u->o->nvd_pause_ms ? u->o->nvd_pause_ms : key && *key ? 600 : 6000;
	const char *base = u->o->nvd_api_url ? u->o->nvd_api_url : NVD_API;
	if (truncate(part, 0) != 0 && errno != ENOENT) {
		dd_err_sys(err, DD_EIO, "%s", part);
		return FAILED;
	}
	for (;;) {
		char url[4200];
		if (!fmt(url, sizeof url, "%s?resultsPerPage=2000&startIndex=%ld", base, start)) {
			dd_err_set(err, DD_ELIMIT, "NVD API URL too long");
			return FAILED;
		}
		struct stat st;
		long before = stat(part, &st) == 0 ? (long)st.st_size : 0;
		enum outcome r = get_retry(u, url, part, NULL, false, true, f, err);
		if (r != GOT)
			return r == MISSING ? FAILED : r;
		/* totalResults and resultsPerPage are in the page's first bytes. */
		FILE *in = fopen(part, "rb");
		char head[512] = "";
		if (in) {
			fseek(in, before, SEEK_SET);
			size_t n = fread(head, 1, sizeof head - 1, in);
			head[n] = '\0';
			fclose(in);
		}
		const char *t = strstr(head, "\"totalResults\":"), *p = strstr(head, "\"resultsPerPage\":");
		long per = p ? strtol(p + 17, NULL, 10) : 0;
		if (t)
			total = strtol(t + 15, NULL, 10);
		if (per <= 0 || total < 0) {
			dd_err_set(err, DD_ENET, "%s: not an NVD API page", url);
			return FAILED;
		}
		start += per;
		if (start >= total)
			return GOT;
		sleep_ms(pause);
	}
}

static dd_code fetch_file(struct updater *u, const struct dd_vulndb_feed_file *ff, char *local, size_t ln,
			  bool *have, struct dd_err *err)
{
	*have = false;
	char url[4096], part[4200], meta[4200];
	if (u->o->mirror)
		join_url(url, sizeof url, u->o->mirror, ff->path);
	else if (ff->url)
		snprintf(url, sizeof url, "%s", ff->url);
	else
		return DD_OK; /* mirror-only file */
	char dir[4096];
	if (!fmt(local, ln, "%s/%s", u->cache, ff->path) || !fmt(part, sizeof part, "%s.part", local) ||
	    !fmt(meta, sizeof meta, "%s.meta", local) || !fmt(dir, sizeof dir, "%s", local))
		return dd_err_set(err, DD_ELIMIT, "cache path too long");
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	dd_code rc = dd_path_mkdirs(dir, err);
	if (rc)
		return rc;
	struct stat st;
	bool cached = stat(local, &st) == 0;
	struct fetch f;
	enum outcome r;
	if (!u->o->mirror && ff->url && strcmp(ff->url, NVD_API) == 0)
		r = get_nvd_pages(u, part, &f, err);
	else
		r = get_retry(u, url, part, meta, cached, false, &f, err);
	switch (r) {
	case NOT_MODIFIED:
		unlink(part);
		if (!cached)
			return dd_err_set(err, DD_ENET, "%s: 304 Not Modified without a cached copy", url);
		u->res->not_modified++;
		*have = true;
		return DD_OK;
	case MISSING:
		unlink(part);
		u->res->missing++;
		dd_log(DD_LOG_WARN, "%s: not on the server (404); skipped", url);
		return DD_OK;
	case TRANSIENT:
	case FAILED:
		unlink(part);
		return err->code ? err->code : dd_err_set(err, DD_ENET, "%s: download failed", url);
	case GOT:
		break;
	}
	rc = check_sum(u, ff->path, part, err);
	if (rc) {
		unlink(part);
		return rc;
	}
	if (rename(part, local) != 0)
		return dd_err_sys(err, DD_EIO, "%s", local);
	write_meta(meta, &f);
	u->res->downloaded++;
	*have = true;
	return DD_OK;
}

static void fetch_sums(struct updater *u)
{
	if (!u->o->mirror)
		return;
	char url[4096], part[4200];
	join_url(url, sizeof url, u->o->mirror, "SHA256SUMS");
	snprintf(part, sizeof part, "%s/SHA256SUMS.part", u->cache);
	struct fetch f;
	struct dd_err e;
	dd_err_clear(&e);
	if (get_retry(u, url, part, NULL, false, false, &f, &e) == GOT) {
		struct dd_buf b;
		dd_buf_init(&b, 16u << 20);
		if (dd_buf_read_file(&b, part, &e) == DD_OK)
			u->sums = dd_buf_detach(&b, NULL);
		dd_buf_release(&b);
	}
	unlink(part);
}

static bool wanted(const struct dd_vulndb_update_opts *o, const char *name)
{
	if (!o->sources || !o->nsources)
		return true;
	for (size_t i = 0; i < o->nsources; i++)
		if (strcmp(o->sources[i], name) == 0)
			return true;
	return false;
}

static dd_code fsync_path(const char *path, struct dd_err *err)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return dd_err_sys(err, DD_EIO, "%s", path);
	int r = fsync(fd);
	close(fd);
	return r == 0 ? DD_OK : dd_err_sys(err, DD_EIO, "fsync %s", path);
}

dd_code dd_vulndb_update(const struct dd_vulndb_update_opts *o, struct dd_vulndb_update_result *res,
			 struct dd_err *err)
{
	memset(res, 0, sizeof *res);
	struct stat st;
	bool had_old = stat(o->db_path, &st) == 0;
	for (size_t i = 0; o->sources && i < o->nsources; i++) {
		size_t n;
		const struct dd_vulndb_feed *fl = dd_vulndb_feeds(&n);
		size_t k = 0;
		while (k < n && strcmp(fl[k].name, o->sources[i]) != 0)
			k++;
		if (k == n)
			return dd_err_set(err, DD_EUSAGE, "no source named '%s' (see 'drydock db sources')",
					  o->sources[i]);
	}
	struct updater u = { .o = o, .res = res };
	char dbdir[4096];
	snprintf(dbdir, sizeof dbdir, "%s", o->db_path);
	char *slash = strrchr(dbdir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dbdir, sizeof dbdir, ".");
	if (o->cache_dir)
		snprintf(u.cache, sizeof u.cache, "%s", o->cache_dir);
	else
		fmt(u.cache, sizeof u.cache, "%s/cache", dbdir);
	dd_code rc = dd_path_mkdirs(u.cache, err);
	if (rc == DD_OK)
		rc = dd_path_mkdirs(dbdir, err);
	if (rc)
		return rc;
	/* One update at a time per DB. */
	char lockp[4200], tmp[4200];
	snprintf(lockp, sizeof lockp, "%s.lock", o->db_path);
	snprintf(tmp, sizeof tmp, "%s.new", o->db_path);
	int lock = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0)
		return dd_err_sys(err, DD_EIO, "%s", lockp);
	if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
		close(lock);
		return dd_err_set(err, DD_EUSAGE, "another 'drydock db update' is running on %s", o->db_path);
	}
	char **paths = NULL;
	size_t npaths = 0, cap = 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(u.h = curl_easy_init())) {
		rc = dd_err_set(err, DD_ENOMEM, "cannot initialise libcurl");
		goto out;
	}
	fetch_sums(&u);
	size_t nfeeds;
	const struct dd_vulndb_feed *fl = dd_vulndb_feeds(&nfeeds);
	for (size_t i = 0; i < nfeeds && rc == DD_OK; i++) {
		bool want = wanted(o, fl[i].name);
		for (size_t k = 0; k < fl[i].nfiles && rc == DD_OK; k++) {
			char local[4400];
			bool have = false;
			if (want) {
				rc = fetch_file(&u, &fl[i].files[k], local, sizeof local, &have, err);
			} else {
				/* A source not asked for keeps its last download: the
				 * new DB is built from every cached feed, so updating
				 * one source does not drop the others. */
				struct stat cs;
				have = fmt(local, sizeof local, "%s/%s", u.cache, fl[i].files[k].path) &&
				       stat(local, &cs) == 0 && S_ISREG(cs.st_mode);
			}
			if (rc == DD_OK && have) {
				if (dd_grow(&paths, &cap, npaths + 1, sizeof *paths) != 0 ||
				    !(paths[npaths] = dd_strndup(local, strlen(local)))) {
					rc = dd_err_set(err, DD_ENOMEM, "out of memory");
					break;
				}
				npaths++;
			}
		}
	}
	if (rc == DD_OK && npaths == 0)
		rc = dd_err_set(err, DD_ENOTFOUND, "the server had none of the feed files");
	if (rc == DD_OK) {
		unlink(tmp);
		rc = dd_vulndb_import(tmp, (const char *const *)paths, npaths, DD_VULNDB_CREATE | DD_VULNDB_FAST,
				      &res->import, err);
		if (rc == DD_OK && res->import.records == 0)
			rc = dd_err_set(err, DD_EINVAL, "the downloaded feeds held no records");
		if (rc == DD_OK)
			rc = fsync_path(tmp, err);
		if (rc == DD_OK && rename(tmp, o->db_path) != 0)
			rc = dd_err_sys(err, DD_EIO, "renaming %s to %s", tmp, o->db_path);
		if (rc == DD_OK)
			rc = fsync_path(dbdir, err);
		if (rc != DD_OK)
			unlink(tmp);
	}
out:
	if (rc != DD_OK)
		res->kept_old = had_old;
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	free(u.sums);
	if (u.h)
		curl_easy_cleanup(u.h);
	flock(lock, LOCK_UN);
	close(lock);
	return rc;
}
