/* test_vault: round trip, tampering, truncation, permissions, safe replacement. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "creds_mem.h"
#include "fsutil.h"
#include "vault.h"
#include "xmalloc.h"

#define PASS "correct horse battery staple"

struct fixture {
	char *dir;  /* $TMPDIR/<unique>/chlink */
	char *path; /* dir/credentials */
};

static int setup(void **state)
{
	static unsigned seq;
	struct fixture *f = xcalloc(1, sizeof *f);
	const char *t = getenv("TMPDIR");

	f->dir = xasprintf("%s/v%u-%u/chlink", t != NULL ? t : "/tmp", (unsigned)getpid(), ++seq);
	f->path = xasprintf("%s/credentials", f->dir);
	setenv("CHLINK_VAULT_KDF", "min", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static struct creds *sample(const char *secret)
{
	struct creds *c = creds_new();

	creds_sec_free(c->key_id);
	c->key_id = creds_sec_strdup("kid-1234");
	creds_sec_free(c->key_secret);
	c->key_secret = creds_sec_strdup(secret);
	creds_sec_free(c->org_id);
	c->org_id = creds_sec_strdup("org-5678");
	creds_sec_free(c->client_secret);
	c->client_secret = creds_sec_strdup("azure \"secret\" \\ with\nnewline é");
	c->az_use_cli = 0;
	return c;
}

/* Create a vault at f->path with one profile "default". */
static void make_vault(struct fixture *f, const char *pass, const char *secret)
{
	struct err e;
	struct vault *v = vault_open(f->path, &e);
	struct creds *c = sample(secret);

	assert_non_null(v);
	assert_false(vault_exists(v));
	assert_int_equal(vault_unlock(v, pass, strlen(pass), &e), 0);
	assert_int_equal(vault_put(v, "default", c, &e), 0);
	assert_int_equal(vault_save(v, NULL, 0, &e), 0);
	creds_free(c);
	vault_close(v);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	char *data;
	struct err e;

	assert_int_equal(fs_read_all(path, VAULT_MAX_FILE, &data, len, &e), 0);
	return (unsigned char *)data;
}

/* Open bytes from memory and unlock: 0 only when both succeed. */
static int try_bytes(const unsigned char *b, size_t len, const char *pass, struct err *e)
{
	struct vault *v = vault_open_mem("mem", b, len, e);
	int rc;

	if (v == NULL)
		return -1;
	rc = vault_unlock(v, pass, strlen(pass), e);
	vault_close(v);
	return rc;
}

static void test_vault_round_trip(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	const struct creds *c;
	struct stat st;

	make_vault(f, PASS, "s3cr3t-key-secret-value");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	v = vault_open(f->path, &e);
	assert_non_null(v);
	assert_true(vault_exists(v));
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_count(v), 1);
	assert_string_equal(vault_profile_name(v, 0), "default");
	c = vault_get(v, "default");
	assert_non_null(c);
	assert_string_equal(c->key_id, "kid-1234");
	assert_string_equal(c->key_secret, "s3cr3t-key-secret-value");
	assert_string_equal(c->org_id, "org-5678");
	assert_string_equal(c->client_secret, "azure \"secret\" \\ with\nnewline é");
	assert_string_equal(c->tenant_id, "");
	assert_int_equal(c->az_use_cli, 0);
	assert_null(vault_get(v, "other"));
	vault_close(v);
}

static void test_vault_file_has_no_plaintext(void **state)
{
	struct fixture *f = *state;
	size_t len;
	unsigned char *b;

	make_vault(f, PASS, "PLAINTEXT-MARKER-SECRET");
	b = slurp(f->path, &len);
	assert_memory_equal(b, "CHLVAULT\x01\x01\x01\x00", 12);
	assert_null(memmem(b, len, "PLAINTEXT-MARKER", 16));
	assert_null(memmem(b, len, "kid-1234", 8));
	assert_null(memmem(b, len, "profiles", 8));
	free(b);
}

static void test_vault_wrong_passphrase(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	unsigned char *before, *after;
	size_t l1, l2;

	make_vault(f, PASS, "s3cr3t");
	before = slurp(f->path, &l1);
	v = vault_open(f->path, &e);
	assert_non_null(v);
	assert_int_equal(vault_unlock(v, "wrong", 5, &e), -1);
	assert_int_equal(e.kind, ERR_CRYPTO);
	assert_non_null(strstr(e.msg, "wrong passphrase or damaged file"));
	assert_non_null(strstr(e.msg, f->path));
	assert_null(vault_get(v, "default"));
	assert_int_equal(vault_save(v, NULL, 0, &e), -1); /* locked: nothing written */
	vault_close(v);
	after = slurp(f->path, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	free(before);
	free(after);
}

static void test_vault_rejects_every_flipped_byte(void **state)
{
	struct fixture *f = *state;
	static const unsigned char masks[] = {0x01, 0x80, 0xff};
	struct err e;
	size_t len;
	unsigned char *b;

	make_vault(f, PASS, "x");
	b = slurp(f->path, &len);
	assert_int_equal(try_bytes(b, len, PASS, &e), 0); /* the unflipped file is fine */
	for (size_t i = 0; i < len; i++) {
		for (size_t m = 0; m < sizeof masks; m++) {
			b[i] ^= masks[m];
			if (try_bytes(b, len, PASS, &e) == 0)
				fail_msg("flipping byte %zu with 0x%02x was accepted", i, masks[m]);
			b[i] ^= masks[m];
		}
	}
	free(b);
}

static void test_vault_rejects_every_truncation(void **state)
{
	struct fixture *f = *state;
	struct err e;
	size_t len;
	unsigned char *b, *extra;

	make_vault(f, PASS, "x");
	b = slurp(f->path, &len);
	for (size_t n = 0; n < len; n++) {
		struct vault *v = vault_open_mem("cut", b, n, &e);
		if (v != NULL)
			fail_msg("a file cut to %zu of %zu bytes was accepted", n, len);
		assert_non_null(strstr(e.msg, "cut"));
	}
	extra = xmalloc(len + 1);
	memcpy(extra, b, len);
	extra[len] = 0;
	assert_null(vault_open_mem("long", extra, len + 1, &e));
	assert_non_null(strstr(e.msg, "after the end"));
	free(extra);
	free(b);
}

static void test_vault_names_what_is_wrong(void **state)
{
	struct fixture *f = *state;
	struct err e;
	size_t len;
	unsigned char *b;

	make_vault(f, PASS, "x");
	b = slurp(f->path, &len);
	b[8] = 2;
	assert_null(vault_open_mem("F", b, len, &e));
	assert_non_null(strstr(e.msg, "F has format version 2"));
	b[8] = 1;
	b[0] = 'X';
	assert_null(vault_open_mem("F", b, len, &e));
	assert_non_null(strstr(e.msg, "not a chlink credentials file"));
	b[0] = 'C';
	assert_null(vault_open_mem("F", b, 40, &e));
	assert_non_null(strstr(e.msg, "truncated"));
	free(b);
}

/* A header asking for 2^40 bytes (or 11 passes) must fail at open, before any key derivation. */
static void test_vault_refuses_crafted_kdf_limits(void **state)
{
	struct fixture *f = *state;
	static const struct {
		int off;
		uint64_t val;
	} crafted[] = {
	    {20, 1ULL << 40}, {20, (1ULL << 30) + 1}, {20, 4096}, {12, 11}, {12, 0}, {12, ~0ULL},
	};
	struct err e;
	size_t len;
	unsigned char *b;

	make_vault(f, PASS, "x");
	b = slurp(f->path, &len);
	for (size_t i = 0; i < sizeof crafted / sizeof crafted[0]; i++) {
		unsigned char saved[8];
		clock_t t0 = clock();
		memcpy(saved, b + crafted[i].off, 8);
		for (int k = 0; k < 8; k++)
			b[crafted[i].off + k] = (unsigned char)(crafted[i].val >> (8 * k));
		assert_null(vault_open_mem("crafted", b, len, &e));
		assert_non_null(strstr(e.msg, "out of bounds"));
		/* No derivation happened: far below what even 1 GiB of Argon2 costs. */
		assert_true(clock() - t0 < CLOCKS_PER_SEC / 10);
		memcpy(b + crafted[i].off, saved, 8);
	}
	free(b);
}

static void test_vault_refuses_open_permissions(void **state)
{
	struct fixture *f = *state;
	struct err e;
	char *want;

	make_vault(f, PASS, "x");
	assert_int_equal(chmod(f->path, 0644), 0);
	assert_null(vault_open(f->path, &e));
	assert_non_null(strstr(e.msg, "0644"));
	want = xasprintf("chmod 600 %s", f->path);
	assert_non_null(strstr(e.hint, want));
	free(want);
	assert_int_equal(chmod(f->path, 0640), 0);
	assert_null(vault_open(f->path, &e));
	assert_int_equal(chmod(f->path, 0600), 0);
	/* a group-readable directory is common and fine; a writable one is not */
	assert_int_equal(chmod(f->dir, 0755), 0);
	vault_close(vault_open(f->path, &e));
	assert_int_equal(chmod(f->dir, 0770), 0);
	assert_null(vault_open(f->path, &e));
	want = xasprintf("chmod 700 %s", f->dir);
	assert_non_null(strstr(e.hint, want));
	free(want);
	assert_int_equal(chmod(f->dir, 0700), 0);
}

static void test_vault_refuses_foreign_owner(void **state)
{
	struct fixture *f = *state;
	struct err e;

	if (geteuid() != 0)
		skip(); /* only root can give a file away */
	make_vault(f, PASS, "x");
	assert_int_equal(chown(f->path, 65534, 65534), 0);
	assert_null(vault_open(f->path, &e));
	assert_non_null(strstr(e.msg, "owned by another user"));
	assert_non_null(strstr(e.hint, "chown"));
}

static void test_vault_refuses_symlink(void **state)
{
	struct fixture *f = *state;
	struct err e;
	char *link = xasprintf("%s/link", f->dir);

	make_vault(f, PASS, "x");
	assert_int_equal(symlink(f->path, link), 0);
	assert_null(vault_open(link, &e));
	assert_non_null(strstr(e.msg, "symbolic link"));
	free(link);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void test_vault_failed_rename_keeps_old_file(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	struct creds *c = sample("new-secret");
	unsigned char *before, *after;
	size_t l1, l2;

	make_vault(f, PASS, "old-secret");
	before = slurp(f->path, &l1);
	v = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_put(v, "second", c, &e), 0);
	setenv("CHLINK_TEST_FAIL_BEFORE_RENAME", "1", 1);
	assert_int_equal(vault_save(v, NULL, 0, &e), -1);
	assert_int_equal(vault_save(v, "newpass", 7, &e), -1);
	unsetenv("CHLINK_TEST_FAIL_BEFORE_RENAME");
	vault_close(v);
	after = slurp(f->path, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	assert_int_equal(count_entries(f->dir), 1); /* no temp file, no .bak left */
	v = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_string_equal(vault_get(v, "default")->key_secret, "old-secret");
	assert_null(vault_get(v, "second"));
	vault_close(v);
	creds_free(c);
	free(before);
	free(after);
}

static void test_vault_passwd_rotation(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	unsigned char salt1[16], salt2[16];
	uint64_t ops, mem;

	make_vault(f, PASS, "keep-me");
	v = vault_open(f->path, &e);
	vault_header_info(v, &ops, &mem, salt1);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_save(v, "", 0, &e), -1); /* empty refused */
	assert_int_equal(vault_save(v, "rotated", 7, &e), 0);
	vault_close(v);
	assert_int_equal(count_entries(f->dir), 1); /* .bak removed after verification */
	v = vault_open(f->path, &e);
	vault_header_info(v, &ops, &mem, salt2);
	assert_memory_not_equal(salt1, salt2, 16);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), -1);
	assert_int_equal(e.kind, ERR_CRYPTO);
	vault_close(v);
	v = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(v, "rotated", 7, &e), 0);
	assert_string_equal(vault_get(v, "default")->key_secret, "keep-me");
	vault_close(v);
}

