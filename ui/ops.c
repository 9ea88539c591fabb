/* ops: what the screens ask of the engine — confirmed steps run one at a time, checks, doctor. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "ui.h"
#include "xmalloc.h"

void ui_note(struct ui *u, int bad, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->message, sizeof u->message, fmt, ap);
	va_end(ap);
	u->message_bad = bad;
	u->dirty = 1;
}

static void op_next(struct ui *u);

static void op_done(void *ud, int rc, const struct err *e)
{
	struct ui *u = ud;

	if (rc < 0) {
		u->op.busy = 0;
		u->progress[0] = '\0'; /* the error says what happened; no stale "Succeeded" */
		if (e != NULL && e->hint[0] != '\0')
			ui_note(u, 1, "%s %s", e->msg, e->hint);
		else
			ui_note(u, 1, "%s", e != NULL ? e->msg : _("The step failed."));
		ui_check(u);
		return;
	}
	u->op.i++;
	/* the queued step starts now: its "queued" note is history */
	if (u->op.i < u->op.n &&
	    strcmp(u->message, _("Queued: it starts when the step in progress ends.")) == 0)
		u->message[0] = '\0';
	op_next(u);
}

static void op_next(struct ui *u)
{
	enum flow_step s;
	int rc;

	if (u->op.i >= u->op.n) {
		u->op.busy = 0;
		u->dirty = 1;
		ui_check(u);
		return;
	}
	if (u->checking) {
		/* The engine runs one operation at a time: go on when the check ends. */
		u->op.deferred = 1;
		return;
	}
	s = u->op.steps[u->op.i];
	rc = u->op.undo ? flow_undo(u->flow, s, 0, op_done, u) : flow_apply(u->flow, s, op_done, u);
	if (rc < 0) {
		u->op.busy = 0;
		ui_note(u, 1, _("Could not start the step \"%s\"."), _(flow_step_info(s)->title));
	}
	u->dirty = 1;
}

/*
 * A step confirmed while another runs is queued behind it, not refused: the user
 * said yes, and the engine runs one operation at a time anyway. Refused only when
 * the queue cannot take it: the troubleshooting checks hold the engine (they run
 * no steps), or the direction differs (apply behind undo or the reverse).
 */
static int can_queue(const struct ui *u, int undo)
{
	if (!u->op.busy)
		return 1;
	return u->op.i < u->op.n && u->op.undo == undo;
}

static int queued(const struct ui *u, enum flow_step s)
{
	for (int i = u->op.i; i < u->op.n; i++)
		if (u->op.steps[i] == s)
			return 1;
	return 0;
}

/* Append to the steps of the operation in progress (the running one stays first). */
static void enqueue(struct ui *u, const enum flow_step *steps, int n)
{
	int kept = u->op.n - u->op.i, added = 0;

	memmove(u->op.steps, u->op.steps + u->op.i, (size_t)kept * sizeof *steps);
	u->op.n = kept;
	u->op.i = 0;
	for (int k = 0; k < n && u->op.n < FLOW_NSTEPS; k++)
		if (!queued(u, steps[k])) {
			u->op.steps[u->op.n++] = steps[k];
			added++;
		}
	/* the same step asked for again while it runs: its result is on the way */
	ui_note(u, 0, "%s",
	        added > 0 ? _("Queued: it starts when the step in progress ends.")
	                  : _("Please wait: the previous step is still running."));
}

void ui_run(struct ui *u, const enum flow_step *steps, int n, int undo)
{
	if (!can_queue(u, undo)) {
		ui_note(u, 0, "%s", _("Please wait: the previous step is still running."));
		return;
	}
	if (n > FLOW_NSTEPS)
		n = FLOW_NSTEPS;
	if (u->op.busy) {
		enqueue(u, steps, n);
		return;
	}
	memcpy(u->op.steps, steps, (size_t)n * sizeof *steps);
	u->op.n = n;
	u->op.i = 0;
	u->op.undo = undo;
	u->op.busy = 1;
	u->progress[0] = '\0';
	u->message[0] = '\0';
	op_next(u);
}

void ui_confirm(struct ui *u, const char *question, const enum flow_step *steps, int n, int undo)
{
	if (!can_queue(u, undo)) {
		ui_note(u, 0, "%s", _("Please wait: the previous step is still running."));
		return;
	}
	snprintf(u->confirm.question, sizeof u->confirm.question, "%s", question);
	if (n > FLOW_NSTEPS)
		n = FLOW_NSTEPS;
	memcpy(u->confirm.steps, steps, (size_t)n * sizeof *steps);
	u->confirm.n = n;
	u->confirm.undo = undo;
	u->confirm.open = 1;
	u->dirty = 1;
}

