/*
 * http_limit: the client-side rate limiter (a sliding window per key), kept
 * in STATE/ratelimit.json so back-to-back runs share it. The file stores a
 * short hash of each key, never the key itself.
 *
 * A request holds its slot while in flight and counts from its answer: the
 * server saw it at some moment between send and answer, so counting from
 * the answer never frees a slot before the server's window does, however
 * long the request waited for a connection. (Stamping at send time let an
 * eleventh request reach the server inside the window of a first one that
 * had been held up on its way.)
 */
#include "config.h"
#include <cJSON.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fsutil.h"
#include "http_int.h"
#include "xmalloc.h"

#define HLIM_FILE_MAX  (256 * 1024)
#define HLIM_MARGIN_MS 50

struct bucket {
	char hash[17];
	uint64_t *ts; /* answered (or other processes'): wall-clock ms, ascending */
	size_t n, cap;
	uint64_t *fly; /* this process's requests in flight: their send stamps */
	size_t nf, capf;
};

struct hlim {
	char *path; /* NULL = memory only */
	int n;
	uint64_t window_ms;
	struct bucket *b;
	size_t nb, capb;
};

uint64_t hlim_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct hlim *hlim_new(const char *state_dir, int n, int window_s)
{
	struct hlim *l = xcalloc(1, sizeof(*l));
	l->n = n > 0 ? n : 10;
	l->window_ms = (uint64_t)(window_s > 0 ? window_s : 10) * 1000u;
	if (state_dir)
		l->path = xasprintf("%s/ratelimit.json", state_dir);
	return l;
}

void hlim_free(struct hlim *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nb; i++) {
		free(l->b[i].ts);
		free(l->b[i].fly);
	}
	free(l->b);
	free(l->path);
	free(l);
}

static void key_hash(const char *key, char out[17])
{
	unsigned char h[8];
	crypto_generichash(h, sizeof(h), (const unsigned char *)key, strlen(key),
	                   (const unsigned char *)"chlink-ratelimit", 16);
	sodium_bin2hex(out, 17, h, sizeof(h));
}

static struct bucket *bucket_for(struct hlim *l, const char *hash)
{
	struct bucket *b;
	for (size_t i = 0; i < l->nb; i++)
		if (strcmp(l->b[i].hash, hash) == 0)
			return &l->b[i];
	l->b = xreallocarray_grow(l->b, &l->capb, l->nb + 1, sizeof(*l->b));
	b = &l->b[l->nb++];
	memset(b, 0, sizeof(*b));
	memcpy(b->hash, hash, 17);
	return b;
}

static size_t bucket_count(const struct bucket *b, uint64_t t)
{
	size_t c = 0;
	for (size_t i = 0; i < b->n; i++)
		c += b->ts[i] == t;
	for (size_t i = 0; i < b->nf; i++)
		c += b->fly[i] == t;
	return c;
}

/* Insert keeping order (several requests may share one millisecond). */
static void bucket_add(struct bucket *b, uint64_t t)
{
	size_t i = b->n;
	while (i > 0 && b->ts[i - 1] > t)
		i--;
	b->ts = xreallocarray_grow(b->ts, &b->cap, b->n + 1, sizeof(*b->ts));
	if (i < b->n)
		memmove(b->ts + i + 1, b->ts + i, (b->n - i) * sizeof(*b->ts));
	b->ts[i] = t;
	b->n++;
}

static void bucket_prune(struct bucket *b, uint64_t now, uint64_t window)
{
	size_t k = 0;
	while (k < b->n && b->ts[k] + window <= now)
		k++;
	if (k == 0)
		return;
	memmove(b->ts, b->ts + k, (b->n - k) * sizeof(*b->ts));
	b->n -= k;
}

static cJSON *load_file(const struct hlim *l)
{
	char *data = NULL;
	size_t len = 0;
	cJSON *j = NULL;
	struct err e;
	if (l->path && fs_read_all(l->path, HLIM_FILE_MAX, &data, &len, &e) == 0)
		j = cJSON_ParseWithLength(data, len);
	free(data);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		j = cJSON_CreateObject();
	}
	return j;
}

