/* fake_azure: the in-memory Azure Resource Manager of the engine tests (see fake_clouds.h). */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "fake_int.h"
#include "xmalloc.h"

#define W (fake_world_cur())

/* ---- azure ---- */

struct azure *azure_new(struct http *h, const struct azure_opts *o, struct err *e)
{
	struct azure *a = xcalloc(1, sizeof *a);
	(void)o;
	(void)e;
	a->cl.l = h->cl.l;
	return a;
}

void azure_free(struct azure *a)
{
	if (!a)
		return;
	fake_cancel(&a->cl);
	free(a);
}

void azure_set_progress(struct azure *a, az_progress_fn fn, void *ud)
{
	a->progress = fn;
	a->progress_ud = ud;
}

const char *azure_subscription(const struct azure *a)
{
	(void)a;
	return W->subscription;
}

char *az_id_resource_group(const char *id)
{
	const char *p = id ? strcasestr(id, "/resourceGroups/") : NULL, *end;

	if (!p)
		return NULL;
	p += strlen("/resourceGroups/");
	end = strchr(p, '/');
	return end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
}

static struct az_pe *pe_copy(const struct fake_pe *p)
{
	struct az_pe *o = xcalloc(1, sizeof *o);

	o->id = xstrdup(p->id);
	o->name = xstrdup(p->name);
	o->resource_group = xstrdup(p->rg);
	o->location = xstrdup(p->location);
	o->provisioning_state = xstrdup(p->prov);
	o->resource_guid = xstrdup(p->guid);
	o->subnet_id = xstrdup(p->subnet);
	o->nic_id = xasprintf("/nic/%s", p->name);
	o->alias = xstrdup(p->alias);
	o->manual = 1;
	o->conn_status = xstrdup(W->force_conn    ? W->force_conn
	                         : p->conn        ? p->conn
	                         : fake_listed(p) ? "Approved"
	                                          : "Pending");
	o->conn = !strcmp(o->conn_status, "Approved")  ? AZ_CONN_APPROVED
	          : !strcmp(o->conn_status, "Pending") ? AZ_CONN_PENDING
	                                               : AZ_CONN_REJECTED;
	return o;
}

static void run_pe_get(struct call *c)
{
	struct fake_pe *p = fake_pe_named(c->a, c->b);

	if (p && !strcmp(p->prov, "Updating") && --p->exists == 0) {
		/* an interrupted create settles by itself, as ARM's operation goes on */
		p->exists = 1;
		p->prov = "Succeeded";
	}
	((az_pe_fn)c->fn)(c->ud, p ? pe_copy(p) : NULL, NULL);
}

int azure_pe_get(struct azure *a, const char *rg, const char *name, az_pe_fn fn, void *ud)
{
	W->n_az_calls++;
	return fake_later(&a->cl, run_pe_get, (void *)fn, ud, rg, name, NULL, NULL);
}

static void run_pe_list(struct call *c)
{
	struct az_pe_list *l = xcalloc(1, sizeof *l);

	l->v = xcalloc(W->n_pes + 1, sizeof *l->v);
	for (size_t i = 0; i < W->n_pes; i++)
		if (W->pes[i].exists) {
			struct az_pe *p = pe_copy(&W->pes[i]);
			l->v[l->n++] = *p;
			free(p);
		}
	((az_pe_list_fn)c->fn)(c->ud, l, NULL);
}

int azure_pe_list(struct azure *a, const char *rg, az_pe_list_fn fn, void *ud)
{
	(void)rg;
	W->n_az_calls++;
	return fake_later(&a->cl, run_pe_list, (void *)fn, ud, NULL, NULL, NULL, NULL);
}

