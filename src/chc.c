/* chc: ClickHouse Cloud API calls on the http layer, with errors turned into next steps. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "chc.h"
#include "chc_int.h"
#include "i18n.h"
#include "xmalloc.h"

/* C_KEYS_CONFIRM: GET organization after /keys was not there (see on_answer). */
enum ckind { C_SERVICES, C_SERVICE, C_CONFIG, C_ORG, C_KEYS, C_KEYS_CONFIRM };

struct ccall {
	struct ccall *next;
	struct chc *c;
	enum ckind kind;
	char *method, *path, *body, *region;
	void *fn;
	void *ud;
	struct err err; /* for calls that fail before they are sent */
	unsigned timer;
};

struct chc {
	struct http *h;
	char *base;
	const struct creds *cr;
	char *org; /* NULL until known */
	int org_fetching;
	struct ccall *waiting; /* calls queued until the organization id is known */
	struct ccall *inflight;
};

struct chc *chc_new(struct http *h, const char *api_url, const struct creds *c, struct err *e)
{
	struct chc *cc;
	size_t n;
	if (!api_url || !c || !c->key_id || !c->key_secret) {
		err_set(e, ERR_USAGE, "%s",
		        _("ClickHouse Cloud needs an API URL, a key id and a key secret"));
		return NULL;
	}
	cc = xcalloc(1, sizeof(*cc));
	cc->h = h;
	cc->cr = c;
	cc->base = xstrdup(api_url);
	n = strlen(cc->base);
	while (n > 0 && cc->base[n - 1] == '/')
		cc->base[--n] = '\0';
	if (c->org_id && *c->org_id)
		cc->org = xstrdup(c->org_id);
	return cc;
}

static void ccall_free(struct ccall *k)
{
	free(k->method);
	free(k->path);
	free(k->body);
	free(k->region);
	free(k);
}

static void unlink_call(struct ccall **list, struct ccall *k)
{
	for (struct ccall **p = list; *p; p = &(*p)->next) {
		if (*p == k) {
			*p = k->next;
			return;
		}
	}
}

void chc_free(struct chc *c)
{
	if (!c)
		return;
	http_cancel(c->h, c); /* the organization lookup */
	while (c->waiting) {
		struct ccall *k = c->waiting;
		c->waiting = k->next;
		if (k->timer)
			loop_cancel(http_loop(c->h), k->timer);
		ccall_free(k);
	}
	while (c->inflight) {
		struct ccall *k = c->inflight;
		c->inflight = k->next;
		http_cancel(c->h, k);
		ccall_free(k);
	}
	free(c->base);
	free(c->org);
	free(c);
}

/* Deliver an error (result NULL) to the call's callback. */
static void fail(struct ccall *k, const struct err *e)
{
	switch (k->kind) {
	case C_SERVICES:
		((chc_services_fn)k->fn)(k->ud, NULL, e);
		break;
	case C_SERVICE:
		((chc_service_fn)k->fn)(k->ud, NULL, e);
		break;
	case C_CONFIG:
		((chc_config_fn)k->fn)(k->ud, NULL, e);
		break;
	case C_ORG:
		((chc_org_fn)k->fn)(k->ud, NULL, e);
		break;
	case C_KEYS:
	case C_KEYS_CONFIRM:
		((chc_role_fn)k->fn)(k->ud, NULL, e);
		break;
	}
}

