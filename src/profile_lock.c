/* profile_lock: the advisory lock that lets one chlink at a time change a profile. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "fsutil.h"
#include "i18n.h"
#include "profile_lock.h"
#include "xmalloc.h"

struct profile_lock {
	int fd;
};

/*
 * Commands that hold a profile only while they read it (and cache the status):
 * a taker waits for them rather than failing. A holder that has not written its
 * line yet has just taken the lock: waited for briefly too.
 */
static const char *const brief_holders[] = {"status", "doctor", "export"};
enum { BRIEF_WAIT_MS = 30000, UNNAMED_WAIT_MS = 1000, RETRY_MS = 50 };

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the holder wrote: "PID COMMAND\n". 0 when the file says nothing usable. */
static long read_holder(int fd, char *command, size_t n)
{
	char buf[160];
	ssize_t len = pread(fd, buf, sizeof buf - 1, 0);
	char *end, *nl;
	long pid;

	command[0] = '\0';
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	pid = strtol(buf, &end, 10);
	if (end == buf || pid <= 0 || *end != ' ')
		return 0;
	if ((nl = strchr(end + 1, '\n')) != NULL)
		*nl = '\0';
	for (char *p = end + 1; *p; p++) /* the file is anyone's to write: keep it one plain line */
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	snprintf(command, n, "%s", end + 1);
	return pid;
}

/* How long to wait for the current holder before giving up (0: fail at once). */
static long patience_ms(int fd)
{
	char command[128];

	if (read_holder(fd, command, sizeof command) <= 0)
		return UNNAMED_WAIT_MS;
	for (size_t i = 0; i < sizeof brief_holders / sizeof brief_holders[0]; i++)
		if (strcmp(command, brief_holders[i]) == 0)
			return BRIEF_WAIT_MS;
	return 0;
}

static int busy(int fd, const char *profile, struct err *e)
{
	char command[128], who[192];
	long pid = read_holder(fd, command, sizeof command);

	if (strcmp(command, "wizard") == 0)
		snprintf(who, sizeof who, "%s", _("the chlink wizard"));
	else if (command[0] != '\0')
		snprintf(who, sizeof who, "chlink %s", command);
	else
		snprintf(who, sizeof who, "%s", _("another chlink"));
	if (pid > 0)
		err_set(e, ERR_CONFLICT, _("the profile \"%s\" is in use by %s (pid %ld)"), profile,
		        who, pid);
	else
		err_set(e, ERR_CONFLICT, _("the profile \"%s\" is in use by %s"), profile, who);
	return err_hint(e, "%s",
	                _("only one chlink at a time may change a profile: let the other one "
	                  "finish (or stop it), then run this again; chlink status works "
	                  "meanwhile"));
}

/* Record who holds the lock; a failure only makes a refusal less precise. */
static void write_holder(int fd, const char *command)
{
	char buf[160];
	int n = snprintf(buf, sizeof buf, "%ld %s\n", (long)getpid(), command);

	if (n < 0 || (size_t)n >= sizeof buf || ftruncate(fd, 0) < 0)
		return;
	if (pwrite(fd, buf, (size_t)n, 0) != n)
		(void)ftruncate(fd, 0);
}

struct profile_lock *profile_lock_take(const char *state_dir, const char *profile,
                                       const char *command, struct err *e)
{
	char *dir = state_dir != NULL ? xstrdup(state_dir) : fs_state_dir();
	char *path = xasprintf("%s/%s.lock", dir, profile);
	struct profile_lock *l = NULL;
	int fd = -1;

	if (fs_mkdir_p(dir, 0700, e) < 0)
		goto out;
	/* CLOEXEC: a helper program started by chlink must not keep the profile locked */
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(e, ERR_IO, _("cannot open the lock file %s: %s"), path, strerror(errno));
		goto out;
	}
	for (long start = now_ms();;) {
		int why;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		why = errno;
		if (why == EINTR)
			continue;
		if (why == EWOULDBLOCK && now_ms() - start < patience_ms(fd)) {
			nanosleep(&(struct timespec){0, RETRY_MS * 1000000L}, NULL);
			continue;
		}
		if (why == EWOULDBLOCK)
			busy(fd, profile, e);
		else
			err_set(e, ERR_IO, _("cannot lock %s: %s"), path, strerror(why));
		close(fd);
		goto out;
	}
	write_holder(fd, command);
	l = xmalloc(sizeof *l);
	l->fd = fd;
out:
	free(path);
	free(dir);
	return l;
}

void profile_lock_release(struct profile_lock *l)
{
	if (l == NULL)
		return;
	/* Emptied first: a stale pid in the file would only mislead. */
	(void)ftruncate(l->fd, 0);
	close(l->fd); /* closing the only descriptor drops the flock */
	free(l);
}
