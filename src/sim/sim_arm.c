/* sim_arm: Azure Resource Manager — auth, api-version, routing, lists, operations, pickers. */
#include "config.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_int.h"
#include "xmalloc.h"

#define NET "Microsoft.Network"

static const char *const v_network[] = {"2024-05-01", "2024-07-01", "2024-10-01", "2025-01-01",
                                        "2025-03-01", "2025-05-01", "2022-01-01", NULL};
static const char *const v_dns[] = {"2024-06-01", "2020-06-01", "2020-01-01", "2018-09-01", NULL};
static const char *const v_resources[] = {"2021-04-01", "2022-09-01", "2020-06-01", NULL};

void arm_error(struct sim_ctx *c, int status, const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(e, "code", code);
	cJSON_AddStringToObject(e, "message", msg);
	sim_set_json(c->rs, status, o);
}

char *arm_api_version(struct sim_ctx *c)
{
	return sim_form_get(c->rq->query ? c->rq->query : "", "api-version");
}

char *arm_etag(struct sim *s)
{
	char u[37];
	sim_uuid(s, u);
	return xasprintf("W/\"%s\"", u);
}

uint64_t arm_lro_ms(struct sim *s)
{
	return s->f.lro_ms;
}

cJSON *arm_find_id(cJSON *arr, const char *id)
{
	return sim_find_ci(arr, "id", id);
}

/* "West US 3" -> "westus3", as ARM normalises locations. */
char *arm_norm_location(const char *loc)
{
	char *o = xmalloc(strlen(loc) + 1), *p = o;
	for (; *loc; loc++)
		if (*loc != ' ')
			*p++ = (char)tolower((unsigned char)*loc);
	*p = '\0';
	return o;
}

static cJSON *find_sub(struct sim *s, const char *sub)
{
	return sim_find_ci(world_azure(s, "subscriptions"), "subscriptionId", sub);
}

cJSON *arm_rg(struct sim_ctx *c, const char *sub, const char *rg)
{
	cJSON *r = sim_find_ci(
	    cJSON_GetObjectItemCaseSensitive(find_sub(c->s, sub), "resourceGroups"), "name", rg);
	if (!r)
		arm_error(c, 404, "ResourceGroupNotFound",
		          "Resource group '%s' could not be found.", rg);
	return r;
}

cJSON *arm_find_vnet(struct sim *s, const char *sub, const char *rg, const char *name)
{
	cJSON *v;
	cJSON_ArrayForEach (v, world_azure(s, "virtualNetworks")) {
		if (sim_ci_eq(sim_jstr(v, "subscriptionId"), sub) &&
		    sim_ci_eq(sim_jstr(v, "resourceGroup"), rg) &&
		    sim_ci_eq(sim_jstr(v, "name"), name))
			return v;
	}
	return NULL;
}

/* Resolve
 * /subscriptions/S/resourceGroups/R/providers/Microsoft.Network/virtualNetworks/V/subnets/N. */
cJSON *arm_subnet_by_id(struct sim *s, const char *id, cJSON **vnet)
{
	char *parts[12];
	int n = 0;
	cJSON *v, *sn = NULL;
	char *dup = xstrdup(id ? id : ""), *save = NULL;
	for (char *t = strtok_r(dup, "/", &save); t && n < 12; t = strtok_r(NULL, "/", &save))
		parts[n++] = t;
	if (n == 10 && !strcasecmp(parts[0], "subscriptions") &&
	    !strcasecmp(parts[2], "resourceGroups") && !strcasecmp(parts[4], "providers") &&
	    !strcasecmp(parts[5], NET) && !strcasecmp(parts[6], "virtualNetworks") &&
	    !strcasecmp(parts[8], "subnets")) {
		v = arm_find_vnet(s, parts[1], parts[3], parts[7]);
		sn = v ? sim_find_ci(cJSON_GetObjectItemCaseSensitive(v, "subnets"), "name",
		                     parts[9])
		       : NULL;
		if (vnet)
			*vnet = v;
	}
	free(dup);
	return sn;
}

