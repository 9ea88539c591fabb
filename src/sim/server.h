/*
 * sim_server: the simulator's I/O around the pure core in sim.h — HTTP via
 * libmicrohttpd, DNS over UDP and the TLS stand-in for the private endpoint,
 * all on 127.0.0.1. Used by chlink-sim and in-process by `chlink --demo`, so
 * it never prints, installs no signal handlers and cleans up fully on stop.
 */
#ifndef CHLINK_SIM_SERVER_H
#define CHLINK_SIM_SERVER_H

#include <stdint.h>
#include "err.h"

struct sim_server;

struct sim_server_opts {
	const char *world_json; /* world file text, NULL for the built-in default */
	const char *state_path; /* loaded at start when it exists, saved on stop; may be NULL */
	uint64_t seed;
	int http_port; /* 0 = pick a free one */
	int dns_port;
	int tls_port;
	const char *ca_dir;      /* where ca.pem goes; NULL = a temp dir removed on stop */
	const char *faults_json; /* initial faults (the body of POST /_sim/faults); may be NULL */
};

/* Start all three listeners; NULL with `e` filled on failure (nothing left running). */
struct sim_server *sim_server_start(const struct sim_server_opts *o, struct err *e);

/*
 * The ready line: one JSON object (no newline, malloc'd) with the ports
 * ("http", "dns", "tls"), "cacert", "base_url" and the world's identity
 * (org, admin_key, developer_key, azure).
 */
char *sim_server_info_json(struct sim_server *srv);

int sim_server_http_port(const struct sim_server *srv);
int sim_server_dns_port(const struct sim_server *srv);
int sim_server_tls_port(const struct sim_server *srv);
const char *sim_server_cacert(const struct sim_server *srv);
/* "http://127.0.0.1:PORT": the base URL for the ClickHouse Cloud, ARM and Entra clients. */
const char *sim_server_base_url(const struct sim_server *srv);

/*
 * Stop listening, wait for every connection to end, save the state file and
 * free everything. Returns -1 (with `e`) only when saving the state failed;
 * the server is freed either way. `e` may be NULL.
 */
int sim_server_stop(struct sim_server *srv, struct err *e);

#endif
