/* cli_opts: the command line: global options, answer flags, CHLINK_* and the guide's variables. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli_int.h"
#include "i18n.h"
#include "state.h"
#include "textwidth.h"
#include "xmalloc.h"

enum {
	O_PROFILE = 256,
	O_API_URL,
	O_ARM_URL,
	O_LOGIN_URL,
	O_CONNECT_TO,
	O_DNS_SERVER,
	O_CACERT,
	O_LOG,
	O_PASSPHRASE_FILE,
	O_LANG,
	O_DEMO,
	O_YES,
	O_JSON,
	O_TIMEOUT,
	O_SCRIPT,
	O_DUMP_DIR,
	O_REGION,
	O_SERVICE,
	O_SUBSCRIPTION,
	O_RG,
	O_VNET,
	O_SUBNET,
	O_LOCATION,
	O_PE_NAME,
	O_DNS_RG,
	O_ENDPOINT_ID,
	O_PE_GUID,
	O_PE_IP,
	O_ALIAS,
	O_DNS_HOSTNAME,
	O_FORCE,
	O_HELP,
	O_VERSION,
	O_STATE_DIR
};

static const struct option long_opts[] = {
    {"profile", required_argument, NULL, O_PROFILE},
    {"api-url", required_argument, NULL, O_API_URL},
    {"arm-url", required_argument, NULL, O_ARM_URL},
    {"login-url", required_argument, NULL, O_LOGIN_URL},
    {"connect-to", required_argument, NULL, O_CONNECT_TO},
    {"dns-server", required_argument, NULL, O_DNS_SERVER},
    {"cacert", required_argument, NULL, O_CACERT},
    {"log", required_argument, NULL, O_LOG},
    {"passphrase-file", required_argument, NULL, O_PASSPHRASE_FILE},
    {"lang", required_argument, NULL, O_LANG},
    {"demo", no_argument, NULL, O_DEMO},
    {"yes", no_argument, NULL, O_YES},
    {"json", no_argument, NULL, O_JSON},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"script", required_argument, NULL, O_SCRIPT},
    {"dump-dir", required_argument, NULL, O_DUMP_DIR},
    {"state-dir", required_argument, NULL, O_STATE_DIR},
    {"region", required_argument, NULL, O_REGION},
    {"service", required_argument, NULL, O_SERVICE},
    {"subscription", required_argument, NULL, O_SUBSCRIPTION},
    {"resource-group", required_argument, NULL, O_RG},
    {"vnet", required_argument, NULL, O_VNET},
    {"subnet", required_argument, NULL, O_SUBNET},
    {"location", required_argument, NULL, O_LOCATION},
    {"pe-name", required_argument, NULL, O_PE_NAME},
    {"dns-resource-group", required_argument, NULL, O_DNS_RG},
    {"endpoint-id", required_argument, NULL, O_ENDPOINT_ID},
    {"pe-guid", required_argument, NULL, O_PE_GUID},
    {"pe-ip", required_argument, NULL, O_PE_IP},
    {"alias", required_argument, NULL, O_ALIAS},
    {"dns-hostname", required_argument, NULL, O_DNS_HOSTNAME},
    {"force", no_argument, NULL, O_FORCE},
    {"help", no_argument, NULL, O_HELP},
    {"version", no_argument, NULL, O_VERSION},
    {NULL, 0, NULL, 0},
};

enum { HELP_COLS = 80 };

/*
 * Where a help line's description starts, in bytes: after the first run of two or more
 * blanks that follows the option or command. 0 when the line has none.
 */
static size_t help_indent(const char *line, size_t n)
{
	size_t i = 0;

	while (i < n && line[i] == ' ')
		i++;
	for (; i + 1 < n; i++)
		if (line[i] == ' ' && line[i + 1] == ' ') {
			while (i < n && line[i] == ' ')
				i++;
			return i;
		}
	return 0;
}

/*
 * Print help text laid out by display width: a line wider than 80 cells goes on under its
 * description column, broken where tw_wrap_line allows (after a space in Latin text,
 * between two Japanese characters but never before 、。) — never by bytes.
 */
static void put_help(FILE *out, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n"), ind;
		const char *s, *end = p + n, *next;
		int col;

		if (tw_width_n(p, n) <= HELP_COLS) {
			fprintf(out, "%.*s\n", (int)n, p);
			p = *end == '\n' ? end + 1 : end;
			continue;
		}
		ind = help_indent(p, n);
		col = tw_width_n(p, ind);
		if (col > HELP_COLS / 2)
			ind = 0, col = 0;
		fprintf(out, "%.*s", (int)ind, p);
		for (s = p + ind; s < end; s = next) {
			size_t len = tw_wrap_line(s, HELP_COLS - col, &next);
			fprintf(out, "%*s%.*s\n", s == p + ind ? 0 : col, "", (int)len, s);
		}
		p = *end == '\n' ? end + 1 : end;
	}
}

