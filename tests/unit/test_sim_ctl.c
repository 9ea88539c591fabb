/* test_sim_ctl: the /_sim/ control API, fault switches, request log, state and world files. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "simtest.h"

#define SVC "a1b2c3d4-0001-4000-8000-000000000001"

struct cx {
	struct st *t;
	char *admin;
	char services[200], svc[250];
};

static int setup(void **state)
{
	struct cx *x = xcalloc(1, sizeof *x);
	x->t = t_new(NULL, 99);
	x->t->step_ms = 1001;
	x->admin = t_basic(x->t, "admin_key");
	snprintf(x->services, sizeof x->services, "/v1/organizations/%s/services",
	         t_id(x->t, "org"));
	snprintf(x->svc, sizeof x->svc, "%s/%s", x->services, SVC);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct cx *x = *state;
	t_free(x->t);
	free(x->admin);
	free(x);
	return 0;
}

static int get_services(struct cx *x)
{
	return t_req(x->t, "GET", x->services, NULL, x->admin, NULL);
}

static int ctl_get(struct cx *x, const char *path)
{
	return t_req(x->t, "GET", path, NULL, NULL, NULL);
}

static void test_log_records_api_calls_but_not_control_calls(void **state)
{
	struct cx *x = *state;
	assert_int_equal(get_services(x), 200);
	assert_int_equal(t_req(x->t, "GET", "/v1/organizations", NULL, NULL, NULL), 401);
	assert_int_equal(ctl_get(x, "/_sim/log"), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(x->t->j, "requests")), 2);
	assert_string_equal(t_str(x->t, "requests.0.method"), "GET");
	assert_string_equal(t_str(x->t, "requests.0.path"), x->services);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(x->t->j, "requests.0.status")), 200);
	assert_string_equal(t_str(x->t, "requests.0.api"), "chc");
	assert_string_equal(t_str(x->t, "requests.0.key"), t_id(x->t, "admin_key.id"));
	assert_non_null(t_at(x->t->j, "requests.0.ms"));
	assert_int_equal((int)cJSON_GetNumberValue(t_at(x->t->j, "requests.1.status")), 401);
	/* secrets never reach the log */
	assert_null(strstr(x->t->rs.body, t_id(x->t, "admin_key.secret")));
	assert_int_equal(t_ctl(x->t, "/_sim/log/clear", NULL), 200);
	assert_int_equal(ctl_get(x, "/_sim/log"), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(x->t->j, "requests")), 0);
	char *b = t_bearer(x->t, "azure");
	free(b);
	assert_int_equal(ctl_get(x, "/_sim/log"), 200);
	assert_string_equal(t_str(x->t, "requests.0.api"), "entra");
	assert_string_equal(t_str(x->t, "requests.0.key"), t_id(x->t, "azure.client_id"));
}

static void test_reset_restores_the_world_and_clears_faults_and_log(void **state)
{
	struct cx *x = *state;
	assert_int_equal(t_req(x->t, "PATCH", x->svc, "application/json", x->admin,
	                       "{\"privateEndpointIds\":{\"add\":[\"pe-x\"]}}"),
	                 200);
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"latency_ms\":50}"), 200);
	assert_int_equal(t_ctl(x->t, "/_sim/reset", NULL), 200);
	assert_int_equal(t_req(x->t, "GET", x->svc, NULL, x->admin, NULL), 200);
	assert_null(t_at(x->t->j, "result.privateEndpointIds.0"));
	assert_int_equal(x->t->rs.delay_ms, 0);
	assert_int_equal(ctl_get(x, "/_sim/log"), 200);
	assert_int_equal(cJSON_GetArraySize(t_at(x->t->j, "requests")), 1);
	assert_int_equal(ctl_get(x, "/_sim/faults"), 200);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(x->t->j, "latency_ms")), 0);
}

