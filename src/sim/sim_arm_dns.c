/* sim_arm_dns: ARM private DNS zones, A record sets, virtual network links, and DNS answers. */
#include "config.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_int.h"
#include "xmalloc.h"

#define ZONE_TYPE "Microsoft.Network/privateDnsZones"
#define LINK_TYPE ZONE_TYPE "/virtualNetworkLinks"
#define A_TYPE    ZONE_TYPE "/A"

static cJSON *props(cJSON *o)
{
	return cJSON_GetObjectItemCaseSensitive(o, "properties");
}

static int count_of(struct sim *s, const char *list, const char *zone_id, int registration)
{
	cJSON *it;
	int n = 0;
	cJSON_ArrayForEach (it, world_azure(s, list)) {
		if (sim_ci_eq(sim_jstr(it, "_zoneId"), zone_id) &&
		    (!registration || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		                          props(it), "registrationEnabled"))))
			n++;
	}
	return n;
}

static const char *prov_state(cJSON *o, uint64_t now)
{
	if (now >= (uint64_t)sim_jnum(o, "_readyMs", 0))
		return "Succeeded";
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "_creating")) ? "Creating"
	                                                                      : "Updating";
}

void arm_dns_settle(struct sim *s, uint64_t now)
{
	cJSON *z, *l;
	cJSON_ArrayForEach (z, world_azure(s, "privateDnsZones")) {
		const char *id = sim_jstr(z, "id");
		cJSON *p = props(z);
		sim_jset_str(p, "provisioningState", prov_state(z, now));
		sim_jset_num(p, "numberOfRecordSets", 1 + count_of(s, "recordSets", id, 0));
		sim_jset_num(p, "numberOfVirtualNetworkLinks",
		             count_of(s, "virtualNetworkLinks", id, 0));
		sim_jset_num(p, "numberOfVirtualNetworkLinksWithRegistration",
		             count_of(s, "virtualNetworkLinks", id, 1));
	}
	cJSON_ArrayForEach (l, world_azure(s, "virtualNetworkLinks")) {
		const char *ps = prov_state(l, now);
		sim_jset_str(props(l), "provisioningState", ps);
		sim_jset_str(props(l), "virtualNetworkLinkState",
		             strcmp(ps, "Succeeded") == 0 ? "Completed" : "InProgress");
	}
}

cJSON *arm_dns_find(struct sim *s, const char *id)
{
	cJSON *r = arm_find_id(world_azure(s, "privateDnsZones"), id);
	return r ? r : arm_find_id(world_azure(s, "virtualNetworkLinks"), id);
}

static void remove_children(struct sim *s, const char *list, const char *zone_id)
{
	cJSON *a = world_azure(s, list);
	for (int i = cJSON_GetArraySize(a) - 1; i >= 0; i--)
		if (sim_ci_eq(sim_jstr(cJSON_GetArrayItem(a, i), "_zoneId"), zone_id))
			cJSON_DeleteItemFromArray(a, i);
}

static char *plain_etag(struct sim *s)
{
	char u[37];
	sim_uuid(s, u);
	return xstrdup(u);
}

static void lro_answer(struct sim_ctx *c, int status, cJSON *obj, const char *csub, const char *crg)
{
	cJSON *op = arm_new_op(c, "dns", csub, crg, sim_jstr(obj, "id"),
	                       (uint64_t)sim_jnum(obj, "_readyMs", (double)c->now));
	arm_dns_settle(c->s, c->now);
	sim_set_json(c->rs, status, sim_render(obj));
	arm_lro_headers(c, op, "global", 1);
}

static int global_location(struct sim_ctx *c, cJSON *b)
{
	const char *loc = sim_jstr(b, "location");
	if (loc && !sim_ci_eq(loc, "global")) {
		arm_error(c, 400, "LocationNotAvailableForResourceType",
		          "The provided location '%.40s' is not available for resource type '%s'. "
		          "List of available regions for the resource type is 'global'.",
		          loc, ZONE_TYPE);
		return -1;
	}
	return 0;
}

