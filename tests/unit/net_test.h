/* net_test: shared helpers for the network unit tests (a loop + http client on a log file). */
#ifndef CHLINK_NET_TEST_H
#define CHLINK_NET_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"
#include "loop.h"
#include "xmalloc.h"

/* Secrets the tests use; the last test of each file scans for them. */
#define T_KEY_SECRET    "4b1dSECRETkeyQQ"
#define T_CLIENT_SECRET "cl1ent~SECRET+val/ue="
#define T_BEARER        "eyJbearerSECRETtoken"

struct nt {
	struct loop *l;
	struct http *h;
	FILE *log;
};

static inline char *nt_path(const char *name)
{
	const char *t = getenv("TMPDIR");
	return xasprintf("%s/%s", t ? t : "/tmp", name);
}

/* The debug log all clients of a test file append to. */
static inline FILE *nt_log(void)
{
	char *p = nt_path("net-test.log");
	FILE *f = fopen(p, "a");
	free(p);
	return f;
}

/* Error texts seen, collected for the secret scan. */
static inline void nt_note_error(const char *msg)
{
	char *p = nt_path("net-test-errors.txt");
	FILE *f = fopen(p, "a");
	if (f) {
		fprintf(f, "%s\n", msg);
		fclose(f);
	}
	free(p);
}

static inline int nt_open(struct nt *t, const struct http_opts *o)
{
	struct err e;
	struct http_opts d = {.max_retries = -1};
	if (o)
		d = *o;
	t->log = nt_log();
	d.log = t->log;
	t->l = loop_new(&e);
	t->h = t->l ? http_new(t->l, &d, &e) : NULL;
	return t->h ? 0 : -1;
}

static inline void nt_close(struct nt *t)
{
	http_free(t->h);
	loop_free(t->l);
	if (t->log)
		fclose(t->log);
}

/* 1 if `needle` occurs in the file. */
static inline int nt_file_has(const char *name, const char *needle)
{
	char *p = nt_path(name), *buf = NULL;
	size_t cap = 0, len = 0;
	FILE *f = fopen(p, "r");
	int hit = 0;
	free(p);
	if (!f)
		return 0;
	for (;;) {
		buf = xreallocarray_grow(buf, &cap, len + 4097, 1);
		size_t r = fread(buf + len, 1, 4096, f);
		if (r == 0)
			break;
		len += r;
	}
	buf[len] = '\0';
	hit = strstr(buf, needle) != NULL;
	fclose(f);
	free(buf);
	return hit;
}

#endif