static void test_error_rate_answers_in_the_api_shape(void **state)
{
	struct cx *x = *state;
	assert_int_equal(
	    t_ctl(x->t, "/_sim/faults", "{\"error_rate\":{\"chc\":1},\"error_status\":503}"), 200);
	assert_int_equal(get_services(x), 503);
	assert_true(strncmp(t_str(x->t, "error"), "SERVICE_UNAVAILABLE: ", 21) == 0);
	assert_non_null(t_str(x->t, "requestId"));
	char *b = t_bearer(x->t, "azure"); /* entra untouched */
	assert_string_not_equal(b, "Bearer none");
	assert_int_equal(t_ctl(x->t, "/_sim/faults",
	                       "{\"error_rate\":{\"/subscriptions\":1},\"error_status\":500}"),
	                 200);
	char *url = xasprintf("/subscriptions/%s/resourcegroups?api-version=2021-04-01",
	                      t_id(x->t, "azure.subscription"));
	assert_int_equal(t_req(x->t, "GET", url, NULL, b, NULL), 500);
	assert_non_null(t_str(x->t, "error.code"));
	assert_int_equal(get_services(x), 200);
	free(url);
	free(b);
}

static void test_storm_429_hits_the_next_n_chc_requests(void **state)
{
	struct cx *x = *state;
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"storm_429\":2}"), 200);
	assert_int_equal(get_services(x), 429);
	assert_string_equal(x->t->rs.body, "{\"error\":\"TOO_MANY_REQUESTS\"}");
	assert_non_null(t_hdr(x->t, "X-RateLimit-Reset"));
	assert_int_equal(get_services(x), 429);
	assert_int_equal(get_services(x), 200);
}

static void test_transport_faults_are_expressed_in_the_response(void **state)
{
	struct cx *x = *state;
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"reset_rate\":1}"), 200);
	get_services(x);
	assert_true(x->t->rs.reset);
	assert_int_equal(t_ctl(x->t, "/_sim/faults",
	                       "{\"reset_rate\":0,\"truncate_rate\":1,\"slow_body_ms\":300}"),
	                 200);
	assert_int_equal(get_services(x), 200);
	assert_true(x->t->rs.truncate_at >= 0 && (size_t)x->t->rs.truncate_at < x->t->rs.body_len);
	assert_int_equal(x->t->rs.slow_body_ms, 300);
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"truncate_rate\":0,\"malformed_rate\":1}"),
	                 200);
	assert_int_equal(get_services(x), 200);
	assert_non_null(x->t->rs.body);
	assert_null(x->t->j); /* not parseable */
	assert_int_equal(t_ctl(x->t, "/_sim/faults",
	                       "{\"malformed_rate\":0,\"latency_ms\":100,\"jitter_ms\":50}"),
	                 200);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(get_services(x), 200);
		assert_true(x->t->rs.delay_ms >= 100 && x->t->rs.delay_ms <= 150);
	}
}

static void test_faults_repeat_for_the_same_seed(void **state)
{
	struct cx *x = *state;
	struct st *other = t_new(NULL, 99);
	other->step_ms = 1001;
	const char *f = "{\"jitter_ms\":1000,\"error_rate\":{\"*\":0.5}}";
	assert_int_equal(t_ctl(x->t, "/_sim/faults", f), 200);
	assert_int_equal(t_ctl(other, "/_sim/faults", f), 200);
	int differs = 0, errors = 0;
	for (int i = 0; i < 20; i++) {
		int a = get_services(x);
		unsigned da = x->t->rs.delay_ms;
		int b = t_req(other, "GET", x->services, NULL, x->admin, NULL);
		assert_int_equal(a, b);
		assert_int_equal(da, other->rs.delay_ms);
		errors += a == 503;
		differs |= da != 0;
	}
	assert_true(errors > 0 && errors < 20);
	assert_true(differs);
	t_free(other);
}

