/* http_int: pieces of the http layer shared between its files (not a public API). */
#ifndef CHLINK_HTTP_INT_H
#define CHLINK_HTTP_INT_H

#include <stdint.h>
#include <stdio.h>

struct hlim;

/* A limiter of `n` requests per `window_s` per key; state_dir NULL = memory only. */
struct hlim *hlim_new(const char *state_dir, int n, int window_s);
void hlim_free(struct hlim *l);
/*
 * 0: the request may go now; it holds a slot (*slot names it) until
 * hlim_done. Else the milliseconds to wait before asking again. Times are
 * wall-clock ms (hlim_now), so other processes' requests (read back from the
 * state file) count too; tests pass a scripted clock.
 */
unsigned hlim_take(struct hlim *l, const char *key, uint64_t now, uint64_t *slot);
/* The attempt holding `slot` ended (answered, failed or cancelled) at `now`: it counts from now. */
void hlim_done(struct hlim *l, const char *key, uint64_t slot, uint64_t now);
uint64_t hlim_now(void);

/* One log line per attempt: "METHOD URL STATUS TIME_ms attempt=N[ error=...]". */
void http_log_attempt(FILE *log, const char *method, const char *url, long status, unsigned time_ms,
                      int attempt, const char *error);

#endif
