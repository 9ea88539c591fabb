#!/bin/bash
# The network never blocks the keyboard: while the simulator holds every answer for
# 60 s, a key is still handled at once. The bound checked here (10 s, a sixth of the
# hold) tells a responsive wizard from one waiting on the network whatever the load;
# the milliseconds themselves are measured (best of 3) and shown, not judged: timing
# belongs to `make bench`. The demo writes its simulator's ready JSON to
# $CHLINK_DEMO_INFO; POST /_sim/faults {"latency_ms": N} delays every answer.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo

tmux_start 100 30 "CHLINK_DEMO_INFO=$demo_info $chlink --demo; echo chlink-exit=\$?"
check_screen "welcome" 30 "DEMO"
if wait_until 30 test -s "$demo_info"; then ok "the demo exposes its simulator"; else
	not_ok "the demo exposes its simulator (CHLINK_DEMO_INFO=$demo_info stays empty)"; done_testing; fi
# the first observation has ended ("polled" and its time): r starts a new one
check_screen "the first observation has ended" 30 "polled "
check "every answer of the simulator now takes 60 s" demo_sim /_sim/faults '{"latency_ms": 60000}'
keys r # observe everything: its requests now wait in the simulator
t_r=$(now_ms)
best=999999
for _ in 1 2 3; do
	t0=$(now_ms)
	keys '?'
	wait_until 30 screen_has "closes this help" || break
	t1=$(now_ms)
	[ $((t1 - t0)) -lt "$best" ] && best=$((t1 - t0))
	keys Escape
	wait_until 30 screen_lacks "closes this help"
done
diag "help shown $best ms after the key (best of 3, tmux round trips included)"
if [ "$best" -lt 10000 ] && [ $(($(now_ms) - t_r)) -lt 60000 ]; then
	ok "keys are handled while the requests are held"
else
	not_ok "keys are handled while the requests are held (best $best ms, the walk took $(($(now_ms) - t_r)) ms of the 60 s hold)"
fi
keys q
check_screen "q quits while requests are held" 30 "chlink-exit=0"
done_testing
