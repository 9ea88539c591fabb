/* test_sim_arm: simulated ARM — auth, api-version, pickers, private endpoints, NICs, approval. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "simtest.h"

#define NETV     "?api-version=2024-05-01"
#define SVC_PROD "a1b2c3d4-0001-4000-8000-000000000001"
#define SVC_EAST "a1b2c3d4-0004-4000-8000-000000000004"

struct az {
	struct st *t;
	char *bearer, *admin;
	char sub[64], rg[200], subnet[300], alias[200], host[200], url[1024], body[4096];
};

static const char *u(struct az *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *u(struct az *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->url, sizeof a->url, fmt, ap);
	va_end(ap);
	return a->url;
}

static int ch(struct az *a, const char *method, const char *path, const char *body)
{
	char url[512];
	snprintf(url, sizeof url, "/v1/organizations/%s%s", t_id(a->t, "org"), path);
	return t_req(a->t, method, url, body ? "application/json" : NULL, a->admin, body);
}

static int setup(void **state)
{
	struct az *a = xcalloc(1, sizeof *a);
	a->t = t_new(NULL, 11);
	a->bearer = t_bearer(a->t, "azure");
	a->admin = t_basic(a->t, "admin_key");
	t_ctl(a->t, "/_sim/faults", "{\"rate_limit\":{\"requests\":0,\"window_s\":10}}");
	snprintf(a->sub, sizeof a->sub, "%s", t_id(a->t, "azure.subscription"));
	snprintf(a->rg, sizeof a->rg,
	         "/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network", a->sub);
	snprintf(a->subnet, sizeof a->subnet,
	         "/subscriptions/%s/resourceGroups/rg-app/providers/"
	         "Microsoft.Network/virtualNetworks/vnet-app/subnets/snet-pe",
	         a->sub);
	ch(a, "GET", "/services/" SVC_PROD "/privateEndpointConfig", NULL);
	snprintf(a->alias, sizeof a->alias, "%s", t_str(a->t, "result.endpointServiceId"));
	snprintf(a->host, sizeof a->host, "%s", t_str(a->t, "result.privateDnsHostname"));
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	struct az *a = *state;
	t_free(a->t);
	free(a->bearer);
	free(a->admin);
	free(a);
	return 0;
}

static int arm(struct az *a, const char *method, const char *url, const char *body)
{
	return t_req(a->t, method, url, body ? "application/json" : NULL, a->bearer, body);
}

static const char *pe_body(struct az *a, const char *loc, const char *subnet, const char *pls)
{
	snprintf(a->body, sizeof a->body,
	         "{\"location\":\"%s\",\"properties\":{\"subnet\":{\"id\":\"%s\"},"
	         "\"manualPrivateLinkServiceConnections\":[{\"name\":\"conn\",\"properties\":{"
	         "\"privateLinkServiceId\":\"%s\",\"requestMessage\":\"please approve\"}}]}}",
	         loc, subnet, pls);
	return a->body;
}

static int put_pe(struct az *a, const char *name)
{
	char url[512];
	snprintf(url, sizeof url, "%s/privateEndpoints/%s" NETV, a->rg, name);
	return arm(a, "PUT", url, pe_body(a, "westus3", a->subnet, a->alias));
}

static int get_pe(struct az *a, const char *name)
{
	char url[512];
	snprintf(url, sizeof url, "%s/privateEndpoints/%s" NETV, a->rg, name);
	return arm(a, "GET", url, NULL);
}

static const char *conn_status(struct az *a)
{
	return t_str(a->t, "properties.manualPrivateLinkServiceConnections.0.properties."
	                   "privateLinkServiceConnectionState.status");
}

static void advance(struct az *a, unsigned ms)
{
	a->t->now += ms;
}

static void test_arm_without_or_with_bad_token_is_401(void **state)
{
	struct az *a = *state;
	const char *url = u(a, "/subscriptions/%s/resourcegroups?api-version=2021-04-01", a->sub);
	char copy[512];
	snprintf(copy, sizeof copy, "%s", url);
	assert_int_equal(t_req(a->t, "GET", copy, NULL, NULL, NULL), 401);
	assert_string_equal(t_str(a->t, "error.code"), "AuthenticationFailed");
	assert_int_equal(t_req(a->t, "GET", copy, NULL, "Bearer garbage", NULL), 401);
	assert_string_equal(t_str(a->t, "error.code"), "InvalidAuthenticationToken");
	assert_int_equal(t_req(a->t, "GET", copy, NULL, "Basic abc", NULL), 401);
}

static void test_token_of_another_tenant_is_401_invalid_tenant(void **state)
{
	struct az *a = *state;
	char *other = t_bearer(a->t, "azure_other_tenant");
	assert_int_equal(
	    t_req(a->t, "GET",
	          u(a, "/subscriptions/%s/resourcegroups?api-version=2021-04-01", a->sub), NULL,
	          other, NULL),
	    401);
	assert_string_equal(t_str(a->t, "error.code"), "InvalidAuthenticationTokenTenant");
	free(other);
}

static void test_subscription_not_granted_is_403_authorization_failed(void **state)
{
	struct az *a = *state;
	assert_int_equal(arm(a, "GET",
	                     u(a, "/subscriptions/%s/resourcegroups?api-version=2021-04-01",
	                       t_id(a->t, "azure_denied_subscription")),
	                     NULL),
	                 403);
	assert_string_equal(t_str(a->t, "error.code"), "AuthorizationFailed");
	assert_int_equal(arm(a, "GET",
	                     u(a, "/subscriptions/00000000-0000-0000-0000-00000000dead"
	                          "/resourcegroups?api-version=2021-04-01"),
	                     NULL),
	                 404);
	assert_string_equal(t_str(a->t, "error.code"), "SubscriptionNotFound");
}

static void test_api_version_is_required_and_checked_per_provider(void **state)
{
	struct az *a = *state;
	assert_int_equal(arm(a, "GET", u(a, "%s/privateEndpoints", a->rg), NULL), 400);
	assert_string_equal(t_str(a->t, "error.code"), "MissingApiVersionParameter");
	assert_int_equal(
	    arm(a, "GET", u(a, "%s/privateEndpoints?api-version=2099-01-01", a->rg), NULL), 400);
	assert_string_equal(t_str(a->t, "error.code"), "InvalidApiVersionParameter");
	static const char *const ok[] = {"2024-05-01", "2024-07-01", "2025-01-01", "2025-05-01",
	                                 "2022-01-01"};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(
		    arm(a, "GET", u(a, "%s/privateEndpoints?api-version=%s", a->rg, ok[i]), NULL),
		    200);
	assert_int_equal(
	    arm(a, "GET", u(a, "%s/privateDnsZones?api-version=2024-05-01", a->rg), NULL), 400);
	assert_int_equal(
	    arm(a, "GET", u(a, "%s/privateDnsZones?api-version=2024-06-01", a->rg), NULL), 200);
	assert_int_equal(
	    arm(a, "GET", u(a, "%s/privateDnsZones?api-version=2020-06-01", a->rg), NULL), 200);
	assert_int_equal(
	    arm(a, "GET", u(a, "/subscriptions/%s/resourcegroups?api-version=2024-05-01", a->sub),
	        NULL),
	    400);
}

static void test_pickers_list_resource_groups_vnets_and_subnets(void **state)
{
	struct az *a = *state;
	assert_int_equal(
	    arm(a, "GET", u(a, "/subscriptions/%s/resourcegroups?api-version=2021-04-01", a->sub),
	        NULL),
	    200);
	assert_string_equal(t_str(a->t, "value.0.name"), "rg-app");
	assert_string_equal(t_str(a->t, "value.0.location"), "westus3");
	assert_non_null(strstr(t_str(a->t, "value.0.id"), "/resourceGroups/rg-app"));
	assert_int_equal(
	    arm(a, "GET",
	        u(a, "/subscriptions/%s/providers/Microsoft.Network/virtualNetworks" NETV, a->sub),
	        NULL),
	    200);
	assert_int_equal(cJSON_GetArraySize(t_at(a->t->j, "value")), 2);
	assert_string_equal(t_str(a->t, "value.0.properties.addressSpace.addressPrefixes.0"),
	                    "10.0.0.0/16");
	assert_string_equal(t_str(a->t, "value.0.properties.subnets.1.name"), "snet-pe");
	assert_string_equal(t_str(a->t, "value.0.properties.subnets.1.properties.addressPrefix"),
	                    "10.0.1.0/24");
	assert_string_equal(t_str(a->t, "value.0.properties.subnets.1.id"), a->subnet);
	assert_int_equal(arm(a, "GET",
	                     u(a,
	                       "/subscriptions/%s/resourceGroups/RG-NET-EAST/providers/"
	                       "Microsoft.Network/virtualNetworks" NETV,
	                       a->sub),
	                     NULL),
	                 200);
	assert_int_equal(cJSON_GetArraySize(t_at(a->t->j, "value")), 1);
	assert_string_equal(t_str(a->t, "value.0.location"), "eastus2");
	assert_int_equal(
	    arm(a, "GET", u(a, "%s/virtualNetworks/vnet-app/subnets" NETV, a->rg), NULL), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(a->t->j, "value")), 2);
}

static void test_unknown_things_404_and_wrong_methods_405_with_error_bodies(void **state)
{
	struct az *a = *state;
	assert_int_equal(arm(a, "GET",
	                     u(a,
	                       "/subscriptions/%s/resourceGroups/nope/providers/Microsoft.Network/"
	                       "privateEndpoints" NETV,
	                       a->sub),
	                     NULL),
	                 404);
	assert_string_equal(t_str(a->t, "error.code"), "ResourceGroupNotFound");
	assert_int_equal(get_pe(a, "missing"), 404);
	assert_string_equal(t_str(a->t, "error.code"), "ResourceNotFound");
	assert_int_equal(arm(a, "GET", u(a, "%s/frobnicators" NETV, a->rg), NULL), 404);
	assert_non_null(t_str(a->t, "error.message"));
	assert_int_equal(arm(a, "PATCH", u(a, "%s/privateEndpoints/x" NETV, a->rg), "{}"), 405);
	assert_non_null(t_str(a->t, "error.code"));
	assert_int_equal(t_req(a->t, "GET", "/nothing/here", NULL, NULL, NULL), 404);
	assert_non_null(t_str(a->t, "error.code"));
}

static void test_pe_create_is_long_running_updating_then_succeeded(void **state)
{
	struct az *a = *state;
	assert_int_equal(put_pe(a, "pe1"), 201);
	assert_string_equal(t_str(a->t, "properties.provisioningState"), "Updating");
	assert_string_equal(t_str(a->t, "type"), "Microsoft.Network/privateEndpoints");
	assert_string_equal(t_str(a->t, "id"), u(a, "%s/privateEndpoints/pe1", a->rg));
	assert_non_null(t_str(a->t, "etag"));
	assert_int_equal((int)strlen(t_str(a->t, "properties.resourceGuid")), 36);
	assert_string_equal(t_hdr(a->t, "Retry-After"), "1");
	const char *op = t_hdr(a->t, "Azure-AsyncOperation");
	char prefix[300];
	snprintf(prefix, sizeof prefix,
	         "http://127.0.0.1:8123/subscriptions/%s/providers/"
	         "Microsoft.Network/locations/westus3/operations/",
	         a->sub);
	assert_true(strncmp(op, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(op, "?api-version=2024-05-01"));
	char opurl[512];
	snprintf(opurl, sizeof opurl, "%s", op + strlen("http://127.0.0.1:8123"));
	assert_int_equal(arm(a, "GET", opurl, NULL), 200);
	assert_string_equal(t_str(a->t, "status"), "InProgress");
	advance(a, 1499);
	assert_int_equal(arm(a, "GET", opurl, NULL), 200);
	assert_string_equal(t_str(a->t, "status"), "InProgress");
	advance(a, 1);
	assert_int_equal(arm(a, "GET", opurl, NULL), 200);
	assert_string_equal(t_str(a->t, "status"), "Succeeded");
	assert_int_equal(get_pe(a, "PE1"), 200); /* names are case-insensitive */
	assert_string_equal(t_str(a->t, "properties.provisioningState"), "Succeeded");
	assert_string_equal(t_str(a->t, "name"), "pe1");
}

