/*
 * flow_check: observing the world in as few requests as possible. Phase 1
 * asks ClickHouse for the region's services (their allow lists come with
 * them) and the organization, and Azure for the endpoint, all at once;
 * phase 2 the chosen service's privateEndpointConfig (once per run); phase 3
 * the NIC and the DNS zone, record and links; phase 4 the access probes.
 * A check reads every part; the refresh after a step only the parts in
 * f->want (what the step changed and its answer did not say).
 */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "flow_int.h"
#include "i18n.h"
#include "xmalloc.h"

void flow_obs_clear(struct flow_obs *o)
{
	chc_service_list_free(o->services);
	chc_org_free(o->org);
	free(o->chosen);
	free(o->chosen_missing);
	free(o->configs); /* the configs themselves belong to the run's cache */
	free(o->config_slots);
	az_pe_list_free(o->pes);
	az_pe_free(o->pe);
	az_nic_free(o->nic);
	az_zone_free(o->zone);
	az_record_free(o->record);
	az_link_list_free(o->links);
	memset(o, 0, sizeof *o);
}

static void keep_err(struct err *dst, const struct err *e)
{
	if (e && dst->kind == ERR_NONE)
		*dst = *e;
}

/* ---- phase 1 ---- */

static void got_services(void *ud, struct chc_service_list *l, const struct err *e)
{
	struct flow *f = ud;

	f->obs.services = l;
	keep_err(&f->obs.services_err, e);
	flow_batch_end(f);
}

static void got_org(void *ud, struct chc_org *o, const struct err *e)
{
	struct flow *f = ud;

	f->obs.org = o;
	keep_err(&f->obs.org_err, e);
	flow_batch_end(f);
}

static void got_pe(void *ud, struct az_pe *pe, const struct err *e)
{
	struct flow *f = ud;

	f->obs.pe = pe;
	keep_err(&f->obs.pe_err, e);
	flow_batch_end(f);
}

static void got_pe_list(void *ud, struct az_pe_list *l, const struct err *e)
{
	struct flow *f = ud;

	f->obs.pes = l;
	keep_err(&f->obs.pe_err, e);
	flow_batch_end(f);
}

/* A client refused to queue the request (its message, if it gave one, is in `e`). */
static void sync_fail(struct flow *f, struct err *dst, struct err *e)
{
	if (e->kind == ERR_NONE)
		err_set(e, ERR_INTERNAL, "%s", _("a request could not be sent"));
	keep_err(dst, e);
	flow_batch_end(f);
}

/* The endpoint to look at by name: the answer, or the one whose create was journaled. */
static void pe_by_name(const struct flow *f, char **rg, char **name)
{
	const struct state_op *op = state_journal_pending(&f->st, "create-endpoint");

	*rg = f->st.answers.resource_group ? xstrdup(f->st.answers.resource_group) : NULL;
	*name = f->st.answers.pe_name ? xstrdup(f->st.answers.pe_name) : NULL;
	if (op) {
		const char *slash = strrchr(op->id, '/');
		free(*rg);
		free(*name);
		*rg = az_id_resource_group(op->id);
		*name = slash ? xstrdup(slash + 1) : NULL;
	}
}

/* A refresh reads the endpoint it knows by that one's name; a check by the answers. */
static void pe_target(struct flow *f, char **rg, char **name)
{
	const struct az_pe *pe = f->obs.pe;

	if (pe && pe->resource_group && pe->name) {
		*rg = xstrdup(pe->resource_group);
		*name = xstrdup(pe->name);
	} else {
		pe_by_name(f, rg, name);
	}
	az_pe_free(f->obs.pe);
	f->obs.pe = NULL;
}

static void phase2(struct flow *f);

