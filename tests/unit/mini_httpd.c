/* mini_httpd: scripted loopback HTTP server with resets, truncation and slow bodies (tests only).
 */
#include "config.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "mini_httpd.h"
#include "xmalloc.h"

struct mh {
	int lfd, stop_pipe[2], port;
	char url[64];
	pthread_t th;
	pthread_mutex_t mu;
	mh_handler fn;
	void *ud;
	const struct mh_resp *script;
	int script_n;
	struct mh_req *reqs;
	size_t n, cap;
};

static uint64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void hard_close(int fd)
{
	struct linger lg = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* Read one request: header block + Content-Length body. 0 on success. */
static int read_request(int fd, struct mh_req *rq)
{
	char *buf = NULL, *end;
	size_t len = 0, cap = 0, hl, want = 0;
	const char *cl;
	for (;;) {
		ssize_t r;
		buf = xreallocarray_grow(buf, &cap, len + 4097, 1);
		r = recv(fd, buf + len, 4096, 0);
		if (r <= 0) {
			free(buf);
			return -1;
		}
		len += (size_t)r;
		buf[len] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")))
			break;
	}
	hl = (size_t)(end - buf) + 4;
	memset(rq, 0, sizeof(*rq));
	sscanf(buf, "%15s %2047s", rq->method, rq->path);
	rq->headers = xstrndup(buf, hl);
	cl = strcasestr(rq->headers, "\r\ncontent-length:");
	if (cl)
		want = strtoul(cl + 17, NULL, 10);
	while (len - hl < want) {
		ssize_t r;
		buf = xreallocarray_grow(buf, &cap, len + 4097, 1);
		r = recv(fd, buf + len, 4096, 0);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	rq->body = xstrndup(buf + hl, len - hl);
	rq->at_ms = wall_ms();
	free(buf);
	return 0;
}

static void respond(int fd, const struct mh_resp *o)
{
	const char *body = o->body ? o->body : "";
	size_t bl = strlen(body);
	char *head;
	if (o->action == MH_RESET) {
		hard_close(fd);
		return;
	}
	head = xasprintf("HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
	                 o->status, o->action == MH_TRUNCATE ? bl + 100 : bl,
	                 o->headers ? o->headers : "");
	send_all(fd, head, strlen(head));
	free(head);
	if (o->action == MH_SLOW) {
		for (size_t i = 0; i < bl; i++) {
			send_all(fd, body + i, 1);
			sleep_ms(o->delay_ms);
		}
	} else {
		send_all(fd, body, bl);
	}
	if (o->action == MH_TRUNCATE)
		hard_close(fd);
	else
		close(fd);
}

static void serve_one(struct mh *m, int fd)
{
	struct mh_req rq;
	struct mh_resp out = {.status = 200};
	int n;
	if (m->script_n > 0 && m->script[0].action == MH_RESET_AFTER_ACCEPT) {
		/* the probe case: TCP connects, then the peer resets */
		hard_close(fd);
		return;
	}
	if (read_request(fd, &rq) < 0) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&m->mu);
	m->reqs = xreallocarray_grow(m->reqs, &m->cap, m->n + 1, sizeof(rq));
	m->reqs[m->n] = rq;
	n = (int)m->n++;
	pthread_mutex_unlock(&m->mu);
	if (m->fn)
		m->fn(m->ud, n, &rq, &out);
	else if (m->script_n > 0)
		out = m->script[n < m->script_n ? n : m->script_n - 1];
	respond(fd, &out);
}

static void *run(void *arg)
{
	struct mh *m = arg;
	for (;;) {
		struct pollfd p[2] = {{m->lfd, POLLIN, 0}, {m->stop_pipe[0], POLLIN, 0}};
		int fd;
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		fd = accept(m->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		serve_one(m, fd);
	}
	return NULL;
}

static struct mh *start(mh_handler fn, void *ud, const struct mh_resp *script, int count)
{
	struct mh *m = xcalloc(1, sizeof(*m));
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	int one = 1;
	m->fn = fn;
	m->ud = ud;
	m->script = script;
	m->script_n = count;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	m->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (m->lfd < 0 || bind(m->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(m->lfd, 64) < 0 || getsockname(m->lfd, (struct sockaddr *)&a, &al) < 0 ||
	    pipe(m->stop_pipe) < 0)
		abort();
	m->port = ntohs(a.sin_port);
	snprintf(m->url, sizeof(m->url), "http://127.0.0.1:%d", m->port);
	pthread_mutex_init(&m->mu, NULL);
	pthread_create(&m->th, NULL, run, m);
	return m;
}

struct mh *mh_start(mh_handler fn, void *ud)
{
	return start(fn, ud, NULL, 0);
}

struct mh *mh_start_script(const struct mh_resp *script, int count)
{
	return start(NULL, NULL, script, count);
}

int mh_port(const struct mh *m)
{
	return m->port;
}

const char *mh_url(const struct mh *m)
{
	return m->url;
}

int mh_count(struct mh *m)
{
	int n;
	pthread_mutex_lock(&m->mu);
	n = (int)m->n;
	pthread_mutex_unlock(&m->mu);
	return n;
}

struct mh_req *mh_request(struct mh *m, int n)
{
	struct mh_req *r = NULL;
	pthread_mutex_lock(&m->mu);
	if (n >= 0 && (size_t)n < m->n) {
		r = xmalloc(sizeof(*r));
		*r = m->reqs[n];
		r->headers = xstrdup(m->reqs[n].headers);
		r->body = xstrdup(m->reqs[n].body);
	}
	pthread_mutex_unlock(&m->mu);
	return r;
}

void mh_req_free(struct mh_req *r)
{
	if (!r)
		return;
	free(r->headers);
	free(r->body);
	free(r);
}

char *mh_header(struct mh *m, int n, const char *name)
{
	struct mh_req *r = mh_request(m, n);
	char *pat, *p, *v = NULL;
	if (!r)
		return NULL;
	pat = xasprintf("\r\n%s:", name);
	p = strcasestr(r->headers, pat);
	if (p) {
		p += strlen(pat);
		while (*p == ' ')
			p++;
		v = xstrndup(p, strcspn(p, "\r\n"));
	}
	free(pat);
	mh_req_free(r);
	return v;
}

void mh_stop(struct mh *m)
{
	if (!m)
		return;
	if (write(m->stop_pipe[1], "x", 1) != 1)
		abort();
	pthread_join(m->th, NULL);
	close(m->lfd);
	close(m->stop_pipe[0]);
	close(m->stop_pipe[1]);
	for (size_t i = 0; i < m->n; i++) {
		free(m->reqs[i].headers);
		free(m->reqs[i].body);
	}
	free(m->reqs);
	pthread_mutex_destroy(&m->mu);
	free(m);
}
