/* server: the simulator's listeners around the core (HTTP, DNS, TLS) and their lifecycle. */
#include "config.h"
#include "sim/server.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "fsutil.h"
#include "i18n.h"
#include "sim/dns.h"
#include "sim/sim.h"
#include "sim/tls.h"
#include "xmalloc.h"

/*
 * The APIs refuse bodies over 1 MiB. We keep one byte more than that, so the
 * core sees the body is too large and answers 413 in the shape of the API
 * the request was meant for, while an endless upload costs us no more.
 */
#define BODY_KEEP       (((size_t)1 << 20) + 1)
#define STATE_MAX       ((size_t)64 << 20)
#define DELAY_MAX_MS    120000u /* a fault never holds a connection longer */
#define MAX_REGIONS     64
#define MAX_REQ_HEADERS 64

struct sim_server {
	struct sim *sim;
	pthread_mutex_t mu; /* held around every call into the core */
	struct MHD_Daemon *mhd;
	int http_port;
	struct simdns *dns;
	struct simtls *tls;
	char *base_url;
	char *cacert;
	char *tmp_ca_dir; /* ours to remove on stop */
	char *state_path;
	/* Delays and slow bodies wait on this, so that stop need not wait for them. */
	pthread_mutex_t stop_mu;
	pthread_cond_t stop_cv;
	int stopping;
};

/* One request in flight: made by the URI callback, freed when MHD completes it. */
struct req {
	char *uri; /* raw: path and query, not decoded */
	int started;
	char *body;
	size_t len, cap;
};

/* A body sent by a content reader (truncated or trickled). */
struct slow_body {
	struct sim_server *srv;
	char *data;
	size_t len;        /* bytes to send */
	int truncated;     /* end with an error after `len` bytes */
	unsigned pause_ms; /* before each chunk */
	size_t chunk;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Sleep `ms`, or less when the server is stopping. */
static void srv_sleep(struct sim_server *srv, unsigned ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until); /* stop_cv waits on the monotonic clock */
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&srv->stop_mu);
	while (!srv->stopping &&
	       pthread_cond_timedwait(&srv->stop_cv, &srv->stop_mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&srv->stop_mu);
}

/* ---- HTTP ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct req *rq = xcalloc(1, sizeof *rq);
	rq->uri = xstrdup(uri ? uri : "/");
	return rq;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;
	if (!rq)
		return;
	free(rq->uri);
	free(rq->body);
	free(rq);
	*con_cls = NULL;
}

/* libmicrohttpd's own complaints are not ours to print (we run inside chlink --demo too). */
static void on_log(void *cls, const char *fmt, va_list ap)
{
}

struct header_list {
	struct sim_header h[MAX_REQ_HEADERS];
	size_t n;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
	struct header_list *hl = cls;
	if (hl->n < MAX_REQ_HEADERS && key) {
		hl->h[hl->n].name = key;
		hl->h[hl->n].value = value ? value : "";
		hl->n++;
	}
	return MHD_YES;
}

static int peer_is_loopback(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return 0;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return 0;
}

/*
 * Close the client's socket with an RST. The descriptor belongs to
 * libmicrohttpd, so it is not closed under its feet: a fresh socket is
 * dup2()ed over it, which drops the last reference to the connected socket
 * (with SO_LINGER 0, that close sends the RST); MHD later closes the stand-in.
 */
static void reset_connection(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	if (!ci)
		return;
	int fd = ci->connect_fd;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	int stand_in = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (stand_in >= 0) {
		dup2(stand_in, fd);
		close(stand_in);
	} else {
		shutdown(fd, SHUT_RDWR);
	}
}

static ssize_t slow_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct slow_body *sb = cls;
	if (pos >= sb->len)
		return sb->truncated ? MHD_CONTENT_READER_END_WITH_ERROR
		                     : MHD_CONTENT_READER_END_OF_STREAM;
	if (sb->pause_ms)
		srv_sleep(sb->srv, sb->pause_ms);
	size_t n = sb->len - (size_t)pos;
	if (n > sb->chunk)
		n = sb->chunk;
	if (n > max)
		n = max;
	memcpy(buf, sb->data + pos, n);
	return (ssize_t)n;
}