static void test_nic_gets_the_next_free_address_of_the_subnet(void **state)
{
	struct az *a = *state;
	char nic[400];
	assert_int_equal(put_pe(a, "pe1"), 201);
	assert_int_equal(put_pe(a, "pe2"), 201);
	snprintf(nic, sizeof nic, "%s" NETV, t_str(a->t, "properties.networkInterfaces.0.id"));
	assert_non_null(strstr(nic, "/networkInterfaces/pe2.nic."));
	assert_int_equal(arm(a, "GET", nic, NULL), 200);
	assert_string_equal(
	    t_str(a->t, "properties.ipConfigurations.0.properties.privateIPAddress"), "10.0.1.5");
	assert_string_equal(t_str(a->t, "properties.ipConfigurations.0.properties.subnet.id"),
	                    a->subnet);
	assert_int_equal(get_pe(a, "pe1"), 200);
	snprintf(nic, sizeof nic, "%s" NETV, t_str(a->t, "properties.networkInterfaces.0.id"));
	assert_int_equal(arm(a, "GET", nic, NULL), 200);
	assert_string_equal(
	    t_str(a->t, "properties.ipConfigurations.0.properties.privateIPAddress"), "10.0.1.4");
	/* a /29 has three usable addresses: the fourth endpoint finds the subnet full */
	char tiny[300];
	snprintf(tiny, sizeof tiny,
	         "/subscriptions/%s/resourceGroups/rg-net-east/providers/"
	         "Microsoft.Network/virtualNetworks/vnet-east/subnets/snet-tiny",
	         a->sub);
	for (int i = 0; i < 4; i++) {
		char url[300];
		snprintf(url, sizeof url,
		         "/subscriptions/%s/resourceGroups/rg-net-east/providers/"
		         "Microsoft.Network/privateEndpoints/t%d" NETV,
		         a->sub, i);
		assert_int_equal(arm(a, "PUT", url, pe_body(a, "eastus2", tiny, a->alias)),
		                 i < 3 ? 201 : 400);
	}
	assert_string_equal(t_str(a->t, "error.code"), "SubnetIsFull");
}

