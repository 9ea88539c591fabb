/* fuzz_dns: libFuzzer target for the DNS answer parser and the query builder. */
#include "config.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "probe.h"

int fuzz_dns_one(const uint8_t *data, size_t size)
{
	char ip[16], name[300];
	unsigned char q[512];
	unsigned short id = size >= 2 ? (unsigned short)(data[0] << 8 | data[1]) : 0;
	size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	probe_dns_parse_answer(data, (int)(size > 65535 ? 65535 : size), id, ip);
	memcpy(name, data, n);
	name[n] = '\0';
	probe_dns_build_query(name, id, q, (int)sizeof(q));
	return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_dns_one(data, size);
}
#endif
