/* azure: ARM calls for the private endpoint and its DNS, with the long-running-operation follower.
 */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "azure.h"
#include "azure_int.h"
#include "azure_tok.h"
#include "i18n.h"
#include "xmalloc.h"

/* The api-versions, pinned here and nowhere else. */
enum az_api { API_NETWORK, API_DNS, API_RESOURCES };
static const char *const api_version[] = {
    [API_NETWORK] = "2024-05-01",
    [API_DNS] = "2024-06-01",
    [API_RESOURCES] = "2021-04-01",
};

#define AZ_POLL_DEFAULT_MS 2000u
#define AZ_POLL_CAP_MS     30000u
#define AZ_LRO_LIMIT_MS    (30u * 60u * 1000u)

enum op_kind {
	K_PE,
	K_PE_LIST,
	K_NIC,
	K_ZONE,
	K_RECORD,
	K_LINK,
	K_LINK_LIST,
	K_RG_LIST,
	K_VNET_LIST,
	K_DELETE,
};

enum phase { PH_MAIN, PH_ASYNC, PH_LOCATION, PH_RESOURCE, PH_FINAL, PH_PAGE };

struct aop {
	struct aop *next;
	struct azure *a;
	enum op_kind kind;
	enum phase phase;
	int lro; /* the main request is a PUT or DELETE that may run long */
	int is_delete;
	char *method, *url, *body; /* the request being made (resent after a token refresh) */
	char *resource; /* the resource URL, for provisioningState polls and the final GET */
	char *poll;
	int retried_401;
	int waiting_token;
	unsigned timer;
	uint64_t t0;
	void *list; /* pages accumulated so far */
	void *fn;
	void *ud;
};

struct azure {
	struct http *h;
	char *arm, *login;
	const struct creds *cr;
	struct az_tok *tok;
	struct aop *ops;
	az_progress_fn progress;
	void *progress_ud;
};

static void on_token(void *ud, const struct err *e);

