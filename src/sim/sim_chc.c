/* sim_chc: the simulated ClickHouse Cloud API v1 (organizations, services, private endpoints). */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_int.h"
#include "xmalloc.h"

static const char *const regions[] = {
    "ap-northeast-1", "ap-northeast-2", "ap-south-1",         "ap-southeast-1",  "ap-southeast-2",
    "ca-central-1",   "eu-central-1",   "eu-west-1",          "eu-west-2",       "il-central-1",
    "us-east-1",      "us-east-2",      "us-west-2",          "us-east1",        "us-central1",
    "europe-west2",   "europe-west4",   "asia-southeast1",    "asia-northeast1", "eastus",
    "eastus2",        "westus3",        "germanywestcentral", "centralus"};
static const char *const providers[] = {"aws", "gcp", "azure"};

static int in_list(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

static cJSON *envelope(struct sim_ctx *c, int status)
{
	char rid[37];
	cJSON *o = cJSON_CreateObject();
	sim_uuid(c->s, rid);
	cJSON_AddNumberToObject(o, "status", status);
	cJSON_AddStringToObject(o, "requestId", rid);
	return o;
}

void chc_error(struct sim_ctx *c, int status, const char *code, const char *fmt, ...)
{
	char msg[512], full[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "%s: %s", code, msg);
	cJSON *o = envelope(c, status);
	cJSON_AddStringToObject(o, "error", full);
	sim_set_json(c->rs, status, o);
}

static void ok(struct sim_ctx *c, cJSON *result)
{
	cJSON *o = envelope(c, 200);
	cJSON_AddItemToObject(o, "result", result);
	sim_set_json(c->rs, 200, o);
}

/* Find the key by id over all organizations; returns its organization too. */
static cJSON *find_key(struct sim *s, const char *id, cJSON **org_out)
{
	cJSON *org, *k;
	cJSON_ArrayForEach (org, world_chc_orgs(s)) {
		k = sim_find_ci(cJSON_GetObjectItemCaseSensitive(org, "keys"), "id", id);
		if (k && strcmp(sim_jstr(k, "id"), id) == 0) {
			*org_out = org;
			return k;
		}
	}
	return NULL;
}

/* HTTP basic auth; NULL after answering 401. */
static cJSON *authenticate(struct sim_ctx *c, cJSON **org)
{
	const char *h = sim_header(c->rq, "Authorization");
	char *dec = NULL, *colon;
	cJSON *k = NULL;
	if (h && strncasecmp(h, "Basic ", 6) == 0)
		dec = sim_b64_decode(h + 6, NULL);
	if (dec && (colon = strchr(dec, ':')) != NULL) {
		*colon = '\0';
		k = find_key(c->s, dec, org);
		if (k) {
			snprintf(c->who, sizeof c->who, "%s", dec);
			if (strcmp(sim_jstr(k, "secret") ? sim_jstr(k, "secret") : "", colon + 1) !=
			    0)
				k = NULL;
		}
	}
	free(dec);
	if (!k) {
		chc_error(c, 401, "UNAUTHORIZED",
		          h ? "Invalid API key or secret."
		            : "Authentication required: use HTTP basic "
		              "auth with your API key id and secret.");
		sim_add_header(c->rs, "WWW-Authenticate", "Basic realm=\"ClickHouse Cloud API\"");
	}
	return k;
}

static cJSON *render_service(const cJSON *svc)
{
	cJSON *r = sim_render(svc);
	cJSON_DeleteItemFromObjectCaseSensitive(r, "shortId");
	cJSON_DeleteItemFromObjectCaseSensitive(r, "privateEndpointConfig");
	return r;
}

static cJSON *render_org(const cJSON *org)
{
	static const char *const keys[] = {
	    "id", "createdAt", "name", "privateEndpoints", "byocConfig", "enableCoreDumps"};
	cJSON *r = cJSON_CreateObject();
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		cJSON *v = cJSON_GetObjectItemCaseSensitive(org, keys[i]);
		if (v)
			cJSON_AddItemToObject(r, keys[i], sim_render(v));
	}
	return r;
}

