/* textwidth: UTF-8 aware width, fitting and wrapping shared by CLI tables and the UI. */
#include "config.h"
#include <string.h>
#include <wchar.h>
#include "textwidth.h"

/* Decode one character; returns its byte length (>= 1) and its cell width. */
static size_t next_char(const char *s, size_t avail, wchar_t *wc, int *w)
{
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = mbrtowc(wc, s, avail, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = (unsigned char)*s;
		*w = 1;
		return 1;
	}
	*w = wcwidth(*wc);
	if (*w < 0)
		*w = 1;
	return n;
}

int tw_width_n(const char *s, size_t n)
{
	int total = 0;
	size_t i = 0;

	while (i < n && s[i] != '\0') {
		wchar_t wc;
		int w;
		i += next_char(s + i, n - i, &wc, &w);
		total += w;
	}
	return total;
}

int tw_width(const char *s)
{
	return tw_width_n(s, strlen(s));
}

int tw_fit(const char *s, int cols, int ascii, char *out, size_t outsz)
{
	const char *ell = ascii ? "~" : "\xe2\x80\xa6";
	size_t len = strlen(s), i = 0, keep = 0;
	int used = 0, keep_w = 0;

	if (outsz == 0)
		return 0;
	if (tw_width(s) <= cols && len < outsz) {
		memcpy(out, s, len + 1);
		return tw_width(s);
	}
	/* Keep characters while one cell remains for the ellipsis. */
	while (i < len) {
		wchar_t wc;
		int w;
		size_t n = next_char(s + i, len - i, &wc, &w);
		if (used + w > cols - 1 || i + n + strlen(ell) >= outsz)
			break;
		used += w;
		i += n;
		keep = i;
		keep_w = used;
	}
	memcpy(out, s, keep);
	if (cols >= 1 && keep + strlen(ell) < outsz) {
		memcpy(out + keep, ell, strlen(ell) + 1);
		return keep_w + 1;
	}
	out[keep] = '\0';
	return keep_w;
}

void tw_pad(const char *s, int cols, char *out, size_t outsz)
{
	int w = tw_fit(s, cols, 0, out, outsz);
	size_t len = strlen(out);

	while (w < cols && len + 1 < outsz) {
		out[len++] = ' ';
		w++;
	}
	out[len] = '\0';
}

/*
 * Japanese line breaking rules (kinsoku shori, JIS X 4051): a line never starts with closing
 * punctuation, an iteration mark, a small kana or the prolonged sound mark ー (each belongs to the
 * character before it), and never ends with an opening bracket.
 */
static int no_break_before(wchar_t wc)
{
	static const wchar_t closers[] = L"、。，．・：；？！‼⁇⁈⁉」』）］｝〉》】〕〗〙〟’”｠"
	                                 L"ー々〻ゝゞヽヾ…‥"
	                                 L"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
	                                 L"ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
	                                 L",.;:!?)]}";
	return wc != 0 && wcschr(closers, wc) != NULL;
}

static int no_break_after(wchar_t wc)
{
	static const wchar_t openers[] = L"「『（［｛〈《【〔〖〘〝‘“｟";
	return wc != 0 && wcschr(openers, wc) != NULL;
}

size_t tw_wrap_line(const char *s, int cols, const char **next)
{
	size_t len = strcspn(s, "\n"), i = 0, brk = 0;
	int used = 0;

	while (i < len) {
		wchar_t wc;
		int w;
		size_t n = next_char(s + i, len - i, &wc, &w);
		if (used + w > cols)
			break;
		used += w;
		i += n;
		if (wc == L' ')
			brk = i;
		else if (w == 2 && i < len) {
			wchar_t nwc;
			int nw;
			next_char(s + i, len - i, &nwc, &nw);
			if (!no_break_before(nwc) && !no_break_after(wc))
				brk = i;
		}
	}
	if (i >= len)
		brk = len; /* the rest fits */
	else if (brk == 0)
		brk = i > 0 ? i : 1; /* one word longer than the line: cut it */
	*next = s + brk;
	if (**next == '\n')
		(*next)++;
	else
		while (**next == ' ')
			(*next)++;
	while (brk > 0 && s[brk - 1] == ' ')
		brk--;
	return brk;
}
