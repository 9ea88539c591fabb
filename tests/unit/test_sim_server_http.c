/* test_sim_server_http: sim_server's HTTP side — requests, faults acted out, state, ready line. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fsutil.h"
#include "sim/server.h"
#include "xmalloc.h"

struct fixture {
	struct sim_server *srv;
	char *dir;
};

static struct sim_server *start(const struct sim_server_opts *o)
{
	struct err e = {0};
	struct sim_server *srv = sim_server_start(o, &e);
	if (!srv)
		fail_msg("sim_server_start: %s", e.msg);
	return srv;
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	f->dir = xasprintf("%s/httpXXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	struct sim_server_opts o = {.seed = 1, .ca_dir = f->dir};
	f->srv = start(&o);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f->srv)
		assert_int_equal(sim_server_stop(f->srv, NULL), 0);
	char *ca = xasprintf("%s/ca.pem", f->dir);
	unlink(ca);
	free(ca);
	rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

struct buf {
	char *p;
	size_t n;
	int writes;
};

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
	struct buf *b = userp;
	size_t n = size * nmemb;
	b->p = xrealloc(b->p, b->n + n + 1);
	memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = '\0';
	b->writes++;
	return n;
}

/* One request; returns curl's code, fills *status and the body. */
static CURLcode request(int port, const char *method, const char *path, const char *body,
                        size_t body_len, long *status, struct buf *out)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	char *url = xasprintf("http://127.0.0.1:%d%s", port, path);
	memset(out, 0, sizeof *out);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
	}
	CURLcode rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(url);
	return rc;
}

static cJSON *get_json(int port, const char *path)
{
	long status;
	struct buf b;
	assert_int_equal(request(port, "GET", path, NULL, 0, &status, &b), CURLE_OK);
	assert_int_equal(status, 200);
	cJSON *j = cJSON_Parse(b.p);
	assert_non_null(j);
	free(b.p);
	return j;
}

static double num(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const char *str(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void test_http_passes_request_to_core_unchanged(void **state)
{
	struct fixture *f = *state;
	long status;
	struct buf b;
	CURLcode rc = request(sim_server_http_port(f->srv), "PATCH", "/fake/echo?a=b%20c&d=%2F",
	                      "{\"x\":1}", 7, &status, &b);
	assert_int_equal(rc, CURLE_OK);
	assert_int_equal(status, 200);
	cJSON *j = cJSON_Parse(b.p);
	assert_non_null(j);
	assert_string_equal(str(j, "method"), "PATCH");
	assert_string_equal(str(j, "path"), "/fake/echo");
	assert_string_equal(str(j, "query"), "a=b%20c&d=%2F");
	assert_int_equal((int)num(j, "body_len"), 7);
	assert_string_equal(str(j, "content_type"), "application/json");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "base_url_set")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "now_set")));
	cJSON_Delete(j);
	free(b.p);
}

static void test_http_status_and_body_pass_through(void **state)
{
	struct fixture *f = *state;
	long status;
	struct buf b;
	assert_int_equal(
	    request(sim_server_http_port(f->srv), "GET", "/nowhere", NULL, 0, &status, &b),
	    CURLE_OK);
	assert_int_equal(status, 404);
	assert_non_null(strstr(b.p, "ResourceNotFound"));
	free(b.p);
}

/*
 * Bodies reach the core whole up to 1 MiB; past that, 1 MiB + 1 bytes, so the core
 * can refuse them in its API's shape while an endless upload costs no more memory.
 */
static void test_http_body_over_1mib_reaches_core_clipped(void **state)
{
	struct fixture *f = *state;
	size_t mib = (size_t)1 << 20, n = 3 * mib;
	char *big = xmalloc(n);
	memset(big, ' ', n);
	const size_t sizes[] = {mib, mib + 1, mib + 2, n};
	const size_t seen[] = {mib, mib + 1, mib + 1, mib + 1};
	for (size_t i = 0; i < 4; i++) {
		long status;
		struct buf b;
		assert_int_equal(request(sim_server_http_port(f->srv), "POST", "/fake/echo", big,
		                         sizes[i], &status, &b),
		                 CURLE_OK);
		assert_int_equal(status, 200);
		cJSON *j = cJSON_Parse(b.p);
		assert_int_equal((size_t)num(j, "body_len"), seen[i]);
		cJSON_Delete(j);
		free(b.p);
	}
	free(big);
}

