/*
 * loop: the single event loop. One thread: libcurl multi, timers and file
 * descriptors (the terminal, DNS sockets) are waited on in one poll, so the
 * screen never freezes while a request is in flight. The CLI runs the same
 * loop until its operation is done (loop_run_until).
 */
#ifndef CHLINK_LOOP_H
#define CHLINK_LOOP_H

#include <stdint.h>
#include <curl/curl.h>
#include "err.h"

struct loop;

/* A transfer added to the loop's multi handle; `done` runs when it ends. */
struct loop_xfer {
	CURL *easy;
	void (*done)(struct loop_xfer *x, CURLcode rc);
};

typedef void (*loop_fn)(void *ud);
typedef void (*loop_fd_fn)(void *ud, int fd, short revents);

struct loop *loop_new(struct err *e);
void loop_free(struct loop *l);

/* Monotonic milliseconds (the loop's notion of now). */
uint64_t loop_now_ms(const struct loop *l);

/* Start a transfer (CURLOPT_PRIVATE is set by the loop; do not use it). */
int loop_add_xfer(struct loop *l, struct loop_xfer *x, struct err *e);
/* Abort a transfer in flight; `done` is NOT called. */
void loop_remove_xfer(struct loop *l, struct loop_xfer *x);

/* One-shot timer; returns an id > 0 for loop_cancel. */
unsigned loop_timer(struct loop *l, unsigned ms, loop_fn fn, void *ud);
void loop_cancel(struct loop *l, unsigned id);

/* Watch a descriptor (POLLIN/POLLOUT) until loop_unwatch; at most 16 at once. */
int loop_watch(struct loop *l, int fd, short events, loop_fd_fn fn, void *ud);
void loop_unwatch(struct loop *l, int fd);

/*
 * Wait at most `timeout_ms` for anything (transfers, timers, watched fds),
 * then run what is due. Returns the number of callbacks run, -1 on error.
 */
int loop_once(struct loop *l, int timeout_ms);

/* Run until *done becomes non-zero, or `deadline_ms` (monotonic, 0 = none) passes: -1 +
 * ERR_TIMEOUT. */
int loop_run_until(struct loop *l, const int *done, uint64_t deadline_ms, struct err *e);

/* Work outstanding: transfers in flight + timers pending. */
int loop_busy(const struct loop *l);

/* The shared multi handle (the http layer sets connection limits on it). */
CURLM *loop_multi(struct loop *l);

#endif
