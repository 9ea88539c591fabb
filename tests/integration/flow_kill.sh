#!/bin/bash
# flow_kill: kill -9 chlink at every step boundary of `apply` — right after it
# announces each step — then apply again; in the end the world holds exactly
# one endpoint, zone, record and link, and one registration of the id, in the
# organization and on the service's allow list.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

# Each run is killed right after it announces its first action (a progress
# line on stderr); the next run must pick up from there. Steps announce as
# they start: endpoint, DNS zone/record/link, organization, allow list.
action='^  (creating|pointing|linking|registering|adding)'
# Every answer takes 250 ms, so that the kill (polled every 50 ms) lands
# while the announced action is in flight, however fast the steps around it.
curl -sS -X POST -d '{"latency_ms":250}' "$base/_sim/faults" >/dev/null
kills=0
for i in 1 2 3 4 5 6 7 8; do
	: >"$work/kill.out"
	run_exec apply --yes --timeout 120 "${answers[@]}" >"$work/kill.out" 2>&1 &
	pid=$!
	acted() { grep -qE "$action" "$work/kill.out" || ! kill -0 "$pid" 2>/dev/null; }
	wait_until 60 acted
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
		diag "run $i killed after: $(grep -E "$action" "$work/kill.out" | head -1)"
	fi
	wait "$pid" 2>/dev/null
	grep -qE "$action" "$work/kill.out" || break # nothing left to do
done
check "apply was killed after each of at least five actions" test "$kills" -ge 5

run apply --yes --timeout 120 >"$work/final.out" 2>&1
rc=$?
expect_eq "apply after the kills completes" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -10 "$work/final.out")"
w=$(world)
expect_eq "one endpoint" 1 "$(jq '.azure.privateEndpoints | length' <<<"$w")"
expect_eq "one zone" 1 "$(jq '.azure.privateDnsZones | length' <<<"$w")"
expect_eq "one record set" 1 "$(jq '.azure.recordSets | length' <<<"$w")"
expect_eq "one VNet link" 1 "$(jq '.azure.virtualNetworkLinks | length' <<<"$w")"
guid=$(jq -r '.azure.privateEndpoints[0].properties.resourceGuid' <<<"$w")
expect_eq "the id is registered once in the organization" 1 \
	"$(jq --arg g "$guid" '[.clickhouse.organizations[0].privateEndpoints[] | select(.id == $g)] | length' <<<"$w")"
expect_eq "the id is on the service's allow list once" 1 \
	"$(jq --arg g "$guid" --arg s "$svc_id" '[.clickhouse.organizations[0].services[] | select(.id == $s) | .privateEndpointIds[] | select(. == $g)] | length' <<<"$w")"
run status >/dev/null 2>&1
expect_eq "status: everything done" 0 "$?"
done_testing