/* The reset fault: the client's read fails with ECONNRESET, not an orderly EOF. */
static void test_http_reset_fault_resets_the_connection(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 20; i++) {
		struct sockaddr_in sa = {.sin_family = AF_INET,
		                         .sin_port = htons((uint16_t)sim_server_http_port(f->srv))};
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct timeval tv = {.tv_sec = 10};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
		static const char req[] = "GET /fake/reset HTTP/1.1\r\nHost: x\r\n\r\n";
		assert_int_equal(send(fd, req, sizeof req - 1, 0), (ssize_t)sizeof req - 1);
		char c;
		errno = 0;
		ssize_t r = recv(fd, &c, 1, 0);
		assert_int_equal(r, -1);
		assert_int_equal(errno, ECONNRESET);
		close(fd);
	}
	/* and the server goes on serving */
	cJSON *j = get_json(sim_server_http_port(f->srv), "/_sim/log");
	cJSON_Delete(j);
}

static void test_http_truncate_fault_cuts_the_body(void **state)
{
	struct fixture *f = *state;
	long status;
	struct buf b;
	CURLcode rc =
	    request(sim_server_http_port(f->srv), "GET", "/fake/truncate", NULL, 0, &status, &b);
	assert_int_equal(rc, CURLE_PARTIAL_FILE);
	assert_int_equal(b.n, 10);
	free(b.p);
}

static void test_http_slow_body_arrives_whole_in_pieces(void **state)
{
	struct fixture *f = *state;
	long status;
	struct buf b;
	CURLcode rc =
	    request(sim_server_http_port(f->srv), "GET", "/fake/slow?ms=320", NULL, 0, &status, &b);
	assert_int_equal(rc, CURLE_OK);
	assert_int_equal(status, 200);
	assert_int_equal(b.n, 1000);
	assert_true(b.writes >= 2); /* one write would mean it came all at once */
	free(b.p);
}

struct delayed {
	int port;
	CURLcode rc;
	long status;
};

static void *delayed_request(void *arg)
{
	struct delayed *d = arg;
	struct buf b;
	d->rc = request(d->port, "GET", "/fake/delay?ms=60000", NULL, 0, &d->status, &b);
	free(b.p);
	return NULL;
}

/* A delayed answer holds up only its own connection, and stop does not wait it out. */
static void test_http_delay_blocks_only_its_connection(void **state)
{
	struct fixture *f = *state;
	int port = sim_server_http_port(f->srv);
	struct delayed d = {.port = port, .rc = CURLE_OK};
	pthread_t th;
	int polls = 0;
	double count = 0;

	assert_int_equal(pthread_create(&th, NULL, delayed_request, &d), 0);
	/* Wait until the core has seen the delayed request (the log counts every request). */
	for (int i = 0; i < 400 && count - polls < 1; i++) {
		if (i)
			usleep(25000);
		cJSON *j = get_json(port, "/_sim/log");
		polls++;
		count = num(j, "count");
		cJSON_Delete(j);
	}
	assert_true(count - polls >= 1);
	/* Other requests are answered while it waits. */
	long status;
	struct buf b;
	assert_int_equal(request(port, "GET", "/fake/echo", NULL, 0, &status, &b), CURLE_OK);
	assert_int_equal(status, 200);
	free(b.p);
	assert_int_equal(pthread_tryjoin_np(th, NULL), EBUSY);
	/* Stopping cuts the delay short. */
	assert_int_equal(sim_server_stop(f->srv, NULL), 0);
	f->srv = NULL;
	pthread_join(th, NULL);
}

