/* screen_summary: what exists now, step by step, and how to export or check it later. */
#include "config.h"
#include <stdio.h>
#include "i18n.h"
#include "ui.h"

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	const char *profile = u->cfg->profile != NULL ? u->cfg->profile : "default";
	char buf[512];
	int y = r->y;

	w_text(&u->term, y++, r->x, r->w, term_attr(&u->term, TR_ACCENT), _("What exists now"));
	for (int s = 0; s < FLOW_NSTEPS && y < r->y + r->h - 5; s++, y++) {
		const struct flow_step_info *in = flow_step_info(s);
		w_text(&u->term, y, r->x, UI_LABEL_W, A_NORMAL, _(in->title));
		ui_step_badge(u, y, r->x + UI_LABEL_W, s);
		w_text(&u->term, y, r->x + UI_LABEL_W + 13, r->w - UI_LABEL_W - 13,
		       term_attr(&u->term, TR_DIM), v->step[s].detail);
	}
	y++;
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
