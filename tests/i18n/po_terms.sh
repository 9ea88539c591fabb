#!/bin/bash
# po_terms: ja.po uses the glossary's terms (po/GLOSSARY.ja.md) consistently and leaves
# options, commands, API fields, identifiers, URLs and HTTP methods untranslated.
source "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }

if out=$(python3 "$top_srcdir/tests/i18n/pocheck.py" terms "$top_srcdir/po/ja.po" 2>&1); then
	ok "glossary terms and untranslatable tokens: $(printf '%s\n' "$out" | tail -1)"
else
	not_ok "glossary terms and untranslatable tokens"
	diag "$(printf '%s\n' "$out" | tail -40)"
fi

# The checker itself must catch a wrong term and a translated option.
bad="$TMPDIR/bad.po"
cat >"$bad" <<'PO'
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\n"

msgid "add the endpoint to the allow list"
msgstr "エンドポイントをホワイトリストに追加"

msgid "use --resource-group"
msgstr "--リソースグループ を使用"
PO
out=$(python3 "$top_srcdir/tests/i18n/pocheck.py" terms "$bad" 2>&1)
expect_match "a wrong term is reported" '許可リスト missing' "$out"
expect_match "a translated option is reported" "'--resource-group' changed" "$out"
done_testing
