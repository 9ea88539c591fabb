/*
 * creds_driver: runs cmd_creds like `chlink creds ...` would, so shell tests
 * can drive the command before main wires it in. Not installed.
 * With CHLINK_DRIVER_FAKE_TEST=1, `test` uses a fake check that reports
 * the key ID and the masked secret (it proves the plumbing, not the APIs).
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include "cmd_creds.h"
#include "i18n.h"
#include "mask.h"

static int fake_test(const struct creds *c, void *ud, char *report, size_t n, struct err *e)
{
	char masked[64];

	mask_secret(c->key_secret, masked, sizeof masked);
	if (snprintf(report, n, "fake check: key %s (secret %s), Azure via %s\n", c->key_id, masked,
	             c->az_use_cli ? "az CLI" : "service principal") >= (int)n)
		return err_set(e, ERR_INTERNAL, "report too long");
	return 0;
}

int main(int argc, char **argv)
{
	struct creds_cmd_opts o = {0};
	struct err e;
	int rc;

	i18n_init(NULL);
	if (getenv("CHLINK_DRIVER_FAKE_TEST") != NULL)
		o.test_fn = fake_test;
	rc = cmd_creds(argc - 1, argv + 1, &o, &e);
	if (rc != 0) {
		fprintf(stderr, "chlink: %s\n", e.msg);
		if (e.hint[0] != '\0')
			fprintf(stderr, "%s\n", e.hint);
	}
	return rc;
}
