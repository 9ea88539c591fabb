/*
 * mini_httpd: a scripted loopback HTTP/1.1 server for the network tests
 * only. Raw sockets in a thread, so it can also misbehave on purpose:
 * reset the connection, cut a body short, send slowly.
 */
#ifndef CHLINK_MINI_HTTPD_H
#define CHLINK_MINI_HTTPD_H

#include <stddef.h>
#include <stdint.h>

enum mh_action { MH_NORMAL, MH_RESET, MH_TRUNCATE, MH_SLOW, MH_RESET_AFTER_ACCEPT };

/* A normal answer: status, extra headers, body. */
#define MH(st, hd, bd)                                                                             \
	{                                                                                          \
		(st), (hd), (bd), MH_NORMAL, 0                                                     \
	}

struct mh_resp {
	int status;
	const char *headers; /* extra "Name: value\r\n" lines, or NULL */
	const char *body;    /* NULL = "" */
	enum mh_action action;
	unsigned delay_ms; /* MH_SLOW: pause between body bytes */
};

struct mh_req {
	char method[16];
	char path[2048];
	char *headers; /* raw header block */
	char *body;
	uint64_t at_ms; /* wall clock when it arrived */
};

struct mh;
/* Decide the answer to request number n (0-based); runs on the server thread. */
typedef void (*mh_handler)(void *ud, int n, const struct mh_req *rq, struct mh_resp *out);

struct mh *mh_start(mh_handler fn, void *ud);
/* A fixed script: request n gets script[min(n, count-1)]. */
struct mh *mh_start_script(const struct mh_resp *script, int count);
int mh_port(const struct mh *m);
/* "http://127.0.0.1:PORT" (static storage inside m). */
const char *mh_url(const struct mh *m);
int mh_count(struct mh *m);
/* Copy of request n (caller frees with mh_req_free), NULL if none. */
struct mh_req *mh_request(struct mh *m, int n);
void mh_req_free(struct mh_req *r);
/* Value of header `name` in request n, newly allocated or NULL. */
char *mh_header(struct mh *m, int n, const char *name);
void mh_stop(struct mh *m);

#endif
