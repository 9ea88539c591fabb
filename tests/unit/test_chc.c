/* test_chc: ClickHouse Cloud parsers (strict, tolerant of extras) and calls against a scripted
 * server. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "chc.h"
#include "chc_int.h"
#include "mini_httpd.h"
#include "net_test.h"

#define SVC_A                                                                                      \
	"{\"name\":\"prod\",\"zzUnknown\":{\"deep\":[1,2]},\"region\":\"westus3\",\"id\":\"s-1\"," \
	"\"provider\":\"azure\",\"state\":\"running\",\"tier\":\"production\","                    \
	"\"endpoints\":[{\"protocol\":\"nativesecure\",\"host\":\"n.example\",\"port\":9440},"     \
	"{\"protocol\":\"https\",\"host\":\"abc.westus3.azure.clickhouse.cloud\",\"port\":8443}]," \
	"\"privateEndpointIds\":[\"/subscriptions/x/resourceGroups/rg/providers/"                  \
	"Microsoft.Network/"                                                                       \
	"privateEndpoints/pe1\"]}"
#define SVC_B "{\"id\":\"s-2\",\"name\":\"dev\",\"provider\":\"azure\",\"region\":\"eastus2\"}"
#define SVC_C "{\"id\":\"s-3\",\"name\":\"aws\",\"provider\":\"aws\",\"region\":\"westus3\"}"
#define LIST3 "{\"status\":200,\"requestId\":\"r\",\"result\":[" SVC_A "," SVC_B "," SVC_C "]}"

static void expect_parse_error(const char *body, const char *msg)
{
	struct chc_service_list l;
	struct err e;
	err_clear(&e);
	assert_int_equal(chc_parse_services(body, strlen(body), &l, &e), -1);
	assert_int_equal(e.kind, ERR_PARSE);
	assert_string_equal(e.msg, msg);
	assert_null(l.v);
}

static void test_services_tolerate_unknown_reordered_and_absent_fields(void **state)
{
	struct chc_service_list l;
	struct err e;
	const char *noenv = "{\"result\":[" SVC_B "]}";
	assert_int_equal(chc_parse_services(LIST3, strlen(LIST3), &l, &e), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].id, "s-1");
	assert_string_equal(l.v[0].tier, "production");
	assert_string_equal(l.v[0].public_host, "abc.westus3.azure.clickhouse.cloud");
	assert_int_equal(l.v[0].n_pe_ids, 1);
	assert_null(l.v[1].tier);
	assert_null(l.v[1].state);
	assert_null(l.v[1].pe_ids);
	assert_int_equal(l.v[1].n_pe_ids, 0);
	for (size_t i = 0; i < l.n; i++)
		chc_service_clear(&l.v[i]);
	free(l.v);
	assert_int_equal(chc_parse_services(noenv, strlen(noenv), &l, &e),
	                 0); /* no status/requestId */
	assert_int_equal(l.n, 1);
	chc_service_clear(&l.v[0]);
	free(l.v);
}

static void test_services_errors_name_the_field(void **state)
{
	expect_parse_error("{\"result\":[" SVC_B
	                   ",{\"id\":\"x\",\"name\":\"n\",\"provider\":\"azure\","
	                   "\"region\":5}]}",
	                   "result[1].region: expected a string");
	expect_parse_error(
	    "{\"result\":[{\"name\":\"x\",\"provider\":\"azure\",\"region\":\"r\"}]}",
	    "result[0].id: missing");
	expect_parse_error("{\"result\":[{\"id\":\"x\",\"name\":[],\"region\":\"r\"}]}",
	                   "result[0].name: expected a string");
	expect_parse_error("{\"result\":[{\"id\":\"x\",\"name\":\"n\",\"provider\":\"azure\","
	                   "\"region\":\"r\",\"privateEndpointIds\":[\"ok\",7]}]}",
	                   "result[0].privateEndpointIds[1]: expected a string");
	expect_parse_error("{\"result\":[{\"id\":\"x\",\"name\":\"n\",\"provider\":\"azure\","
	                   "\"region\":\"r\",\"tier\":true}]}",
	                   "result[0].tier: expected a string");
	expect_parse_error("{\"result\":{}}", "result: expected an array");
	expect_parse_error("{\"status\":200}", "result: missing");
	expect_parse_error("{\"result\":[\"s\"]}", "result[0]: expected an object");
	expect_parse_error("[1]", "ClickHouse Cloud: the answer is not a JSON object");
	expect_parse_error("{\"result\":[", "ClickHouse Cloud: the answer is not valid JSON");
}

