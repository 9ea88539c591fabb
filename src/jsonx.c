/* jsonx: strict cJSON getters whose errors name the field path. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "jsonx.h"
#include "xmalloc.h"

cJSON *jsonx_parse(const char *body, size_t len, const char *what, struct err *e)
{
	cJSON *j = body ? cJSON_ParseWithLength(body, len) : NULL;
	if (!j)
		err_set(e, ERR_PARSE, _("%s: the answer is not valid JSON"), what);
	return j;
}

char *jsonx_path(const char *path, const char *key)
{
	if (!path || !*path)
		return xstrdup(key);
	return xasprintf("%s.%s", path, key);
}

char *jsonx_index(const char *path, size_t i)
{
	return xasprintf("%s[%zu]", path ? path : "", i);
}

static int field_err(const char *path, const char *key, const char *what, struct err *e)
{
	char *p = jsonx_path(path, key);
	err_set(e, ERR_PARSE, "%s: %s", p, what);
	free(p);
	return -1;
}

/* The member, NULL when absent or JSON null. */
static const cJSON *member(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsNull(v) ? NULL : v;
}

int jsonx_str_opt(const cJSON *obj, const char *path, const char *key, char **out, struct err *e)
{
	const cJSON *v = member(obj, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return field_err(path, key, _("expected a string"), e);
	*out = xstrdup(v->valuestring);
	return 0;
}

int jsonx_str(const cJSON *obj, const char *path, const char *key, char **out, struct err *e)
{
	if (jsonx_str_opt(obj, path, key, out, e) < 0)
		return -1;
	if (!*out)
		return field_err(path, key, _("missing"), e);
	return 0;
}

int jsonx_num_opt(const cJSON *obj, const char *path, const char *key, double *out, struct err *e)
{
	const cJSON *v = member(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v))
		return field_err(path, key, _("expected a number"), e);
	*out = v->valuedouble;
	return 0;
}

int jsonx_bool_opt(const cJSON *obj, const char *path, const char *key, int *out, struct err *e)
{
	const cJSON *v = member(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return field_err(path, key, _("expected true or false"), e);
	*out = cJSON_IsTrue(v);
	return 0;
}

static int typed(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                 int want_array, int required, struct err *e)
{
	const cJSON *v = member(obj, key);
	*out = NULL;
	if (!v)
		return required ? field_err(path, key, _("missing"), e) : 0;
	if (want_array ? !cJSON_IsArray(v) : !cJSON_IsObject(v))
		return field_err(path, key,
		                 want_array ? _("expected an array") : _("expected an object"), e);
	*out = v;
	return 0;
}

int jsonx_obj(const cJSON *obj, const char *path, const char *key, const cJSON **out, struct err *e)
{
	return typed(obj, path, key, out, 0, 1, e);
}

int jsonx_arr(const cJSON *obj, const char *path, const char *key, const cJSON **out, struct err *e)
{
	return typed(obj, path, key, out, 1, 1, e);
}

int jsonx_obj_opt(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                  struct err *e)
{
	return typed(obj, path, key, out, 0, 0, e);
}

int jsonx_arr_opt(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                  struct err *e)
{
	return typed(obj, path, key, out, 1, 0, e);
}

void jsonx_str_array_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int jsonx_str_array_opt(const cJSON *obj, const char *path, const char *key, char ***out, size_t *n,
                        struct err *e)
{
	const cJSON *a, *it;
	size_t i = 0, cnt;
	*out = NULL;
	*n = 0;
	if (jsonx_arr_opt(obj, path, key, &a, e) < 0)
		return -1;
	if (!a)
		return 0;
	cnt = (size_t)cJSON_GetArraySize(a);
	*out = xcalloc(cnt + 1, sizeof(char *));
	cJSON_ArrayForEach (it, a) {
		if (!cJSON_IsString(it) || !it->valuestring) {
			char *p = jsonx_path(path, key), *q = jsonx_index(p, i);
			err_set(e, ERR_PARSE, "%s: %s", q, _("expected a string"));
			free(p);
			free(q);
			jsonx_str_array_free(*out, i);
			*out = NULL;
			return -1;
		}
		(*out)[i++] = xstrdup(it->valuestring);
	}
	*n = i;
	return 0;
}
