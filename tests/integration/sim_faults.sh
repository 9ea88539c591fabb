#!/bin/bash
# sim_faults: faults switched through /_sim/faults are acted out on the wire by chlink-sim:
# resets, truncated and malformed bodies, slow bodies, 429 storms, held answers.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/sim_lib.sh"

if ! start_sim --rate-limit 0/1; then
	not_ok "chlink-sim starts"
	done_testing
fi
skip_if_fake
ok "chlink-sim starts"
URL="$BASE/v1/organizations/$ORG_ID/services"
faults() { curl -s --max-time 10 -X POST -H 'Content-Type: application/json' "$BASE/_sim/faults" -d "$1" >/dev/null; }
get() { curl -sS --max-time 30 --user "$KEY_ID:$KEY_SECRET" -o "$TMPDIR/body" -w '%{http_code}' "$URL" 2>"$TMPDIR/err"; }

code=$(get); rc=$?
expect_eq "without faults the list answers 200" "0 200" "$rc $code"
check "and its body is JSON" jq -e .result "$TMPDIR/body"
full=$(wc -c <"$TMPDIR/body")

faults '{"reset_rate":1}'
get >/dev/null; rc=$?
expect_eq "reset_rate 1: curl sees the connection reset (56)" 56 "$rc"
expect_match "and says so" '[Rr]eset' "$(cat "$TMPDIR/err")"

faults '{"reset_rate":0,"truncate_rate":1}'
get >/dev/null; rc=$?
expect_eq "truncate_rate 1: curl sees a partial body (18)" 18 "$rc"

faults '{"truncate_rate":0,"malformed_rate":1}'
code=$(get); rc=$?
expect_eq "malformed_rate 1: the answer arrives" "0 200" "$rc $code"
check "but its body does not parse" bash -c "! jq -e . '$TMPDIR/body' >/dev/null 2>&1"

faults '{"malformed_rate":0,"slow_body_ms":400}'
code=$(get); rc=$?
expect_eq "slow_body_ms: the answer arrives" "0 200" "$rc $code"
expect_eq "whole" "$full" "$(wc -c <"$TMPDIR/body")"
check "and parses" jq -e .result "$TMPDIR/body"

faults '{"slow_body_ms":0,"storm_429":2}'
c1=$(get); c2=$(get); c3=$(get)
expect_eq "storm_429 2: two 429s, then 200" "429 429 200" "$c1 $c2 $c3"

# Bodies over 1 MiB get 413 in the shape of the API they were meant for.
head -c 2000000 /dev/zero | tr '\0' ' ' >"$TMPDIR/big"
code=$(curl -s --max-time 30 --user "$KEY_ID:$KEY_SECRET" -X PATCH -H 'Content-Type: application/json' \
	--data-binary @"$TMPDIR/big" -o "$TMPDIR/body" -w '%{http_code}' "$BASE/v1/organizations/$ORG_ID")
expect_eq "a 2 MB ClickHouse Cloud body gets 413" 413 "$code"
check "in the ClickHouse Cloud shape" jq -e '.status == 413 and (.error | type == "string")' "$TMPDIR/body"
code=$(curl -s --max-time 30 -X PUT -H 'Content-Type: application/json' --data-binary @"$TMPDIR/big" \
	-o "$TMPDIR/body" -w '%{http_code}' \
	"$BASE/subscriptions/$SUB/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/x?api-version=2024-05-01")
expect_eq "a 2 MB ARM body gets 413" 413 "$code"
check "in the ARM shape" jq -e '.error.code == "RequestEntityTooLarge"' "$TMPDIR/body"

# A held request does not hold up the others (thread per connection).
curl -s --max-time 10 -X POST "$BASE/_sim/log/clear" >/dev/null
curl -s --max-time 10 -X POST "$BASE/_sim/hold" -d '{"ms":60000,"count":1}' >/dev/null
curl -s --max-time 90 --user "$KEY_ID:$KEY_SECRET" -o /dev/null "$URL" &
held=$!
seen_held() { curl -s --max-time 5 "$BASE/_sim/log" | jq -e '.requests | length >= 1' >/dev/null 2>&1; }
# The log records the held request when the core answers it, before the wait: poll for it.
check "the held request reaches the core" wait_until 20 seen_held
code=$(curl -s --max-time 10 --user "$KEY_ID:$KEY_SECRET" -o /dev/null -w '%{http_code}' "$URL")
expect_eq "another request is answered while one is held" 200 "$code"
check "the held one is still waiting" kill -0 "$held"
kill "$held" 2>/dev/null; wait "$held" 2>/dev/null

stop_sim
done_testing
