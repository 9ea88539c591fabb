/*
 * keytest: "test the keys" — ask the ClickHouse Cloud API what role the key has
 * and whether the Azure service principal reaches its subscription, on a loop the
 * caller owns, so the wizard keeps answering keys while the two requests are out.
 */
#ifndef CHLINK_KEYTEST_H
#define CHLINK_KEYTEST_H

#include <stddef.h>
#include "err.h"
#include "flow.h"
#include "loop.h"

struct keytest;

/*
 * Start both probes on `l` with `cfg`'s URLs and `cr` (both must outlive the test).
 * `done(arg)` runs once from the loop (never inside this call) when the report is
 * ready; keytest_finish may be called from it. NULL + e on a bad configuration.
 */
struct keytest *keytest_start(struct loop *l, const struct flow_config *cfg, const struct creds *cr,
                              void (*done)(void *arg), void *arg, struct err *e);

/*
 * Write the report, one line per API, into `report` and free `t`: 0 when every key
 * works, else -1 with e. Called before `done` ran, it abandons the requests in
 * flight and returns -1 (quitting the wizard mid-test).
 */
int keytest_finish(struct keytest *t, char *report, size_t n, struct err *e);

/* Blocking form for `chlink creds test`: its own loop, until both answers are in. */
int keytest_run(const struct flow_config *cfg, const struct creds *cr, char *report, size_t n,
                struct err *e);

#endif
