/* sim_entra: the Microsoft Entra token endpoint (client credentials) and its access tokens. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "sim_int.h"
#include "xmalloc.h"

/* A keyed 128-bit hash: enough to make forged or edited tokens fail, not real crypto. */
static void keyed_hash(uint64_t key, const char *data, size_t n, unsigned char out[16])
{
	for (int round = 0; round < 2; round++) {
		uint64_t h = 0xcbf29ce484222325ULL ^ key ^ (uint64_t)round;
		for (size_t i = 0; i < n; i++) {
			h ^= (unsigned char)data[i];
			h *= 0x100000001b3ULL;
		}
		uint64_t st = h;
		h = sim_rand(&st);
		memcpy(out + 8 * round, &h, 8);
	}
}

char *entra_token_make(struct sim *s, const char *tid, const char *appid, uint64_t exp_s)
{
	static const char hdr[] = "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":\"chlink-sim\"}";
	unsigned char sig[16];
	cJSON *p = cJSON_CreateObject();
	char *iss = xasprintf("https://sts.windows.net/%s/", tid);
	cJSON_AddStringToObject(p, "aud", "https://management.azure.com/");
	cJSON_AddStringToObject(p, "iss", iss);
	cJSON_AddNumberToObject(p, "iat", (double)(exp_s > 3600 ? exp_s - 3600 : 0));
	cJSON_AddNumberToObject(p, "exp", (double)exp_s);
	cJSON_AddStringToObject(p, "appid", appid);
	cJSON_AddStringToObject(p, "oid", appid);
	cJSON_AddStringToObject(p, "tid", tid);
	char *ptxt = cJSON_PrintUnformatted(p);
	char *h64 = sim_b64url_encode((const unsigned char *)hdr, strlen(hdr));
	char *p64 = sim_b64url_encode((const unsigned char *)ptxt, strlen(ptxt));
	char *signing = xasprintf("%s.%s", h64, p64);
	keyed_hash(s->token_key, signing, strlen(signing), sig);
	char *s64 = sim_b64url_encode(sig, sizeof sig);
	char *tok = xasprintf("%s.%s", signing, s64);
	cJSON_Delete(p);
	free(iss);
	free(ptxt);
	free(h64);
	free(p64);
	free(signing);
	free(s64);
	return tok;
}

int entra_token_parse(struct sim *s, const char *tok, char tid[80], char appid[80], uint64_t *exp_s)
{
	unsigned char sig[16];
	const char *d2 = strrchr(tok, '.'), *d1 = strchr(tok, '.');
	int rc = -1;
	if (!d1 || !d2 || d1 == d2)
		return -1;
	keyed_hash(s->token_key, tok, (size_t)(d2 - tok), sig);
	char *want = sim_b64url_encode(sig, sizeof sig);
	char *ptxt = NULL, *p64 = xstrndup(d1 + 1, (size_t)(d2 - d1 - 1));
	cJSON *p = NULL;
	if (strcmp(want, d2 + 1) == 0 && (ptxt = sim_b64_decode(p64, NULL)) != NULL &&
	    (p = cJSON_Parse(ptxt)) != NULL && sim_jstr(p, "tid") && sim_jstr(p, "appid")) {
		snprintf(tid, 80, "%s", sim_jstr(p, "tid"));
		snprintf(appid, 80, "%s", sim_jstr(p, "appid"));
		*exp_s = (uint64_t)sim_jnum(p, "exp", 0);
		rc = 0;
	}
	cJSON_Delete(p);
	free(ptxt);
	free(p64);
	free(want);
	return rc;
}

void entra_error(struct sim_ctx *c, int status, const char *error, int code, const char *desc)
{
	char trace[37], corr[37], ts[32], *full, *uri;
	time_t t = (time_t)(c->now / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%SZ", &tm);
	sim_uuid(c->s, trace);
	sim_uuid(c->s, corr);
	full = xasprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
	                 code, desc, trace, corr, ts);
	uri = xasprintf("https://login.microsoftonline.com/error?code=%d", code);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", error);
	cJSON_AddStringToObject(o, "error_description", full);
	cJSON_AddItemToObject(o, "error_codes", cJSON_CreateIntArray(&code, 1));
	cJSON_AddStringToObject(o, "timestamp", ts);
	cJSON_AddStringToObject(o, "trace_id", trace);
	cJSON_AddStringToObject(o, "correlation_id", corr);
	cJSON_AddStringToObject(o, "error_uri", uri);
	sim_set_json(c->rs, status, o);
	free(full);
	free(uri);
}

static void missing(struct sim_ctx *c, const char *param)
{
	char d[160];
	snprintf(d, sizeof d, "The request body must contain the following parameter: '%s'.",
	         param);
	entra_error(c, 400, "invalid_request", 900144, d);
}

