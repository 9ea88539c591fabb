/* main: the chlink-sim program — flags, start, one ready line, run until a signal. */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "fsutil.h"
#include "i18n.h"
#include "sim/server.h"
#include "xmalloc.h"

#define WORLD_MAX ((size_t)16 << 20)

enum opt_id {
	OPT_WORLD = 256,
	OPT_STATE,
	OPT_SEED,
	OPT_PORT,
	OPT_DNS_PORT,
	OPT_TLS_PORT,
	OPT_CA_DIR,
	OPT_LATENCY,
	OPT_ERROR_RATE,
	OPT_APPROVAL_DELAY,
	OPT_RATE_LIMIT,
	OPT_TOKEN_LIFETIME,
	OPT_LRO,
	OPT_RETRY_AFTER,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option long_opts[] = {
    {"world", required_argument, NULL, OPT_WORLD},
    {"state", required_argument, NULL, OPT_STATE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"port", required_argument, NULL, OPT_PORT},
    {"dns-port", required_argument, NULL, OPT_DNS_PORT},
    {"tls-port", required_argument, NULL, OPT_TLS_PORT},
    {"ca-dir", required_argument, NULL, OPT_CA_DIR},
    {"latency", required_argument, NULL, OPT_LATENCY},
    {"error-rate", required_argument, NULL, OPT_ERROR_RATE},
    {"approval-delay", required_argument, NULL, OPT_APPROVAL_DELAY},
    {"rate-limit", required_argument, NULL, OPT_RATE_LIMIT},
    {"token-lifetime", required_argument, NULL, OPT_TOKEN_LIFETIME},
    {"lro", required_argument, NULL, OPT_LRO},
    {"retry-after", required_argument, NULL, OPT_RETRY_AFTER},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

struct cli {
	const char *world_path;
	struct sim_server_opts so;
	cJSON *faults; /* built from the fault flags */
};

static void usage(FILE *f)
{
	fputs(_("Usage: chlink-sim [OPTION]...\n"
	        "Serve a simulated ClickHouse Cloud API, Azure Resource Manager, Microsoft\n"
	        "Entra token endpoint, private DNS and private endpoint on 127.0.0.1, for\n"
	        "chlink's demo and tests. Once listening, print one JSON line (ports, test CA,\n"
	        "keys) and run until interrupted.\n\n"
	        "  --world FILE            load the world from a JSON file (default: built in)\n"
	        "  --state FILE            restore the world from FILE if present; save on exit\n"
	        "  --seed N                seed for identifiers and random faults (default 1)\n"
	        "  --port N                HTTP port (0, the default, picks a free one)\n"
	        "  --dns-port N            DNS (UDP) port (default 0)\n"
	        "  --tls-port N            private endpoint (TLS) port (default 0)\n"
	        "  --ca-dir DIR            write the test CA to DIR/ca.pem (default: a fresh\n"
	        "                          temporary directory, removed on exit)\n\n"
	        "Faults (also switchable at run time with POST /_sim/faults):\n"
	        "  --latency MS[:JITTER]   delay every answer by MS plus up to JITTER ms\n"
	        "  --error-rate API=P      fail requests to API (chc, arm, entra, a path prefix\n"
	        "                          or *) with probability P (0..1); repeatable\n"
	        "  --approval-delay MS     keep endpoints Pending for MS after they qualify\n"
	        "  --rate-limit N/SECONDS  allow N ClickHouse Cloud requests per key per SECONDS\n"
	        "                          (0/1 turns the limit off)\n"
	        "  --token-lifetime SECONDS  lifetime of Entra access tokens\n"
	        "  --lro MS                how long Azure long-running operations take\n"
	        "  --retry-after SECONDS   Retry-After value for 429 and long-running answers\n\n"
	        "  --help                  show this help and exit\n"
	        "  --version               show the version and exit\n"),
	      f);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "chlink-sim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fprintf(stderr, _("Try 'chlink-sim --help' for more information.\n"));
	return 2;
}

/* A whole non-negative decimal number no larger than `max`. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_port(const char *s, int *out)
{
	uint64_t v;
	if (parse_u64(s, 65535, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* "A:B" into two numbers; B optional when `b_optional`. */
static int parse_pair(const char *s, char sep, uint64_t max, uint64_t *a, uint64_t *b,
                      int b_optional)
{
	const char *p = strchr(s, sep);
	char *head = p ? xstrndup(s, (size_t)(p - s)) : xstrdup(s);
	int rc = parse_u64(head, max, a);
	free(head);
	if (rc != 0)
		return -1;
	if (!p) {
		*b = 0;
		return b_optional ? 0 : -1;
	}
	return parse_u64(p + 1, max, b);
}

static int add_error_rate(cJSON *faults, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *end;
	if (!eq || eq == arg)
		return -1;
	errno = 0;
	double p = strtod(eq + 1, &end);
	if (errno || end == eq + 1 || *end || !(p >= 0.0 && p <= 1.0))
		return -1;
	cJSON *rates = cJSON_GetObjectItemCaseSensitive(faults, "error_rate");
	if (!rates)
		rates = cJSON_AddObjectToObject(faults, "error_rate");
	char *api = xstrndup(arg, (size_t)(eq - arg));
	cJSON_DeleteItemFromObjectCaseSensitive(rates, api);
	cJSON_AddNumberToObject(rates, api, p);
	free(api);
	return 0;
}

#define U32_MAX 4294967295ull

/* One fault flag into the faults JSON; -1 when its value is malformed. */
static int fault_flag(cJSON *f, int id, const char *arg)
{
	uint64_t a, b;
	switch (id) {
	case OPT_LATENCY:
		if (parse_pair(arg, ':', U32_MAX, &a, &b, 1) != 0)
			return -1;
		cJSON_AddNumberToObject(f, "latency_ms", (double)a);
		cJSON_AddNumberToObject(f, "jitter_ms", (double)b);
		return 0;
	case OPT_ERROR_RATE:
		return add_error_rate(f, arg);
	case OPT_RATE_LIMIT: {
		if (parse_pair(arg, '/', U32_MAX, &a, &b, 0) != 0 || b == 0)
			return -1;
		cJSON *rl = cJSON_AddObjectToObject(f, "rate_limit");
		cJSON_AddNumberToObject(rl, "requests", (double)a);
		cJSON_AddNumberToObject(rl, "window_s", (double)b);
		return 0;
	}
	default:
		break;
	}
	static const struct {
		int id;
		const char *field;
	} plain[] = {
	    {OPT_APPROVAL_DELAY, "approval_delay_ms"},
	    {OPT_TOKEN_LIFETIME, "token_lifetime_s"},
	    {OPT_LRO, "lro_ms"},
	    {OPT_RETRY_AFTER, "retry_after_s"},
	};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		if (plain[i].id != id)
			continue;
		if (parse_u64(arg, U32_MAX, &a) != 0)
			return -1;
		cJSON_DeleteItemFromObjectCaseSensitive(f, plain[i].field);
		cJSON_AddNumberToObject(f, plain[i].field, (double)a);
		return 0;
	}
	return -1;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct cli *c)
{
	int id;
	uint64_t v;

	while ((id = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (id) {
		case OPT_HELP:
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("chlink-sim %s\n", PACKAGE_VERSION);
			return 0;
		case OPT_WORLD:
			c->world_path = optarg;
			break;
		case OPT_STATE:
			c->so.state_path = optarg;
			break;
		case OPT_CA_DIR:
			c->so.ca_dir = optarg;
			break;
		case OPT_SEED:
			if (parse_u64(optarg, UINT64_MAX, &v) != 0)
				return usage_error(_("invalid seed: '%s'"), optarg);
			c->so.seed = v;
			break;
		case OPT_PORT:
		case OPT_DNS_PORT:
		case OPT_TLS_PORT: {
			int *port = id == OPT_PORT       ? &c->so.http_port
			            : id == OPT_DNS_PORT ? &c->so.dns_port
			                                 : &c->so.tls_port;
			if (parse_port(optarg, port) != 0)
				return usage_error(_("invalid port: '%s' (expected 0 to 65535)"),
				                   optarg);
			break;
		}
		case '?':
			fprintf(stderr, _("Try 'chlink-sim --help' for more information.\n"));
			return 2;
		default:
			if (fault_flag(c->faults, id, optarg) != 0)
				return usage_error(_("invalid value: '%s' (see --help)"), optarg);
			break;
		}
	}
	if (optind < argc)
		return usage_error(_("unexpected argument: '%s'"), argv[optind]);
	return -1;
}

static int fail(const struct err *e)
{
	fprintf(stderr, "chlink-sim: %s\n", e->msg);
	if (e->hint[0])
		fprintf(stderr, "%s\n", e->hint);
	return 1;
}

static int run(struct cli *c)
{
	struct err e = {0};
	char *world = NULL, *faults = NULL;
	size_t len;
	sigset_t set;
	int sig, rc = 0;

	if (c->world_path && fs_read_all(c->world_path, WORLD_MAX, &world, &len, &e) != 0)
		return fail(&e);
	c->so.world_json = world;
	if (c->faults->child)
		faults = cJSON_PrintUnformatted(c->faults);
	c->so.faults_json = faults;
	/* Signals are taken by sigwait below, never by a handler. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	struct sim_server *srv = sim_server_start(&c->so, &e);
	free(world);
	cJSON_free(faults);
	if (!srv)
		return fail(&e);
	char *info = sim_server_info_json(srv);
	printf("%s\n", info);
	fflush(stdout);
	free(info);
	while (sigwait(&set, &sig) != 0)
		;
	if (sim_server_stop(srv, &e) != 0)
		rc = fail(&e);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c = {.so = {.seed = 1}};
	int rc;

	i18n_init(NULL);
	c.faults = cJSON_CreateObject();
	rc = parse_args(argc, argv, &c);
	if (rc < 0)
		rc = run(&c);
	cJSON_Delete(c.faults);
	return rc;
}
