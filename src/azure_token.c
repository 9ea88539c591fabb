/*
 * azure_token: a Microsoft Entra access token for ARM. Client credentials
 * (POST /{tenant}/oauth2/v2.0/token) or `az account get-access-token`
 * output (given as JSON, or by running az through posix_spawn with a pipe
 * watched by the loop). The token lives in sodium_malloc memory.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "azure_tok.h"
#include "azure_int.h"
#include "i18n.h"
#include "xmalloc.h"

extern char **environ;

#define AZ_OUT_MAX (64 * 1024)

struct az_tok {
	struct http *h;
	char *login, *arm;
	const struct creds *cr;
	char *cli_json; /* given output of az, or NULL */
	char *token;    /* sodium_malloc */
	long long exp;
	long long got; /* when the token was stored: short-lived tokens get a smaller margin */
	int fetching;
	az_tok_fn fn;
	void *ud;
	/* the az child */
	pid_t pid;
	int fd;
	char *out;
	size_t len, cap;
};

struct az_tok *az_tok_new(struct http *h, const char *login_url, const char *arm_url,
                          const struct creds *cr, const char *cli_json, az_tok_fn fn, void *ud)
{
	struct az_tok *t = xcalloc(1, sizeof(*t));
	t->h = h;
	t->login = xstrdup(login_url);
	t->arm = xstrdup(arm_url);
	t->cr = cr;
	t->cli_json = cli_json ? xstrdup(cli_json) : NULL;
	t->fn = fn;
	t->ud = ud;
	t->fd = -1;
	return t;
}

static void drop_token(struct az_tok *t)
{
	sodium_free(t->token);
	t->token = NULL;
	t->exp = 0;
}

static void child_cleanup(struct az_tok *t)
{
	if (t->fd >= 0) {
		loop_unwatch(http_loop(t->h), t->fd);
		close(t->fd);
		t->fd = -1;
	}
	if (t->pid > 0) {
		int st;
		if (waitpid(t->pid, &st, WNOHANG) == 0) {
			kill(t->pid, SIGTERM);
			waitpid(t->pid, &st, 0);
		}
		t->pid = 0;
	}
	if (t->out)
		sodium_memzero(t->out, t->len);
	free(t->out);
	t->out = NULL;
	t->len = t->cap = 0;
}

void az_tok_free(struct az_tok *t)
{
	if (!t)
		return;
	http_cancel(t->h, t);
	child_cleanup(t);
	drop_token(t);
	if (t->cli_json)
		sodium_memzero(t->cli_json, strlen(t->cli_json));
	free(t->cli_json);
	free(t->login);
	free(t->arm);
	free(t);
}

/*
 * Usable until 60 s before expiry, as the guide's tokens (an hour) are; a
 * token that lives less than two minutes keeps half its life as the margin,
 * so a short-lived token is still used rather than judged expired at once.
 */
const char *az_tok_valid(struct az_tok *t)
{
	long long life = t->exp - t->got, margin = life < 120 ? life / 2 : 60;

	if (t->token && (long long)time(NULL) < t->exp - margin)
		return t->token;
	return NULL;
}

void az_tok_invalidate(struct az_tok *t)
{
	drop_token(t);
}

int az_tok_refreshable(const struct az_tok *t)
{
	return !t->cli_json;
}

/* Keep the token in locked memory; wipe the parser's copy. */
static void store(struct az_tok *t, char *tok, long long exp)
{
	size_t n = strlen(tok) + 1;
	drop_token(t);
	t->token = sodium_malloc(n);
	if (!t->token)
		abort();
	memcpy(t->token, tok, n);
	sodium_memzero(tok, n);
	free(tok);
	t->exp = exp;
	t->got = (long long)time(NULL);
}

static void done(struct az_tok *t, const struct err *e)
{
	t->fetching = 0;
	t->fn(t->ud, e);
}

static void from_json(struct az_tok *t, const char *json, size_t len, int cli)
{
	struct err e;
	char *tok;
	long long exp;
	err_clear(&e);
	if (az_parse_token(json, len, &tok, &exp, &e) < 0) {
		done(t, &e);
		return;
	}
	store(t, tok, exp);
	if (!az_tok_valid(t)) {
		if (cli) {
			err_set(&e, ERR_AUTH, "%s", _("the Azure CLI token has expired"));
			err_hint(&e, "%s", _("Run `az login` again, or use a service principal."));
		} else {
			err_set(&e, ERR_AUTH, "%s",
			        _("Microsoft Entra issued a token that has already expired"));
			err_hint(&e, "%s", _("Check this machine's clock."));
		}
		done(t, &e);
		return;
	}
	done(t, NULL);
}

