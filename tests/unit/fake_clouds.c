/* fake_clouds: in-memory ClickHouse Cloud, Azure and probes for engine tests (see fake_clouds.h).
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "fake_int.h"
#include "xmalloc.h"

static struct fake_world *W; /* the test's world; tests run one at a time */

void fake_use(struct fake_world *w)
{
	W = w;
}

struct fake_world *fake_world_cur(void)
{
	return W;
}

/* ---- asynchronous answers ---- */

char *fake_dup0(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void call_free(struct call *c)
{
	free(c->a);
	free(c->b);
	free(c->c);
	free(c->d);
	free(c);
}

static void fire(void *ud)
{
	struct call *c = ud, **pp;

	for (pp = &c->owner->calls; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	c->run(c);
	call_free(c);
}

int fake_later(struct client *cl, void (*run)(struct call *), void *fn, void *ud, const char *a,
               const char *b, const char *c2, const char *d)
{
	struct call *c = xcalloc(1, sizeof *c);

	c->owner = cl;
	c->run = run;
	c->fn = fn;
	c->ud = ud;
	c->a = fake_dup0(a);
	c->b = fake_dup0(b);
	c->c = fake_dup0(c2);
	c->d = fake_dup0(d);
	c->next = cl->calls;
	cl->calls = c;
	c->timer = loop_timer(cl->l, 1, fire, c);
	return 0;
}

void fake_cancel(struct client *cl)
{
	while (cl->calls) {
		struct call *c = cl->calls;
		cl->calls = c->next;
		loop_cancel(cl->l, c->timer);
		call_free(c);
	}
}

void fake_order(const char *what)
{
	if (W->n_order < 64)
		snprintf(W->order[W->n_order++], sizeof W->order[0], "%s", what);
}

/* ---- http ---- */

struct http *http_new(struct loop *l, const struct http_opts *o, struct err *e)
{
	struct http *h = xcalloc(1, sizeof *h);
	(void)o;
	(void)e;
	h->cl.l = l;
	return h;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	fake_cancel(&h->cl);
	free(h);
}

struct loop *http_loop(struct http *h)
{
	return h->cl.l;
}

/* ---- world ---- */

void fake_world_init(struct fake_world *w)
{
	memset(w, 0, sizeof *w);
	w->subscription = "sub-1";
	w->services[0] =
	    (struct fake_service){"11111111-1111-1111-1111-111111111111",
	                          "prod-west",
	                          "westus3",
	                          "production",
	                          "production-westus3-0-0.abc.westus3.azure.privatelinkservice",
	                          "svc1.westus3.privatelink.azure.clickhouse.cloud",
	                          {NULL},
	                          0};
	w->services[1] =
	    (struct fake_service){"22222222-2222-2222-2222-222222222222",
	                          "dev-east",
	                          "eastus2",
	                          "development",
	                          "production-eastus2-0-0.def.eastus2.azure.privatelinkservice",
	                          "svc2.eastus2.privatelink.azure.clickhouse.cloud",
	                          {NULL},
	                          0};
	w->n_services = 2;
}

void fake_world_free(struct fake_world *w)
{
	for (size_t i = 0; i < w->n_services; i++)
		for (size_t k = 0; k < w->services[i].n_pe_ids; k++)
			free(w->services[i].pe_ids[k]);
	for (size_t i = 0; i < w->n_org; i++) {
		free(w->org[i].id);
		free(w->org[i].region);
	}
	for (size_t i = 0; i < w->n_pes; i++) {
		struct fake_pe *p = &w->pes[i];
		free(p->id);
		free(p->name);
		free(p->rg);
		free(p->location);
		free(p->guid);
		free(p->subnet);
		free(p->alias);
		free(p->ip);
	}
	free(w->zone.rg);
	free(w->zone.name);
	free(w->record.ip);
	free(w->link.name);
	free(w->link.vnet);
	free(w->link.state);
	memset(w, 0, sizeof *w);
}

struct fake_pe *fake_add_pe(struct fake_world *w, const char *rg, const char *name,
                            const char *alias, const char *guid, const char *ip)
{
	struct fake_pe *p = &w->pes[w->n_pes++];

	memset(p, 0, sizeof *p);
	p->id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
	                  "privateEndpoints/%s",
	                  w->subscription, rg, name);
	p->name = xstrdup(name);
	p->rg = xstrdup(rg);
	p->location = xstrdup("westus3");
	p->guid = xstrdup(guid);
	p->subnet = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
	                      "virtualNetworks/vnet1/subnets/default",
	                      w->subscription, rg);
	p->alias = xstrdup(alias);
	p->ip = xstrdup(ip);
	p->prov = "Succeeded";
	p->exists = 1;
	return p;
}