static void test_http_ready_line_has_ports_and_identity(void **state)
{
	struct fixture *f = *state;
	char *info = sim_server_info_json(f->srv);
	assert_null(strchr(info, '\n'));
	cJSON *j = cJSON_Parse(info);
	assert_non_null(j);
	assert_int_equal((int)num(j, "http"), sim_server_http_port(f->srv));
	assert_int_equal((int)num(j, "dns"), sim_server_dns_port(f->srv));
	assert_int_equal((int)num(j, "tls"), sim_server_tls_port(f->srv));
	assert_true(num(j, "dns") > 0 && num(j, "tls") > 0);
	char *base = xasprintf("http://127.0.0.1:%d", sim_server_http_port(f->srv));
	assert_string_equal(str(j, "base_url"), base);
	assert_string_equal(sim_server_base_url(f->srv), base);
	free(base);
	struct stat st;
	assert_int_equal(stat(str(j, "cacert"), &st), 0);
	assert_string_equal(str(j, "org"), "fake-org");
	const cJSON *ak = cJSON_GetObjectItemCaseSensitive(j, "admin_key");
	assert_string_equal(str(ak, "id"), "fake-admin");
	assert_non_null(cJSON_GetObjectItemCaseSensitive(j, "developer_key"));
	assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(j, "azure"), "tenant"), "t");
	cJSON_Delete(j);
	free(info);
}

static void test_http_initial_faults_reach_the_core(void **state)
{
	struct fixture *f = *state;
	struct sim_server_opts o = {.ca_dir = f->dir, .faults_json = "{\"latency_ms\":7}"};
	struct sim_server *srv = start(&o);
	cJSON *j = get_json(sim_server_http_port(srv), "/_sim/faults");
	assert_int_equal((int)num(j, "latency_ms"), 7);
	cJSON_Delete(j);
	assert_int_equal(sim_server_stop(srv, NULL), 0);

	struct err e = {0};
	o.faults_json = "{not json";
	assert_null(sim_server_start(&o, &e));
	assert_non_null(strstr(e.msg, "faults"));
}

static void test_http_state_saved_on_stop_and_reloaded(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/state.json", f->dir);
	struct sim_server_opts o = {.ca_dir = f->dir, .state_path = path};
	struct sim_server *srv = start(&o);
	for (int i = 0; i < 3; i++)
		cJSON_Delete(get_json(sim_server_http_port(srv), "/_sim/log"));
	assert_int_equal(sim_server_stop(srv, NULL), 0);

	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	srv = start(&o); /* the fake's request count survives the restart */
	cJSON *j = get_json(sim_server_http_port(srv), "/_sim/log");
	assert_int_equal((int)num(j, "count"), 4);
	cJSON_Delete(j);
	assert_int_equal(sim_server_stop(srv, NULL), 0);

	/* a damaged state file is an error at start, and is left alone */
	struct err e = {0};
	assert_int_equal(fs_write_atomic(path, "garbage", 7, 0600, &e), 0);
	assert_null(sim_server_start(&o, &e));
	assert_non_null(strstr(e.msg, path));
	char *text;
	size_t len;
	assert_int_equal(fs_read_all(path, 100, &text, &len, &e), 0);
	assert_string_equal(text, "garbage");
	free(text);
	unlink(path);
	free(path);
}

static void test_http_port_in_use_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct sim_server_opts o = {.ca_dir = f->dir, .http_port = sim_server_http_port(f->srv)};
	struct err e = {0};
	assert_null(sim_server_start(&o, &e));
	assert_non_null(strstr(e.msg, "port"));
	o.http_port = 0;
	o.dns_port = sim_server_dns_port(f->srv);
	assert_null(sim_server_start(&o, &e));
	o.dns_port = 0;
	o.tls_port = sim_server_tls_port(f->srv);
	assert_null(sim_server_start(&o, &e));
}

static void test_http_temp_ca_dir_is_removed_on_stop(void **state)
{
	struct sim_server_opts o = {0};
	struct sim_server *srv = start(&o);
	char *ca = xstrdup(sim_server_cacert(srv));
	struct stat st;
	assert_int_equal(stat(ca, &st), 0);
	assert_int_equal(sim_server_stop(srv, NULL), 0);
	assert_int_not_equal(stat(ca, &st), 0);
	*strrchr(ca, '/') = '\0';
	assert_int_not_equal(stat(ca, &st), 0);
	free(ca);
}

