/* term: curses set-up and teardown, colours, glyphs, signals (see term.h). */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "i18n.h"
#include "term.h"

/*
 * Signal handlers can reach nothing but file-scope state, so these few
 * variables are the exception to "no global mutable state": the stop flag
 * the loop polls, and the terminal modes to restore from a fatal signal.
 */
static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t have_tty_modes;
static struct termios tty_modes;

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* Best effort: put the tty back the way we found it, then die of the same signal. */
static void on_fatal(int sig)
{
	if (have_tty_modes)
		tcsetattr(STDIN_FILENO, TCSANOW, &tty_modes);
	static const char msg[] = "\033[?1049l\033[?25h\r\n";
	if (write(STDOUT_FILENO, msg, sizeof msg - 1) < 0) {
		/* nothing more can be done inside a signal handler */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

int term_stop_requested(void)
{
	return stop_flag != 0;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	/* SA_RESTART keeps an interrupted screen write whole; poll() returns EINTR anyway (Linux
	 * never restarts it), so the loop still sees the flag at once */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* the terminal went away (tmux killed, ssh dropped): save and clean up like q */
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaction(fatal_signals[i], &sa, NULL);
}

static void restore_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		signal(fatal_signals[i], SIG_DFL);
}

/* Library warnings written to stderr would scribble over the screen: keep them for later. */
static void redirect_stderr(struct term *t)
{
	t->saved_stderr = -1;
	t->errlog = tmpfile();
	if (t->errlog == NULL)
		return;
	fflush(stderr);
	t->saved_stderr = dup(STDERR_FILENO);
	if (t->saved_stderr < 0 || dup2(fileno(t->errlog), STDERR_FILENO) < 0) {
		fclose(t->errlog);
		t->errlog = NULL;
	}
}

static void dump_stderr(struct term *t)
{
	char buf[4096];
	size_t n;

	if (t->errlog == NULL)
		return;
	fflush(stderr);
	dup2(t->saved_stderr, STDERR_FILENO);
	close(t->saved_stderr);
	rewind(t->errlog);
	while ((n = fread(buf, 1, sizeof buf, t->errlog)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(t->errlog);
	t->errlog = NULL;
}

static int no_color_env(void)
{
	const char *v = getenv("NO_COLOR");
	return v != NULL && v[0] != '\0';
}

/* Colour pair numbers are the roles; -1 keeps the user's own background. */
static void init_colors(struct term *t)
{
	static const short fg[TR_NROLES] = {
	    [TR_NORMAL] = -1,         [TR_TITLE] = COLOR_WHITE, [TR_DIM] = -1,
	    [TR_OK] = COLOR_GREEN,    [TR_WARN] = COLOR_YELLOW, [TR_BAD] = COLOR_RED,
	    [TR_ACCENT] = COLOR_CYAN, [TR_FOCUS] = COLOR_BLACK, [TR_BADGE] = COLOR_BLACK,
	};
	static const short bg[TR_NROLES] = {
	    [TR_TITLE] = COLOR_BLUE,
	    [TR_FOCUS] = COLOR_CYAN,
	    [TR_BADGE] = COLOR_YELLOW,
	};

	t->color = !no_color_env() && has_colors();
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	for (int r = 1; r < TR_NROLES; r++)
		init_pair((short)r, fg[r], bg[r] != 0 ? bg[r] : -1);
}

static int open_headless(struct term *t, struct err *e)
{
	t->out = fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	if (t->out == NULL || t->in == NULL)
		return err_set(e, ERR_IO, _("cannot open /dev/null: %s"), strerror(errno));
	t->scr = newterm("xterm-256color", t->out, t->in);
	if (t->scr == NULL)
		return err_set(e, ERR_INTERNAL, _("cannot start the headless screen"));
	set_term(t->scr);
	return 0;
}

static int open_tty(struct term *t, struct err *e)
{
	const char *term = getenv("TERM");

	if (term == NULL || term[0] == '\0' || strcmp(term, "dumb") == 0 || !isatty(STDIN_FILENO) ||
	    !isatty(STDOUT_FILENO)) {
		err_set(e, ERR_USAGE, _("This terminal cannot show the wizard (TERM=%s)."),
		        term != NULL && term[0] != '\0' ? term : "unset");
		return err_hint(e, _("Use `chlink apply` to set up and `chlink status` to check, "
		                     "or run the wizard in a full terminal."));
	}
	if (tcgetattr(STDIN_FILENO, &tty_modes) == 0)
		have_tty_modes = 1;
	t->scr = newterm(NULL, stdout, stdin);
	if (t->scr == NULL)
		return err_set(e, ERR_USAGE, _("cannot start the terminal (TERM=%s)"), term);
	set_term(t->scr);
	redirect_stderr(t);
	return 0;
}

int term_init(struct term *t, int headless, struct err *e)
{
	const char *cs;

	memset(t, 0, sizeof *t);
	t->saved_stderr = -1;
	t->headless = headless;
	stop_flag = 0;
	if ((headless ? open_headless(t, e) : open_tty(t, e)) < 0) {
		term_done(t);
		return -1;
	}
	cs = nl_langinfo(CODESET);
	t->utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	init_colors(t);
	if (!headless)
		install_signals(); /* after curses: ours, not ncurses' own */
	return 0;
}

void term_done(struct term *t)
{
	if (t->scr != NULL) {
		curs_set(1);
		endwin();
		delscreen(t->scr);
		t->scr = NULL;
		if (!t->headless) {
			restore_signals();
			if (have_tty_modes)
				tcsetattr(STDIN_FILENO, TCSANOW, &tty_modes);
		}
	}
	have_tty_modes = 0;
	fflush(stdout);
	clearerr(stdout); /* what follows (the goodbye) must not inherit a screen write's error */
	dump_stderr(t);
	if (t->out != NULL)
		fclose(t->out);
	if (t->in != NULL)
		fclose(t->in);
	t->out = t->in = NULL;
}

attr_t term_attr(const struct term *t, enum term_role r)
{
	static const attr_t mono[TR_NROLES] = {
	    [TR_TITLE] = A_REVERSE, [TR_DIM] = A_DIM,       [TR_OK] = A_BOLD,
	    [TR_WARN] = A_BOLD,     [TR_BAD] = A_BOLD,      [TR_ACCENT] = A_BOLD,
	    [TR_FOCUS] = A_REVERSE, [TR_BADGE] = A_REVERSE,
	};
	static const attr_t extra[TR_NROLES] = {
	    [TR_TITLE] = A_BOLD, [TR_BAD] = A_BOLD, [TR_ACCENT] = A_BOLD,
	    [TR_BADGE] = A_BOLD, [TR_DIM] = A_DIM,
	};

	if (r <= TR_NORMAL || r >= TR_NROLES)
		return A_NORMAL;
	if (!t->color)
		return mono[r];
	return COLOR_PAIR(r) | extra[r];
}

const char *term_glyph(const struct term *t, enum term_glyph g)
{
	static const char *const utf8[TG_NGLYPHS] = {"✓", "✗", "…", "•", "○", "→", "│", "·"};
	static const char *const ascii[TG_NGLYPHS] = {"v", "x", "...", "*", "-", "->", "|", "-"};

	if (g < 0 || g >= TG_NGLYPHS)
		return "?";
	return t->utf8 ? utf8[g] : ascii[g];
}

void term_resize(struct term *t, int cols, int rows)
{
	(void)t;
	resizeterm(rows, cols);
}
