/* flow_facts: what the engine derives from answers and observations, and validation of pasted
 * values. */
#include "config.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "flow_int.h"
#include "xmalloc.h"

int flow_strcaseeq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int flow_valid_guid(const char *s)
{
	static const size_t groups[] = {8, 4, 4, 4, 12};

	if (!s || strlen(s) != 36)
		return 0;
	for (size_t g = 0; g < 5; g++) {
		if (!all_hex(s, groups[g]))
			return 0;
		s += groups[g];
		if (g < 4 && *s++ != '-')
			return 0;
	}
	return 1;
}

/* /subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/privateEndpoints/NAME */
int flow_valid_pe_resource_id(const char *s)
{
	static const char *const parts[] = {
	    "subscriptions",    NULL, "resourceGroups", NULL, "providers", "Microsoft.Network",
	    "privateEndpoints", NULL};
	const char *p = s;

	if (!s || *p != '/')
		return 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const char *end;
		size_t n;
		if (*p != '/')
			return 0;
		p++;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || n > 128)
			return 0;
		if (parts[i] && (strlen(parts[i]) != n || strncasecmp(p, parts[i], n) != 0))
			return 0;
		for (size_t k = 0; k < n; k++)
			if (isspace((unsigned char)p[k]) || (unsigned char)p[k] < 0x20)
				return 0;
		p += n;
	}
	return *p == '\0';
}

int flow_valid_ipv4(const char *s)
{
	int parts = 0;

	if (!s || !*s)
		return 0;
	while (*s) {
		int v = 0, digits = 0;
		while (isdigit((unsigned char)*s)) {
			v = v * 10 + (*s++ - '0');
			if (++digits > 3 || v > 255)
				return 0;
		}
		if (digits == 0 || ++parts > 4)
			return 0;
		if (*s == '.' && s[1])
			s++;
		else if (*s)
			return 0;
	}
	return parts == 4;
}

int flow_pls_resource_id(const char *s)
{
	static const char pls[] = "/providers/microsoft.network/privatelinkservices/";
	size_t n = sizeof pls - 1;

	if (s == NULL || strncasecmp(s, "/subscriptions/", 15) != 0)
		return 0;
	for (const char *p = s; *p != '\0'; p++)
		if (strncasecmp(p, pls, n) == 0)
			return p[n] != '\0';
	return 0;
}

