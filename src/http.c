/* http: requests on the loop with retries, backoff, rate limiting, a size cap and a safe log. */
#include "config.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "http.h"
#include "http_int.h"
#include "i18n.h"
#include "xmalloc.h"

#define HTTP_BACKOFF_BASE_MS 500u
#define HTTP_BACKOFF_CAP_MS  16000u
#define HTTP_WAIT_CAP_MS     120000u
#define HTTP_429_MARGIN_MS   250u

struct http {
	struct loop *l;
	struct http_opts o;
	char *cacert;
	struct curl_slist *connect_to;
	struct hlim *lim;
	struct hreq *reqs; /* in flight or waiting, for http_free */
	struct http_stats st;
};

/* One request from http_send to its callback, across attempts. */
struct hreq {
	struct hreq *next, **pprev;
	struct http *h;
	struct loop_xfer x;
	char *method, *url, *content_type, *basic_user, *limit_key;
	char *body; /* wiped at free: the token request carries the client secret */
	size_t body_len;
	char *basic_pass, *bearer; /* sodium_malloc */
	char **headers;
	int idempotent, no_retry, connect_only;
	int delivering; /* inside the callback: http_cancel leaves it to the caller */
	long timeout_ms;
	http_done_fn fn;
	http_connect_fn cfn;
	void *ud;
	unsigned timer;
	int attempt;
	uint64_t t0, t_attempt;
	uint64_t lim_slot; /* the limiter's slot this attempt holds (when lim_held) */
	int lim_held;
	unsigned waited_ms;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	/* the current attempt's answer */
	char *buf;
	size_t len, cap;
	int cap_hit;
	char *ctype, *location, *async;
	double retry_after, rate_reset;
};

