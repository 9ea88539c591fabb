/* i18n: locale and message catalogue set-up, shared by the wizard and the CLI. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "i18n.h"

static int is_c_locale(const char *l)
{
	return l == NULL || strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0;
}

/* The locale the environment asks for messages, as setlocale(LC_MESSAGES, "") reads it. */
static const char *env_messages_locale(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return v;
	}
	return NULL;
}

/*
 * The environment names a locale that is not installed (ja_JP.UTF-8 is often not
 * generated): keep its language for the messages and run in C.UTF-8, so that
 * LANG=ja_JP.UTF-8 still gives Japanese and wide characters still work.
 */
static void fall_back_to_c_utf8(void)
{
	const char *want = env_messages_locale();
	const char *language = getenv("LANGUAGE");

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return;
	if (!is_c_locale(want) && strncmp(want, "C.", 2) != 0 &&
	    (language == NULL || *language == '\0')) {
		char ll[16];
		size_t n = strcspn(want, ".@");
		if (n > 0 && n < sizeof ll) {
			memcpy(ll, want, n);
			ll[n] = '\0';
			setenv("LANGUAGE", ll, 1);
		}
	}
}

void i18n_init(const char *lang)
{
	const char *dir = getenv("CHLINK_LOCALEDIR"); /* tests run from the build tree */
	const char *cur;

	if (setlocale(LC_ALL, "") == NULL)
		fall_back_to_c_utf8();
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
