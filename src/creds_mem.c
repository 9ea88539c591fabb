/* creds_mem: secrets in sodium_malloc memory, and struct creds built from it. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "creds_mem.h"

void *creds_sec_alloc(size_t n)
{
	void *p;

	if (sodium_init() < 0) {
		fputs("chlink: libsodium failed to initialise\n", stderr);
		abort();
	}
	p = sodium_malloc(n == 0 ? 1 : n);
	if (p == NULL) {
		fputs("chlink: out of secure memory\n", stderr);
		abort();
	}
	/* sodium_malloc fills with 0xdb to catch missing initialisation. */
	memset(p, 0, n == 0 ? 1 : n);
	return p;
}

void creds_sec_free(void *p)
{
	if (p != NULL)
		sodium_free(p);
}

char *creds_sec_strndup(const char *s, size_t n)
{
	char *p = creds_sec_alloc(n + 1);

	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *creds_sec_strdup(const char *s)
{
	if (s == NULL)
		s = "";
	return creds_sec_strndup(s, strlen(s));
}

/* The string fields of struct creds, so that loops need not name each one. */
#define CREDS_STRINGS(c)                                                                           \
	{                                                                                          \
		&(c)->key_id, &(c)->key_secret, &(c)->org_id, &(c)->tenant_id, &(c)->client_id,    \
		    &(c)->client_secret, &(c)->subscription_id                                     \
	}

struct creds *creds_new(void)
{
	struct creds *c = creds_sec_alloc(sizeof *c);
	char **f[] = CREDS_STRINGS(c);

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		*f[i] = creds_sec_strdup("");
	c->az_use_cli = 0;
	return c;
}

struct creds *creds_copy(const struct creds *src)
{
	struct creds *c = creds_sec_alloc(sizeof *c);
	char **to[] = CREDS_STRINGS(c);
	const char *from[] = {src->key_id,         src->key_secret, src->org_id,
	                      src->tenant_id,      src->client_id,  src->client_secret,
	                      src->subscription_id};

	for (size_t i = 0; i < sizeof to / sizeof to[0]; i++)
		*to[i] = creds_sec_strdup(from[i]);
	c->az_use_cli = src->az_use_cli ? 1 : 0;
	return c;
}

void creds_free(struct creds *c)
{
	if (c == NULL)
		return;
	char **f[] = CREDS_STRINGS(c);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		creds_sec_free(*f[i]);
	creds_sec_free(c);
}

struct creds *creds_from_env(int *found)
{
	struct creds *c = creds_sec_alloc(sizeof *c);
	const struct {
		const char *var;
		char **field;
	} map[] = {
	    {"KEY_ID", &c->key_id},
	    {"KEY_SECRET", &c->key_secret},
	    {"ORG_ID", &c->org_id},
	    {"AZURE_TENANT_ID", &c->tenant_id},
	    {"AZURE_CLIENT_ID", &c->client_id},
	    {"AZURE_CLIENT_SECRET", &c->client_secret},
	    {"AZURE_SUBSCRIPTION_ID", &c->subscription_id},
	};
	int n = 0;

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const char *v = getenv(map[i].var);
		*map[i].field = creds_sec_strdup(v);
		if (v != NULL && *v != '\0')
			n++;
	}
	c->az_use_cli = c->client_secret[0] == '\0';
	if (found != NULL)
		*found = n;
	return c;
}
