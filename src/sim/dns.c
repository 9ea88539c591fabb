/* dns: the simulator's UDP DNS server; strict RFC 1035 parsing of one question, A answers. */
#include "config.h"
#include "sim/dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "i18n.h"
#include "xmalloc.h"

enum { HDR_LEN = 12, NAME_MAX_LEN = 255, LABEL_MAX = 63, MAX_POINTERS = 16 };
enum { TYPE_A = 1, CLASS_IN = 1, CLASS_ANY = 255 };
enum { RC_NOERROR = 0, RC_FORMERR = 1, RC_NXDOMAIN = 3, RC_NOTIMP = 4, RC_REFUSED = 5 };
enum { FLAG_QR = 0x8000, FLAG_AA = 0x0400, FLAG_TC = 0x0200, FLAG_RD = 0x0100 };

struct question {
	char name[NAME_MAX_LEN + 1];    /* dotted, no trailing dot; "" for the root */
	uint8_t wire[NAME_MAX_LEN + 1]; /* the name re-encoded without compression */
	size_t wire_len;
	uint16_t qtype, qclass;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Labels carry only printable bytes other than '.', so the dotted form is unambiguous. */
static int label_ok(const uint8_t *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] <= 0x20 || l[i] >= 0x7f || l[i] == '.')
			return 0;
	return 1;
}

/*
 * Read the name at *off, following compression pointers (only backwards, at
 * most MAX_POINTERS of them). On success *off is just past the name as it
 * appears in the packet. Returns 0, or -1 when the name is malformed.
 */
static int read_name(const uint8_t *pkt, size_t len, size_t *off, struct question *q)
{
	size_t pos = *off, end_after = 0, dotted = 0;
	int jumped = 0, pointers = 0;

	q->wire_len = 0;
	for (;;) {
		if (pos >= len)
			return -1;
		uint8_t c = pkt[pos];
		if ((c & 0xc0) == 0xc0) {
			if (pos + 1 >= len || ++pointers > MAX_POINTERS)
				return -1;
			size_t target = (size_t)((c & 0x3f) << 8 | pkt[pos + 1]);
			if (target >= pos || target < HDR_LEN)
				return -1;
			if (!jumped)
				end_after = pos + 2;
			jumped = 1;
			pos = target;
			continue;
		}
		if (c & 0xc0)
			return -1; /* the 0x40 and 0x80 label types are obsolete */
		if (c == 0)
			break;
		if (c > LABEL_MAX || pos + 1 + c > len || !label_ok(pkt + pos + 1, c))
			return -1;
		if (q->wire_len + 1 + c + 1 > NAME_MAX_LEN)
			return -1;
		memcpy(q->wire + q->wire_len, pkt + pos, (size_t)c + 1);
		q->wire_len += (size_t)c + 1;
		if (dotted)
			q->name[dotted++] = '.';
		memcpy(q->name + dotted, pkt + pos + 1, c);
		dotted += c;
		pos += (size_t)c + 1;
	}
	q->wire[q->wire_len++] = 0;
	q->name[dotted] = '\0';
	*off = jumped ? end_after : pos + 1;
	return 0;
}

/* A header-only answer: the id and RD echoed, the question dropped (it could not be read). */
static size_t bare_answer(const uint8_t *q, uint8_t *out, uint16_t opcode_bits, int rcode)
{
	memset(out, 0, HDR_LEN);
	out[0] = q[0];
	out[1] = q[1];
	put16(out + 2, (uint16_t)(FLAG_QR | opcode_bits | (get16(q + 2) & FLAG_RD) | rcode));
	return HDR_LEN;
}