/* The body of a PATCH as an object; NULL after answering 400. */
static cJSON *patch_body(struct sim_ctx *c)
{
	if (!sim_content_is_json(c->rq)) {
		chc_error(c, 400, "BAD_REQUEST",
		          "Unsupported Content-Type; the request body must be application/json");
		return NULL;
	}
	cJSON *b = c->rq->body_len ? cJSON_ParseWithLength(c->rq->body, c->rq->body_len) : NULL;
	if (!b) {
		chc_error(c, 400, "BAD_REQUEST", "request body is not valid JSON");
		return NULL;
	}
	if (!cJSON_IsObject(b)) {
		chc_error(c, 400, "BAD_REQUEST", "request body value is not an object");
		cJSON_Delete(b);
		return NULL;
	}
	return b;
}

static void bad_type(struct sim_ctx *c, const char *field, const char *want, const cJSON *v)
{
	char *txt = cJSON_PrintUnformatted(v);
	chc_error(c, 400, "BAD_REQUEST", "request body.%s value is not %s: %s", field, want,
	          txt ? txt : "undefined");
	free(txt);
}

/* {add?: [string], remove?: [string]}; 0 when well-formed, else answers 400. */
static int check_id_patch(struct sim_ctx *c, const cJSON *p, const char *field)
{
	char name[96];
	if (!cJSON_IsObject(p)) {
		bad_type(c, field, "an object", p);
		return -1;
	}
	static const char *const parts[] = {"remove", "add"};
	for (size_t i = 0; i < 2; i++) {
		cJSON *a = cJSON_GetObjectItemCaseSensitive(p, parts[i]), *it;
		snprintf(name, sizeof name, "%s.%s", field, parts[i]);
		if (!a)
			continue;
		if (!cJSON_IsArray(a)) {
			bad_type(c, name, "an array", a);
			return -1;
		}
		int n = 0;
		cJSON_ArrayForEach (it, a) {
			if (!cJSON_IsString(it)) {
				snprintf(name, sizeof name, "%s.%s[%d]", field, parts[i], n);
				bad_type(c, name, "a string", it);
				return -1;
			}
			n++;
		}
	}
	return 0;
}

static int str_in(const cJSON *arr, const char *v)
{
	cJSON *it;
	cJSON_ArrayForEach (it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, v) == 0)
			return 1;
	return 0;
}

static void str_remove(cJSON *arr, const char *v)
{
	for (int i = cJSON_GetArraySize(arr) - 1; i >= 0; i--) {
		cJSON *it = cJSON_GetArrayItem(arr, i);
		if (cJSON_IsString(it) && strcmp(it->valuestring, v) == 0)
			cJSON_DeleteItemFromArray(arr, i);
	}
}

static void org_register(cJSON *org, const char *id, const char *provider, const char *region,
                         const char *desc)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(org, "privateEndpoints"), *it;
	cJSON_ArrayForEach (it, list) {
		const char *iid = sim_jstr(it, "id");
		if (iid && strcmp(iid, id) == 0) {
			if (desc)
				sim_jset_str(it, "description", desc);
			return;
		}
	}
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "cloudProvider", provider ? provider : "azure");
	cJSON_AddStringToObject(e, "id", id);
	cJSON_AddStringToObject(e, "description", desc ? desc : "");
	cJSON_AddStringToObject(e, "region", region ? region : "");
	cJSON_AddItemToArray(list, e);
}

static int is_dev(const cJSON *svc)
{
	return sim_ci_eq(sim_jstr(svc, "tier"), "development");
}

