#!/bin/bash
# tmux_demo_ja: the whole demo in Japanese in a real 80x24 terminal (--lang ja): every
# stage, the confirmations, Pending turning Approved, troubleshooting, the summary, exit.
# Keys are sent once the screen shows the state that gives them their meaning; deadlines
# are generous (a loaded machine is slow, not wrong).
source "$top_srcdir/tests/lib.sh"
[ -f "$top_srcdir/tests/screen/tmuxlib.sh" ] || { echo "1..0 # SKIP no tests/screen/tmuxlib.sh"; exit 77; }
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo
"$chlink" --help 2>&1 | grep -q -- --lang || { echo "1..0 # SKIP chlink has no --lang"; exit 77; }

# Walk to stage 1 and choose the first Production service (Japanese screens).
to_alias_done() {
	keys Enter
	wait_screen 30 "資格情報" || return 1
	keys Enter
	wait_screen 30 "SpaceまたはEnterで選択" || return 1
	choose_production "はDevelopmentサービスです"
}

tmux_start 80 24 "$chlink --lang ja --demo; echo chlink-exit=\$?"
check_screen "welcome in Japanese with the DEMO badge" 30 "ようこそ"
check_screen "the stage table names the guide's stages" 30 "許可リスト"
if to_alias_done; then ok "stage 1: alias read"; else
	not_ok "stage 1: alias read"; screen_text | sed 's/^/#   | /'; done_testing; fi
keys Enter
check_screen "stage 2 form" 30 "エンドポイント名"
keys Enter
check_screen "creating asks first, naming the endpoint" 30 "作成しますか"
keys y
check_screen "endpoint created, connection 保留中" 120 "接続 保留中"
keys Enter
check_screen "DNS screen" 30 "ワイルドカード"
keys Enter
check_screen "DNS asks first" 30 "作成しますか"
keys y
check_screen "DNS done" 120 "DNS ✓"
keys Enter
check_screen "organization screen" 30 "エンドポイントID"
keys Enter
check_screen "organization asks first" 30 "プライベートエンドポイントに追加しますか"
keys y
check_screen "organization done" 120 "組織 ✓"
keys Enter
check_screen "allow list screen, connection 保留中" 30 "接続状況: 保留中"
keys Enter
check_screen "allow list asks first" 30 "許可リストに追加しますか"
keys y
check_screen "保留中 turns 承認済み" 120 "接続 承認済み"
keys Enter
check_screen "access screen with the commands" 30 "clickhouse-client --host"
# "合格" alone may be a stale row from before the approval (TLS answers only an approved
# endpoint), and Enter then runs the probes again: wait for the stage's own verdict.
check_screen "probes ran: the access stage is done" 120 "アクセス ✓"
n=$(screen_text | grep -c '✓ 合格')
expect_eq "all three probes passed" 3 "$n"
keys Enter
check_screen "troubleshooting" 30 "トラブルシューティング"
keys Right
check_screen "summary" 30 "現在の状態"
# A wide character cut in half would reach the terminal as invalid UTF-8 (shown as U+FFFD).
if screen_text | LC_ALL=C.UTF-8 grep -q $'\uFFFD'; then
	not_ok "no broken characters on the summary"; screen_text | sed 's/^/#   | /'
else ok "no broken characters on the summary"; fi
screen_text | grep -q '…$' && diag "a line of the summary ends in … (clipped):" \
	"$(screen_text | grep '…$' | head -3)"
[ -n "${I18N_SCREEN_DIR:-}" ] && screen_text >"$I18N_SCREEN_DIR/summary-80x24.txt"
keys Enter
check_screen "clean exit" 30 "chlink-exit=0"
if history_has "デモが終了しました"; then ok "the goodbye is Japanese"; else
	not_ok "the goodbye is Japanese"; tm capture-pane -p -t t -S -50 | sed 's/^/#   | /'; fi
done_testing
