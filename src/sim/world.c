/* world: the simulated world's data model — built-in default, normalising, checks. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "sim_int.h"
#include "world.h"
#include "xmalloc.h"

/* The built-in world (also documented in WORLD.md); ids and keys are fixed strings. */
static const char default_world[] =
    "{\n"
    "  \"clickhouse\": {\n"
    "    \"organizations\": [\n"
    "      {\n"
    "        \"id\": \"5b9f3c1e-2d4a-4e8b-9a6f-1c3d5e7f9a0b\",\n"
    "        \"name\": \"Sim Analytics\",\n"
    "        \"createdAt\": \"2024-03-14T09:26:53Z\",\n"
    "        \"enableCoreDumps\": false,\n"
    "        \"privateEndpoints\": [],\n"
    "        \"keys\": [\n"
    "          {\"id\": \"SIMADMINKEY00000001\", \"secret\": "
    "\"4b1dSimAdminSecret0123456789abcdefXYZ\", \"role\": \"admin\"},\n"
    "          {\"id\": \"SIMDEVKEY0000000001\", \"secret\": "
    "\"4b1dSimDevSecret0123456789abcdefghXYZ\", \"role\": \"developer\"}\n"
    "        ],\n"
    "        \"services\": [\n"
    "          {\"id\": \"a1b2c3d4-0001-4000-8000-000000000001\", \"name\": \"prod-analytics\", "
    "\"provider\": \"azure\",\n"
    "           \"region\": \"westus3\", \"state\": \"running\", \"tier\": \"production\", "
    "\"shortId\": \"h2k4m6p8r1\"},\n"
    "          {\"id\": \"a1b2c3d4-0002-4000-8000-000000000002\", \"name\": \"staging-events\", "
    "\"provider\": \"azure\",\n"
    "           \"region\": \"westus3\", \"state\": \"running\", \"shortId\": \"q3w5e7r9t2\"},\n"
    "          {\"id\": \"a1b2c3d4-0004-4000-8000-000000000004\", \"name\": \"east-ingest\", "
    "\"provider\": \"azure\",\n"
    "           \"region\": \"eastus2\", \"state\": \"running\", \"tier\": \"production\", "
    "\"shortId\": \"n4m6k8j2h4\"},\n"
    "          {\"id\": \"a1b2c3d4-0003-4000-8000-000000000003\", \"name\": \"dev-sandbox\", "
    "\"provider\": \"azure\",\n"
    "           \"region\": \"eastus2\", \"state\": \"idle\", \"tier\": \"development\", "
    "\"shortId\": \"z1x3c5v7b9\"},\n"
    "          {\"id\": \"a1b2c3d4-0005-4000-8000-000000000005\", \"name\": \"eu-reporting\", "
    "\"provider\": \"azure\",\n"
    "           \"region\": \"germanywestcentral\", \"state\": \"running\", \"tier\": "
    "\"production\", \"shortId\": \"g7f5d3s1a9\"},\n"
    "          {\"id\": \"a1b2c3d4-0006-4000-8000-000000000006\", \"name\": \"central-archive\", "
    "\"provider\": \"azure\",\n"
    "           \"region\": \"centralus\", \"state\": \"stopped\", \"tier\": \"production\", "
    "\"shortId\": \"c8v6b4n2m7\"},\n"
    "          {\"id\": \"a1b2c3d4-0007-4000-8000-000000000007\", \"name\": \"aws-warehouse\", "
    "\"provider\": \"aws\",\n"
    "           \"region\": \"us-east-1\", \"state\": \"running\", \"tier\": \"production\", "
    "\"shortId\": \"w1a2s3d4f5\"},\n"
    "          {\"id\": \"a1b2c3d4-0008-4000-8000-000000000008\", \"name\": \"gcp-lake\", "
    "\"provider\": \"gcp\",\n"
    "           \"region\": \"us-central1\", \"state\": \"running\", \"tier\": \"production\", "
    "\"shortId\": \"g9c8p7l6k5\"}\n"
    "        ]\n"
    "      },\n"
    "      {\n"
    "        \"id\": \"8d2e4f6a-1b3c-4d5e-8f7a-9b0c1d2e3f4a\",\n"
    "        \"name\": \"Other Org\",\n"
    "        \"createdAt\": \"2023-11-02T17:05:11Z\",\n"
    "        \"privateEndpoints\": [],\n"
    "        \"keys\": [\n"
    "          {\"id\": \"SIMOTHERKEY00000001\", \"secret\": "
    "\"4b1dSimOtherSecret0123456789abcdefXYZ\", \"role\": \"admin\"}\n"
    "        ],\n"
    "        \"services\": [\n"
    "          {\"id\": \"b9c8d7e6-0001-4000-8000-000000000011\", \"name\": \"other-westus3\", "
    "\"provider\": \"azure\",\n"
    "           \"region\": \"westus3\", \"state\": \"running\", \"tier\": \"production\", "
    "\"shortId\": \"o1t2h3e4r5\",\n"
    "           \"privateEndpointConfig\": {\n"
    "             \"endpointServiceId\": "
    "\"production-westus3-0-1.0f6e5d4c-3b2a-4190-8877-665544332211.westus3.azure."
    "privatelinkservice\"}}\n"
    "        ]\n"
    "      }\n"
    "    ],\n"
    "    \"aliases\": {\n"
    "      \"westus3\": "
    "\"production-westus3-0-0.63c890a9-4d2e-4b7a-9f31-2a8c5e7d1b04.westus3.azure."
    "privatelinkservice\",\n"
    "      \"eastus2\": "
    "\"production-eastus2-0-0.7e21b4c8-9a3d-4f5e-8b62-1c4d7a9e3f50.eastus2.azure."
    "privatelinkservice\",\n"
    "      \"germanywestcentral\": "
    "\"production-germanywestcentral-0-0.2b9d6f14-8c7a-4e3b-a5d2-9f1e8c7b6a43.germanywestcentral."
    "azure.privatelinkservice\",\n"
    "      \"centralus\": "
    "\"production-centralus-0-0.5c3a1e8f-7b6d-4a29-8e4f-3d2c1b0a9f87.centralus.azure."
    "privatelinkservice\",\n"
    "      \"us-east-1\": \"com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f6a7b8\",\n"
    "      \"us-central1\": "
    "\"projects/dataplane-production/regions/us-central1/serviceAttachments/"
    "production-service-attachment-psc\"\n"
    "    }\n"
    "  },\n"
    "  \"azure\": {\n"
    "    \"tenants\": [\n"
    "      {\"id\": \"72f988bf-86f1-41af-91ab-2d7cd011db47\", \"domain\": "
    "\"contoso.onmicrosoft.com\",\n"
    "       \"clients\": [\n"
    "         {\"clientId\": \"3f2c9a71-58de-4b06-9c4e-7a1d2b8e6f05\", \"clientSecret\": "
    "\"Sim8Q~abc+def/ghi=jkl.mnoPQRSTuvw\",\n"
    "          \"subscriptions\": [\"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\"]}\n"
    "       ]},\n"
    "      {\"id\": \"c0ffee00-1234-4abc-8def-0123456789ab\", \"domain\": "
    "\"fabrikam.onmicrosoft.com\",\n"
    "       \"clients\": [\n"
    "         {\"clientId\": \"0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6\", \"clientSecret\": "
    "\"OtherTenantSecret~0123456789\",\n"
    "          \"subscriptions\": [\"e1d2c3b4-a5f6-4e7d-8c9b-0a1f2e3d4c5b\"]}\n"
    "       ]}\n"
    "    ],\n"
    "    \"subscriptions\": [\n"
    "      {\"subscriptionId\": \"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\", \"tenantId\": "
    "\"72f988bf-86f1-41af-91ab-2d7cd011db47\",\n"
    "       \"displayName\": \"Sim Production\",\n"
    "       \"resourceGroups\": [\n"
    "         {\"name\": \"rg-app\", \"location\": \"westus3\"},\n"
    "         {\"name\": \"rg-net-east\", \"location\": \"eastus2\"},\n"
    "         {\"name\": \"rg-dns\", \"location\": \"westus3\"}\n"
    "       ]},\n"
    "      {\"subscriptionId\": \"4c5d6e7f-8091-4a2b-9c3d-4e5f60718293\", \"tenantId\": "
    "\"72f988bf-86f1-41af-91ab-2d7cd011db47\",\n"
    "       \"displayName\": \"Sim Finance (no access)\",\n"
    "       \"resourceGroups\": [{\"name\": \"rg-finance\", \"location\": \"westus3\"}]},\n"
    "      {\"subscriptionId\": \"e1d2c3b4-a5f6-4e7d-8c9b-0a1f2e3d4c5b\", \"tenantId\": "
    "\"c0ffee00-1234-4abc-8def-0123456789ab\",\n"
    "       \"displayName\": \"Fabrikam\",\n"
    "       \"resourceGroups\": [{\"name\": \"rg-fab\", \"location\": \"westus3\"}]}\n"
    "    ],\n"
    "    \"virtualNetworks\": [\n"
    "      {\"subscriptionId\": \"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\", \"resourceGroup\": "
    "\"rg-app\", \"name\": \"vnet-app\",\n"
    "       \"location\": \"westus3\", \"addressPrefixes\": [\"10.0.0.0/16\"],\n"
    "       \"subnets\": [{\"name\": \"default\", \"addressPrefix\": \"10.0.0.0/24\"},\n"
    "                   {\"name\": \"snet-pe\", \"addressPrefix\": \"10.0.1.0/24\"}]},\n"
    "      {\"subscriptionId\": \"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\", \"resourceGroup\": "
    "\"rg-net-east\", \"name\": \"vnet-east\",\n"
    "       \"location\": \"eastus2\", \"addressPrefixes\": [\"10.1.0.0/16\"],\n"
    "       \"subnets\": [{\"name\": \"snet-pe\", \"addressPrefix\": \"10.1.1.0/24\"},\n"
    "                   {\"name\": \"snet-tiny\", \"addressPrefix\": \"10.1.2.0/29\"}]},\n"
    "      {\"subscriptionId\": \"e1d2c3b4-a5f6-4e7d-8c9b-0a1f2e3d4c5b\", \"resourceGroup\": "
    "\"rg-fab\", \"name\": \"vnet-fab\",\n"
    "       \"location\": \"westus3\", \"addressPrefixes\": [\"10.9.0.0/16\"],\n"
    "       \"subnets\": [{\"name\": \"default\", \"addressPrefix\": \"10.9.0.0/24\"}]}\n"
    "    ],\n"
    "    \"privateEndpoints\": [],\n"
    "    \"networkInterfaces\": [],\n"
    "    \"privateDnsZones\": [],\n"
    "    \"recordSets\": [],\n"
    "    \"virtualNetworkLinks\": [],\n"
    "    \"operations\": []\n"
    "  }\n"
    "}\n";

