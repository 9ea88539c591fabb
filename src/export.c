/* export: the guide's Terraform and curl commands, formatted as terraform fmt and a shell would
 * want. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export.h"
#include "xmalloc.h"

#define PE_REQUEST_MESSAGE "chlink: ClickHouse Private Link"
#define ARM_NET_VERSION    "2024-05-01"
#define ARM_DNS_VERSION    "2024-06-01"

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	b->s = xreallocarray_grow(b->s, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	if (vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap) != n)
		abort();
	va_end(ap);
	b->len += (size_t)n;
}

static const char *dflt(const char *v, const char *placeholder)
{
	return v && *v ? v : placeholder;
}

char *export_zone_of(const char *hostname)
{
	const char *dot = hostname ? strchr(hostname, '.') : NULL;
	return dot && dot[1] ? xstrdup(dot + 1) : NULL;
}

/* ---- Terraform ---- */

/* An HCL string literal ("..." with \, " and ${ escaped), or a bare expression. */
static char *hcl_str(const char *v)
{
	struct buf b = {0};

	put(&b, "\"");
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			put(&b, "\\%c", *p);
		else if (p[0] == '$' && p[1] == '{')
			put(&b, "$$");
		else
			put(&b, "%c", *p);
	}
	put(&b, "\"");
	return b.s;
}

struct attr {
	const char *key;
	char *value; /* HCL text, owned */
};

/* One group of attributes, `=` aligned as terraform fmt does. */
static void attrs(struct buf *b, const char *indent, struct attr *a, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(a[i].key) > w)
			w = strlen(a[i].key);
	for (size_t i = 0; i < n; i++) {
		put(b, "%s%-*s = %s\n", indent, (int)w, a[i].key, a[i].value);
		free(a[i].value);
	}
}

#define S(k, v)                                                                                    \
	{                                                                                          \
		k, hcl_str(v)                                                                      \
	}
#define X(k, v)                                                                                    \
	{                                                                                          \
		k, xstrdup(v)                                                                      \
	}
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void tf_endpoint(struct buf *b, const struct export_values *v, const char *pe_name)
{
	struct attr top[] = {
	    S("name", pe_name),
	    S("location", dflt(v->location, dflt(v->region, "westus3"))),
	    S("resource_group_name", dflt(v->resource_group, "RESOURCE_GROUP")),
	    S("subnet_id", dflt(v->subnet_id, "SUBNET_ID")),
	};
	struct attr conn[] = {
	    S("name", pe_name),
	    S("private_connection_resource_alias", dflt(v->alias, "ENDPOINT_SERVICE_ID")),
	    X("is_manual_connection", "true"),
	    S("request_message", PE_REQUEST_MESSAGE),
	};

	put(b, "resource \"azurerm_private_endpoint\" \"clickhouse\" {\n");
	attrs(b, "  ", top, N(top));
	put(b, "\n  private_service_connection {\n");
	attrs(b, "    ", conn, N(conn));
	put(b, "  }\n}\n\n");
}

static void tf_dns(struct buf *b, const struct export_values *v, const char *rg)
{
	char *zone = export_zone_of(v->hostname);
	const char *vnet = dflt(v->vnet_id, "VNET_ID");
	const char *slash = strrchr(vnet, '/');
	char *link = xasprintf("chlink-%s", slash ? slash + 1 : vnet);
	struct attr z[] = {S("name", dflt(zone, "REGION.privatelink.azure.clickhouse.cloud")),
	                   S("resource_group_name", rg)};
	struct attr r[] = {
	    S("name", "*"),
	    X("zone_name", "azurerm_private_dns_zone.clickhouse.name"),
	    S("resource_group_name", rg),
	    X("ttl", "300"),
	    X("records", "[azurerm_private_endpoint.clickhouse.private_service_connection[0]."
	                 "private_ip_address]"),
	};
	struct attr k[] = {
	    S("name", link),
	    S("resource_group_name", rg),
	    X("private_dns_zone_name", "azurerm_private_dns_zone.clickhouse.name"),
	    S("virtual_network_id", vnet),
	    X("registration_enabled", "false"),
	};

	put(b, "resource \"azurerm_private_dns_zone\" \"clickhouse\" {\n");
	attrs(b, "  ", z, N(z));
	put(b, "}\n\n");
	put(b, "resource \"azurerm_private_dns_a_record\" \"wildcard\" {\n");
	attrs(b, "  ", r, N(r));
	put(b, "}\n\n");
	put(b, "resource \"azurerm_private_dns_zone_virtual_network_link\" \"clickhouse\" {\n");
	attrs(b, "  ", k, N(k));
	put(b, "}\n");
	free(link);
	free(zone);
}

