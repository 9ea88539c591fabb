/*
 * flow_int: the engine's private state, shared by flow.c and the step files.
 * An observation is gathered in phases of concurrent requests (a batch ends
 * when its last callback returns), kept raw in `obs`, and turned into the
 * plain `view` by flow_evaluate, a pure function that tests can drive.
 */
#ifndef CHLINK_FLOW_INT_H
#define CHLINK_FLOW_INT_H

#include "azure.h"
#include "chc.h"
#include "flow.h"
#include "http.h"
#include "probe.h"
#include "state.h"

/*
 * The parts of an observation. A check reads them all; after an apply or undo
 * step only what the step changed and its answer did not carry is read again
 * (flow_refresh), so that a flow costs close to the requests it needs.
 */
enum flow_part {
	FLOW_P_SERVICES = 1u << 0, /* the region's services and their allow lists */
	FLOW_P_ORG = 1u << 1,
	FLOW_P_PE = 1u << 2, /* the endpoint (its NIC is read whenever it is not known) */
	FLOW_P_ZONE = 1u << 3,
	FLOW_P_RECORD = 1u << 4,
	FLOW_P_LINKS = 1u << 5,
	FLOW_P_ALL = (1u << 6) - 1
};

/* A service's privateEndpointConfig (alias, hostname) does not change: asked once per run. */
struct flow_cfg_cache {
	char *service_id;
	struct chc_pe_config *c;
};

struct flow_obs {
	int ran; /* a check completed */
	struct chc_service_list *services;
	struct err services_err;
	struct chc_org *org;
	struct err org_err;
	size_t *chosen; /* indices into services->v */
	size_t n_chosen;
	int chosen_ambiguous;             /* several candidates and none named */
	char *chosen_missing;             /* a named service not found */
	struct chc_pe_config *config;     /* of the first chosen service */
	struct chc_pe_config **configs;   /* per chosen service (configs[0] == config); owned by
	                                     flow.cfgs */
	struct config_slot *config_slots; /* the requests' callback data, owned here so that
	                                     a request cancelled by flow_free leaks nothing */
	struct err config_err;
	struct az_pe_list *pes; /* all endpoints of the subscription (when listed) */
	struct az_pe *pe;       /* the endpoint (owned) */
	int pe_several;         /* several endpoints target the alias */
	struct err pe_err;
	struct az_nic *nic;
	struct az_zone *zone;
	struct az_record *record;
	struct az_link_list *links;
	struct err dns_err;
	int probed;
	struct probe_result pr_dns, pr_tls, pr_ping;
};

struct flow {
	struct loop *loop;
	struct flow_config cfg;
	char *state_dir; /* cfg.state_dir or the XDG default (owned) */
	struct http *http;
	struct chc *chc;
	struct azure *az;
	struct creds az_creds; /* cfg.creds with the answered subscription (pointers only) */
	char *az_sub;          /* that subscription, owned: the answers may be replaced meanwhile */
	struct probe *probes;  /* access probes in flight (probe_abandon_all at free) */
	struct state st;
	struct flow_view view;
	struct flow_obs obs;
	flow_event_fn ev;
	void *ev_ud;
	/* The operation in progress: one at a time. */
	int busy;
	flow_done_fn done;
	void *done_ud;
	int outstanding;
	void (*next)(struct flow *f);
	struct err op_err;
	int op_failed;
	void (*obs_then)(struct flow *f); /* after an observation */
	int want_list;                    /* list the subscription's endpoints (doctor, teardown) */
	int doctor;                       /* fill findings after the check */
	unsigned want;                    /* the parts the observation in progress reads */
	unsigned stale;                   /* the parts the current step changed, not yet known */
	int full_refresh;                 /* answers moved since the last observation */
	int racing; /* several PATCHes of one resource in a batch: their answers may cross */
	struct flow_answers seen; /* the answers the last observation was made for */
	struct flow_cfg_cache *cfgs;
	size_t n_cfgs, cap_cfgs;
};

/* Batches: start with flow_batch_begin, count each request, end each callback with flow_batch_end.
 */
