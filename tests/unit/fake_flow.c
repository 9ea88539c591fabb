/*
 * fake_flow: an in-memory test double of the flow engine (flow.h) for the
 * wizard's headless tests. A small "world" (ClickHouse Cloud + Azure) changes
 * on loop timers the way the real clouds do: the endpoint is created through
 * a long-running operation with progress events, and the connection goes
 * from Pending to Approved about one second after the allow list is patched.
 * The view changes only when observed (check/apply), as with the real engine.
 * It also doubles the Azure client's picker lists (resource groups, VNets), so
 * the endpoint form's choices are tested; FAKE_FLOW_NO_AZURE=1 leaves them out.
 * Environment: FAKE_FLOW_WORLD=half starts from a half-finished world
 * (endpoint created and Pending, DNS and organization done, allow list not).
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "azure.h"
#include "flow.h"
#include "i18n.h"
#include "xmalloc.h"

enum { NSVC = 3 };
/* A fixed observation time (2026-01-01 12:00:00 UTC) keeps screen dumps stable. */
#define FAKE_POLLED_AT 1767268800

static const struct {
	const char *id, *name, *state, *tier;
} svc_seed[NSVC] = {
    {"4f6c1d2e-0001-4a5b-9c8d-7e6f5a4b3c2d", "analytics-prod", "running", "production"},
    {"4f6c1d2e-0002-4a5b-9c8d-7e6f5a4b3c2d", "reporting", "idle", "production"},
    {"4f6c1d2e-0003-4a5b-9c8d-7e6f5a4b3c2d", "sandbox-dev", "running", "development"},
};

#define FAKE_ALIAS                                                                                 \
	"production-westus3-0-0.63c890a9-4d3a-4b5e-a9f6-1c2d3e4f5a6b.westus3.azure."               \
	"privatelinkservice"
#define FAKE_HOST "h7k2m9q4x1.westus3.privatelink.azure.clickhouse.cloud"
#define FAKE_GUID "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
#define FAKE_IP   "10.0.0.4"

struct world {
	int alias_read, endpoint, zone, record, link, org, probed;
	int allowed[NSVC];
	enum flow_conn conn;
};

struct op {
	struct op *next; /* outstanding operations, freed with the flow */
	unsigned timer;
	struct flow *f;
	enum flow_step step;
	int undo, tick;
	flow_done_fn fn;
	void *ud;
};

/* A picker request answered on a timer, like a real list call. */
struct list_req {
	struct list_req *next;
	unsigned timer;
	struct azure *a;
	az_rg_list_fn rg_fn;
	az_vnet_list_fn vnet_fn;
	void *ud;
};

struct azure {
	struct flow *f;
	struct list_req *reqs;
};

struct flow {
	struct azure az;
	struct loop *loop;
	const struct flow_config *cfg;
	struct flow_answers a;
	struct flow_view v;
	struct world w;
	flow_event_fn ev;
	void *ev_ud;
	int saves;
	struct op *ops;
};

static const struct flow_step_info infos[FLOW_NSTEPS] = {
    {FLOW_ALIAS, "alias", 1, N_("Service alias"), N_("The service's endpointServiceId.")},
    {FLOW_ENDPOINT, "endpoint", 2, N_("Private endpoint"), N_("The endpoint in your VNet.")},
    {FLOW_DNS_ZONE, "dns-zone", 2, N_("Private DNS zone"), N_("The private DNS zone.")},
    {FLOW_DNS_RECORD, "dns-record", 2, N_("Wildcard DNS record"), N_("Wildcard A record.")},
    {FLOW_DNS_LINK, "dns-link", 2, N_("DNS zone link to the VNet"), N_("Zone to VNet link.")},
    {FLOW_ORG, "org", 3, N_("Organization registration"), N_("Endpoint in the organization.")},
    {FLOW_ALLOWLIST, "allowlist", 4, N_("Service allow list"), N_("Endpoint on the allow lists.")},
    {FLOW_ACCESS, "access", 5, N_("Private access"), N_("DNS, TLS and /ping over Private Link.")},
};

const struct flow_step_info *flow_step_info(enum flow_step s)
{
	return s < FLOW_NSTEPS ? &infos[s] : &infos[0];
}

const char *flow_state_name(enum flow_state s)
{
	static const char *const n[] = {"unknown", "missing", "pending", "done", "failed"};
	return s <= FLOW_FAILED ? n[s] : "unknown";
}

