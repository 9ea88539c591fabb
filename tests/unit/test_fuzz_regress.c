/* test_fuzz_regress: replay every kept fuzz input (tests/fuzz/regress/) through its harness. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "fsutil.h"
#include "fuzz.h"
#include "xmalloc.h"

static int replay(const char *sub, int (*one)(const uint8_t *, size_t))
{
	const char *top = getenv("top_srcdir");
	char *dir = xasprintf("%s/tests/fuzz/regress/%s", top ? top : ".", sub);
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	assert_non_null(d);
	while ((de = readdir(d))) {
		char *path, *data = NULL;
		size_t len = 0;
		struct err e;
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		assert_int_equal(fs_read_all(path, 1 << 20, &data, &len, &e), 0);
		one((const uint8_t *)data, len);
		free(data);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	return n;
}

static void test_replay_chc(void **state)
{
	assert_true(replay("chc", fuzz_chc_one) > 0);
}

static void test_replay_azure(void **state)
{
	assert_true(replay("azure", fuzz_azure_one) > 0);
}

static void test_replay_dns(void **state)
{
	assert_true(replay("dns", fuzz_dns_one) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_replay_chc),
	    cmocka_unit_test(test_replay_azure),
	    cmocka_unit_test(test_replay_dns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
