/*
 * cli: chlink's command line. Global options and their CHLINK_* variables,
 * the subcommands (status, apply, doctor, teardown, export, creds) and the
 * exit statuses: 0 done/ok, 1 error, 2 usage, 3 incomplete (or findings).
 * The wizard is a front end handed in by main, so src/ never depends on ui/.
 */
#ifndef CHLINK_CLI_H
#define CHLINK_CLI_H

#include <stddef.h>
#include "flow.h"
#include "loop.h"

struct keytest;

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };

/*
 * What the wizard may ask of the host program besides the flow engine:
 * the credentials vault (so ui/ needs no knowledge of files or crypto).
 * Every function returns 0 or -1 with `e` filled.
 */
struct wizard_host {
	void *ud;
	int (*vault_exists)(void *ud);
	/* Unlock and load the profile's credentials into cfg->creds. */
	int (*vault_unlock)(void *ud, const char *pass, struct flow_config *cfg, struct err *e);
	/* Store `c` (creating the vault with `pass` when it does not exist). */
	int (*vault_store)(void *ud, const struct creds *c, const char *pass,
	                   struct flow_config *cfg, struct err *e);
	/*
	 * "Test the keys": what they can do, one line per API (Admin or not, subscription
	 * reachable), without blocking: the requests run on the wizard's loop `l`, `done(arg)`
	 * runs from the loop when the answers are in, and creds_test_finish writes the report
	 * and frees the test (called earlier, it abandons it). See keytest.h.
	 */
	struct keytest *(*creds_test_start)(void *ud, struct loop *l, struct flow_config *cfg,
	                                    void (*done)(void *arg), void *arg, struct err *e);
	int (*creds_test_finish)(struct keytest *t, char *report, size_t n, struct err *e);
};

struct cli_opts {
	int demo;         /* --demo */
	const char *lang; /* --lang ja|en */
	int yes;          /* --yes */
	int json;         /* --json */
	long timeout_s;   /* --timeout */
	const char *passphrase_file;
	const char *script;   /* --script FILE: headless wizard keys (tests) */
	const char *dump_dir; /* --dump-dir DIR: headless screen dumps (tests) */
	const struct wizard_host
	    *host; /* NULL in demo mode (credentials come from the simulator) */
	void (*demo_prefill)(struct flow_answers *a); /* --demo: the simulator world's answers */
};

struct demo;

struct cli_frontend {
	/*
	 * Run the interactive wizard with a ready flow configuration (for --demo
	 * it points at the in-process simulator). Returns an exit status.
	 */
	int (*wizard)(struct flow_config *cfg, const struct cli_opts *o);
	/*
	 * --demo: start the simulated clouds and point `cfg` at them (see
	 * src/demo.h); the program supplies these so the CLI itself does not
	 * depend on the simulator. NULL: --demo is not available.
	 */
	struct demo *(*demo_start)(struct flow_config *cfg, struct err *e);
	void (*demo_prefill)(struct flow_answers *a);
	void (*demo_stop)(struct demo *d);
};

int cli_main(int argc, char **argv, const struct cli_frontend *fe);

#endif
