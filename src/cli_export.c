/* cli_export: `chlink export terraform|curl|json`: the observed setup in another form, no secrets.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_int.h"
#include "export.h"
#include "i18n.h"
#include "xmalloc.h"

static char *render(struct cli_ctx *c, const char *kind)
{
	const struct flow_view *v = flow_view(c->flow);
	const struct flow_answers *a = flow_answers(c->flow);
	struct export_values x;
	const char **ids = xcalloc(v->n_services + 1, sizeof *ids);
	const char **names = xcalloc(v->n_services + 1, sizeof *names);
	char *out, *vnet = NULL, *subnet = NULL;

	memset(&x, 0, sizeof x);
	for (size_t i = 0; i < v->n_services; i++)
		if (v->services[i].chosen) {
			ids[x.n_services] = v->services[i].id;
			names[x.n_services++] = v->services[i].name;
		}
	x.profile = c->cfg.profile;
	x.api_url = c->cfg.api_url;
	x.arm_url = c->cfg.arm_url;
	x.org_id = c->cfg.creds ? c->cfg.creds->org_id : NULL;
	x.region = a->region;
	x.service_ids = ids;
	x.service_names = names;
	x.alias = v->endpoint_service_id;
	x.hostname = v->private_dns_hostname;
	x.subscription = a->subscription ? a->subscription
	                                 : (c->cfg.creds ? c->cfg.creds->subscription_id : NULL);
	x.resource_group = a->resource_group;
	x.dns_resource_group = a->dns_resource_group;
	x.location = a->location ? a->location : v->pe_location;
	x.pe_name = v->pe_name ? v->pe_name : a->pe_name;
	if (x.subscription && x.resource_group && a->vnet) {
		vnet = a->vnet[0] == '/'
		           ? xstrdup(a->vnet)
		           : xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
		                       "Microsoft.Network/virtualNetworks/%s",
		                       x.subscription, x.resource_group, a->vnet);
		if (a->subnet)
			subnet = a->subnet[0] == '/' ? xstrdup(a->subnet)
			                             : xasprintf("%s/subnets/%s", vnet, a->subnet);
	}
	x.vnet_id = vnet;
	x.subnet_id = subnet;
	x.pe_id = v->pe_id;
	x.pe_guid = v->pe_guid;
	x.pe_ip = v->pe_ip;
	x.id_form = a->id_form;
	out = strcmp(kind, "terraform") == 0 ? export_terraform(&x) : export_curl(&x);
	free(vnet);
	free(subnet);
	free(ids);
	free(names);
	return out;
}

int cli_export(struct cli_ctx *c)
{
	const char *kind = c->argc == 1 ? c->argv[0] : NULL;
	struct err e;
	char *text;

	if (!kind || (strcmp(kind, "terraform") && strcmp(kind, "curl") && strcmp(kind, "json"))) {
		cli_errorf("%s", _("export takes one of: terraform, curl, json"));
		return EXIT_USAGE;
	}
	err_clear(&e);
	if (cli_check(c, &e) < 0) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	text = strcmp(kind, "json") == 0 ? cli_status_json(c) : render(c, kind);
	fputs(text, stdout);
	if (text[0] && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	free(text);
	return EXIT_OK;
}