static void test_vault_forget_and_profiles(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	struct creds *c = sample("abc");

	make_vault(f, PASS, "x");
	v = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_put(v, "bad name", c, &e), -1);
	assert_int_equal(vault_put(v, "../x", c, &e), -1);
	assert_int_equal(vault_put(v, "alpha", c, &e), 0);
	assert_int_equal(vault_put(v, "zeta", c, &e), 0);
	assert_int_equal(vault_count(v), 3);
	assert_string_equal(vault_profile_name(v, 0), "alpha");
	assert_string_equal(vault_profile_name(v, 2), "zeta");
	assert_int_equal(vault_forget(v, "default", &e), 0);
	assert_int_equal(vault_forget(v, "default", &e), -1);
	assert_int_equal(e.kind, ERR_NOTFOUND);
	assert_int_equal(vault_save(v, NULL, 0, &e), 0);
	vault_close(v);
	v = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_count(v), 2);
	assert_null(vault_get(v, "default"));
	assert_non_null(vault_get(v, "zeta"));
	vault_close(v);
	creds_free(c);
}

static void test_vault_plaintext_is_tolerant_but_strict_on_types(void **state)
{
	struct fixture *f = *state;
	static const char ok[] = "{\"future\":[1,2],\"profiles\":{\"p\":{\"az_use_cli\":true,"
	                         "\"org_id\":\"o\",\"extra\":{},\"key_id\":\"k\"}},\"v\":1}";
	static const char *bad[] = {
	    "[]",
	    "{\"v\":2,\"profiles\":{}}",
	    "{\"profiles\":{}}",
	    "{\"v\":1,\"profiles\":[]}",
	    "{\"v\":1,\"profiles\":{\"p\":{\"key_id\":5}}}",
	    "{\"v\":1,\"profiles\":{\"a b\":{}}}",
	    "{\"v\":1",
	    "",
	};
	struct err e;
	struct vault *v = vault_open(f->path, &e);
	const struct creds *c;

	assert_non_null(v);
	assert_int_equal(vault_load_plain(v, ok, strlen(ok), &e), 0);
	c = vault_get(v, "p");
	assert_non_null(c);
	assert_string_equal(c->key_id, "k");
	assert_string_equal(c->org_id, "o");
	assert_string_equal(c->key_secret, "");
	assert_int_equal(c->az_use_cli, 1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (vault_load_plain(v, bad[i], strlen(bad[i]), &e) == 0)
			fail_msg("accepted plaintext %s", bad[i]);
		assert_int_equal(vault_count(v), 0);
	}
	vault_close(v);
}

