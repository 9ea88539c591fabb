/*
 * flow_steps_az: stage 2 on the Azure side: the private endpoint (journaled
 * before the PUT so that a crash resumes polling that resource instead of
 * creating a second), the private DNS zone, wildcard record and VNet link,
 * and their removal (only what chlink created unless forced).
 */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "flow_int.h"
#include "i18n.h"
#include "xmalloc.h"

#define PE_REQUEST_MESSAGE "chlink: ClickHouse Private Link"

static void fail(struct flow *f, enum err_kind k, const char *msg, const char *hint)
{
	struct err e;

	err_clear(&e);
	err_set(&e, k, "%s", msg);
	if (hint)
		err_hint(&e, "%s", hint);
	flow_op_fail(f, &e);
}

static void progress(void *ud, const char *status, unsigned elapsed_s)
{
	struct flow *f = ud;

	flow_event(f, _("creating the private endpoint: %s (%u s)"), status, elapsed_s);
}

static void after_pe(void *ud, struct az_pe *pe, const struct err *e)
{
	struct flow *f = ud;

	if (e)
		flow_op_fail(f, e);
	if (pe) {
		state_created_add(&f->st, pe->id);
		if (pe->provisioning_state && strcmp(pe->provisioning_state, "Succeeded") == 0) {
			state_journal_done(&f->st, "create-endpoint", pe->id);
			/* the last progress line said InProgress: say how it ended */
			flow_event(f, _("created private endpoint %s"), pe->name);
		}
		flow_obs_set_pe(f, pe); /* the operation's final GET: no need to read it again */
	}
	azure_set_progress(f->az, NULL, NULL);
	flow_batch_end(f);
}

static char *arm_id(const struct flow *f, const char *rg, const char *tail)
{
	return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/%s",
	                 flow_subscription(f) ? flow_subscription(f) : "-", rg, tail);
}

void flow_apply_endpoint(struct flow *f)
{
	struct flow_answers *a = &f->st.answers;
	const char *alias = flow_alias(f), *loc = a->location ? a->location : flow_region(f);
	char *subnet = flow_subnet_id(f), *id, *tail;

	flow_batch_begin(f, flow_refresh);
	if (f->obs.pe) {
		/* Never a second endpoint for the alias: the one there is polled instead. */
	} else if (f->obs.pe_several) {
		fail(f, ERR_CONFLICT, _("several endpoints target this service"),
		     _("choose one with --pe-name (or on the wizard's endpoint screen)"));
	} else if (!f->az) {
		fail(f, ERR_AUTH, _("no Azure credentials"),
		     _("create the endpoint in the portal and paste its id, or add Azure "
		       "credentials"));
	} else if (!alias) {
		fail(f, ERR_CONFLICT, _("the service alias is not known yet (stage 1)"), NULL);
	} else if (!a->resource_group || !subnet || !loc) {
		fail(f, ERR_USAGE,
		     _("creating the endpoint needs a resource group, VNet and subnet"),
		     _("give --resource-group, --vnet and --subnet (and --location if the VNet is "
		       "not in the service's region)"));
	} else {
		if (!a->pe_name)
			a->pe_name = flow_default_pe_name(f);
		tail = xasprintf("Microsoft.Network/privateEndpoints/%s", a->pe_name);
		id = arm_id(f, a->resource_group, tail);
		state_journal_start(&f->st, "create-endpoint", id);
		state_created_add(&f->st, id);
		if (flow_save_quiet(f) == 0) {
			flow_event(f, _("creating private endpoint %s in %s"), a->pe_name,
			           a->resource_group);
			azure_set_progress(f->az, progress, f);
			flow_batch_add(f);
			if (azure_pe_create(f->az, a->resource_group, a->pe_name, loc, subnet,
			                    alias, PE_REQUEST_MESSAGE, after_pe, f) < 0)
				flow_send_failed(f);
		}
		free(tail);
		free(id);
	}
	free(subnet);
	flow_batch_end(f);
}

/* ---- DNS ---- */

static void after_zone(void *ud, struct az_zone *z, const struct err *e)
{
	struct flow *f = ud;

	if (e)
		flow_op_fail(f, e);
	if (z) {
		az_zone_free(f->obs.zone);
		f->obs.zone = z;
		flow_fresh(f, FLOW_P_ZONE);
	}
	flow_batch_end(f);
}

static void after_record(void *ud, struct az_record *r, const struct err *e)
{
	struct flow *f = ud;

	if (e)
		flow_op_fail(f, e);
	if (r) {
		az_record_free(f->obs.record);
		f->obs.record = r;
		flow_fresh(f, FLOW_P_RECORD);
	}
	flow_batch_end(f);
}

static void after_link(void *ud, struct az_link *k, const struct err *e)
{
	struct flow *f = ud;

	if (e)
		flow_op_fail(f, e);
	if (k)
		flow_obs_put_link(f, k);
	flow_batch_end(f);
}

