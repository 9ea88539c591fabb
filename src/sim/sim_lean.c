/* sim_lean: the lean_answers switch: 2xx answers in the sparest shape the fact sheets allow. */
#include "config.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "sim_int.h"
#include "xmalloc.h"

/*
 * Why: the simulator otherwise always answers in one rich, fixed shape, so a
 * client could come to depend on it. With the switch on, every 2xx JSON answer
 * of ClickHouse Cloud and ARM is rewritten into another shape the references
 * (clickhouse-api.md, azure-arm.md) equally allow:
 * - members in reverse order, plus an unknown member in every object;
 * - empty arrays left out (absent and [] mean the same), except a list's
 *   "value" and an envelope's "result";
 * - ARM: provisioningState "Succeeded" left out ("If no provisioningState is
 *   returned, the operation finished and succeeded"), and etag, type and
 *   customDnsConfigs (not filled for third-party services) left out;
 * - ClickHouse: the envelope without status and requestId (optional in the
 *   official client's model);
 * - header names in lower case (HTTP header names are case-insensitive);
 * - Location alone where both Location and Azure-AsyncOperation were sent
 *   (the polling precedence's second rule);
 * - a private DNS zone or link PUT still running: 202 with headers only, as
 *   in the official PrivateZonePut/VirtualNetworkLinkPut examples.
 * The facts themselves (ids, states, addresses) never change.
 */

static int keep_empty(const char *key)
{
	return strcmp(key, "value") == 0 || strcmp(key, "result") == 0;
}

static int drop_arm(const cJSON *it)
{
	static const char *const always[] = {"etag", "type", "customDnsConfigs"};
	for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
		if (strcmp(it->string, always[i]) == 0)
			return 1;
	return strcmp(it->string, "provisioningState") == 0 && cJSON_IsString(it) &&
	       strcmp(it->valuestring, "Succeeded") == 0;
}

static void lean(cJSON *o, int arm)
{
	cJSON *kids = NULL, *it;
	if (cJSON_IsArray(o)) { /* an array's order is meaning (ipConfigurations[0]) */
		cJSON_ArrayForEach (it, o)
			lean(it, arm);
		return;
	}
	if (!cJSON_IsObject(o))
		return;
	/* detach every member, reversed, then put back what stays */
	while ((it = o->child) != NULL) {
		cJSON_DetachItemViaPointer(o, it);
		it->prev = NULL;
		it->next = kids;
		kids = it;
	}
	while ((it = kids) != NULL) {
		kids = it->next;
		it->next = it->prev = NULL;
		if ((cJSON_IsArray(it) && !it->child && !keep_empty(it->string)) ||
		    (arm && drop_arm(it))) {
			cJSON_Delete(it);
			continue;
		}
		lean(it, arm);
		cJSON_AddItemToObject(o, it->string, it);
	}
	it = cJSON_AddObjectToObject(o, "zzSimUnknown");
	cJSON_AddItemToObject(it, "n", cJSON_CreateNumber(1.5e300));
	cJSON_AddNullToObject(it, "nothing");
}

static ssize_t header_at(const struct sim_response *rs, const char *lower_name)
{
	for (size_t i = 0; i < rs->n_headers; i++)
		if (strcmp(rs->headers[i].name, lower_name) == 0)
			return (ssize_t)i;
	return -1;
}

/* With both status URLs, keep Location only: ARM's second rule, which clients must follow. */
static void location_only(struct sim_response *rs)
{
	ssize_t a = header_at(rs, "azure-asyncoperation");
	if (a < 0 || header_at(rs, "location") < 0)
		return;
	free(rs->headers[a].name);
	free(rs->headers[a].value);
	memmove(&rs->headers[a], &rs->headers[a + 1],
	        (rs->n_headers - (size_t)a - 1) * sizeof(rs->headers[0]));
	rs->n_headers--;
}

/* A private DNS zone or link PUT accepted and still running (record sets are synchronous). */
static int dns_put_running(const struct sim_ctx *c)
{
	cJSON *j;
	const char *ps;
	int running;
	if (strcmp(c->rq->method, "PUT") != 0 || c->rs->status != 201 || !c->rs->body ||
	    !strstr(c->rq->path, "/privateDnsZones/") || strstr(c->rq->path, "/A/"))
		return 0;
	j = cJSON_ParseWithLength(c->rs->body, c->rs->body_len);
	ps = sim_jstr(cJSON_GetObjectItemCaseSensitive(j, "properties"), "provisioningState");
	running = ps && strcmp(ps, "Succeeded") != 0;
	cJSON_Delete(j);
	return running;
}

void sim_lean_answer(struct sim_ctx *c)
{
	struct sim_response *rs = c->rs;
	int arm = strcmp(c->api, "arm") == 0;
	cJSON *j;
	if (!arm && strcmp(c->api, "chc") != 0)
		return;
	for (size_t i = 0; i < rs->n_headers; i++)
		for (char *p = rs->headers[i].name; p && *p; p++)
			*p = (char)tolower((unsigned char)*p);
	location_only(rs);
	if (arm && dns_put_running(c)) {
		/* PrivateZonePut.json / VirtualNetworkLinkPut.json: 202 with headers only */
		sim_set_body(rs, 202, NULL, "application/json; charset=utf-8");
		return;
	}
	if (rs->status < 200 || rs->status > 299 || !rs->body)
		return;
	j = cJSON_ParseWithLength(rs->body, rs->body_len);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return;
	}
	if (!arm) {
		cJSON_DeleteItemFromObjectCaseSensitive(j, "status");
		cJSON_DeleteItemFromObjectCaseSensitive(j, "requestId");
	}
	lean(j, arm);
	sim_set_json(rs, rs->status, j);
}