static void allowlist(struct az *a, const char *svc, const char *id, const char *op)
{
	char body[600], path[200];
	snprintf(body, sizeof body, "{\"privateEndpointIds\":{\"%s\":[\"%s\"]}}", op, id);
	snprintf(path, sizeof path, "/services/%s", svc);
	assert_int_equal(ch(a, "PATCH", path, body), 200);
}

static void test_pending_until_resource_guid_is_allowlisted_then_approved(void **state)
{
	struct az *a = *state;
	char guid[64];
	assert_int_equal(put_pe(a, "pe1"), 201);
	snprintf(guid, sizeof guid, "%s", t_str(a->t, "properties.resourceGuid"));
	advance(a, 1500);
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Pending");
	assert_string_equal(t_str(a->t,
	                          "properties.manualPrivateLinkServiceConnections.0.properties."
	                          "privateLinkServiceConnectionState.description"),
	                    "Awaiting approval");
	assert_string_equal(
	    t_str(
	        a->t,
	        "properties.manualPrivateLinkServiceConnections.0.properties.privateLinkServiceId"),
	    a->alias);
	assert_int_equal(sim_private_reachable(a->t->s, a->host, a->t->now), 0);
	allowlist(a, SVC_PROD, guid, "add");
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Approved");
	assert_int_equal(sim_private_reachable(a->t->s, a->host, a->t->now), 1);
	/* a service of another region with another alias does not approve it */
	allowlist(a, SVC_PROD, guid, "remove");
	allowlist(a, SVC_EAST, guid, "add");
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Pending");
	assert_int_equal(sim_private_reachable(a->t->s, a->host, a->t->now), 0);
}

