/* sim_util: small helpers of the simulator core (PRNG, codecs, paths, JSON, responses). */
#include "config.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_int.h"
#include "xmalloc.h"

/* splitmix64: tiny, seedable, good enough for ids and fault dice. */
uint64_t sim_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

double sim_rand01(uint64_t *state)
{
	return (double)(sim_rand(state) >> 11) / 9007199254740992.0;
}

void sim_uuid(struct sim *s, char out[37])
{
	unsigned char b[16];
	uint64_t a = sim_rand(&s->rng), c = sim_rand(&s->rng);
	memcpy(b, &a, 8);
	memcpy(b + 8, &c, 8);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

/* Decodes standard and URL-safe base64, padding optional; NULL on bad input. */
char *sim_b64_decode(const char *in, size_t *outlen)
{
	size_t n = strlen(in), o = 0;
	char *out = xmalloc(n * 3 / 4 + 4);
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '=')
			break;
		int v = b64val((unsigned char)in[i]);
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

char *sim_b64url_encode(const unsigned char *in, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char *out = xmalloc(n * 4 / 3 + 4);
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = tab[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[o++] = tab[(acc << (6 - bits)) & 63];
	out[o] = '\0';
	return out;
}

static int hexval(int ch)
{
	if (isdigit(ch))
		return ch - '0';
	ch = tolower(ch);
	return (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
}

static char *url_decode(const char *in, size_t n, int plus_space)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '%' && i + 2 < n && hexval((unsigned char)in[i + 1]) >= 0 &&
		    hexval((unsigned char)in[i + 2]) >= 0) {
			out[o++] = (char)(hexval((unsigned char)in[i + 1]) * 16 +
			                  hexval((unsigned char)in[i + 2]));
			i += 2;
		} else if (in[i] == '+' && plus_space) {
			out[o++] = ' ';
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
	return out;
}

char *sim_url_decode(const char *in, size_t n)
{
	return url_decode(in, n, 1);
}

char *sim_form_get(const char *form, const char *name)
{
	const char *p = form;
	while (p && *p) {
		const char *amp = strchr(p, '&'), *eq;
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', len);
		char *key = sim_url_decode(p, eq ? (size_t)(eq - p) : len);
		int match = strcmp(key, name) == 0;
		free(key);
		if (match)
			return eq ? sim_url_decode(eq + 1, len - (size_t)(eq - p) - 1)
			          : xstrdup("");
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

const char *sim_header(const struct sim_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->n_headers; i++)
		if (rq->headers[i].name && strcasecmp(rq->headers[i].name, name) == 0)
			return rq->headers[i].value ? rq->headers[i].value : "";
	return NULL;
}

/* Split into decoded segments ("%2A" -> "*"); -1 when there are too many. */
int sim_split_path(struct sim_ctx *c, const char *path)
{
	const char *p = path;
	c->nseg = 0;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (c->nseg == SIM_MAX_SEGS)
			return -1;
		c->seg[c->nseg] = url_decode(p, len, 0); /* '+' is literal in a path */
		c->nseg++;
		p += len;
	}
	return 0;
}

void sim_ctx_free(struct sim_ctx *c)
{
	for (int i = 0; i < c->nseg; i++)
		free(c->seg[i]);
	c->nseg = 0;
}

int sim_seg_is(struct sim_ctx *c, int i, const char *lit)
{
	return i < c->nseg && strcasecmp(c->seg[i], lit) == 0;
}

void sim_set_body(struct sim_response *rs, int status, char *body, const char *ctype)
{
	free(rs->body);
	rs->status = status;
	rs->body = body;
	rs->body_len = body ? strlen(body) : 0;
	for (size_t i = 0; i < rs->n_headers; i++) {
		if (strcasecmp(rs->headers[i].name, "Content-Type") == 0) {
			free(rs->headers[i].value);
			rs->headers[i].value = xstrdup(ctype);
			return;
		}
	}
	if (body)
		sim_add_header(rs, "Content-Type", "%s", ctype);
}

void sim_set_json(struct sim_response *rs, int status, cJSON *obj)
{
	char *txt = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	sim_set_body(rs, status, xstrdup(txt ? txt : "null"), "application/json; charset=utf-8");
	free(txt);
}

void sim_add_header(struct sim_response *rs, const char *name, const char *fmt, ...)
{
	va_list ap;
	char buf[4096];
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	for (size_t i = 0; i < rs->n_headers; i++) {
		if (strcasecmp(rs->headers[i].name, name) == 0) {
			free(rs->headers[i].value);
			rs->headers[i].value = xstrdup(buf);
			return;
		}
	}
	if (rs->n_headers == SIM_MAX_HEADERS)
		return;
	rs->headers[rs->n_headers].name = xstrdup(name);
	rs->headers[rs->n_headers].value = xstrdup(buf);
	rs->n_headers++;
}

int sim_content_is_json(const struct sim_request *rq)
{
	const char *ct = sim_header(rq, "Content-Type");
	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, "application/json", 16) == 0 &&
	       (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

static void strip_hidden(cJSON *o)
{
	cJSON *it = o ? o->child : NULL;
	while (it) {
		cJSON *next = it->next;
		if (cJSON_IsObject(o) && it->string && it->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(o, it));
		else
			strip_hidden(it);
		it = next;
	}
}

cJSON *sim_render(const cJSON *obj)
{
	cJSON *d = cJSON_Duplicate(obj, 1);
	strip_hidden(d);
	return d;
}

const char *sim_jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double sim_jnum(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

cJSON *sim_find_ci(const cJSON *arr, const char *key, const char *val)
{
	cJSON *it;
	if (!val)
		return NULL;
	cJSON_ArrayForEach (it, arr) {
		const char *v = sim_jstr(it, key);
		if (v && strcasecmp(v, val) == 0)
			return it;
	}
	return NULL;
}

int sim_ci_eq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

int sim_ci_prefix(const char *s, const char *prefix)
{
	return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

void sim_jset_num(cJSON *o, const char *key, double v)
{
	cJSON *n = cJSON_CreateNumber(v);
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, n);
	else
		cJSON_AddItemToObject(o, key, n);
}

void sim_jset_str(cJSON *o, const char *key, const char *v)
{
	cJSON *n = cJSON_CreateString(v);
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, n);
	else
		cJSON_AddItemToObject(o, key, n);
}

int sim_ipv4_parse(const char *s, uint32_t *out)
{
	unsigned a, b, c, d;
	char tail;
	if (!s || sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4)
		return -1;
	if (a > 255 || b > 255 || c > 255 || d > 255)
		return -1;
	*out = (a << 24) | (b << 16) | (c << 8) | d;
	return 0;
}

void sim_ipv4_format(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}