static void run_pe_poll(struct call *c)
{
	struct fake_pe *p = fake_pe_named(c->a, c->b);
	struct azure *a = (struct azure *)(void *)c->owner;

	if (p && c->n > 1) {
		if (a->progress)
			a->progress(a->progress_ud, "Updating", (unsigned)c->n);
		fake_later(&a->cl, run_pe_poll, c->fn, c->ud, c->a, c->b, NULL, NULL);
		a->cl.calls->n = c->n - 1;
		return;
	}
	if (p)
		p->prov = "Succeeded";
	((az_pe_fn)c->fn)(c->ud, p ? pe_copy(p) : NULL, NULL);
}

static void run_pe_create(struct call *c)
{
	struct azure *a = (struct azure *)(void *)c->owner;
	struct fake_pe *p = fake_pe_named(c->a, c->b);
	char guid[40];

	if (!p) {
		W->n_pe_creates++;
		fake_order("pe-create");
		snprintf(guid, sizeof guid, "aaaaaaaa-0000-4000-8000-%012d", W->n_pe_creates);
		p = fake_add_pe(W, c->a, c->b, c->d, guid, "10.0.0.4");
		free(p->subnet);
		p->subnet = xstrdup(c->c);
		p->prov = "Updating";
		p->exists = 1 + (W->lro_ticks > 0 ? W->lro_ticks : 1); /* GETs until it settles */
	}
	fake_later(&a->cl, run_pe_poll, c->fn, c->ud, c->a, c->b, NULL, NULL);
	a->cl.calls->n = W->lro_ticks > 0 ? W->lro_ticks : 1;
}

int azure_pe_create(struct azure *a, const char *rg, const char *name, const char *location,
                    const char *subnet_id, const char *alias, const char *msg, az_pe_fn fn,
                    void *ud)
{
	(void)location;
	(void)msg;
	W->n_az_calls++;
	return fake_later(&a->cl, run_pe_create, (void *)fn, ud, rg, name, subnet_id, alias);
}

static void run_pe_delete(struct call *c)
{
	struct fake_pe *p = fake_pe_named(c->a, c->b);

	fake_order("pe-delete");
	if (p)
		p->exists = 0;
	((az_done_fn)c->fn)(c->ud, NULL);
}

int azure_pe_delete(struct azure *a, const char *rg, const char *name, az_done_fn fn, void *ud)
{
	W->n_az_calls++;
	return fake_later(&a->cl, run_pe_delete, (void *)fn, ud, rg, name, NULL, NULL);
}

static void run_nic(struct call *c)
{
	struct fake_pe *p = fake_pe_named(NULL, c->a + strlen("/nic/"));
	struct az_nic *n = NULL;

	if (p) {
		n = xcalloc(1, sizeof *n);
		n->id = xstrdup(c->a);
		n->private_ip = xstrdup(p->ip);
	}
	((az_nic_fn)c->fn)(c->ud, n, NULL);
}

int azure_nic_get(struct azure *a, const char *nic_id, az_nic_fn fn, void *ud)
{
	W->n_az_calls++;
	return fake_later(&a->cl, run_nic, (void *)fn, ud, nic_id, NULL, NULL, NULL);
}

static struct az_zone *zone_copy(void)
{
	struct az_zone *z;

	if (!W->zone.exists)
		return NULL;
	z = xcalloc(1, sizeof *z);
	z->id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
	                  "privateDnsZones/%s",
	                  W->subscription, W->zone.rg, W->zone.name);
	z->name = xstrdup(W->zone.name);
	z->provisioning_state = xstrdup(W->zone.prov ? W->zone.prov : "Succeeded");
	return z;
}

static void run_zone(struct call *c)
{
	if (c->n == 1) {
		W->n_zone_puts++;
		fake_order("zone-put");
		free(W->zone.rg);
		free(W->zone.name);
		W->zone.rg = xstrdup(c->a);
		W->zone.name = xstrdup(c->b);
		W->zone.exists = 1;
	} else if (c->n == 2) {
		fake_order("zone-delete");
		W->zone.exists = 0;
		((az_done_fn)c->fn)(c->ud, NULL);
		return;
	}
	((az_zone_fn)c->fn)(c->ud, zone_copy(), NULL);
}

