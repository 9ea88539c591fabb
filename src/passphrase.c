/* passphrase: from a 0600 file, the environment, or the terminal with echo off. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>
#include "creds_mem.h"
#include "i18n.h"
#include "passphrase.h"
#include "vault.h"

void passphrase_free(char *p)
{
	creds_sec_free(p);
}

char *passphrase_read_line(int fd, size_t max, size_t *len, struct err *e)
{
	char *buf = creds_sec_alloc(max + 1);
	size_t n = 0;

	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR) {
			err_set(e, ERR_IO, _("interrupted"));
			break;
		}
		if (r < 0) {
			err_set(e, ERR_IO, _("cannot read: %s"), strerror(errno));
			break;
		}
		if (r == 0 && n == 0) {
			err_set(e, ERR_NOTFOUND, _("end of input"));
			break;
		}
		if (r == 0 || ch == '\n') {
			if (n > 0 && buf[n - 1] == '\r')
				n--;
			buf[n] = '\0';
			*len = n;
			return buf;
		}
		if (n == max) {
			err_set(e, ERR_USAGE, _("the line is longer than %zu bytes"), max);
			break;
		}
		buf[n++] = ch;
	}
	creds_sec_free(buf);
	return NULL;
}

char *passphrase_from_file(const char *path, size_t *len, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *p = NULL;

	if (fd < 0) {
		err_set(e, ERR_IO, _("cannot open the passphrase file %s: %s"), path,
		        strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set(e, ERR_IO, _("the passphrase file %s is not a regular file"), path);
	} else if (st.st_uid != geteuid()) {
		err_set(e, ERR_IO, _("the passphrase file %s is owned by another user (uid %u)"),
		        path, (unsigned)st.st_uid);
	} else if ((st.st_mode & 077) != 0) {
		err_set(e, ERR_IO, _("permissions %04o for the passphrase file %s are too open"),
		        (unsigned)(st.st_mode & 07777), path);
		err_hint(e, _("Run: chmod 600 %s"), path);
	} else {
		p = passphrase_read_line(fd, PASSPHRASE_MAX, len, e);
		if (p == NULL && e->kind == ERR_NOTFOUND)
			err_set(e, ERR_USAGE, _("the passphrase file %s is empty"), path);
		else if (p == NULL)
			err_wrap(e, "%s", path);
	}
	close(fd);
	return p;
}

/*
 * Signals that would leave the terminal without echo. Their handler only
 * notes the signal (the one piece of static state: a handler has nowhere
 * else to write); after the read the terminal is restored and the signal
 * re-raised, as OpenSSH's readpassphrase does.
 */
static const int tty_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
#define NSIG_TTY (sizeof tty_signals / sizeof tty_signals[0])
static volatile sig_atomic_t caught[NSIG_TTY];

static void on_signal(int sig)
{
	for (size_t i = 0; i < NSIG_TTY; i++)
		if (tty_signals[i] == sig)
			caught[i] = 1;
}

static int write_str(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

char *passphrase_ask_tty(const char *prompt, int echo, size_t *len, struct err *e)
{
	struct sigaction sa, old[NSIG_TTY];
	struct termios saved, t;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC), have_tty;
	char *line;

	if (fd < 0) {
		err_set(e, ERR_USAGE, _("no terminal to ask for input on"));
		err_hint(e,
		         _("Use --passphrase-file FILE or CHLINK_PASSPHRASE_FILE for automation."));
		return NULL;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: read() returns EINTR */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSIG_TTY; i++) {
		caught[i] = 0;
		sigaction(tty_signals[i], &sa, &old[i]);
	}
	have_tty = tcgetattr(fd, &saved) == 0;
	if (have_tty && !echo) {
		t = saved;
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
		t.c_lflag |= ECHONL;
		tcsetattr(fd, TCSAFLUSH, &t);
	}
	write_str(fd, prompt);
	line = passphrase_read_line(fd, PASSPHRASE_MAX, len, e);
	if (have_tty && !echo)
		tcsetattr(fd, TCSAFLUSH, &saved);
	close(fd);
	for (size_t i = 0; i < NSIG_TTY; i++)
		sigaction(tty_signals[i], &old[i], NULL);
	for (size_t i = 0; i < NSIG_TTY; i++)
		if (caught[i])
			raise(tty_signals[i]);
	if (line == NULL && e->kind == ERR_NOTFOUND)
		err_set(e, ERR_USAGE, _("no answer (end of input)"));
	return line;
}

static char *from_tty(const struct passphrase_src *src, size_t *len, struct err *e)
{
	size_t len2;
	char *p = passphrase_ask_tty(src->prompt, 0, len, e), *again;

	if (p == NULL || !src->confirm || *len == 0)
		return p;
	again = passphrase_ask_tty(_("Repeat the passphrase: "), 0, &len2, e);
	if (again == NULL) {
		creds_sec_free(p);
		return NULL;
	}
	if (len2 != *len || sodium_memcmp(p, again, len2) != 0) {
		creds_sec_free(p);
		p = NULL;
		err_set(e, ERR_USAGE, _("the two passphrases differ"));
	}
	creds_sec_free(again);
	return p;
}

char *passphrase_get(const struct passphrase_src *src, size_t *len, struct err *e)
{
	const char *file = src->file;
	const char *val;
	char *p;

	vault_no_core_dumps();
	if ((file == NULL || *file == '\0') && src->file_env != NULL)
		file = getenv(src->file_env);
	if (file != NULL && *file != '\0') {
		p = passphrase_from_file(file, len, e);
	} else if (src->env != NULL && (val = getenv(src->env)) != NULL && *val != '\0') {
		*len = strlen(val);
		if (*len > PASSPHRASE_MAX) {
			err_set(e, ERR_USAGE, _("%s is longer than %d bytes"), src->env,
			        PASSPHRASE_MAX);
			return NULL;
		}
		p = creds_sec_strndup(val, *len);
	} else {
		p = from_tty(src, len, e);
	}
	if (p != NULL && *len == 0) {
		creds_sec_free(p);
		err_set(e, ERR_USAGE, _("an empty passphrase is not allowed"));
		return NULL;
	}
	return p;
}
