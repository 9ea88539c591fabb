#!/bin/bash
# The full demo in a real terminal: all five stages, Pending turning Approved,
# the troubleshooting screen, the summary, and a clean exit. On the way, a step
# confirmed while another still runs is queued behind it, not refused.
# Every key is sent once the screen shows a state in which it means what the walk
# wants (e.g. Enter on the access screen only once "Access ✓": before that, Enter
# runs the probes again); deadlines are generous so a loaded machine cannot fail it.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo

tmux_start 100 30 "CHLINK_DEMO_INFO=$demo_info $chlink --demo; echo chlink-exit=\$?"
check_screen "welcome with the DEMO badge" 30 "DEMO"
if demo_to_alias_done; then ok "stage 1: alias read"; else
	not_ok "stage 1: alias read"; screen_text | sed 's/^/#   | /'; done_testing; fi
keys Enter
check_screen "stage 2 form" 30 "Endpoint name"
keys Enter
check_screen "creating asks first, naming the endpoint" 30 "Create private endpoint"
keys y
check_screen "endpoint created, connection Pending" 120 "Endpoint Pending"
keys Enter
check_screen "DNS screen" 30 "Wildcard record"
# The DNS zone's creation (an ARM long-running operation) lasts until the simulated
# clock is moved on: the organization step is confirmed while it provably runs.
check "the demo's simulator makes long-running operations last 10 min" \
	demo_sim /_sim/faults '{"lro_ms": 600000}'
keys Enter
check_screen "DNS asks first" 30 "Create private DNS zone"
keys y
check_screen "the DNS zone is being created" 30 "creating private DNS zone"
keys Right
check_screen "organization screen while DNS runs" 30 "Endpoint ID"
keys Enter
check_screen "organization asks first, even while DNS runs" 30 "organization's private endpoints"
keys y
check_screen "confirmed while DNS runs: queued, not refused" 30 \
	"Queued: it starts when the step in progress ends."
check "the simulated clock moves on 10 min" demo_sim /_sim/faults '{"lro_ms": 1500}'
check "... and the DNS operations end" demo_sim /_sim/clock '{"advance_ms": 600000}'
check_screen "DNS done" 120 "DNS ✓"
check_screen "then the queued organization step: done" 120 "Org ✓"
keys Enter
check_screen "allow list screen" 30 "Connection: Pending"
keys Enter
check_screen "allow list asks first" 30 "allow list"
keys y
check_screen "Pending turns Approved" 120 "Endpoint Approved"
keys Enter
check_screen "access screen with the commands" 30 "clickhouse-client --host"
# The first "passed" may be a stale row from before the approval (TLS answers only an
# approved endpoint): wait for the stage's own verdict, then all three rows.
check_screen "probes ran: the access stage is done" 120 "Access ✓"
n=$(screen_text | grep -c '✓ passed')
expect_eq "all three probes passed" 3 "$n"
keys Enter
check_screen "troubleshooting" 30 "Troubleshoot"
keys Right
check_screen "summary" 30 "What exists now"
keys Enter
check_screen "clean exit" 30 "chlink-exit=0"
done_testing
