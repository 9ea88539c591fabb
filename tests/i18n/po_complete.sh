#!/bin/bash
# po_complete: po/ja.po compiles with format checks, has no untranslated or fuzzy entry,
# and translates every string the sources mark today.
source "$top_srcdir/tests/lib.sh"
po="$top_srcdir/po/ja.po"
export LC_ALL=C # msgfmt translates its own statistics line

if stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
	ok "msgfmt --check accepts ja.po"
else
	not_ok "msgfmt --check accepts ja.po"
	diag "$stats"
fi
stats=$(printf '%s\n' "$stats" | grep -E 'translated message' | tail -1)
diag "ja.po: $stats"
expect_match "ja.po has translated messages" '^[1-9][0-9]* translated message' "$stats"
case $stats in
*untranslated* | *fuzzy*) not_ok "no untranslated or fuzzy entries"; diag "$stats" ;;
*) ok "no untranslated or fuzzy entries" ;;
esac

# Every marked string in the sources has a translation (the catalogue is not stale).
pot="$TMPDIR/chlink.pot"
(cd "$top_srcdir" && find src ui -name '*.c' 2>/dev/null | LC_ALL=C sort) >"$TMPDIR/files"
if (cd "$top_srcdir" && xgettext --keyword=_ --keyword=N_ --keyword=P_:1,2 \
	--from-code=UTF-8 -L C -o "$pot" -f "$TMPDIR/files") 2>"$TMPDIR/xgettext.err"; then
	if out=$(msgcmp "$po" "$pot" 2>&1); then
		ok "ja.po translates every string marked in src/ and ui/"
	else
		not_ok "ja.po translates every string marked in src/ and ui/"
		printf '%s\n' "$out" | grep -v 'is not used' | head -20 | while IFS= read -r l; do diag "$l"; done
		diag "update: msgmerge -U po/ja.po po/chlink.pot, then translate"
	fi
else
	not_ok "xgettext reads the sources"
	diag "$(head -5 "$TMPDIR/xgettext.err")"
fi
done_testing
