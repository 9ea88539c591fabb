#!/bin/bash
# help_wrap: chlink --help fits 80 columns by display width in English and Japanese; a line
# too wide goes on under its description column, broken between characters where Japanese
# allows it (never before 、。, never inside a character), and loses nothing.
source "$top_srcdir/tests/lib.sh"
bin="$builddir/chlink"
[ -x "$bin" ] || { echo "1..0 # SKIP no $bin"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 77; }
[ -f "$CHLINK_LOCALEDIR/ja/LC_MESSAGES/chlink.mo" ] ||
	{ echo "no test catalogue in $CHLINK_LOCALEDIR (make check builds it)"; exit 1; }
unset LANGUAGE LC_MESSAGES
export LC_ALL=C.UTF-8

# check_help FILE: prints the offending lines; exit 1 when any
check_help() {
	python3 - "$1" <<'PY'
import sys, unicodedata as u
def cells(s): return sum(0 if u.combining(c) else 2 if u.east_asian_width(c) in 'WF' else 1 for c in s)
bad = 0
try:
    lines = open(sys.argv[1], 'rb').read().decode('utf-8').split('\n')
except UnicodeDecodeError as e:
    print('not UTF-8 (a character cut):', e); sys.exit(1)
for i, l in enumerate(lines, 1):
    if cells(l) > 80: print(f'{i}: {cells(l)} cells: {l}'); bad = 1
    if l.lstrip(' ')[:1] in ('、', '。', '」', '）'): print(f'{i}: starts with closing punctuation: {l}'); bad = 1
sys.exit(bad)
PY
}

for lang in en ja; do
	"$bin" --lang "$lang" --help >"$TMPDIR/help-$lang" 2>&1
	if out=$(check_help "$TMPDIR/help-$lang"); then
		ok "--lang $lang --help fits 80 columns"
	else
		not_ok "--lang $lang --help fits 80 columns"; diag "$out"
	fi
	expect_match "--lang $lang: a too-long option line goes on under its description" \
		'^ {30}\(https://management\.azure\.com\)$' "$(cat "$TMPDIR/help-$lang")"
done

# A catalogue whose description of "status" is a long Japanese sentence: it must wrap.
command -v msgfmt >/dev/null || { skip "long Japanese description (no msgfmt)"; done_testing; }
long='すべてのステップを確認し、チェックリストを表示します。説明が八十桁を超えたときは、日本語の文字の境目で折り返し、句読点の前では折り返しません。'
python3 - "$top_srcdir/po/ja.po" "$TMPDIR/long.po" "$long" <<'PY'
import sys
src, dst, long = sys.argv[1:]
old = 'すべてのステップを確認してチェックリストを表示'
text = open(src, encoding='utf-8').read()
assert text.count(old) == 1, 'the status description is not in ja.po'
open(dst, 'w', encoding='utf-8').write(text.replace(old, long))
PY
mkdir -p "$TMPDIR/loc/ja/LC_MESSAGES"
msgfmt -o "$TMPDIR/loc/ja/LC_MESSAGES/chlink.mo" "$TMPDIR/long.po"
CHLINK_LOCALEDIR="$TMPDIR/loc" "$bin" --lang ja --help >"$TMPDIR/help-long" 2>&1
if out=$(check_help "$TMPDIR/help-long"); then
	ok "a long Japanese description still fits 80 columns"
else
	not_ok "a long Japanese description still fits 80 columns"; diag "$out"
fi
# the status entry and its continuation lines, each under column 30
entry=$(sed -n '/^  status /,/^ \{0,29\}[^ ]/p' "$TMPDIR/help-long" | sed '$d')
rows=$(wc -l <<<"$entry")
if [ "$rows" -ge 2 ]; then ok "the long description wraps ($rows lines)"
else not_ok "the long description wraps"; diag "$entry"; fi
joined=$(sed -E '1s/^  status \[--json\] +//; 2,$s/^ {30}//' <<<"$entry" | tr -d '\n')
expect_eq "wrapping loses no character" "$long" "$joined"
done_testing