static void tf_attachments(struct buf *b, const struct export_values *v)
{
	if (v->n_services)
		put(b, "\n# The allow lists get the endpoint's resource id: azurerm does not "
		       "export its\n"
		       "# resourceGuid, and ClickHouse Cloud accepts both forms.\n");
	for (size_t i = 0; i < v->n_services; i++) {
		struct attr a[] = {
		    S("service_id", v->service_ids[i]),
		    X("private_endpoint_ids", "[azurerm_private_endpoint.clickhouse.id]"),
		};
		put(b, "\n# %s\n",
		    v->service_names && v->service_names[i] ? v->service_names[i]
		                                            : v->service_ids[i]);
		put(b,
		    "resource \"clickhouse_service_private_endpoints_attachment\" \"service_%zu\" "
		    "{\n",
		    i + 1);
		attrs(b, "  ", a, N(a));
		put(b, "}\n");
	}
}

char *export_terraform(const struct export_values *v)
{
	struct buf b = {0};
	const char *rg = dflt(v->dns_resource_group, dflt(v->resource_group, "RESOURCE_GROUP"));
	char *name = xstrdup(dflt(v->pe_name, "chlink-pe"));

	put(&b, "# Azure Private Link to ClickHouse Cloud, exported by chlink (profile \"%s\").\n",
	    dflt(v->profile, "default"));
	put(&b, "# Credentials are not included: the providers read them from the environment\n"
	        "# (ARM_* for azurerm, CLICKHOUSE_* for the clickhouse provider).\n\n");
	tf_endpoint(&b, v, name);
	tf_dns(&b, v, rg);
	tf_attachments(&b, v);
	free(name);
	return b.s;
}

/* ---- curl ---- */

/* A single-quoted shell word. */
static char *sh_quote(const char *v)
{
	struct buf b = {0};

	put(&b, "'");
	for (const char *p = v; *p; p++)
		if (*p == '\'')
			put(&b, "'\\''");
		else
			put(&b, "%c", *p);
	put(&b, "'");
	return b.s;
}

/* NAME='value', or NAME="${NAME:?}" (from the shell) while the value is not known yet. */
static void sh_var(struct buf *b, const char *name, const char *value, const char *comment)
{
	char *q = value && *value ? sh_quote(value) : xasprintf("\"${%s:?}\"", name);

	put(b, "%s=%s%s%s\n", name, q, comment ? "  # " : "", comment ? comment : "");
	free(q);
}

static void curl_vars(struct buf *b, const struct export_values *v)
{
	const char *slash = v->vnet_id ? strrchr(v->vnet_id, '/') : NULL;
	char *zone = export_zone_of(v->hostname);
	char *link = slash ? xasprintf("chlink-%s", slash + 1) : NULL;

	sh_var(b, "API", dflt(v->api_url, "https://api.clickhouse.cloud"), NULL);
	sh_var(b, "ORG_ID", v->org_id, NULL);
	sh_var(b, "REGION", v->region, NULL);
	sh_var(b, "INSTANCE_ID", v->n_services ? v->service_ids[0] : NULL,
	       v->n_services && v->service_names ? v->service_names[0] : NULL);
	sh_var(b, "ARM", dflt(v->arm_url, "https://management.azure.com"), NULL);
	sh_var(b, "SUBSCRIPTION", v->subscription, NULL);
	sh_var(b, "RESOURCE_GROUP", v->resource_group, NULL);
	sh_var(b, "DNS_RESOURCE_GROUP", dflt(v->dns_resource_group, v->resource_group), NULL);
	sh_var(b, "LOCATION", dflt(v->location, v->region), NULL);
	sh_var(b, "PE_NAME", dflt(v->pe_name, "chlink-pe"), NULL);
	sh_var(b, "SUBNET_ID", v->subnet_id, NULL);
	sh_var(b, "VNET_ID", v->vnet_id, NULL);
	sh_var(b, "ZONE", zone, NULL);
	sh_var(b, "LINK_NAME", link, NULL);
	sh_var(b, "ID_PATH", v->id_form == FLOW_ID_RESOURCE_ID ? ".id" : ".properties.resourceGuid",
	       "the id ClickHouse gets: resourceGuid (the guide's) or the resource id (.id)");
	free(zone);
	free(link);
}