const char *flow_conn_name(enum flow_conn c)
{
	static const char *const n[] = {"None",     "Pending",      "Approved",
	                                "Rejected", "Disconnected", "Other"};
	return c <= FLOW_CONN_OTHER ? n[c] : "Other";
}

static const char *ui_or(const char *s, const char *dflt)
{
	return s != NULL ? s : dflt;
}

static int chosen(const struct flow *f, int i)
{
	for (size_t k = 0; k < f->a.n_services; k++)
		if (strcmp(f->a.services[k], svc_seed[i].id) == 0 ||
		    strcmp(f->a.services[k], svc_seed[i].name) == 0)
			return 1;
	return 0;
}

static int region_ok(const struct flow *f)
{
	return f->a.region != NULL && strcmp(f->a.region, "westus3") == 0;
}

static void set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = v != NULL ? xstrdup(v) : NULL;
}

static void set_step(struct flow *f, enum flow_step s, enum flow_state st, const char *detail)
{
	f->v.step[s].state = st;
	snprintf(f->v.step[s].detail, sizeof f->v.step[s].detail, "%s", detail);
}

static void free_services(struct flow_view *v)
{
	for (size_t i = 0; i < v->n_services; i++) {
		free(v->services[i].id);
		free(v->services[i].name);
		free(v->services[i].state);
		free(v->services[i].tier);
	}
	free(v->services);
	v->services = NULL;
	v->n_services = 0;
}

static void observe_services(struct flow *f)
{
	struct flow_view *v = &f->v;

	free_services(v);
	v->allow_done = v->allow_total = 0;
	if (!region_ok(f))
		return;
	v->services = xcalloc(NSVC, sizeof *v->services);
	v->n_services = NSVC;
	for (int i = 0; i < NSVC; i++) {
		struct flow_service *s = &v->services[i];
		s->id = xstrdup(svc_seed[i].id);
		s->name = xstrdup(svc_seed[i].name);
		s->state = xstrdup(svc_seed[i].state);
		s->tier = xstrdup(svc_seed[i].tier);
		s->development = strcmp(svc_seed[i].tier, "development") == 0;
		s->chosen = chosen(f, i);
		s->allowed = f->w.allowed[i];
		if (s->chosen) {
			v->allow_total++;
			v->allow_done += s->allowed;
		}
	}
}

/* Copy the world into the view, as the real engine's check does over the APIs. */
static void observe(struct flow *f)
{
	struct flow_view *v = &f->v;
	struct world *w = &f->w;
	int dns = w->zone && w->record && w->link;

	if (f->a.manual_pe_guid != NULL && strcmp(f->a.manual_pe_guid, FAKE_GUID) == 0 &&
	    !w->endpoint) {
		w->endpoint = 1; /* created by hand in the portal */
		w->conn = FLOW_CONN_PENDING;
	}
	observe_services(f);
	set_str(&v->endpoint_service_id, w->alias_read ? FAKE_ALIAS : NULL);
	set_str(&v->private_dns_hostname, w->alias_read ? FAKE_HOST : NULL);
	set_step(f, FLOW_ALIAS, w->alias_read ? FLOW_DONE : FLOW_MISSING,
	         w->alias_read ? "endpointServiceId read" : "");
	set_str(&v->pe_guid, w->endpoint ? FAKE_GUID : NULL);
	set_str(&v->pe_ip, w->endpoint ? FAKE_IP : NULL);
	set_str(&v->pe_name, w->endpoint ? ui_or(f->a.pe_name, "pe-clickhouse") : NULL);
	v->conn = w->endpoint ? w->conn : FLOW_CONN_NONE;
	set_step(f, FLOW_ENDPOINT, w->endpoint ? FLOW_DONE : FLOW_MISSING,
	         w->endpoint ? "pe-clickhouse, 10.0.0.4" : "");
	set_str(&v->zone,
	        w->endpoint || w->zone ? "westus3.privatelink.azure.clickhouse.cloud" : NULL);
	set_str(&v->record_ip, w->record ? FAKE_IP : NULL);
	set_str(&v->link, w->link ? "vnet-app" : NULL);
	set_step(f, FLOW_DNS_ZONE, w->zone ? FLOW_DONE : FLOW_MISSING, w->zone ? "zone" : "");
	set_step(f, FLOW_DNS_RECORD, w->record ? FLOW_DONE : FLOW_MISSING,
	         w->record ? "* -> 10.0.0.4" : "");
	set_step(f, FLOW_DNS_LINK, w->link ? FLOW_DONE : FLOW_MISSING, w->link ? "vnet-app" : "");
	v->org_registered = w->org;
	set_step(f, FLOW_ORG, w->org ? FLOW_DONE : FLOW_MISSING, w->org ? "registered" : "");
	if (v->allow_total > 0 && v->allow_done == v->allow_total)
		set_step(f, FLOW_ALLOWLIST, FLOW_DONE, "on the allow list");
	else
		set_step(f, FLOW_ALLOWLIST, FLOW_MISSING, "");
	v->waiting_on = v->conn == FLOW_CONN_PENDING
	                    ? (v->allow_done < v->allow_total || v->allow_total == 0
	                           ? _("ClickHouse Cloud: add the endpoint id to the service "
	                               "allow list (stage 4)")
	                           : _("Azure: approval in progress"))
	                    : NULL;
	v->dns_ok = w->probed && dns;
	v->tls_ok = v->ping_ok = w->probed && dns && v->conn == FLOW_CONN_APPROVED;
	if (!w->probed)
		set_step(f, FLOW_ACCESS, FLOW_MISSING, "");
	else if (v->tls_ok)
		set_step(f, FLOW_ACCESS, FLOW_DONE,
		         "probes passed from this machine (demo network)");
	else
		set_step(f, FLOW_ACCESS, FLOW_FAILED,
		         "TLS to 9440 was reset: is the endpoint approved?");
	v->polled_at = FAKE_POLLED_AT;
}