static void test_resource_id_approves_case_insensitively(void **state)
{
	struct az *a = *state;
	char id[400];
	assert_int_equal(put_pe(a, "pe-Mixed"), 201);
	snprintf(id, sizeof id, "%s", t_str(a->t, "id"));
	for (char *p = id; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	advance(a, 1500);
	allowlist(a, SVC_PROD, id, "add");
	assert_int_equal(get_pe(a, "pe-mixed"), 200);
	assert_string_equal(conn_status(a), "Approved");
	/* the sibling service behind the same alias is not reachable: its list is empty */
	ch(a, "GET", "/services/a1b2c3d4-0002-4000-8000-000000000002/privateEndpointConfig", NULL);
	assert_int_equal(
	    sim_private_reachable(a->t->s, t_str(a->t, "result.privateDnsHostname"), a->t->now), 0);
	assert_int_equal(sim_private_reachable(a->t->s, a->host, a->t->now), 1);
}

static void test_approval_delay_keeps_pending_until_it_passes(void **state)
{
	struct az *a = *state;
	assert_int_equal(t_ctl(a->t, "/_sim/faults", "{\"approval_delay_ms\":5000}"), 200);
	assert_int_equal(put_pe(a, "pe1"), 201);
	char guid[64];
	snprintf(guid, sizeof guid, "%s", t_str(a->t, "properties.resourceGuid"));
	advance(a, 1500);
	allowlist(a, SVC_PROD, guid, "add");
	advance(a, 4999);
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Pending");
	advance(a, 1);
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Approved");
}

static void test_rejected_and_disconnected_overrides_are_sticky(void **state)
{
	struct az *a = *state;
	char guid[64], body[200];
	assert_int_equal(put_pe(a, "pe1"), 201);
	snprintf(guid, sizeof guid, "%s", t_str(a->t, "properties.resourceGuid"));
	advance(a, 1500);
	allowlist(a, SVC_PROD, guid, "add");
	assert_int_equal(
	    t_ctl(a->t, "/_sim/endpoint", "{\"name\":\"pe1\",\"status\":\"Rejected\"}"), 200);
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Rejected");
	assert_int_equal(sim_private_reachable(a->t->s, a->host, a->t->now), 0);
	snprintf(body, sizeof body, "{\"id\":\"%s\",\"status\":\"Disconnected\"}", guid);
	assert_int_equal(t_ctl(a->t, "/_sim/endpoint", body), 200);
	assert_int_equal(put_pe(a, "pe1"), 200); /* an update keeps the override */
	advance(a, 1500);
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Disconnected");
	assert_int_equal(t_ctl(a->t, "/_sim/endpoint", "{\"name\":\"pe1\",\"status\":null}"), 200);
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(conn_status(a), "Approved");
	assert_int_equal(t_ctl(a->t, "/_sim/endpoint", "{\"name\":\"zzz\",\"status\":null}"), 404);
	assert_int_equal(
	    t_ctl(a->t, "/_sim/endpoint", "{\"name\":\"pe1\",\"status\":\"Approved\"}"), 400);
}

static void test_unknown_alias_fails_the_operation_or_400_when_switched(void **state)
{
	struct az *a = *state;
	const char *bogus = "production-westus3-0-0.00000000-0000-4000-8000-000000000000.westus3."
	                    "azure.privatelinkservice";
	assert_int_equal(arm(a, "PUT", u(a, "%s/privateEndpoints/bad" NETV, a->rg),
	                     pe_body(a, "westus3", a->subnet, bogus)),
	                 201);
	char opurl[512];
	snprintf(opurl, sizeof opurl, "%s",
	         t_hdr(a->t, "Azure-AsyncOperation") + strlen("http://127.0.0.1:8123"));
	advance(a, 1500);
	assert_int_equal(arm(a, "GET", opurl, NULL), 200);
	assert_string_equal(t_str(a->t, "status"), "Failed");
	assert_string_equal(t_str(a->t, "error.code"), "PrivateLinkServiceNotFound");
	assert_int_equal(get_pe(a, "bad"), 200);
	assert_string_equal(t_str(a->t, "properties.provisioningState"), "Failed");
	assert_int_equal(t_ctl(a->t, "/_sim/faults", "{\"unknown_alias\":\"sync\"}"), 200);
	assert_int_equal(arm(a, "PUT", u(a, "%s/privateEndpoints/bad2" NETV, a->rg),
	                     pe_body(a, "westus3", a->subnet, bogus)),
	                 400);
	assert_string_equal(t_str(a->t, "error.code"), "PrivateLinkServiceNotFound");
}

static void test_missing_or_other_region_subnet_is_invalid_resource_reference(void **state)
{
	struct az *a = *state;
	char nosub[300];
	snprintf(nosub, sizeof nosub, "%s/virtualNetworks/vnet-app/subnets/nope", a->rg);
	assert_int_equal(arm(a, "PUT", u(a, "%s/privateEndpoints/x" NETV, a->rg),
	                     pe_body(a, "westus3", nosub, a->alias)),
	                 400);
	assert_string_equal(t_str(a->t, "error.code"), "InvalidResourceReference");
	char want[700];
	snprintf(want, sizeof want,
	         "Resource %s referenced by resource %s/privateEndpoints/x was not "
	         "found. Please make sure that the referenced resource exists, and that both "
	         "resources are in the same region.",
	         nosub, a->rg);
	assert_string_equal(t_str(a->t, "error.message"), want);
	assert_int_equal(arm(a, "PUT", u(a, "%s/privateEndpoints/x" NETV, a->rg),
	                     pe_body(a, "eastus2", a->subnet, a->alias)),
	                 400);
	assert_string_equal(t_str(a->t, "error.code"), "InvalidResourceReference");
	assert_int_equal(arm(a, "PUT", u(a, "%s/privateEndpoints/x" NETV, a->rg),
	                     pe_body(a, "West US 3", a->subnet, a->alias)),
	                 201);
	assert_string_equal(t_str(a->t, "location"), "westus3");
}

static void test_bad_pe_bodies_get_arm_errors(void **state)
{
	struct az *a = *state;
	char url[512];
	snprintf(url, sizeof url, "%s/privateEndpoints/x" NETV, a->rg);
	assert_int_equal(arm(a, "PUT", url, "{nope"), 400);
	assert_string_equal(t_str(a->t, "error.code"), "InvalidRequestContent");
	assert_int_equal(arm(a, "PUT", url, "{\"properties\":{}}"), 400);
	assert_string_equal(t_str(a->t, "error.code"), "LocationRequired");
	assert_int_equal(t_req(a->t, "PUT", url, "text/plain", a->bearer, "{}"), 415);
	assert_string_equal(t_str(a->t, "error.code"), "UnsupportedMediaType");
	snprintf(a->body, sizeof a->body,
	         "{\"location\":\"westus3\",\"properties\":{\"subnet\":{\"id\":\"%s\"}}}",
	         a->subnet);
	assert_int_equal(arm(a, "PUT", url, a->body), 400);
	assert_string_equal(t_str(a->t, "error.code"), "InvalidRequestFormat");
}

static void test_put_existing_updates_with_200_and_if_none_match_star_is_412(void **state)
{
	struct az *a = *state;
	char guid[64];
	assert_int_equal(put_pe(a, "pe1"), 201);
	snprintf(guid, sizeof guid, "%s", t_str(a->t, "properties.resourceGuid"));
	assert_int_equal(put_pe(a, "pe1"), 200);
	assert_string_equal(t_str(a->t, "properties.resourceGuid"), guid);
	a->t->xh_name = "If-None-Match";
	a->t->xh_value = "*";
	assert_int_equal(put_pe(a, "pe1"), 412);
	assert_string_equal(t_str(a->t, "error.code"), "PreconditionFailed");
}

static void test_delete_is_202_then_the_pe_and_its_nic_are_gone(void **state)
{
	struct az *a = *state;
	char nic[400], loc[512];
	assert_int_equal(put_pe(a, "pe1"), 201);
	snprintf(nic, sizeof nic, "%s" NETV, t_str(a->t, "properties.networkInterfaces.0.id"));
	advance(a, 1500);
	assert_int_equal(arm(a, "DELETE", u(a, "%s/privateEndpoints/pe1" NETV, a->rg), NULL), 202);
	assert_non_null(t_hdr(a->t, "Azure-AsyncOperation"));
	snprintf(loc, sizeof loc, "%s", t_hdr(a->t, "Location") + strlen("http://127.0.0.1:8123"));
	assert_non_null(strstr(loc, "/operationResults/"));
	assert_int_equal(arm(a, "GET", loc, NULL), 202);
	assert_int_equal(get_pe(a, "pe1"), 200);
	assert_string_equal(t_str(a->t, "properties.provisioningState"), "Deleting");
	advance(a, 1500);
	assert_int_equal(arm(a, "GET", loc, NULL), 204);
	assert_int_equal(get_pe(a, "pe1"), 404);
	assert_int_equal(arm(a, "GET", nic, NULL), 404);
	assert_int_equal(arm(a, "DELETE", u(a, "%s/privateEndpoints/pe1" NETV, a->rg), NULL), 204);
}

static void test_lists_page_with_next_link(void **state)
{
	struct az *a = *state;
	assert_int_equal(t_ctl(a->t, "/_sim/faults", "{\"page_size\":2}"), 200);
	for (int i = 0; i < 3; i++) {
		char n[8];
		snprintf(n, sizeof n, "p%d", i);
		assert_true(put_pe(a, n) == 201);
	}
	assert_int_equal(
	    arm(a, "GET",
	        u(a, "/subscriptions/%s/providers/Microsoft.Network/privateEndpoints" NETV, a->sub),
	        NULL),
	    200);
	assert_int_equal(cJSON_GetArraySize(t_at(a->t->j, "value")), 2);
	const char *next = t_str(a->t, "nextLink");
	assert_non_null(next);
	assert_true(strncmp(next, "http://127.0.0.1:8123/subscriptions/", 36) == 0);
	char nurl[600];
	snprintf(nurl, sizeof nurl, "%s", next + strlen("http://127.0.0.1:8123"));
	assert_int_equal(arm(a, "GET", nurl, NULL), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(a->t->j, "value")), 1);
	assert_string_equal(t_str(a->t, "value.0.name"), "p2");
	assert_null(t_at(a->t->j, "nextLink"));
	assert_int_equal(arm(a, "GET", u(a, "%s/privateEndpoints" NETV, a->rg), NULL), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(a->t->j, "value")), 2);
}

