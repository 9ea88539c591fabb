/* chc_parse: strict parsers for ClickHouse Cloud answers (envelope {status, requestId, result}). */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "chc.h"
#include "chc_int.h"
#include "i18n.h"
#include "jsonx.h"
#include "xmalloc.h"

/* The envelope's result; `want_array` says which shape the call returns. */
static int envelope(const char *body, size_t len, int want_array, cJSON **root,
                    const cJSON **result, struct err *e)
{
	*root = jsonx_parse(body, len, "ClickHouse Cloud", e);
	if (!*root)
		return -1;
	if (!cJSON_IsObject(*root)) {
		cJSON_Delete(*root);
		*root = NULL;
		return err_set(e, ERR_PARSE, "%s",
		               _("ClickHouse Cloud: the answer is not a JSON object"));
	}
	if ((want_array ? jsonx_arr : jsonx_obj)(*root, "", "result", result, e) < 0) {
		cJSON_Delete(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

void chc_service_free(struct chc_service *s)
{
	if (!s)
		return;
	chc_service_clear(s);
	free(s);
}

void chc_service_clear(struct chc_service *s)
{
	free(s->id);
	free(s->name);
	free(s->provider);
	free(s->region);
	free(s->state);
	free(s->tier);
	jsonx_str_array_free(s->pe_ids, s->n_pe_ids);
	free(s->public_host);
	memset(s, 0, sizeof(*s));
}

void chc_service_list_free(struct chc_service_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		chc_service_clear(&l->v[i]);
	free(l->v);
	free(l);
}

/* endpoints[]: the https host, if any; entries of other shapes are skipped but typed. */
static int public_host(const cJSON *svc, const char *path, char **out, struct err *e)
{
	const cJSON *eps, *it;
	size_t i = 0;
	*out = NULL;
	if (jsonx_arr_opt(svc, path, "endpoints", &eps, e) < 0)
		return -1;
	cJSON_ArrayForEach (it, eps) {
		char *p = jsonx_path(path, "endpoints"), *q = jsonx_index(p, i++), *proto = NULL,
		     *host = NULL;
		int rc = jsonx_str_opt(it, q, "protocol", &proto, e);
		if (rc == 0)
			rc = jsonx_str_opt(it, q, "host", &host, e);
		if (rc == 0 && !*out && proto && host && strcmp(proto, "https") == 0) {
			*out = host;
			host = NULL;
		}
		free(p);
		free(q);
		free(proto);
		free(host);
		if (rc < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	return 0;
}

/*
 * The spec marks no Service field but autoscalingMode and currentScaling as
 * required; only the id is indispensable here. name, provider and region are
 * "" when absent so callers can compare them without checks (a service of
 * unknown provider or region is never taken for an Azure one).
 */
static int str_or_empty(const cJSON *j, const char *path, const char *key, char **out,
                        struct err *e)
{
	if (jsonx_str_opt(j, path, key, out, e) < 0)
		return -1;
	if (!*out)
		*out = xstrdup("");
	return 0;
}

int chc_service_from_json(const cJSON *j, const char *path, struct chc_service *s, struct err *e)
{
	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(j))
		return err_set(e, ERR_PARSE, _("%s: expected an object"), path);
	if (jsonx_str(j, path, "id", &s->id, e) < 0 ||
	    str_or_empty(j, path, "name", &s->name, e) < 0 ||
	    str_or_empty(j, path, "provider", &s->provider, e) < 0 ||
	    str_or_empty(j, path, "region", &s->region, e) < 0 ||
	    jsonx_str_opt(j, path, "state", &s->state, e) < 0 ||
	    jsonx_str_opt(j, path, "tier", &s->tier, e) < 0 ||
	    jsonx_str_array_opt(j, path, "privateEndpointIds", &s->pe_ids, &s->n_pe_ids, e) < 0 ||
	    public_host(j, path, &s->public_host, e) < 0) {
		chc_service_clear(s);
		return -1;
	}
	s->has_pe_ids = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "privateEndpointIds"));
	return 0;
}

int chc_parse_services(const char *body, size_t len, struct chc_service_list *out, struct err *e)
{
	cJSON *root;
	const cJSON *res, *it;
	size_t i = 0;
	memset(out, 0, sizeof(*out));
	if (envelope(body, len, 1, &root, &res, e) < 0)
		return -1;
	out->v = xcalloc((size_t)cJSON_GetArraySize(res) + 1, sizeof(*out->v));
	cJSON_ArrayForEach (it, res) {
		char *p = jsonx_index("result", i);
		int rc = chc_service_from_json(it, p, &out->v[i], e);
		free(p);
		if (rc < 0) {
			out->n = i;
			for (size_t k = 0; k < out->n; k++)
				chc_service_clear(&out->v[k]);
			free(out->v);
			memset(out, 0, sizeof(*out));
			cJSON_Delete(root);
			return -1;
		}
		i++;
	}
	out->n = i;
	cJSON_Delete(root);
	return 0;
}

int chc_parse_service(const char *body, size_t len, struct chc_service *out, struct err *e)
{
	cJSON *root;
	const cJSON *res;
	int rc;
	memset(out, 0, sizeof(*out));
	if (envelope(body, len, 0, &root, &res, e) < 0)
		return -1;
	rc = chc_service_from_json(res, "result", out, e);
	cJSON_Delete(root);
	return rc;
}

void chc_pe_config_free(struct chc_pe_config *c)
{
	if (!c)
		return;
	free(c->endpoint_service_id);
	free(c->private_dns_hostname);
	free(c);
}

int chc_parse_pe_config(const char *body, size_t len, struct chc_pe_config *out, struct err *e)
{
	cJSON *root;
	const cJSON *res;
	memset(out, 0, sizeof(*out));
	if (envelope(body, len, 0, &root, &res, e) < 0)
		return -1;
	if (jsonx_str(res, "result", "endpointServiceId", &out->endpoint_service_id, e) < 0 ||
	    jsonx_str(res, "result", "privateDnsHostname", &out->private_dns_hostname, e) < 0) {
		free(out->endpoint_service_id);
		free(out->private_dns_hostname);
		memset(out, 0, sizeof(*out));
		cJSON_Delete(root);
		return -1;
	}
	cJSON_Delete(root);
	return 0;
}

void chc_org_clear(struct chc_org *o)
{
	free(o->id);
	free(o->name);
	for (size_t i = 0; i < o->n_pes; i++) {
		free(o->pes[i].id);
		free(o->pes[i].description);
		free(o->pes[i].cloud_provider);
		free(o->pes[i].region);
	}
	free(o->pes);
	memset(o, 0, sizeof(*o));
}

void chc_org_free(struct chc_org *o)
{
	if (!o)
		return;
	chc_org_clear(o);
	free(o);
}

static int org_pes(const cJSON *j, const char *path, struct chc_org *o, struct err *e)
{
	const cJSON *arr, *it;
	char *ap;
	size_t i = 0;
	if (jsonx_arr_opt(j, path, "privateEndpoints", &arr, e) < 0)
		return -1;
	if (!arr)
		return 0;
	o->has_pes = 1;
	ap = jsonx_path(path, "privateEndpoints");
	o->pes = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*o->pes));
	cJSON_ArrayForEach (it, arr) {
		struct chc_org_pe *pe = &o->pes[o->n_pes];
		char *p = jsonx_index(ap, i++);
		int rc = -1;
		if (!cJSON_IsObject(it))
			err_set(e, ERR_PARSE, _("%s: expected an object"), p);
		else
			rc = jsonx_str_opt(it, p, "id", &pe->id, e);
		if (rc == 0 && !pe->id) {
			/* the spec requires no field; an entry without an id names nothing */
			free(p);
			continue;
		}
		if (rc == 0)
			rc = jsonx_str_opt(it, p, "description", &pe->description, e);
		if (rc == 0)
			rc = jsonx_str_opt(it, p, "cloudProvider", &pe->cloud_provider, e);
		if (rc == 0)
			rc = jsonx_str_opt(it, p, "region", &pe->region, e);
		o->n_pes++; /* counted even when partial, so clear frees it */
		free(p);
		if (rc < 0) {
			free(ap);
			return -1;
		}
	}
	free(ap);
	return 0;
}

