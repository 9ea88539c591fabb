/*
 * cli_teardown: `chlink teardown`: undo in reverse order: the allow lists,
 * the organization, then the DNS link, record and zone, and the endpoint
 * (only what chlink created unless --force).
 */
#include "config.h"
#include <stdio.h>
#include "cli_int.h"
#include "i18n.h"

static const enum flow_step order[] = {FLOW_ALLOWLIST,  FLOW_ORG,      FLOW_DNS_LINK,
                                       FLOW_DNS_RECORD, FLOW_DNS_ZONE, FLOW_ENDPOINT};

int cli_teardown(struct cli_ctx *c)
{
	int kept = 0, failed = 0;
	struct err e;

	err_clear(&e);
	if (cli_check(c, &e) < 0) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	if (!c->o.yes) {
		if (!cli_interactive()) {
			cli_errorf("%s",
			           _("refusing to delete without --yes (stdin is not a terminal)"));
			return EXIT_INCOMPLETE;
		}
		if (!cli_confirm(c, c->force
		                        ? _("Remove the registrations and delete every resource "
		                            "of this setup, including those chlink did not "
		                            "create?")
		                        : _("Remove the registrations and delete what chlink "
		                            "created?")))
			return EXIT_INCOMPLETE;
	}
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		err_clear(&e);
		if (cli_undo_step(c, order[i], c->force, &e) == 0)
			continue;
		if (e.kind == ERR_CONFLICT) {
			kept++;
			continue;
		}
		cli_error(&e);
		failed++;
		break;
	}
	if (kept && !failed) {
		err_clear(&e);
		err_set(&e, ERR_CONFLICT, "%s",
		        _("some resources were kept because chlink did not create them"));
		err_hint(&e, "%s", _("chlink teardown --force deletes them too"));
		cli_error(&e);
	}
	return failed ? EXIT_ERROR : kept ? EXIT_INCOMPLETE : EXIT_OK;
}
