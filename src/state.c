/* state: the profile file (answers, journal, created ids), atomic and never holding secrets. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "fsutil.h"
#include "i18n.h"
#include "state.h"
#include "xmalloc.h"

#define STATE_MAX_BYTES (1024 * 1024)

/* The string answers, by JSON key and offset: one table drives load, save and copy. */
static const struct {
	const char *key;
	size_t off;
} str_fields[] = {
    {"region", offsetof(struct flow_answers, region)},
    {"subscription", offsetof(struct flow_answers, subscription)},
    {"resourceGroup", offsetof(struct flow_answers, resource_group)},
    {"vnet", offsetof(struct flow_answers, vnet)},
    {"subnet", offsetof(struct flow_answers, subnet)},
    {"location", offsetof(struct flow_answers, location)},
    {"peName", offsetof(struct flow_answers, pe_name)},
    {"dnsResourceGroup", offsetof(struct flow_answers, dns_resource_group)},
    {"manualPeGuid", offsetof(struct flow_answers, manual_pe_guid)},
    {"manualPeIp", offsetof(struct flow_answers, manual_pe_ip)},
    {"manualAlias", offsetof(struct flow_answers, manual_alias)},
    {"manualDnsHostname", offsetof(struct flow_answers, manual_hostname)},
};
#define N_STR_FIELDS (sizeof str_fields / sizeof str_fields[0])

static char **str_at(struct flow_answers *a, size_t i)
{
	return (char **)(void *)((char *)a + str_fields[i].off);
}

static const char *const path_names[] = {"api", "portal", "terraform"};

const char *state_path_name(enum flow_path p)
{
	return (unsigned)p < 3 ? path_names[p] : "api";
}

const char *state_id_form_name(enum flow_id_form f)
{
	return f == FLOW_ID_RESOURCE_ID ? "resource-id" : "guid";
}

