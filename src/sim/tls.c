/* tls: the private endpoint's stand-in — a throw-away test CA, and a TLS listener gated by SNI. */
#include "config.h"
#include "sim/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "fsutil.h"
#include "i18n.h"
#include "xmalloc.h"

enum { MAX_CONN = 64, REQ_MAX = 4096 };
#define ZONE_SUFFIX ".privatelink.azure.clickhouse.cloud"

static const char *const default_regions[] = {"westus3", "eastus2", "germanywestcentral",
                                              "centralus", NULL};

enum slot_state { SLOT_FREE, SLOT_RUNNING, SLOT_DONE };

struct slot {
	enum slot_state state;
	int fd;
	pthread_t thread;
	struct simtls *t;
};

struct simtls {
	SSL_CTX *ssl;
	int fd, port, idle_ms;
	int wake[2];
	pthread_t acceptor;
	simtls_reachable_fn reachable;
	void *ctx;
	pthread_mutex_t mu; /* guards slots */
	struct slot slots[MAX_CONN];
};

static int on_client_hello(SSL *ssl, int *alert, void *arg);

/* ---- certificates ---- */

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ex = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (!ex)
		return -1;
	int ok = X509_add_ext(cert, ex, -1);
	X509_EXTENSION_free(ex);
	return ok ? 0 : -1;
}

/* A certificate for `key`, named `cn`, signed by `issuer` (NULL: self-signed). */
static X509 *new_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                      const char *const (*exts)[2], size_t n_exts)
{
	X509 *c = X509_new();
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	int ok = 0;

	if (!c || RAND_bytes(serial, sizeof serial) != 1)
		goto out;
	serial[0] &= 0x7f; /* positive */
	bn = BN_bin2bn(serial, sizeof serial, NULL);
	X509_NAME *name = X509_get_subject_name(c);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c)) || !X509_set_version(c, 2) ||
	    !X509_gmtime_adj(X509_getm_notBefore(c), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(c), 30L * 24 * 3600) || !X509_set_pubkey(c, key) ||
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	                                (const unsigned char *)"chlink-sim (testing only)", -1, -1,
	                                0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
	                                0) ||
	    !X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name))
		goto out;
	for (size_t i = 0; i < n_exts; i++) {
		int nid = OBJ_txt2nid(exts[i][0]);
		if (nid == NID_undef || add_ext(c, issuer ? issuer : c, nid, exts[i][1]) != 0)
			goto out;
	}
	ok = X509_sign(c, issuer_key ? issuer_key : key, EVP_sha256()) > 0;
out:
	BN_free(bn);
	if (!ok) {
		X509_free(c);
		return NULL;
	}
	return c;
}

/* Region codes go into the SAN text, so only plain lower-case codes are accepted. */
static int region_ok(const char *r)
{
	size_t n = strlen(r);
	if (n == 0 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9') || r[i] == '-'))
			return 0;
	return 1;
}

static char *san_text(const char *const *regions)
{
	char *s = xstrdup("DNS:localhost,IP:127.0.0.1");
	for (const char *const *r = regions ? regions : default_regions; *r; r++) {
		if (!region_ok(*r))
			continue;
		char *n = xasprintf("%s,DNS:*.%s%s", s, *r, ZONE_SUFFIX);
		free(s);
		s = n;
	}
	return s;
}

static int write_pem(X509 *ca, const char *path, struct err *e)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	int rc = -1;

	if (b && PEM_write_bio_X509(b, ca)) {
		long n = BIO_get_mem_data(b, &data);
		rc = fs_write_atomic(path, data, (size_t)n, 0644, e);
	} else {
		err_set(e, ERR_CRYPTO, _("cannot encode the test CA certificate"));
	}
	BIO_free(b);
	return rc;
}

/* Make the CA and the leaf, write the CA PEM and load the leaf into a server context. */
static SSL_CTX *make_ctx(const struct simtls_opts *o, struct err *e)
{
	static const char *const ca_exts[][2] = {
	    {"basicConstraints", "critical,CA:TRUE"},
	    {"keyUsage", "critical,keyCertSign,cRLSign"},
	    {"subjectKeyIdentifier", "hash"},
	};
	const char *leaf_exts[][2] = {
	    {"basicConstraints", "critical,CA:FALSE"},  {"keyUsage", "critical,digitalSignature"},
	    {"extendedKeyUsage", "serverAuth"},         {"subjectKeyIdentifier", "hash"},
	    {"authorityKeyIdentifier", "keyid:always"}, {"subjectAltName", NULL},
	};
	EVP_PKEY *ca_key = EVP_EC_gen("P-256"), *leaf_key = EVP_EC_gen("P-256");
	X509 *ca = NULL, *leaf = NULL;
	SSL_CTX *ctx = NULL;
	char *san = san_text(o->regions);

	leaf_exts[5][1] = san;
	if (!ca_key || !leaf_key ||
	    !(ca = new_cert(ca_key, "chlink-sim test CA", NULL, NULL, ca_exts, 3)) ||
	    !(leaf = new_cert(leaf_key, "chlink-sim private endpoint", ca, ca_key, leaf_exts, 6))) {
		err_set(e, ERR_CRYPTO, _("cannot generate the test certificates"));
		goto out;
	}
	if (write_pem(ca, o->ca_path, e) != 0)
		goto out;
	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    SSL_CTX_use_certificate(ctx, leaf) != 1 || SSL_CTX_use_PrivateKey(ctx, leaf_key) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		err_set(e, ERR_CRYPTO, _("cannot set up the TLS listener's certificate"));
		SSL_CTX_free(ctx);
		ctx = NULL;
	} else {
		SSL_CTX_set_client_hello_cb(ctx, on_client_hello, NULL);
	}
