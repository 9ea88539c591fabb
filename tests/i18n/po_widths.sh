#!/bin/bash
# po_widths: Japanese takes two cells a character; short labels, field labels, step badges
# and help lines must still fit where the English fits (cells by east_asian_width).
source "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }

if out=$(python3 "$top_srcdir/tests/i18n/pocheck.py" widths "$top_srcdir/po/ja.po" 2>&1); then
	ok "labels, badges and help lines fit: $(printf '%s\n' "$out" | tail -1)"
else
	not_ok "labels, badges and help lines fit"
	diag "$(printf '%s\n' "$out" | tail -40)"
fi

bad="$TMPDIR/bad.po"
cat >"$bad" <<'PO'
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\n"

msgid "Region"
msgstr "サービスがあるリージョン"

msgid "fix: "
msgstr "対処:"
PO
out=$(python3 "$top_srcdir/tests/i18n/pocheck.py" widths "$bad" 2>&1)
expect_match "a label twice too wide is reported" "label too wide: 'Region'" "$out"
expect_match "a dropped trailing blank is reported" 'trailing blanks differ' "$out"
done_testing
