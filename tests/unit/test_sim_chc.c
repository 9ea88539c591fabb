/* test_sim_chc: the simulated ClickHouse Cloud API v1 — routes, auth, bodies, rate limit. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "simtest.h"

#define SVC_PROD   "a1b2c3d4-0001-4000-8000-000000000001" /* westus3, production */
#define SVC_NOTIER "a1b2c3d4-0002-4000-8000-000000000002" /* westus3, no tier */
#define SVC_DEV    "a1b2c3d4-0003-4000-8000-000000000003" /* eastus2, development */

struct ch {
	struct st *t;
	char *admin, *dev, *other;
	char org[64];
	char url[512];
};

static int setup(void **state)
{
	struct ch *c = xcalloc(1, sizeof *c);
	c->t = t_new(NULL, 42);
	c->t->step_ms = 1001; /* stay under 10 requests per 10 s unless a test wants more */
	c->admin = t_basic(c->t, "admin_key");
	c->dev = t_basic(c->t, "developer_key");
	c->other = t_basic(c->t, "other_org.key");
	snprintf(c->org, sizeof c->org, "%s", t_id(c->t, "org"));
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ch *c = *state;
	t_free(c->t);
	free(c->admin);
	free(c->dev);
	free(c->other);
	free(c);
	return 0;
}

static const char *u(struct ch *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *u(struct ch *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->url, sizeof c->url, fmt, ap);
	va_end(ap);
	return c->url;
}

static int get(struct ch *c, const char *auth, const char *url)
{
	return t_req(c->t, "GET", url, NULL, auth, NULL);
}

static int patch(struct ch *c, const char *auth, const char *svc, const char *body)
{
	char url[512];
	if (svc)
		snprintf(url, sizeof url, "/v1/organizations/%s/services/%s", c->org, svc);
	else
		snprintf(url, sizeof url, "/v1/organizations/%s", c->org);
	return t_req(c->t, "PATCH", url, "application/json", auth, body);
}

static int is_uuid_v4(const char *s)
{
	if (!s || strlen(s) != 36 || s[14] != '4' || !strchr("89ab", s[19]))
		return 0;
	for (int i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-'
		                                              : !strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

static int count_org_entries(struct ch *c, const char *id)
{
	cJSON *it;
	int n = 0;
	assert_int_equal(get(c, c->admin, u(c, "/v1/organizations/%s", c->org)), 200);
	cJSON_ArrayForEach (it, t_at(c->t->j, "result.privateEndpoints")) {
		const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
		n += v && strcmp(v, id) == 0;
	}
	return n;
}

static void test_success_envelope_has_status_and_uuid_request_id(void **state)
{
	struct ch *c = *state;
	assert_int_equal(get(c, c->admin, u(c, "/v1/organizations")), 200);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(c->t->j, "status")), 200);
	assert_true(is_uuid_v4(t_str(c->t, "requestId")));
	assert_string_equal(t_str(c->t, "result.0.id"), c->org);
	assert_null(t_at(c->t->j, "result.1"));
	assert_string_equal(t_hdr(c->t, "Content-Type"), "application/json; charset=utf-8");
}

static void test_service_list_has_azure_aws_gcp_and_one_without_tier(void **state)
{
	struct ch *c = *state;
	cJSON *it;
	int azure = 0, other = 0, notier = 0, dev = 0;
	assert_int_equal(get(c, c->admin, u(c, "/v1/organizations/%s/services", c->org)), 200);
	cJSON_ArrayForEach (it, t_at(c->t->j, "result")) {
		const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(it, "provider"));
		azure += strcmp(p, "azure") == 0;
		other += strcmp(p, "azure") != 0;
		notier += cJSON_GetObjectItem(it, "tier") == NULL;
		dev += cJSON_GetObjectItem(it, "tier") &&
		       strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "tier")),
		              "development") == 0;
		assert_non_null(cJSON_GetObjectItem(it, "autoscalingMode"));
		assert_non_null(cJSON_GetObjectItem(it, "currentScaling"));
		assert_true(cJSON_IsArray(cJSON_GetObjectItem(it, "privateEndpointIds")));
		assert_true(cJSON_IsArray(cJSON_GetObjectItem(it, "availablePrivateEndpointIds")));
		assert_null(cJSON_GetObjectItem(it, "privateEndpointConfig"));
		assert_null(cJSON_GetObjectItem(it, "shortId"));
	}
	assert_true(azure >= 5);
	assert_int_equal(other, 2);
	assert_int_equal(notier, 1);
	assert_int_equal(dev, 1);
}

