/* fake_int: what the fake clients share (fake_clouds.c, fake_azure.c); tests only. */
#ifndef FAKE_INT_H
#define FAKE_INT_H

#include "azure.h"
#include "chc.h"
#include "fake_clouds.h"
#include "http.h"
#include "loop.h"
#include "probe.h"

struct call {
	struct call *next;
	struct client *owner;
	unsigned timer;
	void (*run)(struct call *c);
	void *fn, *ud;
	char *a, *b, *c, *d;
	long n;
};

struct client {
	struct loop *l;
	struct call *calls;
};

struct http {
	struct client cl;
};
struct chc {
	struct client cl;
};
struct azure {
	struct client cl;
	az_progress_fn progress;
	void *progress_ud;
};

struct fake_world *fake_world_cur(void);
char *fake_dup0(const char *s);
/* Answer later (a loop timer); the call's run() computes the answer from the world then. */
int fake_later(struct client *cl, void (*run)(struct call *), void *fn, void *ud, const char *a,
               const char *b, const char *c2, const char *d);
void fake_order(const char *what);
/* Drop the calls not answered yet (the client is being freed). */
void fake_cancel(struct client *cl);
int fake_listed(const struct fake_pe *p);
struct fake_pe *fake_pe_named(const char *rg, const char *name);

#endif
