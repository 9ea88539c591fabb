/* test_azure: ARM calls against a scripted server: tokens, LRO following, lists, errors. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include "az_fixture.h"
#include "azure.h"
#include "mini_httpd.h"
#include "net_test.h"

#define SUB "sub-1"
#define PE_PATH                                                                                    \
	"/subscriptions/" SUB "/resourceGroups/rg1/providers/Microsoft.Network/privateEndpoints/"  \
	"pe1"
#define PE_BODY                                                                                    \
	"{\"id\":\"" PE_PATH "\",\"name\":\"pe1\",\"location\":\"westus3\",\"properties\":{"       \
	"\"provisioningState\":\"Succeeded\",\"resourceGuid\":\"g-1\",\"networkInterfaces\":[{"    \
	"\"id\":\"/subscriptions/" SUB "/resourceGroups/rg1/providers/Microsoft.Network/"          \
	"networkInterfaces/pe1.nic\"}],\"manualPrivateLinkServiceConnections\":[{\"properties\":{" \
	"\"privateLinkServiceId\":\"alias.x\",\"privateLinkServiceConnectionState\":{\"status\":"  \
	"\"Pending\",\"description\":\"Awaiting approval\"}}}]}}"
#define TOKEN_OK "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"" T_BEARER "\"}"

/* One expected request: method, path prefix, and the answer (%P in headers = port). */
struct step {
	const char *method, *path;
	struct mh_resp resp;
};

struct script {
	const struct step *s;
	int n;
	int port;
	char hdr[64][512];
	int bad; /* index + 1 of the first unexpected request */
};

static void scripted(void *ud, int n, const struct mh_req *rq, struct mh_resp *out)
{
	struct script *sc = ud;
	const struct step *st;
	if (n >= sc->n) {
		if (!sc->bad)
			sc->bad = n + 1;
		*out = (struct mh_resp)MH(
		    599, NULL, "{\"error\":{\"code\":\"Unexpected\",\"message\":\"extra\"}}");
		return;
	}
	st = &sc->s[n];
	if (strcmp(st->method, rq->method) != 0 ||
	    strncmp(st->path, rq->path, strlen(st->path)) != 0) {
		if (!sc->bad)
			sc->bad = n + 1;
		fprintf(stderr, "# request %d: got %s %s, want %s %s\n", n, rq->method, rq->path,
		        st->method, st->path);
		*out = (struct mh_resp)MH(
		    599, NULL, "{\"error\":{\"code\":\"Unexpected\",\"message\":\"x\"}}");
		return;
	}
	*out = st->resp;
	if (st->resp.headers && strstr(st->resp.headers, "%P") && n < 64) {
		/* headers may name the server: "%P" becomes the port */
		const char *h = st->resp.headers;
		char *o = sc->hdr[n];
		size_t k = 0;
		for (; *h && k + 8 < sizeof(sc->hdr[n]); h++) {
			if (h[0] == '%' && h[1] == 'P') {
				k +=
				    (size_t)snprintf(o + k, sizeof(sc->hdr[n]) - k, "%d", sc->port);
				h++;
			} else {
				o[k++] = *h;
			}
		}
		o[k] = '\0';
		out->headers = o;
	}
}

struct env {
	struct mh *m;
	struct script sc;
	struct nt t;
	struct azure *a;
	struct creds cr;
	char progress[256];
	int n_progress;
};

static void on_progress(void *ud, const char *status, unsigned elapsed)
{
	struct env *v = ud;
	(void)elapsed;
	v->n_progress++;
	snprintf(v->progress, sizeof(v->progress), "%s", status);
}

static void env_open(struct env *v, const struct step *s, int n, const char *cli_json)
{
	struct err e;
	struct http_opts o = {.max_retries = 1};
	struct azure_opts ao = {0};
	memset(v, 0, sizeof(*v));
	v->sc.s = s;
	v->sc.n = n;
	v->m = mh_start(scripted, &v->sc);
	v->sc.port = mh_port(v->m);
	v->cr.tenant_id = "tenant-1";
	v->cr.client_id = "app-1";
	v->cr.client_secret = T_CLIENT_SECRET;
	v->cr.subscription_id = SUB;
	assert_int_equal(nt_open(&v->t, &o), 0);
	ao.arm_url = mh_url(v->m);
	ao.login_url = mh_url(v->m);
	ao.creds = &v->cr;
	ao.cli_token_json = cli_json;
	v->a = azure_new(v->t.h, &ao, &e);
	assert_non_null(v->a);
	azure_set_progress(v->a, on_progress, v);
}

static void env_close(struct env *v)
{
	assert_int_equal(v->sc.bad, 0);
	assert_int_equal(mh_count(v->m), v->sc.n);
	azure_free(v->a);
	nt_close(&v->t);
	mh_stop(v->m);
}

struct got {
	int done;
	void *res;
	struct err e;
	int had_err;
};

