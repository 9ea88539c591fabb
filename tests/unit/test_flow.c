/* test_flow: the engine against fake clouds: apply, idempotency, resume, teardown order, doctor. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_clouds.h"
#include "flow.h"
#include "loop.h"
#include "state.h"
#include "xmalloc.h"

struct t {
	struct fake_world w;
	struct loop *l;
	struct flow *f;
	struct flow_config cfg;
	struct creds cr;
	char *dir;
	int done, rc;
	struct err e;
};

static void on_done(void *ud, int rc, const struct err *e)
{
	struct t *t = ud;
	t->done = 1;
	t->rc = rc;
	if (e)
		t->e = *e;
}

static void open_flow(struct t *t)
{
	struct err e;
	t->f = flow_new(t->l, &t->cfg, &e);
	assert_non_null(t->f);
}

static int setup(void **state)
{
	struct t *t = xcalloc(1, sizeof *t);
	struct err e;

	fake_world_init(&t->w);
	fake_use(&t->w);
	t->l = loop_new(&e);
	t->dir = xasprintf("%s/flow-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	t->cr =
	    (struct creds){"kid", "ksecret", "org-1", "tenant", "client", "csecret", "sub-1", 0};
	t->cfg.profile = "default";
	t->cfg.state_dir = t->dir;
	t->cfg.creds = &t->cr;
	open_flow(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	flow_free(t->f);
	loop_free(t->l);
	fake_world_free(&t->w);
	free(t->dir);
	free(t);
	return 0;
}

static int wait_op(struct t *t, int started)
{
	assert_int_equal(started, 0);
	while (!t->done)
		assert_true(loop_once(t->l, 1000) >= 0);
	t->done = 0;
	return t->rc;
}

static int check(struct t *t)
{
	return wait_op(t, flow_check(t->f, on_done, t));
}
static int apply(struct t *t, enum flow_step s)
{
	return wait_op(t, flow_apply(t->f, s, on_done, t));
}
static int undo(struct t *t, enum flow_step s, int force)
{
	return wait_op(t, flow_undo(t->f, s, force, on_done, t));
}
static int doctor(struct t *t)
{
	return wait_op(t, flow_doctor(t->f, on_done, t));
}
static enum flow_state st(struct t *t, enum flow_step s)
{
	return flow_view(t->f)->step[s].state;
}

static void answer(struct t *t, const char *region)
{
	struct flow_answers *a = flow_answers(t->f);
	a->region = xstrdup(region);
	a->resource_group = xstrdup("rg1");
	a->vnet = xstrdup("vnet1");
	a->subnet = xstrdup("default");
}

/* What `chlink apply` does: apply what is missing, look again while pending. */
static void drive(struct t *t)
{
	for (int i = 0; i < 40; i++) {
		enum flow_step s;
		assert_int_equal(check(t), 0);
		s = flow_first_missing(t->f);
		if (s == FLOW_NSTEPS)
			return;
		if (st(t, s) == FLOW_MISSING || st(t, s) == FLOW_FAILED)
			assert_int_equal(apply(t, s), 0);
	}
	fail_msg("not done after 40 rounds; first missing %s: %s",
	         flow_step_info(flow_first_missing(t->f))->key,
	         flow_view(t->f)->step[flow_first_missing(t->f)].detail);
}

static int has_finding(struct t *t, const char *code)
{
	const struct flow_view *v = flow_view(t->f);
	for (size_t i = 0; i < v->n_findings; i++)
		if (!strcmp(v->findings[i].code, code))
			return 1;
	return 0;
}

/* ---- tests ---- */