static void slow_free(void *cls)
{
	struct slow_body *sb = cls;
	free(sb->data);
	free(sb);
}

/* The body as the faults want it sent: whole, cut short, or trickled. */
static struct MHD_Response *make_response(struct sim_server *srv, struct sim_response *rs)
{
	int truncate = rs->truncate_at >= 0 && (size_t)rs->truncate_at < rs->body_len;
	if (!truncate && rs->slow_body_ms == 0)
		return MHD_create_response_from_buffer(rs->body_len, rs->body,
		                                       MHD_RESPMEM_MUST_COPY);
	struct slow_body *sb = xcalloc(1, sizeof *sb);
	enum { CHUNKS = 16 };
	sb->srv = srv;
	sb->data = rs->body; /* taken over */
	rs->body = NULL;
	sb->len = truncate ? (size_t)rs->truncate_at : rs->body_len;
	sb->truncated = truncate;
	sb->chunk = rs->slow_body_ms ? (sb->len + CHUNKS - 1) / CHUNKS : sb->len;
	if (sb->chunk == 0)
		sb->chunk = 1;
	sb->pause_ms = rs->slow_body_ms ? rs->slow_body_ms / CHUNKS : 0;
	/* Content-Length promises the whole body, even when fewer bytes follow. */
	struct MHD_Response *r =
	    MHD_create_response_from_callback(rs->body_len, 4096, slow_read, sb, slow_free);
	if (!r)
		slow_free(sb);
	return r;
}

/* An error of the control API, in its shape: {"error":"message"}. */
static enum MHD_Result send_ctl_error(struct MHD_Connection *c, int status, const char *msg)
{
	char *body = xasprintf("{\"error\":\"%s\"}", msg);
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result answer(struct sim_server *srv, struct MHD_Connection *c, const char *method,
                              struct req *rq)
{
	struct header_list hl = {.n = 0};
	struct sim_response rs;
	char *q = strchr(rq->uri, '?');

	if (q)
		*q++ = '\0';
	if (strncmp(rq->uri, "/_sim/", 6) == 0 && !peer_is_loopback(c))
		return send_ctl_error(c, 403, "the control API answers loopback clients only");
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &hl);
	struct sim_request sr = {
	    .method = method,
	    .path = rq->uri,
	    .query = q ? q : "",
	    .headers = hl.h,
	    .n_headers = hl.n,
	    .body = rq->body,
	    .body_len = rq->len,
	    .base_url = srv->base_url,
	    .now_ms = now_ms(),
	};
	memset(&rs, 0, sizeof rs);
	rs.truncate_at = -1; /* no fault unless the core asks for one */
	pthread_mutex_lock(&srv->mu);
	sim_handle(srv->sim, &sr, &rs);
	pthread_mutex_unlock(&srv->mu);

	if (rs.delay_ms)
		srv_sleep(srv, rs.delay_ms < DELAY_MAX_MS ? rs.delay_ms : DELAY_MAX_MS);
	if (rs.reset) {
		reset_connection(c);
		sim_response_free(&rs);
		return MHD_NO;
	}
	struct MHD_Response *r = make_response(srv, &rs);
	enum MHD_Result ok = MHD_NO;
	if (r) {
		for (size_t i = 0; i < rs.n_headers && i < SIM_MAX_HEADERS; i++)
			if (rs.headers[i].name && rs.headers[i].value &&
			    strcasecmp(rs.headers[i].name, "Content-Length") != 0)
				MHD_add_response_header(r, rs.headers[i].name, rs.headers[i].value);
		ok = MHD_queue_response(c, (unsigned)(rs.status ? rs.status : 500), r);
		MHD_destroy_response(r);
	}
	sim_response_free(&rs);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	struct sim_server *srv = cls;
	struct req *rq = *con_cls;

