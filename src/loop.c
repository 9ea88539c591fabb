/* loop: one poll over libcurl's sockets, watched descriptors and a timer list. */
#include "config.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "i18n.h"
#include "loop.h"
#include "xmalloc.h"

#define LOOP_MAX_FDS 16

struct loop_timer {
	unsigned id;
	uint64_t due;
	loop_fn fn;
	void *ud;
};

struct loop_watch {
	int fd;
	short events;
	loop_fd_fn fn;
	void *ud;
};

struct loop {
	CURLM *multi;
	int n_xfers;
	/* Timers, unsorted: a handful at most, so a linear scan is simplest. */
	struct loop_timer *timers;
	size_t n_timers, cap_timers;
	unsigned next_id;
	struct loop_watch watches[LOOP_MAX_FDS];
	int n_watches;
};

struct loop *loop_new(struct err *e)
{
	struct loop *l = xcalloc(1, sizeof(*l));
	l->multi = curl_multi_init();
	if (!l->multi) {
		free(l);
		err_set(e, ERR_INTERNAL, "%s", _("cannot start the network layer (libcurl)"));
		return NULL;
	}
	l->next_id = 1;
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	curl_multi_cleanup(l->multi);
	free(l->timers);
	free(l);
}

CURLM *loop_multi(struct loop *l)
{
	return l->multi;
}

uint64_t loop_now_ms(const struct loop *l)
{
	struct timespec ts;
	(void)l;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int loop_add_xfer(struct loop *l, struct loop_xfer *x, struct err *e)
{
	CURLMcode mc;
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	mc = curl_multi_add_handle(l->multi, x->easy);
	if (mc != CURLM_OK)
		return err_set(e, ERR_INTERNAL, _("cannot start a transfer: %s"),
		               curl_multi_strerror(mc));
	l->n_xfers++;
	return 0;
}

void loop_remove_xfer(struct loop *l, struct loop_xfer *x)
{
	if (curl_multi_remove_handle(l->multi, x->easy) == CURLM_OK && l->n_xfers > 0)
		l->n_xfers--;
}

unsigned loop_timer(struct loop *l, unsigned ms, loop_fn fn, void *ud)
{
	struct loop_timer *t;
	l->timers = xreallocarray_grow(l->timers, &l->cap_timers, l->n_timers + 1, sizeof(*t));
	t = &l->timers[l->n_timers++];
	t->id = l->next_id++;
	if (l->next_id == 0)
		l->next_id = 1;
	t->due = loop_now_ms(l) + ms;
	t->fn = fn;
	t->ud = ud;
	return t->id;
}

void loop_cancel(struct loop *l, unsigned id)
{
	for (size_t i = 0; i < l->n_timers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[--l->n_timers];
			return;
		}
	}
}

int loop_watch(struct loop *l, int fd, short events, loop_fd_fn fn, void *ud)
{
	for (int i = 0; i < l->n_watches; i++) {
		if (l->watches[i].fd == fd) {
			l->watches[i] = (struct loop_watch){fd, events, fn, ud};
			return 0;
		}
	}
	if (l->n_watches == LOOP_MAX_FDS)
		return -1;
	l->watches[l->n_watches++] = (struct loop_watch){fd, events, fn, ud};
	return 0;
}

void loop_unwatch(struct loop *l, int fd)
{
	for (int i = 0; i < l->n_watches; i++) {
		if (l->watches[i].fd == fd) {
			l->watches[i] = l->watches[--l->n_watches];
			return;
		}
	}
}

int loop_busy(const struct loop *l)
{
	return l->n_xfers + (int)l->n_timers;
}

/* Milliseconds until the nearest timer, capped at `cap`. */
static int nearest_timer(const struct loop *l, int cap)
{
	uint64_t now = loop_now_ms(l);
	int best = cap;
	for (size_t i = 0; i < l->n_timers; i++) {
		uint64_t d = l->timers[i].due > now ? l->timers[i].due - now : 0;
		if (d < (uint64_t)best)
			best = (int)d;
	}
	return best;
}

/*
 * Run the timers that are due. A timer added by a callback gets an id above
 * `last`, so it waits for the next pass even when its delay is 0: a timer
 * that re-arms itself cannot starve the poll.
 */
static int run_timers(struct loop *l)
{
	unsigned last = l->next_id;
	uint64_t now = loop_now_ms(l);
	int ran = 0;
	for (;;) {
		size_t i;
		struct loop_timer t;
		for (i = 0; i < l->n_timers; i++) {
			const struct loop_timer *c = &l->timers[i];
			if (c->due <= now && c->id < last)
				break;
		}
		if (i == l->n_timers)
			return ran;
		t = l->timers[i];
		l->timers[i] = l->timers[--l->n_timers];
		t.fn(t.ud);
		ran++;
	}
}

/* Finished transfers: taken off the multi before `done` runs, which may free them. */
static int run_done(struct loop *l)
{
	CURLMsg *m;
	int left, ran = 0;
	while ((m = curl_multi_info_read(l->multi, &left))) {
		struct loop_xfer *x = NULL;
		CURLcode rc;
		if (m->msg != CURLMSG_DONE)
			continue;
		rc = m->data.result;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		curl_multi_remove_handle(l->multi, m->easy_handle);
		if (l->n_xfers > 0)
			l->n_xfers--;
		if (x && x->done)
			x->done(x, rc);
		ran++;
	}
	return ran;
}

/* Watched descriptors that fired; a callback may unwatch any of them. */
static int run_watches(struct loop *l, const struct curl_waitfd *w, int n)
{
	int ran = 0;
	for (int i = 0; i < n; i++) {
		if (!w[i].revents)
			continue;
		for (int j = 0; j < l->n_watches; j++) {
			struct loop_watch c = l->watches[j];
			if (c.fd != w[i].fd)
				continue;
			c.fn(c.ud, c.fd, (short)w[i].revents);
			ran++;
			break;
		}
	}
	return ran;
}

int loop_once(struct loop *l, int timeout_ms)
{
	struct curl_waitfd w[LOOP_MAX_FDS];
	int n = l->n_watches, running = 0, numfds = 0, ran = 0, wait;
	CURLMcode mc;

	for (int i = 0; i < n; i++) {
		w[i].fd = l->watches[i].fd;
		w[i].events = l->watches[i].events;
		w[i].revents = 0;
	}
	wait = nearest_timer(l, timeout_ms < 0 ? 0 : timeout_ms);
	mc = curl_multi_poll(l->multi, w, (unsigned)n, wait, &numfds);
	if (mc != CURLM_OK)
		return -1;
	if (curl_multi_perform(l->multi, &running) != CURLM_OK)
		return -1;
	ran += run_done(l);
	ran += run_watches(l, w, n);
	ran += run_timers(l);
	return ran;
}

int loop_run_until(struct loop *l, const int *done, uint64_t deadline_ms, struct err *e)
{
	while (!*done) {
		int slice = 1000;
		if (deadline_ms) {
			uint64_t now = loop_now_ms(l);
			if (now >= deadline_ms)
				return err_set(e, ERR_TIMEOUT, "%s",
				               _("the operation took too long"));
			if (deadline_ms - now < (uint64_t)slice)
				slice = (int)(deadline_ms - now);
		}
		if (loop_once(l, slice) < 0)
			return err_set(e, ERR_INTERNAL, "%s", _("the event loop failed"));
	}
	return 0;
}