static void test_flow_step_table_is_in_the_guides_order(void **state)
{
	static const char *const keys[] = {"alias",    "endpoint", "dns-zone",  "dns-record",
	                                   "dns-link", "org",      "allowlist", "access"};
	static const int stages[] = {1, 2, 2, 2, 2, 3, 4, 5};
	(void)state;
	for (int s = 0; s < FLOW_NSTEPS; s++) {
		assert_string_equal(flow_step_info((enum flow_step)s)->key, keys[s]);
		assert_int_equal(flow_step_info((enum flow_step)s)->stage, stages[s]);
		assert_int_equal(flow_step_info((enum flow_step)s)->step, s);
	}
	assert_null(flow_step_info(FLOW_NSTEPS));
	assert_string_equal(flow_state_name(FLOW_PENDING), "pending");
}

static void test_flow_validates_pasted_values(void **state)
{
	(void)state;
	assert_true(flow_valid_guid("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
	assert_false(flow_valid_guid("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f"));
	assert_false(flow_valid_guid("0f1e2d3c_4b5a-6978-8796-a5b4c3d2e1f0"));
	assert_true(flow_valid_pe_resource_id(
	    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe"));
	assert_false(flow_valid_pe_resource_id(
	    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"));
	assert_false(flow_valid_pe_resource_id("/subscriptions/s"));
	assert_true(flow_valid_ipv4("10.0.0.4"));
	assert_false(flow_valid_ipv4("10.0.0.256"));
	assert_false(flow_valid_ipv4("10.0.0"));
	assert_false(flow_valid_ipv4("10.0.0.4."));
	assert_true(
	    flow_valid_alias("production-westus3-0-0.abc.westus3.azure.privatelinkservice"));
	assert_false(flow_valid_alias("abc.westus3.azure.privatelink"));
	assert_true(
	    flow_valid_private_hostname("h2k4m6p8r1.westus3.privatelink.azure.clickhouse.cloud"));
	assert_false(flow_valid_private_hostname("westus3.privatelink.azure.clickhouse.cloud"));
	assert_false(flow_valid_private_hostname("h2k4m6p8r1.westus3.azure.clickhouse.cloud"));
	assert_false(flow_valid_private_hostname("a..westus3.privatelink.azure.clickhouse.cloud"));
	assert_false(flow_valid_private_hostname("a.b.westus3.privatelink.azure.clickhouse.cloud"));
	assert_false(flow_valid_private_hostname("a b.westus3.privatelink.azure.clickhouse.cloud"));
	assert_false(flow_valid_private_hostname(NULL));
}

static void test_flow_missing_region_and_development_service(void **state)
{
	struct t *t = *state;

	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ALIAS), FLOW_MISSING);
	flow_answers(t->f)->region = xstrdup("eastus2");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ALIAS), FLOW_FAILED); /* only a Development service there */
	assert_non_null(strstr(flow_view(t->f)->step[FLOW_ALIAS].detail, "Production"));
}

static void test_flow_apply_from_empty_world_reaches_access(void **state)
{
	struct t *t = *state;
	const struct flow_view *v;

	answer(t, "westus3");
	drive(t);
	v = flow_view(t->f);
	assert_int_equal(t->w.n_pe_creates, 1);
	assert_int_equal(v->conn, FLOW_CONN_APPROVED);
	assert_string_equal(v->pe_ip, "10.0.0.4");
	assert_string_equal(v->zone, "westus3.privatelink.azure.clickhouse.cloud");
	assert_true(v->dns_ok && v->tls_ok && v->ping_ok);
	assert_int_equal(v->allow_done, 1);
	/* the guide's id form: the resourceGuid was registered */
	assert_string_equal(t->w.services[0].pe_ids[0], v->pe_guid);
}

static void test_flow_resource_id_form_registers_the_arm_id(void **state)
{
	struct t *t = *state;
	char *name;

	answer(t, "westus3");
	flow_answers(t->f)->id_form = FLOW_ID_RESOURCE_ID;
	assert_int_equal(check(t), 0);
	name = flow_planned_pe_name(t->f);
	assert_string_equal(name, "chlink-prod-west");
	free(name);
	drive(t);
	assert_string_equal(t->w.services[0].pe_ids[0], flow_view(t->f)->pe_id);
	assert_string_equal(t->w.org[0].id, flow_view(t->f)->pe_id);
	/* switching back to the guid form: status recognises the registered resource id */
	flow_answers(t->f)->id_form = FLOW_ID_GUID;
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ORG), FLOW_DONE);
	assert_int_equal(st(t, FLOW_ALLOWLIST), FLOW_DONE);
	assert_int_equal(t->w.n_service_adds, 1);
}

