/* test_sim_server_dns: the simulator's DNS server — real UDP queries, and malformed packets. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sim/dns.h"
#include "sim/sim.h"

#define ZONE "westus3.privatelink.azure.clickhouse.cloud"

static int fake_lookup(void *ctx, const char *qname, char ip[16])
{
	return sim_dns_lookup(ctx, qname, ip);
}

struct fixture {
	struct sim *sim;
	struct simdns *dns;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct err e = {0};
	f->sim = sim_new(NULL, 1, &e);
	assert_non_null(f->sim);
	f->dns = simdns_start(0, fake_lookup, f->sim, &e);
	assert_non_null(f->dns);
	assert_true(simdns_port(f->dns) > 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	simdns_stop(f->dns);
	sim_free(f->sim);
	free(f);
	return 0;
}

/* Encode a query for `name` (dotted) of type `qtype` into `buf`; returns its length. */
static size_t make_query(uint8_t *buf, uint16_t id, const char *name, uint16_t qtype)
{
	size_t n = 12;
	memset(buf, 0, 12);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01; /* RD */
	buf[5] = 1;    /* QDCOUNT */
	const char *p = name;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		buf[n++] = (uint8_t)len;
		memcpy(buf + n, p, len);
		n += len;
		p += len;
		if (*p == '.')
			p++;
	}
	buf[n++] = 0;
	buf[n++] = (uint8_t)(qtype >> 8);
	buf[n++] = (uint8_t)qtype;
	buf[n++] = 0;
	buf[n++] = 1; /* IN */
	return n;
}

/* Send one packet over UDP and wait (bounded) for the answer; returns its length or -1. */
static ssize_t udp_ask(int port, const uint8_t *q, size_t qlen, uint8_t *ans, size_t cap)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sendto(fd, q, qlen, 0, (struct sockaddr *)&sa, sizeof sa), (ssize_t)qlen);
	struct pollfd pf = {fd, POLLIN, 0};
	ssize_t r = -1;
	if (poll(&pf, 1, 5000) == 1)
		r = recv(fd, ans, cap, 0);
	close(fd);
	return r;
}

static unsigned rcode(const uint8_t *a)
{
	return a[3] & 0x0f;
}

static unsigned u16(const uint8_t *p)
{
	return (unsigned)(p[0] << 8 | p[1]);
}

static void test_dns_answers_a_record_over_udp(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512], a[512];
	size_t qlen = make_query(q, 0x1234, "abcd." ZONE, 1);
	ssize_t n = udp_ask(simdns_port(f->dns), q, qlen, a, sizeof a);

	assert_int_equal(n, (ssize_t)qlen + 16);
	assert_int_equal(u16(a), 0x1234);
	assert_true(a[2] & 0x80); /* QR */
	assert_true(a[2] & 0x04); /* AA */
	assert_true(a[2] & 0x01); /* RD echoed */
	assert_int_equal(rcode(a), 0);
	assert_int_equal(u16(a + 4), 1);
	assert_int_equal(u16(a + 6), 1);
	assert_memory_equal(a + 12, q + 12, qlen - 12); /* the question, echoed */
	const uint8_t *rr = a + qlen;
	assert_int_equal(u16(rr), 0xc00c);
	assert_int_equal(u16(rr + 2), 1); /* A */
	assert_int_equal(u16(rr + 4), 1); /* IN */
	assert_int_equal(u16(rr + 6) << 16 | u16(rr + 8), 300);
	assert_int_equal(u16(rr + 10), 4);
	char ip[16];
	assert_non_null(inet_ntop(AF_INET, rr + 12, ip, sizeof ip));
	assert_string_equal(ip, "10.0.0.4");
}

static void test_dns_keeps_the_case_of_the_question(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512], a[512];
	size_t qlen = make_query(q, 7, "AbCd.WestUS3.PrivateLink.azure.clickhouse.cloud", 1);
	ssize_t n = udp_ask(simdns_port(f->dns), q, qlen, a, sizeof a);
	assert_int_equal(n, (ssize_t)qlen + 16);
	assert_int_equal(rcode(a), 0);
	assert_memory_equal(a + 12, q + 12, qlen - 12);
}

static void test_dns_nxdomain_for_unknown_name(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512], a[512];
	size_t qlen = make_query(q, 42, "abcd.eastus2.privatelink.azure.clickhouse.cloud", 1);
	ssize_t n = udp_ask(simdns_port(f->dns), q, qlen, a, sizeof a);
	assert_int_equal(n, (ssize_t)qlen);
	assert_int_equal(rcode(a), 3);
	assert_int_equal(u16(a + 6), 0);
}

static void test_dns_nodata_for_aaaa_of_existing_name(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512], a[512];
	size_t qlen = make_query(q, 43, "abcd." ZONE, 28);
	ssize_t n = udp_ask(simdns_port(f->dns), q, qlen, a, sizeof a);
	assert_int_equal(n, (ssize_t)qlen);
	assert_int_equal(rcode(a), 0);
	assert_int_equal(u16(a + 6), 0);
	assert_int_equal(u16(a + qlen - 4), 28);
}

static void test_dns_nxdomain_for_aaaa_of_unknown_name(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512], a[512];
	size_t qlen = make_query(q, 44, "example.com", 28);
	assert_true(udp_ask(simdns_port(f->dns), q, qlen, a, sizeof a) > 0);
	assert_int_equal(rcode(a), 3);
}

