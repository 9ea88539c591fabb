/* chrome: what frames every screen — title and DEMO badge, stage line, messages, status bar, keys.
 */
#include "config.h"
#include <string.h>
#include <time.h>
#include "i18n.h"
#include "textwidth.h"
#include "ui.h"

/* The stage line: the guide's stages, with the DNS step between 2 and 3 as in the guide. */
static const struct {
	enum ui_screen_id screen;
	const char *label;
	enum flow_step first, last;
} tabs[] = {
    {SCR_ALIAS, N_("1 Alias"), FLOW_ALIAS, FLOW_ALIAS},
    {SCR_ENDPOINT, N_("2 Endpoint"), FLOW_ENDPOINT, FLOW_ENDPOINT},
    {SCR_DNS, N_("2b DNS"), FLOW_DNS_ZONE, FLOW_DNS_LINK},
    {SCR_ORG, N_("3 Org"), FLOW_ORG, FLOW_ORG},
    {SCR_ALLOW, N_("4 Allow list"), FLOW_ALLOWLIST, FLOW_ALLOWLIST},
    {SCR_ACCESS, N_("5 Access"), FLOW_ACCESS, FLOW_ACCESS},
};
enum { NTABS = sizeof tabs / sizeof tabs[0] };

const char *ui_conn_word(enum flow_conn c)
{
	return flow_conn_word(c);
}

enum term_role ui_conn_role(enum flow_conn c)
{
	switch (c) {
	case FLOW_CONN_PENDING:
		return TR_WARN;
	case FLOW_CONN_APPROVED:
		return TR_OK;
	case FLOW_CONN_REJECTED:
	case FLOW_CONN_DISCONNECTED:
		return TR_BAD;
	default:
		return TR_DIM;
	}
}

static int steps_done(const struct flow_view *v, enum flow_step a, enum flow_step b)
{
	for (int i = a; i <= (int)b; i++)
		if (v->step[i].state != FLOW_DONE)
			return 0;
	return 1;
}

static void draw_title(struct ui *u, const struct ui_screen *s)
{
	char buf[256];
	int badge = 0;

	if (s->stage > 0)
		/* TRANSLATORS: " chlink · stage 2 of 5 · Private endpoint"; %1$s and %3$s are "·"
		 */
		snprintf(buf, sizeof buf, _(" chlink %1$s stage %2$d of 5 %3$s %4$s"),
		         term_glyph(&u->term, TG_MIDDOT), s->stage, term_glyph(&u->term, TG_MIDDOT),
		         _(s->title));
	else
		snprintf(buf, sizeof buf, _(" chlink %s %s"), term_glyph(&u->term, TG_MIDDOT),
		         _(s->title));
	w_blank(0, 0, COLS, term_attr(&u->term, TR_TITLE));
	if (u->cfg->demo)
		badge = tw_width(_(" DEMO ")) + 1;
	w_text(&u->term, 0, 0, COLS - badge, term_attr(&u->term, TR_TITLE), buf);
	if (badge > 0)
		w_text(&u->term, 0, COLS - badge, badge, term_attr(&u->term, TR_BADGE),
		       _(" DEMO "));
}

/*
 * One tab's text: its label and a check mark when done. A compact tab keeps
 * only the stage number of its label ("4 Allow list" -> "4"), taken from the
 * source label so that it does not depend on the translation.
 */
static void tab_text(struct ui *u, size_t i, int done, int compact, char *buf, size_t n)
{
	const char *check = term_glyph(&u->term, TG_CHECK);

	if (compact)
		snprintf(buf, n, done ? "%.*s %s" : "%.*s", (int)strcspn(tabs[i].label, " "),
		         tabs[i].label, check);
	else
		snprintf(buf, n, done ? "%s %s" : "%s", _(tabs[i].label), check);
}

static int tabs_width(struct ui *u, const struct flow_view *v, const int *compact)
{
	char buf[96];
	int w = 0;

	for (size_t i = 0; i < NTABS; i++) {
		tab_text(u, i, steps_done(v, tabs[i].first, tabs[i].last), compact[i], buf,
		         sizeof buf);
		w += tw_width(buf) + (i > 0 ? 2 : 0);
	}
	return w;
}

/*
 * Which tabs show only their numbers so that the stage line fits `cols` cells
 * (Japanese labels take twice the cells of English ones): done tabs first,
 * then the others, from the left, one at a time until it fits. The current
 * stage keeps its label.
 */
