# tests/bench/demo.sh: items 4 and 5 (first half): `chlink --demo` in a real terminal (tmux,
# 100x30), walked through every stage by tests/bench/demo.keys; the terminal bytes of one status
# change (Pending -> Approved) and the wizard's peak RSS. Sourced by run.sh.
#
# demo.keys uses the wizard's key-script words (ui/script.h): a key name or one character per
# line, `type TEXT`, `wait-for TEXT` (120 s deadline); plus `mark NAME` (remember the time),
# `quiet MS` (wait until the terminal has been silent for MS ms), `approval-delay MS` (how long
# the demo's simulator keeps an allow-listed endpoint Pending), `type-info JQ` (type a value of
# the demo simulator's ready line) and `step CONFIRM => DONE` (Enter, y, until DONE shows).

TMUX_SOCK= TMUX_PID= TMUX_CONF=
# The server reads TMUX_CONF before it runs new-session: a pane whose program ended stays
# readable (remain-on-exit), so a wizard that died is told apart from a server that went away.
tmx() { tmux -S "$TMUX_SOCK" -f "$TMUX_CONF" "$@"; }
screen_has() { tmx capture-pane -p -t bench 2>/dev/null | grep -qF -- "$1"; }
# quiet_for MS: the recorder's last write is at least MS old (30 s deadline).
quiet_for() {
	local deadline=$(($(now_ms) + 30000)) last
	while [ "$(now_ms)" -lt "$deadline" ]; do
		last=$(tail -1 "$work/demo.idx" 2>/dev/null)
		last=${last%% *}
		[ -n "$last" ] && [ $(($(now_ms) - last / 1000)) -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
wait_text() {
	local deadline=$(($(now_ms) + $2))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		screen_has "$1" && return 0
		tmx has-session -t bench 2>/dev/null || return 1
		[ "$(tmx display-message -p -t bench '#{pane_dead}' 2>/dev/null)" = 1 ] && return 1
		sleep 0.05
	done
	return 1
}
tmux_key() {
	case $1 in
	Esc) echo Escape ;; Backspace) echo BSpace ;; Delete) echo DC ;; PgUp) echo PPage ;;
	PgDn) echo NPage ;; Ctrl-C) echo C-c ;; Ctrl-U) echo C-u ;; *) echo "$1" ;;
	esac
}

# demo_faults JSON: switch the demo's in-process simulator (its ready line is written to
# CHLINK_DEMO_INFO) through its control API.
demo_faults() {
	local deadline=$(($(now_ms) + 30000)) base
	while [ ! -s "$work/demo-info.json" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
	base=$(jq -r .base_url "$work/demo-info.json" 2>/dev/null) || return 1
	case $base in http://127.0.0.1:*) ;; *) return 1 ;; esac
	curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' -d "$1" \
		"$base/_sim/faults" >/dev/null
}

# do_step CONFIRM DONE: Enter opens the confirmation that shows CONFIRM, y answers it, and the
# screen must come to show DONE. A step confirmed while another runs is queued by the wizard,
# so one answer is enough; CONFIRM must be words of the question only, or y could come before
# the dialog is open.
do_step() {
	tmx send-keys -t bench Enter
	wait_text "$1" 30000 || return 1
	tmx send-keys -t bench -l y
	wait_text "$2" 120000
}

# why_stuck: what became of the wizard and of tmux, for a walk that stopped.
why_stuck() {
	local dead st sig
	IFS='|' read -r dead st sig < <(tmx display-message -p -t bench \
		'#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}' 2>/dev/null)
	tmx capture-pane -p -t bench >"$work/demo-stuck.txt" 2>/dev/null
	case $dead in
	1) echo "the wizard ended ($([ -n "$sig" ] && echo "signal $sig" || echo "exit status ${st:-?}"); stderr: $(head -c 300 "$work/demo.err" | tr '\n' ' '); sanitizer: $(cat "$work"/sanitizer.* 2>/dev/null | grep -m6 -E 'ERROR|SUMMARY|runtime error|#[0-3] ' | tr '\n' ' '))" ;;
	0) echo "the wizard still runs" ;;
	*)
		if [ -n "$TMUX_PID" ] && kill -0 "$TMUX_PID" 2>/dev/null; then
			echo "the tmux server (pid $TMUX_PID) runs but does not answer on $TMUX_SOCK$([ -S "$TMUX_SOCK" ] || echo ", whose socket is gone")"
		else
			echo "the tmux server (pid $TMUX_PID) is gone$([ -S "$TMUX_SOCK" ] || echo " with its socket")"
		fi ;;
	esac
}