const char *world_default_text(void)
{
	return default_world;
}

static void add_default(cJSON *o, const char *key, cJSON *v)
{
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		cJSON_Delete(v);
	else
		cJSON_AddItemToObject(o, key, v);
}

static const char *provider_domain(const char *provider)
{
	if (sim_ci_eq(provider, "aws"))
		return "aws";
	if (sim_ci_eq(provider, "gcp"))
		return "gcp";
	return "azure";
}

static cJSON *endpoints_for(const char *shortid, const char *region, const char *provider)
{
	cJSON *a = cJSON_CreateArray();
	static const struct {
		const char *proto;
		int port;
	} eps[] = {{"https", 8443}, {"nativesecure", 9440}};
	for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++) {
		char host[256];
		snprintf(host, sizeof host, "%s.%s.%s.clickhouse.cloud", shortid, region,
		         provider_domain(provider));
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "protocol", eps[i].proto);
		cJSON_AddStringToObject(e, "host", host);
		cJSON_AddNumberToObject(e, "port", eps[i].port);
		cJSON_AddItemToArray(a, e);
	}
	return a;
}

static cJSON *pe_config_for(const cJSON *svc, const cJSON *aliases)
{
	const char *region = sim_jstr(svc, "region"), *shortid = sim_jstr(svc, "shortId");
	const char *provider = sim_jstr(svc, "provider");
	const char *alias = sim_jstr(aliases, region ? region : "");
	char host[256];
	cJSON *c = cJSON_CreateObject();
	if (sim_ci_eq(provider, "aws"))
		snprintf(host, sizeof host, "%s.%s.vpce.aws.clickhouse.cloud", shortid, region);
	else if (sim_ci_eq(provider, "gcp"))
		snprintf(host, sizeof host, "%s.%s.p.gcp.clickhouse.cloud", shortid, region);
	else
		snprintf(host, sizeof host, "%s.%s.privatelink.azure.clickhouse.cloud", shortid,
		         region);
	cJSON_AddStringToObject(c, "endpointServiceId", alias ? alias : "");
	cJSON_AddStringToObject(c, "privateDnsHostname", host);
	return c;
}

