/* floor: load and initialise chlink's libraries, then exit: the floor of `make bench`. */
#include "config.h"
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <curses.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>

/*
 * Each library is brought up the way chlink brings it up (locale, a curses
 * screen, curl's global state and one easy handle, libsodium, one JSON
 * parse), so what remains between this program and chlink is chlink's own
 * work. The screen goes to /dev/null: nothing is drawn.
 */
static int init_curses(void)
{
	FILE *out = fopen("/dev/null", "w");
	FILE *in = fopen("/dev/null", "r");
	int rc = -1;

	if (out && in) {
		SCREEN *scr = newterm(NULL, out, in);
		if (scr) {
			endwin();
			delscreen(scr);
			rc = 0;
		}
	}
	if (out)
		fclose(out);
	if (in)
		fclose(in);
	return rc;
}

static int init_curl(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	CURL *h = curl_easy_init();
	if (!h)
		return -1;
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return 0;
}

static int parse_json(void)
{
	cJSON *j = cJSON_Parse("{\"status\":200,\"result\":{\"id\":\"floor\",\"ids\":[1,2,3]}}");
	int ok = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "result"));
	cJSON_Delete(j);
	return ok ? 0 : -1;
}

int main(void)
{
	setlocale(LC_ALL, "");
	if (init_curses() < 0) {
		fputs("floor: newterm failed (is TERM set?)\n", stderr);
		return 1;
	}
	if (init_curl() < 0 || sodium_init() < 0 || parse_json() < 0) {
		fputs("floor: a library failed to initialise\n", stderr);
		return 1;
	}
	return 0;
}