/* A finished DELETE: the resource is gone, nothing to read again. */
static int deleted(struct flow *f, const struct err *e)
{
	if (e)
		flow_op_fail(f, e);
	return e == NULL;
}

static void after_pe_delete(void *ud, const struct err *e)
{
	struct flow *f = ud;

	if (deleted(f, e))
		flow_obs_set_pe(f, NULL);
	flow_batch_end(f);
}

static void after_zone_delete(void *ud, const struct err *e)
{
	struct flow *f = ud;

	if (deleted(f, e)) { /* its record sets go with it; links would have refused it */
		az_zone_free(f->obs.zone);
		az_record_free(f->obs.record);
		az_link_list_free(f->obs.links);
		f->obs.zone = NULL;
		f->obs.record = NULL;
		f->obs.links = NULL;
		flow_fresh(f, FLOW_P_ZONE);
	}
	flow_batch_end(f);
}

static void after_record_delete(void *ud, const struct err *e)
{
	struct flow *f = ud;

	if (deleted(f, e)) {
		az_record_free(f->obs.record);
		f->obs.record = NULL;
		flow_fresh(f, FLOW_P_RECORD);
	}
	flow_batch_end(f);
}

static void after_link_delete(void *ud, const struct err *e)
{
	struct flow *f = ud;
	char *vnet = flow_vnet_id(f);

	for (size_t i = 0; deleted(f, e) && f->obs.links && i < f->obs.links->n; i++)
		if (flow_strcaseeq(f->obs.links->v[i].vnet_id, vnet)) {
			flow_obs_drop_link(f, f->obs.links->v[i].name);
			break;
		}
	free(vnet);
	flow_batch_end(f);
}

/* Zone name and resource group, or an error recorded; the caller frees the zone. */
static char *dns_target(struct flow *f)
{
	char *zone = flow_zone_name(f);

	if (!f->az)
		fail(f, ERR_AUTH, _("no Azure credentials"), NULL);
	else if (!zone)
		fail(f, ERR_CONFLICT, _("the private DNS hostname is not known yet (stage 1)"),
		     NULL);
	else if (!flow_dns_rg(f))
		fail(f, ERR_USAGE, _("the DNS zone needs a resource group"),
		     _("give --dns-resource-group or --resource-group"));
	else
		return zone;
	free(zone);
	return NULL;
}

static char *zone_id(const struct flow *f, const char *zone, const char *sub)
{
	char *tail = xasprintf("Microsoft.Network/privateDnsZones/%s%s", zone, sub ? sub : "");
	char *id = arm_id(f, flow_dns_rg(f), tail);

	free(tail);
	return id;
}

void flow_apply_zone(struct flow *f)
{
	char *zone = dns_target(f), *id;

	flow_batch_begin(f, flow_refresh);
	if (zone && !f->obs.zone) {
		id = zone_id(f, zone, NULL);
		state_created_add(&f->st, id);
		free(id);
		flow_event(f, _("creating private DNS zone %s"), zone);
		flow_batch_add(f);
		if (flow_save_quiet(f) < 0 ||
		    azure_zone_put(f->az, flow_dns_rg(f), zone, after_zone, f) < 0)
			flow_send_failed(f);
	}
	free(zone);
	flow_batch_end(f);
}

void flow_apply_record(struct flow *f)
{
	char *zone = dns_target(f), *id;
	const char *ip = flow_pe_ip(f);

	flow_batch_begin(f, flow_refresh);
	if (zone && !ip)
		fail(f, ERR_CONFLICT, _("the endpoint's private IP is not known yet"), NULL);
	else if (zone && f->view.step[FLOW_DNS_RECORD].state != FLOW_DONE) {
		if (!f->obs.record) {
			id = zone_id(f, zone, "/A/*");
			state_created_add(&f->st, id);
			free(id);
		}
		flow_event(f, _("pointing *.%s at %s"), zone, ip);
		flow_batch_add(f);
		if (flow_save_quiet(f) < 0 || azure_record_put(f->az, flow_dns_rg(f), zone, "*", ip,
		                                               300, after_record, f) < 0)
			flow_send_failed(f);
	}
	free(zone);
	flow_batch_end(f);
}

static const char *last_segment(const char *id)
{
	const char *s;

	if (!id)
		return "";
	s = strrchr(id, '/');
	return s ? s + 1 : id;
}