/* Turn an error answer into a message with the API's own words and a next step. */
static void http_error(const struct http_resp *r, struct err *e)
{
	char text[300], rid[80], idpart[120] = "";
	if (r->status == 0) {
		*e = r->err;
		return;
	}
	chc_api_text(r->body, r->len, text, sizeof(text), rid, sizeof(rid));
	if (!text[0])
		snprintf(text, sizeof(text), "HTTP %ld", r->status);
	if (rid[0])
		snprintf(idpart, sizeof(idpart), _(" (request id %s)"), rid);
	switch (r->status) {
	case 401:
		err_set(e, ERR_AUTH, _("the ClickHouse Cloud key id or secret is wrong: %s%s"),
		        text, idpart);
		err_hint(e, "%s",
		         _("Check the key id and secret in the ClickHouse Cloud console "
		           "(Organization, API keys) and update the profile."));
		break;
	case 403:
		err_set(e, ERR_FORBIDDEN, _("the ClickHouse Cloud key may not do this: %s%s"), text,
		        idpart);
		err_hint(e, "%s",
		         _("Managing Private Link needs an Admin key: create a key with the "
		           "Admin role and use it in the profile."));
		break;
	case 404:
		err_set(e, ERR_NOTFOUND,
		        _("ClickHouse Cloud does not know this organization or "
		          "service: %s%s"),
		        text, idpart);
		err_hint(e, "%s", _("Check the organization and service ids."));
		break;
	case 409:
		err_set(e, ERR_CONFLICT, _("ClickHouse Cloud refused a conflicting change: %s%s"),
		        text, idpart);
		break;
	case 429:
		err_set(e, ERR_HTTP,
		        _("ClickHouse Cloud kept answering \"too many requests\"; chlink "
		          "waited %u s over %d attempts: %s"),
		        (r->waited_ms + 999) / 1000, r->attempts, text);
		err_hint(e, "%s",
		         _("Another program may be using the same key. Wait a minute and "
		           "try again."));
		break;
	default:
		err_set(e, ERR_HTTP, _("ClickHouse Cloud answered HTTP %ld: %s%s"), r->status, text,
		        idpart);
		if (r->status == 400 && strstr(text, "no created instances"))
			err_hint(e, "%s",
			         _("At least one ClickHouse Cloud service must exist in "
			           "that region before Private Link can be set up."));
	}
	e->http_status = (int)r->status;
}

static int region_match(const struct chc_service *s, const char *region)
{
	return strcasecmp(s->provider, "azure") == 0 && strcasecmp(s->region, region) == 0;
}

/* Keep only azure services in `region` (filtering is client side). */
static void filter_region(struct chc_service_list *l, const char *region)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (region_match(&l->v[i], region))
			l->v[k++] = l->v[i];
		else
			chc_service_clear(&l->v[i]);
	}
	l->n = k;
}

/*
 * A PATCH that answered 2xx did its work even when the body is not a whole
 * Service or Organization (204, an empty or partial result): the caller then
 * gets NULL without an error and reads the object again if it needs it.
 */
static int patch_done_anyway(struct ccall *k, void *obj)
{
	if (strcmp(k->method, "PATCH") != 0)
		return 0;
	free(obj);
	if (k->kind == C_SERVICE)
		((chc_service_fn)k->fn)(k->ud, NULL, NULL);
	else
		((chc_org_fn)k->fn)(k->ud, NULL, NULL);
	return 1;
}

static void deliver_ok(struct ccall *k, const struct http_resp *r)
{
	struct err e;
	err_clear(&e);
	switch (k->kind) {
	case C_SERVICES: {
		struct chc_service_list *l = xcalloc(1, sizeof(*l));
		if (chc_parse_services(r->body, r->len, l, &e) < 0) {
			free(l);
			fail(k, &e);
			return;
		}
		if (k->region)
			filter_region(l, k->region);
		((chc_services_fn)k->fn)(k->ud, l, NULL);
		return;
	}
	case C_SERVICE: {
		struct chc_service *s = xcalloc(1, sizeof(*s));
		if (chc_parse_service(r->body, r->len, s, &e) < 0) {
			if (patch_done_anyway(k, s))
				return;
			free(s);
			fail(k, &e);
			return;
		}
		((chc_service_fn)k->fn)(k->ud, s, NULL);
		return;
	}
	case C_CONFIG: {
		struct chc_pe_config *c = xcalloc(1, sizeof(*c));
		if (chc_parse_pe_config(r->body, r->len, c, &e) < 0) {
			free(c);
			fail(k, &e);
			return;
		}
		((chc_config_fn)k->fn)(k->ud, c, NULL);
		return;
	}
	case C_KEYS: {
		char *role = NULL;
		if (chc_parse_key_role(r->body, r->len, k->c->cr->key_id, &role, &e) < 0) {
			fail(k, &e);
			return;
		}
		((chc_role_fn)k->fn)(k->ud, role, NULL);
		free(role);
		return;
	}
	case C_KEYS_CONFIRM:
		((chc_role_fn)k->fn)(k->ud, "unknown", NULL); /* the key works; its role unknown */
		return;
	case C_ORG: {
		struct chc_org *o = xcalloc(1, sizeof(*o));
		if (chc_parse_org(r->body, r->len, o, &e) < 0) {
			if (patch_done_anyway(k, o))
				return;
			free(o);
			fail(k, &e);
			return;
		}
		((chc_org_fn)k->fn)(k->ud, o, NULL);
		return;
	}
	}
}