static int zone_call(struct azure *a, const char *rg, const char *zone, void *fn, void *ud, long n)
{
	W->n_az_calls++;
	fake_later(&a->cl, run_zone, fn, ud, rg, zone, NULL, NULL);
	a->cl.calls->n = n;
	return 0;
}

int azure_zone_get(struct azure *a, const char *rg, const char *zone, az_zone_fn fn, void *ud)
{
	return zone_call(a, rg, zone, (void *)fn, ud, 0);
}

int azure_zone_put(struct azure *a, const char *rg, const char *zone, az_zone_fn fn, void *ud)
{
	return zone_call(a, rg, zone, (void *)fn, ud, 1);
}

int azure_zone_delete(struct azure *a, const char *rg, const char *zone, az_done_fn fn, void *ud)
{
	return zone_call(a, rg, zone, (void *)fn, ud, 2);
}

static void run_record(struct call *c)
{
	struct az_record *r = NULL;

	if (c->n == 1) {
		W->n_record_puts++;
		fake_order("record-put");
		free(W->record.ip);
		W->record.ip = xstrdup(c->c);
		W->record.exists = 1;
	} else if (c->n == 2) {
		fake_order("record-delete");
		W->record.exists = 0;
		((az_done_fn)c->fn)(c->ud, NULL);
		return;
	}
	if (W->record.exists && W->zone.exists) {
		r = xcalloc(1, sizeof *r);
		r->id = xstrdup("/record");
		r->name = xstrdup("*");
		r->ttl = 300;
		r->ips = xcalloc(1, sizeof(char *));
		r->ips[0] = xstrdup(W->record.ip);
		r->n_ips = 1;
	}
	((az_record_fn)c->fn)(c->ud, r, NULL);
}

static int record_call(struct azure *a, const char *ip, void *fn, void *ud, long n)
{
	W->n_az_calls++;
	fake_later(&a->cl, run_record, fn, ud, NULL, NULL, ip, NULL);
	a->cl.calls->n = n;
	return 0;
}

int azure_record_get(struct azure *a, const char *rg, const char *zone, const char *name,
                     az_record_fn fn, void *ud)
{
	(void)rg;
	(void)zone;
	(void)name;
	return record_call(a, NULL, (void *)fn, ud, 0);
}

int azure_record_put(struct azure *a, const char *rg, const char *zone, const char *name,
                     const char *ip, long ttl, az_record_fn fn, void *ud)
{
	(void)rg;
	(void)zone;
	(void)name;
	(void)ttl;
	return record_call(a, ip, (void *)fn, ud, 1);
}

int azure_record_delete(struct azure *a, const char *rg, const char *zone, const char *name,
                        az_done_fn fn, void *ud)
{
	(void)rg;
	(void)zone;
	(void)name;
	return record_call(a, NULL, (void *)fn, ud, 2);
}

static struct az_link *link_copy(void)
{
	struct az_link *k = xcalloc(1, sizeof *k);

	k->id = xasprintf("/link/%s", W->link.name);
	k->name = xstrdup(W->link.name);
	k->vnet_id = xstrdup(W->link.vnet);
	k->link_state = xstrdup(W->link.state ? W->link.state : "Completed");
	k->provisioning_state = xstrdup("Succeeded");
	return k;
}

static void run_link(struct call *c)
{
	if (c->n == 1) {
		W->n_link_puts++;
		fake_order("link-put");
		free(W->link.name);
		free(W->link.vnet);
		W->link.name = xstrdup(c->b);
		W->link.vnet = xstrdup(c->c);
		W->link.exists = 1;
		((az_link_fn)c->fn)(c->ud, link_copy(), NULL);
	} else if (c->n == 2) {
		fake_order("link-delete");
		W->link.exists = 0;
		((az_done_fn)c->fn)(c->ud, NULL);
	} else {
		struct az_link_list *l = xcalloc(1, sizeof *l);
		l->v = xcalloc(1, sizeof *l->v);
		if (W->link.exists && W->zone.exists) {
			struct az_link *k = link_copy();
			l->v[l->n++] = *k;
			free(k);
		}
		((az_link_list_fn)c->fn)(c->ud, l, NULL);
	}
}