static void test_service_endpoints_use_azure_hosts_and_ports(void **state)
{
	struct ch *c = *state;
	assert_int_equal(
	    get(c, c->admin, u(c, "/v1/organizations/%s/services/%s", c->org, SVC_PROD)), 200);
	assert_string_equal(t_str(c->t, "result.endpoints.0.protocol"), "https");
	assert_non_null(
	    strstr(t_str(c->t, "result.endpoints.0.host"), ".westus3.azure.clickhouse.cloud"));
	assert_int_equal((int)cJSON_GetNumberValue(t_at(c->t->j, "result.endpoints.0.port")), 8443);
	assert_string_equal(t_str(c->t, "result.endpoints.1.protocol"), "nativesecure");
	assert_int_equal((int)cJSON_GetNumberValue(t_at(c->t->j, "result.endpoints.1.port")), 9440);
}

/* The guide picks `.result[] | select(.region==R and .provider=="azure") | .id | head -1`. */
static void test_guide_first_pick_per_azure_region_is_not_development(void **state)
{
	struct ch *c = *state;
	static const char *const regions[] = {"westus3", "eastus2", "germanywestcentral",
	                                      "centralus"};
	assert_int_equal(get(c, c->admin, u(c, "/v1/organizations/%s/services", c->org)), 200);
	for (size_t r = 0; r < 4; r++) {
		cJSON *it, *first = NULL;
		cJSON_ArrayForEach (it, t_at(c->t->j, "result")) {
			if (!first &&
			    !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "region")),
			            regions[r]) &&
			    !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "provider")),
			            "azure"))
				first = it;
		}
		assert_non_null(first);
		cJSON *tier = cJSON_GetObjectItem(first, "tier");
		assert_true(!tier || strcmp(cJSON_GetStringValue(tier), "development") != 0);
	}
}

static void test_pe_config_gives_alias_and_hostname_shared_per_region(void **state)
{
	struct ch *c = *state;
	char alias[256];
	assert_int_equal(
	    get(c, c->admin,
	        u(c, "/v1/organizations/%s/services/%s/privateEndpointConfig", c->org, SVC_PROD)),
	    200);
	snprintf(alias, sizeof alias, "%s", t_str(c->t, "result.endpointServiceId"));
	assert_true(strncmp(alias, "production-westus3-0-0.", 23) == 0);
	assert_non_null(strstr(alias, ".westus3.azure.privatelinkservice"));
	assert_non_null(strstr(t_str(c->t, "result.privateDnsHostname"),
	                       ".westus3.privatelink.azure.clickhouse.cloud"));
	assert_int_equal(
	    get(c, c->admin,
	        u(c, "/v1/organizations/%s/services/%s/privateEndpointConfig", c->org, SVC_NOTIER)),
	    200);
	assert_string_equal(t_str(c->t, "result.endpointServiceId"), alias);
}

static void test_development_tier_refuses_private_endpoints(void **state)
{
	struct ch *c = *state;
	assert_int_equal(
	    get(c, c->admin,
	        u(c, "/v1/organizations/%s/services/%s/privateEndpointConfig", c->org, SVC_DEV)),
	    400);
	assert_true(strncmp(t_str(c->t, "error"), "BAD_REQUEST: ", 13) == 0);
	assert_int_equal(patch(c, c->admin, SVC_DEV, "{\"privateEndpointIds\":{\"add\":[\"x\"]}}"),
	                 400);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(c->t->j, "status")), 400);
	assert_true(is_uuid_v4(t_str(c->t, "requestId")));
}

static void test_attach_registers_org_wide_and_remove_keeps_org_entry(void **state)
{
	struct ch *c = *state;
	const char *pe = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	                 "privateEndpoints/pe1";
	char body[512];
	assert_int_equal(count_org_entries(c, pe), 0);
	snprintf(body, sizeof body, "{\"privateEndpointIds\":{\"add\":[\"%s\"]}}", pe);
	assert_int_equal(patch(c, c->admin, SVC_PROD, body), 200);
	assert_string_equal(t_str(c->t, "result.privateEndpointIds.0"), pe);
	assert_int_equal(count_org_entries(c, pe), 1);
	cJSON *e = cJSON_GetArrayItem(t_at(c->t->j, "result.privateEndpoints"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e, "cloudProvider")), "azure");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e, "region")), "westus3");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e, "description")), "");
	snprintf(body, sizeof body, "{\"privateEndpointIds\":{\"remove\":[\"%s\"]}}", pe);
	assert_int_equal(patch(c, c->admin, SVC_PROD, body), 200);
	assert_null(t_at(c->t->j, "result.privateEndpointIds.0"));
	assert_int_equal(count_org_entries(c, pe), 1);
}