/* client_id/secret from the form, or from HTTP basic auth (RFC 6749 2.3.1). */
static void client_creds(struct sim_ctx *c, const char *form, char **id, char **secret)
{
	const char *h = sim_header(c->rq, "Authorization");
	*id = sim_form_get(form, "client_id");
	*secret = sim_form_get(form, "client_secret");
	if (!*secret && h && strncasecmp(h, "Basic ", 6) == 0) {
		char *dec = sim_b64_decode(h + 6, NULL), *colon = dec ? strchr(dec, ':') : NULL;
		if (colon) {
			*colon = '\0';
			if (!*id)
				*id = sim_url_decode(dec, strlen(dec));
			*secret = sim_url_decode(colon + 1, strlen(colon + 1));
		}
		free(dec);
	}
}

static void issue(struct sim_ctx *c, const char *tid, const char *appid)
{
	unsigned life = c->s->f.token_lifetime_s;
	char *tok = entra_token_make(c->s, tid, appid, c->now / 1000 + life);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "token_type", "Bearer");
	cJSON_AddNumberToObject(o, "expires_in", life);
	cJSON_AddNumberToObject(o, "ext_expires_in", life);
	cJSON_AddStringToObject(o, "access_token", tok);
	sim_set_json(c->rs, 200, o);
	free(tok);
}

static void token(struct sim_ctx *c, cJSON *tenant, const char *form)
{
	char *grant = sim_form_get(form, "grant_type"), *scope = sim_form_get(form, "scope");
	char *id = NULL, *secret = NULL, d[400];
	client_creds(c, form, &id, &secret);
	const char *tid = sim_jstr(tenant, "id");
	cJSON *cl =
	    sim_find_ci(cJSON_GetObjectItemCaseSensitive(tenant, "clients"), "clientId", id);
	size_t sl = scope ? strlen(scope) : 0;
	if (id)
		snprintf(c->who, sizeof c->who, "%s", id);
	if (!grant) {
		missing(c, "grant_type");
	} else if (strcmp(grant, "client_credentials") != 0) {
		snprintf(d, sizeof d, "The app requested an unsupported grant type '%.64s'.",
		         grant);
		entra_error(c, 400, "unsupported_grant_type", 70003, d);
	} else if (!id) {
		missing(c, "client_id");
	} else if (!scope) {
		missing(c, "scope");
	} else if (sl < 9 || strcmp(scope + sl - 9, "/.default") != 0) {
		snprintf(
		    d, sizeof d,
		    "The provided value for scope %.100s is not valid. Client credential flows "
		    "must have a scope value with /.default suffixed to the resource identifier "
		    "(application ID URI).",
		    scope);
		entra_error(c, 400, "invalid_scope", 1002012, d);
	} else if (!cl) {
		snprintf(d, sizeof d,
		         "Application with identifier '%.64s' was not found in the directory '%s'. "
		         "This can happen if the application has not been installed by the "
		         "administrator of the tenant.",
		         id, tid);
		entra_error(c, 400, "unauthorized_client", 700016, d);
	} else if (!secret) {
		entra_error(c, 401, "invalid_client", 7000218,
		            "The request body must contain the following parameter: "
		            "'client_assertion' or 'client_secret'.");
	} else if (strcmp(secret,
	                  sim_jstr(cl, "clientSecret") ? sim_jstr(cl, "clientSecret") : "")) {
		snprintf(
		    d, sizeof d,
		    "Invalid client secret provided. Ensure the secret being sent in the request "
		    "is the client secret value, not the client secret ID, for a secret added to "
		    "app '%.64s'.",
		    id);
		entra_error(c, 401, "invalid_client", 7000215, d);
	} else {
		issue(c, tid, sim_jstr(cl, "clientId"));
	}
	free(grant);
	free(scope);
	free(id);
	free(secret);
}

void entra_handle(struct sim_ctx *c)
{
	char d[256];
	cJSON *t, *tenant = NULL;
	cJSON_ArrayForEach (t, world_azure(c->s, "tenants")) {
		if (sim_ci_eq(sim_jstr(t, "id"), c->seg[0]) ||
		    sim_ci_eq(sim_jstr(t, "domain"), c->seg[0]))
			tenant = t;
	}
	if (strcmp(c->rq->method, "POST") != 0) {
		entra_error(c, 405, "invalid_request", 900561,
		            "The endpoint only accepts POST requests.");
		return;
	}
	if (!tenant) {
		snprintf(d, sizeof d,
		         "Tenant '%.64s' not found. Check to make sure you have the correct tenant "
		         "ID and are signing into the correct cloud.",
		         c->seg[0]);
		entra_error(c, 400, "invalid_request", 90002, d);
		return;
	}
	const char *ct = sim_header(c->rq, "Content-Type");
	char *form = xstrndup(c->rq->body ? c->rq->body : "", c->rq->body_len);
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		form[0] = '\0'; /* not a form: every parameter is missing */
	token(c, tenant, form);
	free(form);
}
