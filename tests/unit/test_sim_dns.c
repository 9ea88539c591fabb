/* test_sim_dns: simulated private DNS zones, A record sets, VNet links and the DNS answers. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "simtest.h"

#define DNSV "?api-version=2024-06-01"
#define ZONE "westus3.privatelink.azure.clickhouse.cloud"

struct dz {
	struct st *t;
	char *bearer;
	char rg[200], zone[300], vnet[300], url[1024];
};

static const char *u(struct dz *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *u(struct dz *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->url, sizeof d->url, fmt, ap);
	va_end(ap);
	return d->url;
}

static int setup(void **state)
{
	struct dz *d = xcalloc(1, sizeof *d);
	d->t = t_new(NULL, 5);
	d->bearer = t_bearer(d->t, "azure");
	const char *sub = t_id(d->t, "azure.subscription");
	snprintf(d->rg, sizeof d->rg,
	         "/subscriptions/%s/resourceGroups/rg-dns/providers/Microsoft.Network", sub);
	snprintf(d->zone, sizeof d->zone, "%s/privateDnsZones/" ZONE, d->rg);
	snprintf(d->vnet, sizeof d->vnet,
	         "/subscriptions/%s/resourceGroups/rg-app/providers/"
	         "Microsoft.Network/virtualNetworks/vnet-app",
	         sub);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dz *d = *state;
	t_free(d->t);
	free(d->bearer);
	free(d);
	return 0;
}

static int arm(struct dz *d, const char *method, const char *url, const char *body)
{
	return t_req(d->t, method, url, body ? "application/json" : NULL, d->bearer, body);
}

static int put_zone(struct dz *d)
{
	return arm(d, "PUT", u(d, "%s" DNSV, d->zone), "{\"location\":\"global\"}");
}

static int put_a(struct dz *d, const char *name, const char *ip)
{
	char body[200];
	snprintf(body, sizeof body,
	         "{\"properties\":{\"ttl\":300,\"aRecords\":[{\"ipv4Address\":\"%s\"}]}}", ip);
	return arm(d, "PUT", u(d, "%s/A/%s" DNSV, d->zone, name), body);
}

static int put_link(struct dz *d, const char *name, const char *vnet)
{
	char body[600];
	snprintf(body, sizeof body,
	         "{\"location\":\"global\",\"properties\":{\"virtualNetwork\":"
	         "{\"id\":\"%s\"},\"registrationEnabled\":false}}",
	         vnet);
	return arm(d, "PUT", u(d, "%s/virtualNetworkLinks/%s" DNSV, d->zone, name), body);
}

static const char *local(struct dz *d, const char *hdr)
{
	const char *v = t_hdr(d->t, hdr);
	return v ? v + strlen("http://127.0.0.1:8123") : "";
}

static void test_zone_put_is_long_running_with_dns_operation_urls(void **state)
{
	struct dz *d = *state;
	char st[600], res[600];
	assert_int_equal(put_zone(d), 201);
	assert_string_equal(t_str(d->t, "location"), "global");
	assert_string_equal(t_str(d->t, "name"), ZONE);
	assert_string_equal(t_str(d->t, "type"), "Microsoft.Network/privateDnsZones");
	assert_string_equal(t_str(d->t, "properties.provisioningState"), "Creating");
	snprintf(st, sizeof st, "%s", local(d, "Azure-AsyncOperation"));
	snprintf(res, sizeof res, "%s", local(d, "Location"));
	assert_non_null(strstr(
	    st, "/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsOperationStatuses/"));
	assert_non_null(strstr(res, "/privateDnsOperationResults/"));
	assert_non_null(t_hdr(d->t, "Retry-After"));
	assert_int_equal(arm(d, "GET", st, NULL), 200);
	assert_string_equal(t_str(d->t, "status"), "InProgress");
	assert_int_equal(arm(d, "GET", res, NULL), 202);
	d->t->now += 1500;
	assert_int_equal(arm(d, "GET", st, NULL), 200);
	assert_string_equal(t_str(d->t, "status"), "Succeeded");
	assert_int_equal(arm(d, "GET", res, NULL), 200);
	assert_string_equal(t_str(d->t, "properties.provisioningState"), "Succeeded");
	assert_int_equal(arm(d, "GET", u(d, "%s" DNSV, d->zone), NULL), 200);
	assert_int_equal(put_zone(d), 200);
	d->t->xh_name = "If-None-Match";
	d->t->xh_value = "*";
	assert_int_equal(put_zone(d), 412);
	assert_int_equal(arm(d, "PUT", u(d, "%s" DNSV, d->zone), "{\"location\":\"westus3\"}"),
	                 400);
	assert_int_equal(arm(d, "GET", u(d, "%s/privateDnsZones/nope.example" DNSV, d->rg), NULL),
	                 404);
	assert_string_equal(t_str(d->t, "error.code"), "ResourceNotFound");
}

static void test_wildcard_record_is_synchronous_literal_and_lowercased(void **state)
{
	struct dz *d = *state;
	assert_int_equal(put_zone(d), 201);
	assert_int_equal(put_a(d, "*", "10.0.1.4"), 201);
	assert_null(t_hdr(d->t, "Azure-AsyncOperation"));
	assert_string_equal(t_str(d->t, "name"), "*");
	assert_string_equal(t_str(d->t, "type"), "Microsoft.Network/privateDnsZones/A");
	assert_string_equal(t_str(d->t, "properties.fqdn"), "*." ZONE ".");
	assert_int_equal((int)cJSON_GetNumberValue(t_at(d->t->j, "properties.ttl")), 300);
	assert_string_equal(t_str(d->t, "properties.aRecords.0.ipv4Address"), "10.0.1.4");
	assert_int_equal(put_a(d, "%2A", "10.0.1.5"), 200); /* %2A is the same record */
	assert_int_equal(put_a(d, "MyHost", "10.0.1.6"), 201);
	assert_string_equal(t_str(d->t, "name"), "myhost");
	assert_int_equal(arm(d, "GET", u(d, "%s/A/myhost" DNSV, d->zone), NULL), 200);
	assert_int_equal(arm(d, "GET", u(d, "%s/A" DNSV, d->zone), NULL), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(d->t->j, "value")), 2);
	assert_int_equal(arm(d, "GET", u(d, "%s" DNSV, d->zone), NULL), 200);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(d->t->j, "properties.numberOfRecordSets")),
	                 3);
	assert_int_equal(put_a(d, "bad", "10.0.1.300"), 400);
	assert_int_equal(arm(d, "DELETE", u(d, "%s/A/myhost" DNSV, d->zone), NULL), 200);
	assert_int_equal(arm(d, "GET", u(d, "%s/A/myhost" DNSV, d->zone), NULL), 404);
	assert_int_equal(arm(d, "PUT", u(d, "%s/privateDnsZones/other.zone/A/x" DNSV, d->rg),
	                     "{\"properties\":{\"aRecords\":[]}}"),
	                 404);
	assert_string_equal(t_str(d->t, "error.code"), "ParentResourceNotFound");
}