static void test_bad_fault_requests_are_400_and_change_nothing(void **state)
{
	struct cx *x = *state;
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"latency_ms\":10,\"reset_rate\":2}"), 400);
	assert_non_null(t_str(x->t, "error"));
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"error_rate\":{\"chc\":\"x\"}}"), 400);
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "not json"), 400);
	assert_int_equal(ctl_get(x, "/_sim/faults"), 200);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(x->t->j, "latency_ms")), 0);
	assert_int_equal(t_ctl(x->t, "/_sim/nothing", NULL), 404);
	assert_int_equal(t_req(x->t, "DELETE", "/_sim/log", NULL, NULL, NULL), 405);
}

static void test_rate_limit_is_configurable_and_can_be_disabled(void **state)
{
	struct cx *x = *state;
	x->t->step_ms = 0;
	assert_int_equal(
	    t_ctl(x->t, "/_sim/faults", "{\"rate_limit\":{\"requests\":2,\"window_s\":60}}"), 200);
	assert_int_equal(get_services(x), 200);
	assert_int_equal(get_services(x), 200);
	assert_int_equal(get_services(x), 429);
	assert_true(atof(t_hdr(x->t, "X-RateLimit-Reset")) > 59.0);
	assert_int_equal(
	    t_ctl(x->t, "/_sim/faults", "{\"rate_limit\":{\"requests\":0,\"window_s\":60}}"), 200);
	for (int i = 0; i < 30; i++)
		assert_int_equal(get_services(x), 200);
}

static void test_hold_delays_the_next_k_requests(void **state)
{
	struct cx *x = *state;
	assert_int_equal(t_ctl(x->t, "/_sim/hold", "{\"ms\":4000,\"count\":2}"), 200);
	assert_int_equal(get_services(x), 200);
	assert_int_equal(x->t->rs.delay_ms, 4000);
	assert_int_equal(get_services(x), 200);
	assert_int_equal(x->t->rs.delay_ms, 4000);
	assert_int_equal(get_services(x), 200);
	assert_int_equal(x->t->rs.delay_ms, 0);
	assert_int_equal(t_ctl(x->t, "/_sim/hold", "{\"count\":2}"), 400);
}

static void test_clock_advance_moves_the_simulated_time(void **state)
{
	struct cx *x = *state;
	assert_int_equal(t_ctl(x->t, "/_sim/clock", "{\"advance_ms\":60000}"), 200);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(x->t->j, "offset_ms")), 60000);
	assert_int_equal(t_ctl(x->t, "/_sim/clock", "{\"advance_ms\":-5}"), 400);
}

static void test_oversized_bodies_are_413_in_the_api_shape(void **state)
{
	struct cx *x = *state;
	size_t n = 1024 * 1024 + 10;
	char *big = xmalloc(n + 1);
	memset(big, ' ', n);
	big[n] = '\0';
	assert_int_equal(t_req(x->t, "PATCH", x->svc, "application/json", x->admin, big), 413);
	assert_true(strncmp(t_str(x->t, "error"), "PAYLOAD_TOO_LARGE: ", 19) == 0);
	assert_non_null(t_str(x->t, "requestId"));
	char *url = xasprintf("/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network/"
	                      "privateEndpoints/x?api-version=2024-05-01",
	                      t_id(x->t, "azure.subscription"));
	assert_int_equal(t_req(x->t, "PUT", url, "application/json", NULL, big), 413);
	assert_non_null(t_str(x->t, "error.code"));
	free(url);
	free(big);
}

static int has_header_named(struct st *t, const char *exact)
{
	for (size_t i = 0; i < t->rs.n_headers; i++)
		if (strcmp(t->rs.headers[i].name, exact) == 0)
			return 1;
	return 0;
}