static void test_vault_kdf_presets(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	unsigned char salt[16];
	uint64_t ops, mem;

	setenv("CHLINK_VAULT_KDF", "bogus", 1);
	v = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), -1);
	assert_non_null(strstr(e.msg, "CHLINK_VAULT_KDF"));
	vault_close(v);
	setenv("CHLINK_VAULT_KDF", "interactive", 1);
	make_vault(f, PASS, "x");
	v = vault_open(f->path, &e);
	vault_header_info(v, &ops, &mem, salt);
	assert_int_equal(ops, 2);
	assert_int_equal(mem, 64 << 20);
	vault_close(v);
}

static void test_vault_default_is_moderate(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	unsigned char salt[16];
	uint64_t ops, mem;

	unsetenv("CHLINK_VAULT_KDF");
	make_vault(f, PASS, "x");
	v = vault_open(f->path, &e);
	vault_header_info(v, &ops, &mem, salt);
	assert_int_equal(ops, 3);
	assert_int_equal(mem, 256 << 20);
	vault_close(v);
}

static void test_creds_from_env(void **state)
{
	int found;
	struct creds *c;

	setenv("KEY_ID", "envkid", 1);
	setenv("KEY_SECRET", "envsecret", 1);
	setenv("ORG_ID", "envorg", 1);
	setenv("AZURE_TENANT_ID", "tid", 1);
	setenv("AZURE_SUBSCRIPTION_ID", "sub", 1);
	unsetenv("AZURE_CLIENT_ID");
	unsetenv("AZURE_CLIENT_SECRET");
	c = creds_from_env(&found);
	assert_int_equal(found, 5);
	assert_string_equal(c->key_id, "envkid");
	assert_string_equal(c->key_secret, "envsecret");
	assert_string_equal(c->org_id, "envorg");
	assert_string_equal(c->tenant_id, "tid");
	assert_string_equal(c->subscription_id, "sub");
	assert_string_equal(c->client_id, "");
	assert_int_equal(c->az_use_cli, 1);
	creds_free(c);
	setenv("AZURE_CLIENT_ID", "cid", 1);
	setenv("AZURE_CLIENT_SECRET", "csec", 1);
	c = creds_from_env(&found);
	assert_int_equal(found, 7);
	assert_string_equal(c->client_secret, "csec");
	assert_int_equal(c->az_use_cli, 0);
	creds_free(c);
}

