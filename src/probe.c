/*
 * probe: the guide's connectivity checks on the loop, classified into its
 * troubleshooting cases. DNS against --dns-server is our own UDP query on a
 * watched socket. Without --dns-server the system resolver is used through
 * getaddrinfo, which blocks (up to the resolver's own timeout, a few
 * seconds at worst): it runs from a loop timer so the callback is still
 * asynchronous, and it honours /etc/hosts and nsswitch like every other
 * program on the machine, which is the point of asking "the system".
 */
#include "config.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>
#include "i18n.h"
#include "probe.h"
#include "xmalloc.h"

struct probe {
	struct probe *next, **pprev; /* in the caller's inflight list, if it keeps one */
	struct http *h;
	struct loop *l;
	long timeout_ms;
	char *name, *expect;
	probe_fn fn;
	void *ud;
	int fd;
	unsigned timer;
	unsigned short id;
	int tries;
	unsigned char q[512];
	int qlen;
	struct probe_result res;
};

static const struct {
	const char *name;
	const char *advice;
} verdicts[] = {
    [PROBE_OK] = {"ok", N_("The check passed.")},
    [PROBE_DNS_NXDOMAIN] = {"dns-no-answer",
                            N_("The name has no answer. Check that the private DNS zone "
                               "(<region>.privatelink.azure.clickhouse.cloud) exists, holds a "
                               "wildcard (*) A record with the private endpoint's IP, and is "
                               "linked to the VNet.")},
    [PROBE_DNS_WRONG_IP] = {"dns-wrong-ip",
                            N_("The name resolves, but not to the private endpoint's IP. Point "
                               "the wildcard (*) A record of the private DNS zone at the "
                               "endpoint's private IP.")},
    [PROBE_DNS_OUTSIDE_VNET] = {"dns-outside-vnet",
                                N_("The private name resolves only inside the Azure VNet; this "
                                   "machine is outside it, which is expected. Run the check from "
                                   "a machine in the VNet to test DNS.")},
    [PROBE_RESET] = {"reset",
                     N_("The connection was reset by peer: most likely the private endpoint's "
                        "Resource ID is not on the service's allow list. Add it to the "
                        "service (privateEndpointIds) and try again.")},
    [PROBE_TIMEOUT] = {"timeout",
                       N_("No answer in time: check the network security group rules "
                          "(inbound TCP 9440 and 8443) and the route to the private endpoint.")},
    [PROBE_REFUSED] = {"refused",
                       N_("The connection was refused: nothing listens there. Check that the "
                          "name resolves to the private endpoint's IP.")},
    [PROBE_CERT_MISMATCH] = {"cert-mismatch",
                             N_("The certificate does not match the name: connect with the "
                                "private DNS hostname from privateEndpointConfig, not an IP "
                                "address or another name.")},
    [PROBE_HTTP_ERROR] = {"http-error",
                          N_("The service did not answer /ping with \"Ok.\": check that the "
                             "service is running.")},
    [PROBE_ERROR] = {"error", N_("The check could not run; see the detail.")},
};

const char *probe_verdict_name(enum probe_verdict v)
{
	return (unsigned)v <= PROBE_ERROR ? verdicts[v].name : "error";
}

const char *probe_verdict_advice(enum probe_verdict v)
{
	return _((unsigned)v <= PROBE_ERROR ? verdicts[v].advice : verdicts[PROBE_ERROR].advice);
}

static struct probe *probe_new(struct http *h, const struct probe_opts *o, probe_fn fn, void *ud)
{
	struct probe *p = xcalloc(1, sizeof(*p));
	p->h = h;
	p->l = http_loop(h);
	p->timeout_ms = o && o->timeout_ms > 0 ? o->timeout_ms : 5000;
	p->fn = fn;
	p->ud = ud;
	p->fd = -1;
	if (o && o->inflight) {
		p->next = *o->inflight;
		if (p->next)
			p->next->pprev = &p->next;
		p->pprev = o->inflight;
		*o->inflight = p;
	}
	return p;
}

static void probe_free(struct probe *p)
{
	if (p->pprev) {
		*p->pprev = p->next;
		if (p->next)
			p->next->pprev = p->pprev;
	}
	free(p->name);
	free(p->expect);
	free(p);
}

