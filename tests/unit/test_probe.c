/* test_probe: DNS message code, the DNS/TLS/ping probes and their verdicts, on loopback only. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include "mini_httpd.h"
#include "mini_tls.h"
#include "net_test.h"
#include "probe.h"

#define HOST "abc123.westus3.privatelink.azure.clickhouse.cloud"

/* ---- pure DNS message code ---- */

static int answer_msg(unsigned char *m, const unsigned char *q, int qlen, int rcode, const char *ip,
                      int cname_first)
{
	int n = qlen;
	memcpy(m, q, (size_t)qlen);
	m[2] = 0x81;
	m[3] = (unsigned char)(0x80 | rcode);
	m[6] = 0;
	m[7] = (unsigned char)(ip ? 1 + cname_first : 0);
	if (ip && cname_first) {
		/* *.zone CNAME -> a 3-byte name "\1x\0", then the A record */
		static const unsigned char cname[] = {0xC0, 0x0C, 0, 5, 0, 1,   0, 0,
		                                      0,    60,   0, 3, 1, 'x', 0};
		memcpy(m + n, cname, sizeof(cname));
		n += (int)sizeof(cname);
	}
	if (ip) {
		unsigned char a[] = {0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 0, 0, 0, 0};
		inet_pton(AF_INET, ip, a + 12);
		memcpy(m + n, a, sizeof(a));
		n += (int)sizeof(a);
	}
	return n;
}

static void test_build_query_encodes_labels(void **state)
{
	unsigned char q[512];
	int n = probe_dns_build_query("ab.c", 0x1234, q, sizeof(q));
	static const unsigned char want[] = {0x12, 0x34, 1,   0,   0, 1,   0, 0, 0, 0, 0,
	                                     0,    2,    'a', 'b', 1, 'c', 0, 0, 1, 0, 1};
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(q, want, sizeof(want));
	assert_int_equal(probe_dns_build_query("a..b", 1, q, sizeof(q)), -1);
	assert_int_equal(probe_dns_build_query("", 1, q, sizeof(q)), -1);
	assert_int_equal(probe_dns_build_query("abc", 1, q, 16), -1);
	{
		char label[70];
		memset(label, 'x', 64);
		label[64] = '\0';
		assert_int_equal(probe_dns_build_query(label, 1, q, sizeof(q)), -1);
	}
	assert_true(probe_dns_build_query(HOST ".", 1, q, sizeof(q)) > 0); /* trailing dot */
}

static void test_parse_answer_cases(void **state)
{
	unsigned char q[512], m[1024];
	char ip[16];
	int ql = probe_dns_build_query(HOST, 77, q, sizeof(q)), n;
	n = answer_msg(m, q, ql, 0, "10.0.0.4", 0);
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), 1);
	assert_string_equal(ip, "10.0.0.4");
	n = answer_msg(m, q, ql, 0, "10.1.2.3", 1);
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), 1);
	assert_string_equal(ip, "10.1.2.3");
	n = answer_msg(m, q, ql, 3, NULL, 0);
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), 0);
	n = answer_msg(m, q, ql, 0, NULL, 0);
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), 0);
	n = answer_msg(m, q, ql, 2, NULL, 0);
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), -1); /* SERVFAIL */
	n = answer_msg(m, q, ql, 0, "10.0.0.4", 0);
	assert_int_equal(probe_dns_parse_answer(m, n, 78, ip), -1);     /* another id */
	assert_int_equal(probe_dns_parse_answer(m, n - 1, 77, ip), -1); /* cut short */
	assert_int_equal(probe_dns_parse_answer(m, 11, 77, ip), -1);
	m[ql] = 0xC3; /* pointer past the end */
	m[ql + 1] = 0xFF;
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), -1);
	n = answer_msg(m, q, ql, 0, "10.0.0.4", 0);
	m[ql + 11] = 5; /* rdlength 5 for an A record */
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), -1);
	n = answer_msg(m, q, ql, 0, "10.0.0.4", 0);
	m[12] = 0x80; /* reserved label type in the question */
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), -1);
	n = answer_msg(m, q, ql, 0, "10.0.0.4", 0);
	m[2] = 0x01; /* not a response */
	assert_int_equal(probe_dns_parse_answer(m, n, 77, ip), -1);
}