struct azure *azure_new(struct http *h, const struct azure_opts *o, struct err *e)
{
	struct azure *a;
	const struct creds *cr = o ? o->creds : NULL;
	size_t n;
	if (!cr || !cr->subscription_id || !*cr->subscription_id) {
		err_set(e, ERR_USAGE, "%s", _("Azure needs a subscription id"));
		return NULL;
	}
	if (!cr->az_use_cli && !o->cli_token_json &&
	    (!cr->tenant_id || !cr->client_id || !cr->client_secret)) {
		err_set(e, ERR_USAGE, "%s",
		        _("Azure needs a tenant id, client id and client secret, "
		          "or the Azure CLI login"));
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->h = h;
	a->cr = cr;
	a->arm = xstrdup(o->arm_url ? o->arm_url : "https://management.azure.com");
	a->login = xstrdup(o->login_url ? o->login_url : "https://login.microsoftonline.com");
	for (char *s = a->arm; s; s = NULL) {
		n = strlen(s);
		while (n > 0 && s[n - 1] == '/')
			s[--n] = '\0';
	}
	n = strlen(a->login);
	while (n > 0 && a->login[n - 1] == '/')
		a->login[--n] = '\0';
	a->tok = az_tok_new(h, a->login, a->arm, cr, o->cli_token_json, on_token, a);
	return a;
}

static void op_free(struct aop *op)
{
	free(op->method);
	free(op->url);
	free(op->body);
	free(op->resource);
	free(op->poll);
	free(op);
}

static void list_free(struct aop *op)
{
	switch (op->kind) {
	case K_PE_LIST:
		az_pe_list_free(op->list);
		break;
	case K_LINK_LIST:
		az_link_list_free(op->list);
		break;
	case K_RG_LIST:
		az_rg_list_free(op->list);
		break;
	case K_VNET_LIST:
		az_vnet_list_free(op->list);
		break;
	default:
		break;
	}
	op->list = NULL;
}

static void op_unlink(struct aop *op)
{
	for (struct aop **p = &op->a->ops; *p; p = &(*p)->next) {
		if (*p == op) {
			*p = op->next;
			return;
		}
	}
}

void azure_free(struct azure *a)
{
	if (!a)
		return;
	while (a->ops) {
		struct aop *op = a->ops;
		a->ops = op->next;
		http_cancel(a->h, op);
		if (op->timer)
			loop_cancel(http_loop(a->h), op->timer);
		list_free(op);
		op_free(op);
	}
	az_tok_free(a->tok);
	free(a->arm);
	free(a->login);
	free(a);
}

void azure_set_progress(struct azure *a, az_progress_fn fn, void *ud)
{
	a->progress = fn;
	a->progress_ud = ud;
}

const char *azure_subscription(const struct azure *a)
{
	return a->cr->subscription_id;
}

/* ---- delivering results ---- */

static void deliver(struct aop *op, void *result, const struct err *e)
{
	void *ud = op->ud;
	op_unlink(op);
	if (op->timer)
		loop_cancel(http_loop(op->a->h), op->timer);
	switch (op->kind) {
	case K_PE:
		((az_pe_fn)op->fn)(ud, result, e);
		break;
	case K_PE_LIST:
		((az_pe_list_fn)op->fn)(ud, result, e);
		break;
	case K_NIC:
		((az_nic_fn)op->fn)(ud, result, e);
		break;
	case K_ZONE:
		((az_zone_fn)op->fn)(ud, result, e);
		break;
	case K_RECORD:
		((az_record_fn)op->fn)(ud, result, e);
		break;
	case K_LINK:
		((az_link_fn)op->fn)(ud, result, e);
		break;
	case K_LINK_LIST:
		((az_link_list_fn)op->fn)(ud, result, e);
		break;
	case K_RG_LIST:
		((az_rg_list_fn)op->fn)(ud, result, e);
		break;
	case K_VNET_LIST:
		((az_vnet_list_fn)op->fn)(ud, result, e);
		break;
	case K_DELETE:
		((az_done_fn)op->fn)(ud, e);
		break;
	}
	op_free(op);
}

static void fail(struct aop *op, const struct err *e)
{
	list_free(op);
	deliver(op, NULL, e);
}

/* Parse a single resource body into the op's result type. */
static void deliver_body(struct aop *op, const struct http_resp *r)
{
	struct err e;
	void *res = NULL;
	int rc = -1;
	err_clear(&e);
	switch (op->kind) {
	case K_PE:
		res = xcalloc(1, sizeof(struct az_pe));
		if ((rc = az_parse_pe(r->body, r->len, res, &e)) < 0)
			free(res);
		break;
	case K_NIC:
		res = xcalloc(1, sizeof(struct az_nic));
		if ((rc = az_parse_nic(r->body, r->len, res, &e)) < 0)
			free(res);
		break;
	case K_ZONE:
		res = xcalloc(1, sizeof(struct az_zone));
		if ((rc = az_parse_zone(r->body, r->len, res, &e)) < 0)
			free(res);
		break;
	case K_RECORD:
		res = xcalloc(1, sizeof(struct az_record));
		if ((rc = az_parse_record(r->body, r->len, res, &e)) < 0)
			free(res);
		break;
	case K_LINK:
		res = xcalloc(1, sizeof(struct az_link));
		if ((rc = az_parse_link(r->body, r->len, res, &e)) < 0)
			free(res);
		break;
	default:
		rc = 0;
		break;
	}
	if (rc < 0) {
		err_wrap(&e, "%s", _("reading the Azure answer"));
		fail(op, &e);
	} else {
		deliver(op, res, NULL);
	}
}

/* ---- errors ---- */

static void arm_error(const struct http_resp *r, struct err *e)
{
	char text[400];
	if (r->status == 0) {
		*e = r->err;
		return;
	}
	if (az_parse_error(r->body, r->len, text, sizeof(text)) < 0) {
		size_t k = 0;
		for (size_t i = 0; i < r->len && k < 200; i++) {
			unsigned char c = (unsigned char)r->body[i];
			text[k++] = c >= 0x20 && c != 0x7f ? (char)c : ' ';
		}
		text[k] = '\0';
		if (!k)
			snprintf(text, sizeof(text), "HTTP %ld", r->status);
	}
	switch (r->status) {
	case 401:
		err_set(e, ERR_AUTH, _("Azure refused the token: %s"), text);
		err_hint(e, "%s", _("Sign in again (az login) or check the service principal."));
		break;
	case 403:
		err_set(e, ERR_FORBIDDEN, _("Azure denied the request: %s"), text);
		if (strstr(text, "LinkedAuthorizationFailed"))
			err_hint(e, "%s",
			         _("The subnet or VNet is in a subscription or tenant the "
			           "principal cannot use; check that it belongs to the same "
			           "tenant."));
		else
			err_hint(e, "%s",
			         _("The service principal needs the Network Contributor role "
			           "on the resource group (and Private DNS Zone Contributor "
			           "for the DNS zone)."));
		break;
	case 404:
		err_set(e, ERR_NOTFOUND, _("Azure cannot find it: %s"), text);
		break;
	case 409:
		err_set(e, ERR_CONFLICT, _("Azure refused a conflicting change: %s"), text);
		break;
	default:
		err_set(e, ERR_HTTP, _("Azure answered HTTP %ld: %s"), r->status, text);
	}
	e->http_status = (int)r->status;
}

/* ---- sending ---- */

static void on_resp(void *ud, const struct http_resp *r);

static void send_now(struct aop *op)
{
	struct err e;
	const char *tok = az_tok_valid(op->a->tok);
	struct http_req rq = {
	    .method = op->method,
	    .url = op->url,
	    .body = op->body,
	    .body_len = op->body ? strlen(op->body) : 0,
	    .content_type = op->body ? "application/json" : NULL,
	    .bearer = tok,
	    /* ARM PUT and DELETE are idempotent by design; POST is not used */
	    .idempotent = 1,
	};
	if (!tok) {
		op->waiting_token = 1;
		az_tok_fetch(op->a->tok);
		return;
	}
	if (http_send(op->a->h, &rq, on_resp, op, &e) < 0)
		fail(op, &e);
}

static void on_token(void *ud, const struct err *e)
{
	struct azure *a = ud;
	struct aop *op = a->ops, *next;
	for (; op; op = next) {
		next = op->next;
		if (!op->waiting_token)
			continue;
		op->waiting_token = 0;
		if (e)
			fail(op, e);
		else
			send_now(op);
	}
}

static void request(struct aop *op, const char *method, const char *url, const char *body)
{
	free(op->method);
	free(op->url);
	free(op->body);
	op->method = xstrdup(method);
	op->url = xstrdup(url);
	op->body = body ? xstrdup(body) : NULL;
	op->retried_401 = 0;
	send_now(op);
}

/*
 * The URL to follow for a status URL or nextLink, newly allocated, or NULL:
 * only URLs on the configured ARM host are followed (the bearer token must
 * not travel elsewhere). ARM's public host is re-based onto the configured
 * one, so a proxy or simulator that answers with ARM's own URLs still works.
 */
static char *arm_follow(const struct azure *a, const char *url)
{
	static const char pub[] = "https://management.azure.com";
	size_t n = strlen(a->arm), k = sizeof(pub) - 1;
	if (!url)
		return NULL;
	if (strncasecmp(url, a->arm, n) == 0 && (url[n] == '/' || url[n] == '\0'))
		return xstrdup(url);
	if (strncasecmp(url, pub, k) != 0)
		return NULL;
	if (strncmp(url + k, ":443/", 5) == 0)
		k += 4;
	return url[k] == '/' ? xasprintf("%s%s", a->arm, url + k) : NULL;
}

/* ---- long-running operations ---- */

static int terminal(const char *s)
{
	return s && (strcasecmp(s, "Succeeded") == 0 || strcasecmp(s, "Failed") == 0 ||
	             strcasecmp(s, "Canceled") == 0);
}

static void poll_fire(void *ud)
{
	struct aop *op = ud;
	op->timer = 0;
	request(op, "GET", op->phase == PH_RESOURCE ? op->resource : op->poll, NULL);
}

static void schedule_poll(struct aop *op, const struct http_resp *r, const char *status)
{
	unsigned ms = AZ_POLL_DEFAULT_MS;
	uint64_t now = loop_now_ms(http_loop(op->a->h));
	struct err e;
	if (r->retry_after_s >= 0)
		ms = r->retry_after_s * 1000.0 > AZ_POLL_CAP_MS
		         ? AZ_POLL_CAP_MS
		         : (unsigned)(r->retry_after_s * 1000.0);
	if (now - op->t0 > AZ_LRO_LIMIT_MS) {
		err_set(&e, ERR_TIMEOUT, _("Azure is still working after %u minutes"),
		        AZ_LRO_LIMIT_MS / 60000u);
		err_hint(&e, "%s",
		         _("Check the operation in the Azure portal, then run chlink again."));
		fail(op, &e);
		return;
	}
	if (op->a->progress)
		op->a->progress(op->a->progress_ud, status ? status : "InProgress",
		                (unsigned)((now - op->t0) / 1000u));
	op->timer = loop_timer(http_loop(op->a->h), ms, poll_fire, op);
}

/* The operation finished: deletes are done, everything else reads the resource once more. */
static void lro_done(struct aop *op)
{
	if (op->is_delete) {
		deliver(op, NULL, NULL);
		return;
	}
	op->phase = PH_FINAL;
	request(op, "GET", op->resource, NULL);
}

static void lro_failed(struct aop *op, const struct http_resp *r, const char *status)
{
	struct err e;
	char text[400];
	if (az_parse_error(r->body, r->len, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "%s", status ? status : "Failed");
	err_set(&e, ERR_HTTP, _("the Azure operation ended %s: %s"), status ? status : "Failed",
	        text);
	fail(op, &e);
}

/* After the first answer to a PUT/DELETE: decide how to follow it (ARM's precedence). */
static void lro_start(struct aop *op, const struct http_resp *r)
{
	char *ps = az_parse_provisioning(r->body, r->len);
	struct err e;
	if (r->azure_async || r->location) {
		char *u = arm_follow(op->a, r->azure_async ? r->azure_async : r->location);
		if (!u) {
			free(ps);
			err_set(&e, ERR_PARSE, "%s",
			        _("Azure sent a status URL on another host; "
			          "chlink does not follow it"));
			fail(op, &e);
			return;
		}
		/* done already when the body says so (the examples' 201 bodies say
		 * Succeeded), or a bodiless 200/204; a 200 still "Updating" is followed */
		int done =
		    r->status != 202 && (ps ? terminal(ps) : r->status == 200 || r->status == 204);
		if (!done) {
			free(op->poll);
			op->poll = u;
			op->phase = r->azure_async ? PH_ASYNC : PH_LOCATION;
			schedule_poll(op, r, ps);
			free(ps);
			return;
		}
		free(u);
	} else if (!op->is_delete && (r->status == 202 || (ps && !terminal(ps)))) {
		/* no status URL: poll the resource itself until it settles */
		op->phase = PH_RESOURCE;
		schedule_poll(op, r, ps);
		free(ps);
		return;
	} else if (op->is_delete && r->status == 202) {
		op->phase = PH_RESOURCE;
		schedule_poll(op, r, "Deleting");
		free(ps);
		return;
	}
	if (ps && strcasecmp(ps, "Failed") == 0) {
		lro_failed(op, r, ps);
		free(ps);
		return;
	}
	free(ps);
	/* the endpoint is always read back once more; DNS bodies can be used as they are */
	if (op->is_delete || !r->len || op->kind == K_PE)
		lro_done(op);
	else
		deliver_body(op, r);
}

static void on_poll(struct aop *op, const struct http_resp *r)
{
	char *st;
	switch (op->phase) {
	case PH_ASYNC:
		st = az_parse_op_status(r->body, r->len);
		if (st && strcasecmp(st, "Succeeded") == 0)
			lro_done(op);
		else if (st && (strcasecmp(st, "Failed") == 0 || strcasecmp(st, "Canceled") == 0))
			lro_failed(op, r, st);
		else
			schedule_poll(op, r, st); /* unknown words mean still running */
		free(st);
		return;
	case PH_LOCATION:
		if (r->status == 202)
			schedule_poll(op, r, "InProgress");
		else
			lro_done(op);
		return;
	case PH_RESOURCE:
		st = az_parse_provisioning(r->body, r->len);
		if (!terminal(st) && !(st == NULL && !op->is_delete))
			schedule_poll(op, r, st);
		else if (st && strcasecmp(st, "Succeeded") != 0)
			lro_failed(op, r, st);
		else if (op->is_delete)
			schedule_poll(op, r, st); /* still there: keep waiting for the 404 */
		else
			deliver_body(op, r);
		free(st);
		return;
	default:
		return;
	}
}

/* ---- lists ---- */

static int parse_page(struct aop *op, const struct http_resp *r, char **next, struct err *e)
{
	switch (op->kind) {
	case K_PE_LIST:
		return az_parse_pe_page(r->body, r->len, op->list, next, e);
	case K_LINK_LIST:
		return az_parse_link_page(r->body, r->len, op->list, next, e);
	case K_RG_LIST:
		return az_parse_rg_page(r->body, r->len, op->list, next, e);
	case K_VNET_LIST:
		return az_parse_vnet_page(r->body, r->len, op->list, next, e);
	default:
		return 0;
	}
}

static void on_page(struct aop *op, const struct http_resp *r)
{
	struct err e;
	char *next = NULL;
	err_clear(&e);
	if (parse_page(op, r, &next, &e) < 0) {
		err_wrap(&e, "%s", _("reading the Azure list"));
		fail(op, &e);
		return;
	}
	if (next && *next) {
		char *u = arm_follow(op->a, next);
		free(next);
		if (!u) {
			err_set(&e, ERR_PARSE, "%s",
			        _("Azure sent a nextLink on another host; "
			          "chlink does not follow it"));
			fail(op, &e);
			return;
		}
		op->phase = PH_PAGE;
		request(op, "GET", u, NULL);
		free(u);
		return;
	}
	free(next);
	{
		void *l = op->list;
		op->list = NULL;
		deliver(op, l, NULL);
	}
}

static int is_list(const struct aop *op)
{
	return op->kind == K_PE_LIST || op->kind == K_LINK_LIST || op->kind == K_RG_LIST ||
	       op->kind == K_VNET_LIST;
}

static void on_resp(void *ud, const struct http_resp *r)
{
	struct aop *op = ud;
	struct err e;
	err_clear(&e);
	if (r->status == 401 && !op->retried_401 && az_tok_refreshable(op->a->tok)) {
		/* the token expired under us: fetch a new one and replay once */
		op->retried_401 = 1;
		az_tok_invalidate(op->a->tok);
		send_now(op);
		return;
	}
	if (r->status == 404 && (op->is_delete || (op->phase == PH_MAIN && !op->lro) ||
	                         (op->phase == PH_RESOURCE && op->is_delete))) {
		list_free(op);
		deliver(op, NULL, NULL); /* absent: not an error */
		return;
	}
	if (r->status < 200 || r->status >= 300) {
		arm_error(r, &e);
		fail(op, &e);
		return;
	}
	if (is_list(op)) {
		on_page(op, r);
		return;
	}
	switch (op->phase) {
	case PH_MAIN:
		if (op->lro)
			lro_start(op, r);
		else
			deliver_body(op, r);
		return;
	case PH_FINAL:
		deliver_body(op, r);
		return;
	default:
		on_poll(op, r);
		return;
	}
}

/* ---- building calls ---- */

static char *seg(const char *s)
{
	/* unreserved characters and '*' (the wildcard record goes into the path literally) */
	static const char ok[] = "-._~*";
	size_t n = strlen(s);
	char *out = xmalloc(n * 3 + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(ok, c))
			*p++ = (char)c;
		else
			p += snprintf(p, 4, "%%%02X", c);
	}
	*p = '\0';
	return out;
}

/* {arm}/subscriptions/{sub}[/resourceGroups/{rg}]/providers/{rest}?api-version= */
static char *arm_url(struct azure *a, const char *rg, const char *rest, enum az_api api)
{
	char *sub = seg(a->cr->subscription_id), *url;
	if (rg) {
		char *g = seg(rg);
		url = xasprintf("%s/subscriptions/%s/resourceGroups/%s/providers/%s?api-version=%s",
		                a->arm, sub, g, rest, api_version[api]);
		free(g);
	} else {
		url = xasprintf("%s/subscriptions/%s/providers/%s?api-version=%s", a->arm, sub,
		                rest, api_version[api]);
	}
	free(sub);
	return url;
}

static struct aop *op_new(struct azure *a, enum op_kind kind, void *fn, void *ud)
{
	struct aop *op = xcalloc(1, sizeof(*op));
	op->a = a;
	op->kind = kind;
	op->fn = fn;
	op->ud = ud;
	op->t0 = loop_now_ms(http_loop(a->h));
	op->next = a->ops;
	a->ops = op;
	switch (kind) {
	case K_PE_LIST:
		op->list = xcalloc(1, sizeof(struct az_pe_list));
		break;
	case K_LINK_LIST:
		op->list = xcalloc(1, sizeof(struct az_link_list));
		break;
	case K_RG_LIST:
		op->list = xcalloc(1, sizeof(struct az_rg_list));
		break;
	case K_VNET_LIST:
		op->list = xcalloc(1, sizeof(struct az_vnet_list));
		break;
	default:
		break;
	}
	return op;
}

/* Start an op: `url` becomes the resource URL; method/body the first request. */
static int start(struct azure *a, enum op_kind kind, char *url, const char *method, char *body,
                 void *fn, void *ud)
{
	struct aop *op = op_new(a, kind, fn, ud);
	op->resource = url;
	op->is_delete = strcmp(method, "DELETE") == 0;
	op->lro = strcmp(method, "GET") != 0;
	request(op, method, url, body);
	free(body);
	return 0;
}

static char *name_path(const char *fmt1, const char *name1, const char *fmt2, const char *name2)
{
	char *n1 = seg(name1), *n2 = name2 ? seg(name2) : NULL, *out;
	out = n2 ? xasprintf("%s%s%s%s", fmt1, n1, fmt2, n2) : xasprintf("%s%s", fmt1, n1);
	free(n1);
	free(n2);
	return out;
}

static char *pe_url(struct azure *a, const char *rg, const char *name)
{
	char *rest = name_path("Microsoft.Network/privateEndpoints/", name, NULL, NULL);
	char *url = arm_url(a, rg, rest, API_NETWORK);
	free(rest);
	return url;
}

#define NEED(x)                                                                                    \
	do {                                                                                       \
		if (!(x) || !*(x))                                                                 \
			return -1;                                                                 \
	} while (0)

int azure_pe_get(struct azure *a, const char *rg, const char *name, az_pe_fn fn, void *ud)
{
	NEED(rg);
	NEED(name);
	return start(a, K_PE, pe_url(a, rg, name), "GET", NULL, (void *)fn, ud);
}

int azure_pe_list(struct azure *a, const char *rg, az_pe_list_fn fn, void *ud)
{
	return start(a, K_PE_LIST,
	             arm_url(a, rg, "Microsoft.Network/privateEndpoints", API_NETWORK), "GET", NULL,
	             (void *)fn, ud);
}

/* The body of azure-arm.md §2b: a manual connection to the alias; groupIds omitted. */
static char *pe_body(const char *name, const char *location, const char *subnet_id,
                     const char *alias, const char *msg)
{
	cJSON *root = cJSON_CreateObject(), *props, *subnet, *conns, *c, *cp;
	char *conn = xasprintf("%s-conn", name), *s;
	cJSON_AddStringToObject(root, "location", location);
	props = cJSON_AddObjectToObject(root, "properties");
	subnet = cJSON_AddObjectToObject(props, "subnet");
	cJSON_AddStringToObject(subnet, "id", subnet_id);
	conns = cJSON_AddArrayToObject(props, "manualPrivateLinkServiceConnections");
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "name", conn);
	cp = cJSON_AddObjectToObject(c, "properties");
	cJSON_AddStringToObject(cp, "privateLinkServiceId", alias);
	cJSON_AddStringToObject(cp, "requestMessage", msg && *msg ? msg : "chlink");
	cJSON_AddItemToArray(conns, c);
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	free(conn);
	if (!s)
		abort();
	return s;
}

