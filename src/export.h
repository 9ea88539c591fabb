/*
 * export: the profile's setup as the guide's Terraform or curl commands (or
 * JSON), filled in with real values, so a user can move to infrastructure as
 * code or repeat by hand. Never a secret: curl reads ${KEY_ID:?} and
 * ${KEY_SECRET:?} (and ${AZURE_TOKEN:?}) from the shell.
 */
#ifndef CHLINK_EXPORT_H
#define CHLINK_EXPORT_H

#include <stddef.h>
#include "flow.h"

struct export_values {
	const char *profile;
	const char *api_url; /* without /v1 */
	const char *arm_url;
	const char *org_id; /* NULL -> ${ORG_ID:?} */
	const char *region;
	const char *const *service_ids; /* chosen services */
	const char *const *service_names;
	size_t n_services;
	const char *alias;    /* endpointServiceId */
	const char *hostname; /* privateDnsHostname */
	const char *subscription;
	const char *resource_group;
	const char *dns_resource_group;
	const char *location;
	const char *pe_name;
	const char *subnet_id;
	const char *vnet_id;
	const char *pe_id; /* NULL before the endpoint exists */
	const char *pe_guid;
	const char *pe_ip;
	enum flow_id_form id_form;
};

/* Newly allocated text. Values a step has not learned yet appear as ${PLACEHOLDERS}. */
char *export_terraform(const struct export_values *v);
char *export_curl(const struct export_values *v);
/* The private DNS zone of a hostname (first label stripped), newly allocated or NULL. */
char *export_zone_of(const char *hostname);

#endif