static void test_arm_throttle_fault_answers_429_with_retry_after(void **state)
{
	struct az *a = *state;
	assert_int_equal(t_ctl(a->t, "/_sim/faults", "{\"arm_throttle\":1,\"retry_after_s\":7}"),
	                 200);
	assert_int_equal(get_pe(a, "x"), 429);
	assert_string_equal(t_str(a->t, "error.code"), "SubscriptionRequestsThrottled");
	assert_string_equal(t_hdr(a->t, "Retry-After"), "7");
	assert_int_equal(get_pe(a, "x"), 404);
}

/* The official example bodies, re-pointed at this world's subnet, are accepted. */
static cJSON *example_params(const char *file, struct az *a, int keep_pls)
{
	char *txt = t_fixture(file);
	assert_non_null(txt);
	cJSON *ex = cJSON_Parse(txt);
	free(txt);
	cJSON *body = cJSON_DetachItemFromObject(t_at(ex, "parameters"), "parameters");
	cJSON_Delete(ex);
	cJSON_ReplaceItemInObject(body, "location", cJSON_CreateString("westus3"));
	cJSON_ReplaceItemInObject(t_at(body, "properties.subnet"), "id",
	                          cJSON_CreateString(a->subnet));
	if (!keep_pls) {
		cJSON *props = t_at(body, "properties");
		cJSON *conns = cJSON_GetObjectItem(props, "privateLinkServiceConnections");
		if (!conns)
			conns = cJSON_GetObjectItem(props, "manualPrivateLinkServiceConnections");
		cJSON_ReplaceItemInObject(t_at(conns, "0.properties"), "privateLinkServiceId",
		                          cJSON_CreateString(a->alias));
	}
	return body;
}

