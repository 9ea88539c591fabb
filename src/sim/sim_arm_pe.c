/* sim_arm_pe: ARM private endpoints, their NICs and the Pending -> Approved connection state. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_int.h"
#include "xmalloc.h"

#define NET          "Microsoft.Network"
#define PE_TYPE      NET "/privateEndpoints"
#define ALIAS_SUFFIX ".azure.privatelinkservice"

static const char *const conn_kinds[] = {"privateLinkServiceConnections",
                                         "manualPrivateLinkServiceConnections"};

static int is_alias(const char *plsid)
{
	size_t n = plsid ? strlen(plsid) : 0, k = strlen(ALIAS_SUFFIX);
	return n > k && strcasecmp(plsid + n - k, ALIAS_SUFFIX) == 0;
}

static int ci_in(const cJSON *arr, const char *v)
{
	const cJSON *it;
	cJSON_ArrayForEach (it, arr)
		if (cJSON_IsString(it) && sim_ci_eq(it->valuestring, v))
			return 1;
	return 0;
}

/* Calls fn for every ClickHouse service (any org) behind `alias`; stops when fn returns 1. */
static int each_service(struct sim *s, const char *alias, int (*fn)(cJSON *svc, void *arg),
                        void *arg)
{
	cJSON *org, *svc;
	cJSON_ArrayForEach (org, world_chc_orgs(s)) {
		cJSON_ArrayForEach (svc, cJSON_GetObjectItemCaseSensitive(org, "services")) {
			cJSON *pc = cJSON_GetObjectItemCaseSensitive(svc, "privateEndpointConfig");
			if (sim_ci_eq(sim_jstr(pc, "endpointServiceId"), alias) && fn(svc, arg))
				return 1;
		}
	}
	return 0;
}

static int exists_fn(cJSON *svc, void *arg)
{
	(void)svc;
	(void)arg;
	return 1;
}

static int listed_fn(cJSON *svc, void *arg)
{
	cJSON *pe = arg, *ids = cJSON_GetObjectItemCaseSensitive(svc, "privateEndpointIds");
	const char *guid =
	    sim_jstr(cJSON_GetObjectItemCaseSensitive(pe, "properties"), "resourceGuid");
	return ci_in(ids, sim_jstr(pe, "id")) || ci_in(ids, guid);
}

static cJSON *props(cJSON *o)
{
	return cJSON_GetObjectItemCaseSensitive(o, "properties");
}

static int pe_ready(cJSON *pe, uint64_t now)
{
	return now >= (uint64_t)sim_jnum(pe, "_readyMs", 0);
}

const char *arm_pe_conn_status(struct sim *s, cJSON *pe, cJSON *conn, uint64_t now)
{
	const char *ov = sim_jstr(conn, "_override");
	const char *plsid = sim_jstr(props(conn), "privateLinkServiceId");
	if (ov)
		return ov;
	if (!pe_ready(pe, now) || cJSON_GetObjectItemCaseSensitive(pe, "_failed"))
		return "Pending";
	if (!is_alias(plsid)) /* a foreign Private Link Service: auto connections approve */
		return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(conn, "_manual")) ? "Pending"
		                                                                       : "Approved";
	cJSON *since = cJSON_GetObjectItemCaseSensitive(conn, "_allowedSinceMs");
	if (!since)
		return "Pending";
	return now >= (uint64_t)since->valuedouble + s->f.approval_delay_ms ? "Approved"
	                                                                    : "Pending";
}

static void set_conn_state(cJSON *conn, const char *status)
{
	cJSON *st =
	    cJSON_GetObjectItemCaseSensitive(props(conn), "privateLinkServiceConnectionState");
	const char *desc = strcmp(status, "Approved") == 0   ? "Auto-Approved"
	                   : strcmp(status, "Rejected") == 0 ? "Rejected by the service provider"
	                   : strcmp(status, "Disconnected") == 0
	                       ? "Disconnected by the service provider"
	                       : "Awaiting approval";
	sim_jset_str(st, "status", status);
	sim_jset_str(st, "description", desc);
	sim_jset_str(st, "actionsRequired",
	             strcmp(status, "Disconnected") == 0 ? "Recreate" : "None");
}

