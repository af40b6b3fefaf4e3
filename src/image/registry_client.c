/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registry client: the OCI distribution API over libcurl
 * (opencontainers/distribution-spec, spec.md: GET /v2/, manifests, blobs,
 * tags/list; Distribution's /v2/_catalog). One request goes through
 * request(): it follows redirects itself, so that credentials go only to
 * the origin they belong to (a blob is often redirected to a storage
 * backend: the backend gets no Authorization header); answers 401 once by
 * running the token flow or Basic; retries 5xx, 429 (honouring
 * Retry-After) and dropped connections with doubling backoff.
 *
 * Transfers use curl's multi interface one handle at a time so a blob can
 * be *pulled* by the image reader (struct dd_blob_stream) while curl
 * pushes: bytes land in the reader's buffer, the rest in a small spill
 * buffer, and the transfer pauses when that is full. The sha256 of a blob
 * is computed as bytes arrive; the stream's last read checks it.
 *
 * Not here: manifest and config parsing (image/, shared with the OCI
 * layout reader), the layer cache, decompression.
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "dd/log.h"
#include "image/registry.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/limits.h"

#define ACCEPT_MANIFEST                                                                  \
	"Accept: application/vnd.oci.image.index.v1+json, "                             \
	"application/vnd.oci.image.manifest.v1+json, "                                  \
	"application/vnd.docker.distribution.manifest.list.v2+json, "                   \
	"application/vnd.docker.distribution.manifest.v2+json"

/* A reader's spill buffer above this pauses the transfer (curl hands over
 * at most CURLOPT_BUFFERSIZE per call, so this is the real bound + 1 chunk). */
#define SPILL_MAX (1u << 20)
#define ERRBODY_MAX 4096
#define MAX_TOKENS 16

struct token {
	char scope[DD_AUTH_PARAM_MAX];
	char *header; /* "Authorization: Bearer ..." (secret) */
	time_t expires;
};

struct dd_registry {
	char registry[DD_REGISTRY_NAME_MAX + 1]; /* as named: docker.io */
	char host[DD_REGISTRY_NAME_MAX + 1];     /* endpoint: registry-1.docker.io */
	char base[DD_REGISTRY_NAME_MAX + 16];    /* "https://host" */
	struct dd_registry_opts opts;
	char *basic;  /* "Authorization: Basic ..." or NULL (secret) */
	bool have_creds;
	char creds_note[400];  /* "; CONFIG: no credentials for R (...)" or "" */
	pthread_mutex_t lock; /* tokens, challenge, stats */
	struct dd_www_auth challenge; /* from the ping; scheme NONE when open */
	struct token tokens[MAX_TOKENS];
	size_t ntokens;
	struct dd_registry_stats stats;
};

/* One HTTP exchange. */
struct xfer {
	struct dd_registry *reg;
	CURLM *multi;
	CURL *easy;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	bool headers_done, done, paused, to_buffer;
	CURLcode result;
	long status;
	/* response headers we use */
	struct dd_buf www_auth, link;
	char ctype[128], dcd[DD_DIGEST_STR + 8], retry_after[64], content_range[96];
	/* body routing: 2xx bodies to dst then spill (or all to spill when
	 * to_buffer); others to errbody */
	unsigned char *dst;
	size_t dst_cap, dst_len;
	struct dd_buf spill;
	size_t spill_off;
	struct dd_buf errbody;
	uint64_t skip;        /* bytes to drop (a restart that could not resume) */
	uint64_t resume_from; /* bytes the reader already has (Range start) */
	bool skip_set;
	struct dd_sha256 *hash;
	uint64_t *delivered;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- small helpers ------------------------------------------------------- */

static bool host_insecure(const struct dd_registry *reg, const char *host, size_t n)
{
	for (size_t i = 0; i < reg->opts.ninsecure; i++) {
		const char *h = reg->opts.insecure[i];
		if (strlen(h) == n && strncasecmp(h, host, n) == 0)
			return true;
	}
	return false;
}

/* "scheme://host[:port]" of an absolute URL: its length, 0 if not http(s). */
static size_t origin_len(const char *url, const char **host, size_t *host_len)
{
	size_t s;
	if (strncasecmp(url, "https://", 8) == 0)
		s = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		s = 7;
	else
		return 0;
	size_t h = strcspn(url + s, "/?#");
	/* userinfo in a URL from a server: refuse it (credentials smuggling). */
	if (memchr(url + s, '@', h) || h == 0)
		return 0;
	if (host) {
		*host = url + s;
		*host_len = h;
	}
	return s + h;
}

static bool same_origin(const char *a, const char *b)
{
	size_t la = origin_len(a, NULL, NULL), lb = origin_len(b, NULL, NULL);
	return la && la == lb && strncasecmp(a, b, la) == 0;
}

/* Error messages name URLs without their query: a storage backend's signed
 * URL carries its credentials there. */
static int url_for_msg(const char *url)
{
	return (int)strcspn(url, "?#");
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;
}

static unsigned long backoff_ms(const struct dd_registry *reg, unsigned attempt)
{
	unsigned long ms = reg->opts.retry_base_ms;
	for (unsigned i = 0; i < attempt && ms < 30000; i++)
		ms *= 2;
	return ms < 30000 ? ms : 30000;
}

static bool retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool retryable_status(long st)
{
	return st == 429 || st == 500 || st == 502 || st == 503 || st == 504;
}

/* Printable ASCII only, for text from a server in our messages. */
static void clean_copy(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++)
		dst[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	dst[o] = '\0';
}

/* "MANIFEST_UNKNOWN: manifest unknown" from the spec's error body
 * ({"errors":[{"code","message","detail"}]}), or "" */
static void registry_error_text(const struct dd_buf *body, char *out, size_t cap)
{
	out[0] = '\0';
	if (!body->data || !body->len || body->len >= ERRBODY_MAX || memchr(body->data, '\0', body->len))
		return;
	struct dd_json_doc doc;
	const struct dd_json *errs = NULL;
	if (!dd_json_doc_parse(&doc, body->data, body->len, NULL))
		errs = dd_json_as(dd_json_get(doc.root, "errors"), DD_JSON_ARRAY);
	if (errs && errs->first) {
		const char *cs = dd_json_str(errs->first, "code");
		const char *ms = dd_json_str(errs->first, "message");
		char cb[64] = "", mb[160] = "";
		if (cs)
			clean_copy(cb, sizeof cb, cs, strlen(cs));
		if (ms)
			clean_copy(mb, sizeof mb, ms, strlen(ms));
		snprintf(out, cap, "%s%s%s", cb, cb[0] && mb[0] ? ": " : "", mb);
	}
	dd_json_doc_release(&doc);
}

/* ---- the transfer -------------------------------------------------------- */

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* A new response (after 100 Continue): forget the last one. */
		dd_buf_reset(&x->www_auth);
		dd_buf_reset(&x->link);
		x->ctype[0] = x->dcd[0] = x->retry_after[0] = x->content_range[0] = '\0';
		return n;
	}
	if (n <= 2 && (p[0] == '\r' || p[0] == '\n')) {
		long st = 0;
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &st);
		if (st >= 200) {
			x->status = st;
			x->headers_done = true;
		}
		return n;
	}
	const char *colon = memchr(p, ':', n);
	if (!colon)
		return n;
	size_t nl = (size_t)(colon - p);
	const char *v = colon + 1;
	size_t vl = n - nl - 1;
	while (vl && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
		vl--;
#define IS(lit) (nl == sizeof lit - 1 && strncasecmp(p, lit, nl) == 0)
	if (IS("www-authenticate")) {
		/* Several fields combine into one comma list (RFC 7230 §3.2.2). */
		if (x->www_auth.len)
			dd_buf_putc(&x->www_auth, ',', NULL);
		dd_buf_append(&x->www_auth, v, vl, NULL);
	} else if (IS("link")) {
		if (x->link.len)
			dd_buf_putc(&x->link, ',', NULL);
		dd_buf_append(&x->link, v, vl, NULL);
	} else if (IS("content-type")) {
		clean_copy(x->ctype, sizeof x->ctype, v, strcspn(v, ";") < vl ? strcspn(v, ";") : vl);
	} else if (IS("docker-content-digest")) {
		clean_copy(x->dcd, sizeof x->dcd, v, vl);
	} else if (IS("retry-after")) {
		clean_copy(x->retry_after, sizeof x->retry_after, v, vl);
	} else if (IS("content-range")) {
		clean_copy(x->content_range, sizeof x->content_range, v, vl);
	}
#undef IS
	return n;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	if (x->status < 200 || x->status > 299) {
		size_t room = ERRBODY_MAX - x->errbody.len;
		dd_buf_append(&x->errbody, p, n < room ? n : room, NULL);
		return n;
	}
	size_t dst_room = x->dst ? x->dst_cap - x->dst_len : 0;
	if (!x->to_buffer && dst_room == 0 && x->spill.len - x->spill_off >= SPILL_MAX) {
		x->paused = true;
		return CURL_WRITEFUNC_PAUSE; /* curl keeps this chunk for later */
	}
	const char *data = p;
	size_t len = n;
	if (!x->skip_set) {
		/* Asked for a Range but got the whole blob (200, not 206): drop
		 * what the reader already has. */
		x->skip_set = true;
		x->skip = x->status == 206 ? 0 : x->resume_from;
	}
	if (x->skip) {
		size_t k = x->skip < len ? (size_t)x->skip : len;
		x->skip -= k;
		data += k;
		len -= k;
	}
	if (!len)
		return n;
	if (x->hash)
		dd_sha256_update(x->hash, data, len);
	if (x->delivered)
		*x->delivered += len;
	size_t k = len < dst_room ? len : dst_room;
	if (k) {
		memcpy(x->dst + x->dst_len, data, k);
		x->dst_len += k;
	}
	if (len > k && dd_buf_append(&x->spill, data + k, len - k, NULL) != DD_OK)
		return 0; /* over the limit: curl fails the transfer (CURLE_WRITE_ERROR) */
	return n;
}

