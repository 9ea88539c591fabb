/*
 * fake_sim: a THROW-AWAY FAKE of the simulator core (sim.h), only for testing
 * the servers around it (HTTP fault acting, DNS, TLS). It simulates no cloud.
 * Its routes: /fake/echo, /fake/reset, /fake/truncate, /fake/delay?ms=N,
 * /fake/slow?ms=N, GET|POST /_sim/faults, GET /_sim/log (a request count). Its identity says
 * "fake":true.
 */
#include "config.h"
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim/sim.h"
#include "xmalloc.h"

struct sim {
	unsigned long requests;
	char *faults;
};

struct sim *sim_new(const char *world_json, uint64_t seed, struct err *e)
{
	if (world_json) {
		cJSON *j = cJSON_Parse(world_json);
		if (!cJSON_IsObject(j)) {
			cJSON_Delete(j);
			err_set(e, ERR_PARSE, "the world file is not a JSON object");
			return NULL;
		}
		cJSON_Delete(j);
	}
	return xcalloc(1, sizeof(struct sim));
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	free(s->faults);
	free(s);
}

static void set_body(struct sim_response *rs, int status, char *body)
{
	rs->status = status;
	rs->body = body;
	rs->body_len = strlen(body);
	rs->headers[0].name = xstrdup("Content-Type");
	rs->headers[0].value = xstrdup("application/json");
	rs->n_headers = 1;
}

static unsigned query_ms(const char *q)
{
	const char *p = strstr(q, "ms=");
	return p ? (unsigned)strtoul(p + 3, NULL, 10) : 0;
}

static const char *header(const struct sim_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->n_headers; i++)
		if (strcasecmp(rq->headers[i].name, name) == 0)
			return rq->headers[i].value;
	return "";
}

static char *filler(size_t n)
{
	char *s = xmalloc(n + 1);
	memset(s, 'x', n);
	s[n] = '\0';
	return s;
}

void sim_handle(struct sim *s, const struct sim_request *rq, struct sim_response *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->truncate_at = -1;
	s->requests++;
	if (strcmp(rq->path, "/_sim/faults") == 0 && strcmp(rq->method, "POST") == 0) {
		cJSON *j = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->body_len);
		int ok = cJSON_IsObject(j);
		cJSON_Delete(j);
		if (!ok) {
			set_body(
			    rs, 400,
			    xstrdup(
			        "{\"error\":{\"code\":\"BadRequest\",\"message\":\"faults\"}}"));
			return;
		}
		free(s->faults);
		s->faults = xstrndup(rq->body, rq->body_len);
		set_body(rs, 200, xstrdup(s->faults));
	} else if (strcmp(rq->path, "/_sim/faults") == 0) {
		set_body(rs, 200, xstrdup(s->faults ? s->faults : "{}"));
	} else if (strcmp(rq->path, "/_sim/log") == 0) {
		set_body(rs, 200, xasprintf("{\"count\":%lu}", s->requests));
	} else if (strcmp(rq->path, "/fake/echo") == 0) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "method", rq->method);
		cJSON_AddStringToObject(o, "path", rq->path);
		cJSON_AddStringToObject(o, "query", rq->query);
		cJSON_AddNumberToObject(o, "body_len", (double)rq->body_len);
		cJSON_AddStringToObject(o, "content_type", header(rq, "content-type"));
		cJSON_AddBoolToObject(o, "base_url_set", rq->base_url && *rq->base_url);
		cJSON_AddBoolToObject(o, "now_set", rq->now_ms > 1600000000000ull);
		char *p = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		set_body(rs, 200, xstrdup(p));
		cJSON_free(p);
	} else if (strcmp(rq->path, "/fake/reset") == 0) {
		rs->reset = 1;
	} else if (strcmp(rq->path, "/fake/truncate") == 0) {
		set_body(rs, 200, filler(1000));
		rs->truncate_at = 10;
	} else if (strcmp(rq->path, "/fake/delay") == 0) {
		rs->delay_ms = query_ms(rq->query);
		set_body(rs, 200, xasprintf("{\"delayed\":%u}", rs->delay_ms));
	} else if (strcmp(rq->path, "/fake/slow") == 0) {
		rs->slow_body_ms = query_ms(rq->query);
		set_body(rs, 200, filler(1000));
	} else {
		set_body(
		    rs, 404,
		    xstrdup("{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"fake\"}}"));
	}
}

void sim_response_free(struct sim_response *rs)
{
	free(rs->body);
	for (size_t i = 0; i < rs->n_headers; i++) {
		free(rs->headers[i].name);
		free(rs->headers[i].value);
	}
	memset(rs, 0, sizeof *rs);
}

#define FAKE_ZONE ".westus3.privatelink.azure.clickhouse.cloud"

int sim_dns_lookup(struct sim *s, const char *qname, char ip[16])
{
	size_t n = strlen(qname), z = strlen(FAKE_ZONE);
	if (n <= z || strcasecmp(qname + n - z, FAKE_ZONE) != 0)
		return 0;
	memcpy(ip, "10.0.0.4", 9);
	return 1;
}

int sim_private_reachable(struct sim *s, const char *host, uint64_t now_ms)
{
	return strncasecmp(host, "approved.", 9) == 0;
}

char *sim_identity_json(struct sim *s)
{
	return xstrdup("{\"fake\":true,\"org\":\"fake-org\","
	               "\"admin_key\":{\"id\":\"fake-admin\",\"secret\":\"fake-admin-secret\"},"
	               "\"developer_key\":{\"id\":\"fake-dev\",\"secret\":\"fake-dev-secret\"},"
	               "\"azure\":{\"tenant\":\"t\",\"client_id\":\"c\",\"client_secret\":\"s\","
	               "\"subscription\":\"sub\"}}");
}

char *sim_state_json(struct sim *s)
{
	return xasprintf("{\"fake\":true,\"requests\":%lu,"
	                 "\"services\":[{\"region\":\"westus3\"},{\"region\":\"japaneast\"}]}",
	                 s->requests);
}

int sim_load_state(struct sim *s, const char *json, struct err *e)
{
	cJSON *j = cJSON_Parse(json);
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "requests");
	if (!cJSON_IsNumber(n)) {
		cJSON_Delete(j);
		return err_set(e, ERR_PARSE, "the state file is not the fake's");
	}
	s->requests = (unsigned long)n->valuedouble;
	cJSON_Delete(j);
	return 0;
}
