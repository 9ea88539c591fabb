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

tm() { tmux -L "$tsock" -f /dev/null "$@"; }

# tmux_start COLS ROWS COMMAND: one window running COMMAND under bash.
tmux_start() {
	local cols=$1 rows=$2; shift 2
	tm new-session -d -x "$cols" -y "$rows" -s t "$*" || return 1
	tm set-option -g window-size manual >/dev/null
	tm set-option -g remain-on-exit on >/dev/null
	trap 'tm kill-server 2>/dev/null' EXIT
}

screen_text() { tm capture-pane -p -t t; }
screen_has() { screen_text | grep -qF -- "$1"; }
# the pane and its scrollback (leaving the alternate screen may scroll a line away)
history_has() { tm capture-pane -p -t t -S -200 | grep -qF -- "$1"; }
# wait_screen SECONDS TEXT: the pane shows TEXT before the deadline.
wait_screen() { wait_until "$1" screen_has "$2"; }
keys() { tm send-keys -t t "$@"; }
# literal text (multibyte included), not key names
type_text() { tm send-keys -t t -l -- "$1"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# check_screen NAME SECONDS TEXT: a TAP line; on failure, show the pane.
check_screen() {
	if wait_screen "$2" "$3"; then ok "$1"; else
		not_ok "$1"; diag "expected on screen: $3"; screen_text | sed 's/^/#   | /'; fi
}

# Walk from the welcome screen to stage 1 and choose the first Production service.
demo_to_alias_done() {
	keys Enter                       # Start
	wait_screen 20 "Credentials" || return 1
	keys Enter                       # skipped in the demo
	wait_screen 20 "Alias of the service" || return 1
	wait_screen 20 "Space or Enter chooses" || return 1
	for _ in 1 2 3 4 5 6; do
		keys Enter
		wait_until 10 sh -c "tmux -L $tsock capture-pane -p -t t |
			grep -qE 'privatelinkservice|Development service'" || return 1
		screen_has privatelinkservice && return 0
		keys Down
	done
	return 1
}