/* Stop listening: the socket, the timer and any request of this probe. */
static void quiet(struct probe *p)
{
	if (p->fd >= 0) {
		loop_unwatch(p->l, p->fd);
		close(p->fd);
		p->fd = -1;
	}
	if (p->timer)
		loop_cancel(p->l, p->timer);
	p->timer = 0;
}

void probe_abandon_all(struct probe **inflight)
{
	while (*inflight) {
		struct probe *p = *inflight;
		quiet(p);
		http_cancel(p->h, p);
		probe_free(p);
	}
}

/* Bounded copy; long texts are cut, which is fine for a one-line detail. */
static void set_detail(struct probe *p, const char *text)
{
	size_t n = strlen(text);
	if (n >= sizeof(p->res.detail))
		n = sizeof(p->res.detail) - 1;
	memcpy(p->res.detail, text, n);
	p->res.detail[n] = '\0';
}

static void finish(struct probe *p, enum probe_verdict v)
{
	p->res.verdict = v;
	quiet(p);
	if (p->fn)
		p->fn(p->ud, &p->res);
	probe_free(p);
}

/* ---- DNS ---- */

static void dns_verdict(struct probe *p, int found, int system)
{
	if (found && (!p->expect || strcmp(p->res.answer, p->expect) == 0)) {
		snprintf(p->res.detail, sizeof(p->res.detail), _("%s resolves to %s"), p->name,
		         p->res.answer);
		finish(p, PROBE_OK);
	} else if (found) {
		snprintf(p->res.detail, sizeof(p->res.detail),
		         _("%s resolves to %s, but the private endpoint's IP is %s"), p->name,
		         p->res.answer, p->expect);
		finish(p, PROBE_DNS_WRONG_IP);
	} else if (system) {
		snprintf(p->res.detail, sizeof(p->res.detail),
		         _("%s does not resolve here: the private name resolves only inside the "
		           "Azure VNet; this machine is outside it, which is expected"),
		         p->name);
		finish(p, PROBE_DNS_OUTSIDE_VNET);
	} else {
		snprintf(p->res.detail, sizeof(p->res.detail), _("%s has no A record (%s)"),
		         p->name, p->res.where);
		finish(p, PROBE_DNS_NXDOMAIN);
	}
}

static void system_lookup(void *ud)
{
	struct probe *p = ud;
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
	int rc;
	p->timer = 0;
	rc = getaddrinfo(p->name, NULL, &hints, &ai);
	if (rc == 0 && ai) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;
		inet_ntop(AF_INET, &sin->sin_addr, p->res.answer, sizeof(p->res.answer));
		freeaddrinfo(ai);
		dns_verdict(p, 1, 1);
		return;
	}
	if (ai)
		freeaddrinfo(ai);
	dns_verdict(p, 0, 1);
}

static void dns_send(struct probe *p)
{
	p->tries++;
	if (send(p->fd, p->q, (size_t)p->qlen, 0) < 0) {
		snprintf(p->res.detail, sizeof(p->res.detail), _("cannot send to %s: %s"),
		         p->res.where, strerror(errno));
		finish(p, PROBE_ERROR);
	}
}

static void dns_timeout(void *ud)
{
	struct probe *p = ud;
	p->timer = 0;
	if (p->tries < 2) {
		/* UDP may drop a datagram: ask once more */
		p->timer = loop_timer(p->l, (unsigned)(p->timeout_ms / 2), dns_timeout, p);
		dns_send(p);
		return;
	}
	snprintf(p->res.detail, sizeof(p->res.detail), _("no answer from %s within %ld ms"),
	         p->res.where, p->timeout_ms);
	finish(p, PROBE_TIMEOUT);
}

