/*
 * azure: the Azure Resource Manager client for the guide's stage 2 and its
 * DNS: a Microsoft Entra token (client credentials, cached until 60 s before
 * expiry and refreshed once on 401, or taken from `az account
 * get-access-token` output), the private endpoint (manual connection to the
 * ClickHouse alias) with its long-running operation, the NIC's private IP,
 * the private DNS zone, wildcard A record and VNet link, and the lists the
 * pickers need. ARM errors (wrapped or not) become "code: message".
 * api-versions are pinned in azure.c only.
 * Every call is asynchronous; ownership of the result passes to the callback.
 * A GET of something that does not exist (404) is not an error: the callback
 * gets a NULL result and e == NULL.
 * Free the client from the loop (e.g. after its last callback returned),
 * not from inside one of its callbacks; pending calls are then dropped
 * without their callbacks.
 */
#ifndef CHLINK_AZURE_H
#define CHLINK_AZURE_H

#include <stddef.h>
#include "creds.h"
#include "err.h"
#include "http.h"

struct azure;

struct azure_opts {
	const char *arm_url;        /* default "https://management.azure.com" */
	const char *login_url;      /* default "https://login.microsoftonline.com" */
	const struct creds *creds;  /* must outlive the client */
	const char *cli_token_json; /* `az account get-access-token` output, or NULL */
};

enum az_conn_status {
	AZ_CONN_NONE,
	AZ_CONN_PENDING,
	AZ_CONN_APPROVED,
	AZ_CONN_REJECTED,
	AZ_CONN_DISCONNECTED,
	AZ_CONN_OTHER
};

struct az_pe {
	char *id; /* ARM resource id */
	char *name;
	char *resource_group; /* parsed from id */
	char *location;
	char *provisioning_state; /* Succeeded, Updating, Failed, ... */
	char *resource_guid;      /* properties.resourceGuid (raw JSON; not in the swagger) */
	char *subnet_id;
	char *nic_id; /* networkInterfaces[0].id, may be NULL */
	char *alias;  /* the connection's privateLinkServiceId */
	int manual;   /* from manualPrivateLinkServiceConnections */
	enum az_conn_status conn;
	char *conn_status; /* the raw status word */
	char *conn_description;
};

struct az_pe_list {
	struct az_pe *v;
	size_t n;
};

struct az_nic {
	char *id;
	char *private_ip; /* "/nn" prefix stripped */
};

struct az_zone {
	char *id;
	char *name;
	char *provisioning_state;
	long n_records;
	long n_links;
};

struct az_record {
	char *id;
	char *name; /* lower-cased by ARM */
	char *fqdn;
	long ttl;
	char **ips;
	size_t n_ips;
};

struct az_link {
	char *id;
	char *name;
	char *vnet_id;
	char *link_state; /* virtualNetworkLinkState: InProgress, Completed */
	char *provisioning_state;
	int registration_enabled;
};

struct az_link_list {
	struct az_link *v;
	size_t n;
};

struct az_rg {
	char *id;
	char *name;
	char *location;
};
struct az_rg_list {
	struct az_rg *v;
	size_t n;
};

struct az_subnet {
	char *id;
	char *name;
	char *prefix;
};
struct az_vnet {
	char *id;
	char *name;
	char *resource_group;
	char *location;
	struct az_subnet *subnets;
	size_t n_subnets;
};
struct az_vnet_list {
	struct az_vnet *v;
	size_t n;
};

/* Long-running operations report progress ("Updating", elapsed seconds) through this. */
typedef void (*az_progress_fn)(void *ud, const char *status, unsigned elapsed_s);

typedef void (*az_pe_fn)(void *ud, struct az_pe *pe, const struct err *e);
typedef void (*az_pe_list_fn)(void *ud, struct az_pe_list *l, const struct err *e);
typedef void (*az_nic_fn)(void *ud, struct az_nic *nic, const struct err *e);
typedef void (*az_zone_fn)(void *ud, struct az_zone *z, const struct err *e);
typedef void (*az_record_fn)(void *ud, struct az_record *r, const struct err *e);
typedef void (*az_link_fn)(void *ud, struct az_link *k, const struct err *e);
typedef void (*az_link_list_fn)(void *ud, struct az_link_list *l, const struct err *e);
typedef void (*az_rg_list_fn)(void *ud, struct az_rg_list *l, const struct err *e);
typedef void (*az_vnet_list_fn)(void *ud, struct az_vnet_list *l, const struct err *e);
/* For deletes: e == NULL on success (also when it was already gone). */
typedef void (*az_done_fn)(void *ud, const struct err *e);