static void test_service_config_and_org_parse(void **state)
{
	struct chc_service s;
	struct chc_pe_config c;
	struct chc_org o;
	struct err e;
	const char *svc = "{\"result\":" SVC_A ",\"status\":200}";
	const char *cfg =
	    "{\"status\":200,\"result\":{\"privateDnsHostname\":\"abc.westus3.privatelink."
	    "azure.clickhouse.cloud\",\"endpointServiceId\":\"production-westus3-0-0.g."
	    "westus3.azure.privatelinkservice\",\"x\":null}}";
	const char *org = "{\"result\":{\"id\":\"o-1\",\"name\":\"Org\",\"createdAt\":\"t\","
	                  "\"privateEndpoints\":[{\"id\":\"pe-a\",\"cloudProvider\":\"azure\","
	                  "\"region\":\"westus3\",\"description\":\"d\"},{\"id\":\"pe-b\"}]}}";
	const char *badorg = "{\"result\":{\"id\":\"o\",\"privateEndpoints\":[{\"id\":3}]}}";
	const char *badcfg = "{\"result\":{\"endpointServiceId\":\"a\"}}";
	assert_int_equal(chc_parse_service(svc, strlen(svc), &s, &e), 0);
	assert_string_equal(s.name, "prod");
	chc_service_clear(&s);
	assert_int_equal(chc_parse_pe_config(cfg, strlen(cfg), &c, &e), 0);
	assert_string_equal(c.endpoint_service_id,
	                    "production-westus3-0-0.g.westus3.azure.privatelinkservice");
	free(c.endpoint_service_id);
	free(c.private_dns_hostname);
	assert_int_equal(chc_parse_pe_config(badcfg, strlen(badcfg), &c, &e), -1);
	assert_string_equal(e.msg, "result.privateDnsHostname: missing");
	assert_int_equal(chc_parse_org(org, strlen(org), &o, &e), 0);
	assert_int_equal(o.n_pes, 2);
	assert_string_equal(o.pes[0].region, "westus3");
	assert_null(o.pes[1].description);
	{
		struct chc_org *heap = xmalloc(sizeof(*heap));
		*heap = o;
		chc_org_free(heap);
	}
	assert_int_equal(chc_parse_org(badorg, strlen(badorg), &o, &e), -1);
	assert_string_equal(e.msg, "result.privateEndpoints[0].id: expected a string");
}

/*
 * Conformance with clickhouse-api.md: the spec requires no Service field but
 * autoscalingMode/currentScaling, so a service may come without name, provider
 * or region; privateEndpointIds may be null; OrganizationPrivateEndpoint has no
 * required field. The body below is the fact sheet's illustrative GET
 * service result, fields reordered and unknown ones added.
 */
