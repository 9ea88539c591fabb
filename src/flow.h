/*
 * flow: the guide's stages as idempotent reconcilers. Each step can be
 * observed (check), made so (apply) and removed (undo); status, doctor,
 * resume and teardown are loops over these. Nothing that can be observed is
 * trusted from disk: the profile keeps only the user's answers and a journal
 * of started operations. The wizard and the CLI share this engine; it knows
 * nothing of the terminal. Operations are asynchronous on the loop; the CLI
 * waits with loop_run_until.
 */
#ifndef CHLINK_FLOW_H
#define CHLINK_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "creds.h"
#include "err.h"
#include "loop.h"

/* Steps in the guide's order; ids (flow_step_key) are stable and used in JSON. */
enum flow_step {
	FLOW_ALIAS,      /* "alias": stage 1, endpointServiceId + privateDnsHostname */
	FLOW_ENDPOINT,   /* "endpoint": stage 2, the private endpoint (+ its IP, resourceGuid) */
	FLOW_DNS_ZONE,   /* "dns-zone" */
	FLOW_DNS_RECORD, /* "dns-record": wildcard A -> endpoint IP */
	FLOW_DNS_LINK,   /* "dns-link": zone -> VNet */
	FLOW_ORG,        /* "org": stage 3, endpoint id registered in the organization */
	FLOW_ALLOWLIST,  /* "allowlist": stage 4, on every chosen service's allow list */
	FLOW_ACCESS,     /* "access": stage 5, DNS answer + TLS 9440 + /ping 8443 + Approved */
	FLOW_NSTEPS
};

enum flow_state { FLOW_UNKNOWN, FLOW_MISSING, FLOW_PENDING, FLOW_DONE, FLOW_FAILED };

enum flow_conn {
	FLOW_CONN_NONE,
	FLOW_CONN_PENDING,
	FLOW_CONN_APPROVED,
	FLOW_CONN_REJECTED,
	FLOW_CONN_DISCONNECTED,
	FLOW_CONN_OTHER
};

/* How the user does a stage: through the APIs, by hand in the console/portal, or Terraform. */
enum flow_path { FLOW_PATH_API, FLOW_PATH_PORTAL, FLOW_PATH_TERRAFORM };

/* Which id ClickHouse gets: the guide's resourceGuid (default) or the ARM resource id. */
enum flow_id_form { FLOW_ID_GUID, FLOW_ID_RESOURCE_ID };

struct flow_step_info {
	enum flow_step step;
	const char *key;   /* "alias", "dns-zone", ... */
	int stage;         /* 1..5 as in the guide (DNS steps are stage 2) */
	const char *title; /* N_() text; translate with _() when shown */
	const char *help;  /* N_() the guide's explanation of this step */
};
const struct flow_step_info *flow_step_info(enum flow_step s);
const char *
flow_state_name(enum flow_state s); /* "done", "missing", "pending", "failed", "unknown" */
const char *
flow_conn_name(enum flow_conn c); /* "Pending", "Approved", ... (untranslated API words) */
/* The state in the user's language, for human output: the word ("Pending") and a whole
 * phrase ("connection Pending") that translations may word their own way (flow_words.c). */
const char *flow_conn_word(enum flow_conn c);
const char *flow_conn_phrase(enum flow_conn c);

/* The user's answers: kept in the profile, given by flags, env or the wizard. Strings malloc'd. */
struct flow_answers {
	char *region;    /* ClickHouse service region, e.g. westus3 */
	char **services; /* chosen services (names or ids) */
	size_t n_services;
	char *subscription;
	char *resource_group; /* of the endpoint */
	char *vnet;           /* name or id */
	char *subnet;         /* name or id */
	char *location;       /* the VNet's (endpoint's) region */
	char *pe_name;
	char *dns_resource_group; /* NULL = resource_group */
	char *manual_pe_guid;     /* portal path: pasted resourceGuid */
	char *manual_pe_ip;       /* portal path: pasted private IP */
	/* console path of stage 1 (no ClickHouse key): the pasted service name and DNS name */
	char *manual_alias;
	char *manual_hostname;
	enum flow_id_form id_form;
	enum flow_path path[6]; /* per stage 1..5 (index 0 unused) */
};

struct flow_config {
	const char *profile;   /* default "default" */
	const char *state_dir; /* profile JSON and rate window; NULL = XDG default */
	const char *api_url;   /* ClickHouse Cloud, default https://api.clickhouse.cloud */
	const char *arm_url;
	const char *login_url;
	const char *cacert;
	const char *const *connect_to; /* for the access probes */
	const char *dns_server;
	FILE *log;
	const struct creds *creds; /* may have NULL fields: steps that need them become "unknown" */
	int demo;                  /* say DEMO; the simulator is behind the URLs */
};