static void test_dns_answers_only_once_the_zone_has_a_vnet_link(void **state)
{
	struct dz *d = *state;
	char ip[16];
	assert_int_equal(put_zone(d), 201);
	assert_int_equal(put_a(d, "*", "10.0.1.4"), 201);
	assert_int_equal(put_a(d, "exact", "10.0.1.9"), 201);
	assert_int_equal(sim_dns_lookup(d->t->s, "abc." ZONE, ip), 0);
	assert_int_equal(put_link(d, "link-app", d->vnet), 201);
	assert_string_equal(t_str(d->t, "properties.virtualNetworkLinkState"), "InProgress");
	assert_string_equal(t_str(d->t, "properties.virtualNetwork.id"), d->vnet);
	assert_int_equal(sim_dns_lookup(d->t->s, "ABC." ZONE ".", ip), 1);
	assert_string_equal(ip, "10.0.1.4");
	assert_int_equal(sim_dns_lookup(d->t->s, "exact." ZONE, ip), 1);
	assert_string_equal(ip, "10.0.1.9");
	assert_int_equal(
	    sim_dns_lookup(d->t->s, "abc.eastus2.privatelink.azure.clickhouse.cloud", ip), 0);
	assert_int_equal(sim_dns_lookup(d->t->s, ZONE, ip), 0);
	d->t->now += 1500;
	assert_int_equal(arm(d, "GET", u(d, "%s/virtualNetworkLinks/link-app" DNSV, d->zone), NULL),
	                 200);
	assert_string_equal(t_str(d->t, "properties.virtualNetworkLinkState"), "Completed");
	assert_string_equal(t_str(d->t, "properties.provisioningState"), "Succeeded");
	assert_int_equal(put_link(d, "second", d->vnet), 409);
	char *bad = xasprintf("%s-nope", d->vnet);
	assert_int_equal(put_link(d, "bad", bad), 400);
	free(bad);
}

static void test_zone_delete_is_refused_while_links_exist(void **state)
{
	struct dz *d = *state;
	char ip[16];
	assert_int_equal(put_zone(d), 201);
	assert_int_equal(put_a(d, "*", "10.0.1.4"), 201);
	assert_int_equal(put_link(d, "link-app", d->vnet), 201);
	assert_int_equal(arm(d, "DELETE", u(d, "%s" DNSV, d->zone), NULL), 409);
	assert_string_equal(t_str(d->t, "error.code"), "CannotDeleteResource");
	assert_int_equal(
	    arm(d, "DELETE", u(d, "%s/virtualNetworkLinks/link-app" DNSV, d->zone), NULL), 202);
	assert_non_null(t_hdr(d->t, "Location"));
	assert_int_equal(sim_dns_lookup(d->t->s, "x." ZONE, ip), 0);
	assert_int_equal(arm(d, "DELETE", u(d, "%s" DNSV, d->zone), NULL), 202);
	assert_int_equal(arm(d, "GET", u(d, "%s" DNSV, d->zone), NULL), 404);
	assert_int_equal(arm(d, "DELETE", u(d, "%s" DNSV, d->zone), NULL), 204);
	assert_int_equal(put_zone(d), 201); /* the old records went with the zone */
	assert_int_equal(arm(d, "GET", u(d, "%s/A/%%2A" DNSV, d->zone), NULL), 404);
}