void flow_apply_link(struct flow *f)
{
	char *zone = dns_target(f), *vnet = flow_vnet_id(f), *name, *id;

	flow_batch_begin(f, flow_refresh);
	if (zone && !vnet)
		fail(f, ERR_USAGE, _("linking the zone needs the VNet"), _("give --vnet"));
	else if (zone && f->view.step[FLOW_DNS_LINK].state == FLOW_MISSING) {
		char *zid = zone_id(f, zone, NULL);
		name = xasprintf("chlink-%s", last_segment(vnet));
		id = xasprintf("%s/virtualNetworkLinks/%s", zid, name);
		state_created_add(&f->st, id);
		free(id);
		free(zid);
		flow_event(f, _("linking %s to %s"), zone, last_segment(vnet));
		flow_batch_add(f);
		if (flow_save_quiet(f) < 0 ||
		    azure_link_put(f->az, flow_dns_rg(f), zone, name, vnet, after_link, f) < 0)
			flow_send_failed(f);
		free(name);
	}
	free(vnet);
	free(zone);
	flow_batch_end(f);
}

/* ---- undo ---- */

enum kept { KEPT_ENDPOINT, KEPT_ZONE, KEPT_RECORD, KEPT_LINK };

/* One whole sentence per kind of resource: translations need the sentence, not its pieces. */
static void say_kept(struct flow *f, enum kept what, const char *name)
{
	switch (what) {
	case KEPT_ENDPOINT:
		flow_event(f, _("kept endpoint %s: chlink did not create it (use --force)"), name);
		break;
	case KEPT_ZONE:
		flow_event(f, _("kept zone %s: chlink did not create it (use --force)"), name);
		break;
	case KEPT_RECORD:
		flow_event(f, _("kept record %s: chlink did not create it (use --force)"), name);
		break;
	default:
		flow_event(f, _("kept link %s: chlink did not create it (use --force)"), name);
	}
}

static int may_delete(struct flow *f, const char *id, enum kept what, int force)
{
	if (force || state_created_has(&f->st, id))
		return 1;
	say_kept(f, what, last_segment(id));
	fail(f, ERR_CONFLICT, _("some resources were kept because chlink did not create them"),
	     _("chlink teardown --force deletes them too"));
	return 0;
}

void flow_undo_endpoint(struct flow *f, int force)
{
	const struct az_pe *pe = f->obs.pe;

	flow_batch_begin(f, flow_refresh);
	if (f->az && pe && may_delete(f, pe->id, KEPT_ENDPOINT, force)) {
		state_created_remove(&f->st, pe->id);
		state_journal_forget(&f->st, pe->id);
		flow_event(f, _("deleting private endpoint %s"), pe->name);
		flow_batch_add(f);
		if (azure_pe_delete(f->az, pe->resource_group, pe->name, after_pe_delete, f) < 0)
			flow_send_failed(f);
	}
	flow_batch_end(f);
}

void flow_undo_zone(struct flow *f, int force)
{
	char *zone = f->obs.zone ? flow_zone_name(f) : NULL;
	char *id = zone ? zone_id(f, zone, NULL) : NULL;

	flow_batch_begin(f, flow_refresh);
	if (f->az && zone && may_delete(f, id, KEPT_ZONE, force)) {
		state_created_remove(&f->st, id);
		flow_event(f, _("deleting private DNS zone %s"), zone);
		flow_batch_add(f);
		if (azure_zone_delete(f->az, flow_dns_rg(f), zone, after_zone_delete, f) < 0)
			flow_send_failed(f);
	}
	free(id);
	free(zone);
	flow_batch_end(f);
}

void flow_undo_record(struct flow *f, int force)
{
	char *zone = f->obs.record ? flow_zone_name(f) : NULL;
	char *id = zone ? zone_id(f, zone, "/A/*") : NULL;

	flow_batch_begin(f, flow_refresh);
	if (f->az && zone && may_delete(f, id, KEPT_RECORD, force)) {
		state_created_remove(&f->st, id);
		flow_event(f, _("deleting the wildcard record of %s"), zone);
		flow_batch_add(f);
		if (azure_record_delete(f->az, flow_dns_rg(f), zone, "*", after_record_delete, f) <
		    0)
			flow_send_failed(f);
	}
	free(id);
	free(zone);
	flow_batch_end(f);
}

void flow_undo_link(struct flow *f, int force)
{
	char *zone = flow_zone_name(f), *vnet = flow_vnet_id(f), *zid, *id;
	const struct az_link *k = NULL;

	for (size_t i = 0; f->obs.links && i < f->obs.links->n; i++)
		if (flow_strcaseeq(f->obs.links->v[i].vnet_id, vnet))
			k = &f->obs.links->v[i];
	flow_batch_begin(f, flow_refresh);
	if (f->az && zone && k) {
		zid = zone_id(f, zone, NULL);
		id = xasprintf("%s/virtualNetworkLinks/%s", zid, k->name);
		if (may_delete(f, id, KEPT_LINK, force)) {
			state_created_remove(&f->st, id);
			flow_event(f, _("deleting the VNet link %s"), k->name);
			flow_batch_add(f);
			if (azure_link_delete(f->az, flow_dns_rg(f), zone, k->name,
			                      after_link_delete, f) < 0)
				flow_send_failed(f);
		}
		free(zid);
		free(id);
	}
	free(vnet);
	free(zone);
	flow_batch_end(f);
}
