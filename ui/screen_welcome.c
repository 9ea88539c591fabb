/* screen_welcome: what will happen, the path per stage, and recovery (continue / start over / tear
 * down). */
#include "config.h"
#include <stdio.h>
#include "i18n.h"
#include "textwidth.h"
#include "ui.h"

static const struct {
	int stage;
	const char *label;
	enum flow_step step;
} rows[] = {
    {1, N_("1 Alias of the service"), FLOW_ALIAS}, {2, N_("2 Private endpoint"), FLOW_ENDPOINT},
    {2, N_("2b Private DNS"), FLOW_DNS_LINK},      {3, N_("3 Organization"), FLOW_ORG},
    {4, N_("4 Allow list"), FLOW_ALLOWLIST},       {5, N_("5 Access"), FLOW_ACCESS},
};
enum { NROWS = sizeof rows / sizeof rows[0] };
enum { ACT_CONTINUE, ACT_START_OVER, ACT_TEAR_DOWN };

const char *ui_path_word(int stage, enum flow_path p)
{
	switch (p) {
	case FLOW_PATH_PORTAL:
		return stage == 2 ? _("guided (Azure portal)") : _("guided (ClickHouse console)");
	case FLOW_PATH_TERRAFORM:
		return _("Terraform");
	default:
		return _("automatic (API)");
	}
}

enum flow_path ui_path_next(int stage, enum flow_path p)
{
	if (stage == 5)
		return FLOW_PATH_API; /* the probes are always chlink's own */
	if (p == FLOW_PATH_API)
		return FLOW_PATH_PORTAL;
	if (p == FLOW_PATH_PORTAL && stage == 2)
		return FLOW_PATH_TERRAFORM;
	return FLOW_PATH_API;
}

int ui_step_exists(const struct flow_view *v, enum flow_step s)
{
	return v->step[s].state == FLOW_DONE || v->step[s].state == FLOW_PENDING;
}

static int anything_exists(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);

	for (int s = FLOW_ENDPOINT; s < FLOW_NSTEPS; s++)
		if (ui_step_exists(v, s))
			return 1;
	return 0;
}

static int n_actions(struct ui *u)
{
	return anything_exists(u) ? 3 : 1;
}

static void sync(struct ui *u)
{
	u->m.welcome.rows.n = NROWS + n_actions(u);
	if (u->m.welcome.rows.cur >= u->m.welcome.rows.n)
		u->m.welcome.rows.cur = NROWS;
}

static void enter(struct ui *u)
{
	u->m.welcome.rows.cur = NROWS; /* the focus starts on Start / Continue */
	sync(u);
}

static void action_label(struct ui *u, int act, char *buf, size_t n)
{
	enum flow_step first = flow_first_missing(u->flow);

	if (act == ACT_CONTINUE && !anything_exists(u))
		snprintf(buf, n, "%s", _("Start"));
	else if (act == ACT_CONTINUE && first == FLOW_NSTEPS)
		snprintf(buf, n, "%s", _("Continue: everything is done, review it"));
	else if (act == ACT_CONTINUE)
		snprintf(buf, n, _("Continue from the first missing step: %s"),
		         _(flow_step_info(first)->title));
	else if (act == ACT_START_OVER)
		snprintf(buf, n, "%s", _("Start over (review every step from the alias)"));
	else
		snprintf(buf, n, "%s", _("Tear down what chlink created"));
}

/*
 * Where the "Now" column starts: after the widest stage label and two blank
 * cells ("2 プライベートエンドポイント" takes 28 cells), but never before
 * column 30, where the English has always had it.
 */