/* Every list answers {"value":[...]} pages of page_size with an absolute nextLink. */
void arm_list(struct sim_ctx *c, cJSON *items)
{
	size_t page = c->s->f.page_size ? c->s->f.page_size : 50, start = 0, i = 0;
	char *skip = sim_form_get(c->rq->query ? c->rq->query : "", "$skiptoken");
	char *ver = arm_api_version(c);
	cJSON *o = cJSON_CreateObject(), *val = cJSON_AddArrayToObject(o, "value"), *it;
	if (skip)
		start = (size_t)strtoul(skip, NULL, 10);
	while ((it = cJSON_GetArrayItem(items, 0)) != NULL) {
		cJSON_DetachItemViaPointer(items, it);
		if (i >= start && i < start + page)
			cJSON_AddItemToArray(val, it);
		else
			cJSON_Delete(it);
		i++;
	}
	if (start + page < i) {
		char *link = xasprintf("%s%s?api-version=%s&%%24skiptoken=%zu",
		                       c->rq->base_url ? c->rq->base_url : "", c->rq->path,
		                       ver ? ver : "", start + page);
		sim_jset_str(o, "nextLink", link);
		free(link);
	}
	cJSON_Delete(items);
	free(skip);
	free(ver);
	sim_set_json(c->rs, 200, o);
}

cJSON *arm_new_op(struct sim_ctx *c, const char *kind, const char *sub, const char *rg,
                  const char *resource_id, uint64_t done_ms)
{
	char id[37];
	cJSON *ops = world_azure(c->s, "operations"), *op = cJSON_CreateObject();
	while (cJSON_GetArraySize(ops) >= SIM_OPS_MAX)
		cJSON_DeleteItemFromArray(ops, 0);
	sim_uuid(c->s, id);
	cJSON_AddStringToObject(op, "id", id);
	cJSON_AddStringToObject(op, "kind", kind);
	cJSON_AddStringToObject(op, "method", c->rq->method);
	cJSON_AddStringToObject(op, "subscriptionId", sub);
	cJSON_AddStringToObject(op, "resourceGroup", rg ? rg : "");
	cJSON_AddStringToObject(op, "resourceId", resource_id);
	cJSON_AddNumberToObject(op, "doneMs", (double)done_ms);
	cJSON_AddStringToObject(op, "status", "Succeeded");
	cJSON_AddItemToArray(ops, op);
	return op;
}

/* Azure-AsyncOperation (+ Location) and Retry-After for a long-running answer. */
void arm_lro_headers(struct sim_ctx *c, cJSON *op, const char *loc, int with_location)
{
	const char *base = c->rq->base_url ? c->rq->base_url : "";
	const char *sub = sim_jstr(op, "subscriptionId"), *id = sim_jstr(op, "id");
	char *ver = arm_api_version(c);
	if (strcmp(sim_jstr(op, "kind"), "dns") == 0) {
		const char *rg = sim_jstr(op, "resourceGroup");
		sim_add_header(c->rs, "Azure-AsyncOperation",
		               "%s/subscriptions/%s/resourceGroups/%s/providers/" NET
		               "/privateDnsOperationStatuses/%s?api-version=%s",
		               base, sub, rg, id, ver ? ver : "");
		if (with_location)
			sim_add_header(c->rs, "Location",
			               "%s/subscriptions/%s/resourceGroups/%s/providers/" NET
			               "/privateDnsOperationResults/%s?api-version=%s",
			               base, sub, rg, id, ver ? ver : "");
	} else {
		sim_add_header(c->rs, "Azure-AsyncOperation",
		               "%s/subscriptions/%s/providers/" NET
		               "/locations/%s/operations/%s?api-version=%s",
		               base, sub, loc, id, ver ? ver : "");
		if (with_location)
			sim_add_header(c->rs, "Location",
			               "%s/subscriptions/%s/providers/" NET
			               "/locations/%s/operationResults/%s?api-version=%s",
			               base, sub, loc, id, ver ? ver : "");
	}
	sim_add_header(c->rs, "Retry-After", "%u", c->s->f.retry_after_s);
	free(ver);
}

