/* azure_parse: strict parsers for ARM bodies (they accept the official example files). */
#include "config.h"
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "azure_int.h"
#include "i18n.h"
#include "jsonx.h"
#include "xmalloc.h"

/* JSON numbers are doubles: clamp before converting (huge values are not UB, just wrong). */
static long to_long(double d)
{
	if (!(d > -1e18))
		return d < 0 ? -1000000000000000000L : 0;
	if (d > 1e18)
		return 1000000000000000000L;
	return (long)d;
}

char *az_id_resource_group(const char *id)
{
	static const char seg[] = "/resourcegroups/";
	size_t n = sizeof(seg) - 1;
	if (!id)
		return NULL;
	for (const char *p = id; *p; p++) {
		if (strncasecmp(p, seg, n) == 0) {
			size_t k = strcspn(p + n, "/");
			return k ? xstrndup(p + n, k) : NULL;
		}
	}
	return NULL;
}

enum az_conn_status az_conn_from_string(const char *s)
{
	static const struct {
		const char *word;
		enum az_conn_status st;
	} t[] = {{"Pending", AZ_CONN_PENDING},
	         {"Approved", AZ_CONN_APPROVED},
	         {"Rejected", AZ_CONN_REJECTED},
	         {"Disconnected", AZ_CONN_DISCONNECTED}};
	if (!s || !*s)
		return AZ_CONN_NONE;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(s, t[i].word) == 0)
			return t[i].st;
	return AZ_CONN_OTHER;
}

/*
 * ARM: "If no provisioningState is returned, the operation finished and
 * succeeded"; the enum is modelAsString, so known words are given their
 * documented spelling (callers compare with strcmp) and unknown ones kept.
 */
static void canon_provisioning(char **ps)
{
	static const char *const words[] = {"Succeeded", "Updating", "Deleting", "Failed",
	                                    "Canceled",  "Creating", "Accepted"};
	if (!*ps) {
		*ps = xstrdup("Succeeded");
		return;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(*ps, words[i]) == 0) {
			free(*ps);
			*ps = xstrdup(words[i]);
			return;
		}
	}
}

/* First line of a text, bounded (Entra descriptions carry trace ids on later lines). */
static void first_line(const char *s, char *out, size_t outsz)
{
	size_t n = strcspn(s, "\r\n");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

int az_parse_error(const char *body, size_t len, char *out, size_t outsz)
{
	cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *er = cJSON_GetObjectItemCaseSensitive(j, "error"), *src = NULL, *code, *msg;
	char line[400];
	int rc = -1;
	if (!outsz)
		return -1;
	out[0] = '\0';
	if (cJSON_IsObject(er))
		src = er; /* wrapped: {"error":{code,message}} */
	else if (cJSON_IsObject(j) && cJSON_GetObjectItemCaseSensitive(j, "code"))
		src = j; /* unwrapped: {code,message} */
	if (src) {
		code = cJSON_GetObjectItemCaseSensitive(src, "code");
		msg = cJSON_GetObjectItemCaseSensitive(src, "message");
		first_line(cJSON_IsString(msg) && msg->valuestring ? msg->valuestring : "", line,
		           sizeof(line));
		snprintf(out, outsz, "%s: %s",
		         cJSON_IsString(code) && code->valuestring ? code->valuestring : "Error",
		         line);
		rc = 0;
	} else if (cJSON_IsString(er) && er->valuestring) {
		/* Entra: {"error":"invalid_client","error_description":"AADSTS...\r\nTrace ID..."}
		 */
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "error_description");
		first_line(cJSON_IsString(d) && d->valuestring ? d->valuestring : "", line,
		           sizeof(line));
		snprintf(out, outsz, "%s: %s", er->valuestring, line);
		rc = 0;
	}
	cJSON_Delete(j);
	return rc;
}

void az_pe_clear(struct az_pe *p)
{
	free(p->id);
	free(p->name);
	free(p->resource_group);
	free(p->location);
	free(p->provisioning_state);
	free(p->resource_guid);
	free(p->subnet_id);
	free(p->nic_id);
	free(p->alias);
	free(p->conn_status);
	free(p->conn_description);
	memset(p, 0, sizeof(*p));
}