static void test_flow_apply_twice_creates_nothing_more(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	drive(t);
	for (int s = 0; s < FLOW_NSTEPS; s++)
		assert_int_equal(apply(t, (enum flow_step)s), 0);
	assert_int_equal(t->w.n_pe_creates, 1);
	assert_int_equal(t->w.n_zone_puts, 1);
	assert_int_equal(t->w.n_record_puts, 1);
	assert_int_equal(t->w.n_link_puts, 1);
	assert_int_equal(t->w.n_org_adds, 1);
	assert_int_equal(t->w.n_service_adds, 1);
}

static void test_flow_resumes_the_journaled_endpoint_after_a_crash(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	t->w.lro_ticks = 50;
	assert_int_equal(check(t), 0);
	assert_int_equal(flow_apply(t->f, FLOW_ENDPOINT, on_done, t), 0);
	while (t->w.n_pe_creates == 0)
		assert_true(loop_once(t->l, 1000) >= 0);
	/* crash in the middle of the long-running operation */
	flow_free(t->f);
	t->done = 0;
	open_flow(t);
	t->w.pes[0].exists = 2; /* ARM finishes the operation after one more look */
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_PENDING);
	drive(t);
	assert_int_equal(t->w.n_pe_creates, 1);
	assert_int_equal(fake_n_existing_pes(&t->w), 1);
}

static void test_flow_finds_a_portal_endpoint_by_alias(void **state)
{
	struct t *t = *state;

	fake_add_pe(&t->w, "rg-portal", "by-hand", t->w.services[0].alias,
	            "bbbbbbbb-0000-4000-8000-000000000001", "10.1.0.5");
	flow_answers(t->f)->region = xstrdup("westus3");
	flow_answers(t->f)->resource_group = xstrdup("rg-portal");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_DONE);
	assert_string_equal(flow_view(t->f)->pe_name, "by-hand");
	assert_int_equal(apply(t, FLOW_ENDPOINT), 0);
	assert_int_equal(t->w.n_pe_creates, 0);
	/* pasted values are cross-checked when Azure can be asked */
	flow_answers(t->f)->manual_pe_guid = xstrdup("bbbbbbbb-0000-4000-8000-000000000001");
	flow_answers(t->f)->manual_pe_ip = xstrdup("10.1.0.5");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_DONE);
	free(flow_answers(t->f)->manual_pe_ip);
	flow_answers(t->f)->manual_pe_ip = xstrdup("10.1.0.6");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_FAILED);
	assert_non_null(strstr(flow_view(t->f)->step[FLOW_ENDPOINT].detail, "10.1.0.5"));
}

/* An endpoint whose connection names the Private Link Service by resource id, not alias. */
static void test_flow_endpoint_echoing_a_resource_id_is_not_refused(void **state)
{
	struct t *t = *state;

	fake_add_pe(&t->w, "rg1", "by-hand",
	            "/subscriptions/ch-1/resourceGroups/ch-rg/providers/Microsoft.Network/"
	            "privateLinkServices/pls-westus3",
	            "bbbbbbbb-0000-4000-8000-000000000001", "10.1.0.5");
	answer(t, "westus3");
	flow_answers(t->f)->pe_name = xstrdup("by-hand");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_DONE);
	/* another alias proper still is refused */
	fake_add_pe(&t->w, "rg1", "other",
	            "production-eastus2-0-0.x.eastus2.azure.privatelinkservice",
	            "bbbbbbbb-0000-4000-8000-000000000002", "10.1.0.6");
	free(flow_answers(t->f)->pe_name);
	flow_answers(t->f)->pe_name = xstrdup("other");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_FAILED);
	assert_false(flow_pls_resource_id("/subscriptions/s/providers/Microsoft.Network/"
	                                  "privateLinkServices/"));
	assert_false(
	    flow_pls_resource_id("production-westus3-0-0.x.westus3.azure.privatelinkservice"));
}

