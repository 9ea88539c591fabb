#!/bin/bash
# run.sh: `make bench` — measure chlink's startup, flow, API economy, terminal bytes, memory and
# scale against chlink-sim on 127.0.0.1, and print one table (metric, value, target, verdict).
#
# Environment: builddir, srcdir (set by make); BENCH_QUICK=1 for a reduced run (2 runs each,
# short waits: the smoke test); BENCH_TSV=FILE also writes the rows tab-separated;
# BENCH_SECTIONS="startup flow economy demo sim_memory scale" picks sections (economy reads the
# flow's log); BENCH_KEEP=1 keeps the work directory (logs, terminal recordings) for inspection.
# Exit status: 0 when every row was measured (targets missed or not), 1 when a measurement could
# not be taken (the table says which and why), 2 when the tools themselves are missing.
set -u
builddir=${builddir:-$(pwd)}
srcdir=${srcdir:-.}
top_srcdir=$(cd "$srcdir" && pwd)
bench_dir="$top_srcdir/tests/bench"
chlink="$builddir/chlink"
sim="$builddir/chlink-sim"
floor="$builddir/tests/bench/floor"
benchrun="$builddir/tests/bench/benchrun"

QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	RUNS=2 FLOW_RUNS=1 APPROVAL_MS=3000 SIM_REQUESTS=200 SCALE_SERVICES=60 SCALE_RUNS=1
else
	RUNS=20 FLOW_RUNS=3 APPROVAL_MS=30000 SIM_REQUESTS=1000 SCALE_SERVICES=500 SCALE_RUNS=3
fi
LATENCY_MS=30
SCALE_ENDPOINTS=20

for tool in jq curl; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
for p in "$floor" "$benchrun"; do
	[ -x "$p" ] || { echo "bench: $p is not built (make bench builds it)" >&2; exit 2; }
done

# Loopback only, nothing may go through a proxy; the bench never touches the user's files.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
unset KEY_ID KEY_SECRET ORG_ID AZURE_CLIENT_SECRET CHLINK_PASSPHRASE CHLINK_PASSPHRASE_FILE
export NO_PROXY='*' no_proxy='*' LC_ALL=C.UTF-8 TZ=UTC
# Under sanitizers: a small quarantine so RSS means something; leaks are the tests' business.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1:thread_local_quarantine_size_kb=16:detect_leaks=0"

work=$(mktemp -d "${TMPDIR:-/tmp}/chlink-bench.XXXXXX")
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" \
	XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME"

STARTED=()
cleanup() {
	local p i
	[ -n "${TMUX_SOCK:-}" ] && tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	for p in "${STARTED[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${STARTED[@]}"; do
		for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.02; done
		kill -KILL "$p" 2>/dev/null
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- the table ------------------------------------------------------------------------------
ROW_M=() ROW_V=() ROW_T=() ROW_R=() NOTES=() MISSING=()
row() { ROW_M+=("$1"); ROW_V+=("$2"); ROW_T+=("$3"); ROW_R+=("$4"); }
# miss METRIC TARGET WHY: a row that could not be measured (make bench then exits 1).
miss() { row "$1" "n/a" "$2" "NOT MEASURED: $3"; MISSING+=("$1: $3"); }
note() { NOTES+=("$*"); }
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# calc EXPR: floating point arithmetic (awk), printed with up to 2 decimals.
calc() { awk "BEGIN { v = $1; printf (v == int(v) ? \"%d\" : \"%.2f\"), v }"; }
# le A B: A <= B
le() { awk "BEGIN { exit !($1 <= $2) }"; }
verdict() { if le "$1" "$2"; then echo "met"; else echo "missed"; fi; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mib() { calc "$1 / 1024"; }
# signed X: "+X" or "-X" (X already a number).
signed() { case $1 in -*) echo "$1" ;; *) echo "+$1" ;; esac; }

