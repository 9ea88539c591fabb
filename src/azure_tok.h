/* azure_tok: the Entra token source of the azure client (not a public API). */
#ifndef CHLINK_AZURE_TOK_H
#define CHLINK_AZURE_TOK_H

#include "creds.h"
#include "err.h"
#include "http.h"

struct az_tok;
/* Called when a fetch ends: e == NULL means az_tok_valid() now has a token. */
typedef void (*az_tok_fn)(void *ud, const struct err *e);

struct az_tok *az_tok_new(struct http *h, const char *login_url, const char *arm_url,
                          const struct creds *cr, const char *cli_json, az_tok_fn fn, void *ud);
void az_tok_free(struct az_tok *t);
/* The cached token while it has more than 60 s left, else NULL. */
const char *az_tok_valid(struct az_tok *t);
void az_tok_invalidate(struct az_tok *t);
/* 0 when the token came as fixed JSON (a 401 cannot be cured by fetching again). */
int az_tok_refreshable(const struct az_tok *t);
/* Start a fetch (no-op while one runs); the callback runs from the loop. */
void az_tok_fetch(struct az_tok *t);

#endif
