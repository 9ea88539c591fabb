/*
 * picker: choices for the endpoint form from the live Azure lists (resource
 * groups, VNets with their subnets and locations). Typed values always work;
 * the lists only add PgUp/PgDn choices when the engine has an Azure client.
 */
#include "config.h"
#include <string.h>
#include "azure.h"
#include "i18n.h"
#include "ui.h"

static void on_rgs(void *ud, struct az_rg_list *l, const struct err *e)
{
	struct ui *u = ud;

	u->m.endpoint.rgs = l; /* NULL on error: the fields stay typed */
	(void)e;
	u->dirty = 1;
}

static void on_vnets(void *ud, struct az_vnet_list *l, const struct err *e)
{
	struct ui *u = ud;

	u->m.endpoint.vnets = l;
	(void)e;
	u->dirty = 1;
}

void ui_picker_load(struct ui *u)
{
	struct azure *a = flow_azure(u->flow);

	if (a == NULL || u->m.endpoint.lists_requested)
		return;
	u->m.endpoint.lists_requested = 1;
	azure_rg_list(a, on_rgs, u);
	azure_vnet_list(a, NULL, on_vnets, u);
}

void ui_picker_free(struct ui *u)
{
	if (u->m.endpoint.rgs != NULL)
		az_rg_list_free(u->m.endpoint.rgs);
	if (u->m.endpoint.vnets != NULL)
		az_vnet_list_free(u->m.endpoint.vnets);
	u->m.endpoint.rgs = NULL;
	u->m.endpoint.vnets = NULL;
}

static const struct az_vnet *chosen_vnet(struct ui *u)
{
	const struct az_vnet_list *vl = u->m.endpoint.vnets;

	for (size_t i = 0; vl != NULL && i < vl->n; i++)
		if (vl->v[i].name != NULL &&
		    strcmp(vl->v[i].name, u->m.endpoint.f[EP_VNET].buf) == 0)
			return &vl->v[i];
	return NULL;
}

static int add(const char **out, int n, int max, const char *s)
{
	if (s == NULL || n >= max)
		return n;
	for (int i = 0; i < n; i++)
		if (strcmp(out[i], s) == 0)
			return n;
	out[n] = s;
	return n + 1;
}

int ui_picker_choices(struct ui *u, int field, const char **out, int max)
{
	const struct az_rg_list *rl = u->m.endpoint.rgs;
	const struct az_vnet_list *vl = u->m.endpoint.vnets;
	const struct az_vnet *vn = chosen_vnet(u);
	const char *rg = u->m.endpoint.f[EP_RG].buf;
	int n = 0;

	switch (field) {
	case EP_RG:
		for (size_t i = 0; rl != NULL && i < rl->n; i++)
			n = add(out, n, max, rl->v[i].name);
		break;
	case EP_VNET: /* the VNets of the chosen resource group, else all of them */
		for (size_t i = 0; vl != NULL && i < vl->n; i++)
			if (vl->v[i].resource_group != NULL &&
			    strcmp(vl->v[i].resource_group, rg) == 0)
				n = add(out, n, max, vl->v[i].name);
		for (size_t i = 0; n == 0 && vl != NULL && i < vl->n; i++)
			n = add(out, n, max, vl->v[i].name);
		break;
	case EP_SUBNET:
		for (size_t i = 0; vn != NULL && i < vn->n_subnets; i++)
			n = add(out, n, max, vn->subnets[i].name);
		break;
	case EP_LOCATION:
		n = add(out, n, max, vn != NULL ? vn->location : NULL);
		for (size_t i = 0; vl != NULL && i < vl->n; i++)
			n = add(out, n, max, vl->v[i].location);
		break;
	default:
		break;
	}
	return n;
}

/* PgDn/PgUp: the next or previous choice; a VNet brings its location and first subnet. */
int ui_picker_key(struct ui *u, int field, struct ui_key k)
{
	const char *c[32];
	int n, at = -1, step = k.fn == KEY_NPAGE ? 1 : k.fn == KEY_PPAGE ? -1 : 0;
	const struct az_vnet *vn;

	if (step == 0 || (n = ui_picker_choices(u, field, c, 32)) == 0)
		return UR_NONE;
	for (int i = 0; i < n; i++)
		if (strcmp(c[i], u->m.endpoint.f[field].buf) == 0)
			at = i;
	at = at < 0 ? (step > 0 ? 0 : n - 1) : (at + step + n) % n;
	w_input_set(&u->m.endpoint.f[field], c[at]);
	if (field == EP_VNET && (vn = chosen_vnet(u)) != NULL) {
		w_input_set(&u->m.endpoint.f[EP_LOCATION], vn->location);
		w_input_set(&u->m.endpoint.f[EP_SUBNET],
		            vn->n_subnets > 0 ? vn->subnets[0].name : "");
	}
	return UR_REDRAW;
}

int ui_picker_position(struct ui *u, int field, int *of)
{
	const char *c[32];
	int n = ui_picker_choices(u, field, c, 32);

	*of = n;
	for (int i = 0; i < n; i++)
		if (strcmp(c[i], u->m.endpoint.f[field].buf) == 0)
			return i + 1;
	return 0;
}