/* Fill every realistic Service field the world file left out. */
static void normalise_service(cJSON *svc, const cJSON *aliases)
{
	const char *id = sim_jstr(svc, "id");
	if (!sim_jstr(svc, "shortId")) {
		char sid[11] = "0000000000";
		for (size_t i = 0, j = 0; id && id[i] && j < 10; i++)
			if (id[i] != '-')
				sid[j++] = id[i];
		cJSON_AddStringToObject(svc, "shortId", sid);
	}
	const char *shortid = sim_jstr(svc, "shortId"), *region = sim_jstr(svc, "region");
	const char *provider = sim_jstr(svc, "provider");
	add_default(svc, "state", cJSON_CreateString("running"));
	add_default(svc, "clickhouseVersion", cJSON_CreateString("25.6.2.5983"));
	add_default(
	    svc, "endpoints",
	    endpoints_for(shortid, region ? region : "westus3", provider ? provider : "azure"));
	add_default(svc, "minReplicaMemoryGb", cJSON_CreateNumber(8));
	add_default(svc, "maxReplicaMemoryGb", cJSON_CreateNumber(120));
	add_default(svc, "numReplicas", cJSON_CreateNumber(3));
	add_default(svc, "autoscalingMode", cJSON_CreateString("vertical"));
	add_default(svc, "idleScaling", cJSON_CreateTrue());
	add_default(svc, "idleTimeoutMinutes", cJSON_CreateNumber(15));
	cJSON *ip = cJSON_CreateArray(), *ipe = cJSON_CreateObject();
	cJSON_AddStringToObject(ipe, "source", "0.0.0.0/0");
	cJSON_AddStringToObject(ipe, "description", "Anywhere");
	cJSON_AddItemToArray(ip, ipe);
	add_default(svc, "ipAccessList", ip);
	add_default(svc, "createdAt", cJSON_CreateString("2024-05-02T11:42:07Z"));
	add_default(svc, "privateEndpointIds", cJSON_CreateArray());
	add_default(svc, "availablePrivateEndpointIds", cJSON_CreateArray());
	add_default(svc, "dataWarehouseId", cJSON_CreateString(id ? id : ""));
	add_default(svc, "isPrimary", cJSON_CreateTrue());
	add_default(svc, "isReadonly", cJSON_CreateFalse());
	add_default(svc, "releaseChannel", cJSON_CreateString("default"));
	add_default(svc, "hasTransparentDataEncryption", cJSON_CreateFalse());
	add_default(svc, "enableCoreDumps", cJSON_CreateFalse());
	add_default(svc, "tags", cJSON_CreateArray());
	cJSON *cs = cJSON_CreateObject();
	cJSON_AddNumberToObject(cs, "replicaMemoryGb", 8);
	cJSON_AddNumberToObject(cs, "numReplicas", 3);
	add_default(svc, "currentScaling", cs);
	add_default(svc, "privateEndpointConfig", pe_config_for(svc, aliases));
	cJSON *pc = cJSON_GetObjectItemCaseSensitive(svc, "privateEndpointConfig");
	if (!sim_jstr(pc, "privateDnsHostname")) {
		cJSON *d = pe_config_for(svc, aliases);
		cJSON_AddStringToObject(pc, "privateDnsHostname",
		                        sim_jstr(d, "privateDnsHostname"));
		cJSON_Delete(d);
	}
}

