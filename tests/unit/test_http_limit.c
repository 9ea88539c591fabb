/* test_http_limit: the rate limiter on a scripted clock against a model of the server's window. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "http_int.h"

#define N_REQ  10
#define WIN_MS 10000u
#define TOTAL  60

/*
 * One simulated request: it leaves chlink's limiter at `sent`, reaches the
 * server `delay` ms later (it may wait for a connection that long) and is
 * answered 10 ms after that.
 */
struct req {
	uint64_t slot, sent, arrive, answer;
	int state; /* 0 waiting, 1 in flight, 2 answered */
};

/* Requests the server counts in its sliding window (t - WIN_MS, t]. */
static int server_count(const struct req *r, int n, uint64_t t)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		c += r[i].state && r[i].arrive <= t && r[i].arrive + WIN_MS > t;
	return c;
}

/*
 * Send TOTAL requests as fast as the limiter lets them go, every one of them
 * overlapping others, in batches of ten that alternate slow (held 300 ms on
 * the way) and fast (1 ms): a fast batch after a slow one is what made the
 * server see an eleventh request inside its window when slots were stamped at
 * send time. Returns the most the server ever counted; *end the last answer.
 */
static int run(struct hlim *l, uint64_t *end)
{
	static struct req r[TOTAL];
	uint64_t next_try = 0;
	int sent = 0, worst = 0;

	for (int i = 0; i < TOTAL; i++)
		r[i] = (struct req){0};
	for (uint64_t t = 0; t < 20 * WIN_MS; t++) {
		for (int i = 0; i < sent; i++) {
			if (r[i].state == 1 && r[i].answer == t) {
				hlim_done(l, "key", r[i].slot, t);
				r[i].state = 2;
			}
			if (r[i].state && r[i].arrive == t) {
				int c = server_count(r, sent, t);
				worst = c > worst ? c : worst;
			}
		}
		while (sent < TOTAL && t >= next_try) {
			unsigned w = hlim_take(l, "key", t, &r[sent].slot);
			if (w > 0) {
				next_try = t + w;
				break;
			}
			r[sent].sent = t;
			r[sent].arrive = t + ((sent / N_REQ) % 2 == 0 ? 300u : 1u);
			r[sent].answer = r[sent].arrive + 10;
			r[sent].state = 1;
			sent++;
		}
		if (sent == TOTAL && r[TOTAL - 1].state == 2) {
			*end = t;
			return worst;
		}
	}
	*end = UINT64_MAX;
	return worst;
}

static void test_never_more_than_the_limit_at_the_server(void **state)
{
	struct hlim *l = hlim_new(NULL, N_REQ, WIN_MS / 1000);
	uint64_t end;
	int worst;

	(void)state;
	worst = run(l, &end);
	assert_true(worst <= N_REQ);
	assert_int_equal(worst, N_REQ); /* and the window is used: full batches go at once */
	/* Six batches need five windows of waiting, plus the answers and margins. */
	assert_true(end < 6 * (uint64_t)WIN_MS);
	hlim_free(l);
}

static void test_a_request_in_flight_holds_its_slot(void **state)
{
	struct hlim *l = hlim_new(NULL, 2, 10);
	uint64_t a, b, c;

	(void)state;
	assert_int_equal(hlim_take(l, "k", 1000, &a), 0);
	assert_int_equal(hlim_take(l, "k", 1000, &b), 0);
	/* Long after the window, both still in flight: the third must wait. */
	assert_true(hlim_take(l, "k", 60000, &c) > 0);
	hlim_done(l, "k", a, 60000);
	/* Answered at 60000: the slot frees a window later, not a window after its send. */
	assert_true(hlim_take(l, "k", 60000 + 9000, &c) > 0);
	assert_int_equal(hlim_take(l, "k", 60000 + WIN_MS + 60, &c), 0);
	/* Other keys have their own window. */
	assert_int_equal(hlim_take(l, "other", 60000, &c), 0);
	hlim_free(l);
}

static void test_the_wait_names_when_a_slot_frees(void **state)
{
	struct hlim *l = hlim_new(NULL, 1, 10);
	uint64_t a, b;
	unsigned w;

	(void)state;
	assert_int_equal(hlim_take(l, "k", 0, &a), 0);
	hlim_done(l, "k", a, 500);
	w = hlim_take(l, "k", 1000, &b);
	assert_true(w >= 9500 && w <= 9500 + 100); /* 500 + 10 s (+ margin) - 1000 */
	assert_int_equal(hlim_take(l, "k", 1000 + w, &b), 0);
	hlim_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_never_more_than_the_limit_at_the_server),
	    cmocka_unit_test(test_a_request_in_flight_holds_its_slot),
	    cmocka_unit_test(test_the_wait_names_when_a_slot_frees),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
