/* cmd_creds: the `chlink creds` subcommands on top of vault, passphrase and mask. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd_creds.h"
#include "creds_mem.h"
#include "i18n.h"
#include "mask.h"
#include "passphrase.h"
#include "textwidth.h"
#include "vault.h"
#include "xmalloc.h"

struct ctx {
	const char *profile, *pfile, *npfile, *vpath;
	int from_env, all, yes;
	creds_test_fn test_fn;
	void *test_ud;
	char *path; /* the vault path in use */
};

/* The struct creds string fields in the order `set` asks for them. */
static const struct ask {
	const char *label;
	size_t off;
	int secret;
	int sp; /* only for an Azure service principal (not with the az CLI login) */
} asks[] = {
    {N_("ClickHouse key ID"), offsetof(struct creds, key_id), 0, 0},
    {N_("ClickHouse key secret"), offsetof(struct creds, key_secret), 1, 0},
    {N_("Organization ID"), offsetof(struct creds, org_id), 0, 0},
    {N_("Azure tenant ID"), offsetof(struct creds, tenant_id), 0, 0},
    {N_("Azure subscription ID"), offsetof(struct creds, subscription_id), 0, 0},
    {N_("Azure client ID"), offsetof(struct creds, client_id), 0, 1},
    {N_("Azure client secret"), offsetof(struct creds, client_secret), 1, 1},
};
#define NASKS (sizeof asks / sizeof asks[0])

static char **field(struct creds *c, size_t i)
{
	return (char **)((char *)c + asks[i].off);
}

const char *cmd_creds_usage(void)
{
	return _("usage: chlink creds set [--from-env] [--profile NAME]\n"
	         "       chlink creds show|test [--profile NAME]\n"
	         "       chlink creds passwd [--new-passphrase-file FILE]\n"
	         "       chlink creds forget [--profile NAME | --all [--yes]]\n"
	         "       chlink creds path\n"
	         "common options: --passphrase-file FILE, --vault FILE\n");
}

/* After err_set(ERR_USAGE, ...): add the usage text; exit status 2. */
static int usage(struct err *e)
{
	err_hint(e, "%s", cmd_creds_usage());
	return 2;
}

/* ---- option parsing: a table, so the lead's getopt state is left alone ---- */

static int parse_opts(int argc, char **argv, struct ctx *c, struct err *e)
{
	const struct {
		const char *name;
		const char **arg;
		int *flag;
	} opts[] = {
	    {"--profile", &c->profile, NULL},
	    {"--passphrase-file", &c->pfile, NULL},
	    {"--new-passphrase-file", &c->npfile, NULL},
	    {"--vault", &c->vpath, NULL},
	    {"--from-env", NULL, &c->from_env},
	    {"--all", NULL, &c->all},
	    {"--yes", NULL, &c->yes},
	};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t n = eq != NULL ? (size_t)(eq - a) : strlen(a), k;

		if (n == strlen("--passphrase") && strncmp(a, "--passphrase", n) == 0) {
			err_set(e, ERR_USAGE, _("a passphrase is never taken on the command line"));
			return err_hint(e, _("Use --passphrase-file FILE (mode 0600)."));
		}
		for (k = 0; k < sizeof opts / sizeof opts[0]; k++)
			if (strlen(opts[k].name) == n && strncmp(a, opts[k].name, n) == 0)
				break;
		if (k == sizeof opts / sizeof opts[0] || (opts[k].flag != NULL && eq != NULL)) {
			err_set(e, ERR_USAGE, _("unknown option %s"), a);
			return err_hint(e, "%s", cmd_creds_usage());
		}
		if (opts[k].flag != NULL) {
			*opts[k].flag = 1;
		} else if (eq != NULL) {
			*opts[k].arg = eq + 1;
		} else if (i + 1 < argc) {
			*opts[k].arg = argv[++i];
		} else {
			err_set(e, ERR_USAGE, _("%s needs a value"), a);
			return err_hint(e, "%s", cmd_creds_usage());
		}
	}
	return 0;
}

/* ---- shared steps ---- */

