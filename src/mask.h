/* mask: show a secret as "••••••••abcd": never more than its last 4 characters. */
#ifndef CHLINK_MASK_H
#define CHLINK_MASK_H

#include <stddef.h>

/*
 * Write the masked form of `s` into `out`: 8 mask characters, then the last
 * 4 characters of `s` when `s` has at least MASK_MIN_SHOWN characters (a
 * shorter secret is masked fully; the mask length never tells the length).
 * "" gives "". `utf8` picks "•" over the ASCII "*". Returns 0, or -1 when
 * `out` is too small (then `out` is "" when outsz > 0).
 */
#define MASK_MIN_SHOWN 12
int mask_secret_as(const char *s, int utf8, char *out, size_t outsz);
/* The same with "•" when the locale's character set is UTF-8. */
int mask_secret(const char *s, char *out, size_t outsz);

#endif