	if (!rq) /* the URI callback always runs first; be safe anyway */
		*con_cls = rq = on_uri(srv, url, c);
	if (!rq->started) {
		rq->started = 1; /* headers only: ask for the body */
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		if (n > BODY_KEEP - rq->len)
			n = BODY_KEEP - rq->len; /* the rest is read and dropped */
		if (n > 0) {
			rq->body = xreallocarray_grow(rq->body, &rq->cap, rq->len + n + 1, 1);
			memcpy(rq->body + rq->len, upload, n);
			rq->len += n;
			rq->body[rq->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(srv, c, method, rq);
}

static int listen_tcp(int port, int *out_port, struct err *e)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	socklen_t sl = sizeof sa;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		err_set(e, ERR_NET, _("cannot listen for HTTP on 127.0.0.1 port %d: %s"), port,
		        strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*out_port = ntohs(sa.sin_port);
	return fd;
}

static int start_http(struct sim_server *srv, int port, struct err *e)
{
	int fd = listen_tcp(port, &srv->http_port, e);
	if (fd < 0)
		return -1;
	srv->base_url = xasprintf("http://127.0.0.1:%d", srv->http_port);
	/* Thread per connection: a delayed or trickled answer holds up no one else. */
	srv->mhd = MHD_start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
	    NULL, NULL, on_request, srv, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_URI_LOG_CALLBACK,
	    on_uri, srv, MHD_OPTION_NOTIFY_COMPLETED, on_done, srv, MHD_OPTION_EXTERNAL_LOGGER,
	    on_log, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)256, MHD_OPTION_END);
	if (!srv->mhd) {
		close(fd);
		return err_set(e, ERR_INTERNAL, _("cannot start the HTTP server on port %d"),
		               srv->http_port);
	}
	return 0;
}

/* ---- the private side's callbacks, serialised on the core ---- */

static int dns_lookup(void *ctx, const char *qname, char ip[16])
{
	struct sim_server *srv = ctx;
	pthread_mutex_lock(&srv->mu);
	int r = sim_dns_lookup(srv->sim, qname, ip);
	pthread_mutex_unlock(&srv->mu);
	return r;
}

static int tls_reachable(void *ctx, const char *host)
{
	struct sim_server *srv = ctx;
	pthread_mutex_lock(&srv->mu);
	int r = sim_private_reachable(srv->sim, host, now_ms());
	pthread_mutex_unlock(&srv->mu);
	return r;
}

/* ---- world, state, faults ---- */

static void add_region(char **regions, size_t *n, const char *r)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(regions[i], r) == 0)
			return;
	if (*n < MAX_REGIONS)
		regions[(*n)++] = xstrdup(r);
}

/* Every "region"/"location" string anywhere in the world, so the leaf covers its zones. */
static void walk_regions(const cJSON *j, char **regions, size_t *n)
{
	for (const cJSON *c = j ? j->child : NULL; c; c = c->next) {
		if (cJSON_IsString(c) && c->string &&
		    (strcmp(c->string, "region") == 0 || strcmp(c->string, "location") == 0))
			add_region(regions, n, c->valuestring);
		walk_regions(c, regions, n);
	}
}

static char **world_regions(struct sim_server *srv)
{
	static const char *const base[] = {"westus3", "eastus2", "germanywestcentral", "centralus",
	                                   "eastus"};
	char **regions = xcalloc(MAX_REGIONS + 1, sizeof *regions);
	size_t n = 0;
	for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
		add_region(regions, &n, base[i]);
	pthread_mutex_lock(&srv->mu);
	char *state = sim_state_json(srv->sim);
	pthread_mutex_unlock(&srv->mu);
	cJSON *j = state ? cJSON_Parse(state) : NULL;
	walk_regions(j, regions, &n);
	cJSON_Delete(j);
	free(state);
	return regions;
}

static void free_regions(char **regions)
{
	for (size_t i = 0; regions && regions[i]; i++)
		free(regions[i]);
	free(regions);
}