int azure_pe_create(struct azure *a, const char *rg, const char *name, const char *location,
                    const char *subnet_id, const char *alias, const char *request_message,
                    az_pe_fn fn, void *ud)
{
	NEED(rg);
	NEED(name);
	NEED(location);
	NEED(subnet_id);
	NEED(alias);
	return start(a, K_PE, pe_url(a, rg, name), "PUT",
	             pe_body(name, location, subnet_id, alias, request_message), (void *)fn, ud);
}

int azure_pe_delete(struct azure *a, const char *rg, const char *name, az_done_fn fn, void *ud)
{
	NEED(rg);
	NEED(name);
	return start(a, K_DELETE, pe_url(a, rg, name), "DELETE", NULL, (void *)fn, ud);
}

int azure_nic_get(struct azure *a, const char *nic_id, az_nic_fn fn, void *ud)
{
	NEED(nic_id);
	if (strncasecmp(nic_id, "/subscriptions/", 15) != 0 || strstr(nic_id, "..") ||
	    strpbrk(nic_id, "?#% \t\r\n"))
		return -1;
	return start(a, K_NIC,
	             xasprintf("%s%s?api-version=%s", a->arm, nic_id, api_version[API_NETWORK]),
	             "GET", NULL, (void *)fn, ud);
}

