/*
 * passphrase: get the vault passphrase without it ever touching argv,
 * the screen or ordinary memory. Sources, first match wins:
 *   1. a file (--passphrase-file FILE, else $CHLINK_PASSPHRASE_FILE):
 *      owned by the user, mode 0600 or stricter; its first line is used;
 *   2. $CHLINK_PASSPHRASE (weaker: the environment can leak to child
 *      processes and /proc; for throw-away automation only);
 *   3. a prompt on /dev/tty with echo off (asked twice when `confirm`).
 * The result lives in sodium_malloc memory: release it with passphrase_free.
 */
#ifndef CHLINK_PASSPHRASE_H
#define CHLINK_PASSPHRASE_H

#include <stddef.h>
#include "err.h"

#define PASSPHRASE_MAX 1024 /* bytes */

struct passphrase_src {
	const char *file;     /* --passphrase-file, or NULL */
	const char *file_env; /* name of the file variable, e.g. "CHLINK_PASSPHRASE_FILE" */
	const char *env;      /* name of the value variable, e.g. "CHLINK_PASSPHRASE" */
	const char *prompt;   /* shown on the terminal, already translated */
	int confirm;          /* ask twice on the terminal (a new passphrase) */
};

/* The passphrase (NUL-terminated, *len bytes) or NULL with `e` filled. Empty is refused. */
char *passphrase_get(const struct passphrase_src *src, size_t *len, struct err *e);
void passphrase_free(char *p);

/* Read the first line of a 0600 file owned by the user into secure memory. */
char *passphrase_from_file(const char *path, size_t *len, struct err *e);

/*
 * Ask on /dev/tty: print `prompt`, read one line with echo off unless
 * `echo`; the terminal is restored even when a signal arrives (the signal
 * is then delivered). Result in secure memory, may be empty.
 */
char *passphrase_ask_tty(const char *prompt, int echo, size_t *len, struct err *e);

/*
 * Read one line from `fd` byte by byte (no stdio buffer keeps a copy) into
 * secure memory, without the newline; NULL at end of input with e->kind
 * ERR_NOTFOUND, or on a line longer than `max` bytes.
 */
char *passphrase_read_line(int fd, size_t max, size_t *len, struct err *e);

#endif
