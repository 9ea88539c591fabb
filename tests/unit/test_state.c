/* test_state: the profile file: round trip, journal, created ids, corrupt files moved aside. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fsutil.h"
#include "state.h"
#include "xmalloc.h"

static char *tmpdir(void)
{
	char *t = xasprintf("%s/st-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t));
	return t;
}

static void fill(struct state *st)
{
	struct flow_answers *a = &st->answers;

	a->region = xstrdup("westus3");
	a->services = xcalloc(2, sizeof(char *));
	a->services[0] = xstrdup("prod-1");
	a->services[1] = xstrdup("prod-2");
	a->n_services = 2;
	a->resource_group = xstrdup("rg");
	a->pe_name = xstrdup("pe-1");
	a->id_form = FLOW_ID_RESOURCE_ID;
	a->path[2] = FLOW_PATH_PORTAL;
	state_journal_start(st, "create-endpoint", "/subscriptions/s/resourceGroups/rg/x/pe-1");
	state_created_add(st, "/subscriptions/s/resourceGroups/rg/x/pe-1");
}

static void test_state_round_trips_answers_journal_and_created(void **unused)
{
	char *dir = tmpdir(), *path;
	struct state st = {0}, back;
	struct stat sb;
	struct err e;

	(void)unused;
	fill(&st);
	assert_int_equal(state_save(dir, "p1", &st, &e), 0);
	path = state_path(dir, "p1");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(state_load(dir, "p1", &back, &e), 0);
	assert_string_equal(back.answers.region, "westus3");
	assert_int_equal(back.answers.n_services, 2);
	assert_string_equal(back.answers.services[1], "prod-2");
	assert_string_equal(back.answers.pe_name, "pe-1");
	assert_null(back.answers.vnet);
	assert_int_equal(back.answers.id_form, FLOW_ID_RESOURCE_ID);
	assert_int_equal(back.answers.path[2], FLOW_PATH_PORTAL);
	assert_int_equal(back.answers.path[1], FLOW_PATH_API);
	assert_non_null(state_journal_pending(&back, "create-endpoint"));
	assert_true(state_created_has(&back, "/SUBSCRIPTIONS/s/resourcegroups/rg/x/pe-1"));
	state_free(&back);
	state_free(&st);
	free(path);
	free(dir);
}

static void test_state_dir_is_created_0700(void **unused)
{
	char *dir = tmpdir(), *sub = xasprintf("%s/a/b", dir);
	struct state st = {0};
	struct stat sb;
	struct err e;

	(void)unused;
	assert_int_equal(state_save(sub, "default", &st, &e), 0);
	assert_int_equal(stat(sub, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	free(sub);
	free(dir);
}

static void test_state_missing_file_is_empty(void **unused)
{
	char *dir = tmpdir();
	struct state st;
	struct err e;

	(void)unused;
	assert_int_equal(state_load(dir, "none", &st, &e), 0);
	assert_null(st.answers.region);
	assert_int_equal(st.n_journal, 0);
	state_free(&st);
	free(dir);
}

static int count_corrupt(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strstr(de->d_name, "p.json.corrupt-"))
			n++;
	closedir(d);
	return n;
}

static void test_state_corrupt_file_is_moved_aside_with_a_message(void **unused)
{
	char *dir = tmpdir(), *path = state_path(dir, "p");
	const char junk[] = "{\"version\":1,\"answers\":";
	struct state st;
	struct err e;

	(void)unused;
	assert_int_equal(fs_write_atomic(path, junk, sizeof junk - 1, 0600, &e), 0);
	err_clear(&e);
	assert_int_equal(state_load(dir, "p", &st, &e), 1);
	assert_non_null(strstr(e.msg, "corrupt-"));
	assert_true(e.hint[0] != '\0');
	assert_int_equal(count_corrupt(dir), 1);
	assert_null(st.answers.region);
	state_free(&st);
	/* the next load starts clean */
	assert_int_equal(state_load(dir, "p", &st, &e), 0);
	state_free(&st);
	free(path);
	free(dir);
}

static void test_state_tolerates_unknown_fields_and_any_order(void **unused)
{
	const char text[] = "{\"future\":[1,2],\"created\":[\"x\"],\"answers\":{\"shoe\":1,"
	                    "\"services\":[\"a\",5,\"\"],\"region\":\"eastus2\"},\"version\":1}";
	struct state st;
	struct err e;

	(void)unused;
	assert_int_equal(state_from_json(text, &st, &e), 0);
	assert_string_equal(st.answers.region, "eastus2");
	assert_int_equal(st.answers.n_services, 1);
	assert_true(state_created_has(&st, "X"));
	state_free(&st);
	assert_int_equal(state_from_json("{\"version\":2}", &st, &e), -1);
	assert_int_equal(state_from_json("[]", &st, &e), -1);
	assert_int_equal(state_from_json("{\"answers\":7}", &st, &e), -1);
}

static void test_state_journal_marks_done_and_forgets(void **unused)
{
	struct state st = {0};

	(void)unused;
	state_journal_start(&st, "create-endpoint", "/a");
	state_journal_start(&st, "create-zone", "/z");
	assert_string_equal(state_journal_pending(&st, "create-endpoint")->id, "/a");
	state_journal_done(&st, "create-endpoint", "/A");
	assert_null(state_journal_pending(&st, "create-endpoint"));
	assert_non_null(state_journal_pending(&st, "create-zone"));
	state_journal_forget(&st, "/z");
	assert_null(state_journal_pending(&st, "create-zone"));
	assert_int_equal(st.n_journal, 1);
	state_created_add(&st, "/a");
	state_created_add(&st, "/A");
	assert_int_equal(st.n_created, 1);
	state_created_remove(&st, "/a");
	assert_false(state_created_has(&st, "/a"));
	state_free(&st);
}

static void test_state_rejects_bad_profile_names(void **unused)
{
	struct state st;
	struct err e;

	(void)unused;
	assert_false(state_valid_profile("../x"));
	assert_false(state_valid_profile(".hidden"));
	assert_false(state_valid_profile(""));
	assert_false(state_valid_profile("a/b"));
	assert_true(state_valid_profile("prod-eu_1.2"));
	assert_int_equal(state_load("/tmp", "../etc", &st, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state_round_trips_answers_journal_and_created),
	    cmocka_unit_test(test_state_dir_is_created_0700),
	    cmocka_unit_test(test_state_missing_file_is_empty),
	    cmocka_unit_test(test_state_corrupt_file_is_moved_aside_with_a_message),
	    cmocka_unit_test(test_state_tolerates_unknown_fields_and_any_order),
	    cmocka_unit_test(test_state_journal_marks_done_and_forgets),
	    cmocka_unit_test(test_state_rejects_bad_profile_names),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