#define REF_SVC                                                                                    \
	"{\"currentScaling\":{\"x\":1},\"autoscalingMode\":\"vertical\","                          \
	"\"availablePrivateEndpointIds"                                                            \
	"\":[],\"privateEndpointIds\":[\"/subscriptions/S/resourceGroups/RG/providers/"            \
	"Microsoft.Network/privateEndpoints/"                                                      \
	"pe\"],\"endpoints\":[{\"protocol\":\"https\",\"host\":"                                   \
	"\"xxxx.westus3.azure.clickhouse.cloud\",\"port\":8443},{\"protocol\":\"nativesecure\","   \
	"\"host\":\"xxxx.westus3.azure.clickhouse.cloud\",\"port\":9440,\"username\":\"default\"}" \
	"],"                                                                                       \
	"\"ipAccessList\":[],\"idleTimeoutMinutes\":5,\"idleScaling\":true,\"state\":\"running\"," \
	"\"region\":\"westus3\",\"provider\":\"azure\",\"name\":\"svc\",\"id\":\"u-1\","           \
	"\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],\"futureField\":{\"nested\":[null,1.5e3]}}"

static void test_reference_service_shapes(void **state)
{
	static const char *const ok[] = {
	    "{\"status\":200,\"requestId\":\"0b5f\",\"result\":" REF_SVC "}",
	    "{\"result\":" REF_SVC ",\"requestId\":\"0b5f\",\"status\":200}",
	};
	const char *minimal = "{\"result\":{\"id\":\"u-2\",\"privateEndpointIds\":null,"
	                      "\"endpoints\":null,\"tier\":null}}";
	/* UTF-8 as raw bytes and as \u escapes (a surrogate pair included) */
	const char *utf8 = "{\"result\":{\"id\":\"u-3\",\"name\":\"\xe5\x88\x86\xe6\x9e\x90-"
	                   "\\u30b5\\u30fc\\u30d3\\u30b9 \\ud83d\\ude00\",\"provider\":\"azure\","
	                   "\"region\":\"westus3\"}}";
	struct chc_service s;
	struct err e;
	for (size_t i = 0; i < 2; i++) {
		err_clear(&e);
		if (chc_parse_service(ok[i], strlen(ok[i]), &s, &e) < 0)
			fail_msg("body %zu: %s", i, e.msg);
		assert_string_equal(s.id, "u-1");
		assert_string_equal(s.provider, "azure");
		assert_string_equal(s.region, "westus3");
		assert_null(s.tier); /* migrated organizations have no tier */
		assert_int_equal(s.n_pe_ids, 1);
		assert_string_equal(s.public_host, "xxxx.westus3.azure.clickhouse.cloud");
		chc_service_clear(&s);
	}
	assert_int_equal(chc_parse_service(minimal, strlen(minimal), &s, &e), 0);
	assert_string_equal(s.name, "");
	assert_string_equal(s.provider, "");
	assert_string_equal(s.region, "");
	assert_null(s.pe_ids);
	assert_int_equal(s.n_pe_ids, 0);
	assert_null(s.public_host);
	chc_service_clear(&s);
	assert_int_equal(chc_parse_service(utf8, strlen(utf8), &s, &e), 0);
	assert_string_equal(s.name, "\xe5\x88\x86\xe6\x9e\x90-\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x93"
	                            "\xe3\x82\xb9 \xf0\x9f\x98\x80");
	chc_service_clear(&s);
}

static void test_org_private_endpoints_have_no_required_field(void **state)
{
	const char *org = "{\"result\":{\"privateEndpoints\":[{\"description\":\"no id\","
	                  "\"cloudProvider\":\"azure\"},{\"region\":\"westus3\",\"id\":\"pe-a\","
	                  "\"description\":null},{}],\"enableCoreDumps\":false,\"byocConfig\":[],"
	                  "\"id\":\"o-1\",\"createdAt\":\"2026-01-01T00:00:00Z\"}}";
	struct chc_org o;
	struct err e;
	assert_int_equal(chc_parse_org(org, strlen(org), &o, &e), 0);
	assert_int_equal(o.n_pes, 1);
	assert_string_equal(o.pes[0].id, "pe-a");
	assert_null(o.pes[0].description);
	assert_null(o.pes[0].cloud_provider);
	assert_string_equal(o.name, "");
	chc_org_clear(&o);
}