static void patch_service(struct sim_ctx *c, cJSON *org, cJSON *svc)
{
	cJSON *b = patch_body(c), *pe, *name, *it;
	if (!b)
		return;
	name = cJSON_GetObjectItemCaseSensitive(b, "name");
	pe = cJSON_GetObjectItemCaseSensitive(b, "privateEndpointIds");
	if (name &&
	    (!cJSON_IsString(name) || !*name->valuestring || strlen(name->valuestring) > 50)) {
		bad_type(c, "name", "a string of 1 to 50 characters", name);
	} else if (pe && check_id_patch(c, pe, "privateEndpointIds") < 0) {
		/* answered */
	} else if (pe && is_dev(svc)) {
		chc_error(c, 400, "BAD_REQUEST",
		          "Private endpoints are not supported for Development tier services");
	} else {
		if (name)
			sim_jset_str(svc, "name", name->valuestring);
		cJSON *ids = cJSON_GetObjectItemCaseSensitive(svc, "privateEndpointIds");
		/* remove runs before add, as documented */
		cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(pe, "remove"))
			str_remove(ids, it->valuestring);
		cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(pe, "add")) {
			if (!str_in(ids, it->valuestring))
				cJSON_AddItemToArray(ids, cJSON_CreateString(it->valuestring));
			org_register(org, it->valuestring, sim_jstr(svc, "provider"),
			             sim_jstr(svc, "region"), NULL);
		}
		ok(c, render_service(svc));
	}
	cJSON_Delete(b);
}

/* One org privateEndpoints item: an object with a string id and valid enums. */
static int check_org_item(struct sim_ctx *c, const cJSON *it, const char *part, int i)
{
	char f[96];
	const cJSON *v;
	snprintf(f, sizeof f, "privateEndpoints.%s[%d]", part, i);
	if (!cJSON_IsObject(it)) {
		bad_type(c, f, "an object", it);
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(it, "id");
	snprintf(f, sizeof f, "privateEndpoints.%s[%d].id", part, i);
	if (!cJSON_IsString(v)) {
		bad_type(c, f, "a string", v);
		return -1;
	}
	static const struct {
		const char *key;
		const char *const *list;
		size_t n;
	} enums[] = {{"cloudProvider", providers, 3}, {"region", regions, 24}};
	for (size_t k = 0; k < 2; k++) {
		v = cJSON_GetObjectItemCaseSensitive(it, enums[k].key);
		snprintf(f, sizeof f, "privateEndpoints.%s[%d].%s", part, i, enums[k].key);
		if (v &&
		    !(cJSON_IsString(v) && in_list(v->valuestring, enums[k].list, enums[k].n))) {
			bad_type(c, f, "one of the allowed values", v);
			return -1;
		}
	}
	v = cJSON_GetObjectItemCaseSensitive(it, "description");
	snprintf(f, sizeof f, "privateEndpoints.%s[%d].description", part, i);
	if (v && !cJSON_IsString(v)) {
		bad_type(c, f, "a string", v);
		return -1;
	}
	return 0;
}

static int check_org_patch(struct sim_ctx *c, const cJSON *b)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(b, "name");
	const cJSON *pe = cJSON_GetObjectItemCaseSensitive(b, "privateEndpoints");
	const cJSON *cd = cJSON_GetObjectItemCaseSensitive(b, "enableCoreDumps");
	if (name && !cJSON_IsString(name)) {
		bad_type(c, "name", "a string", name);
		return -1;
	}
	if (cd && !cJSON_IsBool(cd)) {
		bad_type(c, "enableCoreDumps", "a boolean", cd);
		return -1;
	}
	if (!pe)
		return 0;
	if (!cJSON_IsObject(pe)) {
		bad_type(c, "privateEndpoints", "an object", pe);
		return -1;
	}
	static const char *const parts[] = {"remove", "add"};
	for (size_t p = 0; p < 2; p++) {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(pe, parts[p]), *it;
		char f[64];
		snprintf(f, sizeof f, "privateEndpoints.%s", parts[p]);
		if (a && !cJSON_IsArray(a)) {
			bad_type(c, f, "an array", a);
			return -1;
		}
		int i = 0;
		cJSON_ArrayForEach (it, a)
			if (check_org_item(c, it, parts[p], i++) < 0)
				return -1;
	}
	return 0;
}