static void check_example_fields(struct az *a, const char *file, const char *resp)
{
	char *txt = t_fixture(file), first[300] = "";
	cJSON *ex = cJSON_Parse(txt);
	free(txt);
	char path[64];
	snprintf(path, sizeof path, "responses.%s.body", resp);
	int missing = t_missing_paths(t_at(ex, path), a->t->j, file, NULL, first, sizeof first);
	if (missing)
		print_error("missing in our answer: %s\n", first);
	assert_int_equal(missing, 0);
	cJSON_Delete(ex);
}

static void test_official_example_pe_bodies_are_accepted_and_answers_have_their_fields(void **state)
{
	struct az *a = *state;
	static const char *const files[] = {"azure/PrivateEndpointCreate.json",
	                                    "azure/PrivateEndpointCreateForManualApproval.json"};
	for (size_t i = 0; i < 2; i++) {
		char name[16], *txt;
		snprintf(name, sizeof name, "ex%zu", i);
		cJSON *body = example_params(files[i], a, 0);
		txt = cJSON_PrintUnformatted(body);
		assert_int_equal(
		    arm(a, "PUT", u(a, "%s/privateEndpoints/%s" NETV, a->rg, name), txt), 201);
		check_example_fields(a, files[i],
		                     i ? "200" : "201"); /* ForManualApproval 201 shows an auto
		                                            connection (fact sheet quirk) */
		free(txt);
		cJSON_Delete(body);
		advance(a, 1500);
		assert_int_equal(get_pe(a, name), 200);
		check_example_fields(a, files[i], "200");
		check_example_fields(a,
		                     i ? "azure/PrivateEndpointGetForManualApproval.json"
		                       : "azure/PrivateEndpointGet.json",
		                     "200");
		/* the NIC answers carry the NetworkInterfaceGet fields a PE's NIC can have */
		char nic[400], first[300] = "";
		snprintf(nic, sizeof nic, "%s" NETV,
		         t_str(a->t, "properties.networkInterfaces.0.id"));
		assert_int_equal(arm(a, "GET", nic, NULL), 200);
		txt = t_fixture("azure/NetworkInterfaceGet.json");
		cJSON *ex = cJSON_Parse(txt);
		static const char *const not_on_pe_nic[] = {
		    "publicIPAddress", "networkSecurityGroup", "virtualMachine",
		    "dscpConfiguration", NULL};
		int miss = t_missing_paths(t_at(ex, "responses.200.body"), a->t->j, "nic",
		                           not_on_pe_nic, first, sizeof first);
		if (miss)
			print_error("missing in our NIC: %s\n", first);
		assert_int_equal(miss, 0);
		cJSON_Delete(ex);
		free(txt);
	}
	/* verbatim Private Link Service resource ids are accepted too */
	cJSON *body = example_params("azure/PrivateEndpointCreate.json", a, 1);
	char *txt = cJSON_PrintUnformatted(body);
	assert_int_equal(arm(a, "PUT", u(a, "%s/privateEndpoints/verbatim" NETV, a->rg), txt), 201);
	advance(a, 1500);
	assert_int_equal(get_pe(a, "verbatim"), 200);
	assert_string_equal(t_str(a->t, "properties.privateLinkServiceConnections.0.properties."
	                                "privateLinkServiceConnectionState.status"),
	                    "Approved");
	free(txt);
	cJSON_Delete(body);
}