/* ---- calls against the scripted server ---- */

struct route {
	const char *method, *path; /* path prefix */
	struct mh_resp resp;
};

struct router {
	const struct route *r;
	size_t n;
};

static void route(void *ud, int n, const struct mh_req *rq, struct mh_resp *out)
{
	const struct router *rt = ud;
	(void)n;
	for (size_t i = 0; i < rt->n; i++) {
		if (strcmp(rt->r[i].method, rq->method) == 0 &&
		    strcmp(rt->r[i].path, rq->path) == 0) {
			*out = rt->r[i].resp;
			return;
		}
	}
	*out = (struct mh_resp)MH(404, NULL, "{\"status\":404,\"error\":\"NOT_FOUND: no route\"}");
}

struct got {
	int done;
	struct chc_service_list *l;
	struct chc_service *s;
	struct chc_org *o;
	struct chc_pe_config *c;
	struct err e;
};

static void got_list(void *ud, struct chc_service_list *l, const struct err *e)
{
	struct got *g = ud;
	g->l = l;
	if (e) {
		g->e = *e;
		nt_note_error(e->msg);
	}
	g->done = 1;
}

static void got_service(void *ud, struct chc_service *s, const struct err *e)
{
	struct got *g = ud;
	g->s = s;
	if (e) {
		g->e = *e;
		nt_note_error(e->msg);
		nt_note_error(e->hint);
	}
	g->done = 1;
}

static void got_org(void *ud, struct chc_org *o, const struct err *e)
{
	struct got *g = ud;
	g->o = o;
	if (e) {
		g->e = *e;
		nt_note_error(e->msg);
	}
	g->done = 1;
}

static void got_config(void *ud, struct chc_pe_config *c, const struct err *e)
{
	struct got *g = ud;
	g->c = c;
	if (e)
		g->e = *e;
	g->done = 1;
}

struct env {
	struct mh *m;
	struct nt t;
	struct chc *c;
	struct creds cr;
	struct router rt;
};

static void env_open(struct env *v, const struct route *r, size_t n, const char *org)
{
	struct err e;
	struct http_opts o = {.max_retries = 1};
	v->rt.r = r;
	v->rt.n = n;
	v->m = mh_start(route, &v->rt);
	memset(&v->cr, 0, sizeof(v->cr));
	v->cr.key_id = "KEYID";
	v->cr.key_secret = T_KEY_SECRET;
	v->cr.org_id = (char *)org;
	assert_int_equal(nt_open(&v->t, &o), 0);
	v->c = chc_new(v->t.h, mh_url(v->m), &v->cr, &e);
	assert_non_null(v->c);
}

static void env_close(struct env *v)
{
	chc_free(v->c);
	nt_close(&v->t);
	mh_stop(v->m);
}

static void wait_got(struct env *v, struct got *g)
{
	struct err e;
	assert_int_equal(loop_run_until(v->t.l, &g->done, loop_now_ms(v->t.l) + 20000, &e), 0);
}

static void test_list_services_finds_org_and_filters_region(void **state)
{
	static const struct route r[] = {
	    {"GET", "/v1/organizations",
	     MH(200, NULL, "{\"result\":[{\"id\":\"o-9\",\"name\":\"O\"}]}")},
	    {"GET", "/v1/organizations/o-9/services", MH(200, NULL, LIST3)},
	};
	struct env v;
	struct got g = {0}, g2 = {0};
	char *auth;
	env_open(&v, r, 2, NULL);
	assert_int_equal(chc_list_services(v.c, "westus3", got_list, &g), 0);
	assert_int_equal(chc_list_services(v.c, NULL, got_list, &g2), 0);
	wait_got(&v, &g);
	wait_got(&v, &g2);
	assert_non_null(g.l);
	assert_int_equal(g.l->n, 1); /* aws in westus3 and azure eastus2 dropped */
	assert_string_equal(g.l->v[0].id, "s-1");
	assert_int_equal(g2.l->n, 3);
	assert_int_equal(mh_count(v.m), 3); /* one organization lookup for both */
	auth = mh_header(v.m, 1, "Authorization");
	assert_non_null(auth);
	free(auth);
	chc_service_list_free(g.l);
	chc_service_list_free(g2.l);
	env_close(&v);
}