void az_pe_free(struct az_pe *p)
{
	if (!p)
		return;
	az_pe_clear(p);
	free(p);
}

/* "{path}.{key}[0]" as an object, or NULL when the array is absent or empty. */
static int first_item(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                      char **ipath, struct err *e)
{
	const cJSON *a;
	char *p;
	*out = NULL;
	*ipath = NULL;
	if (jsonx_arr_opt(obj, path, key, &a, e) < 0)
		return -1;
	if (!a || cJSON_GetArraySize(a) == 0)
		return 0;
	p = jsonx_path(path, key);
	*ipath = jsonx_index(p, 0);
	free(p);
	*out = cJSON_GetArrayItem(a, 0);
	if (!cJSON_IsObject(*out))
		return err_set(e, ERR_PARSE, _("%s: expected an object"), *ipath);
	return 0;
}

/* The connection: manualPrivateLinkServiceConnections[0], else privateLinkServiceConnections[0]. */
static int pe_connection(const cJSON *props, const char *pp, struct az_pe *p, struct err *e)
{
	const cJSON *c, *cp, *st;
	char *cpath = NULL, *ppath = NULL, *spath = NULL;
	int rc = -1;
	if (first_item(props, pp, "manualPrivateLinkServiceConnections", &c, &cpath, e) < 0)
		goto out;
	if (c) {
		p->manual = 1;
	} else {
		free(cpath);
		if (first_item(props, pp, "privateLinkServiceConnections", &c, &cpath, e) < 0)
			goto out;
	}
	if (!c) {
		p->conn = AZ_CONN_NONE;
		rc = 0;
		goto out;
	}
	if (jsonx_obj_opt(c, cpath, "properties", &cp, e) < 0)
		goto out;
	if (!cp) { /* nothing known about it yet */
		p->conn = AZ_CONN_NONE;
		rc = 0;
		goto out;
	}
	ppath = jsonx_path(cpath, "properties");
	if (jsonx_str_opt(cp, ppath, "privateLinkServiceId", &p->alias, e) < 0 ||
	    jsonx_obj_opt(cp, ppath, "privateLinkServiceConnectionState", &st, e) < 0)
		goto out;
	spath = jsonx_path(ppath, "privateLinkServiceConnectionState");
	if (st && (jsonx_str_opt(st, spath, "status", &p->conn_status, e) < 0 ||
	           jsonx_str_opt(st, spath, "description", &p->conn_description, e) < 0))
		goto out;
	p->conn = az_conn_from_string(p->conn_status);
	rc = 0;
out:
	free(cpath);
	free(ppath);
	free(spath);
	return rc;
}

static int id_of(const cJSON *obj, const char *path, const char *key, char **out, struct err *e)
{
	const cJSON *o;
	char *p;
	int rc;
	*out = NULL;
	if (jsonx_obj_opt(obj, path, key, &o, e) < 0)
		return -1;
	if (!o)
		return 0;
	p = jsonx_path(path, key);
	rc = jsonx_str_opt(o, p, "id", out, e);
	free(p);
	return rc;
}

int az_pe_from_json(const cJSON *j, const char *path, struct az_pe *p, struct err *e)
{
	const cJSON *props, *nic;
	char *pp = NULL, *nicpath = NULL;
	int rc = -1;
	memset(p, 0, sizeof(*p));
	if (!cJSON_IsObject(j))
		return err_set(e, ERR_PARSE, _("%s: expected an object"), *path ? path : "body");
	if (jsonx_str(j, path, "id", &p->id, e) < 0 ||
	    jsonx_str(j, path, "name", &p->name, e) < 0 ||
	    jsonx_str_opt(j, path, "location", &p->location, e) < 0 ||
	    jsonx_obj(j, path, "properties", &props, e) < 0)
		goto out;
	pp = jsonx_path(path, "properties");
	if (jsonx_str_opt(props, pp, "provisioningState", &p->provisioning_state, e) < 0 ||
	    jsonx_str_opt(props, pp, "resourceGuid", &p->resource_guid, e) < 0 ||
	    id_of(props, pp, "subnet", &p->subnet_id, e) < 0 ||
	    first_item(props, pp, "networkInterfaces", &nic, &nicpath, e) < 0 ||
	    (nic && jsonx_str_opt(nic, nicpath, "id", &p->nic_id, e) < 0) ||
	    pe_connection(props, pp, p, e) < 0)
		goto out;
	canon_provisioning(&p->provisioning_state);
	p->resource_group = az_id_resource_group(p->id);
	rc = 0;
out:
	free(pp);
	free(nicpath);
	if (rc < 0)
		az_pe_clear(p);
	return rc;
}

