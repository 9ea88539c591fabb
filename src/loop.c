/* loop: one poll over libcurl's sockets, watched descriptors and timers. */
#include "config.h"
#include <errno.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include "i18n.h"
#include "loop.h"
#include "xmalloc.h"

#define LOOP_MAX_WATCH 16

struct timer {
	unsigned id;   /* 0 = free slot */
	uint64_t due;
	loop_fn fn;
	void *ud;
};

struct watch {
	int fd;        /* -1 = free slot */
	short events;
	loop_fd_fn fn;
	void *ud;
};

struct loop {
	CURLM *multi;
	int xfers;
	struct timer *timers;
	size_t n_timers, cap_timers;
	unsigned next_id;
	struct watch watch[LOOP_MAX_WATCH];
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct loop *loop_new(struct err *e)
{
	struct loop *l = xcalloc(1, sizeof *l);

	l->multi = curl_multi_init();
	if (l->multi == NULL) {
		free(l);
		err_set(e, ERR_INTERNAL, _("cannot initialise libcurl"));
		return NULL;
	}
	for (int i = 0; i < LOOP_MAX_WATCH; i++)
		l->watch[i].fd = -1;
	return l;
}

void loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	curl_multi_cleanup(l->multi);
	free(l->timers);
	free(l);
}

uint64_t loop_now_ms(const struct loop *l)
{
	(void)l;
	return mono_ms();
}

int loop_add_xfer(struct loop *l, struct loop_xfer *x, struct err *e)
{
	CURLMcode mc;

	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	mc = curl_multi_add_handle(l->multi, x->easy);
	if (mc != CURLM_OK)
		return err_set(e, ERR_INTERNAL, _("cannot start a request: %s"),
			       curl_multi_strerror(mc));
	l->xfers++;
	return 0;
}

void loop_remove_xfer(struct loop *l, struct loop_xfer *x)
{
	if (curl_multi_remove_handle(l->multi, x->easy) == CURLM_OK)
		l->xfers--;
}

unsigned loop_timer(struct loop *l, unsigned ms, loop_fn fn, void *ud)
{
	size_t i;

	for (i = 0; i < l->n_timers; i++)
		if (l->timers[i].id == 0)
			break;
	if (i == l->n_timers) {
		l->timers = xreallocarray_grow(l->timers, &l->cap_timers, l->n_timers + 1,
					       sizeof *l->timers);
		l->n_timers++;
	}
	if (++l->next_id == 0)
		l->next_id = 1;
	l->timers[i] = (struct timer){ l->next_id, mono_ms() + ms, fn, ud };
	return l->next_id;
}

void loop_cancel(struct loop *l, unsigned id)
{
	for (size_t i = 0; id != 0 && i < l->n_timers; i++)
		if (l->timers[i].id == id)
			l->timers[i].id = 0;
}

int loop_watch(struct loop *l, int fd, short events, loop_fd_fn fn, void *ud)
{
	struct watch *free_slot = NULL;

	for (int i = 0; i < LOOP_MAX_WATCH; i++) {
		if (l->watch[i].fd == fd) {
			l->watch[i] = (struct watch){ fd, events, fn, ud };
			return 0;
		}
		if (l->watch[i].fd < 0 && free_slot == NULL)
			free_slot = &l->watch[i];
	}
	if (free_slot == NULL)
		return -1;
	*free_slot = (struct watch){ fd, events, fn, ud };
	return 0;
}

void loop_unwatch(struct loop *l, int fd)
{
	for (int i = 0; i < LOOP_MAX_WATCH; i++)
		if (l->watch[i].fd == fd)
			l->watch[i].fd = -1;
}

/* Milliseconds until the nearest timer, capped at `cap`. */
static int next_timer_wait(const struct loop *l, int cap)
{
	uint64_t now = mono_ms();
	int wait = cap;

	for (size_t i = 0; i < l->n_timers; i++) {
		if (l->timers[i].id == 0)
			continue;
		if (l->timers[i].due <= now)
			return 0;
		if (l->timers[i].due - now < (uint64_t)wait)
			wait = (int)(l->timers[i].due - now);
	}
	return wait;
}