static char *zone_url(struct azure *a, const char *rg, const char *zone, const char *sub_fmt,
                      const char *sub_name)
{
	char *rest = name_path("Microsoft.Network/privateDnsZones/", zone, sub_fmt, sub_name);
	char *url = arm_url(a, rg, rest, API_DNS);
	free(rest);
	return url;
}

int azure_zone_get(struct azure *a, const char *rg, const char *zone, az_zone_fn fn, void *ud)
{
	NEED(rg);
	NEED(zone);
	return start(a, K_ZONE, zone_url(a, rg, zone, NULL, NULL), "GET", NULL, (void *)fn, ud);
}

int azure_zone_put(struct azure *a, const char *rg, const char *zone, az_zone_fn fn, void *ud)
{
	NEED(rg);
	NEED(zone);
	return start(a, K_ZONE, zone_url(a, rg, zone, NULL, NULL), "PUT",
	             xstrdup("{\"location\":\"global\"}"), (void *)fn, ud);
}

int azure_zone_delete(struct azure *a, const char *rg, const char *zone, az_done_fn fn, void *ud)
{
	NEED(rg);
	NEED(zone);
	return start(a, K_DELETE, zone_url(a, rg, zone, NULL, NULL), "DELETE", NULL, (void *)fn,
	             ud);
}

