/* cli: chlink's entry point: options, credentials, the engine, and dispatch to a command. */
#include "config.h"
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli_int.h"
#include "i18n.h"
#include "loop.h"
#include "xmalloc.h"

void cli_error(const struct err *e)
{
	fprintf(stderr, "chlink: %s\n", e->msg[0] ? e->msg : _("unknown error"));
	if (e->hint[0])
		fprintf(stderr, "  %s %s\n", _("hint:"), e->hint);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("chlink: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_interactive(void)
{
	const char *term = getenv("TERM");

	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && term && *term &&
	       strcmp(term, "dumb") != 0;
}

int cli_confirm(const struct cli_ctx *c, const char *question)
{
	char line[16];

	if (c->o.yes)
		return 1;
	if (!isatty(STDIN_FILENO))
		return 0;
	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (!fgets(line, sizeof line, stdin))
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

/* ---- synchronous engine calls ---- */

struct waiter {
	int done;
	int rc;
	struct err e;
};

static void on_done(void *ud, int rc, const struct err *e)
{
	struct waiter *w = ud;

	w->done = 1;
	w->rc = rc;
	if (e)
		w->e = *e;
}

static void on_event(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "  %s\n", line);
}

static int wait_for(struct cli_ctx *c, struct waiter *w, int started, struct err *e)
{
	if (started < 0)
		return err_set(e, ERR_INTERNAL, "%s", _("the engine is busy"));
	if (loop_run_until(c->loop, &w->done, c->deadline_ms, e) < 0) {
		if (e->kind == ERR_TIMEOUT)
			err_hint(
			    e, "%s",
			    _("run chlink apply again to go on; a longer --timeout waits more"));
		return -1;
	}
	if (w->rc < 0) {
		*e = w->e;
		return -1;
	}
	return 0;
}

int cli_check(struct cli_ctx *c, struct err *e)
{
	struct waiter w = {0};

	return wait_for(c, &w, flow_check(c->flow, on_done, &w), e);
}

int cli_poll_connection(struct cli_ctx *c, struct err *e)
{
	struct waiter w = {0};

	return wait_for(c, &w, flow_poll_connection(c->flow, on_done, &w), e);
}

int cli_doctor_run(struct cli_ctx *c, struct err *e)
{
	struct waiter w = {0};

	return wait_for(c, &w, flow_doctor(c->flow, on_done, &w), e);
}

int cli_apply_step(struct cli_ctx *c, enum flow_step s, struct err *e)
{
	struct waiter w = {0};

	return wait_for(c, &w, flow_apply(c->flow, s, on_done, &w), e);
}

int cli_undo_step(struct cli_ctx *c, enum flow_step s, int force, struct err *e)
{
	struct waiter w = {0};

	return wait_for(c, &w, flow_undo(c->flow, s, force, on_done, &w), e);
}

/* ---- dispatch ---- */

static const struct {
	const char *name;
	int (*run)(struct cli_ctx *c);
	int words;   /* words after the command (export's format) */
	int mutates; /* changes the profile: one at a time (the others only cache a status) */
} commands[] = {
    {"status", cli_status, 0, 0},     {"apply", cli_apply, 0, 1},   {"doctor", cli_doctor, 0, 0},
    {"teardown", cli_teardown, 0, 1}, {"export", cli_export, 1, 0},
};

/* Credentials and the log, which the wizard and the commands both need. */
/* --demo: the simulated clouds in this process stand in for the real ones. */
static int open_demo(struct cli_ctx *c, struct err *e)
{
	if (c->fe == NULL || c->fe->demo_start == NULL)
		return err_set(e, ERR_USAGE, "%s", _("this build has no demo"));
	if (c->demo != NULL)
		return 0;
	c->demo = c->fe->demo_start(&c->cfg, e);
	return c->demo != NULL ? 0 : -1;
}

/* The wizard unlocks the vault on its own screen; the commands here, at once. */
static int open_io(struct cli_ctx *c, int use_vault)
{
	struct err e;

	err_clear(&e);
	if (c->o.demo ? open_demo(c, &e) < 0 : cli_load_creds(c, use_vault, &e) < 0) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	if (c->log_path && !(c->cfg.log = fopen(c->log_path, "a"))) {
		cli_errorf(_("cannot open the log %s"), c->log_path);
		return EXIT_ERROR;
	}
	return 0;
}

static int run_wizard(struct cli_ctx *c, const struct cli_frontend *fe)
{
	int rc;

	if (!fe || !fe->wizard || (!c->o.script && !cli_interactive())) {
		struct err e;
		err_clear(&e);
		err_set(&e, ERR_USAGE, "%s", _("the wizard needs a terminal"));
		err_hint(&e, "%s", _("use chlink apply / chlink status"));
		cli_error(&e);
		return EXIT_USAGE;
	}
	/* MERGE: with --demo the wizard starts the in-process simulator and points cfg at it. */
	if ((rc = open_io(c, 0)) || (rc = cli_guard_profile(c, "wizard", 1)))
		return rc;
	if (c->demo)
		c->o.demo_prefill = fe->demo_prefill;
	else
		c->o.host = cli_wizard_host(c);
	return fe->wizard(&c->cfg, &c->o);
}

static int open_engine(struct cli_ctx *c, const char *command, int mutates)
{
	struct err e;
	int rc;

	if ((rc = open_io(c, 1)) || (rc = cli_guard_profile(c, command, mutates)))
		return rc;
	err_clear(&e);
	if (!(c->loop = loop_new(&e)) || !(c->flow = flow_new(c->loop, &c->cfg, &e))) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	if (e.kind) /* a damaged profile was moved aside: say so, go on */
		cli_error(&e);
	flow_set_events(c->flow, on_event, c);
	if (c->demo && c->fe->demo_prefill)
		c->fe->demo_prefill(flow_answers(c->flow));
	cli_merge_answers(flow_answers(c->flow), &c->given, c->have_id_form);
	rc = c->given.region || c->given.n_services || c->given.subscription ||
	     c->given.resource_group || c->given.vnet || c->given.subnet || c->given.location ||
	     c->given.pe_name || c->given.dns_resource_group || c->given.manual_pe_guid ||
	     c->given.manual_pe_ip || c->given.manual_alias || c->given.manual_hostname ||
	     c->have_id_form;
	if (rc && flow_save(c->flow, &e) < 0) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	return 0;
}

static int dispatch(struct cli_ctx *c, const struct cli_frontend *fe)
{
	int rc;

	if (!c->command)
		return run_wizard(c, fe);
	if (strcmp(c->command, "creds") == 0)
		return cli_run_creds(c);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(c->command, commands[i].name) != 0)
			continue;
		if (c->argc > commands[i].words) {
			cli_errorf(_("unexpected argument \"%s\""), c->argv[commands[i].words]);
			fprintf(stderr, "  %s %s\n", _("hint:"), _("see chlink --help"));
			return EXIT_USAGE;
		}
		rc = open_engine(c, commands[i].name, commands[i].mutates);
		return rc ? rc : commands[i].run(c);
	}
	cli_errorf(_("unknown command \"%s\""), c->command);
	fprintf(stderr, "  %s %s\n", _("hint:"), _("see chlink --help"));
	return EXIT_USAGE;
}