int chc_org_from_json(const cJSON *j, const char *path, struct chc_org *o, struct err *e)
{
	memset(o, 0, sizeof(*o));
	if (!cJSON_IsObject(j))
		return err_set(e, ERR_PARSE, _("%s: expected an object"), path);
	if (jsonx_str(j, path, "id", &o->id, e) < 0 ||
	    jsonx_str_opt(j, path, "name", &o->name, e) < 0 || org_pes(j, path, o, e) < 0) {
		chc_org_clear(o);
		return -1;
	}
	if (!o->name)
		o->name = xstrdup("");
	return 0;
}

int chc_parse_org(const char *body, size_t len, struct chc_org *out, struct err *e)
{
	cJSON *root;
	const cJSON *res;
	int rc;
	memset(out, 0, sizeof(*out));
	if (envelope(body, len, 0, &root, &res, e) < 0)
		return -1;
	rc = chc_org_from_json(res, "result", out, e);
	cJSON_Delete(root);
	return rc;
}

int chc_parse_org_list(const char *body, size_t len, char **org_id, struct err *e)
{
	cJSON *root;
	const cJSON *res;
	int n, rc;
	*org_id = NULL;
	if (envelope(body, len, 1, &root, &res, e) < 0)
		return -1;
	n = cJSON_GetArraySize(res);
	if (n != 1) {
		cJSON_Delete(root);
		err_set(e, ERR_USAGE,
		        _("this ClickHouse Cloud key belongs to %d organizations; chlink needs "
		          "exactly one"),
		        n);
		return err_hint(e, "%s", _("Set the organization id in the profile."));
	}
	rc = jsonx_str(cJSON_GetArrayItem(res, 0), "result[0]", "id", org_id, e);
	cJSON_Delete(root);
	return rc;
}

