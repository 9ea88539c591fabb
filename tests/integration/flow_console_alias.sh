#!/bin/bash
# flow_console_alias: stage 1 by hand (guide 1a, 5a). With Azure credentials only,
# the service name and DNS name pasted from the ClickHouse console drive the Azure
# stages: the endpoint connects to the pasted alias and the private DNS zone is the
# hostname's. The ClickHouse stages stay unknown (no key), so apply says incomplete.
# A pasted name that the API contradicts is refused once a key is there.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

azure_only() {
	env -u KEY_ID -u KEY_SECRET -u ORG_ID "$chlink" "${common[@]}" "$@"
}
az_answers=(--resource-group "$rg" --vnet "$vnet_id" --subnet "$subnet_id" --location "$vnet_location")

azure_only status --json "${az_answers[@]}" >"$work/s0.json"
expect_eq "without a key or a pasted name stage 1 is unknown" "unknown" \
	"$(jq -r '.steps[] | select(.id == "alias") | .state' "$work/s0.json")"

azure_only status --json --alias "$alias_" >"$work/s1.json"
expect_eq "a service name without its DNS name: stage 1 still missing" "missing" \
	"$(jq -r '.steps[] | select(.id == "alias") | .state' "$work/s1.json")"

azure_only apply --yes --dns-hostname not-a-hostname >"$work/bad.out" 2>&1
expect_eq "a malformed DNS name is a usage error" 2 $?
expect_match "that names the expected form" 'privatelink.azure.clickhouse.cloud' "$(cat "$work/bad.out")"

azure_only apply --yes --dns-hostname "$host" --timeout 60 >"$work/apply.out" 2>&1
expect_eq "apply with Azure only ends incomplete (the ClickHouse stages need a key)" 3 $?
expect_eq "one private endpoint" 1 "$(n_endpoints)"
expect_eq "connected to the pasted alias" "$alias_" \
	"$(world | jq -r '.azure.privateEndpoints[0].properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceId')"
zone=${host#*.}
expect_eq "the private DNS zone is the pasted hostname's" "$zone" \
	"$(world | jq -r '.azure.privateDnsZones[0].name')"
azure_only status --json >"$work/s2.json"
expect_eq "stage 1 done from what was pasted" "done" \
	"$(jq -r '.steps[] | select(.id == "alias") | .state' "$work/s2.json")"
expect_eq "the zone, its record and its VNet link are done" "done done done" \
	"$(jq -r '[.steps[] | select(.id | startswith("dns-")) | .state] | join(" ")' "$work/s2.json")"
expect_eq "stage 3 unknown without a key" "unknown" \
	"$(jq -r '.steps[] | select(.id == "org") | .state' "$work/s2.json")"

# With a key, the API's alias wins, and a pasted one that differs is refused.
other="production-westus3-0-0.00000000-0000-4000-8000-000000000000.westus3.azure.privatelinkservice"
run status --json "${answers[@]}" --alias "$other" >"$work/s3.json"
expect_eq "a pasted alias the API contradicts fails stage 1" "failed" \
	"$(jq -r '.steps[] | select(.id == "alias") | .state' "$work/s3.json")"
expect_match "and says what the API reports" "$alias_" \
	"$(jq -r '.steps[] | select(.id == "alias") | .detail' "$work/s3.json")"
done_testing
