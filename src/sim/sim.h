/*
 * sim: the simulated clouds as a pure request -> response core.
 * One `struct sim` holds one world (a ClickHouse Cloud organization, an Azure
 * subscription, an Entra tenant). It does no I/O and reads no clock: the
 * caller passes the time in every request, so tests are deterministic.
 * The servers (HTTP via libmicrohttpd, DNS over UDP, the TLS stand-in for the
 * private endpoint) live in sim_server.h and call only this interface.
 * Not thread-safe: the server serialises calls with one mutex.
 */
#ifndef CHLINK_SIM_H
#define CHLINK_SIM_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

struct sim;

struct sim_header {
	const char *name;
	const char *value;
};

struct sim_request {
	const char *method; /* "GET", "PATCH", ... */
	const char *path;   /* "/v1/organizations/..." — no query string, not decoded */
	const char *query;  /* "api-version=2024-05-01&x=y" or "" */
	const struct sim_header *headers; /* as received; names case-insensitive */
	size_t n_headers;
	const char *body; /* may be NULL when body_len == 0 */
	size_t body_len;
	const char *base_url; /* "http://127.0.0.1:PORT", used to build Location/async URLs */
	uint64_t now_ms;      /* the caller's clock (CLOCK_REALTIME in ms) */
};

#define SIM_MAX_HEADERS 8

struct sim_response {
	int status;
	char *body; /* malloc'd; NULL for an empty body */
	size_t body_len;
	struct {
		char *name;
		char *value;
	} headers[SIM_MAX_HEADERS]; /* Content-Type is always set for bodies */
	size_t n_headers;
	/* Faults the server must act out (set by the fault switches): */
	unsigned delay_ms;     /* wait this long before answering */
	int reset;             /* close the connection without an answer (RST) */
	long truncate_at;      /* >= 0: send only this many body bytes then close; -1 none */
	unsigned slow_body_ms; /* trickle the body over this many ms */
};

/* Build a world from a JSON world file's text, or the built-in default when NULL. */
struct sim *sim_new(const char *world_json, uint64_t seed, struct err *e);
void sim_free(struct sim *s);

/* Answer one HTTP request (ClickHouse Cloud v1, ARM, Entra, and /_sim/ control). */
void sim_handle(struct sim *s, const struct sim_request *rq, struct sim_response *rs);
void sim_response_free(struct sim_response *rs);

/*
 * The private side. DNS: answer an A query for `qname` (no trailing dot,
 * case-insensitive) from the private zones that have a VNet link.
 * Returns 1 and fills `ip` (dotted quad) when answered, 0 for NXDOMAIN.
 */
int sim_dns_lookup(struct sim *s, const char *qname, char ip[16]);

/*
 * TLS stand-in: may a connection for SNI host `host` (a service's
 * privateDnsHostname) go through? 1 when that service has an Approved
 * endpoint on its allow list, 0 when the connection must be reset.
 */
int sim_private_reachable(struct sim *s, const char *host, uint64_t now_ms);

/*
 * The world's facts for the ready line, as a JSON object text (malloc'd):
 * {"org":..,"admin_key":{"id","secret"},"developer_key":{..},
 *  "azure":{"tenant","client_id","client_secret","subscription"}}
 */
char *sim_identity_json(struct sim *s);

/* Persist and reload the whole world (for --state). */
char *sim_state_json(struct sim *s);
int sim_load_state(struct sim *s, const char *json, struct err *e);

#endif