static void zone_put(struct sim_ctx *c, cJSON *zone, const char *id, const char *name,
                     const char *csub, const char *crg)
{
	cJSON *b = arm_body(c), *zones = world_azure(c->s, "privateDnsZones"), *p;
	if (!b || arm_if_none_match(c, zone != NULL) || global_location(c, b) < 0) {
		cJSON_Delete(b);
		return;
	}
	char *etag = plain_etag(c->s);
	int created = zone == NULL;
	if (!zone) {
		zone = cJSON_CreateObject();
		cJSON_AddStringToObject(zone, "id", id);
		cJSON_AddStringToObject(zone, "name", name);
		cJSON_AddStringToObject(zone, "type", ZONE_TYPE);
		cJSON_AddStringToObject(zone, "location", "global");
		cJSON_AddStringToObject(zone, "etag", etag);
		cJSON_AddObjectToObject(zone, "tags");
		p = cJSON_AddObjectToObject(zone, "properties");
		cJSON_AddNumberToObject(p, "maxNumberOfRecordSets", 25000);
		cJSON_AddNumberToObject(p, "numberOfRecordSets", 1);
		cJSON_AddNumberToObject(p, "maxNumberOfVirtualNetworkLinks", 1000);
		cJSON_AddNumberToObject(p, "numberOfVirtualNetworkLinks", 0);
		cJSON_AddNumberToObject(p, "maxNumberOfVirtualNetworkLinksWithRegistration", 100);
		cJSON_AddNumberToObject(p, "numberOfVirtualNetworkLinksWithRegistration", 0);
		cJSON_AddStringToObject(p, "provisioningState", "Creating");
		cJSON_AddTrueToObject(zone, "_creating");
		cJSON_AddItemToArray(zones, zone);
	}
	sim_jset_str(zone, "etag", etag);
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(b, "tags")))
		cJSON_ReplaceItemInObjectCaseSensitive(
		    zone, "tags", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "tags"), 1));
	sim_jset_num(zone, "_readyMs", (double)(c->now + arm_lro_ms(c->s)));
	lro_answer(c, created ? 201 : 200, zone, csub, crg);
	free(etag);
	cJSON_Delete(b);
}

static void zone_delete(struct sim_ctx *c, cJSON *zone, const char *csub, const char *crg)
{
	if (!zone) {
		c->rs->status = 204;
		return;
	}
	const char *id = sim_jstr(zone, "id");
	if (count_of(c->s, "virtualNetworkLinks", id, 0) > 0) {
		arm_error(c, 409, "CannotDeleteResource",
		          "Cannot delete Private DNS zone '%s' because it has virtual network "
		          "links. Delete the virtual network links first.",
		          sim_jstr(zone, "name"));
		return;
	}
	cJSON *op = arm_new_op(c, "dns", csub, crg, id, c->now + arm_lro_ms(c->s));
	sim_jset_str(op, "method", "DELETE");
	remove_children(c->s, "recordSets", id);
	cJSON_Delete(cJSON_DetachItemViaPointer(world_azure(c->s, "privateDnsZones"), zone));
	c->rs->status = 202;
	arm_lro_headers(c, op, "global", 1);
}

/* aRecords: [{"ipv4Address": dotted quad}]; -1 after answering 400. */
static int check_record(struct sim_ctx *c, cJSON *p)
{
	cJSON *a, *it, *ttl;
	uint32_t ip;
	if (!cJSON_IsObject(p)) {
		arm_error(c, 400, "BadRequest", "The record set must have a properties object.");
		return -1;
	}
	a = cJSON_GetObjectItemCaseSensitive(p, "aRecords");
	ttl = cJSON_GetObjectItemCaseSensitive(p, "ttl");
	if (ttl &&
	    (!cJSON_IsNumber(ttl) || ttl->valuedouble < 0 || ttl->valuedouble > 2147483647)) {
		arm_error(c, 400, "BadRequest", "The TTL must be a number from 0 to 2147483647.");
		return -1;
	}
	if (a && !cJSON_IsArray(a)) {
		arm_error(c, 400, "BadRequest", "properties.aRecords must be an array.");
		return -1;
	}
	cJSON_ArrayForEach (it, a) {
		const char *v = sim_jstr(it, "ipv4Address");
		if (sim_ipv4_parse(v, &ip) < 0) {
			arm_error(c, 400, "BadRequest", "The IPv4 address '%.40s' is invalid.",
			          v ? v : "");
			return -1;
		}
	}
	return 0;
}

