/*
 * wizard: the screen manager and the one event loop. Keys come from the
 * terminal (or the headless script), handlers answer with reactions, this
 * loop acts on them and redraws; requests run on the same loop meanwhile,
 * so a key is never delayed by the network.
 */
#include "config.h"
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "i18n.h"
#include "script.h"
#include "ui.h"
#include "wizard.h"
#include "xmalloc.h"

static const struct ui_screen *const screens[SCR_N] = {
    [SCR_WELCOME] = &ui_screen_welcome, [SCR_CREDS] = &ui_screen_creds,
    [SCR_ALIAS] = &ui_screen_alias,     [SCR_ENDPOINT] = &ui_screen_endpoint,
    [SCR_DNS] = &ui_screen_dns,         [SCR_ORG] = &ui_screen_org,
    [SCR_ALLOW] = &ui_screen_allow,     [SCR_ACCESS] = &ui_screen_access,
    [SCR_DOCTOR] = &ui_screen_doctor,   [SCR_SUMMARY] = &ui_screen_summary,
};

enum {
	MIN_COLS = 80,
	MIN_ROWS = 24,
	WAIT_DEADLINE_MS = 30000
}; /* generous: a loaded machine is slow, not wrong */

const struct ui_screen *ui_screen_of(enum ui_screen_id id)
{
	return screens[id];
}

static const char keys_help[] =
    N_("Keys: Enter does this screen's step, or goes on once it is done; Right goes on too "
       "when no text field has the focus. Esc or Left goes back. Tab and Shift-Tab move "
       "between fields, Up and Down move in lists, Space ticks a list row. r (F5 in a text "
       "field) observes everything again now; ? or F1 shows this help; q (F10 in a text "
       "field) saves and quits, printing the command that continues from here. Nothing is created "
       "or deleted "
       "before you answer y to a question that names it.");

static void go(struct ui *u, int id)
{
	if (id < 0)
		id = 0;
	if (id >= SCR_N)
		id = SCR_N - 1;
	u->screen = id;
	u->m.help.scroll = 0;
	u->message[0] = '\0';
	if (!u->op.busy)
		u->progress[0] = '\0';
	if (screens[id]->enter != NULL)
		screens[id]->enter(u);
	u->dirty = 1;
}

static void draw_too_small(struct ui *u)
{
	char buf[160];

	snprintf(buf, sizeof buf, _("Make the window larger (need %dx%d, have %dx%d)"), MIN_COLS,
	         MIN_ROWS, COLS, LINES);
	w_para(&u->term, LINES / 2, 1, COLS - 2, LINES / 2, 0, term_attr(&u->term, TR_WARN), buf);
}

static void draw(struct ui *u)
{
	const struct ui_screen *s = screens[u->screen];
	/* rows: title, stages, blank, content..., message, progress, status (2), keys */
	struct ui_rect r = {3, 2, LINES - 8, COLS - 4};

	erase();
	u->cur_y = u->cur_x = -1;
	u->too_small = COLS < MIN_COLS || LINES < MIN_ROWS;
	if (u->too_small) {
		draw_too_small(u);
	} else {
		s->draw(u, &r);
		if (u->help_open || u->confirm.open)
			u->cur_y = -1; /* an overlay has the keys, not the field below it */
		ui_draw_chrome(u, s);  /* after the content: it also clips what ran over */
		if (u->help_open) {
			char *text = xasprintf("%s\n\n%s", _(s->help), _(keys_help));
			w_help_draw(&u->term, _(s->title), text, &u->m.help.scroll);
			free(text);
		} else if (u->confirm.open) {
			w_confirm_draw(&u->term, u->confirm.question);
		}
	}
	if (u->cur_y >= 0 && !u->term.headless) {
		curs_set(1);
		move(u->cur_y, u->cur_x);
	} else {
		curs_set(0);
	}
	refresh();
	u->dirty = 0;
}

static void poll_fire(void *ud)
{
	struct ui *u = ud;

	u->poll_timer = 0;
	ui_poll(u);
}

/* While something is pending, observe again: 2 s, then slower up to 10 s; a key resets it. */
void ui_poll_schedule(struct ui *u)
{
	const struct flow_view *v = flow_view(u->flow);
	int pending = v->conn == FLOW_CONN_PENDING;

	for (int i = 0; i < FLOW_NSTEPS; i++)
		pending |= v->step[i].state == FLOW_PENDING;
	if (u->poll_timer != 0 || !pending || u->quit)
		return;
	u->poll_timer = loop_timer(u->loop, u->poll_ms, poll_fire, u);
	u->poll_ms = u->poll_ms * 2 > 10000 ? 10000 : u->poll_ms * 2;
}

static void poll_reset(struct ui *u)
{
	if (u->poll_ms == 2000)
		return;
	u->poll_ms = 2000;
	if (u->poll_timer != 0) {
		loop_cancel(u->loop, u->poll_timer);
		u->poll_timer = 0;
		ui_poll_schedule(u);
	}
}

