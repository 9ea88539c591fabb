/* widget_help: wrapping by display width (Japanese breaks between characters) and the help overlay.
 */
#include "config.h"
#include <string.h>
#include "i18n.h"
#include "textwidth.h"
#include "widget.h"

int w_wrap(const char *text, int cols, void (*fn)(void *ud, int row, const char *s, size_t n),
           void *ud)
{
	const char *p = text;
	int row = 0;

	if (text == NULL || cols < 1)
		return 0;
	while (*p != '\0') {
		const char *next;
		size_t n = tw_wrap_line(p, cols, &next);
		if (n == 0 && next == p) /* defensive: always make progress */
			next = p + 1;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (fn != NULL)
			fn(ud, row, p, n);
		row++;
		/* a "\n\n" paragraph break leaves one empty line */
		p = next;
	}
	return row;
}

struct para {
	const struct term *t;
	int y, x, cols, rows, skip;
	attr_t attr;
};

static void para_line(void *ud, int row, const char *s, size_t n)
{
	struct para *p = ud;
	char buf[1024];

	if (row < p->skip || row - p->skip >= p->rows)
		return;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	w_text(p->t, p->y + row - p->skip, p->x, p->cols, p->attr, buf);
}

int w_para(const struct term *t, int y, int x, int cols, int rows, int skip, attr_t attr,
           const char *text)
{
	struct para p = {t, y, x, cols, rows, skip, attr};

	return w_wrap(text, cols, para_line, &p);
}

void w_help_draw(const struct term *t, const char *title, const char *text, int *scroll)
{
	int h = LINES - 2, w = COLS - 4, y = 1, x = 2, need, rows = LINES - 7;
	const char *foot = _("Esc or ? closes this help; Up and Down scroll.");

	if (w > 96) {
		x += (w - 96) / 2;
		w = 96;
	}
	for (int r = 1; r < LINES - 1; r++)
		w_blank(r, 0, COLS, A_NORMAL);
	w_frame(t, y, x, h, w);
	w_text(t, y, x + 2, w - 4, term_attr(t, TR_ACCENT), title);
	need = w_wrap(text, w - 4, NULL, NULL);
	if (*scroll > need - rows)
		*scroll = need - rows;
	if (*scroll < 0)
		*scroll = 0;
	w_para(t, y + 2, x + 2, w - 4, rows, *scroll, A_NORMAL, text);
	if (need > rows + *scroll)
		w_text(t, y + h - 3, x + w - 5, 3, term_attr(t, TR_DIM),
		       term_glyph(t, TG_ELLIPSIS));
	w_text(t, y + h - 2, x + 2, w - 4, term_attr(t, TR_DIM), foot);
}
