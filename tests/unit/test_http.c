/* test_http: the transport against a scripted loopback server: retries, waits, limits, redaction.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <time.h>
#include "fsutil.h"
#include "mini_httpd.h"
#include "net_test.h"

static struct http_resp *get(struct nt *t, struct mh *m, const char *method, const char *path,
                             int idempotent)
{
	struct err e;
	struct http_resp *r = NULL;
	char *url = xasprintf("%s%s", mh_url(m), path);
	struct http_req rq = {.method = method, .url = url, .idempotent = idempotent};
	if (strcmp(method, "GET") != 0) {
		rq.body = "{}";
		rq.body_len = 2;
		rq.content_type = "application/json";
	}
	assert_int_equal(http_send_wait(t->h, &rq, &r, &e), 0);
	free(url);
	if (r->status == 0)
		nt_note_error(r->err.msg);
	return r;
}

static void test_get_sends_agent_auth_and_reads_headers(void **state)
{
	static const struct mh_resp s[] = {
	    MH(200, "Content-Type: application/json\r\nLocation: /next\r\n", "{\"ok\":1}")};
	struct mh *m = mh_start_script(s, 1);
	struct nt t;
	struct err e;
	struct http_resp *r;
	char *url = xasprintf("%s/v1/x", mh_url(m)), *ua, *auth;
	struct http_req rq = {.method = "GET",
	                      .url = url,
	                      .basic_user = "KEYID",
	                      .basic_pass = T_KEY_SECRET,
	                      .idempotent = 1};
	assert_int_equal(nt_open(&t, NULL), 0);
	assert_int_equal(http_send_wait(t.h, &rq, &r, &e), 0);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "{\"ok\":1}");
	assert_string_equal(r->content_type, "application/json");
	assert_string_equal(r->location, "/next");
	assert_null(r->azure_async);
	assert_int_equal(r->attempts, 1);
	ua = mh_header(m, 0, "User-Agent");
	auth = mh_header(m, 0, "Authorization");
	assert_string_equal(ua, "chlink/" PACKAGE_VERSION);
	assert_non_null(auth);
	assert_true(strncmp(auth, "Basic ", 6) == 0);
	free(ua);
	free(auth);
	free(url);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_bearer_header_is_sent(void **state)
{
	static const struct mh_resp s[] = {MH(200, NULL, "{}")};
	struct mh *m = mh_start_script(s, 1);
	struct nt t;
	struct err e;
	struct http_resp *r;
	char *url = xasprintf("%s/b", mh_url(m)), *auth;
	struct http_req rq = {.method = "GET", .url = url, .bearer = T_BEARER};
	assert_int_equal(nt_open(&t, NULL), 0);
	assert_int_equal(http_send_wait(t.h, &rq, &r, &e), 0);
	auth = mh_header(m, 0, "Authorization");
	assert_string_equal(auth, "Bearer " T_BEARER);
	free(auth);
	free(url);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_idempotent_get_retries_5xx_then_succeeds(void **state)
{
	static const struct mh_resp s[] = {MH(503, NULL, "busy"), MH(500, NULL, "x"),
	                                   MH(200, NULL, "ok")};
	struct mh *m = mh_start_script(s, 3);
	struct nt t;
	struct http_resp *r;
	assert_int_equal(nt_open(&t, NULL), 0);
	r = get(&t, m, "GET", "/r", 1);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->attempts, 3);
	assert_int_equal(http_stats(t.h).retries, 2);
	assert_int_equal(mh_count(m), 3);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_patch_is_not_retried_on_5xx(void **state)
{
	static const struct mh_resp s[] = {MH(502, NULL, "bad gateway"), MH(200, NULL, "ok")};
	struct mh *m = mh_start_script(s, 2);
	struct nt t;
	struct http_resp *r;
	assert_int_equal(nt_open(&t, NULL), 0);
	r = get(&t, m, "PATCH", "/p", 0);
	assert_int_equal(r->status, 502);
	assert_int_equal(r->attempts, 1);
	assert_int_equal(mh_count(m), 1);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_429_retry_after_is_honoured_even_for_patch(void **state)
{
	static const struct mh_resp s[] = {
	    MH(429, "Retry-After: 1\r\n", "{\"error\":\"TOO_MANY_REQUESTS\"}"),
	    MH(200, NULL, "{}")};
	struct mh *m = mh_start_script(s, 2);
	struct nt t;
	struct http_resp *r;
	struct mh_req *a, *b;
	assert_int_equal(nt_open(&t, NULL), 0);
	r = get(&t, m, "PATCH", "/p", 0);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->attempts, 2);
	assert_true(r->waited_ms >= 1000);
	a = mh_request(m, 0);
	b = mh_request(m, 1);
	assert_true(b->at_ms - a->at_ms >= 1000);
	assert_string_equal(b->body, "{}");
	assert_int_equal(http_stats(t.h).got_429, 1);
	mh_req_free(a);
	mh_req_free(b);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_429_x_ratelimit_reset_is_honoured(void **state)
{
	static const struct mh_resp s[] = {MH(429, "X-RateLimit-Reset: 0.3\r\n", "{}"),
	                                   MH(200, NULL, "{}")};
	struct mh *m = mh_start_script(s, 2);
	struct nt t;
	struct http_resp *r;
	assert_int_equal(nt_open(&t, NULL), 0);
	r = get(&t, m, "GET", "/p", 1);
	assert_int_equal(r->status, 200);
	assert_true(r->waited_ms >= 300);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_429_retry_after_http_date(void **state)
{
	static const struct mh_resp s[] = {
	    MH(429, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n", "{}"), MH(200, NULL, "{}")};
	struct mh *m = mh_start_script(s, 2);
	struct nt t;
	struct http_resp *r;
	assert_int_equal(nt_open(&t, NULL), 0);
	r = get(&t, m, "POST", "/p", 0);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->attempts, 2);
	assert_true(r->waited_ms < 5000); /* a date in the past means: now (plus the margin) */
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_429_storm_ends_with_status_after_max_retries(void **state)
{
	static const struct mh_resp s[] = {
	    MH(429, "Retry-After: 0\r\n", "{\"error\":\"TOO_MANY_REQUESTS\"}")};
	struct mh *m = mh_start_script(s, 1);
	struct nt t;
	struct http_opts o = {.max_retries = 2};
	struct http_resp *r;
	assert_int_equal(nt_open(&t, &o), 0);
	r = get(&t, m, "GET", "/s", 1);
	assert_int_equal(r->status, 429);
	assert_int_equal(r->attempts, 3);
	assert_int_equal(mh_count(m), 3);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_reset_is_retried_for_get_only(void **state)
{
	static const struct mh_resp s[] = {{0, NULL, NULL, MH_RESET, 0}, MH(200, NULL, "fine")};
	struct mh *m = mh_start_script(s, 2);
	struct mh *m2 = mh_start_script(s, 1);
	struct nt t;
	struct http_resp *r;
	assert_int_equal(nt_open(&t, NULL), 0);
	r = get(&t, m, "GET", "/g", 1);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "fine");
	assert_int_equal(r->attempts, 2);
	http_resp_free(r);
	r = get(&t, m2, "POST", "/p", 0);
	assert_int_equal(r->status, 0);
	assert_int_equal(r->err.kind, ERR_NET);
	assert_int_equal(r->attempts, 1);
	assert_non_null(strstr(r->err.msg, "POST http://127.0.0.1:"));
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
	mh_stop(m2);
}