static void tabs_compact(struct ui *u, const struct flow_view *v, int cols, int *compact)
{
	for (size_t i = 0; i < NTABS; i++)
		compact[i] = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < NTABS && tabs_width(u, v, compact) > cols; i++)
			if ((int)tabs[i].screen != u->screen &&
			    (pass == 1 || steps_done(v, tabs[i].first, tabs[i].last)))
				compact[i] = 1;
}

static void draw_tabs(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	int x = 1, compact[NTABS];

	tabs_compact(u, v, COLS - 2, compact);
	for (size_t i = 0; i < NTABS && x < COLS - 2; i++) {
		int done = steps_done(v, tabs[i].first, tabs[i].last);
		attr_t a = (int)tabs[i].screen == u->screen
		               ? term_attr(&u->term, TR_FOCUS)
		               : (done ? term_attr(&u->term, TR_OK) : A_NORMAL);
		char buf[96];
		tab_text(u, i, done, compact[i], buf, sizeof buf);
		if (i > 0)
			x +=
			    w_text(&u->term, 1, x, COLS - 1 - x, term_attr(&u->term, TR_DIM), "  ");
		x += w_text(&u->term, 1, x, COLS - 1 - x, a, buf);
	}
}

/* One segment of the status bar; returns the new column. */
static int seg(struct ui *u, int x, attr_t a, const char *text)
{
	if (x >= COLS - 1)
		return x;
	if (x > 0)
		x += w_text(&u->term, LINES - 3, x, COLS - x, term_attr(&u->term, TR_DIM),
		            u->term.utf8 ? " │ " : " | ");
	return x + w_text(&u->term, LINES - 3, x, COLS - x, a, text);
}

static const char *mark(struct ui *u, int ok)
{
	return term_glyph(&u->term, ok ? TG_CHECK : TG_CROSS);
}

/*
 * The widest "Endpoint <state>" of the states a setup passes through (none,
 * Pending, Approved) in this language. Padding to it keeps the rest of the
 * status row in place when Pending turns Approved, so curses rewrites a few
 * cells instead of the whole row; the rare Rejected/Disconnected may shift it
 * (padding to those would push the row past 80 columns).
 */
static int endpoint_width(void)
{
	static const enum flow_conn usual[] = {FLOW_CONN_NONE, FLOW_CONN_PENDING,
	                                       FLOW_CONN_APPROVED};
	char buf[256];
	int w = 0;

	for (size_t i = 0; i < sizeof usual / sizeof usual[0]; i++) {
		snprintf(buf, sizeof buf, _("Endpoint %s"), ui_conn_word(usual[i]));
		if (tw_width(buf) > w)
			w = tw_width(buf);
	}
	return w;
}

void ui_draw_status(struct ui *u, int y)
{
	const struct flow_view *v = flow_view(u->flow);
	char buf[256], padded[512], when[32] = "";
	int x;

	snprintf(buf, sizeof buf, _("Endpoint %s"), ui_conn_word(v->conn));
	tw_pad(buf, endpoint_width(), padded, sizeof padded);
	x = w_text(&u->term, y, 0, COLS, term_attr(&u->term, ui_conn_role(v->conn)), padded);
	snprintf(buf, sizeof buf, _("Org %s"), mark(u, v->org_registered));
	x = seg(u, x, A_NORMAL, buf);
	snprintf(buf, sizeof buf, _("Allow list %d/%d"), v->allow_done, v->allow_total);
	x = seg(u, x, A_NORMAL, buf);
	snprintf(buf, sizeof buf, _("DNS %s"),
	         mark(u, steps_done(v, FLOW_DNS_ZONE, FLOW_DNS_LINK)));
	x = seg(u, x, A_NORMAL, buf);
	snprintf(buf, sizeof buf, _("Access %s"), mark(u, v->step[FLOW_ACCESS].state == FLOW_DONE));
	x = seg(u, x, A_NORMAL, buf);
	if (v->polled_at > 0) {
		time_t t = (time_t)v->polled_at;
		struct tm tm;
		strftime(when, sizeof when, "%H:%M:%S", localtime_r(&t, &tm));
		snprintf(buf, sizeof buf, _("polled %s"), when);
	} else {
		snprintf(buf, sizeof buf, "%s", _("not polled yet"));
	}
	seg(u, x, term_attr(&u->term, TR_DIM), buf);
	/* the second row: while Pending, who must act next */
	if (v->conn == FLOW_CONN_PENDING && v->waiting_on != NULL) {
		snprintf(buf, sizeof buf, _("Pending: waiting on %s"), v->waiting_on);
		/* too wide for the row (80 columns, in either language): the row above already
		 * says Pending, so who must act is the part to keep whole */
		w_text(&u->term, y + 1, 0, COLS, term_attr(&u->term, TR_WARN),
		       tw_width(buf) <= COLS ? buf : v->waiting_on);
	}
}