static void phase1(struct flow *f)
{
	struct err e;

	err_clear(&e);
	flow_batch_begin(f, phase2);
	if (f->chc && f->st.answers.region && (f->want & FLOW_P_SERVICES)) {
		flow_batch_add(f);
		err_clear(&e);
		if (chc_list_services(f->chc, f->st.answers.region, got_services, f) < 0)
			sync_fail(f, &f->obs.services_err, &e);
	}
	if (f->chc && (f->want & FLOW_P_ORG)) {
		flow_batch_add(f);
		if (chc_get_org(f->chc, got_org, f) < 0)
			sync_fail(f, &f->obs.org_err, &e);
	}
	if (f->az && (f->want & FLOW_P_PE)) {
		char *rg, *name;
		pe_target(f, &rg, &name);
		flow_batch_add(f);
		err_clear(&e);
		/* the doctor and teardown list them all, to find one made by hand */
		if (rg && name && (!f->want_list || f->want != FLOW_P_ALL)) {
			if (azure_pe_get(f->az, rg, name, got_pe, f) < 0)
				sync_fail(f, &f->obs.pe_err, &e);
		} else if (azure_pe_list(f->az, NULL, got_pe_list, f) < 0) {
			sync_fail(f, &f->obs.pe_err, &e);
		}
		free(rg);
		free(name);
	}
	flow_batch_end(f);
}

/* ---- phase 2: choose the services, ask for the alias ---- */

static int is_development(const struct chc_service *s)
{
	return s->tier && strcasecmp(s->tier, "development") == 0;
}

static void choose_services(struct flow *f)
{
	const struct flow_answers *a = &f->st.answers;
	const struct chc_service_list *l = f->obs.services;

	if (!l)
		return;
	f->obs.chosen = xcalloc(l->n + a->n_services + 1, sizeof(size_t));
	for (size_t i = 0; i < a->n_services; i++) {
		size_t k;
		for (k = 0; k < l->n; k++)
			if (flow_strcaseeq(l->v[k].id, a->services[i]) ||
			    flow_strcaseeq(l->v[k].name, a->services[i]))
				break;
		if (k == l->n) {
			if (!f->obs.chosen_missing)
				f->obs.chosen_missing = xstrdup(a->services[i]);
			continue;
		}
		for (size_t j = 0; j < f->obs.n_chosen; j++)
			if (f->obs.chosen[j] == k)
				k = l->n; /* named twice (by name and by id) */
		if (k < l->n)
			f->obs.chosen[f->obs.n_chosen++] = k;
	}
	if (a->n_services == 0) {
		size_t prod = 0, last = 0;
		for (size_t k = 0; k < l->n; k++)
			if (!is_development(&l->v[k])) {
				prod++;
				last = k;
			}
		if (prod == 1)
			f->obs.chosen[f->obs.n_chosen++] = last;
		else if (prod > 1)
			f->obs.chosen_ambiguous = 1;
	}
}

/* One answer per chosen service; the slot is the service's index in `chosen`. */
struct config_slot {
	struct flow *f;
	size_t i;
};

static struct chc_pe_config *cfg_cached(const struct flow *f, const char *service_id)
{
	for (size_t i = 0; i < f->n_cfgs; i++)
		if (strcmp(f->cfgs[i].service_id, service_id) == 0)
			return f->cfgs[i].c;
	return NULL;
}

static void cfg_keep(struct flow *f, const char *service_id, struct chc_pe_config *c)
{
	f->cfgs = xreallocarray_grow(f->cfgs, &f->cap_cfgs, f->n_cfgs + 1, sizeof *f->cfgs);
	f->cfgs[f->n_cfgs].service_id = xstrdup(service_id);
	f->cfgs[f->n_cfgs].c = c;
	f->n_cfgs++;
}

void flow_cfg_cache_free(struct flow *f)
{
	for (size_t i = 0; i < f->n_cfgs; i++) {
		free(f->cfgs[i].service_id);
		chc_pe_config_free(f->cfgs[i].c);
	}
	free(f->cfgs);
	f->cfgs = NULL;
	f->n_cfgs = f->cap_cfgs = 0;
}

static void set_config(struct flow *f, size_t i, struct chc_pe_config *c)
{
	f->obs.configs[i] = c;
	if (i == 0)
		f->obs.config = c;
}

