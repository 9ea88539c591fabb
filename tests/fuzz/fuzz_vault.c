/*
 * fuzz_vault: libFuzzer target for the vault file parser and the plaintext
 * JSON loader. The first input byte picks the target: even = a whole file
 * (header checks, then, when the limits are cheap, key derivation and
 * AEAD with the passphrase "fuzz"), odd = decrypted JSON (loaded, written
 * back, reloaded: the profile count must survive the round trip).
 * Build and run: make fuzz-vault && ./tests/fuzz/fuzz_vault -max_total_time=60
 * The regression inputs in tests/fuzz/regress/ are replayed by make check.
 */
#include "config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "creds_mem.h"
#include "vault.h"
#include "vault_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_file(const uint8_t *data, size_t size)
{
	struct err e;
	struct vault *v = vault_open_mem("fuzz", data, size, &e);
	uint64_t ops, mem;
	unsigned char salt[16];

	if (v == NULL)
		return;
	vault_header_info(v, &ops, &mem, salt);
	if (ops <= 2 && mem <= 64 * 1024) /* keep each run fast */
		vault_unlock(v, "fuzz", 4, &e);
	vault_close(v);
}

static void fuzz_json(const uint8_t *data, size_t size)
{
	struct err e;
	struct vault *v = vault_open("/nonexistent/chlink-fuzz/credentials", &e);
	size_t n, len;
	char *json;

	if (v == NULL)
		abort();
	if (vault_load_plain(v, (const char *)data, size, &e) == 0) {
		n = vault_count(v);
		json = vault_store_json(v, &len);
		if (vault_load_plain(v, json, len, &e) != 0 || vault_count(v) != n)
			abort(); /* what we write, we must read back */
		creds_sec_free(json);
	}
	vault_close(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		fuzz_file(data + 1, size - 1);
	else
		fuzz_json(data + 1, size - 1);
	return 0;
}
