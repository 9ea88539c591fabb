# tests/bench/sections.sh: startup, the flow against the guide, API economy and the simulator's
# memory; sourced by run.sh (which defines row/miss/note, the simulator helpers and chl).

has_command() { "$chlink" --help 2>&1 | grep -qE -- "^ +$1( |$)"; }
# demo_works: `chlink --demo` draws the wizard in a terminal (checked once, in a pty).
DEMO_WORKS=
demo_works() {
	if [ -z "$DEMO_WORKS" ]; then
		DEMO_WORKS=no
		[ -x "$chlink" ] && TERM=xterm-256color "$benchrun" pty 100 30 1 30000 DEMO -- \
			"$chlink" --demo >/dev/null 2>&1 && DEMO_WORKS=yes
	fi
	[ "$DEMO_WORKS" = yes ]
}

# startup CMD...: "median_ms peak_rss_kb" of RUNS runs. benchrun measures both; when hyperfine
# is installed it times the runs instead (the brief's tool of choice), benchrun still gives RSS.
startup() {
	local out ms rss
	out=$(TERM=xterm-256color "$benchrun" time "$RUNS" -- "$@" 2>&1) || { echo "$out"; return 1; }
	read -r ms _ _ rss <<<"$out"
	if command -v hyperfine >/dev/null; then
		TERM=xterm-256color hyperfine -N --style none --warmup 2 --runs "$RUNS" \
			--export-json "$work/hyperfine.json" -- "$*" >/dev/null 2>&1 &&
			ms=$(jq '.results[0].median * 1000 * 100 | round / 100' "$work/hyperfine.json")
	fi
	echo "$ms $rss"
}
STARTUP_TOOL=$(command -v hyperfine >/dev/null && echo "hyperfine -N" || echo benchrun)

# 1 and 7: the floor, `chlink --version`, and the first frame of `chlink --demo` in a pty.
bench_startup() {
	local out f_ms f_rss c_ms c_rss
	echo "bench: startup ($RUNS runs each)" >&2
	if ! out=$(startup "$floor"); then
		miss "startup: floor (libraries only)" "reference" "$out"
		miss "startup: chlink --version" "<= floor + 2 ms, < 20 ms" "no floor to compare with"
		return
	fi
	read -r f_ms f_rss <<<"$out"
	FLOOR_RSS_KB=$f_rss
	row "startup: floor (libraries only)" "$f_ms ms" "reference" "median of $RUNS ($STARTUP_TOOL)"
	if [ ! -x "$chlink" ] || ! out=$(startup "$chlink" --version); then
		miss "startup: chlink --version" "<= floor + 2 ms, < 20 ms" "${out:-chlink is not built}"
	else
		read -r c_ms c_rss <<<"$out"
		CHLINK_RSS_KB=$c_rss
		local v=missed
		le "$c_ms" "$(calc "$f_ms + 2")" && le "$c_ms" 20 && v=met
		row "startup: chlink --version" "$c_ms ms (floor $(signed "$(calc "$c_ms - $f_ms")") ms)" \
			"<= floor + 2 ms, < 20 ms" "$v"
	fi
	row "peak RSS: floor" "$(mib "$f_rss") MiB" "reference" "median of $RUNS (ru_maxrss)"
	if [ -n "${CHLINK_RSS_KB:-}" ]; then
		row "peak RSS: chlink --version" \
			"$(mib "$CHLINK_RSS_KB") MiB (floor $(signed "$(mib $((CHLINK_RSS_KB - f_rss)))"))" \
			"<= floor + 2 MiB" "$(verdict $((CHLINK_RSS_KB - f_rss)) 2048)"
		note "shared libraries loaded: chlink $(ldd "$chlink" 2>/dev/null | grep -c '=>'), floor $(ldd "$floor" 2>/dev/null | grep -c '=>'); chlink only: $(comm -23 <(ldd "$chlink" 2>/dev/null | awk '/=>/ { print $1 }' | sort) <(ldd "$floor" 2>/dev/null | awk '/=>/ { print $1 }' | sort) | tr '\n' ' ' | sed 's/^$/none/')"
	fi

	if ! demo_works; then
		miss "first frame: chlink --demo (100x30)" "< 50 ms" "chlink --demo shows no wizard yet"
	elif ! out=$(TERM=xterm-256color "$benchrun" pty 100 30 "$RUNS" 10000 "$DEMO_TITLE" -- \
		"$chlink" --demo 2>&1); then
		miss "first frame: chlink --demo (100x30)" "< 50 ms" "$out"
	else
		read -r c_ms _ _ <<<"$out"
		row "first frame: chlink --demo (100x30)" "$c_ms ms" "< 50 ms" "$(verdict "$c_ms" 50)"
	fi
}
DEMO_TITLE=${BENCH_DEMO_TITLE:-Welcome}

