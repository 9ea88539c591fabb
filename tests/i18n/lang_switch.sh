#!/bin/bash
# lang_switch: the language follows the locale (LANG=ja_JP.UTF-8), --lang ja|en overrides it,
# and Japanese still works when the ja_JP.UTF-8 locale is not installed (C.UTF-8 fallback).
source "$top_srcdir/tests/lib.sh"
bin="$builddir/chlink"
[ -x "$bin" ] || { echo "no $bin"; exit 77; }
"$bin" --help 2>&1 | grep -q -- --lang || { echo "chlink does not support --lang yet"; exit 77; }
[ -f "$CHLINK_LOCALEDIR/ja/LC_MESSAGES/chlink.mo" ] ||
	{ echo "no test catalogue in $CHLINK_LOCALEDIR (make check builds it)"; exit 1; }
unset LANGUAGE LC_MESSAGES

jp='[\p{Hiragana}\p{Katakana}\p{Han}]'
has_japanese() { printf '%s' "$1" | LC_ALL=C.UTF-8 grep -qP "$jp"; }
expect_japanese() {
	if has_japanese "$2"; then ok "$1"; else not_ok "$1"; diag "got: $(printf '%s' "$2" | head -3)"; fi
}
expect_english() {
	if ! has_japanese "$2" && printf '%s' "$2" | grep -q 'Usage:'; then ok "$1"
	else not_ok "$1"; diag "got: $(printf '%s' "$2" | head -3)"; fi
}

out=$(env LC_ALL=C.UTF-8 "$bin" --lang ja --help 2>&1)
expect_japanese "--lang ja gives Japanese under C.UTF-8" "$out"
out=$(env LC_ALL=C "$bin" --lang ja --help 2>&1)
expect_japanese "--lang ja gives Japanese under the C locale" "$out"
out=$(env LC_ALL=C.UTF-8 "$bin" --lang ja --no-such-option 2>&1)
expect_japanese "--lang ja also gives Japanese usage errors" "$out"
out=$(env -u LC_ALL LANG=C.UTF-8 "$bin" --help 2>&1)
expect_english "no language asked: English" "$out"

if locale -a 2>/dev/null | grep -qiE '^ja_JP\.utf-?8$'; then
	out=$(env -u LC_ALL LANG=ja_JP.UTF-8 "$bin" --help 2>&1)
	expect_japanese "LANG=ja_JP.UTF-8 gives Japanese" "$out"
	out=$(env -u LC_ALL LANG=ja_JP.UTF-8 "$bin" --lang en --help 2>&1)
	expect_english "--lang en overrides LANG=ja_JP.UTF-8" "$out"
else
	skip "LANG=ja_JP.UTF-8 gives Japanese (ja_JP.UTF-8 is not generated here)"
	skip "--lang en overrides LANG=ja_JP.UTF-8 (ja_JP.UTF-8 is not generated here)"
fi

# A machine without the ja_JP locale: LOCPATH pointing at an empty directory hides every
# compiled locale but the built-in C.UTF-8. glibc's LOCPATH lookup leaks 32 bytes when the
# locale is missing (__argz_add_sep in setlocale), so LeakSanitizer is off for these two runs.
mkdir -p "$TMPDIR/no-locales"
noloc=(env -u LC_ALL LANG=ja_JP.UTF-8 LOCPATH="$TMPDIR/no-locales"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
out=$("${noloc[@]}" "$bin" --help 2>&1)
expect_japanese "LANG=ja_JP.UTF-8 without the ja_JP locale still gives Japanese" "$out"
out=$("${noloc[@]}" "$bin" --lang en --help 2>&1)
expect_english "--lang en without the ja_JP locale gives English" "$out"
done_testing
