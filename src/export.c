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

static const char * or (const char *v, const char *placeholder)
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
	    S("location", or (v->location, or (v->region, "westus3"))),
	    S("resource_group_name", or (v->resource_group, "RESOURCE_GROUP")),
	    S("subnet_id", or (v->subnet_id, "SUBNET_ID")),
	};
	struct attr conn[] = {
	    S("name", pe_name),
	    S("private_connection_resource_alias", or (v->alias, "ENDPOINT_SERVICE_ID")),
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
	const char *vnet = or (v->vnet_id, "VNET_ID");
	const char *slash = strrchr(vnet, '/');
	char *link = xasprintf("chlink-%s", slash ? slash + 1 : vnet);
	struct attr z[] = {S("name", or (zone, "REGION.privatelink.azure.clickhouse.cloud")),
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
	const char *rg = or (v->dns_resource_group, or (v->resource_group, "RESOURCE_GROUP"));
	char *name = xstrdup(or (v->pe_name, "chlink-pe"));

	put(&b, "# Azure Private Link to ClickHouse Cloud, exported by chlink (profile \"%s\").\n",
	    or (v->profile, "default"));
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

static void curl_cmd(struct buf *b, const char *method, const char *auth, const char *url,
                     const char *body)
{
	char *q = sh_quote(url);

	put(b, "curl --fail-with-body --silent --show-error");
	if (strcmp(method, "GET") != 0)
		put(b, " -X %s", method);
	put(b, " \\\n  %s", auth);
	if (body) {
		char *qb = sh_quote(body);
		put(b, " \\\n  -H 'Content-Type: application/json' \\\n  -d %s", qb);
		free(qb);
	}
	put(b, " \\\n  %s\n\n", q);
	free(q);
}

#define CH_AUTH "--user \"${KEY_ID:?}:${KEY_SECRET:?}\""
#define AZ_AUTH "-H \"Authorization: Bearer ${AZURE_TOKEN:?}\""

static void curl_clickhouse(struct buf *b, const struct export_values *v, const char *org)
{
	const char *api = or (v->api_url, "https://api.clickhouse.cloud");
	const char *svc = v->n_services ? v->service_ids[0] : "${INSTANCE_ID:?}";
	char *url;

	put(b, "# Stage 1: the services in %s and the alias of the chosen one\n",
	    or (v->region, "${REGION:?}"));
	url = xasprintf("%s/v1/organizations/%s/services", api, org);
	curl_cmd(b, "GET", CH_AUTH, url, NULL);
	free(url);
	url = xasprintf("%s/v1/organizations/%s/services/%s/privateEndpointConfig", api, org, svc);
	curl_cmd(b, "GET", CH_AUTH, url, NULL);
	free(url);
}

static void curl_register(struct buf *b, const struct export_values *v, const char *org,
                          const char *id)
{
	const char *api = or (v->api_url, "https://api.clickhouse.cloud");
	const char *svc = v->n_services ? v->service_ids[0] : "${INSTANCE_ID:?}";
	char *url, *body;

	put(b, "# Stage 3: register the endpoint id in the organization\n");
	url = xasprintf("%s/v1/organizations/%s", api, org);
	body =
	    xasprintf("{\"privateEndpoints\":{\"add\":[{\"cloudProvider\":\"azure\",\"id\":\"%s\","
	              "\"description\":\"chlink: Azure private endpoint %s\",\"region\":\"%s\"}]}}",
	              id, or (v->pe_name, "chlink-pe"), or (v->region, "${REGION:?}"));
	curl_cmd(b, "PATCH", CH_AUTH, url, body);
	free(url);
	free(body);
	put(b, "# Stage 4: add it to each service's allow list\n");
	for (size_t i = 0; i < (v->n_services ? v->n_services : 1); i++) {
		url = xasprintf("%s/v1/organizations/%s/services/%s", api, org,
		                v->n_services ? v->service_ids[i] : svc);
		body = xasprintf("{\"privateEndpointIds\":{\"add\":[\"%s\"]}}", id);
		curl_cmd(b, "PATCH", CH_AUTH, url, body);
		free(url);
		free(body);
	}
}

static void curl_azure(struct buf *b, const struct export_values *v)
{
	const char *arm = or (v->arm_url, "https://management.azure.com");
	const char *sub = or (v->subscription, "${AZURE_SUBSCRIPTION_ID:?}");
	const char *rg = or (v->resource_group, "${RESOURCE_GROUP:?}");
	const char *dnsrg = or (v->dns_resource_group, rg);
	const char *pe = or (v->pe_name, "chlink-pe");
	const char *vnet = or (v->vnet_id, "${VNET_ID:?}"), *slash = strrchr(vnet, '/');
	char *zone = export_zone_of(v->hostname), *url, *body;
	const char *z = or (zone, "${ZONE:?}");

	put(b, "# Stage 2: the private endpoint (manual connection to the alias)\n");
	url = xasprintf("%s/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
	                "privateEndpoints/%s?api-version=" ARM_NET_VERSION,
	                arm, sub, rg, pe);
	body = xasprintf("{\"location\":\"%s\",\"properties\":{\"subnet\":{\"id\":\"%s\"},"
	                 "\"manualPrivateLinkServiceConnections\":[{\"name\":\"%s\",\"properties\":"
	                 "{\"privateLinkServiceId\":\"%s\",\"requestMessage\":\"" PE_REQUEST_MESSAGE
	                 "\"}}]}}",
	                 or (v->location, or (v->region, "${LOCATION:?}")),
	                 or (v->subnet_id, "${SUBNET_ID:?}"), pe, or (v->alias, "${ALIAS:?}"));
	curl_cmd(b, "PUT", AZ_AUTH, url, body);
	free(url);
	free(body);
	put(b, "# DNS: the zone, the wildcard record (the endpoint's IP) and the VNet link\n");
	url = xasprintf("%s/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
	                "privateDnsZones/%s?api-version=" ARM_DNS_VERSION,
	                arm, sub, dnsrg, z);
	curl_cmd(b, "PUT", AZ_AUTH, url, "{\"location\":\"global\"}");
	free(url);
	url = xasprintf("%s/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
	                "privateDnsZones/%s/A/*?api-version=" ARM_DNS_VERSION,
	                arm, sub, dnsrg, z);
	body = xasprintf("{\"properties\":{\"ttl\":300,\"aRecords\":[{\"ipv4Address\":\"%s\"}]}}",
	                 or (v->pe_ip, "${PE_IP:?}"));
	curl_cmd(b, "PUT", AZ_AUTH, url, body);
	free(url);
	free(body);
	url = xasprintf(
	    "%s/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
	    "privateDnsZones/%s/virtualNetworkLinks/chlink-%s?api-version=" ARM_DNS_VERSION,
	    arm, sub, dnsrg, z, slash ? slash + 1 : vnet);
	body =
	    xasprintf("{\"location\":\"global\",\"properties\":{\"virtualNetwork\":{\"id\":\"%s\"},"
	              "\"registrationEnabled\":false}}",
	              vnet);
	curl_cmd(b, "PUT", AZ_AUTH, url, body);
	free(url);
	free(body);
	free(zone);
}

char *export_curl(const struct export_values *v)
{
	struct buf b = {0};
	const char *org = or (v->org_id, "${ORG_ID:?}");
	const char *id = v->id_form == FLOW_ID_RESOURCE_ID ? or (v->pe_id, "${ENDPOINT_ID:?}")
	                                                   : or (v->pe_guid, "${ENDPOINT_ID:?}");

	put(&b,
	    "#!/bin/sh\n# Azure Private Link to ClickHouse Cloud, exported by chlink "
	    "(profile \"%s\").\n",
	    or (v->profile, "default"));
	put(&b,
	    "# Secrets come from the shell: KEY_ID, KEY_SECRET and an ARM token in AZURE_TOKEN\n"
	    "# (az account get-access-token --query accessToken -o tsv).\nset -e\n\n");
	curl_clickhouse(&b, v, org);
	curl_azure(&b, v);
	curl_register(&b, v, org, id);
	return b.s;
}
