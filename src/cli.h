/*
 * cli: chlink's command line. Global options and their CHLINK_* variables,
 * the subcommands (status, apply, doctor, teardown, export, creds) and the
 * exit statuses: 0 done/ok, 1 error, 2 usage, 3 incomplete (or findings).
 * The wizard is a front end handed in by main, so src/ never depends on ui/.
 */
#ifndef CHLINK_CLI_H
#define CHLINK_CLI_H

#include "flow.h"

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };

struct cli_opts {
	int demo;                  /* --demo */
	const char *lang;          /* --lang ja|en */
	int yes;                   /* --yes */
	int json;                  /* --json */
	long timeout_s;            /* --timeout */
	const char *passphrase_file;
	const char *script;        /* --script FILE: headless wizard keys (tests) */
	const char *dump_dir;      /* --dump-dir DIR: headless screen dumps (tests) */
};

struct cli_frontend {
	/*
	 * Run the interactive wizard with a ready flow configuration (for --demo
	 * it points at the in-process simulator). Returns an exit status.
	 */
	int (*wizard)(struct flow_config *cfg, const struct cli_opts *o);
};

int cli_main(int argc, char **argv, const struct cli_frontend *fe);

#endif
