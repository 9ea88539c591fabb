/* screen_alias: stage 1 — the region, its Azure services (tier, state), the alias and DNS hostname.
 */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "ui.h"

static int console_path(struct ui *u)
{
	return flow_answers(u->flow)->path[1] == FLOW_PATH_PORTAL;
}

static void enter(struct ui *u)
{
	const struct flow_answers *a = flow_answers(u->flow);

	if (u->m.alias.region.len == 0 && a->region != NULL)
		w_input_set(&u->m.alias.region, a->region);
	if (u->m.alias.alias.len == 0 && a->manual_alias != NULL)
		w_input_set(&u->m.alias.alias, a->manual_alias);
	if (u->m.alias.hostname.len == 0 && a->manual_hostname != NULL)
		w_input_set(&u->m.alias.hostname, a->manual_hostname);
	if (u->m.alias.alias.len == 0 && flow_view(u->flow)->endpoint_service_id == NULL)
		u->m.alias.focus = u->m.alias.region.len == 0 ? 0 : 1;
}

static int draw_api(struct ui *u, const struct ui_rect *r, int y)
{
	const struct flow_view *v = flow_view(u->flow);
	struct w_list *l = &u->m.alias.list;
	int rows = 4;

	ui_field(u, y++, r->x, 50, _("Service region"), &u->m.alias.region, u->m.alias.focus == 0);
	y++;
	if (v->n_services == 0) {
		w_para(&u->term, y, r->x, r->w, 2, 0, term_attr(&u->term, TR_DIM),
		       _("No Azure service listed for this region yet. Type the region and press "
		         "Enter (at least one service must exist in the region, N4)."));
		return y + 2;
	}
	w_text(&u->term, y++, r->x, r->w, term_attr(&u->term, TR_ACCENT),
	       _("Azure services in the region (Space or Enter chooses):"));
	l->n = (int)v->n_services;
	w_list_scroll(l, rows);
	for (int i = l->top; i < l->n && i < l->top + rows; i++)
		ui_service_row(u, y++, r, &v->services[i], u->m.alias.focus == 1 && l->cur == i, 0);
	if (l->cur < l->n && v->services[l->cur].development)
		w_para(
		    &u->term, y, r->x + 2, r->w - 2, 2, 0, term_attr(&u->term, TR_WARN),
		    _("Private Link works only for Production services; Development services are "
		      "not supported."));
	return y + 2;
}

static int draw_console(struct ui *u, const struct ui_rect *r, int y)
{
	y += w_para(&u->term, y, r->x, r->w, 4, 0, A_NORMAL,
	            _("In the ClickHouse Cloud console open the service, then Settings, then \"Set "
	              "up private endpoint\", and copy the service name shown for Azure and the "
	              "DNS name. Paste them here (Tab moves between the two)."));
	y++;
	ui_field(u, y++, r->x, r->w, _("Service name (alias)"), &u->m.alias.alias,
	         u->m.alias.focus != 2);
	ui_field(u, y++, r->x, r->w, _("Private DNS hostname"), &u->m.alias.hostname,
	         u->m.alias.focus == 2);
	return y + 1;
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	int y = r->y;

	y = console_path(u) ? draw_console(u, r, y) : draw_api(u, r, y);
	if (y + 4 > r->y + r->h)
		y = r->y + r->h - 4;
	ui_kv(u, y, r->x, 12 + UI_LABEL_W, _("Stage 1"), "", A_NORMAL);
	ui_step_badge(u, y++, r->x + UI_LABEL_W, FLOW_ALIAS);
	y += ui_kv_wrap(u, y, r->x, r->w, 2, _("Alias"),
	                v->endpoint_service_id != NULL ? v->endpoint_service_id
	                                               : _("(not read yet)"),
	                v->endpoint_service_id != NULL ? term_attr(&u->term, TR_OK) : A_NORMAL);
	ui_kv(u, y, r->x, r->w, _("Private DNS hostname"),
	      v->private_dns_hostname != NULL ? v->private_dns_hostname : _("(not read yet)"),
	      A_NORMAL);
}

