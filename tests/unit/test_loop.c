/* test_loop: timers, cancellation, re-entrant callbacks, watched descriptors, deadlines. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include "loop.h"

struct rec {
	struct loop *l;
	char order[16];
	int n;
	unsigned cancel_me;
};

static void mark_a(void *ud)
{
	struct rec *r = ud;
	r->order[r->n++] = 'a';
}

static void mark_b(void *ud)
{
	struct rec *r = ud;
	r->order[r->n++] = 'b';
}

static void mark_c_and_cancel(void *ud)
{
	struct rec *r = ud;
	r->order[r->n++] = 'c';
	loop_cancel(r->l, r->cancel_me);
}

static void run_until_idle(struct loop *l)
{
	for (int i = 0; i < 200 && loop_busy(l); i++)
		assert_true(loop_once(l, 50) >= 0);
}

static void test_timers_fire_in_due_order(void **state)
{
	struct err e;
	struct rec r = {0};
	r.l = loop_new(&e);
	assert_non_null(r.l);
	loop_timer(r.l, 30, mark_b, &r);
	loop_timer(r.l, 0, mark_a, &r);
	assert_int_equal(loop_busy(r.l), 2);
	run_until_idle(r.l);
	assert_string_equal(r.order, "ab");
	loop_free(r.l);
}

static void test_cancel_from_a_callback_prevents_firing(void **state)
{
	struct err e;
	struct rec r = {0};
	r.l = loop_new(&e);
	loop_timer(r.l, 0, mark_c_and_cancel, &r);
	r.cancel_me = loop_timer(r.l, 20, mark_a, &r);
	run_until_idle(r.l);
	assert_string_equal(r.order, "c");
	assert_int_equal(loop_busy(r.l), 0);
	loop_free(r.l);
}

static void rearm(void *ud)
{
	struct rec *r = ud;
	r->order[r->n++] = 'r';
	if (r->n < 3)
		loop_timer(r->l, 0, rearm, r);
}

static void test_zero_delay_rearm_runs_once_per_pass(void **state)
{
	struct err e;
	struct rec r = {0};
	r.l = loop_new(&e);
	loop_timer(r.l, 0, rearm, &r);
	assert_int_equal(loop_once(r.l, 0), 1);
	assert_int_equal(r.n, 1);
	run_until_idle(r.l);
	assert_string_equal(r.order, "rrr");
	loop_free(r.l);
}

struct fdrec {
	struct loop *l;
	int hits;
	char got;
};

static void on_readable(void *ud, int fd, short rev)
{
	struct fdrec *f = ud;
	assert_true(rev & POLLIN);
	assert_int_equal(read(fd, &f->got, 1), 1);
	f->hits++;
	loop_unwatch(f->l, fd);
}

static void test_watched_fd_wakes_the_loop(void **state)
{
	struct err e;
	struct fdrec f = {0};
	int p[2];
	assert_int_equal(pipe(p), 0);
	f.l = loop_new(&e);
	assert_int_equal(loop_watch(f.l, p[0], POLLIN, on_readable, &f), 0);
	assert_int_equal(loop_once(f.l, 0), 0);
	assert_int_equal(write(p[1], "k", 1), 1);
	for (int i = 0; i < 100 && !f.hits; i++)
		loop_once(f.l, 100);
	assert_int_equal(f.hits, 1);
	assert_int_equal(f.got, 'k');
	assert_int_equal(write(p[1], "z", 1), 1);
	assert_int_equal(loop_once(f.l, 0), 0); /* unwatched: nothing runs */
	close(p[0]);
	close(p[1]);
	loop_free(f.l);
}

static void test_watch_table_has_a_limit(void **state)
{
	struct err e;
	struct loop *l = loop_new(&e);
	struct fdrec f = {0};
	int i;
	for (i = 0; i < 16; i++)
		assert_int_equal(loop_watch(l, 100 + i, POLLIN, on_readable, &f), 0);
	assert_int_equal(loop_watch(l, 200, POLLIN, on_readable, &f), -1);
	assert_int_equal(loop_watch(l, 105, POLLOUT, on_readable, &f), 0); /* update in place */
	loop_free(l);
}

static void set_flag(void *ud)
{
	*(int *)ud = 1;
}

static void test_run_until_deadline_and_done(void **state)
{
	struct err e;
	struct loop *l = loop_new(&e);
	int done = 0;
	uint64_t t0 = loop_now_ms(l);
	assert_int_equal(loop_run_until(l, &done, t0 + 30, &e), -1);
	assert_int_equal(e.kind, ERR_TIMEOUT);
	assert_true(loop_now_ms(l) >= t0 + 30);
	loop_timer(l, 5, set_flag, &done);
	assert_int_equal(loop_run_until(l, &done, 0, &e), 0);
	assert_int_equal(done, 1);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timers_fire_in_due_order),
	    cmocka_unit_test(test_cancel_from_a_callback_prevents_firing),
	    cmocka_unit_test(test_zero_delay_rearm_runs_once_per_pass),
	    cmocka_unit_test(test_watched_fd_wakes_the_loop),
	    cmocka_unit_test(test_watch_table_has_a_limit),
	    cmocka_unit_test(test_run_until_deadline_and_done),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
