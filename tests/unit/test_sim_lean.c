/*
 * test_sim_lean: the real engine and clients against the real simulator (in
 * process, as `chlink --demo` runs it) with lean_answers on, i.e. every
 * answer in another shape the fact sheets allow: members reversed, unknown
 * members, empty arrays and "Succeeded" provisioning states left out, no
 * envelope status/requestId, lower-case header names, one item per ARM list
 * page. A whole setup and its teardown must work all the same.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demo.h"
#include "flow.h"
#include "http.h"
#include "loop.h"
#include "xmalloc.h"

#define DEADLINE_MS 300000u

struct t {
	struct loop *l;
	struct flow *f;
	struct flow_config cfg;
	struct demo *d;
	int done, rc;
	struct err e;
};

static void on_done(void *ud, int rc, const struct err *e)
{
	struct t *t = ud;
	t->rc = rc;
	err_clear(&t->e);
	if (e)
		t->e = *e;
	t->done = 1;
}

static int run(struct t *t, int started)
{
	struct err e;
	assert_int_equal(started, 0);
	assert_int_equal(loop_run_until(t->l, &t->done, loop_now_ms(t->l) + DEADLINE_MS, &e), 0);
	t->done = 0;
	return t->rc;
}

static void woke(void *ud)
{
	*(int *)ud = 1;
}

/* Let the simulated clouds move on (approval, long-running operations) without busy-waiting. */
static void pause_ms(struct t *t, unsigned ms)
{
	int flag = 0;
	struct err e;
	loop_timer(t->l, ms, woke, &flag);
	assert_int_equal(loop_run_until(t->l, &flag, loop_now_ms(t->l) + ms + 60000, &e), 0);
}

/* A control call or a raw read of the simulator; the parsed body (caller frees). */
static cJSON *sim_call(struct t *t, const char *method, const char *path, const char *body)
{
	char *url = xasprintf("%s%s", t->cfg.api_url, path);
	struct http_req rq = {.method = method,
	                      .url = url,
	                      .body = body,
	                      .body_len = body ? strlen(body) : 0,
	                      .content_type = body ? "application/json" : NULL};
	struct http_resp *r = NULL;
	struct err e;
	cJSON *j;
	assert_int_equal(http_send_wait(flow_http(t->f), &rq, &r, &e), 0);
	assert_int_equal(r->status, 200);
	j = cJSON_ParseWithLength(r->body, r->len);
	assert_non_null(j);
	http_resp_free(r);
	free(url);
	return j;
}

static void on_event(void *ud, const char *line)
{
	struct t *t = ud;
	fprintf(stderr, "# %6.1f s %s\n", (double)loop_now_ms(t->l) / 1000.0, line);
}

static int setup(void **state)
{
	struct t *t = xcalloc(1, sizeof *t);
	struct err e;
	cJSON *j;
	t->l = loop_new(&e);
	assert_non_null(t->l);
	t->d = demo_start(&t->cfg, &e);
	if (!t->d)
		fail_msg("demo_start: %s", e.msg);
	t->f = flow_new(t->l, &t->cfg, &e);
	assert_non_null(t->f);
	demo_prefill(flow_answers(t->f));
	flow_set_events(t->f, on_event, t);
	j = sim_call(t, "POST", "/_sim/faults", "{\"lean_answers\":true,\"page_size\":1}");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "lean_answers")));
	cJSON_Delete(j);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	flow_free(t->f);
	demo_stop(t->d);
	loop_free(t->l);
	free(t);
	return 0;
}

static void fail_stuck(struct t *t, enum flow_step s)
{
	const struct flow_view *v = flow_view(t->f);
	fail_msg("step %s is %s: %s", flow_step_info(s)->key, flow_state_name(v->step[s].state),
	         v->step[s].detail);
}