static int choose(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	struct flow_answers *a = flow_answers(u->flow);
	const struct flow_service *s;
	int was;

	if (u->m.alias.list.cur >= (int)v->n_services)
		return UR_HANDLED;
	s = &v->services[u->m.alias.list.cur];
	if (s->development) {
		ui_note(u, 1,
		        _("%s is a Development service: Private Link needs a Production service."),
		        ui_str(s->name));
		return UR_REDRAW;
	}
	was = a->n_services > 0 && ui_service_chosen(a, s);
	ui_service_choose(a, s, 1, 1);
	if (was && v->step[FLOW_ALIAS].state == FLOW_DONE)
		return UR_NEXT;
	ui_run(u, (const enum flow_step[]){FLOW_ALIAS}, 1, 0);
	return UR_REDRAW;
}

/*
 * The two pasted values: checked for form, compared with what the API reports
 * when there is a key, then kept in the answers, where the Azure stages take the
 * alias and the DNS zone from them when there is no key.
 */
static int submit_console(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	struct flow_answers *a = flow_answers(u->flow);
	const char *alias = u->m.alias.alias.buf, *host = u->m.alias.hostname.buf;

	if (!flow_valid_alias(alias)) {
		u->m.alias.focus = 1;
		ui_note(u, 1, "%s",
		        _("That is not a service name: it should end with "
		          ".azure.privatelinkservice."));
		return UR_REDRAW;
	}
	if (v->endpoint_service_id != NULL && strcmp(alias, v->endpoint_service_id) != 0) {
		ui_note(u, 1, _("The API reports a different alias for this service: %s"),
		        v->endpoint_service_id);
		return UR_REDRAW;
	}
	if (!flow_valid_private_hostname(host)) {
		u->m.alias.focus = 2;
		ui_note(u, 1, "%s",
		        _("Paste the DNS name too: it looks like "
		          "ID.REGION.privatelink.azure.clickhouse.cloud."));
		return UR_REDRAW;
	}
	ui_answer_set(&a->manual_alias, alias);
	ui_answer_set(&a->manual_hostname, host);
	return UR_REFRESH | UR_NEXT;
}

static int key(struct ui *u, struct ui_key k)
{
	int *focus = &u->m.alias.focus;
	struct w_input *in;
	int r;

	if (console_path(u)) { /* two fields: the pasted service name and DNS name */
		if (*focus != 2)
			*focus = 1;
		if (ui_is_enter(k))
			return submit_console(u);
		if ((k.fn == 0 && k.ch == '\t') || k.fn == KEY_BTAB || k.fn == KEY_DOWN ||
		    k.fn == KEY_UP) {
			*focus = *focus == 1 ? 2 : 1;
			return UR_REDRAW;
		}
		in = *focus == 2 ? &u->m.alias.hostname : &u->m.alias.alias;
		return w_input_key(in, k) ? UR_REDRAW : UR_NONE;
	}
	in = &u->m.alias.region;
	if (*focus == 0 && ui_is_enter(k)) {
		ui_answer_set(&flow_answers(u->flow)->region, u->m.alias.region.buf);
		*focus = 1;
		return UR_REFRESH;
	}
	if ((k.fn == 0 && k.ch == '\t') || k.fn == KEY_BTAB) {
		*focus = !*focus;
		return UR_REDRAW;
	}
	if (*focus == 0)
		return w_input_key(in, k) ? UR_REDRAW : UR_NONE;
	r = w_list_key(&u->m.alias.list, k, 4);
	if (r == W_LIST_TOGGLE || ui_is_enter(k))
		return choose(u);
	return r != 0 ? UR_REDRAW : UR_NONE;
}

const struct ui_screen ui_screen_alias = {
    .id = SCR_ALIAS,
    .stage = 1,
    .tab = N_("1 Alias"),
    .title = N_("Alias of the service"),
    .help = N_("Stage 1 obtains the Azure connection alias of your ClickHouse Cloud service: "
               "its endpointServiceId, for example production-westus3-0-0.<id>.westus3.azure."
               "privatelinkservice, and its privateDnsHostname. chlink lists the services of "
               "provider azure in the region you type and reads privateEndpointConfig of the "
               "one you choose. Private Link works only for Production services: Development "
               "services are not supported (N1). At least one service must exist in the region "
               "(N4).\n\nBy hand: in the ClickHouse Cloud console open the service, Settings, "
               "\"Set up private endpoint\", copy the service name and paste it here; chlink "
               "checks its form and compares it with what the API reports."),
    .enter = enter,
    .draw = draw,
    .key = key,
};
