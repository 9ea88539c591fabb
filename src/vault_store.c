/* vault_store: an unlocked vault's profiles and their JSON form, all in secure memory. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <sodium.h>
#include "creds_mem.h"
#include "i18n.h"
#include "vault.h"
#include "vault_impl.h"
#include "xmalloc.h"

/* The JSON field of each string member of struct creds. */
static const struct field {
	const char *json;
	size_t off;
} fields[] = {
    {"key_id", offsetof(struct creds, key_id)},
    {"key_secret", offsetof(struct creds, key_secret)},
    {"org_id", offsetof(struct creds, org_id)},
    {"tenant_id", offsetof(struct creds, tenant_id)},
    {"client_id", offsetof(struct creds, client_id)},
    {"client_secret", offsetof(struct creds, client_secret)},
    {"subscription_id", offsetof(struct creds, subscription_id)},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static char **field_of(struct creds *c, size_t i)
{
	return (char **)((char *)c + fields[i].off);
}

static const char *field_val(const struct creds *c, size_t i)
{
	return *(char *const *)((const char *)c + fields[i].off);
}

int vault_profile_name_ok(const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	if (n == 0 || n > VAULT_PROFILE_MAX || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return 0;
	}
	return 1;
}

size_t vault_count(const struct vault *v)
{
	return v->n;
}

const char *vault_profile_name(const struct vault *v, size_t i)
{
	return i < v->n ? v->p[i].name : NULL;
}

/* Index of `name`, or where it would be inserted (sorted) with *found = 0. */
static size_t find(const struct vault *v, const char *name, int *found)
{
	size_t i = 0;

	*found = 0;
	for (; i < v->n; i++) {
		int c = strcmp(v->p[i].name, name);
		if (c == 0)
			*found = 1;
		if (c >= 0)
			break;
	}
	return i;
}

const struct creds *vault_get(const struct vault *v, const char *profile)
{
	int found;
	size_t i;

	if (profile == NULL)
		return NULL;
	i = find(v, profile, &found);
	return found ? v->p[i].c : NULL;
}

int vault_put(struct vault *v, const char *profile, const struct creds *c, struct err *e)
{
	int found;
	size_t i;

	if (!v->unlocked)
		return err_set(e, ERR_INTERNAL, _("the credentials file is locked"));
	if (!vault_profile_name_ok(profile))
		return err_set(e, ERR_USAGE,
		               _("invalid profile name \"%.64s\": use letters, digits, '.', '_' "
		                 "or '-' (at most 64)"),
		               profile != NULL ? profile : "");
	i = find(v, profile, &found);
	if (found) {
		creds_free(v->p[i].c);
		v->p[i].c = creds_copy(c);
		return 0;
	}
	v->p = xreallocarray_grow(v->p, &v->cap, v->n + 1, sizeof *v->p);
	memmove(&v->p[i + 1], &v->p[i], (v->n - i) * sizeof *v->p);
	v->p[i].name = xstrdup(profile);
	v->p[i].c = creds_copy(c);
	v->n++;
	return 0;
}

int vault_forget(struct vault *v, const char *profile, struct err *e)
{
	int found;
	size_t i;

	if (!v->unlocked)
		return err_set(e, ERR_INTERNAL, _("the credentials file is locked"));
	i = find(v, profile != NULL ? profile : "", &found);
	if (!found)
		return err_set(e, ERR_NOTFOUND, _("no profile \"%.64s\" in %s"),
		               profile != NULL ? profile : "", v->path);
	free(v->p[i].name);
	creds_free(v->p[i].c);
	memmove(&v->p[i], &v->p[i + 1], (v->n - i - 1) * sizeof *v->p);
	v->n--;
	return 0;
}

void vault_store_clear(struct vault *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->p[i].name);
		creds_free(v->p[i].c);
	}
	free(v->p);
	v->p = NULL;
	v->n = v->cap = 0;
}

/* ---- writing: our own tiny JSON writer, so no secret passes through malloc ---- */

