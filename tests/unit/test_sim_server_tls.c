/* test_sim_server_tls: the private endpoint's stand-in — handshakes, /ping, resets, no leaks. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sim/sim.h"
#include "sim/tls.h"
#include "xmalloc.h"

#define OK_HOST "approved.westus3.privatelink.azure.clickhouse.cloud"
#define NO_HOST "blocked.westus3.privatelink.azure.clickhouse.cloud"

struct fixture {
	struct sim *sim;
	struct simtls *tls;
	char *dir, *ca;
	SSL_CTX *client;
};

static int reachable(void *ctx, const char *host)
{
	return sim_private_reachable(ctx, host, 0);
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

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct err e = {0};
	const char *tmp = getenv("TMPDIR");

	f->dir = xasprintf("%s/tlsXXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	f->ca = xasprintf("%s/ca.pem", f->dir);
	f->sim = sim_new(NULL, 1, &e);
	static const char *const regions[] = {"westus3",   "eastus2",   "germanywestcentral",
	                                      "centralus", "japaneast", "Bad,DNS:evil.com",
	                                      NULL};
	struct simtls_opts o = {.port = 0,
	                        .ca_path = f->ca,
	                        .regions = regions,
	                        .reachable = reachable,
	                        .ctx = f->sim,
	                        .idle_ms = 300};
	f->tls = simtls_start(&o, &e);
	if (!f->tls)
		fail_msg("simtls_start: %s", e.msg);
	f->client = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_verify(f->client, SSL_VERIFY_PEER, NULL);
	assert_int_equal(SSL_CTX_load_verify_locations(f->client, f->ca, NULL), 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	simtls_stop(f->tls);
	SSL_CTX_free(f->client);
	sim_free(f->sim);
	unlink(f->ca);
	rmdir(f->dir);
	free(f->ca);
	free(f->dir);
	free(f);
	return 0;
}

static int tcp_connect(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct timeval tv = {.tv_sec = 10};
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

/* A verified TLS client for `host` (NULL: no SNI); *rc is SSL_connect's result. */
static SSL *tls_connect(struct fixture *f, const char *host, int *rc, int *err_no)
{
	SSL *ssl = SSL_new(f->client);
	int fd = tcp_connect(simtls_port(f->tls));
	SSL_set_fd(ssl, fd);
	if (host) {
		SSL_set_tlsext_host_name(ssl, host);
		SSL_set1_host(ssl, host);
	}
	errno = 0;
	*rc = SSL_connect(ssl);
	*err_no = errno;
	return ssl;
}

static void tls_close(SSL *ssl)
{
	int fd = SSL_get_fd(ssl);
	SSL_free(ssl);
	close(fd);
	ERR_clear_error();
}