static void act(struct ui *u, int r)
{
	if (r & UR_HELP) {
		u->help_open = 1;
		u->m.help.scroll = 0;
	}
	if (r & UR_REFRESH)
		ui_check(u);
	if (r & UR_QUIT)
		u->quit = 1;
	if (r & UR_NEXT)
		go(u, u->screen + 1);
	else if (r & UR_BACK)
		go(u, u->screen - 1);
	else if (r & UR_GOTO)
		go(u, u->goto_screen);
	if (r != UR_NONE)
		u->dirty = 1;
}

static int overlay_key(struct ui *u, struct ui_key k)
{
	if (u->confirm.open) {
		int yes = w_confirm_key(k);
		if (yes < 0)
			return UR_HANDLED;
		u->confirm.open = 0;
		if (yes)
			ui_run(u, u->confirm.steps, u->confirm.n, u->confirm.undo);
		else
			ui_note(u, 0, "%s", _("Cancelled: nothing was changed."));
		return UR_REDRAW;
	}
	if (k.fn == KEY_UP && u->m.help.scroll > 0)
		u->m.help.scroll--;
	else if (k.fn == KEY_DOWN)
		u->m.help.scroll++;
	else if (ui_is_esc(k) || k.fn == KEY_F(1) || (k.fn == 0 && (k.ch == '?' || k.ch == 'q')))
		u->help_open = 0;
	return UR_REDRAW;
}

static int global_key(struct ui *u, struct ui_key k)
{
	(void)u;
	if (ui_is_enter(k) || k.fn == KEY_RIGHT)
		return UR_NEXT;
	if (ui_is_esc(k) || k.fn == KEY_LEFT)
		return UR_BACK;
	if (k.fn == KEY_F(1) || (k.fn == 0 && k.ch == '?'))
		return UR_HELP;
	if (k.fn == 0 && k.ch == 'r')
		return UR_REFRESH;
	if (k.fn == KEY_F(10) || (k.fn == 0 && k.ch == 'q'))
		return UR_QUIT;
	return UR_NONE;
}

static void dispatch(struct ui *u, struct ui_key k)
{
	int r;

	if (k.fn == KEY_RESIZE) {
		u->dirty = 1; /* the layout is computed from LINES/COLS at every draw */
		return;
	}
	poll_reset(u);
	if (k.fn == 0 && k.ch == 3) { /* Ctrl-C typed into a raw-ish terminal, or a script */
		u->quit = 1;
		return;
	}
	if (u->too_small) {
		act(u, (k.fn == KEY_F(10) || (k.fn == 0 && k.ch == 'q')) ? UR_QUIT : UR_NONE);
		return;
	}
	if (u->confirm.open || u->help_open) {
		act(u, overlay_key(u, k));
		return;
	}
	if (k.fn == KEY_F(1))
		r = UR_HELP;
	else if (k.fn == KEY_F(5))
		r = UR_REFRESH;
	else if (k.fn == KEY_F(10))
		r = UR_QUIT;
	else
		r = screens[u->screen]->key(u, k);
	if (r == UR_NONE)
		r = global_key(u, k);
	act(u, r);
}

static void drain_keys(struct ui *u)
{
	wint_t ch;
	int rc;

	while (!u->quit && (rc = get_wch(&ch)) != ERR) {
		struct ui_key k =
		    rc == KEY_CODE_YES ? (struct ui_key){(int)ch, 0} : (struct ui_key){0, ch};
		dispatch(u, k);
	}
}

static void on_stdin(void *ud, int fd, short revents)
{
	(void)ud;
	(void)fd;
	(void)revents; /* keys are drained after every wake anyway */
}

static int run_interactive(struct ui *u)
{
	loop_watch(u->loop, STDIN_FILENO, POLLIN, on_stdin, u);
	while (!u->quit && !term_stop_requested()) {
		if (u->dirty)
			draw(u);
		if (loop_once(u->loop, 100) < 0)
			break;
		drain_keys(u);
	}
	loop_unwatch(u->loop, STDIN_FILENO);
	return 0;
}

/* Headless: run the loop until the screen shows `text` or the deadline passes. */
static int script_wait(struct ui *u, const struct script_item *it)
{
	uint64_t deadline = loop_now_ms(u->loop) + WAIT_DEADLINE_MS;

	for (;;) {
		draw(u);
		if (script_screen_contains(it->text))
			return 0;
		if (loop_now_ms(u->loop) >= deadline || u->quit)
			break;
		loop_once(u->loop, 50);
		drain_keys(u);
	}
	if (u->opts->dump_dir != NULL)
		script_dump(u->opts->dump_dir, "FAILED-wait-for", &(struct err){0});
	fprintf(stderr, "script line %d: wait-for \"%s\": not on the screen within %d s\n",
	        it->line, it->text, WAIT_DEADLINE_MS / 1000);
	return -1;
}