static void got_any(struct got *g, void *res, const struct err *e)
{
	g->res = res;
	if (e) {
		g->e = *e;
		g->had_err = 1;
		nt_note_error(e->msg);
		nt_note_error(e->hint);
	}
	g->done = 1;
}

static void got_pe(void *ud, struct az_pe *p, const struct err *e)
{
	got_any(ud, p, e);
}
static void got_done(void *ud, const struct err *e)
{
	got_any(ud, NULL, e);
}
static void got_record(void *ud, struct az_record *r, const struct err *e)
{
	got_any(ud, r, e);
}
static void got_zone(void *ud, struct az_zone *z, const struct err *e)
{
	got_any(ud, z, e);
}
static void got_link(void *ud, struct az_link *k, const struct err *e)
{
	got_any(ud, k, e);
}
static void got_rgs(void *ud, struct az_rg_list *l, const struct err *e)
{
	got_any(ud, l, e);
}
static void got_vnets(void *ud, struct az_vnet_list *l, const struct err *e)
{
	got_any(ud, l, e);
}
static void got_nic(void *ud, struct az_nic *n, const struct err *e)
{
	got_any(ud, n, e);
}

static void wait_got(struct env *v, struct got *g)
{
	struct err e;
	assert_int_equal(loop_run_until(v->t.l, &g->done, loop_now_ms(v->t.l) + 20000, &e), 0);
}

static void test_token_by_client_credentials_then_get(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"GET", PE_PATH "?api-version=2024-05-01", MH(200, NULL, PE_BODY)},
	    {"GET", PE_PATH "?api-version=2024-05-01", MH(200, NULL, PE_BODY)},
	};
	struct env v;
	struct got g = {0}, g2 = {0};
	struct mh_req *tq;
	char *auth, *want_scope;
	struct az_pe *p;
	env_open(&v, s, 3, NULL);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g);
	wait_got(&v, &g);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g2); /* the cached token is reused */
	wait_got(&v, &g2);
	p = g.res;
	assert_non_null(p);
	assert_string_equal(p->resource_guid, "g-1");
	assert_int_equal(p->conn, AZ_CONN_PENDING);
	tq = mh_request(v.m, 0);
	/* ARM's resource id, not the URL it is reached by (here the scripted server) */
	want_scope = xstrdup("scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
	assert_non_null(strstr(tq->body, "client_id=app-1"));
	assert_non_null(strstr(tq->body, "client_secret=cl1ent~SECRET%2Bval%2Fue%3D"));
	assert_non_null(strstr(tq->body, want_scope));
	assert_non_null(strstr(tq->body, "grant_type=client_credentials"));
	auth = mh_header(v.m, 1, "Authorization");
	assert_string_equal(auth, "Bearer " T_BEARER);
	free(auth);
	free(want_scope);
	mh_req_free(tq);
	az_pe_free(g.res);
	az_pe_free(g2.res);
	env_close(&v);
}

static void test_create_follows_azure_async_operation(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", PE_PATH "?api-version=2024-05-01",
	     MH(201,
	        "Azure-AsyncOperation: http://127.0.0.1:%P/subscriptions/" SUB
	        "/providers/Microsoft.Network/locations/westus3/operations/"
	        "op1?api-version=2024-05-01\r\n"
	        "Location: http://127.0.0.1:%P/ignored\r\nRetry-After: 0\r\n",
	        "{\"id\":\"" PE_PATH
	        "\",\"name\":\"pe1\",\"properties\":{\"provisioningState\":\"Updating\"}}")},
	    {"GET",
	     "/subscriptions/" SUB "/providers/Microsoft.Network/locations/westus3/operations/op1",
	     MH(200, "Retry-After: 0\r\n", "{\"status\":\"InProgress\"}")},
	    {"GET",
	     "/subscriptions/" SUB "/providers/Microsoft.Network/locations/westus3/operations/op1",
	     MH(200, NULL, "{\"status\":\"Succeeded\"}")},
	    {"GET", PE_PATH "?api-version=2024-05-01", MH(200, NULL, PE_BODY)},
	};
	struct env v;
	struct got g = {0};
	struct mh_req *put;
	env_open(&v, s, 5, NULL);
	assert_int_equal(azure_pe_create(v.a, "rg1", "pe1", "westus3",
	                                 "/subscriptions/" SUB "/resourceGroups/rg1/providers/"
	                                 "Microsoft.Network/virtualNetworks/v/subnets/s",
	                                 "alias.x", "please approve", got_pe, &g),
	                 0);
	wait_got(&v, &g);
	assert_false(g.had_err);
	assert_string_equal(((struct az_pe *)g.res)->nic_id,
	                    "/subscriptions/" SUB "/resourceGroups/rg1/providers/Microsoft.Network/"
	                    "networkInterfaces/pe1.nic");
	put = mh_request(v.m, 1);
	assert_string_equal(
	    put->body,
	    "{\"location\":\"westus3\",\"properties\":{\"subnet\":{\"id\":\"/subscriptions/" SUB
	    "/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v/subnets/s\"},"
	    "\"manualPrivateLinkServiceConnections\":[{\"name\":\"pe1-conn\",\"properties\":"
	    "{\"privateLinkServiceId\":\"alias.x\",\"requestMessage\":\"please approve\"}}]}}");
	assert_true(v.n_progress >= 1);
	mh_req_free(put);
	az_pe_free(g.res);
	env_close(&v);
}