static void test_truncated_body_is_retried(void **state)
{
	static const struct mh_resp s[] = {{200, NULL, "{\"partial\":", MH_TRUNCATE, 0},
	                                   MH(200, NULL, "{\"whole\":1}")};
	struct mh *m = mh_start_script(s, 2);
	struct nt t;
	struct http_resp *r;
	assert_int_equal(nt_open(&t, NULL), 0);
	r = get(&t, m, "GET", "/t", 1);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "{\"whole\":1}");
	assert_int_equal(r->attempts, 2);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_slow_body_times_out(void **state)
{
	static const struct mh_resp s[] = {{200, NULL, "0123456789abcdef", MH_SLOW, 100}};
	struct mh *m = mh_start_script(s, 1);
	struct nt t;
	struct http_opts o = {.max_retries = 0, .total_timeout_ms = 300};
	struct http_resp *r;
	assert_int_equal(nt_open(&t, &o), 0);
	r = get(&t, m, "GET", "/slow", 1);
	assert_int_equal(r->status, 0);
	assert_int_equal(r->err.kind, ERR_TIMEOUT);
	assert_int_equal(r->curl_code, CURLE_OPERATION_TIMEDOUT);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_size_cap_aborts_and_names_the_cap(void **state)
{
	static char big[2001];
	static struct mh_resp s[] = {MH(200, NULL, big)};
	struct mh *m;
	struct nt t;
	struct http_opts o = {.max_retries = 3, .max_body = 1000};
	struct http_resp *r;
	memset(big, 'x', 2000);
	m = mh_start_script(s, 1);
	assert_int_equal(nt_open(&t, &o), 0);
	r = get(&t, m, "GET", "/big", 1);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err.msg, "1000-byte limit"));
	assert_int_equal(r->attempts, 1);
	http_resp_free(r);
	nt_close(&t);
	mh_stop(m);
}

