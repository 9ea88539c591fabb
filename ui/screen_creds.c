/* screen_creds: unlock or create the vault through the host, test the keys, show what they can do.
 */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "ui.h"

static const char *const labels[CREDS_NFIELDS] = {
    [CREDS_KEY_ID] = N_("ClickHouse key ID"), [CREDS_KEY_SECRET] = N_("ClickHouse key secret"),
    [CREDS_ORG] = N_("Organization ID"),      [CREDS_TENANT] = N_("Azure tenant ID"),
    [CREDS_CLIENT] = N_("Azure client ID"),   [CREDS_CLIENT_SECRET] = N_("Azure client secret"),
    [CREDS_SUB] = N_("Azure subscription"),   [CREDS_PASS] = N_("Vault passphrase"),
};

static const struct wizard_host *host(struct ui *u)
{
	return u->cfg->demo ? NULL : u->opts->host;
}

static int creating(struct ui *u)
{
	const struct wizard_host *h = host(u);
	return h != NULL && !h->vault_exists(h->ud);
}

/* The fields this mode shows: all of them to create the vault, the passphrase to unlock it. */
static int first_field(struct ui *u)
{
	return creating(u) ? 0 : CREDS_PASS;
}

static void enter(struct ui *u)
{
	if (u->m.creds.focus < first_field(u))
		u->m.creds.focus = first_field(u);
}

static void draw(struct ui *u, const struct ui_rect *r)
{
	int y = r->y;

	if (host(u) == NULL) {
		w_para(
		    &u->term, y, r->x, r->w, r->h, 0, A_NORMAL,
		    u->cfg->demo
		        ? _("Skipped in the demo: the simulator accepts its own keys, so there "
		            "is no vault to unlock. In real use this screen unlocks (or creates) "
		            "the encrypted vault holding your ClickHouse Cloud API key (it needs "
		            "the Admin role) and your Azure service principal, then tests them.\n\n"
		            "Press Enter to go on.")
		        : _("No credentials vault is available to the wizard; steps that need "
		            "keys will show as unknown. Press Enter to go on."));
		return;
	}
	if (u->m.creds.unlocked) {
		y += w_para(&u->term, y, r->x, r->w, 2, 0, term_attr(&u->term, TR_OK),
		            _("The vault is open. What the keys can do:"));
		w_para(&u->term, y + 1, r->x, r->w, r->h - 3, 0, A_NORMAL, u->m.creds.report);
		return;
	}
	y +=
	    w_para(&u->term, y, r->x, r->w, 3, 0, A_NORMAL,
	           creating(u) ? _("No vault yet. Enter the keys; they are stored encrypted with "
	                           "your passphrase. The ClickHouse key needs the Admin role (N3).")
	                       : _("Enter the passphrase of the credentials vault."));
	y++;
	for (int i = first_field(u); i < CREDS_NFIELDS; i++, y++)
		ui_field(u, y, r->x, r->w, _(labels[i]), &u->m.creds.f[i], u->m.creds.focus == i);
	if (u->m.creds.busy)
		w_para(&u->term, y + 1, r->x, r->w, 2, 0, term_attr(&u->term, TR_WARN),
		       u->m.creds.busy == 1 ? _("Opening the vault…")
		                            : _("Testing the keys with both APIs…"));
}

static const char *field(struct ui *u, int i)
{
	return u->m.creds.f[i].len > 0 ? u->m.creds.f[i].buf : NULL;
}

static void test_done(void *arg)
{
	struct ui *u = arg;
	const struct wizard_host *h = host(u);
	struct err e = {0};
	int rc =
	    h->creds_test_finish(u->m.creds.test, u->m.creds.report, sizeof u->m.creds.report, &e);

	u->m.creds.test = NULL;
	u->m.creds.busy = 0;
	for (int i = 0; i < CREDS_NFIELDS; i++)
		w_input_clear(&u->m.creds.f[i]);
	/* The vault is open either way; the report says which key failed. */
	u->m.creds.unlocked = 1;
	u->message[0] = '\0';
	if (rc < 0)
		ui_note(u, 1, "%s %s", e.msg, e.hint);
	ui_check(u);
	u->dirty = 1;
}