static void got_config(void *ud, struct chc_pe_config *c, const struct err *e)
{
	struct config_slot *slot = ud;
	struct flow *f = slot->f;

	if (c)
		cfg_keep(f, flow_chosen(f, slot->i)->id, c);
	set_config(f, slot->i, c);
	keep_err(&f->obs.config_err, e);
	flow_batch_end(f);
}

static void phase3(struct flow *f);

static void phase2(struct flow *f)
{
	const struct chc_service *s;
	struct err e;

	flow_batch_begin(f, phase3);
	if (!(f->want & FLOW_P_SERVICES)) { /* the choice and its configs stand */
		flow_batch_end(f);
		return;
	}
	choose_services(f);
	f->obs.configs = xcalloc(f->obs.n_chosen + 1, sizeof *f->obs.configs);
	f->obs.config_slots = xcalloc(f->obs.n_chosen + 1, sizeof *f->obs.config_slots);
	for (size_t i = 0; i < f->obs.n_chosen; i++) {
		struct config_slot *slot;
		s = flow_chosen(f, i);
		if (is_development(s))
			continue;
		if (cfg_cached(f, s->id)) {
			set_config(f, i, cfg_cached(f, s->id));
			continue;
		}
		slot = &f->obs.config_slots[i];
		slot->f = f;
		slot->i = i;
		flow_batch_add(f);
		err_clear(&e);
		if (chc_get_pe_config(f->chc, s->id, got_config, slot) < 0) {
			sync_fail(f, &f->obs.config_err, &e);
		}
	}
	flow_batch_end(f);
}

/* ---- phase 3: the endpoint among those listed, its NIC, the DNS ---- */

static void pick_endpoint(struct flow *f)
{
	struct az_pe_list *l = f->obs.pes;
	const char *alias = flow_alias(f), *want = f->st.answers.pe_name;
	size_t hit = 0, n = 0;

	if (!l || f->obs.pe)
		return;
	for (size_t i = 0; i < l->n; i++) {
		int match = want ? flow_strcaseeq(l->v[i].name, want)
		                 : flow_strcaseeq(l->v[i].alias, alias);
		if (match &&
		    (!f->st.answers.resource_group ||
		     flow_strcaseeq(l->v[i].resource_group, f->st.answers.resource_group))) {
			hit = i;
			n++;
		}
	}
	if (n > 1 && !want) {
		f->obs.pe_several = 1;
		return;
	}
	if (n >= 1) {
		/* Move it out of the list so that the list stays whole for the doctor. */
		struct az_pe *pe = xmalloc(sizeof *pe);
		struct az_pe_list *copy = xcalloc(1, sizeof *copy);
		*pe = l->v[hit];
		copy->v = xcalloc(l->n, sizeof *copy->v);
		for (size_t i = 0; i < l->n; i++)
			if (i != hit)
				copy->v[copy->n++] = l->v[i];
		free(l->v);
		free(l);
		f->obs.pes = copy;
		f->obs.pe = pe;
	}
}

static void got_nic(void *ud, struct az_nic *n, const struct err *e)
{
	struct flow *f = ud;

	f->obs.nic = n;
	keep_err(&f->obs.pe_err, e);
	flow_batch_end(f);
}

static void got_zone(void *ud, struct az_zone *z, const struct err *e)
{
	struct flow *f = ud;

	f->obs.zone = z;
	keep_err(&f->obs.dns_err, e);
	flow_batch_end(f);
}

static void got_record(void *ud, struct az_record *r, const struct err *e)
{
	struct flow *f = ud;

	f->obs.record = r;
	keep_err(&f->obs.dns_err, e);
	flow_batch_end(f);
}

static void got_links(void *ud, struct az_link_list *l, const struct err *e)
{
	struct flow *f = ud;

	f->obs.links = l;
	keep_err(&f->obs.dns_err, e);
	flow_batch_end(f);
}

static void phase4(struct flow *f);