/* ---- a UDP DNS server on loopback ---- */

struct fake_dns {
	int fd, stop[2], port;
	const char *ip; /* NULL = NXDOMAIN */
	int drop_first, silent, seen;
	pthread_t th;
};

static void *dns_run(void *arg)
{
	struct fake_dns *d = arg;
	for (;;) {
		struct pollfd p[2] = {{d->fd, POLLIN, 0}, {d->stop[0], POLLIN, 0}};
		unsigned char q[512], m[1024];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n;
		if (poll(p, 2, -1) < 0 || p[1].revents)
			break;
		n = recvfrom(d->fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		d->seen++;
		if (d->silent || (d->drop_first && d->seen == 1))
			continue;
		n = answer_msg(m, q, (int)n, d->ip ? 0 : 3, d->ip, 0);
		sendto(d->fd, m, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

static void dns_start(struct fake_dns *d)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(bind(d->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(d->fd, (struct sockaddr *)&a, &al);
	d->port = ntohs(a.sin_port);
	assert_int_equal(pipe(d->stop), 0);
	pthread_create(&d->th, NULL, dns_run, d);
}

static void dns_stop(struct fake_dns *d)
{
	assert_int_equal(write(d->stop[1], "x", 1), 1);
	pthread_join(d->th, NULL);
	close(d->fd);
	close(d->stop[0]);
	close(d->stop[1]);
}

struct got {
	int done;
	struct probe_result r;
};

static void got_probe(void *ud, const struct probe_result *r)
{
	struct got *g = ud;
	g->r = *r;
	g->done = 1;
}

static void wait_got(struct nt *t, struct got *g)
{
	struct err e;
	assert_int_equal(loop_run_until(t->l, &g->done, loop_now_ms(t->l) + 20000, &e), 0);
}

static struct probe_result dns_case(const char *ip, int drop_first, int silent, const char *expect)
{
	struct fake_dns d = {.ip = ip, .drop_first = drop_first, .silent = silent};
	struct nt t;
	struct got g = {0};
	struct err e;
	char server[64];
	/* generous unless the case is the timeout itself: the retry comes at half of it */
	struct probe_opts o = {.dns_server = server, .timeout_ms = silent ? 600 : 4000};
	dns_start(&d);
	snprintf(server, sizeof(server), "127.0.0.1:%d", d.port);
	assert_int_equal(nt_open(&t, NULL), 0);
	assert_int_equal(probe_dns(t.h, &o, HOST, expect, got_probe, &g, &e), 0);
	wait_got(&t, &g);
	nt_close(&t);
	dns_stop(&d);
	assert_non_null(strstr(g.r.where, "resolver 127.0.0.1:"));
	return g.r;
}

static void test_dns_probe_verdicts(void **state)
{
	struct probe_result r = dns_case("10.0.0.4", 0, 0, "10.0.0.4");
	assert_int_equal(r.verdict, PROBE_OK);
	assert_string_equal(r.answer, "10.0.0.4");
	r = dns_case("10.0.0.9", 0, 0, "10.0.0.4");
	assert_int_equal(r.verdict, PROBE_DNS_WRONG_IP);
	assert_non_null(strstr(r.detail, "10.0.0.9"));
	r = dns_case(NULL, 0, 0, "10.0.0.4");
	assert_int_equal(r.verdict, PROBE_DNS_NXDOMAIN);
	r = dns_case("10.0.0.4", 1, 0, "10.0.0.4"); /* first datagram lost: the retry answers */
	assert_int_equal(r.verdict, PROBE_OK);
	r = dns_case("10.0.0.4", 0, 1, NULL);
	assert_int_equal(r.verdict, PROBE_TIMEOUT);
}

static void test_dns_bad_arguments(void **state)
{
	struct nt t;
	struct err e;
	struct probe_opts o = {.dns_server = "10.0.0.1:99999"};
	assert_int_equal(nt_open(&t, NULL), 0);
	assert_int_equal(probe_dns(t.h, &o, HOST, NULL, got_probe, NULL, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	o.dns_server = "not-an-ip";
	assert_int_equal(probe_dns(t.h, &o, HOST, NULL, got_probe, NULL, &e), -1);
	o.dns_server = "127.0.0.1";
	assert_int_equal(probe_dns(t.h, &o, "a..b", NULL, got_probe, NULL, &e), -1);
	nt_close(&t);
}

static void test_system_resolver_localhost(void **state)
{
	struct nt t;
	struct got g = {0};
	struct err e;
	assert_int_equal(nt_open(&t, NULL), 0);
	/* /etc/hosts only: no query leaves the machine */
	assert_int_equal(probe_dns(t.h, NULL, "localhost", "127.0.0.1", got_probe, &g, &e), 0);
	wait_got(&t, &g);
	assert_int_equal(g.r.verdict, PROBE_OK);
	assert_string_equal(g.r.where, "system resolver on this machine");
	nt_close(&t);
}

/* ---- TLS and ping ---- */

static struct probe_result tls_or_ping(int ping, const char *host, int port, const char *cacert,
                                       long timeout_ms)
{
	char ct[160];
	const char *cts[] = {ct, NULL};
	struct http_opts o = {.max_retries = 0, .connect_to = cts, .cacert = cacert};
	struct probe_opts po = {.timeout_ms = timeout_ms};
	struct nt t;
	struct got g = {0};
	struct err e;
	snprintf(ct, sizeof(ct), "%s:%d:127.0.0.1:%d", host, ping ? 8443 : 9440, port);
	assert_int_equal(nt_open(&t, &o), 0);
	if (ping)
		assert_int_equal(probe_ping(t.h, &po, host, got_probe, &g, &e), 0);
	else
		assert_int_equal(probe_tls(t.h, &po, host, got_probe, &g, &e), 0);
	wait_got(&t, &g);
	nt_close(&t);
	return g.r;
}

static void test_tls_and_ping_ok_and_cert_mismatch(void **state)
{
	char *ca = nt_path("probe-ca.pem");
	struct mt *m = mt_start(HOST, ca, "Ok.\n");
	struct probe_result r = tls_or_ping(0, HOST, mt_port(m), ca, 5000);
	assert_int_equal(r.verdict, PROBE_OK);
	assert_string_equal(r.answer, "CONNECTED");
	r = tls_or_ping(1, HOST, mt_port(m), ca, 5000);
	assert_int_equal(r.verdict, PROBE_OK);
	r = tls_or_ping(0, "other.westus3.azure.clickhouse.cloud", mt_port(m), ca, 5000);
	assert_int_equal(r.verdict, PROBE_CERT_MISMATCH);
	mt_stop(m);
	m = mt_start(HOST, ca, "Service is idle");
	r = tls_or_ping(1, HOST, mt_port(m), ca, 5000);
	assert_int_equal(r.verdict, PROBE_HTTP_ERROR);
	assert_non_null(strstr(r.detail, "Service is idle"));
	mt_stop(m);
	free(ca);
}

static void test_reset_refused_and_timeout(void **state)
{
	static const struct mh_resp reset[] = {{0, NULL, NULL, MH_RESET_AFTER_ACCEPT, 0}};
	struct mh *m = mh_start_script(reset, 1);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	int fd, port;
	struct probe_result r = tls_or_ping(0, HOST, mh_port(m), NULL, 5000);
	assert_int_equal(r.verdict, PROBE_RESET);
	assert_non_null(strstr(probe_verdict_advice(r.verdict), "allow list"));
	r = tls_or_ping(1, HOST, mh_port(m), NULL, 5000);
	assert_int_equal(r.verdict, PROBE_RESET);
	mh_stop(m);
	/* a port that was just closed: refused */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &al);
	port = ntohs(a.sin_port);
	close(fd);
	r = tls_or_ping(0, HOST, port, NULL, 5000);
	assert_int_equal(r.verdict, PROBE_REFUSED);
	/* listening but never answering the TLS hello: timeout */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = 0;
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	listen(fd, 4);
	getsockname(fd, (struct sockaddr *)&a, &al);
	r = tls_or_ping(0, HOST, ntohs(a.sin_port), NULL, 300);
	assert_int_equal(r.verdict, PROBE_TIMEOUT);
	close(fd);
}

/*
 * Quitting mid-check: probes waiting on peers that never answer are dropped from the
 * caller's list with nothing left behind (LeakSanitizer and the fd count would say)
 * and no callback runs.
 */
static void test_abandon_probes_in_flight(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	int tcp = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0);
	char ct[2][160], server[64];
	const char *cts[] = {ct[0], ct[1], NULL};
	struct http_opts o = {.max_retries = 0, .connect_to = cts};
	struct probe *inflight = NULL;
	struct probe_opts po = {.dns_server = server, .timeout_ms = 60000, .inflight = &inflight};
	struct got g = {0};
	struct nt t;
	struct err e;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(tcp, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(tcp, 4), 0);
	assert_int_equal(getsockname(tcp, (struct sockaddr *)&a, &al), 0);
	snprintf(ct[0], sizeof ct[0], "%s:9440:127.0.0.1:%d", HOST, ntohs(a.sin_port));
	snprintf(ct[1], sizeof ct[1], "%s:8443:127.0.0.1:%d", HOST, ntohs(a.sin_port));
	a.sin_port = 0;
	assert_int_equal(bind(udp, (struct sockaddr *)&a, sizeof(a)), 0);
	al = sizeof(a);
	assert_int_equal(getsockname(udp, (struct sockaddr *)&a, &al), 0);
	snprintf(server, sizeof server, "127.0.0.1:%d", ntohs(a.sin_port));
	assert_int_equal(nt_open(&t, &o), 0);
	assert_int_equal(probe_dns(t.h, &po, HOST, "10.0.0.4", got_probe, &g, &e), 0);
	assert_int_equal(probe_tls(t.h, &po, HOST, got_probe, &g, &e), 0);
	assert_int_equal(probe_ping(t.h, &po, HOST, got_probe, &g, &e), 0);
	for (int i = 0; i < 5; i++)
		loop_once(t.l, 20); /* connected, hello sent, query sent: all waiting */
	assert_non_null(inflight);
	probe_abandon_all(&inflight);
	assert_null(inflight);
	nt_close(&t);
	assert_int_equal(g.done, 0);
	close(tcp);
	close(udp);
}

static void test_verdict_names_and_advice(void **state)
{
	for (int v = PROBE_OK; v <= PROBE_ERROR; v++) {
		assert_non_null(probe_verdict_name(v));
		assert_true(strlen(probe_verdict_advice(v)) > 10);
	}
	assert_string_equal(probe_verdict_name(PROBE_DNS_WRONG_IP), "dns-wrong-ip");
	assert_non_null(strstr(probe_verdict_advice(PROBE_DNS_OUTSIDE_VNET), "expected"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_query_encodes_labels),
	    cmocka_unit_test(test_parse_answer_cases),
	    cmocka_unit_test(test_dns_probe_verdicts),
	    cmocka_unit_test(test_dns_bad_arguments),
	    cmocka_unit_test(test_system_resolver_localhost),
	    cmocka_unit_test(test_tls_and_ping_ok_and_cert_mismatch),
	    cmocka_unit_test(test_reset_refused_and_timeout),
	    cmocka_unit_test(test_abandon_probes_in_flight),
	    cmocka_unit_test(test_verdict_names_and_advice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
