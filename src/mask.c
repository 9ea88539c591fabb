/* mask: masked display of secrets (last 4 characters only). */
#include "config.h"
#include <langinfo.h>
#include <string.h>
#include "mask.h"

#define MASK_LEN  8
#define MASK_TAIL 4

static size_t count_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Byte offset where the last `k` characters of `s` start. */
static size_t tail_start(const char *s, size_t k)
{
	size_t i = strlen(s);

	while (i > 0 && k > 0) {
		i--;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k--;
	}
	return i;
}

int mask_secret_as(const char *s, int utf8, char *out, size_t outsz)
{
	const char *dot = utf8 ? "\xe2\x80\xa2" : "*";
	size_t dl = strlen(dot), need, pos = 0, tail = 0;
	const char *t = "";

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (s == NULL || *s == '\0')
		return 0;
	if (count_chars(s) >= MASK_MIN_SHOWN) {
		t = s + tail_start(s, MASK_TAIL);
		tail = strlen(t);
	}
	need = MASK_LEN * dl + tail + 1;
	if (need > outsz)
		return -1;
	for (int i = 0; i < MASK_LEN; i++, pos += dl)
		memcpy(out + pos, dot, dl);
	memcpy(out + pos, t, tail);
	out[pos + tail] = '\0';
	return 0;
}

int mask_secret(const char *s, char *out, size_t outsz)
{
	const char *cs = nl_langinfo(CODESET);
	int utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);

	return mask_secret_as(s, utf8, out, outsz);
}
