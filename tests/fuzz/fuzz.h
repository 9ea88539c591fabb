/* fuzz: the harness entry points, shared by the libFuzzer targets and the regression replay test.
 */
#ifndef CHLINK_FUZZ_H
#define CHLINK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_chc_one(const uint8_t *data, size_t size);
int fuzz_azure_one(const uint8_t *data, size_t size);
int fuzz_dns_one(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