int fake_n_existing_pes(const struct fake_world *w)
{
	int n = 0;
	for (size_t i = 0; i < w->n_pes; i++)
		n += w->pes[i].exists != 0;
	return n;
}

int fake_listed(const struct fake_pe *p)
{
	for (size_t i = 0; i < W->n_services; i++)
		for (size_t k = 0; k < W->services[i].n_pe_ids; k++)
			if (!strcasecmp(W->services[i].pe_ids[k], p->guid) ||
			    !strcasecmp(W->services[i].pe_ids[k], p->id))
				return 1;
	return 0;
}

struct fake_pe *fake_pe_named(const char *rg, const char *name)
{
	for (size_t i = 0; i < W->n_pes; i++)
		if (W->pes[i].exists && !strcasecmp(W->pes[i].name, name) &&
		    (!rg || !strcasecmp(W->pes[i].rg, rg)))
			return &W->pes[i];
	return NULL;
}

/* ---- chc ---- */

struct chc *chc_new(struct http *h, const char *api_url, const struct creds *c, struct err *e)
{
	struct chc *x = xcalloc(1, sizeof *x);
	(void)api_url;
	(void)c;
	(void)e;
	x->cl.l = h->cl.l;
	return x;
}

void chc_free(struct chc *c)
{
	if (!c)
		return;
	fake_cancel(&c->cl);
	free(c);
}

static void copy_service(struct chc_service *d, const struct fake_service *s)
{
	memset(d, 0, sizeof *d);
	d->id = xstrdup(s->id);
	d->name = xstrdup(s->name);
	d->provider = xstrdup("azure");
	d->region = xstrdup(s->region);
	d->state = xstrdup("running");
	d->tier = fake_dup0(s->tier);
	d->pe_ids = xcalloc(s->n_pe_ids + 1, sizeof(char *));
	for (size_t k = 0; k < s->n_pe_ids; k++)
		d->pe_ids[d->n_pe_ids++] = xstrdup(s->pe_ids[k]);
	d->has_pe_ids = 1;
}

static void run_list(struct call *c)
{
	struct chc_service_list *l = xcalloc(1, sizeof *l);

	l->v = xcalloc(W->n_services + 1, sizeof *l->v);
	for (size_t i = 0; i < W->n_services; i++)
		if (!c->a || !strcmp(W->services[i].region, c->a))
			copy_service(&l->v[l->n++], &W->services[i]);
	((chc_services_fn)c->fn)(c->ud, l, NULL);
}

int chc_list_services(struct chc *c, const char *region, chc_services_fn fn, void *ud)
{
	W->n_chc_calls++;
	return fake_later(&c->cl, run_list, (void *)fn, ud, region, NULL, NULL, NULL);
}

static struct fake_service *service(const char *id)
{
	for (size_t i = 0; i < W->n_services; i++)
		if (!strcmp(W->services[i].id, id))
			return &W->services[i];
	return NULL;
}

static void run_config(struct call *c)
{
	struct fake_service *s = service(c->a);
	struct chc_pe_config *cfg = NULL;
	struct err e = {0};

	if (s) {
		cfg = xcalloc(1, sizeof *cfg);
		cfg->endpoint_service_id = xstrdup(s->alias);
		cfg->private_dns_hostname = xstrdup(s->hostname);
	} else {
		err_set(&e, ERR_NOTFOUND, "no such service");
	}
	((chc_config_fn)c->fn)(c->ud, cfg, s ? NULL : &e);
}

int chc_get_pe_config(struct chc *c, const char *id, chc_config_fn fn, void *ud)
{
	W->n_chc_calls++;
	return fake_later(&c->cl, run_config, (void *)fn, ud, id, NULL, NULL, NULL);
}

static struct chc_org *org_copy(void)
{
	struct chc_org *o = xcalloc(1, sizeof *o);

	o->id = xstrdup("org-1");
	o->name = xstrdup("Org");
	o->pes = xcalloc(W->n_org + 1, sizeof *o->pes);
	for (size_t i = 0; i < W->n_org; i++) {
		o->pes[i].id = xstrdup(W->org[i].id);
		o->pes[i].region = fake_dup0(W->org[i].region);
		o->pes[i].cloud_provider = xstrdup("azure");
	}
	o->n_pes = W->n_org;
	o->has_pes = 1;
	return o;
}