static cJSON *arm_parse(const char *body, size_t len, struct err *e)
{
	cJSON *j = jsonx_parse(body, len, "Azure", e);
	if (j && !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		err_set(e, ERR_PARSE, "%s", _("Azure: the answer is not a JSON object"));
		return NULL;
	}
	return j;
}

int az_parse_pe(const char *body, size_t len, struct az_pe *out, struct err *e)
{
	cJSON *j = arm_parse(body, len, e);
	int rc;
	memset(out, 0, sizeof(*out));
	if (!j)
		return -1;
	rc = az_pe_from_json(j, "", out, e);
	cJSON_Delete(j);
	return rc;
}

void az_nic_free(struct az_nic *n)
{
	if (!n)
		return;
	free(n->id);
	free(n->private_ip);
	free(n);
}

/*
 * The address of ipConfigurations[i].properties.privateIPAddress for the
 * first i that has one (azurerm reads [0]; a configuration still being made
 * may have none yet). 0 with *ip NULL when none has.
 */
static int nic_ip(const cJSON *props, char **ip, struct err *e)
{
	const cJSON *a, *it;
	size_t i = 0;
	int rc = 0;
	*ip = NULL;
	if (jsonx_arr_opt(props, "properties", "ipConfigurations", &a, e) < 0)
		return -1;
	cJSON_ArrayForEach (it, a) {
		char *ipath = jsonx_index("properties.ipConfigurations", i++);
		char *pp = jsonx_path(ipath, "properties");
		const cJSON *ipp = NULL;
		if (!cJSON_IsObject(it))
			rc = err_set(e, ERR_PARSE, _("%s: expected an object"), ipath);
		else if (jsonx_obj_opt(it, ipath, "properties", &ipp, e) < 0 ||
		         jsonx_str_opt(ipp, pp, "privateIPAddress", ip, e) < 0)
			rc = -1;
		free(ipath);
		free(pp);
		if (rc < 0 || (*ip && **ip))
			break;
		free(*ip);
		*ip = NULL;
	}
	return rc;
}