int flow_valid_alias(const char *s)
{
	static const char suffix[] = ".azure.privatelinkservice";
	size_t n = s ? strlen(s) : 0, m = sizeof suffix - 1;

	if (n <= m || n > 255 || strcasecmp(s + n - m, suffix) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

int flow_valid_private_hostname(const char *s)
{
	static const char suffix[] = ".privatelink.azure.clickhouse.cloud";
	size_t n = s ? strlen(s) : 0, m = sizeof suffix - 1, dots = 0;

	if (n <= m || n > 253 || strcasecmp(s + n - m, suffix) != 0)
		return 0;
	for (size_t i = 0; i < n - m; i++) {
		if (s[i] == '.' && (i == 0 || s[i - 1] == '.'))
			return 0;
		dots += s[i] == '.';
		if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
			return 0;
	}
	return dots == 1 && s[n - m - 1] != '.'; /* the service's label, then the region's */
}

/* ---- derived facts ---- */

const char *flow_region(const struct flow *f)
{
	return f->st.answers.region;
}

const char *flow_subscription(const struct flow *f)
{
	if (f->st.answers.subscription)
		return f->st.answers.subscription;
	if (f->cfg.creds && f->cfg.creds->subscription_id)
		return f->cfg.creds->subscription_id;
	return f->az ? azure_subscription(f->az) : NULL;
}

const char *flow_pe_rg(const struct flow *f)
{
	if (f->st.answers.resource_group)
		return f->st.answers.resource_group;
	return f->obs.pe ? f->obs.pe->resource_group : NULL;
}

const char *flow_dns_rg(const struct flow *f)
{
	return f->st.answers.dns_resource_group ? f->st.answers.dns_resource_group : flow_pe_rg(f);
}

/* What the API reports wins; without a ClickHouse key, what was pasted from the console. */
const char *flow_alias(const struct flow *f)
{
	if (f->obs.config && f->obs.config->endpoint_service_id)
		return f->obs.config->endpoint_service_id;
	return f->chc ? NULL : f->st.answers.manual_alias;
}

const char *flow_hostname(const struct flow *f)
{
	if (f->obs.config && f->obs.config->private_dns_hostname)
		return f->obs.config->private_dns_hostname;
	return f->chc ? NULL : f->st.answers.manual_hostname;
}

char *flow_zone_name(const struct flow *f)
{
	const char *h = flow_hostname(f), *dot = h ? strchr(h, '.') : NULL;

	return dot && dot[1] ? xstrdup(dot + 1) : NULL;
}

static int is_arm_id(const char *s)
{
	return s && strncasecmp(s, "/subscriptions/", 15) == 0;
}

char *flow_vnet_id(const struct flow *f)
{
	const struct flow_answers *a = &f->st.answers;
	const char *sub = flow_subscription(f), *rg = flow_pe_rg(f);

	if (is_arm_id(a->vnet))
		return xstrdup(a->vnet);
	if (a->vnet && sub && rg)
		return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
		                 "virtualNetworks/%s",
		                 sub, rg, a->vnet);
	if (f->obs.pe && f->obs.pe->subnet_id) {
		const char *cut = strstr(f->obs.pe->subnet_id, "/subnets/");
		if (cut)
			return xstrndup(f->obs.pe->subnet_id, (size_t)(cut - f->obs.pe->subnet_id));
	}
	return NULL;
}

char *flow_subnet_id(const struct flow *f)
{
	const struct flow_answers *a = &f->st.answers;
	char *vnet, *id;

	if (is_arm_id(a->subnet))
		return xstrdup(a->subnet);
	if (!a->subnet || !a->vnet || !(vnet = flow_vnet_id(f)))
		return NULL;
	id = xasprintf("%s/subnets/%s", vnet, a->subnet);
	free(vnet);
	return id;
}

char *flow_default_pe_name(const struct flow *f)
{
	const struct chc_service *s = flow_chosen(f, 0);

	return xasprintf("chlink-%s",
	                 s && s->name ? s->name : (flow_region(f) ? flow_region(f) : "pe"));
}

char *flow_planned_pe_name(const struct flow *f)
{
	return f->st.answers.pe_name ? xstrdup(f->st.answers.pe_name) : flow_default_pe_name(f);
}

const char *flow_pe_ip(const struct flow *f)
{
	if (f->obs.nic && f->obs.nic->private_ip)
		return f->obs.nic->private_ip;
	if (!f->obs.pe && f->st.answers.manual_pe_ip)
		return f->st.answers.manual_pe_ip;
	return NULL;
}

int flow_azure_reachable(const struct flow *f)
{
	enum err_kind k = f->obs.pe_err.kind;

	return f->az && k != ERR_NET && k != ERR_AUTH && k != ERR_FORBIDDEN && k != ERR_TIMEOUT;
}

const char *flow_reg_id(const struct flow *f)
{
	const struct az_pe *pe = f->obs.pe;

	if (pe)
		return f->st.answers.id_form == FLOW_ID_RESOURCE_ID ? pe->id : pe->resource_guid;
	if (!flow_azure_reachable(f))
		return f->st.answers.manual_pe_guid;
	return NULL;
}

const char *flow_alt_id(const struct flow *f)
{
	const struct az_pe *pe = f->obs.pe;

	if (!pe)
		return NULL;
	return f->st.answers.id_form == FLOW_ID_RESOURCE_ID ? pe->resource_guid : pe->id;
}

int flow_ids_hold(const struct flow *f, char *const *list, size_t n)
{
	const char *a = flow_reg_id(f), *b = flow_alt_id(f);

	for (size_t i = 0; i < n; i++)
		if (flow_strcaseeq(list[i], a) || flow_strcaseeq(list[i], b))
			return 1;
	return 0;
}

int flow_org_holds(const struct flow *f)
{
	const char *a = flow_reg_id(f), *b = flow_alt_id(f);

	for (size_t i = 0; f->obs.org && i < f->obs.org->n_pes; i++)
		if (flow_strcaseeq(f->obs.org->pes[i].id, a) ||
		    flow_strcaseeq(f->obs.org->pes[i].id, b))
			return 1;
	return 0;
}

const struct chc_service *flow_chosen(const struct flow *f, size_t i)
{
	if (!f->obs.services || i >= f->obs.n_chosen)
		return NULL;
	return &f->obs.services->v[f->obs.chosen[i]];
}