/* The organization as a PATCH answers it (maybe without its privateEndpoints). */
static struct chc_org *org_patched(void)
{
	struct chc_org *o = org_copy();

	o->has_pes = !W->bare_patch_answers;
	return o;
}

static void run_org(struct call *c)
{
	((chc_org_fn)c->fn)(c->ud, org_copy(), NULL);
}

int chc_get_org(struct chc *c, chc_org_fn fn, void *ud)
{
	W->n_chc_calls++;
	return fake_later(&c->cl, run_org, (void *)fn, ud, NULL, NULL, NULL, NULL);
}

static void run_key_role(struct call *c)
{
	((chc_role_fn)c->fn)(c->ud, W->forbid_patch ? "developer" : "admin", NULL);
}

int chc_get_key_role(struct chc *c, chc_role_fn fn, void *ud)
{
	W->n_chc_calls++;
	return fake_later(&c->cl, run_key_role, (void *)fn, ud, NULL, NULL, NULL, NULL);
}

static int forbidden(struct call *c, int org)
{
	struct err e = {0};

	if (!W->forbid_patch)
		return 0;
	err_set(&e, ERR_FORBIDDEN, "403: the key lacks the Admin role");
	e.http_status = 403;
	if (org)
		((chc_org_fn)c->fn)(c->ud, NULL, &e);
	else
		((chc_service_fn)c->fn)(c->ud, NULL, &e);
	return 1;
}

static void run_org_add(struct call *c)
{
	if (forbidden(c, 1))
		return;
	W->n_org_adds++;
	fake_order("org-add");
	W->org[W->n_org].id = xstrdup(c->a);
	W->org[W->n_org++].region = fake_dup0(c->b);
	((chc_org_fn)c->fn)(c->ud, org_patched(), NULL);
}

int chc_org_pe_add(struct chc *c, const char *id, const char *desc, const char *region,
                   chc_org_fn fn, void *ud)
{
	(void)desc;
	W->n_chc_calls++;
	return fake_later(&c->cl, run_org_add, (void *)fn, ud, id, region, NULL, NULL);
}

static void run_org_remove(struct call *c)
{
	size_t j = 0;

	if (forbidden(c, 1))
		return;
	fake_order("org-remove");
	for (size_t i = 0; i < W->n_org; i++) {
		if (!strcasecmp(W->org[i].id, c->a)) {
			free(W->org[i].id);
			free(W->org[i].region);
			continue;
		}
		W->org[j++] = W->org[i];
	}
	W->n_org = j;
	((chc_org_fn)c->fn)(c->ud, org_patched(), NULL);
}

int chc_org_pe_remove(struct chc *c, const char *id, const char *region, chc_org_fn fn, void *ud)
{
	(void)region;
	W->n_chc_calls++;
	return fake_later(&c->cl, run_org_remove, (void *)fn, ud, id, NULL, NULL, NULL);
}

static void run_svc_patch(struct call *c)
{
	struct fake_service *s = service(c->a);
	struct chc_service *out = xcalloc(1, sizeof *out);

	if (forbidden(c, 0)) {
		free(out);
		return;
	}
	if (c->n) {
		W->n_service_adds++;
		fake_order("service-add");
		s->pe_ids[s->n_pe_ids++] = xstrdup(c->b);
		/* attaching registers the id org-wide too, as ClickHouse does */
	} else {
		size_t j = 0;
		fake_order("service-remove");
		for (size_t k = 0; k < s->n_pe_ids; k++)
			if (strcasecmp(s->pe_ids[k], c->b))
				s->pe_ids[j++] = s->pe_ids[k];
			else
				free(s->pe_ids[k]);
		s->n_pe_ids = j;
	}
	copy_service(out, s);
	out->has_pe_ids = !W->bare_patch_answers;
	((chc_service_fn)c->fn)(c->ud, out, NULL);
}

int chc_service_pe_add(struct chc *c, const char *sid, const char *id, chc_service_fn fn, void *ud)
{
	W->n_chc_calls++;
	fake_later(&c->cl, run_svc_patch, (void *)fn, ud, sid, id, NULL, NULL);
	c->cl.calls->n = 1;
	return 0;
}