static void test_plain_http_refused_unless_loopback(void **state)
{
	struct nt t;
	struct err e;
	static const char *const bad[] = {"http://example.com/x", "http://10.0.0.4/",
	                                  "ftp://127.0.0.1/",     "http://127.example.com/",
	                                  "file:///etc/passwd",   "not a url"};
	assert_int_equal(nt_open(&t, NULL), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct http_req rq = {.method = "GET", .url = bad[i]};
		err_clear(&e);
		assert_int_equal(http_send(t.h, &rq, NULL, NULL, &e), -1);
		assert_int_equal(e.kind, ERR_USAGE);
	}
	{
		struct http_req ok1 = {.method = "GET", .url = "http://127.0.0.9:1/"};
		struct http_req ok2 = {.method = "GET", .url = "http://[::1]:1/"};
		struct http_req ok3 = {.method = "GET", .url = "https://api.clickhouse.cloud/v1"};
		assert_int_equal(http_send(t.h, &ok1, NULL, NULL, &e), 0);
		assert_int_equal(http_send(t.h, &ok2, NULL, NULL, &e), 0);
		assert_int_equal(http_send(t.h, &ok3, NULL, NULL, &e), 0);
	}
	nt_close(&t); /* frees queued requests without running them */
}

static void test_redact_url(void **state)
{
	char *a = http_redact_url("https://u:" T_KEY_SECRET
	                          "@h.example/p?api-version=1&client_secret=" T_CLIENT_SECRET
	                          "&sig=abc&x=2#frag");
	assert_string_equal(
	    a, "https://h.example/p?api-version=1&client_secret=REDACTED&sig=REDACTED&x=2");
	free(a);
	a = http_redact_url(
	    "https://management.azure.com/subscriptions/s/operations/1?api-version=2024-05-01");
	assert_string_equal(
	    a, "https://management.azure.com/subscriptions/s/operations/1?api-version=2024-05-01");
	free(a);
}

static void test_log_has_one_line_per_attempt_without_secrets(void **state)
{
	static const struct mh_resp s[] = {MH(503, NULL, T_BEARER), MH(200, NULL, T_KEY_SECRET)};
	struct mh *m = mh_start_script(s, 2);
	struct nt t;
	struct err e;
	struct http_resp *r;
	char *url =
	    xasprintf("http://user:" T_KEY_SECRET "@127.0.0.1:%d/q?token=" T_BEARER, mh_port(m));
	char *path = nt_path("single.log");
	FILE *f = fopen(path, "w+");
	struct http_req rq = {.method = "GET", .url = url, .bearer = T_BEARER, .idempotent = 1};
	struct http_opts o = {.max_retries = -1, .log = f};
	struct loop *l = loop_new(&e);
	struct http *h = http_new(l, &o, &e);
	char line[512];
	int lines = 0;
	(void)t;
	assert_int_equal(http_send_wait(h, &rq, &r, &e), 0);
	assert_int_equal(r->status, 200);
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		lines++;
		assert_null(strstr(line, T_KEY_SECRET));
		assert_null(strstr(line, T_BEARER));
		assert_non_null(strstr(line, "GET http://127.0.0.1:"));
		assert_non_null(strstr(line, lines == 1 ? " 503 " : " 200 "));
		assert_non_null(strstr(line, lines == 1 ? "attempt=1" : "attempt=2"));
	}
	assert_int_equal(lines, 2);
	fclose(f);
	free(path);
	free(url);
	http_resp_free(r);
	http_free(h);
	loop_free(l);
	mh_stop(m);
}