static void record_put(struct sim_ctx *c, cJSON *zone, cJSON *rec, const char *id, const char *name)
{
	cJSON *b = arm_body(c), *p = props(b), *o, *op;
	if (!b || arm_if_none_match(c, rec != NULL) || check_record(c, p) < 0) {
		cJSON_Delete(b);
		return;
	}
	char *etag = plain_etag(c->s);
	char *fqdn = strcmp(name, "@") == 0 ? xasprintf("%s.", sim_jstr(zone, "name"))
	                                    : xasprintf("%s.%s.", name, sim_jstr(zone, "name"));
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "etag", etag);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "type", A_TYPE);
	op = cJSON_AddObjectToObject(o, "properties");
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(p, "metadata")))
		cJSON_AddItemToObject(
		    op, "metadata",
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "metadata"), 1));
	cJSON_AddNumberToObject(op, "ttl", sim_jnum(p, "ttl", 3600));
	cJSON_AddStringToObject(op, "fqdn", fqdn);
	cJSON_AddFalseToObject(op, "isAutoRegistered");
	cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "aRecords");
	cJSON_AddItemToObject(op, "aRecords", a ? cJSON_Duplicate(a, 1) : cJSON_CreateArray());
	cJSON_AddStringToObject(o, "_zoneId", sim_jstr(zone, "id"));
	int created = rec == NULL;
	if (rec)
		cJSON_ReplaceItemViaPointer(world_azure(c->s, "recordSets"), rec, o);
	else
		cJSON_AddItemToArray(world_azure(c->s, "recordSets"), o);
	sim_set_json(c->rs, created ? 201 : 200, sim_render(o));
	free(etag);
	free(fqdn);
	cJSON_Delete(b);
}

static void record_route(struct sim_ctx *c, cJSON *zone, const char *rg)
{
	const char *m = c->rq->method;
	char *name = xstrdup(c->seg[9]);
	for (char *q = name; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	char *id = xasprintf("%s/A/%s", sim_jstr(zone, "id"), name);
	cJSON *rec = arm_find_id(world_azure(c->s, "recordSets"), id);
	if (strcmp(m, "PUT") == 0) {
		record_put(c, zone, rec, id, name);
	} else if (strcmp(m, "DELETE") == 0) {
		if (rec)
			cJSON_Delete(
			    cJSON_DetachItemViaPointer(world_azure(c->s, "recordSets"), rec));
		c->rs->status = rec ? 200 : 204;
	} else if (strcmp(m, "GET") != 0) {
		arm_error(c, 405, "MethodNotAllowed",
		          "The requested resource does not support http method '%s'.", m);
	} else if (!rec) {
		arm_error(c, 404, "NotFound",
		          "The resource record '%s' does not exist in resource group '%s' of "
		          "subscription.",
		          name, rg);
	} else {
		sim_set_json(c->rs, 200, sim_render(rec));
	}
	free(name);
	free(id);
}

static int check_link(struct sim_ctx *c, cJSON *b, const char *vnet_id, const char *zone_id,
                      const char *link_id)
{
	char sub[80], rg[100], name[100];
	cJSON *l;
	if (global_location(c, b) < 0)
		return -1;
	if (!vnet_id) {
		arm_error(c, 400, "BadRequest", "properties.virtualNetwork.id is required.");
		return -1;
	}
	if (sscanf(vnet_id,
	           "/subscriptions/%79[^/]/resourceGroups/%99[^/]/providers/"
	           "Microsoft.Network/virtualNetworks/%99[^/]",
	           sub, rg, name) == 3 &&
	    sim_find_ci(world_azure(c->s, "subscriptions"), "subscriptionId", sub) &&
	    !arm_find_vnet(c->s, sub, rg, name)) {
		arm_error(c, 400, "InvalidResourceReference",
		          "Virtual network '%s' referenced by the link was not found.", vnet_id);
		return -1;
	}
	cJSON_ArrayForEach (l, world_azure(c->s, "virtualNetworkLinks")) {
		if (sim_ci_eq(sim_jstr(l, "_zoneId"), zone_id) &&
		    !sim_ci_eq(sim_jstr(l, "id"), link_id) &&
		    sim_ci_eq(sim_jstr(cJSON_GetObjectItemCaseSensitive(props(l), "virtualNetwork"),
		                       "id"),
		              vnet_id)) {
			arm_error(c, 409, "Conflict",
			          "A virtual network cannot be linked to the same Private DNS zone "
			          "more than once.");
			return -1;
		}
	}
	return 0;
}

static void link_put(struct sim_ctx *c, cJSON *zone, cJSON *link, const char *id, const char *name,
                     const char *csub, const char *crg)
{
	cJSON *b = arm_body(c), *p = props(b), *o, *op;
	const char *vnet_id = sim_jstr(cJSON_GetObjectItemCaseSensitive(p, "virtualNetwork"), "id");
	if (!b || arm_if_none_match(c, link != NULL) ||
	    check_link(c, b, vnet_id, sim_jstr(zone, "id"), id) < 0) {
		cJSON_Delete(b);
		return;
	}
	char *etag = plain_etag(c->s);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "type", LINK_TYPE);
	cJSON_AddStringToObject(o, "location", "global");
	cJSON_AddStringToObject(o, "etag", etag);
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(b, "tags");
	cJSON_AddItemToObject(
	    o, "tags", cJSON_IsObject(tags) ? cJSON_Duplicate(tags, 1) : cJSON_CreateObject());
	op = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(op, "virtualNetwork"), "id", vnet_id);
	cJSON_AddBoolToObject(
	    op, "registrationEnabled",
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "registrationEnabled")));
	cJSON_AddStringToObject(op, "virtualNetworkLinkState", "InProgress");
	cJSON_AddStringToObject(op, "provisioningState", link ? "Updating" : "Creating");
	cJSON_AddStringToObject(o, "_zoneId", sim_jstr(zone, "id"));
	cJSON_AddNumberToObject(o, "_readyMs", (double)(c->now + arm_lro_ms(c->s)));
	cJSON_AddBoolToObject(o, "_creating", link == NULL);
	int created = link == NULL;
	if (link)
		cJSON_ReplaceItemViaPointer(world_azure(c->s, "virtualNetworkLinks"), link, o);
	else
		cJSON_AddItemToArray(world_azure(c->s, "virtualNetworkLinks"), o);
	lro_answer(c, created ? 201 : 200, o, csub, crg);
	free(etag);
	cJSON_Delete(b);
}

