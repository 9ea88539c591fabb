/*
 * state: one profile's file, $XDG_STATE_HOME/chlink/NAME.json. It keeps the
 * user's answers, a journal of started operations (so a crash in the middle
 * of an Azure create resumes polling that resource) and the ids chlink
 * created (teardown deletes only those). Never secrets. Written atomically,
 * 0600 in a 0700 directory; a corrupt file is moved aside, never dropped.
 */
#ifndef CHLINK_STATE_H
#define CHLINK_STATE_H

#include <stddef.h>
#include "err.h"
#include "flow.h"

struct state_op {
	char *op;         /* "create-endpoint", "create-zone", ... */
	char *id;         /* ARM resource id (or ClickHouse id) */
	char *started_at; /* ISO 8601 UTC */
	char *state;      /* "started" or "done" */
};

struct state {
	struct flow_answers answers;
	struct state_op *journal;
	size_t n_journal;
	char **created; /* ids chlink created */
	size_t n_created;
	char *last_seen;      /* JSON object text (the last status), or NULL */
	char *last_forbidden; /* the last 403 from a ClickHouse PATCH ("time: message"), or NULL */
};

/* A profile name is [A-Za-z0-9._-]{1,64} not starting with '.'. */
int state_valid_profile(const char *name);
/* dir NULL = fs_state_dir(); newly allocated. */
char *state_path(const char *dir, const char *profile);

/*
 * Load a profile. A missing file gives an empty state (0). A corrupt file is
 * renamed to NAME.json.corrupt-YYYYmmddTHHMMSSZ and an empty state given:
 * returns 1 with `e` saying so (message + hint) for the caller to show.
 * -1 on an I/O error or a bad profile name.
 */
int state_load(const char *dir, const char *profile, struct state *st, struct err *e);
int state_save(const char *dir, const char *profile, const struct state *st, struct err *e);
/* Serialisation, exposed for tests. */
char *state_to_json(const struct state *st);
int state_from_json(const char *text, struct state *st, struct err *e);
void state_free(struct state *st);

/* Journal: record an operation as started (before the request) and mark it done. */
void state_journal_start(struct state *st, const char *op, const char *id);
void state_journal_done(struct state *st, const char *op, const char *id);
/* The last entry of `op` still "started", or NULL. */
const struct state_op *state_journal_pending(const struct state *st, const char *op);
void state_journal_forget(struct state *st, const char *id);

/* Ids chlink created (compared case-insensitively, as ARM ids are). */
void state_created_add(struct state *st, const char *id);
int state_created_has(const struct state *st, const char *id);
void state_created_remove(struct state *st, const char *id);

/* Remember (msg) or forget (NULL) a 403 from a PATCH, for the doctor's key-not-admin. */
void state_note_forbidden(struct state *st, const char *msg);

/* Answers helpers shared with the engine and the CLI. */
void state_answers_clear(struct flow_answers *a);
void state_answers_copy(struct flow_answers *dst, const struct flow_answers *src);
int state_answers_equal(const struct flow_answers *a, const struct flow_answers *b);
const char *state_path_name(enum flow_path p);       /* "api", "portal", "terraform" */
const char *state_id_form_name(enum flow_id_form f); /* "guid", "resource-id" */

#endif
