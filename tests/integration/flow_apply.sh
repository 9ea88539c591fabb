#!/bin/bash
# flow_apply: the real chlink against the real chlink-sim: one `apply` from an
# empty world to Approved + DNS + probe, kill -9 during the endpoint's creation
# then apply again (one endpoint), status --json agrees with the world, and
# teardown removes what apply made.
source "$top_srcdir/tests/lib.sh"
sim="$builddir/chlink-sim"
chlink="$builddir/chlink"
if [ ! -x "$sim" ] || [ ! -x "$chlink" ]; then
	echo "1..0 # SKIP chlink-sim or chlink not built"
	exit 77
fi
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/flow.XXXXXX")
coproc SIM { exec "$sim" --port 0 --dns-port 0 --tls-port 0; }
sim_pid=$SIM_PID
trap 'kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null' EXIT
read -r -t 20 ready <&"${SIM[0]}" || { not_ok "simulator ready line"; done_testing; }
ok "simulator ready"

base=$(jq -r .base_url <<<"$ready")
ca=$(jq -r .cacert <<<"$ready")
dns=$(jq -r .dns <<<"$ready")
tls=$(jq -r .tls <<<"$ready")
export KEY_ID=$(jq -r .admin_key.id <<<"$ready")
export KEY_SECRET=$(jq -r .admin_key.secret <<<"$ready")
export ORG_ID=$(jq -r .org <<<"$ready")
export AZURE_TENANT_ID=$(jq -r .azure.tenant <<<"$ready")
export AZURE_CLIENT_ID=$(jq -r .azure.client_id <<<"$ready")
export AZURE_CLIENT_SECRET=$(jq -r .azure.client_secret <<<"$ready")
export AZURE_SUBSCRIPTION_ID=$(jq -r .azure.subscription <<<"$ready")
export CURL_CA_BUNDLE=$ca

# Pick a Production Azure service and a VNet/subnet through the documented APIs.
services=$(curl -sS --user "$KEY_ID:$KEY_SECRET" "$base/v1/organizations/$ORG_ID/services")
svc=$(jq -c '[.result[] | select(.provider == "azure" and (.tier // "production") != "development")][0]' <<<"$services")
svc_id=$(jq -r .id <<<"$svc")
region=$(jq -r .region <<<"$svc")
host=$(curl -sS --user "$KEY_ID:$KEY_SECRET" \
	"$base/v1/organizations/$ORG_ID/services/$svc_id/privateEndpointConfig" | jq -r .result.privateDnsHostname)
token=$(curl -sS -d grant_type=client_credentials -d "client_id=$AZURE_CLIENT_ID" \
	--data-urlencode "client_secret=$AZURE_CLIENT_SECRET" --data-urlencode "scope=$base/.default" \
	"$base/$AZURE_TENANT_ID/oauth2/v2.0/token" | jq -r .access_token)
vnets=$(curl -sS -H "Authorization: Bearer $token" \
	"$base/subscriptions/$AZURE_SUBSCRIPTION_ID/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01")
vnet_id=$(jq -r '.value[0].id' <<<"$vnets")
subnet_id=$(jq -r '.value[0].properties.subnets[0].id' <<<"$vnets")
rg=$(sed -E 's|.*/resourceGroups/([^/]+)/.*|\1|' <<<"$vnet_id")
expect_match "found a service, a hostname and a VNet" "^[^ ]+ [^ ]+ /subscriptions/" "$svc_id $host $vnet_id"

run() {
	"$chlink" --api-url "$base" --arm-url "$base" --login-url "$base" --cacert "$ca" \
		--dns-server "127.0.0.1:$dns" --connect-to "$host:9440:127.0.0.1:$tls" \
		--connect-to "$host:8443:127.0.0.1:$tls" "$@"
}
answers=(--region "$region" --service "$svc_id" --resource-group "$rg" --vnet "$vnet_id"
	--subnet "$subnet_id")
world() { curl -sS "$base/_sim/world"; }
n_endpoints() {
	world | jq '[.. | strings | select(test("/providers/Microsoft.Network/privateEndpoints/[^/]+$"; "i"))] | map(ascii_downcase) | unique | length'
}

before=$(n_endpoints)

# kill -9 while the endpoint is being created, then apply again
run apply --yes --timeout 120 "${answers[@]}" >"$work/apply1.out" 2>&1 &
apply_pid=$!
wait_until 60 bash -c "[ \$(curl -sS '$base/_sim/world' | jq '[.. | strings | select(test(\"privateEndpoints/[^/]+\$\"; \"i\"))] | length') -gt $before ]"
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
expect_eq "every step done" "done" "$(jq -r '[.steps[].state] | unique | join(",")' "$work/status.json")"
expect_eq "connection Approved" "Approved" "$(jq -r .endpoint.connectionStatus "$work/status.json")"
expect_match "the world knows the endpoint's guid" "$guid" "$(world)"
listed=$(curl -sS --user "$KEY_ID:$KEY_SECRET" "$base/v1/organizations/$ORG_ID/services/$svc_id" | jq -r '.result.privateEndpointIds | join(" ")')
expect_match "the service lists the endpoint id" "$guid" "$listed"

run doctor >"$work/doctor.out"
expect_eq "doctor has no findings" 0 "$?"

run export curl >"$work/export.sh"
expect_eq "export curl" 0 "$?"
if grep -q -- "$KEY_SECRET" "$work/export.sh"; then not_ok "export holds no secret"; else ok "export holds no secret"; fi

run teardown --yes >"$work/teardown.out" 2>&1
expect_eq "teardown exits 0" 0 "$?"
expect_eq "the endpoint is gone" "$before" "$(n_endpoints)"
if world | grep -qi -- "$guid"; then not_ok "no trace of the endpoint id"; else ok "no trace of the endpoint id"; fi

run status >/dev/null
expect_eq "status after teardown is incomplete" 3 "$?"
rm -rf "$work"
done_testing