/* The NIC read is the endpoint's (a refresh keeps it until the endpoint changes). */
static int nic_current(const struct flow *f)
{
	return f->obs.nic && f->obs.pe && f->obs.pe->nic_id &&
	       flow_strcaseeq(f->obs.nic->id, f->obs.pe->nic_id);
}

static void phase3(struct flow *f)
{
	char *zone = flow_zone_name(f);
	const char *rg;
	struct err e;

	pick_endpoint(f);
	rg = flow_dns_rg(f);
	flow_batch_begin(f, phase4);
	err_clear(&e);
	if (!nic_current(f)) {
		az_nic_free(f->obs.nic);
		f->obs.nic = NULL;
	}
	if (f->az && f->obs.pe && f->obs.pe->nic_id && !f->obs.nic) {
		flow_batch_add(f);
		if (azure_nic_get(f->az, f->obs.pe->nic_id, got_nic, f) < 0)
			sync_fail(f, &f->obs.pe_err, &e);
	}
	if (f->az && zone && rg && (f->want & FLOW_P_ZONE)) {
		flow_batch_add(f);
		if (azure_zone_get(f->az, rg, zone, got_zone, f) < 0)
			sync_fail(f, &f->obs.dns_err, &e);
	}
	if (f->az && zone && rg && (f->want & FLOW_P_RECORD)) {
		flow_batch_add(f);
		if (azure_record_get(f->az, rg, zone, "*", got_record, f) < 0)
			sync_fail(f, &f->obs.dns_err, &e);
	}
	if (f->az && zone && rg && (f->want & FLOW_P_LINKS)) {
		flow_batch_add(f);
		if (azure_link_list(f->az, rg, zone, got_links, f) < 0)
			sync_fail(f, &f->obs.dns_err, &e);
	}
	free(zone);
	flow_batch_end(f);
}

/* ---- phase 4: the access probes ---- */

static void got_probe(struct flow *f, struct probe_result *dst, const struct probe_result *r)
{
	*dst = *r;
	flow_batch_end(f);
}

static void got_dns(void *ud, const struct probe_result *r)
{
	struct flow *f = ud;
	got_probe(f, &f->obs.pr_dns, r);
}

static void got_tls(void *ud, const struct probe_result *r)
{
	struct flow *f = ud;
	got_probe(f, &f->obs.pr_tls, r);
}

static void got_ping(void *ud, const struct probe_result *r)
{
	struct flow *f = ud;
	got_probe(f, &f->obs.pr_ping, r);
}

static void probe_failed(struct flow *f, struct probe_result *dst, const struct err *e)
{
	dst->verdict = PROBE_ERROR;
	if (snprintf(dst->detail, sizeof dst->detail, "%s", e->msg) >= (int)sizeof dst->detail)
		dst->detail[sizeof dst->detail - 1] = '\0'; /* cut: the detail is a summary */
	flow_batch_end(f);
}

static void finish_observe(struct flow *f);

static void phase4(struct flow *f)
{
	struct probe_opts po = {f->cfg.dns_server, 0, &f->probes};
	const char *host = flow_hostname(f), *ip = flow_pe_ip(f);
	struct err e;

	flow_batch_begin(f, finish_observe);
	if (host && ip) {
		f->obs.probed = 1;
		err_clear(&e);
		flow_batch_add(f);
		if (probe_dns(f->http, &po, host, ip, got_dns, f, &e) < 0)
			probe_failed(f, &f->obs.pr_dns, &e);
		flow_batch_add(f);
		if (probe_tls(f->http, &po, host, got_tls, f, &e) < 0)
			probe_failed(f, &f->obs.pr_tls, &e);
		flow_batch_add(f);
		if (probe_ping(f->http, &po, host, got_ping, f, &e) < 0)
			probe_failed(f, &f->obs.pr_ping, &e);
	}
	flow_batch_end(f);
}

