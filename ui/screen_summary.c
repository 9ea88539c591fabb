/* screen_summary: what exists now, step by step, and how to export or check it later. */
#include "config.h"
#include <stdio.h>
#include "i18n.h"
#include "textwidth.h"
#include "ui.h"

/*
 * The title column: as wide as the widest step title in this language plus a
 * blank cell ("プライベートエンドポイント" takes 26 cells), never narrower than
 * the wizard's field labels, and leaving the details at least 20 cells.
 */
static int title_width(int w, int badge_w)
{
	int tw = UI_LABEL_W;

	for (int s = 0; s < FLOW_NSTEPS; s++)
		if (tw_width(_(flow_step_info(s)->title)) + 1 > tw)
			tw = tw_width(_(flow_step_info(s)->title)) + 1;
	return tw < w - badge_w - 20 ? tw : w - badge_w - 20;
}

struct cut {
	int row;        /* the last row there is room for */
	const char *at; /* where that row's text starts */
};

static void find_row(void *ud, int row, const char *line, size_t n)
{
	struct cut *c = ud;

	(void)n;
	if (row == c->row)
		c->at = line;
}

/*
 * A step's detail wrapped in `rows` rows; when it needs more, the last row
 * holds the rest of the text cut with "…", so that a cut is always visible.
 */
static void detail(struct ui *u, int y, int x, int w, int rows, const char *text)
{
	attr_t a = term_attr(&u->term, TR_DIM);
	struct cut c = {rows - 1, NULL};

	if (text == NULL)
		return;
	if (w_wrap(text, w, find_row, &c) <= rows || c.at == NULL) {
		w_para(&u->term, y, x, w, rows, 0, a, text);
		return;
	}
	w_para(&u->term, y, x, w, rows - 1, 0, a, text);
	w_text(&u->term, y + rows - 1, x, w, a, c.at);
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	const char *profile = u->cfg->profile != NULL ? u->cfg->profile : "default";
	char buf[512];
	/* the badges as wide as this language's widest and two blanks, leaving the details more */
	int bw = ui_step_badge_width(u) + 2, y = r->y, tw = title_width(r->w, bw), dx = tw + bw;
	/* rows left for details that wrap: the steps get one each, then the 6 rows below */
	int spare = r->h - 1 - FLOW_NSTEPS - 6, need = 0, gap = 1, rows[FLOW_NSTEPS];

	for (int s = 0; s < FLOW_NSTEPS; s++) {
		int n = w_wrap(v->step[s].detail, r->w - dx, NULL, NULL);
		need += n > 1 ? n - 1 : 0;
	}
	if (need > spare) { /* the blank row above "Next" holds a detail's end rather than a cut */
		spare++;
		gap = 0;
	}
	/* the spare rows go one to each detail that wraps first, so one long one cuts no others */
	for (int s = 0; s < FLOW_NSTEPS; s++)
		rows[s] = 1;
	for (int pass = 0; pass < 2; pass++)
		for (int s = 0; s < FLOW_NSTEPS; s++)
			while (spare > 0 &&
			       rows[s] < w_wrap(v->step[s].detail, r->w - dx, NULL, NULL)) {
				rows[s]++;
				spare--;
				if (pass == 0)
					break;
			}
	w_text(&u->term, y++, r->x, r->w, term_attr(&u->term, TR_ACCENT), _("What exists now"));
	for (int s = 0; s < FLOW_NSTEPS && y < r->y + r->h - 6 + !gap; s++) {
		const struct flow_step_info *in = flow_step_info(s);
		w_text(&u->term, y, r->x, tw - 1, A_NORMAL, _(in->title));
		ui_step_badge(u, y, r->x + tw, s);
		detail(u, y, r->x + dx, r->w - dx, rows[s], v->step[s].detail);
		y += rows[s];
	}
	y += gap;
	w_text(&u->term, y++, r->x, r->w, term_attr(&u->term, TR_ACCENT), _("Next"));
	snprintf(buf, sizeof buf, _("Check it any time: chlink --profile %s status"), profile);
	w_text(&u->term, y++, r->x + 2, r->w - 2, A_NORMAL, buf);
	snprintf(buf, sizeof buf, _("Keep it as code: chlink --profile %s export terraform"),
	         profile);
	w_text(&u->term, y++, r->x + 2, r->w - 2, A_NORMAL, buf);
	snprintf(buf, sizeof buf, _("Remove what chlink created: chlink --profile %s teardown"),
	         profile);
	w_text(&u->term, y++, r->x + 2, r->w - 2, A_NORMAL, buf);
	w_text(&u->term, y, r->x, r->w, term_attr(&u->term, TR_DIM), _("Press Enter to finish."));
}

static int key(struct ui *u, struct ui_key k)
{
	(void)u;
	if (ui_is_enter(k) || k.fn == KEY_RIGHT)
		return UR_QUIT;
	return UR_NONE;
}

const struct ui_screen ui_screen_summary = {
    .id = SCR_SUMMARY,
    .tab = N_("Summary"),
    .title = N_("Summary"),
    .help = N_("What exists now, as chlink observed it, step by step. `chlink status` shows "
               "the same from the command line; `chlink export terraform` writes the setup as "
               "Terraform; `chlink teardown` removes what chlink created (it asks first)."),
    .draw = draw,
    .key = key,
};