/* --retry: ClickHouse allows a key 10 requests per 10 s; curl waits out 429s and 5xx. */
static const char curl_helpers[] =
    "ch() { curl --fail-with-body --silent --show-error --retry 8 --retry-max-time 120 "
    "--user \"${KEY_ID:?}:${KEY_SECRET:?}\" \\\n"
    "\t-H 'Content-Type: application/json' \"$@\"; }\n"
    "az() { curl --fail-with-body --silent --show-error --retry 8 --retry-max-time 120 "
    "-H \"Authorization: Bearer "
    "${AZURE_TOKEN:?}\" \\\n"
    "\t-H 'Content-Type: application/json' \"$@\"; }\n"
    "# Poll until a resource's provisioningState is Succeeded (at most 10 minutes).\n"
    "settle() {\n"
    "\tfor _ in $(seq 120); do\n"
    "\t\tstate=$(az \"$1\" 2>/dev/null | jq -r .properties.provisioningState)\n"
    "\t\t[ \"$state\" = Succeeded ] && return 0\n"
    "\t\tsleep 5\n"
    "\tdone\n"
    "\techo \"gave up waiting for $1 (provisioningState: $state)\" >&2\n"
    "\treturn 1\n"
    "}\n\n";

static const char curl_stage1[] =
    "# Stage 1: the service's alias (endpointServiceId) and private DNS hostname\n"
    "CONFIG=$(ch \"$API/v1/organizations/$ORG_ID/services/$INSTANCE_ID/privateEndpointConfig\")\n"
    "ALIAS=$(printf '%s' \"$CONFIG\" | jq -r .result.endpointServiceId)\n"
    "HOSTNAME_PRIVATE=$(printf '%s' \"$CONFIG\" | jq -r .result.privateDnsHostname)\n\n";

static const char curl_stage2[] =
    "# Stage 2: the private endpoint, a manual connection to the alias (Pending until stage 4)\n"
    "PE=\"$ARM/subscriptions/$SUBSCRIPTION/resourceGroups/$RESOURCE_GROUP/providers/"
    "Microsoft.Network/privateEndpoints/$PE_NAME?api-version=" ARM_NET_VERSION "\"\n"
    "az -X PUT \"$PE\" -d \"$(jq -cn --arg loc \"$LOCATION\" --arg subnet \"$SUBNET_ID\" "
    "--arg alias \"$ALIAS\" --arg name \"$PE_NAME\" \\\n"
    "\t'{location: $loc, properties: {subnet: {id: $subnet}, manualPrivateLinkServiceConnections:\n"
    "\t  [{name: $name, properties: {privateLinkServiceId: $alias,\n"
    "\t    requestMessage: \"" PE_REQUEST_MESSAGE "\"}}]}}')\" >/dev/null\n"
    "settle \"$PE\"\n"
    "ENDPOINT_ID=$(az \"$PE\" | jq -r \"$ID_PATH\")\n"
    "NIC_ID=$(az \"$PE\" | jq -r '.properties.networkInterfaces[0].id')\n"
    "PE_IP=$(az \"$ARM$NIC_ID?api-version=" ARM_NET_VERSION "\" | \\\n"
    "\tjq -r '.properties.ipConfigurations[0].properties.privateIPAddress')\n\n";