/* --lang applies before the other options are parsed, so that their errors are translated. */
static const char *early_lang(int argc, char **argv)
{
	const char *lang = getenv("CHLINK_LANG");

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
	}
	return lang;
}

int cli_main(int argc, char **argv, const struct cli_frontend *fe)
{
	struct cli_ctx c;
	const char *cs;
	int rc;

	memset(&c, 0, sizeof c);
	c.fe = fe;
	c.cfg.profile = "default";
	c.o.timeout_s = 900;
	i18n_init(early_lang(argc, argv));
	rc = cli_parse(&c, argc, argv);
	cs = nl_langinfo(CODESET);
	c.utf8 = cs && strcasecmp(cs, "UTF-8") == 0;
	if (rc == 0 && c.help)
		cli_usage(stdout);
	else if (rc == 0 && c.version)
		printf("chlink %s\n", PACKAGE_VERSION);
	else if (rc == 0)
		rc = dispatch(&c, fe);
	flow_free(c.flow);
	cli_guard_end(&c);
	if (c.loop)
		loop_free(c.loop);
	if (c.cfg.log)
		fclose(c.cfg.log);
	cli_creds_free(&c);
	if (c.demo && fe->demo_stop)
		fe->demo_stop(c.demo);
	cli_ctx_free(&c);
	return rc;
}
