/* test_evloop: timers, watched descriptors and deadlines of the single event loop. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <unistd.h>
#include "loop.h"

struct rec {
	int order[8];
	int n;
};

static void mark1(void *ud)
{
	struct rec *r = ud;
	r->order[r->n++] = 1;
}
static void mark2(void *ud)
{
	struct rec *r = ud;
	r->order[r->n++] = 2;
}
static void mark3(void *ud)
{
	struct rec *r = ud;
	r->order[r->n++] = 3;
}

static void test_timers_fire_in_due_order_and_cancel_works(void **state)
{
	struct err e;
	struct loop *l = loop_new(&e);
	struct rec r = {{0}, 0};
	unsigned id;
	int done = 0;

	loop_timer(l, 30, mark2, &r);
	loop_timer(l, 5, mark1, &r);
	id = loop_timer(l, 10, mark3, &r);
	loop_cancel(l, id);
	assert_int_equal(loop_busy(l), 2);
	while (r.n < 2)
		assert_true(loop_once(l, 100) >= 0);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 2);
	assert_int_equal(loop_busy(l), 0);
	(void)done;
	loop_free(l);
}

static void on_readable(void *ud, int fd, short rev)
{
	char c;
	int *got = ud;
	if ((rev & POLLIN) && read(fd, &c, 1) == 1)
		*got = c;
}

static void test_watched_fd_wakes_the_loop(void **state)
{
	struct err e;
	struct loop *l = loop_new(&e);
	int p[2], got = 0;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_watch(l, p[0], POLLIN, on_readable, &got), 0);
	assert_int_equal(write(p[1], "k", 1), 1);
	for (int i = 0; i < 20 && got == 0; i++)
		loop_once(l, 100);
	assert_int_equal(got, 'k');
	loop_unwatch(l, p[0]);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void test_run_until_reports_timeout(void **state)
{
	struct err e;
	struct loop *l = loop_new(&e);
	int done = 0;

	err_clear(&e);
	assert_int_equal(loop_run_until(l, &done, loop_now_ms(l) + 20, &e), -1);
	assert_int_equal(e.kind, ERR_TIMEOUT);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timers_fire_in_due_order_and_cancel_works),
	    cmocka_unit_test(test_watched_fd_wakes_the_loop),
	    cmocka_unit_test(test_run_until_reports_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
