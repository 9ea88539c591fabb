#!/bin/bash
# net_faults: the real chlink against the real chlink-sim under each fault
# class of issue 4 — latency, 5xx, a 429 storm, resets, truncated, malformed
# and slow bodies, and an Azure token that expires in the middle of a flow.
# Reads must come through (retried); a bad body must end in a clear message;
# no secret may reach any output or the debug log.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

faults() { curl -sS -X POST "$base/_sim/faults" -d "$1" >/dev/null; }
clear_faults() {
	faults '{"latency_ms":0,"jitter_ms":0,"error_rate":{},"storm_429":0,"reset_rate":0,
		"truncate_rate":0,"malformed_rate":0,"slow_body_ms":0}'
}
n_status() { curl -sS "$base/_sim/log" | jq --argjson s "$1" '[.requests[] | select(.status == $s)] | length'; }
log="$work/debug.log"
out="$work/out"
status_json() { run --log "$log" status --json "${answers[@]}" >"$out.json" 2>"$out.err"; }

# A baseline to compare with: the same observation without faults.
status_json
expect_eq "baseline status is incomplete (nothing set up yet)" 3 "$?"
baseline=$(jq -c '[.steps[] | {id, state}]' "$out.json")

faults '{"latency_ms":150,"jitter_ms":50}'
status_json
expect_eq "latency: status still answers" 3 "$?"
expect_eq "latency: same observation" "$baseline" "$(jq -c '[.steps[] | {id, state}]' "$out.json")"
clear_faults

curl -sS -X POST "$base/_sim/log/clear" >/dev/null
faults '{"error_rate":{"chc":0.4,"arm":0.4},"error_status":503}'
status_json
expect_eq "5xx: reads are retried until they succeed" 3 "$?"
expect_eq "5xx: same observation" "$baseline" "$(jq -c '[.steps[] | {id, state}]' "$out.json")"
check "5xx: the simulator did answer 503 at least once" test "$(n_status 503)" -gt 0
clear_faults

curl -sS -X POST "$base/_sim/log/clear" >/dev/null
faults '{"storm_429":4}'
status_json
expect_eq "429 storm: status comes through" 3 "$?"
expect_eq "429 storm: exactly the storm's 429s, none provoked by chlink" 4 "$(n_status 429)"
clear_faults

faults '{"reset_rate":0.3,"truncate_rate":0.3}'
status_json
expect_eq "resets and truncated bodies: reads are retried" 3 "$?"
expect_eq "resets and truncated bodies: same observation" "$baseline" \
	"$(jq -c '[.steps[] | {id, state}]' "$out.json")"
clear_faults

faults '{"slow_body_ms":1500}'
status_json
expect_eq "slow bodies: status waits for them" 3 "$?"
clear_faults

faults '{"malformed_rate":1}'
status_json
rc=$?
# Nothing can be observed, so nothing is claimed: incomplete, with the reason per step.
expect_eq "malformed JSON: status says incomplete, does not crash" 3 "$rc"
expect_match "malformed JSON: the steps say the answer was not understood" "JSON|json|parse" \
	"$(jq -r '.steps[].detail' "$out.json" 2>&1; cat "$out.err")"
expect_eq "malformed JSON: nothing is reported done" "" \
	"$(jq -r '.steps[] | select(.state == "done") | .id' "$out.json")"
clear_faults

# An Azure token that lives 2 s while creating takes longer: refreshed on 401, once.
faults '{"token_lifetime_s":2,"lro_ms":4000}'
run --log "$log" apply --yes --timeout 180 "${answers[@]}" >"$out.apply" 2>&1
rc=$?
expect_eq "token expiry mid-flow: apply completes" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -8 "$out.apply")"
check "token expiry mid-flow: a new token was fetched" \
	test "$(curl -sS "$base/_sim/log" | jq '[.requests[] | select(.api == "entra")] | length')" -gt 1
faults '{"token_lifetime_s":3599,"lro_ms":1500}'
run teardown --yes >/dev/null 2>&1

# No secret in anything chlink printed or logged.
secrets=("$KEY_SECRET" "$AZURE_CLIENT_SECRET" "$token")
leak=0
for s in "${secrets[@]}"; do
	if grep -rqF -- "$s" "$work"/out* "$log" 2>/dev/null; then leak=1; diag "a secret leaked"; fi
done
expect_eq "no secret in stdout, stderr or the debug log" 0 "$leak"
check "the debug log has lines" test -s "$log"
done_testing
