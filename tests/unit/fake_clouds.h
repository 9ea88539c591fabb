/*
 * fake_clouds: an in-memory test double of the ClickHouse Cloud and Azure
 * clients and the probes (chc.h, azure.h, probe.h, http.h), answering
 * asynchronously through loop timers, so the engine's logic can be tested
 * without a network. Not a product stub: it lives in tests/ only.
 */
#ifndef FAKE_CLOUDS_H
#define FAKE_CLOUDS_H

#include <stddef.h>

#define FAKE_MAX 8

struct fake_service {
	const char *id, *name, *region, *tier;
	const char *alias, *hostname;
	char *pe_ids[FAKE_MAX];
	size_t n_pe_ids;
};

struct fake_pe {
	char *id, *name, *rg, *location, *guid, *subnet, *alias, *ip;
	const char *prov; /* "Updating", "Succeeded", "Failed" */
	const char *conn; /* NULL = computed: Approved when listed on a service, else Pending */
	int exists;
};

struct fake_world {
	const char *subscription;
	struct fake_service services[FAKE_MAX];
	size_t n_services;
	struct {
		char *id, *region;
	} org[FAKE_MAX];
	size_t n_org;
	struct fake_pe pes[FAKE_MAX];
	size_t n_pes;
	struct {
		char *rg, *name;
		int exists;
		const char *prov; /* NULL = Succeeded */
	} zone;
	struct {
		char *ip;
		int exists;
	} record;
	struct {
		char *name, *vnet, *state;
		int exists;
	} link;
	/* faults */
	int forbid_patch;       /* PATCHes answer 403 */
	int lro_ticks;          /* polls of an endpoint create before Succeeded (0 = 1) */
	int probe_override;     /* 0 = computed; else a probe_verdict + 1 for TLS and ping */
	int dns_outside;        /* DNS probe: outside the VNet */
	const char *force_conn; /* every endpoint's connection status, or NULL = computed */
	int bare_patch_answers; /* PATCH answers lack privateEndpoints / privateEndpointIds */
	/* counters */
	int n_pe_creates, n_org_adds, n_service_adds, n_zone_puts, n_record_puts, n_link_puts;
	int n_chc_calls, n_az_calls;
	char order[64][48]; /* mutations in order ("org-remove", "pe-delete", ...) */
	size_t n_order;
};

/* The world the fakes answer from (the test's, for the duration of a test). */
void fake_use(struct fake_world *w);
/* A typical world: one Production service in westus3, a Development one in eastus2, no endpoint. */
void fake_world_init(struct fake_world *w);
void fake_world_free(struct fake_world *w);
/* Add an endpoint made "by hand", already provisioned. */
struct fake_pe *fake_add_pe(struct fake_world *w, const char *rg, const char *name,
                            const char *alias, const char *guid, const char *ip);
int fake_n_existing_pes(const struct fake_world *w);

#endif