static int load_state(struct sim_server *srv, struct err *e)
{
	struct stat st;
	char *text;
	size_t len;

	if (!srv->state_path || stat(srv->state_path, &st) != 0)
		return 0; /* nothing saved yet */
	if (fs_read_all(srv->state_path, STATE_MAX, &text, &len, e) != 0)
		return -1;
	int rc = sim_load_state(srv->sim, text, e);
	free(text);
	if (rc != 0)
		err_wrap(e, _("loading the state file %s"), srv->state_path);
	return rc;
}

static int save_state(struct sim_server *srv, struct err *e)
{
	if (!srv->state_path)
		return 0;
	pthread_mutex_lock(&srv->mu);
	char *text = sim_state_json(srv->sim);
	pthread_mutex_unlock(&srv->mu);
	if (!text)
		return err_set(e, ERR_INTERNAL, _("the simulator could not describe its state"));
	int rc = fs_write_atomic(srv->state_path, text, strlen(text), 0600, e);
	free(text);
	return rc;
}

/* Initial faults go through the same door as the control API, so they mean the same. */
static int apply_faults(struct sim_server *srv, const char *faults, struct err *e)
{
	const struct sim_header h[] = {{"Content-Type", "application/json"}};
	struct sim_request sr = {
	    .method = "POST",
	    .path = "/_sim/faults",
	    .query = "",
	    .headers = h,
	    .n_headers = 1,
	    .body = faults,
	    .body_len = strlen(faults),
	    .base_url = srv->base_url,
	    .now_ms = now_ms(),
	};
	struct sim_response rs;
	memset(&rs, 0, sizeof rs);
	rs.truncate_at = -1;
	sim_handle(srv->sim, &sr, &rs);
	int rc = 0;
	if (rs.status < 200 || rs.status > 299)
		rc = err_set(e, ERR_USAGE, _("the simulator refused the faults (HTTP %d): %.300s"),
		             rs.status, rs.body ? rs.body : "");
	sim_response_free(&rs);
	return rc;
}

static int setup_ca_path(struct sim_server *srv, const char *ca_dir, struct err *e)
{
	if (!ca_dir) {
		const char *tmp = getenv("TMPDIR");
		char *tmpl = xasprintf("%s/chlink-sim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(tmpl)) {
			err_set(e, ERR_IO, _("cannot create a directory for the test CA in %s: %s"),
			        tmp && *tmp ? tmp : "/tmp", strerror(errno));
			free(tmpl);
			return -1;
		}
		srv->tmp_ca_dir = tmpl;
		ca_dir = tmpl;
	} else if (fs_mkdir_p(ca_dir, 0755, e) != 0) {
		return -1;
	}
	srv->cacert = xasprintf("%s/ca.pem", ca_dir);
	return 0;
}

/* ---- lifecycle ---- */

static void release(struct sim_server *srv)
{
	pthread_mutex_lock(&srv->stop_mu);
	srv->stopping = 1;
	pthread_cond_broadcast(&srv->stop_cv);
	pthread_mutex_unlock(&srv->stop_mu);
	if (srv->mhd)
		MHD_stop_daemon(srv->mhd);
	simdns_stop(srv->dns);
	simtls_stop(srv->tls);
	if (srv->tmp_ca_dir) {
		if (srv->cacert)
			unlink(srv->cacert);
		rmdir(srv->tmp_ca_dir);
	}
	if (srv->sim)
		sim_free(srv->sim);
	free(srv->tmp_ca_dir);
	free(srv->cacert);
	free(srv->base_url);
	free(srv->state_path);
	pthread_mutex_destroy(&srv->mu);
	pthread_mutex_destroy(&srv->stop_mu);
	pthread_cond_destroy(&srv->stop_cv);
	free(srv);
}