static void dns_readable(void *ud, int fd, short rev)
{
	struct probe *p = ud;
	unsigned char buf[1500];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	int rc;
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		snprintf(p->res.detail, sizeof(p->res.detail), _("%s: %s"), p->res.where,
		         strerror(errno));
		finish(p, errno == ECONNREFUSED ? PROBE_REFUSED : PROBE_ERROR);
		return;
	}
	if (n < 2 || ((unsigned)buf[0] << 8 | buf[1]) != p->id)
		return; /* not ours (a late answer to nothing): keep waiting */
	rc = probe_dns_parse_answer(buf, (int)n, p->id, p->res.answer);
	if (rc < 0) {
		snprintf(p->res.detail, sizeof(p->res.detail),
		         _("%s sent a malformed or failed answer (rcode %u)"), p->res.where,
		         n >= 4 ? buf[3] & 0x0Fu : 0u);
		finish(p, PROBE_ERROR);
		return;
	}
	dns_verdict(p, rc == 1, 0);
}

/* "ADDR[:PORT]" or "[V6]:PORT" -> sockaddr. */
static int parse_server(const char *s, struct sockaddr_storage *ss, socklen_t *sl)
{
	char host[64];
	const char *port = NULL;
	long pn = 53;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		if (!e || (size_t)(e - s - 1) >= sizeof(host))
			return -1;
		memcpy(host, s + 1, (size_t)(e - s - 1));
		host[e - s - 1] = '\0';
		if (e[1] == ':')
			port = e + 2;
		else if (e[1])
			return -1;
	} else {
		const char *c = strchr(s, ':');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		if (n >= sizeof(host))
			return -1;
		memcpy(host, s, n);
		host[n] = '\0';
		port = c ? c + 1 : NULL;
	}
	if (port) {
		char *end;
		pn = strtol(port, &end, 10);
		if (*end || pn <= 0 || pn > 65535)
			return -1;
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)pn);
		*sl = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)pn);
		*sl = sizeof(*s6);
		return 0;
	}
	return -1;
}

int probe_dns(struct http *h, const struct probe_opts *o, const char *name, const char *expect_ip,
              probe_fn fn, void *ud, struct err *e)
{
	struct probe *p;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	if (!name || !*name)
		return err_set(e, ERR_USAGE, "%s", _("no name to look up"));
	if (o && o->dns_server && parse_server(o->dns_server, &ss, &sl) < 0)
		return err_set(e, ERR_USAGE, _("not a DNS server address: %s (use ADDR[:PORT])"),
		               o->dns_server);
	p = probe_new(h, o, fn, ud);
	p->name = xstrdup(name);
	p->expect = expect_ip ? xstrdup(expect_ip) : NULL;
	if (!o || !o->dns_server) {
		snprintf(p->res.where, sizeof(p->res.where), "%s",
		         _("system resolver on this machine"));
		p->timer = loop_timer(p->l, 0, system_lookup, p);
		return 0;
	}
	snprintf(p->res.where, sizeof(p->res.where), _("resolver %s"), o->dns_server);
	p->id = (unsigned short)randombytes_uniform(65536);
	p->qlen = probe_dns_build_query(name, p->id, p->q, sizeof(p->q));
	if (p->qlen < 0) {
		probe_free(p);
		return err_set(e, ERR_USAGE, _("not a valid DNS name: %s"), name);
	}
	p->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0 || connect(p->fd, (struct sockaddr *)&ss, sl) < 0 ||
	    loop_watch(p->l, p->fd, POLLIN, dns_readable, p) < 0) {
		err_set(e, ERR_NET, _("cannot reach the resolver %s: %s"), o->dns_server,
		        strerror(errno));
		if (p->fd >= 0)
			close(p->fd);
		probe_free(p);
		return -1;
	}
	p->timer = loop_timer(p->l, (unsigned)(p->timeout_ms / 2), dns_timeout, p);
	dns_send(p);
	return 0;
}

/* ---- TLS 9440 and /ping 8443 ---- */

static int was_reset(int code, long os_errno, const char *text)
{
	/* a reset that lands before curl sees the connect complete reads as "couldn't connect" */
	if (code == CURLE_COULDNT_CONNECT)
		return os_errno == ECONNRESET;
	if (code != CURLE_RECV_ERROR && code != CURLE_SEND_ERROR &&
	    code != CURLE_SSL_CONNECT_ERROR && code != CURLE_GOT_NOTHING)
		return 0;
	return os_errno == ECONNRESET ||
	       (text && (strstr(text, "reset") || strstr(text, "SYSCALL")));
}

