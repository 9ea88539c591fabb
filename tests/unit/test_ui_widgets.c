/* test_ui_widgets: text input editing with multibyte characters, list focus, wrapping, confirm,
 * script. */
#include "config.h"
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "script.h"
#include "ui.h"
#include "textwidth.h"
#include "widget.h"

static struct ui_key ch(wint_t c)
{
	return (struct ui_key){0, c};
}

static struct ui_key fn(int k)
{
	return (struct ui_key){k, 0};
}

static void type(struct w_input *in, const wchar_t *s)
{
	for (; *s; s++)
		assert_true(w_input_key(in, ch((wint_t)*s)));
}

static void test_input_edits_multibyte_by_character(void **state)
{
	struct w_input in;

	(void)state;
	w_input_init(&in, 64, 0);
	type(&in, L"aé日本");
	assert_string_equal(in.buf, "aé日本");
	assert_int_equal(in.cur, strlen("aé日本"));
	w_input_key(&in, fn(KEY_BACKSPACE)); /* removes 本 whole (3 bytes) */
	assert_string_equal(in.buf, "aé日");
	w_input_key(&in, fn(KEY_LEFT)); /* before 日 */
	w_input_key(&in, fn(KEY_LEFT)); /* before é */
	assert_int_equal(in.cur, 1);
	type(&in, L"ü");
	assert_string_equal(in.buf, "aüé日");
	w_input_key(&in, fn(KEY_DC)); /* deletes é */
	assert_string_equal(in.buf, "aü日");
	w_input_key(&in, fn(KEY_HOME));
	type(&in, L"x");
	assert_string_equal(in.buf, "xaü日");
	w_input_key(&in, fn(KEY_END));
	assert_int_equal(in.cur, in.len);
	w_input_key(&in, ch(0x7f)); /* DEL from a terminal is Backspace too */
	assert_string_equal(in.buf, "xaü");
	w_input_key(&in, ch(0x15)); /* Ctrl-U */
	assert_string_equal(in.buf, "");
	assert_int_equal(in.cur, 0);
	w_input_free(&in);
}

static void test_input_never_overflows_or_splits(void **state)
{
	struct w_input in;

	(void)state;
	w_input_init(&in, 6, 0); /* room for 5 bytes */
	type(&in, L"日本語");    /* 9 bytes: only 日 fits after 本 would need 6 */
	assert_true(in.len <= 5);
	assert_int_equal(tw_width(in.buf), 2 * (int)(in.len / 3));
	w_input_set(&in, "ab日本"); /* cut at 5 bytes would split 本 */
	assert_string_equal(in.buf, "ab日");
	w_input_key(&in, fn(KEY_RIGHT)); /* at the end: stays */
	assert_int_equal(in.cur, in.len);
	w_input_free(&in);
}

static void test_input_secret_clear_wipes(void **state)
{
	struct w_input in;

	(void)state;
	w_input_init(&in, 32, 1);
	type(&in, L"s3cr3t");
	assert_string_equal(in.buf, "s3cr3t");
	w_input_key(&in, fn(KEY_BACKSPACE));
	assert_int_equal(in.buf[6], '\0'); /* the removed byte is gone, not left behind */
	w_input_clear(&in);
	for (size_t i = 0; i < in.cap; i++)
		assert_int_equal(in.buf[i], 0);
	w_input_free(&in);
}

static void test_input_ignores_control_and_unknown_keys(void **state)
{
	struct w_input in;

	(void)state;
	w_input_init(&in, 16, 0);
	assert_false(w_input_key(&in, ch('\t')));
	assert_false(w_input_key(&in, ch('\r')));
	assert_false(w_input_key(&in, fn(KEY_UP)));
	assert_string_equal(in.buf, "");
	w_input_free(&in);
}

