# tests/integration/sim_lib.sh: start chlink-sim for a shell test and read its ready line.
# Source after tests/lib.sh. start_sim sets SIM_PID, READY, HTTP, DNS, TLS, CACERT, BASE,
# ORG_ID, KEY_ID, KEY_SECRET, DEV_KEY_ID, DEV_KEY_SECRET, TENANT, CLIENT_ID, CLIENT_SECRET, SUB.
# Every request stays on 127.0.0.1: no proxy may intercept them.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'
# ASan's quarantine keeps freed memory on purpose; keep it small so RSS figures mean something.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1:thread_local_quarantine_size_kb=16"
SIM_BIN=${SIM_BIN:-$builddir/chlink-sim}
SIM_PID=

stop_sim() {
	if [ -n "$SIM_PID" ] && kill -0 "$SIM_PID" 2>/dev/null; then
		kill -TERM "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	fi
	SIM_PID=
}

_sim_ready() {
	[ -s "$SIM_OUT" ] && jq -e 'type == "object"' "$SIM_OUT" >/dev/null 2>&1 && return 0
	kill -0 "$SIM_PID" 2>/dev/null || return 0 # died: stop waiting
	return 1
}

# start_sim [chlink-sim args...]: returns 1 (with diagnostics) when no ready line came.
start_sim() {
	SIM_OUT=$(mktemp "$TMPDIR/sim-ready.XXXXXX")
	SIM_ERR=$(mktemp "$TMPDIR/sim-err.XXXXXX")
	"$SIM_BIN" --port 0 --dns-port 0 --tls-port 0 "$@" >"$SIM_OUT" 2>"$SIM_ERR" &
	SIM_PID=$!
	trap stop_sim EXIT
	if ! wait_until 30 _sim_ready || ! kill -0 "$SIM_PID" 2>/dev/null; then
		diag "chlink-sim gave no ready line; stderr:" "$(cat "$SIM_ERR")"
		return 1
	fi
	READY=$(cat "$SIM_OUT")
	HTTP=$(jq -r .http <<<"$READY")
	DNS=$(jq -r .dns <<<"$READY")
	TLS=$(jq -r .tls <<<"$READY")
	CACERT=$(jq -r .cacert <<<"$READY")
	BASE=$(jq -r .base_url <<<"$READY")
	ORG_ID=$(jq -r .org <<<"$READY")
	KEY_ID=$(jq -r .admin_key.id <<<"$READY")
	KEY_SECRET=$(jq -r .admin_key.secret <<<"$READY")
	DEV_KEY_ID=$(jq -r .developer_key.id <<<"$READY")
	DEV_KEY_SECRET=$(jq -r .developer_key.secret <<<"$READY")
	TENANT=$(jq -r .azure.tenant <<<"$READY")
	CLIENT_ID=$(jq -r .azure.client_id <<<"$READY")
	CLIENT_SECRET=$(jq -r .azure.client_secret <<<"$READY")
	SUB=$(jq -r .azure.subscription <<<"$READY")
}

# True when chlink-sim was linked with the throw-away fake core (a branch without the real one).
sim_is_fake() {
	jq -e '.fake == true' <<<"$READY" >/dev/null 2>&1
}

# skip_if_fake: tests of the clouds' behaviour need the real core.
skip_if_fake() {
	if sim_is_fake; then
		echo "# SKIP chlink-sim is built with the fake core; these checks need the real one"
		stop_sim
		exit 77
	fi
}

# dns_query NAME [TYPE]: ask the simulator's DNS server; prints "RCODE IP..." (IPs of A answers).
dns_query() {
	python3 - "$DNS" "$1" "${2:-1}" <<'PY'
import random, socket, struct, sys
port, name, qtype = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
qid = random.randrange(65536)
q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
for label in name.rstrip(".").split("."):
    q += bytes([len(label)]) + label.encode()
q += b"\0" + struct.pack(">HH", qtype, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(q, ("127.0.0.1", port))
a = s.recv(4096)
rid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", a[:12])
assert rid == qid and flags & 0x8000, "not an answer to our query"
def skip_name(off):
    while True:
        n = a[off]
        if n == 0:
            return off + 1
        if n & 0xC0 == 0xC0:
            return off + 2
        off += n + 1
off = 12
for _ in range(qd):
    off = skip_name(off) + 4
ips = []
for _ in range(an):
    off = skip_name(off)
    rtype, rclass, ttl, rdlen = struct.unpack(">HHIH", a[off:off + 10])
    off += 10
    if rtype == 1 and rdlen == 4:
        ips.append("%d.%d.%d.%d/%d" % (*a[off:off + 4], ttl))
    off += rdlen
print(flags & 0xF, *ips)
PY
}