static void half_world(struct flow *f)
{
	f->w.alias_read = f->w.endpoint = f->w.zone = f->w.record = f->w.link = f->w.org = 1;
	f->w.conn = FLOW_CONN_PENDING;
	f->a.services = xcalloc(1, sizeof *f->a.services);
	f->a.services[0] = xstrdup(svc_seed[0].id);
	f->a.n_services = 1;
}

struct flow *flow_new(struct loop *l, const struct flow_config *cfg, struct err *e)
{
	struct flow *f = xcalloc(1, sizeof *f);
	const char *world = getenv("FAKE_FLOW_WORLD");

	(void)e;
	f->loop = l;
	f->cfg = cfg;
	f->az.f = f;
	if (cfg->demo) {
		f->a.region = xstrdup("westus3");
		f->a.subscription = xstrdup("6e1f3a52-1111-4c2b-9d3e-000000000001");
		f->a.resource_group = xstrdup("rg-app");
		f->a.vnet = xstrdup("vnet-app");
		f->a.subnet = xstrdup("default");
		f->a.location = xstrdup("westus3");
		f->a.pe_name = xstrdup("pe-clickhouse");
	}
	if (world != NULL && strcmp(world, "half") == 0)
		half_world(f);
	return f;
}

static void free_findings(struct flow_view *v)
{
	for (size_t i = 0; i < v->n_findings; i++) {
		free(v->findings[i].code);
		free(v->findings[i].verdict);
		free(v->findings[i].evidence);
		free(v->findings[i].fix);
	}
	free(v->findings);
	v->findings = NULL;
	v->n_findings = 0;
}

void flow_free(struct flow *f)
{
	struct flow_answers *a = &f->a;
	char **strs[] = {&a->region,
	                 &a->subscription,
	                 &a->resource_group,
	                 &a->vnet,
	                 &a->subnet,
	                 &a->location,
	                 &a->pe_name,
	                 &a->dns_resource_group,
	                 &a->manual_pe_guid,
	                 &a->manual_pe_ip,
	                 &a->manual_alias,
	                 &a->manual_hostname,
	                 &f->v.service_id,
	                 &f->v.endpoint_service_id,
	                 &f->v.private_dns_hostname,
	                 &f->v.pe_id,
	                 &f->v.pe_name,
	                 &f->v.pe_guid,
	                 &f->v.pe_ip,
	                 &f->v.pe_location,
	                 &f->v.pe_provisioning,
	                 &f->v.zone,
	                 &f->v.record_ip,
	                 &f->v.link};

	if (f == NULL)
		return;
	while (f->az.reqs != NULL) {
		struct list_req *r = f->az.reqs;
		f->az.reqs = r->next;
		loop_cancel(f->loop, r->timer);
		free(r);
	}
	while (f->ops != NULL) {
		struct op *o = f->ops;
		f->ops = o->next;
		loop_cancel(f->loop, o->timer);
		free(o);
	}
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	for (size_t i = 0; i < a->n_services; i++)
		free(a->services[i]);
	free(a->services);
	free_services(&f->v);
	free_findings(&f->v);
	free(f);
}