static void normalise(cJSON *w)
{
	cJSON *ch = cJSON_GetObjectItemCaseSensitive(w, "clickhouse");
	cJSON *aliases = cJSON_GetObjectItemCaseSensitive(ch, "aliases");
	cJSON *org, *svc;
	cJSON_ArrayForEach (org, cJSON_GetObjectItemCaseSensitive(ch, "organizations")) {
		add_default(org, "privateEndpoints", cJSON_CreateArray());
		add_default(org, "createdAt", cJSON_CreateString("2024-01-01T00:00:00Z"));
		add_default(org, "enableCoreDumps", cJSON_CreateFalse());
		add_default(org, "byocConfig", cJSON_CreateArray());
		add_default(org, "keys", cJSON_CreateArray());
		add_default(org, "services", cJSON_CreateArray());
		cJSON_ArrayForEach (svc, cJSON_GetObjectItemCaseSensitive(org, "services"))
			normalise_service(svc, aliases);
	}
	cJSON *az = cJSON_GetObjectItemCaseSensitive(w, "azure");
	static const char *const lists[] = {
	    "tenants",          "subscriptions",       "virtualNetworks",
	    "privateEndpoints", "networkInterfaces",   "privateDnsZones",
	    "recordSets",       "virtualNetworkLinks", "operations"};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		add_default(az, lists[i], cJSON_CreateArray());
}

