/* demo: the in-process simulator and a throw-away home for `chlink --demo`. */
#include "config.h"
#define _XOPEN_SOURCE_EXTENDED 1
#include <cjson/cJSON.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "creds_mem.h"
#include "demo.h"
#include "fsutil.h"
#include "i18n.h"
#include "sim/server.h"
#include "xmalloc.h"

/* Pending is visible for a few seconds, long-running operations take one or two. */
static const char demo_faults[] =
    "{\"lro_ms\":1500,\"retry_after_s\":1,\"approval_delay_ms\":3000}";

struct demo {
	struct sim_server *srv;
	char *dir;
	char *state_dir;
	char *base_url;
	char *cacert;
	char *dns_server;
	char *connect_to[3];
	struct creds *creds;
};

static const char *jstr(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The simulator's identity becomes the demo's credentials (its keys are not secrets). */
static int take_identity(struct demo *d, const char *info, struct err *e)
{
	cJSON *j = cJSON_Parse(info);
	const char *base, *ca;
	const cJSON *dns, *tls;

	if (j == NULL)
		return err_set(e, ERR_INTERNAL, "%s", _("the simulator's ready line is not JSON"));
	base = jstr(j, "base_url", NULL);
	ca = jstr(j, "cacert", NULL);
	dns = cJSON_GetObjectItemCaseSensitive(j, "dns");
	tls = cJSON_GetObjectItemCaseSensitive(j, "tls");
	if (base == NULL || ca == NULL || !cJSON_IsNumber(dns) || !cJSON_IsNumber(tls)) {
		cJSON_Delete(j);
		return err_set(e, ERR_INTERNAL, "%s",
		               _("the simulator's ready line is incomplete"));
	}
	d->base_url = xstrdup(base);
	d->cacert = xstrdup(ca);
	d->dns_server = xasprintf("127.0.0.1:%d", dns->valueint);
	/* Every private hostname on the native and HTTPS ports goes to the TLS stand-in. */
	d->connect_to[0] = xasprintf(":9440:127.0.0.1:%d", tls->valueint);
	d->connect_to[1] = xasprintf(":8443:127.0.0.1:%d", tls->valueint);
	d->creds = creds_new();
	d->creds->key_id = creds_sec_strdup(jstr(j, "admin_key", "id"));
	d->creds->key_secret = creds_sec_strdup(jstr(j, "admin_key", "secret"));
	d->creds->org_id = creds_sec_strdup(jstr(j, "org", NULL));
	d->creds->tenant_id = creds_sec_strdup(jstr(j, "azure", "tenant"));
	d->creds->client_id = creds_sec_strdup(jstr(j, "azure", "client_id"));
	d->creds->client_secret = creds_sec_strdup(jstr(j, "azure", "client_secret"));
	d->creds->subscription_id = creds_sec_strdup(jstr(j, "azure", "subscription"));
	cJSON_Delete(j);
	return 0;
}

static void publish_info(const char *info)
{
	const char *path = getenv("CHLINK_DEMO_INFO");
	struct err e;

	if (path != NULL && *path != '\0') {
		char *line = xasprintf("%s\n", info);
		fs_write_atomic(path, line, strlen(line), 0600, &e);
		free(line);
	}
}

struct demo *demo_start(struct flow_config *cfg, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	struct demo *d = xcalloc(1, sizeof *d);
	struct sim_server_opts o = {.faults_json = demo_faults, .seed = 1};
	char *info;

	d->dir = xasprintf("%s/chlink-demo.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(d->dir) == NULL) {
		err_set(e, ERR_IO, _("cannot create a directory for the demo in %s"),
		        tmp != NULL && *tmp ? tmp : "/tmp");
		free(d->dir);
		free(d);
		return NULL;
	}
	/*
	 * CHLINK_DEMO_STATE keeps the simulated world (and the demo profile
	 * beside it) across runs, so a demo can show recovering a half-finished
	 * setup; otherwise everything lives in the throw-away directory.
	 */
	o.state_path = getenv("CHLINK_DEMO_STATE");
	if (o.state_path != NULL && *o.state_path != '\0')
		d->state_dir = xasprintf("%s.profiles", o.state_path);
	else {
		o.state_path = NULL;
		d->state_dir = xasprintf("%s/state", d->dir);
	}
	o.ca_dir = d->dir;
	if ((d->srv = sim_server_start(&o, e)) == NULL) {
		err_wrap(e, "%s", _("cannot start the simulator for the demo"));
		demo_stop(d);
		return NULL;
	}
	info = sim_server_info_json(d->srv);
	if (take_identity(d, info, e) < 0) {
		free(info);
		demo_stop(d);
		return NULL;
	}
	publish_info(info);
	free(info);
	cfg->profile = "demo";
	cfg->state_dir = d->state_dir;
	cfg->api_url = cfg->arm_url = cfg->login_url = d->base_url;
	cfg->cacert = d->cacert;
	cfg->dns_server = d->dns_server;
	cfg->connect_to = (const char *const *)d->connect_to;
	cfg->creds = d->creds;
	cfg->demo = 1;
	return d;
}

static void set(char **slot, const char *v)
{
	if (*slot == NULL)
		*slot = xstrdup(v);
}

void demo_prefill(struct flow_answers *a)
{
	set(&a->region, "westus3");
	set(&a->resource_group, "rg-app");
	set(&a->vnet, "vnet-app");
	set(&a->subnet, "snet-pe");
	set(&a->location, "westus3");
	set(&a->pe_name, "pe-clickhouse-demo");
	if (a->n_services == 0) {
		a->services = xcalloc(1, sizeof *a->services);
		a->services[0] = xstrdup("prod-analytics");
		a->n_services = 1;
	}
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void demo_stop(struct demo *d)
{
	if (d == NULL)
		return;
	if (d->srv != NULL)
		sim_server_stop(d->srv, NULL);
	if (d->dir != NULL)
		nftw(d->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	creds_free(d->creds);
	free(d->dir);
	free(d->state_dir);
	free(d->base_url);
	free(d->cacert);
	free(d->dns_server);
	for (int i = 0; i < 2; i++)
		free(d->connect_to[i]);
	free(d);
}