static void test_patch_bodies_are_exactly_the_guides(void **state)
{
	static const struct route r[] = {
	    {"PATCH", "/v1/organizations/o-1",
	     MH(200, NULL, "{\"result\":{\"id\":\"o-1\",\"name\":\"O\"}}")},
	    {"PATCH", "/v1/organizations/o-1/services/s-1",
	     MH(200, NULL, "{\"result\":" SVC_A "}")},
	    {"GET", "/v1/organizations/o-1/services/s-1/privateEndpointConfig",
	     MH(200, NULL,
	        "{\"result\":{\"endpointServiceId\":\"a\",\"privateDnsHostname\":\"h\"}}")},
	};
	static const char *const want[] = {
	    "{\"privateEndpoints\":{\"add\":[{\"cloudProvider\":\"azure\",\"id\":\"PE\","
	    "\"description\":\"made by chlink\",\"region\":\"westus3\"}]}}",
	    "{\"privateEndpoints\":{\"remove\":[{\"cloudProvider\":\"azure\",\"id\":\"PE\","
	    "\"region\":\"westus3\"}]}}",
	    "{\"privateEndpointIds\":{\"add\":[\"PE\"]}}",
	    "{\"privateEndpointIds\":{\"remove\":[\"PE\"]}}",
	};
	struct env v;
	struct got g[5] = {{0}};
	env_open(&v, r, 3, "o-1");
	chc_org_pe_add(v.c, "PE", "made by chlink", "westus3", got_org, &g[0]);
	wait_got(&v, &g[0]);
	chc_org_pe_remove(v.c, "PE", "westus3", got_org, &g[1]);
	wait_got(&v, &g[1]);
	chc_service_pe_add(v.c, "s-1", "PE", got_service, &g[2]);
	wait_got(&v, &g[2]);
	chc_service_pe_remove(v.c, "s-1", "PE", got_service, &g[3]);
	wait_got(&v, &g[3]);
	chc_get_pe_config(v.c, "s-1", got_config, &g[4]);
	wait_got(&v, &g[4]);
	for (int i = 0; i < 4; i++) {
		struct mh_req *q = mh_request(v.m, i);
		char *ct = mh_header(v.m, i, "Content-Type");
		assert_string_equal(q->method, "PATCH");
		assert_string_equal(q->body, want[i]);
		assert_string_equal(ct, "application/json");
		free(ct);
		mh_req_free(q);
	}
	assert_non_null(g[0].o);
	assert_string_equal(g[2].s->id, "s-1");
	assert_string_equal(g[4].c->private_dns_hostname, "h");
	chc_org_free(g[0].o);
	chc_org_free(g[1].o);
	chc_service_free(g[2].s);
	chc_service_free(g[3].s);
	chc_pe_config_free(g[4].c);
	env_close(&v);
}

struct errcase {
	struct mh_resp resp;
	enum err_kind kind;
	const char *in_msg, *in_hint;
};

