/* err: an error travels up as a value (message + hint), never printed deep inside. */
#ifndef CHLINK_ERR_H
#define CHLINK_ERR_H

#include <stddef.h>

/* Error classes that callers branch on; the message says the rest. */
enum err_kind {
	ERR_NONE = 0,
	ERR_USAGE,     /* bad input from the user */
	ERR_IO,        /* file system */
	ERR_NET,       /* transport: connect, reset, timeout, TLS */
	ERR_HTTP,      /* a well-formed error answer from an API */
	ERR_PARSE,     /* an answer we cannot understand */
	ERR_AUTH,      /* 401: wrong key or secret, expired token */
	ERR_FORBIDDEN, /* 403: key lacks a role, no permission */
	ERR_NOTFOUND,  /* 404 */
	ERR_CONFLICT,  /* 409, or a precondition not met */
	ERR_CRYPTO,    /* wrong passphrase or damaged file */
	ERR_TIMEOUT,
	ERR_INTERNAL,
};

struct err {
	enum err_kind kind;
	int http_status; /* when the error came from an HTTP answer, else 0 */
	char msg[512];   /* what went wrong, one sentence, already translated */
	char hint[512];  /* what to do next, may be empty */
};

/* Set the message (printf-style); returns -1 so callers can `return err_set(...)`. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set or replace the hint; returns -1. */
int err_hint(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the existing message with context ("reading FILE: ..."); returns -1. */
int err_wrap(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);
const char *err_kind_name(enum err_kind kind);

#endif