static void purge_nic(struct sim *s, const char *pe_id)
{
	cJSON *nics = world_azure(s, "networkInterfaces");
	for (int i = cJSON_GetArraySize(nics) - 1; i >= 0; i--)
		if (sim_ci_eq(sim_jstr(cJSON_GetArrayItem(nics, i), "_peId"), pe_id))
			cJSON_DeleteItemFromArray(nics, i);
}

/* Bring every endpoint's derived fields up to `now` (provisioning, approval, deletion). */
void arm_pe_settle(struct sim *s, uint64_t now)
{
	cJSON *pes = world_azure(s, "privateEndpoints");
	for (int i = cJSON_GetArraySize(pes) - 1; i >= 0; i--) {
		cJSON *pe = cJSON_GetArrayItem(pes, i), *conn;
		cJSON *del = cJSON_GetObjectItemCaseSensitive(pe, "_deleteAtMs");
		if (del && now >= (uint64_t)del->valuedouble) {
			purge_nic(s, sim_jstr(pe, "id"));
			cJSON_DeleteItemFromArray(pes, i);
			continue;
		}
		const char *ps = del                                               ? "Deleting"
		                 : !pe_ready(pe, now)                              ? "Updating"
		                 : cJSON_GetObjectItemCaseSensitive(pe, "_failed") ? "Failed"
		                                                                   : "Succeeded";
		sim_jset_str(props(pe), "provisioningState", ps);
		for (size_t k = 0; k < 2; k++) {
			cJSON_ArrayForEach (
			    conn, cJSON_GetObjectItemCaseSensitive(props(pe), conn_kinds[k])) {
				const char *plsid = sim_jstr(props(conn), "privateLinkServiceId");
				int listed =
				    is_alias(plsid) && each_service(s, plsid, listed_fn, pe);
				cJSON *since =
				    cJSON_GetObjectItemCaseSensitive(conn, "_allowedSinceMs");
				if (listed && !since)
					sim_jset_num(conn, "_allowedSinceMs", (double)now);
				else if (!listed && since)
					cJSON_DeleteItemFromObjectCaseSensitive(conn,
					                                        "_allowedSinceMs");
				set_conn_state(conn, arm_pe_conn_status(s, pe, conn, now));
				sim_jset_str(props(conn), "provisioningState",
				             strcmp(ps, "Updating") == 0 ? "Updating"
				                                         : "Succeeded");
			}
		}
	}
	arm_dns_settle(s, now);
}

static cJSON *find_pe_any(struct sim *s, const char *key)
{
	cJSON *pe;
	cJSON_ArrayForEach (pe, world_azure(s, "privateEndpoints")) {
		if (sim_ci_eq(sim_jstr(pe, "id"), key) || sim_ci_eq(sim_jstr(pe, "name"), key) ||
		    sim_ci_eq(sim_jstr(props(pe), "resourceGuid"), key))
			return pe;
	}
	return NULL;
}

int arm_alias_known(struct sim *s, const char *alias)
{
	return is_alias(alias) && each_service(s, alias, exists_fn, NULL);
}

int arm_pe_set_override(struct sim *s, const char *id_or_name, const char *status)
{
	cJSON *pe = find_pe_any(s, id_or_name), *conn;
	if (!pe)
		return -1;
	for (size_t k = 0; k < 2; k++) {
		cJSON_ArrayForEach (conn,
		                    cJSON_GetObjectItemCaseSensitive(props(pe), conn_kinds[k])) {
			cJSON_DeleteItemFromObjectCaseSensitive(conn, "_override");
			if (status)
				cJSON_AddStringToObject(
				    conn, "_override",
				    sim_ci_eq(status, "Rejected") ? "Rejected" : "Disconnected");
		}
	}
	return 0;
}