void flow_set_events(struct flow *f, flow_event_fn fn, void *ud)
{
	f->ev = fn;
	f->ev_ud = ud;
}

struct flow_answers *flow_answers(struct flow *f)
{
	return &f->a;
}

int flow_save(struct flow *f, struct err *e)
{
	(void)e;
	f->saves++;
	return 0;
}

const struct flow_view *flow_view(const struct flow *f)
{
	return &f->v;
}

static void unlink_op(struct op *o)
{
	for (struct op **p = &o->f->ops; *p != NULL; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
}

static void finish(struct op *o, int rc, const struct err *e)
{
	struct flow *f = o->f;

	unlink_op(o);
	f->v.in_flight--;
	observe(f);
	o->fn(o->ud, rc, e);
	free(o);
}

static void check_fire(void *ud)
{
	finish(ud, 0, NULL);
}

static struct op *new_op(struct flow *f, enum flow_step s, flow_done_fn fn, void *ud)
{
	struct op *o = xcalloc(1, sizeof *o);

	o->f = f;
	o->step = s;
	o->fn = fn;
	o->ud = ud;
	o->next = f->ops;
	f->ops = o;
	f->v.in_flight++;
	return o;
}

int flow_check(struct flow *f, flow_done_fn fn, void *ud)
{
	struct op *o = new_op(f, FLOW_NSTEPS, fn, ud);

	o->timer = loop_timer(f->loop, 30, check_fire, o);
	return 0;
}

static void approve(void *ud)
{
	struct flow *f = ud;

	if (f->w.endpoint && f->w.conn == FLOW_CONN_PENDING)
		f->w.conn = FLOW_CONN_APPROVED;
}

static int apply_now(struct op *o, struct err *e)
{
	struct flow *f = o->f;
	struct world *w = &f->w;

	switch (o->step) {
	case FLOW_ALIAS:
		if (!region_ok(f) || f->a.n_services == 0)
			return err_set(e, ERR_USAGE, "%s", _("Choose a service first."));
		w->alias_read = 1;
		return 0;
	case FLOW_ENDPOINT:
		w->endpoint = 1;
		w->conn = FLOW_CONN_PENDING;
		return 0;
	case FLOW_DNS_ZONE:
		w->zone = 1;
		return 0;
	case FLOW_DNS_RECORD:
		w->record = w->zone;
		return w->zone ? 0 : err_set(e, ERR_CONFLICT, "no zone");
	case FLOW_DNS_LINK:
		w->link = w->zone;
		return w->zone ? 0 : err_set(e, ERR_CONFLICT, "no zone");
	case FLOW_ORG:
		w->org = w->endpoint;
		return w->endpoint ? 0 : err_set(e, ERR_CONFLICT, "no endpoint");
	case FLOW_ALLOWLIST:
		for (int i = 0; i < NSVC; i++)
			if (chosen(f, i))
				w->allowed[i] = 1;
		loop_timer(f->loop, 1000, approve, f);
		return 0;
	default:
		w->probed = 1;
		return 0;
	}
}

static void undo_now(struct op *o)
{
	struct world *w = &o->f->w;

	switch (o->step) {
	case FLOW_ENDPOINT:
		w->endpoint = 0;
		w->conn = FLOW_CONN_NONE;
		break;
	case FLOW_DNS_ZONE:
		w->zone = w->record = w->link = 0;
		break;
	case FLOW_DNS_RECORD:
		w->record = 0;
		break;
	case FLOW_DNS_LINK:
		w->link = 0;
		break;
	case FLOW_ORG:
		w->org = 0;
		break;
	case FLOW_ALLOWLIST:
		memset(w->allowed, 0, sizeof w->allowed);
		break;
	default:
		break;
	}
}

/* The endpoint is a long-running operation: a few progress events, then done. */
static void step_fire(void *ud)
{
	struct op *o = ud;
	struct err e = {0};
	char line[160];

	if (!o->undo && o->step == FLOW_ENDPOINT && o->tick < 3) {
		o->tick++;
		snprintf(line, sizeof line, _("creating private endpoint %s: %s (%d s)"),
		         ui_or(o->f->a.pe_name, "pe-clickhouse"),
		         o->tick < 3 ? "Updating" : "Succeeded", o->tick * 10);
		if (o->f->ev != NULL)
			o->f->ev(o->f->ev_ud, line);
		o->timer = loop_timer(o->f->loop, 150, step_fire, o);
		return;
	}
	if (o->undo) {
		undo_now(o);
		finish(o, 0, NULL);
	} else if (getenv("FAKE_FLOW_FAIL") != NULL &&
	           strcmp(getenv("FAKE_FLOW_FAIL"), flow_step_info(o->step)->key) == 0) {
		err_set(&e, ERR_FORBIDDEN, "%s", "Azure refused: the client lacks permission.");
		err_hint(&e, "%s", "Grant the service principal Network Contributor.");
		finish(o, -1, &e);
	} else if (apply_now(o, &e) < 0) {
		finish(o, -1, &e);
	} else {
		finish(o, 0, NULL);
	}
}

int flow_apply(struct flow *f, enum flow_step s, flow_done_fn fn, void *ud)
{
	if (s >= FLOW_NSTEPS)
		return -1;
	struct op *o;

	o = new_op(f, s, fn, ud);
	o->timer = loop_timer(f->loop, 60, step_fire, o);
	return 0;
}

int flow_undo(struct flow *f, enum flow_step s, int force, flow_done_fn fn, void *ud)
{
	struct op *o;

	(void)force;
	if (s >= FLOW_NSTEPS)
		return -1;
	o = new_op(f, s, fn, ud);
	o->undo = 1;
	o->timer = loop_timer(f->loop, 60, step_fire, o);
	return 0;
}

static void add_finding(struct flow_view *v, const char *code, const char *verdict,
                        const char *evidence, const char *fix)
{
	v->findings = xrealloc(v->findings, (v->n_findings + 1) * sizeof *v->findings);
	v->findings[v->n_findings++] =
	    (struct flow_finding){xstrdup(code), xstrdup(verdict), xstrdup(evidence), xstrdup(fix)};
}

static void doctor_fire(void *ud)
{
	struct op *o = ud;
	struct flow *f = o->f;
	struct flow_view *v = &f->v;

	observe(f);
	free_findings(v);
	if (v->conn == FLOW_CONN_PENDING)
		add_finding(v, "endpoint-pending",
		            "The endpoint stays Pending: its GUID is most likely not on the allow "
		            "list (T3).",
		            "connection state Pending", "chlink apply allowlist");
	for (size_t i = 0; i < v->n_services; i++) {
		const struct flow_service *s = &v->services[i];
		char verdict[160], evidence[160];
		if (s->development || s->allowed || !f->w.endpoint)
			continue;
		snprintf(verdict, sizeof verdict,
		         "%s is not reachable over Private Link: the endpoint is not on its allow "
		         "list (T2).",
		         s->name);
		snprintf(evidence, sizeof evidence, "GET services/%s: privateEndpointIds = []",
		         s->name);
		add_finding(v, "not-on-allowlist", verdict, evidence, "chlink apply allowlist");
	}
	unlink_op(o);
	o->f->v.in_flight--;
	o->fn(o->ud, 0, NULL);
	free(o);
}

int flow_doctor(struct flow *f, flow_done_fn fn, void *ud)
{
	struct op *o = new_op(f, FLOW_NSTEPS, fn, ud);

	o->timer = loop_timer(f->loop, 40, doctor_fire, o);
	return 0;
}

enum flow_step flow_first_missing(const struct flow *f)
{
	for (int s = 0; s < FLOW_NSTEPS; s++)
		if (f->v.step[s].state != FLOW_DONE)
			return s;
	return FLOW_NSTEPS;
}

struct chc *flow_chc(struct flow *f)
{
	(void)f;
	return NULL;
}

struct azure *flow_azure(struct flow *f)
{
	const char *off = getenv("FAKE_FLOW_NO_AZURE");

	return off != NULL && off[0] != '\0' ? NULL : &f->az;
}

/* ---- the Azure client's pickers, doubled ---- */
static const struct {
	const char *name, *rg, *location, *subnets[2];
} vnet_seed[] = {
    {"vnet-app", "rg-app", "westus3", {"default", "pe-subnet"}},
    {"vnet-data", "rg-data", "eastus2", {"default", NULL}},
};

static void list_fire(void *ud)
{
	struct list_req *r = ud;

	for (struct list_req **p = &r->a->reqs; *p != NULL; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			break;
		}
	if (r->rg_fn != NULL) {
		struct az_rg_list *l = xcalloc(1, sizeof *l);
		l->n = 2;
		l->v = xcalloc(2, sizeof *l->v);
		for (size_t i = 0; i < 2; i++) {
			l->v[i].name = xstrdup(vnet_seed[i].rg);
			l->v[i].location = xstrdup(vnet_seed[i].location);
		}
		r->rg_fn(r->ud, l, NULL);
	} else {
		struct az_vnet_list *l = xcalloc(1, sizeof *l);
		l->n = 2;
		l->v = xcalloc(2, sizeof *l->v);
		for (size_t i = 0; i < 2; i++) {
			struct az_vnet *v = &l->v[i];
			v->name = xstrdup(vnet_seed[i].name);
			v->resource_group = xstrdup(vnet_seed[i].rg);
			v->location = xstrdup(vnet_seed[i].location);
			v->subnets = xcalloc(2, sizeof *v->subnets);
			for (size_t k = 0; k < 2 && vnet_seed[i].subnets[k] != NULL; k++)
				v->subnets[v->n_subnets++].name = xstrdup(vnet_seed[i].subnets[k]);
		}
		r->vnet_fn(r->ud, l, NULL);
	}
	free(r);
}

static int list_req(struct azure *a, az_rg_list_fn rg_fn, az_vnet_list_fn vnet_fn, void *ud)
{
	struct list_req *r = xcalloc(1, sizeof *r);

	r->a = a;
	r->rg_fn = rg_fn;
	r->vnet_fn = vnet_fn;
	r->ud = ud;
	r->next = a->reqs;
	a->reqs = r;
	r->timer = loop_timer(a->f->loop, 20, list_fire, r);
	return 0;
}

int azure_rg_list(struct azure *a, az_rg_list_fn fn, void *ud)
{
	return list_req(a, fn, NULL, ud);
}

int azure_vnet_list(struct azure *a, const char *rg, az_vnet_list_fn fn, void *ud)
{
	(void)rg;
	return list_req(a, NULL, fn, ud);
}

void az_rg_list_free(struct az_rg_list *l)
{
	for (size_t i = 0; l != NULL && i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].location);
	}
	if (l != NULL)
		free(l->v);
	free(l);
}

