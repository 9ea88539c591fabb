/* test_cli: option parsing and exit statuses of cli_main, with the engine on fake clouds. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "fake_clouds.h"
#include "fsutil.h"
#include "xmalloc.h"

static struct fake_world W;

/* Run cli_main with argv (NULL-terminated), stdout captured into *out when out != NULL. */
static int run(char **out, ...)
{
	char *argv[32],
	    *path = xasprintf("%s/cli-out", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int argc = 0, saved, fd, rc;
	size_t len;
	struct err e;
	va_list ap;

	argv[argc++] = (char *)"chlink";
	va_start(ap, out);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	fflush(stdout);
	saved = dup(1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	close(fd);
	rc = cli_main(argc, argv, &(struct cli_frontend){NULL});
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	if (out)
		assert_int_equal(fs_read_all(path, 1 << 20, out, &len, &e), 0);
	free(path);
	return rc;
}

static int setup(void **s)
{
	char *dir = xasprintf("%s/cli-state-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");

	(void)s;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	free(dir);
	fake_world_init(&W);
	fake_use(&W);
	setenv("KEY_ID", "kid", 1);
	setenv("KEY_SECRET", "ksecret", 1);
	setenv("ORG_ID", "org-1", 1);
	setenv("AZURE_TENANT_ID", "t", 1);
	setenv("AZURE_CLIENT_ID", "c", 1);
	setenv("AZURE_CLIENT_SECRET", "cs", 1);
	setenv("AZURE_SUBSCRIPTION_ID", "sub-1", 1);
	unsetenv("REGION");
	unsetenv("PROVIDER");
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	fake_world_free(&W);
	return 0;
}

static void test_cli_usage_errors_exit_2(void **s)
{
	(void)s;
	assert_int_equal(run(NULL, "--bogus", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "frobnicate", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "apply", "--timeout", "soon", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "status", "--region", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "--profile", "../x", "status", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "export", "yaml", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "export", "curl", "json", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "export", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "status", "now", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "status", "--pe-ip", "10.0.0", NULL), EXIT_USAGE);
	assert_int_equal(run(NULL, "status", "--endpoint-id", "name", NULL), EXIT_USAGE);
	setenv("CHLINK_PROFILE", "a/b", 1);
	assert_int_equal(run(NULL, "status", NULL), EXIT_USAGE);
	unsetenv("CHLINK_PROFILE");
	setenv("PROVIDER", "aws", 1);
	assert_int_equal(run(NULL, "status", NULL), EXIT_USAGE);
	unsetenv("PROVIDER");
}

static void test_cli_help_version_wizard_and_creds(void **s)
{
	char *out;

	(void)s;
	assert_int_equal(run(&out, "--help", NULL), EXIT_OK);
	assert_non_null(strstr(out, "--dns-resource-group"));
	assert_non_null(strstr(out, "teardown"));
	free(out);
	assert_int_equal(run(&out, "--version", NULL), EXIT_OK);
	assert_non_null(strstr(out, "chlink "));
	free(out);
	assert_int_equal(run(NULL, NULL), EXIT_USAGE); /* no wizard in this front end */
	assert_int_equal(run(NULL, "creds", "list", NULL), EXIT_USAGE); /* no such creds command */
	assert_int_equal(run(&out, "creds", "path", NULL), EXIT_OK);
	assert_non_null(strstr(out, "chlink/credentials"));
	free(out);
}

static void test_cli_status_is_incomplete_on_an_empty_world(void **s)
{
	char *out;

	(void)s;
	assert_int_equal(run(&out, "status", "--region", "westus3", NULL), EXIT_INCOMPLETE);
	assert_non_null(strstr(out, "prod-west"));
	free(out);
}

static const char *step_state(cJSON *root, const char *id)
{
	cJSON *it;
	cJSON_ArrayForEach (it, cJSON_GetObjectItem(root, "steps"))
		if (!strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id))
			return cJSON_GetObjectItem(it, "state")->valuestring;
	return "absent";
}

static void test_cli_apply_then_status_json_agrees_with_the_world(void **s)
{
	char *out;
	cJSON *root, *ep;

	(void)s;
	assert_int_equal(run(NULL, "apply", "--yes", "--region", "westus3", "--resource-group",
	                     "rg1", "--vnet", "vnet1", "--subnet", "default", NULL),
	                 EXIT_OK);
	assert_int_equal(W.n_pe_creates, 1);
	/* the answers were saved: a bare status sees the same setup */
	assert_int_equal(run(&out, "status", "--json", NULL), EXIT_OK);
	root = cJSON_Parse(out);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "profile")->valuestring, "default");
	{
		/* the documented schema (chlink(1), JSON): every key is present, null when unknown
		 */
		static const char *const keys[] = {"profile",   "region",   "steps",    "service",
		                                   "services",  "endpoint", "dns",      "org",
		                                   "allowlist", "access",   "waitingOn"};
		static const char *const ep_keys[] = {"id",
		                                      "name",
		                                      "resourceGuid",
		                                      "ip",
		                                      "connectionStatus",
		                                      "provisioningState",
		                                      "location"};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			assert_non_null(cJSON_GetObjectItem(root, keys[i]));
		for (size_t i = 0; i < sizeof ep_keys / sizeof ep_keys[0]; i++)
			assert_non_null(
			    cJSON_GetObjectItem(cJSON_GetObjectItem(root, "endpoint"), ep_keys[i]));
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "steps")), 8);
	}
	assert_string_equal(step_state(root, "access"), "done");
	ep = cJSON_GetObjectItem(root, "endpoint");
	assert_string_equal(cJSON_GetObjectItem(ep, "resourceGuid")->valuestring, W.pes[0].guid);
	assert_string_equal(cJSON_GetObjectItem(ep, "ip")->valuestring, W.pes[0].ip);
	assert_string_equal(cJSON_GetObjectItem(ep, "connectionStatus")->valuestring, "Approved");
	assert_true(
	    cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "org"), "registered")));
	cJSON_Delete(root);
	free(out);
	assert_int_equal(run(NULL, "doctor", NULL), EXIT_OK);
	assert_int_equal(run(NULL, "teardown", "--yes", NULL), EXIT_OK);
	assert_int_equal(fake_n_existing_pes(&W), 0);
	assert_int_equal(W.n_org, 0);
	assert_int_equal(run(NULL, "status", NULL), EXIT_INCOMPLETE);
}