static int link_call(struct azure *a, const char *name, const char *vnet, void *fn, void *ud,
                     long n)
{
	W->n_az_calls++;
	fake_later(&a->cl, run_link, fn, ud, NULL, name, vnet, NULL);
	a->cl.calls->n = n;
	return 0;
}

int azure_link_list(struct azure *a, const char *rg, const char *zone, az_link_list_fn fn, void *ud)
{
	(void)rg;
	(void)zone;
	return link_call(a, NULL, NULL, (void *)fn, ud, 0);
}

int azure_link_put(struct azure *a, const char *rg, const char *zone, const char *link,
                   const char *vnet_id, az_link_fn fn, void *ud)
{
	(void)rg;
	(void)zone;
	return link_call(a, link, vnet_id, (void *)fn, ud, 1);
}

int azure_link_delete(struct azure *a, const char *rg, const char *zone, const char *link,
                      az_done_fn fn, void *ud)
{
	(void)rg;
	(void)zone;
	return link_call(a, link, NULL, (void *)fn, ud, 2);
}

void az_pe_free(struct az_pe *p)
{
	if (!p)
		return;
	free(p->id);
	free(p->name);
	free(p->resource_group);
	free(p->location);
	free(p->provisioning_state);
	free(p->resource_guid);
	free(p->subnet_id);
	free(p->nic_id);
	free(p->alias);
	free(p->conn_status);
	free(p->conn_description);
	free(p);
}

void az_pe_list_free(struct az_pe_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct az_pe *p = xmalloc(sizeof *p);
		*p = l->v[i];
		az_pe_free(p);
	}
	free(l->v);
	free(l);
}

void az_nic_free(struct az_nic *n)
{
	if (n) {
		free(n->id);
		free(n->private_ip);
		free(n);
	}
}

void az_zone_free(struct az_zone *z)
{
	if (z) {
		free(z->id);
		free(z->name);
		free(z->provisioning_state);
		free(z);
	}
}

void az_record_free(struct az_record *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_ips; i++)
		free(r->ips[i]);
	free(r->ips);
	free(r->id);
	free(r->name);
	free(r->fqdn);
	free(r);
}

void az_link_free(struct az_link *k)
{
	if (!k)
		return;
	free(k->id);
	free(k->name);
	free(k->vnet_id);
	free(k->link_state);
	free(k->provisioning_state);
	free(k);
}

void az_link_list_free(struct az_link_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct az_link *k = xmalloc(sizeof *k);
		*k = l->v[i];
		az_link_free(k);
	}
	free(l->v);
	free(l);
}

/* Resource groups: the one the fake world's endpoint lives in. */
static void run_rg_list(struct call *c)
{
	struct az_rg_list *l = xcalloc(1, sizeof *l);

	l->v = xcalloc(1, sizeof *l->v);
	l->v[0].name = xstrdup("rg1");
	l->v[0].location = xstrdup("westus3");
	l->v[0].id = xasprintf("/subscriptions/%s/resourceGroups/rg1", W->subscription);
	l->n = 1;
	((az_rg_list_fn)c->fn)(c->ud, l, NULL);
}

int azure_rg_list(struct azure *a, az_rg_list_fn fn, void *ud)
{
	return fake_later(&a->cl, run_rg_list, (void *)fn, ud, NULL, NULL, NULL, NULL);
}

void az_rg_list_free(struct az_rg_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].location);
	}
	free(l->v);
	free(l);
}
