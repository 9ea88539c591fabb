/*
 * flow_refresh: after an apply or undo step, fold the step's own answers
 * (the PATCH result, the LRO's final GET, a finished DELETE) into the
 * observation and read again only what the step changed and its answer did
 * not say, instead of the whole world: every part read again costs a request,
 * and ClickHouse allows a key 10 per 10 s. Nothing outlives the run: the next
 * run's check observes everything afresh.
 */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "flow_int.h"
#include "xmalloc.h"

void flow_fresh(struct flow *f, unsigned part)
{
	f->stale &= ~part;
}

void flow_obs_set_pe(struct flow *f, struct az_pe *pe)
{
	az_pe_free(f->obs.pe);
	f->obs.pe = pe;
	f->obs.pe_several = 0;
	err_clear(&f->obs.pe_err);
	if (!pe) { /* its NIC went with it */
		az_nic_free(f->obs.nic);
		f->obs.nic = NULL;
	}
	flow_fresh(f, FLOW_P_PE);
}

/* A PATCH answers with the whole service: it replaces the listed one if it has the allow list. */
void flow_obs_set_service(struct flow *f, struct chc_service *s)
{
	struct chc_service_list *l = f->obs.services;
	struct chc_service old;
	size_t k = 0;

	while (l && s && k < l->n && !flow_strcaseeq(l->v[k].id, s->id))
		k++;
	if (!l || !s || k == l->n || !s->has_pe_ids) {
		chc_service_free(s); /* not usable: the service list stays stale */
		return;
	}
	/* Swap the answer into the list (the chosen indices stay valid), free the old one. */
	old = l->v[k];
	l->v[k] = *s;
	*s = old;
	chc_service_free(s);
	flow_fresh(f, FLOW_P_SERVICES);
}

void flow_obs_put_link(struct flow *f, struct az_link *k)
{
	struct az_link_list *l = f->obs.links;
	struct az_link old;
	size_t i = 0;

	if (!l)
		l = f->obs.links = xcalloc(1, sizeof *l);
	while (i < l->n && !flow_strcaseeq(l->v[i].name, k->name))
		i++;
	if (i == l->n) {
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = *k;
		free(k);
	} else {
		old = l->v[i];
		l->v[i] = *k;
		*k = old;
		az_link_free(k);
	}
	flow_fresh(f, FLOW_P_LINKS);
}

void flow_obs_drop_link(struct flow *f, const char *name)
{
	struct az_link_list *l = f->obs.links;
	struct az_link *gone;

	for (size_t i = 0; l && i < l->n; i++) {
		if (!flow_strcaseeq(l->v[i].name, name))
			continue;
		gone = xmalloc(sizeof *gone);
		*gone = l->v[i];
		az_link_free(gone);
		memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
		l->n--;
		break;
	}
	flow_fresh(f, FLOW_P_LINKS);
}

static void refreshed(struct flow *f)
{
	f->stale = 0;
	flow_observed(f);
}

/*
 * The step is over: read what is still stale. Answers changed since the last
 * observation (the wizard edits them between steps) make everything stale.
 */
void flow_refresh(struct flow *f)
{
	if (f->full_refresh || !f->obs.ran) {
		f->full_refresh = 0;
		f->stale = 0;
		flow_reobserve(f);
		return;
	}
	flow_save_quiet(f);
	flow_observe_parts(f, f->stale, refreshed);
}
