# tests/lib.sh: TAP helpers for shell tests; source it first.
# Tests synchronise on events (a ready line, a poll with a deadline), never on bare sleeps.
_tap_n=0
_tap_failed=0
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); _tap_failed=1; echo "not ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $* # SKIP"; }
diag() { printf '# %s\n' "$@"; }
# check "name" cmd args...: passes when the command exits 0.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; diag "command failed: $*"; fi
}
# expect_eq "name" expected actual
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"; diag "expected: $2" "got:      $3"; fi
}
# expect_match "name" regex text
expect_match() {
	if printf '%s' "$3" | grep -qE -- "$2"; then ok "$1"; else
		not_ok "$1"; diag "expected to match: $2" "got: $(printf '%s' "$3" | head -c 2000)"; fi
}
# wait_until SECONDS cmd...: poll every 50 ms until cmd succeeds or the deadline passes.
wait_until() {
	local deadline=$(( $(date +%s%N) / 1000000 + $1 * 1000 )); shift
	while :; do
		"$@" && return 0
		[ $(( $(date +%s%N) / 1000000 )) -ge $deadline ] && return 1
		sleep 0.05
	done
}
done_testing() { echo "1..$_tap_n"; exit $_tap_failed; }
