/*
 * vault: the credentials file, encrypted at rest with libsodium.
 *
 * File format, version 1 (little-endian; every byte before the ciphertext is
 * authenticated as associated data, so tampering with the KDF limits or the
 * version is detected):
 *
 *   offset  size  field
 *        0     8  magic "CHLVAULT"
 *        8     1  format version = 1
 *        9     1  KDF id = 1 (Argon2id v1.3, crypto_pwhash)
 *       10     1  AEAD id = 1 (XChaCha20-Poly1305-IETF)
 *       11     1  reserved = 0
 *       12     8  opslimit (u64)
 *       20     8  memlimit (u64, bytes)
 *       28    16  salt
 *       44    24  nonce (random for every save)
 *       68     4  ciphertext length N (u32, includes the 16-byte tag)
 *       72     N  ciphertext + tag
 *
 * Plaintext: {"v":1,"profiles":{"NAME":{"key_id":..,"key_secret":..,
 * "org_id":..,"tenant_id":..,"client_id":..,"client_secret":..,
 * "subscription_id":..,"az_use_cli":false}}}, only ever in sodium_malloc
 * memory. The key is derived from the passphrase with crypto_pwhash
 * (Argon2id) and the limits recorded in the header; on read the limits are
 * bounded (ops 1..10, memory 8 KiB..1 GiB) before anything is derived, so
 * a crafted file cannot demand gigabytes.
 *
 * Default limits: libsodium's MODERATE (ops 3, 256 MiB), which unlocks in
 * about 0.5-0.7 s on the reference machine (2 cores): inside the 0.3-1 s
 * goal, and each guess costs an attacker 256 MiB. CHLINK_VAULT_KDF selects
 * another preset for new or re-encrypted files: "moderate" (default),
 * "interactive" (ops 2, 64 MiB; small containers and CI), "min" (ops 1,
 * 8 KiB: TESTS ONLY, offers no protection). When memory for MODERATE cannot
 * be had, saving falls back to INTERACTIVE (as minisign does).
 */
#ifndef CHLINK_VAULT_H
#define CHLINK_VAULT_H

#include <stddef.h>
#include <stdint.h>
#include "creds.h"
#include "err.h"

#define VAULT_MAGIC        "CHLVAULT"
#define VAULT_VERSION      1
#define VAULT_HEADER_SIZE  72 /* bytes before the ciphertext */
#define VAULT_MAX_FILE     (1024 * 1024)
#define VAULT_MAX_OPSLIMIT 10ULL
#define VAULT_MAX_MEMLIMIT (1024ULL * 1024 * 1024)
#define VAULT_PROFILE_MAX  64 /* bytes in a profile name */

struct vault;

/* $XDG_CONFIG_HOME/chlink/credentials (newly allocated). */
char *vault_default_path(void);

/*
 * Open the vault at `path` (NULL: the default path) and check it without
 * the passphrase: the directory must not be writable by group or others,
 * the file must be a regular file owned by the user with no group/other
 * permission bits (ssh's rule); otherwise it is refused with the chmod fix
 * as hint. A missing file is an empty vault. A truncated, foreign, unknown
 * version or crafted file is refused here, naming the file. Also turns core
 * dumps off for the rest of the process (secrets will be in memory).
 */
struct vault *vault_open(const char *path, struct err *e);

/* Like vault_open on bytes already in memory (`name` is used in messages). */
struct vault *vault_open_mem(const char *name, const unsigned char *buf, size_t len, struct err *e);

/* Whether the file existed (and so has a passphrase already). */
int vault_exists(const struct vault *v);
const char *vault_path(const struct vault *v);

/*
 * Derive the key and decrypt. For a vault with no file this sets the
 * passphrase the next vault_save will use (fresh salt, default limits).
 * Wrong passphrase or any tampering: ERR_CRYPTO "wrong passphrase or
 * damaged file (FILE)". The caller wipes its copy of `pass`.
 */
int vault_unlock(struct vault *v, const char *pass, size_t len, struct err *e);

/* Profiles (after vault_unlock). Names are sorted as stored. */
size_t vault_count(const struct vault *v);
const char *vault_profile_name(const struct vault *v, size_t i);
/* The profile's credentials, owned by the vault (every string non-NULL), or NULL. */
const struct creds *vault_get(const struct vault *v, const char *profile);
/* Store a copy of `c` in secure memory, replacing any profile of that name. */
int vault_put(struct vault *v, const char *profile, const struct creds *c, struct err *e);
/* Remove a profile; ERR_NOTFOUND when there is none. */
int vault_forget(struct vault *v, const char *profile, struct err *e);
/* Profile names: 1..64 bytes of [A-Za-z0-9._-], not starting with '.'. */
int vault_profile_name_ok(const char *name);

/*
 * Encrypt and write the vault. With `newpass` (len bytes) the file is
 * re-keyed under it with a fresh salt and the current default limits;
 * with NULL the unlock key is reused with a fresh nonce. The directory is
 * created 0700; the previous file is kept as FILE.bak (0600), the new one
 * written by temp + fsync + rename + directory fsync, read back and
 * decrypted, and only then is FILE.bak removed. On failure the old file is
 * left (or put back) in place. If another program changed the file since
 * vault_open, nothing is written (ERR_CONFLICT).
 */
int vault_save(struct vault *v, const char *newpass, size_t len, struct err *e);

/*
 * Whether the file's KDF limits are weaker than the ones a save with a new
 * passphrase would pick now (crypto_pwhash_str_needs_rehash's idea): callers
 * that hold the passphrase then pass it to vault_save to re-key.
 */
int vault_needs_rekey(const struct vault *v);

/* Wipe and free everything; NULL is fine. */
void vault_close(struct vault *v);

/* Turn core dumps off (RLIMIT_CORE 0, PR_SET_DUMPABLE 0); idempotent. */
void vault_no_core_dumps(void);

/* For tests and fuzzing: load a plaintext JSON document into an unlocked-state vault. */
int vault_load_plain(struct vault *v, const char *json, size_t len, struct err *e);
/* For tests: the header fields of the opened file (0 when there is none). */
void vault_header_info(const struct vault *v, uint64_t *ops, uint64_t *mem, unsigned char salt[16]);

#endif
