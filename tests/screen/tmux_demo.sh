#!/bin/bash
# The full demo in a real terminal: all five stages, Pending turning Approved,
# the troubleshooting screen, the summary, and a clean exit.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo

tmux_start 100 30 "$chlink --demo; echo chlink-exit=\$?"
check_screen "welcome with the DEMO badge" 20 "DEMO"
if demo_to_alias_done; then ok "stage 1: alias read"; else
	not_ok "stage 1: alias read"; screen_text | sed 's/^/#   | /'; done_testing; fi
keys Enter
check_screen "stage 2 form" 10 "Endpoint name"
keys Enter
check_screen "creating asks first, naming the endpoint" 10 "Create private endpoint"
keys y
check_screen "endpoint created, connection Pending" 120 "Endpoint Pending"
keys Enter
check_screen "DNS screen" 10 "Wildcard record"
keys Enter
check_screen "DNS asks first" 10 "Create private DNS zone"
keys y
check_screen "DNS done" 60 "DNS ✓"
keys Enter
check_screen "organization screen" 10 "Endpoint ID"
keys Enter
check_screen "organization asks first" 10 "organization's private endpoints"
keys y
check_screen "organization done" 60 "Org ✓"
keys Enter
check_screen "allow list screen" 10 "Connection: Pending"
keys Enter
check_screen "allow list asks first" 10 "allow list"
keys y
check_screen "Pending turns Approved" 120 "Endpoint Approved"
keys Enter
check_screen "access screen with the commands" 10 "clickhouse-client --host"
# Every observation runs the probes, so they have results by the time the screen shows.
check_screen "probes ran" 60 "passed"
keys Enter
check_screen "troubleshooting" 30 "Troubleshoot"
keys Right
check_screen "summary" 10 "What exists now"
keys Enter
check_screen "clean exit" 10 "chlink-exit=0"
done_testing