static void xfer_reset(struct xfer *x)
{
	if (x->easy) {
		if (x->multi)
			curl_multi_remove_handle(x->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	x->headers_done = x->done = x->paused = x->skip_set = false;
	x->skip = 0;
	x->result = CURLE_OK;
	x->status = 0;
	x->errbuf[0] = '\0';
	dd_buf_reset(&x->www_auth);
	dd_buf_reset(&x->link);
	x->ctype[0] = x->dcd[0] = x->retry_after[0] = x->content_range[0] = '\0';
	dd_buf_reset(&x->spill);
	x->spill_off = 0;
	dd_buf_reset(&x->errbody);
	x->dst = NULL;
	x->dst_cap = x->dst_len = 0;
}

static void xfer_init(struct xfer *x, struct dd_registry *reg, size_t body_max)
{
	memset(x, 0, sizeof *x);
	x->reg = reg;
	dd_buf_init(&x->www_auth, DD_LIMIT_HTTP_FIELD_BYTES);
	dd_buf_init(&x->link, DD_LIMIT_HTTP_FIELD_BYTES);
	dd_buf_init(&x->spill, body_max);
	dd_buf_init(&x->errbody, ERRBODY_MAX + 1);
}

static void xfer_release(struct xfer *x)
{
	xfer_reset(x);
	if (x->multi)
		curl_multi_cleanup(x->multi);
	x->multi = NULL;
	dd_buf_release(&x->www_auth);
	dd_buf_release(&x->link);
	dd_buf_release(&x->spill);
	dd_buf_release(&x->errbody);
}

/* Starts one request to url. auth (a full header line) is added only by
 * the caller's decision (same origin). */
static dd_code xfer_start(struct xfer *x, const char *url, const char *accept, const char *auth,
			  uint64_t range_from, struct dd_err *err)
{
	struct dd_registry *reg = x->reg;
	const char *host;
	size_t hl;
	xfer_reset(x);
	if (!origin_len(url, &host, &hl))
		return dd_err_set(err, DD_ENET, "refusing URL '%.*s': not http(s)", url_for_msg(url),
				  url);
	bool insecure = host_insecure(reg, host, hl);
	if (strncasecmp(url, "http://", 7) == 0 && !insecure)
		return dd_err_set(err, DD_ENET,
				  "refusing plain HTTP to %.*s (use --insecure-registry %.*s)",
				  (int)hl, host, (int)hl, host);
	if (!x->multi && !(x->multi = curl_multi_init()))
		return dd_err_set(err, DD_ENOMEM, "out of memory (curl_multi_init)");
	CURL *e = x->easy = curl_easy_init();
	if (!e)
		return dd_err_set(err, DD_ENOMEM, "out of memory (curl_easy_init)");
	struct curl_slist *h = NULL, *t;
#define ADD(s)                                               \
	do {                                                 \
		if (!(t = curl_slist_append(h, (s))))        \
			goto nomem;                          \
		h = t;                                       \
	} while (0)
	if (accept)
		ADD(accept);
	if (auth)
		ADD(auth);
	char range[64];
	if (range_from) {
		snprintf(range, sizeof range, "Range: bytes=%llu-", (unsigned long long)range_from);
		ADD(range);
	}
#undef ADD
	x->hdrs = h;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* request() follows */
	curl_easy_setopt(e, CURLOPT_USERAGENT,
			 reg->opts.user_agent ? reg->opts.user_agent : "drydock/" DD_VERSION);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
	/* A stalled transfer (under 1 byte/s for 60 s) fails and is retried. */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (insecure) {
		/* Only for hosts the user named with --insecure-registry. */
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (reg->opts.ca_file) {
		/* Replaces the default bundle file; the system CA directory
		 * (/etc/ssl/certs, CURLOPT_CAPATH's default) stays trusted. */
		curl_easy_setopt(e, CURLOPT_CAINFO, reg->opts.ca_file);
	}
	if (curl_multi_add_handle(x->multi, e) != CURLM_OK)
		return dd_err_set(err, DD_ENOMEM, "out of memory (curl_multi_add_handle)");
	pthread_mutex_lock(&reg->lock);
	reg->stats.requests++;
	pthread_mutex_unlock(&reg->lock);
	return DD_OK;
nomem:
	curl_slist_free_all(h);
	return dd_err_set(err, DD_ENOMEM, "out of memory");
}

/* How far xfer_pump runs the transfer. */
enum pump { PUMP_HEADERS, PUMP_SOME /* bytes for the reader */, PUMP_ALL /* to the end */ };

static bool pumped_enough(const struct xfer *x, enum pump until)
{
	if (until == PUMP_HEADERS)
		return x->headers_done;
	if (until == PUMP_SOME)
		return x->dst_len > 0 || x->spill.len > x->spill_off;
	return false;
}

static dd_code xfer_pump(struct xfer *x, enum pump until, struct dd_err *err)
{
	while (!x->done && !pumped_enough(x, until)) {
		int running = 0;
		CURLMcode mc = curl_multi_perform(x->multi, &running);
		if (mc != CURLM_OK)
			return dd_err_set(err, DD_ENET, "curl: %s", curl_multi_strerror(mc));
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(x->multi, &left)))
			if (m->msg == CURLMSG_DONE && m->easy_handle == x->easy) {
				x->done = true;
				x->result = m->data.result;
			}
		if (x->done || pumped_enough(x, until))
			break;
		mc = curl_multi_poll(x->multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK)
			return dd_err_set(err, DD_ENET, "curl: %s", curl_multi_strerror(mc));
	}
	if (x->done && x->result == CURLE_OK && !x->headers_done) {
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
		x->headers_done = true;
	}
	return DD_OK;
}

static const char *curl_msg(const struct xfer *x)
{
	return x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result);
}