static void test_create_follows_location_when_no_async_header(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", PE_PATH,
	     MH(202,
	        "Location: http://127.0.0.1:%P/subscriptions/" SUB "/opres/1\r\nRetry-After: 0\r\n",
	        "")},
	    {"GET", "/subscriptions/" SUB "/opres/1", MH(202, "Retry-After: 0\r\n", "")},
	    {"GET", "/subscriptions/" SUB "/opres/1", MH(200, NULL, "")},
	    {"GET", PE_PATH, MH(200, NULL, PE_BODY)},
	};
	struct env v;
	struct got g = {0};
	env_open(&v, s, 5, NULL);
	azure_pe_create(v.a, "rg1", "pe1", "westus3", "/subscriptions/s/x", "alias.x", NULL, got_pe,
	                &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	assert_non_null(g.res);
	az_pe_free(g.res);
	env_close(&v);
}

static void test_failed_operation_reports_code_and_message(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", PE_PATH,
	     MH(201,
	        "Azure-AsyncOperation: http://127.0.0.1:%P/subscriptions/op2\r\nRetry-After: 0\r\n",
	        "{}")},
	    {"GET", "/subscriptions/op2",
	     MH(200, NULL,
	        "{\"status\":\"Failed\",\"error\":{\"code\":"
	        "\"InvalidResponseFromPrivateLinkService\","
	        "\"message\":\"The PLS did not answer\",\"details\":[]}}")},
	};
	struct env v;
	struct got g = {0};
	env_open(&v, s, 3, NULL);
	azure_pe_create(v.a, "rg1", "pe1", "westus3", "/subscriptions/s/x", "alias.x", "m", got_pe,
	                &g);
	wait_got(&v, &g);
	assert_null(g.res);
	assert_non_null(
	    strstr(g.e.msg, "InvalidResponseFromPrivateLinkService: The PLS did not answer"));
	env_close(&v);
}

static void test_status_url_on_another_host_is_not_followed(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", PE_PATH, MH(201, "Azure-AsyncOperation: https://evil.example/op\r\n", "{}")},
	};
	struct env v;
	struct got g = {0};
	env_open(&v, s, 2, NULL);
	azure_pe_create(v.a, "rg1", "pe1", "westus3", "/subscriptions/s/x", "alias.x", "m", got_pe,
	                &g);
	wait_got(&v, &g);
	assert_true(g.had_err);
	assert_non_null(strstr(g.e.msg, "another host"));
	env_close(&v);
}

static void test_absent_is_null_without_error_and_delete_of_absent_is_done(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"GET", PE_PATH,
	     MH(404, NULL, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"no\"}}")},
	    {"DELETE", PE_PATH, MH(404, NULL, "")},
	    {"GET",
	     "/subscriptions/" SUB "/resourceGroups/gone/providers/Microsoft.Network/"
	     "virtualNetworks?api-version=2024-05-01",
	     MH(404, NULL, "{\"error\":{\"code\":\"ResourceGroupNotFound\",\"message\":\"no\"}}")},
	    {"DELETE",
	     "/subscriptions/" SUB "/resourceGroups/rg1/providers/Microsoft.Network/"
	     "privateDnsZones/z.example?api-version=2024-06-01",
	     MH(202,
	        "Location: http://127.0.0.1:%P/subscriptions/" SUB "/dnsop/1\r\nRetry-After: 0\r\n",
	        "")},
	    {"GET", "/subscriptions/" SUB "/dnsop/1", MH(200, NULL, "")},
	};
	struct env v;
	struct got g = {0}, d = {0}, z = {0}, vl = {0};
	env_open(&v, s, 6, NULL);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g);
	wait_got(&v, &g);
	assert_null(g.res);
	assert_false(g.had_err);
	azure_pe_delete(v.a, "rg1", "pe1", got_done, &d);
	wait_got(&v, &d);
	assert_false(d.had_err);
	azure_vnet_list(v.a, "gone", got_vnets, &vl);
	wait_got(&v, &vl);
	assert_null(vl.res);
	assert_false(vl.had_err);
	azure_zone_delete(v.a, "rg1", "z.example", got_done, &z);
	wait_got(&v, &z);
	assert_false(z.had_err);
	env_close(&v);
}

