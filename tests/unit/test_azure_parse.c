/* test_azure_parse: the ARM parsers accept the official example bodies, quirks included. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>
#include "az_fixture.h"
#include "azure.h"
#include "azure_int.h"

static struct az_pe *pe_from(const char *file, const char *code)
{
	char *b = az_fixture(file, code);
	struct az_pe *p = xcalloc(1, sizeof(*p));
	struct err e;
	assert_non_null(b);
	if (az_parse_pe(b, strlen(b), p, &e) < 0)
		fail_msg("%s %s: %s", file, code, e.msg);
	free(b);
	return p;
}

static void test_pe_get_example_auto_approved(void **state)
{
	struct az_pe *p = pe_from("PrivateEndpointGet.json", "200");
	assert_string_equal(p->name, "testPe");
	assert_string_equal(p->resource_group, "rg1");
	assert_string_equal(p->location, "eastus");
	assert_string_equal(p->provisioning_state, "Succeeded");
	assert_int_equal(p->manual, 0); /* manual array is empty: the automatic one is used */
	assert_int_equal(p->conn, AZ_CONN_APPROVED);
	assert_string_equal(p->conn_description, "Auto-approved");
	/* the /provders/ typo is kept as data, not rejected */
	assert_string_equal(p->nic_id, "/subscriptions/subId/resourceGroups/rg1/provders/"
	                               "Microsoft.Network/networkInterfaces/testPe.nic.abcd1234");
	assert_string_equal(p->subnet_id,
	                    "/subscriptions/subId/resourceGroups/rg1/providers/"
	                    "Microsoft.Network/virtualNetworks/myVnet/subnets/mySubnet");
	assert_null(p->resource_guid); /* not in the swagger examples */
	az_pe_free(p);
}

static void test_pe_manual_approval_pending(void **state)
{
	struct az_pe *p = pe_from("PrivateEndpointGetForManualApproval.json", "200");
	assert_int_equal(p->manual, 1);
	assert_int_equal(p->conn, AZ_CONN_PENDING);
	assert_string_equal(p->conn_status, "Pending");
	assert_string_equal(p->conn_description, "Awaiting approval");
	az_pe_free(p);
}

static void test_pe_create_examples_201_already_succeeded(void **state)
{
	struct az_pe *p = pe_from("PrivateEndpointCreate.json", "201");
	assert_string_equal(p->provisioning_state, "Succeeded");
	az_pe_free(p);
	/* the ForManualApproval 201 shows an auto-approved automatic connection */
	p = pe_from("PrivateEndpointCreateForManualApproval.json", "201");
	assert_int_equal(p->manual, 0);
	assert_int_equal(p->conn, AZ_CONN_APPROVED);
	az_pe_free(p);
	p = pe_from("PrivateEndpointCreateForManualApproval.json", "200");
	assert_int_equal(p->manual, 1);
	assert_int_equal(p->conn, AZ_CONN_PENDING);
	az_pe_free(p);
}

static void test_pe_resource_guid_from_raw_json(void **state)
{
	const char *b =
	    "{\"id\":\"/subscriptions/s/RESOURCEGROUPS/My-RG/providers/x/pe\",\"name\":\"pe\","
	    "\"properties\":{\"resourceGuid\":\"1234-abcd\",\"provisioningState\":\"Updating\","
	    "\"manualPrivateLinkServiceConnections\":[{\"properties\":{\"privateLinkServiceId\":"
	    "\"prod.guid.westus3.azure.privatelinkservice\"}}]}}";
	struct az_pe p;
	struct err e;
	assert_int_equal(az_parse_pe(b, strlen(b), &p, &e), 0);
	assert_string_equal(p.resource_guid, "1234-abcd");
	assert_string_equal(p.resource_group, "My-RG");
	assert_string_equal(p.alias, "prod.guid.westus3.azure.privatelinkservice");
	assert_int_equal(p.conn, AZ_CONN_NONE); /* no state yet */
	assert_null(p.nic_id);
	az_pe_clear(&p);
}

