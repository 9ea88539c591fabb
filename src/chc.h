/*
 * chc: the ClickHouse Cloud API v1 client (the calls of the Azure Private
 * Link guide). Answers are parsed strictly into plain structs: a missing or
 * mistyped required field is an error naming it; unknown fields are ignored;
 * absent optional fields are NULL. HTTP errors become actionable messages
 * (401 key id/secret wrong, 403 key lacks the Admin role, 400 "no created
 * instances" = no service in that region, 429 waited N s and retried).
 * A PATCH answered 2xx whose body is not a whole object (204, partial
 * result) still succeeded: the callback gets NULL and no error.
 * Every call is asynchronous; ownership of the result passes to the callback
 * (free with the matching *_free). On error the result is NULL and `e` says why.
 * The callback always runs from the loop, never inside the call. A call
 * returns -1 (and never runs the callback) only for a missing argument.
 * Without creds->org_id the first call fetches GET /v1/organizations and
 * uses the key's single organization.
 * Free the client from the loop (e.g. after its last callback returned),
 * not from inside one of its callbacks; pending calls are then dropped
 * without their callbacks.
 */
#ifndef CHLINK_CHC_H
#define CHLINK_CHC_H

#include <stddef.h>
#include "creds.h"
#include "err.h"
#include "http.h"

struct chc;

struct chc_service {
	char *id;
	char *name;
	char *provider; /* "azure", "aws", "gcp" */
	char *region;
	char *state;   /* "running", "idle", ... may be NULL */
	char *tier;    /* "production", "development", ...; NULL when absent (migrated orgs) */
	char **pe_ids; /* privateEndpointIds */
	size_t n_pe_ids;
	int has_pe_ids;    /* the answer carried privateEndpointIds (a PATCH answer may not) */
	char *public_host; /* endpoints[] https host, may be NULL */
};

struct chc_service_list {
	struct chc_service *v;
	size_t n;
};

struct chc_pe_config {
	char *endpoint_service_id;
	char *private_dns_hostname;
};

struct chc_org_pe {
	char *id;
	char *description;    /* may be NULL */
	char *cloud_provider; /* may be NULL */
	char *region;         /* may be NULL */
};

struct chc_org {
	char *id;
	char *name;
	struct chc_org_pe *pes;
	size_t n_pes;
	int has_pes; /* the answer carried privateEndpoints (a PATCH answer may not) */
};

typedef void (*chc_services_fn)(void *ud, struct chc_service_list *l, const struct err *e);
typedef void (*chc_service_fn)(void *ud, struct chc_service *s, const struct err *e);
typedef void (*chc_config_fn)(void *ud, struct chc_pe_config *c, const struct err *e);
typedef void (*chc_org_fn)(void *ud, struct chc_org *o, const struct err *e);

/* api_url: e.g. "https://api.clickhouse.cloud" (no /v1). `c` must outlive the client. */
struct chc *chc_new(struct http *h, const char *api_url, const struct creds *c, struct err *e);
void chc_free(struct chc *c);

/* All services of the organization; region != NULL keeps provider azure in that region only. */
int chc_list_services(struct chc *c, const char *region, chc_services_fn fn, void *ud);
int chc_get_service(struct chc *c, const char *service_id, chc_service_fn fn, void *ud);
int chc_get_pe_config(struct chc *c, const char *service_id, chc_config_fn fn, void *ud);
int chc_get_org(struct chc *c, chc_org_fn fn, void *ud);
/* PATCH organization privateEndpoints add / remove (cloudProvider "azure"). */
int chc_org_pe_add(struct chc *c, const char *pe_id, const char *description, const char *region,
                   chc_org_fn fn, void *ud);
int chc_org_pe_remove(struct chc *c, const char *pe_id, const char *region, chc_org_fn fn,
                      void *ud);
/* PATCH service privateEndpointIds add / remove. */
int chc_service_pe_add(struct chc *c, const char *service_id, const char *pe_id, chc_service_fn fn,
                       void *ud);
int chc_service_pe_remove(struct chc *c, const char *service_id, const char *pe_id,
                          chc_service_fn fn, void *ud);

/*
 * The key's own role from GET /v1/organizations/{org}/keys: "admin",
 * "developer", ... A 403 means the key may not list keys, i.e. it is not an
 * Admin key: the callback then gets "developer" and no error. An API
 * without the key list (404/405/501) is asked GET organization instead: if
 * the key works the callback gets "unknown" and no error.
 */
typedef void (*chc_role_fn)(void *ud, const char *role, const struct err *e);
int chc_get_key_role(struct chc *c, chc_role_fn fn, void *ud);

void chc_service_free(struct chc_service *s);
void chc_service_list_free(struct chc_service_list *l);
void chc_pe_config_free(struct chc_pe_config *c);
void chc_org_free(struct chc_org *o);

/* Parsers, exposed for tests and fuzzing: body -> struct, 0 or -1 with `e` naming the field. */
int chc_parse_services(const char *body, size_t len, struct chc_service_list *out, struct err *e);
int chc_parse_service(const char *body, size_t len, struct chc_service *out, struct err *e);
int chc_parse_pe_config(const char *body, size_t len, struct chc_pe_config *out, struct err *e);
int chc_parse_org(const char *body, size_t len, struct chc_org *out, struct err *e);

#endif