static void test_flow_several_endpoints_need_a_name(void **state)
{
	struct t *t = *state;

	fake_add_pe(&t->w, "rg1", "a", t->w.services[0].alias,
	            "bbbbbbbb-0000-4000-8000-000000000001", "10.1.0.5");
	fake_add_pe(&t->w, "rg1", "b", t->w.services[0].alias,
	            "bbbbbbbb-0000-4000-8000-000000000002", "10.1.0.6");
	answer(t, "westus3");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_FAILED);
	assert_int_equal(flow_view(t->f)->n_pe_candidates, 2);
	assert_non_null(strstr(flow_view(t->f)->step[FLOW_ENDPOINT].detail, "a, b"));
	assert_int_equal(apply(t, FLOW_ENDPOINT), -1);
	assert_int_equal(t->e.kind, ERR_CONFLICT);
	assert_int_equal(t->w.n_pe_creates, 0);
	flow_answers(t->f)->pe_name = xstrdup("b");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_DONE);
	assert_string_equal(flow_view(t->f)->pe_ip, "10.1.0.6");
}

static void test_flow_teardown_undoes_in_reverse_order(void **state)
{
	static const char *const want[] = {"service-remove", "org-remove",  "link-delete",
	                                   "record-delete",  "zone-delete", "pe-delete"};
	static const enum flow_step order[] = {FLOW_ALLOWLIST,  FLOW_ORG,      FLOW_DNS_LINK,
	                                       FLOW_DNS_RECORD, FLOW_DNS_ZONE, FLOW_ENDPOINT};
	struct t *t = *state;
	size_t before;

	answer(t, "westus3");
	drive(t);
	before = t->w.n_order;
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(undo(t, order[i], 0), 0);
	assert_int_equal(t->w.n_order - before, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(t->w.order[before + i], want[i]);
	assert_int_equal(fake_n_existing_pes(&t->w), 0);
	assert_int_equal(t->w.n_org, 0);
	assert_int_equal(t->w.services[0].n_pe_ids, 0);
	assert_false(t->w.zone.exists || t->w.record.exists || t->w.link.exists);
}

static void test_flow_teardown_keeps_what_chlink_did_not_create(void **state)
{
	struct t *t = *state;

	fake_add_pe(&t->w, "rg1", "by-hand", t->w.services[0].alias,
	            "bbbbbbbb-0000-4000-8000-000000000001", "10.1.0.5");
	answer(t, "westus3");
	assert_int_equal(check(t), 0);
	assert_int_equal(undo(t, FLOW_ENDPOINT, 0), -1);
	assert_int_equal(t->e.kind, ERR_CONFLICT);
	assert_int_equal(fake_n_existing_pes(&t->w), 1);
	assert_int_equal(undo(t, FLOW_ENDPOINT, 1), 0);
	assert_int_equal(fake_n_existing_pes(&t->w), 0);
}

static void test_flow_status_asks_clickhouse_three_times(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	drive(t);
	t->w.n_chc_calls = 0;
	assert_int_equal(check(t), 0);
	/* services (with allow lists), org; the config was asked once in this run already */
	assert_int_equal(t->w.n_chc_calls, 2);
	/* A new run remembers nothing that can be observed: it asks for the config again. */
	assert_int_equal(flow_save(t->f, &t->e), 0);
	flow_free(t->f);
	open_flow(t);
	t->w.n_chc_calls = 0;
	assert_int_equal(check(t), 0);
	assert_int_equal(t->w.n_chc_calls, 3); /* services, org, config */
	assert_int_equal(flow_first_missing(t->f), FLOW_NSTEPS);
}

/* Everything up to stage 3, as `apply` does it. */
static void apply_stage2(struct t *t)
{
	static const enum flow_step s2[] = {FLOW_ENDPOINT, FLOW_DNS_ZONE, FLOW_DNS_RECORD,
	                                    FLOW_DNS_LINK};

	answer(t, "westus3");
	assert_int_equal(check(t), 0);
	for (size_t i = 0; i < sizeof s2 / sizeof s2[0]; i++) {
		assert_int_equal(apply(t, s2[i]), 0);
		assert_int_equal(st(t, s2[i]), FLOW_DONE);
	}
}

static void test_flow_a_step_reads_again_only_what_it_changed(void **state)
{
	struct t *t = *state;

	apply_stage2(t);
	/* The organization comes back in the PATCH answer: one request, nothing else read. */
	t->w.n_chc_calls = t->w.n_az_calls = 0;
	assert_int_equal(apply(t, FLOW_ORG), 0);
	assert_int_equal(st(t, FLOW_ORG), FLOW_DONE);
	assert_int_equal(t->w.n_chc_calls, 1);
	assert_int_equal(t->w.n_az_calls, 0);
	/* The service too; the connection state lives on the endpoint: one ARM GET. */
	t->w.n_chc_calls = t->w.n_az_calls = 0;
	assert_int_equal(apply(t, FLOW_ALLOWLIST), 0);
	assert_int_equal(t->w.n_chc_calls, 1);
	assert_int_equal(t->w.n_az_calls, 1);
	assert_int_equal(st(t, FLOW_ALLOWLIST), FLOW_DONE);
	assert_int_equal(flow_view(t->f)->conn, FLOW_CONN_APPROVED);
	assert_int_equal(flow_first_missing(t->f), FLOW_NSTEPS);
	/* Undo: the same answers say the id is gone. */
	t->w.n_chc_calls = 0;
	assert_int_equal(undo(t, FLOW_ALLOWLIST, 0), 0);
	assert_int_equal(t->w.n_chc_calls, 1);
	assert_int_equal(st(t, FLOW_ALLOWLIST), FLOW_MISSING);
	t->w.n_chc_calls = 0;
	assert_int_equal(undo(t, FLOW_ORG, 0), 0);
	assert_int_equal(t->w.n_chc_calls, 1);
	assert_int_equal(st(t, FLOW_ORG), FLOW_MISSING);
}

static void test_flow_patch_answers_without_the_lists_are_read_again(void **state)
{
	struct t *t = *state;

	apply_stage2(t);
	t->w.bare_patch_answers = 1;
	t->w.n_chc_calls = 0;
	assert_int_equal(apply(t, FLOW_ORG), 0);
	assert_int_equal(t->w.n_chc_calls, 2); /* PATCH, then GET the organization */
	assert_int_equal(st(t, FLOW_ORG), FLOW_DONE);
	t->w.n_chc_calls = 0;
	assert_int_equal(apply(t, FLOW_ALLOWLIST), 0);
	assert_int_equal(t->w.n_chc_calls, 2); /* PATCH, then GET the services */
	assert_int_equal(st(t, FLOW_ALLOWLIST), FLOW_DONE);
	assert_int_equal(flow_first_missing(t->f), FLOW_NSTEPS);
}

static void test_flow_answers_edited_between_steps_mean_a_full_look(void **state)
{
	struct t *t = *state;
	struct flow_answers *a;

	apply_stage2(t);
	a = flow_answers(t->f);
	free(a->dns_resource_group);
	a->dns_resource_group = xstrdup("rg1"); /* as the wizard would: same value, new answer */
	t->w.n_chc_calls = t->w.n_az_calls = 0;
	assert_int_equal(apply(t, FLOW_ORG), 0);
	/* PATCH, then services and organization (the config is known in this run) */
	assert_int_equal(t->w.n_chc_calls, 3);
	assert_true(t->w.n_az_calls >= 5); /* endpoint, NIC, zone, record, links */
	assert_int_equal(st(t, FLOW_ORG), FLOW_DONE);
}

static void test_flow_doctor_healthy_world_has_no_findings(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	drive(t);
	assert_int_equal(doctor(t), 0);
	if (flow_view(t->f)->n_findings)
		fail_msg("unexpected finding %s: %s", flow_view(t->f)->findings[0].code,
		         flow_view(t->f)->findings[0].evidence);
}

static void test_flow_doctor_pending_before_allowlist(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	assert_int_equal(check(t), 0);
	assert_int_equal(apply(t, FLOW_ENDPOINT), 0);
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "pending-not-allowlisted"));
	assert_true(has_finding(t, "dns-zone-missing"));
	assert_string_equal(flow_view(t->f)->waiting_on != NULL ? "y" : "n", "y");
}

