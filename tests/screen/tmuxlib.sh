# tests/screen/tmuxlib.sh: drive the real chlink in a real terminal (tmux), as tmux's
# own regress/ does: an isolated server, send-keys, and capture-pane polled with a
# deadline. Source after tests/lib.sh. Every test skips (77) until `chlink --demo`
# runs the wizard, so these scripts can land before the engine and the wizard are merged.
chlink="$builddir/chlink"
tsock="chlink$$"

# Without a terminal, `chlink --demo` must refuse with the wizard's own message.
chlink_has_wizard() {
	local out
	[ -x "$chlink" ] || return 1
	out=$(timeout 20 "$chlink" --demo </dev/null 2>&1 >/dev/null)
	case $out in *"the wizard needs a terminal"*) return 0 ;; esac
	return 1
}

require_demo() {
	command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
	if ! chlink_has_wizard; then
		not_ok "chlink --demo refuses to run without a terminal, naming the wizard"
		done_testing
	fi
}

# The server reads this file before it runs the first command (new-session), so the
# pane of a command that ends at once is kept (remain-on-exit) and can still be read.
# Setting the option after new-session races with that command's exit. (window-size
# stays a runtime option: tmux 3.3a's server dies on it in a config file.)
tconf="${TMPDIR:-/tmp}/tmux-$tsock.conf"
printf 'set-option -g remain-on-exit on\n' >"$tconf"
tm() { tmux -L "$tsock" -f "$tconf" "$@"; }
sanitizer_log="${TMPDIR:-/tmp}/sanitizer-$tsock"

# tmux_start COLS ROWS COMMAND: one window running COMMAND under bash. Each start gets a
# server of its own: kill-server returns before the old server has let go of its socket,
# and a new-session on that socket could reach the dying server and fail with it.
_tmux_starts=0
tmux_start() {
	local cols=$1 rows=$2; shift 2
	_tmux_starts=$((_tmux_starts + 1))
	tsock="chlink$$-$_tmux_starts"
	trap 'tm kill-server 2>/dev/null' EXIT
	# The wizard keeps its stderr in a temporary file while it draws: a sanitizer's report
	# goes to files of its own (log_path), which a failed check shows.
	tm new-session -d -x "$cols" -y "$rows" -s t \
		-e "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$sanitizer_log" \
		-e "UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:log_path=$sanitizer_log" \
		"$*" || return 1
	tm set-option -g window-size manual >/dev/null
}

screen_text() { tm capture-pane -p -t t; }
screen_has() { screen_text | grep -qF -- "$1"; }
screen_matches() { screen_text | grep -qE -- "$1"; }
screen_lacks() { ! screen_has "$1"; }
# the pane and its scrollback (leaving the alternate screen may scroll a line away)
history_has() { tm capture-pane -p -t t -S -200 | grep -qF -- "$1"; }
# wait_screen SECONDS TEXT: the pane shows TEXT before the deadline.
wait_screen() { wait_until "$1" screen_has "$2"; }
keys() { tm send-keys -t t "$@"; }
# literal text (multibyte included), not key names
type_text() { tm send-keys -t t -l -- "$1"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# check_screen NAME SECONDS TEXT: a TAP line; on failure, show the pane (and any
# sanitizer report of the programs in it).
check_screen() {
	if wait_screen "$2" "$3"; then ok "$1"; else
		not_ok "$1"; diag "expected on screen: $3"; screen_text | sed 's/^/#   | /'
		cat "$sanitizer_log".* 2>/dev/null | head -40 | sed 's/^/#   ! /'
	fi
}

# demo_sim PATH JSON: POST to the demo's in-process simulator, whose ready line the demo
# wrote to $demo_info (run the demo with CHLINK_DEMO_INFO=$demo_info).
demo_info="${TMPDIR:-/tmp}/demo-info-$tsock.json"
demo_sim() {
	local port
	wait_until 30 test -s "$demo_info" || return 1
	port=$(grep -oE '"http" *: *[0-9]+' "$demo_info" | grep -oE '[0-9]+$')
	[ -n "$port" ] || return 1
	curl -fsS --max-time 30 -X POST -H 'Content-Type: application/json' -d "$2" \
		"http://127.0.0.1:$port$1" -o /dev/null
}

# The Development-service note naming the service under the cursor (empty when none).
_dev_note() { screen_text | grep -oE -- "[^ ]+ $1" | head -1; }
# _alias_answer OLD_NOTE DEV_TEXT: Enter was answered: the alias was read, or a refusal
# note other than OLD_NOTE (the previous service's) is shown.
_alias_answer() {
	local note
	screen_has privatelinkservice && return 0
	note=$(_dev_note "$2")
	[ -n "$note" ] && [ "$note" != "$1" ]
}
# choose_production DEV_TEXT: on the alias screen, Enter on each service in turn until a
# Production one is read (its alias, "...privatelinkservice", shows); DEV_TEXT is the
# refusal note's words after the service name, in the screen's language.
choose_production() {
	local old before
	for _ in 1 2 3 4 5 6; do
		old=$(_dev_note "$1")
		keys Enter
		wait_until 30 _alias_answer "$old" "$1" || return 1
		screen_has privatelinkservice && return 0
		before=$(screen_text)
		keys Down # the cursor moves: the screen changes before the next Enter
		wait_until 30 sh -c '[ "$(tmux -L "$1" -f "$2" capture-pane -p -t t)" != "$3" ]' _ \
			"$tsock" "$tconf" "$before" || return 1
	done
	return 1
}

# Walk from the welcome screen to stage 1 and choose the first Production service.
demo_to_alias_done() {
	keys Enter                       # Start
	wait_screen 30 "Credentials" || return 1
	keys Enter                       # skipped in the demo
	wait_screen 30 "Alias of the service" || return 1
	wait_screen 30 "Space or Enter chooses" || return 1
	choose_production "is a Development service"
}
