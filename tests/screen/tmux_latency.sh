#!/bin/bash
# A key is handled within 100 ms while the simulator holds every request for 5 s:
# the network never blocks the keyboard. The demo writes its simulator's ready JSON
# to $CHLINK_DEMO_INFO ({"http": PORT, ...}); POST /_sim/hold holds requests.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo

info="$TMPDIR/demo-info.json"
tmux_start 100 30 "CHLINK_DEMO_INFO=$info $chlink --demo; echo chlink-exit=\$?"
check_screen "welcome" 20 "DEMO"
if wait_until 10 test -s "$info"; then ok "the demo exposes its simulator"; else
	not_ok "the demo exposes its simulator (CHLINK_DEMO_INFO=$info stays empty)"; done_testing; fi
port=$(grep -oE '"http" *: *[0-9]+' "$info" | grep -oE '[0-9]+$')
check "hold every request for 5 s" curl -fsS -X POST -H 'Content-Type: application/json' \
	-d '{"ms":5000}' "http://127.0.0.1:$port/_sim/hold?ms=5000" -o /dev/null
keys r # observe everything: requests now hang in the simulator
best=999999
for _ in 1 2 3; do
	t0=$(now_ms)
	keys '?'
	wait_until 5 screen_has "closes this help" || break
	t1=$(now_ms)
	[ $((t1 - t0)) -lt "$best" ] && best=$((t1 - t0))
	keys Escape
	wait_until 5 sh -c "! tmux -L $tsock capture-pane -p -t t | grep -qF 'closes this help'"
done
diag "help shown $best ms after the key (best of 3, tmux round trips included)"
if [ "$best" -lt 100 ]; then ok "a key is handled within 100 ms during a held request"
else not_ok "a key is handled within 100 ms during a held request (took $best ms)"; fi
keys q
check_screen "q quits while requests are held" 15 "chlink-exit=0"
done_testing
