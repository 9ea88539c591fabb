/* screen_dns: the private DNS zone, the wildcard record to the endpoint IP, the VNet link; verify.
 */
#include "config.h"
#include <string.h>
#include <stdio.h>
#include "i18n.h"
#include "ui.h"

static const enum flow_step dns_steps[] = {FLOW_DNS_ZONE, FLOW_DNS_RECORD, FLOW_DNS_LINK};

static void dns_row(struct ui *u, int y, const struct ui_rect *r, const char *label,
                    enum flow_step s, const char *value)
{
	w_text(&u->term, y, r->x, UI_LABEL_W - 1, A_NORMAL, label);
	ui_step_badge(u, y, r->x + UI_LABEL_W, s);
	w_text(&u->term, y, r->x + UI_LABEL_W + 10, r->w - UI_LABEL_W - 10, A_NORMAL, value);
}

/* The zone: observed, else the one the guide names: privateDnsHostname less its first label. */
static const char *zone_name(const struct flow_view *v)
{
	const char *dot;

	if (v->zone != NULL)
		return v->zone;
	if (v->private_dns_hostname != NULL && (dot = strchr(v->private_dns_hostname, '.')) != NULL)
		return dot + 1;
	return NULL;
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);
	const char *pending = _("(decided when the endpoint exists)");
	char buf[512];
	int y = r->y;

	y += w_para(&u->term, y, r->x, r->w, 3, 0, A_NORMAL,
	            _("The private hostname must resolve to the endpoint's private IP inside your "
	              "VNet: a private DNS zone, a wildcard A record and a link to the VNet."));
	y++;
	/* TRANSLATORS: the wildcard record; %1$s is an arrow, %2$s the IP */
	snprintf(buf, sizeof buf, _("* %1$s %2$s (TTL 300)"), term_glyph(&u->term, TG_ARROW),
	         v->record_ip != NULL ? v->record_ip
	         : v->pe_ip != NULL   ? v->pe_ip
	                              : "?");
	dns_row(u, y++, r, _("Zone"), FLOW_DNS_ZONE, zone_name(v) != NULL ? zone_name(v) : pending);
	dns_row(u, y++, r, _("Wildcard record"), FLOW_DNS_RECORD, buf);
	dns_row(u, y++, r, _("VNet link"), FLOW_DNS_LINK,
	        v->link != NULL ? v->link : ui_str(a->vnet));
	y++;
	if (a->path[2] != FLOW_PATH_API)
		y += w_para(
		    &u->term, y, r->x, r->w, 4, 0, A_NORMAL,
		    _("Create them in the portal (Private DNS zones, Create; then Record set "
		      "* of type A; then Virtual network links, Add) or with Terraform "
		      "(azurerm_private_dns_zone, azurerm_private_dns_a_record, "
		      "azurerm_private_dns_zone_virtual_network_link); press r to check."));
	else
		y += w_para(&u->term, y, r->x, r->w, 3, 0, term_attr(&u->term, TR_DIM),
		            _("Verification: any name in the zone must resolve to the endpoint IP "
		              "from inside the VNet (stage 5 tests it)."));
	/* once the probes ran, their DNS answer is the verification (D4) */
	if (v->step[FLOW_ACCESS].state == FLOW_DONE || v->step[FLOW_ACCESS].state == FLOW_FAILED) {
		snprintf(buf, sizeof buf, "%s %s",
		         term_glyph(&u->term, v->dns_ok ? TG_CHECK : TG_CROSS),
		         v->dns_ok ? _("names in the zone resolve to the endpoint IP")
		                   : _("names in the zone do not resolve to the endpoint IP"));
		w_text(&u->term, y + 1, r->x, r->w, term_attr(&u->term, v->dns_ok ? TR_OK : TR_BAD),
		       buf);
	}
}

static int key(struct ui *u, struct ui_key k)
{
	const struct flow_view *v = flow_view(u->flow);
	const struct flow_answers *a = flow_answers(u->flow);
	enum flow_step todo[3];
	char q[512];
	int n = 0;

	if (!ui_is_enter(k))
		return UR_NONE;
	for (int i = 0; i < 3; i++)
		if (v->step[dns_steps[i]].state != FLOW_DONE)
			todo[n++] = dns_steps[i];
	if (n == 0)
		return UR_NEXT;
	if (a->path[2] != FLOW_PATH_API)
		return UR_REFRESH;
	if (!ui_step_exists(v, FLOW_ENDPOINT)) {
		ui_note(u, 1, "%s",
		        _("Create the private endpoint first: the record needs its IP."));
		return UR_REDRAW;
	}
	snprintf(
	    q, sizeof q,
	    _("Create private DNS zone %1$s in %2$s, the wildcard record * %3$s %4$s and a link to "
	      "VNet %5$s? [y/N]"),
	    ui_str(zone_name(v)),
	    a->dns_resource_group != NULL ? a->dns_resource_group : ui_str(a->resource_group),
	    term_glyph(&u->term, TG_ARROW), ui_str(v->pe_ip), ui_str(a->vnet));
	ui_confirm(u, q, todo, n, 0);
	return UR_REDRAW;
}

const struct ui_screen ui_screen_dns = {
    .id = SCR_DNS,
    .stage = 2,
    .tab = N_("2b DNS"),
    .title = N_("Private DNS"),
    .help = N_("Between stages 2 and 3 the guide sets up DNS for Private Link: a private DNS "
               "zone named after the location (for example westus3.privatelink.azure."
               "clickhouse.cloud), a wildcard A record * pointing at the endpoint's private IP "
               "with TTL 300, and a virtual network link from the zone to the VNet. Then any "
               "name in the zone resolves to the endpoint IP (nslookup from inside the VNet). "
               "The private hostname resolves only inside the VNet (N5)."),
    .draw = draw,
    .key = key,
};
