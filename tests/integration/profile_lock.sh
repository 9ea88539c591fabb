#!/bin/bash
# profile_lock: one chlink at a time changes a profile. While an apply provably holds
# the profile (its endpoint waits on a 10 min long-running operation, and it is then
# stopped with SIGSTOP so it cannot write either), a second apply, a teardown and a
# creds change fail at once naming it, and leave the profile as it was; status still
# works, on a private copy. kill -9 releases the lock: the next apply goes on.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

sim_faults() {
	curl -fsS -X POST -H 'Content-Type: application/json' -d "$1" "$base/_sim/faults" -o /dev/null
}
dir="$XDG_STATE_HOME/chlink"
profile="$dir/default.json" lockfile="$dir/default.lock"
sum() { sha256sum "$profile" 2>/dev/null | cut -d' ' -f1; }

check "long-running operations now last 10 min" sim_faults '{"lro_ms": 600000}'
run_exec apply --yes --timeout 600 "${answers[@]}" >"$work/holder.out" 2>&1 &
holder=$!
holding() { [ "$(n_endpoints)" = 1 ] && grep -qx "$holder apply" "$lockfile" 2>/dev/null; }
if wait_until 60 holding; then
	ok "the first apply holds the profile and waits on its endpoint"
else
	not_ok "the first apply holds the profile and waits on its endpoint"
	diag "lock file: $(cat "$lockfile" 2>&1)" "$(tail -5 "$work/holder.out")"
	kill -9 "$holder" 2>/dev/null
	done_testing
fi
kill -STOP "$holder"
before=$(sum)
check "the profile was saved by the holder" test -n "$before"

t0=$(date +%s)
timeout 60 "$chlink" "${common[@]}" apply --yes --timeout 600 "${answers[@]}" \
	>"$work/second.out" 2>"$work/second.err"
rc=$?
took=$(($(date +%s) - t0))
expect_eq "a second apply fails" 1 "$rc"
check "... at once (${took} s), not after the holder" test "$took" -lt 30
expect_match "... naming the holder's command and pid" \
	"the profile \"default\" is in use by chlink apply \\(pid $holder\\)" "$(cat "$work/second.err")"
expect_match "... and saying what to do" "only one chlink at a time may change a profile" \
	"$(cat "$work/second.err")"
expect_eq "... and leaves the profile untouched" "$before" "$(sum)"

run teardown --yes >"$work/teardown.out" 2>&1
expect_eq "teardown is refused too" 1 "$?"
expect_match "... with the same reason" "in use by chlink apply \\(pid $holder\\)" \
	"$(cat "$work/teardown.out")"
run creds forget --yes >"$work/creds.out" 2>&1
expect_eq "a creds change is refused too" 1 "$?"
expect_match "... with the same reason" "in use by chlink apply \\(pid $holder\\)" \
	"$(cat "$work/creds.out")"

run status --json >"$work/status.json" 2>"$work/status.err"
rc=$?
check "status still works meanwhile (exit $rc)" test "$rc" = 0 -o "$rc" = 3
check "... and prints its JSON" sh -c 'jq -e .steps "$1" >/dev/null' _ "$work/status.json"
expect_match "... saying it shows the profile as last saved" \
	"in use by chlink apply \\(pid $holder\\): showing the profile as it was last saved" \
	"$(cat "$work/status.err")"
expect_eq "... without writing to it" "$before" "$(sum)"
leftover=$(find "$TMPDIR" -maxdepth 1 -name 'chlink-snapshot.*' | wc -l)
expect_eq "... nor leaving its private copy behind" 0 "$leftover"

kill -9 "$holder"
wait "$holder" 2>/dev/null
check "long-running operations are short again" sim_faults '{"lro_ms": 1500}'
# the endpoint's own operation ends once the simulated clock has moved on 10 min
check "the simulated clock moves on 10 min" curl -fsS -X POST -H 'Content-Type: application/json' \
	-d '{"advance_ms": 600000}' "$base/_sim/clock" -o /dev/null
run apply --yes --timeout 120 "${answers[@]}" >"$work/after.out" 2>&1
rc=$?
expect_eq "after kill -9 of the holder, apply takes the profile and completes" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -10 "$work/after.out")"
check "... and changes it" test "$(sum)" != "$before"
check "the lock file names no holder once apply has ended" test ! -s "$lockfile"
done_testing