void flow_batch_begin(struct flow *f, void (*next)(struct flow *f));
void flow_batch_add(struct flow *f);
void flow_batch_end(struct flow *f);
/* Record the first error of an operation (the op still runs to the end of its batch). */
void flow_op_fail(struct flow *f, const struct err *e);
/* A client refused to queue a request: record it and end its slot in the batch. */
void flow_send_failed(struct flow *f);
/* Finish the current operation: callback, busy cleared. */
void flow_finish(struct flow *f);
void flow_event(struct flow *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Observation phases (flow_check.c) and the pure evaluation (flow_eval.c). */
void flow_obs_clear(struct flow_obs *o);
void flow_observe(struct flow *f, void (*then)(struct flow *f));
/* Read again only `parts` (FLOW_P_*), keep the rest of the observation, probe, then `then`. */
void flow_observe_parts(struct flow *f, unsigned parts, void (*then)(struct flow *f));
/* A step's answer replaces that part of the observation (ownership passes; NULL = gone). */
void flow_obs_set_pe(struct flow *f, struct az_pe *pe);
void flow_obs_set_service(struct flow *f, struct chc_service *s);
void flow_obs_put_link(struct flow *f, struct az_link *k);
void flow_obs_drop_link(struct flow *f, const char *name);
void flow_cfg_cache_free(struct flow *f);
void flow_evaluate(struct flow *f);
/* GET the observed endpoint again (its connection state), then `next`. */
void flow_poll_pe(struct flow *f, void (*next)(struct flow *f));
void flow_view_clear(struct flow_view *v);
/* Keep the last observation's summary in the profile (saved only when it changed). */
void flow_remember(struct flow *f);

/* Facts derived from answers and observations. */
const char *flow_region(const struct flow *f);
const char *flow_subscription(const struct flow *f);
const char *flow_pe_rg(const struct flow *f);
const char *flow_dns_rg(const struct flow *f);
const char *flow_alias(const struct flow *f);
const char *flow_hostname(const struct flow *f);
char *flow_zone_name(const struct flow *f); /* newly allocated, or NULL */
char *flow_vnet_id(const struct flow *f);   /* newly allocated, or NULL */
char *flow_subnet_id(const struct flow *f); /* newly allocated, or NULL */
char *flow_default_pe_name(const struct flow *f);
const char *flow_pe_ip(const struct flow *f);
/* The id to register (per id form) and the other form; NULL when unknown. */
const char *flow_reg_id(const struct flow *f);
const char *flow_alt_id(const struct flow *f);
/* Does `list` (n strings) hold the endpoint in either form? */
int flow_ids_hold(const struct flow *f, char *const *list, size_t n);
int flow_org_holds(const struct flow *f);
int flow_azure_reachable(const struct flow *f);
int flow_strcaseeq(const char *a, const char *b);
const struct chc_service *flow_chosen(const struct flow *f, size_t i);

/* Steps: apply and undo per step (flow_steps_ch.c, flow_steps_az.c). */
void flow_apply_org(struct flow *f);
void flow_apply_allowlist(struct flow *f);
void flow_undo_org(struct flow *f);
void flow_undo_allowlist(struct flow *f);
void flow_apply_endpoint(struct flow *f);
void flow_apply_zone(struct flow *f);
void flow_apply_record(struct flow *f);
void flow_apply_link(struct flow *f);
void flow_undo_endpoint(struct flow *f, int force);
void flow_undo_zone(struct flow *f, int force);
void flow_undo_record(struct flow *f, int force);
void flow_undo_link(struct flow *f, int force);
/* After an apply/undo batch: save the profile, then re-observe, then finish. */
void flow_reobserve(struct flow *f);
/* An observation ended: evaluate, remember, (doctor,) finish the operation. */
void flow_observed(struct flow *f);
/* After an apply/undo batch: save, read again what the step left stale, probe, finish. */
void flow_refresh(struct flow *f);
/* A step's answer made `part` known again (clears it from f->stale). */
void flow_fresh(struct flow *f, unsigned part);
int flow_save_quiet(struct flow *f);

/* Doctor (flow_doctor.c). */
void flow_doctor_findings(struct flow *f);
void flow_findings_clear(struct flow_view *v);

#endif