static void test_cli_apply_refuses_to_create_without_yes_off_a_terminal(void **s)
{
	(void)s;
	assert_int_equal(run(NULL, "apply", "--region", "westus3", "--resource-group", "rg1",
	                     "--vnet", "vnet1", "--subnet", "default", NULL),
	                 EXIT_INCOMPLETE);
	assert_int_equal(W.n_pe_creates, 0);
}

static void test_cli_apply_stops_at_a_missing_answer(void **s)
{
	(void)s;
	assert_int_equal(run(NULL, "apply", "--yes", "--region", "westus3", NULL), EXIT_INCOMPLETE);
	assert_int_equal(W.n_pe_creates, 0);
	assert_int_equal(run(NULL, "apply", "--yes", NULL), EXIT_INCOMPLETE);
}

static void test_cli_apply_gives_up_at_the_timeout_and_says_who_must_act(void **s)
{
	(void)s;
	W.force_conn = "Pending"; /* approval never comes */
	assert_int_equal(run(NULL, "apply", "--yes", "--timeout", "1", "--region", "westus3",
	                     "--resource-group", "rg1", "--vnet", "vnet1", "--subnet", "default",
	                     NULL),
	                 EXIT_INCOMPLETE);
	assert_int_equal(W.n_pe_creates, 1);
	assert_int_equal(W.services[0].n_pe_ids, 1);
	W.force_conn = "Rejected";
	assert_int_equal(run(NULL, "apply", "--yes", NULL), EXIT_ERROR);
	assert_int_equal(run(NULL, "doctor", NULL), EXIT_INCOMPLETE);
	assert_int_equal(W.n_pe_creates, 1);
}

static void test_cli_marks_fall_back_to_ascii_outside_utf8(void **s)
{
	char *out;

	(void)s;
	W.force_conn = NULL;
	assert_int_equal(run(NULL, "apply", "--yes", "--region", "westus3", "--resource-group",
	                     "rg1", "--vnet", "vnet1", "--subnet", "default", NULL),
	                 EXIT_OK);
	setenv("LC_ALL", "C", 1);
	assert_int_equal(run(&out, "status", NULL), EXIT_OK);
	assert_non_null(strstr(out, "[+] 1 "));
	assert_null(strstr(out, "✓"));
	free(out);
	setenv("LC_ALL", "C.UTF-8", 1);
	assert_int_equal(run(&out, "status", NULL), EXIT_OK);
	assert_non_null(strstr(out, "[✓] 1 "));
	free(out);
	unsetenv("LC_ALL");
}

static void test_cli_guide_variables_fill_answers(void **s)
{
	char *out;

	(void)s;
	setenv("REGION", "westus3", 1);
	setenv("PROVIDER", "azure", 1);
	assert_int_equal(run(&out, "status", "--json", NULL), EXIT_INCOMPLETE);
	assert_non_null(strstr(out, "\"region\":\t\"westus3\""));
	free(out);
	unsetenv("REGION");
	unsetenv("PROVIDER");
}

static void test_cli_export_prints_no_secret(void **s)
{
	char *out;

	(void)s;
	assert_int_equal(run(NULL, "apply", "--yes", "--region", "westus3", "--resource-group",
	                     "rg1", "--vnet", "vnet1", "--subnet", "default", NULL),
	                 EXIT_OK);
	assert_int_equal(run(&out, "export", "curl", NULL), EXIT_OK);
	assert_null(strstr(out, "ksecret"));
	assert_non_null(strstr(out, W.pes[0].guid));
	free(out);
	assert_int_equal(run(&out, "export", "terraform", NULL), EXIT_OK);
	assert_null(strstr(out, "ksecret"));
	assert_non_null(strstr(out, W.services[0].alias));
	free(out);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_cli_usage_errors_exit_2),
	    T(test_cli_help_version_wizard_and_creds),
	    T(test_cli_status_is_incomplete_on_an_empty_world),
	    T(test_cli_apply_then_status_json_agrees_with_the_world),
	    T(test_cli_apply_refuses_to_create_without_yes_off_a_terminal),
	    T(test_cli_apply_stops_at_a_missing_answer),
	    T(test_cli_apply_gives_up_at_the_timeout_and_says_who_must_act),
	    T(test_cli_marks_fall_back_to_ascii_outside_utf8),
	    T(test_cli_guide_variables_fill_answers),
	    T(test_cli_export_prints_no_secret),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