/* lean_answers: the same facts in the sparest shape the fact sheets allow (sim_lean.c). */
static void test_lean_answers_keep_the_facts_in_a_sparser_shape(void **state)
{
	struct cx *x = *state;
	char *bearer = t_bearer(x->t, "azure"), *alias, *first_id, *last_key, *pe, *body;
	const char *sub = t_id(x->t, "azure.subscription");
	assert_int_equal(get_services(x), 200);
	first_id = xstrdup(t_str(x->t, "result.0.id"));
	{
		cJSON *m = t_at(x->t->j, "result.0")->child;
		while (m->next)
			m = m->next;
		last_key = xstrdup(m->string);
	}
	assert_int_equal(t_req(x->t, "GET", x->svc, NULL, x->admin, NULL), 200);
	assert_non_null(t_at(x->t->j, "result.privateEndpointIds")); /* [] without the switch */
	assert_int_equal(t_req(x->t, "GET", "/_sim/faults", NULL, NULL, NULL), 200);
	assert_true(cJSON_IsFalse(t_at(x->t->j, "lean_answers")));
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"lean_answers\":1}"), 400);
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"lean_answers\":true}"), 200);
	assert_true(cJSON_IsTrue(t_at(x->t->j, "lean_answers")));

	/* ClickHouse: no status/requestId, empty arrays gone, unknown member last, order kept */
	assert_int_equal(get_services(x), 200);
	assert_null(t_at(x->t->j, "requestId"));
	assert_null(t_at(x->t->j, "status"));
	assert_string_equal(t_str(x->t, "result.0.id"), first_id);
	assert_null(t_at(x->t->j, "result.0.privateEndpointIds"));
	assert_non_null(t_at(x->t->j, "result.0.zzSimUnknown"));
	assert_string_equal(t_at(x->t->j, "result.0")->child->string, last_key);
	assert_true(has_header_named(x->t, "content-type"));
	assert_int_equal(t_req(x->t, "GET", x->svc, NULL, x->admin, NULL), 200);
	assert_null(t_at(x->t->j, "result.privateEndpointIds"));
	assert_int_equal(t_req(x->t, "GET", "/v1/organizations/x/services", NULL, x->admin, NULL),
	                 403); /* errors keep their shape */
	assert_non_null(t_str(x->t, "requestId"));
	assert_int_equal(t_req(x->t, "GET", "/_sim/identity", NULL, NULL, NULL), 200);
	assert_null(t_at(x->t->j, "zzSimUnknown")); /* control answers are never touched */

	/* ARM: lower-case header names, no etag/type/customDnsConfigs, Succeeded left out */
	pe = xasprintf("%s/privateEndpointConfig", x->svc);
	assert_int_equal(t_req(x->t, "GET", pe, NULL, x->admin, NULL), 200);
	free(pe);
	alias = xstrdup(t_str(x->t, "result.endpointServiceId"));
	pe = xasprintf("/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network/"
	               "privateEndpoints/pe-lean?api-version=2024-05-01",
	               sub);
	body = xasprintf("{\"location\":\"westus3\",\"properties\":{\"subnet\":{\"id\":"
	                 "\"/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network/"
	                 "virtualNetworks/vnet-app/subnets/snet-pe\"},"
	                 "\"manualPrivateLinkServiceConnections\":[{\"name\":\"c\",\"properties\":"
	                 "{\"privateLinkServiceId\":\"%s\",\"requestMessage\":\"m\"}}]}}",
	                 sub, alias);
	assert_int_equal(t_req(x->t, "PUT", pe, "application/json", bearer, body), 201);
	assert_true(has_header_named(x->t, "azure-asyncoperation"));
	assert_true(has_header_named(x->t, "retry-after"));
	assert_false(has_header_named(x->t, "Azure-AsyncOperation"));
	assert_string_equal(t_str(x->t, "properties.provisioningState"), "Updating");
	assert_null(t_at(x->t->j, "etag"));
	assert_null(t_at(x->t->j, "type"));
	assert_null(t_at(x->t->j, "properties.customDnsConfigs"));
	assert_null(t_at(x->t->j, "properties.privateLinkServiceConnections"));
	x->t->now += 5000;
	assert_int_equal(t_req(x->t, "GET", pe, NULL, bearer, NULL), 200);
	assert_null(t_at(x->t->j, "properties.provisioningState"));
	assert_string_equal(t_str(x->t, "properties.manualPrivateLinkServiceConnections.0."
	                                "properties.privateLinkServiceConnectionState.status"),
	                    "Pending");
	assert_non_null(t_str(x->t, "properties.resourceGuid"));
	assert_non_null(t_str(x->t, "properties.networkInterfaces.0.id"));
	free(pe);
	pe = xasprintf("/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network/"
	               "privateEndpoints/none?api-version=2024-05-01",
	               sub);
	assert_int_equal(t_req(x->t, "GET", pe, NULL, bearer, NULL), 404);
	assert_non_null(t_str(x->t, "error.code"));
	free(pe);
	pe = xasprintf("/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network/"
	               "privateEndpoints/pe-lean?api-version=2024-05-01",
	               sub);
	assert_int_equal(t_req(x->t, "DELETE", pe, NULL, bearer, NULL), 202);
	assert_true(has_header_named(x->t, "location")); /* and no longer both status URLs */
	assert_false(has_header_named(x->t, "azure-asyncoperation"));
	free(pe);
	pe = xasprintf("/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network/"
	               "privateDnsZones/z.example?api-version=2024-06-01",
	               sub);
	assert_int_equal(
	    t_req(x->t, "PUT", pe, "application/json", bearer, "{\"location\":\"global\"}"),
	    202); /* the official example's 202: headers only */
	assert_null(x->t->rs.body);
	assert_true(has_header_named(x->t, "location"));
	assert_true(has_header_named(x->t, "retry-after"));
	assert_int_equal(t_ctl(x->t, "/_sim/faults", "{\"lean_answers\":false}"), 200);
	assert_int_equal(get_services(x), 200);
	assert_non_null(t_str(x->t, "requestId"));
	free(pe);
	free(body);
	free(alias);
	free(first_id);
	free(last_key);
	free(bearer);
}