static void send_call(struct ccall *k);

static void on_answer(void *ud, const struct http_resp *r)
{
	struct ccall *k = ud;
	unlink_call(&k->c->inflight, k);
	if (r->status >= 200 && r->status < 300) {
		deliver_ok(k, r);
	} else if (k->kind == C_KEYS &&
	           (r->status == 404 || r->status == 405 || r->status == 501)) {
		/* the key list is not in the Private Link fact sheet: an API without it still
		 * answers GET organization when the key works */
		k->kind = C_KEYS_CONFIRM;
		free(k->path);
		k->path = xstrdup("");
		send_call(k);
		return;
	} else if (k->kind == C_KEYS && r->status == 403) {
		((chc_role_fn)k->fn)(k->ud, "developer", NULL); /* may not list keys: not Admin */
	} else {
		struct err e;
		err_clear(&e);
		http_error(r, &e);
		fail(k, &e);
	}
	ccall_free(k);
}

static void fail_later_cb(void *ud)
{
	struct ccall *k = ud;
	k->timer = 0;
	unlink_call(&k->c->waiting, k);
	fail(k, &k->err);
	ccall_free(k);
}

/* Errors found before sending still reach the callback from the loop, never inside the call. */
static void fail_later(struct ccall *k)
{
	k->next = k->c->waiting;
	k->c->waiting = k;
	k->timer = loop_timer(http_loop(k->c->h), 0, fail_later_cb, k);
}

static char *escape(const char *s)
{
	char *t = curl_easy_escape(NULL, s, 0), *r;
	if (!t)
		abort();
	r = xstrdup(t);
	curl_free(t);
	return r;
}

static void send_call(struct ccall *k)
{
	struct chc *c = k->c;
	char *org = escape(c->org);
	char *url = xasprintf("%s/v1/organizations/%s%s", c->base, org, k->path);
	struct http_req rq = {
	    .method = k->method,
	    .url = url,
	    .body = k->body,
	    .body_len = k->body ? strlen(k->body) : 0,
	    .content_type = k->body ? "application/json" : NULL,
	    .basic_user = c->cr->key_id,
	    .basic_pass = c->cr->key_secret,
	    .idempotent = strcmp(k->method, "GET") == 0,
	    .limit_key = c->cr->key_id,
	};
	free(org);
	if (http_send(c->h, &rq, on_answer, k, &k->err) < 0) {
		free(url);
		fail_later(k);
		return;
	}
	free(url);
	k->next = c->inflight;
	c->inflight = k;
}

static void on_org_list(void *ud, const struct http_resp *r)
{
	struct chc *c = ud;
	struct err e;
	err_clear(&e);
	c->org_fetching = 0;
	if (r->status >= 200 && r->status < 300)
		chc_parse_org_list(r->body, r->len, &c->org, &e);
	else
		http_error(r, &e);
	while (c->waiting) {
		struct ccall *k = c->waiting;
		c->waiting = k->next;
		if (c->org) {
			send_call(k);
		} else {
			fail(k, &e);
			ccall_free(k);
		}
	}
}

static void fetch_org(struct chc *c)
{
	char *url = xasprintf("%s/v1/organizations", c->base);
	struct err e;
	struct http_req rq = {.method = "GET",
	                      .url = url,
	                      .basic_user = c->cr->key_id,
	                      .basic_pass = c->cr->key_secret,
	                      .idempotent = 1,
	                      .limit_key = c->cr->key_id};
	c->org_fetching = 1;
	if (http_send(c->h, &rq, on_org_list, c, &e) < 0) {
		c->org_fetching = 0;
		for (struct ccall *k = c->waiting; k; k = k->next) {
			k->err = e;
			k->timer = loop_timer(http_loop(c->h), 0, fail_later_cb, k);
		}
	}
	free(url);
}

static int call(struct chc *c, enum ckind kind, const char *method, char *path, char *body,
                const char *region, void *fn, void *ud)
{
	struct ccall *k = xcalloc(1, sizeof(*k));
	k->c = c;
	k->kind = kind;
	k->method = xstrdup(method);
	k->path = path;
	k->body = body;
	k->region = region ? xstrdup(region) : NULL;
	k->fn = fn;
	k->ud = ud;
	if (c->org) {
		send_call(k);
		return 0;
	}
	k->next = c->waiting;
	c->waiting = k;
	if (!c->org_fetching)
		fetch_org(c);
	return 0;
}

