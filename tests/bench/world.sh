# tests/bench/world.sh: item 6, `chlink status` in a large organization; sourced by run.sh.
# The large world is made from the default one: one complete setup by `chlink apply`, then
# 19 more private endpoints in the subscription (to other regions' aliases, through ARM PUTs,
# so status must tell them apart) and services up to SCALE_SERVICES (azure in four regions, aws,
# gcp, some Development tier), saved as a state file (WORLD.md) and loaded with --state.

# status_runs LABEL: SCALE_RUNS timed `status` runs, each with its own state directory and a
# clear ClickHouse rate window. Sets ST_MS (median) and ST_LOG (the first run's request log).
status_runs() {
	local label=$1 i t0 rc
	: >"$work/$label.ms"
	for i in $(seq "$SCALE_RUNS"); do
		next_window
		ctl log/clear '{}' >/dev/null
		t0=$(now_ms)
		chl "$work/st-$label$i" status "${ANSWERS[@]}" >"$work/$label$i.out" 2>&1
		rc=$?
		echo $(($(now_ms) - t0)) >>"$work/$label.ms"
		ctl log >"$work/$label$i.log"
		if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
			STATUS_ERR="status exited $rc: $(tail -1 "$work/$label$i.out")"
			return 1
		fi
		[ "$rc" = 3 ] && note "scale: status on the $label world said incomplete (exit 3)"
		count_429 "$work/$label$i.log"
	done
	ST_MS=$(median <"$work/$label.ms")
	ST_LOG="$work/${label}1.log"
}

arm_token() {
	curl -sS --max-time 20 -d grant_type=client_credentials \
		-d "client_id=$(jq -r .azure.client_id <<<"$READY")" \
		--data-urlencode "client_secret=$(jq -r .azure.client_secret <<<"$READY")" \
		--data-urlencode "scope=$BASE/.default" \
		"$BASE/$(jq -r .azure.tenant <<<"$READY")/oauth2/v2.0/token" | jq -r .access_token
}

# add_endpoints N: N private endpoints in the chosen subnet, to the aliases of other regions.
add_endpoints() {
	local n=$1 i token aliases alias_ code
	token=$(arm_token) || return 1
	mapfile -t aliases < <(ctl world | jq -r '.clickhouse.aliases | to_entries[] | select(.key != "westus3" and (.value | test("azure"))) | .value')
	[ ${#aliases[@]} -gt 0 ] || return 1
	for i in $(seq "$n"); do
		alias_=${aliases[$((i % ${#aliases[@]}))]}
		code=$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' -X PUT \
			-H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			-d "{\"location\":\"westus3\",\"properties\":{\"subnet\":{\"id\":\"$SUBNET_ID\"},\"manualPrivateLinkServiceConnections\":[{\"name\":\"bench-$i\",\"properties\":{\"privateLinkServiceId\":\"$alias_\",\"requestMessage\":\"bench\"}}]}}" \
			"$BASE/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.Network/privateEndpoints/pe-bench-$i?api-version=2024-05-01")
		case $code in 200 | 201) ;; *) return 1 ;; esac
	done
}

# grow_services FILE N: the state in FILE with services up to N in the first organization.
grow_services() {
	jq --argjson n "$2" '
	  .clickhouse.organizations[0].services as $s
	  | .clickhouse.organizations[0].services += [range(0; $n - ($s | length)) as $i
	      | (["azure", "azure", "azure", "aws", "gcp"][$i % 5]) as $p
	      | {id: ("b0b0b0b0-0000-4000-8000-" + ("000000000000" + ($i | tostring))[-12:]),
	         name: "svc-\($i)", provider: $p,
	         region: (if $p == "azure" then ["westus3", "eastus2", "germanywestcentral", "centralus"][$i % 4]
	                  elif $p == "aws" then "us-east-1" else "us-central1" end),
	         state: (["running", "running", "idle", "stopped"][$i % 4]),
	         tier: (if $i % 7 == 0 then "development" else "production" end),
	         shortId: ("z" + ("000000000" + ($i | tostring))[-9:])}]' "$1"
}

bench_scale() {
	local small_ms small_log big_services big_endpoints
	local label="status, $SCALE_SERVICES services + $SCALE_ENDPOINTS endpoints"
	echo "bench: scale ($label)" >&2
	if [ ! -x "$chlink" ] || ! has_command status || ! has_command apply; then
		miss "scale: status, default world" "reference" "chlink has no status/apply command yet"
		miss "scale: $label" "<= 1.5x default world" "chlink has no status/apply command yet"
		return
	fi
	STATUS_ERR="chlink-sim did not start, or the setup apply failed"
	if ! sim_start scale-small --lro 0 || ! learn_world ||
		! chl "$work/st-scale-setup" apply --yes --timeout 120 "${ANSWERS[@]}" >"$work/scale-setup.out" 2>&1 ||
		! ctl faults "{\"latency_ms\":$LATENCY_MS}" >/dev/null || ! status_runs small; then
		miss "scale: status, default world" "reference" "$STATUS_ERR"
		miss "scale: $label" "<= 1.5x default world" "$STATUS_ERR"
		sim_stop
		return
	fi
	small_ms=$ST_MS small_log=$ST_LOG
	row "scale: status, default world" "$small_ms ms, $(by_api "$small_log") req" "reference" \
		"8 services, 1 endpoint"

	# Grow the world, save it as a state file, and serve it from a new simulator.
	if ! add_endpoints $((SCALE_ENDPOINTS - 1)); then
		miss "scale: $label" "<= 1.5x default world" "could not create the extra endpoints"
		sim_stop
		return
	fi
	ctl world >"$work/world-small.json"
	sim_stop
	grow_services "$work/world-small.json" "$SCALE_SERVICES" >"$work/world-big.json"
	big_services=$(jq '.clickhouse.organizations[0].services | length' "$work/world-big.json")
	big_endpoints=$(jq '.azure.privateEndpoints | length' "$work/world-big.json")
	STATUS_ERR="chlink-sim did not load the large world"
	if ! sim_start scale-big --state "$work/world-big.json" --lro 0 --latency "$LATENCY_MS" ||
		! learn_world || ! status_runs big; then
		miss "scale: $label" "<= 1.5x default world" "$STATUS_ERR"
		sim_stop
		return
	fi
	sim_stop
	local small_n big_n v=missed
	small_n=$(logq "$small_log" length) big_n=$(logq "$ST_LOG" length)
	le "$ST_MS" "$(calc "$small_ms * 1.5")" && [ "$big_n" -le "$small_n" ] && v=met
	row "scale: $label" "$ST_MS ms, $(by_api "$ST_LOG") req" "<= 1.5x default world, same req" "$v"
	note "scale: the large world has $big_services services and $big_endpoints private endpoints (one to this service's alias); status at ${LATENCY_MS} ms per request, medians of $SCALE_RUNS, each run with a fresh state directory"
}
