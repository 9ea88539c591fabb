/* simtest: drive the simulator core in-process from cmocka tests. */
#ifndef CHLINK_SIMTEST_H
#define CHLINK_SIMTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "sim/sim.h"
#include "xmalloc.h"

#define T0_MS 1767225600000ULL /* 2026-01-01T00:00:00Z */

struct st {
	struct sim *s;
	uint64_t now;
	unsigned step_ms; /* clock advance after each request */
	cJSON *id;        /* sim_identity_json */
	struct sim_response rs;
	cJSON *j;                       /* last response body, parsed (NULL if not JSON) */
	const char *xh_name, *xh_value; /* one extra request header for the next call */
};

static inline char *t_b64(const char *in)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;
	char *out = xmalloc(n * 4 / 3 + 8);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

static inline struct st *t_new(const char *world, uint64_t seed)
{
	struct st *t = xcalloc(1, sizeof *t);
	struct err e;
	t->s = sim_new(world, seed, &e);
	if (!t->s)
		return t;
	t->now = T0_MS;
	char *idj = sim_identity_json(t->s);
	t->id = cJSON_Parse(idj);
	free(idj);
	t->rs.truncate_at = -1;
	return t;
}

static inline void t_free(struct st *t)
{
	if (!t)
		return;
	sim_response_free(&t->rs);
	cJSON_Delete(t->j);
	cJSON_Delete(t->id);
	sim_free(t->s);
	free(t);
}

/* One request; returns the status. url may carry "?query". auth is the whole header value. */
static inline int t_req(struct st *t, const char *method, const char *url, const char *ctype,
                        const char *auth, const char *body)
{
	struct sim_header h[4];
	size_t nh = 0;
	char *path = xstrdup(url), *q = strchr(path, '?');
	if (q)
		*q++ = '\0';
	if (ctype)
		h[nh++] = (struct sim_header){"Content-Type", ctype};
	if (auth)
		h[nh++] = (struct sim_header){"Authorization", auth};
	if (t->xh_name)
		h[nh++] = (struct sim_header){t->xh_name, t->xh_value};
	struct sim_request rq = {.method = method,
	                         .path = path,
	                         .query = q ? q : "",
	                         .headers = h,
	                         .n_headers = nh,
	                         .body = body,
	                         .body_len = body ? strlen(body) : 0,
	                         .base_url = "http://127.0.0.1:8123",
	                         .now_ms = t->now};
	sim_response_free(&t->rs);
	cJSON_Delete(t->j);
	sim_handle(t->s, &rq, &t->rs);
	t->j = t->rs.body ? cJSON_ParseWithLength(t->rs.body, t->rs.body_len) : NULL;
	t->now += t->step_ms;
	t->xh_name = t->xh_value = NULL;
	free(path);
	return t->rs.status;
}

static inline const char *t_hdr(struct st *t, const char *name)
{
	for (size_t i = 0; i < t->rs.n_headers; i++)
		if (strcasecmp(t->rs.headers[i].name, name) == 0)
			return t->rs.headers[i].value;
	return NULL;
}

/* A value at a dotted path like "result.privateEndpointIds.0" in the last body. */
static inline cJSON *t_at(cJSON *root, const char *path)
{
	char *p = xstrdup(path), *save = NULL;
	cJSON *cur = root;
	for (char *k = strtok_r(p, ".", &save); k && cur; k = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(cur))
			cur = cJSON_GetArrayItem(cur, atoi(k));
		else
			cur = cJSON_GetObjectItemCaseSensitive(cur, k);
	}
	free(p);
	return cur;
}

