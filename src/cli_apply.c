/*
 * cli_apply: `chlink apply`: perform the missing steps in order, then wait
 * (polling with backoff 2 s -> 10 s) until the endpoint is Approved, DNS is
 * in place and the access probe passes, or the timeout, or something a
 * person must do.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_int.h"
#include "i18n.h"
#include "loop.h"
#include "xmalloc.h"

/* A step whose failure another apply can repair (the record is rewritten with the right IP). */
static int repairable(enum flow_step s)
{
	return s == FLOW_DNS_RECORD;
}

static void noop(void *ud)
{
	(void)ud;
}

/* Sleep on the loop (requests in flight keep running); 0, or -1 past the deadline. */
static int pause_ms(struct cli_ctx *c, unsigned ms, uint64_t deadline)
{
	uint64_t now = loop_now_ms(c->loop), until = now + ms;

	if (now >= deadline)
		return -1;
	if (until > deadline)
		until = deadline;
	loop_timer(c->loop, (unsigned)(until - now), noop, NULL);
	while (loop_now_ms(c->loop) < until)
		if (loop_once(c->loop, (int)(until - loop_now_ms(c->loop))) < 0)
			break;
	return 0;
}

static int confirm_create(struct cli_ctx *c)
{
	const struct flow_answers *a = flow_answers(c->flow);
	char *q, *name;
	int yes;

	if (c->o.yes)
		return 1;
	if (!cli_interactive()) {
		cli_errorf("%s",
		           _("refusing to create Azure resources without --yes (stdin is not a "
		             "terminal)"));
		return 0;
	}
	name = flow_planned_pe_name(c->flow);
	q = xasprintf(_("Create private endpoint %s in %s?"), name,
	              a->resource_group ? a->resource_group : "?");
	yes = cli_confirm(c, q);
	free(q);
	free(name);
	return yes;
}

static void progress(struct cli_ctx *c, unsigned waited_s)
{
	const struct flow_view *v = flow_view(c->flow);
	enum flow_step s = flow_first_missing(c->flow);

	if (s == FLOW_NSTEPS)
		return;
	fprintf(stderr, "  %s %s: %s (%u s)%s%s\n", cli_mark(c, v->step[s].state),
	        _(flow_step_info(s)->title), v->step[s].detail, waited_s,
	        v->waiting_on ? " — " : "", v->waiting_on ? v->waiting_on : "");
}

/* Why the run stops at step s: say exactly what a person must do. */
static int stop_at(struct cli_ctx *c, enum flow_step s, const struct err *e)
{
	const struct flow_view *v = flow_view(c->flow);
	struct err x;

	if (e && e->kind == ERR_TIMEOUT) {
		err_clear(&x);
		err_set(&x, ERR_TIMEOUT, _("gave up waiting after %ld s: %s: %s"), c->o.timeout_s,
		        _(flow_step_info(s)->title), v->step[s].detail);
		err_hint(&x, "%s", v->waiting_on ? v->waiting_on : e->hint);
		e = &x;
	}
	if (e) {
		cli_error(e);
		return e->kind == ERR_USAGE || e->kind == ERR_CONFLICT || e->kind == ERR_TIMEOUT
		           ? EXIT_INCOMPLETE
		           : EXIT_ERROR;
	}
	err_clear(&x);
	err_set(&x, ERR_CONFLICT, "%s: %s", _(flow_step_info(s)->title), v->step[s].detail);
	if (v->step[s].state == FLOW_UNKNOWN)
		err_hint(&x, "%s",
		         _("chlink cannot observe this step; do it by hand, then run chlink "
		           "status"));
	else
		err_hint(&x, "%s", _("run chlink doctor for the cause and the fix"));
	cli_error(&x);
	return v->step[s].state == FLOW_FAILED ? EXIT_ERROR : EXIT_INCOMPLETE;
}

/* The first step to act on, skipping those that cannot be observed (portal path). */
static enum flow_step next_step(struct cli_ctx *c, int *skipped)
{
	const struct flow_view *v = flow_view(c->flow);

	*skipped = 0;
	for (int s = 0; s < FLOW_NSTEPS; s++) {
		if (v->step[s].state == FLOW_DONE)
			continue;
		if (v->step[s].state == FLOW_UNKNOWN && s != FLOW_ALIAS) {
			(*skipped)++;
			continue;
		}
		return (enum flow_step)s;
	}
	return FLOW_NSTEPS;
}

int cli_apply(struct cli_ctx *c)
{
	uint64_t start = loop_now_ms(c->loop), deadline = start + (uint64_t)c->o.timeout_s * 1000;
	unsigned backoff = 2000;
	int access_failures = 0, skipped;
	struct err e;

	c->deadline_ms = deadline;
	err_clear(&e);
	if (cli_check(c, &e) < 0)
		return stop_at(c, FLOW_ALIAS, &e);
	for (;;) {
		const struct flow_view *v = flow_view(c->flow);
		enum flow_step s = next_step(c, &skipped);
		enum flow_state st = s < FLOW_NSTEPS ? v->step[s].state : FLOW_DONE;

		if (s == FLOW_NSTEPS) {
			cli_status_text(c, stderr);
			return skipped ? EXIT_INCOMPLETE : EXIT_OK;
		}
		if (st == FLOW_MISSING || (st == FLOW_FAILED && repairable(s))) {
			if (s == FLOW_ENDPOINT && !confirm_create(c))
				return EXIT_INCOMPLETE;
			if (s == FLOW_ALIAS && st == FLOW_MISSING)
				return stop_at(c, s, NULL);
			err_clear(&e);
			if (cli_apply_step(c, s, &e) < 0)
				return stop_at(c, s, &e);
			/* Applied, yet still missing: a person must look. */
			if (flow_view(c->flow)->step[s].state == FLOW_MISSING)
				return stop_at(c, s, NULL);
			backoff = 2000;
			continue;
		}
		/* A failed probe may still settle (DNS caches, a link InProgress); a refusal won't.
		 */
		if (st == FLOW_FAILED &&
		    !(s == FLOW_ACCESS && v->conn != FLOW_CONN_REJECTED &&
		      v->conn != FLOW_CONN_DISCONNECTED && ++access_failures < 4))
			return stop_at(c, s, NULL);
		if (st == FLOW_UNKNOWN)
			return stop_at(c, s, NULL);
		/* pending (or an access probe that may still settle): wait and look again */
		progress(c, (unsigned)((loop_now_ms(c->loop) - start) / 1000));
		if (pause_ms(c, backoff, deadline) < 0) {
			struct err t;
			err_clear(&t);
			err_set(&t, ERR_TIMEOUT, "%s", _("timed out"));
			return stop_at(c, s, &t);
		}
		backoff = backoff * 3 / 2 > 10000 ? 10000 : backoff * 3 / 2;
		err_clear(&e);
		/* Waiting for approval: poll the endpoint alone (the poll probes the access once
		 * it moved); nothing else changes while it waits.
		 */
		if (v->conn == FLOW_CONN_PENDING && s >= FLOW_ALLOWLIST) {
			if (cli_poll_connection(c, &e) < 0)
				return stop_at(c, s, &e);
			if (flow_view(c->flow)->conn != FLOW_CONN_PENDING)
				backoff = 2000;
			continue;
		}
		if (cli_check(c, &e) < 0)
			return stop_at(c, s, &e);
	}
}