static char *sec_dup(const char *s)
{
	size_t n;
	char *p;
	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = sodium_malloc(n);
	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

static char *opt_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct http *http_new(struct loop *l, const struct http_opts *o, struct err *e)
{
	static const struct http_opts dflt = {.max_retries = -1};
	struct http *h;
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		err_set(e, ERR_INTERNAL, "%s",
		        _("cannot initialise the crypto or network library"));
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->l = l;
	h->o = o ? *o : dflt;
	if (h->o.connect_timeout_ms <= 0)
		h->o.connect_timeout_ms = 10000;
	if (h->o.total_timeout_ms <= 0)
		h->o.total_timeout_ms = 60000;
	if (h->o.max_retries < 0)
		h->o.max_retries = 4;
	if (!h->o.max_body)
		h->o.max_body = 8u << 20;
	h->cacert = opt_dup(h->o.cacert);
	for (const char *const *c = h->o.connect_to; c && *c; c++)
		h->connect_to = curl_slist_append(h->connect_to, *c);
	h->o.connect_to = NULL;
	h->lim = hlim_new(h->o.state_dir, h->o.rate_requests, h->o.rate_window_s);
	h->o.state_dir = NULL;
	curl_multi_setopt(loop_multi(l), CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
	return h;
}

struct loop *http_loop(struct http *h)
{
	return h->l;
}

struct http_stats http_stats(const struct http *h)
{
	return h->st;
}

static void wipe_slist(struct curl_slist *s)
{
	for (struct curl_slist *i = s; i; i = i->next)
		sodium_memzero(i->data, strlen(i->data));
	curl_slist_free_all(s);
}

static void attempt_reset(struct hreq *r)
{
	if (r->x.easy)
		curl_easy_cleanup(r->x.easy);
	r->x.easy = NULL;
	wipe_slist(r->hdrs);
	r->hdrs = NULL;
	free(r->buf);
	free(r->ctype);
	free(r->location);
	free(r->async);
	r->buf = r->ctype = r->location = r->async = NULL;
	r->len = r->cap = 0;
	r->cap_hit = 0;
	r->retry_after = r->rate_reset = -1;
	r->errbuf[0] = '\0';
}

/* The attempt is over: its limiter slot counts from now (the server saw it by now). */
static void lim_release(struct hreq *r)
{
	if (!r->lim_held)
		return;
	r->lim_held = 0;
	hlim_done(r->h->lim, r->limit_key, r->lim_slot, hlim_now());
}

static void hreq_free(struct hreq *r)
{
	lim_release(r);
	attempt_reset(r);
	if (r->pprev) {
		*r->pprev = r->next;
		if (r->next)
			r->next->pprev = r->pprev;
	}
	if (r->body)
		sodium_memzero(r->body, r->body_len);
	free(r->body);
	sodium_free(r->basic_pass);
	sodium_free(r->bearer);
	for (char **p = r->headers; p && *p; p++)
		free(*p);
	free(r->headers);
	free(r->method);
	free(r->url);
	free(r->content_type);
	free(r->basic_user);
	free(r->limit_key);
	free(r);
}

static void hreq_drop(struct hreq *r)
{
	if (r->timer)
		loop_cancel(r->h->l, r->timer);
	if (r->x.easy)
		loop_remove_xfer(r->h->l, &r->x);
	hreq_free(r);
}

void http_cancel(struct http *h, void *ud)
{
	struct hreq *r = h->reqs;
	while (r) {
		struct hreq *next = r->next;
		if (r->ud == ud && !r->delivering)
			hreq_drop(r);
		r = next;
	}
}

void http_free(struct http *h)
{
	if (!h)
		return;
	while (h->reqs)
		hreq_drop(h->reqs);
	curl_slist_free_all(h->connect_to);
	hlim_free(h->lim);
	free(h->cacert);
	free(h);
}

/* http:// only to 127.0.0.0/8, ::1 or localhost; nothing but http and https. */
static int url_allowed(const char *url, struct err *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok = -1;
	struct in_addr a4;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		err_set(e, ERR_USAGE, "%s", _("not a valid URL"));
	} else if (strcasecmp(scheme, "https") == 0) {
		ok = 0;
	} else if (strcasecmp(scheme, "http") != 0) {
		err_set(e, ERR_USAGE, _("only https:// URLs are allowed, not %s://"), scheme);
	} else if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
	           (inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127)) {
		ok = 0;
	} else {
		err_set(e, ERR_USAGE, _("plain http:// is refused for %s: use https://"), host);
		err_hint(e, "%s", _("http:// is only allowed to a loopback address (tests)."));
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	struct hreq *r = ud;
	size_t len = sz * n;
	if (r->len + len > r->h->o.max_body) {
		r->cap_hit = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	r->buf = xreallocarray_grow(r->buf, &r->cap, r->len + len + 1, 1);
	memcpy(r->buf + r->len, p, len);
	r->len += len;
	r->buf[r->len] = '\0';
	return len;
}

/* Seconds from a Retry-After value: delta-seconds or an HTTP-date. */
static double parse_retry_after(const char *v)
{
	char *end;
	double d = strtod(v, &end);
	if (end != v && *end == '\0')
		return d < 0 ? 0 : d;
	time_t t = curl_getdate(v, NULL);
	if (t < 0)
		return -1;
	d = difftime(t, time(NULL));
	return d < 0 ? 0 : d;
}

/* X-RateLimit-Reset: seconds to wait, or (large values) an epoch time. */
static double parse_rate_reset(const char *v)
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || !isfinite(d) || d < 0)
		return -1;
	if (d > 1e9)
		d = difftime((time_t)d, time(NULL));
	return d < 0 ? 0 : d;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct hreq *r = ud;
	size_t len = sz * n, nl;
	const char *colon = memchr(p, ':', len);
	char *v;
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* a new response (after 100 Continue): forget the previous headers */
		free(r->ctype);
		free(r->location);
		free(r->async);
		r->ctype = r->location = r->async = NULL;
		r->retry_after = r->rate_reset = -1;
		return len;
	}
	if (!colon)
		return len;
	nl = (size_t)(colon - p);
	v = xstrndup(colon + 1, len - nl - 1);
	{
		char *s = v, *t = v + strlen(v);
		while (*s == ' ' || *s == '\t')
			s++;
		while (t > s && (t[-1] == '\r' || t[-1] == '\n' || t[-1] == ' ' || t[-1] == '\t'))
			t--;
		memmove(v, s, (size_t)(t - s));
		v[t - s] = '\0';
	}