static void test_401_refreshes_the_token_once_and_replays(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"GET", PE_PATH,
	     MH(401, NULL,
	        "{\"error\":{\"code\":\"ExpiredAuthenticationToken\",\"message\":\"expired\"}}")},
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"GET", PE_PATH, MH(200, NULL, PE_BODY)},
	    {"GET", PE_PATH,
	     MH(401, NULL,
	        "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"bad\"}}")},
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"GET", PE_PATH,
	     MH(401, NULL,
	        "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"bad\"}}")},
	};
	struct env v;
	struct got g = {0}, g2 = {0};
	env_open(&v, s, 7, NULL);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	assert_non_null(g.res);
	az_pe_free(g.res);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g2); /* a second 401 is final */
	wait_got(&v, &g2);
	assert_int_equal(g2.e.kind, ERR_AUTH);
	assert_non_null(strstr(g2.e.msg, "InvalidAuthenticationToken: bad"));
	env_close(&v);
}

static void test_forbidden_names_the_role(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT",
	     "/subscriptions/" SUB "/resourceGroups/rg1/providers/Microsoft.Network/"
	     "privateDnsZones/z/A/*?api-version=2024-06-01",
	     MH(403, NULL,
	        "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client does not "
	        "have authorization\"}}")},
	};
	struct env v;
	struct got g = {0};
	struct mh_req *q;
	env_open(&v, s, 2, NULL);
	azure_record_put(v.a, "rg1", "z", "*", "10.0.0.4", 300, got_record, &g);
	wait_got(&v, &g);
	assert_int_equal(g.e.kind, ERR_FORBIDDEN);
	assert_non_null(
	    strstr(g.e.msg, "AuthorizationFailed: The client does not have authorization"));
	assert_non_null(strstr(g.e.hint, "Network Contributor"));
	q = mh_request(v.m, 1);
	assert_string_equal(
	    q->body,
	    "{\"properties\":{\"ttl\":300,\"aRecords\":[{\"ipv4Address\":\"10.0.0.4\"}]}}");
	mh_req_free(q);
	env_close(&v);
}

static void test_entra_error_shows_first_line_only(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token",
	     MH(401, NULL,
	        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid "
	        "client "
	        "secret provided.\\r\\nTrace ID: abc\\r\\nCorrelation ID: def\"}")},
	};
	struct env v;
	struct got g = {0}, g2 = {0};
	env_open(&v, s, 1, NULL);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g);
	azure_rg_list(v.a, got_rgs, &g2); /* queued behind the same token fetch */
	wait_got(&v, &g);
	wait_got(&v, &g2);
	assert_int_equal(g.e.kind, ERR_AUTH);
	assert_string_equal(g.e.msg,
	                    "Microsoft Entra refused the sign-in: invalid_client: AADSTS7000215: "
	                    "Invalid client secret provided.");
	assert_string_equal(g2.e.msg, g.e.msg);
	env_close(&v);
}

static void test_cli_token_json_and_lists_follow_next_link(void **state)
{
	static const struct step s[] = {
	    {"GET", "/subscriptions/" SUB "/resourcegroups?api-version=2021-04-01",
	     MH(200, NULL,
	        "{\"value\":[{\"id\":\"/subscriptions/" SUB "/resourceGroups/a\",\"name\":\"a\","
	        "\"location\":\"westus3\"}],\"nextLink\":\"http://127.0.0.1:%P/subscriptions/" SUB
	        "/rgpage2\"}")},
	    {"GET", "/subscriptions/" SUB "/rgpage2",
	     MH(200, NULL,
	        "{\"value\":[{\"id\":\"/subscriptions/" SUB
	        "/resourceGroups/b\",\"name\":\"b\"}]}")},
	};
	/* nextLink in a body: the script's %P only rewrites headers, so build the body here */
	struct step s2[2];
	char body[512];
	struct env v;
	struct got g = {0};
	struct az_rg_list *l;
	char *auth;
	memcpy(s2, s, sizeof(s2));
	env_open(&v, s2, 2,
	         "{\"accessToken\":\"" T_BEARER "\",\"expiresOn\":\"2020-11-12 13:50:47.114324\","
	         "\"expires_on\":4102444800,\"tokenType\":\"Bearer\"}");
	snprintf(body, sizeof(body),
	         "{\"value\":[{\"id\":\"/subscriptions/" SUB "/resourceGroups/a\",\"name\":\"a\","
	         "\"location\":\"westus3\"}],\"nextLink\":\"http://127.0.0.1:%d/subscriptions/" SUB
	         "/rgpage2\"}",
	         mh_port(v.m));
	s2[0].resp.body = body;
	azure_rg_list(v.a, got_rgs, &g);
	wait_got(&v, &g);
	l = g.res;
	assert_non_null(l);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->v[1].name, "b");
	assert_null(l->v[1].location);
	auth = mh_header(v.m, 0, "Authorization");
	assert_string_equal(auth, "Bearer " T_BEARER);
	free(auth);
	az_rg_list_free(l);
	env_close(&v);
}