out:
	ERR_clear_error();
	free(san);
	X509_free(ca);
	X509_free(leaf);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	return ctx;
}

/* ---- one connection ---- */

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void set_timeouts(int fd, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static void ssl_write_all(SSL *ssl, const char *s, size_t n)
{
	while (n > 0) {
		int w = SSL_write(ssl, s, n > 65536 ? 65536 : (int)n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/*
 * The 8443 role: answer one HTTP request. A client that sends nothing or
 * something that is not HTTP (the 9440 native role) is simply let go.
 */
static void serve_http(struct simtls *t, SSL *ssl)
{
	char req[REQ_MAX + 1], method[16], path[1024];
	size_t n = 0;
	uint64_t deadline = mono_ms() + 2 * (uint64_t)t->idle_ms;

	while (n < REQ_MAX && mono_ms() < deadline) {
		int r = SSL_read(ssl, req + n, (int)(REQ_MAX - n));
		if (r <= 0)
			return;
		n += (size_t)r;
		req[n] = '\0';
		if (req[0] < 'A' || req[0] > 'Z')
			return; /* not HTTP */
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	if (n == 0 || sscanf(req, "%15s %1023s HTTP/1.%*c", method, path) != 2)
		return;
	path[strcspn(path, "?")] = '\0';
	char *resp;
	if (strcmp(method, "GET") == 0 && (strcmp(path, "/ping") == 0 || strcmp(path, "/") == 0)) {
		resp = xstrdup("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		               "Content-Length: 4\r\nConnection: close\r\n\r\nOk.\n");
	} else {
		char *body =
		    xasprintf("There is no handle %s\n\nUse / or /ping for health checks.\n", path);
		resp = xasprintf(
		    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
		    strlen(body), body);
		free(body);
	}
	ssl_write_all(ssl, resp, strlen(resp));
	free(resp);
}

/* What the ClientHello callback learnt about one connection. */
struct hello {
	struct simtls *t;
	char sni[256];
	int blocked;
};

/* The host_name entry of a server_name extension (RFC 6066), or "" when absent or malformed. */
static void read_sni(SSL *ssl, char *out, size_t cap)
{
	const unsigned char *p;
	size_t len;

	out[0] = '\0';
	if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) || len < 5)
		return;
	size_t list = (size_t)(p[0] << 8 | p[1]);
	if (list + 2 != len || p[2] != TLSEXT_NAMETYPE_host_name)
		return;
	size_t n = (size_t)(p[3] << 8 | p[4]);
	if (n == 0 || n + 5 > len || n >= cap || memchr(p + 5, '\0', n))
		return;
	memcpy(out, p + 5, n);
	out[n] = '\0';
}

/*
 * Decide at the ClientHello, as the real private endpoint does: a host that
 * is not allowed gets no ServerHello at all, only a reset — the guide's
 * openssl output ("CONNECTED", "SSL handshake has read 0 bytes", errno=104).
 * RETRY pauses the handshake without writing anything.
 */
static int on_client_hello(SSL *ssl, int *alert, void *arg)
{
	struct hello *h = SSL_get_app_data(ssl);
	read_sni(ssl, h->sni, sizeof h->sni);
	/* No SNI names no service, so nothing can be allowed through. */
	if (!h->sni[0] || !h->t->reachable(h->t->ctx, h->sni)) {
		h->blocked = 1;
		return SSL_CLIENT_HELLO_RETRY;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

static void *conn_main(void *arg)
{
	struct slot *sl = arg;
	struct simtls *t = sl->t;
	struct hello h = {.t = t};
	int fd = sl->fd;
	SSL *ssl = SSL_new(t->ssl);

	set_timeouts(fd, t->idle_ms);
	if (ssl && SSL_set_fd(ssl, fd) == 1) {
		SSL_set_app_data(ssl, &h);
		if (SSL_accept(ssl) == 1) {
			serve_http(t, ssl);
			SSL_shutdown(ssl);
		}
	}
	if (h.blocked) {
		/* Close with an RST, not a FIN: "connection reset by peer". */
		struct linger lg = {.l_onoff = 1, .l_linger = 0};
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	}
	SSL_free(ssl);
	ERR_clear_error();
	pthread_mutex_lock(&t->mu);
	close(fd);
	sl->fd = -1;
	sl->state = SLOT_DONE;
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

/* ---- the listener ---- */

/* Find a slot for a new connection, reaping finished threads. Caller holds mu. */
static struct slot *free_slot(struct simtls *t)
{
	for (size_t i = 0; i < MAX_CONN; i++) {
		struct slot *sl = &t->slots[i];
		if (sl->state == SLOT_DONE) {
			pthread_join(sl->thread, NULL);
			sl->state = SLOT_FREE;
		}
		if (sl->state == SLOT_FREE)
			return sl;
	}
	return NULL;
}

static void *accept_main(void *arg)
{
	struct simtls *t = arg;
	struct pollfd pf[2] = {{t->fd, POLLIN, 0}, {t->wake[0], POLLIN, 0}};

	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		if (!(pf[0].revents & POLLIN))
			continue;
		int fd = accept4(t->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			/* Out of descriptors: the connection stays queued; give others time to end.
			 */
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM)
				poll(NULL, 0, 50);
			continue;
		}
		pthread_mutex_lock(&t->mu);
		struct slot *sl = free_slot(t);
		if (sl) {
			sl->fd = fd;
			sl->t = t;
			sl->state = SLOT_RUNNING;
			if (pthread_create(&sl->thread, NULL, conn_main, sl) != 0) {
				sl->state = SLOT_FREE;
				sl->fd = -1;
				sl = NULL;
			}
		}
		pthread_mutex_unlock(&t->mu);
		if (!sl)
			close(fd); /* too many at once: turn it away */
	}
	return NULL;
}

static int listen_on(int port, int *out_port, struct err *e)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	socklen_t sl = sizeof sa;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		err_set(e, ERR_NET, _("cannot listen for TLS on 127.0.0.1 port %d: %s"), port,
		        strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*out_port = ntohs(sa.sin_port);
	return fd;
}

struct simtls *simtls_start(const struct simtls_opts *o, struct err *e)
{
	struct simtls *t = xcalloc(1, sizeof *t);
	sigset_t all, old;

	t->reachable = o->reachable;
	t->ctx = o->ctx;
	t->idle_ms = o->idle_ms > 0 ? o->idle_ms : 2000;
	t->fd = t->wake[0] = t->wake[1] = -1;
	pthread_mutex_init(&t->mu, NULL);
	for (size_t i = 0; i < MAX_CONN; i++)
		t->slots[i].fd = -1;
	if (!(t->ssl = make_ctx(o, e)) || (t->fd = listen_on(o->port, &t->port, e)) < 0)
		goto fail;
	if (pipe2(t->wake, O_CLOEXEC) != 0) {
		err_set(e, ERR_INTERNAL, _("cannot start the TLS thread: %s"), strerror(errno));
		goto fail;
	}
	/* Our threads take no process signals (a write to a closed peer gives EPIPE, not SIGPIPE).
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&t->acceptor, NULL, accept_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		err_set(e, ERR_INTERNAL, _("cannot start the TLS thread: %s"), strerror(rc));
		goto fail;
	}
	return t;
fail:
	if (t->fd >= 0)
		close(t->fd);
	if (t->wake[0] >= 0) {
		close(t->wake[0]);
		close(t->wake[1]);
	}
	SSL_CTX_free(t->ssl);
	pthread_mutex_destroy(&t->mu);
	free(t);
	return NULL;
}

int simtls_port(const struct simtls *t)
{
	return t->port;
}

void simtls_stop(struct simtls *t)
{
	if (!t)
		return;
	(void)!write(t->wake[1], "x", 1);
	pthread_join(t->acceptor, NULL);
	close(t->fd);
	/* Wake connections blocked in a read; each thread still closes its own fd. */
	int busy[MAX_CONN];
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < MAX_CONN; i++) {
		busy[i] = t->slots[i].state != SLOT_FREE;
		if (t->slots[i].state == SLOT_RUNNING && t->slots[i].fd >= 0)
			shutdown(t->slots[i].fd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&t->mu);
	for (size_t i = 0; i < MAX_CONN; i++)
		if (busy[i])
			pthread_join(t->slots[i].thread, NULL);
	close(t->wake[0]);
	close(t->wake[1]);
	SSL_CTX_free(t->ssl);
	pthread_mutex_destroy(&t->mu);
	free(t);
}