static void test_pe_wrong_types_name_the_path(void **state)
{
	static const struct {
		const char *body, *msg;
	} c[] = {
	    {"{\"id\":\"i\",\"name\":\"n\",\"properties\":{\"manualPrivateLinkServiceConnections\":"
	     "[{\"properties\":{\"privateLinkServiceConnectionState\":{\"status\":5}}}]}}",
	     "properties.manualPrivateLinkServiceConnections[0].properties."
	     "privateLinkServiceConnectionState.status: expected a string"},
	    {"{\"id\":\"i\",\"name\":\"n\"}", "properties: missing"},
	    {"{\"id\":7,\"name\":\"n\",\"properties\":{}}", "id: expected a string"},
	    {"{\"id\":\"i\",\"name\":\"n\",\"properties\":{\"networkInterfaces\":[\"x\"]}}",
	     "properties.networkInterfaces[0]: expected an object"},
	    {"{\"id\":\"i\",\"name\":\"n\",\"properties\":{\"subnet\":[]}}",
	     "properties.subnet: expected an object"},
	    {"[]", "Azure: the answer is not a JSON object"},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct az_pe p;
		struct err e;
		err_clear(&e);
		assert_int_equal(az_parse_pe(c[i].body, strlen(c[i].body), &p, &e), -1);
		assert_string_equal(e.msg, c[i].msg);
		assert_null(p.id);
	}
}

static void test_nic_example_and_prefix_form(void **state)
{
	char *b = az_fixture("NetworkInterfaceGet.json", "200");
	struct az_nic n;
	struct err e;
	cJSON *j;
	assert_int_equal(az_parse_nic(b, strlen(b), &n, &e), 0);
	assert_string_equal(n.private_ip, "172.20.2.4");
	free(n.id);
	free(n.private_ip);
	/* put ipconfig2 ("172.20.2.16/28") first: the prefix is stripped */
	j = cJSON_Parse(b);
	{
		cJSON *arr =
		    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "properties"), "ipConfigurations");
		cJSON *first = cJSON_DetachItemFromArray(arr, 0);
		cJSON_AddItemToArray(arr, first);
	}
	free(b);
	b = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	assert_int_equal(az_parse_nic(b, strlen(b), &n, &e), 0);
	assert_string_equal(n.private_ip, "172.20.2.16");
	free(n.id);
	free(n.private_ip);
	free(b);
	b = "{\"id\":\"x\",\"properties\":{\"ipConfigurations\":[]}}";
	assert_int_equal(az_parse_nic(b, strlen(b), &n, &e), -1);
}

static void test_dns_examples(void **state)
{
	char *z = az_fixture("PrivateZonePut.json", "201"),
	     *r = az_fixture("RecordSetAPut.json", "201");
	char *k = az_fixture("VirtualNetworkLinkPut.json", "200");
	struct az_zone zone;
	struct az_record rec;
	struct az_link link;
	struct err e;
	assert_int_equal(az_parse_zone(z, strlen(z), &zone, &e), 0);
	assert_string_equal(zone.name, "privatezone1.com");
	assert_string_equal(zone.provisioning_state, "Succeeded");
	assert_int_equal(zone.n_records, 1);
	assert_int_equal(zone.n_links, 0);
	assert_int_equal(az_parse_record(r, strlen(r), &rec, &e), 0);
	assert_string_equal(rec.name, "recorda");
	assert_string_equal(rec.fqdn, "recorda.privatezone1.com.");
	assert_int_equal(rec.ttl, 3600);
	assert_int_equal(rec.n_ips, 1);
	assert_string_equal(rec.ips[0], "1.2.3.4");
	assert_int_equal(az_parse_link(k, strlen(k), &link, &e), 0);
	assert_string_equal(link.link_state, "Completed");
	assert_int_equal(link.registration_enabled, 0);
	assert_non_null(strstr(link.vnet_id, "/virtualNetworks/virtualNetworkName"));
	free(zone.id);
	free(zone.name);
	free(zone.provisioning_state);
	{
		struct az_record *hr = xmalloc(sizeof(*hr));
		struct az_link *hk = xmalloc(sizeof(*hk));
		*hr = rec;
		*hk = link;
		az_record_free(hr);
		az_link_free(hk);
	}
	free(z);
	free(r);
	free(k);
	/* the 202 examples have no body */
	assert_null(az_fixture("PrivateZonePut.json", "202"));
}