cJSON *arm_body(struct sim_ctx *c)
{
	const char *ct = sim_header(c->rq, "Content-Type");
	if (c->rq->body_len && !sim_content_is_json(c->rq)) {
		arm_error(c, 415, "UnsupportedMediaType",
		          "The content media type '%s' is not supported. Only 'application/json' "
		          "is supported.",
		          ct ? ct : "");
		return NULL;
	}
	cJSON *b = c->rq->body_len ? cJSON_ParseWithLength(c->rq->body, c->rq->body_len) : NULL;
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		arm_error(c, 400, "InvalidRequestContent",
		          "The request content was invalid and could not be deserialized: %s",
		          c->rq->body_len ? "the body is not a JSON object."
		                          : "the request body is empty.");
		return NULL;
	}
	return b;
}

int arm_if_none_match(struct sim_ctx *c, int exists)
{
	const char *h = sim_header(c->rq, "If-None-Match");
	if (exists && h && strcmp(h, "*") == 0) {
		arm_error(c, 412, "PreconditionFailed",
		          "The condition '*' in the If-None-Match header was not satisfied: the "
		          "resource already exists.");
		return 1;
	}
	return 0;
}

/* Bearer token checks in ARM's order; the client id on success, NULL after answering. */
static int authenticate(struct sim_ctx *c, const char *sub)
{
	const char *h = sim_header(c->rq, "Authorization");
	char tid[80], appid[80];
	uint64_t exp;
	if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
		arm_error(c, 401, "AuthenticationFailed",
		          h ? "Authentication failed. The 'Authorization' header is not in the "
		              "Bearer format."
		            : "Authentication failed. The 'Authorization' header is missing.");
		return -1;
	}
	if (entra_token_parse(c->s, h + 7, tid, appid, &exp) < 0) {
		arm_error(c, 401, "InvalidAuthenticationToken", "The access token is invalid.");
		return -1;
	}
	snprintf(c->who, sizeof c->who, "%s", appid);
	if (exp * 1000 <= c->now) {
		arm_error(c, 401, "ExpiredAuthenticationToken",
		          "The access token expiry UTC time is earlier than current UTC time.");
		return -1;
	}
	cJSON *s = find_sub(c->s, sub);
	if (s && !sim_ci_eq(sim_jstr(s, "tenantId"), tid)) {
		arm_error(
		    c, 401, "InvalidAuthenticationTokenTenant",
		    "The access token is from the wrong issuer 'https://sts.windows.net/%s/'. "
		    "It must match the tenant 'https://sts.windows.net/%s/' associated with "
		    "this subscription. Please use the authority (URL) "
		    "'https://login.windows.net/%s' to get the token.",
		    tid, sim_jstr(s, "tenantId"), sim_jstr(s, "tenantId"));
		return -1;
	}
	if (!s) {
		arm_error(c, 404, "SubscriptionNotFound",
		          "The subscription '%s' could not be found.", sub);
		return -1;
	}
	cJSON *t = sim_find_ci(world_azure(c->s, "tenants"), "id", tid), *m;
	cJSON *cl = sim_find_ci(cJSON_GetObjectItemCaseSensitive(t, "clients"), "clientId", appid);
	cJSON_ArrayForEach (m, cJSON_GetObjectItemCaseSensitive(cl, "subscriptions")) {
		if (cJSON_IsString(m) && sim_ci_eq(m->valuestring, sub))
			return 0;
	}
	arm_error(c, 403, "AuthorizationFailed",
	          "The client '%s' with object id '%s' does not have authorization to perform "
	          "action '%s' over scope '%s' or the scope is invalid. If access was recently "
	          "granted, please refresh your credentials.",
	          appid, appid, strcmp(c->rq->method, "GET") == 0 ? "read" : "write", c->rq->path);
	return -1;
}

/* Which api-versions the route's resource type takes. */
static const char *const *versions_for(struct sim_ctx *c)
{
	int provider = 0;
	for (int i = 2; i < c->nseg; i++) {
		if (sim_ci_eq(c->seg[i], "privateDnsZones") ||
		    sim_ci_eq(c->seg[i], "privateDnsOperationStatuses") ||
		    sim_ci_eq(c->seg[i], "privateDnsOperationResults"))
			return v_dns;
		provider |= sim_ci_eq(c->seg[i], "providers");
	}
	return provider ? v_network : v_resources;
}