int sim_private_reachable(struct sim *s, const char *host, uint64_t now)
{
	cJSON *org, *svc, *target = NULL, *pe, *conn;
	uint64_t t = (uint64_t)((int64_t)now + s->clock_offset_ms);
	arm_pe_settle(s, t);
	cJSON_ArrayForEach (org, world_chc_orgs(s)) {
		cJSON_ArrayForEach (svc, cJSON_GetObjectItemCaseSensitive(org, "services")) {
			cJSON *pc = cJSON_GetObjectItemCaseSensitive(svc, "privateEndpointConfig");
			if (sim_ci_eq(sim_jstr(pc, "privateDnsHostname"), host))
				target = svc;
		}
	}
	const char *state = sim_jstr(target, "state");
	if (!target || sim_ci_eq(state, "stopped") || sim_ci_eq(state, "terminated"))
		return 0;
	const char *alias = sim_jstr(
	    cJSON_GetObjectItemCaseSensitive(target, "privateEndpointConfig"), "endpointServiceId");
	cJSON_ArrayForEach (pe, world_azure(s, "privateEndpoints")) {
		if (!listed_fn(target, pe) ||
		    !sim_ci_eq(sim_jstr(props(pe), "provisioningState"), "Succeeded"))
			continue;
		for (size_t k = 0; k < 2; k++) {
			cJSON_ArrayForEach (
			    conn, cJSON_GetObjectItemCaseSensitive(props(pe), conn_kinds[k])) {
				if (sim_ci_eq(sim_jstr(props(conn), "privateLinkServiceId"),
				              alias) &&
				    strcmp(arm_pe_conn_status(s, pe, conn, t), "Approved") == 0)
					return 1;
			}
		}
	}
	return 0;
}

/* ---- NIC and IP allocation ---- */

static int parse_cidr(const char *cidr, uint32_t *base, unsigned *bits)
{
	char ip[20];
	const char *slash = cidr ? strchr(cidr, '/') : NULL;
	if (!slash || (size_t)(slash - cidr) >= sizeof ip)
		return -1;
	snprintf(ip, sizeof ip, "%.*s", (int)(slash - cidr), cidr);
	*bits = (unsigned)atoi(slash + 1);
	if (sim_ipv4_parse(ip, base) < 0 || *bits > 30 || *bits < 8)
		return -1;
	*base &= ~((1u << (32 - *bits)) - 1);
	return 0;
}

static int ip_used(struct sim *s, const char *subnet_id, const char *ip)
{
	cJSON *nic;
	cJSON_ArrayForEach (nic, world_azure(s, "networkInterfaces")) {
		cJSON *ipc = cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(props(nic), "ipConfigurations"), 0);
		cJSON *sn = cJSON_GetObjectItemCaseSensitive(props(ipc), "subnet");
		if (sim_ci_eq(sim_jstr(sn, "id"), subnet_id) &&
		    sim_ci_eq(sim_jstr(props(ipc), "privateIPAddress"), ip))
			return 1;
	}
	return 0;
}

/* Azure keeps the first four and the last address of a subnet; -1 when full. */
static int alloc_ip(struct sim *s, const char *subnet_id, const char *prefix, const char *want,
                    char out[16])
{
	uint32_t base, w;
	unsigned bits;
	if (parse_cidr(prefix, &base, &bits) < 0)
		return -1;
	uint32_t last = base + (1u << (32 - bits)) - 2;
	if (want && sim_ipv4_parse(want, &w) == 0 && w >= base + 4 && w <= last) {
		sim_ipv4_format(w, out);
		if (!ip_used(s, subnet_id, out))
			return 0;
	}
	for (uint32_t ip = base + 4; ip <= last; ip++) {
		sim_ipv4_format(ip, out);
		if (!ip_used(s, subnet_id, out))
			return 0;
	}
	return -1;
}

