/* screen_access: stage 5 — the private hostname, ready-to-paste commands, and the probes' results.
 */
#include "config.h"
#include <stdio.h>
#include "i18n.h"
#include "textwidth.h"
#include "ui.h"

static void probe_row(struct ui *u, int y, const struct ui_rect *r, const char *label, int ok,
                      int ran)
{
	char buf[128];

	snprintf(buf, sizeof buf, "%s %s", term_glyph(&u->term, ok ? TG_CHECK : TG_CROSS),
	         ok ? _("passed") : _("failed"));
	ui_kv(u, y, r->x + 2, r->w - 2, label, ran ? buf : _("not run yet"),
	      !ran ? term_attr(&u->term, TR_DIM) : term_attr(&u->term, ok ? TR_OK : TR_BAD));
}

/*
 * A command to paste, laid out in words that stay together ("--port 9440"). A line that is full
 * ends with " \" and the command goes on indented under it, so the lines read as one command
 * (not two) and still paste into a shell as one. Returns the rows drawn.
 */
static int draw_command(struct ui *u, int y, int x, int w, const char *const *words, size_t n)
{
	char line[512];
	size_t len = 0;
	int rows = 0, used = 0, indent = 0;

	for (size_t i = 0; i < n; i++) {
		int ww = tw_width(words[i]), sep = len > 0;
		/* room for the word, and for the " \" of a break after it unless it is the last */
		int need = used + sep + ww + (i + 1 < n ? 2 : 0);
		if (len > 0 && need > w - indent) {
			snprintf(line + len, sizeof line - len, " \\");
			w_text(&u->term, y + rows++, x + indent, w - indent, A_BOLD, line);
			len = 0;
			used = 0;
			sep = 0;
			indent = 2;
		}
		int k = snprintf(line + len, sizeof line - len, "%s%s", sep ? " " : "", words[i]);
		if (k < 0 || (size_t)k >= sizeof line - len)
			break; /* cannot happen with a hostname: it is at most 253 bytes */
		len += (size_t)k;
		used += sep + ww;
	}
	if (len > 0)
		w_text(&u->term, y + rows++, x + indent, w - indent, A_BOLD, line);
	return rows;
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	const struct flow_view *v = flow_view(u->flow);
	const char *host = v->private_dns_hostname != NULL ? v->private_dns_hostname : "HOST";
	int ran =
	    v->step[FLOW_ACCESS].state == FLOW_DONE || v->step[FLOW_ACCESS].state == FLOW_FAILED;
	char buf[512];
	int y = r->y;

	ui_kv(u, y++, r->x, r->w, _("Private hostname"), host, term_attr(&u->term, TR_ACCENT));
	y++;
	w_text(&u->term, y++, r->x, r->w, A_NORMAL, _("Connect from inside the VNet with:"));
	/* the first line names the program and what follows it, even when the host goes below */
	y += draw_command(u, y, r->x + 2, r->w - 2,
	                  (const char *const[]){"clickhouse-client --host", host, "--secure",
	                                        "--port 9440", "--user default", "--password"},
	                  6);
	snprintf(buf, sizeof buf, "https://%s:8443/ping", host);
	y += draw_command(u, y, r->x + 2, r->w - 2, (const char *const[]){"curl", buf}, 2);
	y++;
	w_text(&u->term, y++, r->x, r->w, term_attr(&u->term, TR_ACCENT),
	       _("Probes from this machine:"));
	probe_row(u, y++, r, _("DNS answer"), v->dns_ok, ran);
	probe_row(u, y++, r, _("TLS on 9440"), v->tls_ok, ran);
	probe_row(u, y++, r, _("HTTPS /ping 8443"), v->ping_ok, ran);
	y++;
	w_para(&u->term, y, r->x, r->w, r->y + r->h - y, 0, term_attr(&u->term, TR_DIM),
	       ran ? ui_str(v->step[FLOW_ACCESS].detail)
	           : _("The private hostname resolves only inside the Azure VNet (N5): run the "
	               "probes from a machine there. Press Enter to run them."));
}

static int key(struct ui *u, struct ui_key k)
{
	const struct flow_view *v = flow_view(u->flow);

	if (!ui_is_enter(k))
		return UR_NONE;
	if (v->step[FLOW_ACCESS].state == FLOW_DONE)
		return UR_NEXT;
	/* the probes create nothing: no question */
	ui_run(u, (const enum flow_step[]){FLOW_ACCESS}, 1, 0);
	return UR_REDRAW;
}

const struct ui_screen ui_screen_access = {
    .id = SCR_ACCESS,
    .stage = 5,
    .tab = N_("5 Access"),
    .title = N_("Access"),
    .help = N_("Stage 5 connects over Private Link with the service's privateDnsHostname, "
               "<id>.<region>.privatelink.azure.clickhouse.cloud; the name without privatelink "
               "goes over the internet. chlink checks that the name resolves to the endpoint "
               "IP, that TLS to port 9440 connects, that https://HOST:8443/ping answers, and "
               "that the endpoint is Approved. The private name resolves only inside the VNet "
               "(N5), so the probes say where they ran."),
    .draw = draw,
    .key = key,
};