/* One service of the chosen region, as the wizard lists it. */
struct flow_service {
	char *id;
	char *name;
	char *state;
	char *tier;      /* NULL when the API has no tier field */
	int development; /* Development tier: Private Link not supported */
	int chosen;
	int allowed; /* the endpoint id is on its allow list */
};

struct flow_finding {
	char *code;     /* stable id, e.g. "not-on-allowlist" */
	char *verdict;  /* one line */
	char *evidence; /* what was observed */
	char *fix;      /* the exact command or wizard screen */
};

/* The last observation: plain data for the status bar, the screens and `status --json`. */
struct flow_view {
	struct {
		enum flow_state state;
		char detail[256];
	} step[FLOW_NSTEPS];
	struct flow_service *services; /* azure services in the region */
	size_t n_services;
	char *service_id;     /* the first chosen service */
	char *service_region; /* its region */
	char *endpoint_service_id;
	char *private_dns_hostname;
	char *pe_id;
	char *pe_name;
	char *pe_guid;
	char *pe_ip;
	char *pe_location;
	char *pe_provisioning;
	enum flow_conn conn;
	char **pe_candidates; /* several endpoints target the alias: their names (pick one,
	                         set answers->pe_name, check again) */
	size_t n_pe_candidates;
	char *zone;
	char *record_ip;
	char *link;
	int org_registered;
	int allow_done, allow_total;
	int dns_ok, tls_ok, ping_ok;
	struct flow_finding *findings; /* after flow_doctor */
	size_t n_findings;
	int64_t polled_at;      /* wall clock seconds of the last observation, 0 = never */
	const char *waiting_on; /* while Pending: who must act (translated), else NULL */
	int in_flight;          /* requests outstanding */
};

struct flow;

typedef void (*flow_done_fn)(void *ud, int rc, const struct err *e);
/* Progress lines while something runs ("creating private endpoint: Updating (12 s)"). */
typedef void (*flow_event_fn)(void *ud, const char *line);

struct flow *flow_new(struct loop *l, const struct flow_config *cfg, struct err *e);
void flow_free(struct flow *f);
void flow_set_events(struct flow *f, flow_event_fn fn, void *ud);

/* Answers: the profile's, then updated by the caller; flow_save writes the profile atomically. */
struct flow_answers *flow_answers(struct flow *f);
int flow_save(struct flow *f, struct err *e);

const struct flow_view *flow_view(const struct flow *f);

/* Observe every step (fills the view); rc 0 even when steps are missing. */
int flow_check(struct flow *f, flow_done_fn fn, void *ud);
/* While the connection is Pending: re-read only the endpoint (one ARM GET). */
int flow_poll_connection(struct flow *f, flow_done_fn fn, void *ud);
/* Make one step so (after the caller's confirmation); then re-observes it. */
int flow_apply(struct flow *f, enum flow_step s, flow_done_fn fn, void *ud);
/* Remove what one step made (only what chlink created unless `force`). */
int flow_undo(struct flow *f, enum flow_step s, int force, flow_done_fn fn, void *ud);
/* The guide's troubleshooting: fills view->findings. */
int flow_doctor(struct flow *f, flow_done_fn fn, void *ud);
/*
 * The name the endpoint will get when flow_apply(FLOW_ENDPOINT) creates it:
 * the answer, or "chlink-<service name>". Newly allocated; for confirmations.
 */
char *flow_planned_pe_name(const struct flow *f);
/* The first step not done, or FLOW_NSTEPS when all are. */
enum flow_step flow_first_missing(const struct flow *f);

/* For pickers: the clients behind the engine (see chc.h, azure.h); NULL when no credentials. */
struct chc *flow_chc(struct flow *f);
struct azure *flow_azure(struct flow *f);
struct http *flow_http(struct flow *f);

/* Validation of pasted values (the portal path). */
int flow_valid_guid(const char *s);
int flow_valid_pe_resource_id(const char *s);
int flow_valid_ipv4(const char *s);
int flow_valid_alias(const char *s); /* ends with .azure.privatelinkservice */
/*
 * ARM may echo a manual connection's target as the Private Link Service's resource
 * id rather than the alias it was given (unverified either way): such a value can
 * neither confirm nor contradict an alias.
 */
int flow_pls_resource_id(const char *s);
/* ID.REGION.privatelink.azure.clickhouse.cloud, as privateDnsHostname */
int flow_valid_private_hostname(const char *s);

#endif
