# tests/integration/flow_lib.sh: start chlink-sim and learn a service, a VNet and a
# subnet through the documented APIs; shared by the flow_*.sh tests. Source it
# after tests/lib.sh. Skips (exit 77) until chlink-sim and chlink are built.
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
trap 'kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; rm -rf "$work"' EXIT
if ! read -r -t 20 ready <&"${SIM[0]}"; then
	not_ok "simulator ready line"
	done_testing
fi

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
dev_key_id=$(jq -r .developer_key.id <<<"$ready")
dev_key_secret=$(jq -r .developer_key.secret <<<"$ready")

ch() { curl -sS --retry 8 --retry-max-time 60 --user "$KEY_ID:$KEY_SECRET" "$@"; }
services=$(ch "$base/v1/organizations/$ORG_ID/services")
svc=$(jq -c '[.result[] | select(.provider == "azure" and (.tier // "production") != "development")][0]' <<<"$services")
svc_id=$(jq -r .id <<<"$svc")
region=$(jq -r .region <<<"$svc")
config=$(ch "$base/v1/organizations/$ORG_ID/services/$svc_id/privateEndpointConfig")
host=$(jq -r .result.privateDnsHostname <<<"$config")
alias_=$(jq -r .result.endpointServiceId <<<"$config")
token=$(curl -sS -d grant_type=client_credentials -d "client_id=$AZURE_CLIENT_ID" \
	--data-urlencode "client_secret=$AZURE_CLIENT_SECRET" --data-urlencode "scope=$base/.default" \
	"$base/$AZURE_TENANT_ID/oauth2/v2.0/token" | jq -r .access_token)
az() { curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
vnets=$(az "$base/subscriptions/$AZURE_SUBSCRIPTION_ID/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01")
# A VNet in the service's region when there is one (else the doctor rightly says cross-region).
vnet=$(jq -c --arg r "$region" '([.value[] | select(.location == $r)] + .value)[0]' <<<"$vnets")
vnet_id=$(jq -r .id <<<"$vnet")
vnet_location=$(jq -r .location <<<"$vnet")
subnet_id=$(jq -r '.properties.subnets[0].id' <<<"$vnet")
rg=$(sed -E 's|.*/resourceGroups/([^/]+)/.*|\1|' <<<"$vnet_id")
expect_match "found a service, its alias and a VNet" "^[^ ]+ [^ ]+ [^ ]+ /subscriptions/" \
	"$svc_id $host $alias_ $vnet_id"

# The real chlink, pointed at the simulator for everything, probes included.
common=(--api-url "$base" --arm-url "$base" --login-url "$base" --cacert "$ca"
	--dns-server "127.0.0.1:$dns" --connect-to "$host:9440:127.0.0.1:$tls"
	--connect-to "$host:8443:127.0.0.1:$tls")
run() { "$chlink" "${common[@]}" "$@"; }
# exec: started in the background, $! is then chlink's own pid (kill -9 must hit it).
run_exec() { exec "$chlink" "${common[@]}" "$@"; }
answers=(--region "$region" --service "$svc_id" --resource-group "$rg" --vnet "$vnet_id"
	--subnet "$subnet_id" --location "$vnet_location")
world() { curl -sS "$base/_sim/world"; }
# Private endpoints in the simulated subscription (GET /_sim/world, see src/sim/WORLD.md).
n_endpoints() {
	world | jq '.azure.privateEndpoints | length'
}