print_table() {
	local i w1=6 w2=5 w3=6
	for i in "${!ROW_M[@]}"; do
		[ ${#ROW_M[i]} -gt $w1 ] && w1=${#ROW_M[i]}
		[ ${#ROW_V[i]} -gt $w2 ] && w2=${#ROW_V[i]}
		[ ${#ROW_T[i]} -gt $w3 ] && w3=${#ROW_T[i]}
	done
	echo
	printf "%-${w1}s  %-${w2}s  %-${w3}s  %s\n" metric value target verdict
	printf "%-${w1}s  %-${w2}s  %-${w3}s  %s\n" "$(printf '%*s' $w1 '' | tr ' ' -)" \
		"$(printf '%*s' $w2 '' | tr ' ' -)" "$(printf '%*s' $w3 '' | tr ' ' -)" -------
	for i in "${!ROW_M[@]}"; do
		printf "%-${w1}s  %-${w2}s  %-${w3}s  %s\n" "${ROW_M[i]}" "${ROW_V[i]}" "${ROW_T[i]}" "${ROW_R[i]}"
		[ -n "${BENCH_TSV:-}" ] && printf '%s\t%s\t%s\t%s\n' "${ROW_M[i]}" "${ROW_V[i]}" "${ROW_T[i]}" \
			"${ROW_R[i]}" >>"$BENCH_TSV"
	done
	echo
	echo "$MACHINE"
	echo "$BUILD"
	for i in "${!NOTES[@]}"; do echo "  * ${NOTES[i]}"; done
}

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null)
MACHINE="machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r)${os:+, $os}"
if ldd "$floor" 2>/dev/null | grep -q libasan; then
	BUILD="build: ASan/UBSan (--enable-sanitizers): startup and RSS figures include the sanitizers' cost; configure without it for release figures"
else
	BUILD="build: $(sed -n 's/^CFLAGS = //p' "$builddir/Makefile" 2>/dev/null | head -1), no sanitizers"
fi
[ "$QUICK" = 1 ] && BUILD="$BUILD; QUICK mode (reduced runs, not for publication)"
: >"${BENCH_TSV:-/dev/null}"

# ---- the simulator --------------------------------------------------------------------------
# sim_start NAME ARGS...: start chlink-sim and read its one-line JSON ready output from a FIFO
# (20 s deadline). Sets SIM_PID, READY, BASE, CA, DNS_PORT, TLS_PORT and the identity.
SIM_PID= SIM_FD=
sim_start() {
	local name=$1 fifo="$work/$1.fifo"; shift
	[ -x "$sim" ] || return 1
	mkfifo "$fifo" || return 1
	"$sim" --port 0 --dns-port 0 --tls-port 0 --ca-dir "$work/$name.ca" "$@" \
		>"$fifo" 2>"$work/$name.err" &
	SIM_PID=$!
	STARTED+=("$SIM_PID")
	exec {SIM_FD}<"$fifo"
	READY=
	if ! read -r -t 20 READY <&"$SIM_FD" || ! jq -e 'type == "object"' <<<"$READY" >/dev/null 2>&1; then
		echo "bench: chlink-sim gave no ready line: $(head -c 500 "$work/$name.err")" >&2
		sim_stop
		return 1
	fi
	BASE=$(jq -r .base_url <<<"$READY")
	CA=$(jq -r .cacert <<<"$READY")
	DNS_PORT=$(jq -r .dns <<<"$READY")
	TLS_PORT=$(jq -r .tls <<<"$READY")
	ORG=$(jq -r .org <<<"$READY")
	AKEY=$(jq -r .admin_key.id <<<"$READY")
	ASECRET=$(jq -r .admin_key.secret <<<"$READY")
}
sim_stop() {
	local i
	[ -n "$SIM_PID" ] || return 0
	kill -TERM "$SIM_PID" 2>/dev/null
	for i in $(seq 250); do kill -0 "$SIM_PID" 2>/dev/null || break; sleep 0.02; done
	kill -KILL "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
	[ -n "$SIM_FD" ] && exec {SIM_FD}<&-
	SIM_PID= SIM_FD=
}
# ctl PATH [JSON]: the control API (never logged, never delayed).
ctl() {
	if [ $# -gt 1 ]; then
		curl -sS --max-time 20 -X POST -H 'Content-Type: application/json' -d "$2" "$BASE/_sim/$1"
	else
		curl -sS --max-time 20 "$BASE/_sim/$1"
	fi
}
# fresh FAULTS_JSON: world, log and rate windows back to the start, then these faults.
fresh() { ctl reset '{}' >/dev/null && ctl faults "$1" >/dev/null; }
# Move the simulated clock past the ClickHouse rate window so one run's requests do not count
# against the next (chlink keeps its own window in the state directory, fresh per run).
next_window() { ctl clock '{"advance_ms": 11000}' >/dev/null; }

# Answers for chlink: the first production westus3 service and vnet-app/snet-pe of the world,
# read through the control API so that no API request is spent on them.
learn_world() {
	local w
	w=$(ctl world) || return 1
	SUB=$(jq -r .azure.subscription <<<"$READY")
	SVC=$(jq -r '[.clickhouse.organizations[0].services[] | select(.provider == "azure" and .region == "westus3" and (.tier // "production") == "production")][0].id' <<<"$w")
	HOST=$(jq -r --arg id "$SVC" '.clickhouse.organizations[0].services[] | select(.id == $id) | .privateEndpointConfig.privateDnsHostname' <<<"$w")
	VNET_ID=$(jq -r '[.azure.virtualNetworks[] | select(.location == "westus3")][0] | "/subscriptions/\(.subscriptionId)/resourceGroups/\(.resourceGroup)/providers/Microsoft.Network/virtualNetworks/\(.name)"' <<<"$w")
	SUBNET_ID="$VNET_ID/subnets/$(jq -r '[.azure.virtualNetworks[] | select(.location == "westus3")][0].subnets[-1].name' <<<"$w")"
	RG=$(sed -E 's|.*/resourceGroups/([^/]+)/.*|\1|' <<<"$VNET_ID")
	ANSWERS=(--region westus3 --service "$SVC" --resource-group "$RG" --vnet "$VNET_ID"
		--subnet "$SUBNET_ID" --location westus3)
	[ -n "$SVC" ] && [ "$SVC" != null ] && [ -n "$HOST" ] && [ "$HOST" != null ]
}

# chl STATEDIR ARGS...: the real chlink pointed at the simulator for everything, probes included,
# with the credentials in the guide's environment variables and its own throw-away state.
chl() {
	local st=$1; shift
	mkdir -p "$st"
	env XDG_STATE_HOME="$st" XDG_CONFIG_HOME="$st/config" \
		KEY_ID="$AKEY" KEY_SECRET="$ASECRET" ORG_ID="$ORG" \
		AZURE_TENANT_ID="$(jq -r .azure.tenant <<<"$READY")" \
		AZURE_CLIENT_ID="$(jq -r .azure.client_id <<<"$READY")" \
		AZURE_CLIENT_SECRET="$(jq -r .azure.client_secret <<<"$READY")" \
		AZURE_SUBSCRIPTION_ID="$SUB" \
		timeout 300 "$chlink" --api-url "$BASE" --arm-url "$BASE" --login-url "$BASE" --cacert "$CA" \
		--dns-server "127.0.0.1:$DNS_PORT" --connect-to "$HOST:9440:127.0.0.1:$TLS_PORT" \
		--connect-to "$HOST:8443:127.0.0.1:$TLS_PORT" "$@"
}

# Request log figures. logq FILE JQ: a jq expression over .requests.
logq() { jq -r ".requests | $2" "$1"; }
TOTAL_429=0 LOGGED_RUNS=0
count_429() { TOTAL_429=$((TOTAL_429 + $(logq "$1" 'map(select(.status == 429)) | length'))); LOGGED_RUNS=$((LOGGED_RUNS + 1)); }
by_api() { logq "$1" '"\(length) (chc \(map(select(.api == "chc")) | length), arm \(map(select(.api == "arm")) | length), entra \(map(select(.api == "entra")) | length))"'; }

for part in sections world demo; do
	source "$bench_dir/$part.sh" || { echo "bench: cannot read $bench_dir/$part.sh" >&2; exit 2; }
done

echo "chlink bench: $(date -u '+%Y-%m-%d %H:%M UTC'), work dir $work" >&2
for section in ${BENCH_SECTIONS:-startup flow economy demo sim_memory scale}; do
	"bench_$section"
done

print_table
[ ${#ROW_M[@]} -gt 0 ] || { echo "bench: no row was produced" >&2; exit 2; }
if [ ${#MISSING[@]} -gt 0 ]; then
	echo
	echo "bench: ${#MISSING[@]} measurement(s) could not be taken:"
	printf '  - %s\n' "${MISSING[@]}"
	exit 1
fi
exit 0
