/* widget_text: fitted text, blanks and frames — the only places that put characters on the screen.
 */
#include "config.h"
#include <string.h>
#include "textwidth.h"
#include "widget.h"

int w_text(const struct term *t, int y, int x, int cols, attr_t attr, const char *s)
{
	char buf[1024];
	int w;

	if (cols <= 0 || s == NULL)
		return 0;
	w = tw_fit(s, cols, !t->utf8, buf, sizeof buf);
	attron(attr);
	mvaddstr(y, x, buf);
	attroff(attr);
	return w;
}

void w_blank(int y, int x, int cols, attr_t attr)
{
	if (cols <= 0)
		return;
	attron(attr);
	mvhline(y, x, ' ', cols);
	attroff(attr);
}

/* Box lines as plain characters, so screen dumps read them back as text (ACS would read as "q"). */
void w_frame(const struct term *t, int y, int x, int h, int w)
{
	const char *hl = t->utf8 ? "─" : "-", *vl = t->utf8 ? "│" : "|";
	const char *c[4] = {"┌", "┐", "└", "┘"};

	if (h < 2 || w < 2)
		return;
	if (!t->utf8)
		c[0] = c[1] = c[2] = c[3] = "+";
	for (int r = y; r < y + h; r++)
		w_blank(r, x, w, A_NORMAL);
	for (int i = 1; i < w - 1; i++) {
		mvaddstr(y, x + i, hl);
		mvaddstr(y + h - 1, x + i, hl);
	}
	for (int r = y + 1; r < y + h - 1; r++) {
		mvaddstr(r, x, vl);
		mvaddstr(r, x + w - 1, vl);
	}
	mvaddstr(y, x, c[0]);
	mvaddstr(y, x + w - 1, c[1]);
	mvaddstr(y + h - 1, x, c[2]);
	mvaddstr(y + h - 1, x + w - 1, c[3]);
}
