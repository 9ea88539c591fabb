#!/bin/bash
# sim_private: the private side end to end — an endpoint made through ARM stays Pending, its zone
# answers DNS once linked, TLS to the service is reset until the endpoint is on the allow list,
# then the endpoint is Approved and https://HOST:8443/ping answers "Ok.".
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/sim_lib.sh"

if ! start_sim --rate-limit 1000/10 --lro 50 --retry-after 1; then
	not_ok "chlink-sim starts"
	done_testing
fi
skip_if_fake
ok "chlink-sim starts"
NET=2024-05-01
DNSV=2024-06-01

# The service and its alias, as in the guide.
INSTANCE_ID=$(curl -s --user "$KEY_ID:$KEY_SECRET" "$BASE/v1/organizations/$ORG_ID/services" |
	jq -r '.result[] | select(.region=="westus3" and .provider=="azure") | .id' | head -1)
cfg=$(curl -s --user "$KEY_ID:$KEY_SECRET" "$BASE/v1/organizations/$ORG_ID/services/$INSTANCE_ID/privateEndpointConfig")
ALIAS=$(jq -r .result.endpointServiceId <<<"$cfg")
HOST=$(jq -r .result.privateDnsHostname <<<"$cfg")
ZONE=${HOST#*.}
expect_eq "the private zone is westus3's" "westus3.privatelink.azure.clickhouse.cloud" "$ZONE"

# An Entra token for ARM.
TOKEN=$(curl -s -X POST "$BASE/$TENANT/oauth2/v2.0/token" \
	--data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET" \
	--data-urlencode "scope=https://management.azure.com/.default" \
	--data-urlencode "grant_type=client_credentials" | jq -r .access_token)
expect_match "a bearer token is issued" '^.{16,}$' "$TOKEN"
arm() { # arm METHOD PATH [BODY]
	curl -s -X "$1" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
		"$BASE$2" ${3:+-d "$3"}
}

# A subnet in westus3 from the subscription's VNets.
vnets=$(arm GET "/subscriptions/$SUB/providers/Microsoft.Network/virtualNetworks?api-version=$NET")
if ! jq -e '.value | type == "array"' <<<"$vnets" >/dev/null 2>&1; then
	# No subscription-wide list: walk the resource groups, as a picker would.
	vnets=$(for rg in $(arm GET "/subscriptions/$SUB/resourcegroups?api-version=2021-04-01" | jq -r '.value[].name'); do
		arm GET "/subscriptions/$SUB/resourceGroups/$rg/providers/Microsoft.Network/virtualNetworks?api-version=$NET"
	done | jq -s '{value: [.[].value[]?]}')
fi
VNET_ID=$(jq -r '[.value[] | select(.location=="westus3")][0].id' <<<"$vnets")
SUBNET_ID=$(jq -r '[.value[] | select(.location=="westus3")][0].properties.subnets[0].id' <<<"$vnets")
expect_match "a westus3 subnet exists" '/subnets/' "$SUBNET_ID"
RG=$(sed -E 's|.*/resourceGroups/([^/]+)/.*|\1|' <<<"$SUBNET_ID")

# Stage 2: the private endpoint, by alias, manual approval.
PE="/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.Network/privateEndpoints/chlink-pe"
body=$(jq -nc --arg s "$SUBNET_ID" --arg a "$ALIAS" '{location:"westus3",properties:{subnet:{id:$s},
	manualPrivateLinkServiceConnections:[{name:"chlink",properties:{privateLinkServiceId:$a,requestMessage:"please approve"}}]}}')
code=$(curl -s -o "$TMPDIR/pe.json" -D "$TMPDIR/pe.hdr" -w '%{http_code}' -X PUT \
	-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "$BASE$PE?api-version=$NET" -d "$body")