static void no_file(const struct ctx *c, struct err *e)
{
	char *bak = xasprintf("%s.bak", c->path);

	err_set(e, ERR_NOTFOUND, _("there is no credentials file at %s"), c->path);
	if (access(bak, F_OK) == 0)
		err_hint(e, _("A backup exists: mv %s %s"), bak, c->path);
	else
		err_hint(e, "%s", _("Create it with: chlink creds set"));
	free(bak);
}

/*
 * Open and unlock the vault, asking for the passphrase (twice for a new
 * file). With `keep` the passphrase is handed to the caller (for a re-key
 * on save, see save()); otherwise it is wiped at once.
 */
static struct vault *open_unlocked(struct ctx *c, int create_ok, char **keep, size_t *keep_len,
                                   struct err *e)
{
	struct vault *v = vault_open(c->path, e);
	struct passphrase_src src = {c->pfile, "CHLINK_PASSPHRASE_FILE", "CHLINK_PASSPHRASE", NULL,
	                             0};
	char *prompt, *pass;
	size_t len = 0;
	int rc;

	if (v == NULL)
		return NULL;
	if (!vault_exists(v) && !create_ok) {
		vault_close(v);
		no_file(c, e);
		return NULL;
	}
	src.confirm = !vault_exists(v);
	prompt = xasprintf(vault_exists(v) ? _("Passphrase for %s: ")
	                                   : _("New passphrase to encrypt %s: "),
	                   c->path);
	src.prompt = prompt;
	pass = passphrase_get(&src, &len, e);
	free(prompt);
	if (pass == NULL) {
		vault_close(v);
		return NULL;
	}
	rc = vault_unlock(v, pass, len, e);
	if (rc == 0 && keep != NULL) {
		*keep = pass;
		*keep_len = len;
	} else {
		passphrase_free(pass);
	}
	if (rc < 0) {
		vault_close(v);
		return NULL;
	}
	return v;
}

/* Save; a file written with weaker KDF limits than today's is re-keyed on the way. */
static int save(struct vault *v, const char *pass, size_t len, struct err *e)
{
	return vault_save(v, vault_needs_rekey(v) ? pass : NULL, len, e);
}

static const struct creds *need_profile(struct vault *v, const char *profile, struct err *e)
{
	const struct creds *cr = vault_get(v, profile);

	if (cr != NULL)
		return cr;
	err_set(e, ERR_NOTFOUND, _("no profile \"%s\" in %s"), profile, vault_path(v));
	if (vault_count(v) > 0)
		err_hint(e, _("Known profiles include \"%s\"; pick one with --profile NAME."),
		         vault_profile_name(v, 0));
	else
		err_hint(e, _("Add it with: chlink creds set --profile %s"), profile);
	return NULL;
}

/* ---- set ---- */

/* One answer: from the terminal (echo off for secrets) or a line of stdin. */
static char *answer(const struct ask *a, const char *cur, int tty, struct err *e)
{
	char shown[128], *prompt, *line;
	size_t len;

	if (!tty) {
		line = passphrase_read_line(STDIN_FILENO, PASSPHRASE_MAX, &len, e);
		if (line == NULL && e->kind == ERR_NOTFOUND)
			return creds_sec_strdup(""); /* end of input: keep the rest */
		return line;
	}
	if (a->secret)
		mask_secret(cur, shown, sizeof shown);
	else
		tw_fit(cur, 40, 0, shown, sizeof shown);
	prompt = *cur != '\0' ? xasprintf("%s [%s]: ", _(a->label), shown)
	                      : xasprintf("%s: ", _(a->label));
	line = passphrase_ask_tty(prompt, !a->secret, &len, e);
	free(prompt);
	return line;
}

static struct creds *ask_all(const struct creds *old, struct err *e)
{
	struct creds *c = old != NULL ? creds_copy(old) : creds_new();
	int tty = isatty(STDIN_FILENO);

	for (size_t i = 0; i < NASKS; i++) {
		char *line = answer(&asks[i], *field(c, i), tty, e);
		if (line == NULL) {
			creds_free(c);
			return NULL;
		}
		if (*line != '\0') {
			creds_sec_free(*field(c, i));
			*field(c, i) = line;
		} else {
			creds_sec_free(line);
		}
	}
	c->az_use_cli = c->client_secret[0] == '\0';
	return c;
}