static void test_state_json_round_trips_through_load_state(void **state)
{
	struct cx *x = *state;
	struct err e;
	assert_int_equal(t_req(x->t, "PATCH", x->svc, "application/json", x->admin,
	                       "{\"privateEndpointIds\":{\"add\":[\"kept\"]}}"),
	                 200);
	assert_int_equal(t_ctl(x->t, "/_sim/clock", "{\"advance_ms\":1234}"), 200);
	char *saved = sim_state_json(x->t->s);
	assert_int_equal(ctl_get(x, "/_sim/world"), 200);
	assert_non_null(t_at(x->t->j, "clickhouse.organizations.0.services"));
	struct st *y = t_new(NULL, 1);
	assert_int_equal(sim_load_state(y->s, saved, &e), 0);
	char *again = sim_state_json(y->s);
	assert_string_equal(saved, again);
	char *admin = t_basic(y, "admin_key");
	assert_int_equal(t_req(y, "GET", x->svc, NULL, admin, NULL), 200);
	assert_string_equal(t_str(y, "result.privateEndpointIds.0"), "kept");
	assert_int_equal(sim_load_state(y->s, "{\"clickhouse\":1}", &e), -1);
	assert_int_equal(e.kind, ERR_PARSE);
	free(admin);
	free(saved);
	free(again);
	t_free(y);
}

