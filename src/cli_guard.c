/* cli_guard: which command may touch the profile while another chlink runs on it. */
#include "config.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli_int.h"
#include "fsutil.h"
#include "i18n.h"
#include "profile_lock.h"
#include "state.h"
#include "xmalloc.h"

enum { COPY_MAX = 16 * 1024 * 1024 };

/* Copy DIR/NAME into the snapshot; a missing file is not an error (an empty profile). */
static int copy_in(const char *dir, const char *snap, const char *name, struct err *e)
{
	char *from = xasprintf("%s/%s", dir, name), *to = xasprintf("%s/%s", snap, name);
	char *text = NULL;
	size_t len = 0;
	int rc = 0;

	if (access(from, F_OK) == 0) /* replaced atomically: we read one whole version */
		rc = fs_read_all(from, COPY_MAX, &text, &len, e) < 0 ||
		             fs_write_atomic(to, text, len, 0600, e) < 0
		         ? -1
		         : 0;
	free(text);
	free(from);
	free(to);
	return rc;
}

/*
 * A read-only command while another chlink changes the profile: it works on a
 * private copy (the profile and the rate window as last saved), so the cache
 * of the last status it writes can never overwrite the other's journal.
 */
static int snapshot(struct cli_ctx *c, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = c->cfg.state_dir ? xstrdup(c->cfg.state_dir) : fs_state_dir();
	char *name = xasprintf("%s.json", c->cfg.profile);
	int rc = -1;

	c->snapshot_dir = xasprintf("%s/chlink-snapshot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(c->snapshot_dir) == NULL) {
		err_set(e, ERR_IO, _("cannot create a directory in %s: %s"),
		        tmp && *tmp ? tmp : "/tmp", strerror(errno));
		free(c->snapshot_dir);
		c->snapshot_dir = NULL;
	} else if (copy_in(dir, c->snapshot_dir, name, e) == 0 &&
	           copy_in(dir, c->snapshot_dir, "ratelimit.json", e) == 0) {
		c->cfg.state_dir = c->snapshot_dir;
		rc = 0;
	}
	free(name);
	free(dir);
	return rc;
}

int cli_guard_profile(struct cli_ctx *c, const char *command, int mutates)
{
	struct err e;

	if (!state_valid_profile(c->cfg.profile))
		return 0; /* the engine refuses the name with its own message */
	err_clear(&e);
	c->lock = profile_lock_take(c->cfg.state_dir, c->cfg.profile, command, &e);
	if (c->lock != NULL)
		return 0;
	if (mutates || e.kind != ERR_CONFLICT) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	cli_errorf(_("%s: showing the profile as it was last saved, without changing it"), e.msg);
	if (snapshot(c, &e) < 0) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	return 0;
}

void cli_guard_end(struct cli_ctx *c)
{
	profile_lock_release(c->lock);
	c->lock = NULL;
	if (c->snapshot_dir != NULL) {
		DIR *d = opendir(c->snapshot_dir);
		struct dirent *de;
		while (d != NULL && (de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char *p = xasprintf("%s/%s", c->snapshot_dir, de->d_name);
			unlink(p);
			free(p);
		}
		if (d != NULL)
			closedir(d);
		rmdir(c->snapshot_dir);
		free(c->snapshot_dir);
		c->snapshot_dir = NULL;
	}
}
