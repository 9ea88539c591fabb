/*
 * profile_lock: one chlink at a time changes a profile. An advisory lock
 * (flock) on <state dir>/<profile>.lock, taken without waiting and held for
 * the life of the command that changes the profile (apply, teardown, the
 * wizard, creds changes). The kernel drops it when the process ends, even on
 * kill -9, so a crash never leaves the profile locked. The holder writes its
 * pid and command into the file so that the one refused can name it.
 */
#ifndef CHLINK_PROFILE_LOCK_H
#define CHLINK_PROFILE_LOCK_H

#include "err.h"

struct profile_lock;

/*
 * Take the lock of `profile` in `state_dir` (NULL: fs_state_dir()), creating
 * the directory (0700) and the file (0600) as needed. `command` is what this
 * process is ("apply", "teardown", "wizard", "creds set", ...), recorded for
 * the others. A holder that only reads (status, doctor, export) is waited for,
 * up to 30 s; any other fails at once. Returns the held lock; NULL with `e`
 * filled when another process holds it (ERR_CONFLICT: the message names its
 * command and pid, the hint says what to do) or on an I/O error (ERR_IO).
 */
struct profile_lock *profile_lock_take(const char *state_dir, const char *profile,
                                       const char *command, struct err *e);

/* Release and free (NULL is fine). Exiting releases it too. */
void profile_lock_release(struct profile_lock *l);

#endif
