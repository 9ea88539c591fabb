/* vault_impl: the vault's private state, shared by vault.c and vault_store.c. */
#ifndef CHLINK_VAULT_IMPL_H
#define CHLINK_VAULT_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "creds.h"

struct vault_profile {
	char *name;      /* not secret: ordinary memory */
	struct creds *c; /* secure memory (creds_mem.h) */
};

struct vault {
	char *path;
	int exists; /* a file was read at open */
	int unlocked;
	unsigned char *file; /* the raw file as read (ciphertext, not secret) */
	size_t file_len;
	uint64_t ops, mem;      /* KDF limits of `key` */
	unsigned char salt[16]; /* salt of `key` */
	unsigned char *key;     /* secure memory, NULL until unlocked */
	struct vault_profile *p;
	size_t n, cap;
};

/* Serialise every profile as the plaintext JSON, in secure memory. */
char *vault_store_json(const struct vault *v, size_t *len);
/* Drop every profile (wiping its secrets). */
void vault_store_clear(struct vault *v);

#endif
