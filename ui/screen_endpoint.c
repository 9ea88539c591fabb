/* screen_endpoint: stage 2 — create the private endpoint (API), or guide the portal / Terraform and
 * verify. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "textwidth.h"
#include "ui.h"

static const char *const labels[EP_NFIELDS] = {
    [EP_SUB] = N_("Subscription"),     [EP_RG] = N_("Resource group"),
    [EP_VNET] = N_("Virtual network"), [EP_SUBNET] = N_("Subnet"),
    [EP_LOCATION] = N_("Location"),    [EP_NAME] = N_("Endpoint name"),
    [EP_GUID] = N_("resourceGuid"),    [EP_IP] = N_("Private IP"),
};

/* The portal's screens, as the guide walks them (2a). */
static const char *const portal_steps[PORTAL_NSTEPS] = {
    N_("Private Link Center > Private endpoints > Create"),
    N_("Basics: subscription, resource group, name, region (the VNet's region)"),
    N_("Resource: \"Connect to an Azure resource by resource ID or alias\" = the alias below"),
    N_("Virtual network: the VNet and subnet (an application security group is optional)"),
    N_("DNS: nothing to change here, chlink sets up the private DNS next"),
    N_("Tags: optional"),
    N_("Review + create, then open the endpoint's JSON view for properties.resourceGuid"),
};

static char **answer_slot(struct flow_answers *a, int f)
{
	char **slots[EP_NFIELDS] = {
	    [EP_SUB] = &a->subscription,    [EP_RG] = &a->resource_group, [EP_VNET] = &a->vnet,
	    [EP_SUBNET] = &a->subnet,       [EP_LOCATION] = &a->location, [EP_NAME] = &a->pe_name,
	    [EP_GUID] = &a->manual_pe_guid, [EP_IP] = &a->manual_pe_ip,
	};
	return slots[f];
}

static enum flow_path path(struct ui *u)
{
	return flow_answers(u->flow)->path[2];
}

static void enter(struct ui *u)
{
	struct flow_answers *a = ui_answers(u);

	for (int f = 0; f < EP_NFIELDS; f++)
		if (u->m.endpoint.f[f].len == 0 && *answer_slot(a, f) != NULL)
			w_input_set(&u->m.endpoint.f[f], *answer_slot(a, f));
	u->m.endpoint.checklist.n = PORTAL_NSTEPS;
	if (path(u) == FLOW_PATH_API)
		ui_picker_load(u);
	if (path(u) == FLOW_PATH_TERRAFORM && u->m.endpoint.focus == 0)
		u->m.endpoint.focus = 1; /* no checklist: start in the resourceGuid field */
}

static void store(struct ui *u, int from, int to)
{
	struct flow_answers *a = flow_answers(u->flow);

	for (int f = from; f <= to; f++)
		ui_answer_set(answer_slot(a, f), u->m.endpoint.f[f].buf);
}

static enum flow_path path(struct ui *u);

static int draw_result(struct ui *u, const struct ui_rect *r, int y)
{
	const struct flow_view *v = flow_view(u->flow);

	ui_kv(u, y, r->x, r->w, _("Stage 2"), "", A_NORMAL);
	ui_step_badge(u, y++, r->x + UI_LABEL_W, FLOW_ENDPOINT);
	if (!ui_step_exists(v, FLOW_ENDPOINT))
		return y;
	if (path(u) == FLOW_PATH_API) { /* the manual paths show the pasted values above */
		ui_kv(u, y++, r->x, r->w, _("resourceGuid"), ui_str(v->pe_guid), A_NORMAL);
		ui_kv(u, y++, r->x, r->w, _("Private IP"), ui_str(v->pe_ip), A_NORMAL);
	}
	ui_kv(u, y++, r->x, r->w, _("Connection"), ui_conn_word(v->conn),
	      term_attr(&u->term, ui_conn_role(v->conn)));
	return y;
}

/* Where the focused field's value stands among the live choices, if there are any. */
static void draw_choices(struct ui *u, int y, int x, int w, int f)
{
	char buf[96];
	int of, at = ui_picker_position(u, f, &of);

	if (of == 0)
		return;
	if (at > 0)
		snprintf(buf, sizeof buf, _("PgUp/PgDn %d/%d"), at, of);
	else
		snprintf(buf, sizeof buf, P_("PgUp/PgDn: %d choice", "PgUp/PgDn: %d choices", of),
		         of);
	w_text(&u->term, y, x, w, term_attr(&u->term, TR_DIM), buf);
}

