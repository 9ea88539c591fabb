/* sim: the simulator core's entry points — dispatch, faults, rate limits, request log, state. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_int.h"
#include "xmalloc.h"

void sim_faults_default(struct sim_faults *f)
{
	cJSON_Delete(f->error_rate);
	memset(f, 0, sizeof *f);
	f->error_status = 503;
	f->rl_requests = 10;
	f->rl_window_s = 10;
	f->token_lifetime_s = 3599;
	f->lro_ms = 1500;
	f->retry_after_s = 1;
	f->page_size = 50;
}

static void seed_rngs(struct sim *s)
{
	s->rng = s->seed ^ 0x5EED5EED12345678ULL;
	s->frng = s->seed * 0x2545F4914F6CDD1DULL + 1;
	s->token_key = sim_rand(&s->rng);
}

struct sim *sim_new(const char *world_json, uint64_t seed, struct err *e)
{
	char msg[256];
	cJSON *w = world_parse(world_json, msg, sizeof msg);
	if (!w) {
		if (e)
			err_set(e, ERR_PARSE, "%s", msg);
		return NULL;
	}
	struct sim *s = xcalloc(1, sizeof *s);
	s->world = w;
	s->initial = cJSON_PrintUnformatted(w);
	s->seed = seed;
	seed_rngs(s);
	sim_faults_default(&s->f);
	s->clock_offset_ms = (int64_t)sim_jnum(w, "clockOffsetMs", 0);
	return s;
}

void sim_log_clear(struct sim *s)
{
	for (size_t i = 0; i < s->n_log; i++) {
		struct sim_log_entry *l = &s->log[i];
		free(l->method);
		free(l->path);
		free(l->api);
		free(l->key);
	}
	free(s->log);
	s->log = NULL;
	s->n_log = s->log_head = 0;
}

static void rl_clear(struct sim *s)
{
	for (size_t i = 0; i < s->n_rl; i++) {
		free(s->rl[i].key);
		free(s->rl[i].ts);
	}
	free(s->rl);
	s->rl = NULL;
	s->n_rl = 0;
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	cJSON_Delete(s->world);
	free(s->initial);
	cJSON_Delete(s->f.error_rate);
	sim_log_clear(s);
	rl_clear(s);
	free(s);
}

void sim_reset(struct sim *s)
{
	char msg[256];
	cJSON *w = world_parse(s->initial, msg, sizeof msg);
	if (w) {
		cJSON_Delete(s->world);
		s->world = w;
	}
	sim_faults_default(&s->f);
	sim_log_clear(s);
	rl_clear(s);
	s->hold_ms = s->hold_count = 0;
	s->clock_offset_ms = 0;
	seed_rngs(s);
}

void sim_response_free(struct sim_response *rs)
{
	free(rs->body);
	for (size_t i = 0; i < rs->n_headers; i++) {
		free(rs->headers[i].name);
		free(rs->headers[i].value);
	}
	memset(rs, 0, sizeof *rs);
	rs->truncate_at = -1;
}

/* Sliding window per key: 1 and the seconds until a slot frees when over the limit. */
int sim_rate_limited(struct sim *s, const char *key, uint64_t now, double *reset_s)
{
	unsigned lim = s->f.rl_requests;
	uint64_t win = (uint64_t)s->f.rl_window_s * 1000;
	struct sim_rl *r = NULL;
	if (lim == 0 || win == 0)
		return 0;
	for (size_t i = 0; i < s->n_rl; i++)
		if (strcmp(s->rl[i].key, key) == 0)
			r = &s->rl[i];
	if (!r) {
		s->rl = xrealloc(s->rl, (s->n_rl + 1) * sizeof *s->rl);
		r = &s->rl[s->n_rl++];
		r->key = xstrdup(key);
		r->ts = NULL;
		r->n = 0;
	}
	size_t drop = 0;
	while (drop < r->n && r->ts[drop] + win <= now)
		drop++;
	if (drop) {
		memmove(r->ts, r->ts + drop, (r->n - drop) * sizeof *r->ts);
		r->n -= drop;
	}
	if (r->n >= lim) {
		*reset_s = (double)(r->ts[r->n - lim] + win - now) / 1000.0;
		return 1;
	}
	r->ts = xrealloc(r->ts, (r->n + 1) * sizeof *r->ts);
	r->ts[r->n++] = now;
	return 0;
}