# 2: `chlink apply --yes` from an empty world, chlink's ClickHouse part alone, and the guide's
# curl + jq commands, all at 30 ms per request.
FLOW_FAULTS="{\"latency_ms\":$LATENCY_MS,\"jitter_ms\":0,\"lro_ms\":0,\"approval_delay_ms\":0}"
GUIDE_EP=7d1e2f30-4a5b-4c6d-8e7f-90a1b2c3d4e5
flow_rows_missing() {
	miss "flow: guide's curl + jq (ClickHouse steps)" "reference" "$1"
	miss "flow: chlink apply, empty world to access" "reference" "$1"
	miss "flow: chlink apply, ClickHouse part" "reference" "$1"
	miss "speed vs guide, ClickHouse part" ">= 3x" "$1"
	miss "speed vs guide, whole flow" ">= 3x" "$1"
}
bench_flow() {
	local i t0 rc ms guide_ms full_ms part_ms
	FLOW_OK=0
	echo "bench: full flow vs the guide ($FLOW_RUNS runs each, ${LATENCY_MS} ms per request)" >&2
	if [ ! -x "$chlink" ] || ! has_command apply; then
		flow_rows_missing "chlink has no apply command yet"
		return
	fi
	if ! sim_start flow || ! learn_world; then
		flow_rows_missing "chlink-sim did not start"
		sim_stop
		return
	fi
	: >"$work/flow.ms"
	for i in $(seq "$FLOW_RUNS"); do
		fresh "$FLOW_FAULTS"
		t0=$(now_ms)
		chl "$work/st-flow$i" apply --yes --timeout 120 "${ANSWERS[@]}" >"$work/flow$i.out" 2>&1
		rc=$?
		echo $(($(now_ms) - t0)) >>"$work/flow.ms"
		ctl log >"$work/flow$i.log"
		if [ "$rc" != 0 ]; then
			flow_rows_missing "chlink apply exited $rc: $(tail -1 "$work/flow$i.out")"
			sim_stop
			return
		fi
		count_429 "$work/flow$i.log"
	done
	full_ms=$(median <"$work/flow.ms")
	cp "$work/flow1.log" "$work/flow.log"
	FLOW_OK=1

	# The ClickHouse part: the Azure side stays, the id leaves the allow list and the
	# organization, and a new apply (fresh state) puts it back, waits for Approved and probes.
	: >"$work/part.ms"
	for i in $(seq "$FLOW_RUNS"); do
		local guid
		guid=$(ctl world | jq -r --arg s "$SVC" '.clickhouse.organizations[0].services[] | select(.id == $s) | .privateEndpointIds[0]')
		curl -sS --max-time 20 --user "$AKEY:$ASECRET" -X PATCH -H 'Content-Type: application/json' \
			-d "{\"privateEndpointIds\":{\"remove\":[\"$guid\"]}}" "$BASE/v1/organizations/$ORG/services/$SVC" >/dev/null
		curl -sS --max-time 20 --user "$AKEY:$ASECRET" -X PATCH -H 'Content-Type: application/json' \
			-d "{\"privateEndpoints\":{\"remove\":[{\"cloudProvider\":\"azure\",\"id\":\"$guid\",\"region\":\"westus3\"}]}}" \
			"$BASE/v1/organizations/$ORG" >/dev/null
		next_window
		ctl log/clear '{}' >/dev/null
		t0=$(now_ms)
		chl "$work/st-part$i" apply --yes --timeout 120 "${ANSWERS[@]}" >"$work/part$i.out" 2>&1
		rc=$?
		echo $(($(now_ms) - t0)) >>"$work/part.ms"
		ctl log >"$work/part$i.log"
		[ "$rc" = 0 ] || break
		count_429 "$work/part$i.log"
	done
	if [ "$rc" != 0 ]; then
		miss "flow: chlink apply, ClickHouse part" "reference" "apply exited $rc: $(tail -1 "$work/part$i.out")"
	else
		part_ms=$(median <"$work/part.ms")
	fi

	: >"$work/guide.ms"
	for i in $(seq "$FLOW_RUNS"); do
		fresh "{\"latency_ms\":$LATENCY_MS,\"jitter_ms\":0}"
		mkdir -p "$work/guide$i"
		t0=$(now_ms)
		(cd "$work/guide$i" && API=$BASE KEY_ID=$AKEY KEY_SECRET=$ASECRET ORG_ID=$ORG REGION=westus3 \
			PROVIDER=azure ENDPOINT_ID=$GUIDE_EP bash "$bench_dir/guide.sh" >out 2>err)
		rc=$?
		echo $(($(now_ms) - t0)) >>"$work/guide.ms"
		ctl log >"$work/guide$i.log"
		if [ "$rc" != 0 ] || ! tail -3 "$work/guide$i/out" | grep -q "$GUIDE_EP" ||
			[ "$(cat "$work/guide$i/instance_id")" != "$SVC" ]; then
			miss "flow: guide's curl + jq (ClickHouse steps)" "reference" \
				"the guide's commands did not end with the id on the allow list"
			guide_ms=
			break
		fi
		guide_ms=x
	done
	[ -n "$guide_ms" ] && guide_ms=$(median <"$work/guide.ms")
	sim_stop

	if [ -n "$guide_ms" ]; then
		row "flow: guide's curl + jq (ClickHouse steps)" \
			"$guide_ms ms, $(by_api "$work/guide1.log") req" "reference" \
			"5 curl + 4 jq; no Azure, DNS, wait or check"
	fi
	row "flow: chlink apply, empty world to access" "$full_ms ms, $(by_api "$work/flow.log") req" \
		"reference" "endpoint, DNS, org, allow list, Approved, probes"
	if [ -n "${part_ms:-}" ]; then
		row "flow: chlink apply, ClickHouse part" "$part_ms ms, $(by_api "$work/part1.log") req" \
			"reference" "Azure in place: org, allow list, Approved, probes"
	fi
	if [ -n "$guide_ms" ] && [ -n "${part_ms:-}" ]; then
		local r
		r=$(calc "$guide_ms / $part_ms")
		row "speed vs guide, ClickHouse part" "${r}x (guide / chlink)" ">= 3x" "$(verdict 3 "$r")"
	else
		miss "speed vs guide, ClickHouse part" ">= 3x" "one side was not measured"
	fi
	if [ -n "$guide_ms" ]; then
		local r
		r=$(calc "$guide_ms / $full_ms")
		row "speed vs guide, whole flow" "${r}x (guide CH-only / chlink all)" ">= 3x" "$(verdict 3 "$r")"
	else
		miss "speed vs guide, whole flow" ">= 3x" "the guide's side was not measured"
	fi
	note "flow: gaps of over 1 s with no new request: $(idle_gaps "$work/flow.log") in the full flow, $(idle_gaps "$work/part1.log" 2>/dev/null || echo "n/a") in the ClickHouse part"
	note "flow: chlink-sim at ${LATENCY_MS} ms per request, Azure long-running operations and approval set to 0 ms (Azure's own time is not chlink's); medians of $FLOW_RUNS; wall time includes process start"
	note "flow: the guide's side is flow.md's five ClickHouse calls (GET services | jq select, GET privateEndpointConfig, PATCH org add, PATCH service add, GET service | jq filters) with ENDPOINT_ID given; it creates nothing in Azure and verifies nothing"
}

