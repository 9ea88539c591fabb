#!/bin/bash
# Resize to 60x20 in the middle of a form and back: a notice instead of a broken
# layout, then the form again with the typed text intact.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo

tmux_start 100 30 "$chlink --demo; echo chlink-exit=\$?"
check_screen "welcome" 30 "DEMO"
if demo_to_alias_done; then ok "stage 1 done"; else not_ok "stage 1 done"; done_testing; fi
keys Enter
check_screen "stage 2 form" 30 "Endpoint name"
keys Tab Tab Tab Tab Tab C-u
type_text "pe-日本-tëst"
check_screen "typed text shown" 30 "pe-日本-tëst"
tm resize-window -t t -x 60 -y 20
check_screen "60x20 shows the notice" 30 "Make the window larger (need 80x24, have 60x20)"
tm resize-window -t t -x 100 -y 30
check_screen "back at 100x30 the form returns" 30 "Endpoint name"
check_screen "typed text intact" 30 "pe-日本-tëst"
keys F10
check_screen "F10 quits from a text field" 30 "chlink-exit=0"
done_testing