static void test_error_answers_become_actions(void **state)
{
	static const struct errcase cases[] = {
	    {MH(401, NULL,
	        "{\"status\":401,\"error\":\"Invalid credentials\",\"requestId\":\"rq-1\"}"),
	     ERR_AUTH, "key id or secret is wrong: Invalid credentials (request id rq-1)",
	     "API keys"},
	    {MH(403, NULL, "{\"status\":403,\"error\":\"FORBIDDEN: not allowed\"}"), ERR_FORBIDDEN,
	     "FORBIDDEN: not allowed", "Admin"},
	    {MH(404, NULL, "{\"error\":\"NOT_FOUND: service\"}"), ERR_NOTFOUND,
	     "NOT_FOUND: service", "ids"},
	    {MH(400, NULL,
	        "{\"requestId\":\"X\",\"error\":\"BAD_REQUEST: organization has no "
	        "created instances in azure westus3\",\"status\":400}"),
	     ERR_HTTP, "no created instances", "must exist in that region"},
	    {MH(429, "Retry-After: 0\r\n", "{\"error\": \"TOO_MANY_REQUESTS\"}"), ERR_HTTP,
	     "waited 1 s over 2 attempts: TOO_MANY_REQUESTS", "same key"},
	    {MH(500, NULL, "<html>upstream\ndown</html>"), ERR_HTTP,
	     "HTTP 500: <html>upstream down</html>", ""},
	    {MH(400, NULL, "{\"error\":{\"code\":\"BAD\",\"message\":\"bad id\"}}"), ERR_HTTP,
	     "HTTP 400: bad id", ""},
	    {MH(502, NULL, "{\"message\":\"Bad gateway\"}"), ERR_HTTP,
	     "HTTP 502: {\"message\":\"Bad gateway\"}", ""},
	    {MH(200, NULL, "{\"result\":{\"name\":\"s\"}}"), ERR_PARSE, "result.id: missing", ""},
	    {MH(200, NULL, "not json"), ERR_PARSE, "not valid JSON", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct route r[] = {{"GET", "/v1/organizations/o-1/services/s-1", cases[i].resp}};
		struct env v;
		struct got g = {0};
		env_open(&v, r, 1, "o-1");
		assert_int_equal(chc_get_service(v.c, "s-1", got_service, &g), 0);
		wait_got(&v, &g);
		assert_null(g.s);
		if (!strstr(g.e.msg, cases[i].in_msg) || !strstr(g.e.hint, cases[i].in_hint))
			fail_msg("case %zu: got \"%s\" / \"%s\"", i, g.e.msg, g.e.hint);
		assert_int_equal(g.e.kind, cases[i].kind);
		env_close(&v);
	}
}

/* Services without provider/region are kept in the full list and never match a region. */
static void test_region_filter_skips_services_without_provider(void **state)
{
	static const struct route r[] = {
	    {"GET", "/v1/organizations/o-1/services",
	     MH(200, NULL,
	        "{\"result\":[{\"id\":\"a\"},{\"id\":\"b\",\"provider\":\"AZURE\",\"region\":"
	        "\"WestUS3\"},{\"id\":\"c\",\"region\":\"westus3\"}]}")},
	};
	struct env v;
	struct got g = {0}, g2 = {0};
	env_open(&v, r, 1, "o-1");
	chc_list_services(v.c, "westus3", got_list, &g);
	wait_got(&v, &g);
	chc_list_services(v.c, NULL, got_list, &g2);
	wait_got(&v, &g2);
	assert_non_null(g.l);
	assert_int_equal(g.l->n, 1);
	assert_string_equal(g.l->v[0].id, "b");
	assert_int_equal(g2.l->n, 3);
	chc_service_list_free(g.l);
	chc_service_list_free(g2.l);
	env_close(&v);
}

/* A large organization: 3000 services (~1 MB) in one answer, as the spec has no paging. */
static void test_large_service_list(void **state)
{
	enum { N = 3000 };
	size_t cap = (size_t)N * 600 + 64, k = 0;
	char *body = xmalloc(cap);
	struct route r[1] = {{"GET", "/v1/organizations/o-1/services", MH(200, NULL, NULL)}};
	struct env v;
	struct got g = {0};
	k +=
	    (size_t)snprintf(body + k, cap - k, "{\"status\":200,\"requestId\":\"r\",\"result\":[");
	for (int i = 0; i < N; i++)
		k += (size_t)snprintf(
		    body + k, cap - k,
		    "%s{\"id\":\"svc-%04d\",\"name\":\"n%d\",\"provider\":\"%s\","
		    "\"region\":\"%s\",\"privateEndpointIds\":[],\"endpoints\":[{"
		    "\"protocol\":\"https\",\"host\":\"h%d.westus3.azure.clickhouse."
		    "cloud\",\"port\":8443}],\"currentScaling\":{},"
		    "\"autoscalingMode\":\"vertical\",\"pad\":\"%0200d\"}",
		    i ? "," : "", i, i, i % 3 ? "aws" : "azure", i % 2 ? "eastus2" : "westus3", i,
		    0);
	assert_true(k + 3 < cap);
	snprintf(body + k, cap - k, "]}");
	r[0].resp.body = body;
	env_open(&v, r, 1, "o-1");
	chc_list_services(v.c, "westus3", got_list, &g);
	wait_got(&v, &g);
	assert_non_null(g.l);
	assert_int_equal(g.l->n, N / 6);
	assert_string_equal(g.l->v[g.l->n - 1].id, "svc-2994");
	chc_service_list_free(g.l);
	env_close(&v);
	free(body);
}

/* A PATCH answered 2xx did its work whatever its body; a GET with that body is still an error. */
static void test_patch_success_without_a_whole_object(void **state)
{
	static const struct route r[] = {
	    {"PATCH", "/v1/organizations/o-1/services/s-1", MH(204, NULL, "")},
	    {"PATCH", "/v1/organizations/o-1",
	     MH(200, NULL, "{\"status\":200,\"requestId\":\"r-2\"}")},
	    {"GET", "/v1/organizations/o-1/services/s-1",
	     MH(200, NULL, "{\"status\":200,\"requestId\":\"r-3\"}")},
	};
	struct env v;
	struct got g[3] = {{0}};
	env_open(&v, r, 3, "o-1");
	chc_service_pe_add(v.c, "s-1", "PE", got_service, &g[0]);
	wait_got(&v, &g[0]);
	chc_org_pe_remove(v.c, "PE", "westus3", got_org, &g[1]);
	wait_got(&v, &g[1]);
	chc_get_service(v.c, "s-1", got_service, &g[2]);
	wait_got(&v, &g[2]);
	assert_null(g[0].s);
	assert_int_equal(g[0].e.kind, ERR_NONE);
	assert_null(g[1].o);
	assert_int_equal(g[1].e.kind, ERR_NONE);
	assert_null(g[2].s);
	assert_int_equal(g[2].e.kind, ERR_PARSE);
	env_close(&v);
}

struct role_got {
	int done;
	char role[32];
	struct err e;
};

static void got_role(void *ud, const char *role, const struct err *e)
{
	struct role_got *g = ud;
	snprintf(g->role, sizeof(g->role), "%s", role ? role : "(null)");
	if (e)
		g->e = *e;
	g->done = 1;
}

static void wait_role(struct env *v, struct role_got *g)
{
	struct err e;
	assert_int_equal(loop_run_until(v->t.l, &g->done, loop_now_ms(v->t.l) + 20000, &e), 0);
}

/* GET .../keys is not in the fact sheet: without it the key is confirmed with GET organization. */
static void test_key_role_without_the_key_list(void **state)
{
	static const struct route have[] = {
	    {"GET", "/v1/organizations/o-1/keys",
	     MH(200, NULL,
	        "{\"result\":[{\"id\":\"OTHER\",\"roles\":[\"admin\"]},{\"assignedRoles\":[{"
	        "\"roleName\":\"Admin\"}],\"id\":\"KEYID\"}]}")},
	};
	static const struct route none[] = {
	    {"GET", "/v1/organizations/o-1", MH(200, NULL, "{\"result\":{\"id\":\"o-1\"}}")},
	};
	static const struct route bad_org[] = {
	    {"GET", "/v1/organizations/o-1/keys", MH(405, NULL, "{\"error\":\"METHOD\"}")}};
	struct env v;
	struct role_got g = {0};
	env_open(&v, have, 1, "o-1");
	chc_get_key_role(v.c, got_role, &g);
	wait_role(&v, &g);
	assert_string_equal(g.role, "admin");
	env_close(&v);
	memset(&g, 0, sizeof(g));
	env_open(&v, none, 1, "o-1"); /* /keys answers the router's 404 */
	chc_get_key_role(v.c, got_role, &g);
	wait_role(&v, &g);
	assert_string_equal(g.role, "unknown");
	assert_int_equal(g.e.kind, ERR_NONE);
	assert_int_equal(mh_count(v.m), 2);
	env_close(&v);
	memset(&g, 0, sizeof(g));
	env_open(&v, bad_org, 1, "o-1"); /* 405, then GET organization 404: a real error */
	chc_get_key_role(v.c, got_role, &g);
	wait_role(&v, &g);
	assert_string_equal(g.role, "(null)");
	assert_int_equal(g.e.kind, ERR_NOTFOUND);
	env_close(&v);
}

static void test_org_lookup_failure_reaches_every_waiting_call(void **state)
{
	static const struct route r[] = {
	    {"GET", "/v1/organizations",
	     MH(200, NULL, "{\"result\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")},
	};
	struct env v;
	struct got g1 = {0}, g2 = {0};
	env_open(&v, r, 1, NULL);
	chc_get_org(v.c, got_org, &g1);
	chc_get_service(v.c, "s", got_service, &g2);
	wait_got(&v, &g1);
	wait_got(&v, &g2);
	assert_non_null(strstr(g1.e.msg, "2 organizations"));
	assert_non_null(strstr(g2.e.msg, "2 organizations"));
	env_close(&v);
}

static void test_free_with_calls_in_flight_runs_no_callback(void **state)
{
	static const struct route r[] = {
	    {"GET", "/v1/organizations", MH(200, NULL, "{\"result\":[]}")}};
	struct env v;
	struct got g = {0};
	env_open(&v, r, 1, NULL);
	chc_get_org(v.c, got_org, &g);
	loop_once(v.t.l, 0);
	chc_free(v.c);
	v.c = NULL;
	for (int i = 0; i < 5; i++)
		loop_once(v.t.l, 10);
	assert_int_equal(g.done, 0);
	env_close(&v);
}

static void test_no_secret_in_any_log_or_error(void **state)
{
	assert_int_equal(nt_file_has("net-test.log", T_KEY_SECRET), 0);
	assert_int_equal(nt_file_has("net-test-errors.txt", T_KEY_SECRET), 0);
	assert_int_equal(nt_file_has("net-test.log", "GET http://127.0.0.1:"), 1);
	assert_int_equal(nt_file_has("net-test-errors.txt", "Invalid credentials"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_services_tolerate_unknown_reordered_and_absent_fields),
	    cmocka_unit_test(test_services_errors_name_the_field),
	    cmocka_unit_test(test_service_config_and_org_parse),
	    cmocka_unit_test(test_reference_service_shapes),
	    cmocka_unit_test(test_region_filter_skips_services_without_provider),
	    cmocka_unit_test(test_org_private_endpoints_have_no_required_field),
	    cmocka_unit_test(test_large_service_list),
	    cmocka_unit_test(test_patch_success_without_a_whole_object),
	    cmocka_unit_test(test_key_role_without_the_key_list),
	    cmocka_unit_test(test_list_services_finds_org_and_filters_region),
	    cmocka_unit_test(test_patch_bodies_are_exactly_the_guides),
	    cmocka_unit_test(test_error_answers_become_actions),
	    cmocka_unit_test(test_org_lookup_failure_reaches_every_waiting_call),
	    cmocka_unit_test(test_free_with_calls_in_flight_runs_no_callback),
	    cmocka_unit_test(test_no_secret_in_any_log_or_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