int state_valid_profile(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > 64 || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

char *state_path(const char *dir, const char *profile)
{
	char *d = dir ? xstrdup(dir) : fs_state_dir();
	char *p = xasprintf("%s/%s.json", d, profile);

	free(d);
	return p;
}

void state_answers_clear(struct flow_answers *a)
{
	for (size_t i = 0; i < N_STR_FIELDS; i++)
		free(*str_at(a, i));
	for (size_t i = 0; i < a->n_services; i++)
		free(a->services[i]);
	free(a->services);
	memset(a, 0, sizeof *a);
}

void state_answers_copy(struct flow_answers *dst, const struct flow_answers *src)
{
	struct flow_answers *s = (struct flow_answers *)src;

	memset(dst, 0, sizeof *dst);
	for (size_t i = 0; i < N_STR_FIELDS; i++)
		*str_at(dst, i) = *str_at(s, i) ? xstrdup(*str_at(s, i)) : NULL;
	dst->n_services = src->n_services;
	dst->services = src->n_services ? xcalloc(src->n_services, sizeof(char *)) : NULL;
	for (size_t i = 0; i < src->n_services; i++)
		dst->services[i] = xstrdup(src->services[i]);
	dst->id_form = src->id_form;
	memcpy(dst->path, src->path, sizeof dst->path);
}

static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int state_answers_equal(const struct flow_answers *a, const struct flow_answers *b)
{
	struct flow_answers *x = (struct flow_answers *)a, *y = (struct flow_answers *)b;

	for (size_t i = 0; i < N_STR_FIELDS; i++)
		if (!str_eq(*str_at(x, i), *str_at(y, i)))
			return 0;
	if (a->n_services != b->n_services || a->id_form != b->id_form ||
	    memcmp(a->path, b->path, sizeof a->path) != 0)
		return 0;
	for (size_t i = 0; i < a->n_services; i++)
		if (!str_eq(a->services[i], b->services[i]))
			return 0;
	return 1;
}

void state_free(struct state *st)
{
	state_answers_clear(&st->answers);
	for (size_t i = 0; i < st->n_journal; i++) {
		free(st->journal[i].op);
		free(st->journal[i].id);
		free(st->journal[i].started_at);
		free(st->journal[i].state);
	}
	free(st->journal);
	for (size_t i = 0; i < st->n_created; i++)
		free(st->created[i]);
	free(st->created);
	free(st->last_seen);
	free(st->last_forbidden);
	memset(st, 0, sizeof *st);
}

/* UTC now, ISO 8601 (`compact` for file names: 20260101T000000Z). */
static void iso_now(char *out, size_t n, int compact)
{
	time_t t = time(NULL);
	struct tm tm;
	size_t rc;

	gmtime_r(&t, &tm);
	rc = compact ? strftime(out, n, "%Y%m%dT%H%M%SZ", &tm)
	             : strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (rc == 0 && n)
		out[0] = '\0';
}

void state_note_forbidden(struct state *st, const char *msg)
{
	char when[32];

	free(st->last_forbidden);
	st->last_forbidden = NULL;
	if (!msg)
		return;
	iso_now(when, sizeof when, 0);
	st->last_forbidden = xasprintf("%s: %s", when, msg);
}

/* ---- journal and created ids ---- */

void state_journal_start(struct state *st, const char *op, const char *id)
{
	char when[32];
	struct state_op *o;

	for (size_t i = 0; i < st->n_journal; i++) {
		o = &st->journal[i];
		if (strcmp(o->op, op) == 0 && strcasecmp(o->id, id) == 0) {
			free(o->state);
			o->state = xstrdup("started");
			return;
		}
	}
	iso_now(when, sizeof when, 0);
	st->journal = xrealloc(st->journal, (st->n_journal + 1) * sizeof *st->journal);
	o = &st->journal[st->n_journal++];
	o->op = xstrdup(op);
	o->id = xstrdup(id);
	o->started_at = xstrdup(when);
	o->state = xstrdup("started");
}

void state_journal_done(struct state *st, const char *op, const char *id)
{
	for (size_t i = 0; i < st->n_journal; i++) {
		struct state_op *o = &st->journal[i];
		if (strcmp(o->op, op) == 0 && strcasecmp(o->id, id) == 0) {
			free(o->state);
			o->state = xstrdup("done");
		}
	}
}

const struct state_op *state_journal_pending(const struct state *st, const char *op)
{
	for (size_t i = st->n_journal; i-- > 0;)
		if (strcmp(st->journal[i].op, op) == 0 &&
		    strcmp(st->journal[i].state, "started") == 0)
			return &st->journal[i];
	return NULL;
}

void state_journal_forget(struct state *st, const char *id)
{
	size_t j = 0;

	for (size_t i = 0; i < st->n_journal; i++) {
		struct state_op *o = &st->journal[i];
		if (strcasecmp(o->id, id) == 0) {
			free(o->op);
			free(o->id);
			free(o->started_at);
			free(o->state);
			continue;
		}
		st->journal[j++] = *o;
	}
	st->n_journal = j;
}

int state_created_has(const struct state *st, const char *id)
{
	for (size_t i = 0; id && i < st->n_created; i++)
		if (strcasecmp(st->created[i], id) == 0)
			return 1;
	return 0;
}

void state_created_add(struct state *st, const char *id)
{
	if (state_created_has(st, id))
		return;
	st->created = xrealloc(st->created, (st->n_created + 1) * sizeof *st->created);
	st->created[st->n_created++] = xstrdup(id);
}

void state_created_remove(struct state *st, const char *id)
{
	size_t j = 0;

	for (size_t i = 0; i < st->n_created; i++) {
		if (strcasecmp(st->created[i], id) == 0)
			free(st->created[i]);
		else
			st->created[j++] = st->created[i];
	}
	st->n_created = j;
}

/* ---- JSON ---- */

char *state_to_json(const struct state *st)
{
	cJSON *root = cJSON_CreateObject(), *ans, *arr, *paths;
	struct flow_answers *a = (struct flow_answers *)&st->answers;
	char *text;

	cJSON_AddNumberToObject(root, "version", 1);
	ans = cJSON_AddObjectToObject(root, "answers");
	for (size_t i = 0; i < N_STR_FIELDS; i++)
		if (*str_at(a, i))
			cJSON_AddStringToObject(ans, str_fields[i].key, *str_at(a, i));
	arr = cJSON_AddArrayToObject(ans, "services");
	for (size_t i = 0; i < a->n_services; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(a->services[i]));
	cJSON_AddStringToObject(ans, "idForm", state_id_form_name(a->id_form));
	paths = cJSON_AddObjectToObject(ans, "paths");
	for (int s = 1; s <= 5; s++) {
		char k[4];
		snprintf(k, sizeof k, "%d", s);
		cJSON_AddStringToObject(paths, k, state_path_name(a->path[s]));
	}
	arr = cJSON_AddArrayToObject(root, "journal");
	for (size_t i = 0; i < st->n_journal; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "op", st->journal[i].op);
		cJSON_AddStringToObject(o, "id", st->journal[i].id);
		cJSON_AddStringToObject(o, "startedAt", st->journal[i].started_at);
		cJSON_AddStringToObject(o, "state", st->journal[i].state);
		cJSON_AddItemToArray(arr, o);
	}
	arr = cJSON_AddArrayToObject(root, "created");
	for (size_t i = 0; i < st->n_created; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(st->created[i]));
	if (st->last_seen) {
		cJSON *ls = cJSON_Parse(st->last_seen);
		if (ls && cJSON_IsObject(ls))
			cJSON_AddItemToObject(root, "lastSeen", ls);
		else
			cJSON_Delete(ls);
	}
	if (st->last_forbidden)
		cJSON_AddStringToObject(root, "lastForbidden", st->last_forbidden);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		abort();
	return text;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int load_answers(const cJSON *ans, struct flow_answers *a, struct err *e)
{
	const cJSON *v;
	const char *s;

	if (!ans)
		return 0;
	if (!cJSON_IsObject(ans))
		return err_set(e, ERR_PARSE, _("\"answers\" is not an object"));
	for (size_t i = 0; i < N_STR_FIELDS; i++)
		if ((s = jstr(ans, str_fields[i].key)) && *s)
			*str_at(a, i) = xstrdup(s);
	v = cJSON_GetObjectItemCaseSensitive(ans, "services");
	if (cJSON_IsArray(v)) {
		const cJSON *it;
		a->services = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(char *));
		cJSON_ArrayForEach (it, v)
			if (cJSON_IsString(it) && *it->valuestring)
				a->services[a->n_services++] = xstrdup(it->valuestring);
	}
	s = jstr(ans, "idForm");
	a->id_form = s && strcmp(s, "resource-id") == 0 ? FLOW_ID_RESOURCE_ID : FLOW_ID_GUID;
	v = cJSON_GetObjectItemCaseSensitive(ans, "paths");
	for (int st = 1; st <= 5 && cJSON_IsObject(v); st++) {
		char k[4];
		snprintf(k, sizeof k, "%d", st);
		s = jstr(v, k);
		for (int p = 0; s && p < 3; p++)
			if (strcmp(s, path_names[p]) == 0)
				a->path[st] = (enum flow_path)p;
	}
	return 0;
}

