/* test_sim_entra: the simulated Entra token endpoint and token lifetime/expiry. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "simtest.h"

static int setup(void **state)
{
	*state = t_new(NULL, 7);
	return 0;
}

static int teardown(void **state)
{
	t_free(*state);
	return 0;
}

static int error_code(struct st *t)
{
	return (int)cJSON_GetNumberValue(t_at(t->j, "error_codes.0"));
}

static void test_client_credentials_with_encoded_secret_issue_a_bearer_token(void **state)
{
	struct st *t = *state;
	/* the default secret holds + / = ~ so it only matches when URL-decoded properly */
	assert_non_null(strpbrk(t_id(t, "azure.client_secret"), "+/="));
	assert_int_equal(t_token_req(t, "azure", NULL), 200);
	assert_string_equal(t_str(t, "token_type"), "Bearer");
	assert_int_equal((int)cJSON_GetNumberValue(t_at(t->j, "expires_in")), 3599);
	assert_int_equal((int)cJSON_GetNumberValue(t_at(t->j, "ext_expires_in")), 3599);
	const char *tok = t_str(t, "access_token");
	assert_non_null(tok);
	assert_true(strncmp(tok, "eyJ", 3) == 0);
	assert_non_null(strchr(strchr(tok, '.') + 1, '.'));
}

static void test_wrong_secret_is_401_invalid_client_aadsts7000215(void **state)
{
	struct st *t = *state;
	assert_int_equal(t_token_req(t, "azure", "not-the-secret"), 401);
	assert_string_equal(t_str(t, "error"), "invalid_client");
	assert_int_equal(error_code(t), 7000215);
	assert_true(strncmp(t_str(t, "error_description"),
	                    "AADSTS7000215: Invalid client secret provided.", 46) == 0);
	assert_non_null(t_str(t, "trace_id"));
	assert_non_null(t_str(t, "correlation_id"));
	assert_non_null(t_str(t, "timestamp"));
}

static void test_unknown_tenant_is_400_aadsts90002(void **state)
{
	struct st *t = *state;
	assert_int_equal(
	    t_req(t, "POST", "/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
	          "application/x-www-form-urlencoded", NULL,
	          "grant_type=client_credentials&client_id=x&client_secret=y&scope=a%2F.default"),
	    400);
	assert_int_equal(error_code(t), 90002);
	assert_true(strncmp(t_str(t, "error_description"), "AADSTS90002: Tenant", 19) == 0);
}

static void test_bad_grant_scope_or_missing_fields_are_400(void **state)
{
	struct st *t = *state;
	char *url = xasprintf("/%s/oauth2/v2.0/token", t_id(t, "azure.tenant"));
	static const struct {
		const char *form, *error;
		int code;
	} cases[] = {
	    {"grant_type=password&client_id=a&client_secret=b&scope=x%2F.default",
	     "unsupported_grant_type", 70003},
	    {"grant_type=client_credentials&client_id=a&client_secret=b&scope=https%3A%2F%"
	     "2Fmanagement.azure.com%2Fuser_impersonation",
	     "invalid_scope", 1002012},
	    {"grant_type=client_credentials&client_id=a&client_secret=b", "invalid_request",
	     900144},
	    {"client_id=a&client_secret=b&scope=x%2F.default", "invalid_request", 900144},
	    {"grant_type=client_credentials&client_id=nobody&client_secret=b&scope=x%2F.default",
	     "unauthorized_client", 700016},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(
		    t_req(t, "POST", url, "application/x-www-form-urlencoded", NULL, cases[i].form),
		    400);
		assert_string_equal(t_str(t, "error"), cases[i].error);
		assert_int_equal(error_code(t), cases[i].code);
	}
	assert_int_equal(t_req(t, "POST", url, "application/json", NULL, "{}"), 400);
	assert_int_equal(t_req(t, "GET", url, NULL, NULL, NULL), 405);
	free(url);
}

static void test_tenant_domain_and_basic_auth_client_credentials_work(void **state)
{
	struct st *t = *state;
	char *raw = xasprintf("%s:%s", t_id(t, "azure.client_id"), t_id(t, "azure.client_secret"));
	char *enc_id = t_urlenc(t_id(t, "azure.client_id")),
	     *enc_sec = t_urlenc(t_id(t, "azure.client_secret"));
	char *raw_enc = xasprintf("%s:%s", enc_id, enc_sec), *b = t_b64(raw_enc);
	char *auth = xasprintf("Basic %s", b);
	assert_int_equal(t_req(t, "POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token",
	                       "application/x-www-form-urlencoded", auth,
	                       "grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure."
	                       "com%2F.default"),
	                 200);
	assert_non_null(t_str(t, "access_token"));
	free(raw);
	free(enc_id);
	free(enc_sec);
	free(raw_enc);
	free(b);
	free(auth);
}

static void test_short_lifetime_token_expires_after_clock_advance(void **state)
{
	struct st *t = *state;
	assert_int_equal(t_ctl(t, "/_sim/faults", "{\"token_lifetime_s\":60}"), 200);
	char *bearer = t_bearer(t, "azure");
	assert_int_equal((int)cJSON_GetNumberValue(t_at(t->j, "expires_in")), 60);
	char *url = xasprintf("/subscriptions/%s/resourcegroups?api-version=2021-04-01",
	                      t_id(t, "azure.subscription"));
	assert_int_equal(t_req(t, "GET", url, NULL, bearer, NULL), 200);
	assert_int_equal(t_ctl(t, "/_sim/clock", "{\"advance_ms\":59000}"), 200);
	assert_int_equal(t_req(t, "GET", url, NULL, bearer, NULL), 200);
	assert_int_equal(t_ctl(t, "/_sim/clock", "{\"advance_ms\":1000}"), 200);
	assert_int_equal(t_req(t, "GET", url, NULL, bearer, NULL), 401);
	assert_string_equal(t_str(t, "error.code"), "ExpiredAuthenticationToken");
	free(bearer);
	bearer = t_bearer(t, "azure"); /* a fresh token works again */
	assert_int_equal(t_req(t, "GET", url, NULL, bearer, NULL), 200);
	free(bearer);
	free(url);
}

static void test_tampered_token_is_rejected(void **state)
{
	struct st *t = *state;
	char *bearer = t_bearer(t, "azure");
	size_t n = strlen(bearer);
	bearer[n - 2] = bearer[n - 2] == 'A' ? 'B' : 'A';
	char *url = xasprintf("/subscriptions/%s/resourcegroups?api-version=2021-04-01",
	                      t_id(t, "azure.subscription"));
	assert_int_equal(t_req(t, "GET", url, NULL, bearer, NULL), 401);
	assert_string_equal(t_str(t, "error.code"), "InvalidAuthenticationToken");
	free(bearer);
	free(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_client_credentials_with_encoded_secret_issue_a_bearer_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_secret_is_401_invalid_client_aadsts7000215,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_tenant_is_400_aadsts90002, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_bad_grant_scope_or_missing_fields_are_400, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_tenant_domain_and_basic_auth_client_credentials_work, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_lifetime_token_expires_after_clock_advance,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tampered_token_is_rejected, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
