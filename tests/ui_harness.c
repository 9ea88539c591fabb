/*
 * ui_harness: the real wizard (ui/) on the fake engine (tests/unit/fake_flow.c),
 * for headless screen tests. Usage:
 *   ui_harness [--demo] [--profile NAME] [--vault new|existing] [--script FILE] [--dump-dir DIR]
 * FAKE_FLOW_WORLD=half starts from a half-finished world. --vault gives the
 * wizard a fake credentials host (passphrase "correct horse").
 */
#include "config.h"
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"
#include "wizard.h"

/* A vault in memory: enough for the Credentials screen's unlock, create and test. */
struct fake_vault {
	int exists;
	char key_id[64];
};

static int fv_exists(void *ud)
{
	return ((struct fake_vault *)ud)->exists;
}

static int fv_unlock(void *ud, const char *pass, struct flow_config *cfg, struct err *e)
{
	struct fake_vault *v = ud;

	(void)cfg;
	if (strcmp(pass, "correct horse") != 0) {
		err_set(e, ERR_CRYPTO, "%s", "Wrong passphrase, or the vault is damaged.");
		return err_hint(e, "%s", "Type it again; nothing was changed.");
	}
	snprintf(v->key_id, sizeof v->key_id, "%s", "kid-existing");
	return 0;
}

static int fv_store(void *ud, const struct creds *c, const char *pass, struct flow_config *cfg,
                    struct err *e)
{
	struct fake_vault *v = ud;

	(void)cfg;
	if (c->key_id == NULL || c->key_secret == NULL || c->org_id == NULL)
		return err_set(e, ERR_USAGE, "%s",
		               "The ClickHouse key ID, secret and organization are needed.");
	if (strlen(pass) < 8)
		return err_set(e, ERR_USAGE, "%s", "The passphrase needs at least 8 characters.");
	snprintf(v->key_id, sizeof v->key_id, "%s", c->key_id);
	v->exists = 1;
	return 0;
}

/* The key test answers one loop turn later, like a request would. */
struct keytest {
	struct loop *l;
	unsigned timer;
	void (*done)(void *arg);
	void *arg;
	char key_id[64];
};

static void fv_test_fire(void *ud)
{
	struct keytest *t = ud;

	t->timer = 0;
	t->done(t->arg);
}

static struct keytest *fv_test_start(void *ud, struct loop *l, struct flow_config *cfg,
                                     void (*done)(void *arg), void *arg, struct err *e)
{
	struct fake_vault *v = ud;
	struct keytest *t = calloc(1, sizeof *t);

	(void)cfg;
	(void)e;
	if (t == NULL)
		abort();
	*t = (struct keytest){.l = l, .done = done, .arg = arg};
	snprintf(t->key_id, sizeof t->key_id, "%s", v->key_id);
	t->timer = loop_timer(l, 20, fv_test_fire, t);
	return t;
}

static int fv_test_finish(struct keytest *t, char *report, size_t n, struct err *e)
{
	int pending = t->timer != 0;

	if (pending)
		loop_cancel(t->l, t->timer);
	else if (report != NULL)
		snprintf(
		    report, n,
		    "ClickHouse Cloud: key %s has the Admin role (it can manage private "
		    "endpoints).\n"
		    "Azure: the service principal reaches subscription 6e1f3a52-...-000000000001.",
		    t->key_id);
	free(t);
	if (pending && e != NULL)
		err_set(e, ERR_INTERNAL, "%s", "abandoned");
	return pending ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct flow_config cfg = {.profile = "default"};
	struct cli_opts o = {0};
	struct fake_vault vault = {0};
	const struct wizard_host host = {&vault,   fv_exists,     fv_unlock,
	                                 fv_store, fv_test_start, fv_test_finish};

	setlocale(LC_ALL, "");
	i18n_init(NULL);
	for (int i = 1; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--demo") == 0) {
			cfg.demo = o.demo = 1;
		} else if (strcmp(argv[i], "--script") == 0 && next != NULL) {
			o.script = argv[++i];
		} else if (strcmp(argv[i], "--dump-dir") == 0 && next != NULL) {
			o.dump_dir = argv[++i];
		} else if (strcmp(argv[i], "--vault") == 0 && next != NULL) {
			vault.exists = strcmp(argv[++i], "existing") == 0;
			o.host = &host;
		} else if (strcmp(argv[i], "--profile") == 0 && next != NULL) {
			cfg.profile = argv[++i];
		} else {
			fprintf(stderr,
			        "usage: ui_harness [--demo] [--profile NAME] [--script FILE] "
			        "[--dump-dir DIR]\n");
			return EXIT_USAGE;
		}
	}
	return ui_wizard_run(&cfg, &o);
}