static const char curl_dns[] =
    "# DNS: the private zone, the wildcard record (the endpoint's IP, TTL 300), the VNet link\n"
    "DNS=\"$ARM/subscriptions/$SUBSCRIPTION/resourceGroups/$DNS_RESOURCE_GROUP/providers/"
    "Microsoft.Network/privateDnsZones/$ZONE\"\n"
    "az -X PUT \"$DNS?api-version=" ARM_DNS_VERSION "\" -d '{\"location\":\"global\"}' >/dev/null\n"
    "settle \"$DNS?api-version=" ARM_DNS_VERSION "\"\n"
    "az -X PUT \"$DNS/A/*?api-version=" ARM_DNS_VERSION "\" \\\n"
    "\t-d \"$(jq -cn --arg ip \"$PE_IP\" '{properties: {ttl: 300, aRecords: [{ipv4Address: "
    "$ip}]}}')\" >/dev/null\n"
    "az -X PUT \"$DNS/virtualNetworkLinks/$LINK_NAME?api-version=" ARM_DNS_VERSION "\" \\\n"
    "\t-d \"$(jq -cn --arg vnet \"$VNET_ID\" \\\n"
    "\t'{location: \"global\", properties: {virtualNetwork: {id: $vnet}, registrationEnabled: "
    "false}}')\" >/dev/null\n"
    "settle \"$DNS/virtualNetworkLinks/$LINK_NAME?api-version=" ARM_DNS_VERSION "\"\n\n";

static const char curl_stage3[] =
    "# Stage 3: register the endpoint id in the organization\n"
    "ch -X PATCH \"$API/v1/organizations/$ORG_ID\" \\\n"
    "\t-d \"$(jq -cn --arg id \"$ENDPOINT_ID\" --arg region \"$REGION\" --arg d \"chlink: Azure "
    "private endpoint $PE_NAME\" \\\n"
    "\t'{privateEndpoints: {add: [{cloudProvider: \"azure\", id: $id, description: $d, region: "
    "$region}]}}')\" >/dev/null\n\n";

static void curl_stage4(struct buf *b, const struct export_values *v)
{
	put(b, "# Stage 4: add it to each service's allow list\nfor SERVICE in");
	if (v->n_services == 0)
		put(b, " \"$INSTANCE_ID\"");
	for (size_t i = 0; i < v->n_services; i++) {
		char *q = sh_quote(v->service_ids[i]);
		put(b, " %s", q);
		free(q);
	}
	put(b,
	    "; do\n"
	    "\tch -X PATCH \"$API/v1/organizations/$ORG_ID/services/$SERVICE\" \\\n"
	    "\t\t-d \"$(jq -cn --arg id \"$ENDPOINT_ID\" '{privateEndpointIds: {add: [$id]}}')\" "
	    ">/dev/null\n"
	    "done\n\n"
	    "# Stage 5: the service's filters, and where to connect (from inside the VNet)\n"
	    "ch \"$API/v1/organizations/$ORG_ID/services/$INSTANCE_ID\" | jq -c "
	    ".result.privateEndpointIds\n"
	    "echo \"$HOSTNAME_PRIVATE -> $PE_IP\"\n");
}

char *export_curl(const struct export_values *v)
{
	struct buf b = {0};

	put(&b,
	    "#!/bin/sh\n# Azure Private Link to ClickHouse Cloud, exported by chlink (profile "
	    "\"%s\"):\n",
	    dflt(v->profile, "default"));
	put(&b, "# the guide's API calls with this profile's values. Secrets come from the shell:\n"
	        "# KEY_ID and KEY_SECRET (ClickHouse Cloud) and AZURE_TOKEN (an ARM token, e.g.\n"
	        "# az account get-access-token --query accessToken -o tsv). Needs curl and jq.\n"
	        "set -eu\n\n");
	if (v->pe_id || v->pe_guid || v->pe_ip)
		put(&b, "# The endpoint when exported: %s, resourceGuid %s, IP %s\n\n",
		    dflt(v->pe_id, "-"), dflt(v->pe_guid, "-"), dflt(v->pe_ip, "-"));
	curl_vars(&b, v);
	put(&b, "\n%s%s%s%s%s", curl_helpers, curl_stage1, curl_stage2, curl_dns, curl_stage3);
	curl_stage4(&b, v);
	return b.s;
}