int azure_record_get(struct azure *a, const char *rg, const char *zone, const char *name,
                     az_record_fn fn, void *ud)
{
	NEED(rg);
	NEED(zone);
	NEED(name);
	return start(a, K_RECORD, zone_url(a, rg, zone, "/A/", name), "GET", NULL, (void *)fn, ud);
}

int azure_record_put(struct azure *a, const char *rg, const char *zone, const char *name,
                     const char *ip, long ttl, az_record_fn fn, void *ud)
{
	cJSON *root, *props, *recs, *one;
	char *body;
	struct aop *op;
	NEED(rg);
	NEED(zone);
	NEED(name);
	NEED(ip);
	root = cJSON_CreateObject();
	props = cJSON_AddObjectToObject(root, "properties");
	cJSON_AddNumberToObject(props, "ttl", (double)(ttl > 0 ? ttl : 300));
	recs = cJSON_AddArrayToObject(props, "aRecords");
	one = cJSON_CreateObject();
	cJSON_AddStringToObject(one, "ipv4Address", ip);
	cJSON_AddItemToArray(recs, one);
	body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	/* record sets are synchronous (200/201), not long-running */
	op = op_new(a, K_RECORD, (void *)fn, ud);
	op->resource = zone_url(a, rg, zone, "/A/", name);
	request(op, "PUT", op->resource, body);
	free(body);
	return 0;
}