size_t simdns_answer(const uint8_t *q, size_t qlen, uint8_t *out, size_t cap,
                     simdns_lookup_fn lookup, void *ctx)
{
	struct question qs;
	size_t off = HDR_LEN, n;
	char ip[16];
	struct in_addr addr;
	int rcode = RC_NOERROR, have_a = 0;

	if (qlen < HDR_LEN || cap < SIMDNS_MAX_PACKET)
		return 0;
	uint16_t flags = get16(q + 2);
	if (flags & FLAG_QR)
		return 0; /* never answer an answer: no reflection loops */
	uint16_t opcode_bits = flags & 0x7800;
	if (opcode_bits != 0)
		return bare_answer(q, out, opcode_bits, RC_NOTIMP);
	if (get16(q + 4) != 1 || get16(q + 6) != 0 || get16(q + 8) != 0)
		return bare_answer(q, out, 0, RC_FORMERR);
	if (read_name(q, qlen, &off, &qs) != 0 || off + 4 > qlen)
		return bare_answer(q, out, 0, RC_FORMERR);
	qs.qtype = get16(q + off);
	qs.qclass = get16(q + off + 2);

	if (qs.qclass != CLASS_IN && qs.qclass != CLASS_ANY)
		rcode = RC_REFUSED;
	else if (qs.name[0] == '\0' || !lookup(ctx, qs.name, ip))
		rcode = RC_NXDOMAIN;
	else if (qs.qtype == TYPE_A && inet_pton(AF_INET, ip, &addr) == 1)
		have_a = 1;
	/* else: the name exists but has no record of that type — NOERROR, no answer (NODATA) */

	memset(out, 0, HDR_LEN);
	out[0] = q[0];
	out[1] = q[1];
	put16(out + 2, (uint16_t)(FLAG_QR | FLAG_AA | (flags & FLAG_RD) | rcode));
	put16(out + 4, 1);
	put16(out + 6, (uint16_t)have_a);
	n = HDR_LEN;
	memcpy(out + n, qs.wire, qs.wire_len); /* wire_len <= 255, fits in 512 */
	n += qs.wire_len;
	put16(out + n, qs.qtype);
	put16(out + n + 2, qs.qclass);
	n += 4;
	if (have_a) {
		put16(out + n, 0xc000 | HDR_LEN); /* the name: a pointer to the question */
		put16(out + n + 2, TYPE_A);
		put16(out + n + 4, CLASS_IN);
		put16(out + n + 6, 0);
		put16(out + n + 8, SIMDNS_TTL);
		put16(out + n + 10, 4);
		memcpy(out + n + 12, &addr.s_addr, 4);
		n += 16;
	}
	return n;
}

struct simdns {
	int fd;
	int wake[2]; /* a byte on wake[1] ends the thread */
	int port;
	pthread_t thread;
	simdns_lookup_fn lookup;
	void *ctx;
};

static void *serve(void *arg)
{
	struct simdns *d = arg;
	uint8_t in[SIMDNS_MAX_PACKET * 8], out[SIMDNS_MAX_PACKET];
	struct pollfd pf[2] = {{d->fd, POLLIN, 0}, {d->wake[0], POLLIN, 0}};

	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		if (!(pf[0].revents & POLLIN))
			continue;
		struct sockaddr_storage peer;
		socklen_t plen = sizeof peer;
		ssize_t r =
		    recvfrom(d->fd, in, sizeof in, MSG_DONTWAIT, (struct sockaddr *)&peer, &plen);
		if (r <= 0)
			continue;
		size_t n = simdns_answer(in, (size_t)r, out, sizeof out, d->lookup, d->ctx);
		if (n > 0)
			(void)sendto(d->fd, out, n, MSG_DONTWAIT, (struct sockaddr *)&peer, plen);
	}
	return NULL;
}

struct simdns *simdns_start(int port, simdns_lookup_fn lookup, void *ctx, struct err *e)
{
	struct simdns *d = xcalloc(1, sizeof *d);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	socklen_t sl = sizeof sa;

	d->lookup = lookup;
	d->ctx = ctx;
	d->wake[0] = d->wake[1] = -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (d->fd < 0 || bind(d->fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(d->fd, (struct sockaddr *)&sa, &sl) != 0) {
		err_set(e, ERR_NET, _("cannot listen for DNS on 127.0.0.1 port %d: %s"), port,
		        strerror(errno));
		goto fail;
	}
	d->port = ntohs(sa.sin_port);
	if (pipe2(d->wake, O_CLOEXEC) != 0) {
		err_set(e, ERR_INTERNAL, _("cannot start the DNS thread: %s"), strerror(errno));
		goto fail;
	}
	/* The thread takes no process signals: they belong to the program's main thread. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&d->thread, NULL, serve, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		err_set(e, ERR_INTERNAL, _("cannot start the DNS thread: %s"), strerror(rc));
		goto fail;
	}
	return d;
fail:
	if (d->fd >= 0)
		close(d->fd);
	if (d->wake[0] >= 0) {
		close(d->wake[0]);
		close(d->wake[1]);
	}
	free(d);
	return NULL;
}

int simdns_port(const struct simdns *d)
{
	return d->port;
}

void simdns_stop(struct simdns *d)
{
	if (!d)
		return;
	(void)!write(d->wake[1], "x", 1);
	pthread_join(d->thread, NULL);
	close(d->fd);
	close(d->wake[0]);
	close(d->wake[1]);
	free(d);
}
