/* fuzz_azure: libFuzzer target for the ARM parsers (PE, NIC, errors, DNS, lists, tokens). */
#include "config.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "azure.h"
#include "azure_int.h"
#include "fuzz.h"
#include "xmalloc.h"

int fuzz_azure_one(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct err e;
	char out[256], *next = NULL, *tok = NULL, *s;
	long long exp;
	{
		struct az_pe *p = xcalloc(1, sizeof(*p));
		az_parse_pe(b, size, p, &e);
		az_pe_free(p); /* cleared on failure, so freeing is always right */
	}
	{
		struct az_nic *n = xcalloc(1, sizeof(*n));
		az_parse_nic(b, size, n, &e);
		az_nic_free(n);
	}
	{
		struct az_zone *z = xcalloc(1, sizeof(*z));
		az_parse_zone(b, size, z, &e);
		az_zone_free(z);
	}
	{
		struct az_record *r = xcalloc(1, sizeof(*r));
		az_parse_record(b, size, r, &e);
		az_record_free(r);
	}
	{
		struct az_link *k = xcalloc(1, sizeof(*k));
		az_parse_link(b, size, k, &e);
		az_link_free(k);
	}
	{
		struct az_pe_list *l = xcalloc(1, sizeof(*l));
		az_parse_pe_page(b, size, l, &next, &e);
		free(next);
		az_pe_list_free(l);
	}
	{
		struct az_vnet_list *l = xcalloc(1, sizeof(*l));
		az_parse_vnet_page(b, size, l, &next, &e);
		free(next);
		az_vnet_list_free(l);
	}
	{
		struct az_rg_list *l = xcalloc(1, sizeof(*l));
		az_parse_rg_page(b, size, l, &next, &e);
		free(next);
		az_rg_list_free(l);
	}
	{
		struct az_link_list *l = xcalloc(1, sizeof(*l));
		az_parse_link_page(b, size, l, &next, &e);
		free(next);
		az_link_list_free(l);
	}
	az_parse_error(b, size, out, sizeof(out));
	free(az_parse_op_status(b, size));
	free(az_parse_provisioning(b, size));
	if (az_parse_token(b, size, &tok, &exp, &e) == 0)
		free(tok);
	s = xstrndup(b, size);
	free(az_id_resource_group(s));
	az_conn_from_string(s);
	free(s);
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_azure_one(data, size);
}
#endif
