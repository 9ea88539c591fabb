/*
 * simdns: the simulator's DNS server — A queries over UDP on 127.0.0.1,
 * answered from a lookup callback (the core's private zones).
 */
#ifndef CHLINK_SIM_DNS_H
#define CHLINK_SIM_DNS_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* 1 and `ip` (dotted quad) when `qname` has an A record, 0 when it does not exist. */
typedef int (*simdns_lookup_fn)(void *ctx, const char *qname, char ip[16]);

#define SIMDNS_TTL        300
#define SIMDNS_MAX_PACKET 512

/*
 * Build the answer to one query packet into `out` (at least SIMDNS_MAX_PACKET
 * bytes). Returns the answer's length, or 0 when the packet must be ignored
 * (too short to carry an id, or itself a response).
 */
size_t simdns_answer(const uint8_t *q, size_t qlen, uint8_t *out, size_t cap,
                     simdns_lookup_fn lookup, void *ctx);

struct simdns;

/* Bind 127.0.0.1:port (0 = free port) and answer from a thread. */
struct simdns *simdns_start(int port, simdns_lookup_fn lookup, void *ctx, struct err *e);
int simdns_port(const struct simdns *d);
void simdns_stop(struct simdns *d);

#endif
