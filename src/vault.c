/* vault: the encrypted credentials file: header, permissions, KDF, AEAD, safe replacement. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "creds_mem.h"
#include "fsutil.h"
#include "i18n.h"
#include "vault.h"
#include "vault_impl.h"
#include "xmalloc.h"

#define KEY_BYTES   crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES   crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SALT_BYTES  crypto_pwhash_argon2id_SALTBYTES

_Static_assert(SALT_BYTES == 16, "salt field is 16 bytes");
_Static_assert(NONCE_BYTES == 24, "nonce field is 24 bytes");
_Static_assert(8 + 4 + 8 + 8 + 16 + 24 + 4 == VAULT_HEADER_SIZE, "header layout");

enum { KDF_ARGON2ID13 = 1, AEAD_XCHACHA20POLY1305_IETF = 1 };

/* Field offsets of the header (see vault.h). */
enum {
	OFF_VERSION = 8,
	OFF_KDF = 9,
	OFF_AEAD = 10,
	OFF_RSV = 11,
	OFF_OPS = 12,
	OFF_MEM = 20,
	OFF_SALT = 28,
	OFF_NONCE = 44,
	OFF_CTLEN = 68
};

struct hdr {
	uint64_t ops, mem;
	const unsigned char *salt, *nonce, *ct;
	uint32_t ct_len;
};

/* CHLINK_VAULT_KDF presets for files we write. */
static const struct kdf_preset {
	const char *name;
	uint64_t ops, mem;
} presets[] = {
    {"moderate", crypto_pwhash_argon2id_OPSLIMIT_MODERATE,
     crypto_pwhash_argon2id_MEMLIMIT_MODERATE},
    {"interactive", crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
     crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE},
    {"min", crypto_pwhash_argon2id_OPSLIMIT_MIN,
     crypto_pwhash_argon2id_MEMLIMIT_MIN}, /* tests only */
};

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

void vault_no_core_dumps(void)
{
	struct rlimit rl = {0, 0};

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

char *vault_default_path(void)
{
	char *dir = fs_config_dir();
	char *p = xasprintf("%s/credentials", dir);

	free(dir);
	return p;
}

/* Check the header without allocating anything; fill `h` with pointers into `b`. */
static int hdr_parse(const unsigned char *b, size_t len, const char *name, struct hdr *h,
                     struct err *e)
{
	size_t m = len < 8 ? len : 8;

	if (memcmp(b, VAULT_MAGIC, m) != 0)
		return err_set(e, ERR_PARSE, _("%s is not a chlink credentials file (bad magic)"),
		               name);
	if (len < VAULT_HEADER_SIZE)
		return err_set(e, ERR_PARSE,
		               _("%s is truncated: %zu bytes, shorter than the %d-byte header"),
		               name, len, VAULT_HEADER_SIZE);
	if (b[OFF_VERSION] != VAULT_VERSION) {
		err_set(e, ERR_PARSE, _("%s has format version %u; this chlink reads version %d"),
		        name, b[OFF_VERSION], VAULT_VERSION);
		return err_hint(e, _("A newer chlink wrote it: upgrade chlink."));
	}
	if (b[OFF_KDF] != KDF_ARGON2ID13 || b[OFF_AEAD] != AEAD_XCHACHA20POLY1305_IETF)
		return err_set(e, ERR_PARSE,
		               _("%s names an unknown key derivation (%u) or cipher (%u)"), name,
		               b[OFF_KDF], b[OFF_AEAD]);
	if (b[OFF_RSV] != 0)
		return err_set(e, ERR_PARSE, _("%s is damaged: the reserved header byte is not 0"),
		               name);
	h->ops = get_le(b + OFF_OPS, 8);
	h->mem = get_le(b + OFF_MEM, 8);
	/* Bound the limits before anything is derived: a crafted file must not
	 * make us allocate gigabytes or spin for minutes. */
	if (h->ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || h->ops > VAULT_MAX_OPSLIMIT ||
	    h->mem < crypto_pwhash_argon2id_MEMLIMIT_MIN || h->mem > VAULT_MAX_MEMLIMIT)
		return err_set(
		    e, ERR_PARSE,
		    _("%s asks for key derivation limits out of bounds (ops %llu, memory "
		      "%llu bytes): refusing a crafted or damaged header"),
		    name, (unsigned long long)h->ops, (unsigned long long)h->mem);
	h->salt = b + OFF_SALT;
	h->nonce = b + OFF_NONCE;
	h->ct_len = (uint32_t)get_le(b + OFF_CTLEN, 4);
	h->ct = b + VAULT_HEADER_SIZE;
	if (h->ct_len < TAG_BYTES)
		return err_set(e, ERR_PARSE, _("%s is damaged: ciphertext length %u is too short"),
		               name, (unsigned)h->ct_len);
	if (len - VAULT_HEADER_SIZE < h->ct_len)
		return err_set(e, ERR_PARSE,
		               _("%s is truncated: %zu bytes of ciphertext, the header says %u"),
		               name, len - VAULT_HEADER_SIZE, (unsigned)h->ct_len);
	if (len - VAULT_HEADER_SIZE > h->ct_len)
		return err_set(e, ERR_PARSE, _("%s is damaged: %zu unexpected bytes after the end"),
		               name, len - VAULT_HEADER_SIZE - h->ct_len);
	return 0;
}

static struct vault *vault_new(const char *path)
{
	struct vault *v = xcalloc(1, sizeof *v);

	v->path = xstrdup(path);
	return v;
}

struct vault *vault_open_mem(const char *name, const unsigned char *buf, size_t len, struct err *e)
{
	struct vault *v;
	struct hdr h;

	if (hdr_parse(buf, len, name, &h, e) < 0)
		return NULL;
	v = vault_new(name);
	v->exists = 1;
	v->file = xmalloc(len);
	memcpy(v->file, buf, len);
	v->file_len = len;
	v->ops = h.ops;
	v->mem = h.mem;
	memcpy(v->salt, h.salt, SALT_BYTES);
	return v;
}

static char *user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw != NULL ? xstrdup(pw->pw_name) : xasprintf("%u", (unsigned)uid);
}