/* ---- authentication ------------------------------------------------------ */

/* The header for scope, from the cache; caller holds the lock. */
static const char *cached_token(struct dd_registry *reg, const char *scope)
{
	time_t now = time(NULL);
	for (size_t i = 0; i < reg->ntokens; i++)
		if (strcmp(reg->tokens[i].scope, scope) == 0 && reg->tokens[i].expires > now)
			return reg->tokens[i].header;
	return NULL;
}

static dd_code request(struct dd_registry *reg, const char *url_in, const char *accept,
		       const char *scope, uint64_t range_from, struct xfer *x, struct dd_err *err);

/* Docker token authentication: GET realm?service=..&scope=.. (with Basic
 * credentials when we have some), answer {"token"|"access_token", "expires_in"}. */
static dd_code fetch_token(struct dd_registry *reg, const struct dd_www_auth *ch,
			   const char *scope, const char *file_under, struct dd_err *err)
{
	struct xfer x;
	char *url = NULL, *esc_service = NULL, *esc_scope = NULL;
	struct dd_json_doc doc = { 0 };
	dd_code rc;
	const char *host;
	size_t hl;

	if (!origin_len(ch->realm, &host, &hl))
		return dd_err_set(err, DD_ENET, "%s: token realm '%.*s' is not an http(s) URL",
				  reg->registry, url_for_msg(ch->realm), ch->realm);
	xfer_init(&x, reg, 1u << 20);
	CURL *esc = curl_easy_init();
	if (!esc) {
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
		goto out;
	}
	esc_service = curl_easy_escape(esc, ch->service, 0);
	esc_scope = curl_easy_escape(esc, scope, 0);
	curl_easy_cleanup(esc);
	struct dd_buf u;
	dd_buf_init(&u, DD_AUTH_REALM_MAX * 4);
	rc = dd_buf_printf(&u, err, "%s%s%s%s%s%s", ch->realm, strchr(ch->realm, '?') ? "&" : "?",
			   ch->service[0] ? "service=" : "", ch->service[0] ? esc_service : "",
			   scope[0] ? (ch->service[0] ? "&scope=" : "scope=") : "",
			   scope[0] ? esc_scope : "");
	url = dd_buf_detach(&u, NULL);
	if (rc)
		goto out;
	/* Credentials go to the realm: that is the token flow's design (Docker
	 * Hub's realm is auth.docker.io). request() keeps them off any host it
	 * is redirected to, and off plain HTTP unless the user allowed it. */
	x.to_buffer = true;
	rc = request(reg, url, NULL, NULL /* realm auth */, 0, &x, err);
	if (rc) {
		dd_err_prefix(err, "%s: token from %.*s: ", reg->registry, (int)(host - ch->realm + hl),
			      ch->realm);
		goto out;
	}
	x.to_buffer = true;
	if ((rc = xfer_pump(&x, PUMP_ALL, err)))
		goto out;
	if (x.result != CURLE_OK) {
		rc = dd_err_set(err, DD_ENET, "%s: token: %s", reg->registry, curl_msg(&x));
		goto out;
	}
	if (!x.spill.data || dd_json_doc_parse(&doc, x.spill.data, x.spill.len, NULL)) {
		rc = dd_err_set(err, DD_EINVAL, "%s: token response is not JSON", reg->registry);
		goto out;
	}
	const char *tok = dd_json_str(doc.root, "token");
	if (!tok || !tok[0])
		tok = dd_json_str(doc.root, "access_token");
	if (!tok || !tok[0]) {
		rc = dd_err_set(err, DD_EINVAL, "%s: token response has no token", reg->registry);
		goto out;
	}
	/* The spec's default lifetime is 60 s; renew 10 s early. */
	uint64_t expires_in;
	long long life = dd_json_u64(doc.root, "expires_in", &expires_in) && expires_in < 86400 * 365
				 ? (long long)expires_in
				 : 60;
	if (life < 20)
		life = 20;
	struct dd_buf hb;
	dd_buf_init(&hb, 64u << 10);
	rc = dd_buf_printf(&hb, err, "Authorization: Bearer %s", tok);
	char *header = dd_buf_detach(&hb, NULL);
	if (rc) {
		free(header);
		dd_err_set(err, rc, "%s: token too large", reg->registry);
		goto out;
	}
	pthread_mutex_lock(&reg->lock);
	reg->stats.token_requests++;
	size_t slot = reg->ntokens;
	for (size_t i = 0; i < reg->ntokens; i++)
		if (strcmp(reg->tokens[i].scope, file_under) == 0)
			slot = i;
	if (slot == MAX_TOKENS)
		slot = 0; /* a client touches a handful of repositories; recycle */
	if (slot == reg->ntokens)
		reg->ntokens++;
	struct token *t = &reg->tokens[slot];
	if (t->header) {
		explicit_bzero(t->header, strlen(t->header));
		free(t->header);
	}
	snprintf(t->scope, sizeof t->scope, "%s", file_under);
	t->header = header;
	t->expires = time(NULL) + (time_t)life - 10;
	pthread_mutex_unlock(&reg->lock);
out:
	dd_json_doc_release(&doc);
	if (x.spill.data)
		explicit_bzero(x.spill.data, x.spill.len);
	xfer_release(&x);
	curl_free(esc_service);
	curl_free(esc_scope);
	free(url);
	return rc;
}

