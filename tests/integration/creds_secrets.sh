#!/bin/bash
# creds_secrets: `creds set/show/test` with known secrets; none of them may
# appear in stdout, stderr, a terminal capture or any file under HOME/XDG
# except (encrypted) in the vault; only the masked form is shown.
source "$top_srcdir/tests/lib.sh"
D="$builddir/tests/unit/creds_driver"
export CHLINK_VAULT_KDF=min # tests only: the real default is MODERATE
out="$TMPDIR/out"; mkdir -p "$out"
vault="$XDG_CONFIG_HOME/chlink/credentials"

KS='ks-SECRET-7f3a9c1e' AZS='az-SECRET-0d4e8b6a' PASS='pass-SECRET-55aa'
TTYKS='tty-SECRET-c0ffee42' TTYPASS='ttypass-SECRET-91'
pf="$TMPDIR/pass"; printf '%s\n' "$PASS" >"$pf"; chmod 600 "$pf"

KEY_ID=kid-visible KEY_SECRET=$KS ORG_ID=org-1 AZURE_TENANT_ID=tenant-1 \
AZURE_CLIENT_ID=client-1 AZURE_CLIENT_SECRET=$AZS AZURE_SUBSCRIPTION_ID=sub-1 \
	"$D" set --from-env --passphrase-file "$pf" >"$out/set.out" 2>"$out/set.err"
expect_eq "set --from-env exits 0" 0 $?
check "vault file is 0600" test "$(stat -c %a "$vault")" = 600
check "vault dir is 0700" test "$(stat -c %a "$(dirname "$vault")")" = 700

"$D" show --passphrase-file "$pf" >"$out/show.out" 2>"$out/show.err"
expect_eq "show exits 0" 0 $?
show=$(cat "$out/show.out")
expect_match "show prints the key ID" 'kid-visible' "$show"
expect_match "show masks the key secret to its last 4" '••••••••9c1e' "$show"
expect_match "show masks the client secret to its last 4" '••••••••8b6a' "$show"
LC_ALL=C "$D" show --passphrase-file "$pf" >"$out/show-c.out" 2>&1
expect_match "ASCII mask outside UTF-8" '\*\*\*\*\*\*\*\*9c1e' "$(cat "$out/show-c.out")"

CHLINK_DRIVER_FAKE_TEST=1 "$D" test --passphrase-file "$pf" >"$out/test.out" 2>"$out/test.err"
expect_eq "test (fake checker) exits 0" 0 $?
"$D" test --passphrase-file "$pf" >"$out/test2.out" 2>"$out/test2.err"
expect_eq "test without a checker exits 1" 1 $?
expect_match "and says why" 'not available in this build' "$(cat "$out/test2.err")"

# Wrong passphrase: exit 1, the message, the file untouched.
cp "$vault" "$TMPDIR/before"
CHLINK_PASSPHRASE=wrong "$D" show >"$out/wrong.out" 2>"$out/wrong.err"
expect_eq "wrong passphrase exits 1" 1 $?
expect_match "wrong passphrase message names the file" "wrong passphrase or damaged file \\($vault\\)" "$(cat "$out/wrong.err")"
check "wrong passphrase leaves the file untouched" cmp -s "$vault" "$TMPDIR/before"

# Tampered and too-open files.
cp "$vault" "$TMPDIR/t"; printf 'X' | dd of="$TMPDIR/t" bs=1 seek=8 conv=notrunc 2>/dev/null
chmod 600 "$TMPDIR/t"
"$D" show --vault "$TMPDIR/t" --passphrase-file "$pf" >/dev/null 2>"$out/tamper.err"
expect_eq "tampered version byte exits 1" 1 $?
expect_match "tampered file message names the file and the version" "$TMPDIR/t has format version 88" "$(cat "$out/tamper.err")"
chmod 644 "$vault"
"$D" show --passphrase-file "$pf" >/dev/null 2>"$out/perm.err"
expect_eq "a 0644 vault is refused" 1 $?
expect_match "with the chmod fix" "chmod 600 $vault" "$(cat "$out/perm.err")"
chmod 600 "$vault"
"$D" show --passphrase "$PASS" >/dev/null 2>"$out/argv.err"
expect_eq "a passphrase on the command line is a usage error" 2 $?

# Interactive set on a terminal: secrets typed with echo off.
if command -v python3 >/dev/null; then
	ttyvault="$TMPDIR/ttyvault/credentials"
	printf '%s\t%s\n' "New passphrase" "$TTYPASS" "Repeat the passphrase" "$TTYPASS" \
		"ClickHouse key ID" "tty-kid" "ClickHouse key secret" "$TTYKS" \
		"Organization ID" "org-t" "Azure tenant ID" "" "Azure subscription ID" "" \
		"Azure client ID" "" "Azure client secret" "" >"$TMPDIR/answers"
	python3 "$top_srcdir/tests/integration/creds_pty.py" "$out/tty.capture" "$TMPDIR/answers" \
		-- "$D" set --vault "$ttyvault" --profile tty 2>"$out/tty.err"
	expect_eq "interactive set on a terminal exits 0" 0 $?
	expect_match "terminal showed the prompts" 'ClickHouse key secret' "$(tr -d '\r' <"$out/tty.capture")"
	printf '%s\n' "$TTYPASS" >"$TMPDIR/ttypass"; chmod 600 "$TMPDIR/ttypass"
	"$D" show --vault "$ttyvault" --profile tty --passphrase-file "$TMPDIR/ttypass" >"$out/ttyshow.out" 2>&1
	expect_match "typed secret was stored (masked on show)" '••••••••ee42' "$(cat "$out/ttyshow.out")"
	mismatch="$TMPDIR/mismatch"
	printf '%s\t%s\n' "New passphrase" "one-pass" "Repeat the passphrase" "two-pass" >"$mismatch"
	python3 "$top_srcdir/tests/integration/creds_pty.py" "$out/tty2.capture" "$mismatch" \
		-- "$D" set --vault "$TMPDIR/ttyvault2/credentials" 2>/dev/null
	expect_eq "differing passphrases are refused" 1 $?
	check "and nothing is written" test ! -e "$TMPDIR/ttyvault2/credentials"
else
	skip "terminal capture (python3 not found)"
fi

# The proof: no secret anywhere but encrypted.
for s in "$KS" "$AZS" "$PASS" "$TTYKS" "$TTYPASS"; do
	hits=$(grep -rlF -- "$s" "$out" "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" \
		"$TMPDIR/ttyvault" 2>/dev/null)
	expect_eq "secret ${s%%-*}-… appears in no output, capture or file" "" "$hits"
done
done_testing