static void test_flow_doctor_registration_findings(void **state)
{
	struct t *t = *state;
	struct fake_pe *p;

	answer(t, "westus3");
	drive(t);
	p = &t->w.pes[0];
	/* org has the guid, the service the resource id */
	free(t->w.services[0].pe_ids[0]);
	t->w.services[0].pe_ids[0] = xstrdup(p->id);
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "id-form-mismatch"));
	assert_false(has_finding(t, "org-only") || has_finding(t, "unknown-to-azure"));
	/* a typo on the allow list, and the org entry attached to nothing */
	free(t->w.services[0].pe_ids[0]);
	t->w.services[0].pe_ids[0] = xstrdup("cccccccc-0000-4000-8000-000000000009");
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "unknown-to-azure"));
	assert_true(has_finding(t, "org-only"));
}

static void test_flow_apply_repairs_a_record_pointing_elsewhere(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	drive(t);
	free(t->w.record.ip);
	t->w.record.ip = xstrdup("10.9.9.9");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_DNS_RECORD), FLOW_FAILED);
	assert_non_null(
	    strstr(flow_view(t->f)->step[FLOW_DNS_RECORD].detail, "points at 10.9.9.9"));
	assert_int_equal(apply(t, FLOW_DNS_RECORD), 0);
	assert_int_equal(st(t, FLOW_DNS_RECORD), FLOW_DONE);
	assert_string_equal(t->w.record.ip, "10.0.0.4");
}