# idle_gaps LOG: "N (T ms)", the stretches of over 1 s between two requests' arrivals.
idle_gaps() {
	logq "$1" '[.[].t] | sort | [range(1; length) as $i | .[$i] - .[$i - 1] | select(. > 1000)] | "\(length) (\(add // 0) ms)"'
}

# 3: requests against the minimum, polls while waiting for approval, 429s.
# The minimum a full flow needs from an empty world (one line per call: api|call|why).
MIN_CALLS=(
	"chc|GET services|find the service of REGION on azure"
	"chc|GET privateEndpointConfig|endpointServiceId and privateDnsHostname"
	"chc|PATCH organization|register the endpoint id"
	"chc|PATCH service|add the id to the allow list"
	"entra|POST token|ARM bearer token"
	"arm|GET privateEndpoints (subscription)|find an endpoint made by hand before creating one"
	"arm|PUT privateEndpoint|create it"
	"arm|GET privateEndpoint|provisioningState Succeeded, resourceGuid, NIC id"
	"arm|GET networkInterface|private IP"
	"arm|PUT privateDnsZone|create the zone"
	"arm|GET zone operation|zone Succeeded"
	"arm|PUT A record *|wildcard to the IP"
	"arm|PUT virtualNetworkLink|link the zone to the VNet"
	"arm|GET link operation|link Succeeded"
	"arm|GET privateEndpoint|connection Approved"
)
min_count() { printf '%s\n' "${MIN_CALLS[@]}" | awk -F'|' -v a="$1" 'a == "" || $1 == a' | wc -l; }
bench_economy() {
	local actual min chc_actual chc_min t0 rc
	echo "bench: API economy (approval after $((APPROVAL_MS / 1000)) s)" >&2
	min=$(min_count "") chc_min=$(min_count chc)
	if [ "${FLOW_OK:-0}" = 1 ]; then
		actual=$(logq "$work/flow.log" length)
		chc_actual=$(logq "$work/flow.log" 'map(select(.api == "chc")) | length')
		row "API: requests, full flow (actual / minimum)" "$actual / $min" "minimum" \
			"$([ "$actual" -le "$min" ] && echo met || echo "missed (+$((actual - min)))")"
		row "API: ClickHouse requests, full flow" "$chc_actual / $chc_min" "minimum (key: 10 per 10 s)" \
			"$([ "$chc_actual" -le "$chc_min" ] && echo met || echo "missed (+$((chc_actual - chc_min)))")"
		note "API: the minimum ($min): $(printf '%s\n' "${MIN_CALLS[@]}" | awk -F'|' '{ printf "%s%s %s", (NR > 1 ? "; " : ""), $1, $2 }')"
		note "API: chlink's calls, full flow: $(logq "$work/flow.log" 'map("\(.api) \(.method) \(.path | sub("^/v1/organizations/[^/]+"; "org") | sub("^/subscriptions/[^/]+(/resourceGroups/[^/]+)?/providers/Microsoft.Network/"; "") | sub("privateDnsZones/[^/]+"; "zone") | sub("/[0-9a-f-]{36}"; "/ID") | sub("[.]nic[.][0-9a-f-]+"; ".nic"))") | group_by(.) | map("\(length)x \(.[0])") | join("; ")')"
	else
		miss "API: requests, full flow (actual / minimum)" "minimum" "no full flow was measured"
		miss "API: ClickHouse requests, full flow" "minimum" "no full flow was measured"
	fi

	if [ "${FLOW_OK:-0}" != 1 ] || ! sim_start economy || ! learn_world; then
		miss "API: requests per minute waiting for approval" "<= 12 / min" "no apply to watch"
	else
		fresh "{\"latency_ms\":$LATENCY_MS,\"lro_ms\":0,\"approval_delay_ms\":$APPROVAL_MS}"
		t0=$(now_ms)
		chl "$work/st-econ" apply --yes --timeout 180 "${ANSWERS[@]}" >"$work/econ.out" 2>&1
		rc=$?
		ctl log >"$work/econ.log"
		if [ "$rc" != 0 ]; then
			miss "API: requests per minute waiting for approval" "<= 12 / min" "apply exited $rc"
		else
			count_429 "$work/econ.log"
			# The wait: from the allow-list PATCH to the moment the simulator approves.
			local from n per apis
			from=$(logq "$work/econ.log" '[.[] | select(.method == "PATCH" and (.path | test("/services/")) and .status == 200) | .t] | max')
			n=$(logq "$work/econ.log" "map(select(.t > $from and .t <= $from + $APPROVAL_MS)) | length")
			apis=$(logq "$work/econ.log" "map(select(.t > $from and .t <= $from + $APPROVAL_MS)) | group_by(.api) | map(\"\(.[0].api) \(length)\") | join(\", \")")
			per=$(calc "$n * 60000 / $APPROVAL_MS")
			row "API: requests per minute waiting for approval" "$per / min ($n in $((APPROVAL_MS / 1000)) s: ${apis:-none})" \
				"<= 12 / min" "$(verdict "$per" 12)"
			local last
			last=$(logq "$work/econ.log" 'map(.t) | max')
			note "API: approval came $((APPROVAL_MS / 1000)) s after the allow-list PATCH; chlink's last request came $(( (last - from - APPROVAL_MS) )) ms after it"
		fi
		sim_stop
	fi
	if [ "$LOGGED_RUNS" -gt 0 ]; then
		row "API: 429 responses received" "$TOTAL_429 in $LOGGED_RUNS chlink runs" "0" \
			"$([ "$TOTAL_429" = 0 ] && echo met || echo missed)"
	else
		miss "API: 429 responses received" "0" "no chlink run was logged"
	fi
}

