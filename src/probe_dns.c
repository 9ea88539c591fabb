/* probe_dns: build an A query and parse the answer, with strict bounds (untrusted input). */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "probe.h"

#define DNS_HDR 12

int probe_dns_build_query(const char *name, unsigned short id, unsigned char *buf, int bufsz)
{
	int n = DNS_HDR;
	const char *p = name;
	size_t total = 0;
	static const unsigned char hdr_tail[] = {0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
	if (!name || !*name || bufsz < DNS_HDR + 6)
		return -1;
	buf[0] = (unsigned char)(id >> 8);
	buf[1] = (unsigned char)id;
	memcpy(buf + 2, hdr_tail, sizeof(hdr_tail)); /* RD, one question */
	while (*p) {
		size_t l = strcspn(p, ".");
		if (l == 0 || l > 63)
			return -1;
		total += l + 1;
		if (total > 253 || n + (int)l + 1 + 5 > bufsz)
			return -1;
		buf[n++] = (unsigned char)l;
		memcpy(buf + n, p, l);
		n += (int)l;
		p += l;
		if (*p == '.')
			p++;
	}
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = 1; /* QTYPE A */
	buf[n++] = 0;
	buf[n++] = 1; /* QCLASS IN */
	return n;
}

/* Skip a (possibly compressed) name at *off; pointers are not followed, only bounded. */
static int skip_name(const unsigned char *m, int len, int *off)
{
	int o = *off, labels = 0;
	for (;;) {
		unsigned char c;
		if (o >= len || ++labels > 128)
			return -1;
		c = m[o];
		if (c == 0) {
			*off = o + 1;
			return 0;
		}
		if ((c & 0xC0) == 0xC0) {
			if (o + 1 >= len || (((c & 0x3F) << 8) | m[o + 1]) >= len)
				return -1;
			*off = o + 2;
			return 0;
		}
		if (c & 0xC0)
			return -1; /* reserved label types */
		o += 1 + c;
	}
}

static unsigned u16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int probe_dns_parse_answer(const unsigned char *msg, int len, unsigned short id, char ip[16])
{
	unsigned qd, an, rcode;
	int off = DNS_HDR;
	ip[0] = '\0';
	if (!msg || len < DNS_HDR || u16(msg) != id || !(msg[2] & 0x80))
		return -1;
	rcode = msg[3] & 0x0F;
	qd = u16(msg + 4);
	an = u16(msg + 6);
	if (rcode == 3)
		return 0; /* NXDOMAIN */
	if (rcode != 0)
		return -1;
	for (unsigned i = 0; i < qd; i++) {
		if (skip_name(msg, len, &off) < 0 || off + 4 > len)
			return -1;
		off += 4;
	}
	for (unsigned i = 0; i < an; i++) {
		unsigned type, cls, rdlen;
		if (skip_name(msg, len, &off) < 0 || off + 10 > len)
			return -1;
		type = u16(msg + off);
		cls = u16(msg + off + 2);
		rdlen = u16(msg + off + 8);
		off += 10;
		if (off + (int)rdlen > len)
			return -1;
		if (type == 1 && cls == 1) {
			if (rdlen != 4)
				return -1;
			snprintf(ip, 16, "%u.%u.%u.%u", msg[off], msg[off + 1], msg[off + 2],
			         msg[off + 3]);
			return 1;
		}
		off += (int)rdlen; /* CNAME and others: the A record follows */
	}
	return 0;
}
