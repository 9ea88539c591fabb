/* flow: the step table, the engine's life cycle and the dispatch of check/apply/undo/doctor. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flow_int.h"
#include "fsutil.h"
#include "i18n.h"
#include "xmalloc.h"

/* What apply and undo do per step; NULL = nothing to do (the step only observes). */
struct flow_step_ops {
	struct flow_step_info info;
	void (*apply)(struct flow *f);
	void (*undo)(struct flow *f, int force);
	unsigned parts; /* what apply and undo change (FLOW_P_*), read again unless answered */
};

static void undo_org(struct flow *f, int force)
{
	(void)force;
	flow_undo_org(f);
}
static void undo_allowlist(struct flow *f, int force)
{
	(void)force;
	flow_undo_allowlist(f);
}

static const struct flow_step_ops steps[FLOW_NSTEPS] = {
    {{FLOW_ALIAS, "alias", 1, N_("Service alias"),
      N_("Stage 1: the service's endpointServiceId (the alias the Azure endpoint connects to) "
         "and its privateDnsHostname, from the ClickHouse Cloud API.")},
     NULL,
     NULL,
     0},
    {{FLOW_ENDPOINT, "endpoint", 2, N_("Private endpoint"),
      N_("Stage 2: an Azure private endpoint in your VNet with a manual connection to the "
         "alias. Its connection stays Pending until stage 4.")},
     flow_apply_endpoint,
     flow_undo_endpoint,
     FLOW_P_PE},
    {{FLOW_DNS_ZONE, "dns-zone", 2, N_("Private DNS zone"),
      N_("The private DNS zone <region>.privatelink.azure.clickhouse.cloud.")},
     flow_apply_zone,
     flow_undo_zone,
     FLOW_P_ZONE},
    {{FLOW_DNS_RECORD, "dns-record", 2, N_("Wildcard DNS record"),
      N_("A wildcard A record \"*\" pointing at the endpoint's private IP, TTL 300.")},
     flow_apply_record,
     flow_undo_record,
     FLOW_P_RECORD},
    {{FLOW_DNS_LINK, "dns-link", 2, N_("DNS zone link to the VNet"),
      N_("A virtual network link so that the VNet resolves names in the zone.")},
     flow_apply_link,
     flow_undo_link,
     FLOW_P_LINKS},
    {{FLOW_ORG, "org", 3, N_("Organization registration"),
      N_("Stage 3: the endpoint id registered in the ClickHouse Cloud organization.")},
     flow_apply_org,
     undo_org,
     FLOW_P_ORG},
    {{FLOW_ALLOWLIST, "allowlist", 4, N_("Service allow list"),
      N_("Stage 4: the endpoint id on each chosen service's allow list; only then is the "
         "connection approved.")},
     flow_apply_allowlist,
     undo_allowlist,
     FLOW_P_SERVICES | FLOW_P_PE}, /* the connection state lives on the endpoint */
    {{FLOW_ACCESS, "access", 5, N_("Private access"),
      N_("Stage 5: the private hostname resolves to the endpoint IP, TLS on 9440 and /ping on "
         "8443 answer, and the connection is Approved.")},
     NULL,
     NULL,
     0},
};

const struct flow_step_info *flow_step_info(enum flow_step s)
{
	return (unsigned)s < FLOW_NSTEPS ? &steps[s].info : NULL;
}

const char *flow_state_name(enum flow_state s)
{
	static const char *const names[] = {"unknown", "missing", "pending", "done", "failed"};
	return (unsigned)s < 5 ? names[s] : "unknown";
}

const char *flow_conn_name(enum flow_conn c)
{
	static const char *const names[] = {"",         "Pending",      "Approved",
	                                    "Rejected", "Disconnected", "Other"};
	return (unsigned)c < 6 ? names[c] : "";
}

/* ---- life cycle ---- */