static cJSON *make_nic(struct sim_ctx *c, const char *sub, const char *rg, const char *name,
                       const char *loc, const char *pe_id, const char *subnet_id, const char *ip)
{
	char guid[37];
	char *id =
	    xasprintf("/subscriptions/%s/resourceGroups/%s/providers/" NET "/networkInterfaces/%s",
	              sub, rg, name);
	char *ipc_id = xasprintf("%s/ipConfigurations/privateEndpointIpConfig", id);
	char *etag = arm_etag(c->s);
	cJSON *n = cJSON_CreateObject(), *p, *ipcs, *ipc, *ip_p, *dns;
	sim_uuid(c->s, guid);
	cJSON_AddStringToObject(n, "name", name);
	cJSON_AddStringToObject(n, "id", id);
	cJSON_AddStringToObject(n, "etag", etag);
	cJSON_AddStringToObject(n, "type", NET "/networkInterfaces");
	cJSON_AddStringToObject(n, "location", loc);
	cJSON_AddStringToObject(n, "_peId", pe_id);
	p = cJSON_AddObjectToObject(n, "properties");
	cJSON_AddStringToObject(p, "provisioningState", "Succeeded");
	cJSON_AddStringToObject(p, "resourceGuid", guid);
	ipcs = cJSON_AddArrayToObject(p, "ipConfigurations");
	ipc = cJSON_CreateObject();
	cJSON_AddStringToObject(ipc, "name", "privateEndpointIpConfig");
	cJSON_AddStringToObject(ipc, "id", ipc_id);
	cJSON_AddStringToObject(ipc, "etag", etag);
	cJSON_AddStringToObject(ipc, "type", NET "/networkInterfaces/ipConfigurations");
	ip_p = cJSON_AddObjectToObject(ipc, "properties");
	cJSON_AddStringToObject(ip_p, "provisioningState", "Succeeded");
	cJSON_AddStringToObject(ip_p, "privateIPAddress", ip);
	cJSON_AddStringToObject(ip_p, "privateIPAllocationMethod", "Dynamic");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(ip_p, "subnet"), "id", subnet_id);
	cJSON_AddTrueToObject(ip_p, "primary");
	cJSON_AddStringToObject(ip_p, "privateIPAddressVersion", "IPv4");
	cJSON_AddItemToArray(ipcs, ipc);
	dns = cJSON_AddObjectToObject(p, "dnsSettings");
	cJSON_AddArrayToObject(dns, "dnsServers");
	cJSON_AddArrayToObject(dns, "appliedDnsServers");
	cJSON_AddStringToObject(dns, "internalDomainNameSuffix", "sim.bx.internal.cloudapp.net");
	cJSON_AddStringToObject(p, "macAddress", "");
	cJSON_AddFalseToObject(p, "enableAcceleratedNetworking");
	cJSON_AddFalseToObject(p, "disableTcpStateTracking");
	cJSON_AddFalseToObject(p, "enableIPForwarding");
	cJSON_AddTrueToObject(p, "primary");
	cJSON_AddArrayToObject(p, "hostedWorkloads");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "privateEndpoint"), "id", pe_id);
	cJSON_AddFalseToObject(p, "vnetEncryptionSupported");
	cJSON_AddStringToObject(p, "nicType", "Standard");
	free(id);
	free(ipc_id);
	free(etag);
	return n;
}

static char *pe_id_for(const char *sub, const char *rg, const char *name)
{
	return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/" PE_TYPE "/%s", sub, rg,
	                 name);
}

static void not_found(struct sim_ctx *c, const char *type, const char *name, const char *rg)
{
	arm_error(c, 404, "ResourceNotFound",
	          "The Resource '%s/%s' under resource group '%s' was not found. For more details "
	          "please go to https://aka.ms/ARMResourceNotFoundFix",
	          type, name, rg);
}

/* Canonical sub id and RG name, as stored in the world (ARM preserves their case). */
static void canon(struct sim_ctx *c, const char *sub, const char *rg, const char **csub,
                  const char **crg)
{
	cJSON *s = sim_find_ci(world_azure(c->s, "subscriptions"), "subscriptionId", sub);
	*csub = sim_jstr(s, "subscriptionId");
	*crg = rg ? sim_jstr(sim_find_ci(cJSON_GetObjectItemCaseSensitive(s, "resourceGroups"),
	                                 "name", rg),
	                     "name")
	          : NULL;
}

void arm_nic_route(struct sim_ctx *c, const char *sub, const char *rg)
{
	const char *csub, *crg;
	canon(c, sub, rg, &csub, &crg);
	if (strcmp(c->rq->method, "GET") != 0) {
		arm_error(c, 405, "MethodNotAllowed",
		          "The simulator does not support http method '%s' on network interfaces.",
		          c->rq->method);
		return;
	}
	if (c->nseg == 7) {
		cJSON *items = cJSON_CreateArray(), *n;
		char *prefix = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/" NET
		                         "/networkInterfaces/",
		                         csub, crg);
		cJSON_ArrayForEach (n, world_azure(c->s, "networkInterfaces"))
			if (sim_ci_prefix(sim_jstr(n, "id"), prefix))
				cJSON_AddItemToArray(items, sim_render(n));
		free(prefix);
		arm_list(c, items);
		return;
	}
	char *id =
	    xasprintf("/subscriptions/%s/resourceGroups/%s/providers/" NET "/networkInterfaces/%s",
	              csub, crg, c->seg[7]);
	cJSON *nic = c->nseg == 8 ? arm_find_id(world_azure(c->s, "networkInterfaces"), id) : NULL;
	free(id);
	if (!nic)
		not_found(c, NET "/networkInterfaces", c->seg[7], crg);
	else
		sim_set_json(c->rs, 200, sim_render(nic));
}