static void test_flow_a_zone_still_provisioning_is_pending(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	drive(t);
	t->w.zone.prov = "Updating";
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_DNS_ZONE), FLOW_PENDING);
	assert_int_equal(apply(t, FLOW_DNS_ZONE), 0);
	assert_int_equal(t->w.n_zone_puts, 1); /* waited for, not made again */
	t->w.zone.prov = NULL;
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_DNS_ZONE), FLOW_DONE);
}

static void test_flow_doctor_network_findings(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	drive(t);
	free(t->w.record.ip);
	t->w.record.ip = xstrdup("10.9.9.9");
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "dns-wrong-ip"));
	assert_false(has_finding(t, "timeout-network-rules"));
	free(t->w.record.ip);
	t->w.record.ip = xstrdup("10.0.0.4");
	t->w.probe_override = 1 + 5; /* PROBE_TIMEOUT */
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "timeout-network-rules"));
	assert_false(has_finding(t, "dns-wrong-ip"));
	t->w.probe_override = 1 + 4; /* PROBE_RESET */
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "reset-not-allowlisted"));
	t->w.probe_override = 0;
	free(t->w.pes[0].location);
	t->w.pes[0].location = xstrdup("eastus");
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "cross-region"));
}

static void test_flow_doctor_service_findings(void **state)
{
	struct t *t = *state;

	flow_answers(t->f)->region = xstrdup("centralus");
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "no-service-in-region"));
	free(flow_answers(t->f)->region);
	flow_answers(t->f)->region = xstrdup("eastus2");
	flow_answers(t->f)->services = xcalloc(1, sizeof(char *));
	flow_answers(t->f)->services[0] = xstrdup("dev-east");
	flow_answers(t->f)->n_services = 1;
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "development-service"));
	assert_false(has_finding(t, "no-service-in-region"));
}

