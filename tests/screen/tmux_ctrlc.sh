#!/bin/bash
# Ctrl-C in the middle of a form: the wizard leaves cleanly, the terminal modes
# are exactly as before (stty -a), and the cursor is back.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo

before="$TMPDIR/stty-before" after="$TMPDIR/stty-after"
tmux_start 100 30 "stty -a >$before; $chlink --demo; echo chlink-exit=\$?; stty -a >$after"
check_screen "welcome" 30 "DEMO"
if demo_to_alias_done; then ok "stage 1 done"; else not_ok "stage 1 done"; fi
keys Enter
check_screen "stage 2 form" 30 "Endpoint name"
keys Tab
type_text "half-typed"
# in the middle of the form: the text is in the field when Ctrl-C comes
check_screen "text typed into the form" 30 "half-typed"
keys C-c
check_screen "Ctrl-C ends the wizard" 30 "chlink-exit="
wait_until 30 test -s "$after"
if diff -u "$before" "$after" >"$TMPDIR/stty.diff"; then ok "stty -a unchanged"; else
	not_ok "stty -a unchanged"; sed 's/^/#   /' "$TMPDIR/stty.diff"; fi
if screen_text | grep -q 'chlink-exit=[01]$\|chlink-exit=130'; then ok "exit status reported"
else not_ok "exit status reported"; screen_text | sed 's/^/#   | /'; fi
done_testing
