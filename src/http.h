/*
 * http: asynchronous HTTPS requests on the loop (libcurl multi), with
 * connection reuse, timeouts, retries with backoff and jitter for idempotent
 * requests, Retry-After / X-RateLimit-Reset, a client-side rate limiter per
 * key (persisted in the state directory so back-to-back runs share it),
 * TLS always verified, http:// only for loopback hosts, a size cap, and a
 * debug log with method, URL, status and timing that never holds a secret.
 */
#ifndef CHLINK_HTTP_H
#define CHLINK_HTTP_H

#include <stddef.h>
#include <stdio.h>
#include "err.h"
#include "loop.h"

struct http;

struct http_opts {
	const char *cacert;      /* extra CA bundle (tests), NULL = system store */
	long connect_timeout_ms; /* 0 = default 10000 */
	long total_timeout_ms;   /* 0 = default 60000 */
	int max_retries;         /* -1 = default 4 */
	size_t max_body;         /* 0 = default 8 MiB */
	FILE *log;               /* --log FILE, or NULL */
	const char *const
	    *connect_to;       /* curl CONNECT_TO "HOST:PORT:ADDR:PORT", NULL-terminated, or NULL */
	const char *state_dir; /* where the rate window file lives, NULL = in memory only */
	int rate_requests;     /* per limit_key; 0 = default 10 */
	int rate_window_s;     /* 0 = default 10 */
};

struct http_req {
	const char *method; /* GET, PUT, PATCH, POST, DELETE */
	const char *url;
	const char *body; /* may be NULL */
	size_t body_len;
	const char *content_type;   /* for the body */
	const char *basic_user;     /* HTTP basic auth (ClickHouse key id) */
	const char *basic_pass;     /* secret */
	const char *bearer;         /* secret: Authorization: Bearer */
	const char *const *headers; /* extra "Name: value", NULL-terminated */
	int idempotent;             /* may be retried on 5xx, reset, timeout */
	const char *limit_key;      /* rate-limit bucket (e.g. the key id), NULL = none */
	long timeout_ms;            /* added: total timeout for this request, 0 = opts default */
	int no_retry;               /* added: never retry (probes want the first answer) */
};

struct http_resp {
	long status; /* 0 when no HTTP answer came (see err) */
	char *body;  /* NUL-terminated, may be "" */
	size_t len;
	char *content_type;   /* may be NULL */
	char *location;       /* Location header or NULL */
	char *azure_async;    /* Azure-AsyncOperation header or NULL */
	double retry_after_s; /* Retry-After, -1 when absent */
	int attempts;         /* 1 + retries */
	unsigned waited_ms;   /* time spent waiting for rate limits/backoff */
	double elapsed_s;
	struct err err;      /* transport error when status == 0 */
	int curl_code;       /* added: CURLcode of the last attempt (CURLE_OK = 0) */
	long os_errno;       /* added: CURLINFO_OS_ERRNO of the last attempt (ECONNRESET...) */
	double rate_reset_s; /* added: X-RateLimit-Reset seconds, -1 when absent */
};

/*
 * http_new calls curl_global_init the first time; that first call is not
 * thread-safe (chlink has one thread, so create the first client in main).
 */

/* Called once per request; the response is freed after the callback returns. */
typedef void (*http_done_fn)(void *ud, const struct http_resp *r);

struct http *http_new(struct loop *l, const struct http_opts *o, struct err *e);
void http_free(struct http *h);
struct loop *http_loop(struct http *h);

/* Queue a request (copies everything it needs). -1 only for a bad request (e.g. http:// to a
 * non-loopback host). */
int http_send(struct http *h, const struct http_req *rq, http_done_fn fn, void *ud, struct err *e);

/* Blocking wrapper for tests and simple callers: runs the loop until the answer; caller frees. */
int http_send_wait(struct http *h, const struct http_req *rq, struct http_resp **out,
                   struct err *e);
void http_resp_free(struct http_resp *r);

/* added: drop every queued or running request whose callback data is `ud`; no callback runs. */
void http_cancel(struct http *h, void *ud);

/* Deep copy of a response (for callers that keep it past the callback). */
struct http_resp *http_resp_dup(const struct http_resp *r);

/*
 * added: open a connection (and TLS handshake for https) to `url` and close
 * it, with CURLOPT_CONNECT_ONLY; for the 9440 probe. The callback gets the
 * CURLcode, CURLINFO_OS_ERRNO and curl's error text.
 */
typedef void (*http_connect_fn)(void *ud, int curl_code, long os_errno, const char *errtext);
int http_probe_connect(struct http *h, const char *url, long timeout_ms, http_connect_fn fn,
                       void *ud, struct err *e);

/* Redact a URL for logs and messages: userinfo and secret-like query values removed (newly
 * allocated). */
char *http_redact_url(const char *url);

/* Requests sent, 429s received, for benchmarks and tests. */
struct http_stats {
	unsigned sent, retries, got_429;
	unsigned waited_ms;
};
struct http_stats http_stats(const struct http *h);

#endif