static void test_errors_all_shapes(void **state)
{
	char out[256];
	const char *wrapped =
	    "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client "
	    "'x' does not have authorization\",\"details\":[]}}";
	const char *plain = "{\"code\":\"InvalidResourceReference\",\"message\":\"Resource /s was "
	                    "not found.\"}";
	const char *entra =
	    "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
	    "Invalid client secret provided.\\r\\nTrace ID: t\\r\\nCorrelation ID: c\","
	    "\"error_codes\":[7000215]}";
	const char *op =
	    "{\"status\":\"Failed\",\"error\":{\"code\":\"InvalidResponseFromPrivateLink"
	    "Service\",\"message\":\"m\"}}";
	assert_int_equal(az_parse_error(wrapped, strlen(wrapped), out, sizeof(out)), 0);
	assert_string_equal(out, "AuthorizationFailed: The client 'x' does not have authorization");
	assert_int_equal(az_parse_error(plain, strlen(plain), out, sizeof(out)), 0);
	assert_string_equal(out, "InvalidResourceReference: Resource /s was not found.");
	assert_int_equal(az_parse_error(entra, strlen(entra), out, sizeof(out)), 0);
	assert_string_equal(out, "invalid_client: AADSTS7000215: Invalid client secret provided.");
	assert_int_equal(az_parse_error(op, strlen(op), out, sizeof(out)), 0);
	assert_string_equal(out, "InvalidResponseFromPrivateLinkService: m");
	assert_int_equal(az_parse_error("<html>", 6, out, sizeof(out)), -1);
	{
		const char *longmsg = "{\"error\":{\"code\":\"C\",\"message\":\"xxxxxxxxxxxx\"}}";
		assert_int_equal(az_parse_error(longmsg, strlen(longmsg), out, 8), 0);
	}
	assert_string_equal(out, "C: xxxx");
}

static void test_ids_and_status_words(void **state)
{
	char *g = az_id_resource_group("/subscriptions/s/resourcegroups/rg-A/provders/x");
	assert_string_equal(g, "rg-A");
	free(g);
	assert_null(az_id_resource_group("/subscriptions/s/providers/x"));
	assert_null(az_id_resource_group("/subscriptions/s/resourceGroups/"));
	assert_null(az_id_resource_group(NULL));
	assert_int_equal(az_conn_from_string("approved"), AZ_CONN_APPROVED);
	assert_int_equal(az_conn_from_string("Disconnected"), AZ_CONN_DISCONNECTED);
	assert_int_equal(az_conn_from_string("Removed"), AZ_CONN_OTHER);
	assert_int_equal(az_conn_from_string(NULL), AZ_CONN_NONE);
}

static void test_list_pages(void **state)
{
	const char *page =
	    "{\"value\":[{\"id\":\"/subscriptions/s/resourceGroups/rg/providers/"
	    "Microsoft.Network/virtualNetworks/v\",\"name\":\"v\",\"location\":\"westus3\","
	    "\"properties\":{\"subnets\":[{\"id\":\"sid\",\"name\":\"default\","
	    "\"properties\":{\"addressPrefix\":\"10.0.1.0/24\"}}]}}],\"nextLink\":\"N\"}";
	const char *bad = "{\"value\":[{\"id\":\"x\",\"name\":\"v\",\"properties\":{\"subnets\":"
	                  "[{\"id\":\"sid\"}]}}]}";
	struct az_vnet_list *l = xcalloc(1, sizeof(*l));
	char *next;
	struct err e;
	assert_int_equal(az_parse_vnet_page(page, strlen(page), l, &next, &e), 0);
	assert_string_equal(next, "N");
	free(next);
	assert_int_equal(az_parse_vnet_page(page, strlen(page), l, &next, &e), 0);
	free(next);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->v[1].resource_group, "rg");
	assert_string_equal(l->v[1].subnets[0].prefix, "10.0.1.0/24");
	assert_int_equal(az_parse_vnet_page(bad, strlen(bad), l, &next, &e), -1);
	assert_string_equal(e.msg, "value[0].properties.subnets[0].name: missing");
	assert_int_equal(l->n, 2);
	az_vnet_list_free(l);
}

/* ---- conformance: the official bodies varied in the ways azure-arm.md documents ---- */