static int make_clients(struct flow *f, struct err *e)
{
	const struct creds *c = f->cfg.creds;
	struct http_opts ho = {0};

	ho.cacert = f->cfg.cacert;
	ho.max_retries = -1;
	ho.log = f->cfg.log;
	ho.connect_to = f->cfg.connect_to;
	/* The ClickHouse rate window lives beside the profiles, so back-to-back runs share it. */
	ho.state_dir = f->state_dir;
	if (fs_mkdir_p(f->state_dir, 0700, e) < 0)
		return -1;
	f->http = http_new(f->loop, &ho, e);
	if (!f->http)
		return -1;
	if (c && c->key_id && c->key_secret && c->org_id) {
		f->chc =
		    chc_new(f->http,
		            f->cfg.api_url ? f->cfg.api_url : "https://api.clickhouse.cloud", c, e);
		if (!f->chc)
			return -1;
	}
	if (c && (c->az_use_cli || (c->tenant_id && c->client_id && c->client_secret))) {
		struct azure_opts ao = {f->cfg.arm_url, f->cfg.login_url, &f->az_creds, NULL};
		/* The same secrets (pointers, never copies); --subscription may replace the id. */
		f->az_creds = *c;
		f->az = azure_new(f->http, &ao, e);
		if (!f->az)
			return -1;
	}
	return 0;
}

struct flow *flow_new(struct loop *l, const struct flow_config *cfg, struct err *e)
{
	struct flow *f = xcalloc(1, sizeof *f);
	int rc;

	f->loop = l;
	f->cfg = *cfg;
	f->state_dir = cfg->state_dir ? xstrdup(cfg->state_dir) : fs_state_dir();
	if (!f->cfg.profile)
		f->cfg.profile = "default";
	rc = state_load(f->state_dir, f->cfg.profile, &f->st, e);
	if (rc < 0) {
		free(f->state_dir);
		free(f);
		return NULL;
	}
	/* rc == 1: a damaged profile was moved aside; `e` carries the message for the caller. */
	if (make_clients(f, rc == 1 ? &f->op_err : e) < 0) {
		if (rc == 1)
			*e = f->op_err;
		flow_free(f);
		return NULL;
	}
	if (rc == 0)
		err_clear(e);
	return f;
}

void flow_free(struct flow *f)
{
	if (!f)
		return;
	/* The clients cancel what is in flight; none of their callbacks runs after this. */
	probe_abandon_all(&f->probes);
	if (f->chc)
		chc_free(f->chc);
	if (f->az)
		azure_free(f->az);
	if (f->http)
		http_free(f->http);
	flow_obs_clear(&f->obs);
	flow_cfg_cache_free(f);
	state_answers_clear(&f->seen);
	flow_view_clear(&f->view);
	state_free(&f->st);
	free(f->az_sub);
	free(f->state_dir);
	free(f);
}

void flow_set_events(struct flow *f, flow_event_fn fn, void *ud)
{
	f->ev = fn;
	f->ev_ud = ud;
}

struct flow_answers *flow_answers(struct flow *f)
{
	return &f->st.answers;
}
const struct flow_view *flow_view(const struct flow *f)
{
	return &f->view;
}
struct chc *flow_chc(struct flow *f)
{
	return f->chc;
}
struct azure *flow_azure(struct flow *f)
{
	return f->az;
}
struct http *flow_http(struct flow *f)
{
	return f->http;
}

int flow_save(struct flow *f, struct err *e)
{
	return state_save(f->state_dir, f->cfg.profile, &f->st, e);
}

int flow_save_quiet(struct flow *f)
{
	struct err e;

	if (flow_save(f, &e) < 0) {
		flow_op_fail(f, &e);
		return -1;
	}
	return 0;
}

void flow_event(struct flow *f, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!f->ev)
		return;
	va_start(ap, fmt);
	if (vsnprintf(line, sizeof line, fmt, ap) < 0)
		line[0] = '\0';
	va_end(ap);
	f->ev(f->ev_ud, line);
}

/* ---- batches and operations ---- */

void flow_batch_begin(struct flow *f, void (*next)(struct flow *f))
{
	f->next = next;
	f->outstanding = 1; /* held by the issuer until it has sent everything */
}

void flow_batch_add(struct flow *f)
{
	f->outstanding++;
}

void flow_batch_end(struct flow *f)
{
	if (--f->outstanding > 0)
		return;
	f->view.in_flight = 0;
	f->next(f);
}

void flow_send_failed(struct flow *f)
{
	struct err e;

	err_clear(&e);
	err_set(&e, ERR_INTERNAL, "%s", _("a request could not be sent"));
	err_hint(&e, "%s", _("--log FILE records every request chlink makes"));
	flow_op_fail(f, &e);
	flow_batch_end(f);
}

void flow_op_fail(struct flow *f, const struct err *e)
{
	if (f->op_failed)
		return;
	f->op_failed = 1;
	f->op_err = *e;
}