static void test_vault_open_turns_core_dumps_off(void **state)
{
	struct fixture *f = *state;
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	struct err e;

	setrlimit(RLIMIT_CORE, &rl); /* may be refused without privilege: soft limit still set */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	vault_close(vault_open(f->path, &e));
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

static void test_vault_rekeys_weaker_limits(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	unsigned char salt[16];
	uint64_t ops, mem;

	make_vault(f, PASS, "x"); /* written with "min" */
	v = vault_open(f->path, &e);
	assert_false(vault_needs_rekey(v));
	setenv("CHLINK_VAULT_KDF", "interactive", 1);
	assert_true(vault_needs_rekey(v));
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_save(v, PASS, strlen(PASS), &e), 0);
	assert_false(vault_needs_rekey(v));
	vault_close(v);
	v = vault_open(f->path, &e);
	vault_header_info(v, &ops, &mem, salt);
	assert_int_equal(ops, 2);
	assert_int_equal(mem, 64 << 20);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	vault_close(v);
}

static void test_vault_replaces_a_stale_backup(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *v;
	char *bak = xasprintf("%s.bak", f->path);

	make_vault(f, PASS, "x");
	assert_int_equal(fs_write_atomic(bak, "stale", 5, 0600, &e), 0);
	v = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(v, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_save(v, NULL, 0, &e), 0);
	vault_close(v);
	assert_int_equal(access(bak, F_OK), -1); /* verified, so the backup is gone */
	free(bak);
}

