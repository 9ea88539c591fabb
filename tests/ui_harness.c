/*
 * ui_harness: the real wizard (ui/) on the fake engine (tests/unit/fake_flow.c),
 * for headless screen tests. Usage:
 *   ui_harness [--demo] [--profile NAME] [--script FILE] [--dump-dir DIR]
 * FAKE_FLOW_WORLD=half starts from a half-finished world.
 */
#include "config.h"
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "i18n.h"
#include "wizard.h"

int main(int argc, char **argv)
{
	struct flow_config cfg = { .profile = "default" };
	struct cli_opts o = { 0 };

	setlocale(LC_ALL, "");
	i18n_init(NULL);
	for (int i = 1; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--demo") == 0) {
			cfg.demo = o.demo = 1;
		} else if (strcmp(argv[i], "--script") == 0 && next != NULL) {
			o.script = argv[++i];
		} else if (strcmp(argv[i], "--dump-dir") == 0 && next != NULL) {
			o.dump_dir = argv[++i];
		} else if (strcmp(argv[i], "--profile") == 0 && next != NULL) {
			cfg.profile = argv[++i];
		} else {
			fprintf(stderr, "usage: ui_harness [--demo] [--profile NAME] [--script FILE] "
					"[--dump-dir DIR]\n");
			return EXIT_USAGE;
		}
	}
	return ui_wizard_run(&cfg, &o);
}
