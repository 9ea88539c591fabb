/* test_export: Terraform and curl exports compared with golden files; no secret ever appears. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export.h"
#include "fsutil.h"
#include "xmalloc.h"

static const char *const ids[] = {"11111111-1111-1111-1111-111111111111"};
static const char *const names[] = {"prod-west"};

static struct export_values values(void)
{
	struct export_values v;

	memset(&v, 0, sizeof v);
	v.profile = "default";
	v.api_url = "https://api.clickhouse.cloud";
	v.arm_url = "https://management.azure.com";
	v.org_id = "0b7a2c1e-0000-4000-8000-00000000000a";
	v.region = "westus3";
	v.service_ids = ids;
	v.service_names = names;
	v.n_services = 1;
	v.alias = "production-westus3-0-0.63c890a9.westus3.azure.privatelinkservice";
	v.hostname = "abc123.westus3.privatelink.azure.clickhouse.cloud";
	v.subscription = "sub-1";
	v.resource_group = "rg1";
	v.location = "westus3";
	v.pe_name = "chlink-prod-west";
	v.vnet_id = "/subscriptions/sub-1/resourceGroups/rg1/providers/Microsoft.Network/"
	            "virtualNetworks/vnet1";
	v.subnet_id = "/subscriptions/sub-1/resourceGroups/rg1/providers/Microsoft.Network/"
	              "virtualNetworks/vnet1/subnets/default";
	v.pe_id = "/subscriptions/sub-1/resourceGroups/rg1/providers/Microsoft.Network/"
	          "privateEndpoints/chlink-prod-west";
	v.pe_guid = "aaaaaaaa-0000-4000-8000-000000000001";
	v.pe_ip = "10.0.0.4";
	return v;
}

static void golden(const char *name, const char *got)
{
	const char *src = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	char *path = xasprintf("%s/tests/golden/%s", src, name), *want = NULL;
	size_t len;
	struct err e;

	if (getenv(
	        "CHL_REGEN_GOLDEN")) /* maintainer: rewrite the golden file, then review the diff */
		assert_int_equal(fs_write_atomic(path, got, strlen(got), 0644, &e), 0);
	if (fs_read_all(path, 1 << 20, &want, &len, &e) < 0)
		fail_msg("cannot read %s: %s", path, e.msg);
	if (strcmp(want, got) != 0)
		fail_msg("%s differs; got:\n%s", name, got);
	free(want);
	free(path);
}

static void test_export_terraform_matches_golden(void **s)
{
	struct export_values v = values();
	char *tf = export_terraform(&v);

	(void)s;
	golden("export.tf", tf);
	assert_non_null(strstr(tf, "is_manual_connection              = true"));
	free(tf);
}

static void test_export_curl_matches_golden_and_holds_no_secret(void **s)
{
	struct export_values v = values();
	char *sh = export_curl(&v);

	(void)s;
	golden("export.curl", sh);
	assert_non_null(strstr(sh, "${KEY_ID:?}:${KEY_SECRET:?}"));
	assert_non_null(strstr(sh, "resourceGuid aaaaaaaa-0000-4000-8000-000000000001"));
	assert_non_null(strstr(sh, "ID_PATH='.properties.resourceGuid'"));
	free(sh);
	v.id_form = FLOW_ID_RESOURCE_ID;
	sh = export_curl(&v);
	assert_non_null(strstr(sh, "ID_PATH='.id'"));
	free(sh);
}

static void test_export_escapes_hcl_and_shell(void **s)
{
	struct export_values v = values();
	char *tf, *sh;

	(void)s;
	v.pe_name = "a\"b${x}";
	v.resource_group = "it's";
	tf = export_terraform(&v);
	assert_non_null(strstr(tf, "\"a\\\"b$${x}\""));
	free(tf);
	sh = export_curl(&v);
	assert_non_null(strstr(sh, "it'\\''s"));
	free(sh);
}

static void test_export_placeholders_before_the_endpoint_exists(void **s)
{
	struct export_values v = values();
	char *sh;

	(void)s;
	v.pe_guid = v.pe_id = v.pe_ip = NULL;
	v.org_id = NULL;
	v.vnet_id = NULL;
	sh = export_curl(&v);
	assert_non_null(strstr(sh, "ORG_ID=\"${ORG_ID:?}\""));
	assert_non_null(strstr(sh, "VNET_ID=\"${VNET_ID:?}\""));
	assert_null(strstr(sh, "resourceGuid aaaa"));
	free(sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_export_terraform_matches_golden),
	    cmocka_unit_test(test_export_curl_matches_golden_and_holds_no_secret),
	    cmocka_unit_test(test_export_escapes_hcl_and_shell),
	    cmocka_unit_test(test_export_placeholders_before_the_endpoint_exists),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
