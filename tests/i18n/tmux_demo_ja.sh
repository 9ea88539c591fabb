#!/bin/bash
# tmux_demo_ja: the whole demo in Japanese in a real 80x24 terminal (--lang ja): every
# stage, the confirmations, Pending turning Approved, troubleshooting, the summary, exit.
source "$top_srcdir/tests/lib.sh"
[ -f "$top_srcdir/tests/screen/tmuxlib.sh" ] || { echo "1..0 # SKIP no tests/screen/tmuxlib.sh"; exit 77; }
source "$top_srcdir/tests/screen/tmuxlib.sh"
require_demo
"$chlink" --help 2>&1 | grep -q -- --lang || { echo "1..0 # SKIP chlink has no --lang"; exit 77; }

# Walk to stage 1 and choose the first Production service (Japanese screens).
to_alias_done() {
	keys Enter
	wait_screen 20 "資格情報" || return 1
	keys Enter
	wait_screen 20 "SpaceまたはEnterで選択" || return 1
	for _ in 1 2 3 4 5 6; do
		keys Enter
		wait_until 10 sh -c "tmux -L $tsock capture-pane -p -t t |
			grep -qE 'privatelinkservice|Developmentサービス'" || return 1
		screen_has privatelinkservice && return 0
		keys Down
	done
	return 1
}

tmux_start 80 24 "$chlink --lang ja --demo; echo chlink-exit=\$?"
check_screen "welcome in Japanese with the DEMO badge" 20 "ようこそ"
check_screen "the stage table names the guide's stages" 5 "許可リスト"
if to_alias_done; then ok "stage 1: alias read"; else
	not_ok "stage 1: alias read"; screen_text | sed 's/^/#   | /'; done_testing; fi
keys Enter
check_screen "stage 2 form" 10 "エンドポイント名"
keys Enter
check_screen "creating asks first, naming the endpoint" 10 "作成しますか"
keys y
check_screen "endpoint created, connection 保留中" 120 "接続 保留中"
keys Enter
check_screen "DNS screen" 10 "ワイルドカード"
keys Enter
check_screen "DNS asks first" 10 "プライベートDNSゾーン"
keys y
check_screen "DNS done" 60 "DNS ✓"
keys Enter
check_screen "organization screen" 10 "エンドポイントID"
keys Enter
check_screen "organization asks first" 10 "組織のプライベートエンドポイント"
keys y
check_screen "organization done" 60 "組織 ✓"
keys Enter
check_screen "allow list screen, connection 保留中" 10 "接続状況: 保留中"
keys Enter
check_screen "allow list asks first" 10 "許可リストに追加しますか"
keys y
check_screen "保留中 turns 承認済み" 120 "接続 承認済み"
keys Enter
check_screen "access screen with the commands" 10 "clickhouse-client --host"
check_screen "probes ran" 60 "合格"
keys Enter
check_screen "troubleshooting" 30 "トラブルシューティング"
keys Right
check_screen "summary" 10 "現在の状態"
# A wide character cut in half would reach the terminal as invalid UTF-8 (shown as U+FFFD).
if screen_text | LC_ALL=C.UTF-8 grep -q $'\uFFFD'; then
	not_ok "no broken characters on the summary"; screen_text | sed 's/^/#   | /'
else ok "no broken characters on the summary"; fi
screen_text | grep -q '…$' && diag "a line of the summary ends in … (clipped):" \
	"$(screen_text | grep '…$' | head -3)"
[ -n "${I18N_SCREEN_DIR:-}" ] && screen_text >"$I18N_SCREEN_DIR/summary-80x24.txt"
keys Enter
check_screen "clean exit" 10 "chlink-exit=0"
if history_has "デモが終了しました"; then ok "the goodbye is Japanese"; else
	not_ok "the goodbye is Japanese"; tm capture-pane -p -t t -S -50 | sed 's/^/#   | /'; fi
done_testing
