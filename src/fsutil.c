/* fsutil: atomic replacement of small files and the XDG directory rules. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fsutil.h"
#include "i18n.h"
#include "xmalloc.h"

static int write_full(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = -1;

	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

static int open_temp(const char *path, mode_t mode, char **tmp)
{
	for (int i = 0; i < 100; i++) {
		unsigned r = (unsigned)getpid() * 2654435761u + (unsigned)i * 40503u;
		int fd;

		*tmp = xasprintf("%s.tmp.%08x", path, r);
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd;
		free(*tmp);
		*tmp = NULL;
	}
	errno = EEXIST;
	return -1;
}

int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode, struct err *e)
{
	char *tmp = NULL;
	int fd = open_temp(path, mode, &tmp);
	int saved;

	if (fd < 0)
		return err_set(e, ERR_IO, _("cannot create a temporary file beside %s: %s"), path,
		               strerror(errno));
	if (fchmod(fd, mode) < 0 || write_full(fd, data, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (getenv("CHLINK_TEST_FAIL_BEFORE_RENAME") != NULL) {
		errno = EIO;
		goto fail;
	}
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	if (fsync_dir_of(path) < 0)
		return err_set(e, ERR_IO, _("cannot sync the directory of %s: %s"), path,
		               strerror(errno));
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return err_set(e, ERR_IO, _("cannot write %s: %s"), path, strerror(saved));
}

int fs_read_all(const char *path, size_t max, char **out, size_t *len, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = max < 4096 ? max : 4096, n = 0;
	char *buf;

	if (fd < 0)
		return err_set(e, errno == ENOENT ? ERR_NOTFOUND : ERR_IO, _("cannot open %s: %s"),
		               path, strerror(errno));
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap >= max)
				break;
			cap = cap * 2 > max ? max : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			close(fd);
			free(buf);
			return err_set(e, ERR_IO, _("cannot read %s: %s"), path, strerror(saved));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n == cap && cap >= max) {
		char probe;
		if (read(fd, &probe, 1) == 1) {
			close(fd);
			free(buf);
			return err_set(e, ERR_IO, _("%s is larger than %zu bytes"), path, max);
		}
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len != NULL)
		*len = n;
	return 0;
}

int fs_mkdir_p(const char *path, mode_t mode, struct err *e)
{
	char *p = xstrdup(path);

	for (char *s = p + 1;; s++) {
		char c = *s;
		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			int saved = errno;
			err_set(e, ERR_IO, _("cannot create directory %s: %s"), p, strerror(saved));
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return 0;
}

static char *xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var);
	const char *home = getenv("HOME");

	if (v != NULL && v[0] == '/')
		return xasprintf("%s/chlink", v);
	return xasprintf("%s/%s/chlink", home != NULL ? home : ".", fallback);
}

char *fs_config_dir(void)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config");
}

char *fs_state_dir(void)
{
	return xdg_dir("XDG_STATE_HOME", ".local/state");
}
