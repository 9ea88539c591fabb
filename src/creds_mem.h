/*
 * creds_mem: secure memory for secrets (sodium_malloc: guard pages, mlock,
 * wiped on free) and the life cycle of a struct creds kept in it.
 */
#ifndef CHLINK_CREDS_MEM_H
#define CHLINK_CREDS_MEM_H

#include <stddef.h>
#include "creds.h"

/*
 * sodium_malloc that aborts when memory runs out (like xmalloc). Calls
 * sodium_init itself, so callers need no set-up. The block is zero-filled.
 */
void *creds_sec_alloc(size_t n);
/* Wipe and release a block from creds_sec_alloc; NULL is fine. */
void creds_sec_free(void *p);
/* Copy `n` bytes of `s` into secure memory, NUL-terminated. */
char *creds_sec_strndup(const char *s, size_t n);
/* Copy a string into secure memory; NULL becomes "". */
char *creds_sec_strdup(const char *s);

/* A struct creds (itself in secure memory) whose strings are all "". */
struct creds *creds_new(void);
/* A deep copy in secure memory; NULL string fields become "". */
struct creds *creds_copy(const struct creds *c);
/* Wipe and free every string and the struct; NULL is fine. */
void creds_free(struct creds *c);

/*
 * The credentials the environment gives: KEY_ID, KEY_SECRET, ORG_ID (the
 * guide's names) and AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
 * AZURE_SUBSCRIPTION_ID (the Azure SDK's). Unset variables give "". Without
 * AZURE_CLIENT_SECRET, az_use_cli is set: the az CLI login is used instead
 * of a service principal. *found (may be NULL) gets how many variables
 * were set and non-empty.
 */
struct creds *creds_from_env(int *found);

#endif