int az_parse_nic(const char *body, size_t len, struct az_nic *out, struct err *e)
{
	cJSON *j = arm_parse(body, len, e);
	const cJSON *props;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	if (!j)
		return -1;
	if (jsonx_str(j, "", "id", &out->id, e) < 0 ||
	    jsonx_obj(j, "", "properties", &props, e) < 0 || nic_ip(props, &out->private_ip, e) < 0)
		goto out;
	if (!out->private_ip) {
		err_set(e, ERR_PARSE, "%s", _("properties.ipConfigurations: no IP configuration"));
		goto out;
	}
	/* "172.20.2.16/28": the examples show prefix form; keep the address */
	out->private_ip[strcspn(out->private_ip, "/")] = '\0';
	rc = 0;
out:
	cJSON_Delete(j);
	if (rc < 0) {
		free(out->id);
		free(out->private_ip);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

void az_zone_free(struct az_zone *z)
{
	if (!z)
		return;
	free(z->id);
	free(z->name);
	free(z->provisioning_state);
	free(z);
}

int az_parse_zone(const char *body, size_t len, struct az_zone *out, struct err *e)
{
	cJSON *j = arm_parse(body, len, e);
	const cJSON *props;
	double recs = 0, links = 0;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	if (!j)
		return -1;
	if (jsonx_str(j, "", "id", &out->id, e) == 0 &&
	    jsonx_str(j, "", "name", &out->name, e) == 0 &&
	    jsonx_obj_opt(j, "", "properties", &props, e) == 0 &&
	    jsonx_str_opt(props, "properties", "provisioningState", &out->provisioning_state, e) ==
	        0 &&
	    jsonx_num_opt(props, "properties", "numberOfRecordSets", &recs, e) == 0 &&
	    jsonx_num_opt(props, "properties", "numberOfVirtualNetworkLinks", &links, e) == 0)
		rc = 0;
	out->n_records = to_long(recs);
	out->n_links = to_long(links);
	cJSON_Delete(j);
	if (rc < 0) {
		free(out->id);
		free(out->name);
		free(out->provisioning_state);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

void az_record_free(struct az_record *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->name);
	free(r->fqdn);
	jsonx_str_array_free(r->ips, r->n_ips);
	free(r);
}

static int record_ips(const cJSON *props, struct az_record *r, struct err *e)
{
	const cJSON *a, *it;
	size_t i = 0;
	if (jsonx_arr_opt(props, "properties", "aRecords", &a, e) < 0)
		return -1;
	r->ips = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(char *));
	cJSON_ArrayForEach (it, a) {
		char *p = jsonx_index("properties.aRecords", i);
		int rc = jsonx_str(it, p, "ipv4Address", &r->ips[i], e);
		free(p);
		if (rc < 0)
			return -1;
		r->n_ips = ++i;
	}
	return 0;
}

int az_parse_record(const char *body, size_t len, struct az_record *out, struct err *e)
{
	cJSON *j = arm_parse(body, len, e);
	const cJSON *props;
	double ttl = 0;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	if (!j)
		return -1;
	if (jsonx_str(j, "", "id", &out->id, e) == 0 &&
	    jsonx_str(j, "", "name", &out->name, e) == 0 &&
	    jsonx_obj(j, "", "properties", &props, e) == 0 &&
	    jsonx_str_opt(props, "properties", "fqdn", &out->fqdn, e) == 0 &&
	    jsonx_num_opt(props, "properties", "ttl", &ttl, e) == 0 &&
	    record_ips(props, out, e) == 0)
		rc = 0;
	out->ttl = to_long(ttl);
	cJSON_Delete(j);
	if (rc < 0) {
		struct az_record *tmp = xmalloc(sizeof(*tmp));
		*tmp = *out;
		az_record_free(tmp);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

static void link_clear(struct az_link *k)
{
	free(k->id);
	free(k->name);
	free(k->vnet_id);
	free(k->link_state);
	free(k->provisioning_state);
	memset(k, 0, sizeof(*k));
}

void az_link_free(struct az_link *k)
{
	if (!k)
		return;
	link_clear(k);
	free(k);
}

static int link_from_json(const cJSON *j, const char *path, struct az_link *k, struct err *e)
{
	const cJSON *props;
	char *pp = NULL;
	int rc = -1;
	memset(k, 0, sizeof(*k));
	if (!cJSON_IsObject(j)) {
		err_set(e, ERR_PARSE, _("%s: expected an object"), *path ? path : "body");
		return -1;
	}
	if (jsonx_str(j, path, "id", &k->id, e) < 0 ||
	    jsonx_str(j, path, "name", &k->name, e) < 0 ||
	    jsonx_obj(j, path, "properties", &props, e) < 0)
		goto out;
	pp = jsonx_path(path, "properties");
	if (id_of(props, pp, "virtualNetwork", &k->vnet_id, e) < 0 ||
	    jsonx_str_opt(props, pp, "virtualNetworkLinkState", &k->link_state, e) < 0 ||
	    jsonx_str_opt(props, pp, "provisioningState", &k->provisioning_state, e) < 0 ||
	    jsonx_bool_opt(props, pp, "registrationEnabled", &k->registration_enabled, e) < 0)
		goto out;
	rc = 0;
out:
	free(pp);
	if (rc < 0)
		link_clear(k);
	return rc;
}

int az_parse_link(const char *body, size_t len, struct az_link *out, struct err *e)
{
	cJSON *j = arm_parse(body, len, e);
	int rc;
	memset(out, 0, sizeof(*out));
	if (!j)
		return -1;
	rc = link_from_json(j, "", out, e);
	cJSON_Delete(j);
	return rc;
}

/* Walk a list page's "value" array with `one`, growing the caller's vector. */
typedef int (*item_fn)(const cJSON *it, const char *path, void *slot, struct err *e);

static int parse_page(const char *body, size_t len, void **v, size_t *n, size_t elem, item_fn one,
                      char **next, struct err *e)
{
	cJSON *j = arm_parse(body, len, e);
	const cJSON *val, *it;
	size_t cap = *n;
	int rc = 0;
	*next = NULL;
	if (!j)
		return -1;
	/* an empty page may come without "value" */
	if (jsonx_arr_opt(j, "", "value", &val, e) < 0 ||
	    jsonx_str_opt(j, "", "nextLink", next, e) < 0) {
		cJSON_Delete(j);
		return -1;
	}
	{
		size_t i = 0;
		cJSON_ArrayForEach (it, val) {
			char *p = jsonx_index("value", i++);
			*v = xreallocarray_grow(*v, &cap, *n + 1, elem);
			rc = one(it, p, (char *)*v + *n * elem, e);
			free(p);
			if (rc < 0)
				break;
			(*n)++;
		}
	}
	cJSON_Delete(j);
	if (rc < 0) {
		free(*next);
		*next = NULL;
	}
	return rc;
}

static int pe_item(const cJSON *it, const char *path, void *slot, struct err *e)
{
	return az_pe_from_json(it, path, slot, e);
}

int az_parse_pe_page(const char *body, size_t len, struct az_pe_list *l, char **next, struct err *e)
{
	return parse_page(body, len, (void **)&l->v, &l->n, sizeof(*l->v), pe_item, next, e);
}

void az_pe_list_free(struct az_pe_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		az_pe_clear(&l->v[i]);
	free(l->v);
	free(l);
}

static int link_item(const cJSON *it, const char *path, void *slot, struct err *e)
{
	return link_from_json(it, path, slot, e);
}

int az_parse_link_page(const char *body, size_t len, struct az_link_list *l, char **next,
                       struct err *e)
{
	return parse_page(body, len, (void **)&l->v, &l->n, sizeof(*l->v), link_item, next, e);
}

void az_link_list_free(struct az_link_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		link_clear(&l->v[i]);
	free(l->v);
	free(l);
}

static int rg_item(const cJSON *it, const char *path, void *slot, struct err *e)
{
	struct az_rg *g = slot;
	memset(g, 0, sizeof(*g));
	if (!cJSON_IsObject(it))
		return err_set(e, ERR_PARSE, _("%s: expected an object"), path);
	if (jsonx_str(it, path, "id", &g->id, e) < 0 ||
	    jsonx_str(it, path, "name", &g->name, e) < 0 ||
	    jsonx_str_opt(it, path, "location", &g->location, e) < 0) {
		free(g->id);
		free(g->name);
		free(g->location);
		return -1;
	}
	return 0;
}

int az_parse_rg_page(const char *body, size_t len, struct az_rg_list *l, char **next, struct err *e)
{
	return parse_page(body, len, (void **)&l->v, &l->n, sizeof(*l->v), rg_item, next, e);
}

void az_rg_list_free(struct az_rg_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].location);
	}
	free(l->v);
	free(l);
}

static void vnet_clear(struct az_vnet *v)
{
	free(v->id);
	free(v->name);
	free(v->resource_group);
	free(v->location);
	for (size_t i = 0; i < v->n_subnets; i++) {
		free(v->subnets[i].id);
		free(v->subnets[i].name);
		free(v->subnets[i].prefix);
	}
	free(v->subnets);
	memset(v, 0, sizeof(*v));
}

static int subnets(const cJSON *props, const char *pp, struct az_vnet *v, struct err *e)
{
	const cJSON *a, *it;
	char *ap;
	int rc = 0;
	if (jsonx_arr_opt(props, pp, "subnets", &a, e) < 0)
		return -1;
	ap = jsonx_path(pp, "subnets");
	v->subnets = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v->subnets));
	cJSON_ArrayForEach (it, a) {
		struct az_subnet *s = &v->subnets[v->n_subnets];
		char *p = jsonx_index(ap, v->n_subnets), *sp = jsonx_path(p, "properties");
		const cJSON *sprops = NULL;
		v->n_subnets++;
		rc = -1;
		if (!cJSON_IsObject(it))
			err_set(e, ERR_PARSE, _("%s: expected an object"), p);
		else if (jsonx_str(it, p, "id", &s->id, e) == 0 &&
		         jsonx_str(it, p, "name", &s->name, e) == 0 &&
		         jsonx_obj_opt(it, p, "properties", &sprops, e) == 0 &&
		         jsonx_str_opt(sprops, sp, "addressPrefix", &s->prefix, e) == 0)
			rc = 0;
		free(p);
		free(sp);
		if (rc < 0)
			break;
	}
	free(ap);
	return rc;
}