static int check_version(struct sim_ctx *c)
{
	char *v = arm_api_version(c), list[256] = "";
	const char *const *ok = versions_for(c);
	if (!v || !*v) {
		free(v);
		arm_error(c, 400, "MissingApiVersionParameter",
		          "The api-version query parameter (?api-version=) is required for all "
		          "requests.");
		return -1;
	}
	for (size_t i = 0; ok[i]; i++) {
		if (strcmp(ok[i], v) == 0) {
			free(v);
			return 0;
		}
		size_t l = strlen(list);
		snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", ok[i]);
	}
	arm_error(c, 400, "InvalidApiVersionParameter",
	          "The api-version '%.40s' is invalid. The supported versions are '%s'.", v, list);
	free(v);
	return -1;
}

static void method_not_allowed(struct sim_ctx *c)
{
	arm_error(c, 405, "MethodNotAllowed",
	          "The requested resource does not support http method '%s'.", c->rq->method);
}

static void not_found_route(struct sim_ctx *c)
{
	arm_error(c, 404, "InvalidResourceType",
	          "The resource type could not be found in the namespace for api version.");
}

static cJSON *render_rg(const char *sub, const cJSON *rg)
{
	cJSON *o = cJSON_CreateObject();
	char *id = xasprintf("/subscriptions/%s/resourceGroups/%s", sub, sim_jstr(rg, "name"));
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", sim_jstr(rg, "name"));
	cJSON_AddStringToObject(o, "type", "Microsoft.Resources/resourceGroups");
	cJSON_AddStringToObject(o, "location", sim_jstr(rg, "location"));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "properties"), "provisioningState",
	                        "Succeeded");
	free(id);
	return o;
}

static cJSON *render_subnet(const cJSON *v, const cJSON *sn)
{
	cJSON *o = cJSON_CreateObject(), *p;
	char *id = xasprintf("/subscriptions/%s/resourceGroups/%s/providers/" NET
	                     "/virtualNetworks/%s/subnets/%s",
	                     sim_jstr(v, "subscriptionId"), sim_jstr(v, "resourceGroup"),
	                     sim_jstr(v, "name"), sim_jstr(sn, "name"));
	cJSON_AddStringToObject(o, "name", sim_jstr(sn, "name"));
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "type", NET "/virtualNetworks/subnets");
	p = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddStringToObject(p, "provisioningState", "Succeeded");
	cJSON_AddStringToObject(p, "addressPrefix", sim_jstr(sn, "addressPrefix"));
	cJSON_AddStringToObject(p, "privateEndpointNetworkPolicies", "Disabled");
	cJSON_AddStringToObject(p, "privateLinkServiceNetworkPolicies", "Enabled");
	free(id);
	return o;
}

static cJSON *render_vnet(const cJSON *v)
{
	cJSON *o = cJSON_CreateObject(), *p, *sn, *subs;
	char *id = xasprintf(
	    "/subscriptions/%s/resourceGroups/%s/providers/" NET "/virtualNetworks/%s",
	    sim_jstr(v, "subscriptionId"), sim_jstr(v, "resourceGroup"), sim_jstr(v, "name"));
	cJSON_AddStringToObject(o, "name", sim_jstr(v, "name"));
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "type", NET "/virtualNetworks");
	cJSON_AddStringToObject(o, "location", sim_jstr(v, "location"));
	p = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddStringToObject(p, "provisioningState", "Succeeded");
	cJSON_AddItemToObject(
	    cJSON_AddObjectToObject(p, "addressSpace"), "addressPrefixes",
	    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(v, "addressPrefixes"), 1));
	subs = cJSON_AddArrayToObject(p, "subnets");
	cJSON_ArrayForEach (sn, cJSON_GetObjectItemCaseSensitive(v, "subnets"))
		cJSON_AddItemToArray(subs, render_subnet(v, sn));
	cJSON_AddArrayToObject(p, "virtualNetworkPeerings");
	cJSON_AddFalseToObject(p, "enableDdosProtection");
	free(id);
	return o;
}

