/* mini_tls: self-signed loopback TLS server answering one fixed body (tests only). */
#include "config.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "mini_tls.h"
#include "xmalloc.h"

struct mt {
	int lfd, stop[2], port;
	SSL_CTX *ctx;
	char *body;
	pthread_t th;
};

static X509 *self_signed(EVP_PKEY *k, const char *dns)
{
	X509 *x = X509_new();
	X509_NAME *n;
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	char *san = xasprintf("DNS:%s", dns);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)dns, -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(x, k, EVP_sha256());
	free(san);
	return x;
}

static void serve(struct mt *m, int fd)
{
	SSL *s = SSL_new(m->ctx);
	char buf[2048];
	SSL_set_fd(s, fd);
	if (SSL_accept(s) == 1) {
		int n = SSL_read(s, buf, sizeof(buf) - 1);
		if (n > 0) {
			char *resp = xasprintf("HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
			                       "Connection: close\r\n\r\n%s",
			                       strlen(m->body), m->body);
			SSL_write(s, resp, (int)strlen(resp));
			free(resp);
		}
		SSL_shutdown(s);
	}
	SSL_free(s);
	close(fd);
}

static void *run(void *arg)
{
	struct mt *m = arg;
	for (;;) {
		struct pollfd p[2] = {{m->lfd, POLLIN, 0}, {m->stop[0], POLLIN, 0}};
		int fd;
		if (poll(p, 2, -1) < 0 || p[1].revents)
			break;
		fd = accept(m->lfd, NULL, NULL);
		if (fd >= 0)
			serve(m, fd);
	}
	return NULL;
}

struct mt *mt_start(const char *dns_name, const char *cert_path, const char *body)
{
	struct mt *m = xcalloc(1, sizeof(*m));
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = self_signed(k, dns_name);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	FILE *f = fopen(cert_path, "w");
	if (!k || !x || !f)
		abort();
	/* OpenSSL writes with plain write(): a client that hung up must not kill the test */
	signal(SIGPIPE, SIG_IGN);
	PEM_write_X509(f, x);
	fclose(f);
	m->ctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(m->ctx, x);
	SSL_CTX_use_PrivateKey(m->ctx, k);
	X509_free(x);
	EVP_PKEY_free(k);
	m->body = xstrdup(body);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	m->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (m->lfd < 0 || bind(m->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(m->lfd, 16) < 0 || getsockname(m->lfd, (struct sockaddr *)&a, &al) < 0 ||
	    pipe(m->stop) < 0)
		abort();
	m->port = ntohs(a.sin_port);
	pthread_create(&m->th, NULL, run, m);
	return m;
}

int mt_port(const struct mt *m)
{
	return m->port;
}

void mt_stop(struct mt *m)
{
	if (write(m->stop[1], "x", 1) != 1)
		abort();
	pthread_join(m->th, NULL);
	close(m->lfd);
	close(m->stop[0]);
	close(m->stop[1]);
	SSL_CTX_free(m->ctx);
	free(m->body);
	free(m);
}