/* Answers a challenge for scope: a fresh token (Bearer) or our Basic
 * credentials. */
static dd_code authenticate(struct dd_registry *reg, const struct dd_www_auth *ch,
			    const char *scope, const char *file_under, struct dd_err *err)
{
	if (ch->scheme == DD_AUTH_BEARER) {
		if (!ch->realm[0])
			return dd_err_set(err, DD_ENET, "%s: Bearer challenge without a realm",
					  reg->registry);
		return fetch_token(reg, ch, scope, file_under, err);
	}
	if (ch->scheme == DD_AUTH_BASIC) {
		if (!reg->have_creds)
			return dd_err_set(err, DD_ENET,
					  "%s: authentication required and no credentials (docker "
					  "login, or --username with --password-stdin)%s", reg->registry,
					  reg->creds_note);
		return DD_OK;
	}
	return dd_err_set(err, DD_EUNSUPPORTED, "%s: unsupported authentication scheme '%s'",
			  reg->registry, ch->other);
}

/* The Authorization header line for a request to the registry, copied to
 * out (so the lock is not held across the transfer); "" when none yet. */
static void auth_header(struct dd_registry *reg, const char *scope, char **out)
{
	*out = NULL;
	pthread_mutex_lock(&reg->lock);
	const char *h = scope ? cached_token(reg, scope) : NULL;
	if (!h && reg->challenge.scheme == DD_AUTH_BASIC)
		h = reg->basic;
	if (h)
		*out = dd_strndup(h, strlen(h));
	pthread_mutex_unlock(&reg->lock);
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* ---- one request, with redirects, auth and retries ------------------------ */

/*
 * url_in is a path ("/v2/...") on the registry or an absolute URL. scope
 * non-NULL: a registry request (its Authorization comes from the token
 * cache or Basic, and 401 runs the auth flow once). scope NULL and the URL
 * absolute: a token request, sent with Basic credentials to that origin.
 * On DD_OK the transfer is live with a 2xx status and its headers read.
 */
static dd_code request(struct dd_registry *reg, const char *url_in, const char *accept,
		       const char *scope, uint64_t range_from, struct xfer *x, struct dd_err *err)
{
	char url[DD_LINK_URL_MAX + sizeof reg->base];
	char origin[DD_LINK_URL_MAX + sizeof reg->base];
	unsigned attempt = 0, redirects = 0;
	bool auth_done = false;
	dd_code rc;

	if (url_in[0] == '/')
		snprintf(url, sizeof url, "%s%s", reg->base, url_in);
	else
		snprintf(url, sizeof url, "%s", url_in);
	/* Credentials belong to the first URL's origin and no other. */
	snprintf(origin, sizeof origin, "%s", url);
	for (;;) {
		char *auth = NULL;
		if (same_origin(url, origin)) {
			if (scope)
				auth_header(reg, scope, &auth);
			else if (reg->basic && url_in[0] != '/')
				auth = dd_strndup(reg->basic, strlen(reg->basic)); /* a token realm */
		}
		rc = xfer_start(x, url, accept, auth, range_from, err);
		free_secret(auth);
		if (!rc)
			rc = xfer_pump(x, PUMP_HEADERS, err);
		if (rc)
			return rc;
		if (x->done && x->result != CURLE_OK && (!x->headers_done || x->status == 0)) {
			if (retryable_curl(x->result) && attempt < reg->opts.retries) {
				sleep_ms(backoff_ms(reg, attempt++));
				pthread_mutex_lock(&reg->lock);
				reg->stats.retries++;
				pthread_mutex_unlock(&reg->lock);
				continue;
			}
			return dd_err_set(err, DD_ENET, "%.*s: %s", url_for_msg(url), url,
					  curl_msg(x));
		}
		long st = x->status;
		if (st >= 300 && st < 400 && st != 304) {
			char *loc = NULL;
			curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
			if (!loc)
				return dd_err_set(err, DD_ENET, "%.*s: HTTP %ld without Location",
						  url_for_msg(url), url, st);
			if (++redirects > DD_LIMIT_REDIRECTS)
				return dd_err_set(err, DD_ELIMIT, "%.*s: more than %d redirects",
						  url_for_msg(url), url, DD_LIMIT_REDIRECTS);
			if (strlen(loc) >= sizeof url)
				return dd_err_set(err, DD_ELIMIT, "%.*s: redirect URL too long",
						  url_for_msg(url), url);
			snprintf(url, sizeof url, "%s", loc);
			pthread_mutex_lock(&reg->lock);
			reg->stats.redirects++;
			pthread_mutex_unlock(&reg->lock);
			continue;
		}
		if (st == 401 && scope && same_origin(url, origin) && !auth_done) {
			struct dd_www_auth ch;
			struct dd_err perr = { 0 };
			if (dd_registry_parse_www_authenticate(x->www_auth.data ? x->www_auth.data : "",
							       x->www_auth.len, &ch, &perr) != DD_OK)
				return dd_err_set(err, DD_ENET, "%s: HTTP 401 with unusable %s",
						  reg->registry, perr.msg);
			/* The challenge's scope is what the server wants. */
			const char *want = ch.scope[0] ? ch.scope : scope;
			/* Filed under the caller's scope, which the next request
			 * of this kind looks up. */
			if ((rc = authenticate(reg, &ch, want, scope, err)))
				return rc;
			pthread_mutex_lock(&reg->lock);
			reg->challenge = ch;
			pthread_mutex_unlock(&reg->lock);
			auth_done = true;
			continue;
		}
		if (retryable_status(st) && attempt < reg->opts.retries) {
			unsigned long ms = backoff_ms(reg, attempt++);
			if (x->retry_after[0]) {
				/* RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
				char *end;
				long long secs = strtoll(x->retry_after, &end, 10);
				if (*end || end == x->retry_after) {
					time_t when = curl_getdate(x->retry_after, NULL);
					secs = when > 0 ? (long long)(when - time(NULL)) : -1;
				}
				if (secs > (long long)reg->opts.retry_after_max_s)
					return dd_err_set(err, DD_ENET,
							  "%s: HTTP %ld, Retry-After %lld s is longer "
							  "than the %u s we wait", reg->registry, st, secs,
							  reg->opts.retry_after_max_s);
				if (secs >= 0)
					ms = (unsigned long)secs * 1000;
			}
			pthread_mutex_lock(&reg->lock);
			reg->stats.retries++;
			pthread_mutex_unlock(&reg->lock);
			sleep_ms(ms);
			continue;
		}
		if (st >= 200 && st < 300)
			return DD_OK;
		/* A failure: read its (small) body for the registry's message. */
		xfer_pump(x, PUMP_ALL, NULL);
		char text[240];
		registry_error_text(&x->errbody, text, sizeof text);
		dd_code code = st == 404 ? DD_ENOTFOUND : DD_ENET;
		if (st == 401 || st == 403)
			return dd_err_set(err, code, "%s: %s %.*s: HTTP %ld%s%s%s", reg->registry,
					  st == 401 ? "unauthorized" : "denied", url_for_msg(url), url,
					  st, text[0] ? " (" : "", text, text[0] ? ")" : "");
		return dd_err_set(err, code, "%.*s: HTTP %ld%s%s%s", url_for_msg(url), url, st,
				  text[0] ? " (" : "", text, text[0] ? ")" : "");
	}
}

/* A whole small response into *out (the spill buffer, at most max bytes).
 * Bodies cut short are fetched again within the retry budget. */
static dd_code get_whole(struct dd_registry *reg, const char *path, const char *accept,
			 const char *scope, size_t max, struct xfer *x, struct dd_err *err)
{
	for (unsigned attempt = 0;; attempt++) {
		xfer_release(x);
		xfer_init(x, reg, max);
		x->to_buffer = true;
		dd_code rc = request(reg, path, accept, scope, 0, x, err);
		if (rc)
			return rc;
		if ((rc = xfer_pump(x, PUMP_ALL, err)))
			return rc;
		if (x->result == CURLE_OK)
			return DD_OK;
		if (x->result == CURLE_WRITE_ERROR)
			return dd_err_set(err, DD_ELIMIT, "%s%s: response larger than %zu bytes",
					  reg->registry, path, max);
		if (!retryable_curl(x->result) || attempt >= reg->opts.retries)
			return dd_err_set(err, DD_ENET, "%s%s: %s", reg->registry, path,
					  curl_msg(x));
		pthread_mutex_lock(&reg->lock);
		reg->stats.retries++;
		pthread_mutex_unlock(&reg->lock);
		sleep_ms(backoff_ms(reg, attempt));
	}
}

/* ---- public: open, close, manifests, listings ------------------------------ */

dd_code dd_registry_open(const char *registry, const struct dd_registry_opts *opts,
			 struct dd_registry **out, struct dd_err *err)
{
	static const struct dd_registry_opts defaults = { 0 };
	struct dd_registry *reg;
	char *user = NULL, *pass = NULL;
	dd_code rc;

	*out = NULL;
	pthread_once(&curl_once, init_curl);
	if (curl_init_rc != CURLE_OK)
		return dd_err_set(err, DD_ENET, "curl_global_init: %s",
				  curl_easy_strerror(curl_init_rc));
	if (!opts)
		opts = &defaults;
	if (strlen(registry) > DD_REGISTRY_NAME_MAX || !registry[0])
		return dd_err_set(err, DD_EINVAL, "registry name '%s' is not valid", registry);
	if (!(reg = dd_calloc(1, sizeof *reg)))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	pthread_mutex_init(&reg->lock, NULL);
	reg->opts = *opts;
	if (!reg->opts.retries)
		reg->opts.retries = 4;
	if (!reg->opts.retry_base_ms)
		reg->opts.retry_base_ms = 500;
	if (!reg->opts.retry_after_max_s)
		reg->opts.retry_after_max_s = 60;
	if (!reg->opts.page_size)
		reg->opts.page_size = 100;
	snprintf(reg->registry, sizeof reg->registry, "%s", registry);
	snprintf(reg->host, sizeof reg->host, "%s", dd_registry_endpoint(registry));

	/* Credentials: explicit ones, else the docker config. */
	if (opts->username) {
		user = dd_strndup(opts->username, strlen(opts->username));
		pass = dd_strndup(opts->password ? opts->password : "",
				  opts->password ? strlen(opts->password) : 0);
		if (!user || !pass) {
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			goto fail;
		}
	} else if (!opts->docker_config || opts->docker_config[0]) {
		char path[4096];
		const char *dc = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
		if (opts->docker_config)
			snprintf(path, sizeof path, "%s", opts->docker_config);
		else if (dc && dc[0])
			snprintf(path, sizeof path, "%s/config.json", dc);
		else if (home && home[0])
			snprintf(path, sizeof path, "%s/.docker/config.json", home);
		else
			path[0] = '\0';
		if (path[0]) {
			rc = dd_registry_config_creds(path, registry, &user, &pass, err);
			if (rc && rc != DD_ENOTFOUND)
				goto fail;
			/* Why a config that exists gave nothing (no entry, a
			 * helper missing): said if the registry wants credentials. */
			if (rc == DD_ENOTFOUND && access(path, F_OK) == 0)
				snprintf(reg->creds_note, sizeof reg->creds_note, "; %s", err->msg);
		}
	}
	if (user) {
		struct dd_buf raw, hdr;
		dd_buf_init(&raw, 8192);
		dd_buf_init(&hdr, 16384);
		rc = dd_buf_printf(&raw, err, "%s:%s", user, pass);
		if (!rc) {
			/* RFC 7617 Basic: base64 of "user:password". */
			char *enc = dd_malloc(4 * ((raw.len + 2) / 3) + 1);
			if (!enc) {
				rc = dd_err_set(err, DD_ENOMEM, "out of memory");
			} else {
				static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
				const unsigned char *r = (const unsigned char *)raw.data;
				size_t o = 0;
				for (size_t i = 0; i < raw.len; i += 3) {
					uint32_t v = (uint32_t)r[i] << 16;
					if (i + 1 < raw.len)
						v |= (uint32_t)r[i + 1] << 8;
					if (i + 2 < raw.len)
						v |= r[i + 2];
					enc[o++] = tab[(v >> 18) & 63];
					enc[o++] = tab[(v >> 12) & 63];
					enc[o++] = i + 1 < raw.len ? tab[(v >> 6) & 63] : '=';
					enc[o++] = i + 2 < raw.len ? tab[v & 63] : '=';
				}
				enc[o] = '\0';
				rc = dd_buf_printf(&hdr, err, "Authorization: Basic %s", enc);
				free_secret(enc);
			}
		}
		if (raw.data)
			explicit_bzero(raw.data, raw.len);
		dd_buf_release(&raw);
		reg->basic = dd_buf_detach(&hdr, NULL);
		if (rc)
			goto fail;
		reg->have_creds = true;
	}

	/* Ping: https first; http only for hosts named insecure, after TLS
	 * fails (a plain-HTTP server answers a TLS hello with garbage). */
	bool insecure = host_insecure(reg, reg->host, strlen(reg->host));
	struct xfer x;
	xfer_init(&x, reg, ERRBODY_MAX);
	for (int pass_no = 0; pass_no < 2; pass_no++) {
		snprintf(reg->base, sizeof reg->base, "%s://%s", pass_no ? "http" : "https", reg->host);
		rc = request(reg, "/v2/", NULL, NULL, 0, &x, err);
		if (rc == DD_OK || !insecure || x.status != 0 || x.result == CURLE_COULDNT_CONNECT)
			break;
	}
	if (rc == DD_OK) {
		xfer_pump(&x, PUMP_ALL, NULL);
	} else if (x.status == 0 && rc == DD_ENET && err && !insecure &&
		   x.result != CURLE_COULDNT_CONNECT && x.result != CURLE_COULDNT_RESOLVE_HOST) {
		char why[DD_ERR_MSG_MAX];
		snprintf(why, sizeof why, "%s", curl_msg(&x));
		rc = dd_err_set(err, DD_ENET,
				"%s: TLS failed (plain HTTP or a private CA? --insecure-registry %s "
				"or --ca-file FILE): %s", registry, reg->host, why);
	} else if (x.status == 401) {
		struct dd_err perr = { 0 };
		if (dd_registry_parse_www_authenticate(x.www_auth.data ? x.www_auth.data : "",
						       x.www_auth.len, &reg->challenge, &perr)) {
			xfer_release(&x);
			rc = dd_err_set(err, DD_ENET, "%s: /v2/ answered 401 with unusable %s",
					registry, perr.msg);
			goto fail;
		}
		rc = DD_OK;
		if (err)
			dd_err_clear(err);
	} else if (x.status == 404) {
		rc = dd_err_set(err, DD_ENET, "%s: GET /v2/ answered 404: not a registry (OCI "
				"distribution API)", registry);
	}
	xfer_release(&x);
	if (rc)
		goto fail;
	free_secret(user);
	free_secret(pass);
	*out = reg;
	return DD_OK;
fail:
	free_secret(user);
	free_secret(pass);
	dd_registry_close(reg);
	return rc;
}

void dd_registry_close(struct dd_registry *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->ntokens; i++)
		free_secret(reg->tokens[i].header);
	free_secret(reg->basic);
	pthread_mutex_destroy(&reg->lock);
	free(reg);
}

void dd_registry_stats(struct dd_registry *reg, struct dd_registry_stats *out)
{
	pthread_mutex_lock(&reg->lock);
	*out = reg->stats;
	pthread_mutex_unlock(&reg->lock);
}

static dd_code check_repo(const struct dd_registry *reg, const char *repo, struct dd_err *err)
{
	if (!dd_registry_valid_repository(repo, strlen(repo)))
		return dd_err_set(err, DD_EINVAL, "%s: '%s' is not a repository name", reg->registry,
				  repo);
	return DD_OK;
}

static void pull_scope(char *buf, size_t n, const char *repo)
{
	snprintf(buf, n, "repository:%s:pull", repo);
}

dd_code dd_registry_get_manifest(struct dd_registry *reg, const char *repo, const char *reference,
				 char **body, size_t *len, char media_type[128], char digest[72],
				 struct dd_err *err)
{
	char path[DD_REGISTRY_NAME_MAX * 2 + 64], scope[DD_REGISTRY_NAME_MAX + 32];
	struct xfer x;
	dd_code rc;
	size_t rl = strlen(reference);
	bool by_digest = dd_digest_valid(reference, rl);

	*body = NULL;
	*len = 0;
	media_type[0] = digest[0] = '\0';
	if ((rc = check_repo(reg, repo, err)))
		return rc;
	if (!by_digest && !dd_registry_valid_tag(reference, rl))
		return dd_err_set(err, DD_EINVAL, "%s/%s: '%s' is neither a tag nor a sha256 digest",
				  reg->registry, repo, reference);
	snprintf(path, sizeof path, "/v2/%s/manifests/%s", repo, reference);
	pull_scope(scope, sizeof scope, repo);
	xfer_init(&x, reg, DD_LIMIT_MANIFEST_BYTES);
	rc = get_whole(reg, path, ACCEPT_MANIFEST, scope, DD_LIMIT_MANIFEST_BYTES, &x, err);
	if (rc) {
		if (rc == DD_ENOTFOUND)
			dd_err_prefix(err, "%s/%s%s%s: manifest not found: ", reg->registry, repo,
				      by_digest ? "@" : ":", reference);
		goto out;
	}
	if ((rc = dd_sha256_buf(x.spill.data ? x.spill.data : "", x.spill.len, digest, err)))
		goto out;
	/* Verify what we can: the digest we asked for, and the one the
	 * registry claims (distribution-spec: Docker-Content-Digest). */
	if (by_digest && strcmp(digest, reference) != 0) {
		rc = dd_err_set(err, DD_EDIGEST, "%s/%s@%s: the manifest served has digest %s",
				reg->registry, repo, reference, digest);
		goto out;
	}
	if (dd_digest_valid(x.dcd, strlen(x.dcd)) && strcmp(x.dcd, digest) != 0) {
		rc = dd_err_set(err, DD_EDIGEST,
				"%s/%s:%s: the manifest served has digest %s, the registry says %s",
				reg->registry, repo, reference, digest, x.dcd);
		goto out;
	}
	snprintf(media_type, 128, "%s", x.ctype);
	*body = dd_buf_detach(&x.spill, len);
	if (!*body && !(*body = dd_calloc(1, 1)))
		rc = dd_err_set(err, DD_ENOMEM, "out of memory");
out:
	xfer_release(&x);
	return rc;
}

dd_code dd_registry_get_blob(struct dd_registry *reg, const char *repo, const char *digest,
			     size_t max, char **body, size_t *len, struct dd_err *err)
{
	char path[DD_REGISTRY_NAME_MAX * 2 + 64], scope[DD_REGISTRY_NAME_MAX + 32];
	char got[DD_DIGEST_STR];
	struct xfer x;
	dd_code rc;

	*body = NULL;
	*len = 0;
	if ((rc = check_repo(reg, repo, err)))
		return rc;
	if (!dd_digest_valid(digest, strlen(digest)))
		return dd_err_set(err, DD_EINVAL, "%s/%s: blob '%s' is not a sha256 digest",
				  reg->registry, repo, digest);
	snprintf(path, sizeof path, "/v2/%s/blobs/%s", repo, digest);
	pull_scope(scope, sizeof scope, repo);
	xfer_init(&x, reg, max);
	rc = get_whole(reg, path, NULL, scope, max, &x, err);
	if (!rc)
		rc = dd_sha256_buf(x.spill.data ? x.spill.data : "", x.spill.len, got, err);
	if (!rc && strcmp(got, digest) != 0)
		rc = dd_err_set(err, DD_EDIGEST, "%s/%s: blob %s has digest %s", reg->registry, repo,
				digest, got);
	if (!rc) {
		*body = dd_buf_detach(&x.spill, len);
		if (!*body && !(*body = dd_calloc(1, 1)))
			rc = dd_err_set(err, DD_ENOMEM, "out of memory");
	}
	xfer_release(&x);
	return rc;
}

/* Paginated listing: `key` is "repositories" or "tags". */
static dd_code list_pages(struct dd_registry *reg, const char *first, const char *scope,
			  const char *key, bool tags, dd_registry_name_fn fn, void *ud,
			  struct dd_err *err)
{
	char path[DD_LINK_URL_MAX + sizeof reg->base];
	struct xfer x;
	dd_code rc = DD_OK;

	snprintf(path, sizeof path, "%s", first);
	xfer_init(&x, reg, DD_LIMIT_REGISTRY_BODY_BYTES);
	for (unsigned page = 0;; page++) {
		if (page >= DD_LIMIT_REGISTRY_PAGES) {
			rc = dd_err_set(err, DD_ELIMIT, "%s: more than %u pages", reg->registry,
					DD_LIMIT_REGISTRY_PAGES);
			break;
		}
		if ((rc = get_whole(reg, path, NULL, scope, DD_LIMIT_REGISTRY_BODY_BYTES, &x, err)))
			break;
		struct dd_json_doc doc;
		if (!x.spill.data || dd_json_doc_parse(&doc, x.spill.data, x.spill.len, NULL)) {
			if (x.spill.data)
				dd_json_doc_release(&doc);
			rc = dd_err_set(err, DD_EINVAL, "%s: %s page %u is not JSON", reg->registry,
					key, page + 1);
			break;
		}
		const struct dd_json *arr = dd_json_get(doc.root, key);
		if (arr && arr->type != DD_JSON_ARRAY && arr->type != DD_JSON_NULL) {
			dd_json_doc_release(&doc);
			rc = dd_err_set(err, DD_EINVAL, "%s: \"%s\" is not an array", reg->registry,
					key);
			break;
		}
		dd_json_each(it, dd_json_as(arr, DD_JSON_ARRAY)) {
			const char *name = dd_json_string(it);
			if (!name)
				continue;
			size_t nl = strlen(name);
			if (tags ? !dd_registry_valid_tag(name, nl) : !dd_registry_valid_repository(name, nl)) {
				char shown[80];
				clean_copy(shown, sizeof shown, name, nl);
				dd_log(DD_LOG_WARN, "%s: skipping invalid %s name '%s'", reg->registry,
				       tags ? "tag" : "repository", shown);
				continue;
			}
			if ((rc = fn(ud, name, err)))
				break;
		}
		dd_json_doc_release(&doc);
		if (rc)
			break;
		char next[DD_LINK_URL_MAX];
		struct dd_err lerr = { 0 };
		dd_code lrc = x.link.len ? dd_registry_parse_link_next(x.link.data, x.link.len, next,
								       &lerr)
					 : DD_ENOTFOUND;
		if (lrc == DD_ENOTFOUND)
			break;
		if (lrc) {
			rc = dd_err_set(err, DD_ENET, "%s: %s", reg->registry, lerr.msg);
			break;
		}
		/* Next pages stay on the registry: a relative path or our own origin. */
		if (next[0] == '/') {
			snprintf(path, sizeof path, "%s", next);
		} else if (same_origin(next, reg->base)) {
			snprintf(path, sizeof path, "%s", next + origin_len(next, NULL, NULL));
			if (path[0] != '/') {
				rc = dd_err_set(err, DD_ENET, "%s: bad Link URL", reg->registry);
				break;
			}
		} else {
			rc = dd_err_set(err, DD_ENET, "%s: Link to another origin refused",
					reg->registry);
			break;
		}
	}
	xfer_release(&x);
	return rc;
}

dd_code dd_registry_list_catalog(struct dd_registry *reg, dd_registry_name_fn fn, void *ud,
				 struct dd_err *err)
{
	char path[64];
	snprintf(path, sizeof path, "/v2/_catalog?n=%u", reg->opts.page_size);
	return list_pages(reg, path, "registry:catalog:*", "repositories", false, fn, ud, err);
}

dd_code dd_registry_list_tags(struct dd_registry *reg, const char *repo, dd_registry_name_fn fn,
			      void *ud, struct dd_err *err)
{
	char path[DD_REGISTRY_NAME_MAX + 64], scope[DD_REGISTRY_NAME_MAX + 32];
	dd_code rc = check_repo(reg, repo, err);
	if (rc)
		return rc;
	snprintf(path, sizeof path, "/v2/%s/tags/list?n=%u", repo, reg->opts.page_size);
	pull_scope(scope, sizeof scope, repo);
	return list_pages(reg, path, scope, "tags", true, fn, ud, err);
}

/* ---- blob streams ---------------------------------------------------------- */

struct blob {
	struct dd_registry *reg;
	char repo[DD_REGISTRY_NAME_MAX + 1];
	char digest[DD_DIGEST_STR];
	char path[DD_REGISTRY_NAME_MAX * 2 + 64], scope[DD_REGISTRY_NAME_MAX + 32];
	uint64_t size, delivered;
	unsigned attempts;
	bool finished, verify;
	struct dd_sha256 hash;
	struct xfer x;
};

static void blob_close(void *ud)
{
	struct blob *b = ud;
	if (!b)
		return;
	xfer_release(&b->x);
	dd_sha256_release(&b->hash);
	free(b);
}

/* (Re)connects at b->delivered: Range when resuming, and if the server
 * answers 200 instead of 206 the bytes already delivered are skipped. */
static dd_code blob_connect(struct blob *b, struct dd_err *err)
{
	b->x.hash = b->verify ? &b->hash : NULL;
	b->x.delivered = &b->delivered;
	b->x.resume_from = b->delivered;
	dd_code rc = request(b->reg, b->path, NULL, b->scope, b->delivered, &b->x, err);
	if (rc)
		return rc;
	if (b->x.resume_from && b->x.status == 206) {
		char want[64];
		int wl = snprintf(want, sizeof want, "bytes %llu-",
				  (unsigned long long)b->x.resume_from);
		if (strncmp(b->x.content_range, want, (size_t)wl) != 0)
			return dd_err_set(err, DD_ENET, "%s/%s: blob %s: resumed at the wrong offset "
					  "(Content-Range '%s')", b->reg->registry, b->repo, b->digest,
					  b->x.content_range);
	}
	return DD_OK;
}

static ssize_t blob_read(void *ud, void *buf, size_t n, struct dd_err *err)
{
	struct blob *b = ud;
	struct xfer *x = &b->x;
	if (b->finished || n == 0)
		return 0;
	for (;;) {
		size_t pending = x->spill.len - x->spill_off;
		if (pending) {
			size_t k = pending < n ? pending : n;
			memcpy(buf, x->spill.data + x->spill_off, k);
			x->spill_off += k;
			if (x->spill_off == x->spill.len) {
				dd_buf_reset(&x->spill);
				x->spill_off = 0;
			}
			return (ssize_t)k;
		}
		if (x->done) {
			bool short_read = b->size && b->delivered < b->size;
			if (x->result == CURLE_OK && !short_read) {
				char got[DD_DIGEST_STR];
				dd_sha256_final(&b->hash, got);
				b->finished = true;
				if (b->verify && strcmp(got, b->digest) != 0) {
					dd_err_set(err, DD_EDIGEST,
						   "%s/%s: blob %s: content has digest %s (%llu bytes)",
						   b->reg->registry, b->repo, b->digest, got,
						   (unsigned long long)b->delivered);
					return -1;
				}
				return 0;
			}
			if ((x->result == CURLE_OK || retryable_curl(x->result)) &&
			    b->attempts < b->reg->opts.retries) {
				sleep_ms(backoff_ms(b->reg, b->attempts++));
				pthread_mutex_lock(&b->reg->lock);
				b->reg->stats.retries++;
				pthread_mutex_unlock(&b->reg->lock);
				if (blob_connect(b, err))
					return -1;
				continue;
			}
			dd_err_set(err, DD_ENET, "%s/%s: blob %s: %s after %llu bytes",
				   b->reg->registry, b->repo, b->digest,
				   x->result == CURLE_OK ? "connection ended" : curl_msg(x),
				   (unsigned long long)b->delivered);
			return -1;
		}
		x->dst = buf;
		x->dst_cap = n;
		x->dst_len = 0;
		if (x->paused) {
			x->paused = false;
			curl_easy_pause(x->easy, CURLPAUSE_CONT);
		}
		dd_code rc = x->dst_len ? DD_OK : xfer_pump(x, PUMP_SOME, err);
		size_t got = x->dst_len;
		x->dst = NULL;
		x->dst_cap = x->dst_len = 0;
		if (rc)
			return -1;
		if (b->size && b->delivered > b->size) {
			dd_err_set(err, DD_ELIMIT, "%s/%s: blob %s is larger than the %llu bytes "
				   "its descriptor gives", b->reg->registry, b->repo, b->digest,
				   (unsigned long long)b->size);
			return -1;
		}
		if (got)
			return (ssize_t)got;
	}
}

dd_code dd_registry_open_blob(struct dd_registry *reg, const char *repo, const char *digest,
			      uint64_t size, unsigned flags, struct dd_blob_stream *out,
			      struct dd_err *err)
{
	struct blob *b;
	dd_code rc;

	memset(out, 0, sizeof *out);
	if ((rc = check_repo(reg, repo, err)))
		return rc;
	if (!dd_digest_valid(digest, strlen(digest)))
		return dd_err_set(err, DD_EINVAL, "%s/%s: blob '%s' is not a sha256 digest",
				  reg->registry, repo, digest);
	if (!(b = dd_calloc(1, sizeof *b)))
		return dd_err_set(err, DD_ENOMEM, "out of memory");
	b->reg = reg;
	b->size = size;
	b->verify = !(flags & DD_REGISTRY_CONSUMER_VERIFIES);
	snprintf(b->repo, sizeof b->repo, "%s", repo);
	snprintf(b->digest, sizeof b->digest, "%s", digest);
	snprintf(b->path, sizeof b->path, "/v2/%s/blobs/%s", repo, digest);
	pull_scope(b->scope, sizeof b->scope, repo);
	xfer_init(&b->x, reg, SPILL_MAX * 2);
	if ((rc = dd_sha256_init(&b->hash, err)) || (rc = blob_connect(b, err))) {
		if (rc == DD_ENOTFOUND)
			dd_err_prefix(err, "blob %s: ", digest);
		blob_close(b);
		return rc;
	}
	out->read = blob_read;
	out->close = blob_close;
	out->ud = b;
	return DD_OK;
}
