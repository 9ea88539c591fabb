/*
 * ui: the wizard's model, shared by the screen manager (wizard.c) and the
 * screens (screen_*.c). Screens draw from this model and the engine's view,
 * and answer keys with a bitmask of reactions that the one loop acts on.
 */
#ifndef CHLINK_UI_UI_H
#define CHLINK_UI_UI_H

#include <stdint.h>
#include "cli.h"
#include "flow.h"
#include "loop.h"
#include "widget.h"

/* What a key handler asks the loop to do (htop's Htop_Reaction). */
enum ui_reaction {
	UR_NONE = 0,
	UR_HANDLED = 1 << 0,
	UR_REDRAW = 1 << 1,
	UR_NEXT = 1 << 2,
	UR_BACK = 1 << 3,
	UR_QUIT = 1 << 4,
	UR_REFRESH = 1 << 5, /* observe the world now */
	UR_HELP = 1 << 6,
	UR_GOTO = 1 << 7, /* go to ui->goto_screen */
};

enum ui_screen_id {
	SCR_WELCOME,
	SCR_CREDS,
	SCR_ALIAS,
	SCR_ENDPOINT,
	SCR_DNS,
	SCR_ORG,
	SCR_ALLOW,
	SCR_ACCESS,
	SCR_DOCTOR,
	SCR_SUMMARY,
	SCR_N
};

struct az_rg_list;
struct az_vnet_list;

struct ui_rect {
	int y, x, h, w;
};

enum {
	CREDS_KEY_ID,
	CREDS_KEY_SECRET,
	CREDS_ORG,
	CREDS_TENANT,
	CREDS_CLIENT,
	CREDS_CLIENT_SECRET,
	CREDS_SUB,
	CREDS_PASS,
	CREDS_NFIELDS
};
enum { EP_SUB, EP_RG, EP_VNET, EP_SUBNET, EP_LOCATION, EP_NAME, EP_GUID, EP_IP, EP_NFIELDS };
enum { PORTAL_NSTEPS = 7 };

/* Per-screen state: kept across resizes and screen changes so input is never lost. */
struct ui_models {
	struct {
		struct w_list rows; /* five stage rows, then the actions */
	} welcome;
	struct {
		struct w_input f[CREDS_NFIELDS];
		int focus;
		int unlocked;
		/* 1: the passphrase is being stretched (next loop turn), 2: the keys are tested */
		int busy;
		unsigned kdf_timer;
		struct keytest *test; /* in flight while busy == 2 */
		char report[512];
	} creds;
	struct {
		struct w_input region, alias, hostname;
		struct w_list list;
		int focus; /* 0 region, 1 list (API); console: 1 alias, 2 hostname */
	} alias;
	struct {
		struct w_input f[EP_NFIELDS];
		int focus;
		struct w_list checklist; /* portal path */
		struct az_rg_list *rgs;  /* pickers, when the engine has an Azure client */
		struct az_vnet_list *vnets;
		int lists_requested;
		int ticked[PORTAL_NSTEPS];
	} endpoint;
	struct {
		struct w_list list;
	} allow;
	struct {
		struct w_list list;
		int ran;
	} doctor;
	struct {
		int scroll;
	} help;
};

struct ui {
	struct term term;
	struct loop *loop;
	struct flow *flow;
	struct flow_config *cfg;
	const struct cli_opts *opts;
	int screen;
	int goto_screen;
	int help_open;
	int too_small;
	/* one operation at a time: a queue of steps to apply (or undo) */
	struct {
		enum flow_step steps[FLOW_NSTEPS];
		int n, i, undo, busy;
		int deferred; /* waiting for the check in flight to end */
		char what[160];
	} op;
	/* a pending confirmation: the question names what will be created/deleted */
	struct {
		int open;
		char question[768];
		enum flow_step steps[FLOW_NSTEPS];
		int n, undo;
	} confirm;
	char progress[256]; /* the last progress line of a long-running operation */
	char message[512];  /* the last error or note */
	int message_bad;
	/* background observation with backoff */
	unsigned poll_timer;
	unsigned poll_ms;
	int checking;
	int quit;
	int dirty;
	int cur_y, cur_x; /* where the terminal cursor goes (a focused field), -1 = hidden */
	int resume_to;    /* where the credentials screen leads (welcome's choice) */
	struct ui_models m;
};