/* ---- PUT / GET / DELETE / list ---- */

struct dns_cfg_arg {
	cJSON *arr;
	const char *ip;
};

static int dns_cfg_fn(cJSON *svc, void *arg)
{
	struct dns_cfg_arg *a = arg;
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(
	    e, "fqdn",
	    sim_jstr(cJSON_GetObjectItemCaseSensitive(svc, "privateEndpointConfig"),
	             "privateDnsHostname"));
	cJSON_AddItemToObject(e, "ipAddresses", cJSON_CreateStringArray(&a->ip, 1));
	cJSON_AddItemToArray(a->arr, e);
	return 0;
}

/* Check both connection arrays; -1 after answering 400. *unknown: an alias nobody serves. */
static int check_conns(struct sim_ctx *c, cJSON *p, int *unknown, char **bad_alias)
{
	int total = 0;
	*unknown = 0;
	for (size_t k = 0; k < 2; k++) {
		cJSON *a = cJSON_GetObjectItemCaseSensitive(p, conn_kinds[k]), *it;
		if (a && !cJSON_IsArray(a)) {
			arm_error(c, 400, "InvalidRequestFormat",
			          "Cannot parse the request: properties.%s must be an array.",
			          conn_kinds[k]);
			return -1;
		}
		cJSON_ArrayForEach (it, a) {
			const char *pls = sim_jstr(props(it), "privateLinkServiceId");
			const char *msg = sim_jstr(props(it), "requestMessage");
			cJSON *g = cJSON_GetObjectItemCaseSensitive(props(it), "groupIds");
			if (!pls || !*pls) {
				arm_error(c, 400, "InvalidRequestFormat",
				          "Cannot parse the request: properties.%s[%d].properties."
				          "privateLinkServiceId is required.",
				          conn_kinds[k], total);
				return -1;
			}
			if ((msg && strlen(msg) > 140) || (g && !cJSON_IsArray(g))) {
				arm_error(c, 400, "InvalidRequestFormat",
				          "Cannot parse the request: requestMessage is limited to "
				          "140 characters and groupIds must be an array.");
				return -1;
			}
			if (is_alias(pls) && !each_service(c->s, pls, exists_fn, NULL) &&
			    !*unknown) {
				*unknown = 1;
				*bad_alias = xstrdup(pls);
			}
			total++;
		}
	}
	if (total == 0) {
		arm_error(c, 400, "InvalidRequestFormat",
		          "A private endpoint needs one entry in privateLinkServiceConnections or "
		          "manualPrivateLinkServiceConnections.");
		return -1;
	}
	return 0;
}

static cJSON *build_conns(struct sim_ctx *c, cJSON *p, const char *pe_id, const char *pe_name,
                          size_t k, cJSON *old)
{
	cJSON *out = cJSON_CreateArray(), *it;
	int i = 0;
	cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(p, conn_kinds[k])) {
		cJSON *ip = props(it), *o = cJSON_CreateObject(), *op, *st;
		char *name = sim_jstr(it, "name") ? xstrdup(sim_jstr(it, "name"))
		             : i == 0             ? xstrdup(pe_name)
		                                  : xasprintf("%s-%d", pe_name, i);
		char *id = xasprintf("%s/%s/%s", pe_id, conn_kinds[k], name);
		char *etag = arm_etag(c->s);
		cJSON *g = cJSON_GetObjectItemCaseSensitive(ip, "groupIds");
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "name", name);
		char *type = xasprintf(PE_TYPE "/%s", conn_kinds[k]);
		cJSON_AddStringToObject(o, "type", type);
		free(type);
		cJSON_AddStringToObject(o, "etag", etag);
		op = cJSON_AddObjectToObject(o, "properties");
		cJSON_AddStringToObject(op, "provisioningState", "Updating");
		cJSON_AddStringToObject(op, "privateLinkServiceId",
		                        sim_jstr(ip, "privateLinkServiceId"));
		cJSON_AddItemToObject(op, "groupIds",
		                      g ? cJSON_Duplicate(g, 1) : cJSON_CreateArray());
		cJSON_AddStringToObject(
		    op, "requestMessage",
		    sim_jstr(ip, "requestMessage") ? sim_jstr(ip, "requestMessage") : "");
		st = cJSON_AddObjectToObject(op, "privateLinkServiceConnectionState");
		cJSON_AddStringToObject(st, "status", "Pending");
		cJSON_AddStringToObject(st, "description", "Awaiting approval");
		cJSON_AddStringToObject(st, "actionsRequired", "None");
		cJSON_AddBoolToObject(o, "_manual", k == 1);
		cJSON *prev = sim_find_ci(
		    cJSON_GetObjectItemCaseSensitive(props(old), conn_kinds[k]), "name", name);
		if (prev && sim_jstr(prev, "_override"))
			cJSON_AddStringToObject(o, "_override", sim_jstr(prev, "_override"));
		cJSON_AddItemToArray(out, o);
		free(name);
		free(id);
		free(etag);
		i++;
	}
	return out;
}