static void log_add(struct sim *s, struct sim_ctx *c)
{
	struct sim_log_entry *l;
	if (!s->log)
		s->log = xcalloc(SIM_LOG_MAX, sizeof *s->log);
	if (s->n_log < SIM_LOG_MAX) {
		l = &s->log[s->n_log++];
	} else { /* full: overwrite the oldest */
		l = &s->log[s->log_head];
		s->log_head = (s->log_head + 1) % SIM_LOG_MAX;
		free(l->method);
		free(l->path);
		free(l->api);
		free(l->key);
	}
	l->method = xstrdup(c->rq->method ? c->rq->method : "");
	l->path = xstrdup(c->rq->path ? c->rq->path : "");
	l->api = xstrdup(c->api);
	l->key = xstrdup(c->who);
	l->status = c->rs->status;
	l->ms = c->rs->delay_ms;
	l->t = c->now;
}

/* The log in arrival order, as the /_sim/log answer. */
cJSON *sim_log_json(struct sim *s)
{
	cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "requests");
	for (size_t k = 0; k < s->n_log; k++) {
		struct sim_log_entry *l = &s->log[(s->log_head + k) % SIM_LOG_MAX];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "method", l->method);
		cJSON_AddStringToObject(e, "path", l->path);
		cJSON_AddNumberToObject(e, "status", l->status);
		cJSON_AddNumberToObject(e, "ms", l->ms);
		cJSON_AddStringToObject(e, "api", l->api);
		cJSON_AddStringToObject(e, "key", l->key);
		cJSON_AddNumberToObject(e, "t", (double)l->t);
		cJSON_AddItemToArray(a, e);
	}
	return o;
}

static const char *classify(struct sim_ctx *c)
{
	if (c->nseg >= 1 && strcmp(c->seg[0], "_sim") == 0)
		return "ctl";
	if (c->nseg >= 1 && strcmp(c->seg[0], "v1") == 0)
		return "chc";
	if (sim_seg_is(c, 0, "subscriptions"))
		return "arm";
	if (c->nseg == 4 && strcmp(c->seg[1], "oauth2") == 0 && strcmp(c->seg[2], "v2.0") == 0 &&
	    strcmp(c->seg[3], "token") == 0)
		return "entra";
	return "other";
}

static const char *status_code_name(int st)
{
	switch (st) {
	case 500:
		return "INTERNAL_SERVER_ERROR";
	case 502:
		return "BAD_GATEWAY";
	case 504:
		return "GATEWAY_TIMEOUT";
	case 429:
		return "TOO_MANY_REQUESTS";
	case 413:
		return "PAYLOAD_TOO_LARGE";
	default:
		return "SERVICE_UNAVAILABLE";
	}
}

/* An error in the shape of the API the request was meant for. */
static void api_error(struct sim_ctx *c, int status, const char *what)
{
	if (strcmp(c->api, "chc") == 0)
		chc_error(c, status, status_code_name(status), "%s", what);
	else if (strcmp(c->api, "entra") == 0)
		entra_error(c, status, "temporarily_unavailable", 50196, what);
	else
		arm_error(c, status, status == 413 ? "RequestEntityTooLarge" : "ServiceUnavailable",
		          "%s", what);
}

static double error_rate_for(struct sim_ctx *c)
{
	double p = 0;
	cJSON *it;
	cJSON_ArrayForEach (it, c->s->f.error_rate) {
		const char *k = it->string;
		int match = strcmp(k, "*") == 0 || strcmp(k, c->api) == 0 ||
		            (k[0] == '/' && strncmp(c->rq->path, k, strlen(k)) == 0);
		if (match && cJSON_IsNumber(it) && it->valuedouble > p)
			p = it->valuedouble;
	}
	return p;
}

