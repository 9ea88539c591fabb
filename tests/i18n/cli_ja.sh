#!/bin/bash
# cli_ja: the command line in Japanese against chlink-sim: status shows the guide's status
# words (承認済み) while --json keeps the API's value (Approved); a service's line is one
# whole sentence; doctor's "seen"/"fix" labels line up by display width.
source "$top_srcdir/tests/lib.sh"
[ -f "$CHLINK_LOCALEDIR/ja/LC_MESSAGES/chlink.mo" ] ||
	{ echo "no test catalogue in $CHLINK_LOCALEDIR (make check builds it)"; exit 1; }
source "$top_srcdir/tests/integration/flow_lib.sh"
unset LANGUAGE LC_MESSAGES
export LC_ALL=C.UTF-8

run apply --yes --timeout 120 "${answers[@]}" >"$work/apply.out" 2>&1
rc=$?
expect_eq "apply completes" 0 "$rc"
[ "$rc" = 0 ] || diag "$(tail -20 "$work/apply.out")"

out=$(run --lang ja status 2>&1)
expect_match "status in Japanese: the connection state in the guide's word" \
	'^接続状況: 承認済み$' "$out"
if grep -q 'Approved' <<<"$out"; then
	not_ok "status in Japanese: no English state word"; diag "$out"
else ok "status in Japanese: no English state word"; fi
json=$(run --lang ja status --json 2>&1)
expect_eq "status --json keeps the API's value" Approved \
	"$(jq -r .endpoint.connectionStatus <<<"$json")"

# Take the endpoint off the service's allow list behind chlink's back.
guid=$(jq -r .endpoint.resourceGuid <<<"$json")
ch -X PATCH -H 'Content-Type: application/json' \
	-d "{\"privateEndpointIds\":{\"remove\":[\"$guid\"]}}" \
	"$base/v1/organizations/$ORG_ID/services/$svc_id" >/dev/null
out=$(run --lang ja status 2>&1)
expect_match "a service's line is the whole Japanese sentence" \
	"^サービス: [^ ]+ \\($region\\) の許可リストにエンドポイントがありません\$" "$out"

out=$(run --lang ja doctor 2>&1)
expect_eq "doctor finds the missing allow list entry (exit 3)" 3 "$?"
seen=$(grep -m1 '^    観測:' <<<"$out")
fix=$(grep -m1 '^    対処:' <<<"$out")
if [ -z "$seen" ] || [ -z "$fix" ]; then
	not_ok "doctor labels its evidence and fix in Japanese"; diag "$out"
else
	ok "doctor labels its evidence and fix in Japanese"
	# the value starts at the same display column on both lines
	col() { python3 -c 'import sys,unicodedata as u
s=sys.argv[1]; i=len(s)-len(s.split(":",1)[1].lstrip(" "))
print(sum(2 if u.east_asian_width(c) in "WF" else 1 for c in s[:i]))' "$1"; }
	expect_eq "doctor's evidence and fix line up" "$(col "$seen")" "$(col "$fix")"
fi
done_testing