static int run_timers(struct loop *l)
{
	uint64_t now = mono_ms();
	int ran = 0;

	/* A callback may add timers (realloc) or cancel any: index, never hold pointers. */
	for (size_t i = 0; i < l->n_timers; i++) {
		struct timer t = l->timers[i];
		if (t.id == 0 || t.due > now)
			continue;
		l->timers[i].id = 0;
		t.fn(t.ud);
		ran++;
	}
	return ran;
}

static int run_finished(struct loop *l)
{
	CURLMsg *m;
	int left, ran = 0;

	while ((m = curl_multi_info_read(l->multi, &left)) != NULL) {
		struct loop_xfer *x = NULL;
		CURLcode rc = m->data.result;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		curl_multi_remove_handle(l->multi, m->easy_handle);
		l->xfers--;
		if (x != NULL && x->done != NULL) {
			x->done(x, rc);
			ran++;
		}
	}
	return ran;
}

int loop_once(struct loop *l, int timeout_ms)
{
	struct curl_waitfd fds[LOOP_MAX_WATCH];
	struct watch snap[LOOP_MAX_WATCH];
	unsigned nfds = 0;
	long curl_wait = -1;
	int wait, numfds = 0, ran = 0, running;

	for (int i = 0; i < LOOP_MAX_WATCH; i++) {
		if (l->watch[i].fd < 0)
			continue;
		snap[nfds] = l->watch[i];
		fds[nfds] = (struct curl_waitfd){ l->watch[i].fd, 0, 0 };
		if (l->watch[i].events & POLLIN)
			fds[nfds].events |= CURL_WAIT_POLLIN;
		if (l->watch[i].events & POLLOUT)
			fds[nfds].events |= CURL_WAIT_POLLOUT;
		nfds++;
	}
	wait = next_timer_wait(l, timeout_ms < 0 ? 0 : timeout_ms);
	if (l->xfers > 0 && curl_multi_timeout(l->multi, &curl_wait) == CURLM_OK &&
	    curl_wait >= 0 && curl_wait < wait)
		wait = (int)curl_wait;
	if (curl_multi_poll(l->multi, fds, nfds, wait, &numfds) != CURLM_OK)
		return -1;
	for (unsigned i = 0; i < nfds; i++) {
		short rev = 0;
		if (fds[i].revents & CURL_WAIT_POLLIN)
			rev |= POLLIN;
		if (fds[i].revents & CURL_WAIT_POLLOUT)
			rev |= POLLOUT;
		if (fds[i].revents & CURL_WAIT_POLLPRI)
			rev |= POLLPRI;
		if (rev != 0) {
			snap[i].fn(snap[i].ud, snap[i].fd, rev);
			ran++;
		}
	}
	curl_multi_perform(l->multi, &running);
	ran += run_finished(l);
	ran += run_timers(l);
	return ran;
}

int loop_run_until(struct loop *l, const int *done, uint64_t deadline_ms, struct err *e)
{
	while (!*done) {
		int wait = 1000;
		if (deadline_ms != 0) {
			uint64_t now = mono_ms();
			if (now >= deadline_ms)
				return err_set(e, ERR_TIMEOUT, _("timed out"));
			if (deadline_ms - now < (uint64_t)wait)
				wait = (int)(deadline_ms - now);
		}
		if (loop_once(l, wait) < 0)
			return err_set(e, ERR_INTERNAL, _("the event loop failed: %s"), strerror(errno));
	}
	return 0;
}

int loop_busy(const struct loop *l)
{
	int n = l->xfers;

	for (size_t i = 0; i < l->n_timers; i++)
		if (l->timers[i].id != 0)
			n++;
	return n;
}