static void on_entra(void *ud, const struct http_resp *r)
{
	struct az_tok *t = ud;
	struct err e;
	char text[400];
	err_clear(&e);
	if (r->status == 200) {
		from_json(t, r->body, r->len, 0);
		return;
	}
	if (r->status == 0) {
		done(t, &r->err);
		return;
	}
	if (az_parse_error(r->body, r->len, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "HTTP %ld", r->status);
	err_set(&e, ERR_AUTH, _("Microsoft Entra refused the sign-in: %s"), text);
	err_hint(&e, "%s",
	         _("Check the tenant id, client id and client secret of the service "
	           "principal (the secret may have expired)."));
	e.http_status = (int)r->status;
	done(t, &e);
}

static char *esc(const char *s)
{
	char *x = curl_easy_escape(NULL, s ? s : "", 0), *r;
	if (!x)
		abort();
	r = xstrdup(x);
	sodium_memzero(x, strlen(x));
	curl_free(x);
	return r;
}

/*
 * ARM's resource identifier ("https://management.azure.com/"), which the
 * token's scope names whatever URL ARM is reached by: the configured host when
 * it is a public cloud's ARM, else (a proxy, a simulator) the public one.
 */
static char *arm_resource(const char *arm)
{
	static const char *const clouds[] = {"https://management.azure.com",
	                                     "https://management.chinacloudapi.cn",
	                                     "https://management.usgovcloudapi.net"};
	for (size_t i = 0; i < sizeof(clouds) / sizeof(clouds[0]); i++) {
		size_t n = strlen(clouds[i]);
		if (strncasecmp(arm, clouds[i], n) == 0 && (arm[n] == '\0' || arm[n] == '/'))
			return xasprintf("%s/", clouds[i]);
	}
	return xasprintf("%s/", clouds[0]);
}

static void client_credentials(struct az_tok *t)
{
	struct err e;
	char *tenant = esc(t->cr->tenant_id), *url, *body;
	char *cid = esc(t->cr->client_id), *sec = esc(t->cr->client_secret), *scope;
	{
		char *r = arm_resource(t->arm), *s = xasprintf("%s.default", r);
		scope = esc(s);
		free(s);
		free(r);
	}
	url = xasprintf("%s/%s/oauth2/v2.0/token", t->login, tenant);
	body = xasprintf("client_id=%s&client_secret=%s&scope=%s&grant_type=client_credentials",
	                 cid, sec, scope);
	{
		struct http_req rq = {.method = "POST",
		                      .url = url,
		                      .body = body,
		                      .body_len = strlen(body),
		                      .content_type = "application/x-www-form-urlencoded",
		                      .idempotent = 1};
		if (http_send(t->h, &rq, on_entra, t, &e) < 0)
			done(t, &e);
	}
	sodium_memzero(body, strlen(body));
	sodium_memzero(sec, strlen(sec));
	free(body);
	free(sec);
	free(url);
	free(cid);
	free(scope);
	free(tenant);
}

static void on_az_output(void *ud, int fd, short rev)
{
	struct az_tok *t = ud;
	ssize_t r;
	t->out = xreallocarray_grow(t->out, &t->cap, t->len + 4097, 1);
	r = read(fd, t->out + t->len, 4096);
	if (r > 0 && t->len + (size_t)r <= AZ_OUT_MAX) {
		t->len += (size_t)r;
		return;
	}
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	{
		int st = 0, ok;
		struct err e;
		pid_t pid = t->pid;
		char *out = t->out;
		size_t len = t->len;
		loop_unwatch(http_loop(t->h), t->fd);
		close(t->fd);
		t->fd = -1;
		waitpid(pid, &st, 0);
		t->pid = 0;
		ok = r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		t->out = NULL;
		t->len = t->cap = 0;
		if (ok) {
			from_json(t, out, len, 1);
		} else {
			err_clear(&e);
			err_set(&e, ERR_AUTH, "%s", _("`az account get-access-token` failed"));
			err_hint(&e, "%s", _("Run `az login` first, or use a service principal."));
			done(t, &e);
		}
		sodium_memzero(out, len);
		free(out);
	}
}

static void run_az(struct az_tok *t)
{
	struct err e;
	int p[2];
	posix_spawn_file_actions_t fa;
	char *res = arm_resource(t->arm);
	char *argv[] = {"az", "account", "get-access-token", "--resource", res, "-o", "json", NULL};
	int rc;
	err_clear(&e);
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(res);
		err_set(&e, ERR_INTERNAL, "pipe: %s", strerror(errno));
		done(t, &e);
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	rc = posix_spawnp(&t->pid, "az", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	free(res);
	if (rc != 0) {
		close(p[0]);
		t->pid = 0;
		if (rc == ENOENT) {
			err_set(&e, ERR_USAGE, "%s",
			        _("the Azure CLI (az) is not installed or not on PATH"));
			err_hint(&e, "%s",
			         _("Install the Azure CLI and run `az login`, or use a "
			           "service principal."));
		} else {
			err_set(&e, ERR_INTERNAL, _("cannot run az: %s"), strerror(rc));
		}
		done(t, &e);
		return;
	}
	t->fd = p[0];
	fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
	if (loop_watch(http_loop(t->h), t->fd, POLLIN, on_az_output, t) < 0) {
		child_cleanup(t);
		err_set(&e, ERR_INTERNAL, "%s", _("too many watched descriptors"));
		done(t, &e);
	}
}

static void json_later(void *ud)
{
	struct az_tok *t = ud;
	from_json(t, t->cli_json, strlen(t->cli_json), 1);
}

void az_tok_fetch(struct az_tok *t)
{
	if (t->fetching)
		return;
	t->fetching = 1;
	if (t->cli_json)
		loop_timer(http_loop(t->h), 0, json_later, t);
	else if (t->cr->az_use_cli)
		run_az(t);
	else
		client_credentials(t);
}