/* The journal entry of a create that finished is closed once the resource is seen whole. */
static void settle_journal(struct flow *f)
{
	const struct state_op *op = state_journal_pending(&f->st, "create-endpoint");
	const struct az_pe *pe = f->obs.pe;

	if (op && pe && flow_strcaseeq(op->id, pe->id) && pe->provisioning_state &&
	    strcasecmp(pe->provisioning_state, "Succeeded") == 0) {
		char *id = xstrdup(op->id);
		state_journal_done(&f->st, "create-endpoint", id);
		free(id);
		flow_save_quiet(f);
	}
}

static void finish_observe(struct flow *f)
{
	state_answers_clear(&f->seen);
	state_answers_copy(&f->seen, &f->st.answers);
	f->obs.ran = 1;
	f->view.polled_at = (int64_t)time(NULL);
	settle_journal(f);
	f->obs_then(f);
}

void flow_observe(struct flow *f, void (*then)(struct flow *f))
{
	flow_obs_clear(&f->obs);
	f->want = FLOW_P_ALL;
	f->obs_then = then;
	f->view.in_flight = 1;
	phase1(f);
}

static void drop_choice(struct flow_obs *o)
{
	free(o->chosen);
	free(o->chosen_missing);
	free(o->configs);
	free(o->config_slots);
	o->chosen = NULL;
	o->chosen_missing = NULL;
	o->configs = NULL;
	o->config_slots = NULL;
	o->config = NULL;
	o->n_chosen = 0;
	o->chosen_ambiguous = 0;
	err_clear(&o->config_err);
}

/* Forget the parts about to be read again (and the probes, which always run again). */
static void drop_parts(struct flow_obs *o, unsigned parts)
{
	if (parts & FLOW_P_SERVICES) {
		chc_service_list_free(o->services);
		o->services = NULL;
		err_clear(&o->services_err);
		drop_choice(o);
	}
	if (parts & FLOW_P_ORG) {
		chc_org_free(o->org);
		o->org = NULL;
		err_clear(&o->org_err);
	}
	if (parts & FLOW_P_PE) { /* the endpoint itself stays until phase 1 has its name */
		az_pe_list_free(o->pes);
		o->pes = NULL;
		o->pe_several = 0;
		err_clear(&o->pe_err);
	}
	if (parts & FLOW_P_ZONE) {
		az_zone_free(o->zone);
		o->zone = NULL;
	}
	if (parts & FLOW_P_RECORD) {
		az_record_free(o->record);
		o->record = NULL;
	}
	if (parts & FLOW_P_LINKS) {
		az_link_list_free(o->links);
		o->links = NULL;
	}
	if (parts & (FLOW_P_ZONE | FLOW_P_RECORD | FLOW_P_LINKS))
		err_clear(&o->dns_err);
	o->probed = 0;
	memset(&o->pr_dns, 0, sizeof o->pr_dns);
	memset(&o->pr_tls, 0, sizeof o->pr_tls);
	memset(&o->pr_ping, 0, sizeof o->pr_ping);
}

void flow_observe_parts(struct flow *f, unsigned parts, void (*then)(struct flow *f))
{
	drop_parts(&f->obs, parts);
	f->want = parts;
	f->obs_then = then;
	f->view.in_flight = 1;
	phase1(f);
}

/* ---- the light poll while the connection is Pending ---- */

static void got_pe_poll(void *ud, struct az_pe *pe, const struct err *e)
{
	struct flow *f = ud;

	if (pe || !e) { /* a 404 (NULL, no error) means the endpoint is gone */
		az_pe_free(f->obs.pe);
		f->obs.pe = pe;
	} else {
		keep_err(&f->obs.pe_err, e);
	}
	flow_batch_end(f);
}

void flow_poll_pe(struct flow *f, void (*next)(struct flow *f))
{
	flow_batch_begin(f, next);
	flow_batch_add(f);
	if (azure_pe_get(f->az, f->obs.pe->resource_group, f->obs.pe->name, got_pe_poll, f) < 0)
		flow_send_failed(f);
	flow_batch_end(f);
}
