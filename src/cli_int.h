/* cli_int: what the command files share: the parsed command line and the synchronous engine calls.
 */
#ifndef CHLINK_CLI_INT_H
#define CHLINK_CLI_INT_H

#include <stdint.h>
#include <stdio.h>
#include "cli.h"
#include "flow.h"

struct vault;
struct profile_lock;

#define CLI_MAX_CONNECT_TO 16

struct cli_ctx {
	struct cli_opts o;
	struct flow_config cfg;
	struct flow_answers given; /* answer flags and the guide's variables */
	int have_id_form;
	const char *command; /* NULL = the wizard */
	int argc;            /* the command's own words (after its options) */
	char **argv;
	const char *connect_to[CLI_MAX_CONNECT_TO + 1];
	char *connect_to_env; /* CHLINK_CONNECT_TO copy, split in place */
	int force;
	int help, version;
	const char *log_path;
	int utf8; /* the locale can show ✓ */
	struct loop *loop;
	struct flow *flow;
	struct creds *creds; /* sodium memory; env first, then the vault */
	struct vault *vault; /* open when the vault was needed */
	struct demo *demo;   /* --demo: the in-process simulator */
	const struct cli_frontend *fe;
	struct wizard_host host;
	uint64_t deadline_ms;      /* monotonic; 0 = none (apply sets it from --timeout) */
	struct profile_lock *lock; /* held while this command may change the profile */
	char *snapshot_dir;        /* a read-only command's private copy of a busy profile */
};

/*
 * Before the engine opens the profile: a command that changes it (`mutates`)
 * takes its lock or fails at once, naming the chlink that holds it; a read-only
 * one takes the lock when free, else works on a private copy of the profile.
 * 0, or an exit status after printing the error. cli_guard_end undoes it.
 */
int cli_guard_profile(struct cli_ctx *c, const char *command, int mutates);
void cli_guard_end(struct cli_ctx *c);

/* Parse argv into c; 0, or EXIT_USAGE after printing the error. */
int cli_parse(struct cli_ctx *c, int argc, char **argv);
void cli_usage(FILE *out);
void cli_ctx_free(struct cli_ctx *c);
/* Merge the given answers into the profile's (given ones win). */
void cli_merge_answers(struct flow_answers *dst, const struct flow_answers *given,
                       int have_id_form);

/* Print "chlink: MESSAGE" and "  hint: HINT" on stderr. */
void cli_error(const struct err *e);
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Synchronous engine calls: run the loop until the operation ends (or the deadline). */
int cli_check(struct cli_ctx *c, struct err *e);
int cli_doctor_run(struct cli_ctx *c, struct err *e);
int cli_poll_connection(struct cli_ctx *c, struct err *e);
int cli_apply_step(struct cli_ctx *c, enum flow_step s, struct err *e);
int cli_undo_step(struct cli_ctx *c, enum flow_step s, int force, struct err *e);

/* Credentials (cli_creds.c): environment, then the vault; and `chlink creds`. */
int cli_load_creds(struct cli_ctx *c, int use_vault, struct err *e);
/* The vault operations the wizard's Credentials screen calls. */
const struct wizard_host *cli_wizard_host(struct cli_ctx *c);
void cli_creds_free(struct cli_ctx *c);
int cli_run_creds(struct cli_ctx *c);
/* `creds test`: what the keys can do (wired to the API clients). */
int cli_creds_test(const struct creds *cr, void *ud, char *report, size_t n, struct err *e);

/* The commands. */
int cli_status(struct cli_ctx *c);
int cli_apply(struct cli_ctx *c);
int cli_doctor(struct cli_ctx *c);
int cli_teardown(struct cli_ctx *c);
int cli_export(struct cli_ctx *c);

/* Status output, shared with export json. */
void cli_status_text(const struct cli_ctx *c, FILE *out);
char *cli_status_json(const struct cli_ctx *c);
/* "✓" or "ok" etc. for a state. */
const char *cli_mark(const struct cli_ctx *c, enum flow_state s);
/* Ask a yes/no question on the terminal; 1 = yes. */
int cli_confirm(const struct cli_ctx *c, const char *question);
int cli_interactive(void);

#endif
