/* textwidth: lay text out by terminal cells (wcwidth), never by bytes. */
#ifndef CHLINK_TEXTWIDTH_H
#define CHLINK_TEXTWIDTH_H

#include <stddef.h>

/* Display width in cells of a UTF-8 string (invalid bytes count as one cell). */
int tw_width(const char *s);
/* Width of the first `n` bytes. */
int tw_width_n(const char *s, size_t n);

/*
 * Copy into `out` (size `outsz`) the longest prefix of `s` that fits in `cols`
 * cells, never splitting a character; when cut, the last cell becomes "…"
 * (or "~" when `ascii`). Returns the width written.
 */
int tw_fit(const char *s, int cols, int ascii, char *out, size_t outsz);

/*
 * Line breaking: the byte length of the next line of `s` that fits `cols`
 * cells. Breaks after a space for Latin text, and between any two wide (CJK)
 * characters; never before closing punctuation such as 、。」）, a small kana
 * (ッ, ょ) or the prolonged sound mark ー, nor after an opening bracket such as
 * 「（ (Japanese kinsoku). *next is set
 * to where the following line starts (leading spaces skipped). A '\n' in `s`
 * ends the line.
 */
size_t tw_wrap_line(const char *s, int cols, const char **next);

/* Pad `s` with spaces to exactly `cols` cells (cut with tw_fit when longer). */
void tw_pad(const char *s, int cols, char *out, size_t outsz);

#endif
