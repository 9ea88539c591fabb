/* fuzz_chc: libFuzzer target for every ClickHouse Cloud response parser. */
#include "config.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "chc.h"
#include "chc_int.h"
#include "fuzz.h"

int fuzz_chc_one(const uint8_t *data, size_t size)
{
	const char *b = (const char *)data;
	struct chc_service_list l;
	struct chc_service s;
	struct chc_pe_config c;
	struct chc_org o;
	struct err e;
	char text[300], rid[80], *org = NULL;
	if (chc_parse_services(b, size, &l, &e) == 0) {
		for (size_t i = 0; i < l.n; i++)
			chc_service_clear(&l.v[i]);
		free(l.v);
	}
	if (chc_parse_service(b, size, &s, &e) == 0)
		chc_service_clear(&s);
	if (chc_parse_pe_config(b, size, &c, &e) == 0) {
		free(c.endpoint_service_id);
		free(c.private_dns_hostname);
	}
	if (chc_parse_org(b, size, &o, &e) == 0)
		chc_org_clear(&o);
	chc_parse_org_list(b, size, &org, &e);
	free(org);
	chc_api_text(b, size, text, sizeof(text), rid, sizeof(rid));
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_chc_one(data, size);
}
#endif
