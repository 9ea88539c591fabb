/* script: parse the headless key script and read the virtual screen back as text. */
#include "config.h"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "fsutil.h"
#include "i18n.h"
#include "script.h"
#include "xmalloc.h"

struct script {
	struct script_item *v;
	size_t n, cap, pos;
	char *text; /* the file, cut into strings that items point into */
};

static const struct {
	const char *name;
	int fn;
	wint_t ch;
} key_names[] = {
    {"Enter", 0, '\r'},     {"Esc", 0, 27},
    {"Tab", 0, '\t'},       {"BTab", KEY_BTAB, 0},
    {"Up", KEY_UP, 0},      {"Down", KEY_DOWN, 0},
    {"Left", KEY_LEFT, 0},  {"Right", KEY_RIGHT, 0},
    {"Home", KEY_HOME, 0},  {"End", KEY_END, 0},
    {"PgUp", KEY_PPAGE, 0}, {"PgDn", KEY_NPAGE, 0},
    {"Space", 0, ' '},      {"Backspace", KEY_BACKSPACE, 0},
    {"Delete", KEY_DC, 0},  {"Ctrl-U", 0, 0x15},
    {"F1", KEY_F(1), 0},    {"F5", KEY_F(5), 0},
    {"F10", KEY_F(10), 0},  {"Ctrl-C", 0, 3},
};

static struct script_item *push(struct script *s, enum script_op op, int line)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	memset(&s->v[s->n], 0, sizeof s->v[0]);
	s->v[s->n].op = op;
	s->v[s->n].line = line;
	return &s->v[s->n++];
}

static int push_typed(struct script *s, const char *text, int line, struct err *e)
{
	mbstate_t st;

	memset(&st, 0, sizeof st);
	while (*text != '\0') {
		wchar_t wc;
		size_t n = mbrtowc(&wc, text, strlen(text), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return err_set(e, ERR_USAGE,
			               _("script line %d: invalid UTF-8 after \"type\""), line);
		push(s, SO_KEY, line)->key = (struct ui_key){0, (wint_t)wc};
		text += n;
	}
	return 0;
}

static int parse_line(struct script *s, char *p, int line, struct err *e)
{
	size_t n = strlen(p);

	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		p[--n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (strncmp(p, "type ", 5) == 0)
		return push_typed(s, p + 5, line, e);
	if (strncmp(p, "wait-for ", 9) == 0) {
		push(s, SO_WAIT, line)->text = p + 9;
		return 0;
	}
	if (strncmp(p, "dump ", 5) == 0) {
		if (strchr(p + 5, '/') != NULL)
			return err_set(e, ERR_USAGE, _("script line %d: a dump name has no '/'"),
			               line);
		push(s, SO_DUMP, line)->text = p + 5;
		return 0;
	}
	if (strncmp(p, "colors ", 7) == 0) {
		if (strchr(p + 7, '/') != NULL)
			return err_set(e, ERR_USAGE, _("script line %d: a dump name has no '/'"),
			               line);
		push(s, SO_COLORS, line)->text = p + 7;
		return 0;
	}
	if (strncmp(p, "resize ", 7) == 0) {
		struct script_item *it = push(s, SO_RESIZE, line);
		if (sscanf(p + 7, "%d %d", &it->cols, &it->rows) != 2 || it->cols < 1 ||
		    it->rows < 1 || it->cols > 1000 || it->rows > 1000)
			return err_set(e, ERR_USAGE, _("script line %d: resize COLS ROWS"), line);
		return 0;
	}
	if (strcmp(p, "stop") == 0) {
		push(s, SO_STOP, line);
		return 0;
	}
	for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcmp(p, key_names[i].name) == 0) {
			push(s, SO_KEY, line)->key =
			    (struct ui_key){key_names[i].fn, key_names[i].ch};
			return 0;
		}
	if (p[1] == '\0') {
		push(s, SO_KEY, line)->key = (struct ui_key){0, (unsigned char)p[0]};
		return 0;
	}
	return err_set(e, ERR_USAGE, _("script line %d: unknown item \"%s\""), line, p);
}

struct script *script_load(const char *path, struct err *e)
{
	struct script *s = xcalloc(1, sizeof *s);
	size_t len;
	char *p;
	int line = 1;

	if (fs_read_all(path, 1 << 20, &s->text, &len, e) < 0) {
		free(s);
		return NULL;
	}
	p = s->text;
	while (p != NULL && *p != '\0') {
		char *nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (parse_line(s, p, line++, e) < 0) {
			script_free(s);
			return NULL;
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	push(s, SO_END, line);
	return s;
}

void script_free(struct script *s)
{
	if (s == NULL)
		return;
	free(s->v);
	free(s->text);
	free(s);
}

const struct script_item *script_next(struct script *s)
{
	if (s->pos < s->n - 1)
		return &s->v[s->pos++];
	return &s->v[s->n - 1];
}

char *script_screen_text(void)
{
	size_t cap = (size_t)(LINES * (COLS + 1)) * MB_LEN_MAX + 1, len = 0;
	char *out = xmalloc(cap);
	wchar_t *row = xmalloc(((size_t)COLS + 1) * sizeof *row);

	for (int y = 0; y < LINES; y++) {
		mbstate_t st;
		size_t start = len;
		int n = mvinnwstr(y, 0, row, COLS);
		memset(&st, 0, sizeof st);
		for (int i = 0; i < n && row[i] != L'\0'; i++) {
			size_t k = wcrtomb(out + len, row[i], &st);
			if (k == (size_t)-1)
				out[len++] = '?';
			else
				len += k;
		}
		while (len > start && out[len - 1] == ' ')
			len--;
		out[len++] = '\n';
	}
	out[len] = '\0';
	free(row);
	return out;
}

int script_screen_contains(const char *text)
{
	char *s = script_screen_text();
	int found = strstr(s, text) != NULL;

	free(s);
	return found;
}

int script_dump(const char *dir, const char *name, struct err *e)
{
	char *s = script_screen_text(), *path;
	int rc;

	path = xasprintf("%s/%s.txt", dir != NULL ? dir : ".", name);
	rc = fs_write_atomic(path, s, strlen(s), 0644, e);
	free(path);
	free(s);
	return rc;
}

int script_dump_colors(const char *dir, const char *name, struct err *e)
{
	size_t len = 0;
	char *out = xmalloc((size_t)LINES * ((size_t)COLS + 1) + 1), *path;
	int rc;

	for (int y = 0; y < LINES; y++) {
		size_t start = len;
		for (int x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair = 0;
			if (mvin_wch(y, x, &cc) == OK)
				getcchar(&cc, wch, &attrs, &pair, NULL);
			out[len++] = pair > 0 && pair < 26 ? (char)('a' + pair) : '.';
		}
		while (len > start && out[len - 1] == '.')
			len--;
		out[len++] = '\n';
	}
	out[len] = '\0';
	path = xasprintf("%s/%s.colors", dir != NULL ? dir : ".", name);
	rc = fs_write_atomic(path, out, len, 0644, e);
	free(path);
	free(out);
	return rc;
}