static void link_route(struct sim_ctx *c, cJSON *zone, const char *csub, const char *crg)
{
	const char *m = c->rq->method;
	char *id = xasprintf("%s/virtualNetworkLinks/%s", sim_jstr(zone, "id"), c->seg[9]);
	cJSON *links = world_azure(c->s, "virtualNetworkLinks");
	cJSON *link = arm_find_id(links, id);
	if (strcmp(m, "PUT") == 0) {
		link_put(c, zone, link, id, c->seg[9], csub, crg);
	} else if (strcmp(m, "DELETE") == 0) {
		if (link) {
			cJSON *op = arm_new_op(c, "dns", csub, crg, id, c->now + arm_lro_ms(c->s));
			sim_jset_str(op, "method", "DELETE");
			cJSON_Delete(cJSON_DetachItemViaPointer(links, link));
			c->rs->status = 202;
			arm_lro_headers(c, op, "global", 1);
		} else {
			c->rs->status = 204;
		}
	} else if (strcmp(m, "GET") != 0) {
		arm_error(c, 405, "MethodNotAllowed",
		          "The requested resource does not support http method '%s'.", m);
	} else if (!link) {
		arm_error(c, 404, "ResourceNotFound",
		          "The Resource '%s/%s/virtualNetworkLinks/%s' under resource group '%s' "
		          "was not found.",
		          ZONE_TYPE, sim_jstr(zone, "name"), c->seg[9], crg);
	} else {
		sim_set_json(c->rs, 200, sim_render(link));
	}
	free(id);
}

static void list_by(struct sim_ctx *c, const char *list, const char *prefix, const char *type)
{
	cJSON *items = cJSON_CreateArray(), *it;
	if (strcmp(c->rq->method, "GET") != 0) {
		cJSON_Delete(items);
		arm_error(c, 405, "MethodNotAllowed",
		          "The requested resource does not support http method '%s'.",
		          c->rq->method);
		return;
	}
	cJSON_ArrayForEach (it, world_azure(c->s, list)) {
		if (sim_ci_prefix(sim_jstr(it, "id"), prefix) &&
		    (!type || sim_ci_eq(sim_jstr(it, "type"), type)))
			cJSON_AddItemToArray(items, sim_render(it));
	}
	arm_list(c, items);
}