/* ssh's rule for the directory: ours (or root's) and not writable by others. */
static int check_dir(const char *path, struct err *e)
{
	char *copy = xstrdup(path), *dir = dirname(copy), *me;
	struct stat st;
	int rc = 0;

	if (stat(dir, &st) < 0) {
		free(copy);
		return 0; /* created 0700 on save */
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		me = user_name(geteuid());
		err_set(e, ERR_IO, _("directory %s is owned by another user (uid %u)"), dir,
		        (unsigned)st.st_uid);
		err_hint(e, _("Run: chown %s %s"), me, dir);
		free(me);
		rc = -1;
	} else if ((st.st_mode & 022) != 0) {
		err_set(e, ERR_IO, _("directory %s is writable by group or others (mode %04o)"),
		        dir, (unsigned)(st.st_mode & 07777));
		err_hint(e, _("Run: chmod 700 %s"), dir);
		rc = -1;
	}
	free(copy);
	return rc;
}

/* ssh's rule for the file, on the opened descriptor (no race with a rename). */
static int check_file(int fd, const char *path, struct err *e)
{
	struct stat st;
	char *me;

	if (fstat(fd, &st) < 0)
		return err_set(e, ERR_IO, _("cannot stat %s: %s"), path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err_set(e, ERR_IO, _("%s is not a regular file"), path);
	if (st.st_uid != geteuid()) {
		me = user_name(geteuid());
		err_set(e, ERR_IO, _("%s is owned by another user (uid %u); refusing to use it"),
		        path, (unsigned)st.st_uid);
		err_hint(e, _("If it is yours, run: chown %s %s"), me, path);
		free(me);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		err_set(e, ERR_IO,
		        _("permissions %04o for %s are too open: others could read your keys"),
		        (unsigned)(st.st_mode & 07777), path);
		return err_hint(e, _("Run: chmod 600 %s"), path);
	}
	if (st.st_size > VAULT_MAX_FILE)
		return err_set(e, ERR_PARSE, _("%s is too large to be a credentials file"), path);
	return 0;
}

static int read_fd(int fd, const char *path, unsigned char **out, size_t *len, struct err *e)
{
	size_t cap = 4096, n = 0;
	unsigned char *buf = xmalloc(cap);

	for (;;) {
		ssize_t r;
		if (n == cap) {
			if (cap >= VAULT_MAX_FILE) {
				free(buf);
				return err_set(e, ERR_PARSE,
				               _("%s is too large to be a credentials file"), path);
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return err_set(e, ERR_IO, _("cannot read %s: %s"), path, strerror(errno));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	return 0;
}

struct vault *vault_open(const char *path, struct err *e)
{
	char *def = path == NULL ? vault_default_path() : NULL;
	struct vault *v = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	int fd;

	if (path == NULL)
		path = def;
	vault_no_core_dumps();
	if (check_dir(path, e) < 0)
		goto out;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		v = vault_new(path);
		goto out;
	}
	if (fd < 0) {
		err_set(e, ERR_IO,
		        errno == ELOOP ? _("%s is a symbolic link; refusing to follow it")
		                       : _("cannot open %s: %s"),
		        path, strerror(errno));
		goto out;
	}
	if (check_file(fd, path, e) == 0 && read_fd(fd, path, &buf, &len, e) == 0)
		v = vault_open_mem(path, buf, len, e);
	close(fd);
out:
	free(buf);
	free(def);
	return v;
}

int vault_exists(const struct vault *v)
{
	return v->exists;
}

const char *vault_path(const struct vault *v)
{
	return v->path;
}

void vault_header_info(const struct vault *v, uint64_t *ops, uint64_t *mem, unsigned char salt[16])
{
	*ops = v->exists ? v->ops : 0;
	*mem = v->exists ? v->mem : 0;
	if (v->exists)
		memcpy(salt, v->salt, SALT_BYTES);
	else
		memset(salt, 0, SALT_BYTES);
}

static int preset_from_env(const struct kdf_preset **p, struct err *e)
{
	const char *want = getenv("CHLINK_VAULT_KDF");

	*p = &presets[0];
	if (want == NULL || *want == '\0')
		return 0;
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
		if (strcmp(want, presets[i].name) == 0) {
			*p = &presets[i];
			return 0;
		}
	err_set(e, ERR_USAGE, _("CHLINK_VAULT_KDF=%.32s is not one of moderate, interactive, min"),
	        want);
	return -1;
}

int vault_needs_rekey(const struct vault *v)
{
	const struct kdf_preset *p;

	if (!v->exists || preset_from_env(&p, NULL) < 0)
		return 0;
	return v->ops < p->ops || v->mem < p->mem;
}

static int derive(unsigned char *key, const char *pass, size_t len, const unsigned char *salt,
                  uint64_t ops, uint64_t mem)
{
	return crypto_pwhash(key, KEY_BYTES, pass, len, salt, ops, (size_t)mem,
	                     crypto_pwhash_ALG_ARGON2ID13);
}

/* A new key for writing: fresh salt, limits from CHLINK_VAULT_KDF, the
 * minisign fallback to INTERACTIVE when memory is short. */
static int new_key(const char *pass, size_t len, unsigned char *key, unsigned char *salt,
                   uint64_t *ops, uint64_t *mem, struct err *e)
{
	const struct kdf_preset *p;

	if (len == 0)
		return err_set(e, ERR_USAGE, _("an empty passphrase is not allowed"));
	if (preset_from_env(&p, e) < 0)
		return -1;
	randombytes_buf(salt, SALT_BYTES);
	*ops = p->ops;
	*mem = p->mem;
	if (derive(key, pass, len, salt, *ops, *mem) == 0)
		return 0;
	*ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	*mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	if (p->mem > *mem && derive(key, pass, len, salt, *ops, *mem) == 0)
		return 0;
	return err_set(e, ERR_CRYPTO, _("not enough memory to derive the key"));
}

/* Decrypt `file` (already checked by hdr_parse) into secure memory. */
static char *decrypt(const unsigned char *file, size_t len, const unsigned char *key,
                     const char *name, size_t *plen, struct err *e)
{
	struct hdr h;
	unsigned long long n;
	char *plain;

	if (hdr_parse(file, len, name, &h, e) < 0)
		return NULL;
	plain = creds_sec_alloc(h.ct_len - TAG_BYTES + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)plain, &n, NULL, h.ct,
	                                               h.ct_len, file, VAULT_HEADER_SIZE, h.nonce,
	                                               key) != 0) {
		creds_sec_free(plain);
		err_set(e, ERR_CRYPTO, _("wrong passphrase or damaged file (%s)"), name);
		err_hint(e, "%s", _("Nothing was changed. Check the passphrase and try again."));
		return NULL;
	}
	plain[n] = '\0';
	*plen = (size_t)n;
	return plain;
}

int vault_unlock(struct vault *v, const char *pass, size_t len, struct err *e)
{
	size_t plen;
	char *plain;
	int rc;

	if (v->unlocked)
		return 0;
	if (len == 0)
		return err_set(e, ERR_USAGE, _("an empty passphrase is not allowed"));
	v->key = creds_sec_alloc(KEY_BYTES);
	if (!v->exists) {
		if (new_key(pass, len, v->key, v->salt, &v->ops, &v->mem, e) < 0)
			goto fail;
		v->unlocked = 1;
		return 0;
	}
	if (derive(v->key, pass, len, v->salt, v->ops, v->mem) < 0) {
		err_set(e, ERR_CRYPTO, _("not enough memory to derive the key of %s (%llu MiB)"),
		        v->path, (unsigned long long)(v->mem >> 20));
		goto fail;
	}
	plain = decrypt(v->file, v->file_len, v->key, v->path, &plen, e);
	if (plain == NULL)
		goto fail;
	rc = vault_load_plain(v, plain, plen, e);
	creds_sec_free(plain);
	if (rc == 0)
		return 0;
	err_wrap(e, "%s", v->path);
fail:
	creds_sec_free(v->key);
	v->key = NULL;
	v->unlocked = 0;
	return -1;
}

/* Encrypt the profiles under `key` into a new file image (ordinary memory: ciphertext only). */
static unsigned char *seal(const struct vault *v, const unsigned char *key,
                           const unsigned char *salt, uint64_t ops, uint64_t mem, size_t *out_len)
{
	size_t plen, len;
	char *plain = vault_store_json(v, &plen);
	unsigned char *b;

	len = VAULT_HEADER_SIZE + plen + TAG_BYTES;
	b = xcalloc(1, len);
	memcpy(b, VAULT_MAGIC, 8);
	b[OFF_VERSION] = VAULT_VERSION;
	b[OFF_KDF] = KDF_ARGON2ID13;
	b[OFF_AEAD] = AEAD_XCHACHA20POLY1305_IETF;
	put_le(b + OFF_OPS, ops, 8);
	put_le(b + OFF_MEM, mem, 8);
	memcpy(b + OFF_SALT, salt, SALT_BYTES);
	randombytes_buf(b + OFF_NONCE, NONCE_BYTES);
	put_le(b + OFF_CTLEN, plen + TAG_BYTES, 4);
	crypto_aead_xchacha20poly1305_ietf_encrypt(b + VAULT_HEADER_SIZE, NULL,
	                                           (const unsigned char *)plain, plen, b,
	                                           VAULT_HEADER_SIZE, NULL, b + OFF_NONCE, key);
	creds_sec_free(plain);
	*out_len = len;
	return b;
}

/* The file on disk must be exactly what we wrote and must decrypt with our key. */
static int verify(const char *path, const unsigned char *img, size_t len, const unsigned char *key,
                  struct err *e)
{
	char *disk = NULL, *plain;
	size_t dlen = 0, plen;
	int ok;

	if (fs_read_all(path, VAULT_MAX_FILE, &disk, &dlen, e) < 0)
		return -1;
	ok = dlen == len && memcmp(disk, img, len) == 0;
	plain = ok ? decrypt((unsigned char *)disk, dlen, key, path, &plen, e) : NULL;
	free(disk);
	if (plain == NULL)
		return err_set(e, ERR_IO, _("%s did not read back as written"), path);
	creds_sec_free(plain);
	return 0;
}

static char *dir_of(const char *path)
{
	char *copy = xstrdup(path);
	char *d = xstrdup(dirname(copy));

	free(copy);
	return d;
}

/* Keep the current file as FILE.bak (a hard link, or a 0600 copy). 1 = made, 0 = none, -1 = error.
 */
static int make_backup(const struct vault *v, const char *bak, struct err *e)
{
	struct stat st;

	if (lstat(v->path, &st) < 0)
		return 0;
	if (unlink(bak) < 0 && errno != ENOENT)
		return err_set(e, ERR_IO, _("cannot remove %s: %s"), bak, strerror(errno));
	if (link(v->path, bak) == 0)
		return 1;
	if (v->file == NULL)
		return 0;
	if (fs_write_atomic(bak, v->file, v->file_len, 0600, e) < 0)
		return -1;
	return 1;
}

/*
 * Refuse to overwrite changes made by another chlink since we opened the
 * file (the wizard and the CLI may run side by side): a lost update of a
 * credentials file is worse than asking the user to run the command again.
 */
static int unchanged_on_disk(const struct vault *v, struct err *e)
{
	char *disk = NULL;
	size_t len = 0;
	struct err e2;
	int same;

	if (fs_read_all(v->path, VAULT_MAX_FILE, &disk, &len, &e2) < 0)
		return 0; /* gone or unreadable: writing a new one is right */
	same = v->file != NULL && len == v->file_len && memcmp(disk, v->file, len) == 0;
	free(disk);
	if (same)
		return 0;
	err_set(e, ERR_CONFLICT, _("%s was changed by another program since it was opened"),
	        v->path);
	return err_hint(e, "%s", _("Nothing was written; run the command again."));
}

static int write_image(struct vault *v, unsigned char *img, size_t len, const unsigned char *key,
                       struct err *e)
{
	char *dir = dir_of(v->path), *bak = xasprintf("%s.bak", v->path);
	int made, rc = -1;

	if (fs_mkdir_p(dir, 0700, e) < 0 || unchanged_on_disk(v, e) < 0)
		goto out;
	made = make_backup(v, bak, e);
	if (made < 0)
		goto out;
	if (fs_write_atomic(v->path, img, len, 0600, e) < 0) {
		if (made)
			unlink(bak); /* the old file is still in place */
		goto out;
	}
	if (verify(v->path, img, len, key, e) < 0) {
		if (made && rename(bak, v->path) == 0)
			err_hint(e, _("The previous version was put back."));
		goto out;
	}
	if (made)
		unlink(bak);
	rc = 0;
out:
	free(dir);
	free(bak);
	return rc;
}

int vault_save(struct vault *v, const char *newpass, size_t len, struct err *e)
{
	unsigned char salt[SALT_BYTES], *key, *img;
	uint64_t ops = v->ops, mem = v->mem;
	size_t img_len;

	if (!v->unlocked || v->key == NULL)
		return err_set(e, ERR_INTERNAL, _("the credentials file is locked"));
	key = creds_sec_alloc(KEY_BYTES);
	memcpy(salt, v->salt, SALT_BYTES);
	if (newpass != NULL) {
		if (new_key(newpass, len, key, salt, &ops, &mem, e) < 0) {
			creds_sec_free(key);
			return -1;
		}
	} else {
		memcpy(key, v->key, KEY_BYTES);
	}
	img = seal(v, key, salt, ops, mem, &img_len);
	if (write_image(v, img, img_len, key, e) < 0) {
		free(img);
		creds_sec_free(key);
		return -1;
	}
	/* Only now does the vault take on the new key and image. */
	creds_sec_free(v->key);
	v->key = key;
	memcpy(v->salt, salt, SALT_BYTES);
	v->ops = ops;
	v->mem = mem;
	free(v->file);
	v->file = img;
	v->file_len = img_len;
	v->exists = 1;
	return 0;
}

void vault_close(struct vault *v)
{
	if (v == NULL)
		return;
	vault_store_clear(v);
	creds_sec_free(v->key);
	free(v->file);
	free(v->path);
	free(v);
}
