/* az_fixture: read an official Azure example file and pull out one response body. */
#ifndef CHLINK_AZ_FIXTURE_H
#define CHLINK_AZ_FIXTURE_H

#include <cJSON.h>
#include <stdlib.h>
#include "fsutil.h"
#include "xmalloc.h"

/* responses[code].body of tests/fixtures/azure/NAME, printed (caller frees), NULL if absent. */
static inline char *az_fixture(const char *name, const char *code)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/tests/fixtures/azure/%s", top ? top : ".", name), *data = NULL;
	char *out = NULL;
	size_t len;
	struct err e;
	cJSON *j, *b;
	if (fs_read_all(path, 1 << 20, &data, &len, &e) < 0) {
		free(path);
		return NULL;
	}
	j = cJSON_ParseWithLength(data, len);
	b = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "responses"), code),
	                        "body");
	if (b)
		out = cJSON_PrintUnformatted(b);
	cJSON_Delete(j);
	free(data);
	free(path);
	return out;
}

#endif