static int start_private_side(struct sim_server *srv, const struct sim_server_opts *o,
                              struct err *e)
{
	if (!(srv->dns = simdns_start(o->dns_port, dns_lookup, srv, e)))
		return -1;
	char **regions = world_regions(srv);
	struct simtls_opts to = {
	    .port = o->tls_port,
	    .ca_path = srv->cacert,
	    .regions = (const char *const *)regions,
	    .reachable = tls_reachable,
	    .ctx = srv,
	};
	srv->tls = simtls_start(&to, e);
	free_regions(regions);
	return srv->tls ? 0 : -1;
}

struct sim_server *sim_server_start(const struct sim_server_opts *o, struct err *e)
{
	struct sim_server *srv = xcalloc(1, sizeof *srv);
	sigset_t all, old;

	pthread_mutex_init(&srv->mu, NULL);
	pthread_mutex_init(&srv->stop_mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* a wall-clock step changes no delay */
	pthread_cond_init(&srv->stop_cv, &ca);
	pthread_condattr_destroy(&ca);
	srv->state_path = o->state_path ? xstrdup(o->state_path) : NULL;
	if (!(srv->sim = sim_new(o->world_json, o->seed, e)) || load_state(srv, e) != 0 ||
	    setup_ca_path(srv, o->ca_dir, e) != 0)
		goto fail;
	/* Every thread started below inherits a mask blocking all signals: they are the program's.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = start_http(srv, o->http_port, e);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0 || start_private_side(srv, o, e) != 0)
		goto fail;
	if (o->faults_json && *o->faults_json) {
		pthread_mutex_lock(&srv->mu);
		rc = apply_faults(srv, o->faults_json, e);
		pthread_mutex_unlock(&srv->mu);
		if (rc != 0)
			goto fail;
	}
	return srv;
fail:
	free(srv->state_path); /* a failed start never overwrites the state file */
	srv->state_path = NULL;
	release(srv);
	return NULL;
}

char *sim_server_info_json(struct sim_server *srv)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "http", srv->http_port);
	cJSON_AddNumberToObject(o, "dns", simdns_port(srv->dns));
	cJSON_AddNumberToObject(o, "tls", simtls_port(srv->tls));
	cJSON_AddStringToObject(o, "cacert", srv->cacert);
	cJSON_AddStringToObject(o, "base_url", srv->base_url);
	pthread_mutex_lock(&srv->mu);
	char *id = sim_identity_json(srv->sim);
	pthread_mutex_unlock(&srv->mu);
	cJSON *ij = id ? cJSON_Parse(id) : NULL;
	free(id);
	while (ij && ij->child) {
		cJSON *item = cJSON_DetachItemViaPointer(ij, ij->child);
		if (cJSON_GetObjectItemCaseSensitive(o, item->string))
			cJSON_Delete(item); /* the server's own facts win */
		else
			cJSON_AddItemToObject(o, item->string, item);
	}
	cJSON_Delete(ij);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	char *out = xstrdup(s ? s : "{}");
	cJSON_free(s);
	return out;
}

int sim_server_http_port(const struct sim_server *srv)
{
	return srv->http_port;
}

int sim_server_dns_port(const struct sim_server *srv)
{
	return simdns_port(srv->dns);
}

int sim_server_tls_port(const struct sim_server *srv)
{
	return simtls_port(srv->tls);
}

const char *sim_server_cacert(const struct sim_server *srv)
{
	return srv->cacert;
}

const char *sim_server_base_url(const struct sim_server *srv)
{
	return srv->base_url;
}

int sim_server_stop(struct sim_server *srv, struct err *e)
{
	struct err local;
	int rc = 0;

	if (!srv)
		return 0;
	if (!e)
		e = &local;
	pthread_mutex_lock(&srv->stop_mu);
	srv->stopping = 1;
	pthread_cond_broadcast(&srv->stop_cv);
	pthread_mutex_unlock(&srv->stop_mu);
	if (srv->mhd) {
		MHD_stop_daemon(srv->mhd); /* no request can change the world after this */
		srv->mhd = NULL;
	}
	rc = save_state(srv, e);
	release(srv);
	return rc;
}
