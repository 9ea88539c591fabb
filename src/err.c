/* err: filling struct err; the only formatting of errors below main and the UI. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "err.h"

int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->kind = kind;
	e->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int err_hint(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof e->hint, fmt, ap);
	va_end(ap);
	return -1;
}

int err_wrap(struct err *e, const char *fmt, ...)
{
	char old[sizeof e->msg];
	size_t n;
	va_list ap;

	if (e == NULL)
		return -1;
	memcpy(old, e->msg, sizeof old);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	if (n + 2 < sizeof e->msg) {
		memcpy(e->msg + n, ": ", 3);
		n += 2;
		memcpy(e->msg + n, old, strnlen(old, sizeof e->msg - n - 1));
		e->msg[n + strnlen(old, sizeof e->msg - n - 1)] = '\0';
	}
	return -1;
}

void err_clear(struct err *e)
{
	if (e != NULL)
		memset(e, 0, sizeof *e);
}

const char *err_kind_name(enum err_kind kind)
{
	static const char *const names[] = {
	    [ERR_NONE] = "none",
	    [ERR_USAGE] = "usage",
	    [ERR_IO] = "io",
	    [ERR_NET] = "network",
	    [ERR_HTTP] = "http",
	    [ERR_PARSE] = "parse",
	    [ERR_AUTH] = "auth",
	    [ERR_FORBIDDEN] = "forbidden",
	    [ERR_NOTFOUND] = "not-found",
	    [ERR_CONFLICT] = "conflict",
	    [ERR_CRYPTO] = "crypto",
	    [ERR_TIMEOUT] = "timeout",
	    [ERR_INTERNAL] = "internal",
	};
	if ((size_t)kind < sizeof names / sizeof names[0] && names[kind] != NULL)
		return names[kind];
	return "unknown";
}
