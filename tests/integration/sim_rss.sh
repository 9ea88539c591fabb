#!/bin/bash
# sim_rss: 1,000 sequential requests leave chlink-sim's RSS flat (both figures printed).
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/sim_lib.sh"

# Bounds. Growth after the first 100 requests: 2 MiB. A leak grows RSS linearly, so the last
# 300 requests must also add little: 1 MiB (a leak of over 3 KB a request). Under
# AddressSanitizer the allocator keeps mapping fresh size-class regions for a while
# (decelerating; measured with the real core at 2.5-3 MiB over these 900 requests, 0.5-0.9 MiB
# over the last 300), so there the bounds are 6 MiB and 2 MiB.
LIMIT_KB=2048
TAIL_LIMIT_KB=1024
if ldd "$SIM_BIN" 2>/dev/null | grep -q libasan; then
	LIMIT_KB=6144
	TAIL_LIMIT_KB=2048
	diag "chlink-sim is built with AddressSanitizer: bounds widened"
fi

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
# The request log keeps the last 10,000 requests by design; emptying it after each batch keeps
# that bounded, so what remains of any growth is a leak.
batch() {
	curl -s --max-time 120 --user "$KEY_ID:$KEY_SECRET" -H 'Connection: close' \
		-w '%{http_code}\n' --config "$urls"
	curl -s --max-time 10 -o /dev/null -X POST "$BASE/_sim/log/clear"
}

codes=$(batch)
after100=$(rss_kb)
for i in $(seq 2 10); do
	codes+=$'\n'$(batch)
	[ "$i" = 7 ] && after700=$(rss_kb)
done
after1000=$(rss_kb)

expect_eq "1,000 requests were answered" 1000 "$(grep -cE '^[1-5][0-9][0-9]$' <<<"$codes")"
if ! sim_is_fake; then
	expect_eq "every request succeeded" 1000 "$(grep -c '^200$' <<<"$codes")"
fi
diag "VmRSS after 100 requests: $after100 kB" "VmRSS after 700 requests: $after700 kB" \
	"VmRSS after 1000 requests: $after1000 kB" \
	"growth 100->1000: $((after1000 - after100)) kB (limit $LIMIT_KB kB)" \
	"growth 700->1000: $((after1000 - after700)) kB (limit $TAIL_LIMIT_KB kB)"
if [ $((after1000 - after100)) -le "$LIMIT_KB" ]; then
	ok "RSS stays flat over 900 more requests"
else
	not_ok "RSS stays flat over 900 more requests"
fi
if [ $((after1000 - after700)) -le "$TAIL_LIMIT_KB" ]; then
	ok "RSS does not keep climbing over the last 300 requests"
else
	not_ok "RSS does not keep climbing over the last 300 requests"
fi
check "still alive" kill -0 "$SIM_PID"
stop_sim
done_testing