static void test_zone_and_link_put_follow_the_operation(void **state)
{
	char *zone = az_fixture("PrivateZonePut.json", "200");
	char *link = az_fixture("VirtualNetworkLinkPut.json", "200");
	struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT",
	     "/subscriptions/" SUB
	     "/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/"
	     "westus3.privatelink.azure.clickhouse.cloud?api-version=2024-06-01",
	     MH(202,
	        "Azure-AsyncOperation: http://127.0.0.1:%P/subscriptions/" SUB
	        "/privateDnsOperationStatuses/1\r\nRetry-After: 0\r\n",
	        "")},
	    {"GET", "/subscriptions/" SUB "/privateDnsOperationStatuses/1",
	     MH(200, NULL, "{\"status\":\"Succeeded\"}")},
	    {"GET",
	     "/subscriptions/" SUB
	     "/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/"
	     "westus3.privatelink.azure.clickhouse.cloud?api-version=2024-06-01",
	     MH(200, NULL, zone)},
	    {"PUT",
	     "/subscriptions/" SUB
	     "/resourceGroups/rg1/providers/Microsoft.Network/privateDnsZones/z/"
	     "virtualNetworkLinks/l1?api-version=2024-06-01",
	     MH(201, NULL, link)},
	};
	struct env v;
	struct got g = {0}, k = {0};
	struct mh_req *q;
	env_open(&v, s, 5, NULL);
	azure_zone_put(v.a, "rg1", "westus3.privatelink.azure.clickhouse.cloud", got_zone, &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	assert_string_equal(((struct az_zone *)g.res)->name, "privatezone1.com");
	azure_link_put(v.a, "rg1", "z", "l1",
	               "/subscriptions/" SUB
	               "/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v",
	               got_link, &k);
	wait_got(&v, &k);
	assert_false(k.had_err);
	assert_string_equal(((struct az_link *)k.res)->link_state, "Completed");
	q = mh_request(v.m, 1);
	assert_string_equal(q->body, "{\"location\":\"global\"}");
	mh_req_free(q);
	q = mh_request(v.m, 4);
	assert_string_equal(
	    q->body, "{\"location\":\"global\",\"properties\":{\"virtualNetwork\":{\"id\":"
	             "\"/subscriptions/" SUB "/resourceGroups/rg1/providers/Microsoft.Network/"
	             "virtualNetworks/v\"},\"registrationEnabled\":false}}");
	mh_req_free(q);
	az_zone_free(g.res);
	az_link_free(k.res);
	env_close(&v);
	free(zone);
	free(link);
}

static void test_nic_ip_from_the_nic(void **state)
{
	char *nic = az_fixture("NetworkInterfaceGet.json", "200");
	struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"GET",
	     "/subscriptions/subid/resourceGroups/rg1/provders/Microsoft.Network/networkInterfaces/"
	     "n?api-version=2024-05-01",
	     MH(200, NULL, nic)},
	};
	struct env v;
	struct got g = {0};
	env_open(&v, s, 2, NULL);
	assert_int_equal(azure_nic_get(v.a,
	                               "/subscriptions/subid/resourceGroups/rg1/provders/"
	                               "Microsoft.Network/networkInterfaces/n",
	                               got_nic, &g),
	                 0);
	assert_int_equal(azure_nic_get(v.a, "https://evil.example/x", got_nic, &g), -1);
	wait_got(&v, &g);
	assert_string_equal(((struct az_nic *)g.res)->private_ip, "172.20.2.4");
	az_nic_free(g.res);
	env_close(&v);
	free(nic);
}

/* ---- conformance: LRO forms of azure-arm.md §4 ---- */

/* A 200 that is still Updating (an update of an existing endpoint) is followed, whatever
 * the header names' case; the operation may end Canceled. */
static void test_put_200_still_updating_is_followed(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", PE_PATH "?api-version=2024-05-01",
	     MH(200,
	        "azure-asyncoperation: http://127.0.0.1:%P/subscriptions/" SUB
	        "/providers/Microsoft.Network/locations/westus3/operations/op7?api-version="
	        "2024-05-01\r\nretry-after: 0\r\n",
	        "{\"properties\":{\"provisioningState\":\"Updating\"},\"name\":\"pe1\",\"id\":"
	        "\"" PE_PATH "\"}")},
	    {"GET",
	     "/subscriptions/" SUB "/providers/Microsoft.Network/locations/westus3/operations/op7",
	     MH(200, "Retry-After: 0\r\n", "{\"status\":\"Accepted\",\"name\":\"op7\"}")},
	    {"GET",
	     "/subscriptions/" SUB "/providers/Microsoft.Network/locations/westus3/operations/op7",
	     MH(200, NULL, "{\"name\":\"op7\",\"status\":\"Succeeded\"}")},
	    {"GET", PE_PATH "?api-version=2024-05-01", MH(200, NULL, PE_BODY)},
	    {"PUT", PE_PATH "?api-version=2024-05-01",
	     MH(200,
	        "AZURE-ASYNCOPERATION: http://127.0.0.1:%P/subscriptions/" SUB "/op8\r\n"
	        "Retry-After: 0\r\n",
	        "{\"id\":\"" PE_PATH "\",\"name\":\"pe1\",\"properties\":{\"provisioningState\":"
	        "\"Updating\"}}")},
	    {"GET", "/subscriptions/" SUB "/op8",
	     MH(200, NULL,
	        "{\"status\":\"Canceled\",\"error\":{\"code\":\"OperationCanceled\",\"message\":"
	        "\"cancelled by a newer request\"}}")},
	};
	struct env v;
	struct got g = {0}, g2 = {0};
	env_open(&v, s, 7, NULL);
	azure_pe_create(v.a, "rg1", "pe1", "westus3", "/subscriptions/s/x", "alias.x", "m", got_pe,
	                &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	assert_string_equal(((struct az_pe *)g.res)->provisioning_state, "Succeeded");
	az_pe_free(g.res);
	azure_pe_create(v.a, "rg1", "pe1", "westus3", "/subscriptions/s/x", "alias.x", "m", got_pe,
	                &g2);
	wait_got(&v, &g2);
	assert_null(g2.res);
	assert_non_null(strstr(g2.e.msg, "Canceled"));
	assert_non_null(strstr(g2.e.msg, "OperationCanceled: cancelled by a newer request"));
	env_close(&v);
}

