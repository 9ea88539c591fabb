/*
 * flow_doctor: the guide's troubleshooting, automated. A const catalogue of
 * findings (code, verdict, fix); each test below looks at one observation
 * and adds its finding with the evidence it saw.
 */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "flow_int.h"
#include "i18n.h"
#include "xmalloc.h"

enum finding {
	F_DEVELOPMENT,
	F_NO_SERVICE,
	F_CROSS_REGION,
	F_NOT_ADMIN,
	F_ORG_ONLY,
	F_UNKNOWN_TO_AZURE,
	F_ID_FORM,
	F_DNS_ZONE,
	F_DNS_RECORD,
	F_DNS_WRONG_IP,
	F_DNS_LINK,
	F_DNS_OUTSIDE,
	F_PENDING,
	F_REJECTED,
	F_RESET,
	F_TIMEOUT,
	F_NCOUNT
};

static const struct {
	const char *code;
	const char *verdict; /* N_() */
	const char *fix;     /* N_() */
} catalogue[F_NCOUNT] = {
    [F_DEVELOPMENT] = {"development-service", N_("a Development service cannot use Private Link"),
                       N_("choose a Production service: chlink apply --service NAME")},
    [F_NO_SERVICE] = {"no-service-in-region",
                      N_("no ClickHouse Cloud service on Azure in this region"),
                      N_("create a service in the region first, or choose another: chlink "
                         "apply --region REGION")},
    [F_CROSS_REGION] = {"cross-region",
                        N_("the endpoint is in another region than the service (allowed on "
                           "Azure; cross-region traffic may cost extra)"),
                        N_("nothing to fix; to avoid the charge, put the endpoint in a VNet of "
                           "the service's region")},
    [F_NOT_ADMIN] = {"key-not-admin", N_("the ClickHouse Cloud key lacks the Admin role"),
                     N_("create an Admin key and store it: chlink creds")},
    [F_ORG_ONLY] = {"org-only",
                    N_("the endpoint id is registered in the organization but attached to no "
                       "service"),
                    N_("add it to the service allow list: chlink apply (stage 4), or remove it: "
                       "chlink teardown")},
    [F_UNKNOWN_TO_AZURE] = {"unknown-to-azure",
                            N_("an id on the allow list or in the organization is unknown to "
                               "Azure (a typo registers a dud)"),
                            N_("remove it in the console (Organization details → Private "
                               "endpoints) and register the right id: chlink apply")},
    [F_ID_FORM] = {"id-form-mismatch",
                   N_("the service lists the endpoint in one id form and the organization in "
                      "the other (resourceGuid vs resource id)"),
                   N_("both work; to make them agree: chlink apply --endpoint-id guid (or "
                      "resource-id)")},
    [F_DNS_ZONE] = {"dns-zone-missing", N_("the private DNS zone is missing"),
                    N_("chlink apply (creates the zone)")},
    [F_DNS_RECORD] = {"dns-record-missing", N_("the wildcard A record is missing"),
                      N_("chlink apply (creates * -> endpoint IP, TTL 300)")},
    [F_DNS_WRONG_IP] = {"dns-wrong-ip", N_("DNS answers with another IP than the endpoint's"),
                        N_("chlink apply (points the wildcard record at the endpoint IP)")},
    [F_DNS_LINK] = {"dns-link-missing", N_("the DNS zone is not linked to the VNet"),
                    N_("chlink apply (links the zone to the VNet)")},
    [F_DNS_OUTSIDE] = {"dns-outside-vnet",
                       N_("the private name does not resolve here: this machine is outside "
                          "the VNet (expected, not broken)"),
                       N_("run chlink doctor from a VM in the VNet, or pass --dns-server")},
    [F_PENDING] = {"pending-not-allowlisted",
                   N_("the connection is Pending: the endpoint id is not on the service allow "
                      "list"),
                   N_("chlink apply (stage 4 adds it), or the wizard's Allow list screen")},
    [F_REJECTED] = {"connection-rejected", N_("the connection was rejected or disconnected"),
                    N_("delete the endpoint and create it again: chlink teardown, then chlink "
                       "apply")},
    [F_RESET] = {"reset-not-allowlisted",
                 N_("the connection was reset after connect: the id is most likely not on the "
                    "service allow list"),
                 N_("chlink apply (stage 4), then chlink doctor again")},
    [F_TIMEOUT] = {"timeout-network-rules",
                   N_("the connection timed out: network rules or routes block 9440/8443"),
                   N_("allow outbound TCP 9440 and 8443 to the endpoint IP in the NSG and "
                      "firewall")},
};