static void test_flow_doctor_key_without_admin(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	assert_int_equal(check(t), 0);
	assert_int_equal(apply(t, FLOW_ENDPOINT), 0);
	assert_int_equal(check(t), 0);
	assert_int_equal(doctor(t), 0);
	assert_false(has_finding(t, "key-not-admin"));
	t->w.forbid_patch = 1;
	assert_int_equal(apply(t, FLOW_ORG), -1);
	assert_int_equal(t->e.kind, ERR_FORBIDDEN);
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "key-not-admin"));
	/* a later run (a new process) still knows, until a change goes through */
	flow_free(t->f);
	open_flow(t);
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "key-not-admin"));
	t->w.forbid_patch = 0;
	assert_int_equal(apply(t, FLOW_ORG), 0);
	assert_int_equal(doctor(t), 0);
	assert_false(has_finding(t, "key-not-admin"));
}

static void test_flow_never_registers_an_id_azure_does_not_know(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	flow_answers(t->f)->manual_pe_guid = xstrdup("dddddddd-0000-4000-8000-000000000001");
	assert_int_equal(check(t), 0);
	assert_int_equal(apply(t, FLOW_ORG), -1);
	assert_int_equal(t->w.n_org_adds, 0);
}

static void test_flow_portal_path_without_azure_uses_the_pasted_id(void **state)
{
	struct t *t = *state;

	flow_free(t->f);
	t->cr.tenant_id = t->cr.client_id = t->cr.client_secret = NULL;
	open_flow(t);
	flow_answers(t->f)->region = xstrdup("westus3");
	flow_answers(t->f)->manual_pe_guid = xstrdup("dddddddd-0000-4000-8000-000000000001");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ENDPOINT), FLOW_UNKNOWN);
	assert_int_equal(st(t, FLOW_ORG), FLOW_MISSING);
	assert_int_equal(apply(t, FLOW_ORG), 0);
	assert_int_equal(apply(t, FLOW_ALLOWLIST), 0);
	assert_int_equal(st(t, FLOW_ORG), FLOW_DONE);
	assert_int_equal(st(t, FLOW_ALLOWLIST), FLOW_DONE);
}

static void add_service(struct t *t, const char *id, const char *name, const char *alias)
{
	struct fake_service *s = &t->w.services[t->w.n_services++];

	*s = t->w.services[0];
	s->id = id;
	s->name = name;
	s->alias = alias;
	s->n_pe_ids = 0;
}

static void choose(struct t *t, const char *a, const char *b)
{
	struct flow_answers *an = flow_answers(t->f);

	an->services = xcalloc(3, sizeof(char *));
	an->services[an->n_services++] = xstrdup(a);
	an->services[an->n_services++] = xstrdup(b);
}

static void test_flow_two_services_of_one_alias_are_both_allowed(void **state)
{
	struct t *t = *state;

	add_service(t, "33333333-3333-3333-3333-333333333333", "prod-west-2",
	            t->w.services[0].alias);
	answer(t, "westus3");
	choose(t, "prod-west", "33333333-3333-3333-3333-333333333333");
	drive(t);
	assert_int_equal(flow_view(t->f)->allow_done, 2);
	assert_int_equal(flow_view(t->f)->allow_total, 2);
	assert_int_equal(t->w.services[2].n_pe_ids, 1);
	t->w.n_chc_calls = 0;
	assert_int_equal(check(t), 0);
	/* services, org; each service's config was asked once in this run already */
	assert_int_equal(t->w.n_chc_calls, 2);
}

static void test_flow_services_of_different_aliases_fail(void **state)
{
	struct t *t = *state;

	add_service(t, "33333333-3333-3333-3333-333333333333", "prod-west-2",
	            "production-westus3-0-1.zzz.westus3.azure.privatelinkservice");
	answer(t, "westus3");
	choose(t, "prod-west", "prod-west-2");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ALIAS), FLOW_FAILED);
	assert_non_null(strstr(flow_view(t->f)->step[FLOW_ALIAS].detail, "different aliases"));
}