/* A DELETE answered 200 while still Deleting is followed to its end, not taken as done. */
static void test_delete_200_still_deleting_is_followed(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"DELETE", PE_PATH "?api-version=2024-05-01",
	     MH(200,
	        "Azure-AsyncOperation: http://127.0.0.1:%P/subscriptions/" SUB "/op9\r\n"
	        "Retry-After: 0\r\n",
	        "{\"id\":\"" PE_PATH "\",\"name\":\"pe1\",\"properties\":{\"provisioningState\":"
	        "\"Deleting\"}}")},
	    {"GET", "/subscriptions/" SUB "/op9", MH(200, NULL, "{\"status\":\"Succeeded\"}")},
	};
	struct env v;
	struct got g = {0};
	env_open(&v, s, 3, NULL);
	azure_pe_delete(v.a, "rg1", "pe1", got_done, &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	env_close(&v);
}

/* 202 without a status URL: the resource itself is polled until its state is terminal. */
static void test_put_202_without_headers_polls_the_resource(void **state)
{
	char *zone = az_fixture("PrivateZonePut.json", "200");
	const char *zpath = "/subscriptions/" SUB "/resourceGroups/rg1/providers/Microsoft.Network/"
	                    "privateDnsZones/z.example?api-version=2024-06-01";
	struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", zpath, MH(202, "Retry-After: 0\r\n", "")},
	    {"GET", zpath,
	     MH(200, "Retry-After: 0\r\n",
	        "{\"id\":\"z\",\"name\":\"z.example\",\"properties\":{\"provisioningState\":"
	        "\"Creating\"}}")},
	    {"GET", zpath, MH(200, NULL, zone)},
	};
	struct env v;
	struct got g = {0};
	env_open(&v, s, 4, NULL);
	azure_zone_put(v.a, "rg1", "z.example", got_zone, &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	assert_string_equal(((struct az_zone *)g.res)->provisioning_state, "Succeeded");
	az_zone_free(g.res);
	env_close(&v);
	free(zone);
}

/* "Clients must accept Azure-AsyncOperation and Location URLs of at least 4 KB." */
static void test_status_url_of_5_kb_is_followed(void **state)
{
	struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", PE_PATH "?api-version=2024-05-01",
	     MH(201, NULL,
	        "{\"id\":\"" PE_PATH "\",\"name\":\"pe1\",\"properties\":{\"provisioningState\":"
	        "\"Updating\"}}")},
	    {"GET",
	     "/subscriptions/" SUB "/providers/Microsoft.Network/locations/westus3/operations/"
	     "long?api-version=2024-05-01&pad=xxxx",
	     MH(200, NULL, "{\"status\":\"Succeeded\"}")},
	    {"GET", PE_PATH "?api-version=2024-05-01", MH(200, NULL, PE_BODY)},
	};
	struct env v;
	struct got g = {0};
	char *pad = xmalloc(5001), *hdr;
	memset(pad, 'x', 5000);
	pad[5000] = '\0';
	env_open(&v, s, 4, NULL);
	hdr = xasprintf("Azure-AsyncOperation: http://127.0.0.1:%d/subscriptions/" SUB
	                "/providers/Microsoft.Network/locations/westus3/operations/long?"
	                "api-version=2024-05-01&pad=%s\r\nRetry-After: 0\r\n",
	                mh_port(v.m), pad);
	assert_true(strlen(hdr) > 5000);
	s[1].resp.headers = hdr;
	azure_pe_create(v.a, "rg1", "pe1", "westus3", "/subscriptions/s/x", "alias.x", "m", got_pe,
	                &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	assert_non_null(g.res);
	az_pe_free(g.res);
	env_close(&v);
	free(hdr);
	free(pad);
}

/* URLs on ARM's public host are followed on the configured ARM (a proxy or simulator may
 * answer with them); look-alike hosts are not. */