static int cmd_set(struct ctx *c, struct err *e)
{
	struct creds *cr = NULL;
	struct vault *v;
	char *pass = NULL;
	size_t len = 0;
	int found = 0, rc = -1;

	if (c->from_env) {
		cr = creds_from_env(&found);
		if (cr->key_id[0] == '\0' || cr->key_secret[0] == '\0') {
			creds_free(cr);
			err_set(e, ERR_USAGE,
			        _("--from-env needs KEY_ID and KEY_SECRET in the "
			          "environment"));
			return err_hint(e, _("Also read: ORG_ID, AZURE_TENANT_ID, AZURE_CLIENT_ID, "
			                     "AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID."));
		}
	}
	v = open_unlocked(c, 1, &pass, &len, e);
	if (v == NULL)
		goto out;
	if (cr == NULL)
		cr = ask_all(vault_get(v, c->profile), e);
	if (cr == NULL)
		goto out;
	if (cr->key_id[0] == '\0' || cr->key_secret[0] == '\0') {
		err_set(e, ERR_USAGE, _("the ClickHouse key ID and key secret are required"));
		goto out;
	}
	if (vault_put(v, c->profile, cr, e) < 0 || save(v, pass, len, e) < 0)
		goto out;
	printf(_("Saved profile \"%s\" in %s.\n"), c->profile, c->path);
	if (cr->az_use_cli)
		printf("%s\n",
		       _("Azure: your az CLI login will be used (no client secret stored)."));
	rc = 0;
out:
	passphrase_free(pass);
	creds_free(cr);
	vault_close(v);
	return rc;
}

/* ---- show ---- */

static void show_line(const char *label, const char *value, int width)
{
	char pad[256];

	tw_pad(label, width, pad, sizeof pad);
	printf("%s  %s\n", pad, *value != '\0' ? value : _("(not set)"));
}

static int cmd_show(struct ctx *c, struct err *e)
{
	struct vault *v = open_unlocked(c, 0, NULL, NULL, e);
	const struct creds *cr;
	char masked[128];
	int width = 0;

	if (v == NULL || (cr = need_profile(v, c->profile, e)) == NULL) {
		vault_close(v);
		return -1;
	}
	for (size_t i = 0; i < NASKS; i++)
		if (tw_width(_(asks[i].label)) > width)
			width = tw_width(_(asks[i].label));
	if (tw_width(_("Azure sign-in")) > width)
		width = tw_width(_("Azure sign-in"));
	show_line(_("Profile"), c->profile, width);
	show_line(_("File"), vault_path(v), width);
	for (int sp = 0; sp <= 1; sp++) {
		if (sp == 1)
			show_line(_("Azure sign-in"),
			          cr->az_use_cli ? _("az CLI login") : _("service principal"),
			          width);
		for (size_t i = 0; i < NASKS; i++) {
			const char *val = *field((struct creds *)cr, i);
			if (asks[i].sp != sp || (sp && cr->az_use_cli))
				continue;
			if (asks[i].secret) {
				mask_secret(val, masked, sizeof masked);
				val = masked;
			}
			show_line(_(asks[i].label), val, width);
		}
	}
	vault_close(v);
	return 0;
}

/* ---- test, passwd, forget, path ---- */

static int cmd_test(struct ctx *c, struct err *e)
{
	struct vault *v;
	const struct creds *cr;
	char report[4096] = "";
	int rc;

	if (c->test_fn == NULL)
		return err_set(e, ERR_USAGE, _("creds test is not available in this build"));
	v = open_unlocked(c, 0, NULL, NULL, e);
	if (v == NULL || (cr = need_profile(v, c->profile, e)) == NULL) {
		vault_close(v);
		return -1;
	}
	rc = c->test_fn(cr, c->test_ud, report, sizeof report, e);
	vault_close(v);
	if (report[0] != '\0')
		printf("%s%s", report, report[strlen(report) - 1] == '\n' ? "" : "\n");
	return rc;
}

