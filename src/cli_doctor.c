/* cli_doctor: `chlink doctor`: the findings as text or JSON; exit 3 when there are any. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "cli_int.h"
#include "i18n.h"
#include "textwidth.h"

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

/* "seen:" and "fix:" padded to the wider of the two by display width, so that the values
 * line up in any language. */
static void print_findings(struct cli_ctx *c, const struct flow_view *v)
{
	const char *seen = _("seen:"), *fix = _("fix:");
	int w = tw_width(seen) > tw_width(fix) ? tw_width(seen) : tw_width(fix);
	char seen_pad[64], fix_pad[64];

	tw_pad(seen, w, seen_pad, sizeof seen_pad);
	tw_pad(fix, w, fix_pad, sizeof fix_pad);
	for (size_t i = 0; i < v->n_findings; i++) {
		printf("%s %s [%s]\n", cli_mark(c, FLOW_FAILED), v->findings[i].verdict,
		       v->findings[i].code);
		printf("    %s %s\n", seen_pad, v->findings[i].evidence);
		printf("    %s %s\n", fix_pad, v->findings[i].fix);
	}
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
		print_findings(c, v);
	}
	return v->n_findings ? EXIT_INCOMPLETE : EXIT_OK;
}