static void add_echo(cJSON *dst, cJSON *src, const char *key, cJSON *def)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(src, key);
	if (v) {
		cJSON_AddItemToObject(dst, key, cJSON_Duplicate(v, 1));
		cJSON_Delete(def);
	} else {
		cJSON_AddItemToObject(dst, key, def);
	}
}

struct pe_put {
	const char *csub, *crg, *name, *loc, *subnet_id, *prefix;
	char *id;
	cJSON *body, *old;
	int unknown;
	char *alias;
};

/* New endpoint: a NIC with the next free address; -1 after answering SubnetIsFull. */
static int new_nic(struct sim_ctx *c, struct pe_put *w, cJSON *p, char guid[37], char **nic_id,
                   char ip[16])
{
	cJSON *ipc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "ipConfigurations"), 0);
	const char *want = sim_jstr(props(ipc), "privateIPAddress");
	if (alloc_ip(c->s, w->subnet_id, w->prefix, want, ip) < 0) {
		arm_error(c, 400, "SubnetIsFull",
		          "Subnet %s with address prefix %s does not have enough capacity for 1 IP "
		          "addresses.",
		          w->subnet_id, w->prefix);
		return -1;
	}
	sim_uuid(c->s, guid);
	const char *custom = sim_jstr(p, "customNetworkInterfaceName");
	char *nic_name =
	    custom && *custom ? xstrdup(custom) : xasprintf("%s.nic.%s", w->name, guid);
	cJSON *nic = make_nic(c, w->csub, w->crg, nic_name, w->loc, w->id, w->subnet_id, ip);
	*nic_id = xstrdup(sim_jstr(nic, "id"));
	cJSON_AddItemToArray(world_azure(c->s, "networkInterfaces"), nic);
	free(nic_name);
	return 0;
}