# 5 (second half): chlink-sim's peak RSS across 1,000 requests.
vm() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
bench_sim_memory() {
	local urls="$work/urls" i base_kb at100 peak batches
	echo "bench: chlink-sim memory ($SIM_REQUESTS requests)" >&2
	if ! sim_start memory --rate-limit 1000000/1; then
		miss "peak RSS: chlink-sim, $SIM_REQUESTS requests" "flat (<= +2 MiB)" "chlink-sim did not start"
		return
	fi
	base_kb=$(vm "$SIM_PID" VmRSS)
	: >"$urls"
	for i in $(seq 50); do
		printf 'url = "%s/v1/organizations/%s/services"\noutput = "/dev/null"\n' "$BASE" "$ORG" >>"$urls"
		printf 'url = "%s/v1/organizations/%s"\noutput = "/dev/null"\n' "$BASE" "$ORG" >>"$urls"
	done
	batches=$((SIM_REQUESTS / 100))
	local codes=
	for i in $(seq "$batches"); do
		codes+=$(curl -s --max-time 120 --user "$AKEY:$ASECRET" -w '%{http_code}\n' --config "$urls")$'\n'
		[ "$i" = 1 ] && at100=$(vm "$SIM_PID" VmRSS)
	done
	peak=$(vm "$SIM_PID" VmHWM)
	sim_stop
	if [ "$(grep -c '^200$' <<<"$codes")" != "$SIM_REQUESTS" ]; then
		miss "peak RSS: chlink-sim, $SIM_REQUESTS requests" "flat (<= +2 MiB)" "not every request was answered 200"
		return
	fi
	row "peak RSS: chlink-sim, $SIM_REQUESTS requests" \
		"$(mib "$peak") MiB (start $(mib "$base_kb"), $(signed "$(mib $((peak - at100)))") after the first 100)" \
		"flat (<= +2 MiB)" "$(verdict $((peak - at100)) 2048)"
}
