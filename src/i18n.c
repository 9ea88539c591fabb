/* i18n: locale and message catalogue set-up, shared by the wizard and the CLI. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "i18n.h"

static int is_c_locale(const char *l)
{
	return l == NULL || strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0;
}

void i18n_init(const char *lang)
{
	const char *dir = getenv("CHLINK_LOCALEDIR"); /* tests run from the build tree */
	const char *cur;

	setlocale(LC_ALL, "");
	if (lang != NULL && *lang != '\0') {
		/* gettext ignores LANGUAGE under the C locale, so pick a UTF-8 one. */
		setenv("LANGUAGE", lang, 1);
		cur = setlocale(LC_MESSAGES, NULL);
		if (strcmp(lang, "en") == 0)
			setenv("LANGUAGE", "C", 1);
		else if (is_c_locale(cur) || strstr(cur, "UTF-8") == NULL)
			if (setlocale(LC_ALL, "ja_JP.UTF-8") == NULL)
				setlocale(LC_ALL, "C.UTF-8");
	}
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}
