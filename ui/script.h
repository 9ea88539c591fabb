/*
 * script: the headless mode's key script (tig's idea), read from --script FILE.
 * One item per line; blank lines and lines starting with '#' are ignored:
 *   Enter Esc Tab BTab Up Down Left Right Home End PgUp PgDn Space Backspace
 *   Delete F1 F5 F10 Ctrl-C Ctrl-U        a named key
 *   q ? r y n (any single character)      that character
 *   type TEXT                             each character of TEXT (UTF-8)
 *   wait-for TEXT                         run the loop until the screen shows TEXT (30 s deadline)
 *   resize COLS ROWS                      resize the screen as a terminal would
 *   dump NAME                             write the screen to DUMP_DIR/NAME.txt
 *   colors NAME                           write each cell's colour pair to DUMP_DIR/NAME.colors
 *                                         ('.' none, 'a'+n pair n; trailing '.' trimmed)
 *   stop                                  leave at once, as SIGINT would (state saved)
 * The script ends with an implicit quit.
 */
#ifndef CHLINK_UI_SCRIPT_H
#define CHLINK_UI_SCRIPT_H

#include "err.h"
#include "widget.h"

enum script_op { SO_KEY, SO_WAIT, SO_RESIZE, SO_DUMP, SO_COLORS, SO_STOP, SO_END };

struct script_item {
	enum script_op op;
	struct ui_key key;
	const char *text; /* wait-for / dump argument, owned by the script */
	int cols, rows;
	int line; /* in the file, for messages */
};

struct script;

struct script *script_load(const char *path, struct err *e);
void script_free(struct script *s);
/* The next item, SO_END after the last. */
const struct script_item *script_next(struct script *s);

/* The screen as text: one line per row, trailing spaces trimmed, wide characters exact. */
char *script_screen_text(void);
int script_screen_contains(const char *text);
int script_dump(const char *dir, const char *name, struct err *e);
/* The colour pair of every cell, so tests can tell that status is in colour and in words. */
int script_dump_colors(const char *dir, const char *name, struct err *e);

#endif
