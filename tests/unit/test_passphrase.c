/* test_passphrase: passphrase sources, their refusals, and the secure line reader. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "passphrase.h"
#include "xmalloc.h"

static char *write_file(const char *name, const char *text, mode_t mode)
{
	const char *t = getenv("TMPDIR");
	char *p = xasprintf("%s/%s", t != NULL ? t : "/tmp", name);
	FILE *f;

	unlink(p);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

static const struct passphrase_src SRC = {NULL, "T_PASS_FILE", "T_PASS", "prompt: ", 0};

static void test_passphrase_file_first_line(void **state)
{
	char *p = write_file("pf1", "hunter2 with spaces\r\nsecond line\n", 0600), *got;
	size_t len;
	struct err e;
	struct passphrase_src src = SRC;

	src.file = p;
	setenv("T_PASS", "from-env", 1); /* the file wins */
	got = passphrase_get(&src, &len, &e);
	assert_non_null(got);
	assert_string_equal(got, "hunter2 with spaces");
	assert_int_equal(len, 19);
	passphrase_free(got);
	unsetenv("T_PASS");
	unlink(p);
	free(p);
}

static void test_passphrase_file_from_env_var(void **state)
{
	char *p = write_file("pf2", "nonewline", 0400), *got;
	size_t len;
	struct err e;

	setenv("T_PASS_FILE", p, 1);
	got = passphrase_get(&SRC, &len, &e);
	assert_non_null(got);
	assert_string_equal(got, "nonewline");
	passphrase_free(got);
	unsetenv("T_PASS_FILE");
	unlink(p);
	free(p);
}

static void test_passphrase_file_too_open_is_refused(void **state)
{
	char *p = write_file("pf3", "secret\n", 0640), *want;
	size_t len;
	struct err e;
	struct passphrase_src src = SRC;

	src.file = p;
	assert_null(passphrase_get(&src, &len, &e));
	assert_non_null(strstr(e.msg, "0640"));
	want = xasprintf("chmod 600 %s", p);
	assert_non_null(strstr(e.hint, want));
	free(want);
	unlink(p);
	free(p);
}

static void test_passphrase_foreign_owner_is_refused(void **state)
{
	char *p;
	size_t len;
	struct err e;
	struct passphrase_src src = SRC;

	if (geteuid() != 0)
		skip();
	p = write_file("pf4", "secret\n", 0600);
	assert_int_equal(chown(p, 65534, 65534), 0);
	src.file = p;
	assert_null(passphrase_get(&src, &len, &e));
	assert_non_null(strstr(e.msg, "another user"));
	unlink(p);
	free(p);
}

static void test_passphrase_empty_is_refused(void **state)
{
	static const char *texts[] = {"", "\n", "\r\nlater\n"};
	size_t len;
	struct err e;
	struct passphrase_src src = SRC;

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *p = write_file("pf5", texts[i], 0600);
		src.file = p;
		assert_null(passphrase_get(&src, &len, &e));
		assert_non_null(strstr(e.msg, "empty"));
		unlink(p);
		free(p);
	}
}

static void test_passphrase_from_environment(void **state)
{
	size_t len;
	struct err e;
	char *got;

	setenv("T_PASS", "env pass", 1);
	got = passphrase_get(&SRC, &len, &e);
	assert_non_null(got);
	assert_string_equal(got, "env pass");
	assert_int_equal(len, 8);
	passphrase_free(got);
	unsetenv("T_PASS");
}

static void test_passphrase_no_terminal(void **state)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	size_t len;
	struct err e;

	if (fd >= 0) {
		close(fd);
		skip(); /* a real terminal would wait for a human */
	}
	assert_null(passphrase_get(&SRC, &len, &e));
	assert_non_null(strstr(e.msg, "no terminal"));
	assert_non_null(strstr(e.hint, "--passphrase-file"));
}

static void test_read_line_limits(void **state)
{
	int fds[2];
	size_t len;
	struct err e;
	char *l;

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "ab\r\n\nlast", 9), 9);
	close(fds[1]);
	l = passphrase_read_line(fds[0], 16, &len, &e);
	assert_string_equal(l, "ab");
	passphrase_free(l);
	l = passphrase_read_line(fds[0], 16, &len, &e);
	assert_string_equal(l, "");
	passphrase_free(l);
	l = passphrase_read_line(fds[0], 3, &len, &e); /* "last" is longer than 3 */
	assert_null(l);
	assert_int_equal(e.kind, ERR_USAGE);
	close(fds[0]);
	assert_int_equal(pipe(fds), 0);
	close(fds[1]);
	assert_null(passphrase_read_line(fds[0], 16, &len, &e));
	assert_int_equal(e.kind, ERR_NOTFOUND);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_passphrase_file_first_line),
	    cmocka_unit_test(test_passphrase_file_from_env_var),
	    cmocka_unit_test(test_passphrase_file_too_open_is_refused),
	    cmocka_unit_test(test_passphrase_foreign_owner_is_refused),
	    cmocka_unit_test(test_passphrase_empty_is_refused),
	    cmocka_unit_test(test_passphrase_from_environment),
	    cmocka_unit_test(test_passphrase_no_terminal),
	    cmocka_unit_test(test_read_line_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