static int open_vault(struct ui *u, struct err *e)
{
	const struct wizard_host *h = host(u);

	if (creating(u)) {
		struct creds c = {
		    .key_id = (char *)field(u, CREDS_KEY_ID),
		    .key_secret = (char *)field(u, CREDS_KEY_SECRET),
		    .org_id = (char *)field(u, CREDS_ORG),
		    .tenant_id = (char *)field(u, CREDS_TENANT),
		    .client_id = (char *)field(u, CREDS_CLIENT),
		    .client_secret = (char *)field(u, CREDS_CLIENT_SECRET),
		    .subscription_id = (char *)field(u, CREDS_SUB),
		};
		return h->vault_store(h->ud, &c, u->m.creds.f[CREDS_PASS].buf, u->cfg, e);
	}
	return h->vault_unlock(h->ud, u->m.creds.f[CREDS_PASS].buf, u->cfg, e);
}

/*
 * Stretching the passphrase takes most of a second of CPU by design; it runs one
 * loop turn after Enter so the screen first says so. The key test that follows
 * runs on the loop like every request.
 */
static void unlock_now(void *arg)
{
	struct ui *u = arg;
	const struct wizard_host *h = host(u);
	struct err e = {0};
	int rc = open_vault(u, &e);

	u->m.creds.kdf_timer = 0;
	w_input_clear(&u->m.creds.f[CREDS_PASS]);
	if (rc == 0)
		rc = ui_reopen_flow(u, &e);
	if (rc == 0 && (u->m.creds.test =
	                    h->creds_test_start(h->ud, u->loop, u->cfg, test_done, u, &e)) == NULL)
		rc = -1;
	u->m.creds.busy = rc == 0 ? 2 : 0;
	if (rc < 0)
		ui_note(u, 1, "%s %s", e.msg, e.hint);
	u->dirty = 1;
}

static int submit(struct ui *u)
{
	u->m.creds.busy = 1;
	u->message[0] = '\0';
	u->m.creds.kdf_timer = loop_timer(u->loop, 0, unlock_now, u);
	return UR_REDRAW;
}

void ui_creds_abandon(struct ui *u)
{
	if (u->m.creds.kdf_timer != 0)
		loop_cancel(u->loop, u->m.creds.kdf_timer);
	u->m.creds.kdf_timer = 0;
	if (u->m.creds.test != NULL)
		host(u)->creds_test_finish(u->m.creds.test, NULL, 0, NULL);
	u->m.creds.test = NULL;
	u->m.creds.busy = 0;
}

static int key(struct ui *u, struct ui_key k)
{
	int *focus = &u->m.creds.focus;

	if (u->m.creds.busy)
		return UR_NONE; /* the fields are in use until the vault answers */
	if (ui_is_enter(k) || (k.fn == KEY_RIGHT && (host(u) == NULL || u->m.creds.unlocked))) {
		if (host(u) != NULL && !u->m.creds.unlocked)
			return submit(u);
		u->goto_screen = u->resume_to > SCR_CREDS ? u->resume_to : SCR_ALIAS;
		return UR_GOTO;
	}
	if (host(u) == NULL || u->m.creds.unlocked)
		return UR_NONE;
	if ((k.fn == 0 && k.ch == '\t') || k.fn == KEY_DOWN) {
		*focus = *focus + 1 < CREDS_NFIELDS ? *focus + 1 : first_field(u);
		return UR_REDRAW;
	}
	if (k.fn == KEY_BTAB || k.fn == KEY_UP) {
		*focus = *focus > first_field(u) ? *focus - 1 : CREDS_NFIELDS - 1;
		return UR_REDRAW;
	}
	if (w_input_key(&u->m.creds.f[*focus], k))
		return UR_REDRAW;
	return UR_NONE;
}

const struct ui_screen ui_screen_creds = {
    .id = SCR_CREDS,
    .tab = N_("Keys"),
    .title = N_("Credentials"),
    .help = N_("chlink needs a ClickHouse Cloud API key with the Admin role (managing private "
               "endpoints needs Admin) and, for the automatic Azure steps, a service principal "
               "allowed to create private endpoints and private DNS zones in your subscription. "
               "They are kept in a vault encrypted with your passphrase and never shown in "
               "full. After unlocking, chlink tests the keys and says what they can do."),
    .enter = enter,
    .draw = draw,
    .key = key,
};