static int now_column(void)
{
	int w = 30;

	for (int i = 0; i < NROWS; i++)
		if (2 + tw_width(_(rows[i].label)) + 2 > w)
			w = 2 + tw_width(_(rows[i].label)) + 2;
	return w;
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	struct flow_answers *a = flow_answers(u->flow);
	int y = r->y, cur, now = now_column(), how = now + 14;
	attr_t head = term_attr(&u->term, TR_ACCENT);

	sync(u); /* the actions depend on what the last observation found */
	cur = u->m.welcome.rows.cur;
	y += w_para(&u->term, y, r->x, r->w, 4, 0, A_NORMAL,
	            _("chlink connects your Azure VNet to a ClickHouse Cloud service over Private "
	              "Link in the guide's five stages. It says what will happen before it happens "
	              "and asks before it creates or deletes anything."));
	y++;
	w_text(&u->term, y, r->x, now, head, _("Stage"));
	w_text(&u->term, y, r->x + now, how - now, head, _("Now"));
	w_text(&u->term, y, r->x + how, r->w - how, head, _("How (Space changes)"));
	y++;
	for (int i = 0; i < NROWS; i++, y++) {
		int st = rows[i].stage;
		attr_t at = cur == i ? term_attr(&u->term, TR_FOCUS) : A_NORMAL;
		if (cur == i)
			w_blank(y, r->x, r->w, at);
		w_text(&u->term, y, r->x, 2, at, cur == i ? ">" : " ");
		w_text(&u->term, y, r->x + 2, now - 4, at, _(rows[i].label));
		ui_step_badge(u, y, r->x + now, rows[i].step);
		w_text(&u->term, y, r->x + how, r->w - how, at, ui_path_word(st, a->path[st]));
	}
	y++;
	for (int i = 0; i < n_actions(u); i++, y++) {
		char buf[256];
		attr_t at = cur == NROWS + i ? term_attr(&u->term, TR_FOCUS) : A_NORMAL;
		action_label(u, i, buf, sizeof buf);
		if (cur == NROWS + i)
			w_blank(y, r->x, r->w, at);
		w_text(&u->term, y, r->x, 2, at, cur == NROWS + i ? ">" : " ");
		w_text(&u->term, y, r->x + 2, r->w - 2, at, buf);
	}
	if (u->cfg->demo) {
		const char *note = _("This is a demo: a built-in simulator plays ClickHouse Cloud "
		                     "and Azure. No account is needed and your real configuration "
		                     "is not touched.");
		/* all of it or nothing: half a sentence would mislead */
		if (y + 1 + w_wrap(note, r->w, NULL, NULL) <= r->y + r->h)
			w_para(&u->term, y + 1, r->x, r->w, r->h, 0, term_attr(&u->term, TR_DIM),
			       note);
	}
}

static void tear_down(struct ui *u)
{
	static const enum flow_step order[] = {FLOW_ALLOWLIST,  FLOW_ORG,      FLOW_DNS_LINK,
	                                       FLOW_DNS_RECORD, FLOW_DNS_ZONE, FLOW_ENDPOINT};
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);
	enum flow_step steps[FLOW_NSTEPS];
	char q[768];
	int n = 0;

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (ui_step_exists(v, order[i]))
			steps[n++] = order[i];
	if (n == 0) {
		ui_note(u, 0, "%s", _("Nothing to tear down: no step is in place."));
		return;
	}
	snprintf(q, sizeof q,
	         _("Delete what chlink created for profile %s: remove endpoint %s from the allow "
	           "lists and the organization, delete the DNS zone %s with its record and VNet "
	           "link, and delete the private endpoint %s in %s? [y/N]"),
	         u->cfg->profile != NULL ? u->cfg->profile : "default",
	         v->pe_guid != NULL ? v->pe_guid : ui_str(a->manual_pe_guid), ui_str(v->zone),
	         v->pe_name != NULL ? v->pe_name : ui_str(a->pe_name), ui_str(a->resource_group));
	ui_confirm(u, q, steps, n, 1);
}

static int activate(struct ui *u, int act)
{
	enum flow_step first = flow_first_missing(u->flow);

	switch (act) {
	case ACT_CONTINUE:
		u->resume_to = anything_exists(u) ? (int)ui_screen_for_step(first) : SCR_ALIAS;
		return UR_NEXT;
	case ACT_START_OVER:
		u->resume_to = SCR_ALIAS;
		return UR_NEXT;
	default:
		tear_down(u);
		return UR_REDRAW;
	}
}

static int key(struct ui *u, struct ui_key k)
{
	struct w_list *l = &u->m.welcome.rows;
	struct flow_answers *a = flow_answers(u->flow);
	int r;

	sync(u);
	r = w_list_key(l, k, 5);
	if (r == W_LIST_TOGGLE && l->cur < NROWS) {
		int st = rows[l->cur].stage;
		a->path[st] = ui_path_next(st, a->path[st]);
		return UR_REDRAW;
	}
	if (r != 0)
		return UR_REDRAW;
	if (ui_is_enter(k) || k.fn == KEY_RIGHT)
		return activate(u, l->cur < NROWS ? ACT_CONTINUE : l->cur - NROWS);
	if (ui_is_esc(k) || k.fn == KEY_LEFT)
		return UR_HANDLED; /* nothing before the first screen */
	return UR_NONE;
}

const struct ui_screen ui_screen_welcome = {
    .id = SCR_WELCOME,
    .tab = N_("Welcome"),
    .title = N_("Welcome"),
    .help = N_("chlink follows the guide \"Azure Private Link for ClickHouse Cloud\": 1 get the "
               "service's connection alias, 2 create a private endpoint in your VNet and its "
               "private DNS, 3 register the endpoint in your ClickHouse Cloud organization, 4 add "
               "it to each service's allow list, 5 connect over the private hostname.\n\n"
               "For each stage choose how it is done: automatically through the APIs, by hand "
               "in the ClickHouse console or the Azure portal with chlink guiding each screen "
               "and checking the result, or with Terraform. The table shows what chlink "
               "observed just now, so a half-finished setup continues from the first missing "
               "step; Start over reviews every step; Tear down deletes what chlink created, "
               "after asking."),
    .enter = enter,
    .draw = draw,
    .key = key,
};
