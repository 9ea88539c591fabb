#!/bin/bash
# sim_guide: the guide's own curl commands (flow.md; api.clickhouse.cloud swapped for chlink-sim)
# give the guide's results: the service, its alias and hostname, PATCH org, PATCH service, filters.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/sim_lib.sh"

if ! start_sim --rate-limit 1000/10; then
	not_ok "chlink-sim starts"
	done_testing
fi
skip_if_fake
ok "chlink-sim starts"
cd "$TMPDIR" || exit 1
API=$BASE # the guide's https://api.clickhouse.cloud
REGION=westus3
PROVIDER=azure

# Stage 1b: the service in REGION on azure.
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} $API/v1/organizations/${ORG_ID:?}/services | jq ".result[] | select (.region==\"${REGION:?}\" and .provider==\"${PROVIDER:?}\") | .id " -r | head -1 | tee instance_id
INSTANCE_ID=$(cat instance_id)
expect_match "a westus3 azure service is found" '^[0-9A-Za-z-]+$' "$INSTANCE_ID"

all=$(curl --silent --user "$KEY_ID:$KEY_SECRET" "$API/v1/organizations/$ORG_ID/services")
expect_eq "the list is a success envelope" 200 "$(jq -r .status <<<"$all")"
check "the list carries a requestId" jq -e '.requestId | type == "string"' <<<"$all"
check "aws and gcp services are in the list (and the guide's filter drops them)" \
	jq -e '[.result[].provider] | (index("aws") != null) and (index("gcp") != null)' <<<"$all"
check "the filter keeps only westus3 azure services" \
	jq -e --arg id "$INSTANCE_ID" '[.result[] | select(.region=="westus3" and .provider=="azure") | .id] | index($id) != null' <<<"$all"

# Stage 1b: privateEndpointConfig.
cfg=$(curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID:?}/privateEndpointConfig | jq  .result)
ENDPOINT_SERVICE_ID=$(jq -r .endpointServiceId <<<"$cfg")
PRIVATE_HOST=$(jq -r .privateDnsHostname <<<"$cfg")
expect_match "endpointServiceId is a westus3 alias" '^[a-z0-9-]+\.[0-9a-f-]+\.westus3\.azure\.privatelinkservice$' "$ENDPOINT_SERVICE_ID"
expect_match "privateDnsHostname is in the westus3 private zone" '^[a-z0-9-]+\.westus3\.privatelink\.azure\.clickhouse\.cloud$' "$PRIVATE_HOST"

# Stage 3: PATCH the organization (deprecated but working).
ENDPOINT_ID=$(python3 -c 'import uuid; print(uuid.uuid4())')
cat <<EOT | tee pl_config_org.json
{
  "privateEndpoints": {
    "add": [
      {
        "cloudProvider": "azure",
        "id": "${ENDPOINT_ID:?}",
        "description": "Azure private endpoint",
        "region": "${REGION:?}"
      }
    ]
  }
}
EOT
org=$(curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X PATCH -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?} -d @pl_config_org.json)
expect_eq "PATCH org succeeds" 200 "$(jq -r .status <<<"$org")"
check "the organization lists the endpoint" \
	jq -e --arg id "$ENDPOINT_ID" '[.result.privateEndpoints[] | select(.id == $id and .cloudProvider == "azure" and .region == "westus3")] | length == 1' <<<"$org"

# Stage 4: PATCH the service's allow list.
cat <<EOT | tee pl_config.json
{
  "privateEndpointIds": {
    "add": [
      "${ENDPOINT_ID:?}"
    ]
  }
}
EOT
svc=$(curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X PATCH -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID?} -d @pl_config.json | jq)
expect_eq "PATCH service succeeds" 200 "$(jq -r .status <<<"$svc")"
check "the service's allow list has the endpoint" \
	jq -e --arg id "$ENDPOINT_ID" '.result.privateEndpointIds | index($id) != null' <<<"$svc"

# T5: check the filters.
ids=$(curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X GET -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID:?} | jq -c .result.privateEndpointIds)
expect_eq "the filters list shows the endpoint" "[\"$ENDPOINT_ID\"]" "$ids"

# Removal, as the guide shows it, leaves "[]" on the service but the org entry in place.
cat <<EOT | tee pl_config.json
{
  "privateEndpointIds": {
    "remove": [
      "${ENDPOINT_ID:?}"
    ]
  }
}
EOT
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X PATCH -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID?} -d @pl_config.json | jq >/dev/null
ids=$(curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X GET -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID:?} | jq -c .result.privateEndpointIds)
expect_eq "after remove the filters list is empty" "[]" "$ids"
org=$(curl --silent --user "$KEY_ID:$KEY_SECRET" "$API/v1/organizations/$ORG_ID")
check "the org still lists the endpoint" \
	jq -e --arg id "$ENDPOINT_ID" '[.result.privateEndpoints[] | select(.id == $id)] | length == 1' <<<"$org"

# The developer key may read but not PATCH.
code=$(curl --silent -o /dev/null -w '%{http_code}' --user "$DEV_KEY_ID:$DEV_KEY_SECRET" -X PATCH \
	-H "Content-Type: application/json" "$API/v1/organizations/$ORG_ID/services/$INSTANCE_ID" -d @pl_config.json)
expect_eq "a developer key gets 403 on PATCH" 403 "$code"
code=$(curl --silent -o /dev/null -w '%{http_code}' --user "$KEY_ID:wrong-secret" "$API/v1/organizations/$ORG_ID/services")
expect_eq "a wrong secret gets 401" 401 "$code"

# The request log counted these calls.
log=$(curl --silent "$BASE/_sim/log")
n=$(jq 'if type == "array" then length else ([.. | arrays] | map(length) | max) end' <<<"$log" 2>/dev/null)
if [ -n "$n" ] && [ "$n" -ge 10 ] 2>/dev/null; then ok "the request log counts the calls ($n)"; else
	not_ok "the request log counts the calls"; diag "got: $(head -c 500 <<<"$log")"; fi

stop_sim
done_testing