static void test_list_moves_within_bounds_and_toggles(void **state)
{
	struct w_list l = {.n = 5};

	(void)state;
	assert_int_equal(w_list_key(&l, fn(KEY_UP), 2), W_LIST_MOVED);
	assert_int_equal(l.cur, 0);
	w_list_key(&l, fn(KEY_DOWN), 2);
	w_list_key(&l, fn(KEY_NPAGE), 2);
	assert_int_equal(l.cur, 3);
	w_list_key(&l, fn(KEY_NPAGE), 2);
	assert_int_equal(l.cur, 4);
	w_list_key(&l, fn(KEY_HOME), 2);
	assert_int_equal(l.cur, 0);
	w_list_key(&l, fn(KEY_END), 2);
	assert_int_equal(l.cur, 4);
	assert_int_equal(w_list_key(&l, ch(' '), 2), W_LIST_TOGGLE);
	assert_int_equal(w_list_key(&l, ch('x'), 2), 0);
	w_list_scroll(&l, 3);
	assert_int_equal(l.top, 2);
	l.cur = 0;
	w_list_scroll(&l, 3);
	assert_int_equal(l.top, 0);
	l.n = 0;
	assert_int_equal(w_list_key(&l, fn(KEY_DOWN), 2), 0);
}

struct lines {
	char v[32][256];
	int n;
};

static void keep(void *ud, int row, const char *s, size_t n)
{
	struct lines *l = ud;

	assert_int_equal(row, l->n);
	assert_true(n < sizeof l->v[0]);
	memcpy(l->v[l->n], s, n);
	l->v[l->n][n] = '\0';
	l->n++;
}

static void test_wrap_latin_at_spaces_within_width(void **state)
{
	struct lines l = {.n = 0};
	const char *text = "Stage 2 creates a private endpoint in your virtual network.";

	int n;

	(void)state;
	n = w_wrap(text, 20, keep, &l);

	assert_int_equal(n, l.n);
	assert_true(l.n >= 3);
	for (int i = 0; i < l.n; i++) {
		assert_true(tw_width(l.v[i]) <= 20);
		assert_true(l.v[i][0] != ' ');
	}
	assert_string_equal(l.v[0], "Stage 2 creates a");
}

static void test_wrap_japanese_on_character_boundaries(void **state)
{
	struct lines l = {.n = 0};
	const char *text = "エンドポイントの接続は承認されるまで保留中のままです。";
	char joined[512] = "";

	(void)state;
	w_wrap(text, 11, keep, &l);
	assert_true(l.n >= 5);
	for (int i = 0; i < l.n; i++) {
		assert_true(tw_width(l.v[i]) <= 11);
		if (i < l.n - 1)
			assert_int_equal(tw_width(l.v[i]), 10); /* filled, not broken early */
		strncat(joined, l.v[i], sizeof joined - strlen(joined) - 1);
	}
	assert_string_equal(joined, text); /* no character lost or split */
	assert_true(strncmp(l.v[l.n - 1] + strlen(l.v[l.n - 1]) - 3, "。", 3) == 0);
	assert_true(strncmp(l.v[l.n - 1], "。", 3) != 0); /* never a line starting with 。 */
}

static void test_confirm_defaults_to_no(void **state)
{
	(void)state;
	assert_int_equal(w_confirm_key(ch('y')), 1);
	assert_int_equal(w_confirm_key(ch('Y')), 1);
	assert_int_equal(w_confirm_key(ch('n')), 0);
	assert_int_equal(w_confirm_key(ch(27)), 0);
	assert_int_equal(w_confirm_key(ch('\r')), 0);
	assert_int_equal(w_confirm_key(ch('x')), -1);
}

static void test_multiselect_keeps_the_first_choice_in_front(void **state)
{
	struct flow_answers a = {0};
	struct flow_service s1 = {.id = "id-1", .name = "analytics"};
	struct flow_service s2 = {.id = "id-2", .name = "reporting"};
	struct flow_service by_name = {.id = "other", .name = "analytics"};

	(void)state;
	assert_false(ui_service_chosen(&a, &s1));
	ui_service_choose(&a, &s2, 1, 0);
	ui_service_choose(&a, &s1, 1, 1); /* stage 1's service goes first */
	assert_int_equal(a.n_services, 2);
	assert_string_equal(a.services[0], "id-1");
	assert_string_equal(a.services[1], "id-2");
	ui_service_choose(&a, &s2, 1, 0); /* ticking again does not duplicate */
	assert_int_equal(a.n_services, 2);
	assert_false(ui_service_chosen(&a, &by_name)); /* stored by id: another id is not it */
	ui_service_choose(&a, &s1, 0, 0);
	assert_int_equal(a.n_services, 1);
	assert_string_equal(a.services[0], "id-2");
	assert_false(ui_service_chosen(&a, &s1));
	ui_service_choose(&a, &s2, 0, 0);
	assert_int_equal(a.n_services, 0);
	/* answers from a profile or flags may name a service: the name matches too */
	a.services[0] = strdup("analytics");
	a.n_services = 1;
	assert_true(ui_service_chosen(&a, &by_name));
	assert_true(ui_service_chosen(&a, &s1));
	ui_service_choose(&a, &s1, 0, 0);
	assert_int_equal(a.n_services, 0);
	free(a.services);
}