static void draw_api(struct ui *u, const struct ui_rect *r)
{
	const struct flow_answers *a = flow_answers(u->flow);
	int y = r->y, fw = r->w < 78 ? r->w : 78, hint = 22;

	for (int f = EP_SUB; f <= EP_NAME; f++, y++) {
		int focused = u->m.endpoint.focus == f, of;
		/* room for the choices hint only beside fields that have choices */
		ui_picker_position(u, f, &of);
		ui_field(u, y, r->x, of > 0 ? fw - hint : fw, _(labels[f]), &u->m.endpoint.f[f],
		         focused);
		if (focused)
			draw_choices(u, y, r->x + fw - hint + 1, hint - 1, f);
	}
	y++;
	if (a->region != NULL && u->m.endpoint.f[EP_LOCATION].len > 0 &&
	    strcmp(a->region, u->m.endpoint.f[EP_LOCATION].buf) != 0) {
		char buf[512];
		snprintf(
		    buf, sizeof buf,
		    _("Cross-region: the endpoint is in %s and the service in %s. Azure allows "
		      "this, but traffic between regions may cost extra (N2)."),
		    u->m.endpoint.f[EP_LOCATION].buf, a->region);
		y += w_para(&u->term, y, r->x, r->w, 2, 0, term_attr(&u->term, TR_WARN), buf) + 1;
	}
	draw_result(u, r, y);
}

/* A portal step's mark: the focus arrow and the tick box. */
static void step_mark(struct ui *u, int i, char *buf, size_t sz)
{
	int focused = u->m.endpoint.focus == 0 && u->m.endpoint.checklist.cur == i;

	snprintf(buf, sz, "%s[%s] ", focused ? ">" : " ",
	         u->m.endpoint.ticked[i] ? term_glyph(&u->term, TG_CHECK) : " ");
}

/*
 * Rows of the portal checklist: a step too long for the line goes on under itself (a hanging
 * indent, broken by display width) instead of being cut, so no step loses its end at 80 columns.
 * Returns the rows drawn.
 */
static int checklist(struct ui *u, const struct ui_rect *r, int y)
{
	int rows = 0;

	for (int i = 0; i < PORTAL_NSTEPS; i++) {
		char mark[32];
		int mw, n, focused = u->m.endpoint.focus == 0 && u->m.endpoint.checklist.cur == i;
		attr_t at = focused ? term_attr(&u->term, TR_FOCUS) : A_NORMAL;

		step_mark(u, i, mark, sizeof mark);
		mw = tw_width(mark);
		n = w_wrap(_(portal_steps[i]), r->w - mw, NULL, NULL);
		if (n < 1)
			n = 1;
		w_text(&u->term, y + rows, r->x, mw, at, mark);
		w_para(&u->term, y + rows, r->x + mw, r->w - mw, n, 0, at, _(portal_steps[i]));
		rows += n;
	}
	return rows;
}

static void draw_manual(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	const char *alias =
	    v->endpoint_service_id != NULL ? v->endpoint_service_id : u->m.alias.alias.buf;
	int y = r->y, gap = 1;

	if (path(u) == FLOW_PATH_TERRAFORM) {
		char buf[512];
		snprintf(buf, sizeof buf,
		         _("Run `chlink --profile %s export terraform` to write the .tf file "
		           "(azurerm_private_endpoint with the alias and is_manual_connection = "
		           "true, and "
		           "the private DNS), apply it, then paste the endpoint's resourceGuid and "
		           "private "
		           "IP from the Terraform outputs."),
		         u->cfg->profile != NULL ? u->cfg->profile : "default");
		y += w_para(&u->term, y, r->x, r->w, 5, 0, A_NORMAL, buf) + 1;
	} else {
		/* alias (up to 2), resourceGuid, private IP, stage 2 and its connection */
		int tail = w_wrap(alias, r->w - UI_LABEL_W, NULL, NULL);
		tail = (tail < 1 ? 1 : tail > 2 ? 2 : tail) + 3 + ui_step_exists(v, FLOW_ENDPOINT);
		y += checklist(u, r, y);
		/* the blank rows between the parts only when everything still fits */
		gap = y - r->y + tail + 2 <= r->h;
		y += y - r->y + tail + 1 <= r->h;
	}
	/* the API's alias, or the one pasted on the console path of stage 1 */
	y += ui_kv_wrap(u, y, r->x, r->w, 2, _("Alias"), alias, term_attr(&u->term, TR_ACCENT));
	ui_field(u, y++, r->x, r->w < 78 ? r->w : 78, _(labels[EP_GUID]), &u->m.endpoint.f[EP_GUID],
	         u->m.endpoint.focus == 1);
	ui_field(u, y++, r->x, r->w < 60 ? r->w : 60, _(labels[EP_IP]), &u->m.endpoint.f[EP_IP],
	         u->m.endpoint.focus == 2);
	draw_result(u, r, y + gap);
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	if (path(u) == FLOW_PATH_API)
		draw_api(u, r);
	else
		draw_manual(u, r);
}

static int submit_api(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);
	char q[512];

	if (ui_step_exists(v, FLOW_ENDPOINT))
		return UR_NEXT;
	for (int f = EP_SUB; f <= EP_NAME; f++)
		if (u->m.endpoint.f[f].len == 0) {
			u->m.endpoint.focus = f;
			ui_note(u, 1, _("Please fill in: %s"), _(labels[f]));
			return UR_REDRAW;
		}
	store(u, EP_SUB, EP_NAME);
	snprintf(q, sizeof q, _("Create private endpoint %s in %s (%s)? [y/N]"), a->pe_name,
	         a->resource_group, a->location);
	ui_confirm(u, q, (const enum flow_step[]){FLOW_ENDPOINT}, 1, 0);
	return UR_REDRAW;
}