void cli_usage(FILE *out)
{
	put_help(out, _("Usage: chlink [OPTION]... [COMMAND [ARG]...]\n"
	                "Set up Azure Private Link to a ClickHouse Cloud service.\n"
	                "Without a command, chlink runs the interactive wizard.\n\n"));
	put_help(
	    out,
	    _("Commands:\n"
	      "  status [--json]             observe every step and print a checklist\n"
	      "  apply [--yes] [--timeout S] perform the missing steps, then wait for access\n"
	      "  doctor [--json]             the guide's troubleshooting, automated\n"
	      "  teardown [--yes] [--force]  undo every step in reverse order\n"
	      "  export terraform|curl|json  print the setup as Terraform, curl commands or JSON\n"
	      "  creds ...                   manage the encrypted credentials\n\n"));
	put_help(
	    out,
	    _("Global options:\n"
	      "      --profile NAME          profile to use (default: default)\n"
	      "      --api-url URL           ClickHouse Cloud API (https://api.clickhouse.cloud)\n"
	      "      --arm-url URL           Azure Resource Manager "
	      "(https://management.azure.com)\n"
	      "      --login-url URL         Microsoft Entra (https://login.microsoftonline.com)\n"
	      "      --connect-to H:P:A:P    route the access probes (repeatable, curl syntax)\n"
	      "      --dns-server ADDR[:PORT] resolver for the DNS probe\n"
	      "      --cacert FILE           extra CA certificates to trust\n"
	      "      --log FILE              write a request log (never holds secrets)\n"
	      "      --passphrase-file FILE  read the vault passphrase from FILE\n"
	      "      --lang en|ja            language of the messages\n"
	      "      --demo                  run against the built-in simulator\n"
	      "      --yes                   do not ask before creating or deleting\n"
	      "      --json                  machine-readable output (status, doctor)\n"
	      "      --timeout SECONDS       how long apply waits (default 900)\n"
	      "      --force                 teardown: delete what chlink did not create too\n"
	      "      --state-dir DIR         where profiles live (default $XDG_STATE_HOME/chlink)\n"
	      "      --script FILE, --dump-dir DIR  headless wizard (tests)\n"
	      "      --help                  show this help and exit\n"
	      "      --version               show the version and exit\n\n"));
	put_help(
	    out,
	    _("Answers (saved in the profile):\n"
	      "      --region REGION         ClickHouse service region, e.g. westus3 (REGION)\n"
	      "      --service NAME|ID       service to connect (repeatable; INSTANCE_ID)\n"
	      "      --subscription ID       Azure subscription\n"
	      "      --resource-group RG     resource group of the endpoint\n"
	      "      --vnet NAME|ID          virtual network\n"
	      "      --subnet NAME|ID        subnet of the endpoint\n"
	      "      --location LOCATION     region of the VNet (default: the service's)\n"
	      "      --pe-name NAME          private endpoint name\n"
	      "      --dns-resource-group RG resource group of the private DNS zone\n"
	      "      --endpoint-id guid|resource-id  which id ClickHouse gets (default guid)\n"
	      "      --pe-guid GUID          portal path: the endpoint's resourceGuid "
	      "(ENDPOINT_ID)\n"
	      "      --pe-ip IP              portal path: the endpoint's private IP\n"
	      "      --alias NAME            console path: the service name (endpointServiceId)\n"
	      "      --dns-hostname HOST     console path: the private DNS hostname\n\n"));
	put_help(out,
	         _("Exit status: 0 done, 1 error, 2 usage, 3 incomplete (or doctor findings).\n"
	           "See chlink(1) for the environment variables and files.\n"));
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "chlink: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  %s %s\n", _("hint:"), _("see chlink --help"));
	return EXIT_USAGE;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int add_connect_to(struct cli_ctx *c, const char *v)
{
	size_t n = 0;

	while (c->connect_to[n])
		n++;
	if (n >= CLI_MAX_CONNECT_TO)
		return usage_error(_("too many --connect-to (at most %s)"), "16");
	c->connect_to[n] = v;
	c->cfg.connect_to = c->connect_to;
	return 0;
}

static int set_manual_id(struct cli_ctx *c, const char *v)
{
	if (!flow_valid_guid(v) && !flow_valid_pe_resource_id(v))
		return usage_error(_("\"%s\" is neither a GUID nor a private endpoint resource id"),
		                   v);
	set_str(&c->given.manual_pe_guid, v);
	return 0;
}