static cJSON *build_pe(struct sim_ctx *c, struct pe_put *w)
{
	cJSON *p = props(w->body), *pe = cJSON_CreateObject(), *pp, *nics;
	char guid[37], ip[16] = "", *nic_id = NULL, *etag = arm_etag(c->s);
	if (w->old) {
		cJSON *op = props(w->old);
		snprintf(guid, sizeof guid, "%s", sim_jstr(op, "resourceGuid"));
		nic_id = xstrdup(
		    sim_jstr(cJSON_GetArrayItem(
		                 cJSON_GetObjectItemCaseSensitive(op, "networkInterfaces"), 0),
		             "id"));
		cJSON *nic = arm_find_id(world_azure(c->s, "networkInterfaces"), nic_id);
		cJSON *ipc0 = cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(props(nic), "ipConfigurations"), 0);
		snprintf(ip, sizeof ip, "%s",
		         sim_jstr(props(ipc0), "privateIPAddress")
		             ? sim_jstr(props(ipc0), "privateIPAddress")
		             : "");
	} else if (new_nic(c, w, p, guid, &nic_id, ip) < 0) {
		cJSON_Delete(pe);
		free(etag);
		return NULL;
	}
	cJSON_AddStringToObject(pe, "name", w->name);
	cJSON_AddStringToObject(pe, "id", w->id);
	cJSON_AddStringToObject(pe, "etag", etag);
	cJSON_AddStringToObject(pe, "type", PE_TYPE);
	cJSON_AddStringToObject(pe, "location", w->loc);
	if (cJSON_GetObjectItemCaseSensitive(w->body, "tags"))
		add_echo(pe, w->body, "tags", NULL);
	pp = cJSON_AddObjectToObject(pe, "properties");
	cJSON_AddStringToObject(pp, "provisioningState", "Updating");
	cJSON_AddStringToObject(pp, "resourceGuid", guid);
	for (size_t k = 0; k < 2; k++)
		cJSON_AddItemToObject(pp, conn_kinds[k],
		                      build_conns(c, p, w->id, w->name, k, w->old));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(pp, "subnet"), "id", w->subnet_id);
	nics = cJSON_AddArrayToObject(pp, "networkInterfaces");
	cJSON *ni = cJSON_CreateObject();
	cJSON_AddStringToObject(ni, "id", nic_id);
	cJSON_AddItemToArray(nics, ni);
	struct dns_cfg_arg a = {cJSON_AddArrayToObject(pp, "customDnsConfigs"), ip};
	for (size_t k = 0; k < 2; k++) {
		cJSON *it;
		cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(pp, conn_kinds[k])) {
			const char *pls = sim_jstr(props(it), "privateLinkServiceId");
			if (is_alias(pls))
				each_service(c->s, pls, dns_cfg_fn, &a);
		}
	}
	add_echo(pp, p, "applicationSecurityGroups", cJSON_CreateArray());
	add_echo(pp, p, "ipConfigurations", cJSON_CreateArray());
	cJSON_AddStringToObject(pp, "customNetworkInterfaceName",
	                        sim_jstr(p, "customNetworkInterfaceName")
	                            ? sim_jstr(p, "customNetworkInterfaceName")
	                            : "");
	cJSON_AddNumberToObject(pe, "_readyMs", (double)(c->now + arm_lro_ms(c->s)));
	free(nic_id);
	free(etag);
	return pe;
}

/* Validate the body; 0 and w filled, or -1 after answering. */
static int pe_check(struct sim_ctx *c, struct pe_put *w)
{
	cJSON *p = props(w->body), *vnet = NULL, *sn;
	const char *loc = sim_jstr(w->body, "location");
	if (!loc || !*loc) {
		arm_error(c, 400, "LocationRequired",
		          "The location property is required for this definition.");
		return -1;
	}
	if (!cJSON_IsObject(p)) {
		arm_error(c, 400, "InvalidRequestFormat",
		          "Cannot parse the request: the properties object is required.");
		return -1;
	}
	w->subnet_id = sim_jstr(cJSON_GetObjectItemCaseSensitive(p, "subnet"), "id");
	if (!w->subnet_id) {
		arm_error(c, 400, "InvalidRequestFormat",
		          "Cannot parse the request: properties.subnet.id is required.");
		return -1;
	}
	sn = arm_subnet_by_id(c->s, w->subnet_id, &vnet);
	char *nloc = arm_norm_location(loc);
	int same = vnet && sim_ci_eq(sim_jstr(vnet, "location"), nloc);
	free(nloc);
	if (!sn || !same) {
		arm_error(c, 400, "InvalidResourceReference",
		          "Resource %s referenced by resource %s was not found. Please make sure "
		          "that the referenced resource exists, and that both resources are in the "
		          "same region.",
		          w->subnet_id, w->id);
		return -1;
	}
	w->loc = sim_jstr(vnet, "location");
	w->prefix = sim_jstr(sn, "addressPrefix");
	if (check_conns(c, p, &w->unknown, &w->alias) < 0)
		return -1;
	if (w->unknown && c->s->f.unknown_alias_sync) {
		arm_error(c, 400, "PrivateLinkServiceNotFound",
		          "Private link service with alias %s was not found.", w->alias);
		return -1;
	}
	if (w->old && cJSON_GetObjectItemCaseSensitive(w->old, "_deleteAtMs")) {
		arm_error(c, 409, "AnotherOperationInProgress",
		          "Another operation on this or dependent resource is in progress.");
		return -1;
	}
	return 0;
}