/* Faults decided before the request is processed; 1 when they answered it. */
static int faults_before(struct sim_ctx *c)
{
	struct sim *s = c->s;
	struct sim_faults *f = &s->f;
	if (f->reset_rate > 0 && sim_rand01(&s->frng) < f->reset_rate) {
		c->rs->reset = 1;
		c->rs->status = 0;
		return 1;
	}
	if (strcmp(c->api, "chc") == 0 && f->storm_429 > 0) {
		f->storm_429--;
		sim_set_body(c->rs, 429, xstrdup("{\"error\":\"TOO_MANY_REQUESTS\"}"),
		             "application/json; charset=utf-8");
		sim_add_header(c->rs, "X-RateLimit-Reset", "%.3f", (double)f->rl_window_s);
		return 1;
	}
	if (strcmp(c->api, "arm") == 0 && f->arm_throttle > 0) {
		f->arm_throttle--;
		arm_error(c, 429, "SubscriptionRequestsThrottled",
		          "Number of requests for subscription exceeded the limit. Please try "
		          "again after '%u' seconds.",
		          f->retry_after_s ? f->retry_after_s : 1);
		sim_add_header(c->rs, "Retry-After", "%u", f->retry_after_s ? f->retry_after_s : 1);
		return 1;
	}
	double p = error_rate_for(c);
	if (p > 0 && sim_rand01(&s->frng) < p) {
		api_error(c, f->error_status ? f->error_status : 503, "Injected fault.");
		return 1;
	}
	return 0;
}

static void faults_after(struct sim_ctx *c)
{
	struct sim *s = c->s;
	struct sim_faults *f = &s->f;
	struct sim_response *rs = c->rs;
	unsigned d = f->latency_ms;
	if (f->jitter_ms)
		d += (unsigned)(sim_rand(&s->frng) % (f->jitter_ms + 1));
	rs->delay_ms += d;
	rs->slow_body_ms = f->slow_body_ms;
	if (f->lean_answers)
		sim_lean_answer(c);
	if (rs->body && f->malformed_rate > 0 && sim_rand01(&s->frng) < f->malformed_rate) {
		/* keep the start, cut the rest and add garbage: parsers must fail cleanly */
		size_t keep = rs->body_len / 2;
		char *b = xasprintf("%.*s,\"\x01 ]}{", (int)keep, rs->body);
		sim_set_body(rs, rs->status, b, "application/json; charset=utf-8");
	}
	if (rs->body_len > 0 && f->truncate_rate > 0 && sim_rand01(&s->frng) < f->truncate_rate)
		rs->truncate_at = (long)(sim_rand(&s->frng) % rs->body_len);
}

static void dispatch(struct sim_ctx *c)
{
	if (strcmp(c->api, "chc") == 0)
		chc_handle(c);
	else if (strcmp(c->api, "arm") == 0)
		arm_handle(c);
	else if (strcmp(c->api, "entra") == 0)
		entra_handle(c);
	else
		arm_error(c, 404, "NotFound", "The requested path '%s' was not found.",
		          c->rq->path ? c->rq->path : "");
}

void sim_handle(struct sim *s, const struct sim_request *rq, struct sim_response *rs)
{
	struct sim_ctx c = {.s = s, .rq = rq, .rs = rs};
	memset(rs, 0, sizeof *rs);
	rs->truncate_at = -1;
	c.now = (uint64_t)((int64_t)rq->now_ms + s->clock_offset_ms);
	snprintf(c.who, sizeof c.who, "-");
	if (!rq->method || !rq->path || sim_split_path(&c, rq->path) < 0) {
		c.api = "other";
		arm_error(&c, 400, "InvalidRequest", "The request path is not valid.");
		if (rq->method && rq->path)
			log_add(s, &c);
		sim_ctx_free(&c);
		return;
	}
	c.api = classify(&c);
	if (strcmp(c.api, "ctl") == 0) {
		ctl_handle(&c);
		sim_ctx_free(&c);
		return;
	}
	if (s->hold_count > 0) {
		s->hold_count--;
		rs->delay_ms += s->hold_ms;
	}
	if (rq->body_len > SIM_MAX_BODY) {
		api_error(&c, 413, "The request body is larger than 1 MiB.");
	} else if (!faults_before(&c)) {
		arm_pe_settle(s, c.now);
		dispatch(&c);
		arm_pe_settle(s, c.now);
	}
	if (!rs->reset)
		faults_after(&c);
	log_add(s, &c);
	sim_ctx_free(&c);
}