void arm_dns_route(struct sim_ctx *c, const char *sub, const char *rg)
{
	cJSON *s = sim_find_ci(world_azure(c->s, "subscriptions"), "subscriptionId", sub);
	const char *csub = sim_jstr(s, "subscriptionId"), *m = c->rq->method;
	const char *crg =
	    rg ? sim_jstr(
	             sim_find_ci(cJSON_GetObjectItemCaseSensitive(s, "resourceGroups"), "name", rg),
	             "name")
	       : NULL;
	char *prefix = rg ? xasprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/", csub,
	                              crg, ZONE_TYPE)
	                  : xasprintf("/subscriptions/%s/", csub);
	if (!rg || c->nseg == 7) {
		list_by(c, "privateDnsZones", prefix, ZONE_TYPE);
		free(prefix);
		return;
	}
	char *zid = xasprintf("%s%s", prefix, c->seg[7]);
	cJSON *zone = arm_find_id(world_azure(c->s, "privateDnsZones"), zid);
	free(prefix);
	if (c->nseg == 8) {
		if (strcmp(m, "PUT") == 0)
			zone_put(c, zone, zid, c->seg[7], csub, crg);
		else if (strcmp(m, "DELETE") == 0)
			zone_delete(c, zone, csub, crg);
		else if (strcmp(m, "GET") != 0)
			arm_error(c, 405, "MethodNotAllowed",
			          "The requested resource does not support http method '%s'.", m);
		else if (!zone)
			arm_error(c, 404, "ResourceNotFound",
			          "The Resource '%s/%s' under resource group '%s' was not found.",
			          ZONE_TYPE, c->seg[7], crg);
		else
			sim_set_json(c->rs, 200, sim_render(zone));
		free(zid);
		return;
	}
	free(zid);
	int is_a = sim_seg_is(c, 8, "A"), is_all = sim_seg_is(c, 8, "ALL");
	int is_link = sim_seg_is(c, 8, "virtualNetworkLinks");
	if (c->nseg > 10 || !(is_a || is_link || (is_all && c->nseg == 9))) {
		arm_error(c, 404, "InvalidResourceType", "The resource type could not be found.");
		return;
	}
	if (!zone) {
		arm_error(c, 404, "ParentResourceNotFound",
		          "Can not perform requested operation on nested resource. Parent resource "
		          "'%s' not found.",
		          c->seg[7]);
		return;
	}
	char *child =
	    xasprintf("%s/%s/", sim_jstr(zone, "id"), is_link ? "virtualNetworkLinks" : "A");
	char *all = xasprintf("%s/", sim_jstr(zone, "id"));
	if (c->nseg == 9)
		list_by(c, is_link ? "virtualNetworkLinks" : "recordSets", is_all ? all : child,
		        NULL);
	else if (is_a)
		record_route(c, zone, crg);
	else
		link_route(c, zone, csub, crg);
	free(child);
	free(all);
}

/* Longest zone with a VNet link that encloses qname; exact record first, then `*`. */
int sim_dns_lookup(struct sim *s, const char *qname, char ip[16])
{
	char q[256];
	size_t n = snprintf(q, sizeof q, "%s", qname ? qname : "");
	cJSON *z, *best = NULL, *rec;
	size_t best_len = 0;
	if (n >= sizeof q)
		return 0;
	if (n && q[n - 1] == '.')
		q[--n] = '\0';
	cJSON_ArrayForEach (z, world_azure(s, "privateDnsZones")) {
		const char *zn = sim_jstr(z, "name");
		size_t zl = zn ? strlen(zn) : 0;
		if (!zl || zl > n || count_of(s, "virtualNetworkLinks", sim_jstr(z, "id"), 0) == 0)
			continue;
		if (strcasecmp(q + n - zl, zn) == 0 && (zl == n || q[n - zl - 1] == '.') &&
		    zl > best_len) {
			best = z;
			best_len = zl;
		}
	}
	if (!best)
		return 0;
	char rel[256];
	snprintf(rel, sizeof rel, "%.*s", n == best_len ? 1 : (int)(n - best_len - 1),
	         n == best_len ? "@" : q);
	for (char *p = rel; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *zid = sim_jstr(best, "id");
	char *exact = xasprintf("%s/A/%s", zid, rel), *wild = xasprintf("%s/A/*", zid);
	rec = arm_find_id(world_azure(s, "recordSets"), exact);
	if (!rec && strcmp(rel, "@") != 0)
		rec = arm_find_id(world_azure(s, "recordSets"), wild);
	free(exact);
	free(wild);
	const char *v = sim_jstr(
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(props(rec), "aRecords"), 0),
	    "ipv4Address");
	if (!v)
		return 0;
	snprintf(ip, 16, "%s", v);
	return 1;
}