#define IS(name) (nl == strlen(name) && strncasecmp(p, name, nl) == 0)
	if (IS("Content-Type")) {
		free(r->ctype);
		r->ctype = v;
	} else if (IS("Location")) {
		free(r->location);
		r->location = v;
	} else if (IS("Azure-AsyncOperation")) {
		free(r->async);
		r->async = v;
	} else if (IS("Retry-After")) {
		r->retry_after = parse_retry_after(v);
		free(v);
	} else if (IS("X-RateLimit-Reset")) {
		r->rate_reset = parse_rate_reset(v);
		free(v);
	} else {
		free(v);
	}
#undef IS
	return len;
}

static void on_xfer_done(struct loop_xfer *x, CURLcode rc);
static void gate(void *ud);

static long req_timeout(const struct hreq *r)
{
	return r->timeout_ms > 0 ? r->timeout_ms : r->h->o.total_timeout_ms;
}

static void set_common(struct hreq *r, CURL *c)
{
	struct http *h = r->h;
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "chlink/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->o.connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req_timeout(r));
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
	if (h->cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->cacert);
	if (h->connect_to)
		curl_easy_setopt(c, CURLOPT_CONNECT_TO, h->connect_to);
}

static void set_request(struct hreq *r, CURL *c)
{
	struct curl_slist *s = NULL;
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	if (strcmp(r->method, "GET") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(r->method, "POST") != 0)
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
		if (r->body || strcmp(r->method, "DELETE") != 0) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		}
	}
	if (r->basic_user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, r->basic_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, r->basic_pass ? r->basic_pass : "");
	}
	s = curl_slist_append(s, "Expect:");
	s = curl_slist_append(s, "Accept: application/json");
	if (r->content_type) {
		char *ct = xasprintf("Content-Type: %s", r->content_type);
		s = curl_slist_append(s, ct);
		free(ct);
	}
	if (r->bearer) {
		size_t n = strlen(r->bearer) + sizeof("Authorization: Bearer ");
		char *a = sodium_malloc(n);
		if (!a)
			abort();
		if (snprintf(a, n, "Authorization: Bearer %s", r->bearer) > 0)
			s = curl_slist_append(s, a);
		sodium_free(a);
	}
	for (char **p = r->headers; p && *p; p++)
		s = curl_slist_append(s, *p);
	r->hdrs = s;
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, s);
}

static void finish_error(struct hreq *r, enum err_kind kind, const char *msg);

static void start_attempt(struct hreq *r)
{
	struct err e;
	CURL *c = curl_easy_init();
	if (!c) {
		finish_error(r, ERR_INTERNAL, _("cannot start a transfer"));
		return;
	}
	r->x.easy = c;
	r->x.done = on_xfer_done;
	r->attempt++;
	r->t_attempt = loop_now_ms(r->h->l);
	set_common(r, c);
	if (r->connect_only)
		curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
	else
		set_request(r, c);
	r->h->st.sent++;
	if (loop_add_xfer(r->h->l, &r->x, &e) < 0) {
		finish_error(r, ERR_INTERNAL, e.msg);
		return;
	}
}

/* Before each attempt: wait for the limiter if the key's window is full. */
static void gate(void *ud)
{
	struct hreq *r = ud;
	unsigned wait;
	r->timer = 0;
	if (r->limit_key &&
	    (wait = hlim_take(r->h->lim, r->limit_key, hlim_now(), &r->lim_slot)) > 0) {
		r->waited_ms += wait;
		r->h->st.waited_ms += wait;
		r->timer = loop_timer(r->h->l, wait, gate, r);
		return;
	}
	r->lim_held = r->limit_key != NULL;
	start_attempt(r);
}

static void deliver(struct hreq *r, struct http_resp *resp)
{
	resp->attempts = r->attempt;
	resp->waited_ms = r->waited_ms;
	resp->elapsed_s = (double)(loop_now_ms(r->h->l) - r->t0) / 1000.0;
	r->delivering = 1;
	if (r->fn)
		r->fn(r->ud, resp);
	http_resp_free(resp);
	hreq_free(r);
}

