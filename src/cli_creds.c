/*
 * cli_creds: where the CLI's credentials come from. The guide's variables
 * (KEY_ID, KEY_SECRET, ORG_ID) and the Azure SDK's win field by field; what
 * they leave empty comes from the encrypted vault, unlocked only when it is
 * needed. Everything lives in sodium memory and is wiped at exit.
 */
#include "config.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_int.h"
#include "cmd_creds.h"
#include "creds_mem.h"
#include "i18n.h"
#include "keytest.h"
#include "passphrase.h"
#include "vault.h"

static const size_t fields[] = {
    offsetof(struct creds, key_id),          offsetof(struct creds, key_secret),
    offsetof(struct creds, org_id),          offsetof(struct creds, tenant_id),
    offsetof(struct creds, client_id),       offsetof(struct creds, client_secret),
    offsetof(struct creds, subscription_id),
};

static char **field(struct creds *c, size_t off)
{
	return (char **)(void *)((char *)c + off);
}

/* The vault is worth unlocking when the environment leaves a field empty. */
static int env_complete(const struct creds *c)
{
	return c->key_id && c->key_secret && c->tenant_id && c->client_id &&
	       (c->client_secret || c->az_use_cli) && c->subscription_id;
}

/* Fill what the environment left empty from `stored`. */
static void merge_creds(struct creds *cr, const struct creds *stored)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char **dst = field(cr, fields[i]);
		char *const *from = field((struct creds *)stored, fields[i]);
		if (!*dst && *from && **from)
			*dst = creds_sec_strdup(*from);
	}
	if (!cr->client_secret && stored->az_use_cli)
		cr->az_use_cli = 1;
}

static int fill_from_vault(struct cli_ctx *c, struct creds *cr, struct err *e)
{
	struct passphrase_src src = {
	    .file = c->o.passphrase_file,
	    .file_env = "CHLINK_PASSPHRASE_FILE",
	    .env = "CHLINK_PASSPHRASE",
	    .prompt = _("Passphrase for the chlink credentials: "),
	};
	const struct creds *stored;
	char *pass;
	size_t len;
	int rc;

	if (!(c->vault = vault_open(NULL, e)))
		return -1;
	if (!vault_exists(c->vault))
		return 0;
	if (!(pass = passphrase_get(&src, &len, e)))
		return -1;
	rc = vault_unlock(c->vault, pass, len, e);
	passphrase_free(pass);
	if (rc < 0)
		return -1;
	if (!(stored = vault_get(c->vault, c->cfg.profile)))
		return 0;
	merge_creds(cr, stored);
	return 0;
}

/* creds_from_env gives "" for unset variables; the engine wants NULL for "not given". */
static void drop_empty(struct creds *cr)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char **f = field(cr, fields[i]);
		if (*f && !**f) {
			creds_sec_free(*f);
			*f = NULL;
		}
	}
}

int cli_load_creds(struct cli_ctx *c, int use_vault, struct err *e)
{
	struct creds *cr = creds_from_env(NULL);

	drop_empty(cr);
	/* "use my az login" only when an Azure subscription was named without a secret. */
	cr->az_use_cli = !cr->client_secret && cr->subscription_id;
	c->creds = cr;
	c->cfg.creds = cr;
	if (use_vault && !env_complete(cr) && fill_from_vault(c, cr, e) < 0)
		return -1;
	return 0;
}

/* ---- the wizard's view of the vault (struct wizard_host) ---- */

static int open_vault(struct cli_ctx *c, struct err *e)
{
	if (c->vault == NULL && (c->vault = vault_open(NULL, e)) == NULL)
		return -1;
	return 0;
}

static int host_exists(void *ud)
{
	struct cli_ctx *c = ud;
	struct err e;

	return open_vault(c, &e) == 0 && vault_exists(c->vault);
}

static int host_unlock(void *ud, const char *pass, struct flow_config *cfg, struct err *e)
{
	struct cli_ctx *c = ud;
	const struct creds *stored;

	if (open_vault(c, e) < 0 || vault_unlock(c->vault, pass, strlen(pass), e) < 0)
		return -1;
	if ((stored = vault_get(c->vault, c->cfg.profile)) == NULL) {
		err_set(e, ERR_NOTFOUND, _("the vault has no credentials for profile %s"),
		        c->cfg.profile);
		return err_hint(e, _("store them with: chlink creds set --profile %s"),
		                c->cfg.profile);
	}
	merge_creds(c->creds, stored);
	cfg->creds = c->creds;
	return 0;
}

static int host_store(void *ud, const struct creds *in, const char *pass, struct flow_config *cfg,
                      struct err *e)
{
	struct cli_ctx *c = ud;

	if (open_vault(c, e) < 0 || vault_put(c->vault, c->cfg.profile, in, e) < 0 ||
	    vault_save(c->vault, pass, strlen(pass), e) < 0)
		return -1;
	merge_creds(c->creds, in);
	cfg->creds = c->creds;
	return 0;
}

static struct keytest *host_test_start(void *ud, struct loop *l, struct flow_config *cfg,
                                       void (*done)(void *arg), void *arg, struct err *e)
{
	(void)ud;
	return keytest_start(l, cfg, cfg->creds, done, arg, e);
}

const struct wizard_host *cli_wizard_host(struct cli_ctx *c)
{
	c->host = (struct wizard_host){c,          host_exists,     host_unlock,
	                               host_store, host_test_start, keytest_finish};
	return &c->host;
}

void cli_creds_free(struct cli_ctx *c)
{
	creds_free(c->creds);
	c->creds = NULL;
	if (c->vault)
		vault_close(c->vault);
	c->vault = NULL;
}

/*
 * The creds subcommands that write the vault hold the lock of the profile they
 * change (named by `creds --profile` when given), so that a wizard storing
 * keys for the same profile cannot interleave with them.
 */
static int creds_guard(struct cli_ctx *c)
{
	static const char *const writers[] = {"set", "passwd", "forget"};
	const char *saved = c->cfg.profile;
	char what[32];
	int rc;

	if (c->argc < 1)
		return 0;
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
		if (strcmp(c->argv[0], writers[i]) != 0)
			continue;
		for (int a = 1; a < c->argc; a++) {
			if (strcmp(c->argv[a], "--") == 0)
				break;
			if (strcmp(c->argv[a], "--profile") == 0 && a + 1 < c->argc)
				c->cfg.profile = c->argv[a + 1];
			else if (strncmp(c->argv[a], "--profile=", 10) == 0)
				c->cfg.profile = c->argv[a] + 10;
		}
		snprintf(what, sizeof what, "creds %s", writers[i]);
		rc = cli_guard_profile(c, what, 1);
		c->cfg.profile = saved;
		return rc;
	}
	return 0;
}

int cli_run_creds(struct cli_ctx *c)
{
	struct creds_cmd_opts o = {
	    .profile = c->cfg.profile,
	    .passphrase_file = c->o.passphrase_file,
	    .test_fn = cli_creds_test,
	    .test_ud = c,
	};
	struct err e;
	int rc;

	if ((rc = creds_guard(c)) != 0)
		return rc;
	err_clear(&e);
	rc = cmd_creds(c->argc, c->argv, &o, &e);
	if (rc != 0 && e.msg[0])
		cli_error(&e);
	return rc;
}

/* `chlink creds test`: both probes on a loop of its own (keytest.c). */
int cli_creds_test(const struct creds *cr, void *ud, char *report, size_t n, struct err *e)
{
	struct cli_ctx *c = ud;

	return keytest_run(&c->cfg, cr, report, n, e);
}
