/*
 * term: the one place that owns the terminal (htop's CRT): curses set-up and
 * teardown, colours and NO_COLOR, UTF-8 glyphs with ASCII fallbacks, the
 * signals, stderr while curses runs, and the headless screen for tests.
 */
#ifndef CHLINK_UI_TERM_H
#define CHLINK_UI_TERM_H

#include <curses.h>
#include <stdio.h>
#include "err.h"

/* What a piece of text means; the terminal decides how it looks (colour or attribute). */
enum term_role {
	TR_NORMAL,
	TR_TITLE,  /* title bar */
	TR_DIM,    /* secondary text, disabled rows */
	TR_OK,     /* done, Approved */
	TR_WARN,   /* Pending, notes */
	TR_BAD,    /* failed, Rejected, errors */
	TR_ACCENT, /* headings, the current stage */
	TR_FOCUS,  /* the focused field or row */
	TR_BADGE,  /* the DEMO badge */
	TR_NROLES
};

enum term_glyph {
	TG_CHECK,
	TG_CROSS,
	TG_ELLIPSIS,
	TG_BULLET,
	TG_DOT,
	TG_ARROW,
	TG_SEP,
	TG_MIDDOT,
	TG_NGLYPHS
};

struct term {
	int headless; /* newterm over /dev/null, keys from a script */
	int color;    /* 0 under NO_COLOR or without colours */
	int utf8;     /* the locale's codeset is UTF-8 */
	SCREEN *scr;
	FILE *out, *in; /* headless only */
	FILE *errlog;   /* stderr while curses is active (interactive only) */
	int saved_stderr;
};

/* Start curses. Refuses TERM=dumb (and a non-terminal) with a hint. */
int term_init(struct term *t, int headless, struct err *e);
/* Restore the terminal and dump what was written to stderr meanwhile. Safe to call twice. */
void term_done(struct term *t);

attr_t term_attr(const struct term *t, enum term_role r);
const char *term_glyph(const struct term *t, enum term_glyph g);

/* SIGINT/SIGTERM arrived: the loop should save and leave. */
int term_stop_requested(void);

/* Headless: change the screen size as a terminal resize would. */
void term_resize(struct term *t, int cols, int rows);

#endif