static void finish_error(struct hreq *r, enum err_kind kind, const char *msg)
{
	struct http_resp *resp = xcalloc(1, sizeof(*resp));
	char *safe = http_redact_url(r->url);
	resp->body = xstrdup("");
	resp->retry_after_s = resp->rate_reset_s = -1;
	err_set(&resp->err, kind, "%s %s: %s", r->method, safe, msg);
	free(safe);
	if (r->connect_only) {
		if (r->cfn)
			r->cfn(r->ud, CURLE_FAILED_INIT, 0, msg);
		http_resp_free(resp);
		hreq_free(r);
		return;
	}
	deliver(r, resp);
}

static int retryable_transport(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
static unsigned backoff_ms(int attempt)
{
	unsigned ceil_ms = HTTP_BACKOFF_BASE_MS;
	for (int i = 1; i < attempt && ceil_ms < HTTP_BACKOFF_CAP_MS; i++)
		ceil_ms *= 2;
	if (ceil_ms > HTTP_BACKOFF_CAP_MS)
		ceil_ms = HTTP_BACKOFF_CAP_MS;
	return randombytes_uniform(ceil_ms + 1);
}

static unsigned secs_to_ms(double s)
{
	double ms = s * 1000.0;
	return ms > HTTP_WAIT_CAP_MS ? HTTP_WAIT_CAP_MS : (unsigned)ms;
}

/* -1: do not retry; else the delay before the next attempt. */
static long retry_delay(const struct hreq *r, CURLcode rc, long status)
{
	if (r->no_retry || r->attempt > r->h->o.max_retries)
		return -1;
	if (rc == CURLE_OK && status == 429) {
		/* a 429 was not processed, so even a PATCH or POST may go again */
		if (r->retry_after >= 0)
			return secs_to_ms(r->retry_after) + HTTP_429_MARGIN_MS;
		if (r->rate_reset >= 0)
			return secs_to_ms(r->rate_reset) + HTTP_429_MARGIN_MS;
		return backoff_ms(r->attempt);
	}
	if (!r->idempotent)
		return -1;
	if (rc == CURLE_OK && status >= 500) {
		unsigned b = backoff_ms(r->attempt);
		if (r->retry_after >= 0 && secs_to_ms(r->retry_after) > b)
			b = secs_to_ms(r->retry_after);
		return b;
	}
	if (rc != CURLE_OK && !r->cap_hit && retryable_transport(rc))
		return backoff_ms(r->attempt);
	return -1;
}

static struct http_resp *make_resp(struct hreq *r, CURLcode rc, long status, long os_errno)
{
	struct http_resp *resp = xcalloc(1, sizeof(*resp));
	resp->status = rc == CURLE_OK ? status : 0;
	resp->body = r->buf ? r->buf : xstrdup("");
	resp->len = r->len;
	r->buf = NULL;
	resp->content_type = r->ctype;
	resp->location = r->location;
	resp->azure_async = r->async;
	r->ctype = r->location = r->async = NULL;
	resp->retry_after_s = r->retry_after;
	resp->rate_reset_s = r->rate_reset;
	resp->curl_code = (int)rc;
	resp->os_errno = os_errno;
	if (rc != CURLE_OK) {
		char *safe = http_redact_url(r->url);
		enum err_kind k = rc == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_NET;
		if (r->cap_hit)
			err_set(&resp->err, ERR_NET,
			        _("%s %s: the answer is larger than the %zu-byte limit"), r->method,
			        safe, r->h->o.max_body);
		else
			err_set(&resp->err, k, "%s %s: %s", r->method, safe,
			        r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
		free(safe);
	}
	return resp;
}

static void on_xfer_done(struct loop_xfer *x, CURLcode rc)
{
	struct hreq *r = (struct hreq *)((char *)x - offsetof(struct hreq, x));
	struct http *h = r->h;
	long status = 0, os_errno = 0, delay;
	unsigned ms = (unsigned)(loop_now_ms(h->l) - r->t_attempt);

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &os_errno);
	lim_release(r);
	if (r->connect_only) {
		http_log_attempt(h->o.log, "CONNECT", r->url, 0, ms, r->attempt,
		                 rc == CURLE_OK ? NULL : curl_easy_strerror(rc));
		if (r->cfn)
			r->cfn(r->ud, (int)rc, os_errno,
			       r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
		hreq_free(r);
		return;
	}
	http_log_attempt(h->o.log, r->method, r->url, rc == CURLE_OK ? status : 0, ms, r->attempt,
	                 rc == CURLE_OK ? NULL
	                                : (r->cap_hit ? "size-cap" : curl_easy_strerror(rc)));
	if (rc == CURLE_OK && status == 429)
		h->st.got_429++;
	delay = retry_delay(r, rc, status);
	if (delay >= 0) {
		h->st.retries++;
		h->st.waited_ms += (unsigned)delay;
		r->waited_ms += (unsigned)delay;
		attempt_reset(r);
		r->timer = loop_timer(h->l, (unsigned)delay, gate, r);
		return;
	}
	deliver(r, make_resp(r, rc, status, os_errno));
}

static struct hreq *hreq_new(struct http *h)
{
	struct hreq *r = xcalloc(1, sizeof(*r));
	r->h = h;
	r->retry_after = r->rate_reset = -1;
	r->t0 = loop_now_ms(h->l);
	r->next = h->reqs;
	if (h->reqs)
		h->reqs->pprev = &r->next;
	h->reqs = r;
	r->pprev = &h->reqs;
	return r;
}

int http_send(struct http *h, const struct http_req *rq, http_done_fn fn, void *ud, struct err *e)
{
	struct hreq *r;
	size_t n = 0;
	if (!rq->url || !rq->method)
		return err_set(e, ERR_USAGE, "%s", _("a request needs a method and a URL"));
	if (url_allowed(rq->url, e) < 0)
		return -1;
	r = hreq_new(h);
	r->method = xstrdup(rq->method);
	r->url = xstrdup(rq->url);
	if (rq->body) {
		r->body_len = rq->body_len;
		r->body = xmalloc(rq->body_len + 1);
		memcpy(r->body, rq->body, rq->body_len);
		r->body[rq->body_len] = '\0';
	}
	r->content_type = opt_dup(rq->content_type);
	r->basic_user = opt_dup(rq->basic_user);
	r->basic_pass = sec_dup(rq->basic_pass);
	r->bearer = sec_dup(rq->bearer);
	r->limit_key = opt_dup(rq->limit_key);
	while (rq->headers && rq->headers[n])
		n++;
	r->headers = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		r->headers[i] = xstrdup(rq->headers[i]);
	r->idempotent = rq->idempotent;
	r->no_retry = rq->no_retry;
	r->timeout_ms = rq->timeout_ms;
	r->fn = fn;
	r->ud = ud;
	/* Start from the loop, so the callback never runs inside http_send. */
	r->timer = loop_timer(h->l, 0, gate, r);
	return 0;
}

int http_probe_connect(struct http *h, const char *url, long timeout_ms, http_connect_fn fn,
                       void *ud, struct err *e)
{
	struct hreq *r;
	if (url_allowed(url, e) < 0)
		return -1;
	r = hreq_new(h);
	r->method = xstrdup("CONNECT");
	r->url = xstrdup(url);
	r->connect_only = 1;
	r->no_retry = 1;
	r->timeout_ms = timeout_ms;
	r->cfn = fn;
	r->ud = ud;
	r->timer = loop_timer(h->l, 0, gate, r);
	return 0;
}

struct http_resp *http_resp_dup(const struct http_resp *r)
{
	struct http_resp *d = xmalloc(sizeof(*d));
	*d = *r;
	d->body = xmalloc(r->len + 1);
	memcpy(d->body, r->body ? r->body : "", r->len);
	d->body[r->len] = '\0';
	d->content_type = opt_dup(r->content_type);
	d->location = opt_dup(r->location);
	d->azure_async = opt_dup(r->azure_async);
	return d;
}

void http_resp_free(struct http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->content_type);
	free(r->location);
	free(r->azure_async);
	free(r);
}

struct wait_ctx {
	int done;
	struct http_resp *resp;
};

static void wait_done(void *ud, const struct http_resp *r)
{
	struct wait_ctx *w = ud;
	w->resp = http_resp_dup(r);
	w->done = 1;
}

int http_send_wait(struct http *h, const struct http_req *rq, struct http_resp **out, struct err *e)
{
	struct wait_ctx w = {0};
	*out = NULL;
	if (http_send(h, rq, wait_done, &w, e) < 0)
		return -1;
	if (loop_run_until(h->l, &w.done, 0, e) < 0)
		return -1;
	*out = w.resp;
	return 0;
}
