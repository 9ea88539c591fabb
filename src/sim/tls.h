/*
 * simtls: the TLS stand-in for the services' private endpoint (the 9440 and
 * 8443 roles). A throw-away test CA and leaf certificate are made in memory at
 * start ("chlink-sim test CA", never a real CA); the CA PEM is written for
 * clients' --cacert. At the ClientHello, a connection whose SNI host is not
 * reachable is reset before the server sends a byte (the guide's "connection
 * reset by peer"); one that is reachable completes the handshake and then
 * answers `GET /ping` with "Ok." (the 8443 role) or, when the client sends
 * nothing or no HTTP (the 9440 native role), is closed gracefully.
 */
#ifndef CHLINK_SIM_TLS_H
#define CHLINK_SIM_TLS_H

#include "err.h"

/* 1 when a connection for SNI `host` may go through, 0 when it must be reset. */
typedef int (*simtls_reachable_fn)(void *ctx, const char *host);

struct simtls_opts {
	int port;            /* 0 = free port */
	const char *ca_path; /* where to write the CA PEM (mode 0644) */
	const char *const
	    *regions; /* Azure region codes for the leaf's wildcard SANs; NULL-terminated */
	simtls_reachable_fn reachable;
	void *ctx;
	int idle_ms; /* how long to wait for a request; 0 = 2000 */
};

struct simtls;

struct simtls *simtls_start(const struct simtls_opts *o, struct err *e);
int simtls_port(const struct simtls *t);
/* Stop accepting, wait for open connections to end, free. */
void simtls_stop(struct simtls *t);

#endif