static cJSON *first_key(cJSON *org, const char *role)
{
	cJSON *k;
	cJSON_ArrayForEach (k, cJSON_GetObjectItemCaseSensitive(org, "keys"))
		if (sim_ci_eq(sim_jstr(k, "role"), role))
			return k;
	return NULL;
}

static void add_key(cJSON *o, const char *name, cJSON *k)
{
	cJSON *j = cJSON_AddObjectToObject(o, name);
	cJSON_AddStringToObject(j, "id", k ? sim_jstr(k, "id") : "");
	cJSON_AddStringToObject(j, "secret", k ? sim_jstr(k, "secret") : "");
}

static void add_principal(cJSON *o, const char *name, cJSON *tenant)
{
	cJSON *cl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(tenant, "clients"), 0);
	cJSON *subs = cJSON_GetObjectItemCaseSensitive(cl, "subscriptions");
	cJSON *a = cJSON_AddObjectToObject(o, name);
	const char *sub = cJSON_IsString(cJSON_GetArrayItem(subs, 0))
	                      ? cJSON_GetArrayItem(subs, 0)->valuestring
	                      : "";
	cJSON_AddStringToObject(a, "tenant", sim_jstr(tenant, "id") ? sim_jstr(tenant, "id") : "");
	cJSON_AddStringToObject(a, "client_id", cl ? sim_jstr(cl, "clientId") : "");
	cJSON_AddStringToObject(a, "client_secret", cl ? sim_jstr(cl, "clientSecret") : "");
	cJSON_AddStringToObject(a, "subscription", sub);
}

char *sim_identity_json(struct sim *s)
{
	cJSON *orgs = world_chc_orgs(s), *org = cJSON_GetArrayItem(orgs, 0);
	cJSON *tenants = world_azure(s, "tenants"), *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "org", sim_jstr(org, "id"));
	add_key(o, "admin_key", first_key(org, "admin"));
	add_key(o, "developer_key", first_key(org, "developer"));
	add_principal(o, "azure", cJSON_GetArrayItem(tenants, 0));
	/* extras for negative tests: another org's key, another tenant, a denied subscription */
	cJSON *org2 = cJSON_GetArrayItem(orgs, 1);
	if (org2) {
		cJSON *x = cJSON_AddObjectToObject(o, "other_org");
		cJSON_AddStringToObject(x, "org", sim_jstr(org2, "id"));
		add_key(x, "key", first_key(org2, "admin"));
	}
	if (cJSON_GetArrayItem(tenants, 1))
		add_principal(o, "azure_other_tenant", cJSON_GetArrayItem(tenants, 1));
	const char *tid = sim_jstr(cJSON_GetArrayItem(tenants, 0), "id");
	cJSON *sub,
	    *mine = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetArrayItem(
	            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tenants, 0), "clients"), 0),
	        "subscriptions");
	cJSON_ArrayForEach (sub, world_azure(s, "subscriptions")) {
		const char *sid = sim_jstr(sub, "subscriptionId");
		int owned = 0;
		cJSON *m;
		cJSON_ArrayForEach (m, mine)
			owned |= cJSON_IsString(m) && sim_ci_eq(m->valuestring, sid);
		if (!owned && sim_ci_eq(sim_jstr(sub, "tenantId"), tid)) {
			cJSON_AddStringToObject(o, "azure_denied_subscription", sid);
			break;
		}
	}
	char *txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return txt;
}

char *sim_state_json(struct sim *s)
{
	cJSON *w = cJSON_Duplicate(s->world, 1);
	sim_jset_num(w, "clockOffsetMs", (double)s->clock_offset_ms);
	char *txt = cJSON_PrintUnformatted(w);
	cJSON_Delete(w);
	return txt;
}

int sim_load_state(struct sim *s, const char *json, struct err *e)
{
	char msg[256];
	if (!json)
		return err_set(e, ERR_USAGE, "state: no text");
	cJSON *w = world_parse(json, msg, sizeof msg);
	if (!w)
		return err_set(e, ERR_PARSE, "state: %s", msg);
	cJSON_Delete(s->world);
	s->world = w;
	s->clock_offset_ms = (int64_t)sim_jnum(w, "clockOffsetMs", 0);
	return 0;
}