void flow_finish(struct flow *f)
{
	flow_done_fn fn = f->done;
	void *ud = f->done_ud;
	struct err e = f->op_err;
	int failed = f->op_failed;

	f->busy = 0;
	f->done = NULL;
	if (fn)
		fn(ud, failed ? -1 : 0, failed ? &e : NULL);
}

static int begin_op(struct flow *f, flow_done_fn fn, void *ud)
{
	if (f->busy)
		return -1;
	/*
	 * Answers change between operations: the Azure client reads the subscription from
	 * here, from a copy of its own, since the wizard may replace the answer's string while
	 * a request is still out.
	 */
	if (f->cfg.creds) {
		const char *sub = f->st.answers.subscription ? f->st.answers.subscription
		                                             : f->cfg.creds->subscription_id;
		if (sub == NULL || f->az_sub == NULL || strcmp(sub, f->az_sub) != 0) {
			free(f->az_sub);
			f->az_sub = sub ? xstrdup(sub) : NULL;
		}
		f->az_creds.subscription_id = f->az_sub;
	}
	f->busy = 1;
	f->done = fn;
	f->done_ud = ud;
	f->op_failed = 0;
	err_clear(&f->op_err);
	return 0;
}

void flow_observed(struct flow *f)
{
	flow_evaluate(f);
	flow_remember(f);
	if (f->doctor)
		flow_doctor_findings(f);
	f->doctor = 0;
	f->want_list = 0;
	flow_finish(f);
}

int flow_check(struct flow *f, flow_done_fn fn, void *ud)
{
	if (begin_op(f, fn, ud) < 0)
		return -1;
	flow_observe(f, flow_observed);
	return 0;
}

/* The connection moved: probe the access (no API request) before saying so. */
static void polled(struct flow *f)
{
	if (f->obs.pe && f->obs.pe->conn != AZ_CONN_PENDING)
		flow_observe_parts(f, 0, flow_observed);
	else
		flow_observed(f);
}

/*
 * While the connection waits for approval only the endpoint changes: one ARM
 * GET instead of a full observation keeps the ClickHouse key's 10 requests
 * per 10 s free. Anything else (nothing observed yet, no endpoint, no Azure
 * credentials) falls back to a full check.
 */
int flow_poll_connection(struct flow *f, flow_done_fn fn, void *ud)
{
	if (!f->obs.ran || !f->obs.pe || !f->az || !f->obs.pe->resource_group || !f->obs.pe->name)
		return flow_check(f, fn, ud);
	if (begin_op(f, fn, ud) < 0)
		return -1;
	flow_poll_pe(f, polled);
	return 0;
}

int flow_doctor(struct flow *f, flow_done_fn fn, void *ud)
{
	if (begin_op(f, fn, ud) < 0)
		return -1;
	f->doctor = 1;
	f->want_list = 1;
	flow_observe(f, flow_observed);
	return 0;
}

void flow_reobserve(struct flow *f)
{
	flow_save_quiet(f);
	flow_observe(f, flow_observed);
}

/*
 * What the step changes is stale until its answer says otherwise; answers
 * edited since the last observation (the wizard's) make the whole
 * observation stale (flow_refresh).
 */
static void step_begin(struct flow *f, enum flow_step s)
{
	f->stale = steps[s].parts;
	f->racing = 0;
	f->full_refresh = !state_answers_equal(&f->seen, &f->st.answers);
}

int flow_apply(struct flow *f, enum flow_step s, flow_done_fn fn, void *ud)
{
	if ((unsigned)s >= FLOW_NSTEPS || begin_op(f, fn, ud) < 0)
		return -1;
	if (!f->obs.ran || !steps[s].apply) {
		/* Nothing to make (alias, access) or nothing observed yet: record answers, observe.
		 */
		flow_reobserve(f);
		return 0;
	}
	step_begin(f, s);
	steps[s].apply(f);
	return 0;
}

int flow_undo(struct flow *f, enum flow_step s, int force, flow_done_fn fn, void *ud)
{
	if ((unsigned)s >= FLOW_NSTEPS || begin_op(f, fn, ud) < 0)
		return -1;
	if (!f->obs.ran || !steps[s].undo) {
		flow_reobserve(f);
		return 0;
	}
	f->want_list = 1;
	step_begin(f, s);
	steps[s].undo(f, force);
	return 0;
}

enum flow_step flow_first_missing(const struct flow *f)
{
	for (int s = 0; s < FLOW_NSTEPS; s++)
		if (f->view.step[s].state != FLOW_DONE)
			return (enum flow_step)s;
	return FLOW_NSTEPS;
}