static void add(struct flow *f, enum finding k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add(struct flow *f, enum finding k, const char *fmt, ...)
{
	struct flow_view *v = &f->view;
	struct flow_finding *x;
	char ev[512];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(ev, sizeof ev, fmt, ap) < 0)
		ev[0] = '\0';
	va_end(ap);
	v->findings = xrealloc(v->findings, (v->n_findings + 1) * sizeof *v->findings);
	x = &v->findings[v->n_findings++];
	x->code = xstrdup(catalogue[k].code);
	x->verdict = xstrdup(_(catalogue[k].verdict));
	x->evidence = xstrdup(ev);
	x->fix = xstrdup(_(catalogue[k].fix));
}

static int known_to_azure(const struct flow *f, const char *id)
{
	const struct az_pe_list *l = f->obs.pes;

	if (f->obs.pe &&
	    (flow_strcaseeq(id, f->obs.pe->id) || flow_strcaseeq(id, f->obs.pe->resource_guid)))
		return 1;
	for (size_t i = 0; l && i < l->n; i++)
		if (flow_strcaseeq(id, l->v[i].id) || flow_strcaseeq(id, l->v[i].resource_guid))
			return 1;
	return 0;
}

static void service_findings(struct flow *f)
{
	const struct chc_service_list *l = f->obs.services;
	const struct az_pe *pe = f->obs.pe;

	if (f->chc && flow_region(f) && !f->obs.services_err.kind && (!l || l->n == 0))
		add(f, F_NO_SERVICE, _("region %s: no azure service listed"), flow_region(f));
	for (size_t i = 0; i < f->obs.n_chosen; i++) {
		const struct chc_service *s = flow_chosen(f, i);
		if (s->tier && strcasecmp(s->tier, "development") == 0)
			add(f, F_DEVELOPMENT, _("%s: tier %s"), s->name, s->tier);
	}
	if (pe && pe->location && flow_chosen(f, 0) && flow_chosen(f, 0)->region &&
	    !flow_strcaseeq(pe->location, flow_chosen(f, 0)->region))
		add(f, F_CROSS_REGION, _("endpoint in %s, service in %s"), pe->location,
		    flow_chosen(f, 0)->region);
	if (f->obs.services_err.kind == ERR_FORBIDDEN || f->obs.org_err.kind == ERR_FORBIDDEN ||
	    f->obs.config_err.kind == ERR_FORBIDDEN)
		add(f, F_NOT_ADMIN, "%s", _("HTTP 403 from the ClickHouse Cloud API"));
	else if (f->st.last_forbidden)
		add(f, F_NOT_ADMIN, _("the last change was refused: %s"), f->st.last_forbidden);
}

static int on_some_service(const struct flow *f, const char *id)
{
	if (!id)
		return 0;
	const struct chc_service_list *l = f->obs.services;

	for (size_t i = 0; l && i < l->n; i++)
		for (size_t k = 0; k < l->v[i].n_pe_ids; k++)
			if (flow_strcaseeq(l->v[i].pe_ids[k], id))
				return 1;
	return 0;
}

/* The other id form of the same endpoint (guid <-> resource id), when Azure told us. */
static const char *other_form(const struct flow *f, const char *id)
{
	const struct az_pe_list *l = f->obs.pes;
	const struct az_pe *pe = f->obs.pe;

	if (pe && flow_strcaseeq(id, pe->id))
		return pe->resource_guid;
	if (pe && flow_strcaseeq(id, pe->resource_guid))
		return pe->id;
	for (size_t i = 0; l && i < l->n; i++) {
		if (flow_strcaseeq(id, l->v[i].id))
			return l->v[i].resource_guid;
		if (flow_strcaseeq(id, l->v[i].resource_guid))
			return l->v[i].id;
	}
	return NULL;
}