expect_match "PUT privateEndpoints is accepted" '^20[01]$' "$code"
check "the PUT answers with Azure-AsyncOperation" grep -qi '^Azure-AsyncOperation:' "$TMPDIR/pe.hdr"
pe_state() { arm GET "$PE?api-version=$NET" | jq -r .properties.provisioningState; }
pe_succeeded() { [ "$(pe_state)" = Succeeded ]; }
check "the endpoint reaches Succeeded" wait_until 60 pe_succeeded
pe=$(arm GET "$PE?api-version=$NET")
conn_status() { arm GET "$PE?api-version=$NET" | jq -r '.properties.manualPrivateLinkServiceConnections[0].properties.privateLinkServiceConnectionState.status'; }
expect_eq "the connection is Pending" Pending "$(conn_status)"
GUID=$(jq -r .properties.resourceGuid <<<"$pe")
expect_match "the endpoint has a resourceGuid" '^[0-9a-fA-F-]{36}$' "$GUID"
NIC=$(jq -r '.properties.networkInterfaces[0].id' <<<"$pe")
IP=$(arm GET "$NIC?api-version=$NET" | jq -r '.properties.ipConfigurations[0].properties.privateIPAddress')
expect_match "the NIC has a private IPv4 address" '^10\.' "$IP"

# DNS: zone, wildcard record, link; the zone answers only once linked.
Z="/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.Network/privateDnsZones/$ZONE"
arm PUT "$Z?api-version=$DNSV" '{"location":"global"}' >/dev/null
zone_ok() { [ "$(arm GET "$Z?api-version=$DNSV" | jq -r .properties.provisioningState)" = Succeeded ]; }
check "the zone reaches Succeeded" wait_until 60 zone_ok
rec=$(arm PUT "$Z/A/*?api-version=$DNSV" "{\"properties\":{\"ttl\":300,\"aRecords\":[{\"ipv4Address\":\"$IP\"}]}}")
expect_eq "the wildcard record is stored" "$IP" "$(jq -r '.properties.aRecords[0].ipv4Address' <<<"$rec")"
expect_eq "no answer before the VNet link" 3 "$(dns_query "$HOST" | cut -d' ' -f1)"
arm PUT "$Z/virtualNetworkLinks/chlink-link?api-version=$DNSV" \
	"{\"location\":\"global\",\"properties\":{\"virtualNetwork\":{\"id\":\"$VNET_ID\"},\"registrationEnabled\":false}}" >/dev/null
answered() { [ "$(dns_query "$HOST")" = "0 $IP/300" ]; }
check "the private hostname resolves to the endpoint IP (TTL 300) once linked" wait_until 60 answered
expect_eq "any name in the zone resolves (wildcard)" "0 $IP/300" "$(dns_query "other-name.$ZONE")"
expect_eq "a name outside the zones is NXDOMAIN" 3 "$(dns_query "$HOST.example" | cut -d' ' -f1)"

# Before the allow list: the guide's "connection reset by peer".
ping_host() {
	curl -sS --max-time 10 --cacert "$CACERT" --connect-to "$HOST:8443:127.0.0.1:$TLS" "https://$HOST:8443/ping" 2>&1
}
out=$(ping_host); rc=$?
check "TLS to the service fails before the allow list" test "$rc" -ne 0
expect_match "and the failure is a reset" '[Rr]eset' "$out"

# The guide's own test of the 9440 port: CONNECTED, then errno=104 before any certificate.
out=$(timeout 20 openssl s_client -connect "127.0.0.1:$TLS" -servername "$HOST" </dev/null 2>&1)
expect_match "openssl s_client prints CONNECTED" 'CONNECTED' "$out"
expect_match "then errno=104 (reset), as in the guide" 'errno=104' "$out"
expect_match "with no peer certificate" 'no peer certificate available' "$out"

# Stage 4 with the endpoint's GUID, as the guide's command does.
cat <<EOT >"$TMPDIR/pl_config.json"
{"privateEndpointIds": {"add": ["$GUID"]}}
EOT
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X PATCH -H "Content-Type: application/json" \
	$BASE/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID?} -d @"$TMPDIR/pl_config.json" | jq -e .result >/dev/null
approved() { [ "$(conn_status)" = Approved ]; }
check "the connection becomes Approved" wait_until 60 approved
pinged() { [ "$(ping_host)" = "Ok." ]; }
check "https://HOST:8443/ping answers Ok. through the test CA" wait_until 30 pinged
out=$(timeout 20 openssl s_client -connect "127.0.0.1:$TLS" -servername "$HOST" -CAfile "$CACERT" \
	-verify_hostname "$HOST" -verify_return_error </dev/null 2>&1)
expect_match "once approved the native port's handshake verifies" 'Verify return code: 0 \(ok\)' "$out"

stop_sim
done_testing