static void test_zones_and_links_are_listed_per_group_and_subscription(void **state)
{
	struct dz *d = *state;
	assert_int_equal(put_zone(d), 201);
	assert_int_equal(put_link(d, "l1", d->vnet), 201);
	assert_int_equal(arm(d, "GET", u(d, "%s/privateDnsZones" DNSV, d->rg), NULL), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(d->t->j, "value")), 1);
	assert_int_equal(
	    arm(d, "GET",
	        u(d, "/subscriptions/%s/providers/Microsoft.Network/privateDnsZones" DNSV,
	          t_id(d->t, "azure.subscription")),
	        NULL),
	    200);
	assert_string_equal(t_str(d->t, "value.0.name"), ZONE);
	assert_int_equal(arm(d, "GET", u(d, "%s/virtualNetworkLinks" DNSV, d->zone), NULL), 200);
	assert_string_equal(t_str(d->t, "value.0.name"), "l1");
}

static cJSON *example(const char *file, const char *path)
{
	char *txt = t_fixture(file);
	assert_non_null(txt);
	cJSON *ex = cJSON_Parse(txt), *v = cJSON_Duplicate(t_at(ex, path), 1);
	free(txt);
	cJSON_Delete(ex);
	return v;
}

static void expect_fields(struct dz *d, const char *file, const char *resp)
{
	char path[64], first[300] = "";
	snprintf(path, sizeof path, "responses.%s.body", resp);
	cJSON *want = example(file, path);
	int miss = t_missing_paths(want, d->t->j, file, NULL, first, sizeof first);
	if (miss)
		print_error("missing in our answer: %s\n", first);
	assert_int_equal(miss, 0);
	cJSON_Delete(want);
}

static void test_official_dns_example_bodies_are_accepted_with_all_fields(void **state)
{
	struct dz *d = *state;
	cJSON *b = example("azure/PrivateZonePut.json", "parameters.parameters");
	char *txt = cJSON_PrintUnformatted(b);
	assert_int_equal(
	    arm(d, "PUT", u(d, "%s/privateDnsZones/privatezone1.com" DNSV, d->rg), txt), 201);
	expect_fields(d, "azure/PrivateZonePut.json", "201");
	assert_string_equal(t_str(d->t, "tags.key1"), "value1");
	assert_int_equal(
	    arm(d, "PUT", u(d, "%s/privateDnsZones/privatezone1.com" DNSV, d->rg), txt), 200);
	expect_fields(d, "azure/PrivateZonePut.json", "200");
	free(txt);
	cJSON_Delete(b);

	b = example("azure/RecordSetAPut.json", "parameters.parameters");
	txt = cJSON_PrintUnformatted(b);
	assert_int_equal(
	    arm(d, "PUT", u(d, "%s/privateDnsZones/privatezone1.com/A/recordA" DNSV, d->rg), txt),
	    201);
	expect_fields(d, "azure/RecordSetAPut.json", "201");
	assert_string_equal(t_str(d->t, "properties.fqdn"), "recorda.privatezone1.com.");
	assert_string_equal(t_str(d->t, "properties.metadata.key1"), "value1");
	assert_int_equal(
	    arm(d, "PUT", u(d, "%s/privateDnsZones/privatezone1.com/A/recordA" DNSV, d->rg), txt),
	    200);
	expect_fields(d, "azure/RecordSetAPut.json", "200");
	free(txt);
	cJSON_Delete(b);

	/* verbatim: its VNet is in a subscription this world does not know, which is accepted */
	b = example("azure/VirtualNetworkLinkPut.json", "parameters.parameters");
	txt = cJSON_PrintUnformatted(b);
	assert_int_equal(arm(d, "PUT",
	                     u(d,
	                       "%s/privateDnsZones/privatezone1.com/virtualNetworkLinks/"
	                       "virtualNetworkLink1" DNSV,
	                       d->rg),
	                     txt),
	                 201);
	expect_fields(d, "azure/VirtualNetworkLinkPut.json", "201");
	d->t->now += 1500;
	assert_int_equal(arm(d, "PUT",
	                     u(d,
	                       "%s/privateDnsZones/privatezone1.com/virtualNetworkLinks/"
	                       "virtualNetworkLink1" DNSV,
	                       d->rg),
	                     txt),
	                 200);
	expect_fields(d, "azure/VirtualNetworkLinkPut.json", "200");
	free(txt);
	cJSON_Delete(b);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_zone_put_is_long_running_with_dns_operation_urls),
	    T(test_wildcard_record_is_synchronous_literal_and_lowercased),
	    T(test_dns_answers_only_once_the_zone_has_a_vnet_link),
	    T(test_zone_delete_is_refused_while_links_exist),
	    T(test_zones_and_links_are_listed_per_group_and_subscription),
	    T(test_official_dns_example_bodies_are_accepted_with_all_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
