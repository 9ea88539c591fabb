#!/bin/bash
# sim_rss: 1,000 sequential requests leave chlink-sim's RSS flat (both figures printed).
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/sim_lib.sh"

LIMIT_KB=${SIM_RSS_LIMIT_KB:-2048}

if ! start_sim --rate-limit 1000000/1; then
	not_ok "chlink-sim starts"
	done_testing
fi
ok "chlink-sim starts"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SIM_PID/status"; }

# One curl process per batch; "Connection: close" makes every request a new connection,
# so per-connection threads and buffers are churned too.
urls="$TMPDIR/urls.txt"
: >"$urls"
for i in $(seq 100); do
	printf 'url = "%s/v1/organizations/%s/services"\noutput = "/dev/null"\n' "$BASE" "$ORG_ID" >>"$urls"
done
batch() {
	curl -s --max-time 120 --user "$KEY_ID:$KEY_SECRET" -H 'Connection: close' \
		-w '%{http_code}\n' --config "$urls"
}

codes=$(batch)
after100=$(rss_kb)
for i in $(seq 9); do codes+=$'\n'$(batch); done
after1000=$(rss_kb)

expect_eq "1,000 requests were answered" 1000 "$(grep -cE '^[1-5][0-9][0-9]$' <<<"$codes")"
if ! sim_is_fake; then
	expect_eq "every request succeeded" 1000 "$(grep -c '^200$' <<<"$codes")"
fi
diag "VmRSS after 100 requests: $after100 kB" "VmRSS after 1000 requests: $after1000 kB" \
	"growth: $((after1000 - after100)) kB (limit $LIMIT_KB kB)"
if [ $((after1000 - after100)) -le "$LIMIT_KB" ]; then
	ok "RSS stays flat over 900 more requests"
else
	not_ok "RSS stays flat over 900 more requests"
fi
check "still alive" kill -0 "$SIM_PID"
stop_sim
done_testing