static char *write_tmp(const char *body)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(512);
	FILE *f;

	snprintf(path, 512, "%s/script-XXXXXX", dir != NULL ? dir : "/tmp");
	close(mkstemp(path));
	f = fopen(path, "w");
	fputs(body, f);
	fclose(f);
	return path;
}

static void test_script_parses_every_item(void **state)
{
	char *path = write_tmp("# comment\n\nEnter\ntype a日\nwait-for Approved now\n"
	                       "resize 60 20\ndump welcome\nq\nDown\n");
	struct err e = {0};
	struct script *s = script_load(path, &e);
	const struct script_item *it;

	(void)state;
	assert_non_null(s);
	it = script_next(s);
	assert_int_equal(it->op, SO_KEY);
	assert_int_equal(it->key.ch, '\r');
	assert_int_equal(it->line, 3);
	it = script_next(s);
	assert_int_equal(it->key.ch, 'a');
	it = script_next(s);
	assert_int_equal(it->key.ch, 0x65e5); /* 日 */
	it = script_next(s);
	assert_int_equal(it->op, SO_WAIT);
	assert_string_equal(it->text, "Approved now");
	it = script_next(s);
	assert_int_equal(it->op, SO_RESIZE);
	assert_int_equal(it->cols, 60);
	assert_int_equal(it->rows, 20);
	it = script_next(s);
	assert_int_equal(it->op, SO_DUMP);
	assert_string_equal(it->text, "welcome");
	it = script_next(s);
	assert_int_equal(it->key.ch, 'q');
	it = script_next(s);
	assert_int_equal(it->key.fn, KEY_DOWN);
	assert_int_equal(script_next(s)->op, SO_END);
	assert_int_equal(script_next(s)->op, SO_END);
	script_free(s);
	unlink(path);
	free(path);
}

static void test_script_rejects_unknown_items(void **state)
{
	const char *bad[] = {"Enterr\n", "resize 80\n", "dump ../x\n", "resize 0 10\n"};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *path = write_tmp(bad[i]);
		struct err e = {0};
		assert_null(script_load(path, &e));
		assert_non_null(strstr(e.msg, "line 1"));
		unlink(path);
		free(path);
	}
}

/* The Azure client borrows the answers' subscription while an observation runs: storing the
 * same value again must keep the string it reads (a heap-use-after-free seen in tmux tests). */
static void test_answer_set_keeps_an_unchanged_string(void **state)
{
	char *slot = strdup("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
	const char *lent = slot;

	(void)state;
	ui_answer_set(&slot, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
	assert_ptr_equal(lent, slot);
	ui_answer_set(&slot, "6e1f3a52-1111-4c2b-9d3e-000000000001");
	assert_string_equal("6e1f3a52-1111-4c2b-9d3e-000000000001", slot);
	ui_answer_set(&slot, "");
	assert_null(slot);
	ui_answer_set(&slot, "rg-app");
	assert_string_equal("rg-app", slot);
	free(slot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_input_edits_multibyte_by_character),
	    cmocka_unit_test(test_input_never_overflows_or_splits),
	    cmocka_unit_test(test_input_secret_clear_wipes),
	    cmocka_unit_test(test_input_ignores_control_and_unknown_keys),
	    cmocka_unit_test(test_list_moves_within_bounds_and_toggles),
	    cmocka_unit_test(test_wrap_latin_at_spaces_within_width),
	    cmocka_unit_test(test_wrap_japanese_on_character_boundaries),
	    cmocka_unit_test(test_confirm_defaults_to_no),
	    cmocka_unit_test(test_multiselect_keeps_the_first_choice_in_front),
	    cmocka_unit_test(test_script_parses_every_item),
	    cmocka_unit_test(test_script_rejects_unknown_items),
	    cmocka_unit_test(test_answer_set_keeps_an_unchanged_string),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