static int run_script(struct ui *u, struct script *sc)
{
	const struct script_item *it;
	struct err e = {0};

	while (!u->quit && !term_stop_requested()) {
		loop_once(u->loop, 0);
		drain_keys(u);
		if (u->dirty)
			draw(u);
		it = script_next(sc);
		switch (it->op) {
		case SO_KEY:
			dispatch(u, it->key);
			break;
		case SO_WAIT:
			if (script_wait(u, it) < 0)
				return -1;
			break;
		case SO_RESIZE:
			term_resize(&u->term, it->cols, it->rows);
			dispatch(u, (struct ui_key){KEY_RESIZE, 0});
			break;
		case SO_DUMP:
			draw(u);
			if (script_dump(u->opts->dump_dir, it->text, &e) < 0) {
				fprintf(stderr, "script line %d: %s\n", it->line, e.msg);
				return -1;
			}
			break;
		case SO_COLORS:
			draw(u);
			if (script_dump_colors(u->opts->dump_dir, it->text, &e) < 0) {
				fprintf(stderr, "script line %d: %s\n", it->line, e.msg);
				return -1;
			}
			break;
		case SO_STOP:
			/* as if SIGINT arrived: leave without the normal goodbye */
			u->quit = 2;
			break;
		case SO_END:
			u->quit = 1;
			break;
		}
	}
	return 0;
}

void ui_on_event(void *ud, const char *line)
{
	struct ui *u = ud;

	snprintf(u->progress, sizeof u->progress, "%s", line);
	u->dirty = 1;
}

static void models_init(struct ui *u)
{
	struct ui_models *m = &u->m;

	for (int i = 0; i < CREDS_NFIELDS; i++)
		w_input_init(&m->creds.f[i], 256,
		             i == CREDS_KEY_SECRET || i == CREDS_CLIENT_SECRET || i == CREDS_PASS);
	w_input_init(&m->alias.region, 64, 0);
	w_input_init(&m->alias.alias, 256, 0);
	w_input_init(&m->alias.hostname, 256, 0);
	for (int i = 0; i < EP_NFIELDS; i++)
		w_input_init(&m->endpoint.f[i], 256, 0);
}

static void models_free(struct ui *u)
{
	struct ui_models *m = &u->m;

	for (int i = 0; i < CREDS_NFIELDS; i++)
		w_input_free(&m->creds.f[i]);
	w_input_free(&m->alias.region);
	w_input_free(&m->alias.alias);
	w_input_free(&m->alias.hostname);
	for (int i = 0; i < EP_NFIELDS; i++)
		w_input_free(&m->endpoint.f[i]);
	ui_picker_free(u);
}

static int start(struct ui *u, struct err *e)
{
	u->loop = loop_new(e);
	if (u->loop == NULL)
		return -1;
	u->flow = flow_new(u->loop, u->cfg, e);
	if (u->flow == NULL)
		return -1;
	flow_set_events(u->flow, ui_on_event, u);
	u->poll_ms = 2000;
	models_init(u);
	ui_answers(u);
	if (term_init(&u->term, u->opts->script != NULL, e) < 0)
		return -1;
	go(u, SCR_WELCOME);
	ui_check(u);
	return 0;
}

static void finish_message(struct ui *u, int rc)
{
	struct err e = {0};

	if (u->flow == NULL || rc != 0)
		return;
	if (flow_save(u->flow, &e) < 0) {
		fprintf(stderr, _("chlink: could not save the answers: %s\n"), e.msg);
		return;
	}
	if (u->cfg->demo) {
		printf("%s\n", _("Demo finished. Nothing was written to your real configuration."));
		return;
	}
	if (flow_first_missing(u->flow) == FLOW_NSTEPS)
		printf("%s\n", _("Private Link is set up. Check it any time with: chlink status"));
	printf(_("Saved. To continue where you left off: chlink --profile %s\n"),
	       u->cfg->profile != NULL ? u->cfg->profile : "default");
}

int ui_wizard_run(struct flow_config *cfg, const struct cli_opts *o)
{
	struct ui *u = xcalloc(1, sizeof *u);
	struct script *sc = NULL;
	struct err e = {0};
	int rc = 0;

	u->cfg = cfg;
	u->opts = o;
	if (o->script != NULL && (sc = script_load(o->script, &e)) == NULL)
		rc = -1;
	if (rc == 0 && start(u, &e) < 0)
		rc = -1;
	if (rc == 0)
		rc = sc != NULL ? run_script(u, sc) : run_interactive(u);
	if (u->loop != NULL)
		ui_creds_abandon(u);
	if (u->poll_timer != 0)
		loop_cancel(u->loop, u->poll_timer);
	term_done(&u->term);
	if (rc < 0 && e.msg[0] != '\0') {
		fprintf(stderr, "chlink: %s\n", e.msg);
		if (e.hint[0] != '\0')
			fprintf(stderr, "%s\n", e.hint);
	}
	finish_message(u, rc);
	script_free(sc);
	models_free(u);
	if (u->flow != NULL)
		flow_free(u->flow);
	if (u->loop != NULL)
		loop_free(u->loop);
	free(u);
	return rc < 0 ? (e.kind == ERR_USAGE ? EXIT_USAGE : EXIT_ERROR) : EXIT_OK;
}