static void vnet_route(struct sim_ctx *c, const char *sub, const char *rg, int base)
{
	cJSON *items = cJSON_CreateArray(), *v, *sn;
	if (strcmp(c->rq->method, "GET") != 0) {
		cJSON_Delete(items);
		return method_not_allowed(c);
	}
	if (c->nseg == base + 1) {
		cJSON_ArrayForEach (v, world_azure(c->s, "virtualNetworks")) {
			if (sim_ci_eq(sim_jstr(v, "subscriptionId"), sub) &&
			    (!rg || sim_ci_eq(sim_jstr(v, "resourceGroup"), rg)))
				cJSON_AddItemToArray(items, render_vnet(v));
		}
		return arm_list(c, items);
	}
	cJSON_Delete(items);
	v = rg ? arm_find_vnet(c->s, sub, rg, c->seg[base + 1]) : NULL;
	if (!v || c->nseg > base + 4 ||
	    (c->nseg > base + 2 && !sim_ci_eq(c->seg[base + 2], "subnets")))
		return arm_error(c, 404, "ResourceNotFound",
		                 "The Resource '" NET "/virtualNetworks/%s' under resource group "
		                 "'%s' was not found.",
		                 c->seg[base + 1], rg ? rg : "");
	if (c->nseg == base + 2)
		return sim_set_json(c->rs, 200, render_vnet(v));
	if (c->nseg == base + 3) {
		items = cJSON_CreateArray();
		cJSON_ArrayForEach (sn, cJSON_GetObjectItemCaseSensitive(v, "subnets"))
			cJSON_AddItemToArray(items, render_subnet(v, sn));
		return arm_list(c, items);
	}
	sn = sim_find_ci(cJSON_GetObjectItemCaseSensitive(v, "subnets"), "name", c->seg[base + 3]);
	if (!sn)
		return arm_error(c, 404, "NotFound", "Resource '%s' not found.", c->rq->path);
	sim_set_json(c->rs, 200, render_subnet(v, sn));
}

