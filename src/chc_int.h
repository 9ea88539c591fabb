/* chc_int: helpers shared by chc.c and chc_parse.c (not a public API). */
#ifndef CHLINK_CHC_INT_H
#define CHLINK_CHC_INT_H

#include <cJSON.h>
#include "chc.h"

void chc_service_clear(struct chc_service *s);
void chc_org_clear(struct chc_org *o);
int chc_service_from_json(const cJSON *j, const char *path, struct chc_service *s, struct err *e);
int chc_org_from_json(const cJSON *j, const char *path, struct chc_org *o, struct err *e);
/* GET /v1/organizations: the single organization's id. */
int chc_parse_org_list(const char *body, size_t len, char **org_id, struct err *e);
/* GET .../keys: the role of key `key_id` ("admin" when any of its roles is admin). */
int chc_parse_key_role(const char *body, size_t len, const char *key_id, char **role,
                       struct err *e);
void chc_api_text(const char *body, size_t len, char *out, size_t outsz, char *reqid, size_t reqsz);

#endif