static int answer_opt(struct cli_ctx *c, int opt, const char *v)
{
	struct flow_answers *a = &c->given;

	switch (opt) {
	case O_REGION:
		set_str(&a->region, v);
		break;
	case O_SERVICE:
		a->services = xrealloc(a->services, (a->n_services + 1) * sizeof *a->services);
		a->services[a->n_services++] = xstrdup(v);
		break;
	case O_SUBSCRIPTION:
		set_str(&a->subscription, v);
		break;
	case O_RG:
		set_str(&a->resource_group, v);
		break;
	case O_VNET:
		set_str(&a->vnet, v);
		break;
	case O_SUBNET:
		set_str(&a->subnet, v);
		break;
	case O_LOCATION:
		set_str(&a->location, v);
		break;
	case O_PE_NAME:
		set_str(&a->pe_name, v);
		break;
	case O_DNS_RG:
		set_str(&a->dns_resource_group, v);
		break;
	case O_PE_GUID:
		return set_manual_id(c, v);
	case O_PE_IP:
		if (!flow_valid_ipv4(v))
			return usage_error(_("\"%s\" is not an IPv4 address"), v);
		set_str(&a->manual_pe_ip, v);
		break;
	case O_ALIAS:
		if (!flow_valid_alias(v))
			return usage_error(_("\"%s\" is not a service name: it should end with "
			                     ".azure.privatelinkservice"),
			                   v);
		set_str(&a->manual_alias, v);
		break;
	case O_DNS_HOSTNAME:
		if (!flow_valid_private_hostname(v))
			return usage_error(_("\"%s\" is not a private DNS hostname: it looks like "
			                     "ID.REGION.privatelink.azure.clickhouse.cloud"),
			                   v);
		set_str(&a->manual_hostname, v);
		break;
	case O_ENDPOINT_ID:
		if (strcmp(v, "guid") == 0)
			a->id_form = FLOW_ID_GUID;
		else if (strcmp(v, "resource-id") == 0)
			a->id_form = FLOW_ID_RESOURCE_ID;
		else
			return usage_error(_("--endpoint-id takes guid or resource-id, not \"%s\""),
			                   v);
		c->have_id_form = 1;
		break;
	default:
		return -1;
	}
	return 0;
}

static int global_opt(struct cli_ctx *c, int opt, const char *v)
{
	char *end;

	switch (opt) {
	case O_PROFILE:
		if (!state_valid_profile(v))
			return usage_error(_("invalid profile name \"%s\""), v);
		c->cfg.profile = v;
		break;
	case O_API_URL:
		c->cfg.api_url = v;
		break;
	case O_ARM_URL:
		c->cfg.arm_url = v;
		break;
	case O_LOGIN_URL:
		c->cfg.login_url = v;
		break;
	case O_CONNECT_TO:
		return add_connect_to(c, v);
	case O_DNS_SERVER:
		c->cfg.dns_server = v;
		break;
	case O_CACERT:
		c->cfg.cacert = v;
		break;
	case O_LOG:
		c->log_path = v;
		break;
	case O_PASSPHRASE_FILE:
		c->o.passphrase_file = v;
		break;
	case O_LANG:
		c->o.lang = v;
		break;
	case O_DEMO:
		c->o.demo = c->cfg.demo = 1;
		break;
	case O_YES:
		c->o.yes = 1;
		break;
	case O_JSON:
		c->o.json = 1;
		break;
	case O_SCRIPT:
		c->o.script = v;
		break;
	case O_DUMP_DIR:
		c->o.dump_dir = v;
		break;
	case O_STATE_DIR:
		c->cfg.state_dir = v;
		break;
	case O_FORCE:
		c->force = 1;
		break;
	case O_HELP:
		c->help = 1;
		break;
	case O_VERSION:
		c->version = 1;
		break;
	case O_TIMEOUT:
		errno = 0;
		c->o.timeout_s = strtol(v, &end, 10);
		if (errno || end == v || *end || c->o.timeout_s <= 0)
			return usage_error(
			    _("--timeout takes a positive number of seconds, not \"%s\""), v);
		break;
	default:
		return answer_opt(c, opt, v);
	}
	return 0;
}

/* One getopt pass; "+" stops at the first word when `stop_at_word`. */
static int parse_pass(struct cli_ctx *c, int argc, char **argv, int stop_at_word)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, stop_at_word ? "+" : "", long_opts, NULL)) != -1) {
		int rc;
		if (opt == '?' || opt == ':') {
			const char *bad = argv[optind - 1];
			return usage_error(optopt ? _("option %s needs an argument")
			                          : _("unknown option %s"),
			                   bad);
		}
		rc = global_opt(c, opt, optarg);
		if (rc)
			return rc < 0 ? EXIT_USAGE : rc;
	}
	return 0;
}