void ui_draw_chrome(struct ui *u, const struct ui_screen *s)
{
	int busy = u->progress[0] != '\0' || u->op.busy;

	for (int y = 0; y < 3; y++)
		w_blank(y, 0, COLS, A_NORMAL);
	for (int y = LINES - 5; y < LINES; y++)
		w_blank(y, 0, COLS, A_NORMAL);
	draw_title(u, s);
	draw_tabs(u);
	/* an error with its hint may take the progress row too when nothing runs */
	if (u->message[0] != '\0')
		w_para(&u->term, LINES - 5, 1, COLS - 2, busy ? 1 : 2, 0,
		       term_attr(&u->term, u->message_bad ? TR_BAD : TR_WARN), u->message);
	if (busy) {
		char buf[300];
		snprintf(buf, sizeof buf, "%s %s", term_glyph(&u->term, TG_ARROW),
		         u->progress[0] != '\0' ? u->progress : _("working..."));
		w_text(&u->term, LINES - 4, 1, COLS - 2, term_attr(&u->term, TR_ACCENT), buf);
	}
	ui_draw_status(u, LINES - 3);
	/* in a text field, letters are text: say which keys still work there */
	w_text(&u->term, LINES - 1, 0, COLS, term_attr(&u->term, TR_DIM),
	       u->cur_y >= 0
	           ? _("Enter do it  Esc back  Tab next field  F1 help  F5 refresh  F10 quit")
	           : _("Enter next  Esc back  Tab field  Space tick  ? help  r refresh  q quit"));
}

void ui_field(struct ui *u, int y, int x, int w, const char *label, const struct w_input *in,
              int focused)
{
	int cx;

	w_text(&u->term, y, x, UI_LABEL_W - 1, focused ? term_attr(&u->term, TR_ACCENT) : A_NORMAL,
	       label);
	cx = w_input_draw(in, &u->term, y, x + UI_LABEL_W, w - UI_LABEL_W, focused);
	if (focused) {
		u->cur_y = y;
		u->cur_x = cx;
	}
}

void ui_kv(struct ui *u, int y, int x, int w, const char *label, const char *value, attr_t a)
{
	w_text(&u->term, y, x, UI_LABEL_W - 1, A_NORMAL, label);
	w_text(&u->term, y, x + UI_LABEL_W, w - UI_LABEL_W, a, value);
}

int ui_kv_wrap(struct ui *u, int y, int x, int w, int rows, const char *label, const char *value,
               attr_t a)
{
	int n;

	w_text(&u->term, y, x, UI_LABEL_W - 1, A_NORMAL, label);
	n = w_para(&u->term, y, x + UI_LABEL_W, w - UI_LABEL_W, rows, 0, a, value);
	return n < 1 ? 1 : n > rows ? rows : n;
}

static const char *const badge_words[] = {
    [FLOW_UNKNOWN] = N_("unknown"), [FLOW_MISSING] = N_("to do"), [FLOW_PENDING] = N_("pending"),
    [FLOW_DONE] = N_("done"),       [FLOW_FAILED] = N_("failed"),
};

static const char *badge_glyph(struct ui *u, enum flow_state st)
{
	return term_glyph(&u->term, st == FLOW_DONE     ? TG_CHECK
	                            : st == FLOW_FAILED ? TG_CROSS
	                                                : TG_DOT);
}

void ui_step_badge(struct ui *u, int y, int x, enum flow_step s)
{
	const struct flow_view *v = flow_view(u->flow);
	enum flow_state st = v->step[s].state;
	static const enum term_role roles[] = {
	    [FLOW_UNKNOWN] = TR_DIM, [FLOW_MISSING] = TR_NORMAL, [FLOW_PENDING] = TR_WARN,
	    [FLOW_DONE] = TR_OK,     [FLOW_FAILED] = TR_BAD,
	};
	char buf[64];

	if (st > FLOW_FAILED)
		st = FLOW_UNKNOWN;
	snprintf(buf, sizeof buf, "%s %s", badge_glyph(u, st), _(badge_words[st]));
	w_text(&u->term, y, x, 12, term_attr(&u->term, roles[st]), buf);
}

int ui_step_badge_width(struct ui *u)
{
	char buf[64];
	int w = 0;

	for (int st = FLOW_UNKNOWN; st <= FLOW_FAILED; st++) {
		snprintf(buf, sizeof buf, "%s %s", badge_glyph(u, st), _(badge_words[st]));
		if (tw_width(buf) > w)
			w = tw_width(buf);
	}
	return w < 12 ? w : 12;
}
