/* main: the chlink program: the CLI, with the wizard and the demo's simulator plugged in. */
#include "config.h"
#include <signal.h>
#include "cli.h"
#include "demo.h"
#include "wizard.h"

int main(int argc, char **argv)
{
	static const struct cli_frontend fe = {
	    .wizard = ui_wizard_run,
	    .demo_start = demo_start,
	    .demo_prefill = demo_prefill,
	    .demo_stop = demo_stop,
	};

	/* Transfers run with CURLOPT_NOSIGNAL; a peer closing a socket must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	return cli_main(argc, argv, &fe);
}
