/*
 * http_limit: the client-side rate limiter (a sliding window per key), kept
 * in STATE/ratelimit.json so back-to-back runs share it. The file stores a
 * short hash of each key, never the key itself.
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
	uint64_t *ts; /* wall-clock ms, ascending */
	size_t n, cap;
};

struct hlim {
	char *path; /* NULL = memory only */
	int n;
	uint64_t window_ms;
	struct bucket *b;
	size_t nb, capb;
};

static uint64_t wall_ms(void)
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
	for (size_t i = 0; i < l->nb; i++)
		free(l->b[i].ts);
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
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < b->n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)b->ts[i]));
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

unsigned hlim_take(struct hlim *l, const char *key)
{
	char hash[17];
	struct bucket *b;
	uint64_t now = wall_ms();
	cJSON *root = NULL;
	unsigned wait = 0;

	key_hash(key, hash);
	b = bucket_for(l, hash);
	if (l->path) {
		root = load_file(l);
		merge_from(b, root);
	}
	bucket_prune(b, now, l->window_ms);
	if (b->n >= (size_t)l->n) {
		uint64_t free_at = b->ts[b->n - (size_t)l->n] + l->window_ms + HLIM_MARGIN_MS;
		wait = free_at > now ? (unsigned)(free_at - now) : 1;
	} else {
		bucket_add(b, now);
		if (root)
			save_to(l, b, root);
	}
	cJSON_Delete(root);
	return wait;
}