struct azure *azure_new(struct http *h, const struct azure_opts *o, struct err *e);
void azure_free(struct azure *a);
void azure_set_progress(struct azure *a, az_progress_fn fn, void *ud);
const char *azure_subscription(const struct azure *a);

/* Private endpoints */
int azure_pe_get(struct azure *a, const char *rg, const char *name, az_pe_fn fn, void *ud);
/* rg == NULL: the whole subscription (follows nextLink). */
int azure_pe_list(struct azure *a, const char *rg, az_pe_list_fn fn, void *ud);
/* PUT with a manual connection to `alias`, then follow the LRO; the callback gets the final GET. */
int azure_pe_create(struct azure *a, const char *rg, const char *name, const char *location,
                    const char *subnet_id, const char *alias, const char *request_message,
                    az_pe_fn fn, void *ud);
int azure_pe_delete(struct azure *a, const char *rg, const char *name, az_done_fn fn, void *ud);
int azure_nic_get(struct azure *a, const char *nic_id, az_nic_fn fn, void *ud);

/* Private DNS: zone, A record set (name "*" for the wildcard), VNet link */
int azure_zone_get(struct azure *a, const char *rg, const char *zone, az_zone_fn fn, void *ud);
int azure_zone_put(struct azure *a, const char *rg, const char *zone, az_zone_fn fn, void *ud);
int azure_zone_delete(struct azure *a, const char *rg, const char *zone, az_done_fn fn, void *ud);
int azure_record_get(struct azure *a, const char *rg, const char *zone, const char *name,
                     az_record_fn fn, void *ud);
int azure_record_put(struct azure *a, const char *rg, const char *zone, const char *name,
                     const char *ip, long ttl, az_record_fn fn, void *ud);
int azure_record_delete(struct azure *a, const char *rg, const char *zone, const char *name,
                        az_done_fn fn, void *ud);
int azure_link_get(struct azure *a, const char *rg, const char *zone, const char *link,
                   az_link_fn fn, void *ud);
int azure_link_list(struct azure *a, const char *rg, const char *zone, az_link_list_fn fn,
                    void *ud);
int azure_link_put(struct azure *a, const char *rg, const char *zone, const char *link,
                   const char *vnet_id, az_link_fn fn, void *ud);
int azure_link_delete(struct azure *a, const char *rg, const char *zone, const char *link,
                      az_done_fn fn, void *ud);

/* Pickers */
int azure_rg_list(struct azure *a, az_rg_list_fn fn, void *ud);
/* rg == NULL: the whole subscription. */
int azure_vnet_list(struct azure *a, const char *rg, az_vnet_list_fn fn, void *ud);

void az_pe_free(struct az_pe *p);
void az_pe_list_free(struct az_pe_list *l);
void az_nic_free(struct az_nic *n);
void az_zone_free(struct az_zone *z);
void az_record_free(struct az_record *r);
void az_link_free(struct az_link *k);
void az_link_list_free(struct az_link_list *l);
void az_rg_list_free(struct az_rg_list *l);
void az_vnet_list_free(struct az_vnet_list *l);

/* Parsers, exposed for tests and fuzzing (accept the official example bodies). */
int az_parse_pe(const char *body, size_t len, struct az_pe *out, struct err *e);
int az_parse_nic(const char *body, size_t len, struct az_nic *out, struct err *e);
int az_parse_error(const char *body, size_t len, char *out, size_t outsz); /* "code: message" */
enum az_conn_status az_conn_from_string(const char *s);
/* Resource ids: "/subscriptions/.../resourceGroups/RG/providers/..." -> RG (newly allocated) or
 * NULL. */
char *az_id_resource_group(const char *id);

#endif