static void test_alias_visibility_check_follows_the_official_example(void **state)
{
	struct az *a = *state;
	char *txt = t_fixture("azure/CheckPrivateLinkServiceVisibility.json");
	cJSON *ex = cJSON_Parse(txt);
	char *body = cJSON_PrintUnformatted(t_at(ex, "parameters.parameters"));
	char url[300];
	snprintf(url, sizeof url,
	         "/subscriptions/%s/providers/Microsoft.Network/locations/westus3/"
	         "checkPrivateLinkServiceVisibility" NETV,
	         a->sub);
	assert_int_equal(arm(a, "POST", url, body), 200); /* the example's alias is not ours */
	assert_true(cJSON_IsFalse(t_at(a->t->j, "visible")));
	snprintf(a->body, sizeof a->body, "{\"privateLinkServiceAlias\":\"%s\"}", a->alias);
	assert_int_equal(arm(a, "POST", url, a->body), 200);
	assert_true(cJSON_IsTrue(t_at(a->t->j, "visible")));
	snprintf(url, sizeof url, "%s/locations/westus3/checkPrivateLinkServiceVisibility" NETV,
	         a->rg);
	assert_int_equal(arm(a, "POST", url, a->body), 200);
	assert_true(cJSON_IsTrue(t_at(a->t->j, "visible")));
	free(body);
	free(txt);
	cJSON_Delete(ex);
}