int chc_service_pe_remove(struct chc *c, const char *sid, const char *id, chc_service_fn fn,
                          void *ud)
{
	W->n_chc_calls++;
	return fake_later(&c->cl, run_svc_patch, (void *)fn, ud, sid, id, NULL, NULL);
}

void chc_service_free(struct chc_service *s)
{
	if (!s)
		return;
	free(s->id);
	free(s->name);
	free(s->provider);
	free(s->region);
	free(s->state);
	free(s->tier);
	free(s->public_host);
	for (size_t i = 0; i < s->n_pe_ids; i++)
		free(s->pe_ids[i]);
	free(s->pe_ids);
	free(s);
}

void chc_service_list_free(struct chc_service_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct chc_service *s = xmalloc(sizeof *s);
		*s = l->v[i];
		chc_service_free(s);
	}
	free(l->v);
	free(l);
}

void chc_pe_config_free(struct chc_pe_config *c)
{
	if (!c)
		return;
	free(c->endpoint_service_id);
	free(c->private_dns_hostname);
	free(c);
}

void chc_org_free(struct chc_org *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n_pes; i++) {
		free(o->pes[i].id);
		free(o->pes[i].description);
		free(o->pes[i].cloud_provider);
		free(o->pes[i].region);
	}
	free(o->pes);
	free(o->id);
	free(o->name);
	free(o);
}

/* ---- probes: computed from the world ---- */

static const struct fake_pe *pe_with_ip(const char *ip)
{
	for (size_t i = 0; i < W->n_pes; i++)
		if (W->pes[i].exists && ip && !strcmp(W->pes[i].ip, ip))
			return &W->pes[i];
	return NULL;
}

static void run_probe(struct call *c)
{
	struct probe_result r;

	memset(&r, 0, sizeof r);
	snprintf(r.where, sizeof r.where, "fake resolver");
	if (c->n == 0) {
		int ok = W->zone.exists && W->record.exists && W->link.exists;
		r.verdict = W->dns_outside                       ? PROBE_DNS_OUTSIDE_VNET
		            : !ok                                ? PROBE_DNS_NXDOMAIN
		            : c->b && strcmp(W->record.ip, c->b) ? PROBE_DNS_WRONG_IP
		                                                 : PROBE_OK;
		if (ok)
			snprintf(r.answer, sizeof r.answer, "%s", W->record.ip);
	} else {
		const struct fake_pe *p = W->record.exists ? pe_with_ip(W->record.ip) : NULL;
		r.verdict = W->probe_override     ? (enum probe_verdict)(W->probe_override - 1)
		            : p && fake_listed(p) ? PROBE_OK
		                                  : PROBE_RESET;
	}
	snprintf(r.detail, sizeof r.detail, "%s", probe_verdict_name(r.verdict));
	((probe_fn)c->fn)(c->ud, &r);
}

int probe_dns(struct http *h, const struct probe_opts *o, const char *name, const char *expect_ip,
              probe_fn fn, void *ud, struct err *e)
{
	(void)o;
	(void)e;
	fake_later(&h->cl, run_probe, (void *)fn, ud, name, expect_ip, NULL, NULL);
	h->cl.calls->n = 0;
	return 0;
}

int probe_tls(struct http *h, const struct probe_opts *o, const char *host, probe_fn fn, void *ud,
              struct err *e)
{
	(void)o;
	(void)e;
	fake_later(&h->cl, run_probe, (void *)fn, ud, host, NULL, NULL, NULL);
	h->cl.calls->n = 1;
	return 0;
}

int probe_ping(struct http *h, const struct probe_opts *o, const char *host, probe_fn fn, void *ud,
               struct err *e)
{
	(void)o;
	(void)e;
	fake_later(&h->cl, run_probe, (void *)fn, ud, host, NULL, NULL, NULL);
	h->cl.calls->n = 2;
	return 0;
}

/* The fake's probes are calls queued on the fake client, freed with it. */
void probe_abandon_all(struct probe **inflight)
{
	(void)inflight;
}

const char *probe_verdict_name(enum probe_verdict v)
{
	static const char *const names[] = {
	    "ok",      "dns-nxdomain", "dns-wrong-ip",  "dns-outside-vnet", "reset",
	    "timeout", "refused",      "cert-mismatch", "http-error",       "error"};
	return (unsigned)v < 10 ? names[v] : "error";
}

const char *probe_verdict_advice(enum probe_verdict v)
{
	return probe_verdict_name(v);
}