/* Read until the peer closes; returns what came, NUL-terminated (malloc'd). */
static char *read_all(SSL *ssl, int *last_error)
{
	char *buf = xmalloc(8192);
	size_t n = 0;
	for (;;) {
		int r = SSL_read(ssl, buf + n, (int)(8191 - n));
		if (r <= 0) {
			*last_error = SSL_get_error(ssl, r);
			break;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	return buf;
}

static char *http_get(SSL *ssl, const char *path, const char *host)
{
	char req[512];
	int err;
	int len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:8443\r\n\r\n", path, host);
	assert_true(len > 0 && (size_t)len < sizeof req);
	assert_int_equal(SSL_write(ssl, req, len), len);
	return read_all(ssl, &err);
}

static void test_tls_ping_ok_for_approved_host(void **state)
{
	struct fixture *f = *state;
	int rc, en;
	SSL *ssl = tls_connect(f, OK_HOST, &rc, &en);
	assert_int_equal(rc, 1);
	assert_int_equal(SSL_get_verify_result(ssl), X509_V_OK);
	char *resp = http_get(ssl, "/ping", OK_HOST);
	assert_non_null(strstr(resp, "HTTP/1.1 200 OK\r\n"));
	const char *body = strstr(resp, "\r\n\r\n");
	assert_non_null(body);
	assert_string_equal(body + 4, "Ok.\n");
	free(resp);
	tls_close(ssl);
}

static void test_tls_unknown_path_is_404(void **state)
{
	struct fixture *f = *state;
	int rc, en;
	SSL *ssl = tls_connect(f, OK_HOST, &rc, &en);
	assert_int_equal(rc, 1);
	char *resp = http_get(ssl, "/query", OK_HOST);
	assert_non_null(strstr(resp, "HTTP/1.1 404 "));
	assert_null(strstr(resp, "Ok."));
	free(resp);
	tls_close(ssl);
}

/* The guide's "connection reset by peer": no ServerHello, a reset. */
static void test_tls_resets_host_not_on_allow_list(void **state)
{
	struct fixture *f = *state;
	int rc, en;
	SSL *ssl = tls_connect(f, NO_HOST, &rc, &en);
	assert_true(rc <= 0);
	assert_int_equal(SSL_get_error(ssl, rc), SSL_ERROR_SYSCALL);
	assert_int_equal(en, ECONNRESET);
	tls_close(ssl);
}

static void test_tls_resets_without_sni(void **state)
{
	struct fixture *f = *state;
	int rc, en;
	SSL *ssl = tls_connect(f, NULL, &rc, &en);
	assert_true(rc <= 0);
	assert_int_equal(en, ECONNRESET);
	tls_close(ssl);
}

/* The 9440 role: a native-protocol hello is not HTTP, so the server says goodbye politely. */
static void test_tls_native_bytes_get_graceful_close(void **state)
{
	struct fixture *f = *state;
	int rc, en, err = 0;
	SSL *ssl = tls_connect(f, OK_HOST, &rc, &en);
	assert_int_equal(rc, 1);
	static const char hello[] = {0x00, 0x0a, 'C', 'l', 'i', 'c', 'k', 'H', 'o', 'u', 's', 'e'};
	assert_int_equal(SSL_write(ssl, hello, sizeof hello), (int)sizeof hello);
	char *got = read_all(ssl, &err);
	assert_string_equal(got, "");
	assert_int_equal(err, SSL_ERROR_ZERO_RETURN); /* close_notify, not a reset */
	free(got);
	tls_close(ssl);
}

static void test_tls_silent_client_gets_graceful_close(void **state)
{
	struct fixture *f = *state;
	int rc, en, err = 0;
	SSL *ssl = tls_connect(f, OK_HOST, &rc, &en);
	assert_int_equal(rc, 1);
	char *got = read_all(ssl, &err);
	assert_string_equal(got, "");
	assert_int_equal(err, SSL_ERROR_ZERO_RETURN);
	free(got);
	tls_close(ssl);
}

/* Junk instead of a ClientHello, or a hello cut short: the server lets go and serves on. */
static void test_tls_survives_garbage(void **state)
{
	struct fixture *f = *state;
	unsigned seed = 7;
	for (int i = 0; i < 20; i++) {
		char junk[512];
		size_t n = 1 + (size_t)rand_r(&seed) % sizeof junk;
		for (size_t k = 0; k < n; k++)
			junk[k] = (char)rand_r(&seed);
		if (i % 2)
			memcpy(junk, "\x16\x03\x01\x02\x00\x01",
			       n < 6 ? n : 6); /* a record header */
		int fd = tcp_connect(simtls_port(f->tls));
		(void)!send(fd, junk, n, MSG_NOSIGNAL);
		shutdown(fd, SHUT_WR);
		char buf[4096];
		while (recv(fd, buf, sizeof buf, 0) > 0)
			; /* an alert at most, then the end */
		close(fd);
	}
	int rc, en;
	SSL *ssl = tls_connect(f, OK_HOST, &rc, &en);
	assert_int_equal(rc, 1);
	char *resp = http_get(ssl, "/ping", OK_HOST);
	assert_non_null(strstr(resp, "Ok.\n"));
	free(resp);
	tls_close(ssl);
}

static void test_tls_ca_is_a_test_ca_and_leaf_covers_regions(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	assert_int_equal(stat(f->ca, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	FILE *fp = fopen(f->ca, "r");
	assert_non_null(fp);
	X509 *ca = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(ca);
	char cn[128];
	assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(ca), NID_commonName, cn,
	                                      sizeof cn) > 0);
	assert_string_equal(cn, "chlink-sim test CA");
	assert_int_equal(X509_check_ca(ca), 1);
	X509_free(ca);

	static const char *const hosts[] = {
	    "approved.eastus2.privatelink.azure.clickhouse.cloud",
	    "approved.germanywestcentral.privatelink.azure.clickhouse.cloud",
	    "approved.centralus.privatelink.azure.clickhouse.cloud",
	    "approved.japaneast.privatelink.azure.clickhouse.cloud",
	};
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		int rc, en;
		SSL *ssl = tls_connect(f, hosts[i], &rc, &en);
		assert_int_equal(rc, 1);
		assert_int_equal(SSL_get_verify_result(ssl), X509_V_OK);
		tls_close(ssl);
	}
	/* a host outside the SANs must fail verification */
	int rc, en;
	static const char *const outside[] = {"approved.example.com", "evil.com"};
	for (size_t i = 0; i < 2; i++) {
		SSL *ssl = tls_connect(f, outside[i], &rc, &en);
		assert_true(rc != 1);
		tls_close(ssl);
	}
}

static void test_tls_many_connections_leave_no_fds(void **state)
{
	struct fixture *f = *state;
	int before = count_fds();
	for (int i = 0; i < 150; i++) {
		int rc, en;
		int allowed = i % 3 != 0;
		const char *host = allowed ? OK_HOST : NO_HOST;
		SSL *ssl = tls_connect(f, host, &rc, &en);
		if (allowed) {
			assert_int_equal(rc, 1);
			char *resp = http_get(ssl, "/ping", host);
			assert_non_null(strstr(resp, "Ok.\n"));
			free(resp);
		} else {
			assert_int_equal(en, ECONNRESET);
		}
		tls_close(ssl);
	}
	/* stop joins every connection thread, so every server-side fd is closed by now */
	simtls_stop(f->tls);
	f->tls = NULL;
	assert_int_equal(count_fds(),
	                 before - 3); /* the listener and the wake pipe, nothing else */
}

static int teardown_stopped(void **state)
{
	struct fixture *f = *state;
	if (!f->tls) {
		struct err e = {0};
		struct simtls_opts o = {
		    .port = 0, .ca_path = f->ca, .reachable = reachable, .ctx = f->sim};
		f->tls = simtls_start(&o, &e);
	}
	return teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tls_ping_ok_for_approved_host, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tls_unknown_path_is_404, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tls_resets_host_not_on_allow_list, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_tls_resets_without_sni, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tls_native_bytes_get_graceful_close, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_tls_silent_client_gets_graceful_close, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_tls_survives_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tls_ca_is_a_test_ca_and_leaf_covers_regions, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_tls_many_connections_leave_no_fds, setup,
	                                    teardown_stopped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
