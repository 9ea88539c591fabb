#!/bin/bash
# The terminal layer with the real ui/ code on the fake engine (tests/ui_harness):
# TERM=dumb and a missing terminal are refused with a hint; in a real terminal
# (tmux) Ctrl-C and SIGTERM leave `stty -a` exactly as it was, F10 quits from a
# text field, and a resize keeps the typed text.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/tmuxlib.sh"
harness="$builddir/tests/ui_harness"

out=$(TERM=dumb "$harness" --demo 2>&1 </dev/null); rc=$?
expect_eq "no terminal: refused with the usage status" 2 "$rc"
expect_match "no terminal: the hint names chlink apply and status" \
	'chlink apply.*chlink status' "$out"

if ! command -v tmux >/dev/null 2>&1; then
	skip "tmux is not installed: the real-terminal checks"
	done_testing
fi

# the pane stays readable after the command ends (tmuxlib: remain-on-exit from the start)
tmux_start 100 30 "TERM=dumb $harness --demo; echo harness-exit=\$?"
check_screen "TERM=dumb in a real terminal: refused with a hint" 30 "chlink apply"
check_screen "TERM=dumb: usage status" 30 "harness-exit=2"
tm kill-server

for sig in INT TERM; do
	before="$TMPDIR/stty-before-$sig" after="$TMPDIR/stty-after-$sig"
	# the harness runs in the foreground (a background job would lose the terminal);
	# sh -c writes its pid, then exec makes that pid the harness's
	tmux_start 100 30 "stty -a >$before; sh -c 'echo \$\$ >$TMPDIR/pid; exec $harness --demo'; echo harness-exit=\$?; stty -a >$after"
	check_screen "SIG$sig: welcome" 30 "12:00:00"
	keys Enter
	wait_screen 30 "Credentials"
	keys Enter
	check_screen "SIG$sig: alias screen" 30 "analytics-prod"
	keys Tab
	type_text "half"
	# in the middle of the form: the text is in the field when the signal comes
	check_screen "SIG$sig: text typed" 30 "half"
	if [ "$sig" = INT ]; then keys C-c; else kill -TERM "$(cat "$TMPDIR/pid")"; fi
	check_screen "SIG$sig: the wizard leaves" 30 "harness-exit=0"
	wait_until 30 test -s "$after"
	if diff -u "$before" "$after" >"$TMPDIR/stty.diff"; then ok "SIG$sig: stty -a unchanged"; else
		not_ok "SIG$sig: stty -a unchanged"; sed 's/^/#   /' "$TMPDIR/stty.diff"; fi
	if wait_until 30 history_has "Demo finished"; then
		ok "SIG$sig: the goodbye is printed after the screen is restored"
	else
		not_ok "SIG$sig: the goodbye is printed after the screen is restored"
		tm capture-pane -p -t t -S -200 | sed 's/^/#   | /'
	fi
	tm kill-server
done

tmux_start 100 30 "$harness --demo; echo harness-exit=\$?"
check_screen "real terminal: welcome" 30 "12:00:00"
keys Enter
wait_screen 30 "Credentials"
keys Enter
check_screen "real terminal: alias screen" 30 "analytics-prod"
keys Tab C-u
type_text "east日本"
check_screen "real terminal: typed text" 30 "east日本"
tm resize-window -t t -x 60 -y 20
check_screen "real terminal: 60x20 notice" 30 "Make the window larger (need 80x24, have 60x20)"
tm resize-window -t t -x 100 -y 30
check_screen "real terminal: typed text back after the resize" 30 "east日本"
keys F10
check_screen "real terminal: F10 quits from a text field" 30 "harness-exit=0"
done_testing
