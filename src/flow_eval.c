/* flow_eval: the observation turned into each step's state and detail (pure: no requests). */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "flow_int.h"
#include "i18n.h"
#include "xmalloc.h"

static char *dup0(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void flow_findings_clear(struct flow_view *v)
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

void flow_view_clear(struct flow_view *v)
{
	char **strs[] = {&v->service_id,
	                 &v->service_region,
	                 &v->endpoint_service_id,
	                 &v->private_dns_hostname,
	                 &v->pe_id,
	                 &v->pe_name,
	                 &v->pe_guid,
	                 &v->pe_ip,
	                 &v->pe_location,
	                 &v->pe_provisioning,
	                 &v->zone,
	                 &v->record_ip,
	                 &v->link};
	int64_t polled = v->polled_at;

	for (size_t i = 0; i < v->n_services; i++) {
		free(v->services[i].id);
		free(v->services[i].name);
		free(v->services[i].state);
		free(v->services[i].tier);
	}
	free(v->services);
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	for (size_t i = 0; i < v->n_pe_candidates; i++)
		free(v->pe_candidates[i]);
	free(v->pe_candidates);
	flow_findings_clear(v);
	memset(v, 0, sizeof *v);
	v->polled_at = polled;
}

static void set(struct flow *f, enum flow_step s, enum flow_state st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set(struct flow *f, enum flow_step s, enum flow_state st, const char *fmt, ...)
{
	va_list ap;

	f->view.step[s].state = st;
	va_start(ap, fmt);
	if (vsnprintf(f->view.step[s].detail, sizeof f->view.step[s].detail, fmt, ap) < 0)
		f->view.step[s].detail[0] = '\0';
	va_end(ap);
}

static enum flow_conn conn_of(const struct az_pe *pe)
{
	if (!pe)
		return FLOW_CONN_NONE;
	switch (pe->conn) {
	case AZ_CONN_PENDING:
		return FLOW_CONN_PENDING;
	case AZ_CONN_APPROVED:
		return FLOW_CONN_APPROVED;
	case AZ_CONN_REJECTED:
		return FLOW_CONN_REJECTED;
	case AZ_CONN_DISCONNECTED:
		return FLOW_CONN_DISCONNECTED;
	case AZ_CONN_OTHER:
		return FLOW_CONN_OTHER;
	default:
		return FLOW_CONN_NONE;
	}
}

/* The connection state for people: the guide's word in their language; a state the guide
 * does not name stays as Azure wrote it. */
static const char *conn_shown(const struct az_pe *pe)
{
	enum flow_conn c = conn_of(pe);

	if (c == FLOW_CONN_NONE || c == FLOW_CONN_OTHER)
		return pe->conn_status ? pe->conn_status : "";
	return flow_conn_word(c);
}

static int is_dev(const struct chc_service *s)
{
	return s->tier && strcasecmp(s->tier, "development") == 0;
}

static void eval_services(struct flow *f)
{
	const struct chc_service_list *l = f->obs.services;
	struct flow_view *v = &f->view;

	if (!l)
		return;
	v->services = xcalloc(l->n + 1, sizeof *v->services);
	v->n_services = l->n;
	for (size_t i = 0; i < l->n; i++) {
		struct flow_service *s = &v->services[i];
		s->id = dup0(l->v[i].id);
		s->name = dup0(l->v[i].name);
		s->state = dup0(l->v[i].state);
		s->tier = dup0(l->v[i].tier);
		s->development = is_dev(&l->v[i]);
		s->allowed = flow_ids_hold(f, l->v[i].pe_ids, l->v[i].n_pe_ids);
		for (size_t k = 0; k < f->obs.n_chosen; k++)
			if (f->obs.chosen[k] == i)
				s->chosen = 1;
	}
	if (f->obs.n_chosen) {
		v->service_id = dup0(flow_chosen(f, 0)->id);
		v->service_region = dup0(flow_chosen(f, 0)->region);
	}
}

/* No ClickHouse key: stage 1 is what was pasted from the console (guide 1a, 5a). */
static void eval_alias_pasted(struct flow *f)
{
	const struct flow_answers *a = &f->st.answers;

	if (!a->manual_alias)
		return set(
		    f, FLOW_ALIAS, FLOW_UNKNOWN, "%s",
		    _("no ClickHouse Cloud credentials (key id, key secret, organization id)"));
	if (!a->manual_hostname)
		return set(f, FLOW_ALIAS, FLOW_MISSING, "%s",
		           _("paste the private DNS hostname from the console (--dns-hostname)"));
	set(f, FLOW_ALIAS, FLOW_DONE, _("%s (pasted from the console)"), a->manual_alias);
}

static void eval_alias(struct flow *f)
{
	const char *region = flow_region(f);
	const struct flow_obs *o = &f->obs;
	const char *pasted = f->st.answers.manual_alias;

	if (!f->chc)
		return eval_alias_pasted(f);
	if (!region)
		return set(f, FLOW_ALIAS, FLOW_MISSING, "%s", _("choose a region (--region)"));
	if (o->services_err.kind)
		return set(f, FLOW_ALIAS, FLOW_FAILED, "%s", o->services_err.msg);
	if (!o->services || o->services->n == 0)
		return set(f, FLOW_ALIAS, FLOW_FAILED,
		           _("no ClickHouse Cloud service on Azure in %s: create one first"),
		           region);
	if (o->chosen_missing)
		return set(f, FLOW_ALIAS, FLOW_FAILED, _("no service \"%s\" on Azure in %s"),
		           o->chosen_missing, region);
	if (o->chosen_ambiguous)
		return set(f, FLOW_ALIAS, FLOW_MISSING,
		           _("several services in %s: choose with --service"), region);
	if (o->n_chosen == 0)
		return set(
		    f, FLOW_ALIAS, FLOW_FAILED,
		    _("only Development services in %s: Private Link needs a Production service"),
		    region);
	for (size_t i = 0; i < o->n_chosen; i++)
		if (is_dev(flow_chosen(f, i)))
			return set(f, FLOW_ALIAS, FLOW_FAILED,
			           _("%s is a Development service: Private Link works only for "
			             "Production services"),
			           flow_chosen(f, i)->name);
	if (o->config_err.kind)
		return set(f, FLOW_ALIAS, FLOW_FAILED, "%s", o->config_err.msg);
	if (!o->config)
		return set(f, FLOW_ALIAS, FLOW_PENDING, "%s", _("no answer yet"));
	for (size_t i = 1; i < o->n_chosen; i++)
		if (o->configs[i] && !flow_strcaseeq(o->configs[i]->endpoint_service_id,
		                                     o->config->endpoint_service_id))
			return set(
			    f, FLOW_ALIAS, FLOW_FAILED,
			    _("%s and %s have different aliases; one endpoint connects to one "
			      "alias: choose services that share it"),
			    flow_chosen(f, 0)->name, flow_chosen(f, i)->name);
	if (pasted && !flow_strcaseeq(pasted, o->config->endpoint_service_id))
		return set(f, FLOW_ALIAS, FLOW_FAILED,
		           _("the API reports the service name %s, not the pasted one"),
		           o->config->endpoint_service_id);
	set(f, FLOW_ALIAS, FLOW_DONE, "%s: %s", flow_chosen(f, 0)->name,
	    o->config->endpoint_service_id);
}

static void eval_endpoint_found(struct flow *f)
{
	const struct az_pe *pe = f->obs.pe;
	const char *ps = pe->provisioning_state ? pe->provisioning_state : "";
	const char *alias = flow_alias(f), *manual = f->st.answers.manual_pe_guid;
	const char *ip = flow_pe_ip(f);

	if (alias && pe->alias && !flow_pls_resource_id(pe->alias) &&
	    !flow_strcaseeq(alias, pe->alias))
		return set(f, FLOW_ENDPOINT, FLOW_FAILED,
		           _("%s connects to %s, not to this service (%s)"), pe->name, pe->alias,
		           alias);
	if (manual && pe->resource_guid && !flow_strcaseeq(manual, pe->resource_guid) &&
	    !flow_strcaseeq(manual, pe->id))
		return set(f, FLOW_ENDPOINT, FLOW_FAILED,
		           _("the pasted id %s is not the endpoint's (%s)"), manual,
		           pe->resource_guid);
	if (f->st.answers.manual_pe_ip && f->obs.nic && f->obs.nic->private_ip &&
	    !flow_strcaseeq(f->st.answers.manual_pe_ip, f->obs.nic->private_ip))
		return set(f, FLOW_ENDPOINT, FLOW_FAILED,
		           _("the pasted IP %s is not the endpoint's (%s)"),
		           f->st.answers.manual_pe_ip, f->obs.nic->private_ip);
	if (strcasecmp(ps, "Succeeded") == 0)
		set(f, FLOW_ENDPOINT, FLOW_DONE, "%s  %s  %s", pe->name, ip ? ip : "-",
		    conn_shown(pe));
	else if (strcasecmp(ps, "Failed") == 0)
		set(f, FLOW_ENDPOINT, FLOW_FAILED, _("%s: provisioning failed"), pe->name);
	else
		set(f, FLOW_ENDPOINT, FLOW_PENDING, _("%s: %s"), pe->name, ps);
}

/* Several endpoints connect to the alias: list them for --pe-name or the wizard's choice. */
static void eval_several(struct flow *f)
{
	const struct az_pe_list *l = f->obs.pes;
	const char *alias = flow_alias(f);
	struct flow_view *v = &f->view;
	char names[160] = "";
	size_t used = 0;

	v->pe_candidates = xcalloc(l->n + 1, sizeof(char *));
	for (size_t i = 0; i < l->n; i++) {
		int n;
		if (!flow_strcaseeq(l->v[i].alias, alias))
			continue;
		v->pe_candidates[v->n_pe_candidates++] = xstrdup(l->v[i].name);
		n = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
		             l->v[i].name);
		if (n > 0 && (size_t)n < sizeof names - used)
			used += (size_t)n;
	}
	set(f, FLOW_ENDPOINT, FLOW_FAILED,
	    _("several endpoints target this service; choose one with --pe-name: %s"), names);
}

static void eval_endpoint(struct flow *f)
{
	const struct flow_obs *o = &f->obs;
	const struct flow_answers *a = &f->st.answers;

	if (!f->az) {
		if (a->manual_pe_guid)
			return set(f, FLOW_ENDPOINT, FLOW_UNKNOWN,
			           _("no Azure credentials; using the pasted id %s"),
			           a->manual_pe_guid);
		return set(
		    f, FLOW_ENDPOINT, FLOW_UNKNOWN, "%s",
		    _("no Azure credentials (tenant, client id, client secret, subscription)"));
	}
	if (!flow_azure_reachable(f))
		return set(f, FLOW_ENDPOINT, FLOW_UNKNOWN, "%s", o->pe_err.msg);
	if (o->pe_err.kind)
		return set(f, FLOW_ENDPOINT, FLOW_FAILED, "%s", o->pe_err.msg);
	if (o->pe_several)
		return eval_several(f);
	if (o->pe)
		return eval_endpoint_found(f);
	if (!flow_alias(f) && !a->pe_name)
		return set(f, FLOW_ENDPOINT, FLOW_MISSING, "%s",
		           _("waiting for the alias (stage 1)"));
	if (!a->resource_group || !a->vnet || !a->subnet)
		return set(f, FLOW_ENDPOINT, FLOW_MISSING, "%s",
		           _("no endpoint yet; needs --resource-group, --vnet and --subnet"));
	set(f, FLOW_ENDPOINT, FLOW_MISSING, _("no endpoint targets %s"),
	    flow_alias(f) ? flow_alias(f) : a->pe_name);
}

static const struct az_link *vnet_link(const struct flow *f)
{
	char *vnet = flow_vnet_id(f);
	const struct az_link *hit = NULL;

	for (size_t i = 0; f->obs.links && i < f->obs.links->n; i++)
		if (flow_strcaseeq(f->obs.links->v[i].vnet_id, vnet))
			hit = &f->obs.links->v[i];
	free(vnet);
	return hit;
}

static void eval_dns(struct flow *f)
{
	char *zone = flow_zone_name(f);
	const char *ip = flow_pe_ip(f);
	const struct az_record *r = f->obs.record;
	const struct az_link *k = vnet_link(f);
	enum flow_state unk = f->az ? FLOW_MISSING : FLOW_UNKNOWN;
	const char *why =
	    f->az ? _("waiting for the alias and the endpoint") : _("no Azure credentials");

	if (!f->az || !zone || !flow_dns_rg(f)) {
		for (int s = FLOW_DNS_ZONE; s <= FLOW_DNS_LINK; s++)
			set(f, (enum flow_step)s, unk, "%s", why);
		free(zone);
		return;
	}
	if (f->obs.dns_err.kind)
		set(f, FLOW_DNS_ZONE, FLOW_FAILED, "%s", f->obs.dns_err.msg);
	else if (f->obs.zone && f->obs.zone->provisioning_state &&
	         strcasecmp(f->obs.zone->provisioning_state, "Succeeded") != 0)
		set(f, FLOW_DNS_ZONE, FLOW_PENDING, "%s: %s", zone,
		    f->obs.zone->provisioning_state);
	else if (f->obs.zone)
		set(f, FLOW_DNS_ZONE, FLOW_DONE, "%s", zone);
	else
		set(f, FLOW_DNS_ZONE, FLOW_MISSING, _("no zone %s in %s"), zone, flow_dns_rg(f));
	if (!r || r->n_ips == 0)
		set(f, FLOW_DNS_RECORD, FLOW_MISSING, "%s", _("no wildcard record *"));
	else if (!ip)
		set(f, FLOW_DNS_RECORD, FLOW_PENDING, _("* -> %s (endpoint IP not known yet)"),
		    r->ips[0]);
	else if (!flow_strcaseeq(r->ips[0], ip) || r->n_ips > 1)
		set(f, FLOW_DNS_RECORD, FLOW_FAILED, _("points at %s, endpoint is %s"), r->ips[0],
		    ip);
	else
		set(f, FLOW_DNS_RECORD, FLOW_DONE, "* -> %s", ip);
	if (!k)
		set(f, FLOW_DNS_LINK, FLOW_MISSING, "%s", _("no link from the zone to the VNet"));
	else if (k->link_state && strcasecmp(k->link_state, "Completed") != 0)
		set(f, FLOW_DNS_LINK, FLOW_PENDING, "%s: %s", k->name, k->link_state);
	else
		set(f, FLOW_DNS_LINK, FLOW_DONE, "%s", k->name);
	f->view.zone = f->obs.zone ? dup0(zone) : NULL;
	f->view.record_ip = r && r->n_ips ? dup0(r->ips[0]) : NULL;
	f->view.link = k ? dup0(k->name) : NULL;
	free(zone);
}

static void eval_org(struct flow *f)
{
	const char *id = flow_reg_id(f);

	if (!f->chc)
		return set(f, FLOW_ORG, FLOW_UNKNOWN, "%s", _("no ClickHouse Cloud credentials"));
	if (f->obs.org_err.kind)
		return set(f, FLOW_ORG, FLOW_FAILED, "%s", f->obs.org_err.msg);
	if (!id)
		return set(f, FLOW_ORG, FLOW_MISSING, "%s",
		           _("waiting for the endpoint id (stage 2)"));
	f->view.org_registered = flow_org_holds(f);
	if (f->view.org_registered)
		set(f, FLOW_ORG, FLOW_DONE, _("%s registered"), id);
	else
		set(f, FLOW_ORG, FLOW_MISSING, _("%s not registered"), id);
}

static void eval_allowlist(struct flow *f)
{
	struct flow_view *v = &f->view;

	v->allow_total = (int)f->obs.n_chosen;
	for (size_t i = 0; i < f->obs.n_chosen; i++)
		if (flow_ids_hold(f, flow_chosen(f, i)->pe_ids, flow_chosen(f, i)->n_pe_ids))
			v->allow_done++;
	if (!f->chc)
		return set(f, FLOW_ALLOWLIST, FLOW_UNKNOWN, "%s",
		           _("no ClickHouse Cloud credentials"));
	if (!flow_reg_id(f) || v->allow_total == 0)
		return set(f, FLOW_ALLOWLIST, FLOW_MISSING, "%s",
		           _("waiting for the service and the endpoint id"));
	set(f, FLOW_ALLOWLIST, v->allow_done == v->allow_total ? FLOW_DONE : FLOW_MISSING,
	    _("%d of %d services"), v->allow_done, v->allow_total);
}

static const struct probe_result *first_bad_probe(const struct flow *f)
{
	const struct probe_result *p[] = {&f->obs.pr_dns, &f->obs.pr_tls, &f->obs.pr_ping};

	for (size_t i = 0; i < 3; i++)
		if (p[i]->verdict != PROBE_OK)
			return p[i];
	return NULL;
}

static void eval_access(struct flow *f)
{
	struct flow_view *v = &f->view;
	const struct probe_result *bad;

	v->dns_ok = f->obs.probed && f->obs.pr_dns.verdict == PROBE_OK;
	v->tls_ok = f->obs.probed && f->obs.pr_tls.verdict == PROBE_OK;
	v->ping_ok = f->obs.probed && f->obs.pr_ping.verdict == PROBE_OK;
	if (v->conn == FLOW_CONN_PENDING)
		v->waiting_on = v->allow_done < v->allow_total || v->allow_total == 0
		                    ? _("ClickHouse Cloud: add the endpoint id to the service "
		                        "allow list (stage 4)")
		                    : _("Azure: approval in progress");
	if (!f->obs.probed)
		return set(f, FLOW_ACCESS, FLOW_MISSING, "%s",
		           _("waiting for the hostname and the endpoint IP"));
	if (v->conn != FLOW_CONN_APPROVED && f->az)
		return set(f, FLOW_ACCESS,
		           v->conn == FLOW_CONN_PENDING ? FLOW_PENDING : FLOW_FAILED, "%s",
		           flow_conn_phrase(v->conn));
	if (f->obs.pr_dns.verdict == PROBE_DNS_OUTSIDE_VNET)
		return set(
		    f, FLOW_ACCESS, FLOW_UNKNOWN,
		    _("the private name resolves only inside the VNet (%s); run chlink status "
		      "there, or pass --dns-server"),
		    f->obs.pr_dns.where);
	bad = first_bad_probe(f);
	if (bad)
		return set(f, FLOW_ACCESS, FLOW_FAILED, "%s: %s", probe_verdict_name(bad->verdict),
		           bad->detail);
	set(f, FLOW_ACCESS, FLOW_DONE, _("DNS %s, TLS 9440 ok, /ping ok"), f->obs.pr_dns.answer);
}

void flow_evaluate(struct flow *f)
{
	const struct az_pe *pe = f->obs.pe;
	struct flow_view *v = &f->view;

	flow_view_clear(v);
	eval_services(f);
	v->endpoint_service_id = dup0(flow_alias(f));
	v->private_dns_hostname = dup0(flow_hostname(f));
	if (pe) {
		v->pe_id = dup0(pe->id);
		v->pe_name = dup0(pe->name);
		v->pe_guid = dup0(pe->resource_guid);
		v->pe_location = dup0(pe->location);
		v->pe_provisioning = dup0(pe->provisioning_state);
	} else if (!f->az) {
		v->pe_guid = dup0(f->st.answers.manual_pe_guid);
	}
	v->pe_ip = dup0(flow_pe_ip(f));
	v->conn = conn_of(pe);
	eval_alias(f);
	eval_endpoint(f);
	eval_dns(f);
	eval_org(f);
	eval_allowlist(f);
	eval_access(f);
}

/*
 * The profile's "lastSeen": each step's state and the connection status, for
 * a front end to show before its first observation. Never trusted: the next
 * check replaces it. Saved only when it changed, so `watch chlink status`
 * does not rewrite the file every time.
 */
void flow_remember(struct flow *f)
{
	cJSON *o = cJSON_CreateObject(), *steps = cJSON_AddObjectToObject(o, "steps");
	struct err e;
	char *text;

	for (int s = 0; s < FLOW_NSTEPS; s++)
		cJSON_AddStringToObject(steps, flow_step_info((enum flow_step)s)->key,
		                        flow_state_name(f->view.step[s].state));
	if (f->view.conn)
		cJSON_AddStringToObject(o, "connectionStatus", flow_conn_name(f->view.conn));
	if (f->view.pe_id)
		cJSON_AddStringToObject(o, "endpoint", f->view.pe_id);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		abort();
	if (f->st.last_seen && strcmp(f->st.last_seen, text) == 0) {
		free(text);
		return;
	}
	free(f->st.last_seen);
	f->st.last_seen = text;
	/* A cache: a read-only state directory must not fail `status`. */
	if (flow_save(f, &e) < 0 && f->ev)
		flow_event(f, "%s", e.msg);
}