static void load_journal(const cJSON *arr, struct state *st)
{
	const cJSON *it;

	if (!cJSON_IsArray(arr))
		return;
	cJSON_ArrayForEach (it, arr) {
		const char *op = jstr(it, "op"), *id = jstr(it, "id"), *state = jstr(it, "state");
		const char *at = jstr(it, "startedAt");
		struct state_op *o;
		if (!op || !id)
			continue;
		st->journal = xrealloc(st->journal, (st->n_journal + 1) * sizeof *st->journal);
		o = &st->journal[st->n_journal++];
		o->op = xstrdup(op);
		o->id = xstrdup(id);
		o->started_at = xstrdup(at ? at : "");
		o->state = xstrdup(state && strcmp(state, "done") == 0 ? "done" : "started");
	}
}

int state_from_json(const char *text, struct state *st, struct err *e)
{
	cJSON *root = cJSON_Parse(text);
	const cJSON *v, *it;

	memset(st, 0, sizeof *st);
	if (!root || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return err_set(e, ERR_PARSE, _("the profile is not a JSON object"));
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (v && (!cJSON_IsNumber(v) || v->valueint != 1)) {
		cJSON_Delete(root);
		return err_set(e, ERR_PARSE, _("unsupported profile version"));
	}
	if (load_answers(cJSON_GetObjectItemCaseSensitive(root, "answers"), &st->answers, e) < 0) {
		cJSON_Delete(root);
		state_free(st);
		return -1;
	}
	load_journal(cJSON_GetObjectItemCaseSensitive(root, "journal"), st);
	v = cJSON_GetObjectItemCaseSensitive(root, "created");
	if (cJSON_IsArray(v))
		cJSON_ArrayForEach (it, v)
			if (cJSON_IsString(it))
				state_created_add(st, it->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "lastSeen");
	if (cJSON_IsObject(v))
		st->last_seen = cJSON_PrintUnformatted(v);
	if (jstr(root, "lastForbidden"))
		st->last_forbidden = xstrdup(jstr(root, "lastForbidden"));
	cJSON_Delete(root);
	return 0;
}

/* ---- files ---- */

static int move_aside(const char *path, const char *why, struct err *e)
{
	char stamp[32];
	char *to;
	int rc;

	iso_now(stamp, sizeof stamp, 1);
	to = xasprintf("%s.corrupt-%s", path, stamp);
	rc = rename(path, to);
	if (rc < 0) {
		err_set(e, ERR_IO, _("cannot move the damaged profile %s aside: %s"), path,
		        strerror(errno));
		free(to);
		return -1;
	}
	err_set(e, ERR_PARSE, _("the profile %s was damaged (%s); it was moved to %s"), path, why,
	        to);
	err_hint(e,
	         _("chlink starts from an empty profile; the old file is kept for you to inspect"));
	free(to);
	return 1;
}

int state_load(const char *dir, const char *profile, struct state *st, struct err *e)
{
	char *path, *text = NULL;
	size_t len;
	struct err pe;
	int rc;

	memset(st, 0, sizeof *st);
	if (!state_valid_profile(profile))
		return err_set(e, ERR_USAGE, _("invalid profile name \"%s\""),
		               profile ? profile : "");
	path = state_path(dir, profile);
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	if (fs_read_all(path, STATE_MAX_BYTES, &text, &len, e) < 0) {
		free(path);
		return -1;
	}
	err_clear(&pe);
	if (strlen(text) != len || state_from_json(text, st, &pe) < 0)
		rc = move_aside(path, pe.msg[0] ? pe.msg : _("not text"), e);
	else
		rc = 0;
	free(text);
	free(path);
	return rc;
}

int state_save(const char *dir, const char *profile, const struct state *st, struct err *e)
{
	char *d = dir ? xstrdup(dir) : fs_state_dir();
	char *path, *text;
	int rc;

	if (!state_valid_profile(profile)) {
		free(d);
		return err_set(e, ERR_USAGE, _("invalid profile name \"%s\""),
		               profile ? profile : "");
	}
	if (fs_mkdir_p(d, 0700, e) < 0) {
		free(d);
		return -1;
	}
	path = xasprintf("%s/%s.json", d, profile);
	text = state_to_json(st);
	rc = fs_write_atomic(path, text, strlen(text), 0600, e);
	free(text);
	free(path);
	free(d);
	return rc;
}