/* Does a roles[] or assignedRoles[].roleName array name an admin role? */
static int names_admin(const cJSON *arr, const char *field)
{
	const cJSON *r;
	cJSON_ArrayForEach (r, arr) {
		const cJSON *v = field ? cJSON_GetObjectItemCaseSensitive(r, field) : r;
		if (cJSON_IsString(v) && strncasecmp(v->valuestring, "admin", 5) == 0)
			return 1;
	}
	return 0;
}

int chc_parse_key_role(const char *body, size_t len, const char *key_id, char **role, struct err *e)
{
	cJSON *root;
	const cJSON *res, *k;
	*role = NULL;
	if (envelope(body, len, 1, &root, &res, e) < 0)
		return -1;
	cJSON_ArrayForEach (k, res) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(k, "id");
		if (!cJSON_IsString(id) || !key_id || strcmp(id->valuestring, key_id) != 0)
			continue;
		*role = xstrdup(
		    names_admin(cJSON_GetObjectItemCaseSensitive(k, "roles"), NULL) ||
		            names_admin(cJSON_GetObjectItemCaseSensitive(k, "assignedRoles"),
		                        "roleName")
		        ? "admin"
		        : "developer");
		break;
	}
	cJSON_Delete(root);
	if (!*role)
		*role = xstrdup("unknown"); /* the key is not in the list it may read */
	return 0;
}

/*
 * The API's own words from an error body: the "error" string (or its
 * "message" when it is an object), else the raw text (bounded): the
 * documented envelope is {status, error, requestId}, but proxies and other
 * implementations answer in their own shapes.
 */
void chc_api_text(const char *body, size_t len, char *out, size_t outsz, char *reqid, size_t reqsz)
{
	cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *er = cJSON_GetObjectItemCaseSensitive(j, "error");
	const cJSON *rid = cJSON_GetObjectItemCaseSensitive(j, "requestId");
	size_t k = 0;
	out[0] = '\0';
	reqid[0] = '\0';
	if (cJSON_IsString(rid) && rid->valuestring)
		snprintf(reqid, reqsz, "%s", rid->valuestring);
	if (cJSON_IsObject(er))
		er = cJSON_GetObjectItemCaseSensitive(er, "message"); /* {"error":{"message"}} */
	if (cJSON_IsString(er) && er->valuestring) {
		snprintf(out, outsz, "%s", er->valuestring);
	} else if (body) {
		/* not JSON, or JSON without an error text: printable text only, one line */
		for (size_t i = 0; i < len && k + 1 < outsz && k < 200; i++) {
			unsigned char c = (unsigned char)body[i];
			out[k++] = c >= 0x20 && c != 0x7f ? (char)c : ' ';
		}
		out[k] = '\0';
	}
	cJSON_Delete(j);
}