/* Shared classification of transport failures. */
static enum probe_verdict classify(int code, long os_errno, const char *text)
{
	if (code == CURLE_OK)
		return PROBE_OK;
	if (was_reset(code, os_errno, text))
		return PROBE_RESET;
	switch (code) {
	case CURLE_OPERATION_TIMEDOUT:
		return PROBE_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
		return os_errno == ETIMEDOUT ? PROBE_TIMEOUT : PROBE_REFUSED;
	case CURLE_PEER_FAILED_VERIFICATION:
		return PROBE_CERT_MISMATCH;
	default:
		return PROBE_ERROR;
	}
}

static void on_connect(void *ud, int code, long os_errno, const char *text)
{
	struct probe *p = ud;
	enum probe_verdict v = classify(code, os_errno, text);
	if (v == PROBE_OK)
		snprintf(p->res.detail, sizeof(p->res.detail),
		         _("TLS handshake with %s:9440 succeeded"), p->name);
	else {
		char *d = xasprintf("%s:9440: %s", p->name, text ? text : "");
		set_detail(p, d);
		free(d);
	}
	snprintf(p->res.answer, sizeof(p->res.answer), "%s", code == 0 ? "CONNECTED" : "");
	finish(p, v);
}

static int check_host(const char *host, struct err *e)
{
	if (!host || !*host || strpbrk(host, "/?#@: \t\r\n"))
		return err_set(e, ERR_USAGE, _("not a host name: %s"), host ? host : "");
	return 0;
}

int probe_tls(struct http *h, const struct probe_opts *o, const char *host, probe_fn fn, void *ud,
              struct err *e)
{
	struct probe *p;
	char *url;
	int rc;
	if (check_host(host, e) < 0)
		return -1;
	p = probe_new(h, o, fn, ud);
	p->name = xstrdup(host);
	snprintf(p->res.where, sizeof(p->res.where), "%s", _("this machine"));
	url = xasprintf("https://%s:9440/", host);
	rc = http_probe_connect(h, url, p->timeout_ms, on_connect, p, e);
	free(url);
	if (rc < 0)
		probe_free(p);
	return rc;
}

static void on_ping(void *ud, const struct http_resp *r)
{
	struct probe *p = ud;
	char body[64];
	size_t n = 0;
	const char *b = r->body;
	while (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')
		b++;
	while (b[n] && n + 1 < sizeof(body)) {
		body[n] = b[n];
		n++;
	}
	while (n > 0 && (body[n - 1] == ' ' || body[n - 1] == '\r' || body[n - 1] == '\n' ||
	                 body[n - 1] == '\t'))
		n--;
	body[n] = '\0';
	if (r->status == 0) {
		set_detail(p, r->err.msg);
		finish(p, classify(r->curl_code, r->os_errno, r->err.msg));
		return;
	}
	snprintf(p->res.answer, sizeof(p->res.answer), "%ld", r->status);
	if (r->status == 200 && strcmp(body, "Ok.") == 0) {
		snprintf(p->res.detail, sizeof(p->res.detail), _("%s:8443/ping answered Ok."),
		         p->name);
		finish(p, PROBE_OK);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)body[i] < 0x20)
			body[i] = ' ';
	snprintf(p->res.detail, sizeof(p->res.detail), _("%s:8443/ping answered HTTP %ld: %s"),
	         p->name, r->status, body);
	finish(p, PROBE_HTTP_ERROR);
}

int probe_ping(struct http *h, const struct probe_opts *o, const char *host, probe_fn fn, void *ud,
               struct err *e)
{
	struct probe *p;
	char *url;
	int rc;
	if (check_host(host, e) < 0)
		return -1;
	p = probe_new(h, o, fn, ud);
	p->name = xstrdup(host);
	snprintf(p->res.where, sizeof(p->res.where), "%s", _("this machine"));
	url = xasprintf("https://%s:8443/ping", host);
	{
		struct http_req rq = {
		    .method = "GET", .url = url, .no_retry = 1, .timeout_ms = p->timeout_ms};
		rc = http_send(h, &rq, on_ping, p, e);
	}
	free(url);
	if (rc < 0)
		probe_free(p);
	return rc;
}
