/* cli_doctor: `chlink doctor`: the findings as text or JSON; exit 3 when there are any. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "cli_int.h"
#include "i18n.h"

static void print_json(const struct flow_view *v)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "findings");
	char *text;

	for (size_t i = 0; i < v->n_findings; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", v->findings[i].code);
		cJSON_AddStringToObject(o, "verdict", v->findings[i].verdict);
		cJSON_AddStringToObject(o, "evidence", v->findings[i].evidence);
		cJSON_AddStringToObject(o, "fix", v->findings[i].fix);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		abort();
	puts(text);
	free(text);
}

int cli_doctor(struct cli_ctx *c)
{
	const struct flow_view *v;
	struct err e;

	err_clear(&e);
	if (cli_doctor_run(c, &e) < 0) {
		cli_error(&e);
		return EXIT_ERROR;
	}
	v = flow_view(c->flow);
	if (c->o.json) {
		print_json(v);
	} else if (v->n_findings == 0) {
		puts(_("No findings: every check passed."));
	} else {
		for (size_t i = 0; i < v->n_findings; i++) {
			printf("%s %s [%s]\n", cli_mark(c, FLOW_FAILED), v->findings[i].verdict,
			       v->findings[i].code);
			printf("    %s %s\n", _("seen:"), v->findings[i].evidence);
			printf("    %s %s\n", _("fix: "), v->findings[i].fix);
		}
	}
	return v->n_findings ? EXIT_INCOMPLETE : EXIT_OK;
}