static void test_world_file_minimal_and_broken(void **state)
{
	(void)state;
	struct err e;
	const char *w = "{\"clickhouse\":{\"organizations\":[{\"id\":\"o1\",\"keys\":[{\"id\":"
	                "\"K\",\"secret\":\"S\","
	                "\"role\":\"admin\"}],\"services\":[{\"id\":\"s1\",\"provider\":\"azure\","
	                "\"region\":\"eastus2\"}]}],"
	                "\"aliases\":{\"eastus2\":\"a.b.eastus2.azure.privatelinkservice\"}},"
	                "\"azure\":{\"tenants\":[],\"subscriptions\":[]},\"unknownField\":true}";
	struct st *t = t_new(w, 3);
	assert_non_null(t->s);
	assert_string_equal(t_id(t, "org"), "o1");
	assert_string_equal(t_id(t, "admin_key.id"), "K");
	char *admin = t_basic(t, "admin_key");
	assert_int_equal(t_req(t, "GET", "/v1/organizations/o1/services/s1/privateEndpointConfig",
	                       NULL, admin, NULL),
	                 200);
	assert_string_equal(t_str(t, "result.endpointServiceId"),
	                    "a.b.eastus2.azure.privatelinkservice");
	assert_non_null(strstr(t_str(t, "result.privateDnsHostname"),
	                       ".eastus2.privatelink.azure.clickhouse.cloud"));
	free(admin);
	t_free(t);
	assert_null(sim_new("{", 1, &e));
	assert_int_equal(e.kind, ERR_PARSE);
	assert_null(sim_new("{\"clickhouse\":{\"organizations\":[]},\"azure\":{}}", 1, &e));
	assert_non_null(strstr(e.msg, "organizations"));
}

static void test_identity_names_keys_and_azure_principal(void **state)
{
	struct cx *x = *state;
	static const char *const paths[] = {"org",
	                                    "admin_key.id",
	                                    "admin_key.secret",
	                                    "developer_key.id",
	                                    "developer_key.secret",
	                                    "azure.tenant",
	                                    "azure.client_id",
	                                    "azure.client_secret",
	                                    "azure.subscription"};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		assert_true(strlen(t_id(x->t, paths[i])) > 0);
	assert_int_equal(ctl_get(x, "/_sim/identity"), 200);
	assert_string_equal(t_str(x->t, "org"), t_id(x->t, "org"));
}

/* 1,000 mixed requests must not grow the world, and ASan checks for leaks at exit. */
static void test_thousand_sequential_requests_keep_state_size_stable(void **state)
{
	struct cx *x = *state;
	x->t->step_ms = 0;
	assert_int_equal(
	    t_ctl(x->t, "/_sim/faults", "{\"rate_limit\":{\"requests\":0,\"window_s\":10}}"), 200);
	char *bearer = t_bearer(x->t, "azure");
	char *arm = xasprintf("/subscriptions/%s/resourceGroups/rg-app/providers/Microsoft.Network/"
	                      "privateEndpoints?api-version=2024-05-01",
	                      t_id(x->t, "azure.subscription"));
	char *before = sim_state_json(x->t->s);
	for (int i = 0; i < 1000; i++) {
		int st;
		switch (i % 4) {
		case 0:
			st = get_services(x);
			break;
		case 1:
			st = t_req(x->t, "GET", arm, NULL, bearer, NULL);
			break;
		case 2:
			st = t_req(x->t, "PATCH", x->svc, "application/json", x->admin,
			           "{\"privateEndpointIds\":{\"remove\":[\"none\"]}}");
			break;
		default:
			st = t_req(x->t, "GET", "/v1/organizations", NULL, "Basic bad", NULL);
			break;
		}
		assert_true(st == 200 || st == 401);
	}
	char *after = sim_state_json(x->t->s);
	assert_int_equal(strlen(before), strlen(after));
	free(before);
	free(after);
	free(bearer);
	free(arm);
}

/* Requests built from real path pieces, odd bytes and broken bodies: always a status, never a
 * crash. */