# walk_demo FILE: play the key file; sets DEMO_ERR on failure and MARK_<name> (microseconds).
walk_demo() {
	local line n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $line in '' | '#'*) continue ;; esac
		case $line in
		"wait-for "*)
			if ! wait_text "${line#wait-for }" 120000; then
				DEMO_ERR="line $n: the screen never showed '${line#wait-for }': $(why_stuck)"
				return 1
			fi ;;
		"approval-delay "*)
			demo_faults "{\"approval_delay_ms\": ${line#approval-delay }}" ||
				{ DEMO_ERR="line $n: the demo's simulator did not take the approval delay"; return 1; } ;;
		"mark "*)
			printf -v "MARK_${line#mark }" '%s' "${EPOCHREALTIME/./}"
			echo "${line#mark } ${EPOCHREALTIME/./}" >>"$work/demo.marks" ;;
		"quiet "*) quiet_for "${line#quiet }" || { DEMO_ERR="line $n: the terminal never went quiet"; return 1; } ;;
		"step "*" => "*)
			local spec=${line#step }
			do_step "${spec%% => *}" "${spec#* => }" ||
				{ DEMO_ERR="line $n: the step never showed '${spec#* => }': $(why_stuck)"; return 1; } ;;
		"type "*) tmx send-keys -t bench -l -- "${line#type }" ;;
		"type-info "*)
			local v
			v=$(jq -r "${line#type-info }" "$work/demo-info.json" 2>/dev/null)
			[ -n "$v" ] && [ "$v" != null ] || { DEMO_ERR="line $n: no ${line#type-info } in the demo's ready line"; return 1; }
			tmx send-keys -t bench -l -- "$v" ;;
		?) tmx send-keys -t bench -l -- "$line" ;;
		*) tmx send-keys -t bench "$(tmux_key "$line")" ;;
		esac
	done <"$1"
}

bench_demo() {
	local keys="$bench_dir/demo.keys" pid out
	local bytes_metric="terminal: bytes for Pending -> Approved (100x30)"
	local rss_metric="peak RSS: wizard through the demo"
	echo "bench: the demo in tmux (terminal bytes, wizard RSS)" >&2
	if ! command -v tmux >/dev/null; then
		miss "$bytes_metric" "< 300 bytes" "tmux is not installed"
		miss "$rss_metric" "<= floor + 2 MiB" "tmux is not installed"
		return
	fi
	if ! demo_works; then
		miss "$bytes_metric" "< 300 bytes" "chlink --demo shows no wizard yet"
		miss "$rss_metric" "<= floor + 2 MiB" "chlink --demo shows no wizard yet"
		return
	fi
	TMUX_SOCK="$work/tmux.sock" TMUX_CONF="$work/tmux.conf"
	printf 'set-option -g remain-on-exit on\n' >"$TMUX_CONF"
	# The demo runs in its own throw-away directories; exec so the pane's pid is chlink's.
	# While the wizard draws, its stderr goes to a temporary file that dies with it: a
	# sanitizer's report is written to files of its own instead (log_path), so a crash says why.
	tmx new-session -d -s bench -x 100 -y 30 "exec env TERM=xterm-256color \
		ASAN_OPTIONS='$ASAN_OPTIONS:log_path=$work/sanitizer' \
		UBSAN_OPTIONS='${UBSAN_OPTIONS:-print_stacktrace=1}:log_path=$work/sanitizer' \
		CHLINK_DEMO_INFO='$work/demo-info.json' '$chlink' --demo 2>'$work/demo.err'"
	tmx pipe-pane -t bench -o "exec '$benchrun' record '$work/demo.raw' '$work/demo.idx'"
	pid=$(tmx display-message -p -t bench '#{pane_pid}')
	TMUX_PID=$(tmx display-message -p -t bench '#{pid}')
	DEMO_ERR= MARK_pending= MARK_approved=
	local hwm= anon= file= threads=
	if walk_demo "$keys"; then
		hwm=$(vm "$pid" VmHWM) anon=$(vm "$pid" RssAnon) file=$(vm "$pid" RssFile)
		threads=$(vm "$pid" Threads)
	fi
	tmx send-keys -t bench q
	tmx kill-server 2>/dev/null
	TMUX_SOCK=

	# The status change is measured once the walk got past it, even if it stopped later.
	if [ -z "$MARK_pending" ] || [ -z "$MARK_approved" ]; then
		miss "$bytes_metric" "< 300 bytes" "${DEMO_ERR:-demo.keys has no 'mark pending' and 'mark approved'}"
	elif ! out=$("$benchrun" burst "$work/demo.raw" "$work/demo.idx" "$MARK_pending" Approved 50 2>&1); then
		miss "$bytes_metric" "< 300 bytes" "$out"
	else
		local change
		read -r change _ _ <<<"$out"
		row "$bytes_metric" "$change bytes" "< 300 bytes" "$(verdict "$change" 299)"
		note "terminal: the change is the burst of output holding the first \"Approved\" after the allow list was confirmed and the screen was quiet (TERM=xterm-256color inside tmux, 100x30)"
	fi
	if [ -n "$DEMO_ERR" ]; then
		miss "$rss_metric" "<= floor + 2 MiB" "$DEMO_ERR"
	elif [ -z "$hwm" ]; then
		miss "$rss_metric" "<= floor + 2 MiB" "the wizard was gone before its RSS was read"
	elif [ -z "${FLOOR_RSS_KB:-}" ]; then
		row "$rss_metric" "$(mib "$hwm") MiB" "<= floor + 2 MiB" "no floor measured"
	else
		row "$rss_metric" "$(mib "$hwm") MiB (floor $(signed "$(mib $((hwm - FLOOR_RSS_KB)))"))" \
			"<= floor + 2 MiB" "$(verdict $((hwm - FLOOR_RSS_KB)) 2048)"
		note "memory: the demo runs chlink-sim's core and listeners in-process, so the wizard's RSS includes the simulator; at the end of the walk: RssAnon $(mib "${anon:-0}") MiB, RssFile $(mib "${file:-0}") MiB, $threads threads"
	fi
}