static void test_public_arm_urls_are_rebased_onto_the_configured_host(void **state)
{
	static const struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"PUT", PE_PATH,
	     MH(201,
	        "Azure-AsyncOperation: https://MANAGEMENT.azure.com/subscriptions/" SUB
	        "/providers/Microsoft.Network/locations/westus3/operations/pub?api-version="
	        "2024-05-01\r\nRetry-After: 0\r\n",
	        "{}")},
	    {"GET",
	     "/subscriptions/" SUB "/providers/Microsoft.Network/locations/westus3/operations/pub",
	     MH(200, NULL, "{\"status\":\"Succeeded\"}")},
	    {"GET", PE_PATH, MH(200, NULL, PE_BODY)},
	    {"GET", "/subscriptions/" SUB "/resourcegroups?api-version=2021-04-01",
	     MH(200, NULL,
	        "{\"value\":[{\"id\":\"/subscriptions/" SUB "/resourceGroups/a\",\"name\":\"a\"}],"
	        "\"nextLink\":\"https://management.azure.com:443/subscriptions/" SUB
	        "/resourcegroups?api-version=2021-04-01&%24skiptoken=1\"}")},
	    {"GET", "/subscriptions/" SUB "/resourcegroups?api-version=2021-04-01&%24skiptoken=1",
	     MH(200, NULL,
	        "{\"value\":[{\"id\":\"/subscriptions/" SUB "/resourceGroups/b\",\"name\":\"b\"}],"
	        "\"nextLink\":\"https://management.azure.com.evil.example/subscriptions/x\"}")},
	};
	struct env v;
	struct got g = {0}, l = {0};
	env_open(&v, s, 6, NULL);
	azure_pe_create(v.a, "rg1", "pe1", "westus3", "/subscriptions/s/x", "alias.x", "m", got_pe,
	                &g);
	wait_got(&v, &g);
	assert_false(g.had_err);
	az_pe_free(g.res);
	azure_rg_list(v.a, got_rgs, &l);
	wait_got(&v, &l);
	assert_null(l.res);
	assert_non_null(strstr(l.e.msg, "nextLink on another host"));
	env_close(&v);
}

static void got_pes(void *ud, struct az_pe_list *l, const struct err *e)
{
	got_any(ud, l, e);
}

/* Pages of the official example bodies: an empty page in the middle, "nextLink": null last. */
static void test_pe_list_pages_of_reference_bodies(void **state)
{
	char *manual = az_fixture("PrivateEndpointGetForManualApproval.json", "200");
	char *autop = az_fixture("PrivateEndpointGet.json", "200");
	char p1[8192], p2[256], p3[8192];
	struct step s[] = {
	    {"POST", "/tenant-1/oauth2/v2.0/token", MH(200, NULL, TOKEN_OK)},
	    {"GET",
	     "/subscriptions/" SUB "/providers/Microsoft.Network/privateEndpoints?api-version="
	     "2024-05-01",
	     MH(200, NULL, p1)},
	    {"GET", "/subscriptions/" SUB "/pepage2", MH(200, NULL, p2)},
	    {"GET", "/subscriptions/" SUB "/pepage3", MH(200, NULL, p3)},
	};
	struct env v;
	struct got g = {0};
	struct az_pe_list *l;
	env_open(&v, s, 4, NULL);
	snprintf(p1, sizeof(p1),
	         "{\"nextLink\":\"http://127.0.0.1:%d/subscriptions/" SUB
	         "/pepage2?api-version=2024-05-01&%%24skiptoken=1\",\"value\":[%s]}",
	         mh_port(v.m), manual);
	snprintf(p2, sizeof(p2),
	         "{\"value\":[],\"nextLink\":\"http://127.0.0.1:%d/subscriptions/" SUB
	         "/pepage3\"}",
	         mh_port(v.m));
	snprintf(p3, sizeof(p3), "{\"value\":[%s],\"nextLink\":null}", autop);
	azure_pe_list(v.a, NULL, got_pes, &g);
	wait_got(&v, &g);
	l = g.res;
	assert_false(g.had_err);
	assert_non_null(l);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->v[0].manual, 1);
	assert_int_equal(l->v[0].conn, AZ_CONN_PENDING);
	assert_int_equal(l->v[1].conn, AZ_CONN_APPROVED);
	assert_string_equal(l->v[1].resource_group, "rg1");
	az_pe_list_free(l);
	env_close(&v);
	free(manual);
	free(autop);
}

static void test_missing_az_cli_is_explained(void **state)
{
	struct env v;
	struct got g = {0};
	struct err e;
	struct http_opts o = {.max_retries = 0};
	struct azure_opts ao = {0};
	char *old = xstrdup(getenv("PATH") ? getenv("PATH") : "");
	memset(&v, 0, sizeof(v));
	v.cr.subscription_id = SUB;
	v.cr.az_use_cli = 1;
	assert_int_equal(nt_open(&v.t, &o), 0);
	ao.arm_url = "https://management.azure.com";
	ao.creds = &v.cr;
	v.a = azure_new(v.t.h, &ao, &e);
	setenv("PATH", "/nonexistent-dir", 1);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g);
	setenv("PATH", old, 1);
	wait_got(&v, &g);
	assert_non_null(strstr(g.e.msg, "Azure CLI (az) is not installed"));
	azure_free(v.a);
	nt_close(&v.t);
	free(old);
}