static void test_cross_region_alias_works_but_a_stopped_service_is_unreachable(void **state)
{
	struct az *a = *state;
	char alias[200], host[200], guid[64];
	ch(a, "GET", "/services/a1b2c3d4-0006-4000-8000-000000000006/privateEndpointConfig", NULL);
	snprintf(alias, sizeof alias, "%s", t_str(a->t, "result.endpointServiceId"));
	snprintf(host, sizeof host, "%s", t_str(a->t, "result.privateDnsHostname"));
	assert_non_null(strstr(alias, ".centralus."));
	assert_int_equal(arm(a, "PUT", u(a, "%s/privateEndpoints/pe-central" NETV, a->rg),
	                     pe_body(a, "westus3", a->subnet, alias)),
	                 201);
	snprintf(guid, sizeof guid, "%s", t_str(a->t, "properties.resourceGuid"));
	advance(a, 1500);
	allowlist(a, "a1b2c3d4-0006-4000-8000-000000000006", guid, "add");
	assert_int_equal(get_pe(a, "pe-central"), 200);
	assert_string_equal(conn_status(a), "Approved");
	assert_int_equal(sim_private_reachable(a->t->s, host, a->t->now), 0); /* state: stopped */
	assert_int_equal(sim_private_reachable(a->t->s, "nobody.example", a->t->now), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_arm_without_or_with_bad_token_is_401),
	    T(test_token_of_another_tenant_is_401_invalid_tenant),
	    T(test_subscription_not_granted_is_403_authorization_failed),
	    T(test_api_version_is_required_and_checked_per_provider),
	    T(test_pickers_list_resource_groups_vnets_and_subnets),
	    T(test_unknown_things_404_and_wrong_methods_405_with_error_bodies),
	    T(test_pe_create_is_long_running_updating_then_succeeded),
	    T(test_nic_gets_the_next_free_address_of_the_subnet),
	    T(test_pending_until_resource_guid_is_allowlisted_then_approved),
	    T(test_resource_id_approves_case_insensitively),
	    T(test_approval_delay_keeps_pending_until_it_passes),
	    T(test_rejected_and_disconnected_overrides_are_sticky),
	    T(test_unknown_alias_fails_the_operation_or_400_when_switched),
	    T(test_missing_or_other_region_subnet_is_invalid_resource_reference),
	    T(test_bad_pe_bodies_get_arm_errors),
	    T(test_put_existing_updates_with_200_and_if_none_match_star_is_412),
	    T(test_delete_is_202_then_the_pe_and_its_nic_are_gone),
	    T(test_lists_page_with_next_link),
	    T(test_arm_throttle_fault_answers_429_with_retry_after),
	    T(test_official_example_pe_bodies_are_accepted_and_answers_have_their_fields),
	    T(test_alias_visibility_check_follows_the_official_example),
	    T(test_cross_region_alias_works_but_a_stopped_service_is_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
