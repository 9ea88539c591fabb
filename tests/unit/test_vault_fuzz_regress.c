/* test_vault_fuzz_regress: replay tests/fuzz/regress/vault through the fuzzer's entry point. */
#include "config.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsutil.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(void)
{
	const char *top = getenv("top_srcdir");
	char *dir = xasprintf("%s/tests/fuzz/regress/vault", top != NULL ? top : ".");
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL) {
		printf("not ok 1 - cannot open %s\n1..1\n", dir);
		return 1;
	}
	setenv("CHLINK_VAULT_KDF", "min", 1);
	while ((de = readdir(d)) != NULL) {
		char *path, *data;
		size_t len;
		struct err e;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (fs_read_all(path, 1 << 20, &data, &len, &e) < 0) {
			printf("not ok %d - %s: %s\n", ++n, de->d_name, e.msg);
		} else {
			LLVMFuzzerTestOneInput((const uint8_t *)data, len); /* crash = failure */
			printf("ok %d - replay %s\n", ++n, de->d_name);
			free(data);
		}
		free(path);
	}
	closedir(d);
	free(dir);
	printf("1..%d\n", n);
	return n > 0 ? 0 : 1;
}
