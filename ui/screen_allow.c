/* screen_allow: stage 4 — choose the services whose allow list gets the endpoint; watch Pending →
 * Approved. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "ui.h"

/* "Waiting on: what": a what too long for the line goes on under itself, past the label. */
static void waiting_on(struct ui *u, const struct ui_rect *r, int y, const char *what)
{
	const char *fmt = _("Waiting on: %s");
	size_t fl = strlen(fmt);
	attr_t warn = term_attr(&u->term, TR_WARN);
	char buf[512];

	if (fl >= 2 && fl - 2 < sizeof buf && strcmp(fmt + fl - 2, "%s") == 0) {
		memcpy(buf, fmt, fl - 2);
		buf[fl - 2] = '\0';
		int lw = w_text(&u->term, y, r->x, r->w, warn, buf);
		w_para(&u->term, y, r->x + lw, r->w - lw, 2, 0, warn, what);
		return;
	}
	/* a translation that puts the value elsewhere: one paragraph */
	snprintf(buf, sizeof buf, _("Waiting on: %s"), what);
	w_para(&u->term, y, r->x, r->w, 2, 0, warn, buf);
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	struct w_list *l = &u->m.allow.list;
	int y = r->y, rows = r->h - 8;
	char buf[512];

	y += w_para(
	    &u->term, y, r->x, r->w, 2, 0, A_NORMAL,
	    _("A service is reachable over Private Link only when its allow list has the "
	      "endpoint. Space ticks a service; Enter adds the endpoint to the ticked ones."));
	y++;
	l->n = (int)v->n_services;
	w_list_scroll(l, rows);
	for (int i = l->top; i < l->n && i < l->top + rows; i++)
		ui_service_row(u, y++, r, &v->services[i], l->cur == i, 1);
	y++;
	snprintf(buf, sizeof buf, _("Connection: %s"), ui_conn_word(v->conn));
	w_text(&u->term, y++, r->x, r->w, term_attr(&u->term, ui_conn_role(v->conn)) | A_BOLD, buf);
	if (v->conn == FLOW_CONN_PENDING && v->waiting_on != NULL) {
		waiting_on(u, r, y, v->waiting_on);
	} else if (v->conn == FLOW_CONN_APPROVED) {
		w_text(&u->term, y, r->x, r->w, A_NORMAL,
		       _("The connection is approved. Press Enter to test access."));
	}
}

static int submit(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);
	char names[256] = "", q[512];
	size_t len = 0;
	int n = 0;

	if (v->step[FLOW_ALLOWLIST].state == FLOW_DONE)
		return UR_NEXT;
	if (a->path[4] != FLOW_PATH_API)
		return UR_REFRESH;
	for (size_t i = 0; i < v->n_services; i++) {
		const struct flow_service *s = &v->services[i];
		int w;
		if (!ui_service_chosen(a, s) || s->allowed)
			continue;
		w = snprintf(names + len, sizeof names - len, "%s%s", n > 0 ? ", " : "",
		             ui_str(s->name));
		if (w > 0 && (size_t)w < sizeof names - len)
			len += (size_t)w;
		n++;
	}
	if (n == 0) {
		ui_note(u, 1, "%s", _("Tick at least one service with Space."));
		return UR_REDRAW;
	}
	snprintf(q, sizeof q,
	         P_("Add endpoint %s to the allow list of service %s? [y/N]",
	            "Add endpoint %s to the allow lists of services %s? [y/N]", n),
	         v->pe_guid != NULL ? v->pe_guid : ui_str(a->manual_pe_guid), names);
	ui_confirm(u, q, (const enum flow_step[]){FLOW_ALLOWLIST}, 1, 0);
	return UR_REDRAW;
}

static int key(struct ui *u, struct ui_key k)
{
	const struct flow_view *v = flow_view(u->flow);
	struct w_list *l = &u->m.allow.list;
	int r;

	if (ui_is_enter(k))
		return submit(u);
	l->n = (int)v->n_services;
	r = w_list_key(l, k, 5);
	if (r == W_LIST_TOGGLE && l->cur < l->n) {
		const struct flow_service *s = &v->services[l->cur];
		struct flow_answers *a = flow_answers(u->flow);
		if (s->development) {
			ui_note(u, 1,
			        _("%s is a Development service: Private Link needs a Production "
			          "service."),
			        ui_str(s->name));
			return UR_REDRAW;
		}
		ui_service_choose(a, s, !ui_service_chosen(a, s), 0);
	}
	return r != 0 ? UR_REDRAW : UR_NONE;
}

const struct ui_screen ui_screen_allow = {
    .id = SCR_ALLOW,
    .stage = 4,
    .tab = N_("4 Allow list"),
    .title = N_("Allow list"),
    .help = N_("By default a service is not reachable over Private Link even when the "
               "connection is approved: each service must list the endpoint's GUID. chlink "
               "adds it with PATCH on the service (privateEndpointIds add), once per service you "
               "tick. Until then the endpoint stays Pending; chlink keeps watching and the badge "
               "turns Approved when Azure reports it. In the console: the service, Settings, "
               "enter the endpoint ID or pick it from the drop-down."),
    .draw = draw,
    .key = key,
};