int azure_record_delete(struct azure *a, const char *rg, const char *zone, const char *name,
                        az_done_fn fn, void *ud)
{
	NEED(rg);
	NEED(zone);
	NEED(name);
	return start(a, K_DELETE, zone_url(a, rg, zone, "/A/", name), "DELETE", NULL, (void *)fn,
	             ud);
}

int azure_link_get(struct azure *a, const char *rg, const char *zone, const char *link,
                   az_link_fn fn, void *ud)
{
	NEED(rg);
	NEED(zone);
	NEED(link);
	return start(a, K_LINK, zone_url(a, rg, zone, "/virtualNetworkLinks/", link), "GET", NULL,
	             (void *)fn, ud);
}

int azure_link_list(struct azure *a, const char *rg, const char *zone, az_link_list_fn fn, void *ud)
{
	char *z, *rest, *url;
	NEED(rg);
	NEED(zone);
	z = seg(zone);
	rest = xasprintf("Microsoft.Network/privateDnsZones/%s/virtualNetworkLinks", z);
	url = arm_url(a, rg, rest, API_DNS);
	free(z);
	free(rest);
	return start(a, K_LINK_LIST, url, "GET", NULL, (void *)fn, ud);
}

int azure_link_put(struct azure *a, const char *rg, const char *zone, const char *link,
                   const char *vnet_id, az_link_fn fn, void *ud)
{
	cJSON *root, *props, *vn;
	char *body;
	NEED(rg);
	NEED(zone);
	NEED(link);
	NEED(vnet_id);
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "location", "global");
	props = cJSON_AddObjectToObject(root, "properties");
	vn = cJSON_AddObjectToObject(props, "virtualNetwork");
	cJSON_AddStringToObject(vn, "id", vnet_id);
	cJSON_AddFalseToObject(props, "registrationEnabled");
	body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return start(a, K_LINK, zone_url(a, rg, zone, "/virtualNetworkLinks/", link), "PUT", body,
	             (void *)fn, ud);
}

int azure_link_delete(struct azure *a, const char *rg, const char *zone, const char *link,
                      az_done_fn fn, void *ud)
{
	NEED(rg);
	NEED(zone);
	NEED(link);
	return start(a, K_DELETE, zone_url(a, rg, zone, "/virtualNetworkLinks/", link), "DELETE",
	             NULL, (void *)fn, ud);
}

int azure_rg_list(struct azure *a, az_rg_list_fn fn, void *ud)
{
	char *sub = seg(a->cr->subscription_id);
	char *url = xasprintf("%s/subscriptions/%s/resourcegroups?api-version=%s", a->arm, sub,
	                      api_version[API_RESOURCES]);
	free(sub);
	return start(a, K_RG_LIST, url, "GET", NULL, (void *)fn, ud);
}

int azure_vnet_list(struct azure *a, const char *rg, az_vnet_list_fn fn, void *ud)
{
	return start(a, K_VNET_LIST,
	             arm_url(a, rg, "Microsoft.Network/virtualNetworks", API_NETWORK), "GET", NULL,
	             (void *)fn, ud);
}
