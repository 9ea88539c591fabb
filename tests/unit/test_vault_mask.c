/* test_vault_mask: secrets are shown as at most their last 4 characters. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <string.h>
#include "mask.h"

static void test_mask_shows_last_four(void **state)
{
	char out[64];

	assert_int_equal(mask_secret_as("abcdefghijklmnopqrstuvwxyz", 1, out, sizeof out), 0);
	assert_string_equal(out, "••••••••wxyz");
	assert_int_equal(mask_secret_as("abcdefghijklmnopqrstuvwxyz", 0, out, sizeof out), 0);
	assert_string_equal(out, "********wxyz");
}

static void test_mask_hides_short_secrets_fully(void **state)
{
	char out[64];

	assert_int_equal(mask_secret_as("abcdefghijk", 0, out, sizeof out), 0); /* 11 < 12 */
	assert_string_equal(out, "********");
	assert_int_equal(mask_secret_as("abcdefghijkl", 0, out, sizeof out), 0);
	assert_string_equal(out, "********ijkl");
	assert_int_equal(mask_secret_as("", 1, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(mask_secret_as(NULL, 1, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void test_mask_counts_characters_not_bytes(void **state)
{
	char out[64];

	/* 12 characters, the last four multi-byte: never cut inside one */
	assert_int_equal(mask_secret_as("abcdefghéèàü", 0, out, sizeof out), 0);
	assert_string_equal(out, "********éèàü");
}

static void test_mask_refuses_small_buffer(void **state)
{
	char out[12];

	assert_int_equal(mask_secret_as("abcdefghijklmnop", 1, out, sizeof out), -1);
	assert_string_equal(out, "");
	assert_int_equal(mask_secret_as("abcdefghijklmnop", 0, out, 0), -1);
}

static void test_mask_follows_locale(void **state)
{
	char out[64];

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		skip();
	assert_int_equal(mask_secret("0123456789abcdef", out, sizeof out), 0);
	assert_string_equal(out, "••••••••cdef");
	setlocale(LC_ALL, "C");
	assert_int_equal(mask_secret("0123456789abcdef", out, sizeof out), 0);
	assert_string_equal(out, "********cdef");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mask_shows_last_four),
	    cmocka_unit_test(test_mask_hides_short_secrets_fully),
	    cmocka_unit_test(test_mask_counts_characters_not_bytes),
	    cmocka_unit_test(test_mask_refuses_small_buffer),
	    cmocka_unit_test(test_mask_follows_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
