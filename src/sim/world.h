/*
 * world: the simulated world's data model and its JSON file format.
 *
 * A world file (chlink-sim --world FILE) and a state file (--state FILE) share
 * one schema; a state file is simply a world whose runtime arrays are filled.
 * Unknown fields are ignored; absent optional fields get realistic defaults.
 *
 * {
 *   "clickhouse": {
 *     "organizations": [{                      // first one is "the" organization
 *       "id": uuid, "name": str, "createdAt": iso8601,
 *       "privateEndpoints": [{"cloudProvider","id","description","region"}],
 *       "keys": [{"id": str, "secret": str, "role": "admin"|"developer"}],
 *       "services": [{                         // any ClickHouse Cloud Service field; defaults
 * filled "id": uuid, "name", "provider": "azure"|"aws"|"gcp", "region", "state", "tier"?:
 * "production"|"development" (absent = migrated org), "shortId"?: hostname label (default: first 10
 * hex digits of id), "privateEndpointIds"?: [str], "privateEndpointConfig"?: {"endpointServiceId",
 * "privateDnsHostname"}
 *                                  // default: aliases[region],
 * <shortId>.<region>.privatelink.azure.clickhouse.cloud
 *       }]
 *     }],
 *     "aliases": {"<region>": "<endpointServiceId shared by the region's services>"}
 *   },
 *   "azure": {
 *     "tenants": [{"id": guid, "domain": str,
 *                  "clients": [{"clientId", "clientSecret", "subscriptions": [subscriptionId]}]}],
 *     "subscriptions": [{"subscriptionId", "tenantId", "displayName",
 *                        "resourceGroups": [{"name", "location"}]}],
 *     "virtualNetworks": [{"subscriptionId", "resourceGroup", "name", "location",
 *                          "addressPrefixes": [cidr], "subnets": [{"name", "addressPrefix"}]}],
 *     // runtime state, stored as the ARM JSON returned (keys starting "_" are private):
 *     "privateEndpoints": [], "networkInterfaces": [], "privateDnsZones": [],
 *     "recordSets": [], "virtualNetworkLinks": [], "operations": []
 *   },
 *   "clockOffsetMs"?: number                   // state files only
 * }
 *
 * The identity (sim_identity_json) is: organizations[0].id, its first admin and
 * developer keys, tenants[0] with its clients[0] and that client's first subscription.
 */
#ifndef CHLINK_SIM_WORLD_H
#define CHLINK_SIM_WORLD_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* The built-in default world's JSON text. */
const char *world_default_text(void);
/* Parse and normalise a world or state text (NULL: the default); NULL + msg on error. */
cJSON *world_parse(const char *text, char *msg, size_t msz);

#endif
