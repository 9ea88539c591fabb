#!/bin/bash
# Run each test in its own throw-away HOME/XDG/TMPDIR, two at a time, count
# TAP lines ("ok"/"not ok", "# SKIP") and end with exactly one line:
#   N passed, N failed[, N skipped]
# A test with no TAP output counts once by its exit status (0 pass, 77 skip).
set -u
builddir=${builddir:-$(pwd)}
srcdir=${srcdir:-.}
export srcdir builddir
export top_srcdir=$(cd "$srcdir" && pwd)
logdir="$builddir/tests/logs"
mkdir -p "$logdir"
jobs=${TEST_JOBS:-2}
root=$(mktemp -d "${TMPDIR:-/tmp}/chlink-tests.XXXXXX")
trap 'rm -rf "$root"' EXIT

run_one() {
	local t=$1 name dir rc
	name=$(basename "$t"); name=${name%.sh}
	dir="$root/$name"
	mkdir -p "$dir/home" "$dir/config" "$dir/state" "$dir/cache" "$dir/tmp"
	case $t in /*) ;; *) t="$builddir/$t" ;; esac
	( cd "$dir" && env -u NO_COLOR -u CHLINK_PASSPHRASE -u CHLINK_PASSPHRASE_FILE \
		-u KEY_ID -u KEY_SECRET -u ORG_ID -u AZURE_CLIENT_SECRET \
		HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state" \
		XDG_CACHE_HOME="$dir/cache" TMPDIR="$dir/tmp" TZ=UTC LC_ALL=C.UTF-8 \
		CMOCKA_MESSAGE_OUTPUT=TAP PATH="$builddir:$PATH" \
		CHLINK_LOCALEDIR="$builddir/tests/locale" \
		timeout "${TEST_TIMEOUT:-600}" "$t" ) >"$logdir/$name.log" 2>&1 </dev/null
	rc=$?
	echo "$rc" >"$logdir/$name.rc"
}

for t in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	run_one "$t" &
done
wait

passed=0 failed=0 skipped=0
for t in "$@"; do
	name=$(basename "$t"); name=${name%.sh}
	log="$logdir/$name.log"; rc=$(cat "$logdir/$name.rc" 2>/dev/null || echo 99)
	p=$(grep -E '^ok [0-9]+' "$log" | grep -vc '# SKIP' || true)
	s=$(grep -E '^ok [0-9]+' "$log" | grep -c '# SKIP' || true)
	f=$(grep -cE '^not ok [0-9]+' "$log" || true)
	if [ $((p + s + f)) -eq 0 ]; then
		case $rc in 0) p=1 ;; 77) s=1 ;; *) f=1 ;; esac
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or exited non-zero after its last check
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		echo "FAIL: $name ($f failed, exit $rc) — log: $log"
		grep -E '^not ok|^#' "$log" | head -20 | sed 's/^/    /'
		[ "$rc" -ne 0 ] && [ -z "$(grep -E '^not ok' "$log")" ] && tail -15 "$log" | sed 's/^/    /'
	elif [ "${VERBOSE:-0}" = 1 ]; then
		cat "$log"
	else
		if [ "$s" -gt 0 ]; then echo "PASS: $name ($p passed, $s skipped)"
		else echo "PASS: $name ($p passed)"; fi
	fi
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ $((passed + skipped)) -gt 0 ]
