/* http_log: the debug log line and URL redaction (no userinfo, no secret-like query values). */
#include "config.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "http.h"
#include "http_int.h"
#include "xmalloc.h"

/* Query parameter names whose values are never shown. */
static const char *const secret_words[] = {"secret", "token", "signature", "password",
                                           "passwd", "key",   "auth",      "credential"};

static int secret_name(const char *name, size_t n)
{
	char low[64];
	if (n >= sizeof(low))
		return 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[n] = '\0';
	if (strcmp(low, "sig") == 0 || strcmp(low, "code") == 0)
		return 1;
	for (size_t i = 0; i < sizeof(secret_words) / sizeof(secret_words[0]); i++)
		if (strstr(low, secret_words[i]))
			return 1;
	return 0;
}

static void append(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
	*out = xreallocarray_grow(*out, cap, *len + n + 1, 1);
	memcpy(*out + *len, s, n);
	*len += n;
	(*out)[*len] = '\0';
}

/* The query: each name kept, secret-like values replaced. */
static void redact_query(const char *q, char **out, size_t *len, size_t *cap)
{
	while (*q) {
		size_t seg = strcspn(q, "&#");
		const char *eq = memchr(q, '=', seg);
		size_t name = eq ? (size_t)(eq - q) : seg;
		if (eq && secret_name(q, name)) {
			append(out, len, cap, q, name + 1);
			append(out, len, cap, "REDACTED", 8);
		} else {
			append(out, len, cap, q, seg);
		}
		q += seg;
		if (*q == '#')
			return; /* fragments never reach a server; drop them */
		if (*q == '&')
			append(out, len, cap, q++, 1);
	}
}

char *http_redact_url(const char *url)
{
	char *out = NULL;
	size_t len = 0, cap = 0;
	const char *p = strstr(url ? url : "", "://"), *auth, *end, *at, *q;
	if (!url)
		return xstrdup("");
	auth = p ? p + 3 : url;
	append(&out, &len, &cap, url, (size_t)(auth - url));
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	if (at) {
		/* userinfo: dropped entirely, even the user name */
		auth = at + 1;
	}
	q = strchr(end, '?');
	if (!q) {
		append(&out, &len, &cap, auth, strcspn(auth, "#"));
		return out;
	}
	append(&out, &len, &cap, auth, (size_t)(q + 1 - auth));
	redact_query(q + 1, &out, &len, &cap);
	return out;
}

void http_log_attempt(FILE *log, const char *method, const char *url, long status, unsigned time_ms,
                      int attempt, const char *error)
{
	char *safe;
	if (!log)
		return;
	safe = http_redact_url(url);
	fprintf(log, "%s %s %03ld %ums attempt=%d%s%s\n", method, safe, status, time_ms, attempt,
	        error ? " error=" : "", error ? error : "");
	fflush(log);
	free(safe);
}
