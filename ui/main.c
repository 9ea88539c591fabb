/* main: the chlink program; parses the command line and hands over to the CLI or the wizard. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "i18n.h"

static void usage(FILE *f)
{
	fprintf(f, _("Usage: chlink [OPTION]... [COMMAND]\n"
		     "Set up Azure Private Link to a ClickHouse Cloud service.\n\n"
		     "  --demo       walk through the setup against the built-in simulator\n"
		     "  --help       show this help and exit\n"
		     "  --version    show the version and exit\n"));
}

int main(int argc, char **argv)
{
	i18n_init(NULL);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("chlink %s\n", PACKAGE_VERSION);
			return 0;
		}
	}
	usage(stderr);
	return 2;
}