/* The pure answer function, on hand-made packets. */
static size_t ask(const uint8_t *q, size_t qlen, uint8_t *a)
{
	return simdns_answer(q, qlen, a, SIMDNS_MAX_PACKET, fake_lookup, NULL);
}

static void test_dns_formerr_for_malformed_questions(void **state)
{
	uint8_t q[600], a[SIMDNS_MAX_PACKET];
	size_t qlen = make_query(q, 9, "abcd." ZONE, 1);

	/* cut anywhere inside the question */
	for (size_t cut = 12; cut < qlen; cut++) {
		assert_int_equal(ask(q, cut, a), 12);
		assert_int_equal(rcode(a), 1);
		assert_int_equal(u16(a), 9);
	}
	/* a label longer than 63 */
	uint8_t bad[300];
	memcpy(bad, q, 12);
	bad[12] = 64;
	memset(bad + 13, 'a', 64);
	bad[77] = 0;
	memcpy(bad + 78, "\0\1\0\1", 4);
	assert_int_equal(ask(bad, 82, a), 12);
	assert_int_equal(rcode(a), 1);
	/* a pointer to itself, a forward pointer, a pointer into the header */
	static const uint8_t ptrs[][2] = {{0xc0, 12}, {0xc0, 200}, {0xc0, 2}};
	for (size_t i = 0; i < 3; i++) {
		memcpy(bad + 12, ptrs[i], 2);
		memcpy(bad + 14, "\0\1\0\1", 4);
		assert_int_equal(ask(bad, 18, a), 12);
		assert_int_equal(rcode(a), 1);
	}
	/* a label that loops back to itself through a pointer */
	memcpy(bad + 12, "\1a\xc0\x0c\0\1\0\1", 8);
	assert_int_equal(ask(bad, 20, a), 12);
	assert_int_equal(rcode(a), 1);
	/* a dot inside a label would make the name ambiguous */
	memcpy(bad + 12, "\3a.b\0\0\1\0\1", 9);
	assert_int_equal(ask(bad, 21, a), 12);
	assert_int_equal(rcode(a), 1);
	/* two questions */
	q[5] = 2;
	assert_int_equal(ask(q, qlen, a), 12);
	assert_int_equal(rcode(a), 1);
}

static void test_dns_formerr_for_names_over_255_bytes(void **state)
{
	uint8_t q[600], a[SIMDNS_MAX_PACKET];
	size_t n = 12;
	memset(q, 0, 12);
	q[5] = 1;
	for (int i = 0; i < 5; i++) { /* 5 x 61 bytes: over 255 */
		q[n++] = 60;
		memset(q + n, 'a', 60);
		n += 60;
	}
	q[n++] = 0;
	memcpy(q + n, "\0\1\0\1", 4);
	n += 4;
	assert_int_equal(ask(q, n, a), 12);
	assert_int_equal(rcode(a), 1);
}

static void test_dns_ignores_answers_and_runts_and_refuses_other_opcodes(void **state)
{
	uint8_t q[512], a[SIMDNS_MAX_PACKET];
	size_t qlen = make_query(q, 5, "abcd." ZONE, 1);

	assert_int_equal(ask(q, 11, a), 0);
	q[2] |= 0x80; /* a response: never answered */
	assert_int_equal(ask(q, qlen, a), 0);
	q[2] = 0x10; /* opcode 2, STATUS */
	assert_int_equal(ask(q, qlen, a), 12);
	assert_int_equal(rcode(a), 4);
	q[2] = 0x01;
	q[qlen - 1] = 3; /* class CH */
	assert_true(ask(q, qlen, a) > 12);
	assert_int_equal(rcode(a), 5);
}

/* Random packets, and random corruptions of a good one: an answer or silence, never a crash. */
static void test_dns_survives_garbage(void **state)
{
	struct fixture *f = *state;
	uint8_t q[700], good[512], a[SIMDNS_MAX_PACKET];
	size_t glen = make_query(good, 77, "abcd." ZONE, 1);
	unsigned seed = 12345;

	for (int i = 0; i < 20000; i++) {
		size_t len;
		if (i % 2) {
			len = (size_t)rand_r(&seed) % sizeof q;
			for (size_t j = 0; j < len; j++)
				q[j] = (uint8_t)rand_r(&seed);
		} else {
			len = glen;
			memcpy(q, good, glen);
			for (int k = 0; k < 3; k++)
				q[12 + (size_t)rand_r(&seed) % (glen - 12)] =
				    (uint8_t)rand_r(&seed);
		}
		size_t n = ask(q, len, a);
		assert_true(n <= SIMDNS_MAX_PACKET);
		if (n)
			assert_memory_equal(a, q, 2);
	}
	/* and the server still answers afterwards, over the wire */
	ssize_t n = udp_ask(simdns_port(f->dns), good, glen, a, sizeof a);
	assert_int_equal(n, (ssize_t)glen + 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_dns_answers_a_record_over_udp, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dns_keeps_the_case_of_the_question, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_dns_nxdomain_for_unknown_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dns_nodata_for_aaaa_of_existing_name, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_dns_nxdomain_for_aaaa_of_unknown_name, setup,
	                                    teardown),
	    cmocka_unit_test(test_dns_formerr_for_malformed_questions),
	    cmocka_unit_test(test_dns_formerr_for_names_over_255_bytes),
	    cmocka_unit_test(test_dns_ignores_answers_and_runts_and_refuses_other_opcodes),
	    cmocka_unit_test_setup_teardown(test_dns_survives_garbage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