static int vnet_item(const cJSON *it, const char *path, void *slot, struct err *e)
{
	struct az_vnet *v = slot;
	const cJSON *props = NULL;
	char *pp = jsonx_path(path, "properties");
	int rc = -1;
	memset(v, 0, sizeof(*v));
	if (!cJSON_IsObject(it))
		err_set(e, ERR_PARSE, _("%s: expected an object"), path);
	else if (jsonx_str(it, path, "id", &v->id, e) == 0 &&
	         jsonx_str(it, path, "name", &v->name, e) == 0 &&
	         jsonx_str_opt(it, path, "location", &v->location, e) == 0 &&
	         jsonx_obj_opt(it, path, "properties", &props, e) == 0 &&
	         subnets(props, pp, v, e) == 0)
		rc = 0;
	free(pp);
	if (rc < 0) {
		vnet_clear(v);
		return -1;
	}
	v->resource_group = az_id_resource_group(v->id);
	return 0;
}

int az_parse_vnet_page(const char *body, size_t len, struct az_vnet_list *l, char **next,
                       struct err *e)
{
	return parse_page(body, len, (void **)&l->v, &l->n, sizeof(*l->v), vnet_item, next, e);
}

void az_vnet_list_free(struct az_vnet_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		vnet_clear(&l->v[i]);
	free(l->v);
	free(l);
}

