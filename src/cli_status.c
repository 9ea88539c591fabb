/* cli_status: `chlink status`: the checklist on a terminal, or one stable JSON object. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli_int.h"
#include "i18n.h"
#include "textwidth.h"
#include "xmalloc.h"

const char *cli_mark(const struct cli_ctx *c, enum flow_state s)
{
	static const char *const utf8[] = {"?", " ", "…", "✓", "✗"};
	static const char *const ascii[] = {"?", " ", ".", "+", "x"};

	if ((unsigned)s > FLOW_FAILED)
		s = FLOW_UNKNOWN;
	return c->utf8 ? utf8[s] : ascii[s];
}

void cli_status_text(const struct cli_ctx *c, FILE *out)
{
	const struct flow_view *v = flow_view(c->flow);
	int w = 0;
	char cell[128];

	for (int s = 0; s < FLOW_NSTEPS; s++) {
		int tw = tw_width(_(flow_step_info((enum flow_step)s)->title));
		if (tw > w)
			w = tw;
	}
	for (int s = 0; s < FLOW_NSTEPS; s++) {
		const struct flow_step_info *in = flow_step_info((enum flow_step)s);
		tw_pad(_(in->title), w, cell, sizeof cell);
		fprintf(out, "[%s] %d %s  %s\n", cli_mark(c, v->step[s].state), in->stage, cell,
		        v->step[s].detail);
	}
	for (size_t i = 0; i < v->n_services; i++)
		if (v->services[i].chosen)
			fprintf(out,
			        v->services[i].allowed
			            ? _("Service: %s (%s) allows the endpoint\n")
			            : _("Service: %s (%s) does not list the endpoint\n"),
			        v->services[i].name, v->service_region ? v->service_region : "-");
	if (v->endpoint_service_id)
		fprintf(out, "%s %s\n", _("Alias:"), v->endpoint_service_id);
	if (v->private_dns_hostname)
		fprintf(out, "%s %s\n", _("Private hostname:"), v->private_dns_hostname);
	if (v->pe_id)
		fprintf(out, "%s %s\n", _("Endpoint:"), v->pe_id);
	if (v->pe_guid)
		fprintf(out, "%s %s\n", _("resourceGuid:"), v->pe_guid);
	if (v->conn)
		fprintf(out, "%s %s\n", _("Connection:"), flow_conn_word(v->conn));
	if (v->waiting_on)
		fprintf(out, "%s %s\n", _("Waiting on:"), v->waiting_on);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void add_service(cJSON *root, const struct flow_view *v)
{
	cJSON *svc = cJSON_AddObjectToObject(root, "service"), *arr;

	add_str(svc, "id", v->service_id);
	for (size_t i = 0; i < v->n_services; i++)
		if (v->services[i].chosen &&
		    !strcmp(v->services[i].id, v->service_id ? v->service_id : ""))
			add_str(svc, "name", v->services[i].name);
	if (!cJSON_GetObjectItem(svc, "name"))
		cJSON_AddNullToObject(svc, "name");
	add_str(svc, "region", v->service_region);
	add_str(svc, "endpointServiceId", v->endpoint_service_id);
	add_str(svc, "privateDnsHostname", v->private_dns_hostname);
	arr = cJSON_AddArrayToObject(root, "services");
	for (size_t i = 0; i < v->n_services; i++) {
		cJSON *s = cJSON_CreateObject();
		add_str(s, "id", v->services[i].id);
		add_str(s, "name", v->services[i].name);
		add_str(s, "tier", v->services[i].tier);
		cJSON_AddBoolToObject(s, "chosen", v->services[i].chosen);
		cJSON_AddBoolToObject(s, "allowed", v->services[i].allowed);
		cJSON_AddItemToArray(arr, s);
	}
}

char *cli_status_json(const struct cli_ctx *c)
{
	const struct flow_view *v = flow_view(c->flow);
	const struct flow_answers *a = flow_answers(c->flow);
	cJSON *root = cJSON_CreateObject(), *arr, *o;
	char *text;

	cJSON_AddStringToObject(root, "profile", c->cfg.profile);
	add_str(root, "region", a->region);
	arr = cJSON_AddArrayToObject(root, "steps");
	for (int s = 0; s < FLOW_NSTEPS; s++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", flow_step_info((enum flow_step)s)->key);
		cJSON_AddStringToObject(o, "state", flow_state_name(v->step[s].state));
		cJSON_AddStringToObject(o, "detail", v->step[s].detail);
		cJSON_AddItemToArray(arr, o);
	}
	add_service(root, v);
	o = cJSON_AddObjectToObject(root, "endpoint");
	add_str(o, "id", v->pe_id);
	add_str(o, "name", v->pe_name);
	add_str(o, "resourceGuid", v->pe_guid);
	add_str(o, "ip", v->pe_ip);
	add_str(o, "connectionStatus", v->conn ? flow_conn_name(v->conn) : NULL);
	add_str(o, "provisioningState", v->pe_provisioning);
	add_str(o, "location", v->pe_location);
	o = cJSON_AddObjectToObject(root, "dns");
	add_str(o, "zone", v->zone);
	add_str(o, "record", v->record_ip);
	add_str(o, "link", v->link);
	o = cJSON_AddObjectToObject(root, "org");
	cJSON_AddBoolToObject(o, "registered", v->org_registered);
	o = cJSON_AddObjectToObject(root, "allowlist");
	cJSON_AddNumberToObject(o, "done", v->allow_done);
	cJSON_AddNumberToObject(o, "total", v->allow_total);
	o = cJSON_AddObjectToObject(root, "access");
	cJSON_AddBoolToObject(o, "dns", v->dns_ok);
	cJSON_AddBoolToObject(o, "tls", v->tls_ok);
	cJSON_AddBoolToObject(o, "ping", v->ping_ok);
	add_str(root, "waitingOn", v->waiting_on);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		abort();
	return text;
}

int cli_status(struct cli_ctx *c)
{
	struct err e;

	err_clear(&e);
	if (cli_check(c, &e) < 0) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	if (c->o.json) {
		char *j = cli_status_json(c);
		puts(j);
		free(j);
	} else {
		cli_status_text(c, stdout);
	}
	return flow_first_missing(c->flow) == FLOW_NSTEPS ? EXIT_OK : EXIT_INCOMPLETE;
}
