/* xmalloc: allocation that aborts on failure, so callers need no NULL checks. */
#ifndef CHLINK_XMALLOC_H
#define CHLINK_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array: *cap doubles as needed so that index `need - 1` fits. */
void *xreallocarray_grow(void *p, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