static void test_limiter_delays_instead_of_provoking_429(void **state)
{
	static const struct mh_resp s[] = {MH(200, NULL, "{}")};
	struct mh *m = mh_start_script(s, 1);
	struct nt t;
	struct http_opts o = {.max_retries = -1, .rate_requests = 3, .rate_window_s = 1};
	struct err e;
	char *url = xasprintf("%s/l", mh_url(m));
	struct http_req rq = {.method = "GET", .url = url, .limit_key = "KEYID"};
	struct timespec ts;
	uint64_t t_start;
	assert_int_equal(nt_open(&t, &o), 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	t_start = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	for (int i = 0; i < 5; i++)
		assert_int_equal(http_send(t.h, &rq, NULL, NULL, &e), 0);
	while (mh_count(m) < 5 && loop_busy(t.l))
		loop_once(t.l, 100);
	assert_int_equal(mh_count(m), 5);
	/* at most 3 may arrive in the first second: the 4th comes after the window */
	{
		struct mh_req *d = mh_request(m, 3);
		assert_true(d->at_ms >= t_start + 1000);
		mh_req_free(d);
	}
	assert_true(http_stats(t.h).waited_ms > 0);
	free(url);
	nt_close(&t);
	mh_stop(m);
}

static void test_limiter_window_persists_across_runs(void **state)
{
	static const struct mh_resp s[] = {MH(200, NULL, "{}")};
	struct mh *m = mh_start_script(s, 1);
	char *dir = nt_path("state-rl"), *file = nt_path("state-rl/ratelimit.json");
	struct http_opts o = {
	    .max_retries = -1, .rate_requests = 2, .rate_window_s = 3, .state_dir = dir};
	char *url = xasprintf("%s/l", mh_url(m));
	struct http_req rq = {.method = "GET", .url = url, .limit_key = "KEY-ID-PERSIST"};
	struct http_resp *r;
	struct err e;
	struct nt t;
	for (int run = 0; run < 2; run++) {
		assert_int_equal(nt_open(&t, &o), 0);
		for (int i = 0; i < (run == 0 ? 2 : 1); i++) {
			assert_int_equal(http_send_wait(t.h, &rq, &r, &e), 0);
			assert_int_equal(r->status, 200);
			if (run == 1)
				assert_true(r->waited_ms > 0); /* the first run filled the window */
			else
				assert_int_equal(r->waited_ms, 0);
			http_resp_free(r);
		}
		nt_close(&t);
	}
	assert_int_equal(nt_file_has("state-rl/ratelimit.json", "KEY-ID-PERSIST"), 0);
	assert_int_equal(nt_file_has("state-rl/ratelimit.json", "\"keys\""), 1);
	free(dir);
	free(file);
	free(url);
	mh_stop(m);
}

static void test_no_secret_in_any_log_or_error(void **state)
{
	static const char *const secrets[] = {T_KEY_SECRET, T_CLIENT_SECRET, T_BEARER};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(nt_file_has("net-test.log", secrets[i]), 0);
		assert_int_equal(nt_file_has("net-test-errors.txt", secrets[i]), 0);
	}
	/* the scan can fail: the log is not empty */
	assert_int_equal(nt_file_has("net-test.log", "attempt=1"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_sends_agent_auth_and_reads_headers),
	    cmocka_unit_test(test_bearer_header_is_sent),
	    cmocka_unit_test(test_idempotent_get_retries_5xx_then_succeeds),
	    cmocka_unit_test(test_patch_is_not_retried_on_5xx),
	    cmocka_unit_test(test_429_retry_after_is_honoured_even_for_patch),
	    cmocka_unit_test(test_429_x_ratelimit_reset_is_honoured),
	    cmocka_unit_test(test_429_retry_after_http_date),
	    cmocka_unit_test(test_429_storm_ends_with_status_after_max_retries),
	    cmocka_unit_test(test_reset_is_retried_for_get_only),
	    cmocka_unit_test(test_truncated_body_is_retried),
	    cmocka_unit_test(test_slow_body_times_out),
	    cmocka_unit_test(test_size_cap_aborts_and_names_the_cap),
	    cmocka_unit_test(test_plain_http_refused_unless_loopback),
	    cmocka_unit_test(test_redact_url),
	    cmocka_unit_test(test_log_has_one_line_per_attempt_without_secrets),
	    cmocka_unit_test(test_limiter_delays_instead_of_provoking_429),
	    cmocka_unit_test(test_limiter_window_persists_across_runs),
	    cmocka_unit_test(test_no_secret_in_any_log_or_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
