/*
 * creds: the API credentials of one profile, as the vault hands them out.
 * Every string lives in sodium_malloc memory owned by the vault; callers
 * never copy a secret into ordinary memory and never print one in full.
 */
#ifndef CHLINK_CREDS_H
#define CHLINK_CREDS_H

struct creds {
	/* ClickHouse Cloud (HTTP basic auth) */
	char *key_id;
	char *key_secret; /* secret */
	char *org_id;
	/* Azure service principal, or az_use_cli to take a token from `az` */
	char *tenant_id;
	char *client_id;
	char *client_secret; /* secret */
	char *subscription_id;
	int az_use_cli;
};

#endif
