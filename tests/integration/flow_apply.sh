#!/bin/bash
# flow_apply: the real chlink against the real chlink-sim: one `apply` from an
# empty world to Approved + DNS + probe, kill -9 during the endpoint's creation
# then apply again (one endpoint), status --json agrees with the world, and
# teardown removes what apply made.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

before=$(n_endpoints)

# kill -9 while the endpoint is being created, then apply again
run_exec apply --yes --timeout 120 "${answers[@]}" >"$work/apply1.out" 2>&1 &
apply_pid=$!
grows() { [ "$(n_endpoints)" -gt "$before" ]; }
wait_until 60 grows
kill -9 "$apply_pid" 2>/dev/null
wait "$apply_pid" 2>/dev/null

run apply --yes --timeout 120 >"$work/apply2.out" 2>&1
rc=$?
expect_eq "apply after kill -9 completes" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -20 "$work/apply2.out")"
expect_eq "exactly one endpoint more in the world" "$((before + 1))" "$(n_endpoints)"

run status --json >"$work/status.json"
expect_eq "status exits 0 when done" 0 "$?"
guid=$(jq -r .endpoint.resourceGuid "$work/status.json")
pe_id=$(jq -r .endpoint.id "$work/status.json")
expect_eq "every step done" "done" "$(jq -r '[.steps[].state] | unique | join(",")' "$work/status.json")"
expect_eq "connection Approved" "Approved" "$(jq -r .endpoint.connectionStatus "$work/status.json")"
pe=$(az "$base$pe_id?api-version=2024-05-01")
expect_eq "status and ARM agree on the guid" "$(jq -r .properties.resourceGuid <<<"$pe")" "$guid"
expect_eq "status and ARM agree on the connection" \
	"$(jq -r '.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status' <<<"$pe")" \
	"$(jq -r .endpoint.connectionStatus "$work/status.json")"
listed=$(ch "$base/v1/organizations/$ORG_ID/services/$svc_id" | jq -r '.result.privateEndpointIds | join(" ")')
expect_match "the service lists the endpoint id" "$guid" "$listed"

run doctor >"$work/doctor.out"
expect_eq "doctor has no findings" 0 "$?"

run export curl >"$work/export.sh"
expect_eq "export curl" 0 "$?"
if grep -qF -- "$KEY_SECRET" "$work/export.sh"; then not_ok "export holds no secret"; else ok "export holds no secret"; fi
run export terraform >"$work/main.tf"
expect_match "terraform has the real alias" "private_connection_resource_alias = \"$alias_\"" "$(cat "$work/main.tf")"

run teardown --yes >"$work/teardown.out" 2>&1
expect_eq "teardown exits 0" 0 "$?"
expect_eq "the endpoint is gone" "$before" "$(n_endpoints)"
if world | grep -qiF -- "$guid"; then not_ok "no trace of the endpoint id"; else ok "no trace of the endpoint id"; fi

run status >/dev/null
expect_eq "status after teardown is incomplete" 3 "$?"

# The exported curl commands, run by hand against the simulator, rebuild the same setup.
AZURE_TOKEN=$token timeout 180 sh "$work/export.sh" >"$work/export.out" 2>&1
rc=$?
expect_eq "the exported curl script runs" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -5 "$work/export.out")"
all_done() { run status >/dev/null 2>&1; }
check "status is done again after the curl script" wait_until 60 all_done
expect_eq "one endpoint again" "$((before + 1))" "$(n_endpoints)"
run teardown --yes --force >/dev/null 2>&1
expect_eq "teardown after the curl script" 0 "$?"
expect_eq "the world is back to its start" "$before" "$(n_endpoints)"
done_testing