void az_vnet_list_free(struct az_vnet_list *l)
{
	for (size_t i = 0; l != NULL && i < l->n; i++) {
		struct az_vnet *v = &l->v[i];
		for (size_t k = 0; k < v->n_subnets; k++) {
			free(v->subnets[k].id);
			free(v->subnets[k].name);
			free(v->subnets[k].prefix);
		}
		free(v->subnets);
		free(v->id);
		free(v->name);
		free(v->resource_group);
		free(v->location);
	}
	if (l != NULL)
		free(l->v);
	free(l);
}

struct http *flow_http(struct flow *f)
{
	(void)f;
	return NULL;
}

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

int flow_valid_guid(const char *s)
{
	static const size_t groups[] = {8, 4, 4, 4, 12};

	if (s == NULL)
		return 0;
	for (size_t g = 0; g < 5; g++) {
		if (!all_hex(s, groups[g]))
			return 0;
		s += groups[g];
		if (g < 4 && *s++ != '-')
			return 0;
	}
	return *s == '\0';
}

int flow_valid_pe_resource_id(const char *s)
{
	return s != NULL && strstr(s, "/providers/Microsoft.Network/privateEndpoints/") != NULL;
}

int flow_valid_ipv4(const char *s)
{
	unsigned a, b, c, d;
	char tail;

	return s != NULL && sscanf(s, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) == 4 && a < 256 &&
	       b < 256 && c < 256 && d < 256;
}

int flow_valid_alias(const char *s)
{
	static const char suffix[] = ".azure.privatelinkservice";
	size_t n = s != NULL ? strlen(s) : 0;

	return n > sizeof suffix - 1 && strcmp(s + n - (sizeof suffix - 1), suffix) == 0 &&
	       strchr(s, ' ') == NULL;
}

int flow_valid_private_hostname(const char *s)
{
	static const char suffix[] = ".privatelink.azure.clickhouse.cloud";
	size_t n = s != NULL ? strlen(s) : 0;

	return n > sizeof suffix - 1 && strcmp(s + n - (sizeof suffix - 1), suffix) == 0 &&
	       strchr(s, ' ') == NULL && s[0] != '.';
}

/* The light poll of the real engine; the fake observes everything each time. */
int flow_poll_connection(struct flow *f, flow_done_fn fn, void *ud)
{
	return flow_check(f, fn, ud);
}