static void check_done(void *ud, int rc, const struct err *e)
{
	struct ui *u = ud;

	u->checking = 0;
	if (rc < 0 && e != NULL)
		ui_note(u, 1, "%s", e->msg);
	u->dirty = 1;
	if (u->op.deferred) {
		u->op.deferred = 0;
		op_next(u);
		return;
	}
	ui_poll_schedule(u);
}

void ui_check(struct ui *u)
{
	if (u->checking || u->op.busy)
		return;
	u->checking = 1;
	if (flow_check(u->flow, check_done, u) < 0)
		u->checking = 0;
}

/*
 * The credentials changed (vault unlocked or created): the engine builds its
 * clients from them when it starts, so start a new one on the same profile.
 */
int ui_reopen_flow(struct ui *u, struct err *e)
{
	struct flow *f;

	if (flow_save(u->flow, e) < 0 || (f = flow_new(u->loop, u->cfg, e)) == NULL)
		return -1;
	flow_free(u->flow);
	u->flow = f;
	u->checking = 0;
	u->op.busy = 0;
	flow_set_events(u->flow, ui_on_event, u);
	ui_answers(u);
	return 0;
}

static void poll_done(void *ud, int rc, const struct err *e)
{
	struct ui *u = ud;

	u->checking = 0;
	u->dirty = 1;
	if (rc == 0 && flow_view(u->flow)->conn != FLOW_CONN_PENDING) {
		ui_check(u); /* it moved: look at everything (access, probes) once */
		return;
	}
	if (rc < 0 && e != NULL)
		ui_note(u, 1, "%s", e->msg);
	ui_poll_schedule(u);
}

/* The background poll: while only the approval is awaited, one request per poll. */
void ui_poll(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	int others = 0;

	for (int i = 0; i < FLOW_ALLOWLIST; i++)
		others |= v->step[i].state == FLOW_PENDING;
	if (v->conn != FLOW_CONN_PENDING || others) {
		ui_check(u);
		return;
	}
	if (u->checking || u->op.busy)
		return;
	u->checking = 1;
	if (flow_poll_connection(u->flow, poll_done, u) < 0)
		u->checking = 0;
}

static void doctor_done(void *ud, int rc, const struct err *e)
{
	struct ui *u = ud;

	u->op.busy = 0;
	u->m.doctor.ran = 1;
	if (rc < 0 && e != NULL)
		ui_note(u, 1, "%s", e->msg);
	u->dirty = 1;
}

void ui_doctor(struct ui *u)
{
	if (u->op.busy)
		return;
	u->op.busy = 1;
	u->op.n = u->op.i = 0; /* no steps: nothing can queue behind the checks */
	u->m.doctor.ran = 0;
	if (flow_doctor(u->flow, doctor_done, u) < 0)
		u->op.busy = 0;
}

/*
 * An unchanged answer keeps its string: the engine lends some answers to requests in
 * flight (the Azure client reads the subscription from the answers), so re-storing a
 * form's unchanged value must not free what a running observation still reads.
 */
void ui_answer_set(char **slot, const char *value)
{
	if (*slot != NULL && value != NULL && strcmp(*slot, value) == 0)
		return;
	free(*slot);
	*slot = value != NULL && value[0] != '\0' ? xstrdup(value) : NULL;
}

const char *ui_str(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * Plausible answers for the demo: the host's (the simulator's world) when it
 * gives them, else these; the subscription is the credentials' own.
 */
struct flow_answers *ui_answers(struct ui *u)
{
	struct flow_answers *a = flow_answers(u->flow);
	static const struct {
		size_t off;
		const char *value;
	} demo[] = {
	    {offsetof(struct flow_answers, region), "westus3"},
	    {offsetof(struct flow_answers, resource_group), "rg-app"},
	    {offsetof(struct flow_answers, vnet), "vnet-app"},
	    {offsetof(struct flow_answers, subnet), "default"},
	    {offsetof(struct flow_answers, location), "westus3"},
	    {offsetof(struct flow_answers, pe_name), "pe-clickhouse"},
	};

