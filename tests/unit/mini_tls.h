/*
 * mini_tls: a loopback TLS server for the probe tests only. It makes a
 * throw-away CA-less self-signed certificate for one DNS name, writes it
 * to a PEM file (for --cacert), and answers every request with `body`.
 */
#ifndef CHLINK_MINI_TLS_H
#define CHLINK_MINI_TLS_H

struct mt;
struct mt *mt_start(const char *dns_name, const char *cert_path, const char *body);
int mt_port(const struct mt *m);
void mt_stop(struct mt *m);

#endif
