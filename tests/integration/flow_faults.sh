#!/bin/bash
# flow_faults: a developer key is refused (403) when apply registers the
# endpoint, apply says so and exits 1, and doctor names the missing Admin role.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/flow_lib.sh"

before=$(n_endpoints)
KEY_ID=$dev_key_id KEY_SECRET=$dev_key_secret run apply --yes --timeout 120 "${answers[@]}" \
	>"$work/apply.out" 2>&1
expect_eq "apply with a developer key fails" 1 "$?"
expect_match "the error says 403 or Admin" "403|Admin|admin" "$(cat "$work/apply.out")"
KEY_ID=$dev_key_id KEY_SECRET=$dev_key_secret run doctor --json >"$work/doctor.json"
expect_eq "doctor has findings" 3 "$?"
expect_match "key-not-admin" "key-not-admin" "$(jq -r '[.findings[].code] | join(" ")' "$work/doctor.json")"
expect_eq "one endpoint was made before the refusal" "$((before + 1))" "$(n_endpoints)"
run apply --yes --timeout 120 >"$work/apply2.out" 2>&1
expect_eq "apply with the admin key completes" 0 "$?"
expect_eq "still one endpoint" "$((before + 1))" "$(n_endpoints)"
run doctor --json >"$work/doctor2.json"
expect_eq "doctor is clean afterwards" 0 "$?"
done_testing
