#!/bin/bash
# sim_cli: chlink-sim's command line — help, usage errors, the ready line, signals, state, CA file.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/integration/sim_lib.sh"

out=$("$SIM_BIN" --help); rc=$?
expect_eq "--help exits 0" 0 "$rc"
for flag in --world --state --seed --port --dns-port --tls-port --ca-dir --latency \
	--error-rate --approval-delay --rate-limit --token-lifetime --lro --retry-after --version; do
	expect_match "--help mentions $flag" "$flag" "$out"
done
expect_match "--version names the program" '^chlink-sim [0-9]' "$("$SIM_BIN" --version)"

for bad in "--bogus" "--port 70000" "--port x" "--seed -1" "--latency abc" "--latency 5:x" \
	"--error-rate services" "--error-rate services=2" "--rate-limit 10" "--rate-limit 10/0" \
	"--lro -5" "extra-arg"; do
	# shellcheck disable=SC2086
	err=$("$SIM_BIN" $bad 2>&1 >/dev/null); rc=$?
	expect_eq "usage error exits 2: $bad" 2 "$rc"
	expect_match "usage error points at --help: $bad" "--help" "$err"
done

err=$("$SIM_BIN" --world "$TMPDIR/no-such-world.json" 2>&1 >/dev/null); rc=$?
expect_eq "missing world file exits 1" 1 "$rc"
expect_match "missing world file is named" "no-such-world" "$err"
printf '{"organizations": [' >"$TMPDIR/broken.json"
"$SIM_BIN" --world "$TMPDIR/broken.json" >/dev/null 2>"$TMPDIR/broken.err"; rc=$?
expect_eq "malformed world file exits 1" 1 "$rc"
check "malformed world file gets a message" test -s "$TMPDIR/broken.err"

# The ready line: exactly one JSON object with ports, CA and identity.
state="$TMPDIR/sim-state.json"
cadir="$TMPDIR/ca"
if ! start_sim --state "$state" --ca-dir "$cadir" --latency 1:1 --error-rate chc=0.25 \
	--rate-limit 1000/10 --lro 10 --retry-after 1 --token-lifetime 300 --approval-delay 0; then
	not_ok "chlink-sim starts"
	done_testing
fi
ok "chlink-sim starts and prints a ready line"
expect_eq "the ready line is one line" 1 "$(wc -l <"$SIM_OUT")"
check "the ready line has every field" jq -e '(.http|type)=="number" and (.dns|type)=="number"
	and (.tls|type)=="number" and (.cacert|type)=="string" and (.base_url|type)=="string"
	and (.org|type)=="string" and (.admin_key.id|type)=="string" and (.admin_key.secret|type)=="string"
	and (.developer_key.id|type)=="string" and (.azure.tenant|type)=="string"
	and (.azure.client_id|type)=="string" and (.azure.client_secret|type)=="string"
	and (.azure.subscription|type)=="string"' "$SIM_OUT"
expect_eq "base_url is loopback on the http port" "http://127.0.0.1:$HTTP" "$BASE"
expect_eq "the CA lands in --ca-dir" "$cadir/ca.pem" "$CACERT"
check "the CA file is a certificate" grep -q 'BEGIN CERTIFICATE' "$CACERT"
check "only 127.0.0.1 listens on the http port" bash -c "ss -Hltn 'sport = :$HTTP' | awk '{print \$4}' | grep -qx '127.0.0.1:$HTTP'"

# The fault flags reach the core (read back where the core shows them).
faults=$(curl -s --max-time 10 "$BASE/_sim/faults")
if jq -e 'type == "object" and has("latency_ms")' <<<"$faults" >/dev/null 2>&1; then
	expect_eq "--latency becomes latency_ms" 1 "$(jq -r .latency_ms <<<"$faults")"
	expect_eq "--latency jitter becomes jitter_ms" 1 "$(jq -r .jitter_ms <<<"$faults")"
	expect_eq "--error-rate becomes error_rate" 0.25 "$(jq -r .error_rate.chc <<<"$faults")"
	expect_eq "--rate-limit becomes rate_limit" "1000/10" "$(jq -r '"\(.rate_limit.requests)/\(.rate_limit.window_s)"' <<<"$faults")"
	expect_eq "--lro becomes lro_ms" 10 "$(jq -r .lro_ms <<<"$faults")"
else
	skip "GET /_sim/faults does not show the faults"
fi

# A second simulator on the same port fails clearly.
err=$("$SIM_BIN" --port "$HTTP" 2>&1 >/dev/null); rc=$?
expect_eq "a port in use exits 1" 1 "$rc"
expect_match "a port in use is explained" "port $HTTP" "$err"

# SIGTERM: clean exit 0, state saved.
kill -TERM "$SIM_PID"; wait "$SIM_PID"; rc=$?; SIM_PID=
expect_eq "SIGTERM exits 0" 0 "$rc"
check "the state file is saved on exit" jq -e 'type == "object"' "$state"
expect_eq "the state file is private" 600 "$(stat -c %a "$state")"
check "--ca-dir is kept after exit" test -f "$cadir/ca.pem"
check "nothing on stderr" test ! -s "$SIM_ERR"

# SIGINT works the same, and the default CA directory is removed on exit.
start_sim --state "$state" || not_ok "chlink-sim restarts from its state file"
ok "chlink-sim restarts from its state file"
tmpca=$CACERT
check "the default CA file exists while running" test -f "$tmpca"
kill -INT "$SIM_PID"; wait "$SIM_PID"; rc=$?; SIM_PID=
expect_eq "SIGINT exits 0" 0 "$rc"
check "the default CA directory is removed on exit" test ! -e "$(dirname "$tmpca")"

done_testing