#define LIT(s) s, sizeof s - 1

/* Send raw bytes, read until the server closes (bounded); returns what came back (malloc'd). */
static char *raw_exchange(int port, const char *data, size_t len)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct timeval tv = {.tv_sec = 10};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	(void)!send(fd, data, len, MSG_NOSIGNAL);
	shutdown(fd, SHUT_WR);
	char *out = xmalloc(65537);
	size_t n = 0;
	ssize_t r;
	while (n < 65536 && (r = recv(fd, out + n, 65536 - n, 0)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(fd);
	return out;
}

/* Whatever arrives on the socket, the server answers with an HTTP error or closes, and lives on. */
static void test_http_survives_malformed_requests(void **state)
{
	struct fixture *f = *state;
	int port = sim_server_http_port(f->srv);
	size_t big = 100000;
	char *long_uri = xmalloc(big + 64);
	memcpy(long_uri, "GET /", 5);
	memset(long_uri + 5, 'a', big);
	static const char tail[] = " HTTP/1.1\r\nHost: x\r\n\r\n";
	memcpy(long_uri + 5 + big, tail, sizeof tail - 1);
	char junk[4096];
	unsigned seed = 99;
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)rand_r(&seed);
	const struct {
		const char *data;
		size_t len;
	} cases[] = {
	    {LIT("GARBAGE\r\n\r\n")},
	    {LIT("GET / HTTP/9.9\r\n\r\n")},
	    {LIT("GET /fake/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")},
	    {LIT(
	        "POST /fake/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")},
	    {LIT("\r\n\r\n\r\n")},
	    {junk, sizeof junk},
	    {long_uri, 5 + big + sizeof tail - 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = raw_exchange(port, cases[i].data, cases[i].len);
		/* nothing, or an HTTP error status: never a 2xx for garbage */
		if (got[0])
			assert_true(strncmp(got, "HTTP/1.", 7) == 0 && got[9] >= '4');
		free(got);
	}
	free(long_uri);
	cJSON_Delete(get_json(port, "/_sim/log"));
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Resets, truncations and plain answers leave no descriptor behind once stopped. */
static void test_http_stop_leaves_no_fds(void **state)
{
	struct sim_server_opts o = {0};
	static const char *const paths[] = {"/fake/reset", "/fake/truncate", "/fake/echo",
	                                    "/fake/slow?ms=16"};
	int before = count_fds();
	struct sim_server *srv = start(&o);
	for (int i = 0; i < 40; i++) {
		long status;
		struct buf b;
		request(sim_server_http_port(srv), "GET", paths[i % 4], NULL, 0, &status, &b);
		free(b.p);
	}
	assert_int_equal(sim_server_stop(srv, NULL), 0);
	assert_int_equal(count_fds(), before);
}

static void test_http_bad_world_is_an_error(void **state)
{
	struct sim_server_opts o = {.world_json = "[1,2"};
	struct err e = {0};
	assert_null(sim_server_start(&o, &e));
	assert_true(e.msg[0] != '\0');
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_http_passes_request_to_core_unchanged, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_status_and_body_pass_through, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_body_over_1mib_reaches_core_clipped, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_reset_fault_resets_the_connection, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_truncate_fault_cuts_the_body, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_slow_body_arrives_whole_in_pieces, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_delay_blocks_only_its_connection, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_ready_line_has_ports_and_identity, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_initial_faults_reach_the_core, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_state_saved_on_stop_and_reloaded, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_http_port_in_use_is_an_error, setup, teardown),
	    cmocka_unit_test(test_http_temp_ca_dir_is_removed_on_stop),
	    cmocka_unit_test_setup_teardown(test_http_survives_malformed_requests, setup, teardown),
	    cmocka_unit_test(test_http_stop_leaves_no_fds),
	    cmocka_unit_test(test_http_bad_world_is_an_error),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
