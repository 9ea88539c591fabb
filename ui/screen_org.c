/* screen_org: stage 3 — register the endpoint's GUID in the ClickHouse Cloud organization. */
#include "config.h"
#include <stdio.h>
#include "i18n.h"
#include "ui.h"

static const char *endpoint_id(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);

	return v->pe_guid != NULL ? v->pe_guid : ui_str(a->manual_pe_guid);
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);
	int y = r->y;

	y += w_para(&u->term, y, r->x, r->w, 3, 0, A_NORMAL,
	            _("The organization keeps a list of private endpoints. chlink adds this "
	              "endpoint (provider azure) with the region of the service."));
	y++;
	ui_kv(u, y++, r->x, r->w, _("Endpoint ID"), endpoint_id(u), A_NORMAL);
	ui_kv(u, y++, r->x, r->w, _("Region"), ui_str(a->region), A_NORMAL);
	ui_kv(u, y, r->x, r->w, _("Stage 3"), "", A_NORMAL);
	ui_step_badge(u, y++, r->x + UI_LABEL_W, FLOW_ORG);
	y++;
	if (a->path[3] != FLOW_PATH_API)
		w_para(&u->term, y, r->x, r->w, 3, 0, A_NORMAL,
		       _("In the console this happens by itself when you add the endpoint to a "
		         "service in stage 4; it is removed under Organization details, Private "
		         "endpoints. Press r to check."));
	else if (!v->org_registered)
		w_text(&u->term, y, r->x, r->w, term_attr(&u->term, TR_DIM),
		       _("Press Enter to add it (you will be asked first)."));
}

static int key(struct ui *u, struct ui_key k)
{
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);
	char q[512];

	if (!ui_is_enter(k))
		return UR_NONE;
	if (v->step[FLOW_ORG].state == FLOW_DONE)
		return UR_NEXT;
	if (a->path[3] != FLOW_PATH_API)
		return UR_REFRESH;
	if (endpoint_id(u)[0] == '\0') {
		ui_note(u, 1, "%s", _("There is no endpoint ID yet: finish stage 2 first."));
		return UR_REDRAW;
	}
	snprintf(q, sizeof q,
	         _("Add endpoint %s (azure, %s) to the organization's private endpoints? [y/N]"),
	         endpoint_id(u), ui_str(a->region));
	ui_confirm(u, q, (const enum flow_step[]){FLOW_ORG}, 1, 0);
	return UR_REDRAW;
}

const struct ui_screen ui_screen_org = {
    .id = SCR_ORG,
    .stage = 3,
    .tab = N_("3 Organization"),
    .title = N_("Organization"),
    .help = N_("Stage 3 adds the endpoint's GUID (the resourceGuid from stage 2) to the "
               "private endpoints of your ClickHouse Cloud organization: PATCH on the "
               "organization with privateEndpoints add, provider azure and the service's "
               "region. In the console this happens by itself when stage 4 is done there; the "
               "entry is removed under Organization details, Private endpoints."),
    .draw = draw,
    .key = key,
};