/* GET of an operation status (Azure-AsyncOperation) or result (Location) URL. */
static void op_route(struct sim_ctx *c, const char *sub, const char *id, int result)
{
	cJSON *op = arm_find_id(world_azure(c->s, "operations"), id), *o;
	if (!op || !sim_ci_eq(sim_jstr(op, "subscriptionId"), sub))
		return arm_error(c, 404, "OperationNotFound", "Operation '%s' was not found.", id);
	int running = c->now < (uint64_t)sim_jnum(op, "doneMs", 0);
	if (strcmp(c->rq->method, "GET") != 0)
		return method_not_allowed(c);
	if (result) {
		if (running) {
			c->rs->status = 202;
			sim_add_header(c->rs, "Retry-After", "%u", c->s->f.retry_after_s);
			return;
		}
		cJSON *r =
		    arm_find_id(world_azure(c->s, "privateEndpoints"), sim_jstr(op, "resourceId"));
		if (!r)
			r = arm_dns_find(c->s, sim_jstr(op, "resourceId"));
		if (!r || strcmp(sim_jstr(op, "method"), "DELETE") == 0) {
			c->rs->status = 204;
			return;
		}
		return sim_set_json(c->rs, 200, sim_render(r));
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", c->rq->path);
	cJSON_AddStringToObject(o, "name", id);
	cJSON_AddStringToObject(o, "status", running ? "InProgress" : sim_jstr(op, "status"));
	cJSON *err = cJSON_GetObjectItemCaseSensitive(op, "error");
	if (!running && err)
		cJSON_AddItemToObject(o, "error", cJSON_Duplicate(err, 1));
	sim_set_json(c->rs, 200, o);
}

/* POST .../locations/{loc}/checkPrivateLinkServiceVisibility {"privateLinkServiceAlias"}. */
static void visibility(struct sim_ctx *c)
{
	if (strcmp(c->rq->method, "POST") != 0)
		return method_not_allowed(c);
	cJSON *b = arm_body(c);
	if (!b)
		return;
	const char *alias = sim_jstr(b, "privateLinkServiceAlias");
	if (!alias) {
		arm_error(c, 400, "InvalidRequestFormat",
		          "Cannot parse the request: privateLinkServiceAlias is required.");
	} else {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddBoolToObject(o, "visible", arm_alias_known(c->s, alias));
		sim_set_json(c->rs, 200, o);
	}
	cJSON_Delete(b);
}

static void rg_level(struct sim_ctx *c, const char *sub)
{
	const char *rg = c->seg[3];
	if (!arm_rg(c, sub, rg))
		return;
	if (c->nseg == 4)
		return strcmp(c->rq->method, "GET") == 0
		           ? sim_set_json(c->rs, 200,
		                          render_rg(sim_jstr(find_sub(c->s, sub), "subscriptionId"),
		                                    arm_rg(c, sub, rg)))
		           : method_not_allowed(c);
	if (c->nseg < 7 || !sim_seg_is(c, 4, "providers") || !sim_seg_is(c, 5, NET))
		return not_found_route(c);
	if (sim_seg_is(c, 6, "privateEndpoints"))
		return arm_pe_route(c, sub, rg);
	if (sim_seg_is(c, 6, "networkInterfaces"))
		return arm_nic_route(c, sub, rg);
	if (sim_seg_is(c, 6, "virtualNetworks"))
		return vnet_route(c, sub, rg, 6);
	if (sim_seg_is(c, 6, "privateDnsZones"))
		return arm_dns_route(c, sub, rg);
	if (c->nseg == 9 && sim_seg_is(c, 6, "locations") &&
	    sim_seg_is(c, 8, "checkPrivateLinkServiceVisibility"))
		return visibility(c);
	if (c->nseg == 8 && sim_seg_is(c, 6, "privateDnsOperationStatuses"))
		return op_route(c, sub, c->seg[7], 0);
	if (c->nseg == 8 && sim_seg_is(c, 6, "privateDnsOperationResults"))
		return op_route(c, sub, c->seg[7], 1);
	not_found_route(c);
}

static void sub_level(struct sim_ctx *c, const char *sub)
{
	cJSON *s = find_sub(c->s, sub), *rg, *items;
	if (c->nseg == 2) {
		if (strcmp(c->rq->method, "GET") != 0)
			return method_not_allowed(c);
		cJSON *o = cJSON_CreateObject();
		char *id = xasprintf("/subscriptions/%s", sim_jstr(s, "subscriptionId"));
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "subscriptionId", sim_jstr(s, "subscriptionId"));
		cJSON_AddStringToObject(o, "tenantId", sim_jstr(s, "tenantId"));
		cJSON_AddStringToObject(o, "displayName", sim_jstr(s, "displayName"));
		cJSON_AddStringToObject(o, "state", "Enabled");
		free(id);
		return sim_set_json(c->rs, 200, o);
	}
	if (sim_seg_is(c, 2, "resourceGroups")) {
		if (c->nseg > 3)
			return rg_level(c, sub);
		if (strcmp(c->rq->method, "GET") != 0)
			return method_not_allowed(c);
		items = cJSON_CreateArray();
		cJSON_ArrayForEach (rg, cJSON_GetObjectItemCaseSensitive(s, "resourceGroups"))
			cJSON_AddItemToArray(items, render_rg(sim_jstr(s, "subscriptionId"), rg));
		return arm_list(c, items);
	}
	if (c->nseg < 5 || !sim_seg_is(c, 2, "providers") || !sim_seg_is(c, 3, NET))
		return not_found_route(c);
	if (c->nseg == 5 && sim_seg_is(c, 4, "privateEndpoints"))
		return arm_pe_route(c, sub, NULL);
	if (c->nseg == 5 && sim_seg_is(c, 4, "privateDnsZones"))
		return arm_dns_route(c, sub, NULL);
	if (c->nseg == 5 && sim_seg_is(c, 4, "virtualNetworks"))
		return vnet_route(c, sub, NULL, 4);
	if (c->nseg == 7 && sim_seg_is(c, 4, "locations") &&
	    sim_seg_is(c, 6, "checkPrivateLinkServiceVisibility"))
		return visibility(c);
	if (c->nseg == 8 && sim_seg_is(c, 4, "locations") && sim_seg_is(c, 6, "operations"))
		return op_route(c, sub, c->seg[7], 0);
	if (c->nseg == 8 && sim_seg_is(c, 4, "locations") && sim_seg_is(c, 6, "operationResults"))
		return op_route(c, sub, c->seg[7], 1);
	not_found_route(c);
}

void arm_handle(struct sim_ctx *c)
{
	if (c->nseg < 2) {
		arm_error(c, 404, "NotFound", "No subscription in the request path.");
		return;
	}
	if (authenticate(c, c->seg[1]) < 0 || check_version(c) < 0)
		return;
	sub_level(c, c->seg[1]);
}
