#!/bin/bash
# flow_portal: an endpoint made "by hand" (a plain ARM PUT, as the portal does)
# is found by its alias without being named; status --json follows the states
# set through the simulator's control API; doctor names the cause; teardown
# keeps what chlink did not create unless --force.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

pe_url="$base/subscriptions/$AZURE_SUBSCRIPTION_ID/resourceGroups/$rg/providers/Microsoft.Network/privateEndpoints/by-hand?api-version=2024-05-01"
body=$(jq -cn --arg loc "$vnet_location" --arg subnet "$subnet_id" --arg alias "$alias_" \
	'{location: $loc, properties: {subnet: {id: $subnet}, manualPrivateLinkServiceConnections:
	  [{name: "by-hand", properties: {privateLinkServiceId: $alias, requestMessage: "by hand"}}]}}')
az -X PUT -d "$body" "$pe_url" >/dev/null
settled() { [ "$(az "$pe_url" | jq -r .properties.provisioningState)" = Succeeded ]; }
check "the hand-made endpoint settles" wait_until 60 settled

run status --json "${answers[@]}" >"$work/s1.json"
expect_eq "status is incomplete" 3 "$?"
expect_eq "found without --pe-name" "by-hand" "$(jq -r .endpoint.name "$work/s1.json")"
expect_eq "connection Pending" "Pending" "$(jq -r .endpoint.connectionStatus "$work/s1.json")"
expect_eq "endpoint step done" "done" "$(jq -r '.steps[] | select(.id == "endpoint") | .state' "$work/s1.json")"
expect_eq "allow list missing" "missing" "$(jq -r '.steps[] | select(.id == "allowlist") | .state' "$work/s1.json")"
expect_match "says who must act" "allow list" "$(jq -r .waitingOn "$work/s1.json")"

run doctor --json >"$work/d1.json"
expect_eq "doctor has findings" 3 "$?"
expect_match "pending: not on the allow list" "pending-not-allowlisted" "$(jq -r '[.findings[].code] | join(" ")' "$work/d1.json")"

curl -sS -X POST -d '{"name":"by-hand","status":"Rejected"}' "$base/_sim/endpoint" >/dev/null
run status --json >"$work/s2.json"
expect_eq "status sees Rejected" "Rejected" "$(jq -r .endpoint.connectionStatus "$work/s2.json")"
run doctor --json >"$work/d2.json"
expect_match "doctor: rejected" "connection-rejected" "$(jq -r '[.findings[].code] | join(" ")' "$work/d2.json")"

run teardown --yes >"$work/t1.out" 2>&1
expect_eq "teardown keeps what chlink did not create" 3 "$?"
expect_eq "the hand-made endpoint is still there" "Succeeded" "$(az "$pe_url" | jq -r .properties.provisioningState)"
run teardown --yes --force >"$work/t2.out" 2>&1
expect_eq "teardown --force" 0 "$?"
gone() { [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$pe_url")" = 404 ]; }
check "the hand-made endpoint is deleted" wait_until 60 gone
done_testing