static char *svc_path(const char *service_id, const char *suffix)
{
	char *id = escape(service_id), *p = xasprintf("/services/%s%s", id, suffix);
	free(id);
	return p;
}

int chc_list_services(struct chc *c, const char *region, chc_services_fn fn, void *ud)
{
	return call(c, C_SERVICES, "GET", xstrdup("/services"), NULL, region, (void *)fn, ud);
}

int chc_get_service(struct chc *c, const char *service_id, chc_service_fn fn, void *ud)
{
	if (!service_id || !*service_id)
		return -1;
	return call(c, C_SERVICE, "GET", svc_path(service_id, ""), NULL, NULL, (void *)fn, ud);
}

int chc_get_pe_config(struct chc *c, const char *service_id, chc_config_fn fn, void *ud)
{
	if (!service_id || !*service_id)
		return -1;
	return call(c, C_CONFIG, "GET", svc_path(service_id, "/privateEndpointConfig"), NULL, NULL,
	            (void *)fn, ud);
}

int chc_get_org(struct chc *c, chc_org_fn fn, void *ud)
{
	return call(c, C_ORG, "GET", xstrdup(""), NULL, NULL, (void *)fn, ud);
}

int chc_get_key_role(struct chc *c, chc_role_fn fn, void *ud)
{
	return call(c, C_KEYS, "GET", xstrdup("/keys"), NULL, NULL, (void *)fn, ud);
}

/* {"privateEndpoints":{OP:[{"cloudProvider":"azure","id":ID[,"description":D],"region":R}]}} */
static char *org_pe_body(const char *op, const char *pe_id, const char *desc, const char *region)
{
	cJSON *root = cJSON_CreateObject(),
	      *pes = cJSON_AddObjectToObject(root, "privateEndpoints");
	cJSON *arr = cJSON_AddArrayToObject(pes, op), *one = cJSON_CreateObject();
	char *s;
	cJSON_AddStringToObject(one, "cloudProvider", "azure");
	cJSON_AddStringToObject(one, "id", pe_id);
	if (desc)
		cJSON_AddStringToObject(one, "description", desc);
	cJSON_AddStringToObject(one, "region", region);
	cJSON_AddItemToArray(arr, one);
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!s)
		abort();
	return s;
}

/* {"privateEndpointIds":{OP:[ID]}} */
static char *svc_pe_body(const char *op, const char *pe_id)
{
	cJSON *root = cJSON_CreateObject(),
	      *ids = cJSON_AddObjectToObject(root, "privateEndpointIds");
	cJSON *arr = cJSON_AddArrayToObject(ids, op);
	char *s;
	cJSON_AddItemToArray(arr, cJSON_CreateString(pe_id));
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!s)
		abort();
	return s;
}

int chc_org_pe_add(struct chc *c, const char *pe_id, const char *description, const char *region,
                   chc_org_fn fn, void *ud)
{
	if (!pe_id || !region)
		return -1;
	return call(c, C_ORG, "PATCH", xstrdup(""), org_pe_body("add", pe_id, description, region),
	            NULL, (void *)fn, ud);
}

int chc_org_pe_remove(struct chc *c, const char *pe_id, const char *region, chc_org_fn fn, void *ud)
{
	if (!pe_id || !region)
		return -1;
	return call(c, C_ORG, "PATCH", xstrdup(""), org_pe_body("remove", pe_id, NULL, region),
	            NULL, (void *)fn, ud);
}

int chc_service_pe_add(struct chc *c, const char *service_id, const char *pe_id, chc_service_fn fn,
                       void *ud)
{
	if (!service_id || !pe_id)
		return -1;
	return call(c, C_SERVICE, "PATCH", svc_path(service_id, ""), svc_pe_body("add", pe_id),
	            NULL, (void *)fn, ud);
}

int chc_service_pe_remove(struct chc *c, const char *service_id, const char *pe_id,
                          chc_service_fn fn, void *ud)
{
	if (!service_id || !pe_id)
		return -1;
	return call(c, C_SERVICE, "PATCH", svc_path(service_id, ""), svc_pe_body("remove", pe_id),
	            NULL, (void *)fn, ud);
}
