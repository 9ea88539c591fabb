#!/bin/bash
# creds_commands: every `chlink creds` subcommand end to end through the test
# driver: answers from stdin, passwd rotation, forget, path, exit codes.
source "$top_srcdir/tests/lib.sh"
D="$builddir/tests/unit/creds_driver"
export CHLINK_VAULT_KDF=min # tests only: the real default is MODERATE
vault="$XDG_CONFIG_HOME/chlink/credentials"
pf="$TMPDIR/pass"; printf 'first pass\n' >"$pf"; chmod 600 "$pf"
npf="$TMPDIR/newpass"; printf 'second pass\n' >"$npf"; chmod 600 "$npf"
o="$TMPDIR/o"; mkdir -p "$o"
ops_of() { od -An -tu1 -j12 -N1 "$1" | tr -d ' '; }

expect_eq "path prints the XDG location" "$vault" "$("$D" path)"
expect_eq "--vault overrides it" "/x/y" "$("$D" path --vault /x/y)"

"$D" show --passphrase-file "$pf" >/dev/null 2>"$o/err"
expect_eq "show without a vault exits 1" 1 $?
expect_match "and says how to create one" 'chlink creds set' "$(cat "$o/err")"

# stdin answers: key ID, key secret, org, tenant, subscription, client ID, client secret
printf 'kid\nksecret-0123456789\norg\ntenant\nsub\ncid\ncsecret-abcdefghij\n' |
	"$D" set --profile work --passphrase-file "$pf" >"$o/set" 2>&1
expect_eq "set from stdin exits 0" 0 $?
"$D" show --profile work --passphrase-file "$pf" >"$o/show" 2>&1
show=$(cat "$o/show")
expect_match "answers land in their fields (org)" 'Organization ID +org$' "$show"
expect_match "answers land in their fields (subscription)" 'Azure subscription ID +sub$' "$show"
expect_match "a client secret means a service principal" 'Azure sign-in +service principal' "$show"
expect_match "client ID shown" 'Azure client ID +cid$' "$show"

# an empty answer keeps the stored value; a short input keeps the rest
printf '\nnew-secret-999999999\n' | "$D" set --profile work --passphrase-file "$pf" >/dev/null 2>&1
"$D" show --profile work --passphrase-file "$pf" >"$o/show2" 2>&1
expect_match "empty answer kept the key ID" 'ClickHouse key ID +kid$' "$(cat "$o/show2")"
expect_match "new secret stored" '9999$' "$(grep 'key secret' "$o/show2")"

"$D" set --from-env --passphrase-file "$pf" >/dev/null 2>"$o/err"
expect_eq "--from-env without KEY_ID/KEY_SECRET exits 1" 1 $?
expect_match "and names the variables" 'KEY_ID and KEY_SECRET' "$(cat "$o/err")"
KEY_ID=k2 KEY_SECRET=s2-aaaaaaaaaaaa CHLINK_PASSPHRASE="first pass" "$D" set --from-env >/dev/null 2>&1
expect_eq "CHLINK_PASSPHRASE is honoured" 0 $?
"$D" show --passphrase-file "$pf" >"$o/show3" 2>&1
expect_match "no client secret means the az CLI login" 'Azure sign-in +az CLI login' "$(cat "$o/show3")"

chmod 644 "$pf"
"$D" show --passphrase-file "$pf" >/dev/null 2>"$o/err"
expect_eq "a 0644 passphrase file is refused" 1 $?
expect_match "with the chmod fix" "chmod 600 $pf" "$(cat "$o/err")"
chmod 600 "$pf"

# passwd: the old passphrase stops working, the new one works, profiles survive
"$D" passwd --passphrase-file "$pf" --new-passphrase-file "$npf" >/dev/null 2>&1
expect_eq "passwd exits 0" 0 $?
"$D" show --passphrase-file "$pf" >/dev/null 2>&1
expect_eq "old passphrase now fails" 1 $?
"$D" show --profile work --passphrase-file "$npf" >/dev/null 2>&1
expect_eq "new passphrase opens it" 0 $?

# a file written with weaker limits is re-keyed on the next save
expect_eq "written with the test preset (ops 1)" 1 "$(ops_of "$vault")"
printf '\n' | CHLINK_VAULT_KDF=interactive "$D" set --profile work --passphrase-file "$npf" >/dev/null 2>&1
expect_eq "re-keyed to the interactive preset (ops 2)" 2 "$(ops_of "$vault")"
"$D" show --profile work --passphrase-file "$npf" >/dev/null 2>&1
expect_eq "and still opens with the same passphrase" 0 $?

# forget one profile, then everything
"$D" forget --profile work --passphrase-file "$npf" >/dev/null 2>&1
expect_eq "forget exits 0" 0 $?
"$D" show --profile work --passphrase-file "$npf" >/dev/null 2>"$o/err"
expect_eq "forgotten profile is gone" 1 $?
expect_match "and the error names it" 'no profile "work"' "$(cat "$o/err")"
"$D" show --passphrase-file "$npf" >/dev/null 2>&1
expect_eq "the other profile remains" 0 $?
"$D" forget --all >/dev/null 2>&1 </dev/null
expect_eq "forget --all with no terminal and no --yes exits 1" 1 $?
check "and deletes nothing" test -f "$vault"
"$D" forget --all --yes >/dev/null 2>&1
check "forget --all --yes deletes the file" test ! -e "$vault"

# usage errors exit 2
for args in "" "bogus" "show --nope" "show --profile" "show --profile ../x" "set --all=1"; do
	"$D" $args >/dev/null 2>&1
	expect_eq "usage error exits 2: '$args'" 2 $?
done
done_testing