static void env_defaults(struct cli_ctx *c)
{
	static const struct {
		const char *name;
		size_t off;
	} envs[] = {
	    {"CHLINK_PROFILE", offsetof(struct flow_config, profile)},
	    {"CHLINK_API_URL", offsetof(struct flow_config, api_url)},
	    {"CHLINK_ARM_URL", offsetof(struct flow_config, arm_url)},
	    {"CHLINK_LOGIN_URL", offsetof(struct flow_config, login_url)},
	    {"CHLINK_DNS_SERVER", offsetof(struct flow_config, dns_server)},
	    {"CHLINK_CACERT", offsetof(struct flow_config, cacert)},
	};
	const char *v;

	for (size_t i = 0; i < sizeof envs / sizeof envs[0]; i++)
		if ((v = getenv(envs[i].name)) && *v)
			*(const char **)(void *)((char *)&c->cfg + envs[i].off) = v;
	if ((v = getenv("CHLINK_LOG")) && *v)
		c->log_path = v;
	if ((v = getenv("CHLINK_PASSPHRASE_FILE")) && *v)
		c->o.passphrase_file = v;
	if ((v = getenv("CHLINK_LANG")) && *v)
		c->o.lang = v;
	if ((v = getenv("CHLINK_CONNECT_TO")) && *v) {
		char *save = NULL, *tok;
		c->connect_to_env = xstrdup(v);
		for (tok = strtok_r(c->connect_to_env, ", ", &save); tok;
		     tok = strtok_r(NULL, ", ", &save))
			if (add_connect_to(c, tok))
				break;
	}
}

/* The guide's shell variables, used when no flag gave the answer. */
static int guide_variables(struct cli_ctx *c)
{
	struct flow_answers *a = &c->given;
	const char *v;

	if ((v = getenv("PROVIDER")) && *v && strcasecmp(v, "azure") != 0)
		return usage_error(_("PROVIDER is \"%s\"; chlink sets up Azure Private Link only"),
		                   v);
	if (!a->region && (v = getenv("REGION")) && *v)
		a->region = xstrdup(v);
	if (a->n_services == 0 && (v = getenv("INSTANCE_ID")) && *v) {
		a->services = xcalloc(1, sizeof *a->services);
		a->services[a->n_services++] = xstrdup(v);
	}
	if (!a->manual_pe_guid && (v = getenv("ENDPOINT_ID")) && *v)
		return set_manual_id(c, v) ? EXIT_USAGE : 0;
	return 0;
}

int cli_parse(struct cli_ctx *c, int argc, char **argv)
{
	int rc;

	env_defaults(c);
	if (!state_valid_profile(c->cfg.profile))
		return usage_error(_("invalid profile name \"%s\" in CHLINK_PROFILE"),
		                   c->cfg.profile);
	optind = 0; /* glibc: 0 re-initialises getopt */
	if ((rc = parse_pass(c, argc, argv, 1)))
		return rc;
	if (optind < argc) {
		c->command = argv[optind];
		if (strcmp(c->command, "creds") == 0) {
			/* creds parses its own options. */
			c->argc = argc - optind - 1;
			c->argv = argv + optind + 1;
			return guide_variables(c);
		}
		argc -= optind;
		argv += optind;
		optind = 0;
		if ((rc = parse_pass(c, argc, argv, 0)))
			return rc;
		c->argc = argc - optind;
		c->argv = argv + optind;
	}
	return guide_variables(c);
}

void cli_merge_answers(struct flow_answers *dst, const struct flow_answers *given, int have_id_form)
{
	char **d[] = {&dst->region,         &dst->subscription,
	              &dst->resource_group, &dst->vnet,
	              &dst->subnet,         &dst->location,
	              &dst->pe_name,        &dst->dns_resource_group,
	              &dst->manual_pe_guid, &dst->manual_pe_ip,
	              &dst->manual_alias,   &dst->manual_hostname};
	char *const s[] = {given->region,         given->subscription,
	                   given->resource_group, given->vnet,
	                   given->subnet,         given->location,
	                   given->pe_name,        given->dns_resource_group,
	                   given->manual_pe_guid, given->manual_pe_ip,
	                   given->manual_alias,   given->manual_hostname};

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (s[i])
			set_str(d[i], s[i]);
	if (given->n_services) {
		for (size_t i = 0; i < dst->n_services; i++)
			free(dst->services[i]);
		free(dst->services);
		dst->services = xcalloc(given->n_services, sizeof(char *));
		for (size_t i = 0; i < given->n_services; i++)
			dst->services[i] = xstrdup(given->services[i]);
		dst->n_services = given->n_services;
	}
	if (have_id_form)
		dst->id_form = given->id_form;
}

void cli_ctx_free(struct cli_ctx *c)
{
	state_answers_clear(&c->given);
	free(c->connect_to_env);
}
