/* sim_ctl: the loopback control API under /_sim/ (log, reset, faults, clock, overrides). */
#include "config.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_int.h"
#include "xmalloc.h"

static void ctl_error(struct sim_ctx *c, int status, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", msg);
	sim_set_json(c->rs, status, o);
}

static void ctl_ok(struct sim_ctx *c, cJSON *o)
{
	sim_set_json(c->rs, 200, o ? o : cJSON_CreateObject());
}

static cJSON *faults_json(const struct sim_faults *f)
{
	cJSON *o = cJSON_CreateObject(), *rl;
	cJSON_AddNumberToObject(o, "latency_ms", f->latency_ms);
	cJSON_AddNumberToObject(o, "jitter_ms", f->jitter_ms);
	cJSON_AddItemToObject(o, "error_rate",
	                      f->error_rate ? cJSON_Duplicate(f->error_rate, 1)
	                                    : cJSON_CreateObject());
	cJSON_AddNumberToObject(o, "error_status", f->error_status);
	cJSON_AddNumberToObject(o, "storm_429", f->storm_429);
	cJSON_AddNumberToObject(o, "arm_throttle", f->arm_throttle);
	cJSON_AddNumberToObject(o, "reset_rate", f->reset_rate);
	cJSON_AddNumberToObject(o, "truncate_rate", f->truncate_rate);
	cJSON_AddNumberToObject(o, "malformed_rate", f->malformed_rate);
	cJSON_AddNumberToObject(o, "slow_body_ms", f->slow_body_ms);
	cJSON_AddNumberToObject(o, "approval_delay_ms", f->approval_delay_ms);
	rl = cJSON_AddObjectToObject(o, "rate_limit");
	cJSON_AddNumberToObject(rl, "requests", f->rl_requests);
	cJSON_AddNumberToObject(rl, "window_s", f->rl_window_s);
	cJSON_AddNumberToObject(o, "token_lifetime_s", f->token_lifetime_s);
	cJSON_AddNumberToObject(o, "lro_ms", f->lro_ms);
	cJSON_AddNumberToObject(o, "retry_after_s", f->retry_after_s);
	cJSON_AddNumberToObject(o, "page_size", f->page_size);
	cJSON_AddStringToObject(o, "unknown_alias", f->unknown_alias_sync ? "sync" : "lro");
	cJSON_AddBoolToObject(o, "lean_answers", f->lean_answers);
	return o;
}

/* Unsigned fields of the faults object, as a table. */
static const struct {
	const char *key;
	size_t off;
	double max;
} uint_fields[] = {
    {"latency_ms", offsetof(struct sim_faults, latency_ms), 600000},
    {"jitter_ms", offsetof(struct sim_faults, jitter_ms), 600000},
    {"storm_429", offsetof(struct sim_faults, storm_429), 1e6},
    {"arm_throttle", offsetof(struct sim_faults, arm_throttle), 1e6},
    {"slow_body_ms", offsetof(struct sim_faults, slow_body_ms), 600000},
    {"approval_delay_ms", offsetof(struct sim_faults, approval_delay_ms), 86400000},
    {"token_lifetime_s", offsetof(struct sim_faults, token_lifetime_s), 86400},
    {"lro_ms", offsetof(struct sim_faults, lro_ms), 3600000},
    {"retry_after_s", offsetof(struct sim_faults, retry_after_s), 3600},
    {"page_size", offsetof(struct sim_faults, page_size), 1000},
};

static const struct {
	const char *key;
	size_t off;
} rate_fields[] = {
    {"reset_rate", offsetof(struct sim_faults, reset_rate)},
    {"truncate_rate", offsetof(struct sim_faults, truncate_rate)},
    {"malformed_rate", offsetof(struct sim_faults, malformed_rate)},
};

