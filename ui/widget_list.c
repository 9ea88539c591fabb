/* widget_list: focus and scrolling of a list of rows; the screen draws the rows and owns the data.
 */
#include "config.h"
#include "widget.h"

int w_list_key(struct w_list *l, struct ui_key k, int page)
{
	if (l->n <= 0)
		return 0;
	if (page < 1)
		page = 1;
	if (k.fn == 0 && k.ch == ' ')
		return W_LIST_TOGGLE;
	switch (k.fn) {
	case KEY_UP:
		l->cur--;
		break;
	case KEY_DOWN:
		l->cur++;
		break;
	case KEY_PPAGE:
		l->cur -= page;
		break;
	case KEY_NPAGE:
		l->cur += page;
		break;
	case KEY_HOME:
		l->cur = 0;
		break;
	case KEY_END:
		l->cur = l->n - 1;
		break;
	default:
		return 0;
	}
	if (l->cur < 0)
		l->cur = 0;
	if (l->cur >= l->n)
		l->cur = l->n - 1;
	return W_LIST_MOVED; /* a move at the edge is still handled */
}

void w_list_scroll(struct w_list *l, int rows)
{
	if (rows < 1)
		rows = 1;
	if (l->cur < 0)
		l->cur = 0;
	if (l->n > 0 && l->cur >= l->n)
		l->cur = l->n - 1;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + rows)
		l->top = l->cur - rows + 1;
	if (l->top > l->n - rows)
		l->top = l->n - rows;
	if (l->top < 0)
		l->top = 0;
}