struct out {
	char *buf; /* NULL while measuring */
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->buf != NULL)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	put(o, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
		if (ch == '"' || ch == '\\') {
			esc[1] = (char)ch;
			put(o, esc, 2);
		} else if (ch < 0x20) {
			put(o, esc, 6);
		} else {
			put(o, s, 1);
		}
	}
	put(o, "\"", 1);
}

static void write_all(const struct vault *v, struct out *o)
{
	put(o, "{\"v\":1,\"profiles\":{", 19);
	for (size_t i = 0; i < v->n; i++) {
		const struct creds *c = v->p[i].c;
		if (i > 0)
			put(o, ",", 1);
		put_str(o, v->p[i].name);
		put(o, ":{", 2);
		for (size_t f = 0; f < NFIELDS; f++) {
			put_str(o, fields[f].json);
			put(o, ":", 1);
			put_str(o, field_val(c, f));
			put(o, ",", 1);
		}
		put(o, "\"az_use_cli\":", 13);
		if (c->az_use_cli)
			put(o, "true}", 5);
		else
			put(o, "false}", 6);
	}
	put(o, "}}", 2);
}

char *vault_store_json(const struct vault *v, size_t *len)
{
	struct out o = {NULL, 0};

	write_all(v, &o);
	o.buf = creds_sec_alloc(o.len + 1);
	*len = o.len;
	o.len = 0;
	write_all(v, &o);
	o.buf[o.len] = '\0';
	return o.buf;
}

/* ---- reading: cJSON, then every string it copied is wiped before it is freed ---- */

static void wipe_json(cJSON *j)
{
	for (; j != NULL; j = j->next) {
		if (j->valuestring != NULL)
			sodium_memzero(j->valuestring, strlen(j->valuestring));
		wipe_json(j->child);
	}
}

static int load_profile(struct vault *v, const cJSON *pj, struct err *e)
{
	struct creds *c;
	const cJSON *cli;
	int rc;

	if (!cJSON_IsObject(pj))
		return err_set(e, ERR_PARSE, _("profile \"%.64s\" is not an object"), pj->string);
	c = creds_new();
	for (size_t f = 0; f < NFIELDS; f++) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(pj, fields[f].json);
		if (s == NULL || cJSON_IsNull(s))
			continue;
		if (!cJSON_IsString(s)) {
			creds_free(c);
			return err_set(e, ERR_PARSE,
			               _("field %s of profile \"%.64s\" is not a string"),
			               fields[f].json, pj->string);
		}
		creds_sec_free(*field_of(c, f));
		*field_of(c, f) = creds_sec_strdup(s->valuestring);
	}
	cli = cJSON_GetObjectItemCaseSensitive(pj, "az_use_cli");
	c->az_use_cli = cJSON_IsTrue(cli);
	rc = vault_put(v, pj->string, c, e);
	creds_free(c);
	return rc;
}

static int load_doc(struct vault *v, const cJSON *root, struct err *e)
{
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "v");
	const cJSON *profiles = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	const cJSON *pj;

	if (!cJSON_IsObject(root))
		return err_set(e, ERR_PARSE, _("the decrypted content is not a JSON object"));
	if (!cJSON_IsNumber(ver))
		return err_set(e, ERR_PARSE, _("the decrypted content has no version"));
	if (ver->valuedouble != 1)
		return err_set(
		    e, ERR_PARSE,
		    _("the decrypted content has version %g; this chlink reads version 1"),
		    ver->valuedouble);
	if (profiles == NULL)
		return 0;
	if (!cJSON_IsObject(profiles))
		return err_set(e, ERR_PARSE, _("\"profiles\" is not an object"));
	cJSON_ArrayForEach (pj, profiles) {
		if (load_profile(v, pj, e) < 0)
			return -1;
	}
	return 0;
}

int vault_load_plain(struct vault *v, const char *json, size_t len, struct err *e)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	int rc;

	if (root == NULL)
		return err_set(e, ERR_PARSE, _("the decrypted content is not valid JSON"));
	vault_store_clear(v);
	v->unlocked = 1;
	rc = load_doc(v, root, e);
	wipe_json(root);
	cJSON_Delete(root);
	if (rc < 0)
		vault_store_clear(v);
	return rc;
}
