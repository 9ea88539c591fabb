/*
 * jsonx: strict field access on cJSON trees. Every getter names the field's
 * path in its error ("result[2].region: expected a string"), so a bad answer
 * from an API says exactly what was wrong. Unknown fields are never an error.
 */
#ifndef CHLINK_JSONX_H
#define CHLINK_JSONX_H

#include <stddef.h>
#include <cJSON.h>
#include "err.h"

/* Parse `len` bytes (need not be NUL-terminated); NULL + ERR_PARSE when not JSON. */
cJSON *jsonx_parse(const char *body, size_t len, const char *what, struct err *e);

/*
 * Required string at obj.key: 0 and *out = newly allocated copy, or -1 with
 * "PATH.key: missing" / "PATH.key: expected a string".
 */
int jsonx_str(const cJSON *obj, const char *path, const char *key, char **out, struct err *e);
/* Optional string: absent or null -> *out = NULL and 0; wrong type -> -1. */
int jsonx_str_opt(const cJSON *obj, const char *path, const char *key, char **out, struct err *e);
/* Optional number (absent -> *out unchanged, 0). */
int jsonx_num_opt(const cJSON *obj, const char *path, const char *key, double *out, struct err *e);
/* Optional bool (absent -> *out unchanged, 0). */
int jsonx_bool_opt(const cJSON *obj, const char *path, const char *key, int *out, struct err *e);
/* Required object / array member; *out borrowed from the tree. */
int jsonx_obj(const cJSON *obj, const char *path, const char *key, const cJSON **out,
              struct err *e);
int jsonx_arr(const cJSON *obj, const char *path, const char *key, const cJSON **out,
              struct err *e);
/* Optional object / array member: absent or null -> *out = NULL, 0. */
int jsonx_obj_opt(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                  struct err *e);
int jsonx_arr_opt(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                  struct err *e);
/* Optional array of strings -> newly allocated vector (NULL, 0 when absent). */
int jsonx_str_array_opt(const cJSON *obj, const char *path, const char *key, char ***out, size_t *n,
                        struct err *e);
void jsonx_str_array_free(char **v, size_t n);

/* "path.key" or "key" when path is empty; "path[i]" for arrays (newly allocated). */
char *jsonx_path(const char *path, const char *key);
char *jsonx_index(const char *path, size_t i);

#endif