static int cmd_passwd(struct ctx *c, struct err *e)
{
	struct passphrase_src src = {c->npfile, "CHLINK_NEW_PASSPHRASE_FILE",
	                             "CHLINK_NEW_PASSPHRASE", _("New passphrase: "), 1};
	struct vault *v = open_unlocked(c, 0, NULL, NULL, e);
	char *pass;
	size_t len = 0;
	int rc;

	if (v == NULL)
		return -1;
	pass = passphrase_get(&src, &len, e);
	rc = pass != NULL ? vault_save(v, pass, len, e) : -1;
	passphrase_free(pass);
	vault_close(v);
	if (rc == 0)
		printf(_("Re-encrypted %s under the new passphrase.\n"), c->path);
	return rc;
}

static int forget_all(struct ctx *c, struct err *e)
{
	char *bak = xasprintf("%s.bak", c->path), *ans;
	size_t len;
	int yes = c->yes, rc = 0;

	if (!yes) {
		char *q = xasprintf(_("Delete %s with every profile in it? [y/N] "), c->path);
		ans = passphrase_ask_tty(q, 1, &len, e);
		free(q);
		if (ans == NULL) {
			free(bak);
			return err_hint(e, _("Add --yes to delete without asking."));
		}
		yes = ans[0] == 'y' || ans[0] == 'Y';
		passphrase_free(ans);
	}
	if (!yes) {
		printf("%s\n", _("Nothing deleted."));
	} else if (unlink(c->path) < 0 && errno != ENOENT) {
		rc = err_set(e, ERR_IO, _("cannot delete %s: %s"), c->path, strerror(errno));
	} else {
		unlink(bak);
		printf(_("Deleted %s.\n"), c->path);
	}
	free(bak);
	return rc;
}

static int cmd_forget(struct ctx *c, struct err *e)
{
	struct vault *v;
	char *pass = NULL;
	size_t len = 0;
	int rc;

	if (c->all)
		return forget_all(c, e);
	v = open_unlocked(c, 0, &pass, &len, e);
	if (v == NULL)
		return -1;
	rc = vault_forget(v, c->profile, e);
	if (rc == 0)
		rc = save(v, pass, len, e);
	passphrase_free(pass);
	vault_close(v);
	if (rc == 0)
		printf(_("Removed profile \"%s\" from %s.\n"), c->profile, c->path);
	return rc;
}

static int cmd_path(struct ctx *c, struct err *e)
{
	printf("%s\n", c->path);
	return 0;
}

static const struct sub {
	const char *name;
	int (*run)(struct ctx *c, struct err *e);
} subs[] = {
    {"set", cmd_set},       {"show", cmd_show},     {"test", cmd_test},
    {"passwd", cmd_passwd}, {"forget", cmd_forget}, {"path", cmd_path},
};

int cmd_creds(int argc, char **argv, const struct creds_cmd_opts *o, struct err *e)
{
	struct ctx c = {o->profile, o->passphrase_file, NULL,       o->vault_path, o->from_env, 0,
	                0,          o->test_fn,         o->test_ud, NULL};
	const struct sub *s = NULL;
	int rc;

	err_clear(e);
	if (argc < 1 || argv[0] == NULL) {
		err_set(e, ERR_USAGE, "%s", _("missing subcommand"));
		return usage(e);
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[0], subs[i].name) == 0)
			s = &subs[i];
	if (s == NULL) {
		err_set(e, ERR_USAGE, _("unknown creds subcommand \"%s\""), argv[0]);
		return usage(e);
	}
	if (parse_opts(argc, argv, &c, e) < 0)
		return 2;
	if (c.profile == NULL || *c.profile == '\0')
		c.profile = "default";
	if (!vault_profile_name_ok(c.profile)) {
		err_set(e, ERR_USAGE, _("invalid profile name \"%.64s\""), c.profile);
		return usage(e);
	}
	c.path = c.vpath != NULL && *c.vpath != '\0' ? xstrdup(c.vpath) : vault_default_path();
	rc = s->run(&c, e);
	free(c.path);
	return rc == 0 ? 0 : 1;
}