static void test_flow_several_production_services_need_a_choice(void **state)
{
	struct t *t = *state;

	add_service(t, "33333333-3333-3333-3333-333333333333", "prod-west-2",
	            t->w.services[0].alias);
	answer(t, "westus3");
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ALIAS), FLOW_MISSING);
	assert_int_equal(apply(t, FLOW_ENDPOINT), -1); /* no alias: nothing to connect to */
	assert_int_equal(t->e.kind, ERR_CONFLICT);
	assert_int_equal(t->w.n_pe_creates, 0);
}

static void test_flow_outside_the_vnet_is_unknown_not_failed(void **state)
{
	struct t *t = *state;

	answer(t, "westus3");
	drive(t);
	t->w.dns_outside = 1;
	assert_int_equal(check(t), 0);
	assert_int_equal(st(t, FLOW_ACCESS), FLOW_UNKNOWN);
	assert_int_equal(doctor(t), 0);
	assert_true(has_finding(t, "dns-outside-vnet"));
	assert_false(has_finding(t, "dns-wrong-ip"));
}

static void test_flow_remembers_the_last_observation(void **state)
{
	struct t *t = *state;
	struct state saved;
	struct err e;

	answer(t, "westus3");
	drive(t);
	assert_int_equal(state_load(t->dir, "default", &saved, &e), 0);
	assert_non_null(saved.last_seen);
	assert_non_null(strstr(saved.last_seen, "\"access\":\"done\""));
	assert_non_null(strstr(saved.last_seen, "Approved"));
	assert_string_equal(saved.answers.pe_name, "chlink-prod-west");
	assert_int_equal(saved.n_created, 4); /* endpoint, zone, record, link */
	state_free(&saved);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flow_step_table_is_in_the_guides_order),
	    cmocka_unit_test(test_flow_validates_pasted_values),
	    T(test_flow_missing_region_and_development_service),
	    T(test_flow_apply_from_empty_world_reaches_access),
	    T(test_flow_resource_id_form_registers_the_arm_id),
	    T(test_flow_apply_twice_creates_nothing_more),
	    T(test_flow_resumes_the_journaled_endpoint_after_a_crash),
	    T(test_flow_finds_a_portal_endpoint_by_alias),
	    T(test_flow_endpoint_echoing_a_resource_id_is_not_refused),
	    T(test_flow_several_endpoints_need_a_name),
	    T(test_flow_teardown_undoes_in_reverse_order),
	    T(test_flow_teardown_keeps_what_chlink_did_not_create),
	    T(test_flow_status_asks_clickhouse_three_times),
	    T(test_flow_a_step_reads_again_only_what_it_changed),
	    T(test_flow_patch_answers_without_the_lists_are_read_again),
	    T(test_flow_answers_edited_between_steps_mean_a_full_look),
	    T(test_flow_doctor_healthy_world_has_no_findings),
	    T(test_flow_doctor_pending_before_allowlist),
	    T(test_flow_doctor_registration_findings),
	    T(test_flow_apply_repairs_a_record_pointing_elsewhere),
	    T(test_flow_a_zone_still_provisioning_is_pending),
	    T(test_flow_doctor_network_findings),
	    T(test_flow_doctor_service_findings),
	    T(test_flow_doctor_key_without_admin),
	    T(test_flow_never_registers_an_id_azure_does_not_know),
	    T(test_flow_portal_path_without_azure_uses_the_pasted_id),
	    T(test_flow_two_services_of_one_alias_are_both_allowed),
	    T(test_flow_services_of_different_aliases_fail),
	    T(test_flow_several_production_services_need_a_choice),
	    T(test_flow_outside_the_vnet_is_unknown_not_failed),
	    T(test_flow_remembers_the_last_observation),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