/* Validate everything first, then apply, so a bad request changes nothing. */
static int faults_check(const cJSON *b, char *msg, size_t msz)
{
	const cJSON *v;
	for (size_t i = 0; i < sizeof uint_fields / sizeof uint_fields[0]; i++) {
		v = cJSON_GetObjectItemCaseSensitive(b, uint_fields[i].key);
		if (v && (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
		          v->valuedouble > uint_fields[i].max)) {
			snprintf(msg, msz, "%s must be a number from 0 to %.0f", uint_fields[i].key,
			         uint_fields[i].max);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof rate_fields / sizeof rate_fields[0]; i++) {
		v = cJSON_GetObjectItemCaseSensitive(b, rate_fields[i].key);
		if (v && (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1)) {
			snprintf(msg, msz, "%s must be a probability from 0 to 1",
			         rate_fields[i].key);
			return -1;
		}
	}
	v = cJSON_GetObjectItemCaseSensitive(b, "error_rate");
	if (v) {
		const cJSON *it;
		if (!cJSON_IsObject(v)) {
			snprintf(msg, msz, "error_rate must be an object of probabilities");
			return -1;
		}
		cJSON_ArrayForEach (it, v)
			if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > 1) {
				snprintf(msg, msz,
				         "error_rate.%s must be a probability from 0 to 1",
				         it->string);
				return -1;
			}
	}
	v = cJSON_GetObjectItemCaseSensitive(b, "error_status");
	if (v && (!cJSON_IsNumber(v) || v->valuedouble < 400 || v->valuedouble > 599)) {
		snprintf(msg, msz, "error_status must be an HTTP status from 400 to 599");
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(b, "rate_limit");
	if (v && (!cJSON_IsObject(v) || sim_jnum(v, "requests", 0) < 0 ||
	          sim_jnum(v, "window_s", 0) < 0)) {
		snprintf(msg, msz, "rate_limit must be {\"requests\":N,\"window_s\":S}");
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(b, "unknown_alias");
	if (v && !(cJSON_IsString(v) &&
	           (strcmp(v->valuestring, "lro") == 0 || strcmp(v->valuestring, "sync") == 0))) {
		snprintf(msg, msz, "unknown_alias must be \"lro\" or \"sync\"");
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(b, "lean_answers");
	if (v && !cJSON_IsBool(v)) {
		snprintf(msg, msz, "lean_answers must be true or false");
		return -1;
	}
	return 0;
}

static void faults_apply(struct sim_faults *f, const cJSON *b)
{
	const cJSON *v;
	for (size_t i = 0; i < sizeof uint_fields / sizeof uint_fields[0]; i++)
		if ((v = cJSON_GetObjectItemCaseSensitive(b, uint_fields[i].key)) != NULL)
			*(unsigned *)((char *)f + uint_fields[i].off) = (unsigned)v->valuedouble;
	for (size_t i = 0; i < sizeof rate_fields / sizeof rate_fields[0]; i++)
		if ((v = cJSON_GetObjectItemCaseSensitive(b, rate_fields[i].key)) != NULL)
			*(double *)((char *)f + rate_fields[i].off) = v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(b, "error_rate")) != NULL) {
		cJSON_Delete(f->error_rate);
		f->error_rate = cJSON_Duplicate(v, 1);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(b, "error_status")) != NULL)
		f->error_status = (int)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(b, "rate_limit")) != NULL) {
		f->rl_requests = (unsigned)sim_jnum(v, "requests", f->rl_requests);
		f->rl_window_s = (unsigned)sim_jnum(v, "window_s", f->rl_window_s);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(b, "unknown_alias")) != NULL)
		f->unknown_alias_sync = strcmp(v->valuestring, "sync") == 0;
	if ((v = cJSON_GetObjectItemCaseSensitive(b, "lean_answers")) != NULL)
		f->lean_answers = cJSON_IsTrue(v);
}

static cJSON *ctl_body(struct sim_ctx *c)
{
	cJSON *b = c->rq->body_len ? cJSON_ParseWithLength(c->rq->body, c->rq->body_len)
	                           : cJSON_CreateObject();
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		ctl_error(c, 400, "the body must be a JSON object");
		return NULL;
	}
	return b;
}

