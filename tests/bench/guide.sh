#!/bin/bash
# guide.sh: the guide's ClickHouse Cloud commands, verbatim but for the base URL, as `make bench` times them.
# Stage 1b (service id, alias), stage 3 (PATCH org), stage 4 (PATCH service), T5 (check the
# filters); the Azure side and the DNS are not scriptable from the guide (portal or Terraform).
# Needs API, KEY_ID, KEY_SECRET, ORG_ID, REGION, PROVIDER, ENDPOINT_ID; runs in the current directory
# (it writes the guide's instance_id, pl_config_org.json and pl_config.json there).
set -o pipefail
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} ${API:?}/v1/organizations/${ORG_ID:?}/services | jq ".result[] | select (.region==\"${REGION:?}\" and .provider==\"${PROVIDER:?}\") | .id " -r | head -1 | tee instance_id
INSTANCE_ID=$(cat instance_id)
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID:?}/privateEndpointConfig | jq  .result
cat <<EOT >pl_config_org.json
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
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X PATCH -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?} -d @pl_config_org.json
cat <<EOT >pl_config.json
{
  "privateEndpointIds": {
    "add": [
      "${ENDPOINT_ID:?}"
    ]
  }
}
EOT
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X PATCH -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID?} -d @pl_config.json | jq
curl --silent --user ${KEY_ID:?}:${KEY_SECRET:?} -X GET -H "Content-Type: application/json" $API/v1/organizations/${ORG_ID:?}/services/${INSTANCE_ID:?} | jq .result.privateEndpointIds
