/* test_core: errors, atomic files and display-width layout. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "err.h"
#include "fsutil.h"
#include "textwidth.h"
#include "xmalloc.h"

static void test_err_set_returns_minus_one_and_formats(void **state)
{
	struct err e;
	err_clear(&e);
	assert_int_equal(err_set(&e, ERR_IO, "cannot %s %d", "open", 7), -1);
	assert_string_equal(e.msg, "cannot open 7");
	assert_int_equal(e.kind, ERR_IO);
	err_wrap(&e, "reading %s", "x.json");
	assert_string_equal(e.msg, "reading x.json: cannot open 7");
	assert_string_equal(err_kind_name(ERR_AUTH), "auth");
}

static char *tmpfile_path(const char *name)
{
	const char *t = getenv("TMPDIR");
	return xasprintf("%s/%s", t ? t : "/tmp", name);
}

static void test_atomic_write_replaces_and_sets_mode(void **state)
{
	char *p = tmpfile_path("atomic.txt"), *data;
	struct err e;
	struct stat st;
	size_t len;

	assert_int_equal(fs_write_atomic(p, "one", 3, 0600, &e), 0);
	assert_int_equal(fs_write_atomic(p, "second", 6, 0600, &e), 0);
	assert_int_equal(fs_read_all(p, 1024, &data, &len, &e), 0);
	assert_string_equal(data, "second");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(data);
	unlink(p);
	free(p);
}

static void test_atomic_write_failure_keeps_old_file(void **state)
{
	char *p = tmpfile_path("keep.txt"), *data;
	struct err e;

	assert_int_equal(fs_write_atomic(p, "old", 3, 0600, &e), 0);
	setenv("CHLINK_TEST_FAIL_BEFORE_RENAME", "1", 1);
	assert_int_equal(fs_write_atomic(p, "new!", 4, 0600, &e), -1);
	unsetenv("CHLINK_TEST_FAIL_BEFORE_RENAME");
	assert_int_equal(e.kind, ERR_IO);
	assert_int_equal(fs_read_all(p, 1024, &data, NULL, &e), 0);
	assert_string_equal(data, "old");
	free(data);
	unlink(p);
	free(p);
}

static void test_read_all_refuses_oversized(void **state)
{
	char *p = tmpfile_path("big.txt"), *data = NULL;
	struct err e;

	assert_int_equal(fs_write_atomic(p, "0123456789", 10, 0600, &e), 0);
	assert_int_equal(fs_read_all(p, 5, &data, NULL, &e), -1);
	assert_null(data);
	assert_non_null(strstr(e.msg, "larger"));
	unlink(p);
	free(p);
}

static void test_width_counts_cjk_as_two_cells(void **state)
{
	assert_int_equal(tw_width("Pending"), 7);
	assert_int_equal(tw_width("保留中"), 6);
	assert_int_equal(tw_width("a承認済みb"), 10);
}

static void test_fit_never_splits_a_wide_character(void **state)
{
	char out[64];
	int w = tw_fit("プライベートエンドポイント", 6, 0, out, sizeof out);
	assert_true(w <= 6);
	assert_string_equal(out, "プラ…");
	w = tw_fit("short", 10, 0, out, sizeof out);
	assert_int_equal(w, 5);
	assert_string_equal(out, "short");
	tw_pad("ab", 4, out, sizeof out);
	assert_string_equal(out, "ab  ");
}

static void test_wrap_breaks_latin_at_spaces_and_cjk_anywhere(void **state)
{
	const char *next;
	size_t n = tw_wrap_line("hello brave new world", 12, &next);
	assert_int_equal(n, 11);
	assert_string_equal(next, "new world");
	n = tw_wrap_line("許可リストに追加します。", 10, &next);
	assert_true(tw_width_n("許可リストに追加します。", n) <= 10);
	assert_true(n > 0 && n % 3 == 0);
	/* never start a line with the closing 。 */
	n = tw_wrap_line("追加します。", 10, &next);
	assert_true(strncmp(next, "。", 3) != 0);
}

/* Japanese line breaking (kinsoku): no line starts with a small kana or the prolonged sound
 * mark, and none ends with an opening bracket. */
static void test_wrap_keeps_small_kana_and_long_vowel_off_the_line_start(void **state)
{
	static const char *const non_starters[] = {
	    "ッ", "ャ", "ュ", "ョ", "ァ", "ィ", "ゥ", "ェ", "ォ", "ヮ", "ヵ", "ヶ",
	    "っ", "ゃ", "ゅ", "ょ", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "ゎ", "ー",
	};
	char s[64];
	const char *next;

	for (size_t i = 0; i < sizeof non_starters / sizeof non_starters[0]; i++) {
		/* five wide characters fill 10 cells: the plain break would put it first */
		snprintf(s, sizeof s, "あいうえお%sか", non_starters[i]);
		size_t n = tw_wrap_line(s, 10, &next);
		if (n != strlen("あいうえ") || next != s + n)
			fail_msg("a line starts with %s: \"%s\"", non_starters[i], next);
	}
	/* the opening bracket goes down with what it opens */
	size_t n = tw_wrap_line("あいうえ「おか」", 10, &next);
	assert_int_equal(n, strlen("あいうえ"));
	assert_string_equal(next, "「おか」");
	/* a line of nothing but non-starters is still cut, never left empty */
	n = tw_wrap_line("ーーーーーーー", 10, &next);
	assert_int_equal(n, strlen("ーーーーー"));
	assert_string_equal(next, "ーー");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_err_set_returns_minus_one_and_formats),
	    cmocka_unit_test(test_atomic_write_replaces_and_sets_mode),
	    cmocka_unit_test(test_atomic_write_failure_keeps_old_file),
	    cmocka_unit_test(test_read_all_refuses_oversized),
	    cmocka_unit_test(test_width_counts_cjk_as_two_cells),
	    cmocka_unit_test(test_fit_never_splits_a_wide_character),
	    cmocka_unit_test(test_wrap_breaks_latin_at_spaces_and_cjk_anywhere),
	    cmocka_unit_test(test_wrap_keeps_small_kana_and_long_vowel_off_the_line_start),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