static char *str_field(const char *body, size_t len, const char *obj, const char *key)
{
	cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *o = obj ? cJSON_GetObjectItemCaseSensitive(j, obj) : j;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char *s = cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;
	cJSON_Delete(j);
	return s;
}

char *az_parse_op_status(const char *body, size_t len)
{
	return str_field(body, len, NULL, "status");
}

char *az_parse_provisioning(const char *body, size_t len)
{
	return str_field(body, len, "properties", "provisioningState");
}

static double num_or_digits(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return v->valuedouble;
	if (cJSON_IsString(v) && v->valuestring && isdigit((unsigned char)v->valuestring[0]))
		return strtod(v->valuestring, NULL);
	return -1;
}

int az_parse_token(const char *body, size_t len, char **token, long long *expires_epoch,
                   struct err *e)
{
	cJSON *j = jsonx_parse(body, len, _("the Azure token answer"), e);
	double in = -1, on = -1;
	char *s = NULL;
	int rc = -1;
	*token = NULL;
	if (!j)
		return -1;
	if (jsonx_str_opt(j, "", "access_token", &s, e) < 0 ||
	    (!s && jsonx_str_opt(j, "", "accessToken", &s, e) < 0))
		goto out;
	/* numbers, or strings of digits (az's expires_on, the v1 endpoint's expires_in) */
	in = num_or_digits(cJSON_GetObjectItemCaseSensitive(j, "expires_in"));
	on = num_or_digits(cJSON_GetObjectItemCaseSensitive(j, "expires_on"));
	if (!s) {
		err_set(e, ERR_PARSE, "%s", _("the Azure token answer has no access token"));
		goto out;
	}
	if (in >= 0)
		*expires_epoch = (long long)time(NULL) + (in > 1e9 ? 1000000000LL : (long long)in);
	else if (on > 0)
		*expires_epoch = on > 1e12 ? 1000000000000LL : (long long)on;
	else
		*expires_epoch = (long long)time(NULL) + 300; /* unknown: trust it briefly */
	*token = s;
	s = NULL;
	rc = 0;
out:
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
	cJSON_Delete(j);
	return rc;
}