/* The manual-approval GET example with `edit` applied to it (a cJSON tree), parsed. */
static int pe_variant(void (*edit)(cJSON *root, cJSON *props, const void *arg), const void *arg,
                      struct az_pe *p, struct err *e)
{
	char *b = az_fixture("PrivateEndpointGetForManualApproval.json", "200"), *v;
	cJSON *j = cJSON_Parse(b);
	int rc;
	assert_non_null(j);
	edit(j, cJSON_GetObjectItem(j, "properties"), arg);
	v = cJSON_PrintUnformatted(j);
	rc = az_parse_pe(v, strlen(v), p, e);
	cJSON_Delete(j);
	free(b);
	free(v);
	return rc;
}

static cJSON *conn_state(cJSON *props)
{
	cJSON *c = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(props, "manualPrivateLinkServiceConnections"), 0);
	return cJSON_GetObjectItem(cJSON_GetObjectItem(c, "properties"),
	                           "privateLinkServiceConnectionState");
}

static void set_status(cJSON *root, cJSON *props, const void *arg)
{
	(void)root;
	cJSON_ReplaceItemInObject(conn_state(props), "status", cJSON_CreateString(arg));
}

/* Every documented connection status, in any case, and an undocumented one. */
static void test_pe_every_connection_status(void **state)
{
	static const struct {
		const char *word;
		enum az_conn_status st;
	} c[] = {{"Pending", AZ_CONN_PENDING},   {"Approved", AZ_CONN_APPROVED},
	         {"Rejected", AZ_CONN_REJECTED}, {"Disconnected", AZ_CONN_DISCONNECTED},
	         {"APPROVED", AZ_CONN_APPROVED}, {"Removed", AZ_CONN_OTHER}};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct az_pe p;
		struct err e;
		assert_int_equal(pe_variant(set_status, c[i].word, &p, &e), 0);
		assert_int_equal(p.conn, c[i].st);
		assert_string_equal(p.conn_status, c[i].word);
		assert_int_equal(p.manual, 1);
		az_pe_clear(&p);
	}
}

static void drop_optional(cJSON *root, cJSON *props, const void *arg)
{
	static const char *const keys[] = {"provisioningState",
	                                   "customDnsConfigs",
	                                   "ipConfigurations",
	                                   "networkInterfaces",
	                                   "privateLinkServiceConnections",
	                                   "applicationSecurityGroups",
	                                   "customNetworkInterfaceName"};
	(void)arg;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cJSON_DeleteItemFromObject(props, keys[i]);
	cJSON_DeleteItemFromObject(root, "location");
	cJSON_DeleteItemFromObject(root, "type");
	cJSON_DeleteItemFromObject(conn_state(props), "description");
}

/* Reverse every object's members (field order must not matter) and add unknown ones. */
static void reverse_all(cJSON *o)
{
	cJSON *kids = NULL, *it;
	if (!cJSON_IsObject(o) && !cJSON_IsArray(o))
		return;
	while ((it = o->child) != NULL) {
		cJSON_DetachItemViaPointer(o, it);
		it->next = kids;
		it->prev = NULL;
		kids = it;
	}
	while ((it = kids) != NULL) {
		kids = it->next;
		it->next = it->prev = NULL;
		reverse_all(it);
		if (cJSON_IsObject(o))
			cJSON_AddItemToObject(o, it->string, it);
		else
			cJSON_AddItemToArray(o, it);
	}
	if (cJSON_IsObject(o))
		cJSON_AddItemToObject(o, "zzFutureField", cJSON_CreateNumber(1e300));
}

static void reorder_and_extend(cJSON *root, cJSON *props, const void *arg)
{
	(void)props;
	(void)arg;
	reverse_all(root);
	cJSON_AddItemToObject(root, "extendedLocation", cJSON_CreateObject());
}

static void lower_case_state(cJSON *root, cJSON *props, const void *arg)
{
	(void)root;
	(void)arg;
	cJSON_ReplaceItemInObject(props, "provisioningState", cJSON_CreateString("updating"));
	cJSON_DeleteItemFromObject(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(props, "manualPrivateLinkServiceConnections"),
	                       0),
	    "properties");
}