static void pe_put(struct sim_ctx *c, const char *csub, const char *crg, const char *name)
{
	struct pe_put w = {.csub = csub, .crg = crg, .name = name};
	cJSON *pes = world_azure(c->s, "privateEndpoints"), *pe;
	w.id = pe_id_for(csub, crg, name);
	w.body = arm_body(c);
	w.old = arm_find_id(pes, w.id);
	if (!w.body || arm_if_none_match(c, w.old != NULL) || pe_check(c, &w) < 0 ||
	    (pe = build_pe(c, &w)) == NULL)
		goto out;
	uint64_t ready = c->now + arm_lro_ms(c->s);
	cJSON *op = arm_new_op(c, "network", csub, crg, w.id, ready);
	if (w.unknown) {
		cJSON *e = cJSON_CreateObject();
		char *m = xasprintf("Private link service with alias %s was not found.", w.alias);
		cJSON_AddStringToObject(e, "code", "PrivateLinkServiceNotFound");
		cJSON_AddStringToObject(e, "message", m);
		cJSON_AddArrayToObject(e, "details");
		cJSON_AddItemToObject(op, "error", e);
		sim_jset_str(op, "status", "Failed");
		cJSON_AddTrueToObject(pe, "_failed");
		free(m);
	}
	int created = w.old == NULL;
	if (w.old)
		cJSON_ReplaceItemViaPointer(pes, w.old, pe);
	else
		cJSON_AddItemToArray(pes, pe);
	arm_pe_settle(c->s, c->now);
	sim_set_json(c->rs, created ? 201 : 200, sim_render(pe));
	arm_lro_headers(c, op, w.loc, 0);
out:
	cJSON_Delete(w.body);
	free(w.id);
	free(w.alias);
}

static void pe_delete(struct sim_ctx *c, cJSON *pe, const char *csub, const char *crg)
{
	if (!pe) {
		c->rs->status = 204;
		return;
	}
	uint64_t at = c->now + arm_lro_ms(c->s);
	if (!cJSON_GetObjectItemCaseSensitive(pe, "_deleteAtMs"))
		cJSON_AddNumberToObject(pe, "_deleteAtMs", (double)at);
	at = (uint64_t)sim_jnum(pe, "_deleteAtMs", 0);
	cJSON *op = arm_new_op(c, "network", csub, crg, sim_jstr(pe, "id"), at);
	char *loc = xstrdup(sim_jstr(pe, "location"));
	c->rs->status = 202;
	arm_lro_headers(c, op, loc, 1);
	free(loc);
	arm_pe_settle(c->s, c->now);
}

void arm_pe_route(struct sim_ctx *c, const char *sub, const char *rg)
{
	const char *csub, *crg, *m = c->rq->method;
	cJSON *pe;
	canon(c, sub, rg, &csub, &crg);
	if (!rg || c->nseg == 7) {
		if (strcmp(m, "GET") != 0) {
			arm_error(c, 405, "MethodNotAllowed",
			          "The requested resource does not support http method '%s'.", m);
			return;
		}
		char *prefix =
		    rg ? pe_id_for(csub, crg, "") : xasprintf("/subscriptions/%s/", csub);
		cJSON *items = cJSON_CreateArray();
		cJSON_ArrayForEach (pe, world_azure(c->s, "privateEndpoints"))
			if (sim_ci_prefix(sim_jstr(pe, "id"), prefix))
				cJSON_AddItemToArray(items, sim_render(pe));
		free(prefix);
		arm_list(c, items);
		return;
	}
	if (c->nseg != 8) {
		arm_error(c, 404, "InvalidResourceType", "The resource type could not be found.");
		return;
	}
	char *id = pe_id_for(csub, crg, c->seg[7]);
	pe = arm_find_id(world_azure(c->s, "privateEndpoints"), id);
	free(id);
	if (strcmp(m, "PUT") == 0)
		pe_put(c, csub, crg, c->seg[7]);
	else if (strcmp(m, "DELETE") == 0)
		pe_delete(c, pe, csub, crg);
	else if (strcmp(m, "GET") != 0)
		arm_error(c, 405, "MethodNotAllowed",
		          "The requested resource does not support http method '%s'.", m);
	else if (!pe)
		not_found(c, PE_TYPE, c->seg[7], crg);
	else
		sim_set_json(c->rs, 200, sim_render(pe));
}