	if (!u->cfg->demo)
		return a;
	if (u->opts->demo_prefill != NULL)
		u->opts->demo_prefill(a);
	if (a->subscription == NULL && u->cfg->creds != NULL && u->cfg->creds->subscription_id)
		a->subscription = xstrdup(u->cfg->creds->subscription_id);
	for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
		char **slot = (char **)((char *)a + demo[i].off);
		if (*slot == NULL)
			*slot = xstrdup(demo[i].value);
	}
	return a;
}

int ui_is_text_key(struct ui_key k)
{
	return k.fn == 0 && k.ch >= 0x20 && k.ch != 0x7f;
}

int ui_is_enter(struct ui_key k)
{
	return k.fn == KEY_ENTER || (k.fn == 0 && (k.ch == '\r' || k.ch == '\n'));
}

int ui_is_esc(struct ui_key k)
{
	return k.fn == 0 && k.ch == 27;
}

enum ui_screen_id ui_screen_for_step(enum flow_step s)
{
	static const enum ui_screen_id map[FLOW_NSTEPS] = {
	    [FLOW_ALIAS] = SCR_ALIAS,     [FLOW_ENDPOINT] = SCR_ENDPOINT, [FLOW_DNS_ZONE] = SCR_DNS,
	    [FLOW_DNS_RECORD] = SCR_DNS,  [FLOW_DNS_LINK] = SCR_DNS,      [FLOW_ORG] = SCR_ORG,
	    [FLOW_ALLOWLIST] = SCR_ALLOW, [FLOW_ACCESS] = SCR_ACCESS,
	};

	return s < FLOW_NSTEPS ? map[s] : SCR_SUMMARY;
}

static int same_service(const char *chosen, const struct flow_service *s)
{
	return chosen != NULL && ((s->id != NULL && strcmp(chosen, s->id) == 0) ||
	                          (s->name != NULL && strcmp(chosen, s->name) == 0));
}

int ui_service_chosen(const struct flow_answers *a, const struct flow_service *s)
{
	for (size_t i = 0; i < a->n_services; i++)
		if (same_service(a->services[i], s))
			return 1;
	return 0;
}

void ui_service_choose(struct flow_answers *a, const struct flow_service *s, int on, int first)
{
	size_t j = 0;

	/* drop it (wherever it is), then put it back in front or at the end */
	for (size_t i = 0; i < a->n_services; i++) {
		if (same_service(a->services[i], s))
			free(a->services[i]);
		else
			a->services[j++] = a->services[i];
	}
	a->n_services = j;
	if (!on)
		return;
	a->services = xrealloc(a->services, (a->n_services + 1) * sizeof *a->services);
	if (first) {
		memmove(a->services + 1, a->services, a->n_services * sizeof *a->services);
		a->services[0] = xstrdup(s->id != NULL ? s->id : s->name);
	} else {
		a->services[a->n_services] = xstrdup(s->id != NULL ? s->id : s->name);
	}
	a->n_services++;
}

/*
 * One service in a list: choice mark, name, state, tier, and why it cannot be
 * chosen (Development tier) or, with `show_allowed`, that it lists the endpoint.
 */
void ui_service_row(struct ui *u, int y, const struct ui_rect *r, const struct flow_service *s,
                    int focused, int show_allowed)
{
	const struct flow_answers *a = flow_answers(u->flow);
	attr_t at = focused          ? term_attr(&u->term, TR_FOCUS)
	            : s->development ? term_attr(&u->term, TR_DIM)
	                             : A_NORMAL;
	const char *mark = ui_service_chosen(a, s) ? "x" : " ";
	char buf[256];

	if (focused)
		w_blank(y, r->x, r->w, at);
	/* single choice in stage 1 reads (x), multi-select in stage 4 [x] */
	snprintf(buf, sizeof buf, show_allowed ? "[%s] %s" : "(%s) %s", mark, ui_str(s->name));
	w_text(&u->term, y, r->x, 2, at, focused ? ">" : " ");
	w_text(&u->term, y, r->x + 2, 26, at, buf);
	w_text(&u->term, y, r->x + 30, 10, at, ui_str(s->state));
	w_text(&u->term, y, r->x + 42, 12, at, s->tier != NULL ? s->tier : _("(no tier)"));
	if (s->development)
		w_text(&u->term, y, r->x + 56, r->w - 56, at, _("not supported (N1)"));
	else if (show_allowed && s->allowed)
		w_text(&u->term, y, r->x + 56, r->w - 56, focused ? at : term_attr(&u->term, TR_OK),
		       _("on the allow list"));
}