static void test_remove_runs_before_add_so_readd_is_idempotent(void **state)
{
	struct ch *c = *state;
	const char *b = "{\"privateEndpointIds\":{\"add\":[\"guid-1\"],\"remove\":[\"guid-1\"]}}";
	assert_int_equal(patch(c, c->admin, SVC_PROD, b), 200);
	assert_string_equal(t_str(c->t, "result.privateEndpointIds.0"), "guid-1");
	assert_int_equal(patch(c, c->admin, SVC_PROD, b), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(c->t->j, "result.privateEndpointIds")), 1);
	assert_int_equal(count_org_entries(c, "guid-1"), 1);
}

static void test_any_string_is_accepted_as_endpoint_id(void **state)
{
	struct ch *c = *state;
	assert_int_equal(patch(c, c->admin, SVC_NOTIER,
	                       "{\"privateEndpointIds\":{\"add\":[\"typo not an id\"]},\"x\":1}"),
	                 200);
	assert_string_equal(t_str(c->t, "result.privateEndpointIds.0"), "typo not an id");
	assert_null(t_at(c->t->j, "result.tier"));
}

static void test_bad_bodies_answer_400_naming_the_field(void **state)
{
	struct ch *c = *state;
	static const struct {
		const char *body, *want;
	} cases[] = {
	    {"{\"privateEndpointIds\":{\"add\":\"x\"}}",
	     "BAD_REQUEST: request body.privateEndpointIds.add value is not an array"},
	    {"{\"privateEndpointIds\":{\"remove\":7}}",
	     "BAD_REQUEST: request body.privateEndpointIds.remove value is not an array"},
	    {"{\"privateEndpointIds\":[]}",
	     "BAD_REQUEST: request body.privateEndpointIds value is not an object"},
	    {"{\"privateEndpointIds\":{\"add\":[1]}}",
	     "BAD_REQUEST: request body.privateEndpointIds.add[0] value is not a string"},
	    {"{\"name\":5}", "BAD_REQUEST: request body.name value is not"},
	    {"{not json", "BAD_REQUEST: request body is not valid JSON"},
	    {"[1,2]", "BAD_REQUEST: request body value is not an object"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(patch(c, c->admin, SVC_PROD, cases[i].body), 400);
		assert_non_null(t_str(c->t, "error"));
		assert_true(strncmp(t_str(c->t, "error"), cases[i].want, strlen(cases[i].want)) ==
		            0);
	}
	char url[256];
	snprintf(url, sizeof url, "/v1/organizations/%s/services/%s", c->org, SVC_PROD);
	assert_int_equal(t_req(c->t, "PATCH", url, "text/plain", c->admin, "{}"), 400);
	assert_non_null(strstr(t_str(c->t, "error"), "Content-Type"));
	assert_int_equal(
	    patch(c, c->admin, NULL,
	          "{\"privateEndpoints\":{\"remove\":[{\"id\":\"x\",\"region\":\"mars\"}]}}"),
	    400);
	assert_non_null(strstr(t_str(c->t, "error"), "privateEndpoints.remove[0].region"));
}

static void test_auth_failures_are_401_and_wrong_role_or_org_403(void **state)
{
	struct ch *c = *state;
	char *raw = xasprintf("%s:wrong", t_id(c->t, "admin_key.id")), *b64 = t_b64(raw);
	char *bad = xasprintf("Basic %s", b64); /* right id, wrong secret */
	char *unknown = t_b64("NOPE:nope"), *unk = xasprintf("Basic %s", unknown);
	assert_int_equal(get(c, NULL, u(c, "/v1/organizations")), 401);
	assert_true(strncmp(t_str(c->t, "error"), "UNAUTHORIZED: ", 14) == 0);
	assert_int_equal(get(c, bad, u(c, "/v1/organizations")), 401);
	assert_int_equal(get(c, unk, u(c, "/v1/organizations")), 401);
	assert_int_equal(get(c, "Bearer abc", u(c, "/v1/organizations")), 401);
	assert_int_equal(get(c, c->dev, u(c, "/v1/organizations/%s/services", c->org)), 200);
	assert_int_equal(patch(c, c->dev, SVC_PROD, "{\"privateEndpointIds\":{\"add\":[\"a\"]}}"),
	                 403);
	assert_true(strncmp(t_str(c->t, "error"), "FORBIDDEN: ", 11) == 0);
	assert_int_equal(patch(c, c->dev, NULL, "{\"name\":\"x\"}"), 403);
	assert_int_equal(get(c, c->other, u(c, "/v1/organizations/%s", c->org)), 403);
	assert_int_equal(get(c, c->other, u(c, "/v1/organizations/%s/services", c->org)), 403);
	assert_int_equal(get(c, c->other, u(c, "/v1/organizations")), 200);
	assert_string_equal(t_str(c->t, "result.0.id"), t_id(c->t, "other_org.org"));
	free(bad);
	free(raw);
	free(b64);
	free(unknown);
	free(unk);
}

static void test_eleventh_request_in_10s_gets_429_with_reset(void **state)
{
	struct ch *c = *state;
	c->t->step_ms = 100;
	for (int i = 0; i < 10; i++)
		assert_int_equal(get(c, c->admin, u(c, "/v1/organizations")), 200);
	assert_int_equal(get(c, c->admin, u(c, "/v1/organizations")), 429);
	assert_string_equal(c->t->rs.body, "{\"error\":\"TOO_MANY_REQUESTS\"}");
	const char *reset = t_hdr(c->t, "X-RateLimit-Reset");
	assert_non_null(reset);
	double r = atof(reset);
	assert_true(r > 8.9 && r <= 9.0 + 1e-9); /* first request at 0, now at 1.0 s */
	/* another key has its own window */
	assert_int_equal(get(c, c->dev, u(c, "/v1/organizations")), 200);
	c->t->now += (uint64_t)(r * 1000);
	assert_int_equal(get(c, c->admin, u(c, "/v1/organizations")), 200);
}

static void test_org_patch_add_is_deprecated_but_works_and_remove_unregisters(void **state)
{
	struct ch *c = *state;
	assert_int_equal(
	    patch(c, c->admin, NULL,
	          "{\"privateEndpoints\":{\"add\":[{\"cloudProvider\":\"azure\",\"id\":\"pe-a\","
	          "\"description\":\"Azure private endpoint\",\"region\":\"westus3\"}]}}"),
	    200);
	assert_string_equal(t_str(c->t, "result.privateEndpoints.0.description"),
	                    "Azure private endpoint");
	assert_int_equal(
	    patch(
	        c, c->admin, NULL,
	        "{\"privateEndpoints\":{\"add\":[{\"cloudProvider\":\"azure\",\"id\":\"pe-b\","
	        "\"region\":\"westus3\"}],\"remove\":[{\"cloudProvider\":\"azure\",\"id\":\"pe-a\","
	        "\"region\":\"westus3\"}]}}"),
	    200);
	assert_int_equal(cJSON_GetArraySize(t_at(c->t->j, "result.privateEndpoints")), 1);
	assert_string_equal(t_str(c->t, "result.privateEndpoints.0.id"), "pe-b");
}

static void test_deprecated_org_config_needs_a_service_in_the_region(void **state)
{
	struct ch *c = *state;
	assert_int_equal(
	    get(c, c->admin,
	        u(c, "/v1/organizations/%s/privateEndpointConfig?cloud_provider=azure&region_id=%s",
	          c->org, "germanywestcentral")),
	    200);
	assert_non_null(strstr(t_str(c->t, "result.endpointServiceId"), "germanywestcentral"));
	assert_null(t_at(c->t->j, "result.privateDnsHostname"));
	assert_int_equal(
	    get(c, c->admin,
	        u(c, "/v1/organizations/%s/privateEndpointConfig?cloud_provider=azure&region_id=%s",
	          c->org, "eastus")),
	    400);
	assert_string_equal(t_str(c->t, "error"),
	                    "BAD_REQUEST: organization has no created instances in azure eastus");
}

static void test_unknown_routes_404_and_wrong_methods_405(void **state)
{
	struct ch *c = *state;
	assert_int_equal(get(c, c->admin,
	                     u(c, "/v1/organizations/%s/services/%s", c->org,
	                       "00000000-0000-4000-8000-000000000000")),
	                 404);
	assert_true(strncmp(t_str(c->t, "error"), "NOT_FOUND: ", 11) == 0);
	assert_int_equal(get(c, c->admin, u(c, "/v1/organizations/%s/nothing", c->org)), 404);
	assert_int_equal(get(c, c->admin, u(c, "/v1/nothing")), 404);
	assert_int_equal(t_req(c->t, "DELETE", "/v1/organizations", NULL, c->admin, NULL), 405);
	assert_true(t_json_ok(c->t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_success_envelope_has_status_and_uuid_request_id,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_service_list_has_azure_aws_gcp_and_one_without_tier, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_guide_first_pick_per_azure_region_is_not_development, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_service_endpoints_use_azure_hosts_and_ports, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_pe_config_gives_alias_and_hostname_shared_per_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_development_tier_refuses_private_endpoints, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_attach_registers_org_wide_and_remove_keeps_org_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remove_runs_before_add_so_readd_is_idempotent,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_any_string_is_accepted_as_endpoint_id, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_bad_bodies_answer_400_naming_the_field, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_auth_failures_are_401_and_wrong_role_or_org_403,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eleventh_request_in_10s_gets_429_with_reset, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_org_patch_add_is_deprecated_but_works_and_remove_unregisters, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_deprecated_org_config_needs_a_service_in_the_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_routes_404_and_wrong_methods_405, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