static int submit_manual(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	const char *guid = u->m.endpoint.f[EP_GUID].buf, *ip = u->m.endpoint.f[EP_IP].buf;

	if (!flow_valid_guid(guid)) {
		u->m.endpoint.focus = 1;
		ui_note(u, 1, "%s",
		        _("The resourceGuid should look like "
		          "1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718 (JSON view, "
		          "properties.resourceGuid)."));
		return UR_REDRAW;
	}
	if (!flow_valid_ipv4(ip)) {
		u->m.endpoint.focus = 2;
		ui_note(u, 1, "%s",
		        _("The private IP should be an IPv4 address such as 10.0.0.4."));
		return UR_REDRAW;
	}
	if (v->pe_guid != NULL && strcmp(v->pe_guid, guid) != 0) {
		ui_note(u, 1,
		        _("Azure reports resourceGuid %s for this endpoint, not the one pasted."),
		        v->pe_guid);
		return UR_REDRAW;
	}
	if (v->pe_ip != NULL && strcmp(v->pe_ip, ip) != 0) {
		ui_note(u, 1,
		        _("Azure reports private IP %s for this endpoint, not the one pasted."),
		        v->pe_ip);
		return UR_REDRAW;
	}
	if (ui_step_exists(v, FLOW_ENDPOINT) && v->pe_guid != NULL)
		return UR_NEXT;
	store(u, EP_GUID, EP_IP);
	ui_note(u, 0, "%s", _("Checking the endpoint in Azure..."));
	return UR_REFRESH;
}

static int key(struct ui *u, struct ui_key k)
{
	int *focus = &u->m.endpoint.focus, api = path(u) == FLOW_PATH_API;
	int nfocus = api ? EP_NAME + 1 : 3;

	if (path(u) == FLOW_PATH_TERRAFORM && (k.fn == KEY_BTAB || (k.fn == 0 && k.ch == '\t'))) {
		*focus = *focus == 1 ? 2 : 1; /* the two pasted values */
		return UR_REDRAW;
	}
	if (ui_is_enter(k) && !(!api && *focus == 0))
		return api ? submit_api(u) : submit_manual(u);
	if ((k.fn == 0 && k.ch == '\t') || (api && k.fn == KEY_DOWN)) {
		*focus = (*focus + 1) % nfocus;
		return UR_REDRAW;
	}
	if (k.fn == KEY_BTAB || (api && k.fn == KEY_UP)) {
		*focus = (*focus + nfocus - 1) % nfocus;
		return UR_REDRAW;
	}
	if (!api && *focus == 0) {
		int r = w_list_key(&u->m.endpoint.checklist, k, PORTAL_NSTEPS);
		int *t = &u->m.endpoint.ticked[u->m.endpoint.checklist.cur];
		if (r == W_LIST_TOGGLE || ui_is_enter(k)) {
			*t = !*t;
			if (*t && u->m.endpoint.checklist.cur + 1 < PORTAL_NSTEPS)
				u->m.endpoint.checklist.cur++;
			else if (*t)
				*focus = 1;
			return UR_REDRAW;
		}
		return r != 0 ? UR_REDRAW : UR_NONE;
	}
	if (*focus >= nfocus)
		*focus = 0;
	if (api && (k.fn == KEY_NPAGE || k.fn == KEY_PPAGE))
		return ui_picker_key(u, *focus, k) | UR_HANDLED;
	return w_input_key(&u->m.endpoint.f[api ? *focus : EP_GUID + *focus - 1], k) ? UR_REDRAW
	                                                                             : UR_NONE;
}

const struct ui_screen ui_screen_endpoint = {
    .id = SCR_ENDPOINT,
    .stage = 2,
    .tab = N_("2 Endpoint"),
    .title = N_("Private endpoint"),
    .help = N_("Stage 2 creates a private endpoint in your virtual network that connects to "
               "the service's alias. Its connection stays Pending until the endpoint is on the "
               "service's allow list (stage 4), then turns Approved. chlink reads the endpoint's "
               "private IPv4 address (for the DNS record) and its resourceGuid: this GUID, not "
               "the ARM resource id, is the endpoint ID that stages 3 and 4 register.\n\n"
               "Azure allows the endpoint's VNet to be in another region than the service "
               "(cross-region); traffic between regions may cost extra (N2).\n\n"
               "In the portal: Private Link Center, Private endpoints, Create; Basics; Resource "
               "by resource ID or alias; Virtual network; DNS; Tags; Review + create. Then paste "
               "the resourceGuid (JSON view, properties.resourceGuid) and the private IP; chlink "
               "checks both against Azure. With Terraform: azurerm_private_endpoint with a "
               "private_service_connection to the alias and is_manual_connection = true."),
    .enter = enter,
    .draw = draw,
    .key = key,
};
