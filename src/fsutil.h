/* fsutil: files that are never half-written (temp + fsync + rename), XDG paths. */
#ifndef CHLINK_FSUTIL_H
#define CHLINK_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>
#include "err.h"

/*
 * Replace `path` atomically with `len` bytes of `data`, file mode `mode`:
 * write a temp file beside it (O_EXCL|O_NOFOLLOW), fsync, rename, fsync the
 * directory. On any failure the old file is untouched and the temp removed.
 * Test hook: with CHLINK_TEST_FAIL_BEFORE_RENAME=1 in the environment it
 * fails after the temp file is written and synced, before the rename.
 */
int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode, struct err *e);

/* Read a whole file (at most `max` bytes, else an error); *out is NUL-terminated. */
int fs_read_all(const char *path, size_t max, char **out, size_t *len, struct err *e);

/* mkdir -p with `mode` for the directories it creates. */
int fs_mkdir_p(const char *path, mode_t mode, struct err *e);

/*
 * $XDG_CONFIG_HOME/chlink (default ~/.config/chlink) and
 * $XDG_STATE_HOME/chlink (default ~/.local/state/chlink); newly allocated.
 */
char *fs_config_dir(void);
char *fs_state_dir(void);

#endif
