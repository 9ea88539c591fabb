/*
 * cmd_creds: `chlink creds set|show|test|passwd|forget|path`, the command
 * line face of the vault. main() parses global options into struct
 * creds_cmd_opts and passes the rest of argv (argv[0] = the subcommand);
 * options found in argv override the ones in `o`:
 *   --profile NAME, --passphrase-file FILE, --new-passphrase-file FILE,
 *   --vault FILE, --from-env, --all, --yes
 * A passphrase is never accepted on the command line.
 *
 * `set` answers, when standard input is not a terminal, are read one per
 * line in this order: key ID, key secret, organization ID, Azure tenant ID,
 * Azure subscription ID, Azure client ID, Azure client secret. An empty
 * answer keeps the stored value; with no client secret the az CLI login is
 * used for Azure.
 */
#ifndef CHLINK_CMD_CREDS_H
#define CHLINK_CMD_CREDS_H

#include <stddef.h>
#include "creds.h"
#include "err.h"

/*
 * Checks what the keys can do (Admin role, subscription reachable) and
 * writes a human-readable report (no secrets) into `report`. Returns 0 when
 * every check passed, -1 with `e` filled otherwise (the report may still
 * say what passed).
 */
typedef int (*creds_test_fn)(const struct creds *c, void *ud, char *report, size_t n,
                             struct err *e);

struct creds_cmd_opts {
	const char *profile;         /* NULL: "default" */
	const char *passphrase_file; /* NULL: $CHLINK_PASSPHRASE_FILE, ... (passphrase.h) */
	const char *vault_path;      /* NULL: vault_default_path() */
	int from_env;                /* `set` takes KEY_ID, ... from the environment */
	creds_test_fn test_fn;       /* NULL: `test` is not available */
	void *test_ud;
};

/* Exit status: 0 done, 1 failed (e filled), 2 usage error (e filled). Output goes to stdout. */
int cmd_creds(int argc, char **argv, const struct creds_cmd_opts *o, struct err *e);

/* The usage text (translated), for `chlink creds --help` and usage errors. */
const char *cmd_creds_usage(void);

#endif