static void ctl_faults(struct sim_ctx *c, cJSON *b)
{
	char msg[160];
	if (faults_check(b, msg, sizeof msg) < 0)
		return ctl_error(c, 400, msg);
	faults_apply(&c->s->f, b);
	ctl_ok(c, faults_json(&c->s->f));
}

static void ctl_endpoint(struct sim_ctx *c, cJSON *b)
{
	const char *id = sim_jstr(b, "id") ? sim_jstr(b, "id") : sim_jstr(b, "name");
	cJSON *st = cJSON_GetObjectItemCaseSensitive(b, "status");
	const char *status = cJSON_IsString(st) ? st->valuestring : NULL;
	if (!id)
		return ctl_error(c, 400, "give \"id\" (resource id or resourceGuid) or \"name\"");
	if (!(cJSON_IsNull(st) || sim_ci_eq(status, "Rejected") ||
	      sim_ci_eq(status, "Disconnected")))
		return ctl_error(c, 400, "status must be \"Rejected\", \"Disconnected\" or null");
	if (arm_pe_set_override(c->s, id, status) < 0)
		return ctl_error(c, 404, "no such private endpoint");
	ctl_ok(c, NULL);
}

static void ctl_clock(struct sim_ctx *c, cJSON *b)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(b, "advance_ms");
	if (v && (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e12))
		return ctl_error(c, 400, "advance_ms must be a non-negative number");
	if (v)
		c->s->clock_offset_ms += (int64_t)v->valuedouble;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "offset_ms", (double)c->s->clock_offset_ms);
	cJSON_AddNumberToObject(o, "now_ms", (double)(c->now + (v ? (uint64_t)v->valuedouble : 0)));
	ctl_ok(c, o);
}

static void ctl_hold(struct sim_ctx *c, cJSON *b)
{
	double ms = sim_jnum(b, "ms", -1), n = sim_jnum(b, "count", 1);
	if (ms < 0 || ms > 600000 || n < 0 || n > 1e6)
		return ctl_error(c, 400, "give {\"ms\": 0..600000, \"count\": K}");
	c->s->hold_ms = (unsigned)ms;
	c->s->hold_count = (unsigned)n;
	ctl_ok(c, NULL);
}

static void ctl_get(struct sim_ctx *c, const char *what)
{
	if (strcmp(what, "log") == 0)
		return ctl_ok(c, sim_log_json(c->s));
	if (strcmp(what, "faults") == 0)
		return ctl_ok(c, faults_json(&c->s->f));
	char *txt = strcmp(what, "world") == 0      ? sim_state_json(c->s)
	            : strcmp(what, "identity") == 0 ? sim_identity_json(c->s)
	                                            : NULL;
	if (!txt)
		return ctl_error(c, 404, "no such control resource");
	sim_set_body(c->rs, 200, txt, "application/json; charset=utf-8");
}

void ctl_handle(struct sim_ctx *c)
{
	const char *m = c->rq->method;
	char what[64] = "";
	for (int i = 1; i < c->nseg; i++) {
		size_t l = strlen(what);
		snprintf(what + l, sizeof what - l, "%s%s", i > 1 ? "/" : "", c->seg[i]);
	}
	if (strcmp(m, "GET") == 0)
		return ctl_get(c, what);
	if (strcmp(m, "POST") != 0)
		return ctl_error(c, 405, "use GET or POST");
	cJSON *b = ctl_body(c);
	if (!b)
		return;
	if (strcmp(what, "log/clear") == 0) {
		sim_log_clear(c->s);
		ctl_ok(c, NULL);
	} else if (strcmp(what, "reset") == 0) {
		sim_reset(c->s);
		ctl_ok(c, NULL);
	} else if (strcmp(what, "faults") == 0) {
		ctl_faults(c, b);
	} else if (strcmp(what, "endpoint") == 0) {
		ctl_endpoint(c, b);
	} else if (strcmp(what, "clock") == 0) {
		ctl_clock(c, b);
	} else if (strcmp(what, "hold") == 0) {
		ctl_hold(c, b);
	} else {
		ctl_error(c, 404, "no such control resource");
	}
	cJSON_Delete(b);
}
