/* test_profile_lock: one holder per profile, a refusal that names it, release on close. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fsutil.h"
#include "profile_lock.h"
#include "xmalloc.h"

static char *tmpdir(void)
{
	char *t = xasprintf("%s/pl-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t));
	return t;
}

static char *slurp(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name), *text = NULL;
	size_t len;
	struct err e;

	assert_int_equal(fs_read_all(p, 4096, &text, &len, &e), 0);
	free(p);
	return text;
}

/* flock locks belong to open files, so a second take in this process is refused too. */
static void test_second_taker_is_refused_by_name(void **state)
{
	char *dir = tmpdir(), *text, *want;
	struct err e = {0};
	struct profile_lock *a, *b;

	(void)state;
	a = profile_lock_take(dir, "lab", "apply", &e);
	assert_non_null(a);
	text = slurp(dir, "lab.lock");
	want = xasprintf("%ld apply\n", (long)getpid());
	assert_string_equal(text, want);
	b = profile_lock_take(dir, "lab", "teardown", &e);
	assert_null(b);
	assert_int_equal(e.kind, ERR_CONFLICT);
	free(want);
	want = xasprintf("the profile \"lab\" is in use by chlink apply (pid %ld)", (long)getpid());
	assert_string_equal(e.msg, want);
	assert_non_null(strstr(e.hint, "only one chlink at a time"));
	profile_lock_release(a);
	free(text);
	text = slurp(dir, "lab.lock");
	assert_string_equal(text, ""); /* no stale pid once released */
	b = profile_lock_take(dir, "lab", "wizard", &e);
	assert_non_null(b);
	a = profile_lock_take(dir, "lab", "apply", &e);
	assert_null(a);
	assert_non_null(strstr(e.msg, "the chlink wizard"));
	profile_lock_release(b);
	free(text);
	free(want);
	free(dir);
}

static void test_profiles_are_independent(void **state)
{
	char *dir = tmpdir();
	struct err e = {0};
	struct profile_lock *a, *b;

	(void)state;
	a = profile_lock_take(dir, "one", "apply", &e);
	b = profile_lock_take(dir, "two", "apply", &e);
	assert_non_null(a);
	assert_non_null(b);
	profile_lock_release(a);
	profile_lock_release(b);
	profile_lock_release(NULL);
	free(dir);
}

/* A holder that wrote nothing usable (or garbage) is still refused, without its words. */
static void test_unreadable_holder(void **state)
{
	char *dir = tmpdir(), *p;
	struct err e = {0};
	struct profile_lock *a, *b;
	FILE *f;

	(void)state;
	a = profile_lock_take(dir, "lab", "apply", &e);
	assert_non_null(a);
	p = xasprintf("%s/lab.lock", dir);
	assert_non_null(f = fopen(p, "w"));
	fputs("12 evil\033[2J\n", f);
	fclose(f);
	b = profile_lock_take(dir, "lab", "apply", &e);
	assert_null(b);
	assert_null(strchr(e.msg, '\033'));
	assert_non_null(strstr(e.msg, "(pid 12)"));
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
	b = profile_lock_take(dir, "lab", "apply", &e);
	assert_null(b);
	assert_string_equal(e.msg, "the profile \"lab\" is in use by another chlink");
	profile_lock_release(a);
	free(p);
	free(dir);
}

/* A holder that only reads (status) is waited for: it lets go, the taker gets the lock. */
static void test_waits_for_a_reader(void **state)
{
	char *dir = tmpdir();
	struct err e = {0};
	struct profile_lock *a;
	int ready[2], status;
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct profile_lock *r = profile_lock_take(dir, "lab", "status", &e);
		if (r == NULL || write(ready[1], "x", 1) != 1)
			_exit(1);
		nanosleep(&(struct timespec){0, 300 * 1000000L}, NULL); /* a short status */
		profile_lock_release(r);
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1); /* the child holds the lock now */
	a = profile_lock_take(dir, "lab", "apply", &e);
	assert_non_null(a);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	profile_lock_release(a);
	close(ready[0]);
	free(dir);
}

static void test_directory_made_private(void **state)
{
	char *dir = tmpdir(), *sub = xasprintf("%s/a/b", dir), *file = xasprintf("%s/f", dir);
	struct err e = {0};
	struct profile_lock *a;
	struct stat st;
	FILE *f;

	(void)state;
	a = profile_lock_take(sub, "lab", "apply", &e);
	assert_non_null(a);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	profile_lock_release(a);
	assert_non_null(f = fopen(file, "w")); /* a file where the directory should be */
	fclose(f);
	a = profile_lock_take(file, "lab", "apply", &e);
	assert_null(a);
	assert_int_not_equal(e.kind, ERR_CONFLICT);
	free(sub);
	free(file);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_second_taker_is_refused_by_name),
	    cmocka_unit_test(test_profiles_are_independent),
	    cmocka_unit_test(test_unreadable_holder),
	    cmocka_unit_test(test_waits_for_a_reader),
	    cmocka_unit_test(test_directory_made_private),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