static void test_vault_refuses_lost_update(void **state)
{
	struct fixture *f = *state;
	struct err e;
	struct vault *a, *b;
	struct creds *c = sample("from-a");

	make_vault(f, PASS, "x");
	a = vault_open(f->path, &e);
	b = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(a, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_unlock(b, PASS, strlen(PASS), &e), 0);
	assert_int_equal(vault_put(a, "a", c, &e), 0);
	assert_int_equal(vault_save(a, NULL, 0, &e), 0);
	assert_int_equal(vault_put(b, "b", c, &e), 0);
	assert_int_equal(vault_save(b, NULL, 0, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_int_equal(vault_save(a, NULL, 0, &e), 0); /* a still knows what is on disk */
	vault_close(a);
	vault_close(b);
	a = vault_open(f->path, &e);
	assert_int_equal(vault_unlock(a, PASS, strlen(PASS), &e), 0);
	assert_non_null(vault_get(a, "a"));
	assert_null(vault_get(a, "b"));
	vault_close(a);
	creds_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_vault_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_file_has_no_plaintext, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_wrong_passphrase, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_rejects_every_flipped_byte, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_rejects_every_truncation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_names_what_is_wrong, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_refuses_crafted_kdf_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_refuses_open_permissions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_refuses_foreign_owner, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_refuses_symlink, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_failed_rename_keeps_old_file, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_vault_passwd_rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_forget_and_profiles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_plaintext_is_tolerant_but_strict_on_types,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_kdf_presets, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_default_is_moderate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_open_turns_core_dumps_off, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_rekeys_weaker_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_replaces_a_stale_backup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vault_refuses_lost_update, setup, teardown),
	    cmocka_unit_test(test_creds_from_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