struct ui_screen {
	enum ui_screen_id id;
	int stage;         /* 1..5 as in the guide, 0 for the others */
	const char *tab;   /* N_() short name in the stage line */
	const char *title; /* N_() */
	const char *help;  /* N_() the guide's explanation, and how to use the screen */
	void (*enter)(struct ui *u);
	void (*draw)(struct ui *u, const struct ui_rect *r);
	int (*key)(struct ui *u, struct ui_key k);
};

/* The screens (screen_*.c). */
extern const struct ui_screen ui_screen_welcome, ui_screen_creds, ui_screen_alias,
    ui_screen_endpoint, ui_screen_dns, ui_screen_org, ui_screen_allow, ui_screen_access,
    ui_screen_doctor, ui_screen_summary;

const struct ui_screen *ui_screen_of(enum ui_screen_id id);
/* Observe again later while something is pending (backoff 2 s .. 10 s). */
void ui_poll_schedule(struct ui *u);
/* The screen that fixes a step. */
enum ui_screen_id ui_screen_for_step(enum flow_step s);

/* Services the wizard (wizard.c, ops.c). */
/* Ask before running steps: the question must name what is created or deleted. */
void ui_confirm(struct ui *u, const char *question, const enum flow_step *steps, int n, int undo);
/* Run steps now (no question: for steps that create nothing). */
void ui_run(struct ui *u, const enum flow_step *steps, int n, int undo);
void ui_check(struct ui *u); /* observe the world now */
void ui_poll(struct ui *u);  /* the background poll: light while only approval is awaited */
int ui_reopen_flow(struct ui *u, struct err *e); /* after the credentials changed */
void ui_creds_abandon(struct ui *u);             /* quitting: drop a key test or unlock in flight */
void ui_service_row(struct ui *u, int y, const struct ui_rect *r, const struct flow_service *s,
                    int focused, int show_allowed);
void ui_on_event(void *ud, const char *line); /* the engine's progress lines */
void ui_doctor(struct ui *u);
void ui_note(struct ui *u, int bad, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ui_is_text_key(struct ui_key k); /* a printable character */
int ui_is_enter(struct ui_key k);
int ui_is_esc(struct ui_key k);
/* Set an answer string (NULL or "" clears it). */
void ui_answer_set(char **slot, const char *value);
/* The engine's answers, with demo defaults filled in. */
struct flow_answers *ui_answers(struct ui *u);
const char *ui_str(const char *s); /* s or "" */
/* A labelled field row: "Label   [value     ]"; returns the row count used (1). */
void ui_field(struct ui *u, int y, int x, int w, const char *label, const struct w_input *in,
              int focused);
/* The same, wrapped over at most `rows` rows (long ids); returns the rows used. */
int ui_kv_wrap(struct ui *u, int y, int x, int w, int rows, const char *label, const char *value,
               attr_t a);
/* A step's state as a glyph and a word, in its colour. */
void ui_step_badge(struct ui *u, int y, int x, enum flow_step s);
/* The widest badge in this language (at most the 12 cells ui_step_badge draws). */
int ui_step_badge_width(struct ui *u);
/* A labelled value: "Label   value". */
void ui_kv(struct ui *u, int y, int x, int w, const char *label, const char *value, attr_t a);
/* Status bar (two rows from y) and the rest of the frame (chrome.c). */
void ui_draw_chrome(struct ui *u, const struct ui_screen *s);
void ui_draw_status(struct ui *u, int y);
const char *ui_conn_word(enum flow_conn c);
enum term_role ui_conn_role(enum flow_conn c);

/* The path words of a stage ("automatic (API)", "guided (Azure portal)", "Terraform"). */
const char *ui_path_word(int stage, enum flow_path p);
/* Paths a stage offers, in the order Space cycles through them. */
enum flow_path ui_path_next(int stage, enum flow_path p);
/* Whether a service (by id or name) is among the chosen ones; set or clear it. */
int ui_service_chosen(const struct flow_answers *a, const struct flow_service *s);
void ui_service_choose(struct flow_answers *a, const struct flow_service *s, int on, int first);
int ui_step_exists(const struct flow_view *v, enum flow_step s); /* done or pending */

/* Pickers for the endpoint form (picker.c): PgUp/PgDn through the live Azure lists. */
void ui_picker_load(struct ui *u);
void ui_picker_free(struct ui *u);
int ui_picker_choices(struct ui *u, int field, const char **out, int max);
int ui_picker_key(struct ui *u, int field, struct ui_key k);
/* 1-based position of the field's value among its choices (0 = typed), *of = how many. */
int ui_picker_position(struct ui *u, int field, int *of);

/* Where the layout's label column ends. */
enum { UI_LABEL_W = 22 };

#endif
