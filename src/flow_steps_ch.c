/* flow_steps_ch: stages 3 and 4 on the ClickHouse side: register the endpoint id, allow it, and
 * undo. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "flow_int.h"
#include "i18n.h"
#include "xmalloc.h"

/* After a PATCH: a 403 means the key lacks the Admin role; keep that for the doctor. */
static void patched(struct flow *f, const struct err *e)
{
	if (e && e->kind == ERR_FORBIDDEN)
		state_note_forbidden(&f->st, e->msg);
	else if (!e)
		state_note_forbidden(&f->st, NULL);
	if (e)
		flow_op_fail(f, e);
}

static void after_org(void *ud, struct chc_org *o, const struct err *e)
{
	struct flow *f = ud;

	/* The PATCH answers with the organization: its endpoints, unless the field is absent. */
	if (o && o->has_pes && !f->racing) {
		chc_org_free(f->obs.org);
		f->obs.org = o;
		flow_fresh(f, FLOW_P_ORG);
	} else {
		chc_org_free(o);
	}
	patched(f, e);
	flow_batch_end(f);
}

static void after_service(void *ud, struct chc_service *s, const struct err *e)
{
	struct flow *f = ud;

	/* The PATCH answers with the service and its allow list. */
	if (f->racing)
		chc_service_free(s);
	else
		flow_obs_set_service(f, s);
	patched(f, e);
	flow_batch_end(f);
}

/* The id we may register: known to Azure when Azure can be asked, else a validated pasted one. */
static const char *registrable_id(struct flow *f)
{
	const char *id = flow_reg_id(f);
	struct err e;

	err_clear(&e);
	if (!f->chc)
		err_set(&e, ERR_AUTH, "%s", _("no ClickHouse Cloud credentials"));
	else if (!id && flow_azure_reachable(f))
		err_set(&e, ERR_CONFLICT, "%s",
		        _("Azure does not know the endpoint yet; chlink never registers an id that "
		          "Azure does not know"));
	else if (!id)
		err_set(&e, ERR_USAGE, "%s", _("the endpoint id is not known yet (stage 2)"));
	else if (!f->obs.pe && !flow_valid_guid(id) && !flow_valid_pe_resource_id(id))
		err_set(&e, ERR_USAGE,
		        _("\"%s\" is neither a GUID nor a private endpoint resource id"), id);
	if (e.kind) {
		if (!e.hint[0])
			err_hint(&e, "%s", _("finish stage 2 first: chlink apply"));
		flow_op_fail(f, &e);
		return NULL;
	}
	return id;
}

static void region_of(const struct flow *f, char *out, size_t n)
{
	const struct chc_service *s = flow_chosen(f, 0);
	const char *r = s && s->region ? s->region : flow_region(f);

	snprintf(out, n, "%s", r ? r : "");
}

void flow_apply_org(struct flow *f)
{
	const char *id = registrable_id(f);
	char region[64], *desc;

	flow_batch_begin(f, flow_refresh);
	if (id && !flow_org_holds(f)) {
		region_of(f, region, sizeof region);
		desc = xasprintf("chlink: Azure private endpoint %s",
		                 f->obs.pe ? f->obs.pe->name
		                           : (f->st.answers.pe_name ? f->st.answers.pe_name : id));
		flow_event(f, _("registering %s in the organization"), id);
		flow_batch_add(f);
		if (chc_org_pe_add(f->chc, id, desc, region, after_org, f) < 0)
			flow_send_failed(f);
		free(desc);
	}
	flow_batch_end(f);
}

void flow_apply_allowlist(struct flow *f)
{
	const char *id = registrable_id(f);

	flow_batch_begin(f, flow_refresh);
	for (size_t i = 0; id && i < f->obs.n_chosen; i++) {
		const struct chc_service *s = flow_chosen(f, i);
		if (flow_ids_hold(f, s->pe_ids, s->n_pe_ids))
			continue;
		flow_event(f, _("adding %s to the allow list of %s"), id, s->name);
		flow_batch_add(f);
		if (chc_service_pe_add(f->chc, s->id, id, after_service, f) < 0)
			flow_send_failed(f);
	}
	flow_batch_end(f);
}

static int is_ours(const struct flow *f, const char *id)
{
	char *one[1] = {(char *)id};

	return flow_ids_hold(f, one, 1);
}

void flow_undo_allowlist(struct flow *f)
{
	const struct chc_service_list *l = f->obs.services;

	flow_batch_begin(f, flow_refresh);
	for (size_t i = 0; f->chc && l && i < l->n; i++)
		for (size_t k = 0, sent = 0; k < l->v[i].n_pe_ids; k++) {
			if (!is_ours(f, l->v[i].pe_ids[k]))
				continue;
			f->racing |= ++sent > 1;
			flow_event(f, _("removing %s from the allow list of %s"), l->v[i].pe_ids[k],
			           l->v[i].name);
			flow_batch_add(f);
			if (chc_service_pe_remove(f->chc, l->v[i].id, l->v[i].pe_ids[k],
			                          after_service, f) < 0)
				flow_send_failed(f);
		}
	flow_batch_end(f);
}

void flow_undo_org(struct flow *f)
{
	const struct chc_org *o = f->obs.org;
	char region[64];

	region_of(f, region, sizeof region);
	flow_batch_begin(f, flow_refresh);
	for (size_t i = 0, sent = 0; f->chc && o && i < o->n_pes; i++) {
		if (!is_ours(f, o->pes[i].id))
			continue;
		f->racing |= ++sent > 1;
		flow_event(f, _("removing %s from the organization"), o->pes[i].id);
		flow_batch_add(f);
		if (chc_org_pe_remove(f->chc, o->pes[i].id,
		                      o->pes[i].region ? o->pes[i].region : region, after_org,
		                      f) < 0)
			flow_send_failed(f);
	}
	flow_batch_end(f);
}
