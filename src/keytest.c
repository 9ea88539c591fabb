/*
 * keytest: ask both APIs what the keys can do. The probes run on the caller's
 * loop; completion is announced from a zero-delay timer so the caller may free the
 * test (and its HTTP client) from the callback without pulling the ground from
 * under the transfer that just ended.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "azure.h"
#include "chc.h"
#include "http.h"
#include "i18n.h"
#include "keytest.h"
#include "xmalloc.h"

struct keytest {
	struct loop *l;
	struct http *h;
	struct chc *ch;
	struct azure *az;
	const struct creds *cr;
	void (*done)(void *arg);
	void *arg;
	unsigned timer;
	int pending; /* answers still out, +1 while keytest_start is queueing */
	char role[32];
	struct err ch_err, az_err;
	int ch_failed, az_failed, az_skipped;
	size_t n_rgs;
};

static void fire(void *ud)
{
	struct keytest *t = ud;

	t->timer = 0;
	t->done(t->arg);
}

static void settle(struct keytest *t)
{
	if (--t->pending == 0)
		t->timer = loop_timer(t->l, 0, fire, t);
}

static void on_role(void *ud, const char *role, const struct err *e)
{
	struct keytest *t = ud;

	if (role == NULL) {
		t->ch_failed = 1;
		if (e != NULL)
			t->ch_err = *e;
	} else {
		snprintf(t->role, sizeof t->role, "%s", role);
	}
	settle(t);
}

static void on_rgs(void *ud, struct az_rg_list *l, const struct err *e)
{
	struct keytest *t = ud;

	if (l == NULL) {
		t->az_failed = 1;
		if (e != NULL)
			t->az_err = *e;
	} else {
		t->n_rgs = l->n;
		az_rg_list_free(l);
	}
	settle(t);
}

/* A probe that could not even be queued counts as answered, with its error. */
static void start_probes(struct keytest *t, const struct flow_config *cfg)
{
	struct azure_opts ao = {
	    .arm_url = cfg->arm_url, .login_url = cfg->login_url, .creds = t->cr};
	struct err e;

	t->pending++;
	if (chc_get_key_role(t->ch, on_role, t) != 0) {
		t->ch_failed = 1;
		err_set(&t->ch_err, ERR_INTERNAL, "%s", _("the request could not be sent"));
	} else {
		t->pending++;
	}
	if (t->az_skipped)
		goto out;
	err_clear(&e);
	if ((t->az = azure_new(t->h, &ao, &e)) == NULL) {
		t->az_failed = 1;
		t->az_err = e;
	} else if (azure_rg_list(t->az, on_rgs, t) != 0) {
		t->az_failed = 1;
		err_set(&t->az_err, ERR_INTERNAL, "%s", _("the request could not be sent"));
	} else {
		t->pending++;
	}
out:
	settle(t);
}

struct keytest *keytest_start(struct loop *l, const struct flow_config *cfg, const struct creds *cr,
                              void (*done)(void *arg), void *arg, struct err *e)
{
	struct http_opts ho = {.cacert = cfg->cacert,
	                       .max_retries = -1,
	                       .log = cfg->log,
	                       .connect_to = cfg->connect_to,
	                       .state_dir = cfg->state_dir};
	struct keytest *t = xcalloc(1, sizeof *t);

	*t = (struct keytest){.l = l, .cr = cr, .done = done, .arg = arg};
	t->az_skipped = cr->subscription_id == NULL || cr->subscription_id[0] == '\0';
	if ((t->h = http_new(l, &ho, e)) == NULL ||
	    (t->ch = chc_new(t->h, cfg->api_url ? cfg->api_url : "https://api.clickhouse.cloud", cr,
	                     e)) == NULL) {
		keytest_finish(t, NULL, 0, NULL);
		return NULL;
	}
	start_probes(t, cfg);
	return t;
}

static void report_lines(const struct keytest *t, char *out, size_t n)
{
	int k;

	if (t->ch_failed)
		k = snprintf(out, n, _("ClickHouse Cloud: %s\n"), t->ch_err.msg);
	else if (strcmp(t->role, "admin") == 0)
		k = snprintf(out, n, "%s\n",
		             _("ClickHouse Cloud: the key works and has the Admin role"));
	else if (strcmp(t->role, "unknown") == 0) /* this API does not list keys (chc.c) */
		k = snprintf(out, n, "%s\n",
		             _("ClickHouse Cloud: the key works; this API does not say its role "
		               "(managing Private Link needs an Admin key)"));
	else
		k = snprintf(out, n,
		             _("ClickHouse Cloud: the key works but its role is %s; managing "
		               "Private Link needs an Admin key\n"),
		             t->role);
	if (k < 0 || (size_t)k >= n)
		return;
	if (t->az_skipped)
		snprintf(out + k, n - (size_t)k, "%s\n", _("Azure: no credentials stored"));
	else if (t->az_failed)
		snprintf(out + k, n - (size_t)k, _("Azure: %s\n"), t->az_err.msg);
	else
		snprintf(out + k, n - (size_t)k,
		         _("Azure: subscription %s is reachable (%zu resource groups)\n"),
		         t->cr->subscription_id, t->n_rgs);
}

int keytest_finish(struct keytest *t, char *report, size_t n, struct err *e)
{
	int rc = 0;

	struct err ignored;

	if (e == NULL)
		e = &ignored;
	if (t->pending > 0 || t->timer != 0) {
		rc = err_set(e, ERR_INTERNAL, "%s", _("the key test was abandoned"));
	} else if (report != NULL && n > 0) {
		report_lines(t, report, n);
		if (t->ch_failed || t->az_failed)
			rc = err_set(e, ERR_AUTH, "%s", _("some keys do not work"));
	}
	if (t->timer != 0)
		loop_cancel(t->l, t->timer);
	azure_free(t->az);
	chc_free(t->ch);
	http_free(t->h);
	free(t);
	return rc;
}

static void set_flag(void *arg)
{
	*(int *)arg = 1;
}

int keytest_run(const struct flow_config *cfg, const struct creds *cr, char *report, size_t n,
                struct err *e)
{
	struct loop *l = loop_new(e);
	struct keytest *t;
	int done = 0, rc = -1;

	if (l == NULL)
		return -1;
	if ((t = keytest_start(l, cfg, cr, set_flag, &done, e)) != NULL) {
		while (!done && loop_once(l, 1000) >= 0)
			;
		rc = keytest_finish(t, report, n, e);
	}
	loop_free(l);
	return rc;
}
