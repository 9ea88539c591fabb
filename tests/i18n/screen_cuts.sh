#!/bin/bash
# screen_cuts: no golden screen, English or Japanese, cuts a label or a sentence short ("…") or
# runs past the screen's width; only the fields in tests/i18n/screen_cuts.allow may be shortened.
source "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 not installed"; exit 77; }

check="$top_srcdir/tests/i18n/screencheck.py"
allow="$top_srcdir/tests/i18n/screen_cuts.allow"
for lang in English Japanese; do
	for size in 80x24 100x30; do
		dir="$top_srcdir/tests/golden/screens/$size"
		[ "$lang" = Japanese ] && dir="$top_srcdir/tests/golden/screens/ja/$size"
		if [ ! -d "$dir" ]; then
			not_ok "$lang goldens at $size: no $dir"
		elif out=$(python3 "$check" "$allow" "$dir" 2>&1); then
			ok "$lang goldens at $size: nothing cut short or too wide ($(tail -1 <<<"$out"))"
		else
			not_ok "$lang goldens at $size: nothing cut short or too wide"
			diag "$(tail -40 <<<"$out")"
		fi
	done
done

# The check can fail: a clipped step title, a too-wide line and the help's mark.
bad="$TMPDIR/80x24"
mkdir -p "$bad"
printf '%s\n' '  プライベートエンドポ… ✓ 完了       pe-clickhouse, 10.0.0.4' >"$bad/a.txt"
printf '%s\n' "$(printf 'あ%.0s' {1..41})" >"$bad/b.txt"
printf '%s\n' '  │                                              …   │' >"$bad/c.txt"
out=$(python3 "$check" "$allow" "$bad" 2>&1); rc=$?
expect_eq "a cut label fails the check" 1 "$rc"
expect_match "the cut label is named" "a.txt:1: cut short: プライベートエンドポ…" "$out"
expect_match "a line of 82 cells is too wide at 80" "b.txt:1: 82 cells, wider than 80" "$out"
expect_match "the help's \"more below\" mark is allowed" "3 screens, 2 offenders" "$out"
done_testing
