#!/bin/bash
# flow_requests: how many requests chlink sends per flow, counted in
# chlink-sim's request log (a count, not a timing): a full `apply` from an
# empty world, `status` on the configured world, and `teardown`. Each budget
# is the minimum the flow needs (written down below, per API) plus a stated
# allowance; a flow that re-observes the world after every step blows it.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

# Long-running operations finish at once and the approval comes at once, so
# that every LRO needs exactly one operation GET and no approval poll
# depends on timing: the counts below are then the same on every run.
# The simulator's own rate limit is off: flow_lib.sh's curl calls above use
# the same key outside chlink's window, and a 429 would add a retry to the
# count. chlink still paces itself (its limiter has its own unit test).
curl -sS -X POST -d '{"lro_ms":0,"approval_delay_ms":0,"rate_limit":{"requests":0,"window_s":10}}' \
	"$base/_sim/faults" >/dev/null

# count API: requests of that API (chc, arm, entra) in the log since the last clear.
count() {
	jq --arg a "$1" '[.requests[] | select(.api == $a)] | length' <<<"$log"
}
clear_log() { curl -sS -X POST "$base/_sim/log/clear" >/dev/null; }
# budget NAME API MAX: the flow's requests to API are at most MAX.
budget() {
	local n
	n=$(count "$2")
	if [ "$n" -le "$3" ]; then ok "$1: $2 $n <= $3"; else not_ok "$1: $2 $n <= $3"; fi
}
# show NAME: every request of the flow, in the log (tests/logs/) for the record.
show() {
	local lines
	mapfile -t lines < <(jq -r '.requests[] | "\(.api) \(.method) \(.path) \(.status)"' <<<"$log")
	diag "$1: chc $(count chc), arm $(count arm), entra $(count entra)" "${lines[@]}"
}

# ---- apply from an empty world ----
# Minimum, with operations that finish at once (the PUTs answer Succeeded,
# no operation to read): ClickHouse 4 = GET services, GET
# privateEndpointConfig, PATCH organization, PATCH service. Entra 1 token.
# ARM 8 = list the endpoints (one may have been made by hand), PUT the
# endpoint, GET it (resourceGuid, NIC), GET the NIC (IP), PUT zone, PUT
# record, PUT link, GET the endpoint (Approved).
# chlink also reads, before it changes anything, what may be done already:
# the organization (stage 3; chc +1) and the zone, record and links (stage
# 2 may be half done; arm +3). Budget: chc 5, entra 1, arm 11. (Before it
# re-observed after every step: chc 23, arm 39.)
clear_log
run apply --yes --timeout 120 "${answers[@]}" >"$work/apply.out" 2>&1
rc=$?
expect_eq "apply from an empty world completes" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -20 "$work/apply.out")"
log=$(curl -sS "$base/_sim/log")
show apply
budget "apply" chc 5
budget "apply" entra 1
budget "apply" arm 11

# ---- status on the configured world ----
# Minimum: chc 3 (services for the allow list, organization, the alias from
# privateEndpointConfig), entra 1, arm 5 (endpoint, NIC, zone, record, links).
clear_log
run status >/dev/null 2>&1
expect_eq "status exits 0 when done" 0 "$?"
log=$(curl -sS "$base/_sim/log")
show status
budget "status" chc 3
budget "status" entra 1
budget "status" arm 5

# ---- teardown ----
# It starts with the status above (chc 3, entra 1, arm 5), then: PATCH
# service remove, PATCH organization remove (chc 2); GET the endpoint once
# the allow list no longer holds it (its connection state; arm 1); DELETE
# link, record, zone and endpoint (arm 4) and read the operations of the
# three that answer 202 (arm 3). The minimum needs neither the NIC, the
# record and zone reads nor the endpoint's GET (arm -4). Budget: chc 5,
# entra 1, arm 13. (Before: chc 23, arm 41.)
clear_log
run teardown --yes >"$work/teardown.out" 2>&1
rc=$?
expect_eq "teardown exits 0" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -20 "$work/teardown.out")"
log=$(curl -sS "$base/_sim/log")
show teardown
budget "teardown" chc 5
budget "teardown" entra 1
budget "teardown" arm 13
done_testing
