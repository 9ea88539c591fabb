/* i18n: gettext macros; every user-facing string goes through _() or N_(). */
#ifndef CHLINK_I18N_H
#define CHLINK_I18N_H

#include <libintl.h>
#include <locale.h>

#define _(s)             gettext(s)
#define N_(s)            (s)
#define P_(one, many, n) ngettext(one, many, n)

/* Bind the text domain; `lang` ("ja", "en" or NULL for the locale) overrides LANGUAGE. */
void i18n_init(const char *lang);

#endif
