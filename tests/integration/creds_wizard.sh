#!/bin/bash
# creds_wizard: the real chlink against chlink-sim tests the keys in both forms.
# `chlink creds test` reports what each key can do; in the wizard the test runs on
# the event loop, so while the simulator holds the answers the screen says so and
# still answers keys (help opens), then shows the report. Nothing secret is shown.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"
export CHLINK_VAULT_KDF=min # tests only: the real default is MODERATE

PASS='pass-SECRET-4e1d77'
pf="$TMPDIR/pass"; printf '%s\n' "$PASS" >"$pf"; chmod 600 "$pf"
run creds set --from-env --passphrase-file "$pf" >"$work/set.out" 2>&1
expect_eq "creds set --from-env exits 0" 0 $?

run creds test --passphrase-file "$pf" >"$work/test.out" 2>&1
expect_eq "creds test exits 0 with the simulator's admin key" 0 $?
expect_match "it names the Admin role" 'Admin role' "$(cat "$work/test.out")"
expect_match "and the reachable subscription" "$AZURE_SUBSCRIPTION_ID is reachable" \
	"$(cat "$work/test.out")"

# The wizard, keys from the vault only (no environment), the first two answers held 5 s (the two probes start together).
keys="$work/unlock.keys"
cat >"$keys" <<KEYS
wait-for Welcome
Enter
wait-for Vault passphrase
type $PASS
Enter
wait-for Testing the keys
dump 01-testing
F1
wait-for closes this help
dump 02-help-while-testing
Esc
wait-for Admin role
dump 03-report
F10
KEYS
curl -sS -X POST -d '{"ms": 5000, "count": 2}' "$base/_sim/hold" >/dev/null
mkdir -p "$work/dumps"
env -u KEY_ID -u KEY_SECRET -u ORG_ID -u AZURE_TENANT_ID -u AZURE_CLIENT_ID \
	-u AZURE_CLIENT_SECRET -u AZURE_SUBSCRIPTION_ID \
	"$chlink" "${common[@]}" --script "$keys" --dump-dir "$work/dumps" \
	>"$work/wiz.out" 2>"$work/wiz.err"
expect_eq "the wizard script runs to the end" 0 $?
d="$work/dumps"
expect_match "while the answers are held the screen says the keys are being tested" \
	'Testing the keys' "$(cat "$d/01-testing.txt" 2>/dev/null)"
expect_match "and F1 opens the help meanwhile" "Admin role .managing" \
	"$(cat "$d/02-help-while-testing.txt" 2>/dev/null)"
check "the report was not there yet when help opened" \
	bash -c "! grep -q 'key works' '$d/02-help-while-testing.txt'"
expect_match "then the report: the key has the Admin role" 'Admin role' \
	"$(cat "$d/03-report.txt" 2>/dev/null)"
expect_match "and the subscription is reachable" 'is reachable' \
	"$(cat "$d/03-report.txt" 2>/dev/null)"
check "the passphrase and the secrets appear nowhere" bash -c \
	"! grep -rqF -e '$PASS' -e '$KEY_SECRET' -e '$AZURE_CLIENT_SECRET' '$d' '$work/wiz.out' '$work/wiz.err' '$work/test.out'"
done_testing