static int need(int ok, char *msg, size_t msz, const char *what)
{
	if (!ok)
		snprintf(msg, msz, "world: %s", what);
	return ok ? 0 : -1;
}

/* Parse and normalise a world (or state) text; NULL with a message when it is unusable. */
cJSON *world_parse(const char *text, char *msg, size_t msz)
{
	cJSON *w = cJSON_Parse(text ? text : default_world);
	if (!w) {
		snprintf(msg, msz, "world: not valid JSON near byte %ld",
		         (long)(cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - text : 0));
		return NULL;
	}
	cJSON *ch = cJSON_GetObjectItemCaseSensitive(w, "clickhouse");
	cJSON *orgs = cJSON_GetObjectItemCaseSensitive(ch, "organizations");
	cJSON *az = cJSON_GetObjectItemCaseSensitive(w, "azure");
	if (need(cJSON_IsObject(w), msg, msz, "top level must be an object") ||
	    need(cJSON_IsArray(orgs) && cJSON_GetArraySize(orgs) > 0, msg, msz,
	         "clickhouse.organizations must be a non-empty array") ||
	    need(cJSON_IsObject(az), msg, msz, "azure must be an object") ||
	    need(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(az, "tenants")), msg, msz,
	         "azure.tenants must be an array") ||
	    need(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(az, "subscriptions")), msg, msz,
	         "azure.subscriptions must be an array")) {
		cJSON_Delete(w);
		return NULL;
	}
	cJSON *org, *svc;
	cJSON_ArrayForEach (org, orgs) {
		if (need(sim_jstr(org, "id") != NULL, msg, msz, "every organization needs an id")) {
			cJSON_Delete(w);
			return NULL;
		}
		cJSON_ArrayForEach (svc, cJSON_GetObjectItemCaseSensitive(org, "services")) {
			if (need(sim_jstr(svc, "id") && sim_jstr(svc, "region") &&
			             sim_jstr(svc, "provider"),
			         msg, msz, "every service needs id, provider and region")) {
				cJSON_Delete(w);
				return NULL;
			}
		}
	}
	normalise(w);
	return w;
}

cJSON *world_azure(struct sim *s, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s->world, "azure"),
	                                        key);
}

cJSON *world_chc_orgs(struct sim *s)
{
	return cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(s->world, "clickhouse"), "organizations");
}