/* A stand-in `az` on PATH: proves the spawn, the pipe on the loop and the arguments. */
static void test_az_cli_token_is_read_from_the_child(void **state)
{
	static const struct step s[] = {{"GET", PE_PATH, MH(200, NULL, PE_BODY)}};
	char *bin = nt_path("fakebin"), *az = nt_path("fakebin/az"), *args = nt_path("az-args.txt");
	char *path, *old = xstrdup(getenv("PATH") ? getenv("PATH") : ""), *auth;
	FILE *f;
	struct env v;
	struct got g = {0};
	struct err e;
	struct http_opts o = {.max_retries = 0};
	struct azure_opts ao = {0};
	assert_int_equal(fs_mkdir_p(bin, 0700, &e), 0);
	f = fopen(az, "w");
	assert_non_null(f);
	fprintf(f,
	        "#!/bin/sh\necho \"$@\" > '%s'\n"
	        "echo '{\"accessToken\":\"%s\",\"expires_on\":4102444800}'\n",
	        args, T_BEARER);
	fclose(f);
	assert_int_equal(chmod(az, 0700), 0);
	memset(&v, 0, sizeof(v));
	v.sc.s = s;
	v.sc.n = 1;
	v.m = mh_start(scripted, &v.sc);
	v.cr.subscription_id = SUB;
	v.cr.az_use_cli = 1;
	assert_int_equal(nt_open(&v.t, &o), 0);
	ao.arm_url = mh_url(v.m);
	ao.creds = &v.cr;
	v.a = azure_new(v.t.h, &ao, &e);
	path = xasprintf("%s:%s", bin, old);
	setenv("PATH", path, 1);
	azure_pe_get(v.a, "rg1", "pe1", got_pe, &g);
	wait_got(&v, &g);
	setenv("PATH", old, 1);
	assert_false(g.had_err);
	assert_non_null(g.res);
	auth = mh_header(v.m, 0, "Authorization");
	assert_string_equal(auth, "Bearer " T_BEARER);
	{
		char *want = xstrdup(
		    "account get-access-token --resource https://management.azure.com/ -o json");
		char *a = NULL;
		size_t len;
		assert_int_equal(fs_read_all(args, 4096, &a, &len, &e), 0);
		a[strcspn(a, "\n")] = '\0';
		assert_string_equal(a, want);
		free(a);
		free(want);
	}
	free(auth);
	az_pe_free(g.res);
	env_close(&v);
	free(bin);
	free(az);
	free(args);
	free(path);
	free(old);
}

static void test_no_secret_in_any_log_or_error(void **state)
{
	static const char *const secrets[] = {T_CLIENT_SECRET, "cl1ent~SECRET%2Bval", T_BEARER};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(nt_file_has("net-test.log", secrets[i]), 0);
		assert_int_equal(nt_file_has("net-test-errors.txt", secrets[i]), 0);
	}
	assert_int_equal(nt_file_has("net-test.log", "POST http://127.0.0.1:"), 1);
	assert_int_equal(nt_file_has("net-test-errors.txt", "AADSTS7000215"), 1);
	assert_int_equal(nt_file_has("net-test-errors.txt", "Trace ID"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_token_by_client_credentials_then_get),
	    cmocka_unit_test(test_create_follows_azure_async_operation),
	    cmocka_unit_test(test_create_follows_location_when_no_async_header),
	    cmocka_unit_test(test_failed_operation_reports_code_and_message),
	    cmocka_unit_test(test_status_url_on_another_host_is_not_followed),
	    cmocka_unit_test(test_absent_is_null_without_error_and_delete_of_absent_is_done),
	    cmocka_unit_test(test_401_refreshes_the_token_once_and_replays),
	    cmocka_unit_test(test_forbidden_names_the_role),
	    cmocka_unit_test(test_entra_error_shows_first_line_only),
	    cmocka_unit_test(test_cli_token_json_and_lists_follow_next_link),
	    cmocka_unit_test(test_zone_and_link_put_follow_the_operation),
	    cmocka_unit_test(test_nic_ip_from_the_nic),
	    cmocka_unit_test(test_put_200_still_updating_is_followed),
	    cmocka_unit_test(test_put_202_without_headers_polls_the_resource),
	    cmocka_unit_test(test_delete_200_still_deleting_is_followed),
	    cmocka_unit_test(test_pe_list_pages_of_reference_bodies),
	    cmocka_unit_test(test_status_url_of_5_kb_is_followed),
	    cmocka_unit_test(test_public_arm_urls_are_rebased_onto_the_configured_host),
	    cmocka_unit_test(test_missing_az_cli_is_explained),
	    cmocka_unit_test(test_az_cli_token_is_read_from_the_child),
	    cmocka_unit_test(test_no_secret_in_any_log_or_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