static void registration_findings(struct flow *f)
{
	const struct chc_org *o = f->obs.org;
	const struct chc_service_list *l = f->obs.services;
	const struct az_pe *pe = f->obs.pe;
	int listed_by_id = 0, listed_by_guid = 0, org_by_id = 0, org_by_guid = 0;

	for (size_t i = 0; o && i < o->n_pes; i++) {
		const char *id = o->pes[i].id;
		if (o->pes[i].cloud_provider && strcasecmp(o->pes[i].cloud_provider, "azure") != 0)
			continue;
		if (o->pes[i].region && flow_region(f) &&
		    !flow_strcaseeq(o->pes[i].region, flow_region(f)))
			continue;
		if (l && !on_some_service(f, id) && !on_some_service(f, other_form(f, id)))
			add(f, F_ORG_ONLY, _("%s is in the organization, on no service in %s"), id,
			    flow_region(f));
		if (pe && flow_strcaseeq(id, pe->id))
			org_by_id = 1;
		if (pe && flow_strcaseeq(id, pe->resource_guid))
			org_by_guid = 1;
	}
	for (size_t i = 0;
	     f->obs.pes && flow_azure_reachable(f) && !f->obs.pe_err.kind && l && i < l->n; i++)
		for (size_t k = 0; k < l->v[i].n_pe_ids; k++)
			if (!known_to_azure(f, l->v[i].pe_ids[k]))
				add(f, F_UNKNOWN_TO_AZURE,
				    _("%s on %s is not an endpoint of subscription %s"),
				    l->v[i].pe_ids[k], l->v[i].name,
				    flow_subscription(f) ? flow_subscription(f) : "-");
	for (size_t i = 0; pe && i < f->obs.n_chosen; i++) {
		const struct chc_service *s = flow_chosen(f, i);
		for (size_t k = 0; k < s->n_pe_ids; k++) {
			listed_by_id |= flow_strcaseeq(s->pe_ids[k], pe->id);
			listed_by_guid |= flow_strcaseeq(s->pe_ids[k], pe->resource_guid);
		}
	}
	if ((listed_by_id && org_by_guid && !org_by_id) ||
	    (listed_by_guid && org_by_id && !org_by_guid))
		add(f, F_ID_FORM, "%s",
		    listed_by_id ? _("service lists the resource id, organization has the "
		                     "resourceGuid")
		                 : _("service lists the resourceGuid, organization has the "
		                     "resource id"));
}

static void network_findings(struct flow *f)
{
	const struct flow_view *v = &f->view;
	const struct probe_result *p[] = {&f->obs.pr_tls, &f->obs.pr_ping};

	if (v->step[FLOW_DNS_ZONE].state == FLOW_MISSING && f->obs.pe)
		add(f, F_DNS_ZONE, "%s", v->step[FLOW_DNS_ZONE].detail);
	else if (v->step[FLOW_DNS_RECORD].state == FLOW_MISSING && f->obs.zone)
		add(f, F_DNS_RECORD, "%s", v->step[FLOW_DNS_RECORD].detail);
	if (v->step[FLOW_DNS_RECORD].state == FLOW_FAILED)
		add(f, F_DNS_WRONG_IP, "%s", v->step[FLOW_DNS_RECORD].detail);
	else if (f->obs.probed && f->obs.pr_dns.verdict == PROBE_DNS_WRONG_IP)
		add(f, F_DNS_WRONG_IP, _("%s answered %s"), f->obs.pr_dns.where,
		    f->obs.pr_dns.answer);
	if (v->step[FLOW_DNS_LINK].state == FLOW_MISSING && f->obs.zone)
		add(f, F_DNS_LINK, "%s", v->step[FLOW_DNS_LINK].detail);
	if (f->obs.probed && f->obs.pr_dns.verdict == PROBE_DNS_OUTSIDE_VNET)
		add(f, F_DNS_OUTSIDE, "%s", f->obs.pr_dns.where);
	if (v->conn == FLOW_CONN_PENDING && v->allow_done < v->allow_total)
		add(f, F_PENDING, _("connection Pending; on %d of %d allow lists"), v->allow_done,
		    v->allow_total);
	if (v->conn == FLOW_CONN_REJECTED || v->conn == FLOW_CONN_DISCONNECTED)
		add(f, F_REJECTED, "%s", flow_conn_phrase(v->conn));
	for (size_t i = 0; f->obs.probed && i < 2; i++) {
		if (p[i]->verdict == PROBE_RESET) {
			add(f, F_RESET, "%s", p[i]->detail);
			break;
		}
		if (p[i]->verdict == PROBE_TIMEOUT) {
			add(f, F_TIMEOUT, "%s", p[i]->detail);
			break;
		}
	}
}

void flow_doctor_findings(struct flow *f)
{
	flow_findings_clear(&f->view);
	service_findings(f);
	registration_findings(f);
	network_findings(f);
}
