/* wizard: the interactive (or scripted, headless) ncurses front end that cli_main hands over to. */
#ifndef CHLINK_UI_WIZARD_H
#define CHLINK_UI_WIZARD_H

#include "cli.h"
#include "flow.h"

/* Run the wizard until the user quits or finishes; returns an EXIT_* status. */
int ui_wizard_run(struct flow_config *cfg, const struct cli_opts *o);

#endif
