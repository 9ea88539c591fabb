/* widget_input: a one-line UTF-8 text field; the cursor moves by characters, layout by cells. */
#include "config.h"
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "textwidth.h"
#include "widget.h"
#include "xmalloc.h"

void w_input_init(struct w_input *in, size_t cap, int secret)
{
	memset(in, 0, sizeof *in);
	in->cap = cap < 2 ? 2 : cap;
	in->secret = secret;
	if (secret) {
		/* guarded, locked memory: a typed secret never sits in ordinary heap */
		if (sodium_init() < 0 || (in->buf = sodium_malloc(in->cap)) == NULL)
			abort();
	} else {
		in->buf = xmalloc(in->cap);
	}
	in->buf[0] = '\0';
}

void w_input_free(struct w_input *in)
{
	if (in->buf == NULL)
		return;
	if (in->secret)
		sodium_free(in->buf);
	else
		free(in->buf);
	in->buf = NULL;
	in->len = in->cur = 0;
}

void w_input_clear(struct w_input *in)
{
	if (in->secret)
		sodium_memzero(in->buf, in->cap);
	in->buf[0] = '\0';
	in->len = in->cur = 0;
}

void w_input_set(struct w_input *in, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	w_input_clear(in);
	if (n >= in->cap)
		n = in->cap - 1;
	/* never keep half a character */
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(in->buf, s != NULL ? s : "", n);
	in->buf[n] = '\0';
	in->len = in->cur = n;
}

static size_t prev_boundary(const char *b, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)b[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_boundary(const char *b, size_t len, size_t i)
{
	if (i >= len)
		return len;
	i++;
	while (i < len && ((unsigned char)b[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static int insert_char(struct w_input *in, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (ch < 0x20 || ch == 0x7f)
		return 0;
	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || in->len + n >= in->cap)
		return 1; /* swallowed: unrepresentable or the field is full */
	memmove(in->buf + in->cur + n, in->buf + in->cur, in->len - in->cur + 1);
	memcpy(in->buf + in->cur, mb, n);
	in->len += n;
	in->cur += n;
	return 1;
}

static void delete_range(struct w_input *in, size_t from, size_t to)
{
	memmove(in->buf + from, in->buf + to, in->len - to + 1);
	in->len -= to - from;
	if (in->secret)
		sodium_memzero(in->buf + in->len + 1, in->cap - in->len - 1);
	in->cur = from;
}

int w_input_key(struct w_input *in, struct ui_key k)
{
	int fn = k.fn;

	if (fn == 0 && (k.ch == 0x7f || k.ch == 0x08))
		fn = KEY_BACKSPACE;
	if (fn == 0 && k.ch == 0x15) { /* Ctrl-U */
		w_input_clear(in);
		return 1;
	}
	switch (fn) {
	case 0:
		return insert_char(in, k.ch);
	case KEY_BACKSPACE:
		if (in->cur > 0)
			delete_range(in, prev_boundary(in->buf, in->cur), in->cur);
		return 1;
	case KEY_DC:
		if (in->cur < in->len)
			delete_range(in, in->cur, next_boundary(in->buf, in->len, in->cur));
		return 1;
	case KEY_LEFT:
		in->cur = prev_boundary(in->buf, in->cur);
		return 1;
	case KEY_RIGHT:
		in->cur = next_boundary(in->buf, in->len, in->cur);
		return 1;
	case KEY_HOME:
		in->cur = 0;
		return 1;
	case KEY_END:
		in->cur = in->len;
		return 1;
	default:
		return 0;
	}
}

/* The text as shown: the characters themselves, or one bullet per character when secret. */
static char *shown_text(const struct w_input *in, const struct term *t, size_t *cur_out)
{
	const char *bullet = term_glyph(t, TG_BULLET);
	size_t nchars = 0, before = 0, bl = strlen(bullet);
	char *s;

	if (!in->secret) {
		*cur_out = in->cur;
		return xstrdup(in->buf);
	}
	for (size_t i = 0; i < in->len; i = next_boundary(in->buf, in->len, i)) {
		if (i < in->cur)
			before++;
		nchars++;
	}
	s = xmalloc(nchars * bl + 1);
	for (size_t i = 0; i < nchars; i++)
		memcpy(s + i * bl, bullet, bl);
	s[nchars * bl] = '\0';
	*cur_out = before * bl;
	return s;
}

int w_input_draw(const struct w_input *in, const struct term *t, int y, int x, int cols,
                 int focused)
{
	attr_t a = focused ? term_attr(t, TR_FOCUS) : A_UNDERLINE;
	size_t cur, start = 0;
	char *s = shown_text(in, t, &cur);
	int cx;

	if (cols < 2)
		cols = 2;
	/* scroll so that the cursor stays visible, keeping one cell for it at the end */
	/* (an unfocused field shows its beginning) */
	while (focused && tw_width_n(s + start, cur - start) > cols - 1)
		start = next_boundary(s, strlen(s), start);
	w_blank(y, x, cols, a);
	w_text(t, y, x, cols, a, s + start);
	cx = x + tw_width_n(s + start, cur - start);
	free(s);
	return cx;
}
