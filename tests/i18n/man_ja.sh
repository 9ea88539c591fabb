#!/bin/bash
# man_ja: the Japanese manual page is lint-clean mdoc, is Japanese, and keeps every option,
# command and environment variable of the English page (it is not stale).
source "$top_srcdir/tests/lib.sh"
ja="$top_srcdir/man/ja/chlink.1"
en="$top_srcdir/man/chlink.1"

if command -v mandoc >/dev/null; then
	out=$(mandoc -Tlint -W warning "$ja" 2>&1)
	expect_eq "mandoc -Tlint -W warning is silent" "" "$out"
else
	skip "mandoc -Tlint (mandoc not installed)"
fi
if LC_ALL=C.UTF-8 grep -qP '^[^.].*[\p{Hiragana}\p{Katakana}]' "$ja"; then
	ok "the page is written in Japanese"
else
	not_ok "the page is written in Japanese"
fi
# Names after Fl, Cm and Ev macros in the English page must appear in the Japanese one.
missing=
for tok in $(grep -oE '(Fl|Cm|Ev) [A-Za-z_-][A-Za-z0-9_-]*' "$en" | awk '{print $1 "_" $2}' | sort -u); do
	m=${tok%%_*} name=${tok#*_}
	grep -qE "$m $name([^A-Za-z0-9_-]|\$)" "$ja" || missing="$missing $m:$name"
done
expect_eq "every option, command and variable of man/chlink.1 is kept" "" "${missing# }"
done_testing