/*
 * Merge the file's stamps for this bucket (other processes' requests): a
 * stamp seen k times in the file and j < k times here is added k - j times,
 * so our own stamps read back are not counted twice.
 */
static void merge_from(struct bucket *b, const cJSON *root)
{
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(root, "keys");
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(keys, b->hash), *it, *jt;
	cJSON_ArrayForEach (it, arr) {
		uint64_t t;
		size_t in_file = 0;
		if (!cJSON_IsNumber(it) || !(it->valuedouble > 0) || it->valuedouble > 1e15)
			continue;
		t = (uint64_t)it->valuedouble;
		cJSON_ArrayForEach (jt, arr)
			in_file += cJSON_IsNumber(jt) && jt->valuedouble == it->valuedouble;
		if (bucket_count(b, t) < in_file)
			bucket_add(b, t);
	}
}

static void save_to(const struct hlim *l, const struct bucket *b, cJSON *root)
{
	cJSON *keys = cJSON_GetObjectItemCaseSensitive(root, "keys"), *arr;
	char *text, *dir;
	struct err e;
	if (!cJSON_IsObject(keys)) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "keys");
		keys = cJSON_AddObjectToObject(root, "keys");
	}
	cJSON_DeleteItemFromObjectCaseSensitive(root, "version");
	cJSON_AddNumberToObject(root, "version", 1);
	/* Requests in flight are written with their send stamps: another process counts them
	 * from then (a process killed mid-request leaves no stamp from the future). */
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < b->n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)b->ts[i]));
	for (size_t i = 0; i < b->nf; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)b->fly[i]));
	cJSON_DeleteItemFromObjectCaseSensitive(keys, b->hash);
	cJSON_AddItemToObject(keys, b->hash, arr);
	text = cJSON_PrintUnformatted(root);
	dir = xstrdup(l->path);
	*strrchr(dir, '/') = '\0';
	/* Best effort: a read-only state directory only loses the cross-run memory. */
	if (text && fs_mkdir_p(dir, 0700, &e) == 0)
		(void)fs_write_atomic(l->path, text, strlen(text), 0600, &e);
	free(dir);
	free(text);
}

/* The bucket with the file's stamps merged in (root: the file, to save back; NULL = none). */
static struct bucket *bucket_load(struct hlim *l, const char *key, cJSON **root)
{
	char hash[17];
	struct bucket *b;

	key_hash(key, hash);
	b = bucket_for(l, hash);
	*root = NULL;
	if (l->path) {
		*root = load_file(l);
		merge_from(b, *root);
	}
	return b;
}

unsigned hlim_take(struct hlim *l, const char *key, uint64_t now, uint64_t *slot)
{
	cJSON *root;
	struct bucket *b = bucket_load(l, key, &root);
	size_t used, need;
	uint64_t free_at;
	unsigned wait = 0;

	bucket_prune(b, now, l->window_ms);
	used = b->n + b->nf;
	if (used >= (size_t)l->n) {
		/* `need` slots must free; those in flight free a window after their answer */
		need = used - (size_t)l->n + 1;
		free_at = need <= b->n ? b->ts[need - 1] + l->window_ms + HLIM_MARGIN_MS
		                       : now + l->window_ms + HLIM_MARGIN_MS;
		wait = free_at > now ? (unsigned)(free_at - now) : 1;
	} else {
		b->fly = xreallocarray_grow(b->fly, &b->capf, b->nf + 1, sizeof(*b->fly));
		b->fly[b->nf++] = now;
		*slot = now;
		if (root)
			save_to(l, b, root);
	}
	cJSON_Delete(root);
	return wait;
}

void hlim_done(struct hlim *l, const char *key, uint64_t slot, uint64_t now)
{
	cJSON *root;
	struct bucket *b = bucket_load(l, key, &root);

	for (size_t i = 0; i < b->nf; i++)
		if (b->fly[i] == slot) {
			b->fly[i] = b->fly[--b->nf];
			bucket_add(b, now > slot ? now : slot);
			break;
		}
	if (root)
		save_to(l, b, root);
	cJSON_Delete(root);
}