/* What `chlink apply` does: apply what is missing, look again while something is pending. */
static void drive(struct t *t)
{
	uint64_t deadline = loop_now_ms(t->l) + DEADLINE_MS;
	int applied[FLOW_NSTEPS] = {0};
	int look = 1;
	for (;;) {
		const struct flow_view *v;
		enum flow_step s;
		if (look)
			assert_int_equal(run(t, flow_check(t->f, on_done, t)), 0);
		look = 1;
		v = flow_view(t->f);
		s = flow_first_missing(t->f);
		if (s == FLOW_NSTEPS)
			return;
		if ((v->step[s].state == FLOW_MISSING || v->step[s].state == FLOW_FAILED) &&
		    applied[s]++ < 3) {
			if (run(t, flow_apply(t->f, s, on_done, t)) != 0 && applied[s] == 3)
				fail_msg("applying %s: %s", flow_step_info(s)->key, t->e.msg);
			continue;
		}
		if (v->step[s].state == FLOW_UNKNOWN || loop_now_ms(t->l) > deadline)
			fail_stuck(t, s);
		pause_ms(t, 1000);
		/* waiting for approval: read the endpoint alone (the ClickHouse key's rate limit)
		 */
		if (v->conn == FLOW_CONN_PENDING && s >= FLOW_ALLOWLIST) {
			assert_int_equal(run(t, flow_poll_connection(t->f, on_done, t)), 0);
			look = flow_view(t->f)->conn != FLOW_CONN_PENDING;
		}
	}
}

static int count_of(cJSON *world, const char *key)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(world, "azure"), key));
}

static void test_whole_setup_and_teardown_on_lean_answers(void **state)
{
	struct t *t = *state;
	static const enum flow_step undo_order[] = {FLOW_ALLOWLIST,  FLOW_ORG,      FLOW_DNS_LINK,
	                                            FLOW_DNS_RECORD, FLOW_DNS_ZONE, FLOW_ENDPOINT};
	const struct flow_view *v;
	cJSON *w;

	drive(t);
	v = flow_view(t->f);
	for (int s = 0; s < FLOW_NSTEPS; s++)
		if (v->step[s].state != FLOW_DONE)
			fail_stuck(t, (enum flow_step)s);
	assert_int_equal(v->conn, FLOW_CONN_APPROVED);
	/* the troubleshooting reads lists and ids too: a healthy setup has no findings */
	assert_int_equal(run(t, flow_doctor(t->f, on_done, t)), 0);
	v = flow_view(t->f);
	for (size_t i = 0; i < v->n_findings; i++)
		fprintf(stderr, "# finding %s: %s (%s)\n", v->findings[i].code,
		        v->findings[i].verdict, v->findings[i].evidence);
	assert_int_equal(v->n_findings, 0);
	w = sim_call(t, "GET", "/_sim/world", NULL);
	assert_int_equal(count_of(w, "privateEndpoints"), 1);
	assert_int_equal(count_of(w, "privateDnsZones"), 1);
	cJSON_Delete(w);

	for (size_t i = 0; i < sizeof undo_order / sizeof undo_order[0]; i++)
		if (run(t, flow_undo(t->f, undo_order[i], 0, on_done, t)) != 0)
			fail_msg("undoing %s: %s", flow_step_info(undo_order[i])->key, t->e.msg);
	w = sim_call(t, "GET", "/_sim/world", NULL);
	assert_int_equal(count_of(w, "privateDnsZones"), 0);
	assert_int_equal(count_of(w, "virtualNetworkLinks"), 0);
	cJSON_Delete(w);
	/* the endpoint's DELETE is long-running: it is gone once the operation ends */
	for (int i = 0;; i++) {
		int n;
		w = sim_call(t, "GET", "/_sim/world", NULL);
		n = count_of(w, "privateEndpoints");
		cJSON_Delete(w);
		if (n == 0)
			break;
		if (i > 120)
			fail_msg("the endpoint is still there after its deletion");
		pause_ms(t, 500);
	}
	w = sim_call(t, "GET", "/_sim/faults", NULL);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(w, "lean_answers")));
	cJSON_Delete(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_whole_setup_and_teardown_on_lean_answers, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
