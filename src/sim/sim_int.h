/* sim_int: the simulator core's private state and helpers shared by its API files. */
#ifndef CHLINK_SIM_INT_H
#define CHLINK_SIM_INT_H

#include <stdarg.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "sim.h"
#include "world.h"

#define SIM_MAX_BODY (1024 * 1024)
#define SIM_MAX_SEGS 24
#define SIM_LOG_MAX  10000
#define SIM_OPS_MAX  1000

/* Switches set by POST /_sim/faults; zero values mean "off". */
struct sim_faults {
	unsigned latency_ms, jitter_ms;
	cJSON *error_rate; /* {"chc"|"arm"|"entra"|"/prefix"|"*": p} */
	int error_status;
	unsigned storm_429, arm_throttle;
	double reset_rate, truncate_rate, malformed_rate;
	unsigned slow_body_ms, approval_delay_ms;
	unsigned rl_requests, rl_window_s;
	unsigned token_lifetime_s, lro_ms, retry_after_s, page_size;
	int unknown_alias_sync; /* 1: unknown alias -> 400 at PUT; 0: the LRO fails */
	int lean_answers;       /* 1: 2xx answers in their sparest allowed form (sim_lean.c) */
};

struct sim_rl {
	char *key;
	uint64_t *ts; /* times of the admitted requests in the window, oldest first */
	size_t n;
};

struct sim_log_entry {
	char *method, *path, *api, *key;
	int status;
	unsigned ms;
	uint64_t t;
};

struct sim {
	cJSON *world;
	char *initial; /* world text for /_sim/reset */
	uint64_t seed, rng, frng, token_key;
	int64_t clock_offset_ms;
	struct sim_faults f;
	struct sim_rl *rl;
	size_t n_rl;
	struct sim_log_entry *log;
	size_t n_log, log_head; /* ring of SIM_LOG_MAX */
	unsigned hold_ms, hold_count;
};

/* One request in flight. */
struct sim_ctx {
	struct sim *s;
	const struct sim_request *rq;
	struct sim_response *rs;
	uint64_t now; /* simulated clock */
	char *seg[SIM_MAX_SEGS];
	int nseg;
	const char *api;
	char who[160]; /* key id or principal, for the log */
};

/* sim.c */
void sim_faults_default(struct sim_faults *f);
void sim_log_clear(struct sim *s);
void sim_reset(struct sim *s);
int sim_rate_limited(struct sim *s, const char *key, uint64_t now, double *reset_s);
cJSON *sim_log_json(struct sim *s);

/* sim_util.c */
uint64_t sim_rand(uint64_t *state);
double sim_rand01(uint64_t *state);
void sim_uuid(struct sim *s, char out[37]);
char *sim_b64_decode(const char *in, size_t *outlen);
char *sim_b64url_encode(const unsigned char *in, size_t n);
char *sim_url_decode(const char *in, size_t n);
char *sim_form_get(const char *form, const char *name); /* malloc'd, decoded */
const char *sim_header(const struct sim_request *rq, const char *name);
int sim_split_path(struct sim_ctx *c, const char *path);
void sim_ctx_free(struct sim_ctx *c);
int sim_seg_is(struct sim_ctx *c, int i, const char *lit);
void sim_set_body(struct sim_response *rs, int status, char *body, const char *ctype);
void sim_set_json(struct sim_response *rs, int status, cJSON *obj);
void sim_add_header(struct sim_response *rs, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sim_content_is_json(const struct sim_request *rq);
cJSON *sim_render(const cJSON *obj); /* deep copy without "_" keys */
const char *sim_jstr(const cJSON *o, const char *key);
double sim_jnum(const cJSON *o, const char *key, double def);
cJSON *sim_find_ci(const cJSON *arr, const char *key, const char *val);
int sim_ci_eq(const char *a, const char *b);
int sim_ci_prefix(const char *s, const char *prefix);
void sim_jset_num(cJSON *o, const char *key, double v);
void sim_jset_str(cJSON *o, const char *key, const char *v);
int sim_ipv4_parse(const char *s, uint32_t *out);
void sim_ipv4_format(uint32_t ip, char out[16]);

/* world.c (see world.h for the file format) */
cJSON *world_azure(struct sim *s, const char *key);
cJSON *world_chc_orgs(struct sim *s);

/* API handlers (each fills c->rs) */
void chc_handle(struct sim_ctx *c);
void chc_error(struct sim_ctx *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void arm_handle(struct sim_ctx *c);
void arm_error(struct sim_ctx *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void entra_handle(struct sim_ctx *c);
void entra_error(struct sim_ctx *c, int status, const char *error, int code, const char *desc);
void ctl_handle(struct sim_ctx *c);
/* sim_lean.c: rewrite c->rs into the sparest shape the fact sheets allow */
void sim_lean_answer(struct sim_ctx *c);

/* sim_entra.c: access tokens (JWT-shaped, keyed hash signature) */
char *entra_token_make(struct sim *s, const char *tid, const char *appid, uint64_t exp_s);
int entra_token_parse(struct sim *s, const char *tok, char tid[80], char appid[80],
                      uint64_t *exp_s);

/* sim_arm_pe.c */
void arm_pe_route(struct sim_ctx *c, const char *sub, const char *rg);
void arm_nic_route(struct sim_ctx *c, const char *sub, const char *rg);
void arm_pe_settle(struct sim *s, uint64_t now);
const char *arm_pe_conn_status(struct sim *s, cJSON *pe, cJSON *conn, uint64_t now);
int arm_pe_set_override(struct sim *s, const char *id_or_name, const char *status);
int arm_alias_known(struct sim *s, const char *alias);
/* sim_arm_dns.c */
void arm_dns_route(struct sim_ctx *c, const char *sub, const char *rg);
void arm_dns_settle(struct sim *s, uint64_t now);
cJSON *arm_dns_find(struct sim *s, const char *id); /* zone or link by id */
/* sim_arm.c shared helpers */
void arm_list(struct sim_ctx *c, cJSON *items);
cJSON *arm_new_op(struct sim_ctx *c, const char *kind, const char *sub, const char *rg,
                  const char *resource_id, uint64_t done_ms);
void arm_lro_headers(struct sim_ctx *c, cJSON *op, const char *loc, int with_location);
char *arm_api_version(struct sim_ctx *c);
cJSON *arm_find_id(cJSON *arr, const char *id);
cJSON *arm_find_vnet(struct sim *s, const char *sub, const char *rg, const char *name);
cJSON *arm_subnet_by_id(struct sim *s, const char *id, cJSON **vnet);
char *arm_norm_location(const char *loc);
cJSON *arm_rg(struct sim_ctx *c, const char *sub, const char *rg);
cJSON *arm_body(struct sim_ctx *c); /* parsed PUT body or NULL after an error answer */
int arm_if_none_match(struct sim_ctx *c, int exists);
char *arm_etag(struct sim *s);
uint64_t arm_lro_ms(struct sim *s);

#endif