static void patch_org(struct sim_ctx *c, cJSON *org)
{
	cJSON *b = patch_body(c), *it;
	if (!b || check_org_patch(c, b) < 0) {
		cJSON_Delete(b);
		return;
	}
	cJSON *pe = cJSON_GetObjectItemCaseSensitive(b, "privateEndpoints");
	cJSON *list = cJSON_GetObjectItemCaseSensitive(org, "privateEndpoints");
	if (sim_jstr(b, "name"))
		sim_jset_str(org, "name", sim_jstr(b, "name"));
	if (cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(b, "enableCoreDumps")))
		cJSON_ReplaceItemInObjectCaseSensitive(
		    org, "enableCoreDumps",
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(b, "enableCoreDumps"), 0));
	cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(pe, "remove")) {
		const char *id = sim_jstr(it, "id");
		for (int i = cJSON_GetArraySize(list) - 1; i >= 0; i--) {
			const char *lid = sim_jstr(cJSON_GetArrayItem(list, i), "id");
			if (lid && strcmp(lid, id) == 0)
				cJSON_DeleteItemFromArray(list, i);
		}
	}
	cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(pe, "add"))
		org_register(org, sim_jstr(it, "id"), sim_jstr(it, "cloudProvider"),
		             sim_jstr(it, "region"), sim_jstr(it, "description"));
	ok(c, render_org(org));
	cJSON_Delete(b);
}

static void org_pe_config(struct sim_ctx *c, cJSON *org)
{
	const char *q = c->rq->query ? c->rq->query : "";
	char *prov = sim_form_get(q, "cloud_provider"), *reg = sim_form_get(q, "region_id");
	cJSON *svc, *found = NULL;
	if (!prov || !in_list(prov, providers, 3)) {
		chc_error(c, 400, "BAD_REQUEST",
		          "request query.cloud_provider value is not one of "
		          "the allowed values: %s",
		          prov ? prov : "undefined");
	} else if (!reg || !in_list(reg, regions, 24)) {
		chc_error(c, 400, "BAD_REQUEST",
		          "request query.region_id value is not one of the allowed values: %s",
		          reg ? reg : "undefined");
	} else {
		cJSON_ArrayForEach (svc, cJSON_GetObjectItemCaseSensitive(org, "services")) {
			if (!found && sim_ci_eq(sim_jstr(svc, "provider"), prov) &&
			    sim_ci_eq(sim_jstr(svc, "region"), reg))
				found = svc;
		}
		if (!found) {
			chc_error(c, 400, "BAD_REQUEST",
			          "organization has no created instances in %s %s", prov, reg);
		} else {
			cJSON *r = cJSON_CreateObject();
			cJSON *pc =
			    cJSON_GetObjectItemCaseSensitive(found, "privateEndpointConfig");
			cJSON_AddStringToObject(r, "endpointServiceId",
			                        sim_jstr(pc, "endpointServiceId"));
			ok(c, r);
		}
	}
	free(prov);
	free(reg);
}

static void service_pe_config(struct sim_ctx *c, cJSON *svc)
{
	if (is_dev(svc)) {
		chc_error(c, 400, "BAD_REQUEST",
		          "Private endpoints are not supported for Development tier services");
		return;
	}
	ok(c, sim_render(cJSON_GetObjectItemCaseSensitive(svc, "privateEndpointConfig")));
}

static int method_is(struct sim_ctx *c, const char *m)
{
	return strcmp(c->rq->method, m) == 0;
}

static void not_allowed(struct sim_ctx *c)
{
	chc_error(c, 405, "METHOD_NOT_ALLOWED", "%s is not allowed on %s", c->rq->method,
	          c->rq->path);
}

/* Routes under /v1/organizations/{org}/services[/{id}[/privateEndpointConfig]]. */
static void services_route(struct sim_ctx *c, cJSON *org, int admin)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(org, "services"), *svc;
	if (c->nseg == 4) {
		if (!method_is(c, "GET")) {
			not_allowed(c);
			return;
		}
		cJSON *r = cJSON_CreateArray();
		cJSON_ArrayForEach (svc, list)
			cJSON_AddItemToArray(r, render_service(svc));
		{
			ok(c, r);
			return;
		}
	}
	svc = sim_find_ci(list, "id", c->seg[4]);
	if (!svc || c->nseg > 6 || (c->nseg == 6 && strcmp(c->seg[5], "privateEndpointConfig"))) {
		chc_error(c, 404, "NOT_FOUND", svc ? "Not found" : "Service not found");
		return;
	}
	if (c->nseg == 6) {
		method_is(c, "GET") ? service_pe_config(c, svc) : not_allowed(c);
		return;
	}
	if (method_is(c, "GET")) {
		ok(c, render_service(svc));
		return;
	}
	if (!method_is(c, "PATCH")) {
		not_allowed(c);
		return;
	}
	if (!admin) {
		chc_error(c, 403, "FORBIDDEN",
		          "The API key does not have permission to perform this action "
		          "(admin role required)");
		return;
	}
	patch_service(c, org, svc);
}

