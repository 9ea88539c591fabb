/* screen_doctor: the guide's troubleshooting as findings, each with the screen that fixes it. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "ui.h"

/* A finding's stable code → the screen that fixes it (first match wins; T2/T3 point at stage 4). */
static const struct {
	const char *part;
	enum ui_screen_id screen;
} fixes[] = {
    {"pending", SCR_ALLOW},
    {"allow", SCR_ALLOW},
    {"reset", SCR_ALLOW},
    {"dns", SCR_DNS},
    {"zone", SCR_DNS},
    {"record", SCR_DNS},
    {"org", SCR_ORG},
    {"alias", SCR_ALIAS},
    {"development", SCR_ALIAS},
    {"tier", SCR_ALIAS},
    {"endpoint", SCR_ENDPOINT},
    {"rejected", SCR_ENDPOINT},
    {"disconnected", SCR_ENDPOINT},
    {"tls", SCR_ACCESS},
    {"ping", SCR_ACCESS},
    {"access", SCR_ACCESS},
};

static int screen_for(const struct flow_finding *f)
{
	for (size_t i = 0; i < sizeof fixes / sizeof fixes[0]; i++)
		if (f->code != NULL && strstr(f->code, fixes[i].part) != NULL)
			return fixes[i].screen;
	return -1;
}

static void enter(struct ui *u)
{
	u->m.doctor.list.cur = u->m.doctor.list.top = 0;
	ui_doctor(u);
}

static int draw_finding(struct ui *u, int y, const struct ui_rect *r, const struct flow_finding *f,
                        int focused, int maxy)
{
	attr_t at = focused ? term_attr(&u->term, TR_FOCUS) : term_attr(&u->term, TR_BAD);
	int target = screen_for(f);
	char buf[512];

	snprintf(buf, sizeof buf, "%s %s", term_glyph(&u->term, TG_CROSS), ui_str(f->verdict));
	y += w_para(&u->term, y, r->x, r->w, 2, 0, at, buf);
	y += w_para(&u->term, y, r->x + 2, r->w - 2, maxy - y, 0, term_attr(&u->term, TR_DIM),
	            ui_str(f->evidence));
	if (y < maxy) {
		if (target >= 0)
			snprintf(buf, sizeof buf, _("Fix: %s (Enter opens %s)"), ui_str(f->fix),
			         _(ui_screen_of(target)->title));
		else
			snprintf(buf, sizeof buf, _("Fix: %s"), ui_str(f->fix));
		y += w_para(&u->term, y, r->x + 2, r->w - 2, maxy - y, 0, A_NORMAL, buf);
	}
	return y + 1;
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	struct w_list *l = &u->m.doctor.list;
	int y = r->y, maxy = r->y + r->h;

	if (!u->m.doctor.ran) {
		w_text(&u->term, y, r->x, r->w, A_NORMAL, _("Running the guide's checks..."));
		return;
	}
	if (v->n_findings == 0) {
		w_para(&u->term, y, r->x, r->w, 3, 0, term_attr(&u->term, TR_OK),
		       _("No problems found: DNS, the allow lists, the connection state and the "
		         "probes agree. Press Enter for the summary."));
		return;
	}
	l->n = (int)v->n_findings;
	if (l->cur >= l->n)
		l->cur = l->n - 1;
	l->top = l->cur; /* findings have different heights: the focused one always comes first */
	if (l->top > 0)
		w_text(&u->term, y++, r->x, r->w, term_attr(&u->term, TR_DIM),
		       term_glyph(&u->term, TG_ELLIPSIS));
	for (int i = l->top; i < l->n && y < maxy; i++)
		y = draw_finding(u, y, r, &v->findings[i], i == l->cur, maxy);
}

static int key(struct ui *u, struct ui_key k)
{
	const struct flow_view *v = flow_view(u->flow);
	struct w_list *l = &u->m.doctor.list;
	int target;

	if (k.fn == 0 && k.ch == 'r') {
		ui_doctor(u);
		return UR_REDRAW;
	}
	if (ui_is_enter(k)) {
		if (!u->m.doctor.ran)
			return UR_HANDLED;
		if (v->n_findings == 0 || l->cur >= (int)v->n_findings)
			return UR_NEXT;
		target = screen_for(&v->findings[l->cur]);
		if (target < 0)
			return UR_NEXT;
		u->goto_screen = target;
		return UR_GOTO;
	}
	l->n = (int)v->n_findings;
	return w_list_key(l, k, 1) == W_LIST_MOVED ? UR_REDRAW : UR_NONE;
}

const struct ui_screen ui_screen_doctor = {
    .id = SCR_DOCTOR,
    .tab = N_("Troubleshoot"),
    .title = N_("Troubleshoot"),
    .help = N_("The guide's troubleshooting, run as checks: every name in the zone resolves to "
               "the endpoint's internal IP (T1); \"connection reset by peer\" or an endpoint "
               "that stays Pending most likely means the GUID is not on the service's allow "
               "list (T2, T3); TLS to port 9440 must connect and the endpoint must be Approved "
               "(T4); the service's privateEndpointIds must hold the GUID (T5). Each finding "
               "says what was observed and how to fix it; Enter opens the screen that fixes "
               "it, r runs the checks again."),
    .enter = enter,
    .draw = draw,
    .key = key,
};
