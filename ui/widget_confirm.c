/* widget_confirm: the dialog every create or delete goes through; No is the default answer. */
#include "config.h"
#include "i18n.h"
#include "textwidth.h"
#include "widget.h"

void w_confirm_draw(const struct term *t, const char *question)
{
	int w = COLS - 8, lines, h, y, x;
	const char *keys = _("y  yes, do it        n or Esc  no (the default)");

	if (w > 72)
		w = 72;
	lines = w_wrap(question, w - 4, NULL, NULL);
	h = lines + 5;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	for (int r = y - 1; r <= y + h; r++) /* whole rows: no stray half-words beside the box */
		if (r >= 0 && r < LINES)
			w_blank(r, 0, COLS, A_NORMAL);
	w_frame(t, y, x, h, w);
	w_text(t, y, x + 2, w - 4, term_attr(t, TR_ACCENT), _(" Confirm "));
	w_para(t, y + 2, x + 2, w - 4, lines, 0, term_attr(t, TR_WARN), question);
	w_text(t, y + h - 2, x + 2, w - 4, term_attr(t, TR_DIM), keys);
}

int w_confirm_key(struct ui_key k)
{
	if (k.fn == 0 && (k.ch == 'y' || k.ch == 'Y'))
		return 1;
	if (k.fn == 0 && (k.ch == 'n' || k.ch == 'N' || k.ch == 27 || k.ch == '\r' || k.ch == '\n'))
		return 0;
	if (k.fn == KEY_ENTER)
		return 0;
	return -1;
}