static inline const char *t_str(struct st *t, const char *path)
{
	cJSON *v = t_at(t->j, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline const char *t_id(struct st *t, const char *path)
{
	cJSON *v = t_at(t->id, path);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* "Basic base64(id:secret)" for a key object in the identity ("admin_key", ...). */
static inline char *t_basic(struct st *t, const char *key)
{
	char *idp = xasprintf("%s.id", key), *sp = xasprintf("%s.secret", key);
	char *raw = xasprintf("%s:%s", t_id(t, idp), t_id(t, sp));
	char *b = t_b64(raw), *h = xasprintf("Basic %s", b);
	free(idp);
	free(sp);
	free(raw);
	free(b);
	return h;
}

static inline int t_json_ok(struct st *t)
{
	return t->j != NULL;
}

static inline char *t_urlenc(const char *in)
{
	char *out = xmalloc(strlen(in) * 3 + 1), *o = out;
	for (; *in; in++) {
		unsigned char ch = (unsigned char)*in;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch))
			*o++ = (char)ch;
		else
			o += snprintf(o, 4, "%%%02X", ch);
	}
	*o = '\0';
	return out;
}

/* POST the Entra token endpoint for principal `who` ("azure", "azure_other_tenant"). */
static inline int t_token_req(struct st *t, const char *who, const char *secret_override)
{
	char p[96];
	snprintf(p, sizeof p, "%s.client_secret", who);
	char *sec = t_urlenc(secret_override ? secret_override : t_id(t, p));
	snprintf(p, sizeof p, "%s.client_id", who);
	char *form =
	    xasprintf("client_id=%s&scope=https%%3A%%2F%%2Fmanagement.azure.com%%2F.default"
	              "&client_secret=%s&grant_type=client_credentials",
	              t_id(t, p), sec);
	snprintf(p, sizeof p, "%s.tenant", who);
	char *url = xasprintf("/%s/oauth2/v2.0/token", t_id(t, p));
	int st = t_req(t, "POST", url, "application/x-www-form-urlencoded", NULL, form);
	free(sec);
	free(form);
	free(url);
	return st;
}

/* "Bearer <token>" for principal `who` (malloc'd). */
static inline char *t_bearer(struct st *t, const char *who)
{
	if (t_token_req(t, who, NULL) != 200)
		return xstrdup("Bearer none");
	return xasprintf("Bearer %s", t_str(t, "access_token"));
}

/* POST a control call; returns the status. */
static inline int t_ctl(struct st *t, const char *path, const char *body)
{
	return t_req(t, "POST", path, "application/json", NULL, body);
}

/* Read a fixture file below $top_srcdir/tests/fixtures (malloc'd, NULL if absent). */
static inline char *t_fixture(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/tests/fixtures/%s", top ? top : ".", rel);
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	free(path);
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

/*
 * Every key path of `ex` (an official example body) must exist in `ours`, with the
 * same kind (object/array/scalar); arrays are compared by their first element.
 * Keys listed in `skip` (NULL-terminated) are not required. Returns the number of
 * missing paths and names the first in `first`.
 */
static inline int t_missing_paths(const cJSON *ex, const cJSON *ours, const char *at,
                                  const char *const *skip, char *first, size_t fsz)
{
	int missing = 0;
	const cJSON *it;
	if (cJSON_IsObject(ex)) {
		if (!cJSON_IsObject(ours)) {
			if (!*first)
				snprintf(first, fsz, "%s (not an object)", at);
			return 1;
		}
		cJSON_ArrayForEach (it, ex) {
			int skipped = 0;
			for (size_t i = 0; skip && skip[i]; i++)
				skipped |= strcmp(skip[i], it->string) == 0;
			if (skipped)
				continue;
			char *sub = xasprintf("%s.%s", at, it->string);
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(ours, it->string);
			if (!o) {
				if (!*first)
					snprintf(first, fsz, "%s", sub);
				missing++;
			} else {
				missing += t_missing_paths(it, o, sub, skip, first, fsz);
			}
			free(sub);
		}
	} else if (cJSON_IsArray(ex)) {
		if (!cJSON_IsArray(ours)) {
			if (!*first)
				snprintf(first, fsz, "%s (not an array)", at);
			return 1;
		}
		const cJSON *e0 = cJSON_GetArrayItem(ex, 0);
		if (e0 && (cJSON_IsObject(e0) || cJSON_IsArray(e0))) {
			const cJSON *o0 = cJSON_GetArrayItem(ours, 0);
			char *sub = xasprintf("%s[0]", at);
			if (!o0) {
				if (!*first)
					snprintf(first, fsz, "%s (empty)", sub);
				missing++;
			} else {
				missing += t_missing_paths(e0, o0, sub, skip, first, fsz);
			}
			free(sub);
		}
	}
	return missing;
}

#endif