static void test_garbage_requests_always_get_an_answer(void **state)
{
	struct cx *x = *state;
	static const char *const segs[] = {"v1",
	                                   "organizations",
	                                   "services",
	                                   "privateEndpointConfig",
	                                   "subscriptions",
	                                   "resourceGroups",
	                                   "providers",
	                                   "Microsoft.Network",
	                                   "privateEndpoints",
	                                   "privateDnsZones",
	                                   "A",
	                                   "%2A",
	                                   "virtualNetworkLinks",
	                                   "networkInterfaces",
	                                   "locations",
	                                   "operations",
	                                   "oauth2",
	                                   "v2.0",
	                                   "token",
	                                   "_sim",
	                                   "faults",
	                                   "%",
	                                   "%zz",
	                                   "..",
	                                   "",
	                                   "\xff\xfe",
	                                   "5b9f3c1e-2d4a-4e8b-9a6f-1c3d5e7f9a0b",
	                                   "a1b2c3d4-0001-4000-8000-000000000001",
	                                   "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
	                                   "rg-app",
	                                   "x"};
	static const char *const bodies[] = {NULL,
	                                     "",
	                                     "{",
	                                     "[]",
	                                     "null",
	                                     "{\"privateEndpointIds\":null}",
	                                     "{\"properties\":[]}",
	                                     "{\"location\":5,\"properties\":{\"subnet\":7}}",
	                                     "\x01\x02",
	                                     "{\"a\":{\"b\":{\"c\":[[[[]]]]}}}",
	                                     "{\"privateEndpoints\":{\"add\":[null,1,{}]}}",
	                                     "grant_type=&scope=&client_id=%"};
	static const char *const methods[] = {"GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", ""};
	uint64_t r = 12345;
	x->t->step_ms = 0;
	char *bearer = t_bearer(x->t, "azure");
	assert_int_equal(
	    t_ctl(x->t, "/_sim/faults", "{\"rate_limit\":{\"requests\":0,\"window_s\":1}}"), 200);
	for (int i = 0; i < 3000; i++) {
		char path[600] = "";
		int n = (int)((r = r * 6364136223846793005ULL + 1442695040888963407ULL) >> 60) % 12;
		for (int k = 0; k < n; k++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t l = strlen(path);
			snprintf(path + l, sizeof path - l, "/%s",
			         segs[(r >> 33) % (sizeof segs / sizeof segs[0])]);
		}
		if (path[0] == '\0' || strncmp(path, "/_sim", 5) == 0)
			snprintf(path, sizeof path, "/");
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		const char *body = bodies[(r >> 35) % (sizeof bodies / sizeof bodies[0])];
		const char *method = methods[(r >> 20) % (sizeof methods / sizeof methods[0])];
		const char *auth = (r >> 40) % 3 == 0   ? x->admin
		                   : (r >> 40) % 3 == 1 ? bearer
		                                        : NULL;
		const char *ct =
		    (r >> 45) % 2 ? "application/json" : "application/x-www-form-urlencoded";
		char url[700];
		snprintf(url, sizeof url, "%s%s", path,
		         (r >> 50) % 2 ? "?api-version=2024-05-01" : "");
		int st = t_req(x->t, method, url, ct, auth, body);
		assert_true(st >= 200 && st <= 599);
		if (x->t->rs.body_len)
			assert_non_null(x->t->j);
	}
	free(bearer);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_log_records_api_calls_but_not_control_calls),
	    T(test_reset_restores_the_world_and_clears_faults_and_log),
	    T(test_error_rate_answers_in_the_api_shape),
	    T(test_storm_429_hits_the_next_n_chc_requests),
	    T(test_transport_faults_are_expressed_in_the_response),
	    T(test_faults_repeat_for_the_same_seed),
	    T(test_bad_fault_requests_are_400_and_change_nothing),
	    T(test_rate_limit_is_configurable_and_can_be_disabled),
	    T(test_hold_delays_the_next_k_requests),
	    T(test_clock_advance_moves_the_simulated_time),
	    T(test_oversized_bodies_are_413_in_the_api_shape),
	    T(test_lean_answers_keep_the_facts_in_a_sparser_shape),
	    T(test_state_json_round_trips_through_load_state),
	    T(test_world_file_minimal_and_broken),
	    T(test_identity_names_keys_and_azure_principal),
	    T(test_thousand_sequential_requests_keep_state_size_stable),
	    T(test_garbage_requests_always_get_an_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
