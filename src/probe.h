/*
 * probe: the guide's troubleshooting tests as code. A DNS A lookup of a name
 * in the private zone (system resolver, or --dns-server ADDR[:PORT] over UDP),
 * compared with the endpoint's IP; a TLS handshake to host:9440 and
 * GET https://host:8443/ping (with --connect-to so tests reach the
 * simulator). Results are classified into the guide's cases. Asynchronous on
 * the loop; the verdict names where the probe ran, since the private name
 * resolves only inside the VNet.
 */
#ifndef CHLINK_PROBE_H
#define CHLINK_PROBE_H

#include "err.h"
#include "http.h"

enum probe_verdict {
	PROBE_OK,
	PROBE_DNS_NXDOMAIN, /* no answer: zone, record or VNet link missing (or outside the VNet) */
	PROBE_DNS_WRONG_IP, /* answers, but not with the endpoint's IP: DNS setup */
	PROBE_DNS_OUTSIDE_VNET, /* system resolver, public DNS: expected outside the VNet, not
	                           broken */
	PROBE_RESET,            /* reset after connect: id not on the service allow list */
	PROBE_TIMEOUT,          /* network rules / route */
	PROBE_REFUSED,          /* nothing listening */
	PROBE_CERT_MISMATCH,    /* wrong hostname */
	PROBE_HTTP_ERROR,       /* /ping answered something other than "Ok." */
	PROBE_ERROR,            /* anything else; see detail */
};

struct probe;

struct probe_opts {
	const char *dns_server; /* "ADDR[:PORT]" or NULL for the system resolver */
	long timeout_ms;        /* per probe, 0 = 5000 */
	/* NULL, or the caller's list of probes in flight, for probe_abandon_all */
	struct probe **inflight;
};

struct probe_result {
	enum probe_verdict verdict;
	char answer[64];  /* DNS: the IP found; TLS/HTTP: status or "" */
	char where[128];  /* "resolver 127.0.0.1:5353" / "system resolver on this machine" */
	char detail[256]; /* human text, translated */
};

typedef void (*probe_fn)(void *ud, const struct probe_result *r);

/* A lookup of `name`; expect_ip may be NULL (then any answer is OK). */
int probe_dns(struct http *h, const struct probe_opts *o, const char *name, const char *expect_ip,
              probe_fn fn, void *ud, struct err *e);
/* TLS handshake to host:9440 (the native protocol port). */
int probe_tls(struct http *h, const struct probe_opts *o, const char *host, probe_fn fn, void *ud,
              struct err *e);
/* GET https://host:8443/ping expecting "Ok.". */
int probe_ping(struct http *h, const struct probe_opts *o, const char *host, probe_fn fn, void *ud,
               struct err *e);

/*
 * Drop every probe listed in *inflight without calling its callback: the caller is
 * going away (quitting mid-check) and frees the HTTP client next.
 */
void probe_abandon_all(struct probe **inflight);

const char *probe_verdict_name(enum probe_verdict v); /* stable id, e.g. "dns-wrong-ip" */
/* The guide's advice for a verdict (translated). */
const char *probe_verdict_advice(enum probe_verdict v);

/* Pure DNS message helpers, exposed for tests and fuzzing. */
int probe_dns_build_query(const char *name, unsigned short id, unsigned char *buf, int bufsz);
/* Parse an answer: 1 = A record found (ip filled), 0 = NXDOMAIN/no A, -1 malformed. */
int probe_dns_parse_answer(const unsigned char *msg, int len, unsigned short id, char ip[16]);

#endif
