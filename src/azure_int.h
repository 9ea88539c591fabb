/* azure_int: parsers and helpers shared by the azure files (not a public API). */
#ifndef CHLINK_AZURE_INT_H
#define CHLINK_AZURE_INT_H

#include <cJSON.h>
#include "azure.h"

int az_pe_from_json(const cJSON *j, const char *path, struct az_pe *p, struct err *e);
void az_pe_clear(struct az_pe *p);
int az_parse_zone(const char *body, size_t len, struct az_zone *out, struct err *e);
int az_parse_record(const char *body, size_t len, struct az_record *out, struct err *e);
int az_parse_link(const char *body, size_t len, struct az_link *out, struct err *e);

/* List pages: append the page's "value" items; *next = nextLink (newly allocated) or NULL. */
int az_parse_pe_page(const char *body, size_t len, struct az_pe_list *l, char **next,
                     struct err *e);
int az_parse_link_page(const char *body, size_t len, struct az_link_list *l, char **next,
                       struct err *e);
int az_parse_rg_page(const char *body, size_t len, struct az_rg_list *l, char **next,
                     struct err *e);
int az_parse_vnet_page(const char *body, size_t len, struct az_vnet_list *l, char **next,
                       struct err *e);

/* An async-operation status body: "Succeeded", "Failed", ... (newly allocated) or NULL. */
char *az_parse_op_status(const char *body, size_t len);
/* provisioningState of any resource body, or NULL. */
char *az_parse_provisioning(const char *body, size_t len);

/* A token answer: Entra {access_token, expires_in} or az CLI {accessToken, expires_on}. */
int az_parse_token(const char *body, size_t len, char **token, long long *expires_epoch,
                   struct err *e);

#endif