static void test_pe_absent_optional_reordered_and_unknown_fields(void **state)
{
	struct az_pe p;
	struct err e;
	err_clear(&e);
	/* ARM: no provisioningState means the operation finished and succeeded */
	assert_int_equal(pe_variant(drop_optional, NULL, &p, &e), 0);
	assert_string_equal(p.provisioning_state, "Succeeded");
	assert_null(p.nic_id);
	assert_null(p.location);
	assert_null(p.conn_description);
	assert_int_equal(p.conn, AZ_CONN_PENDING);
	az_pe_clear(&p);
	assert_int_equal(pe_variant(reorder_and_extend, NULL, &p, &e), 0);
	assert_string_equal(p.provisioning_state, "Succeeded");
	assert_int_equal(p.manual, 1);
	assert_int_equal(p.conn, AZ_CONN_PENDING);
	assert_string_equal(p.nic_id, "/subscriptions/subId/resourceGroups/rg1/provders/"
	                              "Microsoft.Network/networkInterfaces/testPe.nic.abcd1234");
	az_pe_clear(&p);
	/* documented words get their documented spelling; a connection without properties is
	 * one whose state is not known yet */
	assert_int_equal(pe_variant(lower_case_state, NULL, &p, &e), 0);
	assert_string_equal(p.provisioning_state, "Updating");
	assert_int_equal(p.conn, AZ_CONN_NONE);
	assert_int_equal(p.manual, 1);
	az_pe_clear(&p);
}

static void test_nic_address_on_a_later_configuration(void **state)
{
	const char *later =
	    "{\"id\":\"n\",\"properties\":{\"ipConfigurations\":[{\"name\":\"a\","
	    "\"properties\":{\"privateIPAddress\":null}},{\"name\":\"b\"},{\"name\":"
	    "\"c\",\"properties\":{\"privateIPAddress\":\"10.0.1.4\"}}]}}";
	const char *none = "{\"id\":\"n\",\"properties\":{\"ipConfigurations\":[{\"name\":\"a\","
	                   "\"properties\":{\"privateIPAddress\":\"\"}}]}}";
	const char *bad = "{\"id\":\"n\",\"properties\":{\"ipConfigurations\":[{\"properties\":"
	                  "{\"privateIPAddress\":4}}]}}";
	struct az_nic n;
	struct err e;
	assert_int_equal(az_parse_nic(later, strlen(later), &n, &e), 0);
	assert_string_equal(n.private_ip, "10.0.1.4");
	free(n.id);
	free(n.private_ip);
	assert_int_equal(az_parse_nic(none, strlen(none), &n, &e), -1);
	assert_null(n.private_ip);
	assert_int_equal(az_parse_nic(bad, strlen(bad), &n, &e), -1);
	assert_string_equal(
	    e.msg, "properties.ipConfigurations[0].properties.privateIPAddress: expected a "
	           "string");
}

static void test_token_and_page_number_forms(void **state)
{
	const char *v1 = "{\"token_type\":\"Bearer\",\"expires_in\":\"3599\",\"ext_expires_in\":"
	                 "\"3599\",\"access_token\":\"tok\"}";
	const char *empty = "{\"nextLink\":null}";
	char *tok = NULL, *next = (char *)"x";
	long long exp = 0, now = (long long)time(NULL);
	struct az_rg_list *l = xcalloc(1, sizeof(*l));
	struct err e;
	assert_int_equal(az_parse_token(v1, strlen(v1), &tok, &exp, &e), 0);
	assert_string_equal(tok, "tok");
	assert_true(exp >= now + 3500 && exp <= now + 3700);
	free(tok);
	assert_int_equal(az_parse_rg_page(empty, strlen(empty), l, &next, &e), 0);
	assert_null(next);
	assert_int_equal(l->n, 0);
	az_rg_list_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pe_get_example_auto_approved),
	    cmocka_unit_test(test_pe_manual_approval_pending),
	    cmocka_unit_test(test_pe_create_examples_201_already_succeeded),
	    cmocka_unit_test(test_pe_resource_guid_from_raw_json),
	    cmocka_unit_test(test_pe_wrong_types_name_the_path),
	    cmocka_unit_test(test_nic_example_and_prefix_form),
	    cmocka_unit_test(test_dns_examples),
	    cmocka_unit_test(test_errors_all_shapes),
	    cmocka_unit_test(test_ids_and_status_words),
	    cmocka_unit_test(test_list_pages),
	    cmocka_unit_test(test_pe_every_connection_status),
	    cmocka_unit_test(test_pe_absent_optional_reordered_and_unknown_fields),
	    cmocka_unit_test(test_nic_address_on_a_later_configuration),
	    cmocka_unit_test(test_token_and_page_number_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