/*
 * GET /v1/organizations/{org}/keys: the organization's API keys (never their
 * secrets). Listing keys is an admin action; a developer key gets 403.
 */
static void keys_route(struct sim_ctx *c, cJSON *org, int admin)
{
	cJSON *list = cJSON_CreateArray(), *k;

	if (!method_is(c, "GET") || c->nseg != 4) {
		cJSON_Delete(list);
		not_allowed(c);
		return;
	}
	if (!admin) {
		cJSON_Delete(list);
		chc_error(c, 403, "FORBIDDEN",
		          "The API key does not have permission to perform this "
		          "action (admin role required)");
		return;
	}
	cJSON_ArrayForEach (k, cJSON_GetObjectItemCaseSensitive(org, "keys")) {
		cJSON *o = cJSON_CreateObject(), *roles = cJSON_AddArrayToObject(o, "roles");
		const char *id = sim_jstr(k, "id"), *role = sim_jstr(k, "role");
		cJSON_AddStringToObject(o, "id", id ? id : "");
		cJSON_AddStringToObject(o, "name", id ? id : "");
		cJSON_AddStringToObject(o, "state", "enabled");
		cJSON_AddItemToArray(roles, cJSON_CreateString(role ? role : "developer"));
		cJSON_AddStringToObject(o, "keySuffix", "****");
		cJSON_AddItemToArray(list, o);
	}
	ok(c, list);
}

void chc_handle(struct sim_ctx *c)
{
	cJSON *org = NULL, *key = authenticate(c, &org);
	double reset;
	if (!key)
		return;
	if (sim_rate_limited(c->s, c->who, c->now, &reset)) {
		sim_set_body(c->rs, 429, xstrdup("{\"error\":\"TOO_MANY_REQUESTS\"}"),
		             "application/json; charset=utf-8");
		sim_add_header(c->rs, "X-RateLimit-Reset", "%.3f", reset);
		return;
	}
	int admin = sim_ci_eq(sim_jstr(key, "role"), "admin");
	if (c->nseg < 2 || strcmp(c->seg[1], "organizations") != 0) {
		chc_error(c, 404, "NOT_FOUND", "No route for %s %s", c->rq->method, c->rq->path);
		return;
	}
	if (c->nseg == 2) {
		if (!method_is(c, "GET")) {
			not_allowed(c);
			return;
		}
		cJSON *r = cJSON_CreateArray();
		cJSON_AddItemToArray(r, render_org(org));
		{
			ok(c, r);
			return;
		}
	}
	if (strcmp(c->seg[2], sim_jstr(org, "id")) != 0) {
		chc_error(c, 403, "FORBIDDEN", "The API key does not belong to organization %.64s",
		          c->seg[2]);
		return;
	}
	if (c->nseg == 3) {
		if (method_is(c, "GET")) {
			ok(c, render_org(org));
			return;
		}
		if (!method_is(c, "PATCH")) {
			not_allowed(c);
			return;
		}
		if (!admin) {
			chc_error(c, 403, "FORBIDDEN",
			          "The API key does not have permission to perform this "
			          "action (admin role required)");
			return;
		}
		{
			patch_org(c, org);
			return;
		}
	}
	if (strcmp(c->seg[3], "services") == 0) {
		services_route(c, org, admin);
		return;
	}
	if (strcmp(c->seg[3], "keys") == 0) {
		keys_route(c, org, admin);
		return;
	}
	if (strcmp(c->seg[3], "privateEndpointConfig") == 0 && c->nseg == 4) {
		method_is(c, "GET") ? org_pe_config(c, org) : not_allowed(c);
		return;
	}
	chc_error(c, 404, "NOT_FOUND", "No route for %s %s", c->rq->method, c->rq->path);
}
