/*
 * widget: the small pieces every screen is built from. Each widget keeps its
 * state in a plain struct owned by the screen's model, so a resize or a
 * screen change never loses what was typed; drawing is a pure function of
 * that state and the rectangle it is given.
 */
#ifndef CHLINK_UI_WIDGET_H
#define CHLINK_UI_WIDGET_H

#include <stddef.h>
#include <wchar.h>
#include "term.h"

/* A key: `fn` is a curses KEY_* code (0 for a character), `ch` the character. */
struct ui_key {
	int fn;
	wint_t ch;
};

/* ---- text input (widget_input.c) ---- */
struct w_input {
	char *buf; /* UTF-8, NUL-terminated; sodium_malloc'd when secret */
	size_t cap;
	size_t len;
	size_t cur; /* byte offset of the cursor, always on a character boundary */
	int secret; /* shown as • and kept in guarded memory */
};

void w_input_init(struct w_input *in, size_t cap, int secret);
void w_input_free(struct w_input *in);
void w_input_set(struct w_input *in, const char *s);
void w_input_clear(struct w_input *in);
/* Editing keys (characters, Backspace, Delete, Left, Right, Home, End, Ctrl-U); 1 if used. */
int w_input_key(struct w_input *in, struct ui_key k);
/* Draw into `cols` cells at (y, x); returns the screen column of the cursor. */
int w_input_draw(const struct w_input *in, const struct term *t, int y, int x, int cols,
                 int focused);

/* ---- list / multi-select (widget_list.c) ---- */
struct w_list {
	int n;   /* rows */
	int cur; /* the focused row */
	int top; /* first visible row */
};

enum { W_LIST_MOVED = 1, W_LIST_TOGGLE = 2 };
/* Up, Down, PgUp, PgDn, Home, End move; Space asks to toggle: returns W_LIST_* or 0. */
int w_list_key(struct w_list *l, struct ui_key k, int page);
/* Keep the focused row inside a window of `rows` rows. */
void w_list_scroll(struct w_list *l, int rows);

/* ---- wrapping (widget_help.c) ---- */
/* Split `text` into lines of at most `cols` cells: calls fn for each line (bytes). Returns the
 * count. */
int w_wrap(const char *text, int cols, void (*fn)(void *ud, int row, const char *s, size_t n),
           void *ud);
/* Draw wrapped text in a rectangle, skipping `skip` lines; returns the number of lines it needs. */
int w_para(const struct term *t, int y, int x, int cols, int rows, int skip, attr_t attr,
           const char *text);
/*
 * The help overlay: a framed box over the screen with the title, the text and the keys.
 * *scroll is kept within the text (a resize may shorten it).
 */
void w_help_draw(const struct term *t, const char *title, const char *text, int *scroll);

/* ---- confirm dialog (widget_confirm.c) ---- */
void w_confirm_draw(const struct term *t, const char *question);
/* y/Y -> 1, n/N/Esc/Enter -> 0 (No is the default), other keys -> -1. */
int w_confirm_key(struct ui_key k);

/* ---- drawing helpers (widget_text.c) ---- */
/* Text fitted to `cols` cells (cut with … on a character boundary); returns the width drawn. */
int w_text(const struct term *t, int y, int x, int cols, attr_t attr, const char *s);
/* Fill `cols` cells with spaces in `attr`. */
void w_blank(int y, int x, int cols, attr_t attr);
/* A frame of box lines (ACS, which falls back to ASCII by itself). */
void w_frame(const struct term *t, int y, int x, int h, int w);

#endif
